/**
 * The statistics part of the report repository suite: the store's figures (`ReportRepo.statistics`) against an
 * in-memory reference written line by line after `@gongzhi/opinion-analysis` (`ReportItems.fromReports`, then
 * `Analysis.countBy` / `onTimeRate` / `satisfactionRate` — the computation the Pingshan example ran over every
 * report before), and against hand-computed figures.
 *
 * @internal
 */
import { assert } from "@effect/vitest"
import type * as LocalDate from "@gongzhi/core/LocalDate"
import type { TenantId } from "@gongzhi/core/Tenant"
import { freshTenant } from "@gongzhi/core/testing"
import { Effect } from "effect"
import * as Deadline from "../Deadline.js"
import * as S from "../OpinionStatistics.js"
import { Report, wasOverdue } from "../Report.js"
import * as ReportRepo from "../ReportRepo.js"
import type { DepartmentCode } from "../Routing.js"
import type { ChannelCode } from "../Taxonomy.js"
import type { StateCode } from "../Workflow.js"

type Fields = Partial<ConstructorParameters<typeof Report>[0]>
type Build = (i: number, overrides: Fields) => Report

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** 2026-03-11 00:00 in China: the end of the due date 2026-03-10. */
export const AS_OF = Date.UTC(2026, 2, 10, 16)

const at = (t: number) => new Date(t)
const dueDates = ["2026-03-05", "2026-03-09", "2026-03-10", "2026-03-12", "2026-03-20"] as const
const endOf = (dueDate: string) => Deadline.endOfDay(dueDate as LocalDate.LocalDate, 480).getTime()
const satisfactions = [undefined, "satisfied", "basically-satisfied", "unsatisfied"] as const
const satisfactionOf = (i: number): Fields => {
  const satisfaction = satisfactions[i % satisfactions.length]
  return satisfaction === undefined ? {} : { satisfaction }
}
const channels = ["hotline", "mini-program", "volunteer-visit"] as const

/**
 * The i-th report of the statistics sample: open (running, replied awaiting follow-up, clock stopped), closed on
 * time or late, resolved or not, merged, escalated, with or without a follow-up answer — and the boundaries:
 * closed or replied exactly at the end of the due date, running due instant exactly at `AS_OF`.
 */
export const statisticsSample = (build: Build, i: number, tenantId: TenantId): Report => {
  const dueDate = dueDates[i % dueDates.length]
  const end = endOf(dueDate)
  const shape = i % 9
  const base: Fields = {
    tenantId,
    deadline: new Deadline.Deadline({ dueDate: dueDate as LocalDate.LocalDate, certain: true, rule: "测试" }),
    channel: channels[i % channels.length] as ChannelCode,
    escalations:
      i % 11 === 0
        ? [{ at: at(end), clock: "handling", dueDate: dueDate as LocalDate.LocalDate, level: 1 }]
        : i % 17 === 0
          ? [
              { at: at(end), clock: "handling", dueDate: dueDate as LocalDate.LocalDate, level: 1 },
              { at: at(end + DAY), clock: "handling", dueDate: dueDate as LocalDate.LocalDate, level: 2 }
            ]
          : [],
    ...satisfactionOf(i),
    ...(i % 5 === 0 ? {} : { department: (i % 2 === 0 ? "ps-water" : "ps-city") as DepartmentCode })
  }
  const closed = (t: number, bucket: "closed-resolved" | "closed-unresolved"): Fields => ({
    status: (bucket === "closed-resolved" ? "closed" : "closed-unresolved") as StateCode,
    bucket,
    closedAt: at(t),
    repliedAt: at(t - HOUR)
  })
  const shapes: ReadonlyArray<Fields> = [
    // open, handling clock running: due instant = end of the due date
    { status: "in-progress" as StateCode, bucket: "open", dueAt: at(end) },
    // open, replied on time, follow-up clock running two days later
    { status: "replied" as StateCode, bucket: "open", repliedAt: at(end - 5 * HOUR), dueAt: at(end + 2 * DAY) },
    // open, clock stopped (extension requested)
    { status: "extension-requested" as StateCode, bucket: "open" },
    // closed on time, exactly at the end of the due date
    closed(end, "closed-resolved"),
    // closed late
    closed(end + 3 * HOUR, "closed-unresolved"),
    // closed early
    closed(end - 2 * DAY, "closed-resolved"),
    // replied exactly at the end (late), closed later
    { ...closed(end + HOUR, "closed-resolved"), repliedAt: at(end) },
    // merged into another report
    { status: "merged" as StateCode, bucket: "closed-resolved", closedAt: at(end - DAY), mergedInto: "R0" as never },
    // open, running due instant exactly at AS_OF
    { status: "dispatched" as StateCode, bucket: "open", dueAt: at(AS_OF) }
  ]
  const report = build(i, { ...base, ...shapes[shape] })
  // `build` fills a closing time and a due instant by its own pattern: keep only those of the shape
  const fields = { ...report } as Record<string, unknown>
  for (const key of ["closedAt", "dueAt", "repliedAt", "mergedInto", "nextEscalationAt", "nextReminderAt"]) {
    if (!(key in shapes[shape])) delete fields[key]
  }
  return new Report(fields as ConstructorParameters<typeof Report>[0])
}

// ---- the reference: opinion-analysis, over reports in memory ----------------------------------------------------

interface Item {
  readonly status: "open" | "closed-resolved" | "closed-unresolved"
  readonly dueAt: number
  readonly closedAt: number | undefined
  readonly overdue: boolean
  readonly satisfaction: string | undefined
}

/** `ReportItems.fromReport` (as the example called it: `asOf`, UTC+8). */
const itemOf = (report: Report, asOf: Date): Item => ({
  status: report.bucket,
  dueAt: Deadline.endOfDay(report.deadline.dueDate, 480).getTime(),
  closedAt: report.closedAt?.getTime(),
  overdue: wasOverdue(report, { asOf }),
  satisfaction: report.satisfaction
})

/** `Analysis.isOpenOverdue`. */
const isOpenOverdue = (item: Item, asOf: Date) =>
  item.status === "open" && (item.overdue || item.dueAt < asOf.getTime())

/** The figures of reports (every report of the selection, merged ones included), as the analysis computed them. */
const referenceFigures = (reports: ReadonlyArray<Report>, asOf: Date): S.Figures => {
  // ReportItems.fromReports leaves merged reports out
  const items = reports.filter((r) => r.mergedInto === undefined).map((r) => itemOf(r, asOf))
  // Analysis.countBy(items, "status", asOf)
  const status = { open: 0, openOverdue: 0, closedResolved: 0, closedUnresolved: 0 }
  for (const item of items) {
    if (item.status === "open") {
      if (isOpenOverdue(item, asOf)) status.openOverdue++
      else status.open++
    } else if (item.status === "closed-resolved") status.closedResolved++
    else status.closedUnresolved++
  }
  // Analysis.onTimeRate
  let onTime = 0
  let late = 0
  for (const item of items) {
    if (item.status !== "open" && item.closedAt !== undefined) {
      if (item.closedAt <= item.dueAt) onTime++
      else late++
    }
  }
  // Analysis.satisfactionRate
  const count = (level: string) => items.filter((item) => item.satisfaction === level).length
  const escalated = reports.filter((r) => r.escalations.length > 0)
  return S.figures({
    received: reports.length,
    cases: items.length,
    status,
    onTime,
    late,
    satisfied: count("satisfied"),
    basicallySatisfied: count("basically-satisfied"),
    unsatisfied: count("unsatisfied"),
    overdue: items.filter((item) => item.overdue).length,
    escalated: escalated.length,
    escalations: escalated.reduce((n, r) => n + r.escalations.length, 0)
  })
}

const keyOf = (report: Report, dimension: S.Dimension): string | null => {
  switch (dimension) {
    case "category":
      return report.category
    case "area":
      return report.category.slice(0, 2)
    case "street":
      return report.location.streetCode
    case "community":
      return report.location.communityCode
    case "channel":
      return report.channel
    case "kind":
      return report.kind
    case "urgency":
      return report.urgency
    case "department":
      return report.department ?? null
  }
}

/** The statistics of reports computed in memory (no trend). */
export const referenceStatistics = (
  reports: ReadonlyArray<Report>,
  options: { readonly asOf: Date; readonly by?: S.Dimension | undefined }
): S.Statistics => {
  const groups = new Map<string | null, Array<Report>>()
  if (options.by !== undefined) {
    for (const report of reports) {
      const key = keyOf(report, options.by)
      groups.set(key, [...(groups.get(key) ?? []), report])
    }
  }
  const keys = [...groups.keys()].sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1))
  return {
    asOf: options.asOf,
    total: referenceFigures(reports, options.asOf),
    groups: keys.map((key) => ({ key, figures: referenceFigures(groups.get(key)!, options.asOf) })),
    trend: []
  }
}

// ---- the cases ------------------------------------------------------------------------------------------------

const dimensions: ReadonlyArray<S.Dimension | undefined> = [
  undefined,
  "category",
  "area",
  "street",
  "community",
  "channel",
  "kind",
  "urgency",
  "department"
]

/** The statistics tests of the suite, each needing a `ReportRepo` over a fresh or shared store. */
export const statisticsCases = (
  build: Build
): ReadonlyArray<readonly [string, Effect.Effect<void, unknown, ReportRepo.ReportRepo>]> => [
  [
    "statistics equal the in-memory analysis for every dimension, at several times, within filters",
    Effect.gen(function* () {
      const repo = yield* ReportRepo.ReportRepo
      const tenant = freshTenant()
      const reports = Array.from({ length: 90 }, (_, i) => statisticsSample(build, i, tenant))
      yield* Effect.forEach(reports, (report) => repo.insert(tenant, report), { discard: true })
      const checks: Array<readonly [ReportRepo.ReportFilter, (r: Report) => boolean]> = [
        [{}, () => true],
        [{ streetCode: "440310002" }, (r) => r.location.streetCode === "440310002"],
        [
          { receivedFrom: at(Date.UTC(2026, 2, 2, 20)), receivedBefore: at(Date.UTC(2026, 2, 4, 10)) },
          (r) => r.receivedAt.getTime() >= Date.UTC(2026, 2, 2, 20) && r.receivedAt.getTime() < Date.UTC(2026, 2, 4, 10)
        ],
        [{ category: "GF", department: "ps-water" }, (r) => r.category.startsWith("GF") && r.department === "ps-water"]
      ]
      for (const asOf of [AS_OF - 1, AS_OF, AS_OF + 1, AS_OF + 3 * DAY]) {
        for (const [filter, keep] of checks) {
          for (const by of dimensions) {
            const got = yield* repo.statistics(tenant, { filter, asOf: at(asOf), by })
            const expected = referenceStatistics(reports.filter(keep), { asOf: at(asOf), by })
            assert.deepStrictEqual(
              got,
              expected,
              `asOf ${new Date(asOf).toISOString()} ${JSON.stringify(filter)} ${by}`
            )
          }
        }
      }
    })
  ],
  [
    "statistics of hand-computed reports, and none of another tenant",
    Effect.gen(function* () {
      const repo = yield* ReportRepo.ReportRepo
      const tenant = freshTenant()
      // the sample's i = 1…9 (shapes 1–8, then 0; no escalations), as of the end of 2026-03-10:
      //   i=1 replied on time, handling due 03-09 ended before asOf, follow-up running: open past due
      //   i=2 clock stopped, due 03-10 ends exactly at asOf: open, not past due
      //   i=3 closed exactly at the end of 03-12: on time      i=4 closed 3 h after the end of 03-20: late, overdue
      //   i=5 closed two days early: on time                    i=6 replied exactly at the end of 03-09: late, overdue
      //   i=7 merged (not a case)                               i=8 running due instant = asOf: overdue, past due
      //   i=9 in progress, due 03-20: open
      const reports = Array.from({ length: 9 }, (_, k) => statisticsSample(build, k + 1, tenant))
      yield* Effect.forEach(reports, (report) => repo.insert(tenant, report), { discard: true })
      const got = yield* repo.statistics(tenant, { asOf: at(AS_OF) })
      assert.deepStrictEqual(got.total.status, { open: 2, openOverdue: 2, closedResolved: 3, closedUnresolved: 1 })
      assert.deepStrictEqual([got.total.received, got.total.merged, got.total.cases, got.total.overdue], [9, 1, 8, 3])
      assert.deepStrictEqual(got.total.onTime, {
        numerator: 2,
        denominator: 6,
        rate: 2 / 6,
        onTime: 2,
        late: 2,
        openOverdue: 2
      })
      // the answers cycle none, satisfied, basically satisfied, unsatisfied over i; i=7 (unsatisfied) is merged
      assert.deepStrictEqual(got.total.satisfaction, {
        numerator: 5,
        denominator: 6,
        rate: 5 / 6,
        satisfied: 3,
        basicallySatisfied: 2,
        unsatisfied: 1
      })
      assert.deepStrictEqual(yield* repo.statistics(freshTenant(), { asOf: at(AS_OF), by: "street" }), {
        asOf: at(AS_OF),
        total: S.emptyFigures,
        groups: [],
        trend: []
      })
    })
  ],
  [
    "the trend counts cases per day, week and month of receipt in China time",
    Effect.gen(function* () {
      const repo = yield* ReportRepo.ReportRepo
      const tenant = freshTenant()
      const times = [
        Date.UTC(2026, 1, 28, 15, 59), // 2026-02-28 23:59 local
        Date.UTC(2026, 1, 28, 16, 0), // 2026-03-01 00:00 local (a Sunday)
        Date.UTC(2026, 2, 1, 16, 30), // 2026-03-02 00:30 local (a Monday)
        Date.UTC(2026, 2, 2, 3, 0), // 2026-03-02 11:00 local
        Date.UTC(2026, 2, 9, 2, 0) // 2026-03-09 10:00 local
      ]
      const reports = times.map(
        (t, k) => new Report({ ...statisticsSample(build, k * 9 + 1, tenant), receivedAt: at(t) })
      )
      // and a merged one, which is not a case
      const merged = statisticsSample(build, 7, tenant)
      yield* Effect.forEach([...reports, merged], (report) => repo.insert(tenant, report), { discard: true })
      const trend = (unit: S.TrendUnit) =>
        Effect.map(
          repo.statistics(tenant, {
            asOf: at(AS_OF),
            filter: { receivedBefore: at(Date.UTC(2026, 2, 1)) },
            trend: { unit }
          }),
          (s) => s.trend
        )
      const all = (unit: S.TrendUnit) =>
        Effect.map(repo.statistics(tenant, { asOf: at(AS_OF), trend: { unit } }), (s) => s.trend)
      assert.deepStrictEqual(yield* all("day"), [
        { period: "2026-02-28", cases: 1 },
        { period: "2026-03-01", cases: 1 },
        { period: "2026-03-02", cases: 2 },
        { period: "2026-03-09", cases: 1 }
      ])
      assert.deepStrictEqual(yield* all("week"), [
        { period: "2026-02-23", cases: 2 },
        { period: "2026-03-02", cases: 2 },
        { period: "2026-03-09", cases: 1 }
      ])
      assert.deepStrictEqual(yield* all("month"), [
        { period: "2026-02", cases: 1 },
        { period: "2026-03", cases: 4 }
      ])
      assert.deepStrictEqual(yield* trend("month"), [
        { period: "2026-02", cases: 1 },
        { period: "2026-03", cases: 1 }
      ])
    })
  ]
]
