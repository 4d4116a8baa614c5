import type { CreditReport } from "../CreditReport.js"

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

/** Text (or an attribute value) made safe for HTML. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)

/** `2026-03-09` → `2026年3月9日`. */
const chineseDate = (date: string): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date)
  return match === null ? date : `${match[1]}年${Number(match[2])}月${Number(match[3])}日`
}

const STYLE = `
@page { size: A4 portrait; margin: 16mm 16mm 18mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; background: #fff; font-family: "FangSong", "STFangsong", "仿宋", "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 10.5pt; line-height: 1.5; }
h1 { margin: 0 0 2mm; text-align: center; font-family: "SimHei", "STHeiti", "黑体", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 18pt; letter-spacing: 0.3em; }
.number { display: flex; justify-content: space-between; margin: 0 0 3mm; font-size: 10pt; }
h2 { margin: 4mm 0 1.5mm; font-size: 12pt; border-left: 1.2mm solid #000; padding-left: 2mm; break-after: avoid; page-break-after: avoid; }
h3 { margin: 2.5mm 0 1mm; font-size: 11pt; break-after: avoid; }
table { width: 100%; border-collapse: collapse; font-size: 10pt; line-height: 1.4; }
th, td { border: 0.5pt solid #000; padding: 0.8mm 2mm; text-align: left; vertical-align: top; word-break: break-all; }
th { font-weight: normal; background: #f2f2f2; }
tr { break-inside: avoid; page-break-inside: avoid; }
.mark { display: inline-block; margin-left: 1mm; padding: 0 1mm; border: 0.5pt solid #b00; color: #b00; font-size: 9pt; }
.empty { color: #444; }
.verify { margin-top: 6mm; padding-top: 2mm; border-top: 0.5pt dashed #000; font-size: 9pt; word-break: break-all; }
@media screen { body { background: #e8e8e8; } main { width: 210mm; margin: 10mm auto; padding: 16mm; background: #fff; box-shadow: 0 1mm 4mm rgba(0,0,0,0.2); } }
`

const e = escapeHtml

const row = (cells: ReadonlyArray<string>, header = false) =>
  `<tr>${cells.map((c) => (header ? `<th scope="col">${c}</th>` : `<td>${c}</td>`)).join("")}</tr>`

const detailText = (details: CreditReport["classes"][number]["records"][number]["details"]): string =>
  details.map((d) => `${d.label}：${d.value}`).join("；")

/** The report as a printable page. */
export const render = (report: CreditReport): string => {
  const s = report.subject
  const basic =
    s === undefined
      ? `<p class="empty">平台未归集到该主体的信用信息。</p>`
      : `<table><tbody>
<tr><th scope="row">主体名称</th><td>${e(s.name)}</td><th scope="row">主体类型</th><td>${e(s.kindLabel)}</td></tr>
<tr><th scope="row">${s.kind === "naturalPerson" ? "公民身份号码" : "统一社会信用代码"}</th><td>${e(s.creditCode ?? s.maskedResidentId ?? "")}</td><th scope="row">法定代表人</th><td>${e(s.maskedLegalRepresentative ?? "—")}</td></tr>
</tbody></table>`
  const classes =
    report.classes.length === 0
      ? `<p class="empty">公示期内无在用信用记录。</p>`
      : report.classes
          .map(
            (c) => `<h3>${e(c.category)}</h3>
<table><thead>${row(["信息类型", "决定文书号", "决定日期", "公示截止", "提供单位", "状态", "内容"], true)}</thead><tbody>
${c.records
  .map((r) =>
    row([
      e(r.typeName),
      e(r.documentNumber ?? "—"),
      e(chineseDate(r.findingDate)),
      e(r.displayEnds === undefined ? "—" : chineseDate(r.displayEnds)),
      e(r.sourceUnit),
      `${e(r.stateLabel)}${r.mark === undefined ? "" : `<span class="mark">${e(r.mark)}</span>`}`,
      e(detailText(r.details))
    ])
  )
  .join("\n")}
</tbody></table>`
          )
          .join("\n")
  const lists =
    report.lists.length === 0
      ? `<p class="empty">未列入守信激励名单、严重失信主体名单或经营异常名录。</p>`
      : `<table><thead>${row(["名单", "依据", "列入日期", "移出日期", "事由"], true)}</thead><tbody>
${report.lists
  .map((l) =>
    row([
      e(l.listLabel),
      l.basis === "rule" ? "规则" : "认定",
      e(chineseDate(l.from)),
      e(chineseDate(l.until)),
      e(l.reasons.join("；"))
    ])
  )
  .join("\n")}
</tbody></table>`
  const g = report.grade
  const grade =
    g === undefined
      ? `<p class="empty">尚未评价。</p>`
      : `<p>信用等级：<strong>${e(g.grade)}（${e(g.label)}）</strong>，得分 ${e(String(g.score))}。</p>
${g.explanation.length === 0 ? `<p class="empty">无加减分记录。</p>` : `<ul>${g.explanation.map((x) => `<li>${e(x)}</li>`).join("")}</ul>`}`
  const repairs =
    report.repairs.length === 0
      ? `<p class="empty">无信用修复记录。</p>`
      : `<p>以下记录已完成信用修复，已停止公示、共享和使用，不计入评价：</p>
<ul>${report.repairs.map((r) => `<li>${e(r.typeName)}（决定日期 ${e(chineseDate(r.findingDate))}）</li>`).join("")}</ul>`
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`信用报告 ${report.number}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main class="credit-report" data-number="${e(report.number)}">
<h1>信用报告</h1>
<p class="number"><span>报告编号：<span class="report-number">${e(report.number)}</span></span><span>出具日期：${e(chineseDate(report.asOf))}</span></p>
<section aria-label="基本信息"><h2>一、基本信息</h2>
${basic}
<p>查询用途：${e(report.purpose)}</p></section>
<section aria-label="信用记录"><h2>二、信用记录（按类别，公示期内）</h2>
${classes}</section>
<section aria-label="名单信息"><h2>三、名单信息</h2>
${lists}</section>
<section aria-label="信用评价"><h2>四、信用评价</h2>
${grade}</section>
<section aria-label="信用修复"><h2>五、信用修复</h2>
${repairs}</section>
<footer class="verify">
<p>出具单位：${e(report.issuer)}　出具时间：${e(report.issuedAt)}</p>
<p>验证码（SHA-256）：<span class="report-hash">${e(report.hash)}</span></p>
<p>本报告内容以出具时平台记录为准；可凭报告编号和验证码在平台核验真伪。</p>
</footer>
</main>
</body>
</html>
`
}
