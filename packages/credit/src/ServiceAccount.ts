/**
 * Service accounts of the sharing interface (共享接口服务账号): a bureau or unit that queries the platform
 * with an API key. An account holds its scope (which record types or categories it may receive, which
 * lists it may check, for which purposes 用途) and its rate limit; its keys are stored only as the
 * SHA-256 of the key (the key itself is shown once, at creation or rotation), looked up by their
 * prefix. A rotated-out key stays valid until the end of its grace period; a revoked account or key is
 * refused at once. The operations are on `Credits` (`createServiceAccount`, `rotateApiKey`,
 * `revokeServiceAccount`, `share*`); the errors and views are in `Sharing`.
 *
 * @example
 * import * as ServiceAccount from "@gongzhi/credit/ServiceAccount"
 *
 * const scope: ServiceAccount.ShareScope = {
 *   categories: ["行政管理信息"],
 *   lists: ["seriousDishonesty"],
 *   purposes: ["政府采购资格审查"]
 * }
 * ServiceAccount.parseKey("gzk_0123456789ab_secret") // { prefix: "0123456789ab" }
 *
 * @since 0.2.0
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import type { Catalogue } from "./Catalogue.js"
import * as CatalogueModule from "./Catalogue.js"
import { ListKind } from "./CreditList.js"

const Text = (max: number) => Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(max))

/**
 * What an account may receive: record types and/or catalogue categories (neither given: every type the
 * catalogue lets be shared), the lists it may check, and the purposes it may state (at least one).
 *
 * @since 0.2.0
 * @category models
 */
export const ShareScope = Schema.Struct({
  recordTypes: Schema.optional(Schema.Array(Schema.NonEmptyTrimmedString)),
  categories: Schema.optional(Schema.Array(Schema.NonEmptyTrimmedString)),
  lists: Schema.Array(ListKind),
  purposes: Schema.NonEmptyArray(Text(100))
})

/**
 * @since 0.2.0
 * @category models
 */
export type ShareScope = typeof ShareScope.Type

/**
 * A token bucket per key: `limit` calls, refilled evenly over `windowSeconds`.
 *
 * @since 0.2.0
 * @category models
 */
export const RateLimit = Schema.Struct({
  limit: Schema.Int.pipe(Schema.between(1, 100_000)),
  windowSeconds: Schema.Int.pipe(Schema.between(1, 86_400))
})

/**
 * @since 0.2.0
 * @category models
 */
export type RateLimit = typeof RateLimit.Type

/**
 * The default rate limit: 60 calls a minute.
 *
 * @since 0.2.0
 * @category models
 */
export const defaultRateLimit: RateLimit = { limit: 60, windowSeconds: 60 }

/**
 * The status of an account.
 *
 * @since 0.2.0
 * @category models
 */
export const AccountStatus = Schema.Literal("active", "revoked")

/**
 * A service account of a bureau or unit.
 *
 * @since 0.2.0
 * @category models
 */
export class ServiceAccount extends Schema.Class<ServiceAccount>("@gongzhi/credit/ServiceAccount")({
  id: Schema.String,
  tenantId: TenantId,
  name: Schema.String,
  /** The receiving unit, named in feedback and in the share log (e.g. 坪山区住房和建设局). */
  unit: Schema.String,
  scope: ShareScope,
  rateLimit: RateLimit,
  status: AccountStatus,
  createdAt: Schema.Date,
  createdBy: Schema.String,
  revokedAt: Schema.optional(Schema.Date),
  revokedReason: Schema.optional(Schema.String)
}) {}

/**
 * A stored API key: its id is the key's prefix; only the SHA-256 of the whole key is kept.
 *
 * @since 0.2.0
 * @category models
 */
export class ApiKey extends Schema.Class<ApiKey>("@gongzhi/credit/ApiKey")({
  id: Schema.String,
  tenantId: TenantId,
  accountId: Schema.String,
  hash: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)),
  createdAt: Schema.Date,
  /** Set when the key is rotated out: the key is refused from then on. */
  expiresAt: Schema.optional(Schema.Date),
  revokedAt: Schema.optional(Schema.Date)
}) {}

/**
 * What an account received about a subject (共享记录): the records (or the list entry and the records
 * behind it), so that a repair can notify the units that received a record. One entry per account,
 * subject, operation, list and set of records ({@link shareLogId}): giving the same answer again adds
 * nothing (`sharedAt` and `purpose` are those of the first time; every call is in the audit log).
 *
 * @since 0.2.0
 * @category models
 */
export class ShareLogEntry extends Schema.Class<ShareLogEntry>("@gongzhi/credit/ShareLogEntry")({
  id: Schema.String,
  tenantId: TenantId,
  accountId: Schema.String,
  unit: Schema.String,
  subjectId: Schema.String,
  operation: Schema.Literal("listCheck", "records"),
  list: Schema.optional(ListKind),
  recordIds: Schema.Array(Schema.String),
  purpose: Schema.String,
  sharedAt: Schema.Date
}) {}

/**
 * The id of a share-log entry: a digest of who received what (account, subject, operation, list,
 * records), so that the same answer is logged once.
 *
 * @since 0.2.0
 * @category constructors
 */
export const shareLogId = (entry: {
  readonly accountId: string
  readonly subjectId: string
  readonly operation: string
  readonly list?: string | undefined
  readonly recordIds: ReadonlyArray<string>
}): string =>
  `SL-${createHash("sha256")
    .update(
      [entry.accountId, entry.subjectId, entry.operation, entry.list ?? "", ...[...entry.recordIds].sort()].join(
        "\u0000"
      )
    )
    .digest("hex")
    .slice(0, 32)}`

const KEY = /^gzk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/

/**
 * The prefix of a key in the format `gzk_<12 hex>_<43 base64url>`, or undefined for anything else.
 *
 * @since 0.2.0
 * @category accessors
 */
export const parseKey = (key: string): { readonly prefix: string } | undefined => {
  const match = KEY.exec(key)
  return match === null ? undefined : { prefix: match[1] as string }
}

/**
 * The SHA-256 (hex) of a key, as stored.
 *
 * @since 0.2.0
 * @category accessors
 */
export const hashKey = (key: string): string => createHash("sha256").update(key, "utf8").digest("hex")

/**
 * Whether a key matches a stored hash, compared in constant time.
 *
 * @since 0.2.0
 * @category predicates
 */
export const matches = (key: string, storedHash: string): boolean => {
  const given = Buffer.from(hashKey(key), "hex")
  const stored = Buffer.from(storedHash, "hex")
  return stored.length === given.length && timingSafeEqual(given, stored)
}

/**
 * A new random key (96 bits of prefix, 256 bits of secret) with its prefix and hash.
 *
 * @since 0.2.0
 * @category constructors
 */
export const generateKey = (): { readonly key: string; readonly prefix: string; readonly hash: string } => {
  const prefix = randomBytes(6).toString("hex")
  const key = `gzk_${prefix}_${randomBytes(32).toString("base64url")}`
  return { key, prefix, hash: hashKey(key) }
}

/**
 * Why a key is refused at a time, or `valid`.
 *
 * @since 0.2.0
 * @category accessors
 */
export const keyStatus = (account: ServiceAccount, key: ApiKey, now: Date): "valid" | "revoked" | "expired" =>
  account.status === "revoked" || key.revokedAt !== undefined
    ? "revoked"
    : key.expiresAt !== undefined && key.expiresAt.getTime() <= now.getTime()
      ? "expired"
      : "valid"

/**
 * Whether a record type may be shared with an account: known to the catalogue, not internal, and
 * within the account's record types or categories (neither given: every shareable type).
 *
 * @since 0.2.0
 * @category predicates
 */
export const typeInScope = (catalogue: Catalogue, scope: ShareScope, recordType: string): boolean => {
  const type = CatalogueModule.recordType(catalogue, recordType)
  if (type === undefined || type.disclosure === "internal") return false
  if (scope.recordTypes === undefined && scope.categories === undefined) return true
  return (scope.recordTypes?.includes(recordType) ?? false) || (scope.categories?.includes(type.category) ?? false)
}
