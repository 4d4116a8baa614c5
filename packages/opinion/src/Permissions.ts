/**
 * The permissions of the opinion module (民情诉求权限) and a default role table to merge into a district's
 * `Authorization.RolePermissions`. What each role may do is data; where it may do it is the actor's scope (a
 * street's staff reach the reports of their street only).
 *
 * @since 0.1.0
 */
import type * as Authorization from "@gongzhi/core/Authorization"

const p = <const S extends string>(s: S) => s as S & Authorization.Permission

/**
 * The permission names used by the default workflow and the service.
 *
 * @since 0.1.0
 * @category models
 */
export const permissions = {
  /** Submit a report (any channel). */
  submit: p("opinion.reports.submit"),
  /** Submit a report with an earlier time of receipt (recording a visit or a call afterwards, imports). */
  backdate: p("opinion.reports.backdate"),
  /** Read every report in the actor's scope, internal notes included. */
  read: p("opinion.reports.read"),
  /** Read the reports assigned to the actor's department. */
  readAssigned: p("opinion.reports.read-assigned"),
  /** Read the reports one submitted oneself (residents, volunteers). */
  readOwn: p("opinion.reports.read-own"),
  /** Reveal the reporter's phone number (audited). */
  revealContact: p("opinion.reports.contact.reveal"),
  dispatch: p("opinion.reports.dispatch"),
  accept: p("opinion.reports.accept"),
  return: p("opinion.reports.return"),
  handle: p("opinion.reports.handle"),
  requestExtension: p("opinion.reports.extension.request"),
  decideExtension: p("opinion.reports.extension.decide"),
  reply: p("opinion.reports.reply"),
  note: p("opinion.reports.note"),
  followUp: p("opinion.reports.follow-up"),
  close: p("opinion.reports.close"),
  reopen: p("opinion.reports.reopen"),
  merge: p("opinion.reports.merge"),
  /** Run the deadline sweep: reminders and escalations (督办). */
  escalate: p("opinion.reports.escalate"),
  /** Act for any department on assignee-only commands (a district centre standing in). */
  anyDepartment: p("opinion.reports.any-department")
} as const

/**
 * The default role table of the module (merge it into the district's table):
 * - `opinion-intake` 受理员 — submits (also back-dated) and reads;
 * - `opinion-dispatcher` 派单员 — dispatches, merges, follows up, closes, reopens, decides extensions;
 * - `opinion-handler` 承办人 — works on the reports of their department: signs for, returns, handles, asks for
 *   an extension, replies, writes internal notes;
 * - `opinion-supervisor` 督办员 — reads, decides extensions, reopens, closes, runs the deadline sweep;
 * - `opinion-scheduler` — the service account running the deadline sweep;
 * - `resident`, `volunteer` — submit and read their own reports.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import * as Authorization from "@gongzhi/core/Authorization"
 * import * as Permissions from "@gongzhi/opinion/Permissions"
 *
 * const table = Authorization.decodeRolePermissions({
 *   ...Permissions.defaultRoles,
 *   "district-admin": ["*"]
 * })
 */
export const defaultRoles: Readonly<Record<string, ReadonlyArray<string>>> = {
  "opinion-intake": [permissions.submit, permissions.backdate, permissions.read, permissions.note],
  "opinion-dispatcher": [
    permissions.submit,
    permissions.read,
    permissions.revealContact,
    permissions.dispatch,
    permissions.merge,
    permissions.followUp,
    permissions.close,
    permissions.reopen,
    permissions.decideExtension,
    permissions.note
  ],
  "opinion-handler": [
    permissions.readAssigned,
    permissions.accept,
    permissions.return,
    permissions.handle,
    permissions.requestExtension,
    permissions.reply,
    permissions.note
  ],
  "opinion-supervisor": [
    permissions.read,
    permissions.decideExtension,
    permissions.reopen,
    permissions.close,
    permissions.escalate,
    permissions.note
  ],
  "opinion-scheduler": [permissions.escalate],
  resident: [permissions.submit, permissions.readOwn],
  volunteer: [permissions.submit, permissions.readOwn]
}
