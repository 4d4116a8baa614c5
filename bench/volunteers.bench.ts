/**
 * Volunteer statistics benchmarks: the monthly hours per team over 1M service records.
 *
 * Entries `volunteers.stats.monthly.<engine>`, engine ∈ sqlite, postgres. Setup (not measured) makes a fresh
 * database (PostgreSQL: a fresh schema) with the volunteers tables, 7 teams and 10,000 volunteers through the
 * repository ports, and 1,000,000 service records through the raw driver in big transactions: deterministic,
 * spread evenly over 2025–2026, 90 % approved, 4 % training, each with its JSON document.
 *
 * ours: `Statistics.monthlyHours(hq, { from: "2026-01", to: "2026-12" })` — a year of months, the district
 * scope, through the public API (input decoding, authorization, the teams, the port's one
 * `SUM … GROUP BY team_id, CASE <month> END` statement, the typed result).
 * baseline: ONE hand-written query on the raw driver (better-sqlite3 / pg) computing the same figures with the
 * engine's own date functions (`strftime` / `to_char(… AT TIME ZONE 'Asia/Shanghai')`), GROUP BY team and
 * month. Setup checks that both give the same minutes and record counts for every team and month (and throws
 * if not).
 *
 * PostgreSQL runs when a server answers (GONGZHI_BENCH_PG_URL, default the local test server).
 */
import { createHash } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Actor from "@gongzhi/core/Actor"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Region from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import * as PgStore from "@gongzhi/store-postgres/PgStore"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import { ActorRef } from "@gongzhi/volunteers/ActorRef"
import { Team, TeamId } from "@gongzhi/volunteers/Corps"
import * as CorpsRepo from "@gongzhi/volunteers/CorpsRepo"
import { ServiceRecord } from "@gongzhi/volunteers/ServiceRecord"
import * as Statistics from "@gongzhi/volunteers/Statistics"
import {
  Affiliation,
  Consent,
  HoursAccount,
  IdentityCheck,
  RegistrationRecord,
  SealedField,
  Volunteer
} from "@gongzhi/volunteers/Volunteer"
import * as VolunteerMigrations from "@gongzhi/volunteers/VolunteerMigrations"
import * as VolunteerRepo from "@gongzhi/volunteers/VolunteerRepo"
import * as Volunteers from "@gongzhi/volunteers/Volunteers"
import Database from "better-sqlite3"
import { Effect, Layer, Logger, LogLevel, ManagedRuntime, Redacted, Schema } from "effect"
import pg from "pg"
import type { BenchEntry } from "./harness.js"

const VOLUNTEERS = 10_000
const RECORDS = 1_000_000
const FROM = "2026-01"
const TO = "2026-12"
const TENANT = TenantId.make("440310")
const CHINA_OFFSET_MS = 8 * 3_600_000

const regions = Effect.runSync(
  Region.fromJson(
    JSON.parse(readFileSync(new URL("../examples/pingshan/data/pingshan-divisions.json", import.meta.url), "utf8")),
    { asOf: "2023" }
  )
)
const streets = Region.streets(regions)
const communitiesOf = new Map(streets.map((s) => [s.code, Region.communities(regions, s.code)]))

const hq = Schema.decodeUnknownSync(Actor.Actor)({
  _tag: "Staff",
  staffId: "HQ001",
  name: "王专职",
  roles: ["volunteers-hq-staff"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})

const teams: ReadonlyArray<Team> = [
  new Team({
    id: TeamId.make("T440310"),
    tenantId: TENANT,
    kind: "headquarters",
    name: "坪山区民情志愿服务总队队部",
    regionCode: regions.root.code,
    status: "active",
    createdAt: new Date(Date.UTC(2017, 2, 1))
  }),
  ...streets.map(
    (s) =>
      new Team({
        id: TeamId.make(`T${s.code}`),
        tenantId: TENANT,
        kind: "street",
        name: `${Region.displayName(s)}分队`,
        regionCode: s.code,
        parentId: TeamId.make("T440310"),
        status: "active",
        createdAt: new Date(Date.UTC(2017, 2, 1))
      })
  )
]

const volunteerNumber = (i: number) => `440310-V-${String(i + 1).padStart(6, "0")}`

/** A sealed field shaped like the cipher's output (the statistics never decrypt it). */
const sealed = (seed: string, masked: string) =>
  new SealedField({
    ciphertext: `gz1.bench.${Buffer.from(seed.padEnd(12, "0")).toString("base64url").slice(0, 16)}.${Buffer.from(
      seed
    ).toString("base64url")}.${"A".repeat(22)}`,
    blindIndex: createHash("sha256").update(seed).digest("hex"),
    masked
  })

const registeredAt = new Date(Date.UTC(2017, 2, 1))
const clerk = new ActorRef({ kind: "Staff", id: "S0001" })

/** Volunteer i lives in a community of street i % 6 and belongs to its sub-team. */
const volunteerOf = (i: number): Volunteer => {
  const street = streets[i % streets.length]
  const communities = communitiesOf.get(street.code)!
  const home = communities[Math.floor(i / streets.length) % communities.length]
  return new Volunteer({
    id: volunteerNumber(i) as Volunteer["id"],
    tenantId: TENANT,
    name: `志愿者${i}`,
    idType: "resident-id-card",
    residentId: sealed(`rid-${i}`, "9****************X"),
    mobile: sealed(`mob-${i}`, "138****0000"),
    affiliation: new Affiliation({ kind: "individual" }),
    skills: ["民情走访"],
    homeCommunity: home.code,
    streetCode: street.code,
    teamId: TeamId.make(`T${street.code}`),
    status: i % 10 === 9 ? "suspended" : "active",
    consent: new Consent({ purpose: "民情志愿者登记与服务记录", consentedAt: registeredAt }),
    registration: new RegistrationRecord({
      channel: "team",
      submittedBy: clerk,
      submittedAt: registeredAt,
      identityCheck: new IdentityCheck({ provider: "bench", reference: `bench-${i}`, checkedAt: registeredAt })
    }),
    hours: HoursAccount.empty,
    createdAt: registeredAt,
    updatedAt: registeredAt
  })
}

const START = Date.UTC(2025, 0, 1) - CHINA_OFFSET_MS // 2025-01-01 00:00 China time
const SPAN = Date.UTC(2027, 0, 1) - Date.UTC(2025, 0, 1) // two years
const system = { kind: "Staff", id: "S0001" }

/** The indexed columns and the JSON document of record i (the document is ServiceRecord's encoded form). */
const recordRow = (i: number) => {
  const v = (i * 7919) % VOLUNTEERS
  const street = streets[v % streets.length]
  const communities = communitiesOf.get(street.code)!
  const community = communities[Math.floor(v / streets.length) % communities.length].code
  const teamId = i % 10 === 0 ? "T440310" : `T${street.code}`
  const startedAt = START + Math.floor((i * SPAN) / RECORDS) + ((i * 104_729) % 3_600_000)
  const minutes = 30 + ((i * 37) % 240)
  const status = i % 20 === 0 ? "pending" : i % 20 === 1 ? "rejected" : "approved"
  const kind = i % 25 === 0 ? "training" : "service"
  const id = `rec-${String(i).padStart(7, "0")}`
  const started = new Date(startedAt).toISOString()
  const doc = JSON.stringify({
    id,
    tenantId: TENANT,
    volunteerId: volunteerNumber(v),
    teamId,
    streetCode: street.code,
    communityCode: community,
    kind,
    source: "manual",
    content: `民情走访：${Region.displayName(communities[0])}居民反映路灯不亮`,
    startedAt: started,
    endedAt: new Date(startedAt + minutes * 60_000).toISOString(),
    measuredMinutes: minutes,
    adjustments: [],
    status,
    ...(status === "pending" ? {} : { decision: { by: system, at: started } }),
    recordedBy: system,
    recordedAt: started
  })
  return [TENANT, id, doc, volunteerNumber(v), teamId, street.code, community, startedAt, minutes, status, kind]
}

const RECORD_COLUMNS =
  "tenant_id, id, version, doc, volunteer_id, team_id, street_code, community_code, started_at, minutes, status, kind, source"

/** minutes and records per "team|YYYY-MM" */
type Figures = Map<string, readonly [number, number]>

const fromStatistics = (monthly: Statistics.MonthlyHours): Figures => {
  const out: Figures = new Map()
  for (const team of monthly.teams) {
    monthly.months.forEach((month, m) => {
      if (team.records[m] > 0) out.set(`${team.teamId}|${month}`, [team.minutes[m], team.records[m]])
    })
  }
  return out
}

const fromRows = (rows: ReadonlyArray<{ team_id: string; month: string; minutes: unknown; records: unknown }>) =>
  new Map(rows.map((r) => [`${r.team_id}|${r.month}`, [Number(r.minutes), Number(r.records)] as const])) as Figures

const same = (a: Figures, b: Figures) =>
  a.size === b.size && [...a].every(([k, [m, n]]) => b.get(k)?.[0] === m && b.get(k)?.[1] === n)

interface Engine {
  readonly dialect: "sqlite" | "pg"
  readonly store: () => Layer.Layer<any, unknown>
  readonly open: () => Promise<void>
  readonly exec: (statement: string) => Promise<void>
  readonly load: (rows: ReadonlyArray<ReadonlyArray<unknown>>) => Promise<void>
  readonly analyze: () => Promise<void>
  readonly baseline: () => Promise<Figures>
  readonly close: () => Promise<void>
  readonly cleanup: () => Promise<void>
}

const range = [Statistics.monthStart(FROM).getTime(), Statistics.monthBoundaries(FROM, TO).at(-1)!.getTime()]

const sqliteEngine = (): Engine => {
  const dir = mkdtempSync(join(tmpdir(), "gz-bench-vol-"))
  const filename = join(dir, "volunteers.db")
  let db: Database.Database
  let query: Database.Statement
  const BATCH = 500
  let insert: Database.Statement
  return {
    dialect: "sqlite",
    exec: async (statement) => {
      db.exec(statement)
    },
    store: () =>
      SqliteStore.layer({ filename, migrations: [CoreMigrations.migrations, VolunteerMigrations.migrations] }),
    open: async () => {
      db = new Database(filename)
      db.pragma("journal_mode = WAL")
      db.pragma("synchronous = NORMAL")
      const tuple = `(?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual')`
      insert = db.prepare(
        `INSERT INTO vol_service_records (${RECORD_COLUMNS}) VALUES ${Array.from({ length: BATCH }, () => tuple).join(", ")}`
      )
      query = db.prepare(
        `SELECT team_id, strftime('%Y-%m', (started_at + ${CHINA_OFFSET_MS}) / 1000, 'unixepoch') AS month,
                SUM(minutes) AS minutes, COUNT(*) AS records
         FROM vol_service_records
         WHERE tenant_id = ? AND status = 'approved' AND kind = 'service' AND started_at >= ? AND started_at < ?
         GROUP BY team_id, month`
      )
    },
    load: async (rows) => {
      db.transaction(() => {
        for (let i = 0; i < rows.length; i += BATCH) insert.run(rows.slice(i, i + BATCH).flat())
      })()
    },
    analyze: async () => {
      db.exec("ANALYZE")
    },
    baseline: async () => fromRows(query.all(TENANT, range[0], range[1]) as Array<any>),
    close: async () => {
      db.close()
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true })
  }
}

const pgEngine = (url: string, schema: string): Engine => {
  let client: pg.Client
  const connect = `${url}${url.includes("?") ? "&" : "?"}options=-c%20search_path%3D${schema}`
  return {
    dialect: "pg",
    exec: async (statement) => {
      await client.query(statement)
    },
    store: () =>
      PgStore.layer({
        url: Redacted.make(url),
        schema,
        maxConnections: 4,
        migrations: [CoreMigrations.migrations, VolunteerMigrations.migrations]
      }),
    open: async () => {
      client = new pg.Client({ connectionString: connect })
      await client.connect()
    },
    load: async (rows) => {
      const columns = rows[0].map((_, c) => rows.map((row) => row[c]))
      await client.query("BEGIN")
      await client.query(
        `INSERT INTO vol_service_records (${RECORD_COLUMNS})
         SELECT t, id, 1, doc::jsonb, v, team, street, community, started, minutes, status, kind, 'manual'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[],
                     $9::int[], $10::text[], $11::text[])
           AS u(t, id, doc, v, team, street, community, started, minutes, status, kind)`,
        columns
      )
      await client.query("COMMIT")
    },
    analyze: async () => {
      await client.query("ANALYZE vol_service_records")
    },
    baseline: async () =>
      fromRows(
        (
          await client.query({
            name: "bench-vol-monthly",
            text: `SELECT team_id,
                          to_char(to_timestamp(started_at / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
                          SUM(minutes) AS minutes, COUNT(*) AS records
                   FROM vol_service_records
                   WHERE tenant_id = $1 AND status = 'approved' AND kind = 'service' AND started_at >= $2 AND started_at < $3
                   GROUP BY 1, 2`,
            values: [TENANT, range[0], range[1]]
          })
        ).rows
      ),
    close: async () => client.end(),
    cleanup: async () => {
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin.end()
    }
  }
}

const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`

const entryFor = (engineName: "sqlite" | "postgres", make: () => Promise<Engine>): BenchEntry => {
  let engine: Engine
  let runtime: ManagedRuntime.ManagedRuntime<any, unknown>
  const monthly = Effect.flatMap(Statistics.Statistics, (statistics) =>
    statistics.monthlyHours(hq, { tenantId: TENANT, from: FROM, to: TO })
  )
  return {
    id: `volunteers.stats.monthly.${engineName}`,
    unit: "year of monthly hours per team (12 months × 7 teams) over 1M records",
    target: 0.5,
    runs: 7,
    setup: async () => {
      const started = Date.now()
      engine = await make()
      runtime = ManagedRuntime.make(
        Statistics.layer({ regions }).pipe(
          Layer.provideMerge(Volunteers.layerStoreSql),
          Layer.provideMerge(engine.store()),
          Layer.provide(Logger.minimumLogLevel(LogLevel.Warning))
        ) as Layer.Layer<any, unknown>
      )
      // teams and 10k volunteers through the repository ports, in one transaction
      await runtime.runPromise(
        Transactor.withTransaction(
          Effect.gen(function* () {
            const corps = yield* CorpsRepo.CorpsRepo
            const volunteers = yield* VolunteerRepo.VolunteerRepo
            for (const team of teams) yield* corps.insertTeam(team)
            for (let i = 0; i < VOLUNTEERS; i++) yield* volunteers.insert(volunteerOf(i))
          })
        ) as Effect.Effect<void, unknown, any>
      )
      const loadedVolunteers = Date.now()
      // 1M records through the raw driver, 50k per transaction; the secondary indexes of the table are
      // dropped first and built again after (the same statements as the migration's), as for any bulk load
      await engine.open()
      const indexes = VolunteerMigrations.ddl(engine.dialect).filter((statement) =>
        /^CREATE (UNIQUE )?INDEX (IF NOT EXISTS )?vol_service_records_/.test(statement)
      )
      for (const statement of indexes)
        await engine.exec(`DROP INDEX ${/INDEX (?:IF NOT EXISTS )?(\S+) ON/.exec(statement)![1]}`)
      const CHUNK = 50_000
      for (let start = 0; start < RECORDS; start += CHUNK) {
        await engine.load(Array.from({ length: CHUNK }, (_, i) => recordRow(start + i)))
      }
      const loadedRecords = Date.now()
      for (const statement of indexes) await engine.exec(statement)
      await engine.analyze()
      // the documents are ServiceRecords
      for (const i of [0, 1, 2, 12_345, RECORDS - 1]) {
        Schema.decodeUnknownSync(ServiceRecord)(JSON.parse(String(recordRow(i)[2])))
      }
      // both sides give the same figures
      const ours = fromStatistics(
        await runtime.runPromise(monthly as Effect.Effect<Statistics.MonthlyHours, unknown, any>)
      )
      const theirs = await engine.baseline()
      if (ours.size !== 7 * 12 || !same(ours, theirs)) {
        throw new Error(`volunteers.stats.monthly.${engineName}: the statistics and the baseline disagree`)
      }
      console.log(
        `volunteers.stats.monthly.${engineName}: setup ${seconds(started, Date.now())} (${VOLUNTEERS} volunteers ${seconds(started, loadedVolunteers)}, ${RECORDS} records ${seconds(loadedVolunteers, loadedRecords)}, indexes ${seconds(loadedRecords, Date.now())}); figures agree`
      )
    },
    ours: () => runtime.runPromise(monthly as Effect.Effect<Statistics.MonthlyHours, unknown, any>),
    baseline: () => engine.baseline(),
    teardown: async () => {
      await engine.close()
      await runtime.dispose()
      await engine.cleanup()
    }
  }
}

const pgUrl = process.env.GONGZHI_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const reachable = async (url: string): Promise<boolean> => {
  try {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 })
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

const pgAvailable = await reachable(pgUrl)
if (!pgAvailable) console.log("volunteers.stats.monthly.postgres: skipped, no PostgreSQL at GONGZHI_BENCH_PG_URL")

export const entries: Array<BenchEntry> = [
  entryFor("sqlite", async () => sqliteEngine()),
  ...(pgAvailable
    ? [
        entryFor("postgres", async () => {
          const schema = `gz_bench_vol_${Math.random().toString(36).slice(2, 8)}`
          const admin = new pg.Client({ connectionString: pgUrl })
          await admin.connect()
          await admin.query(`CREATE SCHEMA ${schema}`)
          await admin.end()
          return pgEngine(pgUrl, schema)
        })
      ]
    : [])
]
