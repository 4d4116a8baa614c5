import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, FastCheck as fc, Schema } from "effect"
import * as Identifiers from "../src/internal/identifiers.js"
import * as MobileNumber from "../src/MobileNumber.js"

/** Park–Miller generator: a seeded random number in [0, 1). */
const seeded = (seed: number) => () => {
  seed = (seed * 16807) % 2147483647
  return (seed - 1) / 2147483646
}

const numbers = Arbitrary.make(MobileNumber.MobileNumber)
const decode = Schema.decodeUnknownEither(MobileNumber.MobileNumber)

describe("MobileNumber", () => {
  it.effect("accepts 11-digit numbers starting 13–19, with the usual prefixes and separators", () =>
    Effect.gen(function* () {
      for (const spelling of [
        "13812345678",
        " 138 1234 5678 ",
        "138-1234-5678",
        "+86 138-1234-5678",
        "+8613812345678",
        "0086 13812345678",
        "8613812345678",
        "86 138 1234 5678"
      ]) {
        assert.strictEqual(yield* MobileNumber.validate(spelling), "13812345678", spelling)
        assert.strictEqual(Either.getOrThrow(decode(spelling)), "13812345678", spelling)
      }
      for (const second of "3456789") {
        assert.strictEqual(yield* MobileNumber.validate(`1${second}012345678`), `1${second}012345678`)
      }
      assert.isFalse(Schema.is(MobileNumber.MobileNumberFromSelf)("138 1234 5678"))
    })
  )

  it.effect("reports each rule with its own kind and an exact Chinese message", () =>
    Effect.gen(function* () {
      for (const [input, kind, message, position] of [
        ["1381234567", "InvalidLength", "手机号码应为 11 位数字，实际为 10 位", undefined],
        ["138123456789", "InvalidLength", "手机号码应为 11 位数字，实际为 12 位", undefined],
        ["86138123456", "InvalidPrefix", "手机号码应以 13 至 19 开头", 2],
        ["12812345678", "InvalidPrefix", "手机号码应以 13 至 19 开头", 2],
        ["1381234567a", "InvalidCharacter", "手机号码第11位应为数字，实际为“a”", 11],
        ["010-12345678", "InvalidPrefix", "手机号码应以 13 至 19 开头", 2],
        ["(0755)12345678", "InvalidCharacter", "手机号码第1位应为数字，实际为“(”", 1],
        ["+86 86 138 1234 5678", "InvalidCharacter", "手机号码第1位应为数字，实际为“+”", 1]
      ] as const) {
        const error = yield* Effect.flip(MobileNumber.validate(input))
        assert.strictEqual(error._tag, "MobileNumberError")
        assert.strictEqual(error.kind, kind, input)
        assert.strictEqual(error.message, message, input)
        assert.strictEqual(error.position, position, input)
        const decoded = decode(input)
        assert.isTrue(Either.isLeft(decoded))
        if (Either.isLeft(decoded)) assert.include(decoded.left.message, message)
      }
    })
  )

  it("generates the same valid numbers from the same seed", () => {
    const run = () => {
      const random = seeded(11)
      return Array.from({ length: 150 }, () => MobileNumber.generate(random))
    }
    const first = run()
    assert.deepStrictEqual(first, run())
    for (const n of first) assert.match(n, /^1[3-9]\d{9}$/)
  })

  it.prop("generated numbers match 1[3-9]\\d{9} and decode to themselves", [numbers], ([n]) => {
    assert.match(n, /^1[3-9]\d{9}$/)
    assert.strictEqual(Either.getOrThrow(decode(n)), n)
    assert.strictEqual(Either.getOrThrow(decode(`+86 ${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`)), n)
  })

  it.effect.prop(
    "a number that breaks a rule is rejected and kept out of the message",
    [numbers, fc.integer({ min: 0, max: 10 }), fc.constantFrom("a", "0", "1", "2", "#")],
    ([n, position, replacement]) =>
      Effect.gen(function* () {
        const changed = n.slice(0, position) + replacement + n.slice(position + 1)
        const result = yield* Effect.either(MobileNumber.validate(changed))
        assert.strictEqual(Either.isRight(result), /^1[3-9]\d{9}$/.test(changed))
        if (Either.isLeft(result)) assert.notInclude(result.left.message, changed.slice(0, 7))
        const shorter = yield* Effect.flip(MobileNumber.validate(n.slice(0, position)))
        assert.strictEqual(shorter.kind, "InvalidLength")
      })
  )

  it.prop("normalisation is idempotent", [fc.string(), numbers], ([noise, n]) => {
    assert.strictEqual(MobileNumber.normalize(MobileNumber.normalize(n)), n)
    assert.strictEqual(MobileNumber.normalize(MobileNumber.normalize(`0086 ${n}`)), n)
    const once = MobileNumber.normalize(noise)
    assert.strictEqual(MobileNumber.normalize(once), once)
    const doubled = MobileNumber.normalize(`+86 86${n}`)
    assert.strictEqual(MobileNumber.normalize(doubled), doubled)
  })

  describe("the allocation-free fast paths agree with the rule 1[3-9] and nine digits", () => {
    it.prop(
      "the check and the diagnosis accept exactly 1[3-9]\\d{9}",
      [fc.oneof(numbers, fc.string({ unit: fc.constantFrom(..."0123456789+ -é"), maxLength: 13 }))],
      ([s]) => {
        const valid = /^1[3-9]\d{9}$/.test(s)
        assert.strictEqual(Identifiers.isMobileValid(s), valid, s)
        assert.strictEqual(Identifiers.diagnoseMobile(s) === undefined, valid, s)
      },
      { fastCheck: { numRuns: 2000 } }
    )

    it.prop(
      "normalising drops whitespace and hyphens, then +86, 0086 or 86 only before 11 characters starting with 1",
      [
        fc
          .tuple(
            fc.constantFrom("", "+86", "0086", "86", "+86 ", "0086-", "8", "+8", "086", "1234", "+860", "00860"),
            fc.constantFrom("1", "2", "", " "),
            fc.string({ unit: fc.constantFrom(..."0123456789 -\t\u3000é"), minLength: 8, maxLength: 12 })
          )
          .map(([prefix, first, rest]) => prefix + first + rest)
      ],
      ([s]) => {
        const out = s.replace(/[\s-]+/g, "")
        const match = /^(?:\+86|0086|86)(1[\s\S]{10})$/u.exec(out)
        assert.strictEqual(Identifiers.normaliseMobile(s), match === null ? out : match[1], s)
      },
      { fastCheck: { numRuns: 2000 } }
    )
  })
})
