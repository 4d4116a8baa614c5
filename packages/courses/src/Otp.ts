/**
 * One-time SMS codes (短信验证码) for workers' self-registration: rate-limited per mobile number and
 * per client key (an IP-like key the caller gives), a limited number of attempts, a short lifetime,
 * and only a keyed hash of the code at rest. The pure rules are here ({@link canSend},
 * {@link issue}, {@link verify}); the code leaves through the {@link OtpSender} port — over core's
 * `Notifier` on channel `sms` ({@link layerNotifier}, where the SMS adapter plugs in), or captured in
 * memory for tests and demos ({@link makeCapture}).
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import * as Notifier from "@gongzhi/core/Notifier"
import type { TenantId } from "@gongzhi/core/Tenant"
import { TenantId as TenantIdSchema } from "@gongzhi/core/Tenant"
import { Context, Effect, Either, Layer, Schema } from "effect"
import { CodeRefused } from "./CourseErrors.js"

/**
 * The limits of one-time codes.
 *
 * @since 0.1.0
 * @category models
 */
export interface OtpPolicy {
  /** Digits of a code (default 6). */
  readonly digits: number
  /** Lifetime in seconds (default 300). */
  readonly ttlSeconds: number
  /** Wrong attempts before the code is void (default 5). */
  readonly maxAttempts: number
  /** Seconds between two codes to one number (default 60). */
  readonly resendSeconds: number
  /** Codes per number in 24 hours (default 10). */
  readonly perNumberPerDay: number
  /** Codes per client key in one hour (default 30). */
  readonly perClientPerHour: number
}

/**
 * The default policy.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultPolicy: OtpPolicy = {
  digits: 6,
  ttlSeconds: 300,
  maxAttempts: 5,
  resendSeconds: 60,
  perNumberPerDay: 10,
  perClientPerHour: 30
}

/**
 * What is kept per mobile number (by blind index) or per client key (by hash): the recent sends,
 * and for a number the current code's hash, expiry and wrong attempts.
 *
 * @since 0.1.0
 * @category models
 */
export class OtpRecord extends Schema.Class<OtpRecord>("@gongzhi/courses/OtpRecord")({
  id: Schema.String,
  tenantId: TenantIdSchema,
  kind: Schema.Literal("mobile", "client"),
  codeHash: Schema.optional(Schema.String),
  expiresAt: Schema.optional(Schema.Date),
  attempts: Schema.NonNegativeInt,
  sends: Schema.Array(Schema.Date)
}) {}

const DAY = 86_400_000
const HOUR = 3_600_000

/**
 * Whether one more code may be sent now for this record (`undefined`: nothing sent yet).
 *
 * @since 0.1.0
 * @category combinators
 */
export const canSend = (
  record: OtpRecord | undefined,
  now: Date,
  policy: OtpPolicy
): Either.Either<void, CodeRefused> => {
  if (record === undefined) return Either.void
  const t = now.getTime()
  if (record.kind === "client") {
    const recent = record.sends.filter((s) => t - s.getTime() < HOUR)
    return recent.length >= policy.perClientPerHour
      ? Either.left(new CodeRefused({ reason: "ClientLimit", retryAfterSeconds: 3600 }))
      : Either.void
  }
  const last = record.sends.at(-1)
  if (last !== undefined && t - last.getTime() < policy.resendSeconds * 1000) {
    return Either.left(
      new CodeRefused({
        reason: "TooSoon",
        retryAfterSeconds: Math.ceil((policy.resendSeconds * 1000 - (t - last.getTime())) / 1000)
      })
    )
  }
  const today = record.sends.filter((s) => t - s.getTime() < DAY)
  return today.length >= policy.perNumberPerDay
    ? Either.left(new CodeRefused({ reason: "NumberLimit", retryAfterSeconds: 86_400 }))
    : Either.void
}

/**
 * The record after a send (a new code's hash for a number; only the send for a client key). Sends
 * older than a day are dropped.
 *
 * @since 0.1.0
 * @category combinators
 */
export const issue = (
  record: OtpRecord | undefined,
  base: { readonly id: string; readonly tenantId: TenantId; readonly kind: "mobile" | "client" },
  codeHash: string | undefined,
  now: Date,
  policy: OtpPolicy
): OtpRecord =>
  new OtpRecord({
    ...base,
    codeHash,
    expiresAt: codeHash === undefined ? undefined : new Date(now.getTime() + policy.ttlSeconds * 1000),
    attempts: 0,
    sends: [...(record?.sends ?? []).filter((s) => now.getTime() - s.getTime() < DAY), now]
  })

/**
 * Checks a code's hash: `Right` with the record (code spent) when it matches, unexpired, with
 * attempts left; `Left` with the refusal and the record to keep (a wrong attempt counted, or the
 * code voided once attempts run out).
 *
 * @since 0.1.0
 * @category combinators
 */
export const verify = (
  record: OtpRecord | undefined,
  codeHash: string,
  now: Date,
  policy: OtpPolicy
): Either.Either<OtpRecord, { readonly refusal: CodeRefused; readonly record: OtpRecord | undefined }> => {
  if (record?.codeHash === undefined || record.expiresAt === undefined) {
    return Either.left({ refusal: new CodeRefused({ reason: "NoCode" }), record })
  }
  if (record.attempts >= policy.maxAttempts) {
    return Either.left({ refusal: new CodeRefused({ reason: "TooManyAttempts" }), record })
  }
  if (record.expiresAt.getTime() <= now.getTime()) {
    return Either.left({ refusal: new CodeRefused({ reason: "Expired" }), record })
  }
  if (record.codeHash !== codeHash) {
    const attempts = record.attempts + 1
    return Either.left({
      refusal: new CodeRefused({ reason: attempts >= policy.maxAttempts ? "TooManyAttempts" : "Wrong" }),
      record: new OtpRecord({ ...record, attempts })
    })
  }
  return Either.right(new OtpRecord({ ...record, codeHash: undefined, expiresAt: undefined, attempts: 0 }))
}

// ---------------------------------------------------------------------------------------------
// the sender port
// ---------------------------------------------------------------------------------------------

/**
 * Sends a code to a mobile number. The number is given in plain text only here, to the sender.
 *
 * @since 0.1.0
 * @category models
 */
export interface OtpSenderShape {
  readonly send: (message: {
    readonly tenantId: TenantId
    readonly mobile: string
    readonly code: string
    readonly ttlMinutes: number
  }) => Effect.Effect<void, Notifier.NotifyError>
}

/**
 * The sender port.
 *
 * @since 0.1.0
 * @category tags
 */
export class OtpSender extends Context.Tag("@gongzhi/courses/OtpSender")<OtpSender, OtpSenderShape>() {}

/**
 * The template id of the code message (for an SMS adapter that sends by template id and parameters).
 *
 * @since 0.1.0
 * @category constructors
 */
export const TEMPLATE_ID = "courses.otp"

/**
 * Sends codes through the `Notifier` in context, on its channel (e.g. `sms`), with template
 * {@link TEMPLATE_ID} and data `{ code, ttlMinutes }`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNotifier: Layer.Layer<OtpSender, never, Notifier.Notifier> = Layer.effect(
  OtpSender,
  Effect.map(Notifier.Notifier, (notifier) => ({
    send: ({ code, mobile, tenantId, ttlMinutes }) =>
      Effect.asVoid(
        notifier.send(
          new Notifier.Notification({
            tenantId,
            channel: notifier.channel,
            recipient: mobile,
            subject: "坪工学堂验证码",
            body: { text: `【坪工学堂】您的验证码是 ${code}，${ttlMinutes} 分钟内有效。请勿告诉他人。` },
            templateId: TEMPLATE_ID,
            data: { code, ttlMinutes },
            priority: "high",
            idempotencyKey: `${TEMPLATE_ID}:${tenantId}:${randomUUID()}`
          })
        )
      )
  }))
)

/**
 * A sender that keeps the last code per number in memory (tests and demos), with its layer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeCapture = (): {
  readonly layer: Layer.Layer<OtpSender>
  readonly lastCode: (mobile: string) => string | undefined
  readonly sent: () => number
} => {
  const codes = new Map<string, string>()
  let count = 0
  return {
    layer: Layer.succeed(OtpSender, {
      send: ({ code, mobile }) =>
        Effect.sync(() => {
          count++
          codes.set(mobile, code)
        })
    }),
    lastCode: (mobile) => codes.get(mobile),
    sent: () => count
  }
}
