import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Workload from "@gongzhi/core/testing/reliability"
import { Effect } from "effect"
import * as SqliteStore from "../src/SqliteStore.js"
import { tempDatabaseFile } from "../src/testing.js"

const FIXTURE = fileURLToPath(new URL("./fixtures/child.ts", import.meta.url))
const PACKAGE_DIR = Path.resolve(Path.dirname(FIXTURE), "../..")
const ROUNDS = 15

/** What is stored, read with raw SQL (the second path: no repository, no port). */
const readState = (sql: SqlClient.SqlClient) =>
  sql.withTransaction(
    Effect.gen(function* () {
      const tenantId = Workload.tenantId
      const [counter] = yield* sql<{ last: number; version: number }>`SELECT last, version FROM gz_rel_counters
        WHERE tenant_id = ${tenantId} AND id = ${Workload.COUNTER_ID}`
      const steps = yield* sql<{ seq: number }>`SELECT seq FROM gz_rel_steps WHERE tenant_id = ${tenantId} ORDER BY seq`
      const outbox = yield* sql<{ payload: string }>`SELECT payload FROM gongzhi_outbox WHERE tenant_id = ${tenantId}`
      const audit = yield* sql<{ sequence: number; details: string }>`SELECT sequence, details FROM gongzhi_audit_log
        WHERE tenant_id = ${tenantId} ORDER BY sequence`
      return {
        last: Number(counter.last),
        version: Number(counter.version),
        steps: steps.map((row) => Number(row.seq)),
        outbox: outbox.map((row) => (JSON.parse(row.payload) as { seq: number }).seq).sort((a, b) => a - b),
        audit: audit.map((row) => Number(row.sequence)),
        auditDetails: audit.map((row) => (JSON.parse(row.details) as { seq: number }).seq)
      }
    })
  )

describe("SqliteStore crash safety (SIGKILL)", () => {
  it.live(
    `${ROUNDS} kills at random points: every acknowledged commit is there, none is half-applied, the audit chain is intact`,
    () =>
      Effect.gen(function* () {
        const seed = Workload.runSeed()
        const random = Workload.seededRandom(seed)
        const replay = `seed ${seed}: GONGZHI_RELIABILITY_SEED=${seed} replays the kill times`
        const filename = yield* tempDatabaseFile
        const store = yield* SqliteStore.make({
          filename,
          migrations: [CoreMigrations.migrations, Workload.migrations]
        })
        const sql: SqlClient.SqlClient = store.client
        const log = yield* AuditLog.AuditLog.pipe(
          Effect.provide(AuditLog.layerSql),
          Effect.provideService(SqlClient.SqlClient, sql)
        )
        yield* Effect.flatMap(Workload.make, (workload) => workload.ensureCounter).pipe(
          Effect.provideService(SqlClient.SqlClient, sql)
        )

        let stored = 0 // the counter after the previous kill
        let acknowledged = 0 // the highest acknowledgement so far
        let unacknowledged = 0 // kills that fell between a commit and its acknowledgement
        // the next child starts while the current one runs: Node's start-up is the slow part
        const spawn = Workload.spawnChild(FIXTURE, ["crash"], { GONGZHI_REL_SQLITE_FILE: filename }, PACKAGE_DIR)
        let next = yield* spawn
        for (let round = 1; round <= ROUNDS; round++) {
          const context = `round ${round}, ${replay}`
          const child = next
          if (round < ROUNDS) next = yield* spawn
          yield* child.waitForLine((line) => line === "ready")
          yield* child.send("go")
          // kill 50–400 ms after the first commit, so that every kill lands in the middle of the work
          yield* child.waitForLine((line) => line.startsWith("ack "))
          yield* Effect.sleep(50 + Math.floor(random() * 351))
          const exit = yield* child.kill
          assert.strictEqual(exit.signal, "SIGKILL", `${context}: the child stopped by itself\n${child.stderr()}`)

          // the child resumed from the stored state and acknowledged its commits in order
          const acks = child.lines.filter((line) => line.startsWith("ack ")).map((line) => Number(line.slice(4)))
          assert.deepStrictEqual(
            acks,
            acks.map((_, i) => stored + 1 + i),
            context
          )
          if (acks.length > 0) acknowledged = acks[acks.length - 1]

          const state = yield* readState(sql)
          assert.isAtLeast(state.last, acknowledged, `${context}: an acknowledged commit was lost`)
          if (state.last > acknowledged) unacknowledged++
          // nothing half-applied: counter, step rows, outbox events and audit entries agree on 1..last
          const all = Workload.oneTo(state.last)
          assert.strictEqual(state.version, state.last + 1, `${context}: counter version`)
          assert.deepStrictEqual(state.steps, all, `${context}: step rows`)
          assert.deepStrictEqual(state.outbox, all, `${context}: outbox events`)
          assert.deepStrictEqual(state.audit, all, `${context}: audit sequences`)
          assert.deepStrictEqual(state.auditDetails, all, `${context}: audit details`)
          assert.deepInclude(yield* log.verify(Workload.tenantId), { _tag: "Intact", count: state.last }, context)
          stored = state.last
        }
        yield* Effect.log(
          `SQLite crash test: ${ROUNDS} kills, ${stored} commits, ${acknowledged} acknowledged, ${unacknowledged} kills between a commit and its acknowledgement (${replay})`
        )
      }).pipe(Effect.scoped),
    120_000
  )
})
