/**
 * Shared pieces of HTTP notifiers (HTTP 通知渠道的公共部分): how an HTTP status and a `Retry-After`
 * header map onto a delivery outcome, which recipients are http(s) URLs, what of a URL may be shown
 * in a message, and which fields of a notification are invalid. The webhook and robot notifiers use
 * these, and {@link execute} to send, so that every HTTP channel answers the same way.
 *
 * @since 0.2.0
 */
import type { HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import type { HttpClientError } from "@effect/platform/HttpClientError"
import type { Duration, Effect } from "effect"
import * as internal from "./internal/notifierHttp.js"
import type { Notification, NotifyError } from "./Notifier.js"

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

/**
 * A `NotifyError` of `channel`; `status` and `retryAfterMillis` are set only when defined.
 *
 * @since 0.2.0
 * @category errors
 */
export const notifyError: (
  channel: string,
  reason: string,
  retryable: boolean,
  extra?: { readonly status?: number | undefined; readonly retryAfterMillis?: number | undefined }
) => NotifyError = internal.notifyError

/**
 * The permanent `NotifyError` for a notification whose fields (named in `invalid`, see
 * {@link invalidFields}) do not match its schema.
 *
 * @since 0.2.0
 * @category errors
 */
export const invalidNotificationError: (channel: string, invalid: ReadonlyArray<string>) => NotifyError =
  internal.invalidNotificationError

/**
 * Maps an `HttpClientError` onto a `NotifyError`: a request that could not be built is permanent; a
 * transport failure is retryable and names the network error code (never the message) and the
 * origin (see {@link safeOrigin}).
 *
 * @since 0.2.0
 * @category errors
 */
export const transportError: (channel: string, error: HttpClientError, origin: string) => NotifyError =
  internal.transportError

/**
 * Sends `request` with `client` within `timeout`. Transport errors become `NotifyError`s as in
 * {@link transportError}; a timeout is retryable. The response is returned whatever its status: classify
 * it with {@link classifyStatus} and read `Retry-After` with {@link parseRetryAfter}.
 *
 * @since 0.2.0
 * @category sending
 */
export const execute: <R>(
  client: HttpClient.HttpClient.With<HttpClientError, R>,
  request: HttpClientRequest.HttpClientRequest,
  options: { readonly channel: string; readonly origin: string; readonly timeout: Duration.DurationInput }
) => Effect.Effect<HttpClientResponse.HttpClientResponse, NotifyError, R> = internal.execute
