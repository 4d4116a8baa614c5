import type * as Actor from "@gongzhi/core/Actor"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Schema } from "effect"
import * as CourseModel from "../../Course.js"
import { FeeNotAllowed, InvalidTransition } from "../../CourseErrors.js"
import { Permission } from "../../Permissions.js"
import * as VenueModel from "../../Venue.js"
import { courseTarget, type Deps, emit, load } from "./context.js"

/** The input of `cancelSession`. */
export const CancelSession = Schema.Struct({
  tenantId: TenantId,
  courseId: Schema.String,
  sessionId: Schema.String,
  reason: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(200))
})

/** The input of `remindSessions`: sessions starting on the day after `now` (China time). */
export const RemindSessions = Schema.Struct({ tenantId: TenantId })

/** The input of `listCourses`. */
export const ListCourses = Schema.Struct({
  tenantId: TenantId,
  status: Schema.optional(Schema.Literal("open", "cancelled", "finished"))
})

const DAY = 86_400_000
const CHINA = 8 * 3_600_000
/** The start of the China-time day after `now`, and of the day after that. */
const tomorrow = (now: Date): readonly [number, number] => {
  const start = Math.floor((now.getTime() + CHINA) / DAY) * DAY - CHINA + DAY
  return [start, start + DAY]
}

export const make = (deps: Deps) => {
  const { repo, settings } = deps

  const addVenue = (actor: Actor.Actor, input: typeof VenueModel.AddVenue.Encoded) =>
    deps.commands.run({
      name: "addVenue",
      title: "新增场地",
      input: VenueModel.AddVenue,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.manage, { tenantId: i.tenantId, regionCode: i.communityCode })
          const n = yield* repo.next(i.tenantId, "venue")
          const venue = new VenueModel.Venue({ ...i, id: `V${String(n).padStart(4, "0")}`, createdAt: ctx.now })
          yield* repo.venues.insert(i.tenantId, venue)
          yield* ctx.audit({ tenantId: i.tenantId, action: "venue.add", targetType: "Venue", targetId: venue.id })
          return venue
        })
    })

  const offerCourse = (actor: Actor.Actor, input: typeof CourseModel.OfferCourse.Encoded) =>
    deps.commands.run({
      name: "offerCourse",
      title: "开设课程",
      input: CourseModel.OfferCourse,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const venue = yield* load("Venue", i.venueId, repo.venues.get(i.tenantId, i.venueId))
          yield* ctx.authorize(Permission.manage, { tenantId: i.tenantId, regionCode: venue.value.communityCode })
          if (i.feeFen > 0 && !settings.allowFees) return yield* new FeeNotAllowed({ feeFen: i.feeFen })
          const capacity = i.capacity ?? venue.value.capacity
          if (capacity > venue.value.capacity) {
            return yield* ctx.invalid(`名额（${capacity}）超过场地容量（${venue.value.capacity}）`, "capacity")
          }
          const n = yield* repo.next(i.tenantId, "course")
          const id = `C${String(n).padStart(5, "0")}`
          const course = new CourseModel.Course({
            id,
            tenantId: i.tenantId,
            title: i.title,
            category: i.category,
            description: i.description,
            provider: i.provider,
            teacherId: i.teacherId,
            teacherName: i.teacherName,
            venueId: venue.value.id,
            communityCode: venue.value.communityCode,
            capacity,
            feeFen: i.feeFen,
            completionPercent: i.completionPercent,
            cancelBeforeHours: i.cancelBeforeHours,
            status: "open",
            sessions: [...i.sessions]
              .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
              .map(
                (s, k) =>
                  new CourseModel.Session({
                    id: `S${k + 1}`,
                    startsAt: s.startsAt,
                    endsAt: s.endsAt,
                    status: "scheduled",
                    reminded: false
                  })
              ),
            taken: 0,
            waiting: 0,
            nextSeq: 0,
            createdAt: ctx.now
          })
          yield* repo.courses.insert(i.tenantId, course)
          yield* ctx.audit({ tenantId: i.tenantId, action: "course.offer", targetType: "Course", targetId: id })
          return course
        })
    })

  const confirmedWorkers = (tenantId: TenantId, courseId: string) =>
    Effect.map(repo.enrolments.find(tenantId, { course_id: courseId, state: "confirmed" }, 100_000), (rows) =>
      rows.map((r) => r.value.workerId)
    )

  /** Cancels one session; the workers with a place are told. */
  const cancelSession = (actor: Actor.Actor, input: typeof CancelSession.Encoded) =>
    deps.commands.run({
      name: "cancelSession",
      title: "取消课次",
      input: CancelSession,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* load("Course", i.courseId, repo.courses.get(i.tenantId, i.courseId))
          const course = current.value
          yield* ctx.authorize(Permission.manage, courseTarget(course))
          const session = course.sessions.find((s) => s.id === i.sessionId)
          if (session === undefined) return yield* ctx.invalid(`课次不存在：${i.sessionId}`, "sessionId")
          if (session.status !== "scheduled" || course.status !== "open") {
            return yield* new InvalidTransition({
              entity: "Session",
              id: session.id,
              state: session.status,
              action: "取消课次"
            })
          }
          const next = new CourseModel.Course({
            ...course,
            sessions: course.sessions.map((s) =>
              s.id === session.id ? new CourseModel.Session({ ...s, status: "cancelled", cancelReason: i.reason }) : s
            )
          })
          yield* repo.courses.update(i.tenantId, next, current.version)
          const workerIds = yield* confirmedWorkers(i.tenantId, course.id)
          yield* emit(ctx, i.tenantId, [
            {
              _tag: "SessionCancelled",
              courseId: course.id,
              sessionId: session.id,
              workerIds,
              title: course.title,
              startsAt: session.startsAt,
              reason: i.reason
            }
          ])
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "session.cancel",
            targetType: "Course",
            targetId: course.id,
            details: { sessionId: session.id }
          })
          return next
        })
    })

  /** Emits a reminder for every session of an open course that starts tomorrow (China time), once. */
  const remindSessions = (actor: Actor.Actor, input: typeof RemindSessions.Encoded) =>
    deps.commands.run({
      name: "remindSessions",
      title: "上课提醒",
      input: RemindSessions,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.reminders, { tenantId: i.tenantId })
          const [from, to] = tomorrow(ctx.now)
          const open = yield* repo.courses.find(i.tenantId, { status: "open" }, 100_000)
          let reminded = 0
          for (const current of open) {
            const course = current.value
            const due = course.sessions.filter(
              (s) =>
                s.status === "scheduled" && !s.reminded && s.startsAt.getTime() >= from && s.startsAt.getTime() < to
            )
            if (due.length === 0) continue
            const workerIds = yield* confirmedWorkers(i.tenantId, course.id)
            const venue = yield* load("Venue", course.venueId, repo.venues.get(i.tenantId, course.venueId))
            yield* repo.courses.update(
              i.tenantId,
              new CourseModel.Course({
                ...course,
                sessions: course.sessions.map((s) =>
                  due.includes(s) ? new CourseModel.Session({ ...s, reminded: true }) : s
                )
              }),
              current.version
            )
            yield* emit(
              ctx,
              i.tenantId,
              due.map((s) => ({
                _tag: "SessionReminder" as const,
                courseId: course.id,
                sessionId: s.id,
                workerIds,
                title: course.title,
                startsAt: s.startsAt,
                venue: venue.value.name
              }))
            )
            reminded += due.length
          }
          return { sessions: reminded }
        })
    })

  const listCourses = (actor: Actor.Actor, input: typeof ListCourses.Encoded) =>
    deps.commands.query({
      name: "listCourses",
      title: "课程列表",
      input: ListCourses,
      raw: input,
      actor,
      body: (i) =>
        Effect.map(repo.courses.find(i.tenantId, i.status === undefined ? {} : { status: i.status }, 10_000), (rows) =>
          rows.map((r) => r.value)
        )
    })

  return { addVenue, offerCourse, cancelSession, remindSessions, listCourses }
}
