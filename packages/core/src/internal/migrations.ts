import { SqlClient } from "@effect/sql"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Cause, Data, Effect, Either, Exit, Option, ParseResult, Schedule, Schema } from "effect"
import { globalValue } from "effect/GlobalValue"
import type { AppliedMigration, Migration, MigrationFailure, ModuleMigrations } from "../Migrations.js"
import { isSqlError } from "./sqlError.js"

/** The journal table (also exported as `Migrations.journalTable`). */
export const journalTable = "gongzhi_migrations" as const

/** What went wrong; the public module turns it into a `MigrationError`. */
export class MigrationProblem extends Data.TaggedError("MigrationProblem")<{
  readonly reason: MigrationFailure
  readonly module?: string
  readonly id?: number
  readonly name?: string
  readonly detail: string
  readonly cause?: unknown
}> {}

// ---------------------------------------------------------------------------------------------
// describing causes without leaking statement parameters
// ---------------------------------------------------------------------------------------------

const MAX_DETAIL = 500

const clip = (text: string): string => (text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text)

/** A one-line description of a failure: the driver's code and message for SQL errors. */
export const describe = (u: unknown): string => {
  if (isSqlError(u)) {
    const cause = u.cause as { readonly code?: unknown; readonly message?: unknown } | undefined
    if (typeof cause === "object" && cause !== null && typeof cause.message === "string") {
      return clip(typeof cause.code === "string" ? `${cause.code}: ${cause.message}` : cause.message)
    }
    return clip(u.message)
  }
  if (typeof u === "object" && u !== null) {
    const tag = "_tag" in u && typeof u._tag === "string" ? u._tag : undefined
    const message = "message" in u && typeof u.message === "string" && u.message !== "" ? u.message : undefined
    if (tag !== undefined && message !== undefined)
      return clip(message.startsWith(tag) ? message : `${tag}: ${message}`)
    if (message !== undefined) return clip(message)
    if (tag !== undefined) return tag
  }
  return clip(String(u))
}

const describeCause = (cause: Cause.Cause<unknown>): string => describe(Cause.squash(cause))

// ---------------------------------------------------------------------------------------------
// validation (pure)
// ---------------------------------------------------------------------------------------------

const MigrationShape = Schema.Struct({
  id: Schema.Number.pipe(
    Schema.int({ message: () => "迁移编号应为正整数 / id must be a positive integer" }),
    Schema.between(1, 2_147_483_647, { message: () => "迁移编号应为正整数 / id must be a positive integer" })
  ),
  name: Schema.String.pipe(
    Schema.pattern(/\S/, { message: () => "迁移名称不能为空 / name must not be empty" }),
    Schema.maxLength(255, { message: () => "迁移名称最长 255 个字符 / name is longer than 255 characters" })
  ),
  up: Schema.declare((u: unknown): u is Effect.Effect<void, unknown, SqlClient.SqlClient> => Effect.isEffect(u), {
    message: () => "up 应为 Effect / up must be an Effect"
  })
})

const ModuleShape = Schema.Struct({
  module: Schema.String.pipe(
    Schema.pattern(/^\S+$/, { message: () => "模块名不能为空或含空白 / module must be a non-empty word" }),
    Schema.maxLength(100, { message: () => "模块名最长 100 个字符 / module name is longer than 100 characters" })
  ),
  migrations: Schema.Array(MigrationShape)
})

const decodeModule = Schema.decodeUnknownEither(ModuleShape)

const invalid = (detail: string, at: { readonly module?: string; readonly id?: number; readonly name?: string }) =>
  new MigrationProblem({ reason: "InvalidDefinition", detail, ...at })

/** Checks the shape of the lists and that ids strictly increase within each module. */
export const validateSync = (modules: ReadonlyArray<ModuleMigrations>): Either.Either<void, MigrationProblem> => {
  if (!Array.isArray(modules)) return Either.left(invalid("应传入模块迁移列表 / expected an array of modules", {}))
  const seen = new Set<string>()
  for (const candidate of modules as ReadonlyArray<unknown>) {
    const moduleName =
      typeof candidate === "object" &&
      candidate !== null &&
      "module" in candidate &&
      typeof candidate.module === "string"
        ? candidate.module
        : undefined
    const decoded = decodeModule(candidate)
    if (Either.isLeft(decoded)) {
      const [issue] = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
      const path = issue.path
      let id: number | undefined
      if (path[0] === "migrations" && typeof path[1] === "number") {
        const item = (candidate as { readonly migrations: ReadonlyArray<unknown> }).migrations[path[1]]
        const raw = typeof item === "object" && item !== null && "id" in item ? item.id : undefined
        if (typeof raw === "number") id = raw
      }
      const where = path.length > 0 ? ` (${path.join(".")})` : ""
      return Either.left(
        invalid(`${issue.message}${where}`, {
          ...(moduleName === undefined ? {} : { module: moduleName }),
          ...(id === undefined ? {} : { id })
        })
      )
    }
    const { migrations, module } = decoded.right
    if (seen.has(module)) {
      return Either.left(invalid("模块重复出现在迁移列表中 / module is listed twice", { module }))
    }
    seen.add(module)
    let previous: { readonly id: number; readonly name: string } | undefined
    for (const migration of migrations) {
      if (previous !== undefined && migration.id === previous.id) {
        return Either.left(
          invalid(
            `迁移编号 ${migration.id} 重复（「${previous.name}」与「${migration.name}」） / duplicate migration id ${migration.id}`,
            { module, id: migration.id, name: migration.name }
          )
        )
      }
      if (previous !== undefined && migration.id < previous.id) {
        return Either.left(
          invalid(
            `迁移编号须递增：第 ${migration.id} 号排在第 ${previous.id} 号之后 / ids must increase (${migration.id} after ${previous.id})`,
            { module, id: migration.id, name: migration.name }
          )
        )
      }
      previous = migration
    }
  }
  return Either.right(undefined)
}

export const validate = (
  modules: ReadonlyArray<ModuleMigrations>
): Effect.Effect<ReadonlyArray<ModuleMigrations>, MigrationProblem> =>
  Effect.suspend(() =>
    Either.match(validateSync(modules), { onLeft: Effect.fail, onRight: () => Effect.succeed(modules) })
  )

// ---------------------------------------------------------------------------------------------
// planning (pure)
// ---------------------------------------------------------------------------------------------

export interface Recorded {
  readonly module: string
  readonly id: number
  readonly name: string
}

const keyOf = (module: string, id: number) => `${module}\u0000${id}`

export interface Planned {
  readonly module: string
  readonly migration: Migration
}

/** The migrations not yet recorded, modules in the order given, ids ascending. */
export const plan = (modules: ReadonlyArray<ModuleMigrations>, recorded: ReadonlyArray<Recorded>): Array<Planned> => {
  const done = new Set(recorded.map((row) => keyOf(row.module, row.id)))
  const out: Array<Planned> = []
  for (const { migrations, module } of modules) {
    for (const migration of migrations) {
      if (!done.has(keyOf(module, migration.id))) out.push({ module, migration })
    }
  }
  return out
}

/** Recorded migrations whose name differs from the declared one (renamed after being applied). */
export const renamed = (
  modules: ReadonlyArray<ModuleMigrations>,
  recorded: ReadonlyArray<Recorded>
): Array<{ readonly module: string; readonly id: number; readonly recorded: string; readonly declared: string }> => {
  const declared = new Map<string, string>()
  for (const { migrations, module } of modules) {
    for (const migration of migrations) declared.set(keyOf(module, migration.id), migration.name)
  }
  const out: Array<{
    readonly module: string
    readonly id: number
    readonly recorded: string
    readonly declared: string
  }> = []
  for (const row of recorded) {
    const name = declared.get(keyOf(row.module, row.id))
    if (name !== undefined && name !== row.name)
      out.push({ module: row.module, id: row.id, recorded: row.name, declared: name })
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// running
// ---------------------------------------------------------------------------------------------

type Step = <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>

const journalProblem = (
  error: unknown,
  at: { readonly module?: string; readonly id?: number; readonly name?: string } = {}
) => new MigrationProblem({ reason: "Journal", detail: describe(error), cause: error, ...at })

// Statements are text with positional parameters run through `sql.unsafe`, as everywhere in the
// kernel's storage code (see Repository): the table name is a constant, the values are parameters.
const ph = (sql: SqlClient.SqlClient, i: number) => sql.onDialectOrElse({ pg: () => `$${i}`, orElse: () => "?" })

const journalDdl = (sql: SqlClient.SqlClient): string =>
  sql.onDialectOrElse({
    pg: () => `CREATE TABLE IF NOT EXISTS ${journalTable} (
  module text NOT NULL,
  id integer NOT NULL,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (module, id)
)`,
    mysql: () => `CREATE TABLE IF NOT EXISTS ${journalTable} (
  module VARCHAR(100) NOT NULL,
  id INT NOT NULL,
  name VARCHAR(255) NOT NULL,
  applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (module, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    mssql: () => `IF OBJECT_ID(N'${journalTable}', N'U') IS NULL
CREATE TABLE ${journalTable} (
  module NVARCHAR(100) NOT NULL,
  id INT NOT NULL,
  name NVARCHAR(255) NOT NULL,
  applied_at DATETIME2 NOT NULL DEFAULT SYSUTCDATETIME(),
  PRIMARY KEY (module, id)
)`,
    orElse: () => `CREATE TABLE IF NOT EXISTS ${journalTable} (
  module TEXT NOT NULL,
  id INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (module, id)
)`
  })

const ensureJournal = (sql: SqlClient.SqlClient) =>
  sql.unsafe(journalDdl(sql)).pipe(Effect.mapError((error) => journalProblem(error)))

const readJournal = (sql: SqlClient.SqlClient) =>
  sql
    .unsafe<{
      readonly module: string
      readonly id: number | string
      readonly name: string
    }>(`SELECT module, id, name FROM ${journalTable}`)
    .withoutTransform.pipe(
      Effect.map((rows) => rows.map((row): Recorded => ({ module: row.module, id: Number(row.id), name: row.name }))),
      Effect.mapError((error) => journalProblem(error))
    )

const applyOne = (sql: SqlClient.SqlClient, { migration, module }: Planned) => {
  const at = { module, id: migration.id, name: migration.name }
  return Effect.suspend(() => Effect.provideService(migration.up, SqlClient.SqlClient, sql)).pipe(
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause)
        ? Effect.failCause(cause as Cause.Cause<never>)
        : Effect.fail(
            new MigrationProblem({ reason: "Failed", detail: describeCause(cause), cause: Cause.squash(cause), ...at })
          )
    ),
    Effect.zipRight(
      sql
        .unsafe(`INSERT INTO ${journalTable} (module, id, name) VALUES (${ph(sql, 1)}, ${ph(sql, 2)}, ${ph(sql, 3)})`, [
          module,
          migration.id,
          migration.name
        ])
        .pipe(Effect.mapError((error) => journalProblem(error, at)))
    )
  )
}

interface Outcome {
  readonly applied: ReadonlyArray<AppliedMigration>
  readonly failure: Option.Option<MigrationProblem>
}

/**
 * Under the lock: ensure the journal, read it, apply what is missing, each migration in `step`.
 * Stops at the first failure and returns it next to what was applied, so that the caller can commit
 * the migrations before it.
 */
const session = (
  sql: SqlClient.SqlClient,
  modules: ReadonlyArray<ModuleMigrations>,
  step: Step
): Effect.Effect<Outcome, MigrationProblem> =>
  Effect.gen(function* () {
    yield* ensureJournal(sql)
    const recorded = yield* readJournal(sql)
    for (const change of renamed(modules, recorded)) {
      yield* Effect.logWarning(
        `迁移 ${change.module}#${change.id} 已以名称「${change.recorded}」执行过，现名为「${change.declared}」 / migration was renamed after being applied`
      )
    }
    const applied: Array<AppliedMigration> = []
    for (const planned of plan(modules, recorded)) {
      const { migration, module } = planned
      const result = yield* Effect.either(
        step(applyOne(sql, planned)).pipe(
          Effect.mapError((error) =>
            error instanceof MigrationProblem
              ? error
              : journalProblem(error, { module, id: migration.id, name: migration.name })
          )
        )
      )
      if (Either.isLeft(result)) return { applied, failure: Option.some(result.left) }
      applied.push({ module, id: migration.id, name: migration.name })
      yield* Effect.logInfo(`已执行数据库迁移 ${module}#${migration.id} ${migration.name} / migration applied`)
    }
    return { applied, failure: Option.none() }
  })

/**
 * Runs `body` in a transaction on one reserved connection opened with `begin` (for SQLite
 * `BEGIN IMMEDIATE`); statements of `body` run on that connection, nested `withTransaction` calls
 * become savepoints.
 */
const pinnedTransaction = <A, E, R, E2>(
  sql: SqlClient.SqlClient,
  begin: (connection: Connection) => Effect.Effect<void, E2>,
  body: Effect.Effect<A, E, R>
): Effect.Effect<A, E | E2 | SqlError, R> =>
  Effect.scoped(
    Effect.uninterruptibleMask((restore) =>
      Effect.gen(function* () {
        const connection = yield* sql.reserve
        yield* restore(begin(connection))
        const exit = yield* Effect.exit(
          restore(Effect.provideService(body, SqlClient.TransactionConnection, [connection, 0] as const))
        )
        const end = yield* Effect.exit(
          connection.executeUnprepared(Exit.isSuccess(exit) ? "COMMIT" : "ROLLBACK", [], undefined)
        )
        if (Exit.isSuccess(exit) && Exit.isFailure(end)) return yield* Effect.failCause(end.cause)
        return yield* exit
      })
    )
  )

const isBusy = (error: SqlError): boolean => {
  const code = (error.cause as { readonly code?: unknown } | undefined)?.code
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED"
}

/** One writer per SQLite file inside this process (the `BEGIN IMMEDIATE` lock guards across processes). */
const sqliteLocks = globalValue(
  Symbol.for("@gongzhi/core/Migrations/sqliteLocks"),
  () => new Map<string, Effect.Semaphore>()
)

const sqliteLock = (file: string): Effect.Semaphore | undefined => {
  if (file === "") return undefined // in-memory or temporary database: private to its connection
  let semaphore = sqliteLocks.get(file)
  if (semaphore === undefined) {
    semaphore = Effect.unsafeMakeSemaphore(1)
    sqliteLocks.set(file, semaphore)
  }
  return semaphore
}

const LOCK_TIMEOUT_SECONDS = 60

/** `pg_advisory_xact_lock(classid, objid)`: a constant ("gzmg") and the current schema. */
const PG_LOCK_CLASS = 0x677a6d67

const runLocked = (
  sql: SqlClient.SqlClient,
  modules: ReadonlyArray<ModuleMigrations>
): Effect.Effect<Outcome, MigrationProblem> => {
  const nested: Step = (self) => sql.withTransaction(self)
  const lockProblem = (error: unknown) =>
    new MigrationProblem({ reason: "Locked", detail: describe(error), cause: error })
  const outcome: Effect.Effect<Outcome, MigrationProblem | SqlError> = sql.onDialectOrElse({
    pg: () =>
      sql.withTransaction(
        sql
          .unsafe(`SELECT pg_advisory_xact_lock(${PG_LOCK_CLASS}, hashtext(coalesce(current_schema(), '')))`)
          .pipe(Effect.mapError(lockProblem), Effect.zipRight(session(sql, modules, nested)))
      ),
    mysql: () =>
      Effect.scoped(
        Effect.gen(function* () {
          const connection = yield* sql.reserve
          const pinned = <A, E, R>(self: Effect.Effect<A, E, R>) =>
            Effect.provideService(self, SqlClient.TransactionConnection, [connection, 0] as const)
          const lockName = `LEFT(CONCAT('${journalTable}:', IFNULL(DATABASE(), '')), 64)`
          const [row] = yield* pinned(
            sql.unsafe<{ readonly locked: unknown }>(`SELECT GET_LOCK(${lockName}, ?) AS locked`, [
              LOCK_TIMEOUT_SECONDS
            ])
          ).pipe(Effect.mapError(lockProblem))
          if (Number(row?.locked) !== 1) {
            return yield* new MigrationProblem({
              reason: "Locked",
              detail: `${LOCK_TIMEOUT_SECONDS} 秒内未能获得 GET_LOCK / GET_LOCK timed out after ${LOCK_TIMEOUT_SECONDS} s`
            })
          }
          yield* Effect.addFinalizer(() => Effect.ignore(pinned(sql.unsafe(`SELECT RELEASE_LOCK(${lockName})`))))
          // DDL commits implicitly on MySQL: the lock, not the transaction, keeps runners apart.
          const step: Step = (self) =>
            Effect.uninterruptibleMask((restore) =>
              Effect.gen(function* () {
                yield* connection.executeUnprepared("BEGIN", [], undefined)
                const exit = yield* Effect.exit(restore(self))
                const end = yield* Effect.exit(
                  connection.executeUnprepared(Exit.isSuccess(exit) ? "COMMIT" : "ROLLBACK", [], undefined)
                )
                if (Exit.isSuccess(exit) && Exit.isFailure(end)) return yield* Effect.failCause(end.cause)
                return yield* exit
              })
            )
          return yield* pinned(session(sql, modules, step))
        })
      ),
    sqlite: () =>
      Effect.gen(function* () {
        const [row] = yield* sql
          .unsafe<{ readonly file: string | null }>("SELECT file FROM pragma_database_list WHERE name = 'main'")
          .pipe(Effect.mapError(journalProblem))
        const beginImmediate = (connection: Connection) =>
          connection.executeUnprepared("BEGIN IMMEDIATE", [], undefined).pipe(
            Effect.retry({
              while: isBusy,
              schedule: Schedule.spaced("100 millis"),
              times: LOCK_TIMEOUT_SECONDS * 10
            }),
            Effect.asVoid,
            Effect.mapError(lockProblem)
          )
        const locked = pinnedTransaction(sql, beginImmediate, session(sql, modules, nested))
        const semaphore = sqliteLock(row?.file ?? "")
        return yield* semaphore === undefined ? locked : semaphore.withPermits(1)(locked)
      }),
    orElse: () => sql.withTransaction(session(sql, modules, nested))
  })
  return Effect.mapError(outcome, (error) => (error instanceof MigrationProblem ? error : journalProblem(error)))
}

export const run = (
  modules: ReadonlyArray<ModuleMigrations>
): Effect.Effect<ReadonlyArray<AppliedMigration>, MigrationProblem, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const valid = yield* validate(modules)
    if (valid.every((module) => module.migrations.length === 0)) return []
    const sql = yield* SqlClient.SqlClient
    const outcome = yield* runLocked(sql, valid).pipe(
      Effect.catchAllDefect((defect) => Effect.fail(journalProblem(defect)))
    )
    if (Option.isSome(outcome.failure)) return yield* outcome.failure.value
    return outcome.applied
  }).pipe(Effect.withSpan("Migrations.run"))
