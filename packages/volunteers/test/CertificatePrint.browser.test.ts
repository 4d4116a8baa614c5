// Prints certificates to PDF in headless Chromium (playwright-core driving the Debian `chromium` package) and
// counts the pages. Kept in its own file so the Node.js matrix (scripts/node-matrix.sh) can leave it out.
// Without /usr/bin/chromium the printing tests are skipped with a hint, unless GONGZHI_REQUIRE_BROWSER=1 or CI
// is set, where a missing browser fails.
import * as Fs from "node:fs"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import type { Browser } from "playwright-core"
import * as CertificateHtml from "../src/CertificateHtml.js"
import { certificateDocument, sheetsOf } from "./certificateDocuments.js"

const CHROMIUM = process.env.GONGZHI_CHROMIUM ?? "/usr/bin/chromium"
const ci = process.env.CI
const required = process.env.GONGZHI_REQUIRE_BROWSER === "1" || (ci !== undefined && ci !== "" && ci !== "false")
const available = Fs.existsSync(CHROMIUM)
const hint = `Chromium is not installed at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (the certificate printing tests need it)`
if (!available && !required) console.warn(`CertificatePrint: skipped. ${hint}`)

it("Chromium is installed, or not required (GONGZHI_REQUIRE_BROWSER, CI)", () => {
  assert.isTrue(available || !required, hint)
})

/** `/Type /Page` objects (not `/Pages`) in a PDF as Chromium writes it (page objects are never compressed). */
const pdfPages = (pdf: Uint8Array): number =>
  Buffer.from(pdf)
    .toString("latin1")
    .match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0

describe.skipIf(!available)("certificate printed to PDF in Chromium", () => {
  let browser: Browser
  beforeAll(async () => {
    const { chromium } = await import("playwright-core")
    browser = await chromium.launch({ executablePath: CHROMIUM })
  })
  afterAll(async () => {
    await browser?.close()
  })

  /**
   * Per sheet, in print media: how far the content runs past the sheet's content box (px, ≤ 0 when it fits), and
   * how far it scrolls past the sheet (px, ≤ 0 when nothing overflows). Run in the page (no DOM types here).
   */
  const MEASURE = `Array.from(document.querySelectorAll(".sheet"), (sheet) => {
    const box = sheet.getBoundingClientRect()
    const bottom = Math.max(...Array.from(sheet.children, (child) => child.getBoundingClientRect().bottom))
    const padding = Number.parseFloat(getComputedStyle(sheet).paddingBottom)
    return [Math.round(bottom - box.bottom + padding), sheet.scrollHeight - sheet.clientHeight]
  })`

  /** The PDF's page count and, per sheet, how far its content runs past the sheet (≤ 0 when it fits). */
  const print = async (html: string) => {
    const page = await browser.newPage()
    try {
      await page.setContent(html)
      await page.emulateMedia({ media: "print" })
      const measured = (await page.evaluate(MEASURE)) as ReadonlyArray<readonly [number, number]>
      const pdf = await page.pdf({ format: "A4", printBackground: true })
      return {
        pages: pdfPages(pdf),
        overflow: measured.map(([content]) => content),
        printed: measured.map(([, scroll]) => scroll)
      }
    } finally {
      await page.close()
    }
  }

  const options = { seal: "（盖章）", footnote: "核验方式：登录“志愿深圳”平台，输入证明编号查询。" }

  for (const [lines, pages] of [
    [1, 1],
    [12, 1],
    [15, 1],
    [16, 2],
    [40, 2]
  ] as const) {
    it(`${lines} service line(s) print on ${pages} A4 page(s), each sheet holding its content`, async () => {
      const html = CertificateHtml.render(certificateDocument(lines), options)
      const printed = await print(html)
      assert.strictEqual(printed.pages, pages, "pages in the PDF")
      const sheets = sheetsOf(html)
      assert.strictEqual(sheets.length, pages)
      for (const [i, over] of printed.overflow.entries()) assert.isAtMost(over, 0, `page ${i + 1} overflows`)
      for (const [i, over] of printed.printed.entries()) assert.isAtMost(over, 0, `page ${i + 1} overflows in print`)
      for (const [i, sheet] of sheets.entries()) assert.include(sheet, `第 ${i + 1} 页 共 ${pages} 页`)
    })
  }

  it("a long certificate (90 lines) continues over as many pages as it renders, none overflowing", async () => {
    const html = CertificateHtml.render(certificateDocument(90, { status: "revoked" }), options)
    const sheets = sheetsOf(html)
    assert.isAtLeast(sheets.length, 3)
    const printed = await print(html)
    assert.strictEqual(printed.pages, sheets.length)
    for (const over of [...printed.overflow, ...printed.printed]) assert.isAtMost(over, 0)
  })

  it("lines whose content wraps are budgeted as the rows they take", async () => {
    const long = (i: number) => `${"社区环境整治与垃圾分类宣传指导及入户走访".repeat(1 + (i % 3))}（第 ${i + 1} 次）`
    for (const lines of [6, 15, 33]) {
      const html = CertificateHtml.render(certificateDocument(lines, { content: long }), options)
      const printed = await print(html)
      assert.strictEqual(printed.pages, sheetsOf(html).length, `${lines} lines`)
      for (const over of [...printed.overflow, ...printed.printed]) assert.isAtMost(over, 0, `${lines} lines`)
    }
  })
})
