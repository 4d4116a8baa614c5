/**
 * Permissions of the volunteer corps (权限). The service checks each command with core
 * `Authorization.authorize(actor, permission, target)`, where the target is the region of the team,
 * shift or volunteer concerned, and checks ownership for volunteers acting on their own record.
 *
 * The default role table ({@link defaultRolePermissions}) is data: a district may load its own.
 *
 * | role | who | may |
 * | --- | --- | --- |
 * | `volunteers-hq-staff` | 专职人员 of the 服务总队 (district scope) | everything in the district |
 * | `volunteers-team-leader` | 兼职分队长 (street scope) | their team and street: members, registrations, activities, attendance, records, certificates |
 * | `volunteer` | 民情志愿者 | their own record and sign-ups (`volunteers.self.*`) |
 * | `resident` | a resident applying | apply to join (`volunteers.apply`) |
 * | `volunteers-scheduler` | a service account running timed jobs | shift reminders, publicity close |
 *
 * @since 0.1.0
 */
import * as Authorization from "@gongzhi/core/Authorization"
import { Schema } from "effect"

/**
 * Every permission the service checks.
 *
 * @since 0.1.0
 * @category models
 */
export const Permission = {
  /** Establish the corps and create teams (服务总队、街道分队、社区小组). */
  corpsManage: "volunteers.corps.manage",
  /** Give and end member roles in a team. */
  membersManage: "volunteers.members.manage",
  /** Register a volunteer on a team's behalf. */
  register: "volunteers.register",
  /** Apply to join as a resident (self-registration). */
  apply: "volunteers.apply",
  /** Approve or reject applications. */
  approve: "volunteers.approve",
  /** Suspend, reinstate, record leaving. */
  statusChange: "volunteers.status.change",
  /** Read any volunteer's profile and records in scope (masked). */
  read: "volunteers.read",
  /** Update a volunteer's contact, skills, affiliation. */
  update: "volunteers.update",
  /** Create activities and shifts, cancel shifts. */
  activitiesManage: "volunteers.activities.manage",
  /** Sign others up, check in and out, walk-ins, one-time codes, close shifts. */
  attendanceManage: "volunteers.attendance.manage",
  /** Record service, adjust hours, add commendations, evaluations and complaints. */
  recordsManage: "volunteers.records.manage",
  /** Approve or reject service records (the recording team). */
  recordsApprove: "volunteers.records.approve",
  /** Apply for, accept, issue and revoke certificates on a team's behalf. */
  certificatesManage: "volunteers.certificates.manage",
  /** Run the shift reminders (district-wide). */
  remindersRun: "volunteers.reminders.run",
  /** Close certificate publicity periods (district-wide). */
  publicityRun: "volunteers.certificates.publicity",
  /** A volunteer reads their own profile, records, sign-ups and certificates. */
  selfRead: "volunteers.self.read",
  /** A volunteer updates their own contact and skills. */
  selfUpdate: "volunteers.self.update",
  /** A volunteer signs up for and cancels shifts. */
  selfSignUp: "volunteers.self.signup",
  /** A volunteer checks in and out with a one-time code. */
  selfCheckIn: "volunteers.self.checkin",
  /** A volunteer applies for a certificate of their own hours. */
  selfCertificates: "volunteers.self.certificates"
} as const

/**
 * @since 0.1.0
 * @category models
 */
export type Permission = (typeof Permission)[keyof typeof Permission]

/**
 * The role ids of the default table.
 *
 * @since 0.1.0
 * @category models
 */
export const Role = {
  hqStaff: "volunteers-hq-staff",
  teamLeader: "volunteers-team-leader",
  volunteer: "volunteer",
  resident: "resident",
  scheduler: "volunteers-scheduler"
} as const

/**
 * The default role table, as data (decode it with `Authorization.decodeRolePermissions`, or use
 * {@link defaultRolePermissions}).
 *
 * @since 0.1.0
 * @category models
 */
export const defaultRoleTable: Readonly<Record<string, ReadonlyArray<string>>> = {
  [Role.hqStaff]: ["volunteers.*"],
  [Role.teamLeader]: [
    Permission.membersManage,
    Permission.register,
    Permission.approve,
    Permission.statusChange,
    Permission.read,
    Permission.update,
    Permission.activitiesManage,
    Permission.attendanceManage,
    Permission.recordsManage,
    Permission.recordsApprove,
    Permission.certificatesManage
  ],
  [Role.volunteer]: ["volunteers.self.*"],
  [Role.resident]: [Permission.apply],
  [Role.scheduler]: [Permission.remindersRun, Permission.publicityRun]
}

/**
 * The default role table, decoded.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Authorization } from "@gongzhi/core"
 * import { Permissions } from "@gongzhi/volunteers"
 *
 * const AuthorizationLive = Authorization.layer(Permissions.defaultRolePermissions)
 */
export const defaultRolePermissions: Authorization.RolePermissions = Schema.decodeUnknownSync(
  Authorization.RolePermissions
)(defaultRoleTable)

/**
 * Merges role tables (later tables add grants to a role, they never remove any), e.g. the core
 * tables of other domains with this one.
 *
 * @since 0.1.0
 * @category combinators
 */
export const mergeRoleTables = (
  ...tables: ReadonlyArray<Authorization.RolePermissions>
): Authorization.RolePermissions => {
  const out: Record<string, Array<Authorization.PermissionGrant>> = {}
  for (const table of tables) {
    for (const [role, grants] of Object.entries(table)) {
      const list = out[role] ?? []
      for (const grant of grants) if (!list.includes(grant)) list.push(grant)
      out[role] = list
    }
  }
  return out as Authorization.RolePermissions
}
