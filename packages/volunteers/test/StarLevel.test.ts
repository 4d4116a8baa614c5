import { assert, describe, it } from "@effect/vitest"
import { LocalDate } from "@gongzhi/core/LocalDate"
import { Either, Schema } from "effect"
import * as StarLevel from "../src/StarLevel.js"

const decodePolicy = Schema.decodeUnknownEither(StarLevel.StarPolicy)
const problemOf = (input: unknown): string => {
  const decoded = decodePolicy(input)
  assert.isTrue(Either.isLeft(decoded))
  return Either.isLeft(decoded) ? decoded.left.message : ""
}
const policy = (effectiveFrom: string, thresholdHours: ReadonlyArray<number>) =>
  new StarLevel.StarPolicy({
    source: `标准 ${effectiveFrom}`,
    effectiveFrom: LocalDate.make(effectiveFrom),
    thresholdHours
  })

describe("StarLevel: the rules at their edges", () => {
  it("a policy names its source, has at least one level and strictly increasing thresholds", () => {
    const base = { source: "区标准", effectiveFrom: "2026-01-01" }
    assert.include(problemOf({ ...base, source: "  " }), "星级标准应注明出处")
    assert.include(problemOf({ ...base, thresholdHours: [] }), "星级标准至少需要一档")
    assert.include(problemOf({ ...base, thresholdHours: [100, 300, 300] }), "星级门槛小时数应严格递增")
    assert.include(problemOf({ ...base, thresholdHours: [300, 100] }), "星级门槛小时数应严格递增")
    assert.isTrue(Either.isRight(decodePolicy({ ...base, thresholdHours: [1] })))
    assert.isTrue(Either.isRight(decodePolicy({ ...base, thresholdHours: [5, 6, 7] })))
    assert.strictEqual(policy("2026-01-01", [10, 20, 30]).maxLevel, 3)
  })

  it("a level is reached at its threshold minute exactly, one minute short is not", () => {
    const p = StarLevel.defaultPolicy
    assert.strictEqual(StarLevel.levelFor(p, 100 * 60 - 1), 0)
    assert.strictEqual(StarLevel.levelFor(p, 100 * 60), 1)
    assert.strictEqual(StarLevel.levelFor(p, 1500 * 60), 5)
    assert.strictEqual(StarLevel.levelFor(p, 10_000 * 60), 5)
    // thresholds are climbed in order: a gap stops the count
    assert.strictEqual(StarLevel.levelFor(policy("2026-01-01", [1, 1000]), 500 * 60), 1)
  })

  it("hours to the next level are rounded to two decimals; none above the top", () => {
    const p = StarLevel.defaultPolicy
    assert.strictEqual(StarLevel.hoursToNextLevel(p, 0), 100)
    assert.strictEqual(StarLevel.hoursToNextLevel(p, 100 * 60 - 1), 0.02)
    assert.strictEqual(StarLevel.hoursToNextLevel(p, 100 * 60), 200)
    assert.strictEqual(StarLevel.hoursToNextLevel(p, 1499 * 60 + 40), 0.33)
    assert.isUndefined(StarLevel.hoursToNextLevel(p, 1500 * 60))
    assert.strictEqual(StarLevel.minutesToHours(1), 0.02)
    assert.strictEqual(StarLevel.minutesToHours(90), 1.5)
    assert.strictEqual(StarLevel.minutesToHours(0), 0)
  })

  it("the policy in force is the latest one effective on the date, in any order; before all, the earliest", () => {
    const a = policy("2020-01-01", [10])
    const b = policy("2024-07-01", [20])
    const c = policy("2026-01-01", [30])
    for (const order of [
      [a, b, c],
      [c, b, a],
      [b, c, a]
    ]) {
      assert.strictEqual(StarLevel.policyAt(order, "2019-12-31"), a)
      assert.strictEqual(StarLevel.policyAt(order, "2020-01-01"), a)
      assert.strictEqual(StarLevel.policyAt(order, "2024-06-30"), a)
      assert.strictEqual(StarLevel.policyAt(order, "2024-07-01"), b)
      assert.strictEqual(StarLevel.policyAt(order, "2025-12-31"), b)
      assert.strictEqual(StarLevel.policyAt(order, "2026-01-01"), c)
      assert.strictEqual(StarLevel.policyAt(order, "2030-01-01"), c)
    }
    assert.strictEqual(StarLevel.policyAt([], "2026-01-01"), StarLevel.defaultPolicy)
  })
})
