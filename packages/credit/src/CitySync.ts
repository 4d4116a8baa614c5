/**
 * The city link port (市区联动): how a district exchanges credit information with the city platform.
 * The district pushes the records and list decisions its own units found (发现/认定), the city
 * answers with an acknowledgement; the district pulls what the city publishes after a cursor. Both
 * directions carry {@link CityMessage}s: one version of one record or decision, identified by a
 * stable `key`, numbered by its finding unit (`version`) and fingerprinted (`hash`, SHA-256 of the
 * canonical JSON of `body`), so a repeated or reordered message is recognised and changes nothing.
 *
 * Two adapters implement it: `CitySyncHttp` (JSON over HTTPS, token-authenticated, retried with
 * backoff) and `CitySyncFiles` (an exchange directory of JSON Lines files with a manifest). The sync
 * itself (queue, cursor, the conflict rule) is `CityLink`.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import * as CanonicalJson from "@gongzhi/core/CanonicalJson"
import { TenantId } from "@gongzhi/core/Tenant"
import { Context, type Effect, Schema } from "effect"

/**
 * The level of the unit that found a record or decided a list entry: the district's own units, or the
 * city's (市级单位). Under the rule 「发现/认定单位的版本为准」 that unit's version prevails.
 *
 * @since 0.1.0
 * @category models
 */
export const FindingLevel = Schema.Literal("district", "city")

/**
 * @since 0.1.0
 * @category models
 */
export type FindingLevel = typeof FindingLevel.Type

/**
 * One version of one record (`kind: "record"`) or list decision (`kind: "decision"`).
 *
 * @since 0.1.0
 * @category models
 */
export const CityMessage = Schema.Struct({
  /** Stable identity, e.g. `record:440310:SCJG:PS-2026-001` or `decision:440310:<decision id>`. */
  key: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(300)),
  kind: Schema.Literal("record", "decision"),
  level: FindingLevel,
  /** The unit that found or decided it (a unit code, never a person). */
  findingUnit: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  /** Numbered by the finding side, from 1; a higher version replaces a lower one. */
  version: Schema.Int.pipe(Schema.positive()),
  /** SHA-256 (hex) of the canonical JSON of `body` ({@link hashBody}). */
  hash: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)),
  body: Schema.Record({ key: Schema.String, value: Schema.Unknown })
})

/**
 * @since 0.1.0
 * @category models
 */
export type CityMessage = typeof CityMessage.Type

/**
 * A batch pushed to the city. The idempotency key names the batch: a batch sent again under the
 * same key is acknowledged without being applied twice.
 *
 * @since 0.1.0
 * @category models
 */
export const PushBatch = Schema.Struct({
  tenantId: TenantId,
  idempotencyKey: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9._:-]{8,128}$/)),
  messages: Schema.Array(CityMessage).pipe(Schema.maxItems(1000))
})

/**
 * @since 0.1.0
 * @category models
 */
export type PushBatch = typeof PushBatch.Type

/**
 * The city's acknowledgement of a whole batch: how many messages it applied and how many it already
 * had (same key and version, or an older version).
 *
 * @since 0.1.0
 * @category models
 */
export const PushReceipt = Schema.Struct({
  applied: Schema.Int.pipe(Schema.nonNegative()),
  duplicates: Schema.Int.pipe(Schema.nonNegative())
})

/**
 * @since 0.1.0
 * @category models
 */
export type PushReceipt = typeof PushReceipt.Type

/**
 * A request for what the city published after `after` (no cursor: from the start).
 *
 * @since 0.1.0
 * @category models
 */
export const PullRequest = Schema.Struct({
  tenantId: TenantId,
  after: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  limit: Schema.Int.pipe(Schema.between(1, 1000))
})

/**
 * @since 0.1.0
 * @category models
 */
export type PullRequest = typeof PullRequest.Type

/**
 * One page: the messages (possibly repeated or out of order), the cursor after them, and whether more
 * follow.
 *
 * @since 0.1.0
 * @category models
 */
export const PullPage = Schema.Struct({
  messages: Schema.Array(Schema.Unknown),
  next: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  more: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type PullPage = typeof PullPage.Type

/**
 * Why the exchange with the city failed: `unavailable` (down, 5xx or timed out after the retries:
 * try again later), `rejected` (the city refused the request: credentials, a malformed batch),
 * `refused` (a file or answer the district will not take: half-written, corrupt, a bad checksum),
 * `config` (the adapter's settings).
 *
 * @since 0.1.0
 * @category models
 */
export const CityLinkFailure = Schema.Literal("unavailable", "rejected", "refused", "config")

/**
 * @since 0.1.0
 * @category models
 */
export type CityLinkFailure = typeof CityLinkFailure.Type

const failureLabels: Record<CityLinkFailure, string> = {
  unavailable: "市级平台暂时无法连接，请稍后重试",
  rejected: "市级平台拒绝了请求",
  refused: "区级平台拒收来自市级平台的数据",
  config: "市区联动配置有误"
}

/**
 * The typed error of the city link. `detail` names what failed (an HTTP status, a file name, a
 * setting), never personal data.
 *
 * @since 0.1.0
 * @category errors
 */
export class CityLinkError extends Schema.TaggedError<CityLinkError>("@gongzhi/credit/CityLinkError")("CityLinkError", {
  reason: CityLinkFailure,
  detail: Schema.String
}) {
  override get message(): string {
    return `${failureLabels[this.reason]}（${this.detail}）/ city link ${this.reason}: ${this.detail}`
  }
}

/**
 * The port.
 *
 * @since 0.1.0
 * @category models
 */
export interface CitySyncShape {
  /** Delivers one batch; succeeds only once the city has acknowledged all of it. */
  readonly push: (batch: PushBatch) => Effect.Effect<PushReceipt, CityLinkError>
  /** Reads the next page after a cursor; the messages are checked by the caller. */
  readonly pull: (request: PullRequest) => Effect.Effect<PullPage, CityLinkError>
}

/**
 * The port's tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class CitySync extends Context.Tag("@gongzhi/credit/CitySync")<CitySync, CitySyncShape>() {}

/**
 * SHA-256 (hex) of a text.
 *
 * @since 0.1.0
 * @category utils
 */
export const sha256 = (text: string | Uint8Array): string => createHash("sha256").update(text).digest("hex")

/**
 * The fingerprint of a message body: SHA-256 of its canonical JSON (`@gongzhi/core/CanonicalJson`).
 *
 * @since 0.1.0
 * @category utils
 * @example
 * import { CitySync } from "@gongzhi/credit"
 *
 * const body = { recordType: "ADMIN_PENALTY", state: "active" }
 * const message: CitySync.CityMessage = {
 *   key: "record:440310:SCJG:PS-001", kind: "record", level: "district", findingUnit: "SCJG",
 *   version: 1, hash: CitySync.hashBody(body), body
 * }
 */
export const hashBody = (body: Readonly<Record<string, unknown>>): string => sha256(CanonicalJson.stringify(body))

/**
 * Decodes and checks one message as received (shape and fingerprint); `undefined` when it is not one.
 *
 * @since 0.1.0
 * @category utils
 */
export const checkMessage = (raw: unknown): CityMessage | undefined => {
  const decoded = Schema.decodeUnknownOption(CityMessage)(raw)
  if (decoded._tag === "None") return undefined
  return hashBody(decoded.value.body) === decoded.value.hash ? decoded.value : undefined
}
