import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { runCreditRepair } from "../src/creditRepair.js"

describe("Pingshan objection and credit repair step", () => {
  it.live("corrects a fine by objection, then a repair takes the company off the list and lifts its measures", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const result = yield* runCreditRepair((line) => lines.push(line))
      assert.strictEqual(result.correctedFine, 5000)
      assert.deepStrictEqual(result.measuresBefore, ["限制参与政府采购活动", "限制申报财政资金项目"])
      assert.deepStrictEqual(result.measuresAfter, [])
      assert.strictEqual(result.listsAfter, 0)
      assert.isTrue(result.events.includes("credit.RepairGranted"))
      assert.isTrue(lines.some((l) => l.includes("罚款 50000 → 5000 元")))
      assert.isTrue(lines.some((l) => l.includes("最短公示期于 2026-12-10 届满")))
      assert.isTrue(lines.some((l) => l.includes("谁认定、谁修复")))
      assert.isAtMost(lines.length, 7)
    })
  )
})
