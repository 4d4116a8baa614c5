import type * as Actor from "@gongzhi/core/Actor"
import * as Capacity from "@gongzhi/core/Capacity"
import type * as Repository from "@gongzhi/core/Repository"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either, Option, Schema } from "effect"
import * as CourseModel from "../../Course.js"
import { type EnrolmentRefusalReason, EnrolmentRefused } from "../../CourseErrors.js"
import * as EnrolmentModel from "../../Enrolment.js"
import { Permission } from "../../Permissions.js"
import * as WorkerModel from "../../Worker.js"
import {
  authorizeCourse,
  courseTarget,
  type Deps,
  emit,
  load,
  loadCourse as loadCourseOf,
  subjectFor,
  upsert
} from "./context.js"

/** The input of `listEnrolments` (a worker's own, or staff for a worker). */
export const ListEnrolments = Schema.Struct({ tenantId: TenantId, workerId: Schema.optional(Schema.String) })

/** The input of `roster`. */
export const RosterInput = Schema.Struct({ tenantId: TenantId, courseId: Schema.String })

const reasons: Record<Capacity.Refusal, EnrolmentRefusalReason> = {
  AlreadyJoined: "AlreadyEnrolled",
  NotJoined: "NotEnrolled",
  Full: "Full",
  AlreadyCheckedIn: "AlreadyCheckedIn",
  NotCheckedIn: "NotCheckedIn",
  AlreadyCheckedOut: "AlreadyCheckedOut"
}

/** A `Capacity` decision, its refusal as the domain's error. */
export const decide = <A>(courseId: string, workerId: string, decision: Either.Either<A, Capacity.Refusal>) =>
  Either.mapLeft(decision, (reason) => new EnrolmentRefused({ courseId, workerId, reason: reasons[reason] }))

const refuse = (courseId: string, workerId: string, reason: EnrolmentRefusalReason) =>
  Effect.fail(new EnrolmentRefused({ courseId, workerId, reason }))

/** How the waitlist counter moves with a list of changes. */
const waitingDelta = (changes: ReadonlyArray<Capacity.Change>) =>
  changes.reduce((n, c) => n + (c.to === "waitlisted" ? 1 : 0) - (c.from === "waitlisted" ? 1 : 0), 0)

const ACTIVE: ReadonlyArray<Capacity.SeatState> = ["confirmed", "waitlisted"]

export const make = (deps: Deps) => {
  const { repo, settings } = deps

  // Enrolments and cancellations of one course queue within this service instance: a burst of
  // registrations then commits one after another instead of retrying on optimistic conflicts (which
  // still guard against overbooking across instances).
  const queues = new Map<string, Effect.Semaphore>()
  const queued =
    (input: { readonly tenantId?: unknown; readonly courseId?: unknown }) =>
    <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
      const key = `${String(input.tenantId)}:${String(input.courseId)}`
      let queue = queues.get(key)
      if (queue === undefined) {
        queue = Effect.unsafeMakeSemaphore(1)
        queues.set(key, queue)
      }
      return queue.withPermits(1)(self)
    }

  const loadCourse = (tenantId: TenantId, courseId: string) => loadCourseOf(deps, tenantId, courseId)

  const enrol = (actor: Actor.Actor, input: typeof EnrolmentModel.CourseWorker.Encoded) =>
    queued(input)(
      deps.commands.run({
        name: "enrol",
        title: "课程报名",
        input: EnrolmentModel.CourseWorker,
        raw: input,
        actor,
        body: (i, ctx) =>
          Effect.gen(function* () {
            const current = yield* loadCourse(i.tenantId, i.courseId)
            const course = current.value
            const workerId = yield* subjectFor(deps, ctx.actor, courseTarget(course), Permission.enrol, i.workerId)
            if (course.status !== "open") return yield* refuse(course.id, workerId, "CourseNotOpen")
            if (ctx.now.getTime() >= CourseModel.startsAt(course).getTime())
              return yield* refuse(course.id, workerId, "CourseStarted")
            const worker = yield* load("Worker", workerId, repo.workers.get(i.tenantId, workerId))
            if (worker.value.status !== "active") return yield* refuse(course.id, workerId, "WorkerNotActive")
            const id = EnrolmentModel.idOf(course.id, workerId)
            const existing = yield* repo.enrolments.get(i.tenantId, id)
            const seats = Option.match(existing, { onNone: () => [], onSome: (e) => [EnrolmentModel.seat(e.value)] })
            const decision = yield* decide(
              course.id,
              workerId,
              Capacity.join(
                { capacity: course.capacity, occupied: course.taken, seats },
                workerId,
                worker.value.priority
              )
            )
            const active = yield* repo.enrolments.count(i.tenantId, { worker_id: workerId, state: { in: ACTIVE } })
            if (active >= settings.maxConcurrentCourses) return yield* refuse(course.id, workerId, "TooManyCourses")
            const enrolment = new EnrolmentModel.Enrolment({
              id,
              tenantId: i.tenantId,
              courseId: course.id,
              workerId,
              state: decision.state,
              seq: course.nextSeq,
              priority: worker.value.priority,
              enrolledAt: ctx.now,
              attended: [],
              missed: 0,
              completed: false,
              category: course.category,
              venueId: course.venueId,
              communityCode: course.communityCode,
              startsAt: CourseModel.startsAt(course)
            })
            yield* upsert(repo.enrolments, i.tenantId, existing, enrolment)
            yield* repo.courses.update(
              i.tenantId,
              new CourseModel.Course({
                ...course,
                taken: course.taken + Capacity.occupiedDelta([decision.change]),
                waiting: course.waiting + waitingDelta([decision.change]),
                nextSeq: course.nextSeq + 1
              }),
              current.version
            )
            const key = EnrolmentModel.waitKey(enrolment)
            const position =
              key === null
                ? 0
                : 1 +
                  (yield* repo.enrolments.count(i.tenantId, {
                    course_id: course.id,
                    state: "waitlisted",
                    wait_key: { lt: key }
                  }))
            yield* emit(ctx, i.tenantId, [
              {
                _tag: "EnrolmentConfirmed",
                courseId: course.id,
                workerId,
                title: course.title,
                startsAt: enrolment.startsAt,
                state: decision.state,
                position
              }
            ])
            yield* ctx.audit({
              tenantId: i.tenantId,
              action: "enrolment.enrol",
              targetType: "Course",
              targetId: course.id,
              details: { workerId, state: decision.state }
            })
            return { courseId: course.id, workerId, state: decision.state, position }
          })
      })
    )

  const cancelEnrolment = (actor: Actor.Actor, input: typeof EnrolmentModel.CourseWorker.Encoded) =>
    queued(input)(
      deps.commands.run({
        name: "cancelEnrolment",
        title: "取消报名",
        input: EnrolmentModel.CourseWorker,
        raw: input,
        actor,
        body: (i, ctx) =>
          Effect.gen(function* () {
            const current = yield* loadCourse(i.tenantId, i.courseId)
            const course = current.value
            const workerId = yield* subjectFor(deps, ctx.actor, courseTarget(course), Permission.enrol, i.workerId)
            if (course.status !== "open") return yield* refuse(course.id, workerId, "CourseNotOpen")
            const mine = yield* repo.enrolments.get(i.tenantId, EnrolmentModel.idOf(course.id, workerId))
            if (Option.isNone(mine)) return yield* refuse(course.id, workerId, "NotEnrolled")
            if (
              mine.value.value.state === "confirmed" &&
              ctx.now.getTime() > CourseModel.cancellationDeadline(course).getTime()
            ) {
              return yield* refuse(course.id, workerId, "CancellationDeadlinePassed")
            }
            const head = yield* repo.enrolments.page(i.tenantId, {
              where: { course_id: course.id, state: "waitlisted" },
              orderBy: "wait_key",
              limit: 1
            })
            const rows: ReadonlyArray<Repository.Versioned<EnrolmentModel.Enrolment>> = [mine.value, ...head.items]
            const decision = yield* decide(
              course.id,
              workerId,
              Capacity.leave(
                {
                  capacity: course.capacity,
                  occupied: course.taken,
                  seats: rows.map((r) => EnrolmentModel.seat(r.value))
                },
                workerId
              )
            )
            for (const change of decision.changes) {
              const row = rows.find((r) => r.value.workerId === change.holder)
              if (row === undefined) continue
              const next = new EnrolmentModel.Enrolment({
                ...row.value,
                state: change.to,
                ...(change.to === "cancelled" ? { cancelledAt: ctx.now } : { promotedAt: ctx.now })
              })
              yield* repo.enrolments.update(i.tenantId, next, row.version)
            }
            yield* repo.courses.update(
              i.tenantId,
              new CourseModel.Course({
                ...course,
                taken: course.taken + Capacity.occupiedDelta(decision.changes),
                waiting: course.waiting + waitingDelta(decision.changes)
              }),
              current.version
            )
            if (decision.promoted !== undefined) {
              yield* emit(ctx, i.tenantId, [
                {
                  _tag: "WaitlistPromoted",
                  courseId: course.id,
                  workerId: decision.promoted,
                  title: course.title,
                  startsAt: CourseModel.startsAt(course)
                }
              ])
            }
            yield* ctx.audit({
              tenantId: i.tenantId,
              action: "enrolment.cancel",
              targetType: "Course",
              targetId: course.id,
              details: { workerId, promoted: decision.promoted }
            })
            return { courseId: course.id, workerId, promoted: decision.promoted }
          })
      })
    )

  /** A worker's enrolments (their own; staff with `courses.desk` for anyone). */
  const listEnrolments = (actor: Actor.Actor, input: typeof ListEnrolments.Encoded) =>
    deps.commands.query({
      name: "listEnrolments",
      title: "我的报名",
      input: ListEnrolments,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const own = i.workerId === undefined ? undefined : yield* repo.workers.get(i.tenantId, i.workerId)
          const region = own === undefined ? undefined : Option.getOrUndefined(own)?.value.communityCode
          const target = region === undefined ? { tenantId: i.tenantId } : { tenantId: i.tenantId, regionCode: region }
          const workerId = yield* subjectFor(deps, ctx.actor, target, Permission.desk, i.workerId)
          const rows = yield* repo.enrolments.find(i.tenantId, { worker_id: workerId }, 10_000)
          return rows.map((r) => r.value)
        })
    })

  /** The roster of a course (masked workers): staff in its community, or its own teacher. */
  const roster = (actor: Actor.Actor, input: typeof RosterInput.Encoded) =>
    deps.commands.query({
      name: "roster",
      title: "课程花名册",
      input: RosterInput,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const course = yield* loadCourse(i.tenantId, i.courseId)
          yield* authorizeCourse(deps, ctx.actor, course.value, Permission.attendance)
          const rows = yield* repo.enrolments.find(i.tenantId, { course_id: course.value.id }, 100_000)
          const workers = yield* Effect.forEach(rows, (r) => repo.workers.get(i.tenantId, r.value.workerId))
          return rows.map((r, k) => ({
            workerId: r.value.workerId,
            state: r.value.state,
            attended: r.value.attended.length,
            worker: Option.getOrUndefined(Option.map(workers[k]!, (w) => WorkerModel.view(w.value)))
          }))
        })
    })

  return { enrol, cancelEnrolment, listEnrolments, roster, loadCourse }
}
