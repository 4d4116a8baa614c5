import type { HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import type { HttpClientError } from "@effect/platform/HttpClientError"
import { Duration, Effect, Either, ParseResult, Schema } from "effect"
import * as Notifier from "../Notifier.js"

export const parseRetryAfter = (value: string | undefined, nowMillis: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (trimmed === "") return undefined
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed)
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined
  }
  // HTTP dates always name a weekday and the GMT zone; refuse anything Date.parse might guess at
  if (!/^[A-Za-z]{3},\s/.test(trimmed) || !/GMT$/.test(trimmed)) return undefined
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMillis)
}

export type StatusOutcome = "delivered" | "retryable" | "permanent"

export const classifyStatus = (status: number): StatusOutcome => {
  if (status >= 200 && status < 300) return "delivered"
  if (status === 408 || status === 425 || status === 429 || status >= 500) return "retryable"
  return "permanent"
}

export const parseHttpUrl = (recipient: string): URL | undefined => {
  if (recipient.trim() !== recipient || recipient === "") return undefined
  try {
    const url = new URL(recipient)
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined
    if (url.hostname === "") return undefined
    return url
  } catch {
    return undefined
  }
}

export const safeOrigin = (url: URL): string => `${url.protocol}//${url.host}`

const NotificationFields = Schema.Struct(Notifier.Notification.fields)
const validateFields = Schema.validateEither(NotificationFields, { errors: "all" })

export const invalidFields = (notification: Notifier.Notification): ReadonlyArray<string> | undefined => {
  const result = validateFields(notification)
  if (Either.isRight(result)) return undefined
  const issues = ParseResult.ArrayFormatter.formatErrorSync(result.left)
  const names = new Set(issues.map((issue) => (issue.path.length === 0 ? "notification" : issue.path.join("."))))
  return [...names]
}

export const networkCode = (error: unknown): string | undefined => {
  let current: unknown = error
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { readonly code?: unknown }).code
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code
    current = (current as { readonly cause?: unknown }).cause
  }
  return undefined
}

export const notifyError = (
  channel: string,
  reason: string,
  retryable: boolean,
  extra: { readonly status?: number | undefined; readonly retryAfterMillis?: number | undefined } = {}
): Notifier.NotifyError =>
  new Notifier.NotifyError({
    channel,
    reason,
    retryable,
    ...(extra.status === undefined ? {} : { status: extra.status }),
    ...(extra.retryAfterMillis === undefined ? {} : { retryAfterMillis: extra.retryAfterMillis })
  })

export const invalidNotificationError = (channel: string, invalid: ReadonlyArray<string>): Notifier.NotifyError =>
  notifyError(channel, `通知内容无效（${invalid.join("、")}）/ invalid notification: ${invalid.join(", ")}`, false)

export const transportError = (channel: string, error: HttpClientError, origin: string): Notifier.NotifyError => {
  if (error._tag === "RequestError" && error.reason !== "Transport") {
    return notifyError(channel, `无法构造请求（${origin}）/ cannot build the request`, false)
  }
  const code = networkCode(error)
  return notifyError(
    channel,
    `网络错误，无法送达 ${origin}${code === undefined ? "" : `（${code}）`} / network error`,
    true
  )
}

export const execute = <R>(
  client: HttpClient.HttpClient.With<HttpClientError, R>,
  request: HttpClientRequest.HttpClientRequest,
  options: { readonly channel: string; readonly origin: string; readonly timeout: Duration.DurationInput }
): Effect.Effect<HttpClientResponse.HttpClientResponse, Notifier.NotifyError, R> => {
  const timeoutMillis = Duration.toMillis(options.timeout)
  return client.execute(request).pipe(
    Effect.mapError((error) => transportError(options.channel, error, options.origin)),
    Effect.timeoutFail({
      duration: options.timeout,
      onTimeout: () =>
        notifyError(options.channel, `请求超时（${timeoutMillis} 毫秒，${options.origin}）/ request timed out`, true)
    })
  )
}
