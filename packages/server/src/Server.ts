/**
 * The server of a district: `layer(options)` starts the HTTP API (`Api.Api`) on Node's HTTP server over the
 * services the SDK builds from the config (`Gongzhi.layer`), with the OpenAPI document at `/openapi.json`, Swagger
 * UI at `/docs`, staff bearer tokens (`TokenStore`) unless another `Authentication` layer is given, a
 * request-body limit (default 1 MB → 413), the `Limits` (per-IP and per-key rate limits, request timeout, JSON
 * depth), security headers and no CORS unless asked, and Open311 GeoReport v2 for 民情 under `/open311/v2`
 * (`POST requests` with one of `open311.apiKeys`). Releasing the layer's scope stops accepting connections, lets
 * in-flight requests finish and closes the store. `serve(options)` runs it until interrupted (Ctrl-C); `start`
 * gives the address (and the services) of a server that runs while a scope is open.
 *
 * @since 0.1.0
 */
import { createServer } from "node:http"
import { HttpApiBuilder, HttpApiSwagger, HttpServer } from "@effect/platform"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import * as Command from "@gongzhi/core/Command"
import * as Gongzhi from "@gongzhi/sdk/Gongzhi"
import type * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
import { type Context, Effect, Layer, type Scope } from "effect"
import { Api } from "./Api.js"
import * as ApiKeys from "./ApiKeys.js"
import type * as Authentication from "./Authentication.js"
import * as Handlers from "./internal/handlers.js"
import * as Http from "./internal/http.js"
import * as Open311Routes from "./internal/open311.js"
import * as RateLimit from "./internal/rateLimit.js"
import * as Limits from "./Limits.js"
import * as TokenStore from "./TokenStore.js"

/**
 * How to run the server.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerOptions {
  /** The district's configuration (as for `createGongzhi`). */
  readonly config: GongzhiConfig.GongzhiConfigInput
  /** Layers instead of the configured defaults (keys, real-name check, calendar), and `baseDir`. */
  readonly gongzhi?: Gongzhi.CreateOptions | undefined
  /** TCP port (default 8080; 0 picks a free one). */
  readonly port?: number | undefined
  /** Interface to listen on (default 127.0.0.1: loopback only). */
  readonly host?: string | undefined
  /** Largest accepted request body in bytes (default 1 MB). */
  readonly maxBodyBytes?: number | undefined
  /** Lets residents submit 民情 without a token (`POST /api/v1/opinion/reports` only; default false). */
  readonly anonymousIntake?: boolean | undefined
  /** Origins allowed to call the API from a browser (default none: CORS off). */
  readonly corsOrigins?: ReadonlyArray<string> | undefined
  /** Who the callers are (default: the in-memory `TokenStore` with `tokens`). */
  readonly authentication?: Layer.Layer<Authentication.Authentication, unknown> | undefined
  /** Stored tokens (`{ hash, actor }`, hashes only) for the default token store. */
  readonly tokens?: ReadonlyArray<unknown> | undefined
  /** Rate limits, request timeout and JSON depth (`Limits.Limits`; each has a default). */
  readonly limits?: Limits.LimitsInput | undefined
  /** Open311 GeoReport v2: the API keys of the clients that may post (`ApiKeys.ApiKey`, hashes only). */
  readonly open311?: { readonly apiKeys?: ReadonlyArray<unknown> | undefined } | undefined
}

/** The config with the Open311 roles added to the district's role table (a config that is not an object is left as
 * it is: the SDK layer refuses it). */
const withOpen311Roles = (config: GongzhiConfig.GongzhiConfigInput): GongzhiConfig.GongzhiConfigInput => {
  if (typeof config !== "object" || config === null || Array.isArray(config)) return config
  const own = (config as { roles?: unknown }).roles
  const roles = typeof own === "object" && own !== null ? own : {}
  return { ...config, roles: { ...roles, ...Open311Routes.roles } } as GongzhiConfig.GongzhiConfigInput
}

/**
 * The configuration's district code, or the empty string when the config is not an object (the SDK layer
 * then fails with `InvalidConfig`).
 */
const districtOf = (config: GongzhiConfig.GongzhiConfigInput): string => {
  const district = (config as { district?: { code?: unknown } }).district
  return typeof district?.code === "string" ? district.code : ""
}

const decodeLimits = Command.decode("服务限额", Limits.Limits)

/**
 * The running server as a layer: provides the `HttpServer` (whose `address` has the bound port) and, with the
 * default authentication, the {@link TokenStore.TokenStore} to issue and revoke tokens.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: ServerOptions
): Layer.Layer<HttpServer.HttpServer | TokenStore.TokenStore | Gongzhi.Services, unknown> =>
  Layer.unwrapEffect(
    Effect.map(
      Effect.all([decodeLimits(options.limits ?? {}), ApiKeys.decode(options.open311?.apiKeys ?? [])]),
      ([limits, apiKeys]) => build(options, limits, apiKeys)
    )
  )

const build = (
  options: ServerOptions,
  limits: Limits.Limits,
  apiKeys: ReadonlyArray<ApiKeys.ApiKey>
): Layer.Layer<HttpServer.HttpServer | TokenStore.TokenStore | Gongzhi.Services, unknown> => {
  const settings: Handlers.HandlerSettings = {
    district: districtOf(options.config),
    anonymousIntake: options.anonymousIntake ?? false
  }
  const perKey = limits.perKey === false ? undefined : RateLimit.make(limits.perKey)
  const services = Gongzhi.layer(withOpen311Roles(options.config), options.gongzhi ?? {})
  const tokens = TokenStore.layerMemory(options.tokens ?? [])
  const authentication: Layer.Layer<Authentication.Authentication | TokenStore.TokenStore, unknown> =
    options.authentication === undefined ? tokens : Layer.merge(options.authentication, tokens)
  const api = HttpApiBuilder.api(Api).pipe(
    Layer.provide(Layer.mergeAll(Handlers.health, Handlers.opinion(settings))),
    Layer.provide(Handlers.authenticated(settings))
  )
  const cors =
    options.corsOrigins === undefined || options.corsOrigins.length === 0
      ? Layer.empty
      : HttpApiBuilder.middlewareCors({ allowedOrigins: options.corsOrigins })
  const http = HttpApiBuilder.serve(
    Http.middleware({
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      requestTimeoutMs: limits.requestTimeoutMs,
      maxJsonDepth: limits.maxJsonDepth,
      perIp: limits.perIp === false ? undefined : RateLimit.make(limits.perIp),
      perKey
    })
  ).pipe(
    Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
    Layer.provide(Open311Routes.routes({ district: settings.district, apiKeys, perKey })),
    Layer.provide(cors),
    Layer.provide(api),
    HttpServer.withLogAddress,
    Layer.provideMerge(
      NodeHttpServer.layer(() => createServer(), { port: options.port ?? 8080, host: options.host ?? "127.0.0.1" })
    )
  )
  return http.pipe(Layer.provideMerge(Layer.merge(services, authentication))) as Layer.Layer<
    HttpServer.HttpServer | TokenStore.TokenStore | Gongzhi.Services,
    unknown
  >
}

/**
 * Starts the server in the current scope and gives its base URL (`http://127.0.0.1:<port>`) and the token store;
 * closing the scope stops it gracefully. For programs and demos that make a few requests and stop.
 *
 * @since 0.1.0
 * @category runners
 * @example
 * import { Effect } from "effect"
 * import * as Server from "@gongzhi/server/Server"
 *
 * declare const options: Server.ServerOptions
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const { url } = yield* Server.start({ ...options, port: 0 })
 *     return yield* Effect.promise(() => fetch(`${url}/open311/v2/services.json`).then((r) => r.json()))
 *   })
 * )
 */
export const start = (
  options: ServerOptions
): Effect.Effect<
  {
    readonly url: string
    readonly tokens: TokenStore.TokenStoreService
    /** The running services (the modules', the SQL client), e.g. to prepare data or check results. */
    readonly context: Context.Context<HttpServer.HttpServer | TokenStore.TokenStore | Gongzhi.Services>
  },
  unknown,
  Scope.Scope
> =>
  Effect.gen(function* () {
    const context = yield* Layer.build(layer(options))
    const server = yield* Effect.provide(HttpServer.HttpServer, context)
    const tokens = yield* Effect.provide(TokenStore.TokenStore, context)
    const address = server.address
    const host = address._tag === "TcpAddress" ? (address.hostname === "0.0.0.0" ? "127.0.0.1" : address.hostname) : ""
    return {
      url: address._tag === "TcpAddress" ? `http://${host.includes(":") ? `[${host}]` : host}:${address.port}` : "",
      tokens,
      context
    }
  })

/**
 * Runs the server until the process is interrupted (SIGINT/SIGTERM), then shuts down gracefully.
 *
 * @since 0.1.0
 * @category runners
 */
export const serve = (options: ServerOptions): void => NodeRuntime.runMain(Layer.launch(layer(options)))

/**
 * The server as an Effect that runs until interrupted (for programs composing it with others).
 *
 * @since 0.1.0
 * @category runners
 */
export const run = (options: ServerOptions): Effect.Effect<never, unknown> => Layer.launch(layer(options))
