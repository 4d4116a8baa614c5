/**
 * Storage benchmarks: Gongzhi's Repository (SQL implementation over @effect/sql) against the same
 * statements on the raw driver (better-sqlite3, pg, mysql2), in the same run.
 *
 * Entries `store.<engine>.<op>`, engine ∈ sqlite, postgres, mysql; op ∈
 * - insert-batch: 100k rows in transactions of 1,000
 * - get: 100k point reads by id
 * - page: 2,000 indexed pages of 50 by tenant + status + time (newest first, following the cursor)
 * - count-group: 200 counts grouped by an indexed column over the 100k rows
 *
 * PostgreSQL and MySQL entries run only when their servers answer (GONGZHI_BENCH_PG_URL,
 * GONGZHI_BENCH_MYSQL_URL; defaults: the local test servers); each run uses its own schema/database.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SqlClient } from "@effect/sql"
import { MysqlClient } from "@effect/sql-mysql2"
import { PgClient } from "@effect/sql-pg"
import { SqliteClient } from "@effect/sql-sqlite-node"
import Database from "better-sqlite3"
import { Effect, Layer, ManagedRuntime, Redacted, Schema } from "effect"
import mysql from "mysql2/promise"
import pg from "pg"
import * as Repository from "../packages/core/src/Repository.js"
import { TenantId } from "../packages/core/src/Tenant.js"
import * as Transactor from "../packages/core/src/Transactor.js"
import type { BenchEntry } from "./harness.js"

const SqlClientTag = SqlClient.SqlClient
const ROWS = 100_000
const BATCH = 1_000
const PAGES = 2_000
const GROUPS = 200

class Visit extends Schema.Class<Visit>("bench/Visit")({
  id: Schema.String,
  volunteerId: Schema.String,
  community: Schema.String,
  status: Schema.Literal("planned", "done", "cancelled"),
  startedAt: Schema.Date,
  hours: Schema.Number,
  note: Schema.String
}) {}

const definition = Repository.define({
  entity: "Visit",
  table: "bench_visits",
  schema: Visit,
  id: (visit) => visit.id,
  columns: {
    status: { type: "text", get: (v) => v.status, length: 16 },
    community: { type: "text", get: (v) => v.community, length: 16 },
    started_at: { type: "timestamp", get: (v) => v.startedAt }
  },
  indexes: [["status", "started_at"], ["community"]]
})

const statuses = ["planned", "done", "cancelled"] as const
const makeVisit = (i: number, prefix: string) =>
  new Visit({
    id: `${prefix}-${String(i).padStart(7, "0")}`,
    volunteerId: `V440310${String(i % 150).padStart(4, "0")}`,
    community: `440310${String(1 + (i % 6)).padStart(3, "0")}${String(1 + (i % 4)).padStart(3, "0")}`,
    status: statuses[i % 3],
    startedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
    hours: (i % 8) / 2,
    note: `民情走访第${i}次：沙坣社区居民反映路灯不亮`
  })

/** The row the raw baseline writes: the same columns and the same JSON document. */
const rawRow = (tenant: string, v: Visit) => [
  tenant,
  v.id,
  JSON.stringify({
    id: v.id,
    volunteerId: v.volunteerId,
    community: v.community,
    status: v.status,
    startedAt: v.startedAt.toISOString(),
    hours: v.hours,
    note: v.note
  }),
  v.community,
  v.startedAt.getTime(),
  v.status
]

interface Engine {
  readonly name: "sqlite" | "postgres" | "mysql"
  readonly layer: Layer.Layer<SqlClient.SqlClient, unknown>
  /** raw driver operations */
  readonly raw: {
    readonly open: () => Promise<void>
    readonly close: () => Promise<void>
    readonly insertBatch: (rows: ReadonlyArray<ReadonlyArray<unknown>>) => Promise<void>
    readonly get: (tenant: string, id: string) => Promise<unknown>
    readonly page: (tenant: string, status: string, before: [number, string] | undefined) => Promise<Array<any>>
    readonly countGroup: (tenant: string) => Promise<Array<any>>
  }
  readonly cleanup: () => Promise<void>
}

const placeholders = (dialect: "pg" | "other", rows: number, width: number) => {
  const tuples: Array<string> = []
  let n = 0
  for (let r = 0; r < rows; r++) {
    const parts: Array<string> = []
    for (let c = 0; c < width; c++) {
      n++
      const p = dialect === "pg" ? `$${n}` : "?"
      // the document is column 3; version is the literal 1
      parts.push(c === 2 && dialect === "pg" ? `${p}::jsonb` : p)
      if (c === 1) parts.push("1")
    }
    tuples.push(`(${parts.join(", ")})`)
  }
  return tuples.join(", ")
}
const INSERT_HEAD = "INSERT INTO bench_visits (tenant_id, id, version, doc, community, started_at, status) VALUES "

const sqliteEngine = (): Engine => {
  const dir = mkdtempSync(join(tmpdir(), "gz-bench-"))
  const filename = join(dir, "bench.db")
  let db: Database.Database
  let insert: Database.Statement
  let get: Database.Statement
  let pageFirst: Database.Statement
  let pageNext: Database.Statement
  let group: Database.Statement
  return {
    name: "sqlite",
    layer: SqliteClient.layer({ filename }),
    raw: {
      open: async () => {
        db = new Database(filename)
        db.pragma("journal_mode = WAL")
        db.pragma("synchronous = NORMAL")
        insert = db.prepare(`${INSERT_HEAD}${placeholders("other", BATCH, 6)}`)
        get = db.prepare("SELECT version, doc FROM bench_visits WHERE tenant_id = ? AND id = ?")
        const page = "SELECT version, doc, id, started_at FROM bench_visits WHERE tenant_id = ? AND status = ?"
        pageFirst = db.prepare(`${page} ORDER BY started_at DESC, id DESC LIMIT 51`)
        pageNext = db.prepare(
          `${page} AND (started_at < ? OR (started_at = ? AND id < ?)) ORDER BY started_at DESC, id DESC LIMIT 51`
        )
        group = db.prepare(
          "SELECT community AS k, COUNT(*) AS n FROM bench_visits WHERE tenant_id = ? GROUP BY community ORDER BY community"
        )
      },
      close: async () => {
        db.close()
      },
      insertBatch: async (rows) => {
        db.transaction(() => insert.run(rows.flat()))()
      },
      get: async (tenant, id) => {
        const row = get.get(tenant, id) as { doc: string } | undefined
        return row ? JSON.parse(row.doc) : undefined
      },
      page: async (tenant, status, before) => {
        const rows = (
          before ? pageNext.all(tenant, status, before[0], before[0], before[1]) : pageFirst.all(tenant, status)
        ) as Array<{ doc: string }>
        return rows.map((row) => ({ ...row, doc: JSON.parse(row.doc) }))
      },
      countGroup: async (tenant) => group.all(tenant)
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true })
  }
}

const pgEngine = (url: string, schema: string): Engine => {
  let client: pg.Client
  const connect = `${url}${url.includes("?") ? "&" : "?"}options=-c%20search_path%3D${schema}`
  return {
    name: "postgres",
    layer: PgClient.layer({ url: Redacted.make(connect), maxConnections: 4 }),
    raw: {
      open: async () => {
        client = new pg.Client({ connectionString: connect })
        await client.connect()
      },
      close: async () => client.end(),
      insertBatch: async (rows) => {
        await client.query("BEGIN")
        await client.query(`${INSERT_HEAD}${placeholders("pg", rows.length, 6)}`, rows.flat())
        await client.query("COMMIT")
      },
      get: async (tenant, id) => {
        const result = await client.query({
          name: "bench-get",
          text: "SELECT version, doc FROM bench_visits WHERE tenant_id = $1 AND id = $2",
          values: [tenant, id]
        })
        return result.rows[0]?.doc
      },
      page: async (tenant, status, before) => {
        const base = "SELECT version, doc, id, started_at FROM bench_visits WHERE tenant_id = $1 AND status = $2"
        const result = before
          ? await client.query({
              name: "bench-page-next",
              text: `${base} AND (started_at < $3 OR (started_at = $4 AND id < $5)) ORDER BY started_at DESC, id DESC LIMIT 51`,
              values: [tenant, status, before[0], before[0], before[1]]
            })
          : await client.query({
              name: "bench-page-first",
              text: `${base} ORDER BY started_at DESC, id DESC LIMIT 51`,
              values: [tenant, status]
            })
        return result.rows
      },
      countGroup: async (tenant) =>
        (
          await client.query({
            name: "bench-group",
            text: "SELECT community AS k, COUNT(*) AS n FROM bench_visits WHERE tenant_id = $1 GROUP BY community ORDER BY community",
            values: [tenant]
          })
        ).rows
    },
    cleanup: async () => {
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin.end()
    }
  }
}

const mysqlEngine = (url: string, database: string): Engine => {
  let connection: mysql.Connection
  const target = url.replace(/\/[^/?]*(\?|$)/, `/${database}$1`)
  return {
    name: "mysql",
    layer: MysqlClient.layer({ url: Redacted.make(target), maxConnections: 4 }),
    raw: {
      open: async () => {
        connection = await mysql.createConnection({ uri: target, charset: "utf8mb4" })
      },
      close: async () => connection.end(),
      insertBatch: async (rows) => {
        await connection.beginTransaction()
        await connection.query(`${INSERT_HEAD}${placeholders("other", rows.length, 6)}`, rows.flat())
        await connection.commit()
      },
      get: async (tenant, id) => {
        const [rows] = await connection.execute<any>(
          "SELECT version, doc FROM bench_visits WHERE tenant_id = ? AND id = ?",
          [tenant, id]
        )
        const doc = rows[0]?.doc
        return typeof doc === "string" ? JSON.parse(doc) : doc
      },
      page: async (tenant, status, before) => {
        const base = "SELECT version, doc, id, started_at FROM bench_visits WHERE tenant_id = ? AND status = ?"
        const [rows] = before
          ? await connection.execute<any>(
              `${base} AND (started_at < ? OR (started_at = ? AND id < ?)) ORDER BY started_at DESC, id DESC LIMIT 51`,
              [tenant, status, before[0], before[0], before[1]]
            )
          : await connection.execute<any>(`${base} ORDER BY started_at DESC, id DESC LIMIT 51`, [tenant, status])
        return (rows as Array<any>).map((row) => ({
          ...row,
          doc: typeof row.doc === "string" ? JSON.parse(row.doc) : row.doc
        }))
      },
      countGroup: async (tenant) =>
        (
          await connection.execute<any>(
            "SELECT community AS k, COUNT(*) AS n FROM bench_visits WHERE tenant_id = ? GROUP BY community ORDER BY community",
            [tenant]
          )
        )[0]
    },
    cleanup: async () => {
      const admin = await mysql.createConnection({ uri: url })
      await admin.query(`DROP DATABASE IF EXISTS ${database}`)
      await admin.end()
    }
  }
}

const reachable = async (engine: "pg" | "mysql", url: string): Promise<boolean> => {
  try {
    if (engine === "pg") {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 })
      await client.connect()
      await client.end()
    } else {
      const connection = await mysql.createConnection({ uri: url, connectTimeout: 2_000 })
      await connection.end()
    }
    return true
  } catch {
    return false
  }
}

const entriesFor = (engineName: Engine["name"], make: () => Promise<Engine>): Array<BenchEntry> => {
  let engine: Engine
  let runtime: ManagedRuntime.ManagedRuntime<SqlClient.SqlClient | Transactor.Transactor, unknown>
  let repo: Repository.Repository<Visit>
  const readTenant = TenantId.make("440310")
  let insertRun = 0
  // each entry gets a fresh database with the 100k-row read workload, dropped after it
  const open = async () => {
    engine = await make()
    runtime = ManagedRuntime.make(Layer.provideMerge(Transactor.layerSql, engine.layer))
    repo = await runtime.runPromise(
      Effect.gen(function* () {
        if (engineName === "sqlite") {
          // the same settings as the raw connection (and as @gongzhi/store-sqlite)
          const sql = yield* SqlClientTag
          yield* sql.unsafe("PRAGMA journal_mode = WAL")
          yield* sql.unsafe("PRAGMA synchronous = NORMAL")
        }
        yield* Repository.migration(definition)
        return yield* Repository.makeSql(definition)
      })
    )
    await engine.raw.open()
    // the read workload: 100k rows under one tenant, loaded through the raw driver
    for (let start = 0; start < ROWS; start += BATCH) {
      await engine.raw.insertBatch(
        Array.from({ length: BATCH }, (_, i) => rawRow(readTenant, makeVisit(start + i, "r")))
      )
    }
  }
  const close = async () => {
    await engine.raw.close()
    await runtime.dispose()
    await engine.cleanup()
  }
  const ids = Array.from({ length: ROWS }, (_, i) => makeVisit((i * 7919) % ROWS, "r").id)
  const run = <A>(effect: Effect.Effect<A, unknown, SqlClient.SqlClient | Transactor.Transactor>) =>
    runtime.runPromise(effect)
  const name = (op: string) => `store.${engineName}.${op}`

  const insertEntry: BenchEntry = {
    id: name("insert-batch"),
    unit: "100k rows in transactions of 1,000",
    target: 0.7,
    runs: 3,
    ours: () => {
      const tenant = TenantId.make(String(500000 + insertRun++))
      return run(
        Effect.forEach(
          Array.from({ length: ROWS / BATCH }, (_, b) => b),
          (b) =>
            Transactor.withTransaction(
              repo.insertMany(
                tenant,
                Array.from({ length: BATCH }, (_, i) => makeVisit(b * BATCH + i, "w"))
              )
            ),
          { discard: true }
        )
      )
    },
    baseline: async () => {
      const tenant = String(500000 + insertRun++)
      for (let b = 0; b < ROWS / BATCH; b++) {
        await engine.raw.insertBatch(
          Array.from({ length: BATCH }, (_, i) => rawRow(tenant, makeVisit(b * BATCH + i, "w")))
        )
      }
    }
  }
  const getEntry: BenchEntry = {
    id: name("get"),
    unit: "100k point reads",
    target: 0.7,
    runs: 3,
    ours: () => run(Effect.forEach(ids, (id) => repo.get(readTenant, id), { discard: true })),
    baseline: async () => {
      for (const id of ids) await engine.raw.get(readTenant, id)
    }
  }
  const pageEntry: BenchEntry = {
    id: name("page"),
    unit: `${PAGES} pages of 50`,
    target: 0.7,
    runs: 3,
    ours: () =>
      run(
        Effect.gen(function* () {
          let cursor: string | undefined
          for (let p = 0; p < PAGES; p++) {
            if (p % 20 === 0) cursor = undefined
            const page = yield* repo.page(readTenant, {
              where: { status: statuses[p % 3] },
              orderBy: "started_at",
              direction: "desc",
              limit: 50,
              cursor
            })
            cursor = page.nextCursor
          }
        })
      ),
    baseline: async () => {
      let before: [number, string] | undefined
      for (let p = 0; p < PAGES; p++) {
        if (p % 20 === 0) before = undefined
        const rows = await engine.raw.page(readTenant, statuses[p % 3], before)
        const last = rows[Math.min(rows.length, 50) - 1]
        before = rows.length > 50 ? [Number(last.started_at), last.id] : undefined
      }
    }
  }
  const groupEntry: BenchEntry = {
    id: name("count-group"),
    unit: `${GROUPS} grouped counts over 100k rows`,
    target: 0.7,
    runs: 3,
    ours: () =>
      run(
        Effect.forEach(
          Array.from({ length: GROUPS }, (_, i) => i),
          () => repo.countBy(readTenant, "community"),
          { discard: true }
        )
      ),
    baseline: async () => {
      for (let i = 0; i < GROUPS; i++) await engine.raw.countGroup(readTenant)
    }
  }
  return [insertEntry, getEntry, pageEntry, groupEntry].map((entry) => ({ ...entry, setup: open, teardown: close }))
}

const skipped = (line: string): Array<BenchEntry> => {
  console.log(line)
  return []
}

const suffix = Math.random().toString(36).slice(2, 8)
const pgUrl = process.env.GONGZHI_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const mysqlUrl = process.env.GONGZHI_BENCH_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test"

export const entries: Array<BenchEntry> = [
  ...entriesFor("sqlite", async () => sqliteEngine()),
  ...((await reachable("pg", pgUrl))
    ? entriesFor("postgres", async () => {
        const schema = `gz_bench_${suffix}`
        const admin = new pg.Client({ connectionString: pgUrl })
        await admin.connect()
        await admin.query(`CREATE SCHEMA ${schema}`)
        await admin.end()
        return pgEngine(pgUrl, schema)
      })
    : skipped("store.postgres.*: skipped, no PostgreSQL at GONGZHI_BENCH_PG_URL")),
  ...((await reachable("mysql", mysqlUrl))
    ? entriesFor("mysql", async () => {
        const database = `gz_bench_${suffix}`
        const admin = await mysql.createConnection({ uri: mysqlUrl })
        await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
        await admin.end()
        return mysqlEngine(mysqlUrl, database)
      })
    : skipped("store.mysql.*: skipped, no MySQL at GONGZHI_BENCH_MYSQL_URL"))
]
