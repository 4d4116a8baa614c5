/**
 * Shared set-up of the public credit benchmarks (`credit.bench.ts`, `credit.share.bench.ts`): the
 * generated district (USCCs, subjects and records as the repository stores them, loaded through the raw
 * driver), the SQLite and PostgreSQL engines and the service runtime over them. Not a bench file itself.
 */
import { createHash } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Actor from "@gongzhi/core/Actor"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as LocalDate from "@gongzhi/core/LocalDate"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import { TenantId } from "@gongzhi/core/Tenant"
import * as CreditMigrations from "@gongzhi/credit/CreditMigrations"
import type * as CreditRecord from "@gongzhi/credit/CreditRecord"
import * as Credits from "@gongzhi/credit/Credits"
import * as SourceUnit from "@gongzhi/credit/SourceUnit"
import type * as Subject from "@gongzhi/credit/Subject"
import * as PgStore from "@gongzhi/store-postgres/PgStore"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import Database from "better-sqlite3"
import { Effect, Layer, Logger, LogLevel, ManagedRuntime, Redacted, Schema } from "effect"
import pg from "pg"

export const SCALE = Number(process.env.GONGZHI_BENCH_CREDIT_SCALE ?? "1")
export const n = (count: number) => Math.max(10, Math.round(count * SCALE))
export const INGEST_ROWS = n(100_000)
export const INGEST_SUBJECTS = n(20_000)
export const FULL_SUBJECTS = n(100_000)
export const SMALL_SUBJECTS = n(10_000)
export const PER_SUBJECT = 10
export const TENANT = TenantId.make("440310")
export const RUNS = 3

export const admin = Schema.decodeUnknownSync(Actor.Actor)({
  _tag: "Staff",
  staffId: "A001",
  name: "王管理",
  roles: ["credit-admin"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})
export const unit = new SourceUnit.SourceUnit({
  id: "SCJG",
  tenantId: TENANT,
  name: "坪山区市场监督管理局",
  kind: "bureau",
  recordTypes: ["ADMIN_PENALTY", "ADMIN_REWARD"],
  accounts: [],
  active: true
})
export const options: Credits.CreditsOptions = { sourceUnits: [unit] }

// ---- data ----------------------------------------------------------------------------------------

export let seed = 20_261_201
export const random = () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}
export const codes: Array<string> = []
export const seen = new Set<string>()
export const codeOf = (i: number): string => {
  while (codes.length <= i) {
    const first17 = `91${SocialCreditCode.generate(random).slice(2, 17)}`
    const check = SocialCreditCode.computeCheckCharacter(first17)
    if (check._tag === "Some" && !seen.has(first17 + check.value)) {
      seen.add(first17 + check.value)
      codes.push(first17 + check.value)
    }
  }
  return codes[i] as string
}

export const CHINA_OFFSET_MS = 8 * 3_600_000
export const today = (): LocalDate.LocalDate =>
  LocalDate.unsafeFromEpochDay(Math.floor((Date.now() + CHINA_OFFSET_MS) / 86_400_000))
/** Finding dates on days 1–28 (no month-end clamping) between 2022-01 and 2026-11. */
export const findingDate = (i: number): string => {
  const month = (i * 7) % 59
  const year = 2022 + Math.floor(month / 12)
  return `${year}-${String((month % 12) + 1).padStart(2, "0")}-${String(1 + ((i * 13) % 28)).padStart(2, "0")}`
}
export const TIERS = ["minor", "general", "serious"] as const
export const TIER_LABELS = { minor: "轻微", general: "一般", serious: "严重" } as const

export const HEADER = ["信息类型代码", "来源记录编号", "主体标识", "主体名称", "决定文书号", "决定日期", "失信程度"]
export const EXTRA = ["处罚类别", "罚款金额（元）", "违法行为类型", "决定机关"]

/** One CSV batch of penalties: run `run`, rows over `subjects` enterprises. */
export const csvBatch = (run: number, rows: number, subjects: number, first = 0): string => {
  const lines = [[...HEADER, ...EXTRA].join(",")]
  for (let i = 0; i < rows; i++) {
    const s = (first + i * 7919) % subjects
    const tier = TIERS[i % 3] as (typeof TIERS)[number]
    lines.push(
      [
        "ADMIN_PENALTY",
        `R${run}-${first + i}`,
        codeOf(s),
        `坪山企业${s}有限公司`,
        `深坪市监罚〔2026〕${run}-${first + i}号`,
        findingDate(first + i),
        TIER_LABELS[tier],
        "罚款",
        String(500 + (i % 50) * 100),
        "未按规定公示年度报告",
        "坪山区市场监督管理局"
      ].join(",")
    )
  }
  return `${lines.join("\n")}\n`
}

export const subjectIds = new Map<number, string>()
export const subjectIdOf = (i: number): string => {
  let id = subjectIds.get(i)
  if (id === undefined) {
    id = `S-${createHash("sha256").update(codeOf(i)).digest("hex").slice(0, 24)}`
    subjectIds.set(i, id)
  }
  return id
}
const at = new Date(Date.UTC(2026, 0, 1))
const AT = at.toISOString()

export const subjectRow = (i: number): Array<unknown> => {
  const code = codeOf(i)
  const id = subjectIdOf(i)
  // the encoded document written out (typed by the schema's encoded side): building and encoding a
  // Schema class per row made generating a million rows take minutes
  const doc: typeof Subject.Subject.Encoded = {
    id,
    tenantId: TENANT,
    kind: "legalPerson",
    creditCode: code,
    identifierKey: code,
    name: `坪山企业${i}有限公司`,
    formerNames: [],
    status: "active",
    createdAt: AT,
    updatedAt: AT
  }
  return [TENANT, id, 1, JSON.stringify(doc), "1", code, "legalPerson", "active"]
}
export const SUBJECT_COLUMNS = "tenant_id, id, version, doc, active_key, identifier_key, kind, status"

/** Record j of subject i: 80 % penalties (minor/general/serious), 20 % rewards; 5 % repaired. */
export const recordRow = (i: number, j: number): Array<unknown> => {
  const k = i * PER_SUBJECT + j
  const reward = k % 5 === 4
  const tier = TIERS[k % 3] as (typeof TIERS)[number]
  const state = k % 20 === 7 ? "repaired" : "active"
  const id = `R-${k}`
  const date = findingDate(k)
  const subjectId = subjectIdOf(i)
  const doc: typeof CreditRecord.CreditRecord.Encoded = {
    id,
    tenantId: TENANT,
    subjectId,
    recordType: reward ? "ADMIN_REWARD" : "ADMIN_PENALTY",
    polarity: reward ? "positive" : "negative",
    ...(reward ? {} : { failingClass: "penalty" as const, tier }),
    sourceRecordId: `L-${k}`,
    findingDate: date,
    displayed: true,
    details: {},
    state,
    provenance: { sourceUnitId: "SCJG", batchId: "B-load", receivedAt: AT, receivedBy: "bench" },
    contentHash: id
  }
  return [
    TENANT,
    id,
    1,
    JSON.stringify(doc),
    date,
    reward ? "ADMIN_REWARD" : "ADMIN_PENALTY",
    `L-${k}`,
    "SCJG",
    state,
    subjectId
  ]
}
export const RECORD_COLUMNS =
  "tenant_id, id, version, doc, finding_date, record_type, source_record_id, source_unit_id, state, subject_id"

// ---- engines -------------------------------------------------------------------------------------

export interface Group {
  readonly table: string
  readonly columns: string
  readonly rows: ReadonlyArray<ReadonlyArray<unknown>>
}

export interface Engine {
  readonly dialect: "sqlite" | "pg"
  readonly store: () => Layer.Layer<any, unknown>
  readonly open: () => Promise<void>
  readonly exec: (statement: string) => Promise<void>
  /** Multi-row inserts of every group in one transaction (existing keys are skipped). */
  readonly insert: (groups: ReadonlyArray<Group>) => Promise<void>
  readonly query: (statement: string, values: ReadonlyArray<unknown>) => Promise<Array<Record<string, unknown>>>
  readonly close: () => Promise<void>
  readonly cleanup: () => Promise<void>
}

export const migrations = [CoreMigrations.migrations, CreditMigrations.migrations]

export const sqliteEngine = (): Engine => {
  const dir = mkdtempSync(join(tmpdir(), "gz-bench-credit-"))
  const filename = join(dir, "credit.db")
  let db: Database.Database
  return {
    dialect: "sqlite",
    store: () => SqliteStore.layer({ filename, migrations }),
    open: async () => {
      db = new Database(filename)
      db.pragma("journal_mode = WAL")
      db.pragma("synchronous = NORMAL")
    },
    exec: async (statement) => void db.exec(statement),
    insert: async (groups) => {
      const BATCH = 500
      db.transaction(() => {
        for (const { table, columns, rows } of groups) {
          const width = columns.split(",").length
          const tuple = `(${Array.from({ length: width }, () => "?").join(", ")})`
          const statement = (count: number) =>
            `INSERT OR IGNORE INTO ${table} (${columns}) VALUES ${Array.from({ length: count }, () => tuple).join(", ")}`
          const full = db.prepare(statement(BATCH))
          for (let i = 0; i < rows.length; i += BATCH) {
            const chunk = rows.slice(i, i + BATCH)
            if (chunk.length === BATCH) full.run(chunk.flat())
            else db.prepare(statement(chunk.length)).run(chunk.flat())
          }
        }
      })()
    },
    query: async (statement, values) => db.prepare(statement).all(...values) as Array<Record<string, unknown>>,
    close: async () => {
      db.close()
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true })
  }
}

export const pgUrl = process.env.GONGZHI_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

export const pgEngine = (schema: string): Engine => {
  let client: pg.Client
  const connect = `${pgUrl}${pgUrl.includes("?") ? "&" : "?"}options=-c%20search_path%3D${schema}`
  return {
    dialect: "pg",
    store: () => PgStore.layer({ url: Redacted.make(pgUrl), schema, maxConnections: 4, migrations }),
    open: async () => {
      const admin = new pg.Client({ connectionString: pgUrl })
      await admin.connect()
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
      await admin.end()
      client = new pg.Client({ connectionString: connect })
      await client.connect()
    },
    exec: async (statement) => void (await client.query(statement)),
    insert: async (groups) => {
      const CHUNK = 20_000
      await client.query("BEGIN")
      for (const { table, columns, rows } of groups) {
        const names = columns.split(",").map((c) => c.trim())
        for (let i = 0; i < rows.length; i += CHUNK) {
          const chunk = rows.slice(i, i + CHUNK)
          const arrays = names.map((_, c) => chunk.map((row) => row[c]))
          const types = names.map((name) => (name === "version" ? "int[]" : "text[]"))
          const casts = names.map((name, c) => (name === "doc" ? `u.c${c}::jsonb` : `u.c${c}`))
          await client.query(
            `INSERT INTO ${table} (${columns}) SELECT ${casts.join(", ")}
             FROM unnest(${types.map((t, c) => `$${c + 1}::${t}`).join(", ")}) AS u(${names.map((_, c) => `c${c}`).join(", ")})
             ON CONFLICT DO NOTHING`,
            arrays
          )
        }
      }
      await client.query("COMMIT")
    },
    query: async (statement, values) => (await client.query(statement, [...values])).rows,
    close: async () => client.end(),
    cleanup: async () => {
      const admin = new pg.Client({ connectionString: pgUrl })
      await admin.connect()
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin.end()
    }
  }
}

export const reachable = async (): Promise<boolean> => {
  try {
    const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2_000 })
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

export const runtimeOf = (engine: Engine) =>
  ManagedRuntime.make(
    Credits.layerSql(options).pipe(
      Layer.provideMerge(engine.store()),
      Layer.provide(FieldCipher.layerTest()),
      Layer.provide(Logger.minimumLogLevel(LogLevel.Warning))
    ) as Layer.Layer<any, unknown>
  )
export type Runtime = ReturnType<typeof runtimeOf>

/** Opens an engine and the service over it (migrations run). */
export const openEngine = async (make: () => Engine): Promise<{ engine: Engine; runtime: Runtime }> => {
  const engine = make()
  await engine.open()
  const runtime = runtimeOf(engine)
  await runtime.runPromise(Effect.void)
  return { engine, runtime }
}

export const ingest = (runtime: Runtime, content: string) =>
  runtime.runPromise(
    Effect.flatMap(Credits.Credits, (credits) =>
      credits.ingest(admin, {
        tenantId: TENANT,
        sourceUnitId: "SCJG",
        format: "csv",
        content: new TextEncoder().encode(content)
      })
    ) as Effect.Effect<{ readonly accepted: number; readonly rejected: ReadonlyArray<unknown> }, unknown, any>
  )

export const seconds = (from: number) => `${((Date.now() - from) / 1000).toFixed(1)} s`

/** Loads `subjects` subjects with PER_SUBJECT records each through the raw driver. */
export const load = async (engine: Engine, subjects: number) => {
  const CHUNK = 10_000
  for (let start = 0; start < subjects; start += CHUNK) {
    const end = Math.min(subjects, start + CHUNK)
    const ss = Array.from({ length: end - start }, (_, k) => subjectRow(start + k))
    const rs: Array<Array<unknown>> = []
    for (let i = start; i < end; i++) for (let j = 0; j < PER_SUBJECT; j++) rs.push(recordRow(i, j))
    await engine.insert([
      { table: "credit_subjects", columns: SUBJECT_COLUMNS, rows: ss },
      { table: "credit_records", columns: RECORD_COLUMNS, rows: rs }
    ])
  }
  await engine.exec("ANALYZE")
}
