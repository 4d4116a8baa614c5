/**
 * Permissions and default roles of public credit: platform admin (平台管理员), source-unit clerk
 * (数据报送员: own unit's records only), reviewer (审核员), auditor (审计员) and the public (公众).
 *
 * @since 0.1.0
 */
import * as Authorization from "@gongzhi/core/Authorization"
import { Schema } from "effect"

/**
 * The permissions.
 *
 * @since 0.1.0
 * @category models
 */
export const Permission = {
  /** Send batches for a source unit (a clerk only for a unit that lists them). */
  submit: "credit.records.submit",
  /** Submit for any source unit (platform admin). */
  submitAny: "credit.records.submit.any",
  /** Read subjects, records and grades (unmasked provenance, all disclosure levels). */
  read: "credit.records.read",
  /** Change a record's state (repair, expiry, revocation). */
  review: "credit.records.review",
  /** Run the full re-evaluation. */
  evaluate: "credit.evaluate",
  /** Read batches and their reports (audit). */
  audit: "credit.audit",
  /** Check which joint measures apply to a subject (units that apply them, e.g. a projects call). */
  check: "credit.measures.check",
  /** Read public information only (public records, masked). */
  publicRead: "credit.public.read"
} as const

/**
 * @since 0.1.0
 * @category models
 */
export type Permission = (typeof Permission)[keyof typeof Permission]

/**
 * The default roles.
 *
 * @since 0.1.0
 * @category models
 */
export const Role = {
  admin: "credit-admin",
  unitClerk: "credit-unit-clerk",
  reviewer: "credit-reviewer",
  auditor: "credit-auditor",
  public: "resident"
} as const

/**
 * The default role table, as data.
 *
 * @since 0.1.0
 * @category models
 */
export const defaultRoleTable: Readonly<Record<string, ReadonlyArray<string>>> = {
  [Role.admin]: ["credit.*"],
  [Role.unitClerk]: [Permission.submit, Permission.publicRead],
  [Role.reviewer]: [Permission.read, Permission.review, Permission.check, Permission.publicRead],
  [Role.auditor]: [Permission.read, Permission.audit, Permission.publicRead],
  [Role.public]: [Permission.publicRead]
}

/**
 * The default role table, decoded.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultRolePermissions: Authorization.RolePermissions = Schema.decodeUnknownSync(
  Authorization.RolePermissions
)(defaultRoleTable)
