import { assert, describe, it, layer } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Mask from "@gongzhi/core/Mask"
import * as Region from "@gongzhi/core/Region"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Layer, Schema } from "effect"
import { ActorRef } from "../src/ActorRef.js"
import { Corps, defaultMemberRoles, type Membership, Team, TeamId } from "../src/Corps.js"
import * as CorpsRepo from "../src/CorpsRepo.js"
import { Adjustment, effectiveMinutes, ServiceRecord } from "../src/ServiceRecord.js"
import * as ServiceRecordRepo from "../src/ServiceRecordRepo.js"
import * as Statistics from "../src/Statistics.js"
import * as Synthetic from "../src/Synthetic.js"
import { samples } from "../src/testing.js"
import { formatNumber, type Volunteer, type VolunteerStatus } from "../src/Volunteer.js"
import * as VolunteerMigrations from "../src/VolunteerMigrations.js"
import * as VolunteerRepo from "../src/VolunteerRepo.js"
import * as Volunteers from "../src/Volunteers.js"
import { hq, leader, pingshan, TENANT, volunteerActor } from "./fixtures.js"

// ---------------------------------------------------------------------------------------------
// a deterministic district: teams, volunteers, memberships and service records
// ---------------------------------------------------------------------------------------------

const T0 = new Date(Date.UTC(2025, 0, 1))
const system = new ActorRef({ kind: "Staff", id: "S0001" })
const communities = Region.communities(pingshan).filter((c) => c.kind === "residents-committee")
const STATUSES: ReadonlyArray<VolunteerStatus> = ["active", "active", "active", "suspended", "applied", "left"]

const team = (id: string, kind: Team["kind"], regionCode: string, status: Team["status"] = "active") =>
  new Team({
    id: TeamId.make(id),
    tenantId: TENANT,
    kind,
    name: `${id} 队`,
    regionCode: regionCode as Team["regionCode"],
    ...(kind === "headquarters" ? {} : { parentId: TeamId.make("T440310") }),
    status,
    createdAt: T0
  })

const teams: ReadonlyArray<Team> = [
  team("T440310", "headquarters", "440310"),
  ...Region.streets(pingshan).map((s) => team(`T${s.code}`, "street", s.code)),
  team("T440310001005", "community", "440310001005"),
  team("T440310001004", "community", "440310001004", "dissolved")
]

/** 48 volunteers: volunteer i lives in community i % 18 and has status STATUSES[i % 6]. */
const volunteers: ReadonlyArray<Volunteer> = Array.from({ length: 48 }, (_, i) => {
  const home = communities[i % 18]
  return samples.volunteer(TENANT, i, {
    name: Synthetic.chineseName(Synthetic.random(100 + i)),
    homeCommunity: home.code,
    streetCode: home.parentCode!,
    teamId: TeamId.make(`T${home.parentCode}`),
    status: STATUSES[i % 6]
  })
})

const memberships: ReadonlyArray<Membership> = [
  ...volunteers
    .filter((v) => v.status === "active")
    .map((v, i) => samples.membership(TENANT, `m-v-${i}`, v.teamId, v.id, "volunteer")),
  samples.membership(TENANT, "m-l-1", "T440310001", "S-L1", "team-leader"),
  samples.membership(TENANT, "m-l-2", "T440310002", "S-L2", "team-leader"),
  samples.membership(TENANT, "m-l-3", "T440310002", "S-L3", "team-leader", "ended"),
  samples.membership(TENANT, "m-hq-1", "T440310", "S-HQ1", "full-time-staff")
]

const STREET_1_TEAMS = ["T440310001", "T440310001004", "T440310001005"]

/** 400 records from 2025-11-20 to the end of April 2026, and four on the edges of months. */
const records: ReadonlyArray<ServiceRecord> = (() => {
  const out: Array<ServiceRecord> = []
  const start = Date.UTC(2025, 10, 20)
  const make = (i: number, volunteer: Volunteer, teamId: string, startedAt: number, minutes: number) =>
    new ServiceRecord({
      id: `rec-${String(i).padStart(5, "0")}`,
      tenantId: TENANT,
      volunteerId: volunteer.id,
      teamId: TeamId.make(teamId),
      streetCode: volunteer.streetCode,
      communityCode: volunteer.homeCommunity,
      kind: i % 9 === 0 ? "training" : "service",
      source: "manual",
      content: `民情走访 ${i}`,
      startedAt: new Date(startedAt),
      endedAt: new Date(startedAt + minutes * 60_000),
      measuredMinutes: minutes,
      adjustments:
        i % 5 === 0 ? [new Adjustment({ minutes: -15, reason: "扣除路途时间", by: system, at: new Date(start) })] : [],
      status: i % 7 === 0 ? "pending" : i % 11 === 0 ? "rejected" : "approved",
      recordedBy: system,
      recordedAt: new Date(startedAt)
    })
  const serving = volunteers.filter((v) => v.status === "active" || v.status === "suspended").slice(0, 20)
  for (let i = 0; i < 400; i++) {
    const volunteer = serving[(i * 7) % serving.length]
    const teamId = i % 10 === 3 ? "T440310" : i % 13 === 4 ? "T440310001005" : volunteer.teamId
    out.push(make(i + 1, volunteer, teamId, start + Math.round(i * 9.7 * 3_600_000), 30 + ((i * 37) % 240)))
  }
  const v = serving[0]
  out.push(make(1001, v, v.teamId, Statistics.monthStart("2026-02").getTime(), 60)) // first instant of February
  out.push(make(1002, v, v.teamId, Statistics.monthStart("2026-02").getTime() - 1, 45)) // last of January
  out.push(make(1003, v, v.teamId, Statistics.monthStart("2025-12").getTime() - 1, 50)) // before the range
  out.push(make(1004, v, v.teamId, Statistics.monthStart("2026-04").getTime(), 55)) // after the range
  return out
})()

const seed = Effect.gen(function* () {
  const corps = yield* CorpsRepo.CorpsRepo
  const repo = yield* VolunteerRepo.VolunteerRepo
  const recordRepo = yield* ServiceRecordRepo.ServiceRecordRepo
  yield* Transactor.withTransaction(
    Effect.gen(function* () {
      yield* corps.insertCorps(
        new Corps({
          tenantId: TENANT,
          name: "坪山区民情志愿服务总队",
          headquartersId: TeamId.make("T440310"),
          memberRoles: [defaultMemberRoles[0], ...defaultMemberRoles.slice(1)],
          createdAt: T0
        })
      )
      for (const t of teams) yield* corps.insertTeam(t)
      for (const m of memberships) yield* corps.insertMembership(m)
      for (const v of volunteers) yield* repo.insert(v)
      for (const r of records) yield* recordRepo.insert(r)
    })
  )
}).pipe(Effect.orDie)

// ---------------------------------------------------------------------------------------------
// the reference: the same figures computed naively from the data above
// ---------------------------------------------------------------------------------------------

const chinaMonth = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" })
const FROM = "2025-12"
const TO = "2026-03"
const MONTHS = ["2025-12", "2026-01", "2026-02", "2026-03"]
const inPeriod = (r: ServiceRecord) =>
  r.status === "approved" && r.kind === "service" && MONTHS.includes(chinaMonth.format(r.startedAt))

const expectedMonthly = (teamIds: ReadonlyArray<string> | undefined) => {
  const out = new Map<string, { minutes: Array<number>; records: Array<number> }>()
  for (const r of records) {
    if (!inPeriod(r) || (teamIds !== undefined && !teamIds.includes(r.teamId))) continue
    const cell = out.get(r.teamId) ?? { minutes: [0, 0, 0, 0], records: [0, 0, 0, 0] }
    const m = MONTHS.indexOf(chinaMonth.format(r.startedAt))
    cell.minutes[m] += effectiveMinutes(r)
    cell.records[m] += 1
    out.set(r.teamId, cell)
  }
  return out
}

const inStreet = (street: string | undefined) => (v: Volunteer) => street === undefined || v.streetCode === street

const expectedActive = (street?: string) => {
  const active = volunteers.filter((v) => v.status === "active" && inStreet(street)(v))
  const served = new Set(records.filter(inPeriod).map((r) => r.volunteerId as string))
  return { active: active.length, serving: active.filter((v) => served.has(v.id)).length }
}

const expectedTop = (street: string | undefined, limit: number) => {
  const sums = new Map<string, number>()
  for (const r of records)
    if (inPeriod(r)) sums.set(r.volunteerId, (sums.get(r.volunteerId) ?? 0) + effectiveMinutes(r))
  return volunteers
    .filter(inStreet(street))
    .filter((v) => (sums.get(v.id) ?? 0) > 0)
    .map((v) => ({ id: v.id as string, name: v.name, minutes: sums.get(v.id)! }))
    .sort((a, b) => b.minutes - a.minutes || (a.id < b.id ? -1 : 1))
    .slice(0, limit)
}

// ---------------------------------------------------------------------------------------------
// the same tests on every backend
// ---------------------------------------------------------------------------------------------

const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const migrations = [CoreMigrations.migrations, VolunteerMigrations.migrations]

const backends = [
  ["memory", Layer.merge(Volunteers.layerStoreMemory, Transactor.layerMemory), { skip: false }],
  [
    "sqlite",
    Volunteers.layerStoreSql.pipe(Layer.provideMerge(SqliteTesting.layerTest({ migrations }))),
    { skip: false }
  ],
  ["postgres", Volunteers.layerStoreSql.pipe(Layer.provideMerge(PgTesting.layerTest({ migrations }))), pg],
  ["mysql", Volunteers.layerStoreSql.pipe(Layer.provideMerge(MysqlTesting.layerTest({ migrations }))), mysql]
] as const

const leader1 = leader("440310001")
const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const communityLeader = decodeActor({
  _tag: "Staff",
  staffId: "C0001",
  name: "赵组长",
  roles: ["volunteers-team-leader"],
  scope: { tenantId: TENANT, regionCode: "440310001005" }
})

for (const [name, stores, availability] of backends) {
  describe.skipIf(availability.skip)(`Statistics on ${name}`, () => {
    const seeded = Layer.effectDiscard(seed).pipe(Layer.provideMerge(stores))
    layer(Statistics.layer({ regions: pingshan }).pipe(Layer.provideMerge(seeded), Layer.orDie), {
      timeout: "60 seconds"
    })((it) => {
      it.effect("monthly hours per team: approved service only, China-time months, boundaries exact", () =>
        Effect.gen(function* () {
          const statistics = yield* Statistics.Statistics
          const result = yield* statistics.monthlyHours(hq, { tenantId: TENANT, from: FROM, to: TO })
          assert.deepStrictEqual(result.months, MONTHS)
          const expected = expectedMonthly(undefined)
          const withData = result.teams.filter((t) => t.totalRecords > 0)
          assert.deepStrictEqual(
            withData.map((t) => t.teamId),
            [...expected.keys()].sort()
          )
          for (const t of withData) {
            assert.deepStrictEqual(t.minutes, expected.get(t.teamId)!.minutes, t.teamId)
            assert.deepStrictEqual(t.records, expected.get(t.teamId)!.records, t.teamId)
            assert.deepStrictEqual(
              t.hours,
              t.minutes.map((m) => Math.round((m / 60) * 100) / 100)
            )
          }
          // every team of the district has a row, with zeros when it recorded nothing
          assert.strictEqual(result.teams.length, teams.length)
          const total = [...expected.values()].reduce((a, c) => a + c.minutes.reduce((x, y) => x + y, 0), 0)
          assert.strictEqual(result.totals.totalMinutes, total)
          // the two records on either side of 2026-02-01 00:00 China time
          const t = result.teams.find((row) => row.teamId === volunteers.find((v) => v.status === "active")!.teamId)!
          assert.isAbove(t.records[1], 0)
          assert.isAbove(t.records[2], 0)
        })
      )

      it.effect("a street leader sees the teams of their street and nothing else", () =>
        Effect.gen(function* () {
          const statistics = yield* Statistics.Statistics
          const mine = yield* statistics.monthlyHours(leader1, { tenantId: TENANT, from: FROM, to: TO })
          assert.strictEqual(mine.scope.level, "street")
          assert.deepStrictEqual(
            mine.teams.map((t) => t.teamId),
            STREET_1_TEAMS
          )
          const expected = expectedMonthly(STREET_1_TEAMS)
          for (const t of mine.teams) {
            assert.deepStrictEqual(t.minutes, expected.get(t.teamId)?.minutes ?? [0, 0, 0, 0], t.teamId)
          }
          const district = yield* Effect.flip(
            statistics.monthlyHours(leader1, { tenantId: TENANT, regionCode: TENANT, from: FROM, to: TO })
          )
          assert.strictEqual(district._tag, "Forbidden")
          const other = yield* Effect.flip(statistics.headcount(leader1, { tenantId: TENANT, regionCode: "440310002" }))
          assert.strictEqual(other._tag === "Forbidden" && other.reason, "region")
          const self = yield* Effect.flip(statistics.coverage(volunteerActor(volunteers[0].id), { tenantId: TENANT }))
          assert.strictEqual(self._tag === "Forbidden" && self.reason, "permission")
          // a community group's leader: their group only
          const group = yield* statistics.monthlyHours(communityLeader, { tenantId: TENANT, from: FROM, to: TO })
          assert.deepStrictEqual(
            group.teams.map((t) => t.teamId),
            ["T440310001005"]
          )
        })
      )

      it.effect("headcount by team and role, and volunteers by status", () =>
        Effect.gen(function* () {
          const statistics = yield* Statistics.Statistics
          const result = yield* statistics.headcount(hq, { tenantId: TENANT })
          assert.deepStrictEqual(
            result.roles.map((r) => r.name),
            ["专职人员", "兼职分队长", "民情志愿者"]
          )
          const row = (id: string) => result.teams.find((t) => t.teamId === id)!
          const count = (id: string, role: string) => row(id).roles.find((r) => r.roleId === role)!.count
          assert.strictEqual(count("T440310", "full-time-staff"), 1)
          assert.strictEqual(count("T440310002", "team-leader"), 1) // the ended role does not count
          for (const t of teams) {
            const own = volunteers.filter((v) => v.teamId === t.id)
            assert.strictEqual(count(t.id, "volunteer"), own.filter((v) => v.status === "active").length, t.id)
            assert.deepStrictEqual(row(t.id).volunteers, {
              applied: own.filter((v) => v.status === "applied").length,
              active: own.filter((v) => v.status === "active").length,
              suspended: own.filter((v) => v.status === "suspended").length,
              left: own.filter((v) => v.status === "left").length
            })
          }
          assert.strictEqual(result.totals.volunteers.active, volunteers.filter((v) => v.status === "active").length)
          const street = yield* statistics.headcount(leader1, { tenantId: TENANT })
          assert.deepStrictEqual(
            street.teams.map((t) => t.teamId),
            STREET_1_TEAMS
          )
        })
      )

      it.effect("coverage gaps: no active volunteer at home and no active community group", () =>
        Effect.gen(function* () {
          const statistics = yield* Statistics.Statistics
          const result = yield* statistics.coverage(hq, { tenantId: TENANT })
          // the 24 communities of the six 街道; not the bonded zone's virtual community
          assert.strictEqual(result.communities.length, 24)
          assert.isFalse(result.communities.some((c) => c.communityCode === "440310401498"))
          const activeHome = new Set(volunteers.filter((v) => v.status === "active").map((v) => v.homeCommunity))
          const expectedGaps = communities
            .filter((c) => !activeHome.has(c.code) && c.code !== "440310001005")
            .map((c) => c.code)
          assert.deepStrictEqual(
            result.gaps.map((c) => c.communityCode),
            expectedGaps
          )
          // 新和: only an applicant lives there, but an active community group covers it
          const xinhe = result.communities.find((c) => c.communityCode === "440310001005")!
          assert.deepStrictEqual([xinhe.activeVolunteers, xinhe.teamIds, xinhe.covered], [0, ["T440310001005"], true])
          // 和平: its group was dissolved and its volunteers are suspended
          assert.isTrue(result.gaps.some((c) => c.communityCode === "440310001004" && c.communityName === "和平社区"))
          const street = yield* statistics.coverage(leader1, { tenantId: TENANT })
          assert.deepStrictEqual(
            street.communities.map((c) => c.communityCode),
            communities.filter((c) => c.parentCode === "440310001").map((c) => c.code)
          )
        })
      )

      it.effect("active rate: active volunteers with an approved service record in the period", () =>
        Effect.gen(function* () {
          const statistics = yield* Statistics.Statistics
          const result = yield* statistics.activeRate(hq, { tenantId: TENANT, from: FROM, to: TO })
          const expected = expectedActive()
          assert.strictEqual(result.activeVolunteers, expected.active)
          assert.strictEqual(result.servingVolunteers, expected.serving)
          assert.isBelow(expected.serving, expected.active) // some active volunteers did not serve
          assert.strictEqual(result.rate, Math.round((expected.serving / expected.active) * 10000) / 10000)
          assert.strictEqual(
            result.teams.reduce((a, t) => a + t.servingVolunteers, 0),
            expected.serving
          )
          const street = yield* statistics.activeRate(leader1, { tenantId: TENANT, from: FROM, to: TO })
          const s = expectedActive("440310001")
          assert.deepStrictEqual([street.activeVolunteers, street.servingVolunteers], [s.active, s.serving])
        })
      )

      it.effect("top volunteers: by approved hours, masked names and volunteer numbers only", () =>
        Effect.gen(function* () {
          const statistics = yield* Statistics.Statistics
          const result = yield* statistics.topVolunteers(hq, { tenantId: TENANT, from: FROM, to: TO, limit: 5 })
          const expected = expectedTop(undefined, 5)
          assert.deepStrictEqual(
            result.volunteers.map((v) => [v.volunteerNumber, v.minutes, v.maskedName]),
            expected.map((v) => [v.id, v.minutes, Mask.name(v.name)])
          )
          assert.deepStrictEqual(
            result.volunteers.map((v) => v.rank),
            [1, 2, 3, 4, 5]
          )
          for (const v of result.volunteers) {
            assert.deepStrictEqual(Object.keys(v).sort(), [
              "hours",
              "maskedName",
              "minutes",
              "rank",
              "starLevel",
              "teamId",
              "teamName",
              "volunteerNumber"
            ])
            assert.notStrictEqual(v.maskedName, volunteers.find((x) => x.id === v.volunteerNumber)!.name)
          }
          const street = yield* statistics.topVolunteers(leader1, { tenantId: TENANT, from: FROM, to: TO, limit: 3 })
          assert.deepStrictEqual(
            street.volunteers.map((v) => v.volunteerNumber),
            expectedTop("440310001", 3).map((v) => v.id)
          )
        })
      )

      it.effect("the report gathers every statistic and turns into tables", () =>
        Effect.gen(function* () {
          const statistics = yield* Statistics.Statistics
          const report = yield* statistics.report(hq, { tenantId: TENANT, from: FROM, to: TO })
          const tables = Statistics.toTables(report)
          assert.deepStrictEqual(
            tables.map((t) => t.name),
            ["人员构成", "社区覆盖", "月度服务时长", "活跃率", "服务时长排行"]
          )
          for (const table of tables) {
            for (const row of table.rows) assert.strictEqual(row.length, table.columns.length, table.name)
          }
          const monthly = tables[2]
          assert.deepStrictEqual(
            monthly.columns.slice(2, 6).map((c) => c.header),
            ["2025-12（小时）", "2026-01（小时）", "2026-02（小时）", "2026-03（小时）"]
          )
          const last = monthly.rows[monthly.rows.length - 1]
          assert.strictEqual(last[0], "合计")
          assert.strictEqual(last[6], report.monthlyHours.totals.totalHours)
        })
      )

      it.effect("inputs are decoded and regions checked", () =>
        Effect.gen(function* () {
          const statistics = yield* Statistics.Statistics
          const month = yield* Effect.flip(statistics.monthlyHours(hq, { tenantId: TENANT, from: "2026-13", to: TO }))
          assert.strictEqual(month._tag, "InvalidInput")
          const order = yield* Effect.flip(statistics.activeRate(hq, { tenantId: TENANT, from: TO, to: FROM }))
          assert.strictEqual(order._tag, "InvalidInput")
          const region = yield* Effect.flip(statistics.coverage(hq, { tenantId: TENANT, regionCode: "440310009" }))
          assert.strictEqual(region._tag, "RegionNotFound")
        })
      )
    })
  })
}

// ---------------------------------------------------------------------------------------------
// the port: sums per period against a naive sum, on arbitrary records (memory reference)
// ---------------------------------------------------------------------------------------------

describe("ServiceRecordRepo.sumMinutesByPeriod", () => {
  const RecordInput = Schema.Struct({
    offsetMinutes: Schema.Int.pipe(Schema.between(-100_000, 600_000)),
    minutes: Schema.Int.pipe(Schema.between(0, 600)),
    team: Schema.Literal("T440310001", "T440310002"),
    status: Schema.Literal("approved", "pending")
  })
  it.effect.prop(
    "equals a naive sum per team and month",
    [Schema.Array(RecordInput).pipe(Schema.maxItems(40))],
    ([inputs]) =>
      Effect.gen(function* () {
        const repo = yield* ServiceRecordRepo.ServiceRecordRepo
        const tenantId = "440310" as TenantId
        const base = Statistics.monthStart("2026-01").getTime()
        for (const [i, input] of inputs.entries()) {
          yield* repo.insert(
            samples.record(tenantId, i, {
              volunteerId: formatNumber(tenantId, 1),
              teamId: TeamId.make(input.team),
              startedAt: new Date(base + input.offsetMinutes * 60_000),
              endedAt: new Date(base + input.offsetMinutes * 60_000 + 60_000),
              measuredMinutes: input.minutes,
              adjustments: [],
              status: input.status
            })
          )
        }
        const boundaries = Statistics.monthBoundaries("2026-01", "2026-12")
        const rows = yield* repo.sumMinutesByPeriod(tenantId, "team_id", boundaries, { status: "approved" })
        const expected = new Map<string, { minutes: number; records: number }>()
        for (const input of inputs) {
          const t = base + input.offsetMinutes * 60_000
          const period = boundaries.findIndex(
            (b, i) => i < boundaries.length - 1 && t >= b.getTime() && t < boundaries[i + 1].getTime()
          )
          if (input.status !== "approved" || period < 0) continue
          const key = `${input.team}/${period}`
          const cell = expected.get(key) ?? { minutes: 0, records: 0 }
          expected.set(key, { minutes: cell.minutes + input.minutes, records: cell.records + 1 })
        }
        assert.deepStrictEqual(
          rows.map((r) => [`${r.key}/${r.period}`, r.minutes, r.records]),
          [...expected.entries()]
            .sort(([a], [b]) => {
              const [ta, pa] = a.split("/")
              const [tb, pb] = b.split("/")
              return ta < tb ? -1 : ta > tb ? 1 : Number(pa) - Number(pb)
            })
            .map(([k, v]) => [k, v.minutes, v.records])
        )
      }).pipe(Effect.provide(Layer.merge(ServiceRecordRepo.layerMemory, Transactor.layerMemory))),
    { fastCheck: { numRuns: 60 } }
  )
})

describe("Statistics.coverage in a district with towns and villages", () => {
  const mixed = [
    "code,name,parentCode",
    "440117,从化区,",
    "440117001,街口街道,440117",
    "440117101,温泉镇,440117",
    "440117201,吕田乡,440117",
    "440117001001,新村社区居委会,440117001",
    "440117101201,石坑村委会,440117101",
    "440117101202,南平村委会,440117101",
    "440117201201,莲麻村委会,440117201",
    ""
  ].join("\n")
  const conghua = Effect.runSync(Region.fromCsv(mixed, { asOf: "2024" }))
  const staff = decodeActor({
    _tag: "Staff",
    staffId: "HQ117",
    name: "陈专职",
    roles: ["volunteers-hq-staff"],
    scope: { tenantId: "440117", regionCode: "440117" }
  })

  it.effect("every village of a town or township is counted, and a gap when no one serves there", () =>
    Effect.gen(function* () {
      const statistics = yield* Statistics.Statistics
      const result = yield* statistics.coverage(staff, { tenantId: "440117" as TenantId })
      assert.deepStrictEqual(
        result.communities.map((c) => [c.communityCode, c.streetName]),
        [
          ["440117001001", "街口街道"],
          ["440117101201", "温泉镇"],
          ["440117101202", "温泉镇"],
          ["440117201201", "吕田乡"]
        ]
      )
      assert.deepStrictEqual(
        result.gaps.map((c) => c.communityName),
        ["新村社区", "石坑村", "南平村", "莲麻村"]
      )
    }).pipe(
      Effect.provide(
        Statistics.layer({ regions: conghua }).pipe(
          Layer.provideMerge(Layer.merge(Volunteers.layerStoreMemory, Transactor.layerMemory)),
          Layer.orDie
        )
      )
    )
  )
})
