import * as Actor from "@gongzhi/core/Actor"
import type * as Authorization from "@gongzhi/core/Authorization"
import * as Mask from "@gongzhi/core/Mask"
import * as Region from "@gongzhi/core/Region"
import type * as Repository from "@gongzhi/core/Repository"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option } from "effect"
import { defaultMemberRoles, type Team, type TeamId } from "../Corps.js"
import type { CorpsRepoShape } from "../CorpsRepo.js"
import { Permission } from "../Permissions.js"
import type { RecordFilter, ServiceRecordRepoShape } from "../ServiceRecordRepo.js"
import { minutesToHours } from "../StarLevel.js"
import type { VolunteerStatus } from "../Volunteer.js"
import { RegionNotFound } from "../VolunteerErrors.js"
import type { VolunteerFilter, VolunteerRepoShape } from "../VolunteerRepo.js"
import { decode } from "./input.js"
import { now } from "./service/context.js"
import * as Model from "./statisticsModel.js"

/** What the statistics read. */
export interface StatisticsDeps {
  readonly corps: CorpsRepoShape
  readonly volunteers: VolunteerRepoShape
  readonly records: ServiceRecordRepoShape
  readonly authorization: Authorization.Authorization["Type"]
  readonly regions: Region.RegionTree
}

/** How many volunteer numbers go into one `IN (…)` list. */
const CHUNK = 1000

const STATUSES: ReadonlyArray<Exclude<VolunteerStatus, "rejected">> = ["applied", "active", "suspended", "left"]

const chunks = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

const rate = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 10000) / 10000)

const countsOf = (rows: ReadonlyArray<Repository.GroupCount>): Map<string, number> =>
  new Map(rows.map((row) => [String(row.key), row.count]))

/** A scope with the teams of the district (for names) and those within the scope. */
interface Resolved {
  readonly scope: Model.StatisticsScope
  readonly teams: ReadonlyMap<string, Team>
}

export const make = (deps: StatisticsDeps) => {
  const tree = deps.regions

  const span =
    (name: string, actor: Actor.Actor) =>
    <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.withSpan(self, `Statistics.${name}`, {
        attributes: { "gongzhi.actor": Actor.label(actor), "gongzhi.tenant": actor.scope.tenantId }
      })

  /** The scope asked for (default: the actor's own), checked against the tree and the actor's permission. */
  const resolve = (actor: Actor.Actor, tenantId: TenantId, regionCode: string | undefined) =>
    Effect.gen(function* () {
      const code =
        regionCode ?? (actor.scope.tenantId === tenantId ? (actor.scope.regionCode as string) : (tenantId as string))
      const region = Option.getOrUndefined(Region.findByCode(tree, code))
      const level = region?.level
      if (
        region === undefined ||
        (tree.root.code as string) !== tenantId ||
        (level !== "district" && level !== "street" && level !== "community")
      ) {
        return yield* new RegionNotFound({
          regionCode: code,
          expected: code.length <= 6 ? "district" : code.length <= 9 ? "street" : "community",
          asOf: tree.asOf
        })
      }
      yield* deps.authorization.authorize(actor, Permission.read, { tenantId, regionCode: region.code })
      const teams = yield* deps.corps.listTeams(tenantId)
      const byId = new Map(teams.map((row) => [row.value.id as string, row.value]))
      const teamIds = teams
        .filter((row) => row.value.regionCode.startsWith(region.code))
        .map((row) => row.value.id)
        .sort()
      const resolved: Resolved = {
        scope: {
          tenantId,
          regionCode: region.code,
          level,
          regionName: Region.displayName(region),
          teamIds
        },
        teams: byId
      }
      return resolved
    })

  const teamName = (resolved: Resolved, teamId: string): string => resolved.teams.get(teamId)?.name ?? teamId

  /** Volunteers whose home is in the scope (their street or community). */
  const volunteerScope = (scope: Model.StatisticsScope): VolunteerFilter =>
    scope.level === "district"
      ? {}
      : scope.level === "street"
        ? { streetCode: scope.regionCode }
        : { communityCode: scope.regionCode }

  /** Records of the teams in scope (every record for the district). */
  const recordScope = (scope: Model.StatisticsScope): RecordFilter =>
    scope.level === "district" ? {} : { teamId: scope.teamIds }

  const approvedIn = (from: string, to: string): RecordFilter => {
    const boundaries = Model.monthBoundaries(from, to)
    return {
      status: "approved",
      kind: "service",
      startedFrom: boundaries[0],
      startedBefore: boundaries[boundaries.length - 1]
    }
  }

  // -------------------------------------------------------------------------------------------
  // computations on a resolved scope
  // -------------------------------------------------------------------------------------------

  const headcountIn = (resolved: Resolved) =>
    Effect.gen(function* () {
      const { scope } = resolved
      const tenantId = scope.tenantId
      const corps = yield* deps.corps.getCorps(tenantId)
      const roles = Option.match(corps, {
        onNone: () => defaultMemberRoles,
        onSome: (row) => row.value.memberRoles
      })
      const teamFilter = scope.level === "district" ? {} : { teamId: scope.teamIds }
      const byRole = yield* Effect.forEach(roles, (role) =>
        Effect.map(
          deps.corps.countMembershipsBy(tenantId, "team_id", { ...teamFilter, roleId: role.id, status: "active" }),
          countsOf
        )
      )
      const byStatus = yield* Effect.forEach(STATUSES, (status) =>
        Effect.map(deps.volunteers.countBy(tenantId, "team_id", { ...volunteerScope(scope), status }), countsOf)
      )
      const ids = new Set<string>(scope.teamIds)
      for (const map of [...byRole, ...byStatus]) for (const id of map.keys()) ids.add(id)
      const volunteersOf = (get: (i: number) => number): Model.VolunteerCounts => ({
        applied: get(0),
        active: get(1),
        suspended: get(2),
        left: get(3)
      })
      const teams: Array<Model.TeamHeadcount> = [...ids].sort().map((id) => {
        const team = resolved.teams.get(id)
        return {
          teamId: id as TeamId,
          teamName: team?.name ?? id,
          kind: team?.kind ?? "street",
          regionCode: team?.regionCode ?? scope.regionCode,
          roles: roles.map((role, i) => ({ roleId: role.id, roleName: role.name, count: byRole[i].get(id) ?? 0 })),
          volunteers: volunteersOf((i) => byStatus[i].get(id) ?? 0)
        }
      })
      const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0)
      const headcount: Model.Headcount = {
        scope,
        roles: roles.map((role) => ({ id: role.id, name: role.name, tier: role.tier })),
        teams,
        totals: {
          roles: roles.map((role, i) => ({ roleId: role.id, roleName: role.name, count: sum(byRole[i]) })),
          volunteers: volunteersOf((i) => sum(byStatus[i]))
        }
      }
      return headcount
    })

  const coverageIn = (resolved: Resolved) =>
    Effect.gen(function* () {
      const { scope } = resolved
      const counts = countsOf(
        yield* deps.volunteers.countBy(scope.tenantId, "community_code", { ...volunteerScope(scope), status: "active" })
      )
      const groups = new Map<string, Array<TeamId>>()
      for (const team of resolved.teams.values()) {
        if (team.kind !== "community" || team.status !== "active") continue
        const list = groups.get(team.regionCode) ?? []
        list.push(team.id)
        groups.set(team.regionCode, list)
      }
      const communities: Array<Model.CommunityCoverage> = []
      for (const street of Region.streets(tree)) {
        if (!street.code.startsWith(scope.regionCode) && !scope.regionCode.startsWith(street.code)) continue
        for (const community of Region.communities(tree, street.code)) {
          if (!community.code.startsWith(scope.regionCode)) continue
          const activeVolunteers = counts.get(community.code) ?? 0
          const teamIds = (groups.get(community.code) ?? []).sort()
          communities.push({
            communityCode: community.code,
            communityName: Region.displayName(community),
            streetCode: street.code,
            streetName: Region.displayName(street),
            activeVolunteers,
            teamIds,
            covered: activeVolunteers > 0 || teamIds.length > 0
          })
        }
      }
      const coverage: Model.Coverage = {
        scope,
        regionsAsOf: tree.asOf,
        communities,
        gaps: communities.filter((c) => !c.covered)
      }
      return coverage
    })

  const monthlyHoursIn = (resolved: Resolved, from: string, to: string) =>
    Effect.gen(function* () {
      const { scope } = resolved
      const months = Model.monthsBetween(from, to)
      const empty = () => months.map(() => 0)
      const rows =
        scope.level !== "district" && scope.teamIds.length === 0
          ? []
          : yield* deps.records.sumMinutesByPeriod(scope.tenantId, "team_id", Model.monthBoundaries(from, to), {
              ...recordScope(scope),
              status: "approved",
              kind: "service"
            })
      const byTeam = new Map<string, { minutes: Array<number>; records: Array<number> }>()
      for (const id of scope.teamIds) byTeam.set(id, { minutes: empty(), records: empty() })
      for (const row of rows) {
        const id = String(row.key)
        let cell = byTeam.get(id)
        if (cell === undefined) {
          cell = { minutes: empty(), records: empty() }
          byTeam.set(id, cell)
        }
        cell.minutes[row.period] += row.minutes
        cell.records[row.period] += row.records
      }
      const line = (minutes: ReadonlyArray<number>, records: ReadonlyArray<number>) => {
        const totalMinutes = minutes.reduce((a, b) => a + b, 0)
        return {
          minutes,
          hours: minutes.map(minutesToHours),
          records,
          totalMinutes,
          totalHours: minutesToHours(totalMinutes),
          totalRecords: records.reduce((a, b) => a + b, 0)
        }
      }
      const teams = [...byTeam.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([teamId, cell]) => ({
          teamId,
          teamName: teamName(resolved, teamId),
          ...line(cell.minutes, cell.records)
        }))
      const totalMinutes = empty()
      const totalRecords = empty()
      for (const team of teams) {
        team.minutes.forEach((m, i) => {
          totalMinutes[i] += m
        })
        team.records.forEach((r, i) => {
          totalRecords[i] += r
        })
      }
      const monthly: Model.MonthlyHours = { scope, months, teams, totals: line(totalMinutes, totalRecords) }
      return monthly
    })

  const activeRateIn = (resolved: Resolved, from: string, to: string) =>
    Effect.gen(function* () {
      const { scope } = resolved
      const base: VolunteerFilter = { ...volunteerScope(scope), status: "active" }
      const active = countsOf(yield* deps.volunteers.countBy(scope.tenantId, "team_id", base))
      const served = yield* deps.records.countBy(scope.tenantId, "volunteer_id", approvedIn(from, to))
      const serving = new Map<string, number>()
      for (const chunk of chunks(
        served.map((row) => String(row.key)),
        CHUNK
      )) {
        const rows = yield* deps.volunteers.countBy(scope.tenantId, "team_id", { ...base, volunteerId: chunk })
        for (const row of rows) serving.set(String(row.key), (serving.get(String(row.key)) ?? 0) + row.count)
      }
      const ids = [...new Set([...active.keys(), ...serving.keys()])].sort()
      const teams = ids.map((teamId) => {
        const activeVolunteers = active.get(teamId) ?? 0
        const servingVolunteers = serving.get(teamId) ?? 0
        return {
          teamId,
          teamName: teamName(resolved, teamId),
          activeVolunteers,
          servingVolunteers,
          rate: rate(servingVolunteers, activeVolunteers)
        }
      })
      const activeVolunteers = teams.reduce((a, t) => a + t.activeVolunteers, 0)
      const servingVolunteers = teams.reduce((a, t) => a + t.servingVolunteers, 0)
      const result: Model.ActiveRate = {
        scope,
        from,
        to,
        activeVolunteers,
        servingVolunteers,
        rate: rate(servingVolunteers, activeVolunteers),
        teams
      }
      return result
    })

  const topVolunteersIn = (resolved: Resolved, from: string, to: string, limit: number) =>
    Effect.gen(function* () {
      const { scope } = resolved
      const sums = yield* deps.records.sumMinutesBy(scope.tenantId, "volunteer_id", approvedIn(from, to))
      const ranked = sums
        .filter((row) => row.minutes > 0)
        .map((row) => ({ id: String(row.key), minutes: row.minutes }))
        .sort((a, b) => b.minutes - a.minutes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      const picked: Array<Omit<Model.TopVolunteer, "rank">> = []
      for (const chunk of chunks(ranked, Math.max(limit, 200))) {
        if (picked.length >= limit) break
        const page = yield* deps.volunteers.page(scope.tenantId, {
          filter: { ...volunteerScope(scope), volunteerId: chunk.map((c) => c.id) },
          limit: chunk.length
        })
        const found = new Map(page.items.map((row) => [row.value.id as string, row.value]))
        for (const candidate of chunk) {
          const volunteer = found.get(candidate.id)
          if (volunteer === undefined) continue
          picked.push({
            volunteerNumber: volunteer.id,
            maskedName: Mask.name(volunteer.name),
            teamId: volunteer.teamId,
            teamName: teamName(resolved, volunteer.teamId),
            minutes: candidate.minutes,
            hours: minutesToHours(candidate.minutes),
            starLevel: volunteer.hours.starLevel
          })
          if (picked.length >= limit) break
        }
      }
      // competition ranking: equal minutes share a rank (1, 2, 2, 4)
      const volunteers = picked.map((v, i) => ({
        rank: 1 + picked.slice(0, i).filter((p) => p.minutes > v.minutes).length,
        ...v
      }))
      const top: Model.TopVolunteers = { scope, from, to, volunteers }
      return top
    })

  // -------------------------------------------------------------------------------------------
  // operations
  // -------------------------------------------------------------------------------------------

  const headcount = (actor: Actor.Actor, input: typeof Model.ScopeQuery.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("人员构成统计", Model.ScopeQuery)(input)
      return yield* headcountIn(yield* resolve(actor, i.tenantId, i.regionCode))
    }).pipe(span("headcount", actor))

  const coverage = (actor: Actor.Actor, input: typeof Model.ScopeQuery.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("社区覆盖统计", Model.ScopeQuery)(input)
      return yield* coverageIn(yield* resolve(actor, i.tenantId, i.regionCode))
    }).pipe(span("coverage", actor))

  const monthlyHours = (actor: Actor.Actor, input: typeof Model.PeriodQuery.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("月度服务时长统计", Model.PeriodQuery)(input)
      return yield* monthlyHoursIn(yield* resolve(actor, i.tenantId, i.regionCode), i.from, i.to)
    }).pipe(span("monthlyHours", actor))

  const activeRate = (actor: Actor.Actor, input: typeof Model.PeriodQuery.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("活跃率统计", Model.PeriodQuery)(input)
      return yield* activeRateIn(yield* resolve(actor, i.tenantId, i.regionCode), i.from, i.to)
    }).pipe(span("activeRate", actor))

  const topVolunteers = (actor: Actor.Actor, input: typeof Model.TopQuery.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("服务时长排行", Model.TopQuery)(input)
      return yield* topVolunteersIn(yield* resolve(actor, i.tenantId, i.regionCode), i.from, i.to, i.limit)
    }).pipe(span("topVolunteers", actor))

  const report = (actor: Actor.Actor, input: typeof Model.TopQuery.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("志愿服务统计报表", Model.TopQuery)(input)
      const resolved = yield* resolve(actor, i.tenantId, i.regionCode)
      const result: Model.StatisticsReport = {
        scope: resolved.scope,
        from: i.from,
        to: i.to,
        generatedAt: yield* now,
        headcount: yield* headcountIn(resolved),
        coverage: yield* coverageIn(resolved),
        monthlyHours: yield* monthlyHoursIn(resolved, i.from, i.to),
        activeRate: yield* activeRateIn(resolved, i.from, i.to),
        topVolunteers: yield* topVolunteersIn(resolved, i.from, i.to, i.limit)
      }
      return result
    }).pipe(span("report", actor))

  return { headcount, coverage, monthlyHours, activeRate, topVolunteers, report }
}
