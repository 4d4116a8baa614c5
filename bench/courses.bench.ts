/**
 * 坪工学堂 enrolment burst (@gongzhi/courses): `courses.enrol.burst.<engine>`, engine ∈ sqlite, postgres.
 * `GONGZHI_BENCH_COURSES_SCALE` (default 1) scales the registrations down for a quick check.
 *
 * Setup (not measured): a fresh database (PostgreSQL: a fresh schema) with the courses tables, one venue and
 * 10,000 workers inserted through the repository port. Each run offers a NEW course of 100 seats, then
 * 10,000 registrations for it arrive at once.
 * ours: `courses.enrol` through the public API for every worker, 64 at a time (input decoding,
 * tenant and permission checks, the worker and course reads, the per-worker limit, the core `Capacity`
 * decision, the enrolment row, the course's counters under optimistic concurrency with retries, the
 * waitlist position, the outbox event and the audit entry — each registration one transaction).
 * baseline: a hand-written transaction per registration on the raw driver — better-sqlite3 `BEGIN
 * IMMEDIATE` (one connection: the registrations run one after another), pg with a pool of the same size
 * as ours, `SELECT … FOR UPDATE` on the course row — that reads the course and the worker's enrolment,
 * inserts the enrolment (confirmed or waitlisted) and updates the course's counters. Both sides are
 * checked after every run: exactly 100 confirmed and the rest waitlisted, never more (the bench throws
 * otherwise). Target ≥ 0.5.
 *
 * PostgreSQL runs when a server answers (GONGZHI_BENCH_PG_URL, default the local test server).
 */
import { createHash } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Actor from "@gongzhi/core/Actor"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import { TenantId } from "@gongzhi/core/Tenant"
import * as CourseMigrations from "@gongzhi/courses/CourseMigrations"
import * as CourseRepo from "@gongzhi/courses/CourseRepo"
import * as Courses from "@gongzhi/courses/Courses"
import * as Otp from "@gongzhi/courses/Otp"
import { SealedMobile, Worker } from "@gongzhi/courses/Worker"
import * as PgStore from "@gongzhi/store-postgres/PgStore"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import Database from "better-sqlite3"
import { Clock, Effect, Layer, Logger, LogLevel, ManagedRuntime, Redacted, Schema } from "effect"
import pg from "pg"
import type { BenchEntry } from "./harness.js"

const SCALE = Number(process.env.GONGZHI_BENCH_COURSES_SCALE ?? "1")
const REGISTRATIONS = Math.max(200, Math.round(10_000 * SCALE))
const SEATS = 100
const POOL = 8
const TENANT = TenantId.make("440310")
const COMMUNITY = "440310001001"
const START = Date.parse("2030-03-07T11:30:00Z")

const decode = Schema.decodeUnknownSync(Actor.Actor)
const admin = decode({
  _tag: "Staff",
  staffId: "ZGH001",
  name: "区总工会",
  roles: ["courses-union-admin"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})
const workerIds = Array.from({ length: REGISTRATIONS }, (_, k) => `440310-W-${String(k + 1).padStart(6, "0")}`)
const actors = workerIds.map((id) =>
  decode({ _tag: "Resident", userId: id, roles: ["courses-worker"], scope: { tenantId: TENANT, regionCode: TENANT } })
)

const workerOf = (id: string, k: number) =>
  new Worker({
    id,
    tenantId: TENANT,
    name: "职工",
    mobile: new SealedMobile({
      ciphertext:
        `gz1.bench.${"A".repeat(16)}.${Buffer.from(id).toString("base64url")}.${"B".repeat(22)}` as SealedMobile["ciphertext"],
      blindIndex: createHash("sha256").update(`m${k}`).digest("hex"),
      masked: "135****0000"
    }),
    communityCode: COMMUNITY as Worker["communityCode"],
    consent: { purpose: "坪工学堂", at: new Date(START - 86_400_000 * 30) },
    registeredBy: "sms",
    status: "active",
    noShows: 0,
    priority: 0,
    createdAt: new Date(START - 86_400_000 * 30)
  })

interface Engine {
  readonly store: () => Layer.Layer<any, unknown>
  readonly open: () => Promise<void>
  /** One registration in one hand-written transaction; returns the state. */
  readonly burst: (courseId: string) => Promise<ReadonlyArray<string>>
  readonly newCourse: (courseId: string) => Promise<void>
  readonly close: () => Promise<void>
}

const migrations = [CoreMigrations.migrations, CourseMigrations.migrations]
const BASE_DDL = [
  "CREATE TABLE IF NOT EXISTS base_courses (id TEXT PRIMARY KEY, capacity INTEGER NOT NULL, taken INTEGER NOT NULL, waiting INTEGER NOT NULL, next_seq INTEGER NOT NULL)",
  "CREATE TABLE IF NOT EXISTS base_enrolments (course_id TEXT NOT NULL, worker_id TEXT NOT NULL, state TEXT NOT NULL, seq INTEGER NOT NULL, enrolled_at BIGINT NOT NULL, PRIMARY KEY (course_id, worker_id))"
]

const sqliteEngine = (): Engine => {
  const dir = mkdtempSync(join(tmpdir(), "gongzhi-bench-courses-"))
  let db: Database.Database
  return {
    store: () => SqliteStore.layer({ filename: join(dir, "ours.db"), migrations }),
    open: async () => {
      db = new Database(join(dir, "baseline.db"))
      db.pragma("journal_mode = WAL")
      db.pragma("synchronous = NORMAL")
      for (const s of BASE_DDL) db.exec(s)
    },
    newCourse: async (courseId) => {
      db.prepare("INSERT INTO base_courses VALUES (?, ?, 0, 0, 0)").run(courseId, SEATS)
    },
    burst: async (courseId) => {
      const course = db.prepare("SELECT capacity, taken, waiting, next_seq FROM base_courses WHERE id = ?")
      const existing = db.prepare("SELECT state FROM base_enrolments WHERE course_id = ? AND worker_id = ?")
      const insert = db.prepare("INSERT INTO base_enrolments VALUES (?, ?, ?, ?, ?)")
      const update = db.prepare("UPDATE base_courses SET taken = ?, waiting = ?, next_seq = ? WHERE id = ?")
      const register = db.transaction((workerId: string) => {
        const c = course.get(courseId) as { capacity: number; taken: number; waiting: number; next_seq: number }
        if (existing.get(courseId, workerId) !== undefined) return "duplicate"
        const state = c.taken < c.capacity ? "confirmed" : "waitlisted"
        insert.run(courseId, workerId, state, c.next_seq, Date.now())
        update.run(
          c.taken + (state === "confirmed" ? 1 : 0),
          c.waiting + (state === "waitlisted" ? 1 : 0),
          c.next_seq + 1,
          courseId
        )
        return state
      })
      // "concurrently": every registration is queued at once; one connection serves them in turn
      return Promise.all(workerIds.map((id) => Promise.resolve().then(() => register.immediate(id))))
    },
    close: async () => {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

const pgUrl = process.env.GONGZHI_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const pgEngine = (schema: string): Engine => {
  let pool: pg.Pool
  const connect = `${pgUrl}${pgUrl.includes("?") ? "&" : "?"}options=-c%20search_path%3D${schema}`
  return {
    store: () => PgStore.layer({ url: Redacted.make(pgUrl), schema, maxConnections: POOL, migrations }),
    open: async () => {
      const c = new pg.Client({ connectionString: pgUrl })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await c.query(`CREATE SCHEMA ${schema}`)
      await c.end()
      pool = new pg.Pool({ connectionString: connect, max: POOL })
      for (const s of BASE_DDL) await pool.query(s)
    },
    newCourse: async (courseId) => {
      await pool.query("INSERT INTO base_courses VALUES ($1, $2, 0, 0, 0)", [courseId, SEATS])
    },
    burst: (courseId) =>
      Promise.all(
        workerIds.map(async (workerId) => {
          const client = await pool.connect()
          try {
            await client.query("BEGIN")
            const c = (
              await client.query(
                "SELECT capacity, taken, waiting, next_seq FROM base_courses WHERE id = $1 FOR UPDATE",
                [courseId]
              )
            ).rows[0]
            const existing = await client.query(
              "SELECT state FROM base_enrolments WHERE course_id = $1 AND worker_id = $2",
              [courseId, workerId]
            )
            if (existing.rows.length > 0) {
              await client.query("ROLLBACK")
              return "duplicate"
            }
            const state = c.taken < c.capacity ? "confirmed" : "waitlisted"
            await client.query("INSERT INTO base_enrolments VALUES ($1, $2, $3, $4, $5)", [
              courseId,
              workerId,
              state,
              c.next_seq,
              Date.now()
            ])
            await client.query("UPDATE base_courses SET taken = $1, waiting = $2, next_seq = $3 WHERE id = $4", [
              c.taken + (state === "confirmed" ? 1 : 0),
              c.waiting + (state === "waitlisted" ? 1 : 0),
              c.next_seq + 1,
              courseId
            ])
            await client.query("COMMIT")
            return state
          } catch (error) {
            await client.query("ROLLBACK")
            throw error
          } finally {
            client.release()
          }
        })
      ),
    close: async () => {
      await pool.end()
      const c = new pg.Client({ connectionString: pgUrl })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await c.end()
    }
  }
}

const reachable = async (): Promise<boolean> => {
  try {
    const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2_000 })
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

/** A clock fixed a week before the courses start (every registration is in time). */
const NOW = START - 7 * 86_400_000
const real = Clock.make()
const clock: Clock.Clock = {
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => NOW,
  unsafeCurrentTimeNanos: () => BigInt(NOW) * 1_000_000n,
  currentTimeMillis: Effect.succeed(NOW),
  currentTimeNanos: Effect.succeed(BigInt(NOW) * 1_000_000n),
  sleep: (duration) => real.sleep(duration)
}

const check = (side: string, states: ReadonlyArray<string>) => {
  const confirmed = states.filter((s) => s === "confirmed").length
  const waitlisted = states.filter((s) => s === "waitlisted").length
  if (confirmed !== SEATS || waitlisted !== REGISTRATIONS - SEATS) {
    throw new Error(
      `${side}: ${confirmed} confirmed and ${waitlisted} waitlisted for ${SEATS} seats — overbooked or lost`
    )
  }
}

const entry = (name: string, make: () => Engine, available: () => Promise<boolean>): BenchEntry => {
  let engine: Engine
  let runtime: ManagedRuntime.ManagedRuntime<Courses.Courses | CourseRepo.CourseRepo, unknown>
  let venueId = ""
  let run = 0
  return {
    id: `courses.enrol.burst.${name}`,
    unit: `${REGISTRATIONS} concurrent registrations for ${SEATS} seats`,
    target: 0.5,
    runs: 3,
    setup: async () => {
      if (!(await available())) throw new Error(`${name} not reachable`)
      engine = make()
      await engine.open()
      runtime = ManagedRuntime.make(
        Courses.layerSql({ conflictRetries: 1_000_000, maxConcurrentCourses: 1000 }).pipe(
          Layer.provideMerge(engine.store()),
          Layer.provide(Layer.mergeAll(FieldCipher.layerTest(), Otp.makeCapture().layer)),
          Layer.provide(Logger.minimumLogLevel(LogLevel.Warning))
        ) as Layer.Layer<Courses.Courses | CourseRepo.CourseRepo, unknown>
      )
      await runtime.runPromise(
        Effect.gen(function* () {
          const repo = yield* CourseRepo.CourseRepo
          for (let k = 0; k < workerIds.length; k += 1000) {
            yield* repo.workers.insertMany(
              TENANT,
              workerIds.slice(k, k + 1000).map((id, j) => workerOf(id, k + j))
            )
          }
          const courses = yield* Courses.Courses
          const venue = yield* courses.addVenue(admin, {
            tenantId: TENANT,
            name: "坪山党群服务中心",
            address: "坪山街道",
            communityCode: COMMUNITY,
            capacity: SEATS,
            accessible: true
          })
          venueId = venue.id
        }).pipe(Effect.withClock(clock)) as Effect.Effect<void, unknown, any>
      )
    },
    ours: async () => {
      const states = await runtime.runPromise(
        Effect.gen(function* () {
          const courses = yield* Courses.Courses
          const course = yield* courses.offerCourse(admin, {
            tenantId: TENANT,
            title: `电工基础 第${++run}期`,
            category: "skills",
            provider: { kind: "union", name: "坪山区总工会" },
            teacherId: "JS001",
            teacherName: "王老师",
            venueId,
            sessions: [{ startsAt: new Date(START).toISOString(), endsAt: new Date(START + 7_200_000).toISOString() }]
          })
          const results = yield* Effect.forEach(
            actors,
            (actor) => courses.enrol(actor, { tenantId: TENANT, courseId: course.id }),
            { concurrency: 64 }
          )
          return results.map((r) => r.state)
        }).pipe(Effect.withClock(clock)) as Effect.Effect<ReadonlyArray<string>, unknown, any>
      )
      check("ours", states)
    },
    baseline: async () => {
      const courseId = `B${++run}`
      await engine.newCourse(courseId)
      check("baseline", await engine.burst(courseId))
    },
    teardown: async () => {
      await runtime?.dispose()
      await engine?.close()
    }
  }
}

export const entries: Array<BenchEntry> = [
  entry("sqlite", sqliteEngine, async () => true),
  entry("postgres", () => pgEngine(`gz_bench_courses_${process.pid}`), reachable)
]
