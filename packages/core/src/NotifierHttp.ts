/**
 * Shared pieces of HTTP notifiers (HTTP 通知渠道的公共部分): how an HTTP status and a `Retry-After`
 * header map onto a delivery outcome, which recipients are http(s) URLs, what of a URL may be shown
 * in a message, and which fields of a notification are invalid. The webhook and robot notifiers use
 * these so that every HTTP channel answers the same way.
 *
 * @since 0.2.0
 */
import * as internal from "./internal/notifierHttp.js"
import type { Notification } from "./Notifier.js"

/**
 * What an HTTP status means for a delivery.
 *
 * @since 0.2.0
 * @category models
 */
export type StatusOutcome = "delivered" | "retryable" | "permanent"

/**
 * Classifies an HTTP status: 2xx delivered; 408, 425, 429 and 5xx retryable; everything else (3xx,
 * other 4xx) permanent.
 *
 * @since 0.2.0
 * @category utils
 */
export const classifyStatus: (status: number) => StatusOutcome = internal.classifyStatus

/**
 * `Retry-After` as milliseconds from `nowMillis`: delta-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`). A date in the past means "now" (0); anything else is undefined.
 *
 * @since 0.2.0
 * @category utils
 */
export const parseRetryAfter: (value: string | undefined, nowMillis: number) => number | undefined =
  internal.parseRetryAfter

/**
 * The URL of an http(s) recipient, or undefined when it is not one (surrounding blanks, other
 * schemes and empty hosts are refused).
 *
 * @since 0.2.0
 * @category utils
 */
export const parseHttpUrl: (recipient: string) => URL | undefined = internal.parseHttpUrl

/**
 * A URL shown in messages: scheme, host and port only. Paths and query strings of webhook URLs often
 * carry tokens, and user info carries passwords, so they are never shown.
 *
 * @since 0.2.0
 * @category utils
 */
export const safeOrigin: (url: URL) => string = internal.safeOrigin

/**
 * Checks a notification against its schema (it may have been built without validation). On failure,
 * the names of the invalid fields, never their values (a recipient may be a phone number).
 *
 * @since 0.2.0
 * @category utils
 */
export const invalidFields: (notification: Notification) => ReadonlyArray<string> | undefined = internal.invalidFields

/**
 * The first string `code` (e.g. `ECONNREFUSED`) on an error's cause chain, without any message text.
 *
 * @since 0.2.0
 * @category utils
 */
export const networkCode: (error: unknown) => string | undefined = internal.networkCode
