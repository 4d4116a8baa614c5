import type { HttpClientRequest } from "@effect/platform"
import { HttpClient } from "@effect/platform"
import * as Mask from "@gongzhi/core/Mask"
import * as MobileNumber from "@gongzhi/core/MobileNumber"
import * as Notifier from "@gongzhi/core/Notifier"
import {
  classifyStatus,
  execute,
  invalidFields,
  invalidNotificationError,
  notifyError,
  parseHttpUrl,
  safeOrigin
} from "@gongzhi/core/NotifierHttp"
import type { ConfigError } from "effect"
import { Clock, Config, Duration, Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import type { RateLimit, SmsOptions, SmsSettings, SmsTemplate } from "../Sms.js"
import { defaultRateLimits, SmsConfigError } from "../Sms.js"
import { makeLimiter, type Window } from "./rateLimit.js"

/** A template with its sign name and parameter values, in order. */
export interface Filled {
  readonly id: string
  readonly signName: string
  readonly params: ReadonlyArray<{ readonly name: string; readonly value: string }>
}

/** What the vendor answered. */
export type Answer =
  | { readonly _tag: "Sent"; readonly messageId?: string | undefined }
  | {
      readonly _tag: "Refused"
      readonly code: string
      readonly message: string
      readonly retryable: boolean
      readonly retryAfterMillis?: number | undefined
    }

/** How one vendor shapes its requests and reads its answers. */
export interface Vendor {
  /** The vendor's name in messages, e.g. "阿里云短信". */
  readonly label: string
  readonly span: string
  readonly defaultEndpoint: string
  readonly defaultRegion: string
  /** The number as the vendor wants it (Alibaba: 11 digits; Tencent: E.164 `+86…`). */
  readonly phoneNumber: (mobile: MobileNumber.MobileNumber) => string
  readonly request: (input: {
    readonly endpoint: URL
    readonly region: string
    readonly phoneNumber: string
    readonly template: Filled
    readonly idempotencyKey: string
    readonly nowMillis: number
  }) => HttpClientRequest.HttpClientRequest
  /** The vendor's answer, or undefined when the body is not the vendor's shape. */
  readonly answer: (json: unknown, nowMillis: number) => Answer | undefined
}

const DEFAULT_TIMEOUT = Duration.seconds(10)

export const configError = (setting: string, message: string) => new SmsConfigError({ setting, message })

/** A non-empty Redacted string, or a configuration error naming `setting`. */
export const redactedString = (
  value: Redacted.Redacted<string> | undefined,
  setting: string
): Either.Either<string, SmsConfigError> =>
  value !== undefined &&
  Redacted.isRedacted(value) &&
  typeof Redacted.value(value) === "string" &&
  Redacted.value(value) !== ""
    ? Either.right(Redacted.value(value))
    : Either.left(configError(setting, "凭据必须为非空的 Redacted 字符串 / credential must be a non-empty Redacted"))

/** A non-empty plain string without control characters, or a configuration error. */
export const plainString = (value: unknown, setting: string, label: string): Either.Either<string, SmsConfigError> =>
  typeof value === "string" && value.trim() !== "" && ![...value].some((char) => char.charCodeAt(0) < 0x20)
    ? Either.right(value)
    : Either.left(configError(setting, `${label}不能为空 / ${setting} must be a non-empty string`))

interface Resolved {
  readonly channel: Notifier.Channel
  readonly endpoint: URL
  readonly region: string
  readonly timeout: Duration.Duration
  readonly signName: string
  readonly templates: ReadonlyMap<string, SmsTemplate>
  readonly defaultTemplate: SmsTemplate | undefined
  readonly windows: ReadonlyArray<Window>
}

const resolveTemplate = (template: SmsTemplate, setting: string): Either.Either<SmsTemplate, SmsConfigError> => {
  const id = plainString(template?.id, `${setting}.id`, "模板编号")
  if (Either.isLeft(id)) return Either.left(id.left)
  const params = template.params ?? []
  if (!Array.isArray(params) || params.some((name) => typeof name !== "string" || name === "")) {
    return Either.left(configError(`${setting}.params`, "模板参数名必须为非空字符串 / invalid parameter names"))
  }
  if (template.signName !== undefined) {
    const sign = plainString(template.signName, `${setting}.signName`, "短信签名")
    if (Either.isLeft(sign)) return Either.left(sign.left)
  }
  return Either.right(template)
}

const resolveWindows = (limits: ReadonlyArray<RateLimit>): Either.Either<ReadonlyArray<Window>, SmsConfigError> => {
  const windows: Array<Window> = []
  for (const [index, limit] of limits.entries()) {
    const window = Duration.decodeUnknown(limit?.window)
    if (
      !Number.isInteger(limit?.limit) ||
      limit.limit < 1 ||
      Option.isNone(window) ||
      !Duration.isFinite(window.value) ||
      Duration.toMillis(window.value) <= 0
    ) {
      return Either.left(
        configError(
          `rateLimits.${index}`,
          "频率限制须为正整数条数和正的时间窗口 / a rate limit needs a positive integer limit and a positive window"
        )
      )
    }
    windows.push({ limit: limit.limit, windowMillis: Duration.toMillis(window.value) })
  }
  return Either.right(windows)
}

const resolve = (vendor: Vendor, options: SmsOptions): Either.Either<Resolved, SmsConfigError> =>
  Either.gen(function* () {
    const channel = yield* Schema.decodeUnknownEither(Notifier.Channel)(options.channel ?? "sms").pipe(
      Either.mapLeft(() => configError("channel", "通知渠道名称应为小写字母、数字或连字符 / invalid channel name"))
    )
    const endpoint = parseHttpUrl(options.endpoint ?? vendor.defaultEndpoint)
    if (endpoint === undefined || endpoint.username !== "" || endpoint.password !== "" || endpoint.search !== "") {
      return yield* Either.left(configError("endpoint", "接口地址应为 http(s) URL / endpoint must be an http(s) URL"))
    }
    const region = yield* plainString(options.region ?? vendor.defaultRegion, "region", "地域")
    const timeout = Duration.decodeUnknown(options.timeout ?? DEFAULT_TIMEOUT)
    if (Option.isNone(timeout) || !Duration.isFinite(timeout.value) || Duration.toMillis(timeout.value) <= 0) {
      return yield* Either.left(configError("timeout", "超时时间必须为正数 / timeout must be a positive duration"))
    }
    const signName = yield* plainString(options.signName, "signName", "短信签名")
    const templates = new Map<string, SmsTemplate>()
    for (const [key, template] of Object.entries(options.templates ?? {})) {
      templates.set(key, yield* resolveTemplate(template, `templates.${key}`))
    }
    const defaultTemplate =
      options.defaultTemplate === undefined
        ? undefined
        : yield* resolveTemplate(options.defaultTemplate, "defaultTemplate")
    if (templates.size === 0 && defaultTemplate === undefined) {
      return yield* Either.left(
        configError("templates", "至少需要配置一个短信模板 / configure templates or a defaultTemplate")
      )
    }
    const windows = yield* resolveWindows(options.rateLimits ?? defaultRateLimits)
    return { channel, endpoint, region, timeout: timeout.value, signName, templates, defaultTemplate, windows }
  })

/** The value of parameter `name`: `data[name]`, else the subject or text body. */
const paramValue = (notification: Notifier.Notification, name: string): string | undefined => {
  const data = notification.data
  if (typeof data === "object" && data !== null && Object.hasOwn(data, name)) {
    const value = (data as Record<string, unknown>)[name]
    if (typeof value === "string" || typeof value === "boolean") return String(value)
    if (typeof value === "number" && Number.isFinite(value)) return String(value)
  }
  if (name === "subject") return notification.subject
  if (name === "text") return notification.body.text
  return undefined
}

/** Milliseconds from `nowMillis` to the next midnight in China (UTC+8), when daily limits reset. */
export const untilChinaMidnight = (nowMillis: number): number => {
  const day = 86_400_000
  const offset = 8 * 3_600_000
  return (Math.floor((nowMillis + offset) / day) + 1) * day - offset - nowMillis
}

/**
 * Makes a vendor's message safe to show: credentials and the number replaced, any other run of 7 or
 * more digits masked, line breaks removed, at most 200 characters.
 */
export const scrub = (text: string, sensitive: ReadonlyArray<string>): string => {
  let result = text
  for (const part of [...sensitive].filter((part) => part.length >= 4).sort((a, b) => b.length - a.length)) {
    result = result.split(part).join("***")
  }
  return result
    .replace(/\+?\d{7,}/g, (digits) => Mask.mobile(digits))
    .replace(/[\r\n]+/g, " ")
    .slice(0, 200)
}

/** Builds an SMS notifier for `vendor` on the `HttpClient` of the environment. */
export const makeSms = (
  vendor: Vendor,
  options: SmsOptions,
  credentials: ReadonlyArray<string>
): Effect.Effect<Notifier.NotifierShape, SmsConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const resolved = yield* resolve(vendor, options)
    const { channel } = resolved
    const origin = safeOrigin(resolved.endpoint)
    const limiter = makeLimiter(resolved.windows)
    // the client's own span would record the URL and headers; ours records the channel only
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.withTracerDisabledWhen(() => true),
      HttpClient.withScope
    )

    const failure = (
      reason: string,
      retryable: boolean,
      extra: { readonly status?: number; readonly retryAfterMillis?: number | undefined } = {}
    ) => notifyError(channel, reason, retryable, extra)

    const fill = (notification: Notifier.Notification): Either.Either<Filled, Notifier.NotifyError> => {
      const key = notification.templateId
      const template = (key === undefined ? undefined : resolved.templates.get(key)) ?? resolved.defaultTemplate
      if (template === undefined) {
        return Either.left(
          failure(`没有为通知模板「${key ?? ""}」配置短信模板 / no SMS template for this notification`, false)
        )
      }
      const params: Array<{ readonly name: string; readonly value: string }> = []
      for (const name of template.params ?? []) {
        const value = paramValue(notification, name)
        if (value === undefined) {
          return Either.left(failure(`短信模板参数「${name}」缺少取值 / template parameter has no value`, false))
        }
        params.push({ name, value })
      }
      return Either.right({ id: template.id, signName: template.signName ?? resolved.signName, params })
    }

    const send = (notification: Notifier.Notification): Effect.Effect<Notifier.Receipt, Notifier.NotifyError> =>
      Effect.gen(function* () {
        const invalid = invalidFields(notification)
        if (invalid !== undefined) return yield* invalidNotificationError(channel, invalid)
        const mobile = yield* MobileNumber.validate(notification.recipient).pipe(
          Effect.mapError(() => failure("接收方不是有效的手机号码 / recipient is not a valid mobile number", false))
        )
        const masked = Mask.mobile(mobile)
        const template = yield* fill(notification)
        const sensitive = [...credentials, mobile]
        const now = yield* Clock.currentTimeMillis
        const reservation = limiter.reserve(mobile, now)
        if (!reservation.ok) {
          yield* Effect.logDebug(`短信发送频率超限，稍后重试（${masked}）/ per-number rate limit, retry later`)
          return yield* failure(`号码 ${masked} 发送过于频繁，稍后重试 / per-number rate limit reached`, true, {
            retryAfterMillis: reservation.retryAfterMillis
          })
        }
        yield* Effect.logDebug(`发送短信（${masked}，模板 ${template.id}）/ sending SMS`)
        const request = vendor.request({
          endpoint: resolved.endpoint,
          region: resolved.region,
          phoneNumber: vendor.phoneNumber(mobile),
          template,
          idempotencyKey: notification.idempotencyKey,
          nowMillis: now
        })
        const answer = yield* Effect.gen(function* () {
          const response = yield* execute(client, request, { channel, origin, timeout: resolved.timeout })
          const status = response.status
          const json = yield* response.json.pipe(
            Effect.timeoutFail({
              duration: resolved.timeout,
              onTimeout: () => failure(`读取应答超时（${origin}）/ reading the answer timed out`, true)
            }),
            Effect.option
          )
          const parsed = Option.isSome(json) ? vendor.answer(json.value, yield* Clock.currentTimeMillis) : undefined
          if (parsed !== undefined) return { answer: parsed, status }
          const outcome = classifyStatus(status)
          return yield* failure(
            `${vendor.label}的应答无法识别（HTTP ${status}，${origin}）/ unexpected answer`,
            outcome !== "permanent",
            { status }
          )
        }).pipe(Effect.tapError(() => Effect.sync(reservation.release)))
        if (answer.answer._tag === "Refused") {
          const refused = answer.answer
          // the vendor did not send: the slot is free again
          reservation.release()
          yield* Effect.logDebug(
            `${vendor.label}拒绝发送（${masked}）：${refused.code} / vendor refused${refused.retryable ? ", will retry" : ""}`
          )
          return yield* failure(
            `${vendor.label}返回错误 ${scrub(refused.code, sensitive)}（${masked}）：${scrub(refused.message, sensitive)} / error`,
            refused.retryable,
            { status: answer.status, retryAfterMillis: refused.retryAfterMillis }
          )
        }
        return new Notifier.Receipt({
          channel,
          ...(answer.answer.messageId === undefined ? {} : { providerMessageId: answer.answer.messageId }),
          deliveredAt: new Date(yield* Clock.currentTimeMillis)
        })
      }).pipe(Effect.scoped, Effect.withSpan(vendor.span, { attributes: { "gongzhi.channel": channel } }))

    return { channel, send }
  })

type Settings = SmsSettings

/** `required` plus the optional `GONGZHI_${prefix}_ENDPOINT`, `…_REGION` and `…_TIMEOUT`. */
export const settingsConfig = <A>(prefix: string, required: Config.Config<A>): Config.Config<A & Settings> =>
  Config.all([
    required,
    Config.all({
      endpoint: Config.option(Config.string(`GONGZHI_${prefix}_ENDPOINT`)),
      region: Config.option(Config.string(`GONGZHI_${prefix}_REGION`)),
      timeout: Config.option(Config.duration(`GONGZHI_${prefix}_TIMEOUT`))
    })
  ]).pipe(
    Config.map(([settings, optional]) => ({
      ...settings,
      endpoint: Option.getOrUndefined(optional.endpoint),
      region: Option.getOrUndefined(optional.region),
      timeout: Option.getOrUndefined(optional.timeout)
    }))
  )

/** The notifier built by `make` from `options` with the settings of `config` over them. */
export const layerFromConfig = <O extends SmsOptions>(
  config: Config.Config<Partial<O> & Settings>,
  options: Partial<O>,
  make: (options: O) => Effect.Effect<Notifier.NotifierShape, SmsConfigError, HttpClient.HttpClient>
): Layer.Layer<Notifier.Notifier, SmsConfigError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    Notifier.Notifier,
    Effect.flatMap(config, (settings) =>
      make({
        ...options,
        ...settings,
        endpoint: settings.endpoint ?? options.endpoint,
        region: settings.region ?? options.region,
        timeout: settings.timeout ?? options.timeout
      } as O)
    )
  )
