/**
 * Cultivation rules (项目培育): the management standard (管理标准) as data — monthly progress reports due by
 * a working day of the next month, quarterly inspections, KPIs with targets, rectification periods — and the
 * pure rules on it: report due dates on the working-day calendar, overdue detection, rectification deadlines,
 * and the acceptance outcome (验收：通过 / 有条件通过 / 不通过) from KPI results.
 *
 * @since 0.1.0
 */
import type { Calendar, CalendarOutOfCoverage, InvalidCalendarInput } from "@gongzhi/core/Calendar"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Effect, Schema } from "effect"

/**
 * A KPI with its target (绩效指标): met when the actual value reaches the target (or stays at or below it
 * when `lowerIsBetter`).
 *
 * @since 0.1.0
 * @category models
 */
export const Kpi = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  target: Schema.Number,
  unit: Schema.String,
  lowerIsBetter: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Kpi = typeof Kpi.Type

/**
 * A management standard, with its source and the date it applies from.
 *
 * @since 0.1.0
 * @category models
 */
export class ManagementStandard extends Schema.Class<ManagementStandard>("@gongzhi/projects/ManagementStandard")({
  source: Schema.String,
  effectiveFrom: LocalDate.LocalDate,
  /** The month's report is due by this working day of the next month (e.g. 5 = the 5th working day). */
  reportDueWorkingDay: Schema.Int.pipe(Schema.between(1, 20)),
  inspectionsPerQuarter: Schema.Int.pipe(Schema.between(0, 13)),
  /** Working days a rectification request gives, counted from the day after it is issued. */
  rectificationWorkingDays: Schema.Int.pipe(Schema.between(1, 120)),
  /** Share of KPIs met (0–1) from which acceptance is conditional rather than failed. */
  conditionalShare: Schema.Number.pipe(Schema.between(0, 1)),
  kpis: Schema.Array(Kpi)
}) {}

type CalendarError = CalendarOutOfCoverage | InvalidCalendarInput

const lastDayOf = (month: string): LocalDate.LocalDate => {
  const [y, m] = month.split("-").map(Number) as [number, number]
  return LocalDate.unsafeFromEpochDay(LocalDate.epochDayOf(y, m, LocalDate.daysInMonth(y, m)))
}

const nextMonth = (month: string): string => {
  const [y, m] = month.split("-").map(Number) as [number, number]
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`
}

/**
 * The due date of each monthly report from `fromMonth` to `toMonth` (`YYYY-MM`, both included): the
 * standard's n-th working day of the following month.
 *
 * @since 0.1.0
 * @category combinators
 */
export const reportDueDates = (
  calendar: Calendar,
  standard: ManagementStandard,
  fromMonth: string,
  toMonth: string
): Effect.Effect<ReadonlyArray<{ readonly month: string; readonly dueOn: LocalDate.LocalDate }>, CalendarError> =>
  Effect.gen(function* () {
    const out: Array<{ month: string; dueOn: LocalDate.LocalDate }> = []
    for (let month = fromMonth; month <= toMonth; month = nextMonth(month)) {
      out.push({ month, dueOn: yield* calendar.addWorkingDays(lastDayOf(month), standard.reportDueWorkingDay) })
    }
    return out
  })

/**
 * An overdue item: what, when it was due, and how many working days late it is on `asOf`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Overdue {
  readonly key: string
  readonly dueOn: LocalDate.LocalDate
  readonly workingDaysLate: number
}

/**
 * The items due before `asOf` and not done by then (done on or before the due date counts as on time; done
 * late counts as late until done).
 *
 * @since 0.1.0
 * @category combinators
 */
export const overdue = (
  calendar: Calendar,
  items: ReadonlyArray<{
    readonly key: string
    readonly dueOn: LocalDate.LocalDate
    readonly doneOn?: string | undefined
  }>,
  asOf: LocalDate.LocalDate
): Effect.Effect<ReadonlyArray<Overdue>, CalendarError> =>
  Effect.gen(function* () {
    const out: Array<Overdue> = []
    for (const item of items) {
      if (item.dueOn >= asOf) continue
      if (item.doneOn !== undefined && item.doneOn <= asOf) continue
      out.push({
        key: item.key,
        dueOn: item.dueOn,
        workingDaysLate: yield* calendar.workingDaysBetween(item.dueOn, asOf)
      })
    }
    return out
  })

/**
 * The deadline of a rectification request issued on `issuedOn`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const rectificationDeadline = (
  calendar: Calendar,
  standard: ManagementStandard,
  issuedOn: LocalDate.LocalDate
): Effect.Effect<LocalDate.LocalDate, CalendarError> =>
  calendar.addWorkingDays(issuedOn, standard.rectificationWorkingDays)

/**
 * The acceptance outcome (验收结论).
 *
 * @since 0.1.0
 * @category models
 */
export interface AcceptanceOutcome {
  readonly outcome: "pass" | "conditional" | "fail"
  readonly met: ReadonlyArray<string>
  readonly missed: ReadonlyArray<{
    readonly id: string
    readonly name: string
    readonly actual: number | null
    readonly target: number
  }>
}

/**
 * Acceptance from KPI results: every KPI met → pass; at least `conditionalShare` of them → conditional pass
 * (有条件通过, with the missed KPIs to remedy); fewer → fail. A KPI without a result counts as missed.
 *
 * @since 0.1.0
 * @category combinators
 */
export const acceptance = (
  standard: ManagementStandard,
  actuals: Readonly<Record<string, number>>
): AcceptanceOutcome => {
  const met: Array<string> = []
  const missed: Array<{ id: string; name: string; actual: number | null; target: number }> = []
  for (const kpi of standard.kpis) {
    const actual = actuals[kpi.id]
    const ok = actual !== undefined && (kpi.lowerIsBetter ? actual <= kpi.target : actual >= kpi.target)
    if (ok) met.push(kpi.id)
    else missed.push({ id: kpi.id, name: kpi.name, actual: actual ?? null, target: kpi.target })
  }
  const share = standard.kpis.length === 0 ? 1 : met.length / standard.kpis.length
  const outcome = missed.length === 0 ? "pass" : share >= standard.conditionalShare ? "conditional" : "fail"
  return { outcome, met, missed }
}
