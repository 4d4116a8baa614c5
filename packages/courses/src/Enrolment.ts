/**
 * Enrolments (报名): one row per worker and course, holding the worker's place as core `Capacity`
 * decides it — `confirmed`, `waitlisted` (候补, served by priority then arrival), `cancelled`, and at
 * the end `checked-out` (took part) or `no-show` — plus the sessions attended, whether the course
 * was completed and the certificate number.
 *
 * @since 0.1.0
 */
import * as Capacity from "@gongzhi/core/Capacity"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { Category } from "./Course.js"

/**
 * An enrolment.
 *
 * @since 0.1.0
 * @category models
 */
export class Enrolment extends Schema.Class<Enrolment>("@gongzhi/courses/Enrolment")({
  id: Schema.String,
  tenantId: TenantId,
  courseId: Schema.String,
  workerId: Schema.String,
  state: Capacity.SeatState,
  seq: Schema.NonNegativeInt,
  priority: Schema.Int,
  enrolledAt: Schema.Date,
  promotedAt: Schema.optional(Schema.Date),
  cancelledAt: Schema.optional(Schema.Date),
  attended: Schema.Array(
    Schema.Struct({ sessionId: Schema.String, at: Schema.Date, method: Schema.Literal("staff", "code") })
  ),
  missed: Schema.NonNegativeInt,
  completed: Schema.Boolean,
  certificateNumber: Schema.optional(Schema.String),
  certificateIssuedAt: Schema.optional(Schema.Date),
  // copied from the course for statistics
  category: Category,
  venueId: Schema.String,
  communityCode: Schema.String,
  startsAt: Schema.Date
}) {}

/**
 * The id of a worker's enrolment in a course.
 *
 * @since 0.1.0
 * @category accessors
 */
export const idOf = (courseId: string, workerId: string): string => `${courseId}:${workerId}`

/**
 * The seat of an enrolment as core `Capacity` sees it.
 *
 * @since 0.1.0
 * @category accessors
 */
export const seat = (enrolment: Enrolment): Capacity.Seat => ({
  holder: enrolment.workerId,
  state: enrolment.state,
  seq: enrolment.seq,
  priority: enrolment.priority
})

/**
 * The sort key of a waitlisted enrolment (priority first, then arrival), `null` otherwise; stored
 * as an indexed column so the head of the waitlist is one ordered read.
 *
 * @since 0.1.0
 * @category accessors
 */
export const waitKey = (enrolment: Pick<Enrolment, "state" | "priority" | "seq">): string | null =>
  enrolment.state === "waitlisted"
    ? `${String(1_000_000 - enrolment.priority).padStart(7, "0")}:${String(enrolment.seq).padStart(10, "0")}`
    : null

/**
 * The inputs that name a course and, for staff acting for a worker, the worker (a worker acting
 * for themselves leaves `workerId` out).
 *
 * @since 0.1.0
 * @category inputs
 */
export const CourseWorker = Schema.Struct({
  tenantId: TenantId,
  courseId: Schema.String,
  workerId: Schema.optional(Schema.String)
})

/**
 * The input of a check-in: staff name the worker; a worker gives the venue's one-time code.
 *
 * @since 0.1.0
 * @category inputs
 */
export const CheckIn = Schema.Struct({
  tenantId: TenantId,
  courseId: Schema.String,
  sessionId: Schema.String,
  workerId: Schema.optional(Schema.String),
  code: Schema.optional(Schema.String.pipe(Schema.pattern(/^\d{4,8}$/)))
})
