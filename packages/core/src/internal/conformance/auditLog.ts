import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import type { AuditEntry, AuditVerification } from "../../AuditLog.js"
import { AuditLog, GENESIS_HASH, hashEntry } from "../../AuditLog.js"
import { Outbox } from "../../Outbox.js"
import type { TenantId } from "../../Tenant.js"
import { Transactor } from "../../Transactor.js"
import { auditChainSuite } from "./auditChain.js"
import type { AuditTamperShape, Backend } from "./kit.js"
import {
  AuditTamper,
  freshTenant,
  jsonColumn,
  loopBound,
  orDie,
  rawSql,
  sampleAuditEntry,
  sampleEvent,
  startClock
} from "./kit.js"
import type { KernelPorts } from "./transactor.js"

/** The whole chain of a tenant, page by page. */
const listAll = (tenantId: TenantId, limit = 100) =>
  Effect.gen(function* () {
    const log = yield* AuditLog
    const all: Array<AuditEntry> = []
    let cursor: string | undefined
    const pages = loopBound("list pages", 10_000)
    do {
      yield* pages
      const page = yield* log.list(tenantId, { limit, cursor })
      all.push(...page.items)
      cursor = page.nextCursor
    } while (cursor !== undefined)
    return all
  })

/** Appends `count` entries, one second apart. */
const appendMany = (tenantId: TenantId, count: number) =>
  Effect.gen(function* () {
    const log = yield* AuditLog
    const entries: Array<AuditEntry> = []
    for (let i = 1; i <= count; i++) {
      entries.push(yield* log.append(sampleAuditEntry(tenantId, i)))
      yield* TestClock.adjust(1_000)
    }
    return entries
  })

const assertIntact = (verification: AuditVerification, count: number) => {
  assert.strictEqual(verification._tag, "Intact", JSON.stringify(verification))
  if (verification._tag === "Intact") assert.strictEqual(verification.count, count)
}

const assertTampered = (verification: AuditVerification, sequence: number, reason: "hash" | "link" | "gap") => {
  assert.strictEqual(verification._tag, "Tampered")
  if (verification._tag === "Tampered") {
    assert.strictEqual(verification.sequence, sequence)
    assert.strictEqual(verification.reason, reason)
    assert.isTrue(verification.message.length > 0)
  }
}

/** Tampering through raw SQL, as someone with database access could. */
const sqlTamper: Effect.Effect<AuditTamperShape> = Effect.map(rawSql, (sql) => ({
  rewriteDetails: (tenantId, sequence, details) =>
    orDie(
      sql`UPDATE gongzhi_audit_log SET details = ${JSON.stringify(details)}
        WHERE tenant_id = ${tenantId} AND sequence = ${sequence}`
    ),
  remove: (tenantId, sequence) =>
    orDie(sql`DELETE FROM gongzhi_audit_log WHERE tenant_id = ${tenantId} AND sequence = ${sequence}`)
}))

/**
 * What the AuditLog suite checks on a backend: the hash chain (sequence, prevHash, hash), read-back
 * (raw on SQL), input validation, pagination, `verify` finding an edited entry ("hash") and a removed
 * one ("gap") at the right sequence, concurrent appends staying gap-free, and tenant isolation.
 */
export const auditLogSuite = (backend: Backend<KernelPorts>) => {
  auditChainSuite(backend)
  describe(`AuditLog conformance (${backend.name})`, () => {
    it.layer(backend.layer, { timeout: "120 seconds" })((it) => {
      const tamper: Effect.Effect<AuditTamperShape> = backend.sql
        ? sqlTamper
        : Effect.flatMap(Effect.serviceOption(AuditTamper), (option) =>
            Option.isSome(option)
              ? Effect.succeed(option.value)
              : Effect.dieMessage("backend.tamper is set, but its layer provides no AuditTamper")
          )

      it.effect(
        "append links entries into a chain: sequence from 1, prevHash of the previous, hash over the content",
        () =>
          Effect.gen(function* () {
            const start = yield* startClock
            const log = yield* AuditLog
            const tenantId = freshTenant()
            const entries = yield* appendMany(tenantId, 3)
            assert.deepStrictEqual(
              entries.map((entry) => entry.sequence),
              [1, 2, 3]
            )
            assert.strictEqual(entries[0].prevHash, GENESIS_HASH)
            assert.strictEqual(entries[1].prevHash, entries[0].hash)
            assert.strictEqual(entries[2].prevHash, entries[1].hash)
            entries.forEach((entry, i) => {
              assert.strictEqual(entry.hash, hashEntry(entry))
              assert.match(entry.hash, /^[0-9a-f]{64}$/)
              assert.strictEqual(entry.recordedAt.getTime(), start + i * 1_000)
              assert.strictEqual(entry.tenantId, tenantId)
              assert.strictEqual(entry.actorKind, "staff")
              assert.strictEqual(entry.targetId, `thing-${i + 1}`)
            })
            const stored = yield* listAll(tenantId)
            assert.strictEqual(stored.length, 3)
            stored.forEach((entry, i) => {
              const appended = entries[i]
              assert.strictEqual(entry.sequence, appended.sequence)
              assert.strictEqual(entry.hash, appended.hash)
              assert.strictEqual(entry.prevHash, appended.prevHash)
              assert.strictEqual(entry.recordedAt.getTime(), appended.recordedAt.getTime())
              assert.strictEqual(entry.action, appended.action)
              assert.deepStrictEqual(entry.details, appended.details)
            })
            const verification = yield* log.verify(tenantId)
            assertIntact(verification, 3)
            if (verification._tag === "Intact") assert.strictEqual(verification.headHash, entries[2].hash)
          })
      )

      it.effect("details are JSON: Chinese text and nesting survive, key order does not matter to the hash", () =>
        Effect.gen(function* () {
          yield* startClock
          const log = yield* AuditLog
          const tenantId = freshTenant()
          const details = { z: 1, a: { 社区: "沙坣社区", list: [1, null, true, 2.5] }, from: "待审核", to: "已通过" }
          const entry = yield* log.append(sampleAuditEntry(tenantId, 1, details))
          assert.deepStrictEqual(entry.details, details)
          const [stored] = yield* listAll(tenantId)
          assert.deepStrictEqual(stored.details, details)
          assert.strictEqual(hashEntry(stored), entry.hash)
          const defaulted = yield* log.append({ ...sampleAuditEntry(tenantId, 2), details: undefined })
          assert.deepStrictEqual(defaulted.details, {})
          assertIntact(yield* log.verify(tenantId), 2)
        })
      )

      if (backend.sql) {
        it.effect(
          "raw SQL sees the stored chain: tenant first, sequence, JSON details, hashes, epoch-millisecond time",
          () =>
            Effect.gen(function* () {
              const start = yield* startClock
              const sql = yield* rawSql
              const tenantId = freshTenant()
              const entries = yield* appendMany(tenantId, 2)
              const rows = yield* orDie(
                sql<Record<string, unknown>>`SELECT tenant_id, sequence, recorded_at, actor_kind, actor_id, action,
                target_type, target_id, ${jsonColumn(sql, "details")} AS details, prev_hash, hash
                FROM gongzhi_audit_log WHERE tenant_id = ${tenantId} ORDER BY sequence`
              )
              assert.strictEqual(rows.length, 2)
              rows.forEach((row, i) => {
                assert.strictEqual(row.tenant_id, tenantId)
                assert.strictEqual(Number(row.sequence), i + 1)
                assert.strictEqual(Number(row.recorded_at), start + i * 1_000)
                assert.strictEqual(row.actor_kind, "staff")
                assert.strictEqual(row.actor_id, "staff-001")
                assert.strictEqual(row.action, "thing.update")
                assert.strictEqual(row.target_type, "Thing")
                assert.strictEqual(row.target_id, `thing-${i + 1}`)
                assert.deepStrictEqual(JSON.parse(String(row.details)), entries[i].details)
                assert.strictEqual(row.prev_hash, entries[i].prevHash)
                assert.strictEqual(row.hash, entries[i].hash)
              })
            })
        )
      }

      it.effect("invalid input fails with AuditInputError and leaves the chain unchanged", () =>
        Effect.gen(function* () {
          yield* startClock
          const log = yield* AuditLog
          const tenantId = freshTenant()
          yield* appendMany(tenantId, 1)
          const emptyActor = yield* Effect.flip(log.append({ ...sampleAuditEntry(tenantId, 2), actorId: "" }))
          assert.strictEqual(emptyActor._tag, "AuditInputError")
          const badTenant = yield* Effect.flip(log.append({ ...sampleAuditEntry(tenantId, 2), tenantId: "0440310" }))
          assert.strictEqual(badTenant._tag, "AuditInputError")
          const notJson = yield* Effect.flip(log.append(sampleAuditEntry(tenantId, 2, { amount: BigInt(1) })))
          assert.strictEqual(notJson._tag, "AuditInputError")
          assertIntact(yield* log.verify(tenantId), 1)
          const next = yield* log.append(sampleAuditEntry(tenantId, 2))
          assert.strictEqual(next.sequence, 2)
        })
      )

      it.effect("list pages through the chain in order, every entry exactly once", () =>
        Effect.gen(function* () {
          yield* startClock
          const log = yield* AuditLog
          const tenantId = freshTenant()
          yield* appendMany(tenantId, 7)
          const sizes: Array<number> = []
          const sequences: Array<number> = []
          let cursor: string | undefined
          const pages = loopBound("list pages", 10_000)
          do {
            yield* pages
            const page = yield* log.list(tenantId, { limit: 3, cursor })
            sizes.push(page.items.length)
            sequences.push(...page.items.map((entry) => entry.sequence))
            cursor = page.nextCursor
          } while (cursor !== undefined)
          assert.deepStrictEqual(sizes, [3, 3, 1])
          assert.deepStrictEqual(sequences, [1, 2, 3, 4, 5, 6, 7])
          const exact = yield* log.list(tenantId, { limit: 7 })
          assert.strictEqual(exact.items.length, 7)
          assert.strictEqual(exact.nextCursor, undefined)
          assert.deepStrictEqual((yield* log.list(freshTenant(), { limit: 5 })).items, [])
        })
      )

      if (backend.sql || backend.tamper) {
        it.effect("verify finds an edited entry: Tampered at its sequence, reason hash", () =>
          Effect.gen(function* () {
            yield* startClock
            const log = yield* AuditLog
            const tenantId = freshTenant()
            yield* appendMany(tenantId, 5)
            assertIntact(yield* log.verify(tenantId), 5)
            yield* Effect.flatMap(tamper, (t) =>
              t.rewriteDetails(tenantId, 3, { i: 3, field: "status", to: "rejected" })
            )
            assertTampered(yield* log.verify(tenantId), 3, "hash")
          })
        )

        it.effect("verify finds a removed entry: Tampered at the missing sequence, reason gap", () =>
          Effect.gen(function* () {
            yield* startClock
            const log = yield* AuditLog
            const tenantId = freshTenant()
            yield* appendMany(tenantId, 5)
            yield* Effect.flatMap(tamper, (t) => t.remove(tenantId, 2))
            assertTampered(yield* log.verify(tenantId), 2, "gap")
          })
        )

        it.effect("tampering with one tenant's chain does not affect another tenant's", () =>
          Effect.gen(function* () {
            yield* startClock
            const log = yield* AuditLog
            const a = freshTenant()
            const b = freshTenant()
            yield* appendMany(a, 3)
            yield* appendMany(b, 3)
            yield* Effect.flatMap(tamper, (t) => t.rewriteDetails(a, 1, { forged: true }))
            assertTampered(yield* log.verify(a), 1, "hash")
            assertIntact(yield* log.verify(b), 3)
          })
        )
      }

      if (backend.sql) {
        it.effect("verify notices entries cut off the end of the chain (SQL keeps the chain head)", () =>
          Effect.gen(function* () {
            yield* startClock
            const log = yield* AuditLog
            const tenantId = freshTenant()
            yield* appendMany(tenantId, 3)
            yield* Effect.flatMap(tamper, (t) => t.remove(tenantId, 3))
            assertTampered(yield* log.verify(tenantId), 3, "gap")
            // an append after the cut does not hide it: the chain continues after the recorded head
            const next = yield* log.append(sampleAuditEntry(tenantId, 4))
            assert.strictEqual(next.sequence, 4)
            assertTampered(yield* log.verify(tenantId), 3, "gap")
          })
        )

        it.effect(
          "an append that collides on (tenant_id, sequence) retries after the log's head, inside the caller's transaction",
          () =>
            Effect.gen(function* () {
              yield* startClock
              const log = yield* AuditLog
              const outbox = yield* Outbox
              const transactor = yield* Transactor
              const sql = yield* rawSql
              const tenantId = freshTenant()
              const entries = yield* appendMany(tenantId, 3)
              // a chain-head record that fell behind the log: the next insert hits the primary key
              yield* orDie(
                sql`UPDATE gongzhi_audit_head SET sequence = 1, hash = ${entries[0].hash} WHERE tenant_id = ${tenantId}`
              )
              const [entry] = yield* transactor.withTransaction(
                Effect.all([log.append(sampleAuditEntry(tenantId, 4)), outbox.append([sampleEvent(tenantId, 4)])])
              )
              assert.strictEqual(entry.sequence, 4)
              assert.strictEqual(entry.prevHash, entries[2].hash)
              assertIntact(yield* log.verify(tenantId), 4)
              // the rest of that transaction committed: the collision did not spoil it
              assert.strictEqual((yield* outbox.list(tenantId, { limit: 10 })).items.length, 1)
            })
        )
      }

      it.effect("concurrent appends to one tenant yield one gap-free chain", () =>
        Effect.gen(function* () {
          yield* startClock
          const log = yield* AuditLog
          const transactor = yield* Transactor
          const outbox = yield* Outbox
          const tenantId = freshTenant()
          const plain = yield* Effect.all(
            Array.from({ length: 12 }, (_, i) => log.append(sampleAuditEntry(tenantId, i))),
            { concurrency: "unbounded" }
          )
          assert.deepStrictEqual(
            plain.map((entry) => entry.sequence).sort((x, y) => x - y),
            Array.from({ length: 12 }, (_, i) => i + 1)
          )
          // the usual shape: each command appends its audit entry inside its own transaction
          const inTransactions = yield* Effect.all(
            Array.from({ length: 8 }, (_, i) =>
              transactor.withTransaction(
                Effect.zipLeft(
                  log.append(sampleAuditEntry(tenantId, 100 + i)),
                  outbox.append([sampleEvent(tenantId, 100 + i)])
                )
              )
            ),
            { concurrency: "unbounded" }
          )
          assert.deepStrictEqual(
            inTransactions.map((entry) => entry.sequence).sort((x, y) => x - y),
            Array.from({ length: 8 }, (_, i) => i + 13)
          )
          const stored = yield* listAll(tenantId, 7)
          assert.deepStrictEqual(
            stored.map((entry) => entry.sequence),
            Array.from({ length: 20 }, (_, i) => i + 1)
          )
          assertIntact(yield* log.verify(tenantId), 20)
        })
      )

      it.effect("tenants have separate chains", () =>
        Effect.gen(function* () {
          yield* startClock
          const log = yield* AuditLog
          const a = freshTenant()
          const b = freshTenant()
          const ofA = yield* appendMany(a, 3)
          const ofB = yield* appendMany(b, 2)
          assert.deepStrictEqual(
            ofB.map((entry) => entry.sequence),
            [1, 2]
          )
          assert.strictEqual(ofB[0].prevHash, GENESIS_HASH)
          const storedB = yield* listAll(b)
          assert.deepStrictEqual(
            storedB.map((entry) => entry.hash),
            ofB.map((entry) => entry.hash)
          )
          for (const entry of storedB) assert.strictEqual(entry.tenantId, b)
          assert.strictEqual((yield* listAll(a)).length, 3)
          assertIntact(yield* log.verify(a), 3)
          assertIntact(yield* log.verify(b), 2)
          assertIntact(yield* log.verify(freshTenant()), 0)
          assert.notStrictEqual(ofA[0].hash, ofB[0].hash)
        })
      )
    })
  })
}
