/**
 * The database migrations of public credit: one per table, each created from its repository
 * definition (`Repository.migration`). Tables: `credit_subjects`, `credit_records`,
 * `credit_evaluations`, `credit_batches`.
 *
 * @since 0.1.0
 */
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as Tables from "./internal/tables.js"

/**
 * The migrations of module `credit`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrations: Migrations.ModuleMigrations = Migrations.make(
  "credit",
  Tables.all.map((definition, i) => ({
    id: i + 1,
    name: `create_${definition.table}`,
    up: Repository.migration(definition)
  }))
)

/**
 * The SQL of every table for a dialect.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ddl = (dialect: "sqlite" | "pg" | "mysql"): ReadonlyArray<string> =>
  Tables.all.flatMap((definition) => Repository.ddl(definition, dialect))
