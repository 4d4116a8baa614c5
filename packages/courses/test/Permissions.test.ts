import { assert, describe, it } from "@effect/vitest"
import type * as Actor from "@gongzhi/core/Actor"
import { Effect } from "effect"
import * as Courses from "../src/Courses.js"
import {
  admin,
  at,
  COMMUNITY_1,
  COMMUNITY_2,
  deskWorkers,
  memory,
  setup,
  T0,
  TENANT,
  teacher,
  venueStaff,
  workerActor
} from "./fixtures.js"

type Outcome = "ok" | "Forbidden" | "NotOwnRecord"

const outcome = <A, E extends { readonly _tag: string }, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<Outcome | string, never, R> =>
  Effect.match(self, { onFailure: (e) => e._tag, onSuccess: () => "ok" as const })

describe("Permissions matrix (union admin, venue staff, teacher: own course only, worker: own data only)", () => {
  it.effect("every role against every kind of operation", () => {
    const { layer } = memory()
    return Effect.gen(function* () {
      yield* at(T0)
      const courses = yield* Courses.Courses
      const { course, venue } = yield* setup(5, 1, "T001", COMMUNITY_1)
      const [me, other] = yield* deskWorkers(2)
      yield* courses.enrol(workerActor(other!), { tenantId: TENANT, courseId: course.id })
      const actors: ReadonlyArray<readonly [string, Actor.Actor]> = [
        ["admin", admin],
        ["staff here", venueStaff(COMMUNITY_1)],
        ["staff elsewhere", venueStaff(COMMUNITY_2)],
        ["own teacher", teacher("T001")],
        ["other teacher", teacher("T002")],
        ["worker", workerActor(me!)]
      ]
      let k = 0
      const operations: ReadonlyArray<
        readonly [string, (actor: Actor.Actor) => Effect.Effect<unknown, { readonly _tag: string }>]
      > = [
        [
          "offer a course",
          (a) =>
            courses.offerCourse(a, {
              tenantId: TENANT,
              title: "新课",
              category: "health",
              provider: { kind: "community", name: "社区" },
              teacherId: "T003",
              teacherName: "陈老师",
              venueId: venue.id,
              sessions: [{ startsAt: new Date(T0 + 9e8).toISOString(), endsAt: new Date(T0 + 9.1e8).toISOString() }]
            })
        ],
        [
          "register at the desk",
          (a) =>
            courses.registerAtDesk(a, {
              tenantId: TENANT,
              name: "赵六",
              mobile: `1370000${String(1000 + k++)}`,
              communityCode: COMMUNITY_1,
              consent: { purpose: "x" }
            })
        ],
        [
          "enrol the other worker",
          (a) =>
            courses.enrol(a, { tenantId: TENANT, courseId: course.id, workerId: other! }).pipe(
              Effect.zipLeft(
                courses.cancelEnrolment(admin, { tenantId: TENANT, courseId: course.id, workerId: other! })
              ),
              Effect.catchTag("EnrolmentRefused", () => Effect.void)
            )
        ],
        ["read the roster", (a) => courses.roster(a, { tenantId: TENANT, courseId: course.id })],
        ["read the other worker", (a) => courses.getWorker(a, { tenantId: TENANT, workerId: other! })],
        [
          "list the other worker's enrolments",
          (a) => courses.listEnrolments(a, { tenantId: TENANT, workerId: other! })
        ],
        ["read own enrolments", (a) => courses.listEnrolments(a, { tenantId: TENANT, workerId: me! })],
        ["statistics", (a) => courses.statistics(a, { tenantId: TENANT, by: "category" })]
      ]
      const table: Record<string, Record<string, string>> = {}
      for (const [name, op] of operations) {
        table[name] = {}
        for (const [who, actor] of actors) table[name]![who] = yield* outcome(op(actor))
      }
      const F = "Forbidden"
      const N = "NotOwnRecord"
      assert.deepStrictEqual(table, {
        "offer a course": {
          admin: "ok",
          "staff here": F,
          "staff elsewhere": F,
          "own teacher": F,
          "other teacher": F,
          worker: F
        },
        "register at the desk": {
          admin: "ok",
          "staff here": "ok",
          "staff elsewhere": F,
          "own teacher": F,
          "other teacher": F,
          worker: F
        },
        "enrol the other worker": {
          admin: "ok",
          "staff here": "ok",
          "staff elsewhere": F,
          "own teacher": F,
          "other teacher": F,
          worker: N
        },
        "read the roster": {
          admin: "ok",
          "staff here": "ok",
          "staff elsewhere": F,
          "own teacher": "ok",
          "other teacher": N,
          worker: F
        },
        "read the other worker": {
          admin: "ok",
          "staff here": "ok",
          "staff elsewhere": F,
          "own teacher": F,
          "other teacher": F,
          worker: F
        },
        "list the other worker's enrolments": {
          admin: "ok",
          "staff here": "ok",
          "staff elsewhere": F,
          "own teacher": F,
          "other teacher": F,
          worker: N
        },
        "read own enrolments": {
          admin: "ok",
          "staff here": "ok",
          "staff elsewhere": F,
          "own teacher": F,
          "other teacher": F,
          worker: "ok"
        },
        statistics: {
          admin: "ok",
          "staff here": F,
          "staff elsewhere": F,
          "own teacher": F,
          "other teacher": F,
          worker: F
        }
      })
    }).pipe(Effect.provide(layer))
  })
})
