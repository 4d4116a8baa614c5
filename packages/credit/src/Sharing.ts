/**
 * The sharing interface (共享接口) for other bureaus, as a service the server exposes: every call carries
 * an API key (see `ServiceAccount`) and a mandatory purpose (用途) within the account's scope, is rate
 * limited per key (token bucket) and audited with who (the account), what (the operation and its
 * targets) and why (the purpose). Operations on `Credits`: `shareLookup` (a subject by USCC, or a
 * natural person by resident ID through the blind index), `shareCheck` / `shareCheckBatch` (核查: is
 * the subject on list L today? up to {@link MAX_BATCH} subjects a call), `shareRecords` (records by
 * category within their display windows) and `shareMeasureFeedback` (a measure the unit took).
 *
 * Repaired, expired and revoked records never leave through it; a record under objection leaves
 * marked 异议处理中. Every answer that carries records is written to the share log, and
 * `Credits.recipientsOf` names the units that received a subject's records (a repair notifies them).
 *
 * Rate limits use `@effect/experimental`'s `RateLimiter`: provide one (e.g. with its Redis store) to
 * share the buckets between processes; without one the service keeps them in its own memory (one
 * process: buckets restart with the process).
 *
 * @example
 * import type * as Credits from "@gongzhi/credit/Credits"
 * import type { TenantId } from "@gongzhi/core/Tenant"
 * import { Effect, Redacted } from "effect"
 *
 * declare const credits: Credits.Credits
 * declare const apiKey: Redacted.Redacted<string> // the X-Api-Key header
 * const check = credits.shareCheckBatch(apiKey, {
 *   tenantId: "440310" as TenantId,
 *   purpose: "政府采购资格审查",
 *   list: "seriousDishonesty",
 *   identifiers: ["91440300MA5FXXXX0X"]
 * })
 * const onList = Effect.map(check, (answer) => answer.results.filter((r) => r.onList))
 *
 * @since 0.2.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Schema } from "effect"
import { Polarity } from "./Catalogue.js"
import { ListEntry, ListKind } from "./CreditList.js"

/**
 * The largest batch check: 1,000 subjects a call.
 *
 * @since 0.2.0
 * @category models
 */
export const MAX_BATCH = 1000

/**
 * The label a record or entry under objection carries wherever it is shared.
 *
 * @since 0.2.0
 * @category models
 */
export const OBJECTION_MARK = "异议处理中"

/**
 * An API key that is not accepted: `unknown` (no such key, or a wrong secret), `revoked` (the key or
 * its account), `expired` (rotated out and past its grace period).
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidApiKey extends Schema.TaggedError<InvalidApiKey>("@gongzhi/credit/InvalidApiKey")("InvalidApiKey", {
  reason: Schema.Literal("unknown", "revoked", "expired")
}) {
  override get message(): string {
    return this.reason === "unknown"
      ? "接口密钥无效，请核对密钥 / unknown API key"
      : this.reason === "revoked"
        ? "接口密钥或服务账号已被注销，请联系平台管理员 / the API key or its account was revoked"
        : "接口密钥已轮换失效（宽限期已过），请使用新密钥 / the API key was rotated out and its grace period is over"
  }
}

/**
 * A call asks for something outside its account's scope: a purpose, a record type, a category or a list.
 *
 * @since 0.2.0
 * @category errors
 */
export class OutOfScope extends Schema.TaggedError<OutOfScope>("@gongzhi/credit/OutOfScope")("OutOfScope", {
  what: Schema.Literal("purpose", "recordType", "category", "list"),
  value: Schema.String
}) {
  override get message(): string {
    const label = { purpose: "用途", recordType: "信用信息类型", category: "信息类别", list: "名单" }[this.what]
    return `服务账号无权使用${label}「${this.value}」，超出授权范围 / ${this.what} ${this.value} is outside the account's scope`
  }
}

/**
 * A batch check of more subjects than {@link MAX_BATCH}.
 *
 * @since 0.2.0
 * @category errors
 */
export class BatchTooLarge extends Schema.TaggedError<BatchTooLarge>("@gongzhi/credit/BatchTooLarge")("BatchTooLarge", {
  size: Schema.Int,
  max: Schema.Int
}) {
  override get message(): string {
    return `批量核查一次最多 ${this.max} 个主体，收到 ${this.size} 个，请分批提交 / at most ${this.max} subjects per batch, got ${this.size}`
  }
}

/**
 * Too many calls with this key: try again after `retryAfterMs` milliseconds.
 *
 * @since 0.2.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>("@gongzhi/credit/RateLimited")("RateLimited", {
  retryAfterMs: Schema.Int,
  limit: Schema.Int,
  windowSeconds: Schema.Int
}) {
  override get message(): string {
    const seconds = Math.max(1, Math.ceil(this.retryAfterMs / 1000))
    return `调用过于频繁（每 ${this.windowSeconds} 秒最多 ${this.limit} 次），请 ${seconds} 秒后重试 / rate limited, retry after ${seconds} s`
  }
}

/**
 * What a sharing call tells about a subject: never the sealed identifier, only its masked form.
 *
 * @since 0.2.0
 * @category models
 */
export const SharedSubject = Schema.Struct({
  subjectId: Schema.String,
  kind: Schema.Literal("legalPerson", "individualBusiness", "naturalPerson"),
  name: Schema.String,
  creditCode: Schema.optional(Schema.String),
  maskedResidentId: Schema.optional(Schema.String)
})

/**
 * @since 0.2.0
 * @category models
 */
export type SharedSubject = typeof SharedSubject.Type

/**
 * A list entry as shared: marked 异议处理中 when a record behind it is under objection.
 *
 * @since 0.2.0
 * @category models
 */
export const SharedEntry = Schema.Struct({
  ...ListEntry.fields,
  objectionPending: Schema.Boolean,
  mark: Schema.optional(Schema.Literal(OBJECTION_MARK))
})

/**
 * @since 0.2.0
 * @category models
 */
export type SharedEntry = typeof SharedEntry.Type

/**
 * The answer for one identifier of a list check: `found` false when no subject holds it (or it is not
 * a valid identifier: `invalid` then says why, never repeating an ID number).
 *
 * @since 0.2.0
 * @category models
 */
export const CheckResult = Schema.Struct({
  identifier: Schema.String,
  found: Schema.Boolean,
  invalid: Schema.optional(Schema.String),
  subjectId: Schema.optional(Schema.String),
  onList: Schema.Boolean,
  entries: Schema.Array(SharedEntry)
})

/**
 * @since 0.2.0
 * @category models
 */
export type CheckResult = typeof CheckResult.Type

/**
 * The answer of a batch check.
 *
 * @since 0.2.0
 * @category models
 */
export const BatchCheck = Schema.Struct({
  list: ListKind,
  checkedOn: LocalDate.LocalDate,
  results: Schema.Array(CheckResult)
})

/**
 * @since 0.2.0
 * @category models
 */
export type BatchCheck = typeof BatchCheck.Type

/**
 * A record as shared: in use, displayed today, within the account's scope; `mark` 异议处理中 while an
 * objection is pending.
 *
 * @since 0.2.0
 * @category models
 */
export const SharedRecord = Schema.Struct({
  recordId: Schema.String,
  recordType: Schema.String,
  category: Schema.String,
  polarity: Polarity,
  tier: Schema.optional(Schema.String),
  documentNumber: Schema.optional(Schema.String),
  findingDate: LocalDate.LocalDate,
  displayEnds: Schema.optional(LocalDate.LocalDate),
  sourceUnitId: Schema.String,
  details: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  objectionPending: Schema.Boolean,
  mark: Schema.optional(Schema.Literal(OBJECTION_MARK))
})

/**
 * @since 0.2.0
 * @category models
 */
export type SharedRecord = typeof SharedRecord.Type

/**
 * A unit that received a subject's records through the sharing interface.
 *
 * @since 0.2.0
 * @category models
 */
export const Recipient = Schema.Struct({
  /** The account (service account id) that received them. */
  accountId: Schema.String,
  unit: Schema.String,
  recordIds: Schema.Array(Schema.String),
  lists: Schema.Array(ListKind),
  /** How many distinct answers (operation, list, set of records) were logged for this account. */
  times: Schema.Int,
  /** When the latest of them was first given. */
  lastSharedAt: Schema.Date
})

/**
 * @since 0.2.0
 * @category models
 */
export type Recipient = typeof Recipient.Type
