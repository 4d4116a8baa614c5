/**
 * Sharing-interface benchmark (@gongzhi/credit, 共享接口). `credit.share.check.<engine>` (sqlite,
 * postgres): batch list checks (核查, serious-dishonesty list) of 1,000 USCCs — 950 registered subjects
 * and 50 unknown codes — against 1M records of 100k subjects (10 each, loaded through the raw driver as
 * the repository stores them; 80 % penalties of the three tiers over five years, 5 % repaired).
 * `GONGZHI_BENCH_CREDIT_SCALE` (default 1) scales the district down (0.1: 100k records, runs in a minute).
 *
 * - ours: `credits.shareCheckBatch` through the public API with an API key: key check (hash, constant-time
 *   compare), token bucket, decoding, purpose and list scope, the subjects by identifier, the list rule
 *   evaluated on the candidate records and list decisions, the 异议处理中 marks, and in one transaction the
 *   share log (one row per subject found on the list) and the audit entry.
 * - baseline: ONE hand-written indexed SQL query on the raw driver (better-sqlite3 / pg) returning the
 *   codes on the list: the subjects by code, with an EXISTS on a serious penalty in use younger than the
 *   rule's 36 months (tier read from the JSON document) or on an approved decision in force.
 *
 * Setup checks that both sides find the same subjects on the list. Target ≥ 0.7.
 */

import * as Credits from "@gongzhi/credit/Credits"
import { Effect, type Redacted } from "effect"
import {
  admin,
  codeOf,
  type Engine,
  FULL_SUBJECTS,
  load,
  openEngine,
  pgEngine,
  type Runtime,
  reachable,
  seconds,
  sqliteEngine,
  TENANT,
  today
} from "./creditData.js"
import type { BenchEntry } from "./harness.js"

const BATCH = 1000
const KNOWN = Math.min(950, FULL_SUBJECTS)
const BATCHES = 4
const PURPOSE = "政府采购资格审查"

/** Batch b: KNOWN registered subjects spread over the district, then unknown codes. */
const batchOf = (b: number): ReadonlyArray<string> => {
  const codes: Array<string> = []
  const step = Math.max(1, Math.floor(FULL_SUBJECTS / KNOWN))
  for (let i = 0; i < KNOWN; i++) codes.push(codeOf((i * step + b * 7) % FULL_SUBJECTS))
  for (let i = codes.length; i < BATCH; i++) codes.push(codeOf(FULL_SUBJECTS + b * BATCH + i))
  return codes
}

/** today − months, same day of the month (the data's days are 1–28, so no month-end clamping). */
const monthsBack = (months: number): string => {
  const [y, m, d] = today().split("-").map(Number) as [number, number, number]
  const total = y * 12 + (m - 1) - months
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`
}

/** The one query: which of these codes are on the serious-dishonesty list today. */
const checkSql = (dialect: "sqlite" | "pg", count: number) => {
  let i = 0
  const p = () => (dialect === "pg" ? `$${++i}` : "?")
  const json = (column: string, field: string) =>
    dialect === "pg" ? `${column}->>'${field}'` : `json_extract(${column}, '$.${field}')`
  // in the order they appear in the text (SQLite's "?" are positional)
  const tenant = p()
  const codes = Array.from({ length: count }, p).join(", ")
  const since = p()
  const day = p()
  const decisionDay = p()
  const decisionDayEnd = p()
  return `
    SELECT s.identifier_key AS code FROM credit_subjects s
    WHERE s.tenant_id = ${tenant} AND s.active_key = '1' AND s.identifier_key IN (${codes})
      AND (EXISTS (SELECT 1 FROM credit_records r
                   WHERE r.tenant_id = s.tenant_id AND r.subject_id = s.id
                     AND r.record_type IN ('SERIOUS_DISHONESTY', 'ADMIN_PENALTY')
                     AND r.state IN ('active', 'objectionPending', 'corrected')
                     AND r.finding_date > ${since} AND r.finding_date <= ${day}
                     AND ${json("r.doc", "tier")} = 'serious')
        OR EXISTS (SELECT 1 FROM credit_list_decisions d
                   WHERE d.tenant_id = s.tenant_id AND d.subject_id = s.id AND d.list_kind = 'seriousDishonesty'
                     AND d.state = 'approved' AND ${json("d.doc", "from")} <= ${decisionDay}
                     AND d.until_day > ${decisionDayEnd}))`
}

const checkEntry = (name: "sqlite" | "postgres", make: () => Engine): BenchEntry => {
  let engine: Engine
  let runtime: Runtime
  let apiKey: Redacted.Redacted<string>
  const batches = Array.from({ length: BATCHES }, (_, b) => batchOf(b))
  let oursRun = 0
  let baselineRun = 0
  const ours = (codes: ReadonlyArray<string>) =>
    runtime.runPromise(
      Effect.flatMap(Credits.Credits, (credits) =>
        credits.shareCheckBatch(apiKey, {
          tenantId: TENANT,
          purpose: PURPOSE,
          list: "seriousDishonesty",
          identifiers: codes
        })
      ) as Effect.Effect<{ readonly results: ReadonlyArray<{ identifier: string; onList: boolean }> }, unknown, any>
    )
  const baseline = async (codes: ReadonlyArray<string>) => {
    const day = today()
    const rows = await engine.query(checkSql(engine.dialect, codes.length), [
      TENANT,
      ...codes,
      monthsBack(36),
      day,
      day,
      day
    ])
    return rows.map((row) => String(row.code))
  }
  return {
    id: `credit.share.check.${name}`,
    unit: `batch check of ${BATCH} USCCs against ${FULL_SUBJECTS * 10} records`,
    target: 0.7,
    runs: 7,
    setup: async () => {
      const started = Date.now()
      ;({ engine, runtime } = await openEngine(make))
      await load(engine, FULL_SUBJECTS)
      const loaded = seconds(started)
      const issued = await runtime.runPromise(
        Effect.flatMap(Credits.Credits, (credits) =>
          credits.createServiceAccount(admin, {
            tenantId: TENANT,
            name: "采购核查",
            unit: "坪山区财政局",
            scope: { lists: ["seriousDishonesty"], purposes: [PURPOSE] },
            rateLimit: { limit: 100_000, windowSeconds: 1 }
          })
        ) as Effect.Effect<{ readonly apiKey: Redacted.Redacted<string> }, unknown, any>
      )
      apiKey = issued.apiKey
      for (const codes of batches) {
        const mine = (await ours(codes)).results
          .filter((r) => r.onList)
          .map((r) => r.identifier)
          .sort()
        const theirs = (await baseline(codes)).sort()
        if (mine.length !== theirs.length || mine.some((code, i) => code !== theirs[i])) {
          throw new Error(
            `credit.share.check.${name}: ours finds ${mine.length} on the list, the baseline ${theirs.length}`
          )
        }
      }
      console.log(
        `credit.share.check.${name}: setup ${seconds(started)} (load ${loaded}); both sides agree (${
          (await baseline(batches[0] as ReadonlyArray<string>)).length
        } of ${BATCH} on the list)`
      )
    },
    ours: () => ours(batches[oursRun++ % BATCHES] as ReadonlyArray<string>),
    baseline: () => baseline(batches[baselineRun++ % BATCHES] as ReadonlyArray<string>),
    teardown: async () => {
      await engine.close()
      await runtime.dispose()
      await engine.cleanup()
    }
  }
}

const pgAvailable = await reachable()
if (!pgAvailable) console.log("credit.share.*.postgres: skipped, no PostgreSQL at GONGZHI_BENCH_PG_URL")

export const entries: Array<BenchEntry> = [
  checkEntry("sqlite", sqliteEngine),
  ...(pgAvailable
    ? [checkEntry("postgres", () => pgEngine(`gz_bench_share_${Math.random().toString(36).slice(2, 8)}`))]
    : [])
]
