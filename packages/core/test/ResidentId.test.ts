import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, FastCheck as fc, Option, Schema } from "effect"
import * as Identifiers from "../src/internal/identifiers.js"
import * as ResidentId from "../src/ResidentId.js"
import type { TenantId } from "../src/Tenant.js"

const TODAY = new Date("2026-05-01T00:00:00+08:00")
const options = { today: TODAY }

/** An oracle written straight from DOMAIN.md, sharing no code with the module. */
const oracleCheck = (first17: string): string => {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first17[i]), 0)
  return "10X98765432"[sum % 11]
}
const oracleKind = (s: string, today = "20260501"): ResidentId.ResidentIdErrorKind | undefined => {
  if (s.length !== 18) return "InvalidLength"
  if (!/^\d{17}[\dX]$/.test(s)) return "InvalidCharacter"
  const [y, m, d] = [Number(s.slice(6, 10)), Number(s.slice(10, 12)), Number(s.slice(12, 14))]
  const date = new Date(Date.UTC(2000, m - 1, d))
  date.setUTCFullYear(y)
  if (y < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return "InvalidBirthDate"
  }
  if (s.slice(6, 14) > today) return "BirthDateInFuture"
  if (oracleCheck(s) !== s[17]) return "ChecksumMismatch"
  return undefined
}

const ids = Arbitrary.make(ResidentId.ResidentId)
const decode = Schema.decodeUnknownEither(ResidentId.makeSchema(options))

/** Park–Miller generator: a seeded random number in [0, 1). */
const seeded = (seed: number) => () => {
  seed = (seed * 16807) % 2147483647
  return (seed - 1) / 2147483646
}

const expectError = (
  input: string,
  expected: { kind: ResidentId.ResidentIdErrorKind; message: string; position?: number; expected?: string }
) =>
  Effect.gen(function* () {
    const error = yield* Effect.flip(ResidentId.validate(input, options))
    assert.strictEqual(error._tag, "ResidentIdError")
    assert.strictEqual(error.kind, expected.kind)
    assert.strictEqual(error.message, expected.message)
    assert.strictEqual(error.position, expected.position)
    assert.strictEqual(error.expected, expected.expected)
    const decoded = decode(input)
    assert.isTrue(Either.isLeft(decoded))
    if (Either.isLeft(decoded)) assert.include(decoded.left.message, expected.message)
  })

describe("ResidentId", () => {
  it.effect("validates the examples of GB 11643-1999 and reads their parts", () =>
    Effect.gen(function* () {
      const beijing = yield* ResidentId.validate("11010519491231002X", options)
      assert.strictEqual(beijing, "11010519491231002X")
      assert.strictEqual(ResidentId.birthDate(beijing), "1949-12-31")
      assert.strictEqual(ResidentId.sex(beijing), "female")
      assert.strictEqual(ResidentId.addressCode(beijing), "110105")
      // born 1880, address code retired since: both accepted
      const guangdong = yield* ResidentId.validate("440524188001010014", options)
      assert.strictEqual(ResidentId.birthDate(guangdong), "1880-01-01")
      assert.strictEqual(ResidentId.sex(guangdong), "male")
      assert.strictEqual(ResidentId.addressCode(guangdong), "440524")
      assert.deepStrictEqual(ResidentId.computeCheckCharacter("11010519491231002"), Option.some("X"))
      assert.deepStrictEqual(ResidentId.computeCheckCharacter("44052418800101001"), Option.some("4"))
      assert.isTrue(Option.isNone(ResidentId.computeCheckCharacter("1101051949123100")))
      assert.isTrue(Option.isNone(ResidentId.computeCheckCharacter("1101051949123100X")))
    })
  )

  it.effect("accepts a lower-case x and surrounding or inner spaces, normalising them", () =>
    Effect.gen(function* () {
      for (const spelling of ["11010519491231002x", " 11010519491231002X ", "110105 19491231 002x"]) {
        assert.strictEqual(yield* ResidentId.validate(spelling, options), "11010519491231002X")
        assert.strictEqual(Either.getOrThrow(decode(spelling)), "11010519491231002X")
      }
      assert.isFalse(Schema.is(ResidentId.ResidentIdFromSelf)("11010519491231002x"))
      assert.isTrue(Schema.is(ResidentId.ResidentIdFromSelf)("11010519491231002X"))
    })
  )

  it.effect("reports each rule with its own kind and an exact Chinese message", () =>
    Effect.gen(function* () {
      yield* expectError("11010519491231002", {
        kind: "InvalidLength",
        message: "公民身份号码应为 18 位，实际为 17 位"
      })
      yield* expectError("1101051949123100AX", {
        kind: "InvalidCharacter",
        position: 17,
        message: "第17位应为数字，实际为“A”"
      })
      yield* expectError("11010519491231002Y", {
        kind: "InvalidCharacter",
        position: 18,
        message: "第18位校验码应为数字或 X，实际为“Y”"
      })
      yield* expectError("110105194902310026", {
        kind: "InvalidBirthDate",
        position: 7,
        message: "出生日期 19490231 不是有效日期"
      })
      yield* expectError("110105190002290020", {
        kind: "InvalidBirthDate",
        position: 7,
        message: "出生日期 19000229 不是有效日期"
      })
      yield* expectError("11010520260502002X", {
        kind: "BirthDateInFuture",
        position: 7,
        message: "出生日期 20260502 晚于今天（2026-05-01）"
      })
      yield* expectError("440303199001010061", {
        kind: "ChecksumMismatch",
        position: 18,
        expected: "6",
        message: "第18位校验码应为 6"
      })
    })
  )

  it.effect("judges the future against an injectable today, in China's calendar day", () =>
    Effect.gen(function* () {
      const bornToday = "440310202605010022"
      assert.strictEqual(oracleCheck(bornToday), "2")
      assert.strictEqual(yield* ResidentId.validate(bornToday, options), bornToday)
      // 2026-04-30T16:00Z is already 1 May in Beijing
      assert.strictEqual(yield* ResidentId.validate(bornToday, { today: new Date("2026-04-30T16:00:00Z") }), bornToday)
      const early = yield* Effect.flip(ResidentId.validate(bornToday, { today: new Date("2026-04-30T15:59:59Z") }))
      assert.strictEqual(early.kind, "BirthDateInFuture")
      // without options the system clock decides: far-future births fail, old ones pass
      const future = `11010520990101001${oracleCheck("11010520990101001")}`
      assert.strictEqual((yield* Effect.flip(ResidentId.validate(future))).kind, "BirthDateInFuture")
      assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(ResidentId.ResidentId)(future)))
      assert.isTrue(Either.isRight(Schema.decodeUnknownEither(ResidentId.ResidentId)("11010519491231002X")))
    })
  )

  it.effect("accepts 29 February only in leap years", () =>
    Effect.gen(function* () {
      for (const [date, valid] of [
        ["20000229", true],
        ["20240229", true],
        ["19000229", false],
        ["20230229", false],
        ["20230431", false],
        ["20231301", false],
        ["20230100", false]
      ] as const) {
        const first17 = `440310${date}001`
        const result = yield* Effect.either(ResidentId.validate(first17 + oracleCheck(first17), options))
        assert.strictEqual(Either.isRight(result), valid, date)
      }
    })
  )

  it.effect("converts legacy 15-digit numbers", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* ResidentId.fromLegacy15("110105491231002", options), "11010519491231002X")
      assert.strictEqual(yield* ResidentId.fromLegacy15(" 110105 491231 002 ", options), "11010519491231002X")
      const short = yield* Effect.flip(ResidentId.fromLegacy15("11010549123100", options))
      assert.strictEqual(short.kind, "InvalidLength")
      assert.strictEqual(short.message, "15 位旧公民身份号码应为 15 位，实际为 14 位")
      const letter = yield* Effect.flip(ResidentId.fromLegacy15("11010549123100X", options))
      assert.strictEqual(letter.kind, "InvalidCharacter")
      assert.strictEqual(letter.message, "第15位应为数字，实际为“X”")
      const date = yield* Effect.flip(ResidentId.fromLegacy15("110105490231002", options))
      assert.strictEqual(date.message, "出生日期 19490231 不是有效日期")
    })
  )

  it.effect("never puts the number into a message", () =>
    Effect.gen(function* () {
      for (const input of ["11010519491231002", "440303199001010061", "11010520260502002X", "110105194902310026"]) {
        const error = yield* Effect.flip(ResidentId.validate(input, options))
        assert.notInclude(error.message, input.slice(0, 17))
        assert.notInclude(error.message, input.slice(0, 6))
      }
    })
  )

  it("generates the same valid numbers from the same seed, with the asked-for options", () => {
    const volunteers = (random: () => number) => Array.from({ length: 150 }, () => ResidentId.generate(random))
    const first = volunteers(seeded(150))
    const again = volunteers(seeded(150))
    assert.deepStrictEqual(first, again)
    assert.strictEqual(new Set(first).size, 150)
    for (const id of first) {
      assert.strictEqual(oracleKind(id), undefined, id)
      assert.isTrue(id.slice(6, 14) >= "19000101" && id.slice(6, 14) <= "20101231", id)
      assert.notStrictEqual(id[0], "0")
    }
    const random = seeded(1)
    for (let i = 0; i < 50; i++) {
      const woman = ResidentId.generate(random, {
        addressCode: "440310" as TenantId,
        sex: "female",
        minBirthYear: 1960,
        maxBirthYear: 1970
      })
      assert.strictEqual(oracleKind(woman), undefined, woman)
      assert.strictEqual(ResidentId.addressCode(woman), "440310")
      assert.strictEqual(ResidentId.sex(woman), "female")
      assert.isTrue(woman.slice(6, 10) >= "1960" && woman.slice(6, 10) <= "1970", woman)
      assert.strictEqual(ResidentId.sex(ResidentId.generate(random, { sex: "male" })), "male")
    }
  })

  it.prop("generated numbers satisfy the oracle and decode to themselves", [ids], ([id]) => {
    assert.strictEqual(oracleKind(id), undefined)
    assert.isTrue(id.slice(6, 14) >= "19000101" && id.slice(6, 14) <= "20101231")
    assert.notStrictEqual(id[0], "0")
    assert.strictEqual(Either.getOrThrow(decode(id)), id)
    assert.isTrue(Schema.is(ResidentId.ResidentIdFromSelf)(id))
    assert.strictEqual(ResidentId.sex(id), Number(id[16]) % 2 === 1 ? "male" : "female")
    assert.strictEqual(ResidentId.birthDate(id).replaceAll("-", ""), id.slice(6, 14))
  })

  it.effect.prop(
    "changing any one character is caught, with the kind the oracle names, and the number stays out of the message",
    [ids, fc.integer({ min: 0, max: 17 }), fc.constantFrom(..."0123456789X", "A", "*", "中")],
    ([id, position, replacement]) =>
      Effect.gen(function* () {
        if (replacement === id[position]) return
        const changed = id.slice(0, position) + replacement + id.slice(position + 1)
        const kind = oracleKind(changed)
        assert.isDefined(kind)
        const error = yield* Effect.flip(ResidentId.validate(changed, options))
        assert.strictEqual(error.kind, kind)
        assert.notInclude(error.message, changed)
        assert.notInclude(error.message, changed.slice(0, 17))
        assert.isTrue(Either.isLeft(decode(changed)))
      })
  )

  it.prop("normalisation is idempotent", [ids, fc.string()], ([id, noise]) => {
    const spelled = ` ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14).toLowerCase()} `
    assert.strictEqual(ResidentId.normalize(spelled), id)
    assert.strictEqual(ResidentId.normalize(ResidentId.normalize(noise)), ResidentId.normalize(noise))
  })

  it.effect.prop(
    "15 → 18 conversion yields a valid number with the same birth date",
    [ids.filter((id) => id.slice(6, 8) === "19")],
    ([id]) =>
      Effect.gen(function* () {
        const legacy = id.slice(0, 6) + id.slice(8, 17)
        const converted = yield* ResidentId.fromLegacy15(legacy, options)
        assert.strictEqual(converted, id)
        assert.strictEqual(oracleKind(converted), undefined)
        assert.strictEqual(ResidentId.birthDate(converted), ResidentId.birthDate(id))
      })
  )

  describe("the allocation-free fast paths agree with the full diagnosis", () => {
    /** A valid value with, at random, one character replaced, one inserted or one removed, or nothing changed. */
    const nearMiss = (valid: fc.Arbitrary<string>, pool: string) =>
      fc
        .tuple(
          valid,
          fc.nat(),
          fc.constantFrom(...Array.from(pool)),
          fc.constantFrom("replace", "insert", "remove", "keep")
        )
        .map(([s, at, ch, how]) => {
          const i = at % s.length
          return how === "replace"
            ? s.slice(0, i) + ch + s.slice(i + 1)
            : how === "insert"
              ? s.slice(0, i) + ch + s.slice(i)
              : how === "remove"
                ? s.slice(0, i) + s.slice(i + 1)
                : s
        })

    it.prop(
      "a number passes the fast check exactly when the diagnosis finds nothing, whatever today is",
      [
        fc.oneof(nearMiss(ids, "0123456789XxA é\u0080"), fc.string({ maxLength: 20 })),
        fc.integer({ min: 19000101, max: 20991231 })
      ],
      ([s, today]) => {
        assert.strictEqual(
          Identifiers.isResidentIdValid(s, today),
          Identifiers.diagnoseResidentId(s, today) === undefined,
          `${s} ${today}`
        )
      },
      { fastCheck: { numRuns: 2000 } }
    )

    it.prop(
      "normalising drops whitespace and upper-cases, whatever the characters",
      [fc.string({ unit: fc.constantFrom(..."019Xx \t\u3000\u00a0é") })],
      ([s]) => {
        assert.strictEqual(Identifiers.normaliseResidentId(s), s.replace(/\s+/g, "").toUpperCase())
      }
    )

    it.prop(
      "a real date is one the Gregorian calendar has, year 1 or later",
      [fc.integer({ min: -10, max: 10000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })],
      ([y, m, d]) => {
        const date = new Date(Date.UTC(2000, 0, 1))
        date.setUTCFullYear(y, m - 1, d)
        const real = y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
        if (y >= 0) assert.strictEqual(Identifiers.isRealDate(y * 10000 + m * 100 + d), real, `${y}-${m}-${d}`)
        if (y >= 1 && m >= 1 && m <= 12) {
          assert.strictEqual(
            Identifiers.daysInMonth(y, m),
            // day 0 of the next month is the last day of this one
            new Date(new Date(Date.UTC(2000, 0, 1)).setUTCFullYear(y, m, 0)).getUTCDate()
          )
        }
      },
      { fastCheck: { numRuns: 1000 } }
    )

    it("a person born today is not born in the future", () => {
      const born = "11010120260501001"
      const id = born + Identifiers.residentIdCheckCharacter(born)
      assert.isTrue(Identifiers.isResidentIdValid(id, 20260501))
      assert.isUndefined(Identifiers.diagnoseResidentId(id, 20260501))
      assert.strictEqual(Identifiers.diagnoseResidentId(id, 20260430)?.kind, "BirthDateInFuture")
    })

    it("a legacy 15-digit number must be all digits, and the first wrong one is named", () => {
      assert.isUndefined(Identifiers.diagnoseLegacy15("110101800101001"))
      assert.deepStrictEqual(Identifiers.diagnoseLegacy15("11010180010100A"), {
        kind: "InvalidCharacter",
        position: 15,
        message: "第15位应为数字，实际为“A”"
      })
      assert.strictEqual(Identifiers.diagnoseLegacy15("1101018001010012")?.kind, "InvalidLength")
    })
  })
})
