/**
 * The server of a district: `layer(options)` starts the HTTP API (`Api.Api`) on Node's HTTP server over the
 * services the SDK builds from the config (`Gongzhi.layer`), with the OpenAPI document at `/openapi.json`, Swagger
 * UI at `/docs`, staff bearer tokens (`TokenStore`) unless another `Authentication` layer is given, a
 * request-body limit (default 1 MB → 413), security headers and no CORS unless asked. Releasing the layer's
 * scope stops accepting connections, lets in-flight requests finish and closes the store. `serve(options)`
 * runs it until interrupted (Ctrl-C).
 *
 * @since 0.1.0
 */
import { createServer } from "node:http"
import { HttpApiBuilder, HttpApiSwagger, HttpServer } from "@effect/platform"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import * as Gongzhi from "@gongzhi/sdk/Gongzhi"
import type * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
import { type Effect, Layer } from "effect"
import { Api } from "./Api.js"
import type * as Authentication from "./Authentication.js"
import * as Handlers from "./internal/handlers.js"
import * as Http from "./internal/http.js"
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
}

/**
 * The configuration's district code, or the empty string when the config is not an object (the SDK layer
 * then fails with `InvalidConfig`).
 */
const districtOf = (config: GongzhiConfig.GongzhiConfigInput): string => {
  const district = (config as { district?: { code?: unknown } }).district
  return typeof district?.code === "string" ? district.code : ""
}

/**
 * The running server as a layer: provides the `HttpServer` (whose `address` has the bound port) and, with the
 * default authentication, the {@link TokenStore.TokenStore} to issue and revoke tokens.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: ServerOptions
): Layer.Layer<HttpServer.HttpServer | TokenStore.TokenStore | Gongzhi.Services, unknown> => {
  const settings: Handlers.HandlerSettings = {
    district: districtOf(options.config),
    anonymousIntake: options.anonymousIntake ?? false
  }
  const services = Gongzhi.layer(options.config, options.gongzhi ?? {})
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
  const http = HttpApiBuilder.serve(Http.middleware({ maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024 })).pipe(
    Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
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
