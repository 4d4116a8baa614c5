// The schemas of `AuditLog`: entries, verification results and the errors. Re-exported by
// `AuditLog.ts`, which documents them as its own.
import { Schema } from "effect"
import { TenantId } from "../Tenant.js"

/**
 * The hash that the first entry of a chain links to.
 *
 * @since 0.1.0
 * @category constructors
 */
export const GENESIS_HASH = "0".repeat(64)

/**
 * What is being recorded. `details` is JSON and must never hold plaintext personal data
 * (use masked values or blind indexes).
 *
 * @since 0.1.0
 * @category models
 */
export const NewAuditEntry = Schema.Struct({
  tenantId: TenantId,
  actorKind: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(32)),
  actorId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  action: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  targetType: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  targetId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  details: Schema.optionalWith(Schema.Unknown, { default: () => ({}) })
})

/**
 * @since 0.1.0
 * @category models
 */
export type NewAuditEntry = typeof NewAuditEntry.Encoded

/**
 * A stored audit entry with its place in the chain.
 *
 * @since 0.1.0
 * @category models
 */
export class AuditEntry extends Schema.Class<AuditEntry>("@gongzhi/core/AuditEntry")({
  tenantId: TenantId,
  sequence: Schema.Int,
  recordedAt: Schema.DateFromSelf,
  actorKind: Schema.String,
  actorId: Schema.String,
  action: Schema.String,
  targetType: Schema.String,
  targetId: Schema.String,
  details: Schema.Unknown,
  prevHash: Schema.String,
  hash: Schema.String,
  /** The audit key the hash is an HMAC under; "" for the public SHA-256 of an unkeyed chain. */
  keyId: Schema.optionalWith(Schema.String, { default: () => "" })
}) {}

/**
 * The result of {@link AuditLogShape.verify}: the chain is intact, or the first entry where it breaks
 * (`hash`: the entry's content does not match its hash or HMAC; `link`: it does not point at the
 * previous entry's hash; `gap`: a sequence number is missing; `key`: it is unkeyed where the chain
 * must be keyed, or names a key that is not configured; `checkpoint`: the chain no longer matches
 * the latest signed checkpoint — cut back or rewritten — or that checkpoint's signature is wrong).
 * `checkpoint` on `Intact` is the sequence of the checkpoint the chain was checked against.
 *
 * @since 0.1.0
 * @category models
 */
export type AuditVerification =
  | {
      readonly _tag: "Intact"
      readonly count: number
      readonly headHash: string
      readonly checkpoint?: number | undefined
    }
  | {
      readonly _tag: "Tampered"
      readonly sequence: number
      readonly reason: AuditTamperReason
      readonly message: string
    }

/**
 * @since 0.1.0
 * @category models
 */
export type AuditTamperReason = "hash" | "link" | "gap" | "key" | "checkpoint"

/**
 * @since 0.1.0
 * @category errors
 */
export class AuditInputError extends Schema.TaggedError<AuditInputError>("@gongzhi/core/AuditInputError")(
  "AuditInputError",
  { detail: Schema.String }
) {
  override get message(): string {
    return `审计记录参数无效：${this.detail}`
  }
}

/**
 * A bad audit key configuration (never names a key, only the setting and key id).
 *
 * @since 0.1.0
 * @category errors
 */
export class AuditKeyError extends Schema.TaggedError<AuditKeyError>("@gongzhi/core/AuditKeyError")("AuditKeyError", {
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail
  }
}

/**
 * A checkpoint was refused: the chain does not verify (nothing is signed then), or no keyring.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuditCheckpointError extends Schema.TaggedError<AuditCheckpointError>(
  "@gongzhi/core/AuditCheckpointError"
)("AuditCheckpointError", { detail: Schema.String }) {
  override get message(): string {
    return `无法生成审计检查点：${this.detail}`
  }
}
