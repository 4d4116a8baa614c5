import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { Deliveries, idempotencyKey, purgeOlderThan } from "../../Delivery.js"
import type { PipelineBackend } from "../dispatcherSuite.js"
import { sampleDelivery } from "../dispatcherSuite.js"
import { freshTenant, orDie, rawSql, startClock } from "./kit.js"

const DAY = 86_400_000

/**
 * Personal data in delivery records (issue 10, item 6): addresses are encrypted at rest on SQL
 * stores, delivered records are purged after their retention period, and one person's records are
 * erased by address.
 */
export const deliveryPrivacySuite = (backend: PipelineBackend) =>
  describe(`Deliveries privacy (${backend.name})`, () => {
    it.layer(backend.layer, { timeout: "120 seconds" })((it) => {
      it.effect("retention purges delivered records older than the period, and nothing else", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          const other = freshTenant()
          yield* deliveries.insert([0, 1, 2, 3].map((i) => sampleDelivery(tenantId, i)))
          yield* deliveries.insert([sampleDelivery(other, 0)])
          const key = (i: number) => idempotencyKey(tenantId, `event-${i}`, `recipient-${i}`, "email")
          // 0 delivered 40 days ago, 1 delivered 10 days ago, 2 still pending, 3 dead
          yield* deliveries.markDelivered(tenantId, key(0), { deliveredAt: new Date(now) })
          yield* deliveries.markDeliveredMany(other, [
            { id: idempotencyKey(other, "event-0", "recipient-0", "email"), deliveredAt: new Date(now) }
          ])
          yield* TestClock.adjust(30 * DAY)
          yield* deliveries.markDelivered(tenantId, key(1), { deliveredAt: new Date(now + 30 * DAY) })
          const [claimed] = yield* deliveries.claim({ tenantId, workerId: "w", limit: 10, leaseMillis: 1000 })
          assert.isDefined(claimed)
          yield* deliveries.markDead(tenantId, "w", key(3), "gone")
          yield* deliveries.release(tenantId, "w", [key(2)])
          yield* TestClock.adjust(10 * DAY)
          assert.strictEqual(yield* purgeOlderThan(tenantId, "30 days"), 1)
          assert.isTrue(Option.isNone(yield* deliveries.get(tenantId, key(0))))
          for (const i of [1, 2, 3]) assert.isTrue(Option.isSome(yield* deliveries.get(tenantId, key(i))), `kept ${i}`)
          // other tenants are not touched; a second run finds nothing
          assert.strictEqual((yield* deliveries.countByStatus(other)).delivered, 1)
          assert.strictEqual(yield* purgeOlderThan(tenantId, "30 days"), 0)
          assert.strictEqual(yield* purgeOlderThan(tenantId, "0 millis"), 1)
          assert.strictEqual(
            (yield* Effect.flip(purgeOlderThan(tenantId, Number.POSITIVE_INFINITY)))._tag,
            "DeliveryInputError"
          )
        })
      )

      it.effect("purgeAddress erases every record of one address in the tenant, whatever its state", () =>
        Effect.gen(function* () {
          yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          const other = freshTenant()
          const person = "resident@example.org"
          yield* deliveries.insert([
            sampleDelivery(tenantId, 1, { address: person }),
            sampleDelivery(tenantId, 2, { address: person, channel: "wecom" }),
            sampleDelivery(tenantId, 3, { address: "someone.else@example.org" }),
            sampleDelivery(tenantId, 4)
          ])
          yield* deliveries.insert([sampleDelivery(other, 1, { address: person })])
          yield* deliveries.markDelivered(tenantId, idempotencyKey(tenantId, "event-1", "recipient-1", "email"), {
            deliveredAt: new Date()
          })
          assert.strictEqual(yield* deliveries.purgeAddress(tenantId, `  ${person} `), 2)
          const left = yield* deliveries.list(tenantId, { limit: 10 })
          assert.deepStrictEqual(left.items.map((d) => d.address).sort(), [
            "someone.else@example.org",
            "user4@example.org"
          ])
          assert.strictEqual((yield* deliveries.list(other, { limit: 10 })).items.length, 1)
          assert.strictEqual(yield* deliveries.purgeAddress(tenantId, person), 0)
        })
      )

      if (backend.sql) {
        it.effect("addresses are encrypted at rest, bound to their record, and read back in clear", () =>
          Effect.gen(function* () {
            yield* startClock
            const deliveries = yield* Deliveries
            const sql = yield* rawSql
            const tenantId = freshTenant()
            const phone = "13800138000"
            yield* deliveries.insert([
              sampleDelivery(tenantId, 1, { address: phone, channel: "sms" }),
              sampleDelivery(tenantId, 2, { address: phone, channel: "sms" })
            ])
            const rows = yield* orDie(
              sql<{ id: string; address: string; address_index: string | null }>`SELECT id, address, address_index
              FROM gongzhi_deliveries WHERE tenant_id = ${tenantId} ORDER BY id`
            )
            assert.strictEqual(rows.length, 2)
            for (const row of rows) {
              assert.notInclude(row.address, phone)
              assert.match(row.address, /^gz1\./)
              assert.match(row.address_index ?? "", /^[0-9a-f]{64}$/)
              assert.notInclude(row.address_index ?? "", phone)
            }
            assert.notStrictEqual(rows[0].address, rows[1].address)
            assert.strictEqual(rows[0].address_index, rows[1].address_index)
            const id1 = idempotencyKey(tenantId, "event-1", "recipient-1", "sms")
            assert.strictEqual(Option.getOrThrow(yield* deliveries.get(tenantId, id1)).address, phone)
            // a ciphertext copied onto another record does not decrypt there
            const [first, second] = rows
            yield* orDie(
              sql`UPDATE gongzhi_deliveries SET address = ${first.address} WHERE tenant_id = ${tenantId} AND id = ${second.id}`
            )
            const copied = yield* Effect.flip(deliveries.get(tenantId, second.id as never))
            assert.strictEqual(copied._tag, "StorageError")
          })
        )

        it.effect(
          "rows recorded before encryption stay readable, are erasable, and protectAddresses encrypts them",
          () =>
            Effect.gen(function* () {
              yield* startClock
              const deliveries = yield* Deliveries
              const sql = yield* rawSql
              const tenantId = freshTenant()
              yield* deliveries.insert([1, 2, 3].map((i) => sampleDelivery(tenantId, i)))
              // as an older version stored them: the address in clear, no index
              yield* orDie(
                sql`UPDATE gongzhi_deliveries SET address = ${"legacy@example.org"}, address_index = NULL
              WHERE tenant_id = ${tenantId}`
              )
              const id = (i: number) => idempotencyKey(tenantId, `event-${i}`, `recipient-${i}`, "email")
              assert.strictEqual(
                Option.getOrThrow(yield* deliveries.get(tenantId, id(1))).address,
                "legacy@example.org"
              )
              yield* orDie(
                sql`UPDATE gongzhi_deliveries SET address = ${"other@example.org"} WHERE tenant_id = ${tenantId} AND id = ${id(3)}`
              )
              assert.strictEqual(yield* deliveries.purgeAddress(tenantId, "other@example.org"), 1)
              assert.isAtLeast(yield* deliveries.protectAddresses(), 2)
              assert.strictEqual(yield* deliveries.protectAddresses(), 0)
              const rows = yield* orDie(
                sql<{ address: string; address_index: string | null }>`SELECT address, address_index
              FROM gongzhi_deliveries WHERE tenant_id = ${tenantId}`
              )
              assert.strictEqual(rows.length, 2)
              for (const row of rows) {
                assert.match(row.address, /^gz1\./)
                assert.isNotNull(row.address_index)
              }
              assert.strictEqual(
                Option.getOrThrow(yield* deliveries.get(tenantId, id(2))).address,
                "legacy@example.org"
              )
              assert.strictEqual(yield* deliveries.purgeAddress(tenantId, "legacy@example.org"), 2)
            })
        )
      }
    })
  })
