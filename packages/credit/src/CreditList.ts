/**
 * Lists (名单): the red list (守信激励名单), the serious-dishonesty list (严重失信主体名单) and the
 * abnormal list (异常名录). A subject enters a list by rule — data saying which record types and tiers
 * put a subject on which list, for how long — or by decision (with reasons, the deciding unit and the
 * exit conditions); an entry expires on its end date. {@link entriesByRule} is pure.
 *
 * @since 0.1.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Schema } from "effect"
import type { CreditRecord } from "./CreditRecord.js"
import { inUse } from "./CreditRecord.js"
import * as CreditRules from "./CreditRules.js"

/**
 * The kinds of list.
 *
 * @since 0.1.0
 * @category models
 */
export const ListKind = Schema.Literal("red", "seriousDishonesty", "abnormal")

/**
 * @since 0.1.0
 * @category models
 */
export type ListKind = typeof ListKind.Type

/**
 * The Chinese name of a list.
 *
 * @since 0.1.0
 * @category accessors
 */
export const listLabel = (kind: ListKind): string =>
  kind === "red" ? "守信激励名单" : kind === "seriousDishonesty" ? "严重失信主体名单" : "经营异常名录"

/**
 * A rule: records of these types (and tiers, when given) in use and younger than `months` put the
 * subject on the list until `months` after the finding date; `minimum` records are needed (default 1).
 *
 * @since 0.1.0
 * @category models
 */
export const ListRule = Schema.Struct({
  list: ListKind,
  recordTypes: Schema.NonEmptyArray(Schema.String),
  tiers: Schema.optional(Schema.Array(CreditRules.Tier)),
  months: Schema.Int.pipe(Schema.positive()),
  minimum: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /** The exit condition, in Chinese, shown with the entry. */
  exit: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ListRule = typeof ListRule.Type

/**
 * A list entry (by rule or by decision).
 *
 * @since 0.1.0
 * @category models
 */
export const ListEntry = Schema.Struct({
  list: ListKind,
  subjectId: Schema.String,
  basis: Schema.Literal("rule", "decision"),
  reasons: Schema.Array(Schema.String),
  /** The records that put the subject on the list (by rule). */
  recordIds: Schema.Array(Schema.String),
  decidedBy: Schema.optional(Schema.String),
  from: LocalDate.LocalDate,
  /** The first day the subject is no longer on the list. */
  until: LocalDate.LocalDate,
  exit: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ListEntry = typeof ListEntry.Type

/**
 * Sample rules: a serious administrative penalty or a serious-dishonesty record puts a subject on the
 * serious-dishonesty list for three years; an abnormal-operation record on the abnormal list for one
 * year; two rewards or honours within three years, with no failing record in use, on the red list.
 *
 * @since 0.1.0
 * @category models
 */
export const sampleRules: ReadonlyArray<ListRule> = [
  {
    list: "seriousDishonesty",
    recordTypes: ["SERIOUS_DISHONESTY", "ADMIN_PENALTY"],
    tiers: ["serious"],
    months: 36,
    exit: "期满或信用修复后移出"
  },
  { list: "abnormal", recordTypes: ["ABNORMAL_OPERATION"], months: 12, exit: "履行相关义务并申请移出" },
  { list: "red", recordTypes: ["ADMIN_REWARD", "HONOUR"], months: 36, minimum: 2, exit: "期满或出现失信记录后移出" }
]

/**
 * The list entries the rules give a subject on a day, from its records. A red-list entry needs no
 * failing record in use.
 *
 * @since 0.1.0
 * @category rules
 */
export const entriesByRule = (
  rules: ReadonlyArray<ListRule>,
  subjectId: string,
  records: ReadonlyArray<
    Pick<
      CreditRecord,
      "id" | "recordType" | "polarity" | "state" | "findingDate" | "tier" | "documentNumber" | "sourceRecordId"
    >
  >,
  today: LocalDate.LocalDate
): ReadonlyArray<ListEntry> => {
  const live = records.filter((r) => inUse(r.state) && r.findingDate <= today)
  const failing = live.some((r) => r.polarity === "negative")
  const out: Array<ListEntry> = []
  for (const rule of rules) {
    if (rule.list === "red" && failing) continue
    const matching = live
      .filter(
        (r) =>
          rule.recordTypes.includes(r.recordType) &&
          (rule.tiers === undefined || (r.tier !== undefined && rule.tiers.includes(r.tier))) &&
          CreditRules.addMonths(r.findingDate, rule.months) > today
      )
      .sort((a, b) => (a.findingDate < b.findingDate ? -1 : a.findingDate > b.findingDate ? 1 : a.id < b.id ? -1 : 1))
    const minimum = rule.minimum ?? 1
    if (matching.length < minimum) continue
    // on the list from the day the minimum was met until the latest record's period ends
    const from = (matching[minimum - 1] as (typeof matching)[number]).findingDate
    const until = matching.reduce(
      (latest, r) => {
        const end = CreditRules.addMonths(r.findingDate, rule.months)
        // biome-ignore lint/complexity/useMathMinMax: ISO dates compare as strings
        return end > latest ? end : latest
      },
      CreditRules.addMonths(from, rule.months)
    )
    out.push({
      list: rule.list,
      subjectId,
      basis: "rule",
      reasons: matching.map((r) => `${r.recordType} ${r.documentNumber ?? r.sourceRecordId}（${r.findingDate}）`),
      recordIds: matching.map((r) => r.id),
      from,
      until,
      exit: rule.exit
    })
  }
  return out
}

/**
 * Whether an entry is in force on a day.
 *
 * @since 0.1.0
 * @category predicates
 */
export const inForce = (entry: ListEntry, day: LocalDate.LocalDate): boolean => entry.from <= day && day < entry.until
