import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as CreditList from "../src/CreditList.js"
import * as Measure from "../src/Measure.js"
import { day, record } from "./fixtures.js"

const today = day("2026-12-01")

describe("CreditList.entriesByRule", () => {
  it("a serious penalty puts the subject on the serious-dishonesty list for 36 months", () => {
    const entries = CreditList.entriesByRule(
      CreditList.sampleRules,
      "S1",
      [record("p1", "ADMIN_PENALTY", "2026-06-30", { tier: "serious" })],
      today
    )
    expect(entries.map((e) => [e.list, e.from, e.until, e.basis])).toEqual([
      ["seriousDishonesty", "2026-06-30", "2029-06-30", "rule"]
    ])
    expect(CreditList.listLabel("seriousDishonesty")).toBe("严重失信主体名单")
  })

  it.each([
    ["a general penalty", [record("p1", "ADMIN_PENALTY", "2026-06-30", { tier: "general" })], []],
    [
      "a repaired serious penalty",
      [record("p1", "ADMIN_PENALTY", "2026-06-30", { tier: "serious", state: "repaired" })],
      []
    ],
    ["an expired period", [record("p1", "ADMIN_PENALTY", "2023-12-01", { tier: "serious" })], []],
    ["one reward", [record("w1", "ADMIN_REWARD", "2026-01-01")], []],
    ["two rewards", [record("w1", "ADMIN_REWARD", "2026-01-01"), record("w2", "HONOUR", "2026-03-01")], ["red"]],
    [
      "two rewards and a failing record",
      [
        record("w1", "ADMIN_REWARD", "2026-01-01"),
        record("w2", "HONOUR", "2026-03-01"),
        record("j", "JUDICIAL", "2026-02-01")
      ],
      []
    ]
  ] as const)("%s → %o", (_, records, lists) => {
    expect(CreditList.entriesByRule(CreditList.sampleRules, "S1", records, today).map((e) => e.list)).toEqual(lists)
  })

  it("the red list starts when the minimum is met", () => {
    const [entry] = CreditList.entriesByRule(
      CreditList.sampleRules,
      "S1",
      [record("w1", "ADMIN_REWARD", "2025-01-31"), record("w2", "HONOUR", "2026-03-01")],
      today
    )
    expect([entry?.from, entry?.until]).toEqual(["2026-03-01", "2029-03-01"])
  })
})

describe("Measure.applicable", () => {
  it("the samples are valid data", () => {
    for (const m of Measure.sampleMeasures) expect(Schema.is(Measure.Measure)(m)).toBe(true)
    for (const r of Measure.sampleRules) expect(Schema.is(Measure.MeasureRule)(r)).toBe(true)
  })

  it("measures follow the purpose, the lists and the grade, with reasons", () => {
    const records = [record("p1", "ADMIN_PENALTY", "2026-06-30", { tier: "serious" })]
    const entries = CreditList.entriesByRule(CreditList.sampleRules, "S1", records, today)
    const funds = Measure.applicable(
      Measure.sampleMeasures,
      Measure.sampleRules,
      { entries, grade: "C", records },
      "财政资金项目申报",
      today
    )
    expect(funds.map((m) => m.measure.name)).toEqual(["限制申报财政资金项目"])
    expect(funds[0]?.reasons[0]).toContain("列入严重失信主体名单（2026-06-30 起，2029-06-30 移出）")
    expect(
      Measure.applicable(
        Measure.sampleMeasures,
        Measure.sampleRules,
        { entries, grade: "C", records },
        "行政审批",
        today
      )
    ).toEqual([])
    const good = Measure.applicable(
      Measure.sampleMeasures,
      Measure.sampleRules,
      { entries: [], grade: "A", records: [] },
      "行政审批",
      today
    )
    expect(good.map((m) => m.measure.code)).toEqual(["TOLERANT_ACCEPTANCE"])
    const recordRule: Measure.MeasureRule = {
      measure: "NO_PROCUREMENT",
      purposes: ["政府采购"],
      trigger: { _tag: "RecordType", recordTypes: ["TAX_ARREARS"] }
    }
    const tax = [record("t", "TAX_ARREARS", "2026-01-01")]
    expect(
      Measure.applicable(
        Measure.sampleMeasures,
        [recordRule],
        { entries: [], grade: undefined, records: tax },
        "政府采购",
        today
      )
    ).toHaveLength(1)
    const repaired = [record("t", "TAX_ARREARS", "2026-01-01", { state: "repaired" })]
    expect(
      Measure.applicable(
        Measure.sampleMeasures,
        [recordRule],
        { entries: [], grade: undefined, records: repaired },
        "政府采购",
        today
      )
    ).toEqual([])
  })
})
