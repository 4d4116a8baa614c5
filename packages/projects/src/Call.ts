/**
 * Calls (征集/遴选活动) for social-governance innovation projects (社会治理创新项目) or research topics
 * (课题研究): phases as data with dates, per-call settings (quota, budget cap, eligible applicant kinds,
 * custom form fields validated by a Schema built from data, the rubric and its aggregation strategy),
 * the selection, its publicity (公示) with an objection window in working days, and the recommendation to
 * the city level (推荐市级培育项目) with its outcome.
 *
 * @since 0.1.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import * as Ranking from "./Ranking.js"
import * as Rubric from "./Rubric.js"

/**
 * What a call is for.
 *
 * @since 0.1.0
 * @category models
 */
export const CallKind = Schema.Literal("innovation-project", "research-topic")

/**
 * @since 0.1.0
 * @category models
 */
export type CallKind = typeof CallKind.Type

/**
 * The phases of a call, in order (申报 → 资格审查 → 答辩 → 遴选 → 公示 → 培育 → 验收).
 *
 * @since 0.1.0
 * @category models
 */
export const PhaseName = Schema.Literal(
  "applications",
  "eligibility",
  "defence",
  "selection",
  "publicity",
  "cultivation",
  "acceptance"
)

/**
 * @since 0.1.0
 * @category models
 */
export type PhaseName = typeof PhaseName.Type

/**
 * Chinese labels of the phases.
 *
 * @since 0.1.0
 * @category accessors
 */
export const phaseLabel: Record<PhaseName, string> = {
  applications: "申报",
  eligibility: "资格审查",
  defence: "答辩",
  selection: "遴选",
  publicity: "公示",
  cultivation: "培育",
  acceptance: "验收"
}

/**
 * A phase with its dates (both inclusive).
 *
 * @since 0.1.0
 * @category models
 */
export const Phase = Schema.Struct({ name: PhaseName, from: LocalDate.LocalDate, to: LocalDate.LocalDate })

/**
 * @since 0.1.0
 * @category models
 */
export type Phase = typeof Phase.Type

/**
 * The kinds of organisation that may apply.
 *
 * @since 0.1.0
 * @category models
 */
export const ApplicantKind = Schema.Literal(
  "social-organisation",
  "enterprise",
  "public-institution",
  "community",
  "government-unit"
)

/**
 * @since 0.1.0
 * @category models
 */
export type ApplicantKind = typeof ApplicantKind.Type

/**
 * Chinese labels of applicant kinds.
 *
 * @since 0.1.0
 * @category accessors
 */
export const applicantKindLabel: Record<ApplicantKind, string> = {
  "social-organisation": "社会组织",
  enterprise: "企业",
  "public-institution": "事业单位",
  community: "社区",
  "government-unit": "机关单位"
}

/**
 * A custom form field of a call's application form, as data.
 *
 * @since 0.1.0
 * @category models
 */
export const FormField = Schema.Struct({
  key: Schema.String.pipe(Schema.pattern(/^[A-Za-z][A-Za-z0-9_]{0,63}$/)),
  label: Schema.String.pipe(Schema.minLength(1)),
  type: Schema.Literal("text", "number", "boolean", "date", "choice"),
  required: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  maxLength: Schema.optional(Schema.Int.pipe(Schema.positive())),
  min: Schema.optional(Schema.Number),
  max: Schema.optional(Schema.Number),
  choices: Schema.optional(Schema.Array(Schema.String))
})

/**
 * @since 0.1.0
 * @category models
 */
export type FormField = typeof FormField.Type

const fieldSchema = (field: FormField): Schema.Schema<any, any> => {
  const label = field.label
  switch (field.type) {
    case "text": {
      let s: Schema.Schema<string> = Schema.Trim.pipe(Schema.minLength(1, { message: () => `${label}不能为空` }))
      if (field.maxLength !== undefined) {
        const max = field.maxLength
        s = s.pipe(Schema.maxLength(max, { message: () => `${label}不能超过 ${max} 个字符` }))
      }
      return s
    }
    case "number": {
      let s: Schema.Schema<number> = Schema.Number.annotations({ message: () => `${label}应为数字` })
      if (field.min !== undefined) {
        const min = field.min
        s = s.pipe(Schema.greaterThanOrEqualTo(min, { message: () => `${label}不能小于 ${min}` }))
      }
      if (field.max !== undefined) {
        const max = field.max
        s = s.pipe(Schema.lessThanOrEqualTo(max, { message: () => `${label}不能大于 ${max}` }))
      }
      return s
    }
    case "boolean":
      return Schema.Boolean.annotations({ message: () => `${label}应为是或否` })
    case "date":
      return LocalDate.LocalDate.annotations({ message: () => `${label}应为 YYYY-MM-DD 格式的日期` })
    case "choice": {
      const choices = field.choices ?? []
      return Schema.String.pipe(
        Schema.filter((value) => choices.includes(value), { message: () => `${label}应为：${choices.join("、")}之一` })
      )
    }
  }
}

/**
 * The Schema of a call's custom form, built from its fields: required fields must be present, optional
 * ones may be missing; unknown keys are refused.
 *
 * @since 0.1.0
 * @category constructors
 */
export const formSchema = (
  fields: ReadonlyArray<FormField>
): Schema.Schema<Readonly<Record<string, unknown>>, Readonly<Record<string, unknown>>> => {
  const struct: Record<string, Schema.Schema.Any | Schema.PropertySignature.Any> = {}
  for (const field of fields) {
    struct[field.key] = field.required ? fieldSchema(field) : Schema.optional(fieldSchema(field))
  }
  return Schema.Struct(struct) as any
}

/**
 * The settings of a call.
 *
 * @since 0.1.0
 * @category models
 */
export const CallSettings = Schema.Struct({
  /** How many applications are selected (名额). */
  quota: Schema.Int.pipe(Schema.positive({ message: () => "名额应大于 0" })),
  /** The highest budget an application may ask, in yuan (资助上限). */
  budgetCapYuan: Schema.Number.pipe(Schema.positive()),
  eligibleApplicantKinds: Schema.NonEmptyArray(ApplicantKind),
  formFields: Schema.optionalWith(Schema.Array(FormField), { default: () => [] }),
  rubric: Rubric.Rubric,
  strategy: Ranking.Strategy,
  /** Presentation slot length and break between slots, in minutes. */
  slotMinutes: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 480)), { default: () => 15 }),
  breakMinutes: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 240)), { default: () => 5 }),
  /** The objection window of the publicity, in working days (公示期，默认 5 个工作日). */
  publicityWorkingDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 60)), { default: () => 5 })
})

/**
 * @since 0.1.0
 * @category models
 */
export type CallSettings = typeof CallSettings.Type

/**
 * The state of a call.
 *
 * @since 0.1.0
 * @category models
 */
export const CallStatus = Schema.Literal("open", "selected", "publicised", "closed")

/**
 * @since 0.1.0
 * @category models
 */
export type CallStatus = typeof CallStatus.Type

/**
 * Chinese labels of the call states.
 *
 * @since 0.1.0
 * @category accessors
 */
export const statusLabel: Record<CallStatus, string> = {
  open: "征集中",
  selected: "已遴选",
  publicised: "公示中",
  closed: "已结束"
}

/**
 * A call (征集活动).
 *
 * @since 0.1.0
 * @category models
 */
export class Call extends Schema.Class<Call>("@gongzhi/projects/Call")({
  id: Schema.String,
  tenantId: TenantId,
  kind: CallKind,
  title: Schema.String,
  year: Schema.Int,
  phases: Schema.Array(Phase),
  settings: CallSettings,
  status: CallStatus,
  /** Application ids selected, in rank order. */
  selected: Schema.Array(Schema.String),
  publicity: Schema.NullOr(Schema.Struct({ from: LocalDate.LocalDate, objectionsUntil: LocalDate.LocalDate })),
  objections: Schema.Array(
    Schema.Struct({ applicationId: Schema.String, reason: Schema.String, receivedOn: LocalDate.LocalDate })
  ),
  cityRecommendation: Schema.NullOr(
    Schema.Struct({
      applicationId: Schema.String,
      recommendedOn: LocalDate.LocalDate,
      outcome: Schema.Literal("pending", "selected", "not-selected")
    })
  ),
  createdAt: Schema.Date
}) {}

/**
 * The phase a date falls in (the first listed, when phases overlap), if any.
 *
 * @since 0.1.0
 * @category accessors
 */
export const phaseOn = (call: Pick<Call, "phases">, date: LocalDate.LocalDate): PhaseName | undefined =>
  call.phases.find((phase) => phase.from <= date && date <= phase.to)?.name

/**
 * Checks phases: each `from ≤ to`, each phase named once, in the documented order without overlap.
 *
 * @since 0.1.0
 * @category accessors
 */
export const phaseProblems = (phases: ReadonlyArray<Phase>): Array<string> => {
  const problems: Array<string> = []
  const order = PhaseName.literals
  let previous: Phase | undefined
  const seen = new Set<string>()
  for (const phase of phases) {
    if (seen.has(phase.name)) problems.push(`phases: 阶段「${phaseLabel[phase.name]}」重复`)
    seen.add(phase.name)
    if (phase.from > phase.to) problems.push(`phases: 阶段「${phaseLabel[phase.name]}」的开始日期晚于结束日期`)
    if (previous !== undefined) {
      if (order.indexOf(phase.name) < order.indexOf(previous.name)) {
        problems.push(`phases: 阶段「${phaseLabel[phase.name]}」应在「${phaseLabel[previous.name]}」之前`)
      } else if (phase.from <= previous.to) {
        problems.push(`phases: 阶段「${phaseLabel[phase.name]}」与「${phaseLabel[previous.name]}」的日期重叠`)
      }
    }
    previous = phase
  }
  if (!seen.has("applications")) problems.push("phases: 缺少「申报」阶段")
  return problems
}

const Text = (max: number) => Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(max))

/**
 * The input of `Projects.createCall`.
 *
 * @since 0.1.0
 * @category models
 */
export const CreateCall = Schema.Struct({
  tenantId: TenantId,
  kind: CallKind,
  title: Text(200),
  year: Schema.Int.pipe(Schema.between(2000, 2100)),
  phases: Schema.Array(Phase),
  settings: CallSettings
})

/**
 * The input of the selection commands naming a call.
 *
 * @since 0.1.0
 * @category models
 */
export const CallRef = Schema.Struct({ tenantId: TenantId, callId: Schema.String })

/**
 * The input of `Projects.publicise` (the first day of publicity; default today).
 *
 * @since 0.1.0
 * @category models
 */
export const Publicise = Schema.Struct({ ...CallRef.fields, from: Schema.optional(LocalDate.LocalDate) })

/**
 * The input of `Projects.raiseObjection` (异议).
 *
 * @since 0.1.0
 * @category models
 */
export const RaiseObjection = Schema.Struct({ ...CallRef.fields, applicationId: Schema.String, reason: Text(2000) })

/**
 * The input of `Projects.recommendToCity`.
 *
 * @since 0.1.0
 * @category models
 */
export const RecommendToCity = Schema.Struct({ ...CallRef.fields, applicationId: Schema.String })

/**
 * The input of `Projects.recordCityOutcome`.
 *
 * @since 0.1.0
 * @category models
 */
export const RecordCityOutcome = Schema.Struct({
  ...CallRef.fields,
  outcome: Schema.Literal("selected", "not-selected")
})
