import { assert, describe, it } from "@effect/vitest"
import * as Delivery from "@gongzhi/core/Delivery"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Preference from "@gongzhi/core/Preference"
import * as Transactor from "@gongzhi/core/Transactor"
import { Effect, FastCheck, Layer, Schema } from "effect"
import { freshTenant } from "../src/internal/conformance/kit.js"
import { sampleDelivery } from "../src/internal/dispatcherSuite.js"
import { deliveriesSuite } from "../src/testing.js"

deliveriesSuite({
  name: "memory",
  concurrentWriters: false,
  layer: Layer.mergeAll(Transactor.layerMemory, Outbox.layerMemory, Delivery.layerMemory, Preference.layerMemory)
})

describe("Delivery", () => {
  it("the idempotency key is a stable SHA-256 of (tenant, event, recipient, channel)", () => {
    const key = Delivery.idempotencyKey("440310", "event-1", "v1", "email")
    assert.strictEqual(key, Delivery.idempotencyKey("440310", "event-1", "v1", "email"))
    assert.isTrue(Schema.is(Delivery.DeliveryId)(key))
    // the parts are delimited: moving characters between them changes the key
    assert.notStrictEqual(
      Delivery.idempotencyKey("440310", "event-1", "v1", "email"),
      Delivery.idempotencyKey("440310", "event-1v", "1", "email")
    )
  })

  it.prop(
    "distinct (tenant, event, recipient, channel) tuples never share a key",
    [
      FastCheck.uniqueArray(
        FastCheck.tuple(
          FastCheck.constantFrom("440310", "440307"),
          FastCheck.string({ minLength: 1, maxLength: 6 }),
          FastCheck.string({ minLength: 1, maxLength: 6 }),
          FastCheck.constantFrom("email", "wecom", "sms")
        ),
        { selector: (tuple) => JSON.stringify(tuple), minLength: 2, maxLength: 30 }
      )
    ],
    ([tuples]) => {
      const keys = tuples.map(([t, e, r, c]) => Delivery.idempotencyKey(t, e, r, c))
      assert.strictEqual(new Set(keys).size, tuples.length)
    }
  )

  it.effect("prepare keeps the first of deliveries sharing a key within one batch", () =>
    Effect.gen(function* () {
      const tenantId = freshTenant()
      const prepared = yield* Delivery.prepare([
        sampleDelivery(tenantId, 1),
        sampleDelivery(tenantId, 1, { subject: "second" }),
        sampleDelivery(tenantId, 2)
      ])
      assert.deepStrictEqual(
        prepared.map((d) => d.subject),
        ["第 1 条通知", "第 2 条通知"]
      )
    })
  )
})
