/**
 * Joint rewards and punishments (联合奖惩) as data: a measure catalogue (限制参与政府采购, 绿色通道,
 * 容缺受理 …, each with its kind, implementer and basis), rules from lists, grades and record types to
 * measures per purpose, and {@link applicable}: which measures apply to a subject for a purpose. The
 * national 2024 measures list could not be read (see `credit-catalogue-2024.json`), so the measures
 * here are samples a district replaces with its own.
 *
 * @since 0.1.0
 */
import type * as LocalDate from "@gongzhi/core/LocalDate"
import { Schema } from "effect"
import { inForce, type ListEntry, ListKind, listLabel } from "./CreditList.js"
import type { CreditRecord } from "./CreditRecord.js"
import { inUse } from "./CreditRecord.js"

/**
 * A measure of the catalogue: a reward (激励) or a punishment (惩戒).
 *
 * @since 0.1.0
 * @category models
 */
export const Measure = Schema.Struct({
  code: Schema.String.pipe(Schema.pattern(/^[A-Z][A-Z0-9_]{1,63}$/)),
  name: Schema.NonEmptyTrimmedString,
  kind: Schema.Literal("reward", "punishment"),
  implementer: Schema.String,
  basis: Schema.String,
  status: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Measure = typeof Measure.Type

/**
 * A rule: when the trigger holds, the measure applies for these purposes (e.g. 政府采购, 财政资金项目申报).
 *
 * @since 0.1.0
 * @category models
 */
export const MeasureRule = Schema.Struct({
  measure: Schema.String,
  purposes: Schema.NonEmptyArray(Schema.String),
  trigger: Schema.Union(
    Schema.TaggedStruct("OnList", { list: ListKind }),
    Schema.TaggedStruct("Grade", { grades: Schema.NonEmptyArray(Schema.String) }),
    Schema.TaggedStruct("RecordType", { recordTypes: Schema.NonEmptyArray(Schema.String) })
  )
})

/**
 * @since 0.1.0
 * @category models
 */
export type MeasureRule = typeof MeasureRule.Type

/**
 * Sample measures (the 2024 national list was not readable: status says so).
 *
 * @since 0.1.0
 * @category models
 */
export const sampleMeasures: ReadonlyArray<Measure> = [
  {
    code: "NO_PROCUREMENT",
    name: "限制参与政府采购活动",
    kind: "punishment",
    implementer: "财政部门、采购人",
    basis: "《政府采购法》第二十二条（示例）",
    status: "sample"
  },
  {
    code: "NO_FISCAL_FUNDS",
    name: "限制申报财政资金项目",
    kind: "punishment",
    implementer: "项目主管部门",
    basis: "示例",
    status: "sample"
  },
  {
    code: "CLOSER_SUPERVISION",
    name: "列为重点监管对象，提高抽查比例和频次",
    kind: "punishment",
    implementer: "行业主管部门",
    basis: "示例",
    status: "sample"
  },
  {
    code: "GREEN_CHANNEL",
    name: "行政审批绿色通道",
    kind: "reward",
    implementer: "政务服务部门",
    basis: "示例",
    status: "sample"
  },
  {
    code: "TOLERANT_ACCEPTANCE",
    name: "容缺受理",
    kind: "reward",
    implementer: "政务服务部门",
    basis: "示例",
    status: "sample"
  }
]

/**
 * Sample rules.
 *
 * @since 0.1.0
 * @category models
 */
export const sampleRules: ReadonlyArray<MeasureRule> = [
  { measure: "NO_PROCUREMENT", purposes: ["政府采购"], trigger: { _tag: "OnList", list: "seriousDishonesty" } },
  {
    measure: "NO_FISCAL_FUNDS",
    purposes: ["财政资金项目申报"],
    trigger: { _tag: "OnList", list: "seriousDishonesty" }
  },
  { measure: "CLOSER_SUPERVISION", purposes: ["日常监管"], trigger: { _tag: "OnList", list: "abnormal" } },
  { measure: "CLOSER_SUPERVISION", purposes: ["日常监管"], trigger: { _tag: "Grade", grades: ["D"] } },
  { measure: "GREEN_CHANNEL", purposes: ["行政审批", "财政资金项目申报"], trigger: { _tag: "OnList", list: "red" } },
  {
    measure: "TOLERANT_ACCEPTANCE",
    purposes: ["行政审批", "财政资金项目申报"],
    trigger: { _tag: "Grade", grades: ["A"] }
  }
]

/**
 * A measure that applies, with why.
 *
 * @since 0.1.0
 * @category models
 */
export interface Applicable {
  readonly measure: Measure
  readonly reasons: ReadonlyArray<string>
}

/**
 * The measures that apply to a subject for a purpose on a day, from its list entries, its grade and
 * its records in use (a repaired record no longer triggers anything).
 *
 * @since 0.1.0
 * @category rules
 */
export const applicable = (
  catalogue: ReadonlyArray<Measure>,
  rules: ReadonlyArray<MeasureRule>,
  subject: {
    readonly entries: ReadonlyArray<ListEntry>
    readonly grade: string | undefined
    readonly records: ReadonlyArray<CreditRecord>
  },
  purpose: string,
  today: LocalDate.LocalDate
): ReadonlyArray<Applicable> => {
  const found = new Map<string, Array<string>>()
  for (const rule of rules) {
    if (!rule.purposes.includes(purpose)) continue
    let reason: string | undefined
    const trigger = rule.trigger
    if (trigger._tag === "OnList") {
      const entry = subject.entries.find((e) => e.list === trigger.list && inForce(e, today))
      if (entry !== undefined) reason = `列入${listLabel(trigger.list)}（${entry.from} 起，${entry.until} 移出）`
    } else if (trigger._tag === "Grade") {
      if (subject.grade !== undefined && trigger.grades.includes(subject.grade)) reason = `信用等级为 ${subject.grade}`
    } else {
      const record = subject.records.find((r) => inUse(r.state) && trigger.recordTypes.includes(r.recordType))
      if (record !== undefined) reason = `有${record.recordType}记录（${record.findingDate}）`
    }
    if (reason !== undefined) found.set(rule.measure, [...(found.get(rule.measure) ?? []), reason])
  }
  const out: Array<Applicable> = []
  for (const measure of catalogue) {
    const reasons = found.get(measure.code)
    if (reasons !== undefined) out.push({ measure, reasons })
  }
  return out
}
