import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, FastCheck as fc, Option, Schema } from "effect"
import * as Identifiers from "../src/internal/identifiers.js"
import * as SocialCreditCode from "../src/SocialCreditCode.js"
import type { TenantId } from "../src/Tenant.js"

/** Park–Miller generator: a seeded random number in [0, 1). */
const seeded = (seed: number) => () => {
  seed = (seed * 16807) % 2147483647
  return (seed - 1) / 2147483646
}

const WORKED_EXAMPLE = "91350100M000100Y43"

/** An oracle written straight from DOMAIN.md, sharing no code with the module. */
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
const PAIRS: Record<string, string> = {
  "1": "1239",
  "2": "19",
  "3": "123459",
  "4": "19",
  "5": "1239",
  "6": "129",
  "7": "129",
  "8": "19",
  "9": "123",
  A: "19",
  N: "1239",
  Y: "1"
}
const oracleCheck = (first17: string): string => {
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const sum = weights.reduce((acc, w, i) => acc + w * ALPHABET.indexOf(first17[i]), 0)
  return ALPHABET[(31 - (sum % 31)) % 31]
}
const oracleOrgCheck = (first8: string): string => {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2]
  const value = (ch: string) => (/\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - "A".charCodeAt(0) + 10)
  const check = 11 - (weights.reduce((acc, w, i) => acc + w * value(first8[i]), 0) % 11)
  return check === 10 ? "X" : check === 11 ? "0" : String(check)
}
const oracleKind = (s: string): SocialCreditCode.SocialCreditCodeErrorKind | undefined => {
  if (s.length !== 18) return "InvalidLength"
  if (Array.from(s).some((ch) => !ALPHABET.includes(ch))) return "InvalidCharacter"
  if (!/^\d{6}$/.test(s.slice(2, 8))) return "InvalidDivisionCode"
  if (!(PAIRS[s[0]] ?? "").includes(s[1])) return "InvalidAuthorityCategory"
  if (oracleOrgCheck(s.slice(8, 16)) !== s[16]) return "OrganizationCodeMismatch"
  if (oracleCheck(s.slice(0, 17)) !== s[17]) return "ChecksumMismatch"
  return undefined
}

const decode = Schema.decodeUnknownEither(SocialCreditCode.SocialCreditCode)
const decodeLenient = Schema.decodeUnknownEither(SocialCreditCode.SocialCreditCodeLenient)
const codes = Arbitrary.make(SocialCreditCode.SocialCreditCode)

const expectError = (
  input: string,
  expected: { kind: SocialCreditCode.SocialCreditCodeErrorKind; message: string; position?: number; expected?: string }
) =>
  Effect.gen(function* () {
    const error = yield* Effect.flip(SocialCreditCode.validate(input))
    assert.strictEqual(error._tag, "SocialCreditCodeError")
    assert.strictEqual(error.kind, expected.kind)
    assert.strictEqual(error.message, expected.message)
    assert.strictEqual(error.position, expected.position)
    assert.strictEqual(error.expected, expected.expected)
    const decoded = decode(input)
    assert.isTrue(Either.isLeft(decoded))
    if (Either.isLeft(decoded)) assert.include(decoded.left.message, expected.message)
  })

describe("SocialCreditCode", () => {
  it.effect("validates the worked example of GB 32100-2015", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* SocialCreditCode.validate(WORKED_EXAMPLE), WORKED_EXAMPLE)
      assert.strictEqual(Either.getOrThrow(decode(WORKED_EXAMPLE)), WORKED_EXAMPLE)
      assert.isTrue(Schema.is(SocialCreditCode.SocialCreditCodeFromSelf)(WORKED_EXAMPLE))
      assert.deepStrictEqual(SocialCreditCode.computeCheckCharacter("91350100M000100Y4"), Option.some("3"))
      assert.deepStrictEqual(SocialCreditCode.computeOrganizationCheckCharacter("M000100Y"), Option.some("4"))
    })
  )

  it.effect("normalises: trims, upper-cases, drops spaces and hyphens", () =>
    Effect.gen(function* () {
      for (const spelling of [
        " 91350100m000100y43 ",
        "913501-00M000100-Y43",
        "9135 0100 M000 100Y 43",
        "\t91350100M000100Y43\n"
      ]) {
        assert.strictEqual(yield* SocialCreditCode.validate(spelling), WORKED_EXAMPLE)
        assert.strictEqual(Either.getOrThrow(decode(spelling)), WORKED_EXAMPLE)
      }
      // the type side takes only normalised codes
      assert.isFalse(Schema.is(SocialCreditCode.SocialCreditCodeFromSelf)("91350100m000100y43"))
      assert.strictEqual(
        Schema.encodeSync(SocialCreditCode.SocialCreditCode)(Either.getOrThrow(decode(WORKED_EXAMPLE))),
        WORKED_EXAMPLE
      )
    })
  )

  it.effect("reports each rule with its own kind and an exact Chinese message", () =>
    Effect.gen(function* () {
      yield* expectError("91350100M000100Y4", {
        kind: "InvalidLength",
        message: "统一社会信用代码应为 18 位，实际为 17 位"
      })
      yield* expectError("", { kind: "InvalidLength", message: "统一社会信用代码应为 18 位，实际为 0 位" })
      yield* expectError("91350100M000100I43", {
        kind: "InvalidCharacter",
        position: 16,
        message: "第16位字符“I”无效：只能是数字或除 I、O、Z、S、V 以外的大写字母"
      })
      for (const [i, ch] of Array.from("IOZSV").entries()) {
        const input = `${WORKED_EXAMPLE.slice(0, 9 + i)}${ch}${WORKED_EXAMPLE.slice(10 + i)}`
        const error = yield* Effect.flip(SocialCreditCode.validate(input))
        assert.strictEqual(error.kind, "InvalidCharacter")
        assert.strictEqual(error.position, 10 + i)
      }
      yield* expectError("9135010*M000100Y43", {
        kind: "InvalidCharacter",
        position: 8,
        message: "第8位字符“*”无效：只能是数字或除 I、O、Z、S、V 以外的大写字母"
      })
      yield* expectError("913501A0M000100Y43", {
        kind: "InvalidDivisionCode",
        position: 7,
        message: "第7位应为数字，实际为“A”：第3至8位是登记管理机关行政区划码"
      })
      yield* expectError("B1350100M000100Y43", {
        kind: "InvalidAuthorityCategory",
        position: 1,
        expected: "123456789ANY",
        message: "第1位登记管理部门代码“B”无效"
      })
      yield* expectError("94350100M000100Y43", {
        kind: "InvalidAuthorityCategory",
        position: 2,
        expected: "123",
        message: "登记管理部门“9”下没有机构类别“4”：第2位应为 1、2、3 之一"
      })
      yield* expectError("91350100M000100Y53", {
        kind: "OrganizationCodeMismatch",
        position: 17,
        expected: "4",
        message: "第9至17位组织机构代码校验失败：第17位校验码应为 4"
      })
      yield* expectError("91350100M000100Y40", {
        kind: "ChecksumMismatch",
        position: 18,
        expected: "3",
        message: "第18位校验码应为 3"
      })
    })
  )

  it.effect("lets callers match on the kind", () =>
    SocialCreditCode.validate("91350100M000100Y40").pipe(
      Effect.map(() => "accepted"),
      Effect.catchTag("SocialCreditCodeError", (e) => Effect.succeed(e.kind)),
      Effect.map((outcome) => assert.strictEqual(outcome, "ChecksumMismatch"))
    )
  )

  it.effect("accepts every allowed (authority, category) pair and no other", () =>
    Effect.gen(function* () {
      for (const authority of ALPHABET) {
        for (const category of ALPHABET) {
          const first16 = `${authority}${category}440300MA5DXXXX`
          const first17 = first16 + oracleOrgCheck(first16.slice(8))
          const result = yield* Effect.either(SocialCreditCode.validate(first17 + oracleCheck(first17)))
          const allowed = (PAIRS[authority] ?? "").includes(category)
          assert.strictEqual(Either.isRight(result), allowed, `${authority}${category}`)
          if (Either.isLeft(result)) assert.strictEqual(result.left.kind, "InvalidAuthorityCategory")
        }
      }
    })
  )

  it.effect("never rejects on the division code (positions 3–8)", () =>
    Effect.gen(function* () {
      const random = seeded(7)
      // a company in Pingshan registered by the city carries 440300; unknown or retired divisions pass too
      for (const division of ["440300", "440310", "000000", "999999", "350100"]) {
        const code = SocialCreditCode.generate(random, { divisionCode: division as TenantId })
        assert.strictEqual(code.slice(2, 8), division)
        assert.strictEqual(yield* SocialCreditCode.validate(code), code)
      }
    })
  )

  it.effect("lenient mode accepts a failing mod-31 check but nothing else", () =>
    Effect.gen(function* () {
      const pilot = "91350100M000100Y40"
      assert.strictEqual(yield* SocialCreditCode.validate(pilot, { lenient: true }), pilot)
      assert.strictEqual(Either.getOrThrow(decodeLenient(pilot)), pilot)
      assert.isTrue(Either.isLeft(decode(pilot)))
      for (const [input, kind] of [
        ["91350100M000100Y53", "OrganizationCodeMismatch"],
        ["94350100M000100Y43", "InvalidAuthorityCategory"],
        ["913501A0M000100Y43", "InvalidDivisionCode"],
        ["91350100M000100I43", "InvalidCharacter"],
        ["91350100M000100Y4", "InvalidLength"]
      ] as const) {
        const error = yield* Effect.flip(SocialCreditCode.validate(input, { lenient: true }))
        assert.strictEqual(error.kind, kind)
        assert.isTrue(Either.isLeft(decodeLenient(input)))
      }
    })
  )

  it.effect("an allow-list accepts exactly the listed codes, in any spelling", () =>
    Effect.gen(function* () {
      const options = { allowList: ["91350100-m000100y40", "91350100M000100Y53"] }
      const decodeListed = Schema.decodeUnknownEither(SocialCreditCode.makeSchema(options))
      for (const listed of ["91350100M000100Y40", "91350100M000100Y53", " 91350100m000100y40 "]) {
        assert.isTrue(Either.isRight(yield* Effect.either(SocialCreditCode.validate(listed, options))), listed)
        assert.isTrue(Either.isRight(decodeListed(listed)), listed)
      }
      assert.isTrue(Either.isRight(decodeListed(WORKED_EXAMPLE)))
      const other = yield* Effect.flip(SocialCreditCode.validate("91350100M000100Y41", options))
      assert.strictEqual(other.kind, "ChecksumMismatch")
      // shape rules still apply to listed codes
      const shape = yield* Effect.flip(
        SocialCreditCode.validate("94350100M000100Y43", { allowList: ["94350100M000100Y43"] })
      )
      assert.strictEqual(shape.kind, "InvalidAuthorityCategory")
    })
  )

  it.effect("parse returns the parts", () =>
    Effect.gen(function* () {
      const parts = yield* SocialCreditCode.parse(" 91350100-m000100y43")
      assert.deepStrictEqual(parts, {
        code: WORKED_EXAMPLE as SocialCreditCode.SocialCreditCode,
        registrationAuthority: "9",
        category: "1",
        divisionCode: "350100",
        organizationCode: "M000100Y4",
        checkCharacter: "3"
      })
      const error = yield* Effect.flip(SocialCreditCode.parse("91350100M000100Y40"))
      assert.strictEqual(error.kind, "ChecksumMismatch")
    })
  )

  it("computes check characters only for characters of the alphabet", () => {
    assert.isTrue(Option.isNone(SocialCreditCode.computeCheckCharacter("91350100M000100Y")))
    assert.isTrue(Option.isNone(SocialCreditCode.computeCheckCharacter("91350100M000100I4")))
    assert.isTrue(Option.isNone(SocialCreditCode.computeCheckCharacter("91350100m000100y4")))
    assert.isTrue(Option.isNone(SocialCreditCode.computeOrganizationCheckCharacter("M000100")))
    assert.isTrue(Option.isNone(SocialCreditCode.computeOrganizationCheckCharacter("M00010O0")))
  })

  it("generates the same valid codes from the same seed", () => {
    const run = () => {
      const random = seeded(2017)
      return Array.from({ length: 50 }, () => SocialCreditCode.generate(random))
    }
    const first = run()
    assert.deepStrictEqual(first, run())
    assert.strictEqual(new Set(first).size, 50)
    for (const code of first) assert.strictEqual(oracleKind(code), undefined, code)
  })

  it.prop("generated codes satisfy the oracle and decode to themselves", [codes], ([code]) => {
    assert.strictEqual(oracleKind(code), undefined)
    assert.strictEqual(Either.getOrThrow(decode(code)), code)
    assert.isTrue(Schema.is(SocialCreditCode.SocialCreditCodeFromSelf)(code))
    assert.deepStrictEqual(SocialCreditCode.computeCheckCharacter(code.slice(0, 17)), Option.some(oracleCheck(code)))
  })

  it.effect.prop(
    "changing any one character is caught, with the kind the oracle names",
    [codes, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...ALPHABET, ..."IOZSV", "*", "中")],
    ([code, position, replacement]) =>
      Effect.gen(function* () {
        if (replacement === code[position]) return
        const changed = code.slice(0, position) + replacement + code.slice(position + 1)
        const kind = oracleKind(changed)
        assert.isDefined(kind)
        const error = yield* Effect.flip(SocialCreditCode.validate(changed))
        assert.strictEqual(error.kind, kind)
        const expectedPosition =
          kind === "OrganizationCodeMismatch" ? 17 : kind === "ChecksumMismatch" ? 18 : position + 1
        // a new authority may make the unchanged category the culprit (position 2)
        if (kind !== "InvalidAuthorityCategory") assert.strictEqual(error.position, expectedPosition)
        assert.isTrue(Either.isLeft(decode(changed)))
      })
  )

  it.effect("a wrong organisation check (position 17) fails even when position 18 is recomputed to match", () =>
    Effect.gen(function* () {
      // the worked example's organisation check is 4; with 5 (or X) and the mod-31 character recomputed over the
      // changed first 17, only the GB 11714 check can catch it
      for (const wrong of ["5", "X", "0"]) {
        const first17 = `${WORKED_EXAMPLE.slice(0, 16)}${wrong}`
        const input = first17 + oracleCheck(first17)
        assert.strictEqual(Option.getOrThrow(SocialCreditCode.computeCheckCharacter(first17)), input[17])
        yield* expectError(input, {
          kind: "OrganizationCodeMismatch",
          position: 17,
          expected: "4",
          message: "第9至17位组织机构代码校验失败：第17位校验码应为 4"
        })
        const lenient = yield* Effect.flip(SocialCreditCode.validate(input, { lenient: true }))
        assert.strictEqual(lenient.kind, "OrganizationCodeMismatch")
        assert.isTrue(Either.isLeft(decodeLenient(input)))
        // an allow-list is the only way to take such a code
        assert.strictEqual(yield* SocialCreditCode.validate(input, { allowList: [input] }), input)
      }
    })
  )

  it.effect.prop(
    "changing position 17 to any other character and recomputing position 18 is an OrganizationCodeMismatch",
    [codes, fc.constantFrom(...ALPHABET), fc.boolean()],
    ([code, replacement, lenient]) =>
      Effect.gen(function* () {
        if (replacement === code[16]) return
        const first17 = code.slice(0, 16) + replacement
        const changed = first17 + oracleCheck(first17)
        const error = yield* Effect.flip(SocialCreditCode.validate(changed, { lenient }))
        assert.strictEqual(error.kind, "OrganizationCodeMismatch")
        assert.strictEqual(error.position, 17)
        assert.strictEqual(error.expected, code[16])
        assert.isTrue(Either.isLeft((lenient ? decodeLenient : decode)(changed)))
        assert.isFalse(Schema.is(SocialCreditCode.SocialCreditCodeFromSelf)(changed))
      })
  )

  it.prop(
    "normalisation is idempotent and undoes case, spaces and hyphens",
    [
      codes,
      fc.array(fc.constantFrom(" ", "-", "  ", "\t"), { minLength: 19, maxLength: 19 }),
      fc.boolean(),
      fc.string()
    ],
    ([code, separators, lower, noise]) => {
      const spelled = Array.from(lower ? code.toLowerCase() : code)
        .map((ch, i) => separators[i] + ch)
        .join("")
      const normalised = SocialCreditCode.normalize(spelled + separators[18])
      assert.strictEqual(normalised, code)
      assert.strictEqual(SocialCreditCode.normalize(normalised), normalised)
      assert.strictEqual(
        SocialCreditCode.normalize(SocialCreditCode.normalize(noise)),
        SocialCreditCode.normalize(noise)
      )
    }
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
      "a code passes the fast check exactly when the diagnosis finds nothing",
      [fc.oneof(nearMiss(codes, "0123456789ABCDEFGHJKLMNPQRTUWXYIOZSVa\u0080é😀"), fc.string({ maxLength: 20 }))],
      ([s]) => {
        assert.strictEqual(Identifiers.isUsccValid(s), Identifiers.diagnoseUscc(s) === undefined, s)
      },
      { fastCheck: { numRuns: 2000 } }
    )

    it.prop(
      "normalising is trim, upper-case and dropping whitespace and hyphens, whatever the characters",
      [fc.string({ unit: fc.constantFrom(..."09AZaz- \t\u3000\u00a0\u0080é") })],
      ([s]) => {
        assert.strictEqual(
          Identifiers.normaliseCode(s),
          s
            .trim()
            .toUpperCase()
            .replace(/[\s-]+/g, "")
        )
      }
    )

    it.prop("check characters of a valid code are its own last two characters", [codes], ([code]) => {
      assert.strictEqual(Identifiers.usccCheckCharacter(code.slice(0, 17)), code[17])
      assert.strictEqual(Identifiers.organisationCheckCharacter(code.slice(8, 16)), code[16])
    })

    it("characters beyond ASCII have no check character", () => {
      assert.isUndefined(Identifiers.usccCheckCharacter("91350100M000100é4"))
      assert.isUndefined(Identifiers.organisationCheckCharacter("M000100é"))
      assert.isUndefined(Identifiers.organisationCheckCharacter("M000100\u0080"))
    })
  })
})
