import type { CertificateDocument } from "../Certificate.js"

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

const STYLE = `
@page { size: A4 portrait; margin: 20mm 18mm 18mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; background: #fff; font-family: "FangSong", "STFangsong", "仿宋", "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.8; }
.sheet { position: relative; width: 100%; max-width: 174mm; margin: 0 auto; }
h1 { margin: 0 0 2mm; text-align: center; font-family: "SimHei", "STHeiti", "黑体", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 22pt; font-weight: bold; letter-spacing: 0.25em; }
h2 { margin: 6mm 0 2mm; font-size: 13pt; font-weight: bold; }
.number { margin: 0 0 4mm; text-align: right; font-size: 11pt; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.5pt solid #000; padding: 1.5mm 3mm; text-align: left; vertical-align: top; word-break: break-all; }
th { width: 22%; font-weight: normal; background: #f2f2f2; }
.items th { width: auto; text-align: center; }
.items td.hours, .items tfoot td { text-align: right; white-space: nowrap; }
.items td.date { white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.statement { margin: 6mm 0; text-indent: 2em; }
.issuer { margin-top: 6mm; break-inside: avoid; page-break-inside: avoid; }
.signature { margin: 10mm 0 0 auto; width: 60%; text-align: left; }
.signature p { margin: 0; }
.seal { display: inline-block; margin-left: 2mm; color: #555; }
.publicity { margin-top: 8mm; padding-top: 2mm; border-top: 0.5pt dashed #000; font-size: 10.5pt; line-height: 1.6; }
.publicity p { margin: 0 0 1mm; }
.revoked-mark { position: absolute; top: 35%; left: 0; right: 0; text-align: center; font-size: 64pt; font-weight: bold; letter-spacing: 0.3em; color: rgba(200, 0, 0, 0.25); transform: rotate(-20deg); pointer-events: none; }
@media screen { body { background: #e8e8e8; } .sheet { margin: 10mm auto; padding: 20mm 18mm; width: 210mm; max-width: none; min-height: 297mm; background: #fff; box-shadow: 0 1mm 4mm rgba(0, 0, 0, 0.2); } }
`

const row = (label: string, value: string) =>
  `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`

/** A printable, self-contained HTML page of a certificate. */
export const render = (document: CertificateDocument, options: RenderOptions = {}): string => {
  const e = escapeHtml
  const { issuer, publicity, service, volunteer } = document
  const items =
    service.items.length === 0
      ? `<tr><td colspan="3">（无分项记录）</td></tr>`
      : service.items
          .map(
            (item) =>
              `<tr><td class="date">${e(chineseDate(item.date))}</td><td>${e(item.content)}</td><td class="hours">${e(hours(item.hours))}</td></tr>`
          )
          .join("\n")
  const period =
    service.periodFrom !== undefined || service.periodTo !== undefined
      ? row(
          "证明期间",
          `${service.periodFrom === undefined ? "登记之日" : chineseDate(service.periodFrom)} 至 ${chineseDate(service.periodTo ?? document.issuedOn)}`
        )
      : ""
  const publicityText =
    document.status === "effective"
      ? `本证明已于 ${chineseDate(publicity.startsOn)} 至 ${chineseDate(publicity.endsOn)} 在出具单位内部公示 ${publicity.days} 日，公示期满无异议，已生效。`
      : document.status === "revoked"
        ? `本证明已撤销，不再作为志愿服务记录的证明。`
        : `本证明自 ${chineseDate(publicity.startsOn)} 起在出具单位内部公示 ${publicity.days} 日，至 ${chineseDate(publicity.endsOn)} 止。公示期内如有异议，请向出具单位反映（联系方式：${issuer.contact}）；公示期满无异议的，本证明生效。`
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`${document.title} ${document.number}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main class="sheet status-${e(document.status)}" data-status="${e(document.status)}" data-number="${e(document.number)}">
${document.status === "revoked" ? `<div class="revoked-mark" aria-hidden="true">已撤销</div>\n` : ""}<header>
<h1>${e(document.title)}</h1>
<p class="number">证明编号：<span class="certificate-number">${e(document.number)}</span></p>
</header>
<section class="volunteer" aria-label="志愿者信息">
<table class="identity"><tbody>
${row("姓名", volunteer.name)}
${row("证件类型", volunteer.idType)}
${row("证件号码", volunteer.maskedIdNumber)}
${row("志愿者编号", volunteer.volunteerNumber)}
${period}
</tbody></table>
</section>
<p class="statement">${e(document.statement)}</p>
<section class="service" aria-label="志愿服务记录">
<h2>志愿服务时长及内容</h2>
<table class="items">
<thead><tr><th scope="col">服务日期</th><th scope="col">服务内容</th><th scope="col">时长（小时）</th></tr></thead>
<tbody>
${items}
</tbody>
<tfoot><tr><th scope="row" colspan="2">累计志愿服务时长</th><td class="total-hours">${e(hours(service.totalHours))} 小时</td></tr></tfoot>
</table>
</section>
<section class="issuer" aria-label="出具单位">
<h2>出具单位</h2>
<table><tbody>
${row("出具单位", issuer.name)}
${row("负责人", issuer.personInCharge)}
${row("经办人", issuer.handler)}
${row("联系方式", issuer.contact)}
</tbody></table>
<div class="signature">
<p>出具单位（盖章）：${e(issuer.name)}<span class="seal">${e(options.seal ?? "")}</span></p>
<p>出具日期：<time datetime="${e(document.issuedOn)}">${e(chineseDate(document.issuedOn))}</time></p>
</div>
</section>
<footer class="publicity">
<p class="publicity-note">${e(publicityText)}</p>
<p class="status">证明状态：${e(document.statusLabel)}</p>
${options.footnote === undefined ? "" : `<p class="footnote">${e(options.footnote)}</p>\n`}</footer>
</main>
</body>
</html>
`
}
