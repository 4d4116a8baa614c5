/**
 * Evaluation as data (信用评价): a scorecard (base score, additions and deductions per record type,
 * tier and age, caps) and a grade scale (ordered levels with score bands and labels, e.g. A/B/C/D =
 * 优秀/良好/一般/较差), chosen per district. {@link evaluate} is pure: the grade of a subject is a
 * function of its records in use and the day, and explains itself record by record.
 *
 * @since 0.1.0
 */
import type * as LocalDate from "@gongzhi/core/LocalDate"
import { Schema } from "effect"
import type { CreditRecord } from "./CreditRecord.js"
import { inUse } from "./CreditRecord.js"
import * as CreditRules from "./CreditRules.js"

/**
 * One scoring rule: the points a record of a type (and tier) adds (positive) or deducts (negative),
 * counted only while the record is younger than `maxAgeMonths`, and at most `cap` points in total for
 * the rule (absolute value).
 *
 * @since 0.1.0
 * @category models
 */
export const ScoreRule = Schema.Struct({
  recordType: Schema.NonEmptyTrimmedString,
  tier: Schema.optional(CreditRules.Tier),
  points: Schema.Number.pipe(Schema.finite()),
  maxAgeMonths: Schema.optional(Schema.Int.pipe(Schema.positive())),
  cap: Schema.optional(Schema.Number.pipe(Schema.nonNegative()))
})

/**
 * @since 0.1.0
 * @category models
 */
export type ScoreRule = typeof ScoreRule.Type

/**
 * A scorecard model. The score is clamped to [min, max].
 *
 * @since 0.1.0
 * @category models
 */
export const Scorecard = Schema.Struct({
  id: Schema.NonEmptyTrimmedString,
  name: Schema.NonEmptyTrimmedString,
  base: Schema.Number.pipe(Schema.finite()),
  min: Schema.Number.pipe(Schema.finite()),
  max: Schema.Number.pipe(Schema.finite()),
  rules: Schema.Array(ScoreRule)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Scorecard = typeof Scorecard.Type

/**
 * A level of a grade scale: the lowest score it takes, its code and label.
 *
 * @since 0.1.0
 * @category models
 */
export const GradeLevel = Schema.Struct({
  code: Schema.NonEmptyTrimmedString,
  label: Schema.NonEmptyTrimmedString,
  minScore: Schema.Number.pipe(Schema.finite())
})

/**
 * A grade scale: levels from best to worst, strictly decreasing minimum scores; the last level takes
 * every lower score.
 *
 * @since 0.1.0
 * @category models
 */
export const GradeScale = Schema.Struct({
  id: Schema.NonEmptyTrimmedString,
  levels: Schema.NonEmptyArray(GradeLevel)
}).pipe(
  Schema.filter((scale) =>
    scale.levels.every((level, i) => i === 0 || level.minScore < (scale.levels[i - 1]?.minScore ?? Infinity))
      ? undefined
      : "等级应按分数从高到低排列，且各级最低分严格递减 / levels must have strictly decreasing minimum scores"
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export type GradeScale = typeof GradeScale.Type

/**
 * A sample scorecard (base 100, deductions for failing records by tier, additions for rewards and
 * honours), for examples and tests; a district sets its own.
 *
 * @since 0.1.0
 * @category models
 */
export const sampleScorecard: Scorecard = {
  id: "sample-2026",
  name: "示例公共信用综合评价模型",
  base: 100,
  min: 0,
  max: 120,
  rules: [
    { recordType: "ADMIN_PENALTY", tier: "minor", points: -2, maxAgeMonths: 12, cap: 10 },
    { recordType: "ADMIN_PENALTY", tier: "general", points: -8, maxAgeMonths: 36 },
    { recordType: "ADMIN_PENALTY", tier: "serious", points: -30, maxAgeMonths: 60 },
    { recordType: "ADMIN_COERCION", points: -10, maxAgeMonths: 36 },
    { recordType: "JUDICIAL", points: -15, maxAgeMonths: 60 },
    { recordType: "ABNORMAL_OPERATION", points: -20 },
    { recordType: "SERIOUS_DISHONESTY", points: -60 },
    { recordType: "TAX_ARREARS", points: -15, maxAgeMonths: 36 },
    { recordType: "SOCIAL_INSURANCE_ARREARS", points: -10, maxAgeMonths: 36 },
    { recordType: "ADMIN_REWARD", points: 5, maxAgeMonths: 36, cap: 15 },
    { recordType: "HONOUR", points: 3, maxAgeMonths: 36, cap: 9 },
    { recordType: "PS_VOLUNTEER_SERVICE", points: 2, maxAgeMonths: 24, cap: 6 }
  ]
}

/**
 * A sample grade scale: A 优秀 ≥ 95, B 良好 ≥ 85, C 一般 ≥ 70, D 较差 below (the last level also takes any lower score).
 *
 * @since 0.1.0
 * @category models
 */
export const sampleScale: GradeScale = {
  id: "abcd",
  levels: [
    { code: "A", label: "优秀", minScore: 95 },
    { code: "B", label: "良好", minScore: 85 },
    { code: "C", label: "一般", minScore: 70 },
    { code: "D", label: "较差", minScore: 0 }
  ]
}

/**
 * One line of a grade's explanation.
 *
 * @since 0.1.0
 * @category models
 */
export interface Line {
  readonly recordId: string
  readonly recordType: string
  readonly points: number
  /** Why, in Chinese (e.g. 行政处罚（一般）扣 8 分；超过上限不再计分). */
  readonly reason: string
}

/**
 * A subject's evaluation: score, grade and the lines that explain it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Evaluation {
  readonly scorecardId: string
  readonly score: number
  readonly grade: string
  readonly label: string
  readonly lines: ReadonlyArray<Line>
}

/**
 * The grade level of a score.
 *
 * @since 0.1.0
 * @category rules
 */
export const gradeOf = (scale: GradeScale, score: number): { readonly code: string; readonly label: string } => {
  for (const level of scale.levels) if (score >= level.minScore) return level
  const last = scale.levels[scale.levels.length - 1]
  return last
}

const ruleFor = (scorecard: Scorecard, record: CreditRecord): ScoreRule | undefined =>
  scorecard.rules.find((rule) => rule.recordType === record.recordType && rule.tier === record.tier) ??
  scorecard.rules.find((rule) => rule.recordType === record.recordType && rule.tier === undefined)

/**
 * Evaluates a subject from its records on a day: records not in use (repaired, expired, revoked) and
 * records older than a rule's age limit do not count; lines are in (finding date, id) order, so the
 * result does not depend on the order the records are given in.
 *
 * @since 0.1.0
 * @category rules
 */
export const evaluate = (
  scorecard: Scorecard,
  scale: GradeScale,
  records: ReadonlyArray<CreditRecord>,
  today: LocalDate.LocalDate
): Evaluation => {
  const sorted = [...records].sort((a, b) =>
    a.findingDate === b.findingDate ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.findingDate < b.findingDate ? -1 : 1
  )
  const used = new Map<ScoreRule, number>()
  const lines: Array<Line> = []
  let score = scorecard.base
  for (const record of sorted) {
    if (!inUse(record.state)) continue
    const rule = ruleFor(scorecard, record)
    if (rule === undefined) continue
    if (rule.maxAgeMonths !== undefined && CreditRules.addMonths(record.findingDate, rule.maxAgeMonths) <= today) {
      continue
    }
    if (record.findingDate > today) continue
    const so_far = used.get(rule) ?? 0
    const room = rule.cap === undefined ? Math.abs(rule.points) : Math.max(0, rule.cap - so_far)
    const magnitude = Math.min(Math.abs(rule.points), room)
    const points = Math.sign(rule.points) * magnitude
    used.set(rule, so_far + magnitude)
    const what = `${record.recordType}${record.tier === undefined ? "" : `（${CreditRules.tierLabel(record.tier)}）`}`
    const verb = rule.points < 0 ? "扣" : "加"
    const reason =
      magnitude < Math.abs(rule.points)
        ? `${what}${verb} ${magnitude} 分（已达该项上限 ${rule.cap} 分）`
        : `${what}${verb} ${magnitude} 分`
    lines.push({ recordId: record.id, recordType: record.recordType, points, reason })
    score += points
  }
  const clamped = Math.min(scorecard.max, Math.max(scorecard.min, score))
  const level = gradeOf(scale, clamped)
  return { scorecardId: scorecard.id, score: clamped, grade: level.code, label: level.label, lines }
}
