import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { TableSpec } from "../../Migrations.js"
import type { Definition } from "../../Repository.js"
import { createTable, createTableSteps, dialectOf as migrationDialect } from "../migrationChanges.js"
import { columnEntries, define } from "./definition.js"

export type Dialect = "sqlite" | "pg" | "mysql"

export const dialectOf: (sql: SqlClient.SqlClient) => Dialect = migrationDialect

/** The table a definition reads and writes, as a migration would create it. */
export const tableSpec = (definition: Definition<any, any>): TableSpec => {
  define(definition)
  return {
    table: definition.table,
    columns: Object.fromEntries(
      columnEntries(definition).map(([name, column]) => [
        name,
        column.type === "text" && column.length !== undefined
          ? { type: column.type, length: column.length }
          : { type: column.type }
      ])
    ),
    indexes: definition.indexes ?? [],
    unique: definition.unique ?? {}
  }
}

export const ddl = (definition: Definition<any, any>, dialect: Dialect): ReadonlyArray<string> =>
  createTableSteps(tableSpec(definition), dialect).map((step) => step.text)

export const migration = <A, I>(definition: Definition<A, I>): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.suspend(() => createTable(tableSpec(definition)).up)
