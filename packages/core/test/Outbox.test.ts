import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck } from "effect"
import * as Outbox from "../src/Outbox.js"
import type * as Page from "../src/Page.js"
import * as Transactor from "../src/Transactor.js"
import { freshTenant, memoryBackend, outboxSuite, sampleEvent } from "../src/testing.js"

outboxSuite(memoryBackend)

describe("Outbox (memory)", () => {
  it.effect.prop(
    "list pages through any number of events exactly once, in append order, for any page size",
    [FastCheck.integer({ min: 0, max: 40 }), FastCheck.integer({ min: 1, max: 12 })],
    ([count, limit]) =>
      Effect.gen(function* () {
        const outbox = yield* Outbox.makeMemory
        const tenantId = freshTenant()
        const appended = yield* outbox.append(Array.from({ length: count }, (_, i) => sampleEvent(tenantId, i)))
        const seen: Array<string> = []
        let cursor: string | undefined
        let pages = 0
        do {
          const page: Page.Page<Outbox.OutboxEntry> = yield* outbox.list(tenantId, { limit, cursor })
          assert.isAtMost(page.items.length, limit)
          seen.push(...page.items.map((entry) => entry.event.id))
          cursor = page.nextCursor
          pages++
        } while (cursor !== undefined)
        assert.deepStrictEqual(
          seen,
          appended.map((event) => event.id)
        )
        assert.strictEqual(pages, Math.max(1, Math.ceil(count / limit)))
      }),
    { fastCheck: { numRuns: 50 } }
  )

  it.effect("a claim made in a failed transaction is undone", () =>
    Effect.gen(function* () {
      const transactor = yield* Transactor.makeMemory
      const outbox = yield* Outbox.makeMemory
      const tenantId = freshTenant()
      yield* outbox.append([sampleEvent(tenantId, 1)])
      yield* Effect.flip(
        transactor.withTransaction(
          Effect.zipRight(
            outbox.claim({ tenantId, workerId: "w1", limit: 1, leaseMillis: 60_000 }),
            Effect.fail("delivery crashed")
          )
        )
      )
      const [entry] = (yield* outbox.list(tenantId, { limit: 10 })).items
      assert.strictEqual(entry.status, "pending")
      assert.strictEqual(entry.claimedBy, undefined)
      const claimed = yield* outbox.claim({ tenantId, workerId: "w2", limit: 1, leaseMillis: 60_000 })
      assert.strictEqual(claimed.length, 1)
    })
  )

  it.effect("the append accessor uses the Outbox in context", () =>
    Effect.gen(function* () {
      const tenantId = freshTenant()
      const [event] = yield* Outbox.append([sampleEvent(tenantId, 1)])
      assert.strictEqual(event.tenantId, tenantId)
    }).pipe(Effect.provide(Outbox.layerMemory))
  )
})
