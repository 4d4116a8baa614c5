/**
 * Database migrations (数据库迁移). Every module that stores data (core, volunteers, opinion, …) ships
 * an ordered list of migrations; a store runs the lists of the modules in use at start-up. Applied
 * migrations are recorded in one table, `gongzhi_migrations (module, id, name, applied_at)`, so that
 * running again is a no-op, and a dialect-specific lock keeps two processes that start at the same
 * time from migrating together.
 *
 * A migration is frozen: written once, with its statements spelled out, and never derived from the
 * live `Repository.Definition` (a column added to a definition next year must reach databases created
 * this year, so it gets a migration of its own). The helpers {@link createTable}, {@link addColumn},
 * {@link addIndex}, {@link backfill} and {@link statements} write idempotent statements for
 * SQLite, PostgreSQL and MySQL/MariaDB; {@link check} compares what a module's migrations build with
 * what its definitions expect, for a test.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"
import * as changes from "./internal/migrationChanges.js"
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
  /** The changes `up` makes, when the migration was written with {@link migration} (read by {@link check}). */
  readonly changes?: ReadonlyArray<Change> | undefined
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

// ---------------------------------------------------------------------------------------------
// frozen migrations
// ---------------------------------------------------------------------------------------------

/**
 * The SQL dialects migrations are written for (MySQL covers MariaDB).
 *
 * @since 0.2.0
 * @category models
 */
export type Dialect = "sqlite" | "pg" | "mysql"

/**
 * A typed column of a document table: `text` (VARCHAR(`length`, default 191), byte-ordered),
 * `integer` and `timestamp` (BIGINT; epoch milliseconds), `boolean` (SMALLINT 0/1); INTEGER/TEXT on SQLite.
 *
 * @since 0.2.0
 * @category models
 */
export interface ColumnSpec {
  readonly type: "text" | "integer" | "timestamp" | "boolean"
  readonly length?: number | undefined
}

/**
 * A document table as `Repository` stores it: `tenant_id`, `id`, `version`, the JSON `doc`, the typed
 * `columns`, the primary key `(tenant_id, id)`, secondary `indexes` and named `unique` rules (each
 * index begins with `tenant_id`; index names are `<table>_ix_<columns>` and `<table>_ux_<rule>`).
 *
 * @since 0.2.0
 * @category models
 */
export interface TableSpec {
  readonly table: string
  readonly columns?: Readonly<Record<string, ColumnSpec>> | undefined
  readonly indexes?: ReadonlyArray<ReadonlyArray<string>> | undefined
  readonly unique?: Readonly<Record<string, ReadonlyArray<string>>> | undefined
}

/**
 * What a change does, as data (read by {@link check}).
 *
 * @since 0.2.0
 * @category models
 */
export type ChangeDescription =
  | { readonly _tag: "CreateTable"; readonly spec: TableSpec }
  | { readonly _tag: "AddColumn"; readonly table: string; readonly column: string; readonly spec: ColumnSpec }
  | {
      readonly _tag: "AddIndex"
      readonly table: string
      readonly columns: ReadonlyArray<string>
      readonly unique?: string | undefined
    }
  | { readonly _tag: "Backfill"; readonly table: string; readonly column: string }
  | { readonly _tag: "Statements" }

/**
 * One idempotent schema change: running it on a database that already has it changes nothing.
 *
 * @since 0.2.0
 * @category models
 */
export interface Change {
  readonly describe: ChangeDescription
  /** The SQL of the change for a dialect (for review, or for a DBA to run by hand). */
  readonly statements: (dialect: Dialect) => ReadonlyArray<string>
  readonly up: Effect.Effect<void, unknown, SqlClient.SqlClient>
}

/**
 * A migration made of changes, run in order.
 *
 * @since 0.2.0
 * @category constructors
 * @example
 * import * as Migrations from "@gongzhi/core/Migrations"
 *
 * export const NoteMigrations = Migrations.make("notes", [
 *   Migrations.migration(1, "create_notes", [
 *     Migrations.createTable({
 *       table: "notes",
 *       columns: { street: { type: "text", length: 16 } },
 *       indexes: [["street"]]
 *     })
 *   ]),
 *   // a year later: a new column, filled from the stored documents, and its index
 *   Migrations.migration(2, "add_notes_priority", [
 *     Migrations.addColumn("notes", "priority", { type: "integer" }),
 *     Migrations.backfill("notes", "priority", { type: "integer" }, (doc) => (doc as { priority?: number }).priority ?? 0),
 *     Migrations.addIndex("notes", ["priority"])
 *   ])
 * ])
 */
export const migration = (id: number, name: string, list: ReadonlyArray<Change>): Migration => ({
  id,
  name,
  up: Effect.forEach(list, (change) => change.up, { discard: true }),
  changes: list
})

/**
 * Creates a document table and its indexes (`CREATE TABLE IF NOT EXISTS`, then each index if missing).
 *
 * @since 0.2.0
 * @category constructors
 */
export const createTable: (spec: TableSpec) => Change = changes.createTable

/**
 * Adds a nullable column if it is missing: `ADD COLUMN IF NOT EXISTS` on PostgreSQL; on MySQL/MariaDB
 * and SQLite the runner looks the column up first (`information_schema`, `pragma_table_info`).
 *
 * @since 0.2.0
 * @category constructors
 */
export const addColumn: (table: string, column: string, spec: ColumnSpec) => Change = changes.addColumn

/**
 * Adds an index `(tenant_id, …columns)` if it is missing (`<table>_ix_<columns>`), or a unique rule
 * named `unique` (`<table>_ux_<rule>`, the name `DuplicateKey` reports). `IF NOT EXISTS` on PostgreSQL
 * and SQLite; on MySQL/MariaDB the runner looks the index up in `information_schema` first.
 *
 * @since 0.2.0
 * @category constructors
 */
export const addIndex: (
  table: string,
  columns: ReadonlyArray<string>,
  options?: { readonly unique?: string | undefined }
) => Change = changes.addIndex

/**
 * Fills a column from each row's stored JSON document, where it is still NULL: rows are read in
 * `(tenant_id, id)` order, 500 at a time, and `compute` (a frozen function of the encoded document,
 * never the live Schema) gives the value (`null`/`undefined` leaves the row as it is). Timestamps
 * may be returned as epoch milliseconds or ISO strings. Running it again only visits rows still NULL.
 *
 * @since 0.2.0
 * @category constructors
 */
export const backfill: (
  table: string,
  column: string,
  spec: ColumnSpec,
  compute: (document: unknown) => string | number | boolean | null | undefined
) => Change = changes.backfill

/**
 * Explicit statements per dialect, for tables outside the document layout (the outbox, the audit log).
 * Write them idempotent (`CREATE TABLE IF NOT EXISTS` …): MySQL commits DDL implicitly.
 *
 * @since 0.2.0
 * @category constructors
 */
export const statements: (byDialect: (dialect: Dialect) => ReadonlyArray<string>) => Change = changes.statements

/**
 * The SQL of a module's migrations for a dialect, in order (changes written with {@link migration}).
 *
 * @since 0.2.0
 * @category combinators
 */
export const sqlOf = (module: ModuleMigrations, dialect: Dialect): ReadonlyArray<string> =>
  module.migrations.flatMap((m) => (m.changes ?? []).flatMap((change) => change.statements(dialect)))

/**
 * Compares the document tables a module's migrations build with the tables its definitions expect
 * (`Repository.tableSpec(definition)`) and returns the differences, each a sentence that says which
 * migration to append; empty when they agree. Put it in a test, so that changing a definition without
 * a migration fails.
 *
 * @since 0.2.0
 * @category combinators
 * @example
 * import * as Migrations from "@gongzhi/core/Migrations"
 * import * as Repository from "@gongzhi/core/Repository"
 *
 * declare const module: Migrations.ModuleMigrations
 * declare const definitions: ReadonlyArray<Repository.Definition<any, any>>
 *
 * const problems = Migrations.check(module, definitions.map(Repository.tableSpec))
 * // assert.deepStrictEqual(problems, [])
 */
export const check = (module: ModuleMigrations, expected: ReadonlyArray<TableSpec>): ReadonlyArray<string> =>
  changes.checkTables(
    module.migrations.flatMap((m) => m.changes ?? []),
    expected
  )
