/**
 * Gongzhi storage on MySQL 8 / MariaDB 10.6+ (common in government data centres), pooled through
 * `@effect/sql-mysql2`. Connections use `utf8mb4` (every Chinese character round-trips), read and
 * write `DATETIME` as UTC, and return `JSON` columns as text on MySQL and MariaDB alike. Provides the
 * `SqlClient`, the `Transactor`, and runs the migrations of the modules in use at start-up.
 *
 * @since 0.1.0
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import type { SqlClient } from "@effect/sql"
import * as MysqlClient from "@effect/sql-mysql2/MysqlClient"
import type * as Migrations from "@gongzhi/core/Migrations"
import type { StoreConfigError } from "@gongzhi/core/StoreConfig"
import * as StoreConfig from "@gongzhi/core/StoreConfig"
import * as StoreLayer from "@gongzhi/core/StoreLayer"
import type * as Transactor from "@gongzhi/core/Transactor"
import type { Scope } from "effect"
import { Config, Duration, Effect, Either, type Layer, Redacted } from "effect"

/**
 * The store could not start because a setting is wrong (shared by every store: `@gongzhi/core/StoreConfig`).
 *
 * @since 0.1.0
 * @category errors
 */
export { StoreConfigError } from "@gongzhi/core/StoreConfig"

/**
 * Where to connect: `url` (`mysql://user:password@host:3306/database`, `mariadb://` also accepted),
 * the separate fields, or both (the fields then override the URL's parts).
 *
 * @since 0.1.0
 * @category models
 */
export interface MysqlStoreOptions {
  readonly url?: Redacted.Redacted | undefined
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly database?: string | undefined
  readonly username?: string | undefined
  readonly password?: Redacted.Redacted | undefined
  /** Connect over TLS (verifying the server certificate). Default `false` (or `?ssl=true` in the URL). */
  readonly ssl?: boolean | undefined
  /** Pool size. Default 10. */
  readonly maxConnections?: number | undefined
  /** How long to wait for a connection. Default 5 seconds. */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /** The migrations of the modules in use, run at start-up. */
  readonly migrations?: ReadonlyArray<Migrations.ModuleMigrations> | undefined
}

/**
 * A started store.
 *
 * @since 0.1.0
 * @category models
 */
export interface MysqlStore extends StoreLayer.Started<MysqlClient.MysqlClient> {
  /** `VERSION()` of the server, e.g. `10.11.6-MariaDB` or `8.0.36`. */
  readonly serverVersion: string
}

const fail = StoreConfig.invalid

interface Target {
  readonly host: string
  readonly port: number
  readonly database: string
  readonly username: string | undefined
  readonly password: Redacted.Redacted | undefined
  readonly ssl: boolean
  readonly address: string
  readonly secrets: ReadonlyArray<string>
}

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

const EXAMPLE = "mysql://用户:密码@主机:3306/数据库"

const resolveTarget = (options: MysqlStoreOptions, setting: string): Either.Either<Target, StoreConfigError> => {
  let fromUrl: Partial<Omit<Target, "address" | "secrets">> = {}
  if (options.url !== undefined) {
    const raw = Redacted.value(options.url).trim()
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw)?.[1]?.toLowerCase()
    if (scheme !== undefined && scheme !== "mysql" && scheme !== "mariadb") {
      return Either.left(
        fail(
          setting,
          `${setting} 无效：协议 ${scheme}: 不是 MySQL/MariaDB（应为 ${EXAMPLE}）`,
          `${setting} is not a MySQL URL (scheme ${scheme}:)`
        )
      )
    }
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      return Either.left(
        fail(setting, `${setting} 无效：不是合法的 URL（应为 ${EXAMPLE}）`, `${setting} is not a valid URL`)
      )
    }
    if (url.hostname === "") {
      return Either.left(fail(setting, `${setting} 无效：缺少主机名（应为 ${EXAMPLE}）`, `${setting} has no host`))
    }
    const ssl = url.searchParams.get("ssl")
    fromUrl = {
      host: decode(url.hostname).replace(/^\[(.*)\]$/, "$1"),
      ...(url.port === "" ? {} : { port: Number(url.port) }),
      ...(url.pathname.length > 1 ? { database: decode(url.pathname.slice(1)) } : {}),
      ...(url.username === "" ? {} : { username: decode(url.username) }),
      ...(url.password === "" ? {} : { password: Redacted.make(decode(url.password)) }),
      ...(ssl === null ? {} : { ssl: ssl === "true" || ssl === "1" || ssl === "required" })
    }
  }
  const host = options.host ?? fromUrl.host ?? "localhost"
  const port = options.port ?? fromUrl.port ?? 3306
  const database = options.database ?? fromUrl.database
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    return Either.left(fail(setting, `${setting} 无效：端口应为 1 到 65535 之间的整数`, `${setting}: invalid port`))
  }
  if (database === undefined || database === "") {
    return Either.left(
      fail(setting, `${setting} 无效：缺少数据库名（应为 ${EXAMPLE}）`, `${setting} names no database`)
    )
  }
  const password = options.password ?? fromUrl.password
  return Either.right({
    host,
    port,
    database,
    username: options.username ?? fromUrl.username,
    password,
    ssl: options.ssl ?? fromUrl.ssl ?? false,
    address: `${host}:${port}`,
    secrets: password === undefined ? [] : [Redacted.value(password)]
  })
}

/** A start-up failure of the driver, told as a configuration problem. */
const connectError = (target: Target, setting: string, error: unknown): StoreConfigError =>
  StoreLayer.connectError(
    {
      engine: "MySQL/MariaDB",
      address: target.address,
      database: target.database,
      secrets: target.secrets,
      noDatabaseCodes: ["ER_BAD_DB_ERROR"],
      authenticationCodes: ["ER_ACCESS_DENIED_ERROR", "ER_DBACCESS_DENIED_ERROR", "ER_NOT_SUPPORTED_AUTH_MODE"],
      authenticationHint: `该用户无权访问数据库 ${target.database}`
    },
    setting,
    error
  )

const decodeCount = StoreConfig.decodeCount

const decodeDuration = StoreConfig.decodeDuration

/**
 * Is this `VERSION()` new enough (MySQL 8.0+, MariaDB 10.6+: both have `SKIP LOCKED`)?
 *
 * @since 0.1.0
 * @category models
 */
export const isSupportedVersion = (version: string): boolean => {
  const match = /^(\d+)\.(\d+)/.exec(version)
  if (match === null) return true // unknown format: let it try
  const major = Number(match[1])
  const minor = Number(match[2])
  return /mariadb/i.test(version) ? major > 10 || (major === 10 && minor >= 6) : major >= 8
}

/** The names of the settings, for messages: option names, or environment variables. */
interface Settings {
  readonly url: string
  readonly maxConnections: string
  readonly connectTimeout: string
}

const makeWith = (
  options: MysqlStoreOptions,
  settings: Settings
): Effect.Effect<MysqlStore, StoreConfigError | Migrations.MigrationError, Scope.Scope> =>
  Effect.gen(function* () {
    const target = yield* resolveTarget(options, settings.url)
    const maxConnections = yield* decodeCount(settings.maxConnections, options.maxConnections, 10)
    const connectTimeout = yield* decodeDuration(settings.connectTimeout, options.connectTimeout, Duration.seconds(5))
    const client = yield* MysqlClient.make({
      host: target.host,
      port: target.port,
      database: target.database,
      username: target.username,
      password: target.password,
      maxConnections,
      poolConfig: {
        // every character of Chinese text (4-byte ones included), UTF-8 on the wire
        charset: "utf8mb4_unicode_ci",
        // DATETIME values are read and written as UTC
        timezone: "Z",
        // JSON columns come back as text on MySQL 8 as they do on MariaDB (where JSON is LONGTEXT)
        jsonStrings: true,
        connectTimeout: Math.round(Duration.toMillis(connectTimeout)),
        // keep the pool's connections (the driver's default of 0 closes them after every use)
        maxIdle: maxConnections,
        ...(target.ssl ? { ssl: {} } : {})
      }
    }).pipe(
      Effect.provide(Reactivity.layer),
      Effect.timeoutFail({
        duration: connectTimeout,
        onTimeout: () => new Error("connection timed out")
      }),
      StoreLayer.mapStartFailure((error) => connectError(target, settings.url, error))
    )
    // Eager: a bad setting fails here, at start-up, not at the first command.
    const [server] = yield* client<{
      readonly version: string
      readonly charset: string
    }>`SELECT VERSION() AS version, @@character_set_connection AS charset`.pipe(
      Effect.mapError((error) => connectError(target, settings.url, error))
    )
    const serverVersion = String(server?.version ?? "")
    if (!isSupportedVersion(serverVersion)) {
      return yield* fail(
        settings.url,
        `数据库版本过旧：${serverVersion}（${target.address}），需要 MySQL 8.0 及以上或 MariaDB 10.6 及以上`,
        `server version ${serverVersion} is too old: MySQL 8.0+ or MariaDB 10.6+ is required`
      )
    }
    if (server?.charset !== "utf8mb4") {
      yield* Effect.logWarning(
        `MySQL 连接字符集为 ${server?.charset}，不是 utf8mb4 / connection charset is not utf8mb4`
      )
    }
    const started = yield* StoreLayer.start(client, options.migrations)
    return { ...started, serverVersion }
  })

/**
 * Opens the pool, connects once (so that a wrong address, database or password fails here), checks
 * the server version, and runs the migrations. Closes the pool when the scope closes. A bad setting
 * fails with {@link StoreConfigError}; a failing migration with `MigrationError`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: MysqlStoreOptions
): Effect.Effect<MysqlStore, StoreConfigError | Migrations.MigrationError, Scope.Scope> =>
  makeWith(options, StoreLayer.serverSettingNames("options", options))

/**
 * The store as a layer: `SqlClient`, the driver's `MysqlClient` and the `Transactor`.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { Redacted } from "effect"
 * import * as MysqlStore from "@gongzhi/store-mysql/MysqlStore"
 *
 * const StoreLive = MysqlStore.layer({
 *   url: Redacted.make("mysql://gongzhi:secret@127.0.0.1:3306/gongzhi"),
 *   maxConnections: 20,
 *   migrations: []
 * })
 */
export const layer = (
  options: MysqlStoreOptions
): Layer.Layer<
  SqlClient.SqlClient | MysqlClient.MysqlClient | Transactor.Transactor,
  StoreConfigError | Migrations.MigrationError
> => StoreLayer.layer(MysqlClient.MysqlClient, make(options))

/**
 * The settings read by {@link layerConfig}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MysqlStoreConfig extends StoreLayer.ServerConfig {}

/**
 * Reads the settings from the environment: `GONGZHI_DATABASE_URL` (required, secret),
 * `GONGZHI_DATABASE_MAX_CONNECTIONS` (default 10), `GONGZHI_DATABASE_CONNECT_TIMEOUT_MS` (default
 * 5000), `GONGZHI_DATABASE_SSL` (optional boolean).
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<MysqlStoreConfig> = Config.all(StoreLayer.serverConfig)

/**
 * The store configured from the environment (see {@link config}), or from the `Config` given.
 * Fails at start-up with one {@link StoreConfigError} naming the setting at fault.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import * as MysqlStore from "@gongzhi/store-mysql/MysqlStore"
 *
 * // GONGZHI_DATABASE_URL=mysql://gongzhi:secret@db:3306/gongzhi GONGZHI_DATABASE_MAX_CONNECTIONS=20
 * const StoreLive = MysqlStore.layerConfig({ migrations: [] })
 */
export const layerConfig = (
  options: {
    readonly migrations?: ReadonlyArray<Migrations.ModuleMigrations> | undefined
    readonly config?: Config.Config<MysqlStoreConfig> | undefined
  } = {}
): Layer.Layer<
  SqlClient.SqlClient | MysqlClient.MysqlClient | Transactor.Transactor,
  StoreConfigError | Migrations.MigrationError
> =>
  StoreLayer.layerConfig({
    tag: MysqlClient.MysqlClient,
    config: options.config ?? config,
    urlExample: "mysql://gongzhi:密码@127.0.0.1:3306/gongzhi",
    make: (settings) =>
      makeWith(
        { ...StoreLayer.serverOptions(settings), migrations: options.migrations },
        StoreLayer.serverSettingNames("environment")
      )
  })
