/**
 * Gongzhi storage on embedded SQLite (the default): one database file in WAL mode, opened through
 * `@effect/sql-sqlite-node` (better-sqlite3). Provides the `SqlClient`, the `Transactor`, and runs the
 * migrations of the modules in use at start-up.
 *
 * @since 0.1.0
 */

import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Reactivity from "@effect/experimental/Reactivity"
import type { SqlClient } from "@effect/sql"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import type * as Migrations from "@gongzhi/core/Migrations"
import type { StoreConfigError } from "@gongzhi/core/StoreConfig"
import * as StoreConfig from "@gongzhi/core/StoreConfig"
import * as StoreLayer from "@gongzhi/core/StoreLayer"
import type * as Transactor from "@gongzhi/core/Transactor"
import type { Scope } from "effect"
import { Config, Duration, Effect, Either, type Layer, Option, Redacted, Schema } from "effect"
import { filenameFromUrl as parseUrl } from "./internal/config.js"

/**
 * The store could not start because a setting is wrong (shared by every store: `@gongzhi/core/StoreConfig`).
 *
 * @since 0.1.0
 * @category errors
 */
export { StoreConfigError } from "@gongzhi/core/StoreConfig"

/**
 * How durable a commit is. `NORMAL` (default, with WAL): a commit survives a crash of the process but
 * the last commits may be lost if the machine loses power. `FULL`: every commit is synced to disk
 * (slower writes).
 *
 * @since 0.1.0
 * @category models
 */
export const Synchronous = Schema.Literal("NORMAL", "FULL")

/**
 * @since 0.1.0
 * @category models
 */
export type Synchronous = typeof Synchronous.Type

/**
 * @since 0.1.0
 * @category models
 */
export interface SqliteStoreOptions {
  /** Path of the database file (created if missing), or `":memory:"` for a private in-memory database. */
  readonly filename: string
  /** The migrations of the modules in use, run at start-up. */
  readonly migrations?: ReadonlyArray<Migrations.ModuleMigrations> | undefined
  /** Open the file read-only (no migrations then). Default `false`. */
  readonly readonly?: boolean | undefined
  /** How long a writer waits for another process's write lock before `SQLITE_BUSY`. Default 5 seconds. */
  readonly busyTimeout?: Duration.DurationInput | undefined
  /** Default `"NORMAL"`; see {@link Synchronous}. */
  readonly synchronous?: Synchronous | undefined
}

/**
 * A started store.
 *
 * @since 0.1.0
 * @category models
 */
export interface SqliteStore extends StoreLayer.Started<SqliteClient.SqliteClient> {}

const Options = Schema.Struct({
  filename: Schema.String.pipe(Schema.minLength(1, { message: () => "不能为空 / must not be empty" })),
  readonly: Schema.optional(Schema.Boolean),
  busyTimeout: Schema.optional(Schema.Unknown),
  synchronous: Schema.optional(Synchronous)
})

const fail = StoreConfig.invalid

const decodeDuration = StoreConfig.decodeDuration

/** Driver failures while opening the file, described for a clerk (no stack, no parameters). */
const openError = (setting: string, filename: string, readonly: boolean, error: unknown): StoreConfigError => {
  const cause = (typeof error === "object" && error !== null ? error : {}) as {
    readonly code?: unknown
    readonly message?: unknown
    readonly cause?: unknown
  }
  const driver = (
    typeof cause.cause === "object" && cause.cause !== null && "code" in cause.cause ? cause.cause : cause
  ) as { readonly code?: unknown; readonly message?: unknown }
  const code = typeof driver.code === "string" ? driver.code : undefined
  const detail = typeof driver.message === "string" ? driver.message : String(error)
  const suffix = `${code === undefined ? "" : `${code}: `}${detail}`
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    return fail(
      setting,
      `${filename} 不是有效的 SQLite 数据库文件（${setting}）`,
      `not a SQLite database: ${filename} (${suffix})`
    )
  }
  if (readonly) {
    return fail(
      setting,
      `无法以只读方式打开 SQLite 文件：${filename}（${setting}），文件不存在或不可读`,
      `cannot open SQLite file read-only (${suffix})`
    )
  }
  return fail(
    setting,
    `SQLite 文件不可写：${filename}（${setting}），请检查目录是否存在、是否有写权限`,
    `SQLite file is not writable (${suffix})`
  )
}

/**
 * Creates a database file that does not exist yet with mode 0600 (owner only), so that personal
 * data is never world-readable; SQLite gives its `-wal` and `-shm` files the same mode. An existing
 * file keeps its mode; any failure here is left to the driver, which reports it.
 */
const createPrivate = (filename: string): void => {
  if (filename === "" || filename === ":memory:" || filename.startsWith("file:")) return
  try {
    Fs.closeSync(Fs.openSync(filename, Fs.constants.O_CREAT | Fs.constants.O_EXCL | Fs.constants.O_WRONLY, 0o600))
    // the process umask may have cleared bits, never added any; make the mode exact
    Fs.chmodSync(filename, 0o600)
  } catch {
    // exists already, or the directory is missing: the driver opens it or explains
  }
}

const makeWith = (
  options: SqliteStoreOptions,
  setting: string
): Effect.Effect<SqliteStore, StoreConfigError | Migrations.MigrationError, Scope.Scope> =>
  Effect.gen(function* () {
    const decoded = yield* Schema.decodeUnknown(Options)(options).pipe(
      Effect.mapError((error) => fail(setting, `SQLite 存储配置无效：${error.message}`, "invalid SQLite store options"))
    )
    const filename = decoded.filename
    const readonly = decoded.readonly ?? false
    const busyTimeout = yield* decodeDuration("busyTimeout", options.busyTimeout, Duration.seconds(5))
    const synchronous = decoded.synchronous ?? "NORMAL"
    const migrations = options.migrations ?? []
    if (readonly && migrations.length > 0) {
      return yield* fail(
        "readonly",
        "只读模式下不能执行数据库迁移：请去掉 migrations，或先由可写的进程完成迁移",
        "a read-only store cannot run migrations"
      )
    }

    if (!readonly) createPrivate(filename)
    const client = yield* SqliteClient.make({ filename, readonly, disableWAL: readonly }).pipe(
      Effect.provide(Reactivity.layer),
      Effect.catchAllDefect((defect) => Effect.fail(openError(setting, filename, readonly, defect)))
    )
    const settings = Effect.gen(function* () {
      yield* client.unsafe(`PRAGMA busy_timeout = ${Math.round(Duration.toMillis(busyTimeout))}`)
      yield* client`PRAGMA foreign_keys = ON`
      if (!readonly) yield* client.unsafe(`PRAGMA synchronous = ${synchronous}`)
      yield* client`SELECT 1`
      if (!readonly && filename !== ":memory:" && filename !== "") {
        // Fail now, not at the first command, when the file or its directory (for -wal and -shm)
        // cannot be written. (Probing with a write would wait on another writer's lock.)
        yield* Effect.try(() => {
          Fs.accessSync(filename, Fs.constants.W_OK)
          Fs.accessSync(Path.dirname(Path.resolve(filename)), Fs.constants.W_OK)
        })
      }
    })
    yield* settings.pipe(StoreLayer.mapStartFailure((error) => openError(setting, filename, readonly, error)))
    const [mode] = yield* client<{ readonly journal_mode: string }>`PRAGMA journal_mode`.pipe(Effect.orDie)
    if (!readonly && filename !== ":memory:" && mode?.journal_mode.toLowerCase() !== "wal") {
      yield* Effect.logWarning(
        `SQLite 未能启用 WAL 模式（当前 ${mode?.journal_mode}）：${filename} / WAL mode is not enabled`
      )
    }

    return yield* StoreLayer.start(client, migrations)
  })

/**
 * Opens (or creates) the database file, sets `journal_mode = WAL`, `busy_timeout`,
 * `foreign_keys = ON` and `synchronous`, checks that the file can be written, and runs the
 * migrations. Closes the file when the scope closes. A bad setting fails with
 * {@link StoreConfigError}; a failing migration with `MigrationError`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: SqliteStoreOptions
): Effect.Effect<SqliteStore, StoreConfigError | Migrations.MigrationError, Scope.Scope> =>
  makeWith(options, "filename")

/**
 * The store as a layer: `SqlClient`, the driver's `SqliteClient` (for `backup`) and the `Transactor`.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
 *
 * const StoreLive = SqliteStore.layer({ filename: "/var/lib/gongzhi/gongzhi.db", migrations: [] })
 */
export const layer = (
  options: SqliteStoreOptions
): Layer.Layer<
  SqlClient.SqlClient | SqliteClient.SqliteClient | Transactor.Transactor,
  StoreConfigError | Migrations.MigrationError
> => StoreLayer.layer(SqliteClient.SqliteClient, make(options))

/**
 * The settings read by {@link layerConfig}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SqliteStoreConfig {
  /** `sqlite:///absolute/path.db`, `sqlite:relative.db`, `file:/path.db` or `sqlite::memory:`. */
  readonly url: string
  readonly readonly: boolean
  readonly busyTimeoutMs: Option.Option<number>
  readonly synchronous: Option.Option<Synchronous>
}

/**
 * Reads the settings from the environment: `GONGZHI_DATABASE_URL` (required),
 * `GONGZHI_DATABASE_READONLY` (default false), `GONGZHI_SQLITE_BUSY_TIMEOUT_MS` (default 5000),
 * `GONGZHI_SQLITE_SYNCHRONOUS` (`NORMAL` or `FULL`, default `NORMAL`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<SqliteStoreConfig> = Config.all({
  url: Config.map(Config.redacted("GONGZHI_DATABASE_URL"), (url) => Redacted.value(url)),
  readonly: Config.withDefault(Config.boolean("GONGZHI_DATABASE_READONLY"), false),
  busyTimeoutMs: Config.option(
    Config.integer("GONGZHI_SQLITE_BUSY_TIMEOUT_MS").pipe(
      Config.validate({
        message: "应为非负整数（毫秒） / must be a non-negative integer (ms)",
        validation: (ms) => ms >= 0
      })
    )
  ),
  synchronous: Config.option(Config.literal("NORMAL", "FULL")("GONGZHI_SQLITE_SYNCHRONOUS"))
})

const URL_SETTING = "GONGZHI_DATABASE_URL"

/**
 * Turns a `GONGZHI_DATABASE_URL` value into a file name, or explains why it is not a SQLite URL.
 *
 * @since 0.1.0
 * @category constructors
 */
export const filenameFromUrl = (url: string): Either.Either<string, StoreConfigError> => {
  const parsed = parseUrl(url)
  switch (parsed._tag) {
    case "File":
      return Either.right(parsed.filename)
    case "OtherScheme":
      return Either.left(
        fail(
          URL_SETTING,
          `${URL_SETTING} 无效：协议 ${parsed.scheme}: 不是 SQLite（应为 sqlite:///路径/文件.db 或 file:/路径/文件.db）；使用 PostgreSQL 或 MySQL 请改用 @gongzhi/store-postgres 或 @gongzhi/store-mysql`,
          `${URL_SETTING} is not a SQLite URL (scheme ${parsed.scheme}:)`
        )
      )
    case "Invalid":
      return Either.left(
        fail(
          URL_SETTING,
          `${URL_SETTING} 无效：应为 sqlite:///路径/文件.db、file:/路径/文件.db 或 sqlite::memory:`,
          `${URL_SETTING} is not a valid SQLite URL`
        )
      )
  }
}

/**
 * The store configured from the environment (see {@link config}), or from the `Config` given.
 * Fails at start-up with one {@link StoreConfigError} naming the setting at fault.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
 *
 * // GONGZHI_DATABASE_URL=sqlite:///var/lib/gongzhi/gongzhi.db
 * const StoreLive = SqliteStore.layerConfig({ migrations: [] })
 */
export const layerConfig = (
  options: {
    readonly migrations?: ReadonlyArray<Migrations.ModuleMigrations> | undefined
    readonly config?: Config.Config<SqliteStoreConfig> | undefined
  } = {}
): Layer.Layer<
  SqlClient.SqlClient | SqliteClient.SqliteClient | Transactor.Transactor,
  StoreConfigError | Migrations.MigrationError
> =>
  StoreLayer.layerConfig({
    tag: SqliteClient.SqliteClient,
    config: options.config ?? config,
    urlExample: "sqlite:///var/lib/gongzhi/gongzhi.db",
    make: (settings) =>
      Effect.flatMap(filenameFromUrl(settings.url), (filename) =>
        makeWith(
          {
            filename,
            readonly: settings.readonly,
            migrations: options.migrations,
            busyTimeout: Option.getOrUndefined(Option.map(settings.busyTimeoutMs, Duration.millis)),
            synchronous: Option.getOrUndefined(settings.synchronous)
          },
          URL_SETTING
        )
      )
  })
