/**
 * Tencent Cloud SMS (腾讯云短信, API 3.0 `SendSms`, version `2021-01-11`). A message is a POST of
 * JSON to `https://sms.tencentcloudapi.com/`:
 * `{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":…,"SignName":…,"TemplateId":…,
 * "TemplateParamSet":[…],"SessionContext":<idempotency key>}` with the headers `X-TC-Action: SendSms`,
 * `X-TC-Version`, `X-TC-Region`, `X-TC-Timestamp` and an `Authorization` signed with
 * TC3-HMAC-SHA256 (signature v3): the canonical request (method, `/`, empty query, the signed headers
 * `content-type;host;x-tc-action` with lower-case values, hex SHA-256 of the body) is hashed into
 * the string to sign `TC3-HMAC-SHA256\n<timestamp>\n<date>/sms/tc3_request\n<hash>`, signed with the
 * key derived as HMAC-SHA256 chain `"TC3" + SecretKey` → date → `sms` → `tc3_request`.
 *
 * Tencent answers `{"Response":{"SendStatusSet":[{"Code":"Ok","SerialNo":…}],"RequestId":…}}`, or
 * `{"Response":{"Error":{"Code":…,"Message":…}}}`. The per-number limits
 * (`LimitExceeded.PhoneNumberThirtySecondLimit`, `…OneHourLimit`, `…DailyLimit`,
 * `…SameContentDailyLimit`), `RequestLimitExceeded*` and `InternalError*` are retried later (the
 * delay follows the limit hit); a bad template, sign name, number, signature or key are dead.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { HttpClientRequest } from "@effect/platform"
import * as Notifier from "@gongzhi/core/Notifier"
import type { ConfigError, Redacted } from "effect"
import { Config, Effect, Layer } from "effect"
import type { Answer, Vendor } from "./internal/sms.js"
import {
  layerFromConfig,
  makeSms,
  plainString,
  redactedString,
  settingsConfig,
  untilChinaMidnight
} from "./internal/sms.js"
import { tc3 } from "./internal/tencent.js"
import type { SmsConfigError, SmsOptions, SmsSettings } from "./Sms.js"

/**
 * Options of the Tencent Cloud notifier: an API key pair (a CAM sub-user's, limited to
 * `sms:SendSms`), the SMS application's `SdkAppId` (`1400…`) and the shared {@link SmsOptions}.
 *
 * @since 0.1.0
 * @category models
 */
export interface TencentOptions extends SmsOptions {
  readonly secretId: Redacted.Redacted<string>
  readonly secretKey: Redacted.Redacted<string>
  readonly sdkAppId: string
}

/**
 * The API version sent as `X-TC-Version`.
 *
 * @since 0.1.0
 * @category models
 */
export const apiVersion = "2021-01-11"

const CONTENT_TYPE = "application/json; charset=utf-8"

/**
 * The `Authorization` header of a TC3-HMAC-SHA256 request to service `sms`, signing `content-type`,
 * `host` and `x-tc-action`.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import * as Tencent from "@gongzhi/notify-sms/Tencent"
 *
 * Tencent.authorization({
 *   secretId: "AKID…", secretKey: "…", timestamp: 1_765_000_000, host: "sms.tencentcloudapi.com",
 *   action: "SendSms", payload: "{}"
 * }) // "TC3-HMAC-SHA256 Credential=AKID…/2025-12-06/sms/tc3_request, SignedHeaders=…, Signature=…"
 */
export const authorization = (input: {
  readonly secretId: string
  readonly secretKey: string
  readonly timestamp: number
  readonly host: string
  readonly action: string
  readonly payload: string
}): string => {
  const signed = tc3({
    secretKey: input.secretKey,
    service: "sms",
    timestamp: input.timestamp,
    method: "POST",
    path: "/",
    query: "",
    headers: [
      ["content-type", CONTENT_TYPE],
      ["host", input.host],
      ["x-tc-action", input.action]
    ],
    payload: input.payload
  })
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${signed.scope}, SignedHeaders=${signed.signedHeaders}, Signature=${signed.signature}`
}

const PER_NUMBER_DELAYS: Readonly<Record<string, number | "midnight">> = {
  "LimitExceeded.PhoneNumberThirtySecondLimit": 30_000,
  "LimitExceeded.PhoneNumberOneHourLimit": 3_600_000,
  "LimitExceeded.PhoneNumberDailyLimit": "midnight",
  "LimitExceeded.PhoneNumberSameContentDailyLimit": "midnight",
  "LimitExceeded.DailyLimit": "midnight",
  "LimitExceeded.DeliveryFrequencyLimit": 60_000
}

const refusal = (code: string, message: string, now: number): Answer => {
  const delay = PER_NUMBER_DELAYS[code]
  if (delay !== undefined) {
    return {
      _tag: "Refused",
      code,
      message,
      retryable: true,
      retryAfterMillis: delay === "midnight" ? untilChinaMidnight(now) : delay
    }
  }
  if (code.startsWith("RequestLimitExceeded") || code.startsWith("InternalError") || code === "ServiceUnavailable") {
    return { _tag: "Refused", code, message, retryable: true, retryAfterMillis: 60_000 }
  }
  return { _tag: "Refused", code, message, retryable: false }
}

/** Tencent's answer (`Response.Error`, or the one `SendStatusSet` entry) as an outcome. */
export const classify = (json: unknown, now: number): Answer | undefined => {
  const response = (json as { Response?: unknown } | null)?.Response
  if (typeof response !== "object" || response === null) return undefined
  const { Error: error, SendStatusSet } = response as { Error?: unknown; SendStatusSet?: unknown }
  if (typeof error === "object" && error !== null) {
    const { Code, Message } = error as { Code?: unknown; Message?: unknown }
    if (typeof Code !== "string") return undefined
    return refusal(Code, typeof Message === "string" ? Message : "", now)
  }
  if (!Array.isArray(SendStatusSet) || SendStatusSet.length !== 1) return undefined
  const { Code, Message, SerialNo } = (SendStatusSet[0] ?? {}) as {
    Code?: unknown
    Message?: unknown
    SerialNo?: unknown
  }
  if (typeof Code !== "string") return undefined
  if (Code === "Ok") return { _tag: "Sent", messageId: typeof SerialNo === "string" ? SerialNo : undefined }
  return refusal(Code, typeof Message === "string" ? Message : "", now)
}

const vendor = (secretId: string, secretKey: string, sdkAppId: string): Vendor => ({
  label: "腾讯云短信",
  span: "TencentSms.send",
  defaultEndpoint: "https://sms.tencentcloudapi.com",
  defaultRegion: "ap-guangzhou",
  phoneNumber: (mobile) => `+86${mobile}`,
  request: ({ endpoint, idempotencyKey, nowMillis, phoneNumber, region, template }) => {
    const payload = JSON.stringify({
      PhoneNumberSet: [phoneNumber],
      SmsSdkAppId: sdkAppId,
      SignName: template.signName,
      TemplateId: template.id,
      TemplateParamSet: template.params.map((param) => param.value),
      SessionContext: idempotencyKey
    })
    const timestamp = Math.floor(nowMillis / 1000)
    return HttpClientRequest.post(new URL("/", endpoint)).pipe(
      HttpClientRequest.setHeaders({
        authorization: authorization({
          secretId,
          secretKey,
          timestamp,
          host: endpoint.host,
          action: "SendSms",
          payload
        }),
        "user-agent": "gongzhi-notify-sms/0.1",
        "x-tc-action": "SendSms",
        "x-tc-version": apiVersion,
        "x-tc-region": region,
        "x-tc-timestamp": String(timestamp)
      }),
      HttpClientRequest.bodyText(payload, CONTENT_TYPE)
    )
  },
  answer: classify
})

/**
 * Builds a Tencent Cloud SMS notifier (channel `"sms"` unless `channel` says otherwise) on the
 * `HttpClient` of the environment.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as Tencent from "@gongzhi/notify-sms/Tencent"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const sms = yield* Tencent.make({
 *     secretId: Redacted.make("AKID…"),
 *     secretKey: Redacted.make("…"),
 *     sdkAppId: "1400000000",
 *     signName: "坪山区总工会",
 *     templates: { "courses.enrolled": { id: "1110725", params: ["course", "date"] } }
 *   })
 *   return sms.channel // "sms"; send to recipient "+86 138 0013 8000"
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 */
export const make = (
  options: TencentOptions
): Effect.Effect<Notifier.NotifierShape, SmsConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const secretId = yield* redactedString(options.secretId, "secretId")
    const secretKey = yield* redactedString(options.secretKey, "secretKey")
    const sdkAppId = yield* plainString(options.sdkAppId, "sdkAppId", "短信应用 SdkAppId")
    return yield* makeSms(vendor(secretId, secretKey, sdkAppId), options, [secretId, secretKey])
  })

/**
 * The Tencent Cloud notifier as the `Notifier` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: TencentOptions): Layer.Layer<Notifier.Notifier, SmsConfigError, HttpClient.HttpClient> =>
  Layer.effect(Notifier.Notifier, make(options))

/**
 * The settings read from the environment: `GONGZHI_TENCENT_SMS_SECRET_ID` and
 * `GONGZHI_TENCENT_SMS_SECRET_KEY` (redacted), `GONGZHI_TENCENT_SMS_SDK_APP_ID`,
 * `GONGZHI_TENCENT_SMS_SIGN_NAME`, and optionally `GONGZHI_TENCENT_SMS_ENDPOINT`,
 * `GONGZHI_TENCENT_SMS_REGION`, `GONGZHI_TENCENT_SMS_TIMEOUT`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<
  Pick<TencentOptions, "secretId" | "secretKey" | "sdkAppId" | "signName"> & SmsSettings
> = settingsConfig(
  "TENCENT_SMS",
  Config.all({
    secretId: Config.redacted("GONGZHI_TENCENT_SMS_SECRET_ID"),
    secretKey: Config.redacted("GONGZHI_TENCENT_SMS_SECRET_KEY"),
    sdkAppId: Config.string("GONGZHI_TENCENT_SMS_SDK_APP_ID"),
    signName: Config.string("GONGZHI_TENCENT_SMS_SIGN_NAME")
  })
)

/**
 * The Tencent Cloud notifier with its credentials, app id and sign name from {@link config} and the
 * rest (templates, rate limits) from `options`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Omit<TencentOptions, "secretId" | "secretKey" | "sdkAppId" | "signName"> & Partial<TencentOptions>
): Layer.Layer<Notifier.Notifier, SmsConfigError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  layerFromConfig<TencentOptions>(config, options, make)
