import type * as Actor from "@gongzhi/core/Actor"
import * as Capacity from "@gongzhi/core/Capacity"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, Schema } from "effect"
import * as CourseModel from "../../Course.js"
import { CodeRefused, EnrolmentRefused, InvalidTransition } from "../../CourseErrors.js"
import * as EnrolmentModel from "../../Enrolment.js"
import * as Otp from "../../Otp.js"
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
  upsert,
  workerOf
} from "./context.js"
import { decide } from "./enrolment.js"

/** A session of a course. */
export const SessionRef = Schema.Struct({ tenantId: TenantId, courseId: Schema.String, sessionId: Schema.String })

/** A course. */
export const CourseRef = Schema.Struct({ tenantId: TenantId, courseId: Schema.String })

export const make = (
  deps: Deps,
  codes: {
    readonly codeHash: (t: TenantId, scope: string, code: string) => Effect.Effect<string, unknown>
    readonly newCode: (digits: number) => string
  }
) => {
  const { repo, settings } = deps

  const loadCourse = (tenantId: TenantId, courseId: string) => loadCourseOf(deps, tenantId, courseId)

  const sessionOf = (course: CourseModel.Course, sessionId: string) =>
    Option.fromNullable(course.sessions.find((s) => s.id === sessionId))

  const open = (session: CourseModel.Session, now: Date) =>
    session.status === "scheduled" &&
    now.getTime() >= session.startsAt.getTime() - settings.checkInOpensMinutesBefore * 60_000 &&
    now.getTime() < session.endsAt.getTime()

  /** A one-time code for a session, shown at the venue (valid until the session ends; only its hash is kept). */
  const issueVenueCode = (actor: Actor.Actor, input: typeof SessionRef.Encoded) =>
    deps.commands.run({
      name: "issueVenueCode",
      title: "生成签到码",
      input: SessionRef,
      raw: input,
      actor,
      prepare: () => Effect.succeed(codes.newCode(settings.otp.digits)),
      body: (i, ctx, code) =>
        Effect.gen(function* () {
          const course = yield* loadCourse(i.tenantId, i.courseId)
          yield* authorizeCourse(deps, ctx.actor, course.value, Permission.attendance)
          const session = Option.getOrUndefined(sessionOf(course.value, i.sessionId))
          if (session === undefined) return yield* ctx.invalid(`课次不存在：${i.sessionId}`, "sessionId")
          const id = `v:${course.value.id}:${session.id}`
          const hash = yield* Effect.orDie(codes.codeHash(i.tenantId, id, code))
          const record = new Otp.OtpRecord({
            id,
            tenantId: i.tenantId,
            kind: "client",
            codeHash: hash,
            expiresAt: session.endsAt,
            attempts: 0,
            sends: [ctx.now]
          })
          const before = yield* repo.otp.get(i.tenantId, id)
          yield* upsert(repo.otp, i.tenantId, before, record)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "session.code",
            targetType: "Course",
            targetId: course.value.id,
            details: { sessionId: session.id }
          })
          return { code, expiresAt: session.endsAt }
        })
    })

  /** Checks a worker in to a session: staff (or the course's teacher) name the worker; a worker gives the venue code. */
  const checkIn = (actor: Actor.Actor, input: typeof EnrolmentModel.CheckIn.Encoded) =>
    deps.commands
      .run({
        name: "checkIn",
        title: "课次签到",
        input: EnrolmentModel.CheckIn,
        raw: input,
        actor,
        prepare: (i) =>
          i.code === undefined
            ? Effect.succeed(undefined)
            : Effect.orDie(codes.codeHash(i.tenantId, `v:${i.courseId}:${i.sessionId}`, i.code)),
        body: (i, ctx, hash) =>
          Effect.gen(function* () {
            const course = (yield* loadCourse(i.tenantId, i.courseId)).value
            const self = workerOf(ctx.actor)
            let workerId: string
            let method: "staff" | "code"
            if (self !== undefined && (i.workerId === undefined || i.workerId === self)) {
              workerId = yield* subjectFor(deps, ctx.actor, courseTarget(course), Permission.attendance, undefined)
              method = "code"
              if (hash === undefined) return yield* ctx.invalid("请输入现场签到码", "code")
              const lockId = `v:${course.id}:${i.sessionId}:${workerId}`
              const lock = yield* repo.otp.get(i.tenantId, lockId)
              const tries = Option.match(lock, { onNone: () => 0, onSome: (l) => l.value.attempts })
              if (tries >= settings.otp.maxAttempts) return yield* new CodeRefused({ reason: "TooManyAttempts" })
              const record = yield* repo.otp.get(i.tenantId, `v:${course.id}:${i.sessionId}`)
              const ok = Option.match(record, {
                onNone: () => false,
                onSome: (r) => r.value.codeHash === hash && (r.value.expiresAt?.getTime() ?? 0) > ctx.now.getTime()
              })
              if (!ok) return yield* new CodeRefused({ reason: "Wrong" })
            } else {
              if (i.workerId === undefined) return yield* ctx.invalid("请指定学员编号（workerId）", "workerId")
              workerId = i.workerId
              method = "staff"
              yield* authorizeCourse(deps, ctx.actor, course, Permission.attendance)
            }
            const session = Option.getOrUndefined(sessionOf(course, i.sessionId))
            if (session === undefined) return yield* ctx.invalid(`课次不存在：${i.sessionId}`, "sessionId")
            if (!open(session, ctx.now) || course.status !== "open") {
              return yield* new EnrolmentRefused({ courseId: course.id, workerId, reason: "SessionNotOpen" })
            }
            const row = yield* repo.enrolments.get(i.tenantId, EnrolmentModel.idOf(course.id, workerId))
            const enrolment = Option.getOrUndefined(row)
            const here = enrolment?.value.attended.some((a) => a.sessionId === session.id) === true
            // this session's roster: the worker's seat, checked in once they have attended it
            const seat: ReadonlyArray<Capacity.Seat> =
              enrolment === undefined
                ? []
                : [{ ...EnrolmentModel.seat(enrolment.value), state: here ? "checked-in" : enrolment.value.state }]
            yield* decide(
              course.id,
              workerId,
              Capacity.checkIn({ capacity: course.capacity, occupied: course.taken, seats: seat }, workerId)
            )
            const next = new EnrolmentModel.Enrolment({
              ...enrolment!.value,
              attended: [...enrolment!.value.attended, { sessionId: session.id, at: ctx.now, method }]
            })
            yield* repo.enrolments.update(i.tenantId, next, enrolment!.version)
            yield* ctx.audit({
              tenantId: i.tenantId,
              action: "session.checkIn",
              targetType: "Course",
              targetId: course.id,
              details: { workerId, sessionId: session.id, method }
            })
            return { courseId: course.id, sessionId: session.id, workerId, attended: next.attended.length }
          })
      })
      .pipe(
        Effect.tapErrorTag("CodeRefused", () => {
          const self = workerOf(actor)
          if (self === undefined) return Effect.void
          const id = `v:${input.courseId}:${input.sessionId}:${self}`
          const tenantId = input.tenantId as TenantId
          return deps.commands
            .transact(
              Effect.gen(function* () {
                const lock = yield* repo.otp.get(tenantId, id)
                const record = new Otp.OtpRecord({
                  id,
                  tenantId,
                  kind: "client",
                  attempts: Option.match(lock, { onNone: () => 1, onSome: (l) => l.value.attempts + 1 }),
                  sends: []
                })
                yield* upsert(repo.otp, tenantId, lock, record)
              })
            )
            .pipe(Effect.ignore)
        })
      )

  /** Closes a session after its end: workers with a place who did not come are counted as absent; their no-shows lower their waitlist priority. */
  const closeSession = (actor: Actor.Actor, input: typeof SessionRef.Encoded) =>
    deps.commands.run({
      name: "closeSession",
      title: "结束课次",
      input: SessionRef,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadCourse(i.tenantId, i.courseId)
          const course = current.value
          yield* authorizeCourse(deps, ctx.actor, course, Permission.attendance)
          const session = Option.getOrUndefined(sessionOf(course, i.sessionId))
          if (session === undefined) return yield* ctx.invalid(`课次不存在：${i.sessionId}`, "sessionId")
          if (session.status !== "scheduled" || ctx.now.getTime() < session.endsAt.getTime()) {
            return yield* new InvalidTransition({
              entity: "Session",
              id: session.id,
              state: session.status === "scheduled" ? "未到结束时间" : session.status,
              action: "结束课次"
            })
          }
          yield* repo.courses.update(
            i.tenantId,
            new CourseModel.Course({
              ...course,
              sessions: course.sessions.map((s) =>
                s.id === session.id ? new CourseModel.Session({ ...s, status: "closed" }) : s
              )
            }),
            current.version
          )
          const confirmed = yield* repo.enrolments.find(
            i.tenantId,
            { course_id: course.id, state: "confirmed" },
            100_000
          )
          // core Capacity.close: those still only "confirmed" on this session's roster did not come
          const roster: Capacity.Roster = {
            capacity: course.capacity,
            seats: confirmed.map((r) => ({
              ...EnrolmentModel.seat(r.value),
              state: r.value.attended.some((a) => a.sessionId === session.id) ? "checked-out" : "confirmed"
            }))
          }
          const absent = new Set(
            Capacity.close(roster)
              .filter((c) => c.to === "no-show")
              .map((c) => c.holder)
          )
          for (const row of confirmed) {
            if (!absent.has(row.value.workerId)) continue
            yield* repo.enrolments.update(
              i.tenantId,
              new EnrolmentModel.Enrolment({ ...row.value, missed: row.value.missed + 1 }),
              row.version
            )
            const worker = yield* load("Worker", row.value.workerId, repo.workers.get(i.tenantId, row.value.workerId))
            const noShows = worker.value.noShows + 1
            yield* repo.workers.update(
              i.tenantId,
              new WorkerModel.Worker({
                ...worker.value,
                noShows,
                priority: WorkerModel.penalty(noShows, settings.noShowThreshold)
              }),
              worker.version
            )
          }
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "session.close",
            targetType: "Course",
            targetId: course.id,
            details: { sessionId: session.id, absent: absent.size }
          })
          return { sessionId: session.id, present: confirmed.length - absent.size, absent: absent.size }
        })
    })

  /**
   * Finishes a course once its sessions are over: each worker with a place completed it or not by
   * the course's rule; the completed get a numbered certificate (`YYYY-KC-000001`), and are told.
   */
  const finishCourse = (actor: Actor.Actor, input: typeof CourseRef.Encoded) =>
    deps.commands.run({
      name: "finishCourse",
      title: "结课并出具证书",
      input: CourseRef,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadCourse(i.tenantId, i.courseId)
          const course = current.value
          yield* ctx.authorize(Permission.certificates, courseTarget(course))
          if (course.status !== "open" || course.sessions.some((s) => s.status === "scheduled")) {
            return yield* new InvalidTransition({
              entity: "Course",
              id: course.id,
              state: course.status === "open" ? "仍有未结束的课次" : course.status,
              action: "结课"
            })
          }
          yield* repo.courses.update(
            i.tenantId,
            new CourseModel.Course({ ...course, status: "finished" }),
            current.version
          )
          const rows = yield* repo.enrolments.find(
            i.tenantId,
            { course_id: course.id, state: { in: ["confirmed", "waitlisted"] } },
            100_000
          )
          const year = new Date(ctx.now.getTime() + 8 * 3_600_000).getUTCFullYear()
          const issued: Array<{ readonly workerId: string; readonly number: string }> = []
          for (const row of rows) {
            const e = row.value
            const took = e.state === "confirmed"
            const completed = took && CourseModel.completes(course, e.attended.length)
            let number: string | undefined
            if (completed) {
              const n = yield* repo.next(i.tenantId, `certificate:${year}`)
              number = `${year}-KC-${String(n).padStart(6, "0")}`
              issued.push({ workerId: e.workerId, number })
            }
            const state: Capacity.SeatState = !took ? "cancelled" : e.attended.length > 0 ? "checked-out" : "no-show"
            yield* repo.enrolments.update(
              i.tenantId,
              new EnrolmentModel.Enrolment({
                ...e,
                state,
                completed,
                certificateNumber: number,
                certificateIssuedAt: number === undefined ? undefined : ctx.now
              }),
              row.version
            )
          }
          yield* emit(
            ctx,
            i.tenantId,
            issued.map((c) => ({
              _tag: "CertificateIssued" as const,
              courseId: course.id,
              workerId: c.workerId,
              title: course.title,
              number: c.number
            }))
          )
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "course.finish",
            targetType: "Course",
            targetId: course.id,
            details: { certificates: issued.length }
          })
          return { courseId: course.id, certificates: issued }
        })
    })

  return { issueVenueCode, checkIn, closeSession, finishCourse }
}
