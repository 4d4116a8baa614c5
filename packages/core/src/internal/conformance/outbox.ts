import { assert, describe, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import type { EventId, OutboxEntry } from "../../Outbox.js"
import { Outbox } from "../../Outbox.js"
import type { Page } from "../../Page.js"
import type { TenantId } from "../../Tenant.js"
import type { Backend } from "./kit.js"
import { freshTenant, jsonColumn, loopBound, orDie, rawSql, sampleEvent, startClock } from "./kit.js"
import type { KernelPorts } from "./transactor.js"

const LEASE = 60_000

const ids = (entries: ReadonlyArray<OutboxEntry>) => entries.map((entry) => entry.event.id)

/** Every entry of a tenant, page by page. */
const listAll = (tenantId: TenantId, status?: OutboxEntry["status"]) =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    const all: Array<OutboxEntry> = []
    let cursor: string | undefined
    const pages = loopBound("list pages", 10_000)
    do {
      yield* pages
      const page = yield* outbox.list(tenantId, { limit: 100, cursor, status })
      all.push(...page.items)
      cursor = page.nextCursor
    } while (cursor !== undefined)
    return all
  })

/** Appends `count` events, one millisecond apart, and returns their ids in append order. */
const appendMany = (tenantId: TenantId, count: number) =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    const appended: Array<EventId> = []
    for (let i = 0; i < count; i++) {
      const [event] = yield* outbox.append([sampleEvent(tenantId, i)])
      appended.push(event.id)
      yield* TestClock.adjust(1)
    }
    return appended
  })

/**
 * What the Outbox suite checks on a backend: append round trip (and raw read-back on SQL), input
 * validation, claim limits and leases, lease expiry, complete/release by the right worker only,
 * dead events, concurrent claimers, keyset pagination and tenant isolation.
 */
export const outboxSuite = (backend: Backend<KernelPorts>) =>
  describe(`Outbox conformance (${backend.name})`, () => {
    it.layer(backend.layer, { timeout: "120 seconds" })((it) => {
      it.effect("append stores events as given, assigns ids and times, and list reads them back in order", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const outbox = yield* Outbox
          const tenantId = freshTenant()
          const occurredAt = new Date(now - 5_000)
          const payload = { 名称: "沙坣社区", nested: { list: [1, 2.5, null, true, "文本"] }, empty: {} }
          const appended = yield* outbox.append([
            sampleEvent(tenantId, 1, payload),
            { ...sampleEvent(tenantId, 2), occurredAt },
            sampleEvent(tenantId, 3)
          ])
          assert.strictEqual(appended.length, 3)
          assert.strictEqual(new Set(appended.map((event) => event.id)).size, 3)
          assert.strictEqual(appended[0].occurredAt.getTime(), now)
          assert.strictEqual(appended[1].occurredAt.getTime(), occurredAt.getTime())
          const page = yield* outbox.list(tenantId, { limit: 10 })
          assert.strictEqual(page.nextCursor, undefined)
          assert.deepStrictEqual(
            page.items.map((entry) => entry.event.id),
            appended.map((event) => event.id)
          )
          const first = page.items[0]
          assert.strictEqual(first.event.tenantId, tenantId)
          assert.strictEqual(first.event.type, "conformance.ThingHappened")
          assert.strictEqual(first.event.aggregateType, "Thing")
          assert.strictEqual(first.event.aggregateId, "thing-1")
          assert.deepStrictEqual(first.event.payload, payload)
          assert.strictEqual(first.event.occurredAt.getTime(), now)
          assert.strictEqual(page.items[1].event.occurredAt.getTime(), occurredAt.getTime())
          for (const entry of page.items) {
            assert.strictEqual(entry.status, "pending")
            assert.strictEqual(entry.attempts, 0)
            assert.strictEqual(entry.availableAt.getTime(), now)
            assert.strictEqual(entry.claimedBy, undefined)
            assert.strictEqual(entry.leaseUntil, undefined)
            assert.strictEqual(entry.lastError, undefined)
          }
        })
      )

      if (backend.sql) {
        it.effect("raw SQL sees what was stored: tenant first, JSON payload, status and epoch-millisecond times", () =>
          Effect.gen(function* () {
            const now = yield* startClock
            const outbox = yield* Outbox
            const sql = yield* rawSql
            const tenantId = freshTenant()
            const payload = { 街道: "坪山街道", count: 3, tags: ["a", "b"] }
            const [event] = yield* outbox.append([sampleEvent(tenantId, 7, payload)])
            const read = (id: string) =>
              orDie(
                sql<Record<string, unknown>>`SELECT tenant_id, id, type, aggregate_type, aggregate_id,
                  ${jsonColumn(sql, "payload")} AS payload, occurred_at, status, attempts, available_at, claimed_by,
                  lease_until, last_error FROM gongzhi_outbox WHERE tenant_id = ${tenantId} AND id = ${id}`
              )
            const [row] = yield* read(event.id)
            assert.strictEqual(row.tenant_id, tenantId)
            assert.strictEqual(row.id, event.id)
            assert.strictEqual(row.type, "conformance.ThingHappened")
            assert.strictEqual(row.aggregate_type, "Thing")
            assert.strictEqual(row.aggregate_id, "thing-7")
            assert.deepStrictEqual(JSON.parse(String(row.payload)), payload)
            assert.strictEqual(Number(row.occurred_at), now)
            assert.strictEqual(row.status, "pending")
            assert.strictEqual(Number(row.attempts), 0)
            assert.strictEqual(Number(row.available_at), now)
            assert.isNull(row.claimed_by)
            assert.isNull(row.lease_until)
            assert.isNull(row.last_error)
            yield* outbox.claim({ tenantId, workerId: "worker-raw", limit: 1, leaseMillis: LEASE })
            const [claimed] = yield* read(event.id)
            assert.strictEqual(claimed.status, "claimed")
            assert.strictEqual(claimed.claimed_by, "worker-raw")
            assert.strictEqual(Number(claimed.lease_until), now + LEASE)
            yield* outbox.release(tenantId, "worker-raw", event.id, { error: "网关超时", retryAt: new Date(now + 9) })
            const [released] = yield* read(event.id)
            assert.strictEqual(released.status, "pending")
            assert.strictEqual(Number(released.attempts), 1)
            assert.strictEqual(Number(released.available_at), now + 9)
            assert.strictEqual(released.last_error, "网关超时")
            assert.isNull(released.claimed_by)
          })
        )
      }

      it.effect("an explicit id is kept; a duplicate id fails with StorageError and stores nothing of its batch", () =>
        Effect.gen(function* () {
          yield* startClock
          const outbox = yield* Outbox
          const tenantId = freshTenant()
          const id = `evt-${tenantId}-1`
          const [event] = yield* outbox.append([{ ...sampleEvent(tenantId, 1), id }])
          assert.strictEqual(event.id, id)
          const error = yield* Effect.flip(
            outbox.append([
              { ...sampleEvent(tenantId, 2), id: `evt-${tenantId}-2` },
              { ...sampleEvent(tenantId, 3), id }
            ])
          )
          assert.strictEqual(error._tag, "StorageError")
          assert.deepStrictEqual(ids(yield* listAll(tenantId)), [id])
        })
      )

      it.effect("a large batch is stored completely and in order, or not at all", () =>
        Effect.gen(function* () {
          yield* startClock
          const outbox = yield* Outbox
          const tenantId = freshTenant()
          const [existing] = yield* outbox.append([sampleEvent(tenantId, 0)])
          const batch = Array.from({ length: 1_100 }, (_, i) => sampleEvent(tenantId, i + 1))
          const failed = yield* Effect.flip(outbox.append([...batch, { ...sampleEvent(tenantId, 9), id: existing.id }]))
          assert.strictEqual(failed._tag, "StorageError")
          assert.deepStrictEqual(ids(yield* listAll(tenantId)), [existing.id])
          const appended = yield* outbox.append(batch)
          const stored = yield* listAll(tenantId)
          assert.strictEqual(stored.length, 1_101)
          assert.deepStrictEqual(ids(stored), [existing.id, ...appended.map((event) => event.id)])
          assert.strictEqual(stored[1_100].event.aggregateId, "thing-1100")
        })
      )

      it.effect("invalid input fails with OutboxInputError and stores nothing; an empty batch is a no-op", () =>
        Effect.gen(function* () {
          yield* startClock
          const outbox = yield* Outbox
          const tenantId = freshTenant()
          const badTenant = yield* Effect.flip(outbox.append([{ ...sampleEvent(tenantId, 1), tenantId: "abc" }]))
          assert.strictEqual(badTenant._tag, "OutboxInputError")
          const emptyType = yield* Effect.flip(
            outbox.append([sampleEvent(tenantId, 1), { ...sampleEvent(tenantId, 2), type: "" }])
          )
          assert.strictEqual(emptyType._tag, "OutboxInputError")
          assert.deepStrictEqual(yield* outbox.append([]), [])
          assert.deepStrictEqual(yield* listAll(tenantId), [])
          const badLimit = yield* Effect.flip(outbox.claim({ tenantId, workerId: "w", limit: 0, leaseMillis: LEASE }))
          assert.strictEqual(badLimit._tag, "OutboxInputError")
          const badLease = yield* Effect.flip(outbox.claim({ tenantId, workerId: "w", limit: 1, leaseMillis: 0 }))
          assert.strictEqual(badLease._tag, "OutboxInputError")
          const badWorker = yield* Effect.flip(outbox.claim({ tenantId, workerId: "", limit: 1, leaseMillis: LEASE }))
          assert.strictEqual(badWorker._tag, "OutboxInputError")
        })
      )

      it.effect("claim leases the oldest claimable events, at most `limit`, to one worker at a time", () =>
        Effect.gen(function* () {
          yield* startClock
          const outbox = yield* Outbox
          const tenantId = freshTenant()
          const appended = yield* appendMany(tenantId, 5)
          const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
          const first = yield* outbox.claim({ tenantId, workerId: "w1", limit: 2, leaseMillis: LEASE })
          assert.deepStrictEqual(ids(first), appended.slice(0, 2))
          for (const entry of first) {
            assert.strictEqual(entry.status, "claimed")
            assert.strictEqual(entry.claimedBy, "w1")
            assert.strictEqual(entry.leaseUntil?.getTime(), now + LEASE)
            assert.strictEqual(entry.attempts, 0)
          }
          const second = yield* outbox.claim({ tenantId, workerId: "w2", limit: 10, leaseMillis: LEASE })
          assert.deepStrictEqual(ids(second), appended.slice(2))
          assert.deepStrictEqual(yield* outbox.claim({ tenantId, workerId: "w3", limit: 10, leaseMillis: LEASE }), [])
          const stored = yield* listAll(tenantId)
          assert.deepStrictEqual(
            stored.map((entry) => entry.claimedBy),
            ["w1", "w1", "w2", "w2", "w2"]
          )
        })
      )

      it.effect(
        "an expired lease makes the event claimable again; the old worker can then neither complete nor release it",
        () =>
          Effect.gen(function* () {
            yield* startClock
            const outbox = yield* Outbox
            const tenantId = freshTenant()
            const appended = yield* appendMany(tenantId, 2)
            const claimed = yield* outbox.claim({ tenantId, workerId: "w1", limit: 10, leaseMillis: LEASE })
            assert.deepStrictEqual(ids(claimed), appended)
            yield* TestClock.adjust(LEASE - 1)
            assert.deepStrictEqual(yield* outbox.claim({ tenantId, workerId: "w2", limit: 10, leaseMillis: LEASE }), [])
            yield* TestClock.adjust(1)
            const reclaimed = yield* outbox.claim({ tenantId, workerId: "w2", limit: 10, leaseMillis: LEASE })
            assert.deepStrictEqual(ids(reclaimed), appended)
            assert.deepStrictEqual(
              reclaimed.map((entry) => entry.claimedBy),
              ["w2", "w2"]
            )
            assert.strictEqual(yield* outbox.complete(tenantId, "w1", appended), 0)
            assert.isFalse(yield* outbox.release(tenantId, "w1", appended[0]))
            assert.strictEqual(yield* outbox.complete(tenantId, "w2", appended), 2)
            const stored = yield* listAll(tenantId)
            assert.deepStrictEqual(
              stored.map((entry) => entry.status),
              ["done", "done"]
            )
            assert.deepStrictEqual(
              stored.map((entry) => entry.attempts),
              [0, 0]
            )
          })
      )

      it.effect("complete changes only events still leased by that worker in that tenant", () =>
        Effect.gen(function* () {
          yield* startClock
          const outbox = yield* Outbox
          const tenantId = freshTenant()
          const otherTenant = freshTenant()
          const appended = yield* appendMany(tenantId, 3)
          yield* outbox.claim({ tenantId, workerId: "w1", limit: 10, leaseMillis: LEASE })
          assert.strictEqual(yield* outbox.complete(tenantId, "w2", appended), 0)
          assert.strictEqual(yield* outbox.complete(otherTenant, "w1", appended), 0)
          assert.strictEqual(yield* outbox.complete(tenantId, "w1", []), 0)
          assert.strictEqual(yield* outbox.complete(tenantId, "w1", [appended[0], "evt-unknown" as EventId]), 1)
          assert.strictEqual(yield* outbox.complete(tenantId, "w1", [appended[0]]), 0)
          const stored = yield* listAll(tenantId)
          assert.deepStrictEqual(
            stored.map((entry) => entry.status),
            ["done", "claimed", "claimed"]
          )
          assert.strictEqual(stored[0].leaseUntil, undefined)
          // a done event is never claimed again, however much time passes
          yield* TestClock.adjust(LEASE * 10)
          const again = yield* outbox.claim({ tenantId, workerId: "w3", limit: 10, leaseMillis: LEASE })
          assert.deepStrictEqual(ids(again), appended.slice(1))
        })
      )

      it.effect("release gives a leased event back with attempts + 1, the error and the retry time", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const outbox = yield* Outbox
          const tenantId = freshTenant()
          const [id] = yield* appendMany(tenantId, 1)
          yield* outbox.claim({ tenantId, workerId: "w1", limit: 1, leaseMillis: LEASE })
          assert.isFalse(yield* outbox.release(tenantId, "w2", id, { error: "wrong worker" }))
          assert.isFalse(yield* outbox.release(freshTenant(), "w1", id))
          const retryAt = new Date(now + 30_000)
          assert.isTrue(yield* outbox.release(tenantId, "w1", id, { retryAt, error: "网关超时 / gateway timeout" }))
          assert.isFalse(yield* outbox.release(tenantId, "w1", id))
          const [entry] = yield* listAll(tenantId)
          assert.strictEqual(entry.status, "pending")
          assert.strictEqual(entry.attempts, 1)
          assert.strictEqual(entry.availableAt.getTime(), retryAt.getTime())
          assert.strictEqual(entry.lastError, "网关超时 / gateway timeout")
          assert.strictEqual(entry.claimedBy, undefined)
          assert.strictEqual(entry.leaseUntil, undefined)
          assert.deepStrictEqual(yield* outbox.claim({ tenantId, workerId: "w2", limit: 1, leaseMillis: LEASE }), [])
          yield* TestClock.setTime(retryAt.getTime())
          const [again] = yield* outbox.claim({ tenantId, workerId: "w2", limit: 1, leaseMillis: LEASE })
          assert.strictEqual(again.event.id, id)
          assert.strictEqual(again.attempts, 1)
          assert.isTrue(yield* outbox.release(tenantId, "w2", id))
          const [second] = yield* listAll(tenantId)
          assert.strictEqual(second.attempts, 2)
          assert.strictEqual(second.availableAt.getTime(), retryAt.getTime())
          assert.strictEqual(second.lastError, undefined)
        })
      )

      it.effect("a dead event is never claimed again", () =>
        Effect.gen(function* () {
          yield* startClock
          const outbox = yield* Outbox
          const tenantId = freshTenant()
          const [id, other] = yield* appendMany(tenantId, 2)
          yield* outbox.claim({ tenantId, workerId: "w1", limit: 1, leaseMillis: LEASE })
          assert.isTrue(yield* outbox.release(tenantId, "w1", id, { dead: true, error: "地址无效" }))
          const [dead] = yield* listAll(tenantId, "dead")
          assert.strictEqual(dead.event.id, id)
          assert.strictEqual(dead.attempts, 1)
          assert.strictEqual(dead.lastError, "地址无效")
          yield* TestClock.adjust(365 * 86_400_000)
          const claimed = yield* outbox.claim({ tenantId, workerId: "w2", limit: 10, leaseMillis: LEASE })
          assert.deepStrictEqual(ids(claimed), [other])
          assert.strictEqual(yield* outbox.complete(tenantId, "w1", [id]), 0)
          assert.isFalse(yield* outbox.release(tenantId, "w1", id))
          assert.strictEqual((yield* listAll(tenantId, "dead")).length, 1)
        })
      )

      it.effect(
        `concurrent claimers never receive the same event (${backend.concurrentWriters ? "parallel" : "sequential"} workers)`,
        () =>
          Effect.gen(function* () {
            yield* startClock
            const outbox = yield* Outbox
            const tenantId = freshTenant()
            const appended = yield* appendMany(tenantId, 40)
            const worker = (workerId: string) =>
              Effect.gen(function* () {
                const got: Array<EventId> = []
                const guard = loopBound("claim until empty", 1_000)
                while (true) {
                  yield* guard
                  const batch = yield* outbox.claim({ tenantId, workerId, limit: 3, leaseMillis: LEASE })
                  if (batch.length === 0) return got
                  assert.isAtMost(batch.length, 3)
                  for (const entry of batch) assert.strictEqual(entry.claimedBy, workerId)
                  got.push(...ids(batch))
                }
              })
            const rounds = yield* Effect.all(["w1", "w2", "w3", "w4"].map(worker), {
              concurrency: backend.concurrentWriters ? "unbounded" : 1
            })
            const drained = yield* worker("w-drain")
            const all = [...rounds.flat(), ...drained]
            assert.strictEqual(new Set(all).size, all.length, "an event was claimed twice")
            assert.deepStrictEqual([...all].sort(), [...appended].sort())
            // every event is held by the worker that received it
            const holder = new Map<string, string>()
            rounds.forEach((got, i) => {
              for (const id of got) holder.set(id, `w${i + 1}`)
            })
            for (const id of drained) holder.set(id, "w-drain")
            for (const entry of yield* listAll(tenantId)) {
              assert.strictEqual(entry.status, "claimed")
              assert.strictEqual(entry.claimedBy, holder.get(entry.event.id))
            }
          })
      )

      it.effect("list pages with a keyset cursor through every entry exactly once, also filtered by status", () =>
        Effect.gen(function* () {
          yield* startClock
          const outbox = yield* Outbox
          const tenantId = freshTenant()
          const appended = yield* appendMany(tenantId, 7)
          const seen: Array<EventId> = []
          const sizes: Array<number> = []
          let cursor: string | undefined
          const pages = loopBound("list pages", 10_000)
          do {
            yield* pages
            const page = yield* outbox.list(tenantId, { limit: 3, cursor })
            sizes.push(page.items.length)
            seen.push(...ids(page.items))
            cursor = page.nextCursor
          } while (cursor !== undefined)
          assert.deepStrictEqual(sizes, [3, 3, 1])
          assert.deepStrictEqual(seen, appended)
          const exact = yield* outbox.list(tenantId, { limit: 7 })
          assert.strictEqual(exact.items.length, 7)
          assert.strictEqual(exact.nextCursor, undefined)
          yield* outbox.claim({ tenantId, workerId: "w1", limit: 3, leaseMillis: LEASE })
          const pending: Array<EventId> = []
          cursor = undefined
          const pendingPages = loopBound("list pages", 10_000)
          do {
            yield* pendingPages
            const page: Page<OutboxEntry> = yield* outbox.list(tenantId, { limit: 2, cursor, status: "pending" })
            assert.isAtMost(page.items.length, 2)
            for (const entry of page.items) assert.strictEqual(entry.status, "pending")
            pending.push(...ids(page.items))
            cursor = page.nextCursor
          } while (cursor !== undefined)
          assert.deepStrictEqual(pending, appended.slice(3))
          assert.deepStrictEqual(ids(yield* listAll(tenantId, "claimed")), appended.slice(0, 3))
          assert.deepStrictEqual(yield* listAll(tenantId, "done"), [])
        })
      )

      it.effect("tenants are isolated: list, claim, complete and release never cross tenants", () =>
        Effect.gen(function* () {
          yield* startClock
          const outbox = yield* Outbox
          const a = freshTenant()
          const b = freshTenant()
          const ofA = yield* appendMany(a, 3)
          const ofB = yield* appendMany(b, 1)
          assert.deepStrictEqual(ids(yield* listAll(b)), ofB)
          const claimedB = yield* outbox.claim({ tenantId: b, workerId: "w", limit: 10, leaseMillis: LEASE })
          assert.deepStrictEqual(ids(claimedB), ofB)
          for (const entry of claimedB) assert.strictEqual(entry.event.tenantId, b)
          assert.strictEqual(yield* outbox.complete(b, "w", ofA), 0)
          assert.isFalse(yield* outbox.release(b, "w", ofA[0]))
          const claimedA = yield* outbox.claim({ tenantId: a, workerId: "w", limit: 10, leaseMillis: LEASE })
          assert.deepStrictEqual(ids(claimedA), ofA)
          assert.strictEqual(yield* outbox.complete(a, "w", ofB), 0)
          assert.strictEqual(yield* outbox.complete(b, "w", ofB), 1)
          assert.deepStrictEqual(
            (yield* listAll(a)).map((entry) => entry.status),
            ["claimed", "claimed", "claimed"]
          )
          assert.deepStrictEqual(yield* listAll(freshTenant()), [])
        })
      )
    })
  })
