/**
 * Permissions and default roles of public credit: platform admin (平台管理员), source-unit clerk
 * (数据报送员: own unit's records only), reviewer (审核员: also records list decisions), auditor (审计员), a
 * unit applying joint measures (联合奖惩实施单位: checks and reports back) and the public (公众). Only the
 * platform admin merges subjects and approves list decisions.
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
  /** Run the jobs: the full re-evaluation, list expiry, the 双公示 overdue sweep. */
  evaluate: "credit.evaluate",
  /** Merge a subject entered twice into the other. */
  merge: "credit.subjects.merge",
  /** Record a list entry by decision (认定). */
  decide: "credit.lists.decide",
  /** Approve, reject or remove a list entry by decision (never one the same person recorded). */
  approve: "credit.lists.approve",
  /** Report a joint measure the actor's unit took (联合奖惩反馈). */
  feedback: "credit.measures.feedback",
  /** Read batches and their reports (audit). */
  audit: "credit.audit",
  /** Check which joint measures apply to a subject (units that apply them, e.g. a projects call). */
  check: "credit.measures.check",
  /** Read public information only (public records, masked). */
  publicRead: "credit.public.read",
  /** Register an objection for a subject or its agent (异议受理窗口). */
  objectionFile: "credit.objections.file",
  /** Accept, refuse and check objections, forward them to the provider (platform). */
  objectionHandle: "credit.objections.handle",
  /** Answer an objection to the actor's own unit's record (the provider; also needs to be a unit account). */
  objectionVerify: "credit.objections.verify",
  /** Register a repair application for a subject. */
  repairApply: "credit.repair.apply",
  /** Decide a repair of the actor's own unit's findings (谁认定、谁修复; also needs to be a unit account). */
  repairDecide: "credit.repair.decide",
  /** Look up one's own record (after real-name verification) or one's enterprise's (authorised account). */
  inquireSelf: "credit.inquiry.self",
  /** Look up a natural person under that person's recorded authorisation (a bank, an employer). */
  inquireAuthorised: "credit.inquiry.authorised",
  /** Issue a credit report (信用报告) of any subject. */
  report: "credit.reports.issue",
  /** Call the sharing interface (共享接口) with an API key (held by a service account's actor). */
  share: "credit.share.use",
  /** Create, rotate and revoke the sharing interface's service accounts and keys. */
  shareManage: "credit.share.manage"
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
  /** A unit that applies joint measures (e.g. a projects call, procurement): checks and reports back. */
  measureUnit: "credit-measure-unit",
  public: "resident",
  /** A bureau calling the sharing interface (the role of a service account's actor). */
  shareClient: "credit-share-client"
} as const

/**
 * The default role table, as data.
 *
 * @since 0.1.0
 * @category models
 */
export const defaultRoleTable: Readonly<Record<string, ReadonlyArray<string>>> = {
  [Role.admin]: ["credit.*"],
  [Role.unitClerk]: [Permission.submit, Permission.publicRead, Permission.objectionVerify, Permission.repairDecide],
  [Role.reviewer]: [
    Permission.read,
    Permission.review,
    Permission.check,
    Permission.decide,
    Permission.publicRead,
    Permission.objectionFile,
    Permission.objectionHandle,
    Permission.repairApply,
    Permission.report
  ],
  [Role.auditor]: [Permission.read, Permission.audit, Permission.publicRead],
  [Role.measureUnit]: [Permission.check, Permission.feedback, Permission.publicRead, Permission.inquireAuthorised],
  [Role.public]: [Permission.publicRead, Permission.inquireSelf],
  [Role.shareClient]: [Permission.share, Permission.feedback]
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
