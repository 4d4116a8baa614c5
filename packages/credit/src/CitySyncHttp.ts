/**
 * The HTTP JSON adapter of the `CitySync` port (市区联动接口). The protocol, under a base URL:
 *
 * - `POST {base}/v1/districts/{tenantId}/batches` with headers `Authorization: Bearer <token>` and
 *   `Idempotency-Key: <batch key>`, body `{ "messages": [CityMessage…] }` → `200 { "applied": n,
 *   "duplicates": m }`. The city applies a key it has already seen once and answers the same receipt.
 * - `GET {base}/v1/districts/{tenantId}/records?after=<cursor>&limit=<n>` with the same
 *   `Authorization` → `200 { "messages": [CityMessage…], "next": "<cursor>", "more": true|false }`.
 *
 * Each attempt has a timeout; timeouts, transport failures, 408, 425, 429 and 5xx are retried with
 * exponential backoff, then fail as `CityLinkError` `unavailable`; other statuses fail at once as
 * `rejected`; an answer that is not the protocol's JSON fails as `refused`. The token arrives as a
 * `Redacted` value and never appears in errors, logs or spans (the client's own span, which records
 * the URL, is turned off).
 *
 * @since 0.1.0
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { classifyStatus } from "@gongzhi/core/NotifierHttp"
import { Config, type ConfigError, Duration, Effect, Layer, Redacted, Schedule, Schema } from "effect"
import { CityLinkError, CitySync, type CitySyncShape, PullPage, PushReceipt } from "./CitySync.js"

/**
 * The adapter's settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpOptions {
  /** The city platform's base URL (http or https), e.g. `https://credit.city.example/link`. */
  readonly baseUrl: string
  /** The district's access token issued by the city. */
  readonly token: Redacted.Redacted<string>
  /** Per attempt (default 10 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Retries after the first attempt (default 4). */
  readonly retries?: number | undefined
  /** The first backoff delay, doubled at each retry (default 500 ms). */
  readonly backoff?: Duration.DurationInput | undefined
}

const fail = (reason: CityLinkError["reason"], detail: string) => new CityLinkError({ reason, detail })

const decodeReceipt = Schema.decodeUnknown(PushReceipt)
const decodePage = Schema.decodeUnknown(PullPage)

/**
 * Builds the adapter on the `HttpClient` of the environment.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { CitySync, CitySyncHttp } from "@gongzhi/credit"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const city = yield* CitySyncHttp.make({ baseUrl: "https://credit.city.example/link", token: Redacted.make("…") })
 *   const page = yield* city.pull({ tenantId: "440310" as never, limit: 100 })
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 */
export const make = (options: HttpOptions): Effect.Effect<CitySyncShape, CityLinkError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    if (!Redacted.isRedacted(options.token)) {
      return yield* fail("config", "访问令牌必须以 Redacted 传入 / token must be a Redacted value")
    }
    const base = yield* Effect.try({
      try: () => new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`),
      catch: () => fail("config", "市级平台地址无效 / invalid base URL")
    })
    if (base.protocol !== "https:" && base.protocol !== "http:") {
      return yield* fail("config", "市级平台地址须为 http(s) / base URL must be http(s)")
    }
    const origin = base.origin
    const timeout = Duration.decode(options.timeout ?? "10 seconds")
    const retries = Math.max(0, options.retries ?? 4)
    const backoff = Duration.decode(options.backoff ?? "500 millis")
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.withTracerDisabledWhen(() => true),
      HttpClient.withScope
    )

    const send = <A>(
      request: HttpClientRequest.HttpClientRequest,
      decode: (body: unknown) => Effect.Effect<A, unknown>
    ): Effect.Effect<A, CityLinkError> =>
      Effect.gen(function* () {
        const response = yield* client
          .execute(request.pipe(HttpClientRequest.bearerToken(Redacted.value(options.token))))
          .pipe(Effect.mapError(() => fail("unavailable", `无法连接 ${origin} / transport failure`)))
        const outcome = classifyStatus(response.status)
        if (outcome === "retryable") return yield* fail("unavailable", `HTTP ${response.status}，${origin}`)
        if (outcome === "permanent") return yield* fail("rejected", `HTTP ${response.status}，${origin}`)
        const body = yield* response.json.pipe(
          Effect.mapError(() => fail("unavailable", `应答不完整 ${origin} / incomplete answer`))
        )
        return yield* decode(body).pipe(
          Effect.mapError(() => fail("refused", `应答格式不符 ${origin} / answer is not the protocol's JSON`))
        )
      }).pipe(
        Effect.scoped,
        Effect.timeoutFail({ duration: timeout, onTimeout: () => fail("unavailable", `超时 ${origin} / timed out`) }),
        Effect.retry({
          schedule: Schedule.exponential(backoff, 2),
          times: retries,
          while: (error) => error.reason === "unavailable"
        })
      )

    const districtUrl = (tenantId: string, path: string) => new URL(`v1/districts/${tenantId}/${path}`, base)

    return {
      push: (batch) =>
        send(
          HttpClientRequest.post(districtUrl(batch.tenantId, "batches")).pipe(
            HttpClientRequest.setHeader("idempotency-key", batch.idempotencyKey),
            HttpClientRequest.bodyText(JSON.stringify({ messages: batch.messages }), "application/json")
          ),
          decodeReceipt
        ).pipe(Effect.withSpan("CitySyncHttp.push", { attributes: { "gongzhi.tenant": batch.tenantId } })),
      pull: (request) => {
        const url = districtUrl(request.tenantId, "records")
        if (request.after !== undefined) url.searchParams.set("after", request.after)
        url.searchParams.set("limit", String(request.limit))
        return send(HttpClientRequest.get(url), decodePage).pipe(
          Effect.withSpan("CitySyncHttp.pull", { attributes: { "gongzhi.tenant": request.tenantId } })
        )
      }
    } satisfies CitySyncShape
  })

/**
 * The adapter as the `CitySync` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: HttpOptions): Layer.Layer<CitySync, CityLinkError, HttpClient.HttpClient> =>
  Layer.effect(CitySync, make(options))

/**
 * The adapter from configuration: `GONGZHI_CITY_URL` and `GONGZHI_CITY_TOKEN` (redacted).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (): Layer.Layer<CitySync, CityLinkError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    CitySync,
    Effect.flatMap(
      Config.all({ baseUrl: Config.string("GONGZHI_CITY_URL"), token: Config.redacted("GONGZHI_CITY_TOKEN") }),
      make
    )
  )
