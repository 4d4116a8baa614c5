/**
 * The tail every SQL store adapter shares, once the engine's driver is open: run the migrations and
 * build the `Transactor` on the driver's `SqlClient`, offer the store as a layer (`SqlClient`, the
 * driver's own tag and the `Transactor`), read the store's settings from a `Config`, and tell a
 * driver's start-up failure as a {@link StoreConfig.StoreConfigError}. A store supplies only how to
 * open its driver and the names of its settings.
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import type { ConfigError, Redacted, Scope } from "effect"
import { Cause, Config, Context, Duration, Effect, Layer, Option } from "effect"
import * as Migrations from "./Migrations.js"
import type { StoreConfigError } from "./StoreConfig.js"
import { configProblem, driverError, invalid, scrub, unreachableCodes } from "./StoreConfig.js"
import * as Transactor from "./Transactor.js"

/**
 * What a started store holds: the driver's client, the `Transactor` built on it and the migrations
 * applied at start-up.
 *
 * @since 0.1.0
 * @category models
 */
export interface Started<Client extends SqlClient.SqlClient> {
  readonly client: Client
  readonly transactor: Transactor.TransactorShape
  /** The migrations applied at start-up (empty when the database was up to date). */
  readonly applied: ReadonlyArray<Migrations.AppliedMigration>
}

/**
 * Runs `migrations` on the open `client`, then builds the `Transactor` (`Transactor.layerSql`) on it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = <Client extends SqlClient.SqlClient>(
  client: Client,
  migrations: ReadonlyArray<Migrations.ModuleMigrations> | undefined
): Effect.Effect<Started<Client>, Migrations.MigrationError, Scope.Scope> =>
  Effect.gen(function* () {
    const applied = yield* Migrations.run(migrations ?? [])
    const transactor = yield* Layer.build(Transactor.layerSql).pipe(Effect.map(Context.get(Transactor.Transactor)))
    return { client, transactor, applied }
  }).pipe(Effect.provideService(SqlClient.SqlClient, client))

/**
 * The services of a started store: the driver's own tag, `SqlClient` and the `Transactor`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toContext = <I, Client extends SqlClient.SqlClient>(
  tag: Context.Tag<I, Client>,
  store: Started<Client>
): Context.Context<I | SqlClient.SqlClient | Transactor.Transactor> =>
  Context.make(tag, store.client).pipe(
    Context.add(SqlClient.SqlClient, store.client),
    Context.add(Transactor.Transactor, store.transactor)
  )

/**
 * A store's `make` as a layer (see {@link toContext}); the driver is closed when the layer's scope closes.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <I, Client extends SqlClient.SqlClient, E>(
  tag: Context.Tag<I, Client>,
  make: Effect.Effect<Started<Client>, E, Scope.Scope>
): Layer.Layer<I | SqlClient.SqlClient | Transactor.Transactor, E> =>
  Layer.scopedContext(Effect.map(make, (store) => toContext(tag, store)))

/**
 * A missing or invalid setting, as a {@link StoreConfig.StoreConfigError} naming it; a missing
 * `GONGZHI_DATABASE_URL` shows `urlExample`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromConfigError = (error: ConfigError.ConfigError, urlExample: string): StoreConfigError => {
  const problem = configProblem(error)
  return problem.missing
    ? invalid(
        problem.setting,
        `${problem.setting} 未设置${problem.setting === "GONGZHI_DATABASE_URL" ? `，例如 ${urlExample}` : ""}`,
        `${problem.setting} is not set`
      )
    : invalid(problem.setting, `${problem.setting} 无效：${problem.message}`, `${problem.setting} is invalid`)
}

/**
 * A store's `layerConfig`: reads `config` (a bad setting fails with the
 * {@link StoreConfig.StoreConfigError} of {@link fromConfigError}), then starts the store from the settings.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = <Settings, I, Client extends SqlClient.SqlClient, E>(options: {
  readonly tag: Context.Tag<I, Client>
  readonly config: Config.Config<Settings>
  readonly urlExample: string
  readonly make: (settings: Settings) => Effect.Effect<Started<Client>, E, Scope.Scope>
}): Layer.Layer<I | SqlClient.SqlClient | Transactor.Transactor, E | StoreConfigError> =>
  layer(
    options.tag,
    Effect.flatMap(
      Effect.mapError(options.config, (error) => fromConfigError(error, options.urlExample)),
      options.make
    )
  )

/**
 * Turns any failure or defect of a start-up step into the {@link StoreConfig.StoreConfigError} that
 * `describe` gives for it (one error, the driver's message); an interruption stays an interruption.
 *
 * @since 0.1.0
 * @category combinators
 */
export const mapStartFailure =
  (describe: (error: unknown) => StoreConfigError) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, StoreConfigError, R> =>
    Effect.catchAllCause(self, (cause) =>
      Cause.isInterruptedOnly(cause)
        ? Effect.failCause(cause as Cause.Cause<never>)
        : Effect.fail(describe(Cause.squash(cause as Cause.Cause<unknown>)))
    )

/**
 * Where a networked store connects, and how its driver names the failures, for {@link connectError}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConnectTarget {
  /** The engine, as a clerk knows it: `PostgreSQL`, `MySQL/MariaDB`. */
  readonly engine: string
  /** `host:port`. */
  readonly address: string
  readonly database: string
  /** Passwords that a driver message must never show. */
  readonly secrets: ReadonlyArray<string>
  /** The driver's codes for "no such database". */
  readonly noDatabaseCodes: ReadonlyArray<string>
  /** The driver's codes for "authentication failed". */
  readonly authenticationCodes: ReadonlyArray<string>
  /** Ends the Chinese "authentication failed" sentence, e.g. `该用户无权连接`. */
  readonly authenticationHint: string
}

/**
 * A networked store's start-up failure told as a configuration problem of `setting`: no such
 * database, authentication failed, the server does not answer, or the driver's message (without the
 * password).
 *
 * @since 0.1.0
 * @category constructors
 */
export const connectError = (target: ConnectTarget, setting: string, error: unknown): StoreConfigError => {
  const driver = driverError(error)
  const code = typeof driver.code === "string" ? driver.code : undefined
  const raw =
    typeof driver.message === "string" && driver.message !== ""
      ? driver.message
      : error instanceof Error
        ? error.message
        : String(error)
  const text = scrub(raw, target.secrets)
  if (code !== undefined && target.noDatabaseCodes.includes(code)) {
    return invalid(
      setting,
      `数据库 ${target.database} 不存在（${target.address}，${setting}）`,
      `database "${target.database}" does not exist`
    )
  }
  if (code !== undefined && target.authenticationCodes.includes(code)) {
    return invalid(
      setting,
      `无法登录数据库 ${target.address}（${setting}）：用户名或密码错误，或${target.authenticationHint}`,
      `authentication failed: ${text}`
    )
  }
  if ((code !== undefined && unreachableCodes.has(code)) || /timed? ?out/i.test(text)) {
    return invalid(
      setting,
      `无法连接数据库 ${target.address}（${setting}）：服务器未响应，请确认 ${target.engine} 已启动、地址和端口正确`,
      `cannot connect to ${target.address}: ${code ?? text}`
    )
  }
  return invalid(
    setting,
    `无法连接数据库 ${target.address}（${setting}）：${code === undefined ? "" : `${code} `}${text}`,
    "cannot connect to the database"
  )
}

/**
 * The settings every networked store reads from the environment: `GONGZHI_DATABASE_URL` (required,
 * secret), `GONGZHI_DATABASE_MAX_CONNECTIONS`, `GONGZHI_DATABASE_CONNECT_TIMEOUT_MS` and
 * `GONGZHI_DATABASE_SSL`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerConfig {
  readonly url: Redacted.Redacted
  readonly maxConnections: Option.Option<number>
  readonly connectTimeoutMs: Option.Option<number>
  readonly ssl: Option.Option<boolean>
}

/**
 * The fields of {@link ServerConfig}, for a store's `Config.all` (which may add its own).
 *
 * @since 0.1.0
 * @category constructors
 */
export const serverConfig = {
  url: Config.redacted("GONGZHI_DATABASE_URL"),
  maxConnections: Config.option(Config.integer("GONGZHI_DATABASE_MAX_CONNECTIONS")),
  connectTimeoutMs: Config.option(Config.integer("GONGZHI_DATABASE_CONNECT_TIMEOUT_MS")),
  ssl: Config.option(Config.boolean("GONGZHI_DATABASE_SSL"))
} as const

/**
 * The options of a networked store's `make` given by a {@link ServerConfig}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serverOptions = (
  settings: ServerConfig
): {
  readonly url: Redacted.Redacted
  readonly maxConnections: number | undefined
  readonly connectTimeout: Duration.Duration | undefined
  readonly ssl: boolean | undefined
} => ({
  url: settings.url,
  maxConnections: Option.getOrUndefined(settings.maxConnections),
  connectTimeout: Option.getOrUndefined(Option.map(settings.connectTimeoutMs, Duration.millis)),
  ssl: Option.getOrUndefined(settings.ssl)
})

/**
 * The names a networked store's messages give its settings: the option names when started from
 * options (`host` when no `url` is given), the environment variables when started from the environment.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serverSettingNames = (
  from: "options" | "environment",
  options: { readonly url?: unknown } = {}
): { readonly url: string; readonly maxConnections: string; readonly connectTimeout: string } =>
  from === "environment"
    ? {
        url: "GONGZHI_DATABASE_URL",
        maxConnections: "GONGZHI_DATABASE_MAX_CONNECTIONS",
        connectTimeout: "GONGZHI_DATABASE_CONNECT_TIMEOUT_MS"
      }
    : {
        url: options.url === undefined ? "host" : "url",
        maxConnections: "maxConnections",
        connectTimeout: "connectTimeout"
      }
