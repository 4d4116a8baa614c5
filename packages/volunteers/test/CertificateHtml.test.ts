import { assert, describe, it } from "@effect/vitest"
import type { LocalDate } from "@gongzhi/core/LocalDate"
import { Either, FastCheck } from "effect"
import { ActorRef } from "../src/ActorRef.js"
import * as Certificate from "../src/Certificate.js"
import * as CertificateHtml from "../src/CertificateHtml.js"
import * as Pages from "../src/internal/certificatePages.js"
import { samples } from "../src/testing.js"
import { certificateDocument, sheetsOf } from "./certificateDocuments.js"
import { TENANT } from "./fixtures.js"

const handler = new ActorRef({ kind: "Staff", id: "S0001" })

const issued = (texts: { name?: string; content?: string; organisation?: string; handler?: string } = {}) => {
  const accepted = samples.certificate(TENANT, 1, {
    status: "accepted",
    periodFrom: "2026-01-01" as LocalDate,
    periodTo: "2026-03-31" as LocalDate
  })
  return Either.getOrThrow(
    Certificate.issue(accepted, {
      number: "440310-ZM-2026-000001",
      issuedOn: "2026-04-09" as LocalDate,
      by: handler,
      at: new Date(Date.UTC(2026, 3, 9, 2)),
      publicityDays: 7,
      contents: new Certificate.CertificateContents({
        volunteerName: texts.name ?? "张三",
        idType: "居民身份证",
        maskedIdNumber: "9***************1X",
        volunteerNumber: samples.volunteer(TENANT, 0).id,
        totalMinutes: 750,
        periodFrom: "2026-01-01" as LocalDate,
        periodTo: "2026-03-31" as LocalDate,
        items: [
          new Certificate.CertificateItem({
            date: "2026-01-05" as LocalDate,
            content: texts.content ?? "民情走访",
            minutes: 90
          }),
          new Certificate.CertificateItem({ date: "2026-02-14" as LocalDate, content: "政策宣讲", minutes: 660 })
        ],
        issuer: new Certificate.CertificateIssuer({
          name: texts.organisation ?? "坪山街道民情志愿服务分队",
          personInCharge: "李负责",
          handler: texts.handler ?? "王经办",
          contact: "0755-28000000"
        })
      })
    })
  )
}

const html = (certificate: Certificate.Certificate, options?: CertificateHtml.RenderOptions) =>
  Either.getOrThrow(CertificateHtml.fromCertificate(certificate, options))

/** The text of an element found by its class (the first), tags removed, references decoded. */
const textOf = (page: string, className: string): string => {
  const match = new RegExp(
    `<([a-z0-9]+)[^>]*class="(?:[^"]*\\s)?${className}(?:\\s[^"]*)?"[^>]*>([\\s\\S]*?)</\\1>`
  ).exec(page)
  assert.isNotNull(match, className)
  return decode(match![2].replace(/<[^>]+>/g, ""))
}

const decode = (text: string) =>
  text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&")

const count = (text: string, ch: string) => text.split(ch).length - 1

describe("CertificateHtml", () => {
  it("a self-contained A4 page in Simplified Chinese, UTF-8", () => {
    const page = html(issued())
    assert.isTrue(page.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">'))
    assert.include(page, '<meta charset="utf-8">')
    assert.match(page, /@page \{ size: A4 portrait;/)
    assert.include(page, "<title>志愿服务记录证明 440310-ZM-2026-000001</title>")
    // nothing to fetch, nothing to run
    for (const forbidden of ["<script", "<link", "<img", "src=", "href=", "url(", "@import"]) {
      assert.notInclude(page, forbidden)
    }
    // balanced structure
    for (const tag of ["html", "head", "body", "main", "section", "table", "thead", "tbody", "tfoot", "tr", "footer"]) {
      assert.strictEqual(count(page, `<${tag}>`) + count(page, `<${tag} `), count(page, `</${tag}>`), tag)
    }
  })

  it("prints everything the measures require: identity, hours and content, issuer, number, date, publicity", () => {
    const page = html(issued(), { seal: "（盖章）" })
    assert.strictEqual(textOf(page, "certificate-number"), "440310-ZM-2026-000001")
    const identity = textOf(page, "identity")
    for (const text of ["姓名张三", "证件类型居民身份证", "证件号码9***************1X", "志愿者编号440310-V-000001"]) {
      assert.include(identity.replace(/\s+/g, ""), text)
    }
    assert.include(identity, "2026年1月1日 至 2026年3月31日")
    assert.strictEqual(
      textOf(page, "statement"),
      "兹证明张三（居民身份证 9***************1X，志愿者编号 440310-V-000001）于 2026-01-01 至 2026-03-31 期间在坪山街道民情志愿服务分队参加志愿服务，累计志愿服务时长 12.5 小时。特此证明。"
    )
    const items = textOf(page, "items")
    assert.include(items, "2026年1月5日民情走访1.5")
    assert.include(items, "2026年2月14日政策宣讲11")
    assert.strictEqual(textOf(page, "total-hours"), "12.5 小时")
    const issuer = textOf(page, "issuer").replace(/\s+/g, "")
    for (const text of ["出具单位坪山街道民情志愿服务分队", "负责人李负责", "经办人王经办", "联系方式0755-28000000"]) {
      assert.include(issuer, text)
    }
    assert.include(issuer, "出具日期：2026年4月9日")
    assert.include(page, '<time datetime="2026-04-09">')
    assert.strictEqual(textOf(page, "seal"), "（盖章）")
    assert.strictEqual(
      textOf(page, "publicity-note"),
      "本证明自 2026年4月9日 起在出具单位内部公示 7 日，至 2026年4月15日 止。公示期内如有异议，请向出具单位反映（联系方式：0755-28000000）；公示期满无异议的，本证明生效。"
    )
    assert.strictEqual(textOf(page, "status"), "证明状态：已出具（公示中）")
    // the ID number is only ever the masked one
    assert.notMatch(page, /\d{15,}/)
  })

  it("effective and revoked certificates say so; one not issued has no page", () => {
    const effective = Either.getOrThrow(Certificate.completePublicity(issued(), "2026-04-16", new Date()))
    assert.match(textOf(html(effective), "publicity-note"), /公示期满无异议，已生效。$/)
    const revoked = Either.getOrThrow(Certificate.revoke(issued(), { by: handler, at: new Date(), reason: "有误" }))
    const page = html(revoked)
    assert.strictEqual(textOf(page, "revoked-mark"), "已撤销")
    assert.include(page, 'data-status="revoked"')
    const notIssued = CertificateHtml.fromCertificate(samples.certificate(TENANT, 2))
    assert.isTrue(Either.isLeft(notIssued) && notIssued.left._tag === "InvalidTransition")
  })

  it("escapes every text", () => {
    const evil = `<script>alert("x")</script> & 'quote'`
    const page = html(issued({ name: evil, content: evil, organisation: evil, handler: evil }), { footnote: evil })
    assert.notInclude(page, "<script")
    assert.include(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quote&#39;")
    assert.include(textOf(page, "items"), evil)
    assert.include(textOf(page, "footnote"), evil)
  })

  it.prop(
    "no text can add markup: the page has as many < > and quotes as with plain text",
    [FastCheck.string({ unit: "grapheme", maxLength: 40 })],
    ([text]) => {
      const plain = html(issued({ name: "x", content: "x", organisation: "x", handler: "x" }), { footnote: "x" })
      const page = html(issued({ name: text, content: text, organisation: text, handler: text }), { footnote: text })
      for (const ch of ["<", ">", '"', "'"]) assert.strictEqual(count(page, ch), count(plain, ch), ch)
      assert.include(textOf(page, "footnote"), text)
    },
    { fastCheck: { numRuns: 200 } }
  )

  describe("pages (fixed A4 blocks, split by the renderer)", () => {
    const options = { seal: "（盖章）", footnote: "核验方式：输入证明编号查询。" }

    it("the seal label is printed once, with or without a seal text", () => {
      for (const page of [html(issued(), { seal: "（盖章）" }), html(issued())]) {
        assert.strictEqual(count(page, "盖章"), 1)
        assert.strictEqual(textOf(page, "seal"), "（盖章）")
      }
      assert.strictEqual(count(html(issued(), { seal: "（公章）" }), "章）"), 1)
    })

    for (const [lines, pages] of [
      [0, 1],
      [1, 1],
      [12, 1],
      [15, 1],
      [16, 2],
      [40, 2],
      [90, 4]
    ] as const) {
      it(`${lines} lines: ${pages} page(s), each with the title, number and 第 n 页 共 ${pages} 页; total, issuer and note on the last`, () => {
        for (const status of ["issued", "revoked"] as const) {
          const document = certificateDocument(lines, { status })
          const page = CertificateHtml.render(document, options)
          const sheets = sheetsOf(page)
          assert.strictEqual(sheets.length, pages)
          assert.include(page, `data-pages="${pages}"`)
          sheets.forEach((sheet, i) => {
            const last = i === pages - 1
            assert.include(sheet, `<h1>志愿服务记录证明</h1>`)
            assert.include(sheet, `<span class="certificate-number">440310-ZM-2026-000123</span>`)
            assert.include(sheet, `<span class="page-number">第 ${i + 1} 页 共 ${pages} 页</span>`)
            assert.strictEqual(count(sheet, 'class="revoked-mark"'), status === "revoked" ? 1 : 0)
            assert.strictEqual(count(sheet, "累计志愿服务时长</th>"), last ? 1 : 0)
            for (const part of [
              'class="issuer"',
              'class="signature"',
              'class="seal"',
              "出具日期",
              'class="publicity"'
            ]) {
              assert.strictEqual(count(sheet, part), last ? 1 : 0, part)
            }
            assert.strictEqual(count(sheet, 'class="identity"'), i === 0 ? 1 : 0)
            if (!last) assert.include(sheet, `（下接第 ${i + 2} 页）`)
            if (i > 0) assert.include(sheet, `（接第 ${i} 页）`)
          })
          assert.strictEqual(count(page, "盖章"), 1)
          // every line once, in order, over the pages
          const dates = [...page.matchAll(/<td class="date">([^<]*)<\/td>/g)].map((m) => m[1])
          assert.deepStrictEqual(
            dates,
            document.service.items.map((item) => CertificateHtml.chineseDate(item.date))
          )
        }
      })
    }

    it.prop(
      "paginate: every line once and in order, one page iff the lines fit one (or there is one line), every page within its budget",
      [
        FastCheck.array(
          // mostly one-row lines, some of 3 to 6 rows, a few longer than a page
          FastCheck.integer({ min: 1, max: 40 }).map((n) => (n > 38 ? (n - 37) * 20 : n > 34 ? n - 31 : 1)),
          { maxLength: 120 }
        )
      ],
      ([weights]) => {
        const pages = Pages.paginate(weights)
        const total = weights.reduce((a, b) => a + b, 0)
        assert.isAtLeast(pages.length, 1)
        assert.strictEqual(pages[0][0], 0)
        assert.strictEqual(pages[pages.length - 1][1], weights.length)
        for (let i = 1; i < pages.length; i++) assert.strictEqual(pages[i][0], pages[i - 1][1])
        assert.strictEqual(pages.length === 1, total <= Pages.SINGLE_PAGE || weights.length === 1)
        const load = ([from, to]: readonly [number, number]) => weights.slice(from, to).reduce((a, b) => a + b, 0)
        pages.forEach((range, i) => {
          if (pages.length === 1) return
          assert.isAbove(range[1], range[0], "no empty page")
          const budget = i === pages.length - 1 ? Pages.LAST_PAGE : i === 0 ? Pages.FIRST_PAGE : Pages.MIDDLE_PAGE
          // a single line heavier than a page has a page of its own
          if (range[1] - range[0] > 1) assert.isAtMost(load(range), budget, `page ${i + 1}`)
        })
      },
      { fastCheck: { numRuns: 500 } }
    )

    it("a content that wraps counts as the rows it takes", () => {
      assert.strictEqual(Pages.weight("防汛值守"), 1)
      assert.strictEqual(Pages.weight("社".repeat(28)), 1)
      assert.strictEqual(Pages.weight("社".repeat(29)), 2)
      assert.strictEqual(Pages.weight("a".repeat(50)), 1)
      assert.strictEqual(Pages.weight("a".repeat(51)), 2)
      // eleven three-row lines do not fit one page
      assert.strictEqual(
        sheetsOf(CertificateHtml.render(certificateDocument(6, { content: () => "社".repeat(80) }))).length,
        2
      )
    })
  })
})
