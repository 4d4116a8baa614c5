import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Redacted, Schema } from "effect"
import * as FieldCipher from "../src/FieldCipher.js"

const residentId = "11010519491231002X"
const context = ["volunteers.resident_id", "440310"]

const cipherWith = (options: FieldCipher.FieldCipherOptions) => FieldCipher.make(options)
const freshCipher = (keyIds?: ReadonlyArray<string>) => FieldCipher.make(FieldCipher.generateOptions({ keyIds }))

/** Every byte position of the iv, ciphertext and tag segments, with one bit flipped. */
const bitFlips = (ciphertext: string): Array<string> => {
  const parts = ciphertext.split(".")
  const result: Array<string> = []
  for (const segment of [2, 3, 4]) {
    const bytes = Buffer.from(parts[segment], "base64url")
    for (let index = 0; index < bytes.length; index++) {
      const tampered = Buffer.from(bytes)
      tampered[index] ^= 0x01 << (index % 8)
      const copy = parts.slice()
      copy[segment] = tampered.toString("base64url")
      result.push(copy.join("."))
    }
  }
  return result
}

const base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

const reasonOf = <A>(effect: Effect.Effect<A, FieldCipher.FieldCipherError>) =>
  Effect.map(Effect.flip(effect), (error) => error.reason)

describe("FieldCipher", () => {
  describe("encrypt / decrypt", () => {
    it.effect("round-trips a value and returns it redacted", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        const stored = yield* cipher.encrypt(residentId, { context })
        assert.match(stored, /^gz1\.test\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/)
        assert.isTrue(Schema.is(FieldCipher.Ciphertext)(stored))
        assert.isFalse(Schema.is(FieldCipher.Ciphertext)(residentId))
        assert.notInclude(stored, residentId)
        const decrypted = yield* cipher.decrypt(stored, { context })
        assert.isTrue(Redacted.isRedacted(decrypted))
        assert.strictEqual(String(decrypted), "<redacted>")
        assert.strictEqual(Redacted.value(decrypted), residentId)
        assert.strictEqual(yield* cipher.decryptToString(stored, { context }), residentId)
      })
    )

    it.effect("accepts a Redacted plaintext and the empty string", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        const fromRedacted = yield* cipher.encrypt(Redacted.make("13800138000"))
        assert.strictEqual(yield* cipher.decryptToString(fromRedacted), "13800138000")
        const empty = yield* cipher.encrypt("")
        assert.strictEqual(yield* cipher.decryptToString(empty), "")
      })
    )

    it.effect("uses a fresh IV for every encryption of the same value", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        const values = yield* Effect.forEach(Array.from({ length: 20 }), () => cipher.encrypt(residentId, { context }))
        assert.strictEqual(new Set(values).size, 20)
        assert.strictEqual(new Set(values.map((value) => value.split(".")[2])).size, 20)
        for (const value of values) assert.strictEqual(yield* cipher.decryptToString(value, { context }), residentId)
      })
    )

    it.effect("rejects a plaintext that is not well-formed Unicode", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        assert.strictEqual(yield* reasonOf(cipher.encrypt("abc\uD800")), "Malformed")
        assert.strictEqual(yield* reasonOf(cipher.encrypt("\uDC00abc")), "Malformed")
      })
    )

    it.effect("fails with AuthenticationFailed when any byte of iv, ciphertext or tag is altered", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        const stored = yield* cipher.encrypt(residentId, { context })
        const tampered = bitFlips(stored)
        assert.strictEqual(tampered.length, 12 + Buffer.byteLength(residentId) + 16)
        for (const value of tampered) {
          assert.notStrictEqual(value, stored)
          assert.strictEqual(yield* reasonOf(cipher.decrypt(value, { context })), "AuthenticationFailed")
        }
      })
    )

    it.effect("never decrypts a ciphertext with any single character replaced", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        const stored = yield* cipher.encrypt("张三", { context })
        const prefixLength = "gz1.test.".length
        for (let index = prefixLength; index < stored.length; index++) {
          if (stored[index] === ".") continue
          const replacement = base64UrlAlphabet[(base64UrlAlphabet.indexOf(stored[index]) + 1 + index) % 64]
          const value = stored.slice(0, index) + replacement + stored.slice(index + 1)
          const reason = yield* reasonOf(cipher.decrypt(value, { context }))
          assert.include(["AuthenticationFailed", "Malformed"], reason)
        }
      })
    )

    it.effect("binds the context: another column or tenant does not decrypt", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        const stored = yield* cipher.encrypt(residentId, { context })
        const wrongContexts: Array<FieldCipher.FieldContext | undefined> = [
          undefined,
          "volunteers.resident_id",
          ["volunteers.resident_id", "440311"],
          ["volunteers.phone", "440310"],
          ["volunteers.resident_id", "440310", ""],
          ["volunteers.resident_id440310"]
        ]
        for (const wrong of wrongContexts) {
          const error = yield* Effect.flip(cipher.decrypt(stored, { context: wrong }))
          assert.strictEqual(error.reason, "AuthenticationFailed")
          assert.strictEqual(error.keyId, "test")
        }
        const plain = yield* cipher.encrypt(residentId)
        assert.strictEqual(yield* reasonOf(cipher.decrypt(plain, { context })), "AuthenticationFailed")
        assert.strictEqual(yield* cipher.decryptToString(plain), residentId)
        const single = yield* cipher.encrypt(residentId, { context: "a" })
        assert.strictEqual(yield* cipher.decryptToString(single, { context: ["a"] }), residentId)
      })
    )

    it.effect("does not decrypt with another cipher's key under the same key id", () =>
      Effect.gen(function* () {
        const first = yield* freshCipher()
        const second = yield* freshCipher()
        const stored = yield* first.encrypt(residentId)
        assert.strictEqual(yield* reasonOf(second.decrypt(stored)), "AuthenticationFailed")
      })
    )

    it.effect("fails with UnknownKey for a key id that is not configured", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        const stored = yield* cipher.encrypt(residentId)
        const error = yield* Effect.flip(cipher.decrypt(stored.replace("gz1.test.", "gz1.retired.")))
        assert.strictEqual(error.reason, "UnknownKey")
        assert.strictEqual(error.keyId, "retired")
        assert.include(error.message, "retired")
        assert.strictEqual(error._tag, "FieldCipherError")
      })
    )

    it.effect("fails with Malformed for anything that is not a gz1 envelope", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        const stored = yield* cipher.encrypt(residentId)
        const [, , iv, body, tag] = stored.split(".")
        const malformed = [
          "",
          residentId,
          "gz1.test",
          `gz3.test.${iv}.${body}.${tag}`,
          `gz1..${iv}.${body}.${tag}`,
          `gz1.test.${iv}.${body}.${tag}.extra`,
          `gz1.test.${iv}A.${body}.${tag}`,
          `gz1.test.${iv}.${body}.${tag.slice(0, -1)}`,
          `gz1.test.${iv}.${body}+/.${tag}`,
          // the same tag bytes spelled non-canonically (an unused low bit of the last character set)
          `gz1.test.${iv}.${body}.${tag.slice(0, -1)}${base64UrlAlphabet[base64UrlAlphabet.indexOf(tag[21]) ^ 1]}`
        ]
        for (const value of malformed) {
          assert.strictEqual(yield* reasonOf(cipher.decrypt(value)), "Malformed", value)
        }
        const error = yield* Effect.flip(cipher.decrypt(residentId))
        assert.notInclude(error.message, residentId)
      })
    )
  })

  describe("rotation", () => {
    it.effect("decrypts with old keys, rotates to the current key and reports what needs rotation", () =>
      Effect.gen(function* () {
        const v1 = FieldCipher.generateOptions({ keyIds: ["k2025"] })
        const old = yield* cipherWith(v1)
        const stored = yield* old.encrypt(residentId, { context })
        assert.isFalse(yield* old.needsRotation(stored))

        const current = yield* cipherWith({
          keys: { ...v1.keys, k2026: FieldCipher.generateKey() },
          currentKeyId: "k2026",
          indexKey: v1.indexKey
        })
        assert.strictEqual(current.currentKeyId, "k2026")
        assert.deepStrictEqual(current.keyIds, ["k2025", "k2026"])
        assert.strictEqual(yield* current.decryptToString(stored, { context }), residentId)
        assert.isTrue(yield* current.needsRotation(stored))

        const rotated = yield* current.rotate(stored, { context })
        assert.isTrue(rotated.startsWith("gz1.k2026."))
        assert.isFalse(yield* current.needsRotation(rotated))
        assert.strictEqual(yield* current.decryptToString(rotated, { context }), residentId)
        assert.strictEqual(yield* reasonOf(current.decrypt(rotated)), "AuthenticationFailed")
        assert.strictEqual(yield* current.rotate(rotated, { context }), rotated)
        assert.strictEqual(yield* reasonOf(old.decrypt(rotated, { context })), "UnknownKey")

        // rotation authenticates first: a tampered or mis-contexted value is not re-sealed
        assert.strictEqual(yield* reasonOf(current.rotate(stored)), "AuthenticationFailed")
        assert.strictEqual(yield* reasonOf(current.rotate(bitFlips(stored)[0], { context })), "AuthenticationFailed")
        assert.strictEqual(yield* reasonOf(current.needsRotation("gz1.k2025")), "Malformed")

        // the blind index does not change with the encryption keys
        assert.strictEqual(yield* old.blindIndex(residentId), yield* current.blindIndex(residentId))
      })
    )
  })

  describe("blindIndex", () => {
    it.effect("is deterministic, depends on the index key and on the context", () =>
      Effect.gen(function* () {
        const options = FieldCipher.generateOptions()
        const cipher = yield* cipherWith(options)
        const same = yield* cipherWith({ ...options, keys: { test: FieldCipher.generateKey() } })
        const other = yield* cipherWith({ ...options, indexKey: FieldCipher.generateKey() })
        const index = yield* cipher.blindIndex(residentId)
        assert.match(index, /^[0-9a-f]{64}$/)
        assert.strictEqual(yield* cipher.blindIndex(residentId), index)
        assert.strictEqual(yield* same.blindIndex(residentId), index)
        assert.notStrictEqual(yield* other.blindIndex(residentId), index)
        assert.notStrictEqual(yield* cipher.blindIndex(residentId, { context }), index)
        assert.notStrictEqual(
          yield* cipher.blindIndex(residentId, { context: ["volunteers.resident_id", "440311"] }),
          yield* cipher.blindIndex(residentId, { context })
        )
        const url = yield* cipher.blindIndex(residentId, { encoding: "base64url" })
        assert.match(url, /^[A-Za-z0-9_-]{43}$/)
        assert.strictEqual(Buffer.from(url, "base64url").toString("hex"), index)
        assert.strictEqual(yield* cipher.blindIndex(Redacted.make(residentId)), index)
      })
    )

    it.effect("normalises by kind", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        const equal = (kind: FieldCipher.BlindIndexKind, left: string, right: string) =>
          Effect.map(
            Effect.all([cipher.blindIndex(left, { kind }), cipher.blindIndex(right, { kind })]),
            ([a, b]) => a === b
          )
        assert.isTrue(yield* equal("residentId", "11010519491231002X", " 110105-19491231-002x "))
        assert.isTrue(yield* equal("residentId", "11010519491231002X", "１１０１０５１９４９１２３１００２Ｘ"))
        assert.isFalse(yield* equal("residentId", "11010519491231002X", "110105194912310021"))
        assert.isTrue(yield* equal("phone", "13800138000", "+86 138-0013-8000"))
        assert.isTrue(yield* equal("phone", "13800138000", "0086 (138) 0013 8000"))
        assert.isFalse(yield* equal("phone", "13800138000", "13800138001"))
        assert.isTrue(yield* equal("creditCode", "91350100M000100Y43", "91350100-m000100y43"))
        assert.isTrue(yield* equal("email", "Zhang.San@Example.cn", " zhang.san@example.cn"))
        assert.isTrue(yield* equal("text", "  张  三 ", "张 三"))
        assert.isFalse(yield* equal("exact", "张三", "张三 "))
        assert.isTrue(yield* equal("exact", "张三", "张三"))
      })
    )

    it.effect("uses a caller's normaliser and turns a throwing one into Malformed", () =>
      Effect.gen(function* () {
        const cipher = yield* freshCipher()
        const normalize = (value: string) => value.replace(/\D/g, "")
        assert.strictEqual(
          yield* cipher.blindIndex("138 0013 8000", { normalize }),
          yield* cipher.blindIndex("13800138000", { kind: "exact" })
        )
        const error = yield* Effect.flip(
          cipher.blindIndex(residentId, {
            normalize: () => {
              throw new Error(`bad ${residentId}`)
            }
          })
        )
        assert.strictEqual(error.reason, "Malformed")
        assert.notInclude(error.message, residentId)
      })
    )

    it.effect.prop(
      "gives equal tokens exactly when the normalised inputs are equal",
      [
        FastCheck.array(
          FastCheck.string({ unit: FastCheck.constantFrom("1", "2", "x", "X", " ", "-"), maxLength: 4 }),
          { minLength: 2, maxLength: 8 }
        )
      ],
      ([values]) =>
        Effect.gen(function* () {
          const cipher = yield* freshCipher()
          const normalize = (value: string) => value.replace(/[\s-]/g, "").toUpperCase()
          const tokens = yield* Effect.forEach(values, (value) => cipher.blindIndex(value, { normalize }))
          for (let i = 0; i < values.length; i++) {
            for (let j = 0; j < values.length; j++) {
              assert.strictEqual(tokens[i] === tokens[j], normalize(values[i]) === normalize(values[j]))
            }
          }
        }),
      { fastCheck: { numRuns: 50 } }
    )
  })

  describe("properties", () => {
    it.effect.prop(
      "decrypt(encrypt(x)) is x for any well-formed string, under any context",
      [FastCheck.string({ unit: "grapheme" }), FastCheck.array(FastCheck.string(), { maxLength: 3 })],
      ([plaintext, parts]) =>
        Effect.gen(function* () {
          const cipher = yield* freshCipher()
          const stored = yield* cipher.encrypt(plaintext, { context: parts })
          assert.strictEqual(yield* cipher.decryptToString(stored, { context: parts }), plaintext)
        }),
      { fastCheck: { numRuns: 100 } }
    )

    it.effect.prop(
      "any code-unit string either round-trips or is rejected as Malformed",
      [FastCheck.string({ unit: "binary" })],
      ([plaintext]) =>
        Effect.gen(function* () {
          const cipher = yield* freshCipher()
          const result = yield* Effect.either(cipher.encrypt(plaintext))
          if (Either.isRight(result)) {
            assert.strictEqual(yield* cipher.decryptToString(result.right), plaintext)
          } else {
            assert.strictEqual(result.left.reason, "Malformed")
            assert.isTrue(/[\uD800-\uDFFF]/.test(plaintext))
          }
        }),
      { fastCheck: { numRuns: 100 } }
    )
  })
})

describe("FieldCipher record binding (gz2)", () => {
  it.effect("a value bound to a record does not decrypt as another record's (copied row)", () =>
    Effect.gen(function* () {
      const cipher = yield* freshCipher()
      const stored = yield* cipher.encrypt(residentId, { context, recordId: "report-1" })
      assert.match(stored, /^gz2\.test\./)
      assert.strictEqual(yield* cipher.decryptToString(stored, { context, recordId: "report-1" }), residentId)
      assert.strictEqual(
        yield* reasonOf(cipher.decrypt(stored, { context, recordId: "report-2" })),
        "AuthenticationFailed"
      )
      // without a record id (an old caller) a bound value does not open either
      assert.strictEqual(yield* reasonOf(cipher.decrypt(stored, { context })), "AuthenticationFailed")
      assert.isTrue(Either.isRight(Schema.decodeUnknownEither(FieldCipher.Ciphertext)(stored)))
    })
  )

  it.effect("gz1 values still decrypt, and rotate with a record id re-encrypts them bound to it", () =>
    Effect.gen(function* () {
      const cipher = yield* freshCipher()
      const legacy = yield* cipher.encrypt(residentId, { context })
      assert.match(legacy, /^gz1\./)
      assert.strictEqual(yield* cipher.decryptToString(legacy, { context, recordId: "v-1" }), residentId)
      assert.isFalse(yield* cipher.needsRotation(legacy))
      assert.isTrue(yield* cipher.needsRotation(legacy, { recordId: "v-1" }))
      const bound = yield* cipher.rotate(legacy, { context, recordId: "v-1" })
      assert.match(bound, /^gz2\./)
      assert.isFalse(yield* cipher.needsRotation(bound, { recordId: "v-1" }))
      assert.strictEqual(yield* cipher.rotate(bound, { context, recordId: "v-1" }), bound)
      assert.strictEqual(yield* cipher.decryptToString(bound, { context, recordId: "v-1" }), residentId)
      assert.strictEqual(yield* reasonOf(cipher.decrypt(bound, { context, recordId: "v-2" })), "AuthenticationFailed")
    })
  )

  it.effect.prop(
    "for any two distinct record ids, one's ciphertext never opens as the other's",
    [FastCheck.string({ minLength: 1, maxLength: 20 }), FastCheck.string({ minLength: 1, maxLength: 20 })],
    ([a, b]) =>
      Effect.gen(function* () {
        if (a === b) return
        const cipher = yield* freshCipher()
        const stored = yield* cipher.encrypt("13812345678", { context, recordId: a })
        assert.strictEqual(yield* reasonOf(cipher.decrypt(stored, { context, recordId: b })), "AuthenticationFailed")
      }),
    { fastCheck: { numRuns: 30 } }
  )
})
