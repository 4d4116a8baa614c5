import { FastCheck as fc } from "effect"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import { describe, expect, it } from "vitest"
import * as Xml from "../src/internal/xml.js"

const parser = new XMLParser({ parseTagValue: false, trimValues: false, isArray: (name) => name === "request" })

describe("GeoReport XML", () => {
  it("writes lists, nested objects and nulls as GeoReport does", () => {
    const text = Xml.document("service_requests", [{ service_request_id: "R1", lat: 22.7, media_url: null }], {
      service_requests: "request"
    })
    expect(text).toBe(
      '<?xml version="1.0" encoding="utf-8"?><service_requests><request><service_request_id>R1</service_request_id><lat>22.7</lat><media_url/></request></service_requests>'
    )
  })

  it("any text round-trips through an independent parser (what XML cannot carry becomes U+FFFD)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (value) => {
        const text = Xml.document("service_requests", [{ description: value }], { service_requests: "request" })
        expect(XMLValidator.validate(text)).toBe(true)
        const parsed = parser.parse(text) as { service_requests: { request: Array<{ description?: string }> } }
        const expected = value.replace(/[\uD800-\uDFFF\uFFFE\uFFFF]|[^\P{Cc}\t\n\r]/gu, "\uFFFD")
        // the parser normalises line ends (XML 1.0 §2.11) and gives an empty element as ""
        expect(parsed.service_requests.request[0]?.description ?? "").toBe(expected.replace(/\r\n?/g, "\n"))
      }),
      { numRuns: 100 }
    )
  })
})
