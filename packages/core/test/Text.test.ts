import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { PlausibleDate } from "../src/LocalDate.js"
import * as Text from "../src/Text.js"
import * as Url from "../src/Url.js"

const accepts = <A, I>(schema: Schema.Schema<A, I>, value: unknown) =>
  Either.isRight(Schema.decodeUnknownEither(schema)(value))

describe("Text", () => {
  const Skill = Text.PlainText({ title: "技能", max: 32 })
  it("refuses control, bidi and zero-width characters in plain text and names", () => {
    for (const bad of ["a\u0000b", "政策\u202e宣讲", "a\u2066b\u2069", "x\u200by", "名\ufeff字", "a\nb", "a\u0085b"]) {
      assert.isFalse(accepts(Skill, bad), JSON.stringify(bad))
    }
    for (const bad of ["张\u202e三", "张\u0000三", "张\u200d三"]) assert.isFalse(accepts(Text.PlainName, bad))
    assert.isTrue(accepts(Skill, " 政策宣讲 "))
    assert.isTrue(accepts(Text.PlainName, "阿依古丽·买买提"))
    assert.isTrue(accepts(Text.PlainText({ title: "说明", max: 100, multiline: true }), "第一行\n第二行\t完"))
  })

  it.prop(
    "any text with a Cc or Cf character inside is refused",
    [
      fc.string({ maxLength: 8 }),
      fc.constantFrom("\u0000", "\u001b", "\u007f", "\u202e", "\u2067", "\u200e", "\u061c")
    ],
    ([text, hidden]) => {
      assert.isFalse(accepts(Skill, `甲${text}${hidden}${text}乙`))
    }
  )
})

describe("Url.SafeAttachmentUri", () => {
  it("accepts https and object-storage links, refuses script, inline and local schemes", () => {
    for (const ok of ["https://files.example.cn/a/照片.jpg", "http://10.0.0.1/x.png", "oss://bucket/key.jpg"]) {
      assert.isTrue(accepts(Url.SafeAttachmentUri, ok), ok)
    }
    for (const bad of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "https://user:pass@example.cn/x",
      "//example.cn/x",
      "/relative/path",
      "https://example.cn/\u202eexe.jpg"
    ]) {
      assert.isFalse(accepts(Url.SafeAttachmentUri, bad), bad)
    }
  })
})

describe("LocalDate.PlausibleDate", () => {
  const Consent = PlausibleDate({ title: "同意日期", earliestYear: 2000 })
  it("refuses Invalid Date, 1900, the epoch's day zero and far futures", () => {
    for (const bad of [
      new Date(Number.NaN),
      "not a date",
      "1900-01-01",
      "1970-01-01T00:00:00Z",
      new Date(0),
      "2199-01-01"
    ]) {
      assert.isFalse(accepts(Consent, bad), String(bad))
    }
    assert.isTrue(accepts(Consent, "2026-03-01T08:00:00+08:00"))
    assert.isTrue(accepts(Consent, new Date("2026-03-01")))
  })
})
