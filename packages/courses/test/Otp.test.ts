import { assert, describe, it } from "@effect/vitest"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Either, FastCheck as fc } from "effect"
import * as CertificateHtml from "../src/CertificateHtml.js"
import * as Feedback from "../src/Feedback.js"
import * as Otp from "../src/Otp.js"

const T = 1_800_000_000_000
const base = { id: "m:x", tenantId: "440310" as TenantId, kind: "mobile" as const }
const policy = Otp.defaultPolicy

describe("Otp (property)", () => {
  it("a code is accepted only if it matches, is unexpired and fewer than maxAttempts wrong codes came before; then it is spent", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ right: fc.boolean(), after: fc.integer({ min: 0, max: 400_000 }) }), { maxLength: 12 }),
        (tries) => {
          let record: Otp.OtpRecord | undefined = Otp.issue(undefined, base, "good", new Date(T), policy)
          let wrong = 0
          let spent = false
          for (const t of tries) {
            const now = new Date(T + t.after)
            const result = Otp.verify(record, t.right ? "good" : "bad", now, policy)
            const shouldPass = t.right && !spent && wrong < policy.maxAttempts && t.after < policy.ttlSeconds * 1000
            if (Either.isRight(result) !== shouldPass) return false
            if (Either.isRight(result)) {
              spent = true
              record = result.right
            } else {
              if (!t.right && !spent && wrong < policy.maxAttempts && t.after < policy.ttlSeconds * 1000) wrong++
              record = result.left.record
            }
          }
          return true
        }
      )
    )
  })

  it("property: never more sends than the limits allow, whatever the timing", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 * 3_600_000 }), { maxLength: 40 }), (gaps) => {
        let record: Otp.OtpRecord | undefined
        let now = T
        const sent: Array<number> = []
        for (const gap of gaps) {
          now += gap
          if (Either.isRight(Otp.canSend(record, new Date(now), policy))) {
            record = Otp.issue(record, base, "h", new Date(now), policy)
            sent.push(now)
          }
        }
        return sent.every(
          (t, k) =>
            (k === 0 || t - sent[k - 1]! >= policy.resendSeconds * 1000) &&
            sent.filter((s) => s <= t && t - s < 86_400_000).length <= policy.perNumberPerDay
        )
      })
    )
  })
})

describe("CertificateHtml and Feedback", () => {
  it("escapes every text of the page", () => {
    const html = CertificateHtml.render({
      number: "2026-KC-000001",
      workerName: "<script>alert(1)</script>",
      workerId: "440310-W-000001",
      courseTitle: '电工"基础"&安全',
      category: "职业技能",
      provider: "坪山区总工会",
      teacher: "王老师",
      venue: "坑梓党群服务中心",
      sessionsHeld: 4,
      sessionsAttended: 4,
      issuedOn: "2026-04-01",
      issuer: "坪工学堂"
    })
    assert.notInclude(html, "<script>")
    assert.include(html, "&lt;script&gt;")
    assert.include(html, "电工&quot;基础&quot;&amp;安全")
    assert.include(html, "2026年4月1日")
  })

  it("counts a word once per text, drops one-character and common words", () => {
    const themes = Feedback.themes(["夜班 夜班 电工证", "电工证 的 课", "育婴师"], (t) => t.split(" "), 10)
    assert.deepStrictEqual(themes, [
      { word: "电工证", count: 2 },
      { word: "夜班", count: 1 },
      { word: "育婴师", count: 1 }
    ])
  })
})
