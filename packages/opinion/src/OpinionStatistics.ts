/**
 * The statistics of residents' concerns (民情统计): how many reports were received and merged, how many cases are
 * open, open past due, closed resolved or unresolved, the on-time rate (按时办结率), the satisfaction rate (满意率),
 * how many were overdue or escalated (督办) — for a selection, per category, area, street, community, channel, kind,
 * urgency or department, and cases per day, week or month of receipt.
 *
 * Every figure is computed by the store (`Repository.aggregate`: a few `GROUP BY` statements on SQL), never by
 * paging reports into memory; `Opinions.statistics` runs them within the caller's scope. The rules are those of
 * `@gongzhi/opinion-analysis` (`ReportItems.fromReports` then `Analysis`), so the figures are identical:
 *
 * - a **case** is a report not merged into another (a merged report counts through its primary);
 * - a case is **open past due** at `asOf` when it is open and was overdue (`Report.wasOverdue`) or its handling
 *   due date ended before `asOf`;
 * - **on time**: closed by the end of the handling due date; the on-time rate is on time / (on time + closed late +
 *   open past due);
 * - **satisfaction rate**: (满意 + 基本满意) / answered follow-ups;
 * - **overdue**: cases for which `Report.wasOverdue(report, { asOf })` holds (escalated, replied or closed late,
 *   or their running deadline passed by `asOf`);
 * - **received**, **escalated** and **escalations** count every report, merged ones included.
 *
 * Due dates end at midnight China Standard Time (UTC+8), the default of `Report.wasOverdue` and of the analysis.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"

/**
 * What the figures can be grouped by: `area` is the top-level category (`GF`), the others the report's field.
 *
 * @since 0.2.0
 * @category models
 */
export const Dimension = Schema.Literal(
  "category",
  "area",
  "street",
  "community",
  "channel",
  "kind",
  "urgency",
  "department"
).annotations({ identifier: "OpinionStatistics.Dimension", title: "统计维度" })

/**
 * @since 0.2.0
 * @category models
 */
export type Dimension = typeof Dimension.Type

/**
 * The indexed column of `ReportRepo.definition` holding a dimension.
 *
 * @since 0.2.0
 * @category accessors
 */
export const columnOf = (dimension: Dimension): string => columns[dimension]

const columns: Readonly<Record<Dimension, string>> = {
  category: "category",
  area: "category_group",
  street: "street_code",
  community: "community_code",
  channel: "channel",
  kind: "kind",
  urgency: "urgency",
  department: "department"
}

/**
 * The unit of a trend: calendar days, weeks (from Monday) or months of receipt, in China time.
 *
 * @since 0.2.0
 * @category models
 */
export const TrendUnit = Schema.Literal("day", "week", "month").annotations({
  identifier: "OpinionStatistics.TrendUnit",
  title: "趋势周期"
})

/**
 * @since 0.2.0
 * @category models
 */
export type TrendUnit = typeof TrendUnit.Type

/**
 * A ratio with its parts; `rate` is `undefined` when the denominator is 0.
 *
 * @since 0.2.0
 * @category models
 */
export interface Rate {
  readonly numerator: number
  readonly denominator: number
  readonly rate: number | undefined
}

/**
 * The on-time rate (按时办结率): `onTime` / (`onTime` + `late` + `openOverdue`).
 *
 * @since 0.2.0
 * @category models
 */
export interface OnTime extends Rate {
  /** Closed by the end of the handling due date. */
  readonly onTime: number
  /** Closed after it. */
  readonly late: number
  /** Still open and past due at `asOf`. */
  readonly openOverdue: number
}

/**
 * The satisfaction rate (满意率): (`satisfied` + `basicallySatisfied`) / answered follow-ups.
 *
 * @since 0.2.0
 * @category models
 */
export interface Satisfaction extends Rate {
  readonly satisfied: number
  readonly basicallySatisfied: number
  readonly unsatisfied: number
}

/**
 * Cases by status at `asOf`: open within time, open past due, closed resolved, closed unresolved.
 *
 * @since 0.2.0
 * @category models
 */
export interface StatusCounts {
  readonly open: number
  readonly openOverdue: number
  readonly closedResolved: number
  readonly closedUnresolved: number
}

/**
 * The figures of a selection of reports.
 *
 * @since 0.2.0
 * @category models
 */
export interface Figures {
  /** Reports received, merged ones included. */
  readonly received: number
  /** Reports merged into another. */
  readonly merged: number
  /** Cases: received − merged. */
  readonly cases: number
  readonly status: StatusCounts
  readonly onTime: OnTime
  readonly satisfaction: Satisfaction
  /** Cases that were (or at `asOf` are) overdue. */
  readonly overdue: number
  /** Reports escalated (督办) at least once, merged ones included. */
  readonly escalated: number
  /** Escalations in all. */
  readonly escalations: number
}

/**
 * The figures of one value of the grouping dimension (`key` is `null` for reports without it, e.g. not yet
 * dispatched to a department).
 *
 * @since 0.2.0
 * @category models
 */
export interface Group {
  readonly key: string | null
  readonly figures: Figures
}

/**
 * Cases received in one period: `2026-03-05` (day), `2026-03-02` (the week's Monday) or `2026-03` (month).
 *
 * @since 0.2.0
 * @category models
 */
export interface PeriodCount {
  readonly period: string
  readonly cases: number
}

/**
 * The statistics of a selection: the figures of the whole selection (`total`), per value of the dimension asked
 * for (`groups`, in key order, reports without a value first; empty without a dimension), and cases per period
 * (`trend`, only the periods that have cases; empty without a unit).
 *
 * @since 0.2.0
 * @category models
 */
export interface Statistics {
  readonly asOf: Date
  readonly total: Figures
  readonly groups: ReadonlyArray<Group>
  readonly trend: ReadonlyArray<PeriodCount>
}

/**
 * A ratio with its parts.
 *
 * @since 0.2.0
 * @category constructors
 */
export const rate = (numerator: number, denominator: number): Rate => ({
  numerator,
  denominator,
  rate: denominator === 0 ? undefined : numerator / denominator
})

/**
 * The figures of an empty selection.
 *
 * @since 0.2.0
 * @category constructors
 */
export const emptyFigures: Figures = {
  received: 0,
  merged: 0,
  cases: 0,
  status: { open: 0, openOverdue: 0, closedResolved: 0, closedUnresolved: 0 },
  onTime: { ...rate(0, 0), onTime: 0, late: 0, openOverdue: 0 },
  satisfaction: { ...rate(0, 0), satisfied: 0, basicallySatisfied: 0, unsatisfied: 0 },
  overdue: 0,
  escalated: 0,
  escalations: 0
}

/**
 * Figures from their counts (the rates computed from the parts).
 *
 * @since 0.2.0
 * @category constructors
 */
export const figures = (counts: {
  readonly received: number
  readonly cases: number
  readonly status: StatusCounts
  readonly onTime: number
  readonly late: number
  readonly satisfied: number
  readonly basicallySatisfied: number
  readonly unsatisfied: number
  readonly overdue: number
  readonly escalated: number
  readonly escalations: number
}): Figures => {
  const openOverdue = counts.status.openOverdue
  const resolved = counts.satisfied + counts.basicallySatisfied
  return {
    received: counts.received,
    merged: counts.received - counts.cases,
    cases: counts.cases,
    status: counts.status,
    onTime: {
      ...rate(counts.onTime, counts.onTime + counts.late + openOverdue),
      onTime: counts.onTime,
      late: counts.late,
      openOverdue
    },
    satisfaction: {
      ...rate(resolved, resolved + counts.unsatisfied),
      satisfied: counts.satisfied,
      basicallySatisfied: counts.basicallySatisfied,
      unsatisfied: counts.unsatisfied
    },
    overdue: counts.overdue,
    escalated: counts.escalated,
    escalations: counts.escalations
  }
}
