import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import type { Change, ColumnSpec, Dialect, TableSpec } from "../Migrations.js"

const IDENTIFIER = /^[a-z][a-z0-9_]{0,55}$/
const RESERVED: ReadonlyArray<string> = ["tenant_id", "id", "version", "doc"]

const checkIdentifier = (what: string, name: string) => {
  if (!IDENTIFIER.test(name)) throw new Error(`migration: ${what} "${name}" must match ${IDENTIFIER}`)
}

/** One statement of a change; `unless` names what makes it a no-op where the engine has no IF NOT EXISTS. */
export interface Step {
  readonly text: string
  readonly unless?:
    | { readonly kind: "index"; readonly table: string; readonly name: string }
    | { readonly kind: "column"; readonly table: string; readonly name: string }
}

// ---------------------------------------------------------------------------------------------
// the document-table layout (the one `Repository` reads and writes)
// ---------------------------------------------------------------------------------------------

/** The SQL type of a column: text is byte-ordered everywhere (`COLLATE "C"`, utf8mb4_bin, SQLite's BINARY). */
export const columnType = (dialect: Dialect, column: ColumnSpec): string => {
  switch (column.type) {
    case "text":
      return dialect === "sqlite" ? "TEXT" : `VARCHAR(${column.length ?? 191})${dialect === "pg" ? ' COLLATE "C"' : ""}`
    case "integer":
    case "timestamp":
      return dialect === "sqlite" ? "INTEGER" : "BIGINT"
    case "boolean":
      return dialect === "sqlite" ? "INTEGER" : "SMALLINT"
  }
}

export const indexName = (table: string, columns: ReadonlyArray<string>) => `${table}_ix_${columns.join("_")}`
export const uniqueName = (table: string, rule: string) => `${table}_ux_${rule}`

const indexStep = (
  dialect: Dialect,
  table: string,
  name: string,
  columns: ReadonlyArray<string>,
  unique: boolean
): Step => {
  const head = `CREATE ${unique ? "UNIQUE " : ""}INDEX`
  const tail = `${name} ON ${table} (tenant_id, ${columns.join(", ")})`
  // MySQL has no CREATE INDEX IF NOT EXISTS (MariaDB has): the runner looks the index up first
  return dialect === "mysql"
    ? { text: `${head} ${tail}`, unless: { kind: "index", table, name } }
    : { text: `${head} IF NOT EXISTS ${tail}` }
}

const checkSpec = (spec: TableSpec) => {
  checkIdentifier("table", spec.table)
  const known = (name: string) => name === "id" || Object.hasOwn(spec.columns ?? {}, name)
  for (const [name, column] of Object.entries(spec.columns ?? {})) {
    checkIdentifier("column", name)
    if (RESERVED.includes(name)) throw new Error(`migration: column "${name}" is reserved`)
    if (!["text", "integer", "timestamp", "boolean"].includes(column.type)) {
      throw new Error(`migration: column "${name}" has an unknown type "${String(column.type)}"`)
    }
  }
  for (const index of [...(spec.indexes ?? []), ...Object.values(spec.unique ?? {})]) {
    if (index.length === 0) throw new Error(`migration: an index of ${spec.table} has no column`)
    for (const name of index) if (!known(name)) throw new Error(`migration: ${spec.table} has no column "${name}"`)
  }
  for (const name of Object.keys(spec.unique ?? {})) checkIdentifier("unique rule", name)
}

/** CREATE TABLE (IF NOT EXISTS) of a document table, then its indexes; columns in name order. */
export const createTableSteps = (spec: TableSpec, dialect: Dialect): ReadonlyArray<Step> => {
  const t = spec.table
  const text = (n: number) =>
    dialect === "sqlite" ? "TEXT" : dialect === "pg" ? `VARCHAR(${n}) COLLATE "C"` : `VARCHAR(${n})`
  const doc = dialect === "sqlite" ? "TEXT" : dialect === "pg" ? "JSONB" : "JSON"
  const columns = Object.entries(spec.columns ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const lines = [
    `tenant_id ${text(12)} NOT NULL`,
    `id ${text(64)} NOT NULL`,
    `version ${dialect === "sqlite" ? "INTEGER" : "INT"} NOT NULL`,
    `doc ${doc} NOT NULL`,
    ...columns.map(([name, column]) => `${name} ${columnType(dialect, column)}`),
    "PRIMARY KEY (tenant_id, id)"
  ]
  const options = dialect === "mysql" ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : ""
  const steps: Array<Step> = [{ text: `CREATE TABLE IF NOT EXISTS ${t} (\n  ${lines.join(",\n  ")}\n)${options}` }]
  for (const index of spec.indexes ?? []) steps.push(indexStep(dialect, t, indexName(t, index), index, false))
  for (const [name, index] of Object.entries(spec.unique ?? {})) {
    steps.push(indexStep(dialect, t, uniqueName(t, name), index, true))
  }
  return steps
}

// ---------------------------------------------------------------------------------------------
// changes
// ---------------------------------------------------------------------------------------------

const statementsChange = (describe: Change["describe"], steps: (dialect: Dialect) => ReadonlyArray<Step>): Change => ({
  describe,
  statements: (dialect) => steps(dialect).map((step) => step.text),
  up: Effect.flatMap(SqlClient.SqlClient, (sql) => runSteps(sql, steps(dialectOf(sql))))
})

export const createTable = (spec: TableSpec): Change => {
  checkSpec(spec)
  return statementsChange({ _tag: "CreateTable", spec }, (dialect) => createTableSteps(spec, dialect))
}

export const addColumn = (table: string, column: string, spec: ColumnSpec): Change => {
  checkIdentifier("table", table)
  checkIdentifier("column", column)
  if (RESERVED.includes(column)) throw new Error(`migration: column "${column}" is reserved`)
  return statementsChange({ _tag: "AddColumn", table, column, spec }, (dialect) => {
    const definition = `${column} ${columnType(dialect, spec)}`
    return dialect === "pg"
      ? [{ text: `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${definition}` }]
      : [{ text: `ALTER TABLE ${table} ADD COLUMN ${definition}`, unless: { kind: "column", table, name: column } }]
  })
}

export const addIndex = (
  table: string,
  columns: ReadonlyArray<string>,
  options: { readonly unique?: string | undefined } = {}
): Change => {
  checkIdentifier("table", table)
  if (columns.length === 0) throw new Error(`migration: an index of ${table} has no column`)
  for (const column of columns) if (column !== "id") checkIdentifier("column", column)
  if (options.unique !== undefined) checkIdentifier("unique rule", options.unique)
  const name = options.unique === undefined ? indexName(table, columns) : uniqueName(table, options.unique)
  return statementsChange(
    {
      _tag: "AddIndex",
      table,
      columns,
      ...(options.unique === undefined ? {} : { unique: options.unique })
    },
    (dialect) => [indexStep(dialect, table, name, columns, options.unique !== undefined)]
  )
}

export const statements = (byDialect: (dialect: Dialect) => ReadonlyArray<string>): Change =>
  statementsChange({ _tag: "Statements" }, (dialect) => byDialect(dialect).map((text) => ({ text })))

const BATCH = 500

export const backfill = (
  table: string,
  column: string,
  spec: ColumnSpec,
  compute: (document: unknown) => string | number | boolean | null | undefined
): Change => {
  checkIdentifier("table", table)
  checkIdentifier("column", column)
  const stored = (value: unknown) => {
    if (value === null || value === undefined) return null
    switch (spec.type) {
      case "text":
        return String(value)
      case "boolean":
        return value === true || value === 1 ? 1 : 0
      default: {
        const n = typeof value === "string" && spec.type === "timestamp" ? Date.parse(value) : Number(value)
        return Number.isFinite(n) ? Math.trunc(n) : null
      }
    }
  }
  return {
    describe: { _tag: "Backfill", table, column },
    statements: (dialect) => [
      `-- for each row with ${column} IS NULL, in (tenant_id, id) order, ${BATCH} at a time:`,
      `UPDATE ${table} SET ${column} = ${dialect === "pg" ? "$1" : "?"} WHERE tenant_id = ${dialect === "pg" ? "$2" : "?"} AND id = ${dialect === "pg" ? "$3" : "?"}`
    ],
    up: Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const dialect = dialectOf(sql)
      const ph = (i: number) => (dialect === "pg" ? `$${i}` : "?")
      const docText = dialect === "pg" ? "doc::text" : dialect === "mysql" ? "CAST(doc AS CHAR)" : "doc"
      let after: readonly [string, string] | undefined
      for (;;) {
        const rows = yield* sql.unsafe<{ tenant_id: string; id: string; doc: string }>(
          after === undefined
            ? `SELECT tenant_id, id, ${docText} AS doc FROM ${table} WHERE ${column} IS NULL ORDER BY tenant_id, id LIMIT ${BATCH}`
            : `SELECT tenant_id, id, ${docText} AS doc FROM ${table} WHERE ${column} IS NULL AND (tenant_id > ${ph(1)} OR (tenant_id = ${ph(2)} AND id > ${ph(3)})) ORDER BY tenant_id, id LIMIT ${BATCH}`,
          after === undefined ? [] : [after[0], after[0], after[1]]
        )
        for (const row of rows) {
          const value = stored(compute(JSON.parse(row.doc)))
          if (value === null) continue
          yield* sql.unsafe(`UPDATE ${table} SET ${column} = ${ph(1)} WHERE tenant_id = ${ph(2)} AND id = ${ph(3)}`, [
            value,
            row.tenant_id,
            row.id
          ])
        }
        if (rows.length < BATCH) return
        const last = rows[rows.length - 1]
        after = [last.tenant_id, last.id]
      }
    })
  }
}

// ---------------------------------------------------------------------------------------------
// running
// ---------------------------------------------------------------------------------------------

export const dialectOf = (sql: SqlClient.SqlClient): Dialect =>
  sql.onDialectOrElse({
    orElse: (): Dialect => {
      throw new Error("Gongzhi migrations support SQLite, PostgreSQL and MySQL/MariaDB")
    },
    sqlite: (): Dialect => "sqlite",
    pg: (): Dialect => "pg",
    mysql: (): Dialect => "mysql"
  })

const exists = (
  sql: SqlClient.SqlClient,
  dialect: Dialect,
  what: NonNullable<Step["unless"]>
): Effect.Effect<boolean, SqlError> => {
  const query =
    dialect === "mysql"
      ? what.kind === "index"
        ? "SELECT COUNT(*) AS n FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?"
        : "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?"
      : dialect === "sqlite"
        ? what.kind === "index"
          ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?"
          : "SELECT COUNT(*) AS n FROM pragma_table_info(?) WHERE name = ?"
        : what.kind === "index"
          ? "SELECT COUNT(*) AS n FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname = $2"
          : "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2"
  return Effect.map(sql.unsafe<{ n: unknown }>(query, [what.table, what.name]), (rows) => Number(rows[0]?.n ?? 0) > 0)
}

export const runSteps = (sql: SqlClient.SqlClient, steps: ReadonlyArray<Step>): Effect.Effect<void, SqlError> =>
  Effect.forEach(
    steps,
    (step) =>
      step.unless === undefined
        ? Effect.asVoid(sql.unsafe(step.text))
        : Effect.flatMap(exists(sql, dialectOf(sql), step.unless), (found) =>
            found ? Effect.void : Effect.asVoid(sql.unsafe(step.text))
          ),
    { discard: true }
  )

// ---------------------------------------------------------------------------------------------
// the schema the changes build, checked against what the definitions expect
// ---------------------------------------------------------------------------------------------

interface FoldedTable {
  readonly columns: Map<string, ColumnSpec>
  readonly indexes: Set<string>
  readonly unique: Map<string, string>
}

const lengthOf = (spec: ColumnSpec) => (spec.type === "text" ? (spec.length ?? 191) : undefined)
const sameColumn = (a: ColumnSpec, b: ColumnSpec) => a.type === b.type && lengthOf(a) === lengthOf(b)
const showColumn = (spec: ColumnSpec) =>
  spec.type === "text" && spec.length !== undefined
    ? `{ type: "text", length: ${spec.length} }`
    : `{ type: "${spec.type}" }`

export const tablesOf = (changes: ReadonlyArray<Change>): Map<string, FoldedTable> => {
  const tables = new Map<string, FoldedTable>()
  for (const change of changes) {
    const d = change.describe
    if (d._tag === "CreateTable") {
      if (tables.has(d.spec.table)) continue // IF NOT EXISTS
      tables.set(d.spec.table, {
        columns: new Map(Object.entries(d.spec.columns ?? {})),
        indexes: new Set((d.spec.indexes ?? []).map((index) => index.join(","))),
        unique: new Map(Object.entries(d.spec.unique ?? {}).map(([name, index]) => [name, index.join(",")]))
      })
    } else if (d._tag === "AddColumn") {
      const table = tables.get(d.table)
      if (table !== undefined && !table.columns.has(d.column)) table.columns.set(d.column, d.spec)
    } else if (d._tag === "AddIndex") {
      const table = tables.get(d.table)
      if (table === undefined) continue
      if (d.unique === undefined) table.indexes.add(d.columns.join(","))
      else table.unique.set(d.unique, d.columns.join(","))
    }
  }
  return tables
}

export const checkTables = (changes: ReadonlyArray<Change>, expected: ReadonlyArray<TableSpec>): Array<string> => {
  const tables = tablesOf(changes)
  const problems: Array<string> = []
  for (const spec of expected) {
    const t = spec.table
    const table = tables.get(t)
    if (table === undefined) {
      problems.push(
        `${t}: no migration creates this table — append one with Migrations.createTable({ table: "${t}", … })`
      )
      continue
    }
    const columns = Object.entries(spec.columns ?? {})
    for (const [name, column] of columns) {
      const made = table.columns.get(name)
      if (made === undefined) {
        problems.push(
          `${t}: the definition has column ${name} but no migration adds it — append a migration with Migrations.addColumn("${t}", "${name}", ${showColumn(column)}) (and Migrations.backfill to fill existing rows)`
        )
      } else if (!sameColumn(made, column)) {
        problems.push(
          `${t}: column ${name} is ${showColumn(column)} in the definition but ${showColumn(made)} in the migrations — a migration must change it`
        )
      }
    }
    for (const name of table.columns.keys()) {
      if (!Object.hasOwn(spec.columns ?? {}, name)) {
        problems.push(`${t}: the migrations create column ${name}, which the definition no longer has`)
      }
    }
    const indexes = new Set((spec.indexes ?? []).map((index) => index.join(",")))
    for (const index of indexes) {
      if (!table.indexes.has(index)) {
        problems.push(
          `${t}: the definition has index (${index}) but no migration creates it — append Migrations.addIndex("${t}", [${index
            .split(",")
            .map((c) => `"${c}"`)
            .join(", ")}])`
        )
      }
    }
    for (const index of table.indexes) {
      if (!indexes.has(index))
        problems.push(`${t}: the migrations create index (${index}), which the definition no longer has`)
    }
    const unique = Object.entries(spec.unique ?? {})
    for (const [name, index] of unique) {
      const made = table.unique.get(name)
      if (made !== index.join(",")) {
        problems.push(
          made === undefined
            ? `${t}: the definition has unique rule ${name} (${index.join(", ")}) but no migration creates it — append Migrations.addIndex("${t}", [${index.map((c) => `"${c}"`).join(", ")}], { unique: "${name}" })`
            : `${t}: unique rule ${name} is (${index.join(", ")}) in the definition but (${made.split(",").join(", ")}) in the migrations`
        )
      }
    }
    for (const name of table.unique.keys()) {
      if (!Object.hasOwn(spec.unique ?? {}, name)) {
        problems.push(`${t}: the migrations create unique rule ${name}, which the definition no longer has`)
      }
    }
  }
  return problems
}
