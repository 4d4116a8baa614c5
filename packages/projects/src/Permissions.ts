/**
 * Permissions of the projects domain (权限). The service checks each command with core
 * `Authorization.authorize(actor, permission, target)`, where the target is the district (or the region
 * of an application), and checks assignment for judges and ownership for applicants.
 *
 * The default role table ({@link defaultRoleTable}) is data: a district may load its own.
 *
 * | role | who | may |
 * | --- | --- | --- |
 * | `projects-district-office` | 区社会建设办 staff (district scope) | everything: calls, eligibility, sessions, selection, publicity, recommendation, all scores once closed |
 * | `projects-judge` | a judge (评审专家) | declare conflicts, score and read the applications of the sessions they sit on |
 * | `projects-supervisor` | staff of the third-party supervisor (第三方督导机构) | inspect the projects their organisation supervises, request and close rectifications, read progress |
 * | `projects-responsible-unit` | a responsible unit (项目责任单位) | report progress and complete milestones on their own project, complete their joint-meeting action items |
 * | `projects-member-unit` | a member unit of a joint meeting (联席会议成员单位) | complete their own action items |
 * | `projects-applicant` | an organisation's account | draft, submit and withdraw its own applications |
 * | `public` | anyone | read calls, selected projects and their progress |
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
  /** Create calls, run selection, publicity, objections and the city recommendation. */
  callsManage: "projects.calls.manage",
  /** Review eligibility (资格审查). */
  eligibilityReview: "projects.eligibility.review",
  /** Schedule defence sessions, seat judges, open and close panels. */
  sessionsManage: "projects.sessions.manage",
  /** Read every application and, once a panel closed, every score. */
  applicationsRead: "projects.applications.read",
  /** Draft, submit and withdraw one's own applications. */
  apply: "projects.apply",
  /** Declare conflicts and score as a judge on one's own panels. */
  score: "projects.score",
  /** Inspect and supervise selected projects. */
  supervise: "projects.supervise",
  /** Report progress on one's own project. */
  report: "projects.report",
  /** Register supervisors, start, accept and terminate cultivation, sweep for overdue items. */
  cultivationManage: "projects.cultivation.manage",
  /** Schedule joint meetings and record their minutes. */
  meetingsManage: "projects.meetings.manage",
  /** Complete one's own joint-meeting action items. */
  meetingsAct: "projects.meetings.act",
  /** Read calls, selected projects and their progress. */
  publicRead: "projects.public.read"
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
  districtOffice: "projects-district-office",
  judge: "projects-judge",
  supervisor: "projects-supervisor",
  responsibleUnit: "projects-responsible-unit",
  memberUnit: "projects-member-unit",
  applicant: "projects-applicant",
  public: "public"
} as const

/**
 * The default role table, as data.
 *
 * @since 0.1.0
 * @category models
 */
export const defaultRoleTable: Readonly<Record<string, ReadonlyArray<string>>> = {
  [Role.districtOffice]: ["projects.*"],
  [Role.judge]: [Permission.score, Permission.publicRead],
  [Role.supervisor]: [Permission.supervise, Permission.publicRead],
  [Role.responsibleUnit]: [Permission.report, Permission.meetingsAct, Permission.publicRead],
  [Role.memberUnit]: [Permission.meetingsAct, Permission.publicRead],
  [Role.applicant]: [Permission.apply, Permission.publicRead],
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
