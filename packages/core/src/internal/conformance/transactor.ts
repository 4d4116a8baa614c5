import type { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Data, Deferred, Effect, Exit, Fiber, Option } from "effect"
import { AuditLog } from "../../AuditLog.js"
import { Outbox } from "../../Outbox.js"
import type { TenantId } from "../../Tenant.js"
import { Transactor } from "../../Transactor.js"
import type { Backend } from "./kit.js"
import {
  ensureStateTable,
  freshTenant,
  orDie,
  rawSql,
  STATE_TABLE,
  sampleAuditEntry,
  sampleEvent,
  startClock
} from "./kit.js"

/** The services every kernel suite needs from a backend. */
export type KernelPorts = Transactor | Outbox | AuditLog

class Boom extends Data.TaggedError("Boom")<{ readonly step: string }> {}

/**
 * What the Transactor suite checks on a backend: commit and rollback of the state change (a row of
 * a test table on SQL backends), the outbox events and the audit entry TOGETHER, on failure, defect
 * and interruption; nesting; and concurrent transactions.
 */
export const transactorSuite = (backend: Backend<KernelPorts>) =>
  describe(`Transactor conformance (${backend.name})`, () => {
    it.layer(backend.layer, { timeout: "120 seconds" })((it) => {
      const sqlOrNone: Effect.Effect<Option.Option<SqlClient.SqlClient>> = backend.sql
        ? Effect.map(rawSql, Option.some)
        : Effect.succeed(Option.none())

      /** A command: a state change (SQL only), two outbox events and an audit entry. */
      const command = (tenantId: TenantId, key: string) =>
        Effect.gen(function* () {
          const sql = yield* sqlOrNone
          if (Option.isSome(sql)) {
            yield* orDie(
              sql.value`INSERT INTO ${sql.value(STATE_TABLE)} ${sql.value.insert({ tenant_id: tenantId, id: key, value: `值 ${key}` })}`
            )
          }
          const outbox = yield* Outbox
          const audit = yield* AuditLog
          yield* outbox.append([sampleEvent(tenantId, 1, { key }), sampleEvent(tenantId, 2, { key })])
          yield* audit.append(sampleAuditEntry(tenantId, 1, { key }))
        })

      /** Everything a tenant has, read through the ports and (SQL) the raw tables. */
      const snapshot = (tenantId: TenantId) =>
        Effect.gen(function* () {
          const outbox = yield* Outbox
          const audit = yield* AuditLog
          const events = (yield* outbox.list(tenantId, { limit: 1000 })).items
          const entries = (yield* audit.list(tenantId, { limit: 1000 })).items
          const verification = yield* audit.verify(tenantId)
          const sql = yield* sqlOrNone
          let state: ReadonlyArray<string> = []
          let rawOutbox = 0
          let rawAudit = 0
          if (Option.isSome(sql)) {
            const s = sql.value
            state = (yield* orDie(
              s<{ id: string }>`SELECT id FROM ${s(STATE_TABLE)} WHERE tenant_id = ${tenantId} ORDER BY id`
            )).map((row) => row.id)
            rawOutbox = Number(
              (yield* orDie(
                s<{ n: unknown }>`SELECT COUNT(*) AS n FROM gongzhi_outbox WHERE tenant_id = ${tenantId}`
              ))[0].n
            )
            rawAudit = Number(
              (yield* orDie(
                s<{ n: unknown }>`SELECT COUNT(*) AS n FROM gongzhi_audit_log WHERE tenant_id = ${tenantId}`
              ))[0].n
            )
          }
          return {
            keys: events.map((entry) => (entry.event.payload as { key: string }).key),
            auditKeys: entries.map((entry) => (entry.details as { key: string }).key),
            sequences: entries.map((entry) => entry.sequence),
            verification,
            state,
            rawOutbox,
            rawAudit
          }
        })

      const assertEmpty = (tenantId: TenantId) =>
        Effect.gen(function* () {
          const s = yield* snapshot(tenantId)
          assert.deepStrictEqual(s.keys, [])
          assert.deepStrictEqual(s.auditKeys, [])
          assert.deepStrictEqual(s.state, [])
          assert.strictEqual(s.rawOutbox, 0)
          assert.strictEqual(s.rawAudit, 0)
          assert.strictEqual(s.verification._tag, "Intact")
          if (s.verification._tag === "Intact") assert.strictEqual(s.verification.count, 0)
        })

      const prepare = Effect.gen(function* () {
        yield* startClock
        const sql = yield* sqlOrNone
        if (Option.isSome(sql)) yield* ensureStateTable(sql.value)
        return freshTenant()
      })

      it.effect("a successful transaction commits the state change, its outbox events and its audit entry", () =>
        Effect.gen(function* () {
          const tenantId = yield* prepare
          const transactor = yield* Transactor
          yield* transactor.withTransaction(command(tenantId, "a"))
          const s = yield* snapshot(tenantId)
          assert.deepStrictEqual(s.keys, ["a", "a"])
          assert.deepStrictEqual(s.auditKeys, ["a"])
          if (backend.sql) {
            assert.deepStrictEqual(s.state, ["a"])
            assert.strictEqual(s.rawOutbox, 2)
            assert.strictEqual(s.rawAudit, 1)
          }
        })
      )

      it.effect("a failure rolls back state, outbox events and audit entry together, and surfaces unchanged", () =>
        Effect.gen(function* () {
          const tenantId = yield* prepare
          const transactor = yield* Transactor
          const error = yield* Effect.flip(
            transactor.withTransaction(Effect.zipRight(command(tenantId, "b"), new Boom({ step: "after command" })))
          )
          assert.instanceOf(error, Boom)
          assert.strictEqual((error as Boom).step, "after command")
          yield* assertEmpty(tenantId)
        })
      )

      it.effect("a defect rolls everything back too", () =>
        Effect.gen(function* () {
          const tenantId = yield* prepare
          const transactor = yield* Transactor
          const exit = yield* Effect.exit(
            transactor.withTransaction(Effect.zipRight(command(tenantId, "c"), Effect.dieMessage("crash")))
          )
          assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
          yield* assertEmpty(tenantId)
        })
      )

      it.effect("an interrupted transaction rolls everything back", () =>
        Effect.gen(function* () {
          const tenantId = yield* prepare
          const transactor = yield* Transactor
          const started = yield* Deferred.make<void>()
          const fiber = yield* Effect.fork(
            transactor.withTransaction(
              Effect.zipRight(
                command(tenantId, "d"),
                Effect.zipRight(Deferred.succeed(started, undefined), Effect.never)
              )
            )
          )
          yield* Deferred.await(started)
          yield* Fiber.interrupt(fiber)
          yield* assertEmpty(tenantId)
        })
      )

      it.effect("a nested withTransaction joins the outer one: an outer failure undoes the inner work", () =>
        Effect.gen(function* () {
          const tenantId = yield* prepare
          const transactor = yield* Transactor
          yield* Effect.flip(
            transactor.withTransaction(
              Effect.zipRight(transactor.withTransaction(command(tenantId, "e")), new Boom({ step: "outer" }))
            )
          )
          yield* assertEmpty(tenantId)
          yield* transactor.withTransaction(
            Effect.zipRight(
              transactor.withTransaction(command(tenantId, "f")),
              Effect.flatMap(Outbox, (outbox) => outbox.append([sampleEvent(tenantId, 3, { key: "g" })]))
            )
          )
          assert.deepStrictEqual((yield* snapshot(tenantId)).keys, ["f", "f", "g"])
        })
      )

      it.effect("committed work survives a later failed transaction, and the audit chain continues without a gap", () =>
        Effect.gen(function* () {
          const tenantId = yield* prepare
          const transactor = yield* Transactor
          yield* transactor.withTransaction(command(tenantId, "h"))
          yield* Effect.flip(
            transactor.withTransaction(Effect.zipRight(command(tenantId, "i"), new Boom({ step: "i" })))
          )
          yield* transactor.withTransaction(command(tenantId, "j"))
          const s = yield* snapshot(tenantId)
          assert.deepStrictEqual(s.keys, ["h", "h", "j", "j"])
          assert.deepStrictEqual(s.auditKeys, ["h", "j"])
          assert.deepStrictEqual(s.sequences, [1, 2])
          assert.strictEqual(s.verification._tag, "Intact")
          if (backend.sql) assert.deepStrictEqual(s.state, ["h", "j"])
        })
      )

      it.effect("concurrent transactions commit or roll back independently; the audit chain stays gap-free", () =>
        Effect.gen(function* () {
          const tenantId = yield* prepare
          const transactor = yield* Transactor
          const keys = Array.from({ length: 8 }, (_, i) => `k${i}`)
          const results = yield* Effect.all(
            keys.map((key, i) =>
              Effect.either(
                transactor.withTransaction(
                  i % 2 === 0
                    ? command(tenantId, key)
                    : Effect.zipRight(command(tenantId, key), new Boom({ step: key }))
                )
              )
            ),
            { concurrency: "unbounded" }
          )
          assert.strictEqual(results.filter((result) => result._tag === "Right").length, 4)
          const committed = keys.filter((_, i) => i % 2 === 0)
          const s = yield* snapshot(tenantId)
          assert.deepStrictEqual([...s.auditKeys].sort(), committed)
          assert.deepStrictEqual([...new Set(s.keys)].sort(), committed)
          assert.strictEqual(s.keys.length, 8)
          assert.deepStrictEqual(s.sequences, [1, 2, 3, 4])
          assert.strictEqual(s.verification._tag, "Intact")
          if (backend.sql) assert.deepStrictEqual(s.state, committed)
        })
      )
    })
  })
