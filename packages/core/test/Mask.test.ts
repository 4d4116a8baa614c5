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

describe("Mask.freeText", () => {
  const id = "110105194912310021"
  it("masks IDs and mobile numbers in every spelling people type", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["电话13812345678。", "电话138****5678。"],
      ["电话 138-1234-5678 找我", "电话 138****5678 找我"],
      ["电话 138 1234 5678", "电话 138****5678"],
      ["+86 138 1234 5678", "138****5678"],
      ["电话１３８１２３４５６７８", "电话138****5678"],
      ["电话１３８－１２３４－５６７８", "电话138****5678"],
      [`身份证${id}`, "身份证1***************21"],
      ["身份证 1101 0519 4912 3100 21", "身份证 1***************21"],
      ["身份证 110105 19491231 002X", "身份证 1***************2X"],
      ["身份证１１０１０５１９４９１２３１００２Ｘ", "身份证1***************2X"],
      ["老身份证 110105491231002", "老身份证 1************02"],
      // glued to letters (a code, a file name, an English sentence): still an ID
      [`A${id}`, "A1***************21"],
      [`id=${id}abc`, "id=1***************21abc"],
      ["ID110105491231002X", "ID1************02X"]
    ]
    for (const [input, expected] of cases) assert.strictEqual(Mask.freeText(input), expected, input)
  })

  it("leaves ordinary text and short numbers alone", () => {
    for (const text of ["3 号楼 2 单元 502 室", "2026-03-01 09:00", "工单 1234567", "金额 12,345.67 元", ""]) {
      assert.strictEqual(Mask.freeText(text), text)
    }
  })

  it.prop(
    "no 18-digit resident ID survives, whatever letters or text are glued to it",
    [fc.stringMatching(/^[1-9][0-9]{16}[0-9X]$/), fc.string({ maxLength: 6 }).filter((s) => !/[0-9０-９]/.test(s))],
    ([residentId, around]) => {
      const masked = Mask.freeText(`${around}${residentId}${around}`)
      assert.notInclude(masked, residentId)
      assert.include(masked, `${residentId[0]}${"*".repeat(15)}${residentId.slice(16)}`)
    }
  )

  it.prop(
    "no 11-digit mobile number survives, whatever separators or widths surround it",
    [
      fc.stringMatching(/^1[3-9][0-9]{9}$/),
      fc.constantFrom("", " ", "-", "　", "－"),
      fc.boolean(),
      fc.string({ maxLength: 6 }).filter((s) => !/[0-9０-９]/.test(s))
    ],
    ([number, separator, fullWidth, around]) => {
      const spelled = `${number.slice(0, 3)}${separator}${number.slice(3, 7)}${separator}${number.slice(7)}`
      const typed = fullWidth ? spelled.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))) : spelled
      const masked = Mask.freeText(`${around}${typed}${around}`)
      assert.notInclude(masked.replace(/[\s\-　－]/g, ""), number)
      assert.include(masked, `${number.slice(0, 3)}****${number.slice(7)}`)
    }
  )
})
