import type { CertificateDocument } from "../Certificate.js"
import { paginate, weight } from "./certificatePages.js"

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

/** Text (or an attribute value) made safe for HTML: `& < > " '` become character references. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c])

/** `2026-03-09` → `2026年3月9日`. */
export const chineseDate = (date: string): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  return match === null ? date : `${match[1]}年${Number(match[2])}月${Number(match[3])}日`
}

const hours = (value: number): string => String(Math.round(value * 100) / 100)

export interface RenderOptions {
  readonly seal?: string | undefined
  readonly footnote?: string | undefined
}

/** The label of the place for the seal, printed once when no `seal` text is given. */
export const SEAL_LABEL = "（盖章）"

// Every page is a fixed A4 block (`.sheet`, 210 × 297 mm with its own margins) that ends with a page
// break, and `@page` has no margin: the browser never decides where a page ends, the renderer does (see
// certificatePages.ts, whose budgets are measured on these sizes).
const STYLE = `
@page { size: A4 portrait; margin: 0; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
html, body { margin: 0; padding: 0; }
body { color: #000; background: #fff; font-family: "FangSong", "STFangsong", "仿宋", "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 11pt; line-height: 1.5; }
.sheet { position: relative; display: flex; flex-direction: column; width: 210mm; height: 296.8mm; padding: 13mm 18mm 10mm; overflow: visible; break-after: page; page-break-after: always; break-inside: avoid; }
.sheet:last-child { break-after: auto; page-break-after: auto; }
header { margin: 0 0 2mm; }
h1 { margin: 0; text-align: center; font-family: "SimHei", "STHeiti", "黑体", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 18pt; line-height: 1.4; font-weight: bold; letter-spacing: 0.25em; }
.number { display: flex; justify-content: space-between; margin: 1mm 0 0; font-size: 10.5pt; }
h2 { margin: 2.5mm 0 1mm; font-size: 11.5pt; line-height: 1.4; font-weight: bold; }
.continued, .carry { margin: 0 0 1mm; font-size: 10pt; }
.carry { margin-top: 1.5mm; text-align: right; }
table { width: 100%; border-collapse: collapse; font-size: 10.5pt; line-height: 1.4; }
th, td { border: 0.5pt solid #000; padding: 0.8mm 2.5mm; text-align: left; vertical-align: top; word-break: break-all; }
th { width: 17%; font-weight: normal; background: #f2f2f2; }
.items { font-size: 10pt; line-height: 1.35; }
.items th { width: auto; text-align: center; white-space: nowrap; }
.items col.date { width: 31mm; }
.items col.hours { width: 27mm; }
.items td.hours, .items tfoot td { text-align: right; white-space: nowrap; }
.items td.date { white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
.statement { margin: 3mm 0 0; text-indent: 2em; line-height: 1.6; }
.issuer { margin-top: 4mm; }
.signature { margin: 4mm 0 0 auto; width: 62%; min-height: 20mm; line-height: 1.7; }
.signature p { margin: 0; }
.seal { display: inline-block; margin-left: 3mm; color: #555; }
.publicity { margin-top: auto; padding-top: 1.5mm; border-top: 0.5pt dashed #000; font-size: 10pt; line-height: 1.5; }
.publicity p { margin: 0; }
.revoked-mark { position: absolute; top: 38%; left: 0; right: 0; text-align: center; font-size: 64pt; font-weight: bold; letter-spacing: 0.3em; color: rgba(200, 0, 0, 0.25); transform: rotate(-20deg); pointer-events: none; }
@media screen { body { background: #e8e8e8; } .sheet { margin: 10mm auto; background: #fff; box-shadow: 0 1mm 4mm rgba(0, 0, 0, 0.2); } }
`

const cell = (label: string, value: string, colspan?: number) =>
  `<th scope="row">${escapeHtml(label)}</th><td${colspan === undefined ? "" : ` colspan="${colspan}"`}>${escapeHtml(value)}</td>`

/** A printable, self-contained HTML page of a certificate: one fixed A4 block per page. */
export const render = (document: CertificateDocument, options: RenderOptions = {}): string => {
  const e = escapeHtml
  const { issuer, publicity, service, volunteer } = document
  const pages = paginate(service.items.map((item) => weight(item.content)))
  const total = pages.length
  const itemRow = (item: CertificateDocument["service"]["items"][number]) =>
    `<tr><td class="date">${e(chineseDate(item.date))}</td><td>${e(item.content)}</td><td class="hours">${e(hours(item.hours))}</td></tr>`
  const period =
    service.periodFrom !== undefined || service.periodTo !== undefined
      ? `<tr>${cell("证明期间", `${service.periodFrom === undefined ? "登记之日" : chineseDate(service.periodFrom)} 至 ${chineseDate(service.periodTo ?? document.issuedOn)}`, 3)}</tr>\n`
      : ""
  const publicityText =
    document.status === "effective"
      ? `本证明已于 ${chineseDate(publicity.startsOn)} 至 ${chineseDate(publicity.endsOn)} 在出具单位内部公示 ${publicity.days} 日，公示期满无异议，已生效。`
      : document.status === "revoked"
        ? `本证明已撤销，不再作为志愿服务记录的证明。`
        : `本证明自 ${chineseDate(publicity.startsOn)} 起在出具单位内部公示 ${publicity.days} 日，至 ${chineseDate(publicity.endsOn)} 止。公示期内如有异议，请向出具单位反映（联系方式：${issuer.contact}）；公示期满无异议的，本证明生效。`
  const revokedMark = document.status === "revoked" ? `<div class="revoked-mark" aria-hidden="true">已撤销</div>\n` : ""

  const sheet = ([from, to]: readonly [number, number], index: number): string => {
    const n = index + 1
    const first = n === 1
    const last = n === total
    const pageLabel = `第 ${n} 页 共 ${total} 页`
    const rows =
      service.items.length === 0
        ? `<tr><td colspan="3">（无分项记录）</td></tr>`
        : service.items.slice(from, to).map(itemRow).join("\n")
    const opening = first
      ? `<section class="volunteer" aria-label="志愿者信息">
<table class="identity"><tbody>
<tr>${cell("姓名", volunteer.name)}${cell("证件类型", volunteer.idType)}</tr>
<tr>${cell("证件号码", volunteer.maskedIdNumber)}${cell("志愿者编号", volunteer.volunteerNumber)}</tr>
${period}</tbody></table>
</section>
<p class="statement">${e(document.statement)}</p>
`
      : `<p class="continued">（接第 ${n - 1} 页）志愿者：${e(volunteer.name)}（志愿者编号 ${e(volunteer.volunteerNumber)}）</p>\n`
    const closing = last
      ? `<section class="issuer" aria-label="出具单位">
<table><tbody>
<tr>${cell("出具单位", issuer.name, 3)}</tr>
<tr>${cell("负责人", issuer.personInCharge)}${cell("经办人", issuer.handler)}</tr>
<tr>${cell("联系方式", issuer.contact, 3)}</tr>
</tbody></table>
<div class="signature">
<p>出具单位：${e(issuer.name)}<span class="seal">${e(options.seal ?? SEAL_LABEL)}</span></p>
<p>出具日期：<time datetime="${e(document.issuedOn)}">${e(chineseDate(document.issuedOn))}</time></p>
</div>
</section>
<footer class="publicity">
<p class="publicity-note">${e(publicityText)}</p>
<p class="status">证明状态：${e(document.statusLabel)}</p>
${options.footnote === undefined ? "" : `<p class="footnote">${e(options.footnote)}</p>\n`}</footer>
`
      : `<p class="carry">（下接第 ${n + 1} 页）</p>\n`
    return `<section class="sheet" data-page="${n}" aria-label="${pageLabel}">
${revokedMark}<header>
<h1>${e(document.title)}</h1>
<p class="number"><span>证明编号：<span class="certificate-number">${e(document.number)}</span></span><span class="page-number">${pageLabel}</span></p>
</header>
${opening}<section class="service" aria-label="志愿服务记录">
<h2>志愿服务时长及内容${first ? "" : "（续）"}</h2>
<table class="items">
<colgroup><col class="date"><col class="content"><col class="hours"></colgroup>
<thead><tr><th scope="col">服务日期</th><th scope="col">服务内容</th><th scope="col">时长（小时）</th></tr></thead>
<tbody>
${rows}
</tbody>
${last ? `<tfoot><tr><th scope="row" colspan="2">累计志愿服务时长</th><td class="total-hours">${e(hours(service.totalHours))} 小时</td></tr></tfoot>\n` : ""}</table>
</section>
${closing}</section>`
  }

  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`${document.title} ${document.number}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main class="certificate status-${e(document.status)}" data-status="${e(document.status)}" data-number="${e(document.number)}" data-pages="${total}">
${pages.map(sheet).join("\n")}
</main>
</body>
</html>
`
}
