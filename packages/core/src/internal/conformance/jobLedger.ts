import { assert, describe, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { JobLedger } from "../../JobLedger.js"
import { freshTenant } from "./kit.js"

/** A backend of the job-ledger suite: a fresh, migrated ledger each time it is provided. */
export interface JobLedgerBackend {
  readonly name: string
  readonly layer: Layer.Layer<JobLedger, unknown>
  /** Whether claims from several connections race for real (PostgreSQL, MySQL). */
  readonly concurrentWriters?: boolean
}

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 1, minutes, 0))
const LEASE = 10 * 60_000

/**
 * The job ledger's contract: one claim wins a slot; `done` is final; `failed` and a run-out lease free it; a
 * stale worker's finish is ignored; concurrent claims of one slot let exactly one worker through.
 */
export const jobLedgerSuite = (backend: JobLedgerBackend): void => {
  describe(`JobLedger on ${backend.name}`, () => {
    layer(backend.layer, { timeout: "60 seconds" })((it) => {
      it.effect("the first claim of a slot wins, a done slot is never run again, slots and tenants are apart", () =>
        Effect.gen(function* () {
          const ledger = yield* JobLedger
          const tenantId = freshTenant()
          const claim = (workerId: string, slot = "2026-03-02", now = at(0)) =>
            ledger.claim({ tenantId, jobId: "opinion.escalateOverdue", slot, workerId, now, leaseMillis: LEASE })
          assert.isTrue(yield* claim("w1"))
          assert.isFalse(yield* claim("w2"))
          assert.isFalse(yield* claim("w1"))
          assert.isTrue(yield* claim("w2", "2026-03-03", at(1)))
          assert.isTrue(
            yield* ledger.claim({
              tenantId: freshTenant(),
              jobId: "opinion.escalateOverdue",
              slot: "2026-03-02",
              workerId: "w3",
              now: at(0),
              leaseMillis: LEASE
            })
          )
          yield* ledger.finish({
            tenantId,
            jobId: "opinion.escalateOverdue",
            slot: "2026-03-02",
            workerId: "w1",
            now: at(1),
            status: "done",
            summary: "督办 3 件"
          })
          assert.isFalse(yield* claim("w2", "2026-03-02", at(60)))
          const runs = yield* ledger.recent(tenantId)
          assert.deepStrictEqual(
            runs.map((r) => [r.slot, r.status, r.workerId, r.summary]),
            [
              ["2026-03-03", "running", "w2", undefined],
              ["2026-03-02", "done", "w1", "督办 3 件"]
            ]
          )
        })
      )

      it.effect(
        "a failed slot is claimed again at once; a run-out lease is taken over and the stale finish ignored",
        () =>
          Effect.gen(function* () {
            const ledger = yield* JobLedger
            const tenantId = freshTenant()
            const base = { tenantId, jobId: "credit.expireListDecisions", leaseMillis: LEASE }
            assert.isTrue(yield* ledger.claim({ ...base, slot: "2026-03", workerId: "w1", now: at(0) }))
            yield* ledger.finish({
              ...base,
              slot: "2026-03",
              workerId: "w1",
              now: at(1),
              status: "failed",
              summary: "数据库不可用"
            })
            assert.isTrue(yield* ledger.claim({ ...base, slot: "2026-03", workerId: "w2", now: at(2) }))
            const [retried] = yield* ledger.recent(tenantId, { jobId: "credit.expireListDecisions" })
            assert.deepStrictEqual([retried.attempts, retried.status, retried.workerId], [2, "running", "w2"])

            // w2 dies; before its lease runs out nobody may take the slot, after it w3 may
            assert.isFalse(yield* ledger.claim({ ...base, slot: "2026-03", workerId: "w3", now: at(11) }))
            assert.isTrue(yield* ledger.claim({ ...base, slot: "2026-03", workerId: "w3", now: at(12) }))
            // w2 wakes up and reports: ignored, the slot is w3's
            yield* ledger.finish({
              ...base,
              slot: "2026-03",
              workerId: "w2",
              now: at(13),
              status: "done",
              summary: "w2"
            })
            const [held] = yield* ledger.recent(tenantId)
            assert.deepStrictEqual([held.status, held.workerId, held.attempts], ["running", "w3", 3])
            yield* ledger.finish({
              ...base,
              slot: "2026-03",
              workerId: "w3",
              now: at(14),
              status: "done",
              summary: "w3"
            })
            const [done] = yield* ledger.recent(tenantId)
            assert.deepStrictEqual(
              [done.status, done.summary, done.finishedAt?.getTime()],
              ["done", "w3", at(14).getTime()]
            )
          })
      )

      it.effect("concurrent claims of one slot let exactly one worker through", () =>
        Effect.gen(function* () {
          const ledger = yield* JobLedger
          const tenantId = freshTenant()
          const results = yield* Effect.all(
            Array.from({ length: 8 }, (_, i) =>
              ledger.claim({
                tenantId,
                jobId: "volunteers.remindShifts",
                slot: "2026-03-02",
                workerId: `w${i}`,
                now: at(0),
                leaseMillis: LEASE
              })
            ),
            { concurrency: backend.concurrentWriters === true ? 8 : "unbounded" }
          )
          assert.strictEqual(results.filter(Boolean).length, 1)
        })
      )
    })
  })
}
