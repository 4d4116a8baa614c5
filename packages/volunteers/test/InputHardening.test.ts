import { assert, describe, it } from "@effect/vitest"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import { Effect, Layer, Option, TestClock } from "effect"
import * as VolunteerRepo from "../src/VolunteerRepo.js"
import * as Volunteers from "../src/Volunteers.js"
import { hq, pingshan, registration, setUp, TENANT, verifierOptions } from "./fixtures.js"

const live = Volunteers.layerMemory({ regions: pingshan }).pipe(
  Layer.provideMerge(Layer.mergeAll(FieldCipher.layerTest(), IdentityVerifier.layerTest(verifierOptions))),
  Layer.orDie
)

describe("registration input hardening", () => {
  it.effect("refuses hidden characters in names and skills, and implausible or future consent dates", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      yield* TestClock.setTime(Date.UTC(2026, 4, 1))
      const refused = [
        registration(40, { name: "张\u202e三" }),
        registration(41, { name: "张\u0000三" }),
        registration(42, { skills: ["政策\u202e宣讲"] }),
        registration(43, { skills: ["政策\u0000宣讲"] }),
        registration(44, { skills: ["政策\u200b宣讲"] }),
        registration(45, { consent: { purpose: "登记", consentedAt: "2099-01-01T00:00:00Z" } }),
        registration(46, { consent: { purpose: "登记", consentedAt: "1970-01-01T00:00:00Z" } }),
        registration(47, { consent: { purpose: "登记", consentedAt: new Date("1900-03-01") } }),
        registration(48, { consent: { purpose: "登记", consentedAt: new Date(Number.NaN) } })
      ]
      for (const input of refused) {
        const error = yield* Effect.flip(service.register(hq, input))
        assert.strictEqual(error._tag, "InvalidInput", JSON.stringify(input))
      }
      const ok = yield* service.register(
        hq,
        registration(49, { skills: ["政策宣讲"], consent: { purpose: "登记", consentedAt: "2026-04-30T00:00:00Z" } })
      )
      assert.isString(ok.volunteerId)
    }).pipe(Effect.provide(live))
  )

  it.effect("stored ID and mobile ciphertexts are bound to the volunteer's record", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const cipher = yield* FieldCipher.FieldCipher
      const repo = yield* VolunteerRepo.VolunteerRepo
      const a = yield* service.register(hq, registration(50))
      const b = yield* service.register(hq, registration(51))
      const stored = yield* repo.get(TENANT, a.volunteerId)
      assert.isTrue(Option.isSome(stored))
      if (Option.isNone(stored)) return
      const { mobile, residentId } = stored.value.value
      assert.match(residentId.ciphertext, /^gz2\./)
      const context = ["volunteers.resident_id", TENANT]
      assert.strictEqual(
        yield* cipher.decryptToString(residentId.ciphertext, { context, recordId: a.volunteerId }),
        registration(50).residentId
      )
      const copied = yield* Effect.flip(cipher.decrypt(residentId.ciphertext, { context, recordId: b.volunteerId }))
      assert.strictEqual(copied.reason, "AuthenticationFailed")
      assert.match(mobile.ciphertext, /^gz2\./)
    }).pipe(Effect.provide(live))
  )
})
