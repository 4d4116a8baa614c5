/**
 * Signed JSON webhooks (签名 Webhook 通知). Each notification is an HTTP POST of a JSON document to
 * the recipient URL, signed with HMAC-SHA256 over `timestamp + "." + body` so that the receiver can
 * check that it came from this system and was not replayed. The receiver side uses {@link verify}.
 *
 * Headers of every request:
 * - `X-Gongzhi-Timestamp`: Unix time in seconds when the attempt was made;
 * - `X-Gongzhi-Signature`: `v1=` + hex(HMAC-SHA256(secret, timestamp + "." + raw body));
 * - `Idempotency-Key`: the notification's idempotency key, the same on every attempt;
 * - `Content-Type: application/json; charset=utf-8`.
 *
 * Outcomes: 2xx delivered; 408, 425, 429 and 5xx retryable (with `Retry-After` honoured); other
 * statuses permanent; network errors and timeouts retryable.
 *
 * @since 0.1.0
 */
import { createHmac } from "node:crypto"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import * as Notifier from "@gongzhi/core/Notifier"
import {
  classifyStatus,
  execute,
  invalidFields,
  invalidNotificationError,
  notifyError,
  parseHttpUrl,
  parseRetryAfter,
  safeOrigin
} from "@gongzhi/core/NotifierHttp"
import type { StorageError } from "@gongzhi/core/StorageError"
import { TenantId } from "@gongzhi/core/Tenant"
import type { ConfigError } from "effect"
import { Clock, Config, Duration, Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import { constantTimeEqual, hmacSha256Hex } from "./internal/http.js"
import type { ReplayStoreShape } from "./Replay.js"

/**
 * Name of the header carrying the Unix time (seconds) of the attempt.
 *
 * @since 0.1.0
 * @category models
 */
export const TIMESTAMP_HEADER = "X-Gongzhi-Timestamp"

/**
 * Name of the header carrying the signature, `v1=<hex>`.
 *
 * @since 0.1.0
 * @category models
 */
export const SIGNATURE_HEADER = "X-Gongzhi-Signature"

/**
 * Name of the header carrying the idempotency key (the same on every attempt of a delivery).
 *
 * @since 0.1.0
 * @category models
 */
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"

/**
 * The JSON document a webhook receives. `idempotencyKey` identifies the notification: a receiver
 * that stores the keys it has processed sees each notification once, however often it is retried.
 * `sentAt` is the time of this attempt.
 *
 * @since 0.1.0
 * @category models
 */
export const WebhookPayload = Schema.Struct({
  type: Schema.Literal("gongzhi.notification"),
  idempotencyKey: Schema.String,
  tenantId: TenantId,
  channel: Schema.String,
  subject: Schema.String,
  text: Schema.String,
  markdown: Schema.optional(Schema.String),
  html: Schema.optional(Schema.String),
  templateId: Schema.optional(Schema.String),
  data: Schema.optional(Schema.Unknown),
  priority: Notifier.Priority,
  sentAt: Schema.Date
})

/**
 * @since 0.1.0
 * @category models
 */
export type WebhookPayload = typeof WebhookPayload.Type

/**
 * How to send webhooks. `secret` signs every request (at least 16 characters; share it with the
 * receiver out of band). `timeout` bounds one attempt (default 10 seconds). `headers` are added to
 * every request but cannot replace the signature, idempotency or content-type headers.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookOptions {
  readonly secret: Redacted.Redacted<string>
  readonly timeout?: Duration.DurationInput | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly userAgent?: string | undefined
  /** The channel name (default `"webhook"`), for applications that configure several webhook notifiers. */
  readonly channel?: string | undefined
}

/**
 * The webhook notifier could not start because an option is wrong. The message names the option,
 * never the secret.
 *
 * @since 0.1.0
 * @category errors
 */
export class WebhookConfigError extends Schema.TaggedError<WebhookConfigError>(
  "@gongzhi/notify-webhook/WebhookConfigError"
)("WebhookConfigError", {
  setting: Schema.String,
  message: Schema.String
}) {}

/**
 * Why a received webhook was rejected by {@link verify}.
 *
 * @since 0.1.0
 * @category models
 */
export const VerificationFailure = Schema.Literal(
  "MissingHeader",
  "MalformedHeader",
  "BadSignature",
  "TimestampOutOfRange",
  "MalformedPayload",
  "Replayed"
)

/**
 * @since 0.1.0
 * @category models
 */
export type VerificationFailure = typeof VerificationFailure.Type

const verificationMessages: Record<VerificationFailure, string> = {
  MissingHeader: "缺少签名或时间戳请求头 / missing signature or timestamp header",
  MalformedHeader: "签名或时间戳请求头格式错误 / malformed signature or timestamp header",
  BadSignature: "签名不正确 / bad signature",
  TimestampOutOfRange: "时间戳超出允许范围，可能是重放请求 / timestamp outside the tolerance (replay?)",
  MalformedPayload: "请求体不是有效的通知 JSON / body is not a valid notification document",
  Replayed: "该请求已收到过，拒绝重放 / this request was received before (replay)"
}

/**
 * A received webhook failed verification: reject it (e.g. answer 401 or 400).
 *
 * @since 0.1.0
 * @category errors
 */
export class WebhookVerificationError extends Schema.TaggedError<WebhookVerificationError>(
  "@gongzhi/notify-webhook/WebhookVerificationError"
)("WebhookVerificationError", {
  reason: VerificationFailure
}) {
  override get message(): string {
    return `Webhook 校验失败：${verificationMessages[this.reason]}`
  }
}

const DEFAULT_TIMEOUT = Duration.seconds(10)
const DEFAULT_USER_AGENT = "gongzhi-notify-webhook/0.1"
const CONTENT_TYPE = "application/json; charset=utf-8"
const RESERVED_HEADERS = new Set(
  ["content-type", "content-length", "host", TIMESTAMP_HEADER, SIGNATURE_HEADER, IDEMPOTENCY_KEY_HEADER].map((name) =>
    name.toLowerCase()
  )
)
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// biome-ignore lint/suspicious/noControlCharactersInRegex: header values must not carry control characters
const HEADER_VALUE = /^[^\u0000-\u0008\u000a-\u001f\u007f]*$/

/**
 * The signature of a request: `v1=` + hex(HMAC-SHA256(secret, `${timestamp}.${body}`)), where
 * `timestamp` is the value of the `X-Gongzhi-Timestamp` header and `body` the raw request body.
 * For receivers that want to check signatures themselves (or in another language).
 *
 * @since 0.1.0
 * @category combinators
 */
export const signature = (secret: Redacted.Redacted<string>, timestamp: string, body: string): string =>
  `v1=${hmacSha256Hex(Redacted.value(secret), `${timestamp}.${body}`)}`

interface ResolvedOptions {
  readonly secret: Redacted.Redacted<string>
  readonly timeout: Duration.Duration
  readonly headers: Readonly<Record<string, string>>
  readonly userAgent: string
  readonly channel: Notifier.Channel
}

const configError = (setting: string, message: string) => new WebhookConfigError({ setting, message })

const resolveOptions = (options: WebhookOptions): Either.Either<ResolvedOptions, WebhookConfigError> => {
  if (!Redacted.isRedacted(options.secret)) {
    return Either.left(configError("secret", "签名密钥必须以 Redacted 传入 / secret must be a Redacted value"))
  }
  const secret = Redacted.value(options.secret)
  if (typeof secret !== "string" || secret.length < 16) {
    return Either.left(
      configError("secret", "签名密钥至少 16 个字符 / the signing secret must have at least 16 characters")
    )
  }
  const timeout = Duration.decodeUnknown(options.timeout ?? DEFAULT_TIMEOUT)
  if (Option.isNone(timeout) || !Duration.isFinite(timeout.value) || Duration.toMillis(timeout.value) <= 0) {
    return Either.left(configError("timeout", "超时时间必须为正数 / timeout must be a positive duration"))
  }
  const headers = options.headers ?? {}
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name) || typeof value !== "string" || !HEADER_VALUE.test(value)) {
      return Either.left(configError("headers", `请求头 ${name} 无效 / invalid header ${name}`))
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      return Either.left(configError("headers", `请求头 ${name} 不能自定义 / header ${name} cannot be overridden`))
    }
  }
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT
  if (!HEADER_VALUE.test(userAgent) || userAgent === "") {
    return Either.left(configError("userAgent", "User-Agent 无效 / invalid user agent"))
  }
  const channel = Schema.decodeUnknownEither(Notifier.Channel)(options.channel ?? "webhook")
  if (Either.isLeft(channel)) {
    return Either.left(configError("channel", "通知渠道名称应为小写字母、数字或连字符 / invalid channel name"))
  }
  return Either.right({ secret: options.secret, timeout: timeout.value, headers, userAgent, channel: channel.right })
}

/**
 * Builds a webhook notifier on the `HttpClient` of the environment. Fails with a
 * {@link WebhookConfigError} when an option is wrong.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as Webhook from "@gongzhi/notify-webhook/Webhook"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const webhook = yield* Webhook.make({ secret: Redacted.make("a-long-random-secret-shared-with-the-receiver") })
 *   return webhook.channel // "webhook"
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 */
export const make = (
  options: WebhookOptions
): Effect.Effect<Notifier.NotifierShape, WebhookConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const resolved = yield* resolveOptions(options)
    const channel = resolved.channel
    // The client's own span would record the full URL, whose path or query may hold a token.
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.withTracerDisabledWhen(() => true),
      HttpClient.withScope
    )

    const failure = (
      reason: string,
      retryable: boolean,
      extra: { readonly status?: number; readonly retryAfterMillis?: number | undefined } = {}
    ) => notifyError(channel, reason, retryable, extra)

    const send = (notification: Notifier.Notification): Effect.Effect<Notifier.Receipt, Notifier.NotifyError> =>
      Effect.gen(function* () {
        const invalid = invalidFields(notification)
        if (invalid !== undefined) {
          return yield* invalidNotificationError(channel, invalid)
        }
        const url = parseHttpUrl(notification.recipient)
        if (url === undefined) {
          return yield* failure("接收地址不是有效的 http(s) URL / recipient is not an http(s) URL", false)
        }
        const origin = safeOrigin(url)
        const now = yield* Clock.currentTimeMillis
        const timestamp = String(Math.floor(now / 1000))
        const payload = {
          type: "gongzhi.notification",
          idempotencyKey: notification.idempotencyKey,
          tenantId: notification.tenantId,
          channel: notification.channel,
          subject: notification.subject,
          text: notification.body.text,
          markdown: notification.body.markdown,
          html: notification.body.html,
          templateId: notification.templateId,
          data: notification.data,
          priority: notification.priority,
          sentAt: new Date(now).toISOString()
        }
        const body = yield* Effect.try({
          try: () => JSON.stringify(payload),
          catch: () => failure("通知数据无法序列化为 JSON / notification data is not JSON-serialisable", false)
        })
        const request = HttpClientRequest.post(url).pipe(
          HttpClientRequest.setHeaders(resolved.headers),
          HttpClientRequest.setHeaders({
            "user-agent": resolved.userAgent,
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signature(resolved.secret, timestamp, body),
            [IDEMPOTENCY_KEY_HEADER]: notification.idempotencyKey
          }),
          HttpClientRequest.bodyText(body, CONTENT_TYPE)
        )
        const response = yield* execute(client, request, { channel, origin, timeout: resolved.timeout })
        const outcome = classifyStatus(response.status)
        if (outcome === "delivered") {
          const deliveredAt = yield* Clock.currentTimeMillis
          return new Notifier.Receipt({ channel, deliveredAt: new Date(deliveredAt) })
        }
        const status = response.status
        if (outcome === "retryable") {
          const retryAfterMillis = parseRetryAfter(response.headers["retry-after"], yield* Clock.currentTimeMillis)
          return yield* failure(`接收方暂时无法处理（HTTP ${status}，${origin}）/ receiver busy`, true, {
            status,
            retryAfterMillis
          })
        }
        return yield* failure(
          `接收方拒绝了通知（HTTP ${status}，${origin}）/ receiver rejected the notification`,
          false,
          {
            status
          }
        )
      }).pipe(Effect.scoped, Effect.withSpan("Webhook.send", { attributes: { "gongzhi.channel": channel } }))

    return { channel, send }
  })

/**
 * The webhook notifier as the `Notifier` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: WebhookOptions
): Layer.Layer<Notifier.Notifier, WebhookConfigError, HttpClient.HttpClient> =>
  Layer.effect(Notifier.Notifier, make(options))

/**
 * Reads the options from the environment: `GONGZHI_WEBHOOK_SECRET` (required, kept redacted),
 * `GONGZHI_WEBHOOK_TIMEOUT` (e.g. `10 seconds`, default 10 seconds), `GONGZHI_WEBHOOK_USER_AGENT`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<WebhookOptions> = Config.all({
  secret: Config.redacted("GONGZHI_WEBHOOK_SECRET"),
  timeout: Config.option(Config.duration("GONGZHI_WEBHOOK_TIMEOUT")),
  userAgent: Config.option(Config.string("GONGZHI_WEBHOOK_USER_AGENT"))
}).pipe(
  Config.map(
    ({ secret, timeout, userAgent }): WebhookOptions => ({
      secret,
      timeout: Option.getOrUndefined(timeout),
      userAgent: Option.getOrUndefined(userAgent)
    })
  )
)

/**
 * The webhook notifier configured from {@link config} (or the `Config` given).
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as Webhook from "@gongzhi/notify-webhook/Webhook"
 * import { Layer } from "effect"
 *
 * // GONGZHI_WEBHOOK_SECRET=… GONGZHI_WEBHOOK_TIMEOUT="5 seconds"
 * const NotifierLive = Webhook.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 */
export const layerConfig = (
  options: Config.Config<WebhookOptions> = config
): Layer.Layer<Notifier.Notifier, WebhookConfigError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(Notifier.Notifier, Effect.flatMap(options, make))

/**
 * Options of {@link verify}. `secret` may be a list while the sender rotates its secret: a signature
 * made with any of them is accepted. `toleranceSeconds` (default 300) bounds the difference between
 * the request's timestamp and the receiver's clock, in both directions.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerifyOptions {
  readonly secret: Redacted.Redacted<string> | ReadonlyArray<Redacted.Redacted<string>>
  /** A finite number of seconds, 0 to 86,400 (default 300). */
  readonly toleranceSeconds?: number | undefined
  /**
   * Refuses a request whose signature was accepted before within the window (reason `Replayed`):
   * see `Replay` for a memory and a SQL store. Without it a captured request can be replayed until
   * its timestamp leaves the window.
   */
  readonly replay?: ReplayStoreShape | undefined
}

/** Why the verify options are unusable, or undefined when they are fine. */
const verifyOptionsProblem = (options: VerifyOptions): WebhookConfigError | undefined => {
  const tolerance = options.toleranceSeconds ?? 300
  if (typeof tolerance !== "number" || !Number.isFinite(tolerance) || tolerance < 0 || tolerance > 86_400) {
    return new WebhookConfigError({
      setting: "toleranceSeconds",
      message:
        "时间戳容差应为 0 到 86400 之间的有限秒数 / toleranceSeconds must be a finite number of seconds, 0 to 86400"
    })
  }
  const secrets = Redacted.isRedacted(options.secret)
    ? [options.secret as Redacted.Redacted<string>]
    : Array.isArray(options.secret)
      ? (options.secret as ReadonlyArray<unknown>)
      : []
  if (
    secrets.length === 0 ||
    secrets.some((secret) => !Redacted.isRedacted(secret) || String(Redacted.value(secret)).trim().length === 0)
  ) {
    return new WebhookConfigError({
      setting: "secret",
      message: "签名密钥不能为空 / the webhook secret must not be empty"
    })
  }
  return undefined
}

/**
 * Request headers as a web `Headers` object or a Node.js `IncomingHttpHeaders`-like record.
 *
 * @since 0.1.0
 * @category models
 */
export type ReceivedHeaders =
  | { readonly get: (name: string) => string | null }
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

const headerValue = (headers: ReceivedHeaders, name: string): string | undefined => {
  if (typeof (headers as { readonly get?: unknown }).get === "function") {
    const value = (headers as { readonly get: (name: string) => string | null }).get(name)
    return value ?? undefined
  }
  const record = headers as Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  const lower = name.toLowerCase()
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === lower) {
      const value = record[key]
      return typeof value === "string" ? value : value?.[0]
    }
  }
  return undefined
}

const decodePayload = Schema.decodeUnknownEither(Schema.parseJson(WebhookPayload))

/**
 * The receiver side: checks a received webhook and decodes its payload. Rejects a missing or
 * malformed header, a signature that does not match (compared in constant time), a timestamp
 * outside the tolerance window (a replay), and a body that is not a notification document. Pass the
 * RAW body, exactly as received: re-serialised JSON does not match the signature.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import * as Webhook from "@gongzhi/notify-webhook/Webhook"
 * import { Effect, Redacted } from "effect"
 *
 * const check = Webhook.verify({ secret: Redacted.make("a-long-random-secret-shared-with-the-receiver") })
 *
 * // in your HTTP handler, with the raw body as a string or bytes:
 * const handle = (headers: Record<string, string>, rawBody: string) =>
 *   check(headers, rawBody).pipe(
 *     Effect.map((payload) => ({ status: 200, key: payload.idempotencyKey })),
 *     Effect.catchTag("WebhookVerificationError", () => Effect.succeed({ status: 401, key: undefined }))
 *   )
 */
export const verify = (
  options: VerifyOptions
): ((
  headers: ReceivedHeaders,
  rawBody: string | Uint8Array,
  now?: Date | number
) => Effect.Effect<WebhookPayload, WebhookVerificationError | WebhookConfigError | StorageError>) => {
  const problem = verifyOptionsProblem(options)
  return (headers, rawBody, now) =>
    Effect.gen(function* () {
      if (problem !== undefined) return yield* problem
      const reject = (reason: VerificationFailure) => new WebhookVerificationError({ reason })
      const timestamp = headerValue(headers, TIMESTAMP_HEADER)
      const signatureHeader = headerValue(headers, SIGNATURE_HEADER)
      if (timestamp === undefined || signatureHeader === undefined) return yield* reject("MissingHeader")
      if (!/^\d{1,12}$/.test(timestamp.trim())) return yield* reject("MalformedHeader")
      const candidates = signatureHeader
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part.startsWith("v1="))
        .map((part) => part.slice(3))
      if (candidates.length === 0 || candidates.some((candidate) => !/^[0-9a-f]{64}$/i.test(candidate))) {
        return yield* reject("MalformedHeader")
      }
      const body = typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : Buffer.from(rawBody)
      const secrets = Redacted.isRedacted(options.secret)
        ? [options.secret as Redacted.Redacted<string>]
        : (options.secret as ReadonlyArray<Redacted.Redacted<string>>)
      let matched: string | undefined
      for (const secret of secrets) {
        const expected = createHmac("sha256", Redacted.value(secret))
          .update(`${timestamp.trim()}.`, "utf8")
          .update(body)
          .digest("hex")
        for (const candidate of candidates) {
          // no early exit: every comparison is made
          if (constantTimeEqual(expected, candidate.toLowerCase())) matched = expected
        }
      }
      if (matched === undefined) return yield* reject("BadSignature")
      const nowMillis =
        now === undefined ? yield* Clock.currentTimeMillis : typeof now === "number" ? now : now.getTime()
      const tolerance = options.toleranceSeconds ?? 300
      if (Math.abs(Math.floor(nowMillis / 1000) - Number(timestamp.trim())) > tolerance) {
        return yield* reject("TimestampOutOfRange")
      }
      const payload = decodePayload(body.toString("utf8"))
      if (Either.isLeft(payload)) return yield* reject("MalformedPayload")
      if (options.replay !== undefined) {
        // remembered until the timestamp leaves the window (plus a second for the rounding)
        const expiresAt = (Number(timestamp.trim()) + tolerance + 1) * 1000
        if (!(yield* options.replay.remember(matched, expiresAt, nowMillis))) return yield* reject("Replayed")
      }
      return payload.right
    })
}
