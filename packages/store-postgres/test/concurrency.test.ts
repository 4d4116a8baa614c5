import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Workload from "@gongzhi/core/testing/reliability"
import { Effect } from "effect"
import * as PgStore from "../src/PgStore.js"
import { availability, provisionSchema, testUrl } from "../src/testing.js"

const FIXTURE = fileURLToPath(new URL("./fixtures/child.ts", import.meta.url))
const PACKAGE_DIR = Path.resolve(Path.dirname(FIXTURE), "../..")
const PROCESSES = ["a", "b"] as const
const FIBERS = 8
const INCREMENTS = 10
const TOTAL = PROCESSES.length * FIBERS * INCREMENTS

const server = await availability()

describe.skipIf(server.skip)("PgStore concurrency (two processes)", () => {
  it.live(
    `${PROCESSES.length} processes × ${FIBERS} fibers × ${INCREMENTS} read-modify-write increments of one counter: no lost update, no duplicate`,
    () =>
      Effect.gen(function* () {
        const schema = yield* provisionSchema()
        const store = yield* PgStore.make({
          url: testUrl(),
          schema,
          maxConnections: 2,
          migrations: [CoreMigrations.migrations, Workload.migrations]
        })
        const sql: SqlClient.SqlClient = store.client
        yield* Effect.flatMap(Workload.make, (workload) => workload.ensureCounter).pipe(
          Effect.provideService(SqlClient.SqlClient, sql)
        )

        const children = yield* Effect.forEach(PROCESSES, (worker) =>
          Workload.spawnChild(
            FIXTURE,
            ["increment"],
            {
              GONGZHI_REL_PG_SCHEMA: schema,
              GONGZHI_REL_PG_APP: `gz-rel-${schema}-${worker}`,
              GONGZHI_REL_WORKER: worker,
              GONGZHI_REL_FIBERS: String(FIBERS),
              GONGZHI_REL_INCREMENTS: String(INCREMENTS)
            },
            PACKAGE_DIR
          )
        )
        yield* Effect.forEach(children, (child) => child.waitForLine((line) => line === "ready"), {
          concurrency: "unbounded"
        })
        yield* Effect.forEach(children, (child) => child.send("go"))
        const stats = yield* Effect.forEach(
          children,
          (child) =>
            Effect.map(
              child.waitForLine((line) => line.startsWith("done "), "90 seconds"),
              (line) => JSON.parse(line.slice(5)) as Workload.RetryStats
            ),
          { concurrency: "unbounded" }
        )
        for (const child of children) assert.deepStrictEqual(yield* child.closed, { code: 0, signal: null })

        // read back with raw SQL
        const [counter] = yield* sql<{ last: string; version: number }>`SELECT last, version FROM gz_rel_counters
          WHERE tenant_id = ${Workload.tenantId} AND id = ${Workload.COUNTER_ID}`
        assert.strictEqual(Number(counter.last), TOTAL, "lost or duplicated updates")
        assert.strictEqual(Number(counter.version), TOTAL + 1)
        const events = (yield* sql<{ payload: string }>`SELECT payload::text AS payload FROM gongzhi_outbox
          WHERE tenant_id = ${Workload.tenantId}`).map(
          (row) => JSON.parse(row.payload) as { worker: string; i: number; value: number }
        )
        assert.strictEqual(events.length, TOTAL)
        // every value of the counter was reached exactly once, by exactly one increment
        assert.deepStrictEqual(
          events.map((event) => event.value).sort((a, b) => a - b),
          Workload.oneTo(TOTAL)
        )
        const increments = new Set(events.map((event) => `${event.worker}#${event.i}`))
        assert.strictEqual(increments.size, TOTAL)
        for (const worker of PROCESSES) {
          for (let f = 0; f < FIBERS; f++) {
            for (let i = 0; i < INCREMENTS; i++) assert.isTrue(increments.has(`${worker}-${f}#${i}`))
          }
        }
        // the fibers really contended (their retries are what this test is about)
        const conflicts = stats.reduce((n, s) => n + s.conflicts, 0)
        const retryable = stats.reduce((n, s) => n + s.busy, 0)
        assert.isAbove(conflicts, 0)
        yield* Effect.log(
          `PostgreSQL concurrency test: ${TOTAL} increments, ${conflicts} version conflicts and ${retryable} retryable storage errors retried`
        )
      }).pipe(Effect.scoped),
    120_000
  )
})
