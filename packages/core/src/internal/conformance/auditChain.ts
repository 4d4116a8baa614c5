import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Option, Redacted, TestClock } from "effect"
import * as AuditCheckpoint from "../../AuditCheckpoint.js"
import type { AuditEntry, AuditKeyringShape, AuditLogShape, AuditVerification } from "../../AuditLog.js"
import * as AuditLog from "../../AuditLog.js"
import type { TenantId } from "../../Tenant.js"
import { generateKey } from "../fieldCipher.js"
import type { Backend } from "./kit.js"
import { freshTenant, orDie, rawSql, sampleAuditEntry, startClock } from "./kit.js"
import type { KernelPorts } from "./transactor.js"

/** What someone with write access to the database can do to a chain. */
interface ChainTamper {
  /** Replaces stored entries (content, links, hashes and key ids) by these. */
  readonly overwrite: (entries: ReadonlyArray<AuditEntry>) => Effect.Effect<void>
  /** Deletes every entry from `sequence` on and moves the chain head back to the entry before it. */
  readonly truncate: (tenantId: TenantId, sequence: number) => Effect.Effect<void>
}

interface KeyedLog {
  readonly log: AuditLogShape
  readonly tamper: ChainTamper
}

const keyed = (
  backend: Backend<KernelPorts>,
  keyring: AuditKeyringShape | undefined,
  sink: AuditCheckpoint.CheckpointSinkShape
): Effect.Effect<KeyedLog, never, KernelPorts> => {
  let context = Context.make(AuditCheckpoint.CheckpointSink, sink)
  if (keyring !== undefined) context = Context.add(context, AuditLog.AuditKeyring, keyring)
  if (backend.sql) {
    return Effect.gen(function* () {
      const sql = yield* rawSql
      const log = yield* Layer.build(AuditLog.layerSql).pipe(
        Effect.map(Context.get(AuditLog.AuditLog)),
        Effect.provide(context),
        Effect.provideService(SqlClient.SqlClient, sql),
        Effect.scoped
      )
      const tamper: ChainTamper = {
        overwrite: (entries) =>
          Effect.forEach(
            entries,
            (entry) =>
              orDie(
                sql`UPDATE gongzhi_audit_log SET details = ${JSON.stringify(entry.details)}, prev_hash = ${entry.prevHash},
                hash = ${entry.hash}, key_id = ${entry.keyId}
                WHERE tenant_id = ${entry.tenantId} AND sequence = ${entry.sequence}`
              ),
            { discard: true }
          ),
        truncate: (tenantId, sequence) =>
          Effect.gen(function* () {
            yield* orDie(sql`DELETE FROM gongzhi_audit_log WHERE tenant_id = ${tenantId} AND sequence >= ${sequence}`)
            const [previous] = yield* orDie(
              sql<{ readonly hash: string }>`SELECT hash FROM gongzhi_audit_log
              WHERE tenant_id = ${tenantId} AND sequence = ${sequence - 1}`
            )
            yield* orDie(
              sql`UPDATE gongzhi_audit_head SET sequence = ${sequence - 1}, hash = ${previous?.hash ?? AuditLog.GENESIS_HASH}
              WHERE tenant_id = ${tenantId}`
            )
          })
      }
      return { log, tamper }
    })
  }
  return Effect.map(Effect.provide(AuditLog.makeMemoryOn(memoryStore), context), ({ service, store }) => ({
    log: service,
    tamper: {
      overwrite: (entries) =>
        Effect.sync(() => {
          for (const entry of entries) {
            const chain = store.get(entry.tenantId) ?? []
            const index = chain.findIndex((stored) => stored.sequence === entry.sequence)
            if (index >= 0) chain[index] = entry
          }
        }),
      truncate: (tenantId, sequence) =>
        Effect.sync(() => {
          const chain = store.get(tenantId) ?? []
          chain.splice(sequence - 1)
        })
    }
  }))
}

const appendMany = (log: AuditLogShape, tenantId: TenantId, from: number, count: number) =>
  Effect.gen(function* () {
    const entries: Array<AuditEntry> = []
    for (let i = from; i < from + count; i++) {
      entries.push(yield* log.append(sampleAuditEntry(tenantId, i)))
      yield* TestClock.adjust(1_000)
    }
    return entries
  })

const listAll = (log: AuditLogShape, tenantId: TenantId) =>
  Effect.map(log.list(tenantId, { limit: 1000 }), (page) => page.items)

const expectTampered = (verification: AuditVerification, sequence: number, reason: AuditLog.AuditTamperReason) => {
  assert.strictEqual(verification._tag, "Tampered", JSON.stringify(verification))
  if (verification._tag === "Tampered") {
    assert.strictEqual(verification.reason, reason, verification.message)
    assert.strictEqual(verification.sequence, sequence, verification.message)
  }
}

/** Recomputes a chain from `sequence` on with the public hash, as an attacker without the key would. */
const forge = (entries: ReadonlyArray<AuditEntry>, from: number, edit: (entry: AuditEntry) => AuditEntry) => {
  const out: Array<AuditEntry> = []
  let prevHash = entries[from - 2]?.hash ?? AuditLog.GENESIS_HASH
  for (const entry of entries.slice(from - 1)) {
    const edited = entry.sequence === from ? edit(entry) : entry
    const base = { ...edited, prevHash }
    const forged = new AuditLog.AuditEntry({ ...base, hash: AuditLog.hashEntry(base) })
    out.push(forged)
    prevHash = forged.hash
  }
  return out
}

const testKeyring = (keyIds: ReadonlyArray<string>, currentKeyId: string, extra: Record<string, unknown> = {}) =>
  Effect.orDie(
    AuditLog.makeKeyring({
      keys: Object.fromEntries(keyIds.map((keyId) => [keyId, keys.get(keyId)!])),
      currentKeyId,
      ...extra
    })
  )

/** One store for every in-memory log of the suite (each test has its own tenant). */
const memoryStore = new Map<string, Array<AuditEntry>>()

const keys = new Map(["k1", "k2"].map((keyId) => [keyId, Redacted.make(generateKey())] as const))

/**
 * The keyed chain on a backend: HMAC entries with key ids, key rotation, forgeries with the public
 * hash refused, truncation caught against the latest signed checkpoint, forged checkpoints refused.
 */
export const auditChainSuite = (backend: Backend<KernelPorts>) =>
  describe(`AuditLog keyed chain and checkpoints (${backend.name})`, () => {
    it.layer(backend.layer, { timeout: "120 seconds" })((it) => {
      it.effect("entries are HMACs under the current key, with its key id; rotation keeps old entries verifiable", () =>
        Effect.gen(function* () {
          yield* startClock
          const tenantId = freshTenant()
          const sink = AuditCheckpoint.makeMemory().sink
          const first = yield* keyed(backend, yield* testKeyring(["k1"], "k1"), sink)
          const before = yield* appendMany(first.log, tenantId, 1, 2)
          const rotated = yield* keyed(backend, yield* testKeyring(["k1", "k2"], "k2"), sink)
          const after = yield* appendMany(rotated.log, tenantId, 3, 2)
          const stored = yield* listAll(rotated.log, tenantId)
          assert.deepStrictEqual(
            stored.map((entry) => entry.keyId),
            ["k1", "k1", "k2", "k2"]
          )
          for (const entry of [...before, ...after]) assert.notStrictEqual(entry.hash, AuditLog.hashEntry(entry))
          const verified = yield* rotated.log.verify(tenantId)
          assert.strictEqual(verified._tag, "Intact")
          // a verifier that lost the old key cannot vouch for its entries
          const newOnly = yield* keyed(backend, yield* testKeyring(["k2"], "k2"), sink)
          expectTampered(yield* newOnly.log.verify(tenantId), 1, "key")
          const none = yield* keyed(backend, undefined, sink)
          expectTampered(yield* none.log.verify(tenantId), 1, "key")
        })
      )

      it.effect("an entry edited and the chain recomputed with the public hash does not verify", () =>
        Effect.gen(function* () {
          yield* startClock
          const tenantId = freshTenant()
          const { log, tamper } = yield* keyed(
            backend,
            yield* testKeyring(["k1"], "k1"),
            AuditCheckpoint.makeMemory().sink
          )
          const entries = yield* appendMany(log, tenantId, 1, 5)
          // keep the key id, recompute the public hash: the HMAC does not match
          yield* tamper.overwrite(
            forge(entries, 3, (entry) => new AuditLog.AuditEntry({ ...entry, details: { forged: true } })).map(
              (entry) => new AuditLog.AuditEntry({ ...entry, keyId: "k1" })
            )
          )
          expectTampered(yield* log.verify(tenantId), 3, "hash")
          // drop the key ids as well (pretend the chain was never keyed): refused as unkeyed
          yield* tamper.overwrite(
            forge(entries, 3, (entry) => new AuditLog.AuditEntry({ ...entry, details: { forged: true } })).map(
              (entry) => new AuditLog.AuditEntry({ ...entry, keyId: "" })
            )
          )
          expectTampered(yield* log.verify(tenantId), 3, "key")
        })
      )

      it.effect("an unkeyed chain is sealed by the first keyed entry once keys are configured", () =>
        Effect.gen(function* () {
          yield* startClock
          const tenantId = freshTenant()
          const sink = AuditCheckpoint.makeMemory().sink
          const legacy = yield* keyed(backend, undefined, sink)
          const old = yield* appendMany(legacy.log, tenantId, 1, 2)
          const migrating = yield* keyed(backend, yield* testKeyring(["k1"], "k1", { allowUnkeyed: true }), sink)
          yield* appendMany(migrating.log, tenantId, 3, 2)
          assert.strictEqual((yield* migrating.log.verify(tenantId))._tag, "Intact")
          const strict = yield* keyed(backend, yield* testKeyring(["k1"], "k1"), sink)
          expectTampered(yield* strict.log.verify(tenantId), 1, "key")
          // rewriting a sealed unkeyed entry breaks the link of the first keyed one
          yield* migrating.tamper.overwrite(
            forge(old, 2, (entry) => new AuditLog.AuditEntry({ ...entry, details: { forged: true } }))
          )
          expectTampered(yield* migrating.log.verify(tenantId), 3, "link")
        })
      )

      it.effect("entries cut off the end and the head moved back are caught against the last checkpoint", () =>
        Effect.gen(function* () {
          yield* startClock
          const tenantId = freshTenant()
          const memory = AuditCheckpoint.makeMemory()
          const keyring = yield* testKeyring(["k1"], "k1")
          const { log, tamper } = yield* keyed(backend, keyring, memory.sink)
          yield* appendMany(log, tenantId, 1, 5)
          const signed = yield* AuditLog.checkpoint(tenantId).pipe(
            Effect.provideService(AuditLog.AuditLog, log),
            Effect.provideService(AuditLog.AuditKeyring, keyring),
            Effect.provideService(AuditCheckpoint.CheckpointSink, memory.sink)
          )
          assert.strictEqual(signed.sequence, 5)
          assert.strictEqual(signed.keyId, "k1")
          const intact = yield* log.verify(tenantId)
          assert.strictEqual(intact._tag, "Intact")
          if (intact._tag === "Intact") assert.strictEqual(intact.checkpoint, 5)
          yield* appendMany(log, tenantId, 6, 1)
          yield* tamper.truncate(tenantId, 4)
          expectTampered(yield* log.verify(tenantId), 4, "checkpoint")
        })
      )

      it.effect("a checkpoint with a forged signature, or of a rewritten chain, is refused", () =>
        Effect.gen(function* () {
          yield* startClock
          const tenantId = freshTenant()
          const memory = AuditCheckpoint.makeMemory()
          const keyring = yield* testKeyring(["k1"], "k1")
          const { log, tamper } = yield* keyed(backend, keyring, memory.sink)
          const entries = yield* appendMany(log, tenantId, 1, 3)
          const signed = yield* AuditLog.checkpoint(tenantId).pipe(
            Effect.provideService(AuditLog.AuditLog, log),
            Effect.provideService(AuditLog.AuditKeyring, keyring),
            Effect.provideService(AuditCheckpoint.CheckpointSink, memory.sink)
          )
          assert.isTrue(AuditLog.checkpointIsAuthentic(signed, keyring))
          memory.checkpoints.push(new AuditCheckpoint.Checkpoint({ ...signed, sequence: 1, mac: "0".repeat(64) }))
          memory.checkpoints.push(new AuditCheckpoint.Checkpoint({ ...signed, sequence: 9 }))
          expectTampered(yield* log.verify(tenantId), 9, "checkpoint")
          memory.checkpoints.pop()
          memory.checkpoints.pop()
          // a rewritten chain with a checkpoint of its old head
          yield* tamper.overwrite([new AuditLog.AuditEntry({ ...entries[2], hash: "f".repeat(64) })])
          const verification = yield* log.verify(tenantId)
          assert.strictEqual(verification._tag, "Tampered")
          assert.isTrue(Option.isSome(yield* memory.sink.latest(tenantId)))
        })
      )
    })
  })
