/**
 * Public credit benchmarks (@gongzhi/credit). Sizes follow the issue; `GONGZHI_BENCH_CREDIT_SCALE`
 * (default 1) scales every count down for a quick check (e.g. 0.02).
 *
 * - `credit.ingest.<engine>` (sqlite, postgres): a 100k-row CSV batch of administrative penalties over 20k
 *   enterprises. ours: `credits.ingest` through the public API (decoding, the per-row checks against the
 *   catalogue, subjects resolved or registered, periods, one transaction with records, re-grading of every
 *   touched subject, the batch report, events and audit). baseline: a hand-written parse (split lines and
 *   commas) and multi-row inserts (500 rows per statement on SQLite, `unnest` arrays on PostgreSQL) of the
 *   same rows into a plain subjects table and a plain records table (JSON document + the same columns), in
 *   one transaction. Every run sends new source record ids. Target ≥ 0.5.
 * - `credit.evaluate.full.<engine>`: grades for 100k subjects with 1M records (loaded through the raw driver
 *   as the repository stores them). ours: `credits.reevaluateAll` after clearing the stored grades (as after
 *   a model change: every grade is computed, explained and written). baseline: ONE hand-written SQL
 *   aggregate computing the same scores (the sample scorecard's rules, ages and caps as CASE/LEAST) —
 *   setup checks that both give the same score for every subject. Target ≥ 0.5.
 * - `credit.evaluate.incremental.sqlite`: one new record for one subject through `credits.ingest` (which
 *   re-grades that subject in its transaction), on a district of 100k subjects (ours) and of 10k subjects
 *   (baseline), 10 records each. ratio = time(10k) / time(100k): ≥ 0.67 ⇔ time(100k) ≤ 1.5 × time(10k), the
 *   cost does not depend on the size of the district.
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
import * as LocalDate from "@gongzhi/core/LocalDate"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import { TenantId } from "@gongzhi/core/Tenant"
import * as CreditMigrations from "@gongzhi/credit/CreditMigrations"
import * as CreditRecord from "@gongzhi/credit/CreditRecord"
import * as Credits from "@gongzhi/credit/Credits"
import * as Scorecard from "@gongzhi/credit/Scorecard"
import * as SourceUnit from "@gongzhi/credit/SourceUnit"
import * as Subject from "@gongzhi/credit/Subject"
import * as PgStore from "@gongzhi/store-postgres/PgStore"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import Database from "better-sqlite3"
import { Effect, Layer, Logger, LogLevel, ManagedRuntime, Redacted, Schema } from "effect"
import pg from "pg"
import type { BenchEntry } from "./harness.js"

const SCALE = Number(process.env.GONGZHI_BENCH_CREDIT_SCALE ?? "1")
const n = (count: number) => Math.max(10, Math.round(count * SCALE))
const INGEST_ROWS = n(100_000)
const INGEST_SUBJECTS = n(20_000)
const FULL_SUBJECTS = n(100_000)
const SMALL_SUBJECTS = n(10_000)
const PER_SUBJECT = 10
const TENANT = TenantId.make("440310")
const RUNS = 3

const admin = Schema.decodeUnknownSync(Actor.Actor)({
  _tag: "Staff",
  staffId: "A001",
  name: "王管理",
  roles: ["credit-admin"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})
const unit = new SourceUnit.SourceUnit({
  id: "SCJG",
  tenantId: TENANT,
  name: "坪山区市场监督管理局",
  kind: "bureau",
  recordTypes: ["ADMIN_PENALTY", "ADMIN_REWARD"],
  accounts: [],
  active: true
})
const options: Credits.CreditsOptions = { sourceUnits: [unit] }

// ---- data ----------------------------------------------------------------------------------------

let seed = 20_261_201
const random = () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}
const codes: Array<string> = []
const seen = new Set<string>()
const codeOf = (i: number): string => {
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

const CHINA_OFFSET_MS = 8 * 3_600_000
const today = (): LocalDate.LocalDate =>
  LocalDate.unsafeFromEpochDay(Math.floor((Date.now() + CHINA_OFFSET_MS) / 86_400_000))
/** Finding dates on days 1–28 (no month-end clamping) between 2022-01 and 2026-11. */
const findingDate = (i: number): string => {
  const month = (i * 7) % 59
  const year = 2022 + Math.floor(month / 12)
  return `${year}-${String((month % 12) + 1).padStart(2, "0")}-${String(1 + ((i * 13) % 28)).padStart(2, "0")}`
}
const TIERS = ["minor", "general", "serious"] as const
const TIER_LABELS = { minor: "轻微", general: "一般", serious: "严重" } as const

const HEADER = ["信息类型代码", "来源记录编号", "主体标识", "主体名称", "决定文书号", "决定日期", "失信程度"]
const EXTRA = ["处罚类别", "罚款金额（元）", "违法行为类型", "决定机关"]

/** One CSV batch of penalties: run `run`, rows over `subjects` enterprises. */
const csvBatch = (run: number, rows: number, subjects: number, first = 0): string => {
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

const subjectIds = new Map<number, string>()
const subjectIdOf = (i: number): string => {
  let id = subjectIds.get(i)
  if (id === undefined) {
    id = `S-${createHash("sha256").update(codeOf(i)).digest("hex").slice(0, 24)}`
    subjectIds.set(i, id)
  }
  return id
}
const encodeSubject = Schema.encodeSync(Subject.Subject)
const encodeRecord = Schema.encodeSync(CreditRecord.CreditRecord)
const at = new Date(Date.UTC(2026, 0, 1))

const subjectRow = (i: number): Array<unknown> => {
  const code = codeOf(i)
  const id = subjectIdOf(i)
  const doc = encodeSubject(
    new Subject.Subject({
      id,
      tenantId: TENANT,
      kind: "legalPerson",
      creditCode: code,
      identifierKey: code,
      name: `坪山企业${i}有限公司`,
      formerNames: [],
      status: "active",
      createdAt: at,
      updatedAt: at
    })
  )
  return [TENANT, id, 1, JSON.stringify(doc), "1", code, "legalPerson", "active"]
}
const SUBJECT_COLUMNS = "tenant_id, id, version, doc, active_key, identifier_key, kind, status"

/** Record j of subject i: 80 % penalties (minor/general/serious), 20 % rewards; 5 % repaired. */
const recordRow = (i: number, j: number): Array<unknown> => {
  const k = i * PER_SUBJECT + j
  const reward = k % 5 === 4
  const tier = TIERS[k % 3] as (typeof TIERS)[number]
  const state = k % 20 === 7 ? "repaired" : "active"
  const id = `R-${k}`
  const date = findingDate(k)
  const doc = encodeRecord(
    new CreditRecord.CreditRecord({
      id,
      tenantId: TENANT,
      subjectId: subjectIdOf(i),
      recordType: reward ? "ADMIN_REWARD" : "ADMIN_PENALTY",
      polarity: reward ? "positive" : "negative",
      ...(reward ? {} : { failingClass: "penalty" as const, tier }),
      sourceRecordId: `L-${k}`,
      findingDate: date as LocalDate.LocalDate,
      displayed: true,
      details: {},
      state,
      provenance: new CreditRecord.Provenance({
        sourceUnitId: "SCJG",
        batchId: "B-load",
        receivedAt: at,
        receivedBy: "bench"
      }),
      contentHash: id
    })
  )
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
    doc.subjectId
  ]
}
const RECORD_COLUMNS =
  "tenant_id, id, version, doc, finding_date, record_type, source_record_id, source_unit_id, state, subject_id"

/** The sample scorecard as SQL thresholds: a record counts while finding_date > today − maxAge. */
const thresholds = () => {
  const day = today()
  const back = (months: number) => {
    const [y, m, d] = day.split("-").map(Number) as [number, number, number]
    const total = y * 12 + (m - 1) - months
    return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`
  }
  const sample = Scorecard.sampleScorecard
  const age = (type: string, tier?: string) =>
    back(sample.rules.find((r) => r.recordType === type && r.tier === tier)?.maxAgeMonths as number)
  return [
    day,
    age("ADMIN_PENALTY", "minor"),
    age("ADMIN_PENALTY", "general"),
    age("ADMIN_PENALTY", "serious"),
    age("ADMIN_REWARD")
  ]
}

/** The one aggregate: per subject, base 100 + per rule sign × min(count × |points|, cap), clamped to [0, 120]. */
const scoreSql = (dialect: "sqlite" | "pg"): { readonly text: string; readonly order: ReadonlyArray<number> } => {
  // SQLite's "?" are positional: remember the order in which the parameters appear
  const order: Array<number> = []
  const p = (i: number) => {
    order.push(i)
    return dialect === "pg" ? `$${i}` : "?"
  }
  const tier = dialect === "pg" ? "doc->>'tier'" : "json_extract(doc, '$.tier')"
  const least = dialect === "pg" ? "LEAST" : "MIN"
  const greatest = dialect === "pg" ? "GREATEST" : "MAX"
  const text = `
    SELECT subject_id, ${greatest}(0, ${least}(120, 100 + SUM(CASE rule
             WHEN 'pm' THEN -${least}(2 * n, 10) WHEN 'pg' THEN -8 * n WHEN 'ps' THEN -30 * n
             WHEN 'rw' THEN ${least}(5 * n, 15) END))) AS score
    FROM (
      SELECT subject_id, rule, COUNT(*) AS n FROM (
        SELECT subject_id, CASE
          WHEN record_type = 'ADMIN_PENALTY' AND ${tier} = 'minor' AND finding_date > ${p(3)} THEN 'pm'
          WHEN record_type = 'ADMIN_PENALTY' AND ${tier} = 'general' AND finding_date > ${p(4)} THEN 'pg'
          WHEN record_type = 'ADMIN_PENALTY' AND ${tier} = 'serious' AND finding_date > ${p(5)} THEN 'ps'
          WHEN record_type = 'ADMIN_REWARD' AND finding_date > ${p(6)} THEN 'rw' END AS rule
        FROM credit_records
        WHERE tenant_id = ${p(1)} AND state IN ('active', 'objectionPending', 'corrected') AND finding_date <= ${p(2)}
      ) scored WHERE rule IS NOT NULL GROUP BY subject_id, rule
    ) per GROUP BY subject_id`
  return { text, order: dialect === "pg" ? [1, 2, 3, 4, 5, 6] : order }
}

// ---- engines -------------------------------------------------------------------------------------

interface Group {
  readonly table: string
  readonly columns: string
  readonly rows: ReadonlyArray<ReadonlyArray<unknown>>
}

interface Engine {
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

const migrations = [CoreMigrations.migrations, CreditMigrations.migrations]

const sqliteEngine = (): Engine => {
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

const pgUrl = process.env.GONGZHI_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const pgEngine = (schema: string): Engine => {
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

const runtimeOf = (engine: Engine) =>
  ManagedRuntime.make(
    Credits.layerSql(options).pipe(
      Layer.provideMerge(engine.store()),
      Layer.provide(FieldCipher.layerTest()),
      Layer.provide(Logger.minimumLogLevel(LogLevel.Warning))
    ) as Layer.Layer<any, unknown>
  )
type Runtime = ReturnType<typeof runtimeOf>

const ingest = (runtime: Runtime, content: string) =>
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

const seconds = (from: number) => `${((Date.now() - from) / 1000).toFixed(1)} s`

/** Loads `subjects` subjects with PER_SUBJECT records each through the raw driver. */
const load = async (engine: Engine, subjects: number) => {
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

// ---- credit.ingest -------------------------------------------------------------------------------

/** The baseline: parse by hand, then multi-row inserts of subjects and records in one transaction. */
const baselineIngest = async (engine: Engine, content: string) => {
  const lines = content.split("\n")
  const subjects = new Map<string, Array<unknown>>()
  const records: Array<Array<unknown>> = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string
    if (line === "") continue
    const c = line.split(",")
    const code = c[2] as string
    if (!subjects.has(code)) subjects.set(code, [TENANT, code, c[3]])
    const doc = JSON.stringify({
      recordType: c[0],
      sourceRecordId: c[1],
      subject: code,
      documentNumber: c[4],
      findingDate: c[5],
      tier: c[6],
      details: { penaltyKind: c[7], fine: Number(c[8]), violation: c[9], authority: c[10] }
    })
    records.push([TENANT, `SCJG:${c[1]}`, doc, code, c[0], c[1], c[5]])
  }
  // one transaction: the subjects (kept when present), then the records
  await engine.insert([
    { table: "bench_subjects", columns: "tenant_id, code, name", rows: [...subjects.values()] },
    {
      table: "bench_records",
      columns: "tenant_id, id, doc, subject_code, record_type, source_record_id, finding_date",
      rows: records
    }
  ])
}

const ingestEntry = (name: "sqlite" | "postgres", make: () => Engine): BenchEntry => {
  let engine: Engine
  let runtime: Runtime
  const contents: Array<string> = []
  let oursRun = 0
  let baselineRun = 0
  return {
    id: `credit.ingest.${name}`,
    unit: `${INGEST_ROWS} CSV rows over ${INGEST_SUBJECTS} enterprises`,
    target: 0.5,
    runs: RUNS,
    setup: async () => {
      const started = Date.now()
      engine = make()
      await engine.open()
      runtime = runtimeOf(engine)
      await runtime.runPromise(Effect.void)
      await engine.exec(
        "CREATE TABLE bench_subjects (tenant_id TEXT NOT NULL, code TEXT NOT NULL, name TEXT, PRIMARY KEY (tenant_id, code))"
      )
      await engine.exec(
        `CREATE TABLE bench_records (tenant_id TEXT NOT NULL, id TEXT NOT NULL, doc ${engine.dialect === "pg" ? "JSONB" : "TEXT"} NOT NULL,
           subject_code TEXT, record_type TEXT, source_record_id TEXT, finding_date TEXT, PRIMARY KEY (tenant_id, id))`
      )
      await engine.exec("CREATE INDEX bench_records_subject ON bench_records (tenant_id, subject_code)")
      for (let run = 0; run <= RUNS; run++) contents.push(csvBatch(run, INGEST_ROWS, INGEST_SUBJECTS))
      // the same first batch once on each side, to check it is accepted whole
      const first = await ingest(runtime, csvBatch(99, 100, INGEST_SUBJECTS))
      if (first.accepted !== 100)
        throw new Error(`credit.ingest.${name}: rows rejected: ${JSON.stringify(first.rejected[0])}`)
      console.log(`credit.ingest.${name}: setup ${seconds(started)}`)
    },
    ours: () => ingest(runtime, contents[oursRun++ % contents.length] as string),
    baseline: () => baselineIngest(engine, contents[baselineRun++ % contents.length] as string),
    teardown: async () => {
      await engine.close()
      await runtime.dispose()
      await engine.cleanup()
    }
  }
}

// ---- credit.evaluate.full ------------------------------------------------------------------------

const fullEntry = (name: "sqlite" | "postgres", make: () => Engine): BenchEntry => {
  let engine: Engine
  let runtime: Runtime
  const reevaluateAll = Effect.flatMap(Credits.Credits, (credits) =>
    credits.reevaluateAll(admin, { tenantId: TENANT, pageSize: 1000 })
  ) as Effect.Effect<{ readonly subjects: number }, unknown, any>
  const baseline = () => {
    const { order, text } = scoreSql(engine.dialect)
    const values = [TENANT, ...thresholds()]
    return engine.query(
      text,
      order.map((i) => values[i - 1])
    )
  }
  return {
    id: `credit.evaluate.full.${name}`,
    unit: `grades of ${FULL_SUBJECTS} subjects over ${FULL_SUBJECTS * PER_SUBJECT} records`,
    target: 0.5,
    runs: RUNS,
    setup: async () => {
      const started = Date.now()
      engine = make()
      await engine.open()
      runtime = runtimeOf(engine)
      await runtime.runPromise(Effect.void)
      await load(engine, FULL_SUBJECTS)
      const loaded = seconds(started)
      const result = await runtime.runPromise(reevaluateAll)
      const stored = await engine.query("SELECT id, doc FROM credit_evaluations", [])
      const ours = new Map(
        stored.map((row) => {
          const doc = typeof row.doc === "string" ? JSON.parse(row.doc) : row.doc
          return [String(row.id), Number(doc.score)]
        })
      )
      const theirs = new Map((await baseline()).map((row) => [String(row.subject_id), Number(row.score)]))
      let differ = 0
      const samples: Array<string> = []
      for (const [id, score] of ours) {
        if ((theirs.get(id) ?? 100) !== score) {
          differ++
          if (samples.length < 3) samples.push(`${id}: ours ${score}, baseline ${theirs.get(id)}`)
        }
      }
      if (samples.length > 0) console.log(samples.join("\n"))
      if (result.subjects !== FULL_SUBJECTS || ours.size !== FULL_SUBJECTS || differ > 0) {
        throw new Error(`credit.evaluate.full.${name}: ${differ} scores differ (${ours.size} graded)`)
      }
      console.log(`credit.evaluate.full.${name}: setup ${seconds(started)} (load ${loaded}); scores agree`)
    },
    ours: async () => {
      await engine.exec("DELETE FROM credit_evaluations")
      return runtime.runPromise(reevaluateAll)
    },
    baseline,
    teardown: async () => {
      await engine.close()
      await runtime.dispose()
      await engine.cleanup()
    }
  }
}

// ---- credit.evaluate.incremental ---------------------------------------------------------------

const incrementalEntry = (): BenchEntry => {
  interface Side {
    engine: Engine
    runtime: Runtime
    run: number
  }
  const large = { run: 0 } as Side
  const small = { run: 0 } as Side
  const one = (side: Side, subjects: number) => {
    side.run++
    return ingest(side.runtime, csvBatch(1000 + side.run, 1, subjects, 4321 + side.run))
  }
  return {
    id: "credit.evaluate.incremental.sqlite",
    unit: `one new record re-graded at ${FULL_SUBJECTS} (ours) vs ${SMALL_SUBJECTS} subjects (baseline)`,
    target: 0.67,
    runs: 15,
    setup: async () => {
      const started = Date.now()
      for (const [side, subjects] of [
        [large, FULL_SUBJECTS],
        [small, SMALL_SUBJECTS]
      ] as const) {
        side.engine = sqliteEngine()
        await side.engine.open()
        side.runtime = runtimeOf(side.engine)
        await side.runtime.runPromise(Effect.void)
        await load(side.engine, subjects)
      }
      console.log(`credit.evaluate.incremental.sqlite: setup ${seconds(started)}`)
    },
    ours: () => one(large, FULL_SUBJECTS),
    baseline: () => one(small, SMALL_SUBJECTS),
    teardown: async () => {
      for (const side of [large, small]) {
        await side.engine.close()
        await side.runtime.dispose()
        await side.engine.cleanup()
      }
    }
  }
}

const pgAvailable = await reachable()
if (!pgAvailable) console.log("credit.*.postgres: skipped, no PostgreSQL at GONGZHI_BENCH_PG_URL")
const pgSchema = (what: string) => () => pgEngine(`gz_bench_credit_${what}_${Math.random().toString(36).slice(2, 8)}`)

export const entries: Array<BenchEntry> = [
  ingestEntry("sqlite", sqliteEngine),
  ...(pgAvailable ? [ingestEntry("postgres", pgSchema("ingest"))] : []),
  fullEntry("sqlite", sqliteEngine),
  ...(pgAvailable ? [fullEntry("postgres", pgSchema("full"))] : []),
  incrementalEntry()
]
