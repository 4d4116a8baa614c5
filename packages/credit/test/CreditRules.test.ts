import { describe, expect, it } from "@effect/vitest"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Arbitrary, FastCheck as fc, Schema } from "effect"
import * as CreditRules from "../src/CreditRules.js"

const d = (s: string) => Schema.decodeSync(LocalDate.LocalDate)(s)
const periods = (input: Schema.Schema.Encoded<typeof CreditRules.PeriodsInput>) =>
  CreditRules.periods(Schema.decodeSync(CreditRules.PeriodsInput)(input))

describe("CreditRules.addMonths", () => {
  it.each([
    ["2026-11-30", 3, "2027-02-28"],
    ["2024-02-29", 36, "2027-02-28"],
    ["2024-02-29", 12, "2025-02-28"],
    ["2024-02-29", 48, "2028-02-29"],
    ["2026-01-31", 1, "2026-02-28"],
    ["2028-01-31", 1, "2028-02-29"],
    ["2026-03-31", 1, "2026-04-30"],
    ["2026-04-01", 12, "2027-04-01"],
    ["2026-12-15", 1, "2027-01-15"],
    ["2026-05-10", 0, "2026-05-10"],
    ["9999-11-30", 1, "9999-12-30"],
    ["9999-12-31", 1, "9999-12-31"]
  ])("%s + %i months = %s", (from, months, expected) => {
    expect(CreditRules.addMonths(d(from), months)).toBe(expected)
  })

  const dates = Arbitrary.make(LocalDate.LocalDate).filter((x) => x < "9000-01-01")
  const months = fc.integer({ min: 0, max: 600 })

  it.prop("keeps the day unless the target month is shorter, then clamps to its end", [dates, months], ([from, n]) => {
    const to = CreditRules.addMonths(from, n)
    const target = LocalDate.year(from) * 12 + LocalDate.month(from) - 1 + n
    expect(LocalDate.year(to) * 12 + LocalDate.month(to) - 1).toBe(target)
    const last = LocalDate.daysInMonth(LocalDate.year(to), LocalDate.month(to))
    expect(LocalDate.day(to)).toBe(Math.min(LocalDate.day(from), last))
  })

  it.prop("is monotone in the number of months", [dates, months, months], ([from, a, b]) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a]
    expect(CreditRules.addMonths(from, lo) <= CreditRules.addMonths(from, hi)).toBe(true)
  })
})

describe("CreditRules.periods", () => {
  it.each([
    // Order 36 from 2026-04-01
    [{ tier: "general", findingDate: "2026-11-30" }, "ndrc-order-36", true, "2027-02-28", "2027-11-30"],
    [{ tier: "serious", findingDate: "2026-04-01" }, "ndrc-order-36", true, "2027-04-01", "2029-04-01"],
    [{ tier: "minor", findingDate: "2026-06-10" }, "ndrc-order-36", false, "2026-06-10", "2026-06-10"],
    [
      { tier: "minor", findingDate: "2026-06-10", regulatorRequiresDisplay: true },
      "ndrc-order-36",
      true,
      "2026-06-10",
      "2026-09-10"
    ],
    // Order 58 for 2023-05-01 .. 2026-03-31, sector minimums
    [{ tier: "general", findingDate: "2026-03-31" }, "ndrc-order-58", true, "2026-06-30", "2029-03-31"],
    [{ tier: "general", findingDate: "2024-02-29", sector: "food" }, "ndrc-order-58", true, "2025-02-28", "2027-02-28"],
    [{ tier: "serious", findingDate: "2023-05-01", sector: "fire" }, "ndrc-order-58", true, "2024-05-01", "2026-05-01"],
    [
      { tier: "serious", findingDate: "2023-05-01", sector: "other" },
      "ndrc-order-58",
      true,
      "2023-08-01",
      "2026-05-01"
    ],
    // rule 527 before 2023-05-01
    [{ tier: "general", findingDate: "2023-04-30" }, "ndrc-2019-527", true, "2023-07-30", "2024-04-30"],
    [{ tier: "serious", findingDate: "2021-08-31" }, "ndrc-2019-527", true, "2022-02-28", "2024-08-31"],
    [{ tier: "serious", findingDate: "2021-08-31", sector: "food" }, "ndrc-2019-527", true, "2022-02-28", "2024-08-31"]
  ] as const)("%o → %s", (input, rule, displayed, minimumReached, displayEnds) => {
    const result = periods(input)
    expect(result.rule.id).toBe(rule)
    expect(result.displayed).toBe(displayed)
    expect(result.minimumReached).toBe(minimumReached)
    expect(result.displayEnds).toBe(displayEnds)
  })

  it("the display-end date is the first day the record is no longer shown", () => {
    const findingDate = d("2026-11-30")
    const result = periods({ tier: "general", findingDate: "2026-11-30" })
    expect(CreditRules.isDisplayedOn(findingDate, result, d("2026-11-30"))).toBe(true)
    expect(CreditRules.isDisplayedOn(findingDate, result, d("2027-11-29"))).toBe(true)
    expect(CreditRules.isDisplayedOn(findingDate, result, d("2027-11-30"))).toBe(false)
    expect(CreditRules.isDisplayedOn(findingDate, result, d("2026-11-29"))).toBe(false)
    expect(CreditRules.minimumReachedOn(result, d("2027-02-27"))).toBe(false)
    expect(CreditRules.minimumReachedOn(result, d("2027-02-28"))).toBe(true)
  })

  it("rule sets carry their source and dates", () => {
    expect(CreditRules.order36.source).toContain("2025年第36号")
    expect(CreditRules.order36.effectiveDate).toBe("2026-04-01")
    expect(CreditRules.order58.effectiveDate).toBe("2023-05-01")
    expect(CreditRules.rule527.source).toBe("发改办财金〔2019〕527号")
    for (const rule of CreditRules.defaultRuleSets) expect(Schema.is(CreditRules.RuleSet)(rule)).toBe(true)
  })

  it("a rule set is data: a district can add a later one", () => {
    const later: CreditRules.RuleSet = {
      ...CreditRules.order36,
      id: "later",
      source: "假设的新规",
      appliesFrom: d("2030-01-01"),
      tiers: { ...CreditRules.order36.tiers, general: { display: "always", minimumMonths: 1, maximumMonths: 6 } }
    }
    const rules = [...CreditRules.defaultRuleSets, later]
    const input = Schema.decodeSync(CreditRules.PeriodsInput)({ tier: "general", findingDate: "2030-01-31" })
    const result = CreditRules.periods(input, rules)
    expect(result.rule.id).toBe("later")
    expect(result.minimumReached).toBe("2030-02-28")
    expect(result.displayEnds).toBe("2030-07-31")
  })

  it("a minimum equal to the maximum is allowed; a longer one is refused with a Chinese message", () => {
    expect(Schema.is(CreditRules.TierPeriods)({ display: "always", minimumMonths: 12, maximumMonths: 12 })).toBe(true)
    expect(() =>
      Schema.decodeUnknownSync(CreditRules.TierPeriods)({ display: "always", minimumMonths: 13, maximumMonths: 12 })
    ).toThrow("最短公示期不能长于最长公示期")
  })

  it("of two rule sets from the same date the later in the list governs; before every set, the oldest", () => {
    const amended: CreditRules.RuleSet = { ...CreditRules.order36, id: "amended" }
    expect(CreditRules.ruleFor(d("2026-11-30"), [...CreditRules.defaultRuleSets, amended]).id).toBe("amended")
    const late: CreditRules.RuleSet = { ...CreditRules.order36, id: "late", appliesFrom: d("2031-01-01") }
    const later: CreditRules.RuleSet = { ...CreditRules.order36, id: "later", appliesFrom: d("2032-01-01") }
    expect(CreditRules.ruleFor(d("2026-11-30"), [later, late]).id).toBe("late")
    expect(CreditRules.ruleFor(d("2026-11-30"), []).id).toBe(CreditRules.rule527.id)
    // the list order does not matter between different dates: the latest on or before the finding governs
    expect(CreditRules.ruleFor(d("2026-11-30"), [CreditRules.order36, CreditRules.order58]).id).toBe(
      CreditRules.order36.id
    )
    const hidden: CreditRules.RuleSet = {
      ...CreditRules.order36,
      id: "hidden",
      tiers: { ...CreditRules.order36.tiers, minor: { display: "never", minimumMonths: 0, maximumMonths: 0 } }
    }
    const input = Schema.decodeSync(CreditRules.PeriodsInput)({
      tier: "minor",
      findingDate: "2026-11-30",
      regulatorRequiresDisplay: true
    })
    expect(CreditRules.periods(input, [hidden]).displayed).toBe(false)
  })

  it("under Order 36 a minor finding is displayed only when the regulator requires it", () => {
    const minor = { tier: "minor", findingDate: "2026-11-30" } as const
    expect(periods(minor).displayed).toBe(false)
    expect(periods({ ...minor, regulatorRequiresDisplay: false }).displayed).toBe(false)
    const required = periods({ ...minor, regulatorRequiresDisplay: true })
    expect(required.displayed).toBe(true)
    expect(required.maximumMonths).toBe(3)
    expect(periods({ tier: "serious", findingDate: "2026-11-30" }).displayed).toBe(true)
  })

  it("tiers have Chinese labels", () => {
    expect(["minor", "general", "serious"].map((t) => CreditRules.tierLabel(t as CreditRules.Tier))).toEqual([
      "轻微",
      "一般",
      "严重"
    ])
  })

  it("rejects a rule set whose minimum is longer than its maximum", () => {
    const bad = { display: "always", minimumMonths: 13, maximumMonths: 12 }
    expect(Schema.is(CreditRules.TierPeriods)(bad)).toBe(false)
  })

  const inputs = Arbitrary.make(CreditRules.PeriodsInput).filter((x) => x.findingDate < "9000-01-01")

  it.prop("finding date ≤ minimum reached ≤ display end when displayed", [inputs], ([input]) => {
    const result = CreditRules.periods(input)
    expect(result.minimumReached >= input.findingDate).toBe(true)
    if (result.displayed) expect(result.minimumReached <= result.displayEnds).toBe(true)
    else expect(result.displayEnds).toBe(input.findingDate)
  })

  it.prop("the governing rule follows the finding date", [inputs], ([input]) => {
    const id = CreditRules.periods(input).rule.id
    const expected =
      input.findingDate >= "2026-04-01"
        ? "ndrc-order-36"
        : input.findingDate >= "2023-05-01"
          ? "ndrc-order-58"
          : "ndrc-2019-527"
    expect(id).toBe(expected)
  })

  it.prop("Order 58's sector minimum is one year in the five sectors", [inputs], ([input]) => {
    const result = CreditRules.periods(input)
    if (result.rule.id !== "ndrc-order-58") return
    const strict = input.sector !== undefined && input.sector !== "other"
    expect(result.minimumMonths).toBe(strict ? 12 : 3)
    expect(result.maximumMonths).toBe(36)
  })

  it.prop("Order 36 displays serious findings 1 to 3 years, never a minor one unless required", [inputs], ([input]) => {
    const result = CreditRules.periods(input)
    if (result.rule.id !== "ndrc-order-36") return
    if (input.tier === "serious") expect([result.minimumMonths, result.maximumMonths]).toEqual([12, 36])
    if (input.tier === "general") expect([result.minimumMonths, result.maximumMonths]).toEqual([3, 12])
    if (input.tier === "minor") expect(result.displayed).toBe(input.regulatorRequiresDisplay === true)
  })
})
