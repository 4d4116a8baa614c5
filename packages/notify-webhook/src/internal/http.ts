import { createHmac, timingSafeEqual } from "node:crypto"
import type { Notification } from "@gongzhi/core/Notifier"
import * as Notifier from "@gongzhi/core/Notifier"
import { Either, ParseResult, Schema } from "effect"

/** HMAC-SHA256 of `message` under `key`, as lower-case hex. */
export const hmacSha256Hex = (key: string, message: string): string =>
  createHmac("sha256", key).update(message, "utf8").digest("hex")

/** Compares two strings in time independent of where they differ (lengths are not secret). */
export const constantTimeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a, "utf8")
  const right = Buffer.from(b, "utf8")
  if (left.length !== right.length) {
    // still spend the comparison, so a length mismatch is not faster to find than a wrong byte
    timingSafeEqual(left, left)
    return false
  }
  return timingSafeEqual(left, right)
}

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
