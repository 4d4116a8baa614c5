/**
 * Database migrations (数据库迁移). Every module that stores data (core, volunteers, opinion, …) ships
 * an ordered list of migrations; a store runs the lists of the modules in use at start-up. Applied
 * migrations are recorded in one table, `gongzhi_migrations (module, id, name, applied_at)`, so that
 * running again is a no-op, and a dialect-specific lock keeps two processes that start at the same
 * time from migrating together.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"
import * as internal from "./internal/migrations.js"

/**
 * One migration: `id` orders it within its module (positive integers, strictly increasing),
 * `name` says what it does (`"create_outbox"`), `up` changes the schema. `up` receives the
 * `SqlClient`, so it may branch with `sql.onDialectOrElse` where SQLite, PostgreSQL and MySQL differ.
 *
 * On PostgreSQL and SQLite a migration runs in a transaction (with its journal row): it is applied
 * completely or not at all. On MySQL / MariaDB DDL commits implicitly, so keep one DDL statement per
 * migration there, or make the statements idempotent.
 *
 * @since 0.1.0
 * @category models
 */
export interface Migration {
  readonly id: number
  readonly name: string
  readonly up: Effect.Effect<void, unknown, SqlClient.SqlClient>
}

/**
 * The migrations of one module, in order.
 *
 * @since 0.1.0
 * @category models
 */
export interface ModuleMigrations {
  readonly module: string
  readonly migrations: ReadonlyArray<Migration>
}

/**
 * A migration applied by {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppliedMigration {
  readonly module: string
  readonly id: number
  readonly name: string
}

/**
 * The name of the journal table.
 *
 * @since 0.1.0
 * @category models
 */
export const journalTable: "gongzhi_migrations" = internal.journalTable

/**
 * Why migrating failed:
 * - `InvalidDefinition`: the lists themselves are wrong (duplicate or descending ids, empty names, a
 *   module listed twice) — a programming error, found before the database is touched;
 * - `Failed`: a migration's `up` failed; the migrations before it stay applied and recorded;
 * - `Locked`: another process held the migration lock for too long;
 * - `Journal`: the journal table could not be created, read or written.
 *
 * @since 0.1.0
 * @category models
 */
export const MigrationFailure = Schema.Literal("InvalidDefinition", "Failed", "Locked", "Journal")

/**
 * @since 0.1.0
 * @category models
 */
export type MigrationFailure = typeof MigrationFailure.Type

/**
 * Migrating failed. The message names the module, the migration id and its name.
 *
 * @since 0.1.0
 * @category errors
 */
export class MigrationError extends Schema.TaggedError<MigrationError>("@gongzhi/core/MigrationError")(
  "MigrationError",
  {
    reason: MigrationFailure,
    module: Schema.optional(Schema.String),
    id: Schema.optional(Schema.Number),
    name: Schema.optional(Schema.String),
    detail: Schema.String,
    cause: Schema.optional(Schema.Defect)
  }
) {
  override get message(): string {
    const which =
      this.module === undefined
        ? ""
        : this.id === undefined
          ? `模块 ${this.module}`
          : `模块 ${this.module} 第 ${this.id} 号迁移${this.name === undefined ? "" : `「${this.name}」`}`
    const english = this.module === undefined ? "" : ` ${this.module}${this.id === undefined ? "" : `#${this.id}`}`
    const englishName = this.name === undefined ? "" : ` "${this.name}"`
    switch (this.reason) {
      case "InvalidDefinition":
        return `迁移定义有误${which === "" ? "" : `（${which}）`}：${this.detail} / invalid migration definition${english}`
      case "Failed":
        return `数据库迁移失败：${which}执行出错：${this.detail} / migration${english}${englishName} failed`
      case "Locked":
        return `未能获得数据库迁移锁（可能有另一进程正在迁移）：${this.detail} / could not acquire the migration lock`
    }
    return `无法读写迁移记录表 ${journalTable}${which === "" ? "" : `（${which}）`}：${this.detail} / migration journal unavailable`
  }
}

const fromProblem = (problem: internal.MigrationProblem): MigrationError =>
  new MigrationError({
    reason: problem.reason,
    detail: problem.detail,
    ...(problem.module === undefined ? {} : { module: problem.module }),
    ...(problem.id === undefined ? {} : { id: problem.id }),
    ...(problem.name === undefined ? {} : { name: problem.name }),
    ...(problem.cause === undefined ? {} : { cause: problem.cause })
  })

/**
 * Groups the migrations of a module.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { SqlClient } from "@effect/sql"
 * import { Effect } from "effect"
 * import * as Migrations from "@gongzhi/core/Migrations"
 *
 * export const VolunteerMigrations = Migrations.make("volunteers", [
 *   {
 *     id: 1,
 *     name: "create_volunteers",
 *     up: Effect.flatMap(SqlClient.SqlClient, (sql) =>
 *       sql`CREATE TABLE volunteers (tenant_id VARCHAR(6) NOT NULL, id VARCHAR(36) NOT NULL, PRIMARY KEY (tenant_id, id))`
 *     )
 *   }
 * ])
 */
export const make = (module: string, migrations: ReadonlyArray<Migration>): ModuleMigrations => ({
  module,
  migrations
})

/**
 * Checks the lists without touching a database: module names non-empty and unique, ids positive
 * integers strictly increasing within each module, names non-empty. {@link run} calls it first.
 *
 * @since 0.1.0
 * @category combinators
 */
export const validate = (
  modules: ReadonlyArray<ModuleMigrations>
): Effect.Effect<ReadonlyArray<ModuleMigrations>, MigrationError> =>
  Effect.mapError(internal.validate(modules), fromProblem)

/**
 * Applies, in order (modules in the order given, ids ascending within each), every migration not yet
 * recorded in `gongzhi_migrations`, creating that table if missing, and returns what it applied
 * (empty when everything was already applied; with no migrations at all it touches nothing).
 * While it runs it holds a lock, so that two processes
 * starting at once never apply the same migration twice:
 * PostgreSQL `pg_advisory_xact_lock` (per schema), MySQL / MariaDB `GET_LOCK` (per database, waits
 * up to 60 s), SQLite `BEGIN IMMEDIATE` (one writer per file).
 *
 * A failing migration fails with `MigrationError` (reason `Failed`) naming its module, id and name;
 * the migrations before it stay applied and recorded.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Effect } from "effect"
 * import * as Migrations from "@gongzhi/core/Migrations"
 *
 * declare const modules: ReadonlyArray<Migrations.ModuleMigrations>
 *
 * const program = Effect.gen(function* () {
 *   const applied = yield* Migrations.run(modules)
 *   yield* Effect.log(`applied ${applied.length} migrations`)
 * })
 */
export const run = (
  modules: ReadonlyArray<ModuleMigrations>
): Effect.Effect<ReadonlyArray<AppliedMigration>, MigrationError, SqlClient.SqlClient> =>
  Effect.mapError(internal.run(modules), fromProblem)
