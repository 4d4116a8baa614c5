import { assert, describe, it } from "@effect/vitest"
import * as Calendar from "@gongzhi/core/Calendar"
import * as HolidayNotice from "@gongzhi/core/HolidayNotice"
import { Effect, FastCheck as fc } from "effect"
import * as WorkPlan from "../src/WorkPlan.js"

const calendar = Effect.runSync(Calendar.make(HolidayNotice.china))

const plan = [
  { id: "req", name: "需求调研", durationDays: 5, owner: "区发改局" },
  { id: "design", name: "方案设计", durationDays: 10, dependsOn: ["req"] },
  { id: "data", name: "数据归集", durationDays: 20, dependsOn: ["req"] },
  { id: "build", name: "系统开发", durationDays: 15, dependsOn: ["design"] },
  { id: "test", name: "联调测试", durationDays: 5, dependsOn: ["build", "data"] }
]

/** Random DAGs: each task depends only on earlier tasks. */
const dagArb = fc.integer({ min: 1, max: 25 }).chain((n) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 15 }), { minLength: n, maxLength: n }),
      fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n })
    )
    .map(([durations, deps]) =>
      durations.map((durationDays, i) => ({
        id: `T${i}`,
        name: `任务${i}`,
        durationDays,
        dependsOn: i === 0 ? [] : [...new Set(deps[i]!.map((d) => `T${d % i}`))]
      }))
    )
)

describe("WorkPlan.schedule", () => {
  it.effect("forwards from a start: earliest dates on working days, slack and the critical path", () =>
    Effect.gen(function* () {
      const schedule = yield* WorkPlan.schedule(calendar, plan, { start: "2026-09-28" })
      const byId = new Map(schedule.tasks.map((t) => [t.id, t]))
      assert.strictEqual(byId.get("req")!.earliestStart, "2026-09-28")
      // 09-28 … 09-30, then the National Day holiday 10-01..07; 09-27 is Sunday, 10-10 a make-up Saturday
      assert.strictEqual(byId.get("req")!.earliestFinish, "2026-10-09")
      assert.strictEqual(byId.get("design")!.earliestStart, "2026-10-10")
      assert.deepStrictEqual(schedule.criticalPath, ["req", "design", "build", "test"])
      assert.strictEqual(byId.get("data")!.slackDays, 5)
      assert.isFalse(byId.get("data")!.critical)
      assert.strictEqual(schedule.spanDays, 35)
      assert.strictEqual(schedule.lateByDays, 0)
    })
  )

  it.effect("backwards from a deadline: the plan finishes on the last working day on or before it", () =>
    Effect.gen(function* () {
      const schedule = yield* WorkPlan.schedule(calendar, plan, { deadline: "2026-10-04" })
      const test = schedule.tasks.find((t) => t.id === "test")!
      assert.strictEqual(test.latestFinish, "2026-09-30")
      assert.strictEqual(schedule.finish, "2026-09-30")
      const req = schedule.tasks.find((t) => t.id === "req")!
      assert.strictEqual(req.latestStart, schedule.start)
      assert.strictEqual(yield* calendar.workingDaysBetween(schedule.start, schedule.finish), schedule.spanDays - 1)
    })
  )

  it.effect("from a start and a deadline: negative slack says how late the plan is", () =>
    Effect.gen(function* () {
      const schedule = yield* WorkPlan.schedule(calendar, plan, { start: "2026-09-28", deadline: "2026-10-30" })
      assert.isTrue(schedule.lateByDays > 0)
      assert.strictEqual(schedule.tasks.find((t) => t.id === "req")!.slackDays, -schedule.lateByDays)
      assert.strictEqual(yield* calendar.workingDaysBetween("2026-10-30", schedule.finish), schedule.lateByDays)
    })
  )

  it.effect("a dependency cycle fails with DependencyCycle naming the cycle", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        WorkPlan.schedule(
          calendar,
          [
            { id: "a", name: "A", durationDays: 1, dependsOn: ["c"] },
            { id: "b", name: "B", durationDays: 1, dependsOn: ["a"] },
            { id: "c", name: "C", durationDays: 1, dependsOn: ["b"] },
            { id: "d", name: "D", durationDays: 1 }
          ],
          { start: "2026-03-02" }
        )
      )
      assert.strictEqual(error._tag, "DependencyCycle")
      if (error._tag !== "DependencyCycle") return
      assert.strictEqual(error.cycle.length, 4)
      assert.strictEqual(error.cycle[0], error.cycle[3])
      assert.sameMembers(error.cycle.slice(0, 3), ["a", "b", "c"])
      // each task in the named cycle is a dependency of the next
      const deps: Record<string, string> = { a: "c", b: "a", c: "b" }
      for (let i = 0; i < 3; i++) assert.strictEqual(deps[error.cycle[i + 1]!], error.cycle[i])
      assert.include(error.message, "循环依赖")
    })
  )

  it.effect("unknown dependencies, duplicate ids and zero durations are typed errors", () =>
    Effect.gen(function* () {
      const unknown = yield* Effect.flip(
        WorkPlan.schedule(calendar, [{ id: "a", name: "A", durationDays: 1, dependsOn: ["x"] }], {
          start: "2026-03-02"
        })
      )
      assert.strictEqual(unknown._tag, "UnknownDependency")
      const duplicate = yield* Effect.flip(
        WorkPlan.schedule(
          calendar,
          [
            { id: "a", name: "A", durationDays: 1 },
            { id: "a", name: "B", durationDays: 1 }
          ],
          { start: "2026-03-02" }
        )
      )
      assert.strictEqual(duplicate._tag, "InvalidInput")
      const zero = yield* Effect.flip(
        WorkPlan.schedule(calendar, [{ id: "a", name: "A", durationDays: 0 }], { start: "2026-03-02" })
      )
      assert.strictEqual(zero._tag, "InvalidInput")
      const outside = yield* Effect.flip(
        WorkPlan.schedule(calendar, [{ id: "a", name: "A", durationDays: 1 }], { start: "2019-03-01" })
      )
      assert.strictEqual(outside._tag, "CalendarOutOfCoverage")
    })
  )

  it("never starts a task before its dependencies finish and never uses a non-working day", () => {
    fc.assert(
      fc.property(
        dagArb,
        fc.constantFrom<WorkPlan.Anchor>(
          { start: "2024-02-05" },
          { deadline: "2026-10-08" },
          { start: "2025-01-01", deadline: "2025-12-31" }
        ),
        (tasks, anchor) => {
          const schedule = Effect.runSync(WorkPlan.schedule(calendar, tasks, anchor))
          const byId = new Map(schedule.tasks.map((t) => [t.id, t]))
          for (const task of schedule.tasks) {
            for (const date of [task.earliestStart, task.earliestFinish, task.latestStart, task.latestFinish]) {
              assert.isTrue(Effect.runSync(calendar.isWorkingDay(date)), `${date} is a working day`)
            }
            assert.strictEqual(
              Effect.runSync(calendar.workingDaysBetween(task.earliestStart, task.earliestFinish)),
              task.durationDays - 1
            )
            for (const dependency of task.dependsOn) {
              const before = byId.get(dependency)!
              assert.isTrue(task.earliestStart > before.earliestFinish)
              assert.isTrue(task.latestStart > before.latestFinish)
            }
            if (anchor.deadline === undefined || anchor.start === undefined) assert.isTrue(task.slackDays >= 0)
          }
          const path = schedule.criticalPath.map((id) => byId.get(id)!)
          assert.isTrue(path.length > 0)
          assert.strictEqual(
            path.reduce((sum, t) => sum + t.durationDays, 0),
            schedule.spanDays
          )
        }
      ),
      { numRuns: 60 }
    )
  })
})
