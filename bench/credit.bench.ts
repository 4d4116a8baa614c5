import * as Credits from "@gongzhi/credit/Credits"
import * as Scorecard from "@gongzhi/credit/Scorecard"
import { Effect } from "effect"
import {
  admin,
  csvBatch,
  type Engine,
  FULL_SUBJECTS,
  INGEST_ROWS,
  INGEST_SUBJECTS,
  ingest,
  load,
  openEngine,
  PER_SUBJECT,
  pgEngine,
  RUNS,
  type Runtime,
  reachable,
  runtimeOf,
  SMALL_SUBJECTS,
  seconds,
  sqliteEngine,
  TENANT,
  today
} from "./creditData.js"
import type { BenchEntry } from "./harness.js"

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
      ;({ engine, runtime } = await openEngine(make))
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
      ;({ engine, runtime } = await openEngine(make))
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
