/** The `Deliveries` port conformance suite (see `../dispatcherSuite.ts`). */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { Deliveries, idempotencyKey } from "../../Delivery.js"
import { Transactor } from "../../Transactor.js"
import { freshTenant, jsonColumn, loopBound, orDie, rawSql, startClock } from "../conformance/kit.js"
import type { PipelineBackend } from "./fixtures.js"
import { allDeliveries, claimAll, LEASE, sampleDelivery } from "./fixtures.js"

export const deliveriesSuite = (backend: PipelineBackend) =>
  describe(`Deliveries conformance (${backend.name})`, () => {
    it.layer(backend.layer, { timeout: "120 seconds" })((it) => {
      it.effect("insert records deliveries with their idempotency key as id; get and list read them back", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          const inserted = yield* deliveries.insert([sampleDelivery(tenantId, 1), sampleDelivery(tenantId, 2)])
          assert.strictEqual(inserted, 2)
          const id = idempotencyKey(tenantId, "event-1", "recipient-1", "email")
          assert.match(id, /^[0-9a-f]{64}$/)
          const stored = Option.getOrThrow(yield* deliveries.get(tenantId, id))
          assert.strictEqual(stored.id, id)
          assert.strictEqual(stored.idempotencyKey, id)
          assert.strictEqual(stored.tenantId, tenantId)
          assert.strictEqual(stored.eventId, "event-1")
          assert.strictEqual(stored.recipientId, "recipient-1")
          assert.strictEqual(stored.channel, "email")
          assert.strictEqual(stored.address, "user1@example.org")
          assert.strictEqual(stored.subject, "第 1 条通知")
          assert.deepStrictEqual(stored.body, { text: "正文 1", markdown: "**1**" })
          assert.deepStrictEqual(stored.data, { i: 1, 名称: "沙坣社区", nested: [1, null, "x"] })
          assert.strictEqual(stored.status, "pending")
          assert.strictEqual(stored.attempts, 0)
          assert.strictEqual(stored.priority, "normal")
          assert.strictEqual(stored.locale, "zh-CN")
          assert.strictEqual(stored.nextAttemptAt.getTime(), now)
          assert.strictEqual(stored.createdAt.getTime(), now)
          assert.isUndefined(stored.claimedBy)
          assert.isUndefined(stored.deliveredAt)
          const page = yield* deliveries.list(tenantId, { limit: 10 })
          assert.strictEqual(page.items.length, 2)
          assert.isTrue(Option.isNone(yield* deliveries.get(freshTenant(), id)))
        })
      )

      if (backend.sql) {
        it.effect("raw SQL sees what was stored: tenant first, JSON body, status, epoch-millisecond times", () =>
          Effect.gen(function* () {
            const now = yield* startClock
            const deliveries = yield* Deliveries
            const sql = yield* rawSql
            const tenantId = freshTenant()
            yield* deliveries.insert([sampleDelivery(tenantId, 5, { priority: "urgent" })])
            const read = orDie(
              sql<Record<string, unknown>>`SELECT tenant_id, id, event_id, recipient_id, channel, status, attempts,
                priority, next_attempt_at, created_at, ${jsonColumn(sql, "body")} AS body,
                ${jsonColumn(sql, "template_data")} AS template_data, claimed_by, lease_until
                FROM gongzhi_deliveries WHERE tenant_id = ${tenantId}`
            )
            const [row] = yield* read
            assert.strictEqual(row.tenant_id, tenantId)
            assert.strictEqual(row.id, idempotencyKey(tenantId, "event-5", "recipient-5", "email"))
            assert.strictEqual(row.event_id, "event-5")
            assert.strictEqual(row.status, "pending")
            assert.strictEqual(Number(row.attempts), 0)
            assert.strictEqual(Number(row.priority), 3)
            assert.strictEqual(Number(row.next_attempt_at), now)
            assert.strictEqual(Number(row.created_at), now)
            assert.deepStrictEqual(JSON.parse(String(row.body)), { text: "正文 5", markdown: "**5**" })
            assert.deepStrictEqual(JSON.parse(String(row.template_data)).名称, "沙坣社区")
            yield* claimAll(deliveries, tenantId, "worker-raw")
            const [claimed] = yield* read
            assert.strictEqual(claimed.status, "sending")
            assert.strictEqual(Number(claimed.attempts), 1)
            assert.strictEqual(claimed.claimed_by, "worker-raw")
            assert.strictEqual(Number(claimed.lease_until), now + LEASE)
          })
        )
      }

      it.effect("one delivery per (tenant, event, recipient, channel): duplicates are skipped, others are not", () =>
        Effect.gen(function* () {
          yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          const other = freshTenant()
          const first = sampleDelivery(tenantId, 1)
          assert.strictEqual(yield* deliveries.insert([first, { ...first, subject: "重复" }]), 1)
          assert.strictEqual(yield* deliveries.insert([{ ...first, subject: "再次重复", address: "x@y.z" }]), 0)
          assert.strictEqual(
            yield* deliveries.insert([
              { ...first, channel: "wecom" },
              { ...first, recipientId: "recipient-2" },
              { ...first, eventId: "event-2" },
              { ...first, tenantId: other }
            ]),
            4
          )
          const stored = yield* allDeliveries(tenantId)
          assert.strictEqual(stored.length, 4)
          const original = stored.find((d) => d.id === idempotencyKey(tenantId, "event-1", "recipient-1", "email"))
          assert.strictEqual(original?.subject, "第 1 条通知")
          assert.strictEqual((yield* allDeliveries(other)).length, 1)
          assert.notStrictEqual(
            idempotencyKey(tenantId, "event-1", "recipient-1", "email"),
            idempotencyKey(other, "event-1", "recipient-1", "email")
          )
        })
      )

      it.effect("invalid input fails with DeliveryInputError and stores nothing", () =>
        Effect.gen(function* () {
          yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          const error = yield* Effect.flip(
            deliveries.insert([sampleDelivery(tenantId, 1), sampleDelivery(tenantId, 2, { channel: "Bad Channel" })])
          )
          assert.strictEqual(error._tag, "DeliveryInputError")
          assert.strictEqual((yield* allDeliveries(tenantId)).length, 0)
        })
      )

      it.effect("inserts join the caller's transaction: a failed transaction leaves nothing", () =>
        Effect.gen(function* () {
          yield* startClock
          const deliveries = yield* Deliveries
          const transactor = yield* Transactor
          const tenantId = freshTenant()
          yield* transactor
            .withTransaction(
              Effect.zipRight(deliveries.insert([sampleDelivery(tenantId, 1)]), Effect.fail("rolled back" as const))
            )
            .pipe(Effect.flip)
          assert.strictEqual((yield* allDeliveries(tenantId)).length, 0)
        })
      )

      it.effect("claim leases due deliveries, urgent first then oldest due, and counts the attempt", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          yield* deliveries.insert([sampleDelivery(tenantId, 1)])
          yield* TestClock.adjust(10)
          yield* deliveries.insert([
            sampleDelivery(tenantId, 2, { priority: "urgent" }),
            sampleDelivery(tenantId, 3, { nextAttemptAt: new Date(now + 60_000) }),
            sampleDelivery(tenantId, 4, { status: "digest" })
          ])
          yield* TestClock.adjust(10)
          yield* deliveries.insert([sampleDelivery(tenantId, 5, { priority: "low" })])
          const claimed = yield* claimAll(deliveries, tenantId, "worker-a", 10)
          assert.deepStrictEqual(
            claimed.map((d) => d.eventId),
            ["event-2", "event-1", "event-5"]
          )
          for (const delivery of claimed) {
            assert.strictEqual(delivery.status, "sending")
            assert.strictEqual(delivery.attempts, 1)
            assert.strictEqual(delivery.claimedBy, "worker-a")
            assert.strictEqual(delivery.leaseUntil?.getTime(), now + 20 + LEASE)
          }
          assert.deepStrictEqual(yield* claimAll(deliveries, tenantId, "worker-b"), [])
          const limited = freshTenant()
          yield* deliveries.insert([1, 2, 3].map((i) => sampleDelivery(limited, i)))
          assert.strictEqual((yield* claimAll(deliveries, limited, "worker-a", 2)).length, 2)
          assert.strictEqual((yield* claimAll(deliveries, limited, "worker-b", 2)).length, 1)
          yield* TestClock.adjust(60_000)
          // event-3 is due now; the leases of the others ran out: they are claimed again (attempt 2)
          const again = yield* claimAll(deliveries, tenantId, "worker-b", 10)
          assert.deepStrictEqual(again.map((d) => [d.eventId, d.attempts]).sort(), [
            ["event-1", 2],
            ["event-2", 2],
            ["event-3", 1],
            ["event-5", 2]
          ])
          const error = yield* Effect.flip(deliveries.claim({ tenantId, workerId: "", limit: 1, leaseMillis: 1 }))
          assert.strictEqual(error._tag, "DeliveryInputError")
        })
      )

      it.effect("markDelivered records the receipt once; a delivered delivery is never claimed again", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          yield* deliveries.insert([sampleDelivery(tenantId, 1)])
          const [claimed] = yield* claimAll(deliveries, tenantId, "worker-a")
          const receipt = { providerMessageId: "msg-1", deliveredAt: new Date(now + 5) }
          assert.isTrue(yield* deliveries.markDelivered(tenantId, claimed.id, receipt))
          assert.isFalse(yield* deliveries.markDelivered(tenantId, claimed.id, receipt))
          const stored = Option.getOrThrow(yield* deliveries.get(tenantId, claimed.id))
          assert.strictEqual(stored.status, "delivered")
          assert.strictEqual(stored.providerMessageId, "msg-1")
          assert.strictEqual(stored.deliveredAt?.getTime(), now + 5)
          assert.isUndefined(stored.claimedBy)
          yield* TestClock.adjust(10 * LEASE)
          assert.deepStrictEqual(yield* claimAll(deliveries, tenantId, "worker-b"), [])
        })
      )

      it.effect(
        "markDeliveredMany records each receipt in one call; delivered ones and other tenants are untouched",
        () =>
          Effect.gen(function* () {
            const now = yield* startClock
            const deliveries = yield* Deliveries
            const tenantId = freshTenant()
            const otherTenant = freshTenant()
            yield* deliveries.insert([1, 2, 3, 4].map((i) => sampleDelivery(tenantId, i)))
            yield* deliveries.insert([sampleDelivery(otherTenant, 1)])
            const [a, b, c, d] = yield* claimAll(deliveries, tenantId, "worker-a")
            const [foreign] = yield* claimAll(deliveries, otherTenant, "worker-a")
            assert.isTrue(
              yield* deliveries.markDelivered(tenantId, c.id, {
                providerMessageId: "first",
                deliveredAt: new Date(now + 1)
              })
            )
            assert.strictEqual(yield* deliveries.markDeliveredMany(tenantId, []), 0)
            const changed = yield* deliveries.markDeliveredMany(tenantId, [
              { id: a.id, providerMessageId: "msg-a", deliveredAt: new Date(now + 10) },
              { id: b.id, deliveredAt: new Date(now + 20) },
              { id: c.id, providerMessageId: "again", deliveredAt: new Date(now + 30) },
              { id: foreign.id, providerMessageId: "foreign", deliveredAt: new Date(now + 40) }
            ])
            assert.strictEqual(changed, 2)
            const stored = (id: typeof a.id, tenant = tenantId) =>
              Effect.map(deliveries.get(tenant, id), Option.getOrThrow)
            const storedA = yield* stored(a.id)
            assert.strictEqual(storedA.status, "delivered")
            assert.strictEqual(storedA.providerMessageId, "msg-a")
            assert.strictEqual(storedA.deliveredAt?.getTime(), now + 10)
            assert.isUndefined(storedA.claimedBy)
            assert.isUndefined(storedA.leaseUntil)
            const storedB = yield* stored(b.id)
            assert.strictEqual(storedB.status, "delivered")
            assert.isUndefined(storedB.providerMessageId)
            assert.strictEqual(storedB.deliveredAt?.getTime(), now + 20)
            const storedC = yield* stored(c.id)
            assert.strictEqual(storedC.providerMessageId, "first")
            assert.strictEqual(storedC.deliveredAt?.getTime(), now + 1)
            assert.strictEqual((yield* stored(d.id)).status, "sending")
            assert.strictEqual((yield* stored(foreign.id, otherTenant)).status, "sending")
            yield* TestClock.adjust(10 * LEASE)
            assert.deepStrictEqual(
              (yield* claimAll(deliveries, tenantId, "worker-b")).map((delivery) => delivery.id),
              [d.id]
            )
          })
      )

      it.effect("only the holder may retry or kill a delivery; retry reschedules, dead is final until requeued", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          yield* deliveries.insert([sampleDelivery(tenantId, 1), sampleDelivery(tenantId, 2)])
          const [a, b] = yield* claimAll(deliveries, tenantId, "worker-a")
          const retryAt = new Date(now + 5_000)
          assert.isFalse(yield* deliveries.markRetry(tenantId, "worker-b", a.id, { retryAt, error: "x" }))
          assert.isTrue(yield* deliveries.markRetry(tenantId, "worker-a", a.id, { retryAt, error: "网关超时" }))
          assert.isFalse(yield* deliveries.markDead(tenantId, "worker-b", b.id, "x"))
          assert.isTrue(yield* deliveries.markDead(tenantId, "worker-a", b.id, "地址无效"))
          const retrying = Option.getOrThrow(yield* deliveries.get(tenantId, a.id))
          assert.strictEqual(retrying.status, "retrying")
          assert.strictEqual(retrying.nextAttemptAt.getTime(), now + 5_000)
          assert.strictEqual(retrying.lastError, "网关超时")
          assert.strictEqual(retrying.attempts, 1)
          assert.deepStrictEqual(yield* claimAll(deliveries, tenantId, "worker-a"), [])
          yield* TestClock.adjust(5_000)
          const [again] = yield* claimAll(deliveries, tenantId, "worker-a")
          assert.strictEqual(again.id, a.id)
          assert.strictEqual(again.attempts, 2)
          const dead = Option.getOrThrow(yield* deliveries.get(tenantId, b.id))
          assert.strictEqual(dead.status, "dead")
          assert.strictEqual(dead.lastError, "地址无效")
          assert.isFalse(yield* deliveries.requeue(tenantId, a.id))
          assert.isTrue(yield* deliveries.requeue(tenantId, b.id))
          const requeued = Option.getOrThrow(yield* deliveries.get(tenantId, b.id))
          assert.strictEqual(requeued.status, "pending")
          assert.strictEqual(requeued.attempts, 0)
        })
      )

      it.effect("release gives back unstarted claims without counting the attempt", () =>
        Effect.gen(function* () {
          yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          yield* deliveries.insert([sampleDelivery(tenantId, 1), sampleDelivery(tenantId, 2)])
          const claimed = yield* claimAll(deliveries, tenantId, "worker-a")
          assert.strictEqual(yield* deliveries.release(tenantId, "worker-b", [claimed[0].id]), 0)
          assert.strictEqual(
            yield* deliveries.release(
              tenantId,
              "worker-a",
              claimed.map((d) => d.id)
            ),
            2
          )
          for (const delivery of yield* allDeliveries(tenantId)) {
            assert.strictEqual(delivery.status, "pending")
            assert.strictEqual(delivery.attempts, 0)
            assert.isUndefined(delivery.claimedBy)
            assert.isUndefined(delivery.leaseUntil)
          }
          assert.strictEqual((yield* claimAll(deliveries, tenantId, "worker-b")).length, 2)
        })
      )

      it.effect(
        "digest records the summary and marks its items, once; a second summary of the same key changes nothing",
        () =>
          Effect.gen(function* () {
            yield* startClock
            const deliveries = yield* Deliveries
            const tenantId = freshTenant()
            yield* deliveries.insert([1, 2, 3].map((i) => sampleDelivery(tenantId, i, { status: "digest" })))
            const items = yield* allDeliveries(tenantId, "digest")
            assert.strictEqual(items.length, 3)
            assert.deepStrictEqual(yield* claimAll(deliveries, tenantId, "worker-a"), [])
            const summary = sampleDelivery(tenantId, 0, {
              eventId: "digest:2026-03-02",
              subject: "今日通知摘要（2 条）"
            })
            assert.isTrue(yield* deliveries.digest(tenantId, summary, [items[0].id, items[1].id]))
            assert.isFalse(yield* deliveries.digest(tenantId, summary, [items[2].id]))
            const summaryId = idempotencyKey(tenantId, "digest:2026-03-02", "recipient-0", "email")
            const digested = yield* allDeliveries(tenantId, "digested")
            assert.deepStrictEqual(digested.map((d) => d.id).sort(), [items[0].id, items[1].id].sort())
            for (const item of digested) assert.strictEqual(item.digestId, summaryId)
            assert.strictEqual((yield* allDeliveries(tenantId, "digest")).length, 1)
            const [pending] = yield* claimAll(deliveries, tenantId, "worker-a")
            assert.strictEqual(pending.id, summaryId)
            assert.strictEqual(pending.subject, "今日通知摘要（2 条）")
          })
      )

      it.effect("list filters and pages in recording order; countByStatus counts per status", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          for (let i = 0; i < 7; i++) {
            yield* deliveries.insert([sampleDelivery(tenantId, i, { recipientId: i % 2 === 0 ? "even" : "odd" })])
            yield* TestClock.adjust(1)
          }
          const seen: Array<string> = []
          let cursor: string | undefined
          const pages = loopBound("list pages", 10_000)
          do {
            yield* pages
            const page = yield* deliveries.list(tenantId, { limit: 3, cursor })
            seen.push(...page.items.map((d) => d.eventId))
            cursor = page.nextCursor
          } while (cursor !== undefined)
          assert.deepStrictEqual(
            seen,
            [0, 1, 2, 3, 4, 5, 6].map((i) => `event-${i}`)
          )
          const even = yield* deliveries.list(tenantId, { limit: 10, recipientId: "even" })
          assert.strictEqual(even.items.length, 4)
          const one = yield* deliveries.list(tenantId, { limit: 10, eventId: "event-3" })
          assert.deepStrictEqual(
            one.items.map((d) => d.recipientId),
            ["odd"]
          )
          const early = yield* deliveries.list(tenantId, { limit: 10, createdBefore: new Date(now + 2) })
          assert.strictEqual(early.items.length, 2)
          yield* claimAll(deliveries, tenantId, "worker-a", 2)
          const counts = yield* deliveries.countByStatus(tenantId)
          assert.strictEqual(counts.pending, 5)
          assert.strictEqual(counts.sending, 2)
          assert.strictEqual(counts.delivered, 0)
          assert.strictEqual(
            (yield* Effect.flip(deliveries.list(tenantId, { limit: 10, cursor: "bad" })))._tag,
            "StorageError"
          )
          assert.strictEqual((yield* Effect.flip(deliveries.list(tenantId, { limit: 0 })))._tag, "StorageError")
        })
      )

      it.effect(
        `concurrent claimers never receive the same delivery (${backend.concurrentWriters ? "parallel" : "sequential"})`,
        () =>
          Effect.gen(function* () {
            yield* startClock
            const deliveries = yield* Deliveries
            const tenantId = freshTenant()
            yield* deliveries.insert(Array.from({ length: 60 }, (_, i) => sampleDelivery(tenantId, i)))
            const worker = (workerId: string) =>
              Effect.gen(function* () {
                const got: Array<string> = []
                const guard = loopBound("claim until empty", 1_000)
                while (true) {
                  yield* guard
                  const batch = yield* claimAll(deliveries, tenantId, workerId, 4)
                  if (batch.length === 0) return got
                  for (const delivery of batch) assert.strictEqual(delivery.claimedBy, workerId)
                  got.push(...batch.map((delivery) => delivery.id))
                }
              })
            const rounds = yield* Effect.all(
              Array.from({ length: 5 }, (_, w) => worker(`worker-${w}`)),
              { concurrency: backend.concurrentWriters ? "unbounded" : 1 }
            )
            // a locking engine may have skipped rows another claim held at that moment: take the rest
            const ids = [...rounds.flat(), ...(yield* worker("worker-drain"))]
            assert.strictEqual(new Set(ids).size, ids.length, "a delivery was claimed twice")
            assert.strictEqual(ids.length, 60)
          })
      )
    })
  })
