/**
 * The display and repair periods of failing information (失信信息公示期与修复), as pure functions over
 * rule sets that are data. Three rule sets apply, chosen by the date of the document that made the
 * finding (决定日期):
 *
 * - 国家发展改革委令2025年第36号 (Order 36) for findings from 2026-04-01: 轻微 not displayed (at most
 *   3 months if the regulator requires), 一般 3 months to 1 year, 严重 1 to 3 years;
 * - 国家发展改革委令2023年第58号 (Order 58) for findings from 2023-05-01 to 2026-03-31: 3 months to 3 years,
 *   at least 1 year for food, drugs, special equipment, work safety and fire;
 * - 发改办财金〔2019〕527号 for every earlier finding: 一般 3 months to 1 year, 严重 6 months to 3 years.
 *
 * Period arithmetic (a convention of this project): periods run in calendar months from the finding
 * date, clamped to the last day of a shorter month (2026-11-30 + 3 months = 2027-02-28; 2024-02-29 +
 * 3 years = 2027-02-28). The minimum is reached on that date (repair may be granted from it); the
 * display-end date is the first day the record is no longer shown.
 *
 * @since 0.1.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Schema } from "effect"

/**
 * Severity tier of failing information (失信程度): 轻微 minor, 一般 general, 严重 serious.
 *
 * @since 0.1.0
 * @category models
 */
export const Tier = Schema.Literal("minor", "general", "serious").annotations({
  identifier: "CreditTier",
  title: "失信程度",
  description: "minor 轻微 / general 一般 / serious 严重"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Tier = typeof Tier.Type

/**
 * The Chinese label of a tier.
 *
 * @since 0.1.0
 * @category accessors
 */
export const tierLabel = (tier: Tier): string => (tier === "minor" ? "轻微" : tier === "general" ? "一般" : "严重")

/**
 * The sector of a finding, for the sector minimums of Order 58 (食品、药品、特种设备、安全生产、消防).
 *
 * @since 0.1.0
 * @category models
 */
export const Sector = Schema.Literal("food", "drugs", "specialEquipment", "workSafety", "fire", "other").annotations({
  identifier: "CreditSector",
  title: "领域"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Sector = typeof Sector.Type

const sectorLabels: Record<Sector, string> = {
  food: "食品",
  drugs: "药品",
  specialEquipment: "特种设备",
  workSafety: "安全生产",
  fire: "消防",
  other: "其他"
}

/**
 * The Chinese label of a sector.
 *
 * @since 0.1.0
 * @category accessors
 */
export const sectorLabel = (sector: Sector): string => sectorLabels[sector]

/**
 * How a tier is displayed under a rule set: always, never, or only when the regulator requires it.
 *
 * @since 0.1.0
 * @category models
 */
export const Display = Schema.Literal("always", "never", "ifRequired")

/**
 * @since 0.1.0
 * @category models
 */
export type Display = typeof Display.Type

/**
 * The periods of one tier under one rule set, in calendar months from the finding date. A minimum of 0
 * means repair needs no waiting time (only the obligation fulfilled).
 *
 * @since 0.1.0
 * @category models
 */
export const TierPeriods = Schema.Struct({
  display: Display,
  minimumMonths: Schema.Int.pipe(Schema.nonNegative()),
  maximumMonths: Schema.Int.pipe(Schema.nonNegative())
}).pipe(
  Schema.filter((p) =>
    p.minimumMonths <= p.maximumMonths ? undefined : "最短公示期不能长于最长公示期 / minimum longer than maximum"
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export type TierPeriods = typeof TierPeriods.Type

/**
 * A rule set: its source (the document's name), the first finding date it applies to, the periods per
 * tier and the sector minimums (months) that raise a tier's minimum.
 *
 * @since 0.1.0
 * @category models
 */
export const RuleSet = Schema.Struct({
  id: Schema.NonEmptyTrimmedString,
  /** The document, e.g. 国家发展改革委令2025年第36号. */
  source: Schema.NonEmptyTrimmedString,
  /** When the document took effect (informative; `appliesFrom` decides). */
  effectiveDate: Schema.optional(LocalDate.LocalDate),
  /** The first finding date this rule set governs; it governs until the next rule set's `appliesFrom`. */
  appliesFrom: LocalDate.LocalDate,
  tiers: Schema.Struct({ minor: TierPeriods, general: TierPeriods, serious: TierPeriods }),
  sectorMinimumMonths: Schema.partial(Schema.Record({ key: Sector, value: Schema.Int.pipe(Schema.nonNegative()) }))
})

/**
 * @since 0.1.0
 * @category models
 */
export type RuleSet = typeof RuleSet.Type

const date = (s: string): LocalDate.LocalDate => Schema.decodeSync(LocalDate.LocalDate)(s)

/**
 * 发改办财金〔2019〕527号: 一般 3 months to 1 year, 严重 6 months to 3 years. The notice names no 轻微
 * tier; this project treats a minor finding of that time as 一般.
 *
 * @since 0.1.0
 * @category rule sets
 */
export const rule527: RuleSet = {
  id: "ndrc-2019-527",
  source: "发改办财金〔2019〕527号",
  appliesFrom: date("0001-01-01"),
  tiers: {
    minor: { display: "always", minimumMonths: 3, maximumMonths: 12 },
    general: { display: "always", minimumMonths: 3, maximumMonths: 12 },
    serious: { display: "always", minimumMonths: 6, maximumMonths: 36 }
  },
  sectorMinimumMonths: {}
}

/**
 * 国家发展改革委令2023年第58号 (in force 2023-05-01): 3 months to 3 years for every tier; at least one
 * year in food, drugs, special equipment, work safety and fire.
 *
 * @since 0.1.0
 * @category rule sets
 */
export const order58: RuleSet = {
  id: "ndrc-order-58",
  source: "国家发展改革委令2023年第58号《失信行为纠正后的信用信息修复管理办法（试行）》",
  effectiveDate: date("2023-05-01"),
  appliesFrom: date("2023-05-01"),
  tiers: {
    minor: { display: "always", minimumMonths: 3, maximumMonths: 36 },
    general: { display: "always", minimumMonths: 3, maximumMonths: 36 },
    serious: { display: "always", minimumMonths: 3, maximumMonths: 36 }
  },
  sectorMinimumMonths: { food: 12, drugs: 12, specialEquipment: 12, workSafety: 12, fire: 12 }
}

/**
 * 国家发展改革委令2025年第36号 (in force 2026-04-01): 轻微 not displayed (at most 3 months if the
 * regulator requires, repair once the obligation is fulfilled), 一般 3 months to 1 year, 严重 1 to 3 years.
 *
 * @since 0.1.0
 * @category rule sets
 */
export const order36: RuleSet = {
  id: "ndrc-order-36",
  source: "国家发展改革委令2025年第36号",
  effectiveDate: date("2026-04-01"),
  appliesFrom: date("2026-04-01"),
  tiers: {
    minor: { display: "ifRequired", minimumMonths: 0, maximumMonths: 3 },
    general: { display: "always", minimumMonths: 3, maximumMonths: 12 },
    serious: { display: "always", minimumMonths: 12, maximumMonths: 36 }
  },
  sectorMinimumMonths: {}
}

/**
 * The rule sets in force, oldest first.
 *
 * @since 0.1.0
 * @category rule sets
 */
export const defaultRuleSets: ReadonlyArray<RuleSet> = [rule527, order58, order36]

/**
 * Adds calendar months to a date, clamping the day to the last day of a shorter month
 * (2026-11-30 + 3 = 2027-02-28). Dates past 9999-12-31 stay at 9999-12-31.
 *
 * @since 0.1.0
 * @category combinators
 */
export const addMonths = (from: LocalDate.LocalDate, months: number): LocalDate.LocalDate => {
  const index = LocalDate.year(from) * 12 + (LocalDate.month(from) - 1) + months
  const year = Math.floor(index / 12)
  const month = index - year * 12 + 1
  if (year > 9999) return date("9999-12-31")
  const day = Math.min(LocalDate.day(from), LocalDate.daysInMonth(year, month))
  return LocalDate.unsafeFromEpochDay(LocalDate.epochDayOf(year, month, day))
}

/**
 * The input of {@link periods}.
 *
 * @since 0.1.0
 * @category models
 */
export const PeriodsInput = Schema.Struct({
  tier: Tier,
  findingDate: LocalDate.LocalDate,
  sector: Schema.optional(Sector),
  /** For a minor finding under Order 36: the regulator requires it to be displayed. */
  regulatorRequiresDisplay: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type PeriodsInput = typeof PeriodsInput.Type

/**
 * What the rules say about one finding.
 *
 * @since 0.1.0
 * @category models
 */
export interface Periods {
  /** The rule set that governs the finding. */
  readonly rule: RuleSet
  /** Whether the record is shown publicly at all. */
  readonly displayed: boolean
  /** The minimum display period in months (after the sector minimum). */
  readonly minimumMonths: number
  /** The maximum display period in months (0 when not displayed). */
  readonly maximumMonths: number
  /** The date the minimum is reached: repair may be granted from this day. */
  readonly minimumReached: LocalDate.LocalDate
  /** The first day the record is no longer shown (the finding date itself when it is never shown). */
  readonly displayEnds: LocalDate.LocalDate
}

/**
 * The rule set governing a finding date: the last whose `appliesFrom` is on or before it.
 *
 * @since 0.1.0
 * @category rules
 */
export const ruleFor = (
  findingDate: LocalDate.LocalDate,
  ruleSets: ReadonlyArray<RuleSet> = defaultRuleSets
): RuleSet => {
  let chosen: RuleSet | undefined
  for (const rule of ruleSets) {
    if (rule.appliesFrom <= findingDate && (chosen === undefined || rule.appliesFrom >= chosen.appliesFrom)) {
      chosen = rule
    }
  }
  // the default sets start at 0001-01-01; a custom list without an early set falls back to its oldest
  return chosen ?? [...ruleSets].sort((a, b) => LocalDate.compare(a.appliesFrom, b.appliesFrom))[0] ?? rule527
}

/**
 * Which rule applies to a finding, whether it is displayed, the date its minimum is reached and the
 * first day it is no longer shown.
 *
 * @since 0.1.0
 * @category rules
 * @example
 * import * as CreditRules from "@gongzhi/credit/CreditRules"
 * import { Schema } from "effect"
 *
 * const input = Schema.decodeUnknownSync(CreditRules.PeriodsInput)({ tier: "general", findingDate: "2026-11-30" })
 * CreditRules.periods(input).minimumReached // "2027-02-28" under Order 36
 */
export const periods = (input: PeriodsInput, ruleSets: ReadonlyArray<RuleSet> = defaultRuleSets): Periods => {
  const rule = ruleFor(input.findingDate, ruleSets)
  const tier = rule.tiers[input.tier]
  const displayed =
    tier.display === "always" || (tier.display === "ifRequired" && input.regulatorRequiresDisplay === true)
  const sectorMinimum = input.sector === undefined ? 0 : (rule.sectorMinimumMonths[input.sector] ?? 0)
  const maximumMonths = displayed ? tier.maximumMonths : 0
  const minimumMonths = Math.min(Math.max(tier.minimumMonths, sectorMinimum), displayed ? maximumMonths : Infinity)
  return {
    rule,
    displayed,
    minimumMonths,
    maximumMonths,
    minimumReached: addMonths(input.findingDate, minimumMonths),
    displayEnds: addMonths(input.findingDate, maximumMonths)
  }
}

/**
 * Whether a finding is shown on a day (from the finding date up to, not including, `displayEnds`).
 *
 * @since 0.1.0
 * @category rules
 */
export const isDisplayedOn = (findingDate: LocalDate.LocalDate, result: Periods, day: LocalDate.LocalDate): boolean =>
  result.displayed && day >= findingDate && day < result.displayEnds

/**
 * Whether repair may be granted on a day as far as time goes (the minimum is reached); the other
 * conditions (behaviour corrected, obligations fulfilled, a credit commitment) are checked by Credit II.
 *
 * @since 0.1.0
 * @category rules
 */
export const minimumReachedOn = (result: Periods, day: LocalDate.LocalDate): boolean => day >= result.minimumReached
