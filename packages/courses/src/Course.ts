/**
 * Course offerings (课程) of 坪工学堂: a title in a category of the catalogue (skills, health, law,
 * culture, parenting, …), offered by a provider and taught by a teacher at a venue, with sessions
 * (课次: date, time), a number of seats, a cancellation deadline and a completion rule (share of the
 * sessions attended, default 80 %). Courses are free of charge by rule: a fee is refused unless the
 * district's settings allow fees.
 *
 * The course row counts its places (`taken`, `waiting`) and numbers arrivals (`nextSeq`); each
 * worker's place is an `Enrolment` row, decided by core `Capacity`.
 *
 * @since 0.1.0
 */
import { StaffId } from "@gongzhi/core/Actor"
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { Provider } from "./Venue.js"

/**
 * The categories of the catalogue.
 *
 * @since 0.1.0
 * @category models
 */
export const Category = Schema.Literal("skills", "health", "law", "culture", "parenting", "digital", "other")

/**
 * @since 0.1.0
 * @category models
 */
export type Category = typeof Category.Type

const categoryLabels: Record<Category, string> = {
  skills: "职业技能",
  health: "健康",
  law: "法律",
  culture: "文化",
  parenting: "亲子",
  digital: "数字技能",
  other: "其他"
}

/**
 * The Chinese name of a category.
 *
 * @since 0.1.0
 * @category accessors
 */
export const categoryLabel = (category: Category): string => categoryLabels[category]

/**
 * One session of a course.
 *
 * @since 0.1.0
 * @category models
 */
export class Session extends Schema.Class<Session>("@gongzhi/courses/Session")({
  id: Schema.String,
  startsAt: Schema.Date,
  endsAt: Schema.Date,
  status: Schema.Literal("scheduled", "cancelled", "closed"),
  cancelReason: Schema.optional(Schema.String),
  reminded: Schema.Boolean
}) {}

/**
 * A course offering.
 *
 * @since 0.1.0
 * @category models
 */
export class Course extends Schema.Class<Course>("@gongzhi/courses/Course")({
  id: Schema.String,
  tenantId: TenantId,
  title: Schema.String,
  category: Category,
  description: Schema.optional(Schema.String),
  provider: Provider,
  teacherId: StaffId,
  teacherName: Schema.String,
  venueId: Schema.String,
  communityCode: RegionCode,
  capacity: Schema.Int,
  feeFen: Schema.NonNegativeInt,
  completionPercent: Schema.Int,
  cancelBeforeHours: Schema.NonNegativeInt,
  status: Schema.Literal("open", "cancelled", "finished"),
  sessions: Schema.Array(Session),
  taken: Schema.NonNegativeInt,
  waiting: Schema.NonNegativeInt,
  nextSeq: Schema.NonNegativeInt,
  createdAt: Schema.Date
}) {}

/**
 * The input of `Courses.offerCourse`. `capacity` defaults to the venue's; `feeFen` (fen, 分) to 0.
 *
 * @since 0.1.0
 * @category inputs
 */
export const OfferCourse = Schema.Struct({
  tenantId: TenantId,
  title: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(64)),
  category: Category,
  description: Schema.optional(Schema.String.pipe(Schema.maxLength(2000))),
  provider: Provider,
  teacherId: StaffId,
  teacherName: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(32)),
  venueId: Schema.String,
  capacity: Schema.optional(Schema.Int.pipe(Schema.between(1, 10_000))),
  feeFen: Schema.optionalWith(Schema.NonNegativeInt, { default: () => 0 }),
  completionPercent: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 100)), { default: () => 80 }),
  cancelBeforeHours: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 720)), { default: () => 24 }),
  sessions: Schema.Array(
    Schema.Struct({ startsAt: Schema.Date, endsAt: Schema.Date }).pipe(
      Schema.filter((s) => s.endsAt.getTime() > s.startsAt.getTime() || "课次结束时间应晚于开始时间")
    )
  ).pipe(Schema.minItems(1), Schema.maxItems(100))
})

/**
 * When the course begins (its first session that is not cancelled).
 *
 * @since 0.1.0
 * @category accessors
 */
export const startsAt = (course: Course): Date => {
  const live = course.sessions.filter((s) => s.status !== "cancelled")
  const first = (live.length > 0 ? live : course.sessions).reduce((a, b) => (a.startsAt <= b.startsAt ? a : b))
  return first.startsAt
}

/**
 * The sessions that were held (closed, not cancelled).
 *
 * @since 0.1.0
 * @category accessors
 */
export const heldSessions = (course: Course): ReadonlyArray<Session> =>
  course.sessions.filter((s) => s.status === "closed")

/**
 * Whether a worker who attended `attended` of the held sessions completed the course (at least
 * `completionPercent` of them; a course with no session held is completed by nobody).
 *
 * @since 0.1.0
 * @category accessors
 */
export const completes = (course: Course, attended: number): boolean => {
  const held = heldSessions(course).length
  return held > 0 && attended * 100 >= held * course.completionPercent
}

/**
 * The last moment a worker may cancel: `cancelBeforeHours` before the start.
 *
 * @since 0.1.0
 * @category accessors
 */
export const cancellationDeadline = (course: Course): Date =>
  new Date(startsAt(course).getTime() - course.cancelBeforeHours * 3_600_000)
