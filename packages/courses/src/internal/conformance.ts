// The conformance suite of the course repository port (run by every store).
import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { freshTenant } from "@gongzhi/core/testing"
import { Effect, type Layer, Option } from "effect"
import { Course, Session } from "../Course.js"
import { CourseRepo } from "../CourseRepo.js"
import { Enrolment, waitKey } from "../Enrolment.js"
import { Provider } from "../Venue.js"
import { SealedMobile, Worker } from "../Worker.js"

/** A backend: `layer` builds a FRESH store offering the port and the `Transactor` (and `SqlClient` when `sql`). */
export interface StoreBackend {
  readonly name: string
  readonly layer: Layer.Layer<CourseRepo | Transactor.Transactor, unknown>
  readonly sql?: boolean | undefined
}

const T = new Date("2026-03-07T03:00:00Z")

export const course = (tenantId: TenantId, id: string, extra: Partial<Course> = {}) =>
  new Course({
    id,
    tenantId,
    title: "电工基础",
    category: "skills",
    provider: new Provider({ kind: "union", name: "坪山区总工会" }),
    teacherId: "T001" as Course["teacherId"],
    teacherName: "王老师",
    venueId: "V0001",
    communityCode: "440310001001" as Course["communityCode"],
    capacity: 2,
    feeFen: 0,
    completionPercent: 80,
    cancelBeforeHours: 24,
    status: "open",
    sessions: [
      new Session({
        id: "S1",
        startsAt: T,
        endsAt: new Date(T.getTime() + 7_200_000),
        status: "scheduled",
        reminded: false
      })
    ],
    taken: 0,
    waiting: 0,
    nextSeq: 0,
    createdAt: T,
    ...extra
  })

export const enrolment = (tenantId: TenantId, courseId: string, workerId: string, extra: Partial<Enrolment> = {}) =>
  new Enrolment({
    id: `${courseId}:${workerId}`,
    tenantId,
    courseId,
    workerId,
    state: "confirmed",
    seq: 0,
    priority: 0,
    enrolledAt: T,
    attended: [],
    missed: 0,
    completed: false,
    category: "skills",
    venueId: "V0001",
    communityCode: "440310001001",
    startsAt: T,
    ...extra
  })

export const worker = (tenantId: TenantId, id: string, index: string) =>
  new Worker({
    id,
    tenantId,
    name: "张三",
    mobile: new SealedMobile({
      ciphertext: `gz1.test.${"A".repeat(16)}.QUJD.${"B".repeat(22)}` as SealedMobile["ciphertext"],
      blindIndex: index,
      masked: "139****0001"
    }),
    communityCode: "440310001001" as Worker["communityCode"],
    consent: { purpose: "坪工学堂", at: T },
    registeredBy: "desk",
    status: "active",
    noShows: 0,
    priority: 0,
    createdAt: T
  })

const hex = (c: string) => c.repeat(64)

export const courseRepoSuite = (backend: StoreBackend): void => {
  describe(`CourseRepo conformance (${backend.name})`, () => {
    layer(backend.layer, { timeout: 180_000 })((it) => {
      it.effect("stores courses and enrolments and reads them back (indexed columns included)", () =>
        Effect.gen(function* () {
          const repo = yield* CourseRepo
          const tenantId = freshTenant()
          const c = course(tenantId, "C00001")
          assert.strictEqual((yield* repo.courses.insert(tenantId, c)).version, 1)
          const e = enrolment(tenantId, c.id, "W1", { state: "waitlisted", seq: 3, priority: -1 })
          yield* repo.enrolments.insert(tenantId, e)
          const read = Option.getOrThrow(yield* repo.enrolments.get(tenantId, e.id)).value
          assert.deepStrictEqual([read.state, read.seq, read.priority], ["waitlisted", 3, -1])
          assert.strictEqual(Option.getOrThrow(yield* repo.courses.get(tenantId, c.id)).value.title, "电工基础")
          if (backend.sql) {
            const client = yield* Effect.serviceOption(SqlClient.SqlClient)
            if (Option.isNone(client))
              return yield* Effect.dieMessage("backend.sql is set, but its layer provides no SqlClient")
            const sql = client.value.withoutTransforms()
            const rows = yield* Effect.orDie(
              sql.unsafe<{ wait_key: string; state: string }>(
                `SELECT wait_key, state FROM crs_enrolments WHERE tenant_id = ${sql.onDialectOrElse({ pg: () => "$1", orElse: () => "?" })}`,
                [tenantId]
              )
            )
            assert.deepStrictEqual(
              rows.map((r) => [r.wait_key, r.state]),
              [[waitKey(e), "waitlisted"]]
            )
          }
        })
      )

      it.effect("serves the waitlist head by priority, then arrival", () =>
        Effect.gen(function* () {
          const repo = yield* CourseRepo
          const tenantId = freshTenant()
          const rows = [
            enrolment(tenantId, "C1", "A", { state: "waitlisted", seq: 5, priority: 0 }),
            enrolment(tenantId, "C1", "B", { state: "waitlisted", seq: 2, priority: -1 }),
            enrolment(tenantId, "C1", "C", { state: "waitlisted", seq: 9, priority: 0 }),
            enrolment(tenantId, "C1", "D", { state: "confirmed", seq: 1, priority: 0 })
          ]
          yield* repo.enrolments.insertMany(tenantId, rows)
          const page = yield* repo.enrolments.page(tenantId, {
            where: { course_id: "C1", state: "waitlisted" },
            orderBy: "wait_key",
            limit: 10
          })
          assert.deepStrictEqual(
            page.items.map((r) => r.value.workerId),
            ["A", "C", "B"]
          )
          const ahead = yield* repo.enrolments.count(tenantId, {
            course_id: "C1",
            state: "waitlisted",
            wait_key: { lt: waitKey(rows[2]!)! }
          })
          assert.strictEqual(ahead, 1)
        })
      )

      it.effect("refuses a second worker with the same mobile blind index in a district, not in another", () =>
        Effect.gen(function* () {
          const repo = yield* CourseRepo
          const tenantId = freshTenant()
          yield* repo.workers.insert(tenantId, worker(tenantId, "W1", hex("a")))
          const error = yield* Effect.flip(repo.workers.insert(tenantId, worker(tenantId, "W2", hex("a"))))
          assert.strictEqual(error._tag, "DuplicateKey")
          const other = freshTenant()
          yield* repo.workers.insert(other, worker(other, "W2", hex("a")))
          assert.strictEqual(yield* repo.workers.count(tenantId), 1)
        })
      )

      it.effect("refuses a stale update (optimistic concurrency) and rolls back a failed transaction", () =>
        Effect.gen(function* () {
          const repo = yield* CourseRepo
          const tenantId = freshTenant()
          const c = course(tenantId, "C00002")
          yield* repo.courses.insert(tenantId, c)
          yield* repo.courses.update(tenantId, course(tenantId, c.id, { taken: 1 }), 1)
          const stale = yield* Effect.flip(repo.courses.update(tenantId, course(tenantId, c.id, { taken: 2 }), 1))
          assert.strictEqual(stale._tag, "VersionConflict")
          yield* Effect.flip(
            Transactor.withTransaction(
              Effect.zipRight(
                repo.enrolments.insert(tenantId, enrolment(tenantId, c.id, "W9")),
                Effect.fail("rollback" as const)
              )
            )
          )
          assert.isTrue(Option.isNone(yield* repo.enrolments.get(tenantId, `${c.id}:W9`)))
        })
      )

      it.effect("numbers sequences per district from 1", () =>
        Effect.gen(function* () {
          const repo = yield* CourseRepo
          const tenantId = freshTenant()
          const other = freshTenant()
          const a = [yield* repo.next(tenantId, "certificate:2026"), yield* repo.next(tenantId, "certificate:2026")]
          assert.deepStrictEqual([...a, yield* repo.next(other, "certificate:2026")], [1, 2, 1])
        })
      )
    })
  })
}
