// Prints credit reports to PDF in headless Chromium (playwright-core driving the Debian `chromium` package), as
// the volunteers' certificate test does. Without /usr/bin/chromium the printing tests are skipped with a hint,
// unless GONGZHI_REQUIRE_BROWSER=1 or CI is set, where a missing browser fails.
import * as Fs from "node:fs"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import type { Browser } from "playwright-core"
import * as CreditReport from "../src/CreditReport.js"
import type { RecordView } from "../src/Inquiry.js"

const CHROMIUM = process.env.GONGZHI_CHROMIUM ?? "/usr/bin/chromium"
const ci = process.env.CI
const required = process.env.GONGZHI_REQUIRE_BROWSER === "1" || (ci !== undefined && ci !== "" && ci !== "false")
const available = Fs.existsSync(CHROMIUM)
const hint = `Chromium is not installed at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (the credit report printing test needs it)`
if (!available && !required) console.warn(`CreditReportPrint: skipped. ${hint}`)

it("Chromium is installed, or not required (GONGZHI_REQUIRE_BROWSER, CI)", () => {
  assert.isTrue(available || !required, hint)
})

const pdfPages = (pdf: Uint8Array): number =>
  Buffer.from(pdf)
    .toString("latin1")
    .match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0

const view = (i: number): RecordView => ({
  id: `R${i}`,
  recordType: "ADMIN_PENALTY",
  typeName: "行政处罚信息",
  category: i % 2 === 0 ? "行政管理信息" : "司法裁判及执行信息",
  polarity: "negative",
  failingClass: "penalty",
  documentNumber: `深坪市监罚〔2026〕${i}号`,
  findingDate: "2026-06-01",
  displayEnds: "2027-06-01",
  sourceUnit: "坪山区市场监督管理局",
  state: i % 5 === 0 ? "objectionPending" : "active",
  stateLabel: i % 5 === 0 ? "异议处理中" : "有效",
  mark: i % 5 === 0 ? "异议处理中" : undefined,
  details: [
    { name: "violation", label: "违法行为类型", value: "未取得许可从事经营活动，且拒不改正".repeat(1 + (i % 3)) },
    { name: "fine", label: "罚款金额（元）", value: String(1000 * i) }
  ]
})

const report = (records: number) =>
  CreditReport.make({
    number: "XYBG-440310-20261201-0123456789",
    issuer: "坪山区公共信用信息平台",
    issuedAt: new Date("2026-12-01T02:00:00Z"),
    purpose: "个人自查",
    result: {
      inquiryId: "CX-1",
      asOf: "2026-12-01",
      subject: {
        id: "S1",
        kind: "legalPerson",
        kindLabel: "法人和非法人组织",
        name: "坪山甲有限公司",
        creditCode: "91440300MA5XXXXXXX",
        maskedResidentId: undefined,
        maskedLegalRepresentative: "张*"
      },
      records: Array.from({ length: records }, (_, i) => view(i + 1)),
      lists: [],
      grade: { grade: "C", label: "一般", score: 70 }
    },
    explanation: ["行政处罚信息（一般）扣 8 分"],
    repairs: []
  })

describe.skipIf(!available)("credit report printed to PDF in Chromium", () => {
  let browser: Browser
  beforeAll(async () => {
    const { chromium } = await import("playwright-core")
    browser = await chromium.launch({ executablePath: CHROMIUM })
  })
  afterAll(async () => {
    await browser?.close()
  })

  const print = async (html: string) => {
    const page = await browser.newPage()
    try {
      await page.setContent(html)
      await page.emulateMedia({ media: "print" })
      const overflow = (await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
      )) as number
      const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true })
      return { pages: pdfPages(pdf), overflow }
    } finally {
      await page.close()
    }
  }

  it("a short report prints on one A4 page; a long one flows onto more pages, never wider than the page", async () => {
    const short = await print(CreditReport.renderHtml(report(2)))
    assert.strictEqual(short.pages, 1)
    assert.isAtMost(short.overflow, 0)
    const long = await print(CreditReport.renderHtml(report(60)))
    assert.isAbove(long.pages, 2)
    assert.isAtMost(long.overflow, 0)
  })
})
