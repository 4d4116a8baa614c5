/**
 * Credit reports (信用报告) of a subject, as data and as a printable A4 HTML page. Sections: basic
 * information, records by class within their display windows (a record under objection marked 异议处理中),
 * lists in force, the grade with its explanation, and repairs (only that a record of a type was repaired:
 * repaired records are never shown). Each report has a number (`XYBG-<district>-<yyyymmdd>-<10 hex>`) and a
 * verification hash — the SHA-256 of the canonical JSON of everything else — which the platform keeps with
 * the number, so that `Credits.verifyReport` tells whether a number and hash belong to a report it issued,
 * and {@link hashOf} shows whether a report's content was changed. Personal data is masked as in inquiries.
 *
 * @since 0.3.0
 */
import * as Crypto from "node:crypto"
import type { InquiryResult, ListView, RecordView, SubjectSummary } from "./Inquiry.js"
import * as Html from "./internal/reportHtml.js"

/**
 * Records of one class (信用信息类别), e.g. 行政管理信息.
 *
 * @since 0.3.0
 * @category models
 */
export interface RecordClass {
  readonly category: string
  readonly records: ReadonlyArray<RecordView>
}

/**
 * A credit report.
 *
 * @since 0.3.0
 * @category models
 */
export interface CreditReport {
  readonly number: string
  /** The platform issuing it, e.g. 坪山区公共信用信息平台. */
  readonly issuer: string
  readonly issuedAt: string
  /** The day the content is as of (China). */
  readonly asOf: string
  readonly purpose: string
  readonly subject: SubjectSummary | undefined
  readonly classes: ReadonlyArray<RecordClass>
  readonly lists: ReadonlyArray<ListView>
  readonly grade:
    | {
        readonly grade: string
        readonly label: string
        readonly score: number
        /** Why: one line per record that counted, e.g. 行政处罚信息（一般）-5. */
        readonly explanation: ReadonlyArray<string>
      }
    | undefined
  readonly repairs: ReadonlyArray<{ readonly typeName: string; readonly findingDate: string }>
  /** SHA-256 (hex) of the canonical JSON of every other field. */
  readonly hash: string
}

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}

/**
 * The verification hash of a report's content (every field but `hash`).
 *
 * @since 0.3.0
 * @category accessors
 * @example
 * import { CreditReport } from "@gongzhi/credit"
 *
 * declare const report: CreditReport.CreditReport
 * const untouched = CreditReport.hashOf(report) === report.hash
 */
export const hashOf = (report: Omit<CreditReport, "hash"> & { readonly hash?: string }): string => {
  const { hash: _hash, ...content } = report
  return Crypto.createHash("sha256").update(canonical(content), "utf8").digest("hex")
}

/**
 * Assembles a report from an inquiry's answer (the hash computed last).
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (options: {
  readonly number: string
  readonly issuer: string
  readonly issuedAt: Date
  readonly purpose: string
  readonly result: InquiryResult
  readonly explanation: ReadonlyArray<string>
  readonly repairs: ReadonlyArray<{ readonly typeName: string; readonly findingDate: string }>
}): CreditReport => {
  const { result } = options
  const categories: Array<string> = []
  for (const r of result.records) if (!categories.includes(r.category)) categories.push(r.category)
  const content: Omit<CreditReport, "hash"> = {
    number: options.number,
    issuer: options.issuer,
    issuedAt: options.issuedAt.toISOString(),
    asOf: result.asOf,
    purpose: options.purpose,
    subject: result.subject,
    classes: categories.map((category) => ({
      category,
      records: result.records.filter((r) => r.category === category)
    })),
    lists: result.lists,
    grade: result.grade === undefined ? undefined : { ...result.grade, explanation: options.explanation },
    repairs: options.repairs
  }
  return { ...content, hash: hashOf(content) }
}

/**
 * The report as a self-contained, printable HTML page (A4, `lang="zh-CN"`, inline CSS, no scripts; every
 * text escaped). Print it with a browser or headless Chromium to get a PDF.
 *
 * @since 0.3.0
 * @category rendering
 */
export const renderHtml: (report: CreditReport) => string = Html.render
