// The schemas of `Calendar`: policies, day statuses, estimates and the errors. Re-exported by
// `Calendar.ts`, which documents them as its own.
import { Schema } from "effect"
import * as LocalDate from "../LocalDate.js"

// ---------------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------------

/**
 * What to do when an operation needs a year no notice covers: `"fail"` fails with {@link CalendarOutOfCoverage};
 * `"uncertain"` answers from the fallback rule (weekends and fixed statutory dates off) and marks the answer
 * uncertain.
 *
 * @since 0.1.0
 * @category models
 */
export const OutOfCoveragePolicy = Schema.Literal("fail", "uncertain").annotations({
  identifier: "OutOfCoveragePolicy",
  title: "未覆盖年份的处理方式"
})

/**
 * @since 0.1.0
 * @category models
 */
export type OutOfCoveragePolicy = typeof OutOfCoveragePolicy.Type

/**
 * Why a day is off: a weekend (周末), a holiday of a notice (节假日, with its name), or a fixed statutory date
 * known from the national regulations alone (法定节假日, outside coverage, with the decree).
 *
 * @since 0.1.0
 * @category models
 */
export const OffReason = Schema.Union(
  Schema.TaggedStruct("Weekend", {}),
  Schema.TaggedStruct("Holiday", { name: Schema.String }),
  Schema.TaggedStruct("Statutory", { name: Schema.String, basis: Schema.String })
).annotations({ identifier: "OffReason" })

/**
 * @since 0.1.0
 * @category models
 */
export type OffReason = typeof OffReason.Type

/**
 * A working day. `makeupWorkday` is true on a Saturday or Sunday made a working day (调休上班); `holiday` then
 * names the holiday it serves.
 *
 * @since 0.1.0
 * @category models
 */
export const Working = Schema.TaggedStruct("Working", {
  date: LocalDate.LocalDate,
  makeupWorkday: Schema.Boolean,
  holiday: Schema.optional(Schema.String)
}).annotations({ identifier: "Working" })

/**
 * @since 0.1.0
 * @category models
 */
export type Working = typeof Working.Type

/**
 * A day off, with its reason.
 *
 * @since 0.1.0
 * @category models
 */
export const Off = Schema.TaggedStruct("Off", {
  date: LocalDate.LocalDate,
  reason: OffReason
}).annotations({ identifier: "Off" })

/**
 * @since 0.1.0
 * @category models
 */
export type Off = typeof Off.Type

/**
 * A day of a year no notice covers, under the `"uncertain"` policy: `assumed` is what the fallback rule says
 * (a weekday is assumed working, a Saturday or Sunday off), pending that year's notice.
 *
 * @since 0.1.0
 * @category models
 */
export const Uncertain = Schema.TaggedStruct("Uncertain", {
  date: LocalDate.LocalDate,
  year: Schema.Int,
  assumed: Schema.Literal("working", "off"),
  reason: Schema.optional(OffReason)
}).annotations({ identifier: "Uncertain" })

/**
 * @since 0.1.0
 * @category models
 */
export type Uncertain = typeof Uncertain.Type

/**
 * The status of a day when it is known: working or off.
 *
 * @since 0.1.0
 * @category models
 */
export const KnownDayStatus = Schema.Union(Working, Off).annotations({ identifier: "KnownDayStatus" })

/**
 * @since 0.1.0
 * @category models
 */
export type KnownDayStatus = typeof KnownDayStatus.Type

/**
 * The status of a day (工作日状态): working, off, or uncertain (outside coverage, `"uncertain"` policy only).
 *
 * @since 0.1.0
 * @category models
 */
export const DayStatus = Schema.Union(Working, Off, Uncertain).annotations({ identifier: "DayStatus" })

/**
 * @since 0.1.0
 * @category models
 */
export type DayStatus = typeof DayStatus.Type

/**
 * An answer under the `"uncertain"` policy: `Certain` when only covered years (or fixed statutory dates) were
 * needed, `Uncertain` with the uncovered years it relied on otherwise.
 *
 * @since 0.1.0
 * @category models
 */
export type Estimate<A> =
  | { readonly _tag: "Certain"; readonly value: A }
  | { readonly _tag: "Uncertain"; readonly value: A; readonly uncoveredYears: ReadonlyArray<number> }

/**
 * The schema of an {@link Estimate} of values of `value`.
 *
 * @since 0.1.0
 * @category models
 */
export const Estimate = <A, I, R>(value: Schema.Schema<A, I, R>) =>
  Schema.Union(
    Schema.TaggedStruct("Certain", { value }),
    Schema.TaggedStruct("Uncertain", { value, uncoveredYears: Schema.Array(Schema.Int) })
  )

// ---------------------------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------------------------

/**
 * An operation needed a year that no holiday notice covers, under the `"fail"` policy.
 *
 * @since 0.1.0
 * @category errors
 */
export class CalendarOutOfCoverage extends Schema.TaggedError<CalendarOutOfCoverage>(
  "@gongzhi/core/CalendarOutOfCoverage"
)("CalendarOutOfCoverage", {
  year: Schema.Int,
  coverage: Schema.Array(Schema.Int)
}) {
  override get message(): string {
    const known = this.coverage.length === 0 ? "尚未收录任何年份" : `已收录 ${this.coverage.join("、")} 年`
    return (
      `工作日历未收录 ${this.year} 年的放假调休安排（${known}），无法确定该年的工作日。` +
      `请在国务院办公厅公布《关于${this.year}年部分节假日安排的通知》后，将其作为 HolidayNotice 数据加入日历` +
      `（Calendar.make / Calendar.layer）；或在调用时指定 policy: "uncertain"，得到标注为不确定的估算结果。` +
      ` / the working calendar does not cover ${this.year}; add that year's holiday notice`
    )
  }
}

/**
 * An argument of a calendar operation is invalid (a date that does not exist, a negative number of days …), or
 * the result would leave years 0001–9999.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCalendarInput extends Schema.TaggedError<InvalidCalendarInput>(
  "@gongzhi/core/InvalidCalendarInput"
)("InvalidCalendarInput", {
  field: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `工作日历参数 ${this.field} 无效：${this.reason}`
  }
}
