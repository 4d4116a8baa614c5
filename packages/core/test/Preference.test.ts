import { assert, describe, it } from "@effect/vitest"
import * as Preference from "@gongzhi/core/Preference"
import { Effect, FastCheck, Option } from "effect"
import { freshTenant } from "../src/internal/conformance/kit.js"

const channel = FastCheck.constantFrom("email", "wecom", "sms", "dingtalk", "console")
const channels = FastCheck.uniqueArray(channel, { maxLength: 5 })

describe("Preference", () => {
  it.effect("put creates and replaces; get, getMany and remove read them back per tenant", () =>
    Effect.gen(function* () {
      const preferences = yield* Preference.Preferences
      const tenantId = freshTenant()
      const created = yield* preferences.put(tenantId, { recipientId: "v1", optOut: ["email"], digest: "daily" })
      assert.strictEqual(created.version, 1)
      assert.deepStrictEqual<ReadonlyArray<string>>(created.value.optOut, ["email"])
      assert.deepStrictEqual(created.value.optIn, [])
      assert.strictEqual(created.value.digest, "daily")
      const replaced = yield* preferences.put(tenantId, { recipientId: "v1", locale: "en" })
      assert.strictEqual(replaced.version, 2)
      assert.strictEqual(replaced.value.digest, "off")
      assert.strictEqual(replaced.value.locale, "en")
      yield* preferences.put(tenantId, { recipientId: "v2", optIn: ["sms"] })
      const many = yield* preferences.getMany(tenantId, ["v1", "v2", "v3", "v1"])
      assert.deepStrictEqual([...many.keys()].sort(), ["v1", "v2"])
      assert.isTrue(Option.isNone(yield* preferences.get(freshTenant(), "v1")))
      assert.isTrue(yield* preferences.remove(tenantId, "v1"))
      assert.isFalse(yield* preferences.remove(tenantId, "v1"))
      assert.isTrue(Option.isNone(yield* preferences.get(tenantId, "v1")))
    }).pipe(Effect.provide(Preference.layerMemory))
  )

  it.effect("a stale expectedVersion fails with VersionConflict; bad input with PreferenceInputError", () =>
    Effect.gen(function* () {
      const preferences = yield* Preference.Preferences
      const tenantId = freshTenant()
      yield* preferences.put(tenantId, { recipientId: "v1" })
      yield* preferences.put(tenantId, { recipientId: "v1", digest: "daily" }, { expectedVersion: 1 })
      const conflict = yield* Effect.flip(preferences.put(tenantId, { recipientId: "v1" }, { expectedVersion: 1 }))
      assert.strictEqual(conflict._tag, "VersionConflict")
      const invalid = yield* Effect.flip(preferences.put(tenantId, { recipientId: "v1", digest: "weekly" as "daily" }))
      assert.strictEqual(invalid._tag, "PreferenceInputError")
      assert.include(invalid.message, "通知偏好设置无效")
      const badChannel = yield* Effect.flip(preferences.put(tenantId, { recipientId: "v1", optOut: ["E-Mail"] }))
      assert.strictEqual(badChannel._tag, "PreferenceInputError")
    }).pipe(Effect.provide(Preference.layerMemory))
  )

  it.prop(
    "channelsFor: an opt-out always wins; the result is (subscribed ∪ opted in) ∩ available, without repeats",
    [channels, channels, channels, channels],
    ([subscribed, optIn, optOut, available]) => {
      const preference = new Preference.RecipientPreference({
        recipientId: "v1",
        optIn: optIn as Array<any>,
        optOut: optOut as Array<any>
      })
      const result = Preference.channelsFor(preference, subscribed, (c) => available.includes(c))
      assert.strictEqual(new Set(result).size, result.length)
      for (const c of result) {
        assert.isFalse(optOut.includes(c))
        assert.isTrue(available.includes(c))
        assert.isTrue(subscribed.includes(c) || optIn.includes(c))
      }
      for (const c of [...subscribed, ...optIn]) {
        if (!optOut.includes(c) && available.includes(c)) assert.include(result, c)
      }
    }
  )

  it("without preferences the subscription's available channels are used, in order; urgent is never digested", () => {
    assert.deepStrictEqual<ReadonlyArray<string>>(
      Preference.channelsFor(undefined, ["wecom", "email", "sms"], (c) => c !== "sms"),
      ["wecom", "email"]
    )
    const daily = new Preference.RecipientPreference({ recipientId: "v1", digest: "daily" })
    assert.isTrue(Preference.isDigested(daily, "normal"))
    assert.isTrue(Preference.isDigested(daily, "high"))
    assert.isFalse(Preference.isDigested(daily, "urgent"))
    assert.isFalse(Preference.isDigested(undefined, "low"))
    assert.isFalse(Preference.isDigested(new Preference.RecipientPreference({ recipientId: "v2" }), "low"))
  })
})
