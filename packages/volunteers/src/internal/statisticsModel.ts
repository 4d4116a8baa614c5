import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import type { TeamId, TeamKind } from "../Corps.js"
import { CHINA_OFFSET_MS } from "./time.js"

// ---------------------------------------------------------------------------------------------
// inputs
// ---------------------------------------------------------------------------------------------

/** A calendar month, `YYYY-MM` (China time when turned into instants). */
export const Month = Schema.String.pipe(
  Schema.pattern(/^\d{4}-(0[1-9]|1[0-2])$/, { message: () => "月份应形如 2026-03" }),
  Schema.annotations({ identifier: "Month", title: "月份" })
)

export type Month = typeof Month.Type

/** At most ten years of months in one query. */
export const MAX_MONTHS = 120

const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1

const monthAt = (index: number): Month =>
  `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`

/** The months from `from` to `to`, both included. */
export const monthsBetween = (from: string, to: string): Array<Month> => {
  const out: Array<Month> = []
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthAt(i))
  return out
}

/** The first instant (00:00 China time, UTC+8) of a month. */
export const monthStart = (month: string): Date =>
  new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1) - CHINA_OFFSET_MS)

/** The first instant of each month of the range and of the month after it (`months + 1` boundaries). */
export const monthBoundaries = (from: string, to: string): Array<Date> => {
  const out: Array<Date> = []
  for (let i = monthIndex(from); i <= monthIndex(to) + 1; i++) out.push(monthStart(monthAt(i)))
  return out
}

const scopeFields = {
  tenantId: TenantId,
  /** The district, a street or a community; by default the actor's own scope. */
  regionCode: Schema.optional(RegionCode)
}

/** The scope of a statistic. */
export const ScopeQuery = Schema.Struct(scopeFields)

const period = <A extends { readonly from: string; readonly to: string }>(self: Schema.Schema<A, any>) =>
  self.pipe(
    Schema.filter((q) =>
      q.from > q.to
        ? { path: ["to"], message: "结束月份不能早于开始月份" }
        : monthIndex(q.to) - monthIndex(q.from) + 1 > MAX_MONTHS
          ? { path: ["to"], message: `一次最多统计 ${MAX_MONTHS} 个月` }
          : true
    )
  )

/** A scope and a range of months (both ends included). */
export const PeriodQuery = period(Schema.Struct({ ...scopeFields, from: Month, to: Month }))

/** A scope, a range of months and how many volunteers to list. */
export const TopQuery = period(
  Schema.Struct({
    ...scopeFields,
    from: Month,
    to: Month,
    limit: Schema.optionalWith(
      Schema.Int.pipe(Schema.between(1, 100, { message: () => "名单人数应在 1 到 100 之间" })),
      { default: () => 10 }
    )
  })
)

// ---------------------------------------------------------------------------------------------
// results
// ---------------------------------------------------------------------------------------------

/** Where a statistic was computed: the district, a street or a community, and the teams within it. */
export interface StatisticsScope {
  readonly tenantId: TenantId
  readonly regionCode: RegionCode
  readonly level: "district" | "street" | "community"
  readonly regionName: string
  /** The teams bound to the scope's region or below it (the headquarters team only for the district). */
  readonly teamIds: ReadonlyArray<TeamId>
}

/** Volunteers by status. */
export interface VolunteerCounts {
  readonly applied: number
  readonly active: number
  readonly suspended: number
  readonly left: number
}

/** Active role holders of one role. */
export interface RoleCount {
  readonly roleId: string
  readonly roleName: string
  readonly count: number
}

/** The headcount of one team: active role holders by role, and the volunteers whose team it is by status. */
export interface TeamHeadcount {
  readonly teamId: TeamId
  readonly teamName: string
  readonly kind: TeamKind
  readonly regionCode: RegionCode
  readonly roles: ReadonlyArray<RoleCount>
  readonly volunteers: VolunteerCounts
}

/** Headcount by team and role (人员构成). */
export interface Headcount {
  readonly scope: StatisticsScope
  readonly roles: ReadonlyArray<{ readonly id: string; readonly name: string; readonly tier: number }>
  readonly teams: ReadonlyArray<TeamHeadcount>
  readonly totals: { readonly roles: ReadonlyArray<RoleCount>; readonly volunteers: VolunteerCounts }
}

/** One community of a 街道 and who covers it. */
export interface CommunityCoverage {
  readonly communityCode: RegionCode
  readonly communityName: string
  readonly streetCode: RegionCode
  readonly streetName: string
  /** Active volunteers who list it as their home community. */
  readonly activeVolunteers: number
  /** Active community groups (社区小组) bound to it. */
  readonly teamIds: ReadonlyArray<TeamId>
  readonly covered: boolean
}

/** Coverage of the communities of the 街道 in scope (覆盖情况), with the gaps (空白社区). */
export interface Coverage {
  readonly scope: StatisticsScope
  /** The edition of the region tree used. */
  readonly regionsAsOf: string
  readonly communities: ReadonlyArray<CommunityCoverage>
  readonly gaps: ReadonlyArray<CommunityCoverage>
}

/** The approved service of one team per month. */
export interface TeamMonthlyHours {
  readonly teamId: string
  readonly teamName: string
  /** Per month, in the order of `months`. */
  readonly minutes: ReadonlyArray<number>
  readonly hours: ReadonlyArray<number>
  readonly records: ReadonlyArray<number>
  readonly totalMinutes: number
  readonly totalHours: number
  readonly totalRecords: number
}

/** Approved service hours per month per team (月度服务时长). */
export interface MonthlyHours {
  readonly scope: StatisticsScope
  readonly months: ReadonlyArray<Month>
  readonly teams: ReadonlyArray<TeamMonthlyHours>
  readonly totals: Omit<TeamMonthlyHours, "teamId" | "teamName">
}

/** The active rate of one team. */
export interface TeamActiveRate {
  readonly teamId: string
  readonly teamName: string
  readonly activeVolunteers: number
  readonly servingVolunteers: number
  readonly rate: number
}

/**
 * The active rate (活跃率): of the active volunteers in scope, how many have at least one approved
 * service record that started in the period.
 */
export interface ActiveRate {
  readonly scope: StatisticsScope
  readonly from: Month
  readonly to: Month
  readonly activeVolunteers: number
  readonly servingVolunteers: number
  /** `servingVolunteers / activeVolunteers`, 0 when there are none, rounded to 4 decimals. */
  readonly rate: number
  readonly teams: ReadonlyArray<TeamActiveRate>
}

/** One volunteer on the list of the most hours: never an ID or mobile number, the name masked. */
export interface TopVolunteer {
  readonly rank: number
  readonly volunteerNumber: string
  readonly maskedName: string
  readonly teamId: string
  readonly teamName: string
  readonly minutes: number
  readonly hours: number
  readonly starLevel: number
}

/** The volunteers with the most approved service hours in the period (服务时长排行). */
export interface TopVolunteers {
  readonly scope: StatisticsScope
  readonly from: Month
  readonly to: Month
  readonly volunteers: ReadonlyArray<TopVolunteer>
}

/** Every statistic of a scope and period. */
export interface StatisticsReport {
  readonly scope: StatisticsScope
  readonly from: Month
  readonly to: Month
  readonly generatedAt: Date
  readonly headcount: Headcount
  readonly coverage: Coverage
  readonly monthlyHours: MonthlyHours
  readonly activeRate: ActiveRate
  readonly topVolunteers: TopVolunteers
}
