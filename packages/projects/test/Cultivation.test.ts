import { assert, describe, it } from "@effect/vitest"
import * as Calendar from "@gongzhi/core/Calendar"
import * as HolidayNotice from "@gongzhi/core/HolidayNotice"
import { Effect, FastCheck as fc, Schema } from "effect"
import * as Cultivation from "../src/Cultivation.js"

const calendar = Effect.runSync(Calendar.make(HolidayNotice.china))
const standard = Schema.decodeUnknownSync(Cultivation.ManagementStandard)({
  source: "坪山区社会治理创新项目管理标准（示例）",
  effectiveFrom: "2026-01-01",
  reportDueWorkingDay: 5,
  inspectionsPerQuarter: 1,
  rectificationWorkingDays: 10,
  conditionalShare: 0.6,
  kpis: [
    { id: "served", name: "服务人次", target: 1000, unit: "人次" },
    { id: "events", name: "议事会次数", target: 12, unit: "次" },
    { id: "complaints", name: "有效投诉", target: 2, unit: "件", lowerIsBetter: true }
  ]
})

describe("Cultivation", () => {
  it.effect("monthly reports are due by the 5th working day of the next month", () =>
    Effect.gen(function* () {
      const due = yield* Cultivation.reportDueDates(calendar, standard, "2026-03", "2026-05")
      // April's report: 05-01..05 are off, 05-09 is a make-up Saturday
      assert.deepStrictEqual(due as ReadonlyArray<unknown>, [
        { month: "2026-03", dueOn: "2026-04-08" },
        { month: "2026-04", dueOn: "2026-05-11" },
        { month: "2026-05", dueOn: "2026-06-05" }
      ])
    })
  )

  it.effect("overdue detection counts working days late and ignores what was done on time", () =>
    Effect.gen(function* () {
      const late = yield* Cultivation.overdue(
        calendar,
        [
          { key: "2026-03", dueOn: "2026-04-08" as never, doneOn: "2026-04-07" },
          { key: "2026-04", dueOn: "2026-05-11" as never },
          { key: "2026-05", dueOn: "2026-06-05" as never }
        ],
        "2026-05-14" as never
      )
      assert.deepStrictEqual(late as ReadonlyArray<unknown>, [
        { key: "2026-04", dueOn: "2026-05-11", workingDaysLate: 3 }
      ])
      assert.strictEqual(
        yield* Cultivation.rectificationDeadline(calendar, standard, "2026-09-28" as never),
        "2026-10-16"
      )
    })
  )

  it("acceptance: pass, conditional pass or fail by the share of KPIs met", () => {
    assert.strictEqual(Cultivation.acceptance(standard, { served: 1200, events: 12, complaints: 0 }).outcome, "pass")
    const conditional = Cultivation.acceptance(standard, { served: 1200, events: 10, complaints: 1 })
    assert.strictEqual(conditional.outcome, "conditional")
    assert.deepStrictEqual(conditional.missed, [{ id: "events", name: "议事会次数", actual: 10, target: 12 }])
    assert.strictEqual(Cultivation.acceptance(standard, { served: 10 }).outcome, "fail")
    fc.assert(
      fc.property(fc.nat(3000), fc.nat(30), fc.nat(10), (served, events, complaints) => {
        const result = Cultivation.acceptance(standard, { served, events, complaints })
        assert.strictEqual(result.met.length + result.missed.length, 3)
        assert.strictEqual(result.outcome === "pass", result.missed.length === 0)
      })
    )
  })
})
