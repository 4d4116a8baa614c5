import { assert, describe, it } from "@effect/vitest"
import * as Outbox from "@gongzhi/core/Outbox"
import { Effect, Either } from "effect"
import * as CourseEvents from "../src/CourseEvents.js"
import * as Courses from "../src/Courses.js"
import * as Statistics from "../src/Statistics.js"
import {
  admin,
  at,
  COMMUNITY_1,
  DAY,
  deskWorkers,
  HOUR,
  memory,
  portal,
  setup,
  T0,
  TENANT,
  teacher,
  venueStaff,
  workerActor
} from "./fixtures.js"

const events = Effect.gen(function* () {
  const outbox = yield* Outbox.Outbox
  const page = yield* outbox.list(TENANT, { limit: 1000 })
  return page.items.map((e) => e.event.type)
})

describe("Courses: catalogue", () => {
  it.effect("refuses a fee unless the district allows fees", () => {
    const { layer } = memory()
    return Effect.gen(function* () {
      yield* at(T0)
      const courses = yield* Courses.Courses
      const { venue } = yield* setup(10)
      const refused = yield* Effect.either(
        courses.offerCourse(admin, {
          tenantId: TENANT,
          title: "收费课",
          category: "skills",
          provider: { kind: "partner", name: "某培训机构" },
          teacherId: "T9",
          teacherName: "赵老师",
          venueId: venue.id,
          feeFen: 5000,
          sessions: [{ startsAt: new Date(T0 + DAY).toISOString(), endsAt: new Date(T0 + DAY + HOUR).toISOString() }]
        })
      )
      assert.isTrue(Either.isLeft(refused))
      if (Either.isLeft(refused)) {
        assert.strictEqual(refused.left._tag, "FeeNotAllowed")
        assert.match(refused.left.message, /^坪工学堂课程一律免费/)
      }
      const tooBig = yield* Effect.either(
        courses.offerCourse(admin, {
          tenantId: TENANT,
          title: "大课",
          category: "law",
          provider: { kind: "union", name: "坪山区总工会" },
          teacherId: "T9",
          teacherName: "赵老师",
          venueId: venue.id,
          capacity: 500,
          sessions: [{ startsAt: new Date(T0 + DAY).toISOString(), endsAt: new Date(T0 + DAY + HOUR).toISOString() }]
        })
      )
      assert.strictEqual(Either.isLeft(tooBig) && tooBig.left._tag, "InvalidInput")
    }).pipe(Effect.provide(layer))
  })

  it.effect("allows a fee when the district setting does", () => {
    const { layer } = memory({ allowFees: true })
    return Effect.gen(function* () {
      yield* at(T0)
      const courses = yield* Courses.Courses
      const { venue } = yield* setup(10)
      const course = yield* courses.offerCourse(admin, {
        tenantId: TENANT,
        title: "收费课",
        category: "skills",
        provider: { kind: "partner", name: "某培训机构" },
        teacherId: "T9",
        teacherName: "赵老师",
        venueId: venue.id,
        feeFen: 5000,
        sessions: [{ startsAt: new Date(T0 + DAY).toISOString(), endsAt: new Date(T0 + DAY + HOUR).toISOString() }]
      })
      assert.strictEqual(course.feeFen, 5000)
    }).pipe(Effect.provide(layer))
  })
})

describe("Courses: registration by SMS code", () => {
  it.effect("registers with the code sent; masks the number; refuses a second registration of the number", () => {
    const { capture, layer } = memory()
    return Effect.gen(function* () {
      yield* at(T0)
      const courses = yield* Courses.Courses
      const sent = yield* courses.requestCode(portal, { tenantId: TENANT, mobile: "13800138000", clientKey: "ip-1" })
      assert.deepStrictEqual(sent, { sent: true, ttlSeconds: 300 })
      const code = capture.lastCode("13800138000")!
      assert.match(code, /^\d{6}$/)
      const worker = yield* courses.registerWorker(portal, {
        tenantId: TENANT,
        name: "李四",
        mobile: "13800138000",
        code,
        employer: { name: "坪山某电子厂", creditCode: "91350100M000100Y43" },
        communityCode: COMMUNITY_1,
        consent: { purpose: "坪工学堂报名与结业证书" }
      })
      assert.strictEqual(worker.maskedMobile, "138****8000")
      assert.strictEqual(worker.id, "440310-W-000001")
      assert.notInclude(JSON.stringify(worker), "13800138000")
      // the code is spent
      const again = yield* Effect.either(
        courses.registerWorker(portal, {
          tenantId: TENANT,
          name: "李四",
          mobile: "13800138000",
          code,
          communityCode: COMMUNITY_1,
          consent: { purpose: "x" }
        })
      )
      assert.strictEqual(Either.isLeft(again) && again.left._tag, "CodeRefused")
      yield* at(T0 + 61_000)
      yield* courses.requestCode(portal, { tenantId: TENANT, mobile: "13800138000", clientKey: "ip-1" })
      const dup = yield* Effect.either(
        courses.registerWorker(portal, {
          tenantId: TENANT,
          name: "李四",
          mobile: "138 0013 8000",
          code: capture.lastCode("13800138000")!,
          communityCode: COMMUNITY_1,
          consent: { purpose: "x" }
        })
      )
      assert.strictEqual(Either.isLeft(dup) && dup.left._tag, "AlreadyRegistered")
    }).pipe(Effect.provide(layer))
  })

  it.effect("counts wrong codes (then locks), expires codes, and rate-limits per number and per client key", () => {
    const { capture, layer } = memory({ otp: { perClientPerHour: 3 } })
    return Effect.gen(function* () {
      yield* at(T0)
      const courses = yield* Courses.Courses
      const register = (code: string, mobile = "13900000001") =>
        Effect.either(
          courses.registerWorker(portal, {
            tenantId: TENANT,
            name: "王五",
            mobile,
            code,
            communityCode: COMMUNITY_1,
            consent: { purpose: "x" }
          })
        )
      const reason = (e: Either.Either<unknown, { readonly _tag: string; readonly reason?: string }>) =>
        Either.isLeft(e) ? (e.left.reason ?? e.left._tag) : "ok"
      assert.strictEqual(reason(yield* register("123456")), "NoCode")
      yield* courses.requestCode(portal, { tenantId: TENANT, mobile: "13900000001", clientKey: "ip-9" })
      const good = capture.lastCode("13900000001")!
      const wrong = good === "000000" ? "111111" : "000000"
      for (let k = 0; k < 4; k++) assert.strictEqual(reason(yield* register(wrong)), "Wrong")
      assert.strictEqual(reason(yield* register(wrong)), "TooManyAttempts")
      // the right code no longer helps once attempts ran out
      assert.strictEqual(reason(yield* register(good)), "TooManyAttempts")
      // too soon for another code to the same number
      const soon = yield* Effect.either(
        courses.requestCode(portal, { tenantId: TENANT, mobile: "13900000001", clientKey: "ip-9" })
      )
      assert.strictEqual(Either.isLeft(soon) && soon.left._tag === "CodeRefused" && soon.left.reason, "TooSoon")
      yield* at(T0 + 2 * 60_000)
      yield* courses.requestCode(portal, { tenantId: TENANT, mobile: "13900000001", clientKey: "ip-9" })
      yield* at(T0 + 2 * 60_000 + 301_000)
      assert.strictEqual(reason(yield* register(capture.lastCode("13900000001")!)), "Expired")
      // the client key has had 2 codes; a third is allowed, the fourth refused
      yield* courses.requestCode(portal, { tenantId: TENANT, mobile: "13900000002", clientKey: "ip-9" })
      const client = yield* Effect.either(
        courses.requestCode(portal, { tenantId: TENANT, mobile: "13900000003", clientKey: "ip-9" })
      )
      assert.strictEqual(
        Either.isLeft(client) && client.left._tag === "CodeRefused" && client.left.reason,
        "ClientLimit"
      )
      // no error message carries the number
      assert.notInclude(Either.isLeft(client) ? client.left.message : "", "13900000003")
    }).pipe(Effect.provide(layer))
  })
})

describe("Courses: enrolment", () => {
  it.effect("confirms up to the seats, waitlists in order, promotes exactly one per cancellation, tells them", () => {
    const { layer } = memory()
    return Effect.gen(function* () {
      yield* at(T0)
      const courses = yield* Courses.Courses
      const { course } = yield* setup(2)
      const ids = yield* deskWorkers(5)
      const results = []
      for (const id of ids)
        results.push(yield* courses.enrol(workerActor(id), { tenantId: TENANT, courseId: course.id }))
      assert.deepStrictEqual(
        results.map((r) => [r.state, r.position]),
        [
          ["confirmed", 0],
          ["confirmed", 0],
          ["waitlisted", 1],
          ["waitlisted", 2],
          ["waitlisted", 3]
        ]
      )
      const dup = yield* Effect.either(courses.enrol(workerActor(ids[0]!), { tenantId: TENANT, courseId: course.id }))
      assert.strictEqual(
        Either.isLeft(dup) && dup.left._tag === "EnrolmentRefused" && dup.left.reason,
        "AlreadyEnrolled"
      )
      // a waitlisted worker leaving promotes nobody
      const w = yield* courses.cancelEnrolment(workerActor(ids[3]!), { tenantId: TENANT, courseId: course.id })
      assert.isUndefined(w.promoted)
      const c = yield* courses.cancelEnrolment(workerActor(ids[0]!), { tenantId: TENANT, courseId: course.id })
      assert.strictEqual(c.promoted, ids[2])
      const c2 = yield* courses.cancelEnrolment(workerActor(ids[1]!), { tenantId: TENANT, courseId: course.id })
      assert.strictEqual(c2.promoted, ids[4])
      const mine = yield* courses.listEnrolments(workerActor(ids[4]!), { tenantId: TENANT })
      assert.deepStrictEqual(
        mine.map((e) => e.state),
        ["confirmed"]
      )
      const types = yield* events
      assert.strictEqual(types.filter((t) => t === CourseEvents.eventType("WaitlistPromoted")).length, 2)
      assert.strictEqual(types.filter((t) => t === CourseEvents.eventType("EnrolmentConfirmed")).length, 5)
    }).pipe(Effect.provide(layer))
  })

  it.effect(
    "refuses a cancellation after the deadline, an enrolment after the start, and too many courses at once",
    () => {
      const { layer } = memory({ maxConcurrentCourses: 1 })
      return Effect.gen(function* () {
        yield* at(T0)
        const courses = yield* Courses.Courses
        const { course } = yield* setup(5)
        const other = yield* setup(5)
        const [id] = yield* deskWorkers(1)
        yield* courses.enrol(workerActor(id!), { tenantId: TENANT, courseId: course.id })
        const limit = yield* Effect.either(
          courses.enrol(workerActor(id!), { tenantId: TENANT, courseId: other.course.id })
        )
        assert.strictEqual(
          Either.isLeft(limit) && limit.left._tag === "EnrolmentRefused" && limit.left.reason,
          "TooManyCourses"
        )
        yield* at(T0 + 7 * DAY) // 11 hours before the first session, inside the 24-hour deadline
        const late = yield* Effect.either(
          courses.cancelEnrolment(workerActor(id!), { tenantId: TENANT, courseId: course.id })
        )
        assert.strictEqual(
          Either.isLeft(late) && late.left._tag === "EnrolmentRefused" && late.left.reason,
          "CancellationDeadlinePassed"
        )
        assert.match(Either.isLeft(late) ? late.left.message : "", /^已过取消报名截止时间/)
        yield* at(T0 + 7 * DAY + 12 * HOUR)
        const [id2] = yield* deskWorkers(1, 50)
        const started = yield* Effect.either(
          courses.enrol(workerActor(id2!), { tenantId: TENANT, courseId: course.id })
        )
        assert.strictEqual(
          Either.isLeft(started) && started.left._tag === "EnrolmentRefused" && started.left.reason,
          "CourseStarted"
        )
      }).pipe(Effect.provide(layer))
    }
  )

  it.effect("concurrent enrolments never overbook", () => {
    const { layer } = memory({ conflictRetries: 1000 })
    return Effect.gen(function* () {
      yield* at(T0)
      const courses = yield* Courses.Courses
      const { course } = yield* setup(10)
      const ids = yield* deskWorkers(60)
      const results = yield* Effect.forEach(
        ids,
        (id) => courses.enrol(workerActor(id), { tenantId: TENANT, courseId: course.id }),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(results.filter((r) => r.state === "confirmed").length, 10)
      assert.deepStrictEqual(
        results
          .filter((r) => r.state === "waitlisted")
          .map((r) => r.position)
          .sort((a, b) => a - b),
        Array.from({ length: 50 }, (_, k) => k + 1)
      )
    }).pipe(Effect.provide(layer))
  })
})

describe("Courses: attendance, no-shows, completion, certificates, feedback, statistics", () => {
  it.effect("runs a course end to end", () => {
    const { layer } = memory({ noShowThreshold: 1 })
    return Effect.gen(function* () {
      yield* at(T0)
      const courses = yield* Courses.Courses
      const { course } = yield* setup(3, 2)
      const ids = yield* deskWorkers(4)
      for (const id of ids) yield* courses.enrol(workerActor(id), { tenantId: TENANT, courseId: course.id })
      const [a, b, c, d] = ids as [string, string, string, string]
      // the day before the first session: a reminder to the three with a place
      yield* at(T0 + 6 * DAY + 10 * HOUR)
      const reminded = yield* courses.remindSessions(admin, { tenantId: TENANT })
      assert.strictEqual(reminded.sessions, 1)
      assert.strictEqual((yield* courses.remindSessions(admin, { tenantId: TENANT })).sessions, 0)
      // session 1: staff check a in, b uses the venue code, c does not come
      yield* at(T0 + 7 * DAY + 11 * HOUR)
      yield* courses.checkIn(venueStaff(COMMUNITY_1), {
        tenantId: TENANT,
        courseId: course.id,
        sessionId: "S1",
        workerId: a
      })
      const { code } = yield* courses.issueVenueCode(teacher("T001"), {
        tenantId: TENANT,
        courseId: course.id,
        sessionId: "S1"
      })
      const wrong = yield* Effect.either(
        courses.checkIn(workerActor(b), {
          tenantId: TENANT,
          courseId: course.id,
          sessionId: "S1",
          code: code === "000000" ? "111111" : "000000"
        })
      )
      assert.strictEqual(Either.isLeft(wrong) && wrong.left._tag, "CodeRefused")
      yield* courses.checkIn(workerActor(b), { tenantId: TENANT, courseId: course.id, sessionId: "S1", code })
      const twice = yield* Effect.either(
        courses.checkIn(workerActor(b), { tenantId: TENANT, courseId: course.id, sessionId: "S1", code })
      )
      assert.strictEqual(
        Either.isLeft(twice) && twice.left._tag === "EnrolmentRefused" && twice.left.reason,
        "AlreadyCheckedIn"
      )
      const waiting = yield* Effect.either(
        courses.checkIn(venueStaff(COMMUNITY_1), {
          tenantId: TENANT,
          courseId: course.id,
          sessionId: "S1",
          workerId: d
        })
      )
      assert.strictEqual(
        Either.isLeft(waiting) && waiting.left._tag === "EnrolmentRefused" && waiting.left.reason,
        "NotEnrolled"
      )
      yield* at(T0 + 7 * DAY + 13 * HOUR)
      const closed = yield* courses.closeSession(teacher("T001"), {
        tenantId: TENANT,
        courseId: course.id,
        sessionId: "S1"
      })
      assert.deepStrictEqual([closed.present, closed.absent], [2, 1])
      const penalised = yield* courses.getWorker(venueStaff(COMMUNITY_1), { tenantId: TENANT, workerId: c })
      assert.deepStrictEqual([penalised.noShows, penalised.priority], [1, -1])
      // session 2: only a comes
      yield* at(T0 + 14 * DAY + 11 * HOUR)
      yield* courses.checkIn(admin, { tenantId: TENANT, courseId: course.id, sessionId: "S2", workerId: a })
      yield* at(T0 + 14 * DAY + 13 * HOUR)
      yield* courses.closeSession(admin, { tenantId: TENANT, courseId: course.id, sessionId: "S2" })
      const finished = yield* courses.finishCourse(admin, { tenantId: TENANT, courseId: course.id })
      // a 2/2 completes; b 1/2 = 50 % < 80 %; c 0/2
      assert.deepStrictEqual(
        finished.certificates.map((x) => [x.workerId, x.number]),
        [[a, "2026-KC-000001"]]
      )
      const html = yield* courses.certificate(workerActor(a), { tenantId: TENANT, courseId: course.id })
      assert.include(html, "2026-KC-000001")
      assert.include(html, "电工基础")
      assert.include(html, "出勤 2 课次")
      assert.notInclude(html, "139")
      const none = yield* Effect.either(courses.certificate(workerActor(b), { tenantId: TENANT, courseId: course.id }))
      assert.isTrue(Either.isLeft(none))
      // feedback from those who came, themes through a segmenter passed in
      yield* courses.giveFeedback(workerActor(a), {
        tenantId: TENANT,
        courseId: course.id,
        rating: 5,
        text: "希望 增加 电工证 考试 辅导"
      })
      yield* courses.giveFeedback(workerActor(b), {
        tenantId: TENANT,
        courseId: course.id,
        rating: 4,
        text: "电工证 考试 时间 晚上"
      })
      const absentFeedback = yield* Effect.either(
        courses.giveFeedback(workerActor(c), { tenantId: TENANT, courseId: course.id, rating: 1, text: "x" })
      )
      assert.strictEqual(Either.isLeft(absentFeedback) && absentFeedback.left._tag, "NotOwnRecord")
      const themes = yield* courses.feedbackThemes(admin, { tenantId: TENANT }, (t) => t.split(/\s+/))
      assert.strictEqual(themes.averageRating, 4.5)
      assert.deepStrictEqual(themes.themes.slice(0, 2), [
        { word: "电工证", count: 2 },
        { word: "考试", count: 2 }
      ])
      const stats = yield* courses.statistics(admin, { tenantId: TENANT, by: "month" })
      assert.deepStrictEqual(
        stats.rows.map((r) => r.key),
        ["2026-03"]
      )
      assert.deepStrictEqual(
        { ...stats.total, key: "合计" },
        { key: "合计", courses: 1, seats: 3, enrolled: 3, fillRate: 1, attendanceRate: 0.5, workers: 3, completed: 1 }
      )
      const csv = Statistics.toCsv(stats)
      assert.include(csv, "分组,课程数,名额,报名人数,满班率,出勤率,服务学员数,结业人数")
      assert.include(csv, "2026-03,1,3,3,1,0.5,3,1")
      const xlsx = yield* Effect.promise(() => Statistics.toXlsx(stats))
      assert.deepStrictEqual([...xlsx.slice(0, 2)], [0x50, 0x4b]) // a zip
      const types = yield* events
      assert.include(types, CourseEvents.eventType("SessionReminder"))
      assert.include(types, CourseEvents.eventType("CertificateIssued"))
    }).pipe(Effect.provide(layer))
  })

  it.effect("a cancelled session tells the workers with a place", () => {
    const { layer } = memory()
    return Effect.gen(function* () {
      yield* at(T0)
      const courses = yield* Courses.Courses
      const { course } = yield* setup(3, 2)
      const ids = yield* deskWorkers(2)
      for (const id of ids) yield* courses.enrol(workerActor(id), { tenantId: TENANT, courseId: course.id })
      yield* courses.cancelSession(admin, {
        tenantId: TENANT,
        courseId: course.id,
        sessionId: "S2",
        reason: "台风停课"
      })
      const outbox = yield* Outbox.Outbox
      const cancelled = (yield* outbox.list(TENANT, { limit: 100 })).items
        .map((e) => e.event)
        .find((e) => e.type === CourseEvents.eventType("SessionCancelled"))!
      const payload = yield* CourseEvents.fromOutbox(cancelled)
      assert.deepStrictEqual(payload._tag === "SessionCancelled" && [...payload.workerIds].sort(), [...ids].sort())
    }).pipe(Effect.provide(layer))
  })
})
