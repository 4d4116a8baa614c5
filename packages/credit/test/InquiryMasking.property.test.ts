import { describe, expect, it } from "@effect/vitest"
import * as ResidentId from "@gongzhi/core/ResidentId"
import { FastCheck as fc } from "effect"
import { CreditRecord, Provenance } from "../src/CreditRecord.js"
import * as CreditReport from "../src/CreditReport.js"
import type { Deps } from "../src/internal/service/context.js"
import { listView, recordView } from "../src/internal/service/view.js"
import * as NationalCatalogue from "../src/NationalCatalogue.js"
import { day } from "./fixtures.js"

const deps = { settings: { catalogue: NationalCatalogue.national2024, sourceUnits: [] } } as unknown as Deps

const residentId = fc.integer({ min: 1, max: 2_000_000_000 }).map((seed) => {
  let s = seed
  return ResidentId.generate(() => {
    s = (s * 48271) % 2147483647
    return s / 2147483647
  })
})
const mobile = fc
  .tuple(fc.constantFrom("13", "15", "17", "18", "19"), fc.stringMatching(/^\d{9}$/))
  .map(([a, b]) => a + b)
const filler = fc.string({ maxLength: 12 }).map((s) => s.replace(/\d/g, ""))
/** A text that carries IDs and mobile numbers, as written, with spaces or hyphens inside. */
const dirty = fc
  .array(fc.tuple(filler, fc.oneof(residentId, mobile), fc.constantFrom("", " ", "-")), { minLength: 1, maxLength: 4 })
  .map((parts) => ({
    secrets: parts.map(([, secret]) => secret),
    text: parts
      .map(([before, secret, sep]) =>
        sep === ""
          ? `${before}${secret}`
          : `${before}${secret.slice(0, 3)}${sep}${secret.slice(3, 7)}${sep}${secret.slice(7)}`
      )
      .join("；")
  }))

const record = (violation: string, documentNumber: string) =>
  new CreditRecord({
    id: "R1",
    tenantId: "440310" as never,
    subjectId: "S1",
    recordType: "ADMIN_PENALTY",
    polarity: "negative",
    failingClass: "penalty",
    sourceRecordId: "P1",
    documentNumber,
    findingDate: day("2026-06-01"),
    tier: "general",
    displayed: true,
    displayEnds: day("2027-06-01"),
    details: { violation, penaltyKind: "罚款", nested: { note: violation } },
    state: "objectionPending",
    provenance: new Provenance({ sourceUnitId: "U", batchId: "B", receivedAt: new Date(0), receivedBy: "t" }),
    contentHash: "h"
  })

describe("masking of inquiry results", () => {
  it("property: no record view, list view or report carries a full ID or mobile number, however it was written", () =>
    fc.assert(
      fc.property(dirty, dirty, ({ secrets, text }, other) => {
        const view = recordView(deps, record(text, other.text))
        const list = listView({
          list: "seriousDishonesty",
          subjectId: "S1",
          basis: "decision",
          reasons: [text],
          recordIds: [],
          from: day("2026-01-01"),
          until: day("2027-01-01"),
          exit: "x"
        })
        const report = CreditReport.make({
          number: "XYBG-1",
          issuer: "平台",
          issuedAt: new Date(0),
          purpose: "自查",
          result: {
            inquiryId: "Q",
            asOf: "2026-12-01",
            subject: undefined,
            records: [view],
            lists: [list],
            grade: undefined
          },
          explanation: [],
          repairs: []
        })
        const html = CreditReport.renderHtml(report)
        for (const out of [JSON.stringify(view), JSON.stringify(list), html]) {
          const digits = out.replace(/[\s-]/g, "")
          for (const secret of [...secrets, ...other.secrets]) expect(digits).not.toContain(secret)
        }
        expect(view.mark).toBe("异议处理中")
      }),
      { numRuns: 200 }
    ))
})
