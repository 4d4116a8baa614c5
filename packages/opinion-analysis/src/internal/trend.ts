/**
 * The trend of the situation report: one entry per day, week or month of the period, with the date its
 * axis shows and how many of its days the report's period covers, so that a week cut by the period's
 * start or end is marked as partial instead of reading as a drop.
 *
 * @internal
 */
import * as analysis from "./analysis.js"

/** China time (UTC+8), in minutes: the periods are counted in it. */
export const OFFSET_MINUTES = 480

export type Unit = "day" | "week" | "month"

export interface TrendEntry {
  /** `2025-03-07`, `2025-W10` or `2025-03`. */
  readonly period: string
  /** What the axis shows: `03-07` (day), the week's Monday as `3/3` (week), `2025-03` (month). */
  readonly label: string
  readonly count: number
  /** Days of the period that the report's period covers. */
  readonly days: number
  /** Days of the period: 1, 7, or the month's. */
  readonly fullDays: number
}

const DAY = 86_400_000

/** `M/D` in China time. */
export const monthDay = (date: Date): string => {
  const local = new Date(date.getTime() + OFFSET_MINUTES * 60_000)
  return `${local.getUTCMonth() + 1}/${local.getUTCDate()}`
}

/** The periods of `[from, to)` with their counts of items received in them. */
export const trend = (items: ReadonlyArray<analysis.Item>, unit: Unit, from: Date, to: Date): Array<TrendEntry> =>
  analysis.countByPeriod(items, unit, OFFSET_MINUTES, from, to).map((entry) => {
    const start = entry.start.getTime()
    const end = analysis.nextStart(start, unit, OFFSET_MINUTES)
    const covered = Math.min(end, to.getTime()) - Math.max(start, from.getTime())
    const fullDays = Math.round((end - start) / DAY)
    return {
      period: entry.period,
      label: unit === "week" ? monthDay(entry.start) : unit === "day" ? entry.period.slice(5) : entry.period,
      count: entry.count,
      // a period cut anywhere inside a day counts that day: 1.5 days covered are 2 days
      days: Math.min(fullDays, Math.ceil(covered / DAY - 1e-9)),
      fullDays
    }
  })

/** Whether the report's period covers only part of this entry's days. */
export const isPartial = (entry: TrendEntry): boolean => entry.days < entry.fullDays

/** The note for a partial entry: `不完整周（2 天）`, `不完整月（12 天）`. */
export const partialNote = (entry: TrendEntry, unit: Unit): string =>
  `不完整${unit === "day" ? "日" : unit === "week" ? "周" : "月"}（${entry.days} 天）`
