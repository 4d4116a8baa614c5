/**
 * The statistics of reports in the store: the derived columns they read, and the few `Repository.aggregate`
 * queries that compute them (see `OpinionStatistics` for the rules).
 *
 * @internal
 */
import type * as Repository from "@gongzhi/core/Repository"
import type { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect } from "effect"
import * as Deadline from "../Deadline.js"
import * as S from "../OpinionStatistics.js"
import type { Report } from "../Report.js"

/** Due dates of the statistics end at midnight China Standard Time (as `Report.wasOverdue` by default). */
const UTC_OFFSET_MINUTES = 480

/** The end of the handling due date (epoch milliseconds). */
export const handlingEnd = (report: Report): number =>
  Deadline.endOfDay(report.deadline.dueDate, UTC_OFFSET_MINUTES).getTime()

/** Whether `Report.wasOverdue` holds whatever `asOf`: escalated, or replied or closed after the handling end. */
const overdueAsStored = (report: Report): boolean => {
  if (report.escalations.length > 0) return true
  const settled = report.repliedAt ?? report.closedAt
  return settled !== undefined && settled.getTime() >= handlingEnd(report)
}

/**
 * Column `overdue_at`: the first `asOf` at which `Report.wasOverdue(report, { asOf })` holds — 0 when it holds
 * already, the running due instant otherwise, none when the clock is stopped.
 */
export const overdueAt = (report: Report): number | undefined => (overdueAsStored(report) ? 0 : report.dueAt?.getTime())

/**
 * Column `past_due_at`: the first `asOf` at which an open report counts as past due — overdue, or its handling due
 * date ended before `asOf`.
 */
export const pastDueAt = (report: Report): number => {
  const overdue = overdueAt(report)
  const afterHandling = handlingEnd(report) + 1
  return overdue === undefined ? afterHandling : Math.min(overdue, afterHandling)
}

/** Column `closed_on_time`: closed by the end of the handling due date (none while never closed). */
export const closedOnTime = (report: Report): boolean | undefined =>
  report.closedAt === undefined ? undefined : report.closedAt.getTime() <= handlingEnd(report)

/** What {@link run} computes. */
export interface Query {
  /** The selection, as a kernel filter of `ReportRepo.definition`. */
  readonly where: Repository.Filter
  readonly asOf: Date
  readonly by?: S.Dimension | undefined
  readonly trend?: { readonly unit: S.TrendUnit; readonly timeZone?: string | undefined } | undefined
}

type Key = string | null

interface Counts {
  received: number
  cases: number
  open: number
  openOverdue: number
  closedResolved: number
  closedUnresolved: number
  onTime: number
  late: number
  satisfied: number
  basicallySatisfied: number
  unsatisfied: number
  overdue: number
  escalated: number
  escalations: number
}

const zero = (): Counts => ({
  received: 0,
  cases: 0,
  open: 0,
  openOverdue: 0,
  closedResolved: 0,
  closedUnresolved: 0,
  onTime: 0,
  late: 0,
  satisfied: 0,
  basicallySatisfied: 0,
  unsatisfied: 0,
  overdue: 0,
  escalated: 0,
  escalations: 0
})

const toFigures = (c: Counts): S.Figures =>
  S.figures({
    received: c.received,
    cases: c.cases,
    // the open count of the cases query includes those past due
    status: {
      open: c.open - c.openOverdue,
      openOverdue: c.openOverdue,
      closedResolved: c.closedResolved,
      closedUnresolved: c.closedUnresolved
    },
    onTime: c.onTime,
    late: c.late,
    satisfied: c.satisfied,
    basicallySatisfied: c.basicallySatisfied,
    unsatisfied: c.unsatisfied,
    overdue: c.overdue,
    escalated: c.escalated,
    escalations: c.escalations
  })

const keyOf = (value: Repository.ColumnValue | undefined): Key =>
  value === null || value === undefined ? null : String(value)

/**
 * The statistics of a selection: five grouped aggregations (cases by bucket, on-time flag and satisfaction; every
 * report with its escalations; escalated reports; open cases past due; cases ever overdue) and, with a trend, one
 * bucketed count.
 */
export const run = (
  repository: Repository.Repository<Report>,
  tenantId: TenantId,
  query: Query
): Effect.Effect<S.Statistics, StorageError> =>
  Effect.gen(function* () {
    const column = query.by === undefined ? undefined : S.columnOf(query.by)
    const groupBy = column === undefined ? [] : [column]
    const before = { lt: query.asOf.getTime() + 1 }
    const cases = { ...query.where, merged_into: null }
    const [byState, received, escalated, pastDue, overdue, trend] = yield* Effect.all(
      [
        repository.aggregate(tenantId, {
          where: cases,
          groupBy: [...groupBy, "bucket", "closed_on_time", "satisfaction"],
          measures: { n: "count" }
        }),
        repository.aggregate(tenantId, {
          where: query.where,
          groupBy,
          measures: { n: "count", escalations: { sum: "escalations" } }
        }),
        repository.aggregate(tenantId, {
          where: { ...query.where, escalations: { gte: 1 } },
          groupBy,
          measures: { n: "count" }
        }),
        repository.aggregate(tenantId, {
          where: { ...cases, bucket: "open", past_due_at: before },
          groupBy,
          measures: { n: "count" }
        }),
        repository.aggregate(tenantId, { where: { ...cases, overdue_at: before }, groupBy, measures: { n: "count" } }),
        query.trend === undefined
          ? Effect.succeed([])
          : repository.aggregate(tenantId, {
              where: cases,
              bucket: { column: "received_at", unit: query.trend.unit, timeZone: query.trend.timeZone },
              measures: { n: "count" }
            })
      ],
      { concurrency: 1 }
    )
    const groups = new Map<Key, Counts>()
    const total = zero()
    const add = (key: Key, f: (c: Counts) => void) => {
      let counts = groups.get(key)
      if (counts === undefined) {
        counts = zero()
        groups.set(key, counts)
      }
      f(counts)
      f(total)
    }
    const group = (row: { readonly group: Readonly<Record<string, Repository.ColumnValue>> }): Key =>
      column === undefined ? null : keyOf(row.group[column])
    for (const row of byState) {
      const n = row.values.n
      add(group(row), (c) => {
        c.cases += n
        const bucket = row.group.bucket
        if (bucket === "open") c.open += n
        else {
          if (bucket === "closed-resolved") c.closedResolved += n
          else if (bucket === "closed-unresolved") c.closedUnresolved += n
          const onTime = row.group.closed_on_time
          if (onTime === true) c.onTime += n
          else if (onTime === false) c.late += n
        }
        const satisfaction = row.group.satisfaction
        if (satisfaction === "satisfied") c.satisfied += n
        else if (satisfaction === "basically-satisfied") c.basicallySatisfied += n
        else if (satisfaction === "unsatisfied") c.unsatisfied += n
      })
    }
    for (const row of received) {
      add(group(row), (c) => {
        c.received += row.values.n
        c.escalations += row.values.escalations
      })
    }
    for (const row of escalated) add(group(row), (c) => (c.escalated += row.values.n))
    for (const row of pastDue) add(group(row), (c) => (c.openOverdue += row.values.n))
    for (const row of overdue) add(group(row), (c) => (c.overdue += row.values.n))
    const keys = [...groups.keys()].sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1))
    return {
      asOf: query.asOf,
      total: toFigures(total),
      groups: column === undefined ? [] : keys.map((key) => ({ key, figures: toFigures(groups.get(key)!) })),
      trend: trend.map((row) => ({ period: row.bucket ?? "", cases: row.values.n }))
    }
  })
