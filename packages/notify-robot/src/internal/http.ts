import { createHmac } from "node:crypto"
import type { Notification } from "@gongzhi/core/Notifier"
import * as Notifier from "@gongzhi/core/Notifier"
import { Either, ParseResult, Schema } from "effect"

/** base64(HMAC-SHA256(key, message)), both UTF-8. */
export const hmacSha256Base64 = (key: string, message: string): string =>
  createHmac("sha256", key).update(message, "utf8").digest("base64")

/**
 * `Retry-After` as milliseconds from `nowMillis`: delta-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`). A date in the past means "now" (0); anything else is undefined.
 */
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

/** What an HTTP status means for a delivery. */
export type StatusOutcome = "delivered" | "retryable" | "permanent"

/** 2xx delivered; 408, 425, 429 and 5xx retryable; everything else (3xx, other 4xx) permanent. */
export const classifyStatus = (status: number): StatusOutcome => {
  if (status >= 200 && status < 300) return "delivered"
  if (status === 408 || status === 425 || status === 429 || status >= 500) return "retryable"
  return "permanent"
}

/** The URL of an http(s) recipient, or undefined when it is not one. */
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

/**
 * A URL shown in messages: scheme, host and port only. Paths and query strings of webhook URLs often
 * carry tokens, and user info carries passwords, so they are never shown.
 */
export const safeOrigin = (url: URL): string => `${url.protocol}//${url.host}`

const NotificationFields = Schema.Struct(Notifier.Notification.fields)
const validateFields = Schema.validateEither(NotificationFields, { errors: "all" })

/**
 * Checks a notification against its schema (it may have been built without validation). On failure,
 * the names of the invalid fields, never their values (a recipient may be a phone number).
 */
export const invalidFields = (notification: Notification): ReadonlyArray<string> | undefined => {
  const result = validateFields(notification)
  if (Either.isRight(result)) return undefined
  const issues = ParseResult.ArrayFormatter.formatErrorSync(result.left)
  const names = new Set(issues.map((issue) => (issue.path.length === 0 ? "notification" : issue.path.join("."))))
  return [...names]
}

/** The first string `code` (e.g. `ECONNREFUSED`) on an error's cause chain, without any message text. */
export const networkCode = (error: unknown): string | undefined => {
  let current: unknown = error
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { readonly code?: unknown }).code
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code
    current = (current as { readonly cause?: unknown }).cause
  }
  return undefined
}

/**
 * Cuts `text` to at most `maxBytes` bytes of UTF-8 without splitting a character, ending with "…"
 * when something was cut.
 */
export const truncateUtf8 = (text: string, maxBytes: number): string => {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text
  const ellipsis = "…"
  const budget = maxBytes - Buffer.byteLength(ellipsis, "utf8")
  let used = 0
  let result = ""
  for (const char of text) {
    const size = Buffer.byteLength(char, "utf8")
    if (used + size > budget) break
    used += size
    result += char
  }
  return result + ellipsis
}
