/**
 * The permissions of 坪工学堂 and the default role table (data). The union administrator (区总工会)
 * runs everything in the district; venue staff run the desk, enrolments, attendance and certificates
 * of the courses in their community (their scope); a teacher reads and records attendance of their
 * OWN courses only; a worker reads and changes only their own data; the registration portal (a
 * service account) sends codes and registers workers.
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
  /** Venues, courses, cancelling sessions. */
  manage: "courses.manage",
  /** Register a worker at the desk; read workers (masked). */
  desk: "courses.desk",
  /** Enrol and cancel for a worker. */
  enrol: "courses.enrol",
  /** Check workers in, issue venue codes, close sessions, finish courses. */
  attendance: "courses.attendance",
  /** Issue certificates. */
  certificates: "courses.certificates",
  /** Statistics, exports and feedback themes. */
  statistics: "courses.statistics",
  /** Run the day-before reminders. */
  reminders: "courses.reminders",
  /** A teacher: read the roster of, and record attendance on, their own courses. */
  teach: "courses.teach",
  /** The registration portal: send SMS codes, register workers who proved their number. */
  portal: "courses.portal",
  /** A worker: their own enrolments, check-ins with a code, feedback, certificates. */
  self: "courses.self"
} as const

/**
 * @since 0.1.0
 * @category models
 */
export type Permission = (typeof Permission)[keyof typeof Permission]

/**
 * The roles of the default table.
 *
 * @since 0.1.0
 * @category models
 */
export const Role = {
  unionAdmin: "courses-union-admin",
  venueStaff: "courses-venue-staff",
  teacher: "courses-teacher",
  worker: "courses-worker",
  portal: "courses-portal"
} as const

/**
 * The default role table.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultRoleTable: Readonly<Record<string, ReadonlyArray<string>>> = {
  [Role.unionAdmin]: ["courses.*"],
  [Role.venueStaff]: [
    Permission.desk,
    Permission.enrol,
    Permission.attendance,
    Permission.certificates,
    Permission.teach
  ],
  [Role.teacher]: [Permission.teach],
  [Role.worker]: [Permission.self],
  [Role.portal]: [Permission.portal]
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
