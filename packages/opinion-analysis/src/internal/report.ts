/**
 * The situation report (形势分析报告): Markdown and a self-contained HTML page.
 *
 * @internal
 */
import * as Mask from "@gongzhi/core/Mask"
import * as analysis from "./analysis.js"
import { barChart, columnChart, escapeHtml, lineChart } from "./svg.js"
import * as trends from "./trend.js"

export interface HotTopic {
  readonly term: string
  readonly score: number
  readonly count: number
  readonly examples: ReadonlyArray<string>
}

export interface RisingTopic {
  readonly term: string
  readonly current: number
  readonly previous: number
  readonly growth: number
}

export interface Names {
  readonly categories: Readonly<Record<string, string>>
  readonly areas: Readonly<Record<string, string>>
  readonly streets: Readonly<Record<string, string>>
  readonly communities: Readonly<Record<string, string>>
  readonly channels: Readonly<Record<string, string>>
}

export interface Input {
  readonly title: string
  readonly district: { readonly code: string; readonly name: string }
  readonly period: { readonly from: Date; readonly to: Date }
  readonly items: ReadonlyArray<analysis.Item>
  readonly topics: ReadonlyArray<HotTopic>
  readonly rising: ReadonlyArray<RisingTopic>
  readonly overdue: ReadonlyArray<analysis.OverdueCase>
  readonly asOf: Date
  readonly generatedAt: Date | undefined
  readonly trendUnit: "day" | "week" | "month"
  readonly names: Names
  readonly maxOverdueRows: number
}

export interface Output {
  readonly markdown: string
  readonly html: string
}

// ---- names -----------------------------------------------------------------------------------

export const defaultCategoryNames: Readonly<Record<string, string>> = {
  SM01: "就业社保",
  SM02: "教育",
  SM03: "医疗卫生",
  SM04: "住房保障",
  SM05: "养老助残",
  GL01: "社会治安",
  GL02: "市容城管",
  GL03: "交通出行",
  GL04: "安全生产",
  GL05: "矛盾纠纷",
  CX01: "社区治理创新",
  CX02: "志愿服务",
  CX03: "社会组织",
  GF01: "水电燃气",
  GF02: "公共设施",
  GF03: "环境卫生",
  GF04: "政务服务"
}

export const defaultAreaNames: Readonly<Record<string, string>> = {
  SM: "社会民生",
  GL: "社会管理",
  CX: "社会创新",
  GF: "公共服务"
}

export const defaultChannelNames: Readonly<Record<string, string>> = {
  "volunteer-visit": "民情走访",
  hotline: "热线",
  web: "网站",
  "mini-program": "小程序",
  meeting: "座谈",
  deputy: "代表委员",
  open311: "Open311"
}

const statusNames: Readonly<Record<string, string>> = {
  open: "办理中",
  "open-overdue": "超期未办结",
  "closed-resolved": "已办结（已解决）",
  "closed-unresolved": "已办结（未解决）"
}

const nameOf = (names: Readonly<Record<string, string>>, code: string): string => names[code] ?? code

// ---- personal data in free text ----------------------------------------------------------------

/** Mainland mobile numbers, with an optional +86 / 0086 / 86 prefix and spaces or hyphens. */
const MOBILE = /(?<![0-9])(?:(?:\+|00)?86[\s-]?)?1[3-9][0-9](?:[\s-]?[0-9]){8}(?![0-9])/g
/** Resident ID numbers: 17 digits and a digit or X. */
const RESIDENT_ID = /(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])/g

/** Masks mobile numbers (138****5678) and resident ID numbers (1***************2X) in free text. */
export const maskPersonalData = (text: string): string =>
  text
    .replace(RESIDENT_ID, (id) => Mask.residentId(id))
    .replace(MOBILE, (match) => {
      const digits = match.replace(/[^0-9]/g, "")
      return Mask.mobile(digits.slice(-11))
    })

/** A one-line excerpt: personal data masked, whitespace collapsed, at most `max` characters. */
export const excerpt = (text: string, max = 100): string => {
  const chars = Array.from(maskPersonalData(text).replace(/\s+/g, " ").trim())
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max).join("")}…`
}

// ---- formatting --------------------------------------------------------------------------------

const percent = (rate: number | undefined): string => (rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`)

const pad = (n: number): string => String(n).padStart(2, "0")

/** `YYYY-MM-DD` in China time (UTC+8). */
export const day = (date: Date): string => {
  const local = new Date(date.getTime() + 8 * 3_600_000)
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`
}

/** `YYYY-MM-DD HH:mm` in China time. */
const minute = (date: Date): string => {
  const local = new Date(date.getTime() + 8 * 3_600_000)
  return `${day(date)} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`
}

/** Escapes text for Markdown: HTML-significant characters and Markdown punctuation. */
export const escapeMarkdown = (text: string): string =>
  escapeHtml(text)
    .replace(/[\\`*_[\]|#~]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, " ")

const mdTable = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [
    `| ${head.map(escapeMarkdown).join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(escapeMarkdown).join(" | ")} |`)
  ].join("\n")

const htmlTable = (
  className: string,
  head: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  numeric: ReadonlyArray<number> = []
): string =>
  [
    `<table class="${className}">`,
    `<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>`,
    ...rows.map((row) => {
      const cells = row.map((cell, i) => `<td${numeric.includes(i) ? ' class="num"' : ""}>${escapeHtml(cell)}</td>`)
      return `<tr>${cells.join("")}</tr>`
    }),
    `</tbody>`,
    `</table>`
  ].join("\n")

// ---- the report --------------------------------------------------------------------------------

interface Content {
  readonly summary: analysis.OnTime
  readonly satisfaction: analysis.Satisfaction
  readonly total: number
  readonly closed: number
  readonly openOverdue: number
  readonly areas: ReadonlyArray<analysis.Count>
  readonly categories: ReadonlyArray<analysis.Count>
  readonly channels: ReadonlyArray<analysis.Count>
  readonly statuses: ReadonlyArray<analysis.Count>
  readonly trend: ReadonlyArray<trends.TrendEntry>
  readonly streets: ReadonlyArray<analysis.RegionRow>
}

const compute = (input: Input): Content => {
  const from = input.period.from.getTime()
  const to = input.period.to.getTime()
  const items = input.items.filter((item) => {
    const t = item.receivedAt.getTime()
    return t >= from && t < to
  })
  const onTime = analysis.onTime(items, input.asOf)
  return {
    summary: onTime,
    satisfaction: analysis.satisfaction(items),
    total: items.length,
    closed: items.filter((item) => item.status !== "open").length,
    openOverdue: onTime.openOverdue,
    areas: analysis.countBy(items, "area"),
    categories: analysis.countBy(items, "category"),
    channels: analysis.countBy(items, "channel"),
    statuses: analysis.countBy(items, "status", input.asOf),
    trend: trends.trend(items, input.trendUnit, input.period.from, input.period.to),
    streets: analysis.byRegion(items, "street", input.asOf)
  }
}

/**
 * The typical report shown for each topic: the first of its examples that no topic above shows; else the
 * first report of the period (by id) whose text has the term and that no topic above shows; else none.
 */
const typicalReports = (
  topics: ReadonlyArray<HotTopic>,
  items: ReadonlyArray<analysis.Item>,
  period: { readonly from: Date; readonly to: Date }
): Array<analysis.Item | undefined> => {
  const byId = new Map(items.map((item) => [item.id, item]))
  const used = new Set<string>()
  let inPeriod: ReadonlyArray<analysis.Item> | undefined
  return topics.map((topic) => {
    let example = topic.examples
      .map((id) => byId.get(id))
      .find((item): item is analysis.Item => item !== undefined && !used.has(item.id))
    if (example === undefined && topic.term.length > 0) {
      inPeriod ??= items
        .filter((item) => item.receivedAt >= period.from && item.receivedAt < period.to)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      example = inPeriod.find((item) => !used.has(item.id) && item.text.includes(topic.term))
    }
    if (example !== undefined) used.add(example.id)
    return example
  })
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
    "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  color: #1f2328; background: #f6f7f9; line-height: 1.6;
}
main { max-width: 960px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
header.report-header { border-bottom: 3px solid #b0202a; margin-bottom: 16px; }
h1 { font-size: 26px; margin: 8px 0 4px; color: #b0202a; letter-spacing: 1px; }
h2 { font-size: 19px; margin: 28px 0 10px; padding-left: 10px; border-left: 4px solid #b0202a; }
.meta { color: #57606a; font-size: 14px; margin: 0 0 10px; }
.figures {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
  gap: 10px; margin: 12px 0; padding: 0; list-style: none;
}
.figures li { border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; }
.figures .figure { display: block; font-size: 22px; font-weight: 600; color: #0b3d91; }
.figures .caption { font-size: 13px; color: #57606a; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { border: 1px solid #d0d7de; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f0f3f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
svg .bar { fill: #0b3d91; }
svg .label, svg .value, svg .tick { font-size: 12px; fill: #1f2328; }
svg .grid { stroke: #e5e8eb; stroke-width: 1; }
svg .axis { stroke: #57606a; stroke-width: 1; }
svg .line { stroke: #b0202a; stroke-width: 2; }
svg .point { fill: #b0202a; }
svg .bar.partial { fill-opacity: 0.35; stroke: #0b3d91; stroke-dasharray: 3 2; }
svg .axis-title, svg .legend-note, svg .partial-mark { font-size: 12px; fill: #57606a; }
.note { color: #57606a; font-size: 13px; }
ol.topics li { margin: 4px 0; }
.example { color: #57606a; font-size: 13px; }
.empty { color: #57606a; font-style: italic; }
footer { margin-top: 32px; color: #57606a; font-size: 12px; border-top: 1px solid #d0d7de; padding-top: 8px; }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  section { break-inside: avoid-page; }
  table, svg { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`.trim()

export const render = (input: Input): Output => {
  const c = compute(input)
  const names = input.names
  const typical = typicalReports(input.topics, input.items, input.period)
  const periodText = `${day(input.period.from)} 至 ${day(new Date(input.period.to.getTime() - 1))}`
  const street = (code: string) => nameOf(names.streets, code)
  const community = (code: string) => nameOf(names.communities, code)
  const category = (code: string) => nameOf(names.categories, code)
  const area = (code: string) => nameOf(names.areas, code)

  const figures: ReadonlyArray<readonly [string, string]> = [
    ["诉求总量", String(c.total)],
    ["已办结", String(c.closed)],
    ["按时办结率", percent(c.summary.rate)],
    ["满意率", percent(c.satisfaction.rate)],
    ["超期未办结", String(c.openOverdue)]
  ]
  const areaText = c.areas.map((a) => `${area(a.key)} ${a.count} 件`).join("，")
  const categoryRows = c.categories.map((x) => [
    category(x.key),
    x.key,
    String(x.count),
    percent(c.total === 0 ? undefined : x.count / c.total)
  ])
  const streetRows = c.streets.map((row) => [
    street(row.code),
    String(row.count),
    String(row.count - row.open),
    percent(row.onTime.rate),
    percent(row.satisfaction.rate),
    String(row.openOverdue)
  ])
  const topicRows = input.topics.map((topic, i) => {
    const example = typical[i]
    return {
      rank: String(i + 1),
      term: topic.term,
      count: String(topic.count),
      example: example === undefined ? "" : excerpt(example.text),
      exampleId: example?.id ?? ""
    }
  })
  const risingRows = input.rising.map((r) => [
    r.term,
    String(r.current),
    String(r.previous),
    `${r.growth.toFixed(2)} 倍`
  ])
  const overdueShown = input.overdue.slice(0, input.maxOverdueRows)
  const overdueRows = overdueShown.map((o) => [
    o.id,
    street(o.streetCode),
    community(o.communityCode),
    category(o.category),
    o.dueAt === undefined ? "—" : day(o.dueAt),
    o.daysOverdue === undefined ? "—" : String(o.daysOverdue)
  ])
  const overdueMore = input.overdue.length - overdueShown.length
  const statusText = c.statuses.map((s) => `${nameOf(statusNames, s.key)} ${s.count} 件`).join("，")
  const channelText = c.channels.map((s) => `${nameOf(names.channels, s.key)} ${s.count} 件`).join("，")
  const unitName = input.trendUnit === "day" ? "日" : input.trendUnit === "week" ? "周" : "月"
  const trendRows = c.trend.map((t) => [
    input.trendUnit === "week" ? `${t.period}（${t.label} 起）` : t.period,
    String(t.count),
    trends.isPartial(t) ? trends.partialNote(t, input.trendUnit) : ""
  ])
  const stamp = input.generatedAt === undefined ? "" : `，生成于 ${minute(input.generatedAt)}`
  const footer = `统计截至 ${minute(input.asOf)}${stamp}。文中个人信息已脱敏。`

  // ---- Markdown ----
  const md: Array<string> = []
  md.push(`# ${escapeMarkdown(input.title)}`, "")
  md.push(`${escapeMarkdown(input.district.name)}（${escapeMarkdown(input.district.code)}）· 统计时段：${periodText}`)
  md.push("")
  md.push("## 一、总体情况", "")
  md.push(mdTable(["指标", "数值"], figures))
  md.push("")
  if (c.total > 0) {
    md.push(`按领域：${escapeMarkdown(areaText)}。`, "")
    md.push(`按状态：${escapeMarkdown(statusText)}。`, "")
    md.push(`按渠道：${escapeMarkdown(channelText)}。`, "")
  }
  md.push("## 二、诉求分类", "")
  md.push(categoryRows.length === 0 ? "本期无诉求。" : mdTable(["类别", "代码", "件数", "占比"], categoryRows), "")
  md.push(`## 三、诉求趋势（按${unitName}）`, "")
  md.push(c.total === 0 ? "本期无诉求。" : mdTable(["时段", "件数", "说明"], trendRows), "")
  md.push("## 四、各街道情况", "")
  md.push(
    streetRows.length === 0
      ? "本期无诉求。"
      : mdTable(["街道", "诉求量", "已办结", "按时办结率", "满意率", "超期未办结"], streetRows),
    ""
  )
  md.push("## 五、热点话题", "")
  md.push(
    topicRows.length === 0
      ? "本期无热点话题。"
      : mdTable(
          ["排名", "话题", "涉及诉求", "典型诉求"],
          topicRows.map((t) => [t.rank, t.term, t.count, t.exampleId === "" ? "" : `${t.exampleId}：${t.example}`])
        ),
    ""
  )
  md.push("## 六、上升话题", "")
  md.push(
    risingRows.length === 0 ? "本期无明显上升的话题。" : mdTable(["话题", "本期", "上期", "增幅"], risingRows),
    ""
  )
  md.push("## 七、超期未办结案件", "")
  md.push(
    overdueRows.length === 0
      ? "本期无超期未办结案件。"
      : mdTable(["编号", "街道", "社区", "类别", "办理时限", "超期天数"], overdueRows),
    ""
  )
  if (overdueMore > 0) md.push(`另有 ${overdueMore} 件超期案件未列出。`, "")
  md.push(`---`, "", footer, "")

  // ---- HTML ----
  const section = (id: string, title: string, body: ReadonlyArray<string>): string =>
    [`<section id="${id}">`, `<h2>${escapeHtml(title)}</h2>`, ...body, `</section>`].join("\n")
  const empty = (text: string): string => `<p class="empty">${escapeHtml(text)}</p>`
  const topicBars = topicRows.map((t) => ({ label: t.term, value: Number(t.count) }))
  const html = [
    `<!DOCTYPE html>`,
    `<html lang="zh-CN">`,
    `<head>`,
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>`,
    CSS,
    `</style>`,
    `</head>`,
    `<body>`,
    `<main>`,
    `<header class="report-header">`,
    `<h1>${escapeHtml(input.title)}</h1>`,
    `<p class="meta">${escapeHtml(`${input.district.name}（${input.district.code}）· 统计时段：${periodText}`)}</p>`,
    `</header>`,
    section("overview", "一、总体情况", [
      `<ul class="figures">`,
      ...figures.map(
        ([caption, figure]) =>
          `<li><span class="figure">${escapeHtml(figure)}</span>` +
          `<span class="caption">${escapeHtml(caption)}</span></li>`
      ),
      `</ul>`,
      ...(c.total === 0
        ? [empty("本期无诉求。")]
        : [
            `<p>按领域：${escapeHtml(areaText)}。</p>`,
            `<p>按状态：${escapeHtml(statusText)}。</p>`,
            `<p>按渠道：${escapeHtml(channelText)}。</p>`
          ])
    ]),
    section(
      "categories",
      "二、诉求分类",
      categoryRows.length === 0
        ? [empty("本期无诉求。")]
        : [
            barChart({
              title: "各类别诉求量",
              bars: c.categories.map((x) => ({ label: category(x.key), value: x.count }))
            }),
            htmlTable("categories", ["类别", "代码", "件数", "占比"], categoryRows, [2, 3])
          ]
    ),
    section(
      "trend",
      `三、诉求趋势（按${unitName}）`,
      c.total === 0
        ? [empty("本期无诉求。")]
        : [
            input.trendUnit === "day"
              ? lineChart({
                  title: `每日诉求量`,
                  points: c.trend.map((t) => ({ label: t.label, value: t.count })),
                  xTitle: "日期",
                  yTitle: "件数"
                })
              : columnChart({
                  title: `每${unitName}诉求量`,
                  columns: c.trend.map((t) => ({
                    label: t.label,
                    value: t.count,
                    partial: trends.isPartial(t) ? trends.partialNote(t, input.trendUnit) : undefined
                  })),
                  xTitle: input.trendUnit === "week" ? "周（起始日期）" : "月",
                  yTitle: "件数"
                }),
            ...(c.trend.some(trends.isPartial)
              ? [
                  `<p class="note">${escapeHtml(
                    `注：${c.trend
                      .filter(trends.isPartial)
                      .map(
                        (t) =>
                          `${t.label}${input.trendUnit === "week" ? " 起的一周" : ""}为${trends.partialNote(t, input.trendUnit)}`
                      )
                      .join("，")}，统计时段只覆盖其部分日期，件数不宜与完整${unitName}直接比较。`
                  )}</p>`
                ]
              : [])
          ]
    ),
    section(
      "streets",
      "四、各街道情况",
      streetRows.length === 0
        ? [empty("本期无诉求。")]
        : [
            htmlTable(
              "streets",
              ["街道", "诉求量", "已办结", "按时办结率", "满意率", "超期未办结"],
              streetRows,
              [1, 2, 3, 4, 5]
            )
          ]
    ),
    section(
      "topics",
      "五、热点话题",
      topicRows.length === 0
        ? [empty("本期无热点话题。")]
        : [
            barChart({ title: "热点话题涉及诉求量", bars: topicBars, labelWidth: 110 }),
            `<ol class="topics">`,
            ...topicRows.map(
              (t) =>
                `<li><strong>${escapeHtml(t.term)}</strong>（${escapeHtml(t.count)} 件）${
                  t.exampleId === ""
                    ? ""
                    : `<br><span class="example">${escapeHtml(t.exampleId)}：${escapeHtml(t.example)}</span>`
                }</li>`
            ),
            `</ol>`
          ]
    ),
    section(
      "rising",
      "六、上升话题",
      risingRows.length === 0
        ? [empty("本期无明显上升的话题。")]
        : [htmlTable("rising", ["话题", "本期", "上期", "增幅"], risingRows, [1, 2, 3])]
    ),
    section("overdue", "七、超期未办结案件", [
      ...(overdueRows.length === 0
        ? [empty("本期无超期未办结案件。")]
        : [htmlTable("overdue", ["编号", "街道", "社区", "类别", "办理时限", "超期天数"], overdueRows, [5])]),
      ...(overdueMore > 0 ? [`<p>${escapeHtml(`另有 ${overdueMore} 件超期案件未列出。`)}</p>`] : [])
    ]),
    `<footer>${escapeHtml(footer)}</footer>`,
    `</main>`,
    `</body>`,
    `</html>`,
    ``
  ].join("\n")

  return { markdown: md.join("\n"), html }
}
