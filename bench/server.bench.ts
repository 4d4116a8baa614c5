/**
 * Server benchmarks (@gongzhi/server), loopback only and bounded (autocannon, a fixed number of requests per
 * run, 10 connections).
 *
 * - `server.open311.post`: `POST /open311/v2/requests.json` (form-encoded, with an API key) on SQLite.
 *   ours: the whole server — request id, rate-limit bookkeeping (generous limits, never hit), body and JSON
 *   limits, the Open311 mapping, the key check, `Opinions.submit` (decoding, authorization, routing, the
 *   deadline on the working-day calendar, one transaction with the report, its outbox event and audit entry),
 *   the read-back as the public account and the GeoReport answer. baseline: a minimal `node:http` handler
 *   in the same process doing what a competent user would write by hand — read the body, parse it with
 *   `URLSearchParams`, check the key's SHA-256 against a set, one prepared `INSERT` of the report (the same
 *   fields and a JSON document) with better-sqlite3 into a table of the same database file, answer the JSON
 *   list. ratio = baseline time / our time for the same number of requests = our requests/s ÷ the baseline's.
 *   Target ≥ 0.4. The p99 latencies of both sides are printed after the entry.
 */
import { createHash, randomUUID } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import * as Http from "node:http"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as ApiKeys from "@gongzhi/server/ApiKeys"
import * as Server from "@gongzhi/server/Server"
import autocannon from "autocannon"
import Database from "better-sqlite3"
import { Effect, Exit, Logger, LogLevel, Redacted, Scope } from "effect"
import type { BenchEntry } from "./harness.js"

const REQUESTS = Number(process.env.GONGZHI_BENCH_SERVER_REQUESTS ?? "1000")
const CONNECTIONS = 10
const divisions = resolve(import.meta.dirname, "../examples/pingshan/data/pingshan-divisions.json")

let dir = ""
let scope: Scope.CloseableScope | undefined
let oursUrl = ""
let baselineUrl = ""
let baselineServer: Http.Server | undefined
let db: Database.Database | undefined
let body = ""
const p99 = { ours: [] as Array<number>, baseline: [] as Array<number> }

const load = async (url: string, side: keyof typeof p99) => {
  const result = await autocannon({
    url: `${url}/open311/v2/requests.json`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
    connections: CONNECTIONS,
    amount: REQUESTS
  })
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(`${side}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`)
  p99[side].push(result.latency.p99)
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

export const entries: ReadonlyArray<BenchEntry> = [
  {
    id: "server.open311.post",
    unit: `${REQUESTS} Open311 posts (${CONNECTIONS} connections)`,
    target: 0.4,
    runs: 3,
    setup: async () => {
      dir = mkdtempSync(join(tmpdir(), "gongzhi-bench-server-"))
      const file = join(dir, "gz.db")
      const generated = Effect.runSync(ApiKeys.generate({ clientId: "bench-client" }))
      const key = Redacted.value(generated.key)
      body = new URLSearchParams({
        api_key: key,
        service_code: "GF02",
        description: "路灯不亮，晚上出行不便",
        lat: "22.708",
        long: "114.346",
        "attribute[kind]": "help",
        "attribute[community_code]": "440310001001"
      }).toString()
      scope = Effect.runSync(Scope.make())
      const started = await Effect.runPromise(
        Server.start({
          config: {
            district: { code: "440310", name: "坪山区" },
            regions: { file: divisions, asOf: "2023" },
            storage: `sqlite:${file}`,
            modules: {
              opinion: {
                routing: {
                  departments: [{ code: "ps-center", name: "坪山区民情中心" }],
                  rules: [],
                  fallback: "ps-center"
                }
              }
            }
          },
          gongzhi: { cipher: FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["k1"] })) },
          port: 0,
          open311: { apiKeys: [generated.stored] },
          limits: {
            perIp: { burst: 1_000_000, perSecond: 1_000_000 },
            perKey: { burst: 1_000_000, perSecond: 1_000_000 }
          }
        }).pipe(Scope.extend(scope), Effect.provide(Logger.minimumLogLevel(LogLevel.None)))
      )
      oursUrl = started.url

      // the baseline: the same database file, its own plain table, the raw driver
      const database = new Database(file)
      db = database
      database.pragma("busy_timeout = 5000")
      database.exec(`CREATE TABLE IF NOT EXISTS bench_open311_reports (
        tenant_id TEXT NOT NULL, id TEXT NOT NULL, category TEXT NOT NULL, kind TEXT NOT NULL,
        community_code TEXT NOT NULL, content TEXT NOT NULL, received_at TEXT NOT NULL, document TEXT NOT NULL,
        PRIMARY KEY (tenant_id, id))`)
      const insert = database.prepare(
        "INSERT INTO bench_open311_reports (tenant_id, id, category, kind, community_code, content, received_at, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
      )
      const keys = new Set([createHash("sha256").update(key).digest("hex")])
      const server = Http.createServer((request, response) => {
        let text = ""
        request.setEncoding("utf8")
        request.on("data", (chunk: string) => {
          text += chunk
        })
        request.on("end", () => {
          const form = new URLSearchParams(text)
          if (
            !keys.has(
              createHash("sha256")
                .update(form.get("api_key") ?? "")
                .digest("hex")
            )
          ) {
            response.writeHead(403, { "content-type": "application/json" })
            response.end('[{"code":403,"description":"api_key 无效"}]')
            return
          }
          const id = `R${randomUUID().replaceAll("-", "").slice(0, 16).toUpperCase()}`
          const report = {
            id,
            category: form.get("service_code"),
            kind: form.get("attribute[kind]"),
            communityCode: form.get("attribute[community_code]"),
            content: form.get("description"),
            coordinates: { latitude: Number(form.get("lat")), longitude: Number(form.get("long")) },
            receivedAt: new Date().toISOString()
          }
          insert.run(
            "440310",
            id,
            report.category,
            report.kind,
            report.communityCode,
            report.content,
            report.receivedAt,
            JSON.stringify(report)
          )
          response.writeHead(200, { "content-type": "application/json" })
          response.end(JSON.stringify([{ service_request_id: id, service_notice: null, account_id: null }]))
        })
      })
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done))
      baselineServer = server
      const address = server.address()
      baselineUrl = typeof address === "object" && address !== null ? `http://127.0.0.1:${address.port}` : ""
    },
    ours: () => load(oursUrl, "ours"),
    baseline: () => load(baselineUrl, "baseline"),
    teardown: async () => {
      console.log(
        `  server.open311.post p99 latency: ours ${median(p99.ours)} ms, baseline ${median(p99.baseline)} ms (median of the runs)`
      )
      await new Promise<void>((done) => (baselineServer === undefined ? done() : baselineServer.close(() => done())))
      db?.close()
      if (scope !== undefined) await Effect.runPromise(Scope.close(scope, Exit.void))
      rmSync(dir, { recursive: true, force: true })
    }
  }
]
