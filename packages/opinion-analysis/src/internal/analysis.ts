/**
 * Statistics over analysis items: counts, periods in China time, on-time and satisfaction rates.
 *
 * @internal
 */

export type Status = "open" | "closed-resolved" | "closed-unresolved"
export type SatisfactionLevel = "satisfied" | "basically-satisfied" | "unsatisfied"

/** The fields the statistics read (the public `AnalysisItem`). */
export interface Item {
  readonly id: string
  readonly text: string
  readonly category: string
  readonly kind: string
  readonly streetCode: string
  readonly communityCode: string
  readonly channel: string
  readonly receivedAt: Date
  readonly dueAt?: Date | undefined
  readonly closedAt?: Date | undefined
  readonly status: Status
  readonly overdue: boolean
  readonly satisfaction?: SatisfactionLevel | undefined
}

export type Dimension = "category" | "area" | "street" | "community" | "status" | "channel" | "kind"
export type StatusBucket = "open" | "open-overdue" | "closed-resolved" | "closed-unresolved"
export type PeriodUnit = "day" | "week" | "month"

export interface Count {
  readonly key: string
  readonly count: number
}

export interface Rate {
  readonly numerator: number
  readonly denominator: number
  /** numerator / denominator, `undefined` when the denominator is 0. */
  readonly rate: number | undefined
}

export const DAY = 86_400_000

const rate = (numerator: number, denominator: number): Rate => ({
  numerator,
  denominator,
  rate: denominator === 0 ? undefined : numerator / denominator
})

/** The top-level area of a category code: its leading letters (`"GF02"` → `"GF"`). */
export const areaOf = (category: string): string => {
  const match = /^(\D+)\d+$/.exec(category)
  return match === null ? category : match[1]
}

/** Whether an open item is past its due date (its `overdue` flag, or `dueAt` before `asOf`). */
export const isOpenOverdue = (item: Item, asOf: Date | undefined): boolean =>
  item.status === "open" &&
  (item.overdue || (asOf !== undefined && item.dueAt !== undefined && item.dueAt.getTime() < asOf.getTime()))

export const statusBucket = (item: Item, asOf: Date | undefined): StatusBucket =>
  item.status === "open" ? (isOpenOverdue(item, asOf) ? "open-overdue" : "open") : item.status

const keyOf = (item: Item, dimension: Dimension, asOf: Date | undefined): string => {
  switch (dimension) {
    case "category":
      return item.category
    case "area":
      return areaOf(item.category)
    case "street":
      return item.streetCode
    case "community":
      return item.communityCode
    case "status":
      return statusBucket(item, asOf)
    case "channel":
      return item.channel
    case "kind":
      return item.kind
  }
}

export const byCount = (a: Count, b: Count): number => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

export const countBy = (items: ReadonlyArray<Item>, dimension: Dimension, asOf?: Date): Array<Count> => {
  const counts = new Map<string, number>()
  for (const item of items) {
    const key = keyOf(item, dimension, asOf)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([key, count]) => ({ key, count })).sort(byCount)
}

// ---- periods ---------------------------------------------------------------------------------

export interface PeriodCount {
  /** `2025-03-07` (day), `2025-W10` (ISO week), `2025-03` (month). */
  readonly period: string
  /** The first instant of the period (in the given UTC offset). */
  readonly start: Date
  readonly count: number
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/** Start of the period that contains `t`, as a UTC instant, for a fixed UTC offset in minutes. */
export const periodStart = (t: number, unit: PeriodUnit, offsetMinutes: number): number => {
  const offset = offsetMinutes * 60_000
  const local = new Date(t + offset)
  let startLocal: number
  if (unit === "day") {
    startLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate())
  } else if (unit === "week") {
    const weekday = (local.getUTCDay() + 6) % 7 // Monday = 0
    startLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - weekday)
  } else {
    startLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1)
  }
  return startLocal - offset
}

/** Start of the period after the one starting at `start`. */
export const nextStart = (start: number, unit: PeriodUnit, offsetMinutes: number): number => {
  if (unit === "day") return start + DAY
  if (unit === "week") return start + 7 * DAY
  const local = new Date(start + offsetMinutes * 60_000)
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - offsetMinutes * 60_000
}

/** The label of the period starting at `start`. */
export const periodLabel = (start: number, unit: PeriodUnit, offsetMinutes: number): string => {
  const local = new Date(start + offsetMinutes * 60_000)
  const y = local.getUTCFullYear()
  const m = local.getUTCMonth() + 1
  if (unit === "day") return `${y}-${pad(m)}-${pad(local.getUTCDate())}`
  if (unit === "month") return `${y}-${pad(m)}`
  // ISO week: the week belongs to the year of its Thursday
  const thursday = new Date(Date.UTC(y, local.getUTCMonth(), local.getUTCDate() + 3))
  const isoYear = thursday.getUTCFullYear()
  const firstThursday = new Date(Date.UTC(isoYear, 0, 4))
  const firstMonday = Date.UTC(isoYear, 0, 4 - ((firstThursday.getUTCDay() + 6) % 7))
  const week = 1 + Math.round((Date.UTC(y, local.getUTCMonth(), local.getUTCDate()) - firstMonday) / (7 * DAY))
  return `${isoYear}-W${pad(week)}`
}

export const countByPeriod = (
  items: ReadonlyArray<Item>,
  unit: PeriodUnit,
  offsetMinutes: number,
  from: Date | undefined,
  to: Date | undefined
): Array<PeriodCount> => {
  const counts = new Map<number, number>()
  for (const item of items) {
    const t = item.receivedAt.getTime()
    if ((from !== undefined && t < from.getTime()) || (to !== undefined && t >= to.getTime())) continue
    const start = periodStart(t, unit, offsetMinutes)
    counts.set(start, (counts.get(start) ?? 0) + 1)
  }
  if (from === undefined || to === undefined) {
    // without both bounds, only the periods that have items (a stray date must not make millions of periods)
    return [...counts.keys()]
      .sort((a, b) => a - b)
      .map((start) => ({
        period: periodLabel(start, unit, offsetMinutes),
        start: new Date(start),
        count: counts.get(start)!
      }))
  }
  const min = periodStart(from.getTime(), unit, offsetMinutes)
  const max = periodStart(to.getTime() - 1, unit, offsetMinutes)
  const out: Array<PeriodCount> = []
  for (let start = min; start <= max; start = nextStart(start, unit, offsetMinutes)) {
    out.push({ period: periodLabel(start, unit, offsetMinutes), start: new Date(start), count: counts.get(start) ?? 0 })
  }
  return out
}

// ---- rates -----------------------------------------------------------------------------------

export interface OnTime extends Rate {
  /** Closed with a due date, closed by it. */
  readonly onTime: number
  /** Closed with a due date, closed after it. */
  readonly late: number
  /** Still open and past due. */
  readonly openOverdue: number
}

export const onTime = (items: ReadonlyArray<Item>, asOf: Date | undefined): OnTime => {
  let inTime = 0
  let late = 0
  let openOverdue = 0
  for (const item of items) {
    if (item.status === "open") {
      if (isOpenOverdue(item, asOf)) openOverdue++
    } else if (item.dueAt !== undefined && item.closedAt !== undefined) {
      if (item.closedAt.getTime() <= item.dueAt.getTime()) inTime++
      else late++
    }
  }
  return { ...rate(inTime, inTime + late + openOverdue), onTime: inTime, late, openOverdue }
}

export interface Satisfaction extends Rate {
  readonly satisfied: number
  readonly basicallySatisfied: number
  readonly unsatisfied: number
}

export const satisfaction = (items: ReadonlyArray<Item>): Satisfaction => {
  let satisfied = 0
  let basicallySatisfied = 0
  let unsatisfied = 0
  for (const item of items) {
    if (item.satisfaction === "satisfied") satisfied++
    else if (item.satisfaction === "basically-satisfied") basicallySatisfied++
    else if (item.satisfaction === "unsatisfied") unsatisfied++
  }
  return {
    ...rate(satisfied + basicallySatisfied, satisfied + basicallySatisfied + unsatisfied),
    satisfied,
    basicallySatisfied,
    unsatisfied
  }
}

export interface RegionRow {
  readonly code: string
  readonly count: number
  readonly open: number
  readonly openOverdue: number
  readonly onTime: OnTime
  readonly satisfaction: Satisfaction
}

export const byRegion = (items: ReadonlyArray<Item>, level: "street" | "community", asOf: Date | undefined) => {
  const groups = new Map<string, Array<Item>>()
  for (const item of items) {
    const code = level === "street" ? item.streetCode : item.communityCode
    let group = groups.get(code)
    if (group === undefined) {
      group = []
      groups.set(code, group)
    }
    group.push(item)
  }
  return [...groups.keys()].sort().map((code): RegionRow => {
    const group = groups.get(code)!
    return {
      code,
      count: group.length,
      open: group.filter((item) => item.status === "open").length,
      openOverdue: group.filter((item) => isOpenOverdue(item, asOf)).length,
      onTime: onTime(group, asOf),
      satisfaction: satisfaction(group)
    }
  })
}

export interface OverdueCase {
  readonly id: string
  readonly category: string
  readonly streetCode: string
  readonly communityCode: string
  readonly receivedAt: Date
  readonly dueAt?: Date | undefined
  /** Whole days past due at `asOf` (at least 1), `undefined` without a due date or `asOf`. */
  readonly daysOverdue: number | undefined
}

export const overdueCases = (items: ReadonlyArray<Item>, asOf: Date | undefined): Array<OverdueCase> =>
  items
    .filter((item) => isOpenOverdue(item, asOf))
    .map((item): OverdueCase => {
      const days =
        asOf !== undefined && item.dueAt !== undefined
          ? Math.max(1, Math.ceil((asOf.getTime() - item.dueAt.getTime()) / DAY))
          : undefined
      return {
        id: item.id,
        category: item.category,
        streetCode: item.streetCode,
        communityCode: item.communityCode,
        receivedAt: item.receivedAt,
        ...(item.dueAt === undefined ? {} : { dueAt: item.dueAt }),
        daysOverdue: days
      }
    })
    .sort((a, b) => (b.daysOverdue ?? 0) - (a.daysOverdue ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
