import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Schema } from "effect"
import * as Scorecard from "../src/Scorecard.js"
import { day, record } from "./fixtures.js"

const today = day("2026-12-01")
const evaluate = (records: Parameters<typeof Scorecard.evaluate>[2]) =>
  Scorecard.evaluate(Scorecard.sampleScorecard, Scorecard.sampleScale, records, today)

describe("Scorecard", () => {
  it("the samples are valid data", () => {
    expect(Schema.is(Scorecard.Scorecard)(Scorecard.sampleScorecard)).toBe(true)
    expect(Schema.is(Scorecard.GradeScale)(Scorecard.sampleScale)).toBe(true)
    expect(
      Schema.is(Scorecard.GradeScale)({
        id: "x",
        levels: [
          { code: "A", label: "优", minScore: 1 },
          { code: "B", label: "良", minScore: 1 }
        ]
      })
    ).toBe(false)
  })

  it.each([
    [[], 100, "A"],
    [[record("r1", "ADMIN_PENALTY", "2026-06-01", { tier: "general" })], 92, "B"],
    [[record("r1", "ADMIN_PENALTY", "2026-06-01", { tier: "serious" })], 70, "C"],
    [[record("r1", "SERIOUS_DISHONESTY", "2026-06-01"), record("r2", "JUDICIAL", "2026-01-01")], 25, "D"],
    [[record("r1", "ADMIN_PENALTY", "2026-06-01", { tier: "general", state: "repaired" })], 100, "A"],
    [[record("r1", "ADMIN_PENALTY", "2026-06-01", { tier: "general", state: "expired" })], 100, "A"],
    [[record("r1", "ADMIN_PENALTY", "2026-06-01", { tier: "general", state: "objectionPending" })], 92, "B"],
    [[record("r1", "ADMIN_PENALTY", "2023-12-02", { tier: "general" })], 92, "B"],
    [[record("r1", "ADMIN_PENALTY", "2023-12-01", { tier: "general" })], 100, "A"],
    [[1, 2, 3, 4].map((i) => record(`w${i}`, "ADMIN_REWARD", `2026-01-0${i}`)), 115, "A"]
  ] as const)("case %#", (records, score, grade) => {
    const result = evaluate(records as never)
    expect(result.score).toBe(score)
    expect(result.grade).toBe(grade)
  })

  it("explains itself record by record, caps included", () => {
    const result = evaluate([
      record("w1", "ADMIN_REWARD", "2026-01-01"),
      record("w2", "ADMIN_REWARD", "2026-02-01"),
      record("w3", "ADMIN_REWARD", "2026-03-01"),
      record("w4", "ADMIN_REWARD", "2026-04-01"),
      record("p1", "ADMIN_PENALTY", "2026-05-01", { tier: "minor" })
    ])
    expect(result.lines.map((l) => [l.recordId, l.points])).toEqual([
      ["w1", 5],
      ["w2", 5],
      ["w3", 5],
      ["w4", 0],
      ["p1", -2]
    ])
    expect(result.lines[3]?.reason).toContain("已达该项上限 15 分")
    expect(result.lines[4]?.reason).toBe("ADMIN_PENALTY（轻微）扣 2 分")
    expect(result.score).toBe(100 + 15 - 2)
    expect(result.lines.reduce((sum, l) => sum + l.points, 100)).toBe(result.score)
  })

  const arbitraryRecords = fc.array(
    fc.record({
      type: fc.constantFrom("ADMIN_PENALTY", "ADMIN_REWARD", "JUDICIAL", "HONOUR", "OTHER"),
      tier: fc.constantFrom<Array<"minor" | "general" | "serious">>("minor", "general", "serious"),
      day: fc.integer({ min: 0, max: 2000 }),
      state: fc.constantFrom<Array<"active" | "repaired" | "expired" | "objectionPending">>(
        "active",
        "repaired",
        "expired",
        "objectionPending"
      )
    }),
    { maxLength: 30 }
  )
  const build = (
    specs: ReadonlyArray<{
      type: string
      tier: "minor" | "general" | "serious"
      day: number
      state: "active" | "repaired" | "expired" | "objectionPending"
    }>
  ) =>
    specs.map((s, i) =>
      record(`r${i}`, s.type, new Date(Date.UTC(2021, 0, 1) + s.day * 86400000).toISOString().slice(0, 10), {
        tier: s.tier,
        state: s.state
      })
    )

  it.prop("does not depend on the order of the records", [arbitraryRecords, fc.integer()], ([specs, seed]) => {
    const records = build(specs)
    const shuffled = [...records].sort(
      (a, b) => ((a.id.length * seed) % 7) - ((b.id.length * seed) % 7) || (a.id < b.id ? 1 : -1)
    )
    expect(evaluate(shuffled)).toEqual(evaluate(records))
  })

  it.prop(
    "the score is the base plus the lines, clamped; the grade is the band of the score",
    [arbitraryRecords],
    ([specs]) => {
      const result = evaluate(build(specs))
      const raw = result.lines.reduce((sum, l) => sum + l.points, 100)
      expect(result.score).toBe(Math.min(120, Math.max(0, raw)))
      expect(result.grade).toBe(Scorecard.gradeOf(Scorecard.sampleScale, result.score).code)
    }
  )

  it.prop("records not in use never count", [arbitraryRecords], ([specs]) => {
    const records = build(specs)
    const used = records.filter((r) => r.state === "active" || r.state === "objectionPending")
    expect(evaluate(records)).toEqual(evaluate(used))
  })
})
