/**
 * Star levels (星级志愿者). Cumulative approved service hours earn one to five stars at thresholds
 * that are local policy: by default 100 / 300 / 600 / 1000 / 1500 hours. A policy carries the name
 * of its source and the date from which it applies, so a level judged under an older policy can
 * still be explained.
 *
 * @since 0.1.0
 */
import { LocalDate } from "@gongzhi/core/LocalDate"
import { Schema } from "effect"

const ascending = (thresholds: ReadonlyArray<number>): boolean =>
  thresholds.every((t, i) => i === 0 || t > thresholds[i - 1])

/**
 * A star-level policy: hour thresholds for stars 1, 2, … (strictly increasing, positive), its
 * source and the date from which it applies.
 *
 * @since 0.1.0
 * @category models
 */
export class StarPolicy extends Schema.Class<StarPolicy>("@gongzhi/volunteers/StarPolicy")({
  source: Schema.Trim.pipe(Schema.minLength(1, { message: () => "星级标准应注明出处" })),
  effectiveFrom: LocalDate,
  thresholdHours: Schema.Array(Schema.Int.pipe(Schema.positive())).pipe(
    Schema.minItems(1, { message: () => "星级标准至少需要一档" }),
    Schema.filter((t) => ascending(t) || "星级门槛小时数应严格递增")
  )
}) {
  /** The highest level of the policy. */
  get maxLevel(): number {
    return this.thresholdHours.length
  }
}

/**
 * The default policy: 100 / 300 / 600 / 1000 / 1500 hours → one to five stars (the common practice
 * of volunteer star ratings; replace it with the district's own document).
 *
 * @since 0.1.0
 * @category models
 */
export const defaultPolicy: StarPolicy = new StarPolicy({
  source: "星级志愿者认定通行做法（累计服务 100/300/600/1000/1500 小时）",
  effectiveFrom: LocalDate.make("2017-01-01"),
  thresholdHours: [100, 300, 600, 1000, 1500]
})

/**
 * The star level for an amount of approved service minutes: how many thresholds it reaches.
 * Monotone: more minutes never give fewer stars.
 *
 * @since 0.1.0
 * @category accessors
 * @example
 * import { StarLevel } from "@gongzhi/volunteers"
 *
 * StarLevel.levelFor(StarLevel.defaultPolicy, 300 * 60) // 2
 */
export const levelFor = (policy: StarPolicy, approvedMinutes: number): number => {
  let level = 0
  for (const hours of policy.thresholdHours) {
    if (approvedMinutes >= hours * 60) level++
    else break
  }
  return level
}

/**
 * The hours still needed for the next level (two decimals), or `undefined` at the top level.
 *
 * @since 0.1.0
 * @category accessors
 */
export const hoursToNextLevel = (policy: StarPolicy, approvedMinutes: number): number | undefined => {
  const level = levelFor(policy, approvedMinutes)
  if (level >= policy.thresholdHours.length) return undefined
  return minutesToHours(Math.max(0, policy.thresholdHours[level] * 60 - approvedMinutes))
}

/**
 * The policy in force on a date among several (the latest whose `effectiveFrom` is not after the
 * date); the earliest one when the date precedes them all.
 *
 * @since 0.1.0
 * @category accessors
 */
export const policyAt = (policies: ReadonlyArray<StarPolicy>, date: string): StarPolicy => {
  const sorted = [...policies].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))
  let chosen = sorted[0] ?? defaultPolicy
  for (const policy of sorted) if (policy.effectiveFrom <= date) chosen = policy
  return chosen
}

/**
 * Minutes as hours with two decimals (for display and events).
 *
 * @since 0.1.0
 * @category accessors
 */
export const minutesToHours = (minutes: number): number => Math.round((minutes / 60) * 100) / 100
