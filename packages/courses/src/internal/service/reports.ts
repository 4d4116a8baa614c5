import type * as Actor from "@gongzhi/core/Actor"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, Schema } from "effect"
import * as CertificateHtml from "../../CertificateHtml.js"
import * as CourseModel from "../../Course.js"
import { EnrolmentRefused, NotOwnRecord } from "../../CourseErrors.js"
import * as EnrolmentModel from "../../Enrolment.js"
import * as FeedbackModel from "../../Feedback.js"
import { Permission } from "../../Permissions.js"
import * as Statistics from "../../Statistics.js"
import { courseTarget, type Deps, load, selfTarget, subjectFor, upsert, workerOf } from "./context.js"

/** The input of `certificate`. */
export const CertificateRef = Schema.Struct({
  tenantId: TenantId,
  courseId: Schema.String,
  workerId: Schema.optional(Schema.String),
  issuer: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(64)), { default: () => "坪工学堂" })
})

/** The input of `statistics`. */
export const StatisticsInput = Schema.Struct({
  tenantId: TenantId,
  by: Statistics.Dimension,
  from: Schema.optional(Schema.Date),
  to: Schema.optional(Schema.Date)
})

/** The input of `feedbackThemes`. */
export const ThemesInput = Schema.Struct({
  tenantId: TenantId,
  courseId: Schema.optional(Schema.String),
  category: Schema.optional(CourseModel.Category),
  top: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 100)), { default: () => 10 })
})

export const make = (deps: Deps) => {
  const { repo } = deps

  /** The printable certificate of a worker's completed course: the worker, or staff with `courses.certificates`. */
  const certificate = (actor: Actor.Actor, input: typeof CertificateRef.Encoded) =>
    deps.commands.query({
      name: "certificate",
      title: "结业证书",
      input: CertificateRef,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const course = (yield* load("Course", i.courseId, repo.courses.get(i.tenantId, i.courseId))).value
          const workerId = yield* subjectFor(deps, ctx.actor, courseTarget(course), Permission.certificates, i.workerId)
          const enrolment = yield* repo.enrolments.get(i.tenantId, EnrolmentModel.idOf(course.id, workerId))
          const e = Option.getOrUndefined(enrolment)?.value
          if (e?.certificateNumber === undefined || e.certificateIssuedAt === undefined) {
            return yield* new EnrolmentRefused({ courseId: course.id, workerId, reason: "NotEnrolled" })
          }
          const worker = (yield* load("Worker", workerId, repo.workers.get(i.tenantId, workerId))).value
          const venue = (yield* load("Venue", course.venueId, repo.venues.get(i.tenantId, course.venueId))).value
          return CertificateHtml.render({
            number: e.certificateNumber,
            workerName: worker.name,
            workerId,
            courseTitle: course.title,
            category: CourseModel.categoryLabel(course.category),
            provider: course.provider.name,
            teacher: course.teacherName,
            venue: venue.name,
            sessionsHeld: CourseModel.heldSessions(course).length,
            sessionsAttended: e.attended.length,
            issuedOn: new Date(e.certificateIssuedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10),
            issuer: i.issuer
          })
        })
    })

  /** A worker rates a course they attended (once; a second rating replaces the first). */
  const giveFeedback = (actor: Actor.Actor, input: typeof FeedbackModel.GiveFeedback.Encoded) =>
    deps.commands.run({
      name: "giveFeedback",
      title: "课程反馈",
      input: FeedbackModel.GiveFeedback,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const workerId = workerOf(ctx.actor)
          if (workerId === undefined) return yield* ctx.invalid("课程反馈只能由学员本人提交")
          yield* ctx.authorize(Permission.self, selfTarget(ctx.actor, i.tenantId))
          const course = (yield* load("Course", i.courseId, repo.courses.get(i.tenantId, i.courseId))).value
          const enrolment = yield* repo.enrolments.get(i.tenantId, EnrolmentModel.idOf(course.id, workerId))
          if (Option.isNone(enrolment) || enrolment.value.value.attended.length === 0) {
            return yield* new NotOwnRecord({ entity: "Course", id: course.id })
          }
          const feedback = new FeedbackModel.Feedback({
            id: EnrolmentModel.idOf(course.id, workerId),
            tenantId: i.tenantId,
            courseId: course.id,
            workerId,
            category: course.category,
            rating: i.rating,
            text: i.text,
            at: ctx.now
          })
          const before = yield* repo.feedback.get(i.tenantId, feedback.id)
          yield* upsert(repo.feedback, i.tenantId, before, feedback)
          return { courseId: course.id, rating: i.rating }
        })
    })

  const feedbackOf = (tenantId: TenantId, courseId: string | undefined, category: CourseModel.Category | undefined) =>
    Effect.map(
      repo.feedback.find(
        tenantId,
        { ...(courseId === undefined ? {} : { course_id: courseId }), ...(category === undefined ? {} : { category }) },
        100_000
      ),
      (rows) => rows.map((r) => r.value)
    )

  /** What workers ask for: the feedback texts through the segmenter, and the average rating. */
  const feedbackThemes = (actor: Actor.Actor, input: typeof ThemesInput.Encoded, segment: FeedbackModel.Segmenter) =>
    deps.commands.query({
      name: "feedbackThemes",
      title: "反馈主题",
      input: ThemesInput,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.statistics, { tenantId: i.tenantId })
          const list = yield* feedbackOf(i.tenantId, i.courseId, i.category)
          const average = list.length === 0 ? 0 : list.reduce((s, f) => s + f.rating, 0) / list.length
          return {
            count: list.length,
            averageRating: Math.round(average * 100) / 100,
            themes: FeedbackModel.themes(
              list.map((f) => f.text).filter((t) => t.length > 0),
              segment,
              i.top
            )
          }
        })
    })

  /** The statistics by a dimension (courses starting in [from, to)). */
  const statistics = (actor: Actor.Actor, input: typeof StatisticsInput.Encoded) =>
    deps.commands.query({
      name: "statistics",
      title: "课程统计",
      input: StatisticsInput,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.statistics, { tenantId: i.tenantId })
          const range = {
            ...(i.from === undefined ? {} : { gte: i.from.getTime() }),
            ...(i.to === undefined ? {} : { lt: i.to.getTime() })
          }
          const where = Object.keys(range).length === 0 ? {} : { starts_at: range }
          const courses = yield* repo.courses.find(i.tenantId, where, 100_000)
          const enrolments = yield* repo.enrolments.find(i.tenantId, where, 1_000_000)
          return Statistics.compute(
            courses.map((r) => r.value),
            enrolments.map((r) => r.value),
            i.by
          )
        })
    })

  return { certificate, giveFeedback, feedbackThemes, statistics }
}
