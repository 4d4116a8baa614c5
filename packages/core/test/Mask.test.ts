import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, FastCheck as fc } from "effect"
import * as Mask from "../src/Mask.js"
import * as MobileNumber from "../src/MobileNumber.js"
import * as ResidentId from "../src/ResidentId.js"

const codePoints = (s: string): Array<string> => Array.from(s)

describe("Mask", () => {
  it("masks resident ID numbers: first character and last two by default", () => {
    assert.strictEqual(Mask.residentId("11010519491231002X"), "1***************2X")
    assert.strictEqual(Mask.residentId("440524188001010014"), "4***************14")
    assert.strictEqual(Mask.residentId("11010519491231002X", { keepStart: 6, keepEnd: 4 }), "110105********002X")
    assert.strictEqual(Mask.residentId("11010519491231002X", { char: "#" }), "1###############2X")
  })

  it("masks mobile numbers: first three and last four by default", () => {
    assert.strictEqual(Mask.mobile("13812345678"), "138****5678")
    assert.strictEqual(Mask.mobile("13812345678", { keepStart: 0, keepEnd: 4 }), "*******5678")
  })

  it("masks names by code point, keeping the surname (two characters for a compound surname)", () => {
    assert.strictEqual(Mask.name("张三"), "张*")
    assert.strictEqual(Mask.name("张三丰"), "张**")
    assert.strictEqual(Mask.name("欧阳娜娜"), "欧阳**")
    assert.strictEqual(Mask.name("司马相如"), "司马**")
    assert.strictEqual(Mask.name("欧阳娜娜", { compoundSurnames: [] }), "欧***")
    assert.strictEqual(Mask.name("欧阳娜娜", { keepStart: 1 }), "欧***")
    assert.strictEqual(Mask.name("王小明", { keepEnd: 1 }), "王*明")
    // 𠀋 is outside the BMP (two UTF-16 units) and still one character
    assert.strictEqual(Mask.name("𠀋一"), "𠀋*")
    assert.strictEqual(Mask.name("李𠀋"), "李*")
    assert.strictEqual(Mask.name("沙坣明", { char: "○" }), "沙○○")
  })

  it("shows at most half of a value that is too short for the kept ends", () => {
    assert.strictEqual(Mask.mask("12345", { keepStart: 3, keepEnd: 4 }), "12***")
    assert.strictEqual(Mask.mask("1234567", { keepStart: 3, keepEnd: 4 }), "123****")
    assert.strictEqual(Mask.mask("12345678", { keepStart: 3, keepEnd: 4 }), "123*5678")
    assert.strictEqual(Mask.mask("1234", { keepStart: 1, keepEnd: 3 }), "1**4")
    assert.strictEqual(Mask.name("张"), "*")
    assert.strictEqual(Mask.name("欧阳"), "欧*")
    assert.strictEqual(Mask.mobile(""), "")
    assert.strictEqual(Mask.mask("abc", { keepStart: -1, keepEnd: Number.NaN }), "***")
  })

  it.prop(
    "masks keep the length in code points, the kept ends, and hide the rest",
    [
      fc.string({ unit: "grapheme-composite", maxLength: 30 }),
      fc.integer({ min: 0, max: 8 }),
      fc.integer({ min: 0, max: 8 })
    ],
    ([value, keepStart, keepEnd]) => {
      const masked = Mask.mask(value, { keepStart, keepEnd })
      const chars = codePoints(value)
      const out = codePoints(masked)
      assert.strictEqual(out.length, chars.length)
      if (chars.length > keepStart + keepEnd) {
        assert.deepStrictEqual(out.slice(0, keepStart), chars.slice(0, keepStart))
        assert.deepStrictEqual(out.slice(out.length - keepEnd), chars.slice(chars.length - keepEnd))
        assert.isTrue(out.slice(keepStart, out.length - keepEnd).every((c) => c === "*"))
      } else {
        assert.isAtMost(out.filter((c) => c !== "*").length, Math.floor(chars.length / 2))
      }
    }
  )

  it.prop(
    "masked identifiers never reveal the whole value",
    [Arbitrary.make(ResidentId.ResidentId), Arbitrary.make(MobileNumber.MobileNumber)],
    ([id, phone]) => {
      const maskedId = Mask.residentId(id)
      assert.strictEqual(maskedId, `${id[0]}${"*".repeat(15)}${id.slice(16)}`)
      assert.notInclude(maskedId, id.slice(6, 14))
      assert.strictEqual(Mask.mobile(phone), `${phone.slice(0, 3)}****${phone.slice(7)}`)
    }
  )
})
