import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Layer, Option } from "effect"
import * as CourseMigrations from "../src/CourseMigrations.js"
import { CourseRepo } from "../src/CourseRepo.js"
import * as Courses from "../src/Courses.js"
import { worker } from "../src/internal/conformance.js"
import * as Otp from "../src/Otp.js"
import { at, setup, T0, TENANT, workerActor } from "./fixtures.js"

const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const migrations = [CoreMigrations.migrations, CourseMigrations.migrations]

const service = <E>(store: Layer.Layer<any, E, never>) =>
  Courses.layerSql({ conflictRetries: 10_000 }).pipe(
    Layer.provideMerge(store),
    Layer.provideMerge(Layer.mergeAll(FieldCipher.layerTest(), Otp.makeCapture().layer)),
    Layer.orDie
  )

const stores = [
  ["sqlite", SqliteTesting.layerTest({ migrations }), { skip: false }],
  ["postgres", PgTesting.layerTest({ migrations }), pg],
  ["mysql", MysqlTesting.layerTest({ migrations }), mysql]
] as const

const SEATS = 12
const REGISTRATIONS = 150

for (const [name, store, availability] of stores) {
  describe.skipIf(availability.skip)(`Courses on ${name}`, () => {
    it.effect(
      `${REGISTRATIONS} concurrent registrations for ${SEATS} seats: two service instances, no overbooking, counters and waitlist consistent`,
      () =>
        Effect.gen(function* () {
          yield* at(T0)
          const courses = yield* Courses.Courses
          // a second service instance on the same database (another server process): its enrolments do not
          // queue behind the first's, so the two meet only in the store's optimistic concurrency check
          const second = yield* Courses.make.pipe(
            Effect.provide(
              Layer.mergeAll(Courses.layerSettings({ conflictRetries: 10_000 }), Courses.layerAuthorization())
            )
          )
          const repo = yield* CourseRepo
          const { course } = yield* setup(SEATS)
          const ids = Array.from({ length: REGISTRATIONS }, (_, k) => `${TENANT}-W-${String(k + 1).padStart(6, "0")}`)
          yield* repo.workers.insertMany(
            TENANT,
            ids.map((id, k) => worker(TENANT, id, k.toString(16).padStart(64, "0")))
          )
          const results = yield* Effect.forEach(
            ids,
            (id, k) =>
              (k % 2 === 0 ? courses : second).enrol(workerActor(id), { tenantId: TENANT, courseId: course.id }),
            { concurrency: 32 }
          )
          assert.strictEqual(results.filter((r) => r.state === "confirmed").length, SEATS)
          const confirmed = yield* repo.enrolments.count(TENANT, { course_id: course.id, state: "confirmed" })
          const waiting = yield* repo.enrolments.count(TENANT, { course_id: course.id, state: "waitlisted" })
          assert.deepStrictEqual([confirmed, waiting], [SEATS, REGISTRATIONS - SEATS])
          const stored = Option.getOrThrow(yield* repo.courses.get(TENANT, course.id)).value
          assert.deepStrictEqual(
            [stored.taken, stored.waiting, stored.nextSeq],
            [SEATS, REGISTRATIONS - SEATS, REGISTRATIONS]
          )
          // concurrent cancellations of the confirmed: each promotes exactly one, still never over
          const confirmedIds = results.filter((r) => r.state === "confirmed").map((r) => r.workerId)
          const cancelled = yield* Effect.forEach(
            confirmedIds.slice(0, 5),
            (id, k) =>
              (k % 2 === 0 ? courses : second).cancelEnrolment(workerActor(id), {
                tenantId: TENANT,
                courseId: course.id
              }),
            { concurrency: 5 }
          )
          assert.strictEqual(cancelled.filter((c) => c.promoted !== undefined).length, 5)
          assert.strictEqual(new Set(cancelled.map((c) => c.promoted)).size, 5)
          assert.strictEqual(yield* repo.enrolments.count(TENANT, { course_id: course.id, state: "confirmed" }), SEATS)
        }).pipe(Effect.provide(service(store))),
      { timeout: 120_000 }
    )
  })
}
