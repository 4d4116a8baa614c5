import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck } from "effect"
import * as AuditLog from "../src/AuditLog.js"
import { auditLogSuite, freshTenant, memoryBackend, sampleAuditEntry } from "../src/testing.js"

auditLogSuite(memoryBackend)

const chainOf = (count: number) =>
  Effect.gen(function* () {
    const { service, store } = yield* AuditLog.makeMemoryWithStore
    const tenantId = freshTenant()
    for (let i = 1; i <= count; i++) yield* service.append(sampleAuditEntry(tenantId, i))
    return { service, tenantId, entries: store.get(tenantId) ?? [] }
  })

describe("AuditLog (memory)", () => {
  it.effect.prop(
    "verify reports an edit of any entry at exactly that entry's sequence",
    [FastCheck.integer({ min: 1, max: 12 }), FastCheck.nat()],
    ([count, pick]) =>
      Effect.gen(function* () {
        const { service, tenantId, entries } = yield* chainOf(count)
        const index = pick % count
        entries[index] = new AuditLog.AuditEntry({ ...entries[index], actorId: "someone-else" })
        const verification = yield* service.verify(tenantId)
        assert.deepStrictEqual(
          verification._tag === "Tampered" ? [verification.sequence, verification.reason] : verification,
          [index + 1, "hash"]
        )
      }),
    { fastCheck: { numRuns: 40 } }
  )

  it.effect("verify reports a re-hashed entry that no longer points at its predecessor as a broken link", () =>
    Effect.gen(function* () {
      const { service, tenantId, entries } = yield* chainOf(4)
      const forged = { ...entries[2], prevHash: "f".repeat(64), details: { forged: true } }
      entries[2] = new AuditLog.AuditEntry({ ...forged, hash: AuditLog.hashEntry(forged) })
      const verification = yield* service.verify(tenantId)
      assert.strictEqual(verification._tag, "Tampered")
      if (verification._tag === "Tampered") {
        assert.strictEqual(verification.sequence, 3)
        assert.strictEqual(verification.reason, "link")
      }
    })
  )

  it.effect("verify walks chains longer than one page", () =>
    Effect.gen(function* () {
      const { service, tenantId, entries } = yield* chainOf(1_201)
      const verification = yield* service.verify(tenantId)
      assert.deepStrictEqual(verification, { _tag: "Intact", count: 1_201, headHash: entries[1_200].hash })
    })
  )

  it("hashEntry changes when any hashed field changes", () => {
    const base = {
      tenantId: freshTenant(),
      sequence: 1,
      recordedAt: new Date(Date.UTC(2026, 0, 5)),
      actorKind: "staff",
      actorId: "s-1",
      action: "thing.update",
      targetType: "Thing",
      targetId: "t-1",
      details: { a: 1 },
      prevHash: AuditLog.GENESIS_HASH
    }
    const hash = AuditLog.hashEntry(base)
    assert.strictEqual(AuditLog.hashEntry({ ...base, details: { a: 1 } }), hash)
    for (const changed of [
      { sequence: 2 },
      { recordedAt: new Date(base.recordedAt.getTime() + 1) },
      { actorId: "s-2" },
      { action: "thing.delete" },
      { targetId: "t-2" },
      { details: { a: 2 } },
      { prevHash: "1".repeat(64) }
    ]) {
      assert.notStrictEqual(AuditLog.hashEntry({ ...base, ...changed }), hash, JSON.stringify(changed))
    }
  })

  it.effect("the append accessor uses the AuditLog in context", () =>
    Effect.gen(function* () {
      const tenantId = freshTenant()
      const entry = yield* AuditLog.append(sampleAuditEntry(tenantId, 1))
      assert.strictEqual(entry.sequence, 1)
    }).pipe(Effect.provide(AuditLog.layerMemory))
  )
})
