/**
 * Credit repair (信用修复) per 国家发展改革委令2025年第36号 (Order 36; findings before 2026-04-01 keep
 * Order 58's periods, earlier ones 发改办财金〔2019〕527号, all from `CreditRules.periods`).
 *
 * {@link eligibility} is a pure function of the record, the day and the application: the record is a
 * failing record in use (not under objection), its minimum display period is reached (a minor finding
 * under Order 36 needs no waiting time), the obligations are fulfilled (evidence), the public credit
 * commitment (信用承诺书) text in force was accepted, and every sector condition (data:
 * {@link RepairCondition}) that applies has its evidence. The application is reviewed and decided by
 * the unit that made the finding (谁认定、谁修复); a granted repair stops public display, sharing and use
 * of the records at once (state `repaired`), re-grades the subject, removes the list entries that
 * depended on them and lifts the joint measures that no longer apply.
 *
 * Lifecycle: `applied` 待审查 → `granted` 准予修复 or `refused` 不予修复, each with reasons.
 *
 * @since 0.2.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Either, Schema } from "effect"
import { InvalidTransition } from "./CreditErrors.js"
import type { CreditRecord } from "./CreditRecord.js"
import { stateLabel as recordStateLabel } from "./CreditRecord.js"
import * as CreditRules from "./CreditRules.js"

/**
 * A sector condition of repair (data): records of these sectors or types need evidence of it, e.g.
 * 安全生产 — 参加信用修复专题培训并经复查合格.
 *
 * @since 0.2.0
 * @category models
 */
export const RepairCondition = Schema.Struct({
  id: Schema.String.pipe(Schema.pattern(/^[a-z][a-zA-Z0-9_-]{0,47}$/)),
  label: Schema.NonEmptyTrimmedString,
  sectors: Schema.optional(Schema.Array(CreditRules.Sector)),
  recordTypes: Schema.optional(Schema.Array(Schema.String))
})

/**
 * @since 0.2.0
 * @category models
 */
export type RepairCondition = typeof RepairCondition.Type

/**
 * Sample sector conditions (a district replaces them with its own).
 *
 * @since 0.2.0
 * @category models
 */
export const sampleConditions: ReadonlyArray<RepairCondition> = [
  { id: "safetyTraining", label: "参加安全生产信用修复专题培训并经复查合格", sectors: ["workSafety", "fire"] },
  { id: "foodTraining", label: "参加食品药品安全信用修复专题培训", sectors: ["food", "drugs"] }
]

/**
 * The default text of the public credit commitment (信用承诺书) a subject accepts when applying.
 *
 * @since 0.2.0
 * @category models
 */
export const defaultCommitmentText =
  "本主体已纠正失信行为、履行相关义务，承诺所提交材料真实有效，今后依法诚信经营，自愿接受社会监督；如违背承诺，愿承担相应法律责任并同意将违诺情况记入信用记录。"

/**
 * One piece of evidence: the obligations fulfilled (履行义务), or a sector condition met.
 *
 * @since 0.2.0
 * @category models
 */
export const Evidence = Schema.Struct({
  kind: Schema.Literal("obligation", "condition"),
  /** The condition it proves (for `condition`). */
  conditionId: Schema.optional(Schema.String),
  /** The document's reference, e.g. a payment voucher or a re-inspection report number. */
  reference: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(200))
})

/**
 * @since 0.2.0
 * @category models
 */
export type Evidence = typeof Evidence.Type

/**
 * What an application brings to the eligibility check.
 *
 * @since 0.2.0
 * @category models
 */
export interface Claim {
  readonly evidence: ReadonlyArray<Evidence>
  /** The commitment text the subject accepted. */
  readonly commitmentText: string
}

/**
 * The answer of {@link eligibility}: eligible, or the reasons in Chinese; `earliest` is the first day
 * the minimum is reached (when time is what is missing).
 *
 * @since 0.2.0
 * @category models
 */
export interface Eligibility {
  readonly eligible: boolean
  readonly reasons: ReadonlyArray<string>
  readonly earliest: LocalDate.LocalDate | undefined
  /** The rule set that governs the record's periods. */
  readonly rule: string
}

/**
 * The day a record's minimum display period is reached (stored on the record, else computed).
 *
 * @since 0.2.0
 * @category rules
 */
export const minimumReached = (
  record: CreditRecord,
  ruleSets: ReadonlyArray<CreditRules.RuleSet>
): { readonly day: LocalDate.LocalDate; readonly rule: CreditRules.RuleSet } => {
  const periods = CreditRules.periods(
    {
      tier: record.tier ?? "general",
      findingDate: record.findingDate,
      ...(record.sector === undefined ? {} : { sector: record.sector }),
      regulatorRequiresDisplay: record.displayed
    },
    ruleSets
  )
  return { day: record.minimumReached ?? periods.minimumReached, rule: periods.rule }
}

/**
 * Whether a record may be repaired on `today` with this claim.
 *
 * @since 0.2.0
 * @category rules
 * @example
 * import * as Repair from "@gongzhi/credit/Repair"
 * import * as CreditRules from "@gongzhi/credit/CreditRules"
 * declare const record: import("@gongzhi/credit/CreditRecord").CreditRecord
 * declare const today: import("@gongzhi/core/LocalDate").LocalDate
 * const answer = Repair.eligibility(record, today, {
 *   evidence: [{ kind: "obligation", reference: "缴款凭证 2026-001" }],
 *   commitmentText: Repair.defaultCommitmentText
 * }, { ruleSets: CreditRules.defaultRuleSets, conditions: Repair.sampleConditions, commitmentText: Repair.defaultCommitmentText })
 * answer.eligible // false before the minimum; answer.earliest says when
 */
export const eligibility = (
  record: CreditRecord,
  today: LocalDate.LocalDate,
  claim: Claim,
  rules: {
    readonly ruleSets: ReadonlyArray<CreditRules.RuleSet>
    readonly conditions: ReadonlyArray<RepairCondition>
    readonly commitmentText: string
  }
): Eligibility => {
  const reasons: Array<string> = []
  const { day, rule } = minimumReached(record, rules.ruleSets)
  let earliest: LocalDate.LocalDate | undefined
  if (record.polarity !== "negative") reasons.push("该记录不是失信信息，无需修复")
  if (record.state !== "active" && record.state !== "corrected")
    reasons.push(`该记录当前状态为「${recordStateLabel(record.state)}」，不能申请修复`)
  if (today < day) {
    earliest = day
    reasons.push(`最短公示期于 ${day} 届满（${rule.source}），届时方可修复`)
  }
  if (!claim.evidence.some((e) => e.kind === "obligation")) reasons.push("缺少已履行法定义务、纠正失信行为的证明材料")
  if (claim.commitmentText.trim() !== rules.commitmentText.trim()) reasons.push("未签署现行版本的信用承诺书")
  for (const condition of applicableConditions(record, rules.conditions)) {
    if (!claim.evidence.some((e) => e.kind === "condition" && e.conditionId === condition.id))
      reasons.push(`缺少领域条件「${condition.label}」的证明材料`)
  }
  return { eligible: reasons.length === 0, reasons, earliest, rule: rule.id }
}

/**
 * The sector conditions that apply to a record.
 *
 * @since 0.2.0
 * @category rules
 */
export const applicableConditions = (
  record: CreditRecord,
  conditions: ReadonlyArray<RepairCondition>
): ReadonlyArray<RepairCondition> =>
  conditions.filter(
    (c) =>
      (record.sector !== undefined && c.sectors?.includes(record.sector) === true) ||
      c.recordTypes?.includes(record.recordType) === true
  )

/**
 * The state of an application.
 *
 * @since 0.2.0
 * @category models
 */
export const RepairState = Schema.Literal("applied", "granted", "refused")

/**
 * @since 0.2.0
 * @category models
 */
export type RepairState = typeof RepairState.Type

const stateLabels: Record<RepairState, string> = { applied: "待审查", granted: "准予修复", refused: "不予修复" }

/**
 * The Chinese label of a state.
 *
 * @since 0.2.0
 * @category accessors
 */
export const stateLabel = (state: RepairState): string => stateLabels[state]

/**
 * The decision on an application, with its reasons.
 *
 * @since 0.2.0
 * @category models
 */
export const RepairDecision = Schema.Struct({
  by: Schema.String,
  at: Schema.Date,
  on: LocalDate.LocalDate,
  /** The unit that decided (the one that made the finding). */
  unit: Schema.String,
  reasons: Schema.NonEmptyArray(Schema.String)
})

/**
 * @since 0.2.0
 * @category models
 */
export type RepairDecision = typeof RepairDecision.Type

/**
 * An application for repair of one subject's records from one source unit.
 *
 * @since 0.2.0
 * @category models
 */
export class RepairApplication extends Schema.Class<RepairApplication>("@gongzhi/credit/RepairApplication")({
  id: Schema.String,
  tenantId: TenantId,
  subjectId: Schema.String,
  /** The unit that made the findings (it decides). */
  sourceUnitId: Schema.String,
  recordIds: Schema.NonEmptyArray(Schema.String),
  /** The list entries by decision that rest on these findings (removed when granted). */
  listDecisionIds: Schema.Array(Schema.String),
  evidence: Schema.Array(Evidence),
  commitmentText: Schema.String,
  /** Which rule set governed the periods (Order 36, Order 58 …), per record. */
  rules: Schema.Array(Schema.String),
  state: RepairState,
  applied: Schema.Struct({ by: Schema.String, at: Schema.Date }),
  decision: Schema.optional(RepairDecision)
}) {}

const refuse = (application: RepairApplication, action: string) =>
  Either.left(
    new InvalidTransition({
      entity: "RepairApplication",
      id: application.id,
      state: stateLabel(application.state),
      action
    })
  )

/**
 * Grants a pending application.
 *
 * @since 0.2.0
 * @category transitions
 */
export const grant = (
  application: RepairApplication,
  decision: RepairDecision
): Either.Either<RepairApplication, InvalidTransition> =>
  application.state !== "applied"
    ? refuse(application, "准予修复")
    : Either.right(new RepairApplication({ ...application, state: "granted", decision }))

/**
 * Refuses a pending application.
 *
 * @since 0.2.0
 * @category transitions
 */
export const deny = (
  application: RepairApplication,
  decision: RepairDecision
): Either.Either<RepairApplication, InvalidTransition> =>
  application.state !== "applied"
    ? refuse(application, "不予修复")
    : Either.right(new RepairApplication({ ...application, state: "refused", decision }))
