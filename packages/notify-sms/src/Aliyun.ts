/**
 * Alibaba Cloud SMS (阿里云短信服务, Dysmsapi `SendSms`, version `2017-05-25`). A message is an RPC
 * call: a POST of form parameters to `https://dysmsapi.aliyuncs.com/` — the common parameters
 * (`AccessKeyId`, `Action=SendSms`, `Format=JSON`, `RegionId`, `SignatureMethod=HMAC-SHA1`,
 * `SignatureNonce` (a UUID), `SignatureVersion=1.0`, `Timestamp` (UTC, `2026-12-08T01:02:03Z`),
 * `Version`) and `PhoneNumbers` (11 digits, no `+86` for mainland numbers), `SignName`,
 * `TemplateCode`, `TemplateParam` (a JSON object of the template's `${name}` values) and `OutId`
 * (the idempotency key) — signed with signature v1: `Signature` =
 * base64(HMAC-SHA1(AccessKeySecret + "&", "POST&%2F&" + percentEncode(sorted, percent-encoded
 * `k=v&…`))). Parameters travel in the body, so numbers and texts stay out of URLs and access logs.
 *
 * Alibaba answers `{"Code":"OK","BizId":…}`. `isv.BUSINESS_LIMIT_CONTROL` (per-number minute, hour
 * and day limits), `isv.DAY_LIMIT_CONTROL`, `Throttling*`, `SignatureNonceUsed` and `isp.*` are
 * retried later (the delay follows the limit hit); a bad template, sign name, number, signature or
 * key, and every other `isv.*` code, are dead.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import type { HttpClient } from "@effect/platform"
import { HttpClientRequest } from "@effect/platform"
import * as Notifier from "@gongzhi/core/Notifier"
import type { ConfigError, Redacted } from "effect"
import { Config, Effect, Layer } from "effect"
import { canonicalQuery, percentEncode, signature, timestamp } from "./internal/aliyun.js"
import type { Answer, Vendor } from "./internal/sms.js"
import { layerFromConfig, makeSms, redactedString, settingsConfig, untilChinaMidnight } from "./internal/sms.js"
import type { SmsConfigError, SmsOptions, SmsSettings } from "./Sms.js"

/**
 * Options of the Alibaba Cloud notifier: an AccessKey pair (a RAM user's, with `dysms:SendSms`
 * only) and the shared {@link SmsOptions}.
 *
 * @since 0.1.0
 * @category models
 */
export interface AliyunOptions extends SmsOptions {
  readonly accessKeyId: Redacted.Redacted<string>
  readonly accessKeySecret: Redacted.Redacted<string>
}

/**
 * The API version sent as `Version`.
 *
 * @since 0.1.0
 * @category models
 */
export const apiVersion = "2017-05-25"

/**
 * The `Signature` parameter for a request with `params` (every parameter but `Signature`):
 * base64(HMAC-SHA1(secret + "&", method + "&%2F&" + percentEncode(canonical query))).
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import * as Aliyun from "@gongzhi/notify-sms/Aliyun"
 *
 * Aliyun.sign("testSecret", "POST", { Action: "SendSms", PhoneNumbers: "13800138000" })
 */
export const sign = (secret: string, method: string, params: Readonly<Record<string, string>>): string =>
  signature(secret, method, params)

const RETRY_LATER: Readonly<Record<string, number>> = {
  "isp.SYSTEM_ERROR": 60_000,
  "isp.GATEWAY_ERROR": 60_000,
  SignatureNonceUsed: 0,
  ServiceUnavailable: 60_000,
  InternalError: 60_000,
  Throttling: 60_000,
  "Throttling.User": 60_000,
  "Throttling.Api": 60_000
}

/** When `isv.BUSINESS_LIMIT_CONTROL` may be retried: after the window its message names. */
const businessLimitDelay = (message: string, now: number): number => {
  if (/天级|day/i.test(message)) return untilChinaMidnight(now)
  if (/小时级|hour/i.test(message)) return 3_600_000
  return 60_000
}

/** Alibaba's answer `{ Code, Message, BizId, RequestId }` as an outcome. */
export const classify = (json: unknown, now: number): Answer | undefined => {
  if (typeof json !== "object" || json === null) return undefined
  const { BizId, Code, Message } = json as { BizId?: unknown; Code?: unknown; Message?: unknown }
  if (typeof Code !== "string") return undefined
  if (Code === "OK") return { _tag: "Sent", messageId: typeof BizId === "string" ? BizId : undefined }
  const message = typeof Message === "string" ? Message : ""
  const refused = (retryable: boolean, retryAfterMillis?: number): Answer => ({
    _tag: "Refused",
    code: Code,
    message,
    retryable,
    retryAfterMillis
  })
  if (Code === "isv.BUSINESS_LIMIT_CONTROL") return refused(true, businessLimitDelay(message, now))
  if (Code === "isv.DAY_LIMIT_CONTROL") return refused(true, untilChinaMidnight(now))
  const delay = RETRY_LATER[Code]
  if (delay !== undefined) return refused(true, delay)
  if (Code.startsWith("isp.") || Code.startsWith("Throttling")) return refused(true, 60_000)
  return refused(false)
}

const vendor = (accessKeyId: string, accessKeySecret: string): Vendor => ({
  label: "阿里云短信",
  span: "AliyunSms.send",
  defaultEndpoint: "https://dysmsapi.aliyuncs.com",
  defaultRegion: "cn-hangzhou",
  phoneNumber: (mobile) => mobile,
  request: ({ endpoint, idempotencyKey, nowMillis, phoneNumber, region, template }) => {
    const params: Record<string, string> = {
      AccessKeyId: accessKeyId,
      Action: "SendSms",
      Format: "JSON",
      RegionId: region,
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: randomUUID(),
      SignatureVersion: "1.0",
      Timestamp: timestamp(nowMillis),
      Version: apiVersion,
      PhoneNumbers: phoneNumber,
      SignName: template.signName,
      TemplateCode: template.id,
      OutId: idempotencyKey
    }
    if (template.params.length > 0) {
      params.TemplateParam = JSON.stringify(Object.fromEntries(template.params.map((p) => [p.name, p.value])))
    }
    const body = `${canonicalQuery(params)}&Signature=${percentEncode(signature(accessKeySecret, "POST", params))}`
    return HttpClientRequest.post(new URL("/", endpoint)).pipe(
      HttpClientRequest.setHeader("user-agent", "gongzhi-notify-sms/0.1"),
      HttpClientRequest.acceptJson,
      HttpClientRequest.bodyText(body, "application/x-www-form-urlencoded")
    )
  },
  answer: classify
})

/**
 * Builds an Alibaba Cloud SMS notifier (channel `"sms"` unless `channel` says otherwise) on the
 * `HttpClient` of the environment.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as Aliyun from "@gongzhi/notify-sms/Aliyun"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const sms = yield* Aliyun.make({
 *     accessKeyId: Redacted.make("LTAI…"),
 *     accessKeySecret: Redacted.make("…"),
 *     signName: "坪山区总工会",
 *     templates: { "courses.enrolled": { id: "SMS_154950909", params: ["course", "date"] } }
 *   })
 *   return sms.channel // "sms"; send to recipient "13800138000"
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 */
export const make = (
  options: AliyunOptions
): Effect.Effect<Notifier.NotifierShape, SmsConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const accessKeyId = yield* redactedString(options.accessKeyId, "accessKeyId")
    const accessKeySecret = yield* redactedString(options.accessKeySecret, "accessKeySecret")
    return yield* makeSms(vendor(accessKeyId, accessKeySecret), options, [accessKeyId, accessKeySecret])
  })

/**
 * The Alibaba Cloud notifier as the `Notifier` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: AliyunOptions): Layer.Layer<Notifier.Notifier, SmsConfigError, HttpClient.HttpClient> =>
  Layer.effect(Notifier.Notifier, make(options))

/**
 * The settings read from the environment: `GONGZHI_ALIYUN_SMS_ACCESS_KEY_ID` and
 * `GONGZHI_ALIYUN_SMS_ACCESS_KEY_SECRET` (redacted), `GONGZHI_ALIYUN_SMS_SIGN_NAME`, and optionally
 * `GONGZHI_ALIYUN_SMS_ENDPOINT`, `GONGZHI_ALIYUN_SMS_REGION`, `GONGZHI_ALIYUN_SMS_TIMEOUT`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<Pick<AliyunOptions, "accessKeyId" | "accessKeySecret" | "signName"> & SmsSettings> =
  settingsConfig(
    "ALIYUN_SMS",
    Config.all({
      accessKeyId: Config.redacted("GONGZHI_ALIYUN_SMS_ACCESS_KEY_ID"),
      accessKeySecret: Config.redacted("GONGZHI_ALIYUN_SMS_ACCESS_KEY_SECRET"),
      signName: Config.string("GONGZHI_ALIYUN_SMS_SIGN_NAME")
    })
  )

/**
 * The Alibaba Cloud notifier with its credentials and sign name from {@link config} and the rest
 * (templates, rate limits) from `options`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Omit<AliyunOptions, "accessKeyId" | "accessKeySecret" | "signName"> & Partial<AliyunOptions>
): Layer.Layer<Notifier.Notifier, SmsConfigError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  layerFromConfig<AliyunOptions>(config, options, make)
