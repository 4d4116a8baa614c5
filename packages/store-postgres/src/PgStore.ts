/**
 * Gongzhi storage on PostgreSQL (the scale-out engine), pooled through `@effect/sql-pg`. Provides the
 * `SqlClient`, the `Transactor`, and runs the migrations of the modules in use at start-up.
 *
 * @since 0.1.0
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import type { SqlClient } from "@effect/sql"
import * as PgClient from "@effect/sql-pg/PgClient"
import type * as Migrations from "@gongzhi/core/Migrations"
import type { StoreConfigError } from "@gongzhi/core/StoreConfig"
import * as StoreConfig from "@gongzhi/core/StoreConfig"
import * as StoreLayer from "@gongzhi/core/StoreLayer"
import type * as Transactor from "@gongzhi/core/Transactor"
import type { Scope } from "effect"
import { Config, Duration, Effect, Either, type Layer, Option, Redacted } from "effect"

/**
 * The store could not start because a setting is wrong (shared by every store: `@gongzhi/core/StoreConfig`).
 *
 * @since 0.1.0
 * @category errors
 */
export { StoreConfigError } from "@gongzhi/core/StoreConfig"

/**
 * Where to connect: either `url` (`postgres://user:password@host:5432/database?sslmode=require`) or
 * the separate fields.
 *
 * @since 0.1.0
 * @category models
 */
export interface PgStoreOptions {
  readonly url?: Redacted.Redacted | undefined
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly database?: string | undefined
  readonly username?: string | undefined
  readonly password?: Redacted.Redacted | undefined
  readonly ssl?: boolean | undefined
  /** Pool size. Default 10. */
  readonly maxConnections?: number | undefined
  /** How long to wait for a connection at start-up. Default 5 seconds. */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /**
   * The schema the store's tables live in (sets `search_path` on every connection). It must exist.
   * Default: the server's `search_path` (normally `public`).
   */
  readonly schema?: string | undefined
  /** The migrations of the modules in use, run at start-up. */
  readonly migrations?: ReadonlyArray<Migrations.ModuleMigrations> | undefined
  /** Shown in `pg_stat_activity`. Default `"gongzhi"`. */
  readonly applicationName?: string | undefined
}

/**
 * A started store.
 *
 * @since 0.1.0
 * @category models
 */
export interface PgStore extends StoreLayer.Started<PgClient.PgClient> {}

const fail = StoreConfig.invalid

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

interface Target {
  /** The connection string handed to the driver (with `options=-c search_path=…` when a schema is set). */
  readonly url: Redacted.Redacted
  /** `host:port`, for messages. */
  readonly address: string
  readonly database: string
  readonly secrets: ReadonlyArray<string>
}

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Parses or builds the connection string; never puts the password into an error. */
const resolveTarget = (
  options: Pick<PgStoreOptions, "url" | "host" | "port" | "database" | "username" | "password" | "schema">,
  setting: string,
  schemaSetting: string
): Either.Either<Target, StoreConfigError> => {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    return Either.left(
      fail(
        schemaSetting,
        `${schemaSetting} 无效：模式名应由字母、数字、下划线组成，且不以数字开头`,
        `${schemaSetting} must be a plain identifier (letters, digits, underscores)`
      )
    )
  }
  let url: URL
  if (options.url !== undefined) {
    const raw = Redacted.value(options.url).trim()
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw)?.[1]?.toLowerCase()
    if (scheme !== undefined && scheme !== "postgres" && scheme !== "postgresql") {
      return Either.left(
        fail(
          setting,
          `${setting} 无效：协议 ${scheme}: 不是 PostgreSQL（应为 postgres://用户:密码@主机:5432/数据库）`,
          `${setting} is not a PostgreSQL URL (scheme ${scheme}:)`
        )
      )
    }
    try {
      url = new URL(raw)
    } catch {
      return Either.left(
        fail(
          setting,
          `${setting} 无效：不是合法的 URL（应为 postgres://用户:密码@主机:5432/数据库）`,
          `${setting} is not a valid URL`
        )
      )
    }
    if (url.hostname === "" && !url.searchParams.has("host")) {
      return Either.left(
        fail(setting, `${setting} 无效：缺少主机名（postgres://用户:密码@主机:5432/数据库）`, `${setting} has no host`)
      )
    }
  } else {
    const host = options.host ?? "localhost"
    const user = options.username === undefined ? "" : encodeURIComponent(options.username)
    const password = options.password === undefined ? "" : `:${encodeURIComponent(Redacted.value(options.password))}`
    const hostPart = host.startsWith("/") ? encodeURIComponent(host) : host.includes(":") ? `[${host}]` : host
    try {
      url = new URL(
        `postgres://${user}${password}${user === "" && password === "" ? "" : "@"}${hostPart}:${options.port ?? 5432}/${encodeURIComponent(options.database ?? "")}`
      )
    } catch {
      return Either.left(fail(setting, `${setting} 无效：主机名或端口不合法`, `${setting}: invalid host or port`))
    }
  }
  if (options.schema !== undefined) {
    const existing = url.searchParams.get("options")
    const searchPath = `-c search_path=${options.schema}`
    url.searchParams.set("options", existing === null ? searchPath : `${existing} ${searchPath}`)
  }
  const host = url.hostname === "" ? (url.searchParams.get("host") ?? "localhost") : decode(url.hostname)
  const username = decode(url.username)
  const database = decode(url.pathname.replace(/^\//, "")) || username || "postgres"
  const password = decode(url.password)
  return Either.right({
    url: Redacted.make(url.toString()),
    address: `${host}:${url.port === "" ? "5432" : url.port}`,
    database,
    secrets: password === "" ? [] : [password, url.password]
  })
}

/** A start-up failure of the driver, told as a configuration problem. */
const connectError = (target: Target, setting: string, error: unknown): StoreConfigError =>
  StoreLayer.connectError(
    {
      engine: "PostgreSQL",
      address: target.address,
      database: target.database,
      secrets: target.secrets,
      noDatabaseCodes: ["3D000"],
      authenticationCodes: ["28P01", "28000"],
      authenticationHint: "该用户无权连接"
    },
    setting,
    error
  )

const decodeCount = StoreConfig.decodeCount

const decodeDuration = StoreConfig.decodeDuration

/** The names of the settings, for messages: option names, or environment variables. */
interface Settings {
  readonly url: string
  readonly maxConnections: string
  readonly connectTimeout: string
  readonly schema: string
}

const makeWith = (
  options: PgStoreOptions,
  settings: Settings
): Effect.Effect<PgStore, StoreConfigError | Migrations.MigrationError, Scope.Scope> =>
  Effect.gen(function* () {
    const target = yield* resolveTarget(options, settings.url, settings.schema)
    const maxConnections = yield* decodeCount(settings.maxConnections, options.maxConnections, 10)
    const connectTimeout = yield* decodeDuration(settings.connectTimeout, options.connectTimeout, Duration.seconds(5))
    const client = yield* PgClient.make({
      url: target.url,
      ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
      maxConnections,
      connectTimeout,
      applicationName: options.applicationName ?? "gongzhi"
    }).pipe(
      Effect.provide(Reactivity.layer),
      StoreLayer.mapStartFailure((error) => connectError(target, settings.url, error))
    )
    // Eager: a bad setting fails here, at start-up, not at the first command.
    yield* client`SELECT 1`.pipe(Effect.mapError((error) => connectError(target, settings.url, error)))
    if (options.schema !== undefined) {
      const found = yield* client<{ readonly present: number }>`SELECT 1 AS present FROM pg_namespace WHERE nspname = ${
        options.schema
      }`.pipe(Effect.mapError((error) => connectError(target, settings.url, error)))
      if (found.length === 0) {
        return yield* fail(
          settings.schema,
          `模式（schema）${options.schema} 在数据库 ${target.database} 中不存在，请先创建：CREATE SCHEMA ${options.schema}`,
          `schema "${options.schema}" does not exist`
        )
      }
    }
    return yield* StoreLayer.start(client, options.migrations)
  })

/**
 * Opens the pool, connects once (so that a wrong address, database or password fails here), checks
 * the schema, and runs the migrations. Closes the pool when the scope closes. A bad setting fails with
 * {@link StoreConfigError}; a failing migration with `MigrationError`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: PgStoreOptions
): Effect.Effect<PgStore, StoreConfigError | Migrations.MigrationError, Scope.Scope> =>
  makeWith(options, { ...StoreLayer.serverSettingNames("options", options), schema: "schema" })

/**
 * The store as a layer: `SqlClient`, the driver's `PgClient` and the `Transactor`.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { Redacted } from "effect"
 * import * as PgStore from "@gongzhi/store-postgres/PgStore"
 *
 * const StoreLive = PgStore.layer({
 *   url: Redacted.make("postgres://gongzhi:secret@127.0.0.1:5432/gongzhi"),
 *   maxConnections: 20,
 *   migrations: []
 * })
 */
export const layer = (
  options: PgStoreOptions
): Layer.Layer<
  SqlClient.SqlClient | PgClient.PgClient | Transactor.Transactor,
  StoreConfigError | Migrations.MigrationError
> => StoreLayer.layer(PgClient.PgClient, make(options))

/**
 * The settings read by {@link layerConfig}.
 *
 * @since 0.1.0
 * @category models
 */
export interface PgStoreConfig extends StoreLayer.ServerConfig {
  readonly schema: Option.Option<string>
}

/**
 * Reads the settings from the environment: `GONGZHI_DATABASE_URL` (required, secret),
 * `GONGZHI_DATABASE_MAX_CONNECTIONS` (default 10), `GONGZHI_DATABASE_CONNECT_TIMEOUT_MS` (default
 * 5000), `GONGZHI_DATABASE_SCHEMA` (optional), `GONGZHI_DATABASE_SSL` (optional boolean).
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<PgStoreConfig> = Config.all({
  ...StoreLayer.serverConfig,
  schema: Config.option(Config.string("GONGZHI_DATABASE_SCHEMA"))
})

/**
 * The store configured from the environment (see {@link config}), or from the `Config` given.
 * Fails at start-up with one {@link StoreConfigError} naming the setting at fault.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import * as PgStore from "@gongzhi/store-postgres/PgStore"
 *
 * // GONGZHI_DATABASE_URL=postgres://gongzhi:secret@db:5432/gongzhi GONGZHI_DATABASE_MAX_CONNECTIONS=20
 * const StoreLive = PgStore.layerConfig({ migrations: [] })
 */
export const layerConfig = (
  options: {
    readonly migrations?: ReadonlyArray<Migrations.ModuleMigrations> | undefined
    readonly config?: Config.Config<PgStoreConfig> | undefined
  } = {}
): Layer.Layer<
  SqlClient.SqlClient | PgClient.PgClient | Transactor.Transactor,
  StoreConfigError | Migrations.MigrationError
> =>
  StoreLayer.layerConfig({
    tag: PgClient.PgClient,
    config: options.config ?? config,
    urlExample: "postgres://gongzhi:密码@127.0.0.1:5432/gongzhi",
    make: (settings) =>
      makeWith(
        {
          ...StoreLayer.serverOptions(settings),
          schema: Option.getOrUndefined(settings.schema),
          migrations: options.migrations
        },
        { ...StoreLayer.serverSettingNames("environment"), schema: "GONGZHI_DATABASE_SCHEMA" }
      )
  })
