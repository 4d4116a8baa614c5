/**
 * A printable HTML certificate of completion (结业证书) of 坪工学堂, numbered, one A4 page, in the
 * approach of the volunteers' certificates: self-contained (`lang="zh-CN"`, UTF-8, inline CSS with an
 * A4 `@page`, no scripts, images, fonts or links), so it prints the same from a browser, a kiosk or a
 * headless renderer; every text is escaped. It carries the worker's name and number, never the
 * mobile number.
 *
 * @since 0.1.0
 */

/**
 * What a certificate shows.
 *
 * @since 0.1.0
 * @category models
 */
export interface CertificateDocument {
  readonly number: string
  readonly workerName: string
  readonly workerId: string
  readonly courseTitle: string
  readonly category: string
  readonly provider: string
  readonly teacher: string
  readonly venue: string
  readonly sessionsHeld: number
  readonly sessionsAttended: number
  /** `YYYY-MM-DD` */
  readonly issuedOn: string
  readonly issuer: string
}

/**
 * Escapes text for HTML (`& < > " '`).
 *
 * @since 0.1.0
 * @category accessors
 */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

/**
 * A date in Chinese: `2026-03-09` → `2026年3月9日`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const chineseDate = (date: string): string => {
  const [y, m, d] = date.split("-")
  return `${Number(y)}年${Number(m)}月${Number(d)}日`
}

/**
 * The page of a certificate.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { CertificateHtml } from "@gongzhi/courses"
 *
 * const html = CertificateHtml.render({
 *   number: "2026-KC-000001", workerName: "李四", workerId: "440310-W-000001", courseTitle: "电工基础",
 *   category: "职业技能", provider: "坪山区总工会", teacher: "王老师", venue: "坑梓党群服务中心",
 *   sessionsHeld: 4, sessionsAttended: 4, issuedOn: "2026-04-01", issuer: "坪山区总工会 坪工学堂"
 * })
 */
export const render = (doc: CertificateDocument): string => {
  const e = escapeHtml
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>结业证书 ${e(doc.number)}</title>
<style>@page{size:A4;margin:20mm}body{font-family:serif;margin:0}.page{width:170mm;min-height:250mm;margin:auto;border:3px double #8b0000;padding:16mm;box-sizing:border-box}h1{text-align:center;letter-spacing:.5em;color:#8b0000}.no{text-align:right}.body{font-size:16pt;line-height:2;text-indent:2em;margin-top:18mm}.sign{margin-top:30mm;text-align:right;line-height:2}</style>
</head><body><div class="page">
<p class="no">证书编号：${e(doc.number)}</p>
<h1>结业证书</h1>
<p class="body">${e(doc.workerName)}（学员编号 ${e(doc.workerId)}）参加${e(doc.provider)}举办的坪工学堂「${e(doc.courseTitle)}」（${e(doc.category)}）课程，授课教师${e(doc.teacher)}，上课地点${e(doc.venue)}；共 ${doc.sessionsHeld} 课次，出勤 ${doc.sessionsAttended} 课次，成绩合格，准予结业。</p>
<p class="body">本课程为公益课程，不收取任何费用。</p>
<div class="sign"><p>${e(doc.issuer)}（盖章）</p><p>${e(chineseDate(doc.issuedOn))}</p></div>
</div></body></html>
`
}
