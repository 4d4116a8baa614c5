import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import * as CanonicalJson from "../src/CanonicalJson.js"

describe("CanonicalJson", () => {
  it("sorts keys at every level and drops undefined members", () => {
    assert.strictEqual(CanonicalJson.stringify({ b: 1, a: { d: [2], c: undefined } }), '{"a":{"d":[2]},"b":1}')
    assert.strictEqual(CanonicalJson.stringify(new Date(0)), '"1970-01-01T00:00:00.000Z"')
  })

  it("gives one text whatever the key order, and parses back to the same value", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse())
        const text = CanonicalJson.stringify(value)
        assert.strictEqual(CanonicalJson.stringify(reversed), text)
        assert.strictEqual(CanonicalJson.stringify(JSON.parse(text)), text)
      })
    )
  })
})
