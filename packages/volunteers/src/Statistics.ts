/**
 * Statistics of the volunteer corps (志愿服务统计): headcount by team and role, coverage of the
 * communities (with the gaps no volunteer or community group covers), approved service hours per
 * month per team, the active rate and the volunteers with the most hours.
 *
 * Every statistic is authorized with core `Authorization` (permission `volunteers.read`) on its scope:
 * headquarters staff see the district, a team leader the street (or community) of their team, and
 * nobody sees more than their scope. Figures are computed by the storage: counts and sums with
 * `GROUP BY` through the repository ports, the monthly hours in ONE statement per query
 * (`ServiceRecordRepo.sumMinutesByPeriod`: `SUM(minutes) … GROUP BY team_id, CASE <month> END`, the
 * same SQL on SQLite, PostgreSQL and MySQL; in memory with the reference implementation).
 *
 * Months are calendar months in China time (UTC+8): a record belongs to the month in which its
 * service started. Hours are approved service minutes (training excluded) / 60, rounded to 2 decimals;
 * the exact minutes are given as well. Lists never show ID or mobile numbers; names on the list of the
 * most hours are masked.
 *
 * @since 0.1.0
 */
import * as Authorization from "@gongzhi/core/Authorization"
import { Effect, Layer } from "effect"
import * as CorpsRepo from "./CorpsRepo.js"
import type { Table } from "./internal/rosterTable.js"
import * as internal from "./internal/statistics.js"
import * as Model from "./internal/statisticsModel.js"
import * as Tables from "./internal/statisticsTables.js"
import * as ServiceRecordRepo from "./ServiceRecordRepo.js"
import * as VolunteerRepo from "./VolunteerRepo.js"
import { layerAuthorization, layerSettings, VolunteersConfig, type VolunteersOptions } from "./Volunteers.js"

// ---------------------------------------------------------------------------------------------
// inputs
// ---------------------------------------------------------------------------------------------

/**
 * A calendar month, `YYYY-MM`.
 *
 * @since 0.1.0
 * @category models
 */
export const Month = Model.Month

/**
 * @since 0.1.0
 * @category models
 */
export type Month = Model.Month

/**
 * The scope of a statistic: the district (`tenantId`), a street or a community (`regionCode`). Without
 * `regionCode`, the actor's own scope.
 *
 * @since 0.1.0
 * @category models
 */
export const ScopeQuery = Model.ScopeQuery

/**
 * A scope and a range of months, both ends included (at most 120 months).
 *
 * @since 0.1.0
 * @category models
 */
export const PeriodQuery = Model.PeriodQuery

/**
 * A scope, a range of months and how many volunteers to list (`limit`, default 10, at most 100).
 *
 * @since 0.1.0
 * @category models
 */
export const TopQuery = Model.TopQuery

/**
 * The months from `from` to `to`, both included.
 *
 * @since 0.1.0
 * @category accessors
 */
export const monthsBetween: (from: string, to: string) => Array<Month> = Model.monthsBetween

/**
 * The first instant of a month in China time (UTC+8): `monthStart("2026-03")` is
 * `2026-02-28T16:00:00.000Z`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const monthStart: (month: string) => Date = Model.monthStart

/**
 * The first instants of the months of a range and of the month after it: the period boundaries of
 * `ServiceRecordRepo.sumMinutesByPeriod`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const monthBoundaries: (from: string, to: string) => Array<Date> = Model.monthBoundaries

// ---------------------------------------------------------------------------------------------
// results
// ---------------------------------------------------------------------------------------------

/**
 * The scope a statistic was computed for, with the teams within it.
 *
 * @since 0.1.0
 * @category models
 */
export type StatisticsScope = Model.StatisticsScope

/**
 * Volunteers by status.
 *
 * @since 0.1.0
 * @category models
 */
export type VolunteerCounts = Model.VolunteerCounts

/**
 * Active holders of one member role.
 *
 * @since 0.1.0
 * @category models
 */
export type RoleCount = Model.RoleCount

/**
 * The headcount of one team.
 *
 * @since 0.1.0
 * @category models
 */
export type TeamHeadcount = Model.TeamHeadcount

/**
 * Headcount by team and role (人员构成): active role holders (专职人员, 兼职分队长, 民情志愿者 …) and
 * volunteers by status, per team, with totals.
 *
 * @since 0.1.0
 * @category models
 */
export type Headcount = Model.Headcount

/**
 * One community and who covers it.
 *
 * @since 0.1.0
 * @category models
 */
export type CommunityCoverage = Model.CommunityCoverage

/**
 * Coverage of the communities of the 街道 in scope: a community is a gap (空白社区) when no active
 * volunteer lists it as their home community and no active community group is bound to it.
 *
 * @since 0.1.0
 * @category models
 */
export type Coverage = Model.Coverage

/**
 * One team's approved service per month.
 *
 * @since 0.1.0
 * @category models
 */
export type TeamMonthlyHours = Model.TeamMonthlyHours

/**
 * Approved service hours (and records) per month per recording team, with totals.
 *
 * @since 0.1.0
 * @category models
 */
export type MonthlyHours = Model.MonthlyHours

/**
 * One team's active rate.
 *
 * @since 0.1.0
 * @category models
 */
export type TeamActiveRate = Model.TeamActiveRate

/**
 * The active rate: active volunteers (in scope, by home) with at least one approved service record
 * starting in the period — recorded by any team — over all active volunteers in scope.
 *
 * @since 0.1.0
 * @category models
 */
export type ActiveRate = Model.ActiveRate

/**
 * One volunteer on the list of the most hours (masked name, volunteer number; never ID or mobile).
 *
 * @since 0.1.0
 * @category models
 */
export type TopVolunteer = Model.TopVolunteer

/**
 * The volunteers in scope with the most approved service hours in the period.
 *
 * @since 0.1.0
 * @category models
 */
export type TopVolunteers = Model.TopVolunteers

/**
 * Every statistic of a scope and period.
 *
 * @since 0.1.0
 * @category models
 */
export type StatisticsReport = Model.StatisticsReport

// ---------------------------------------------------------------------------------------------
// service
// ---------------------------------------------------------------------------------------------

/**
 * Builds the statistics from the repository ports, the role table and the settings in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return internal.make({
    corps: yield* CorpsRepo.CorpsRepo,
    volunteers: yield* VolunteerRepo.VolunteerRepo,
    records: yield* ServiceRecordRepo.ServiceRecordRepo,
    authorization: yield* Authorization.Authorization,
    regions: (yield* VolunteersConfig).regions
  })
})

/**
 * The statistics service: `headcount`, `coverage`, `monthlyHours`, `activeRate`, `topVolunteers`
 * and `report` (all of them), each `(actor, input)`.
 *
 * @since 0.1.0
 * @category tags
 * @example
 * import { Effect } from "effect"
 * import type { Actor } from "@gongzhi/core/Actor"
 * import { Statistics } from "@gongzhi/volunteers"
 *
 * declare const streetLeader: Actor // scope 440310001
 * const program = Effect.gen(function* () {
 *   const statistics = yield* Statistics.Statistics
 *   const monthly = yield* statistics.monthlyHours(streetLeader, { tenantId: "440310", from: "2026-01", to: "2026-12" })
 *   return monthly.totals.hours // hours per month of the teams of the street
 * })
 */
export class Statistics extends Effect.Service<Statistics>()("@gongzhi/volunteers/Statistics", { effect: make }) {}

/**
 * The service with the role table of `options` (default: the default table) and the settings of `options` (the region tree); give it the
 * repository ports (e.g. `Volunteers.layerMemory(…)` or `Volunteers.layerSql(…)` with a store).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: VolunteersOptions
): Layer.Layer<
  Statistics,
  never,
  CorpsRepo.CorpsRepo | VolunteerRepo.VolunteerRepo | ServiceRecordRepo.ServiceRecordRepo
> => Statistics.Default.pipe(Layer.provide(Layer.mergeAll(layerAuthorization(options), layerSettings(options))))

// ---------------------------------------------------------------------------------------------
// tables
// ---------------------------------------------------------------------------------------------

/**
 * The headcount as a table (one row per team and a 合计 row).
 *
 * @since 0.1.0
 * @category accessors
 */
export const headcountTable: (headcount: Headcount) => Table = Tables.headcountTable

/**
 * The coverage as a table (one row per community; 空白 marks the gaps).
 *
 * @since 0.1.0
 * @category accessors
 */
export const coverageTable: (coverage: Coverage) => Table = Tables.coverageTable

/**
 * The monthly hours as a table (one column per month, a 合计 row and column).
 *
 * @since 0.1.0
 * @category accessors
 */
export const monthlyHoursTable: (monthly: MonthlyHours) => Table = Tables.monthlyHoursTable

/**
 * The active rate as a table.
 *
 * @since 0.1.0
 * @category accessors
 */
export const activeRateTable: (activeRate: ActiveRate) => Table = Tables.activeRateTable

/**
 * The list of the most hours as a table.
 *
 * @since 0.1.0
 * @category accessors
 */
export const topVolunteersTable: (top: TopVolunteers) => Table = Tables.topVolunteersTable

/**
 * Every table of a report, ready for `Roster.toXlsx` (one sheet each) or `Roster.toCsv` (one file each).
 *
 * @since 0.1.0
 * @category accessors
 */
export const toTables: (report: StatisticsReport) => ReadonlyArray<Table> = Tables.toTables
