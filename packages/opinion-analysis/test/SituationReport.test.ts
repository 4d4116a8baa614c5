import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Analysis from "../src/Analysis.js"
import * as Generator from "../src/Generator.js"
import * as Segmenter from "../src/Segmenter.js"
import * as SituationReport from "../src/SituationReport.js"
import * as Topics from "../src/Topics.js"
import { pingshan } from "./segmenterFixture.js"

const cst = (text: string) => new Date(`${text}+08:00`)
const from = cst("2025-03-01T00:00:00")
const to = cst("2025-04-01T00:00:00")

const streets = Object.fromEntries(
  Generator.pingshanCommunities.map((c) => [c.streetCode, c.streetName ?? c.streetCode])
)
const communities = Object.fromEntries(Generator.pingshanCommunities.map((c) => [c.code, c.name]))

const HOSTILE = `<script>alert("x")</script>电梯坏了，回电13812345678或+86 139-0000-1111，证件11010519491231002X`

/** Generated items for March plus one hostile report, topics and rising topics. */
const fixture = Effect.gen(function* () {
  const reports = yield* Generator.generate({
    places: Generator.pingshanPlaces,
    seed: 77,
    count: 900,
    from: cst("2025-02-01T00:00:00"),
    to,
    communities: Generator.pingshanCommunities
  })
  const generated = yield* Generator.outcomes(reports, { seed: 77, asOf: to })
  const hostile: Analysis.AnalysisItem = {
    id: "XSS-1",
    text: HOSTILE,
    category: "GF02",
    kind: "complaint",
    streetCode: "440310002",
    communityCode: "440310002004",
    channel: "web",
    receivedAt: cst("2025-03-15T10:00:00"),
    dueAt: cst("2025-03-18T23:59:59"),
    status: "open",
    overdue: true
  }
  const items = [...generated, hostile]
  const segmenter = yield* Segmenter.jieba({
    ...pingshan,
    dictionary: [...pingshan.dictionary, ...Generator.pingshanPlaces.estates]
  })
  const { hot, rising } = yield* Topics.analyze(items, segmenter, { current: { from, to }, top: 10 })
  const topics: ReadonlyArray<Topics.HotTopic> = [
    { term: "<b>电梯</b>", score: 99, count: 2, examples: ["XSS-1"] },
    ...hot.slice(0, 9)
  ]
  return { items, topics, rising }
})

const sectionOf = (html: string, id: string): string => {
  const start = html.indexOf(`<section id="${id}">`)
  assert.isAtLeast(start, 0, id)
  return html.slice(start, html.indexOf("</section>", start))
}

const count = (text: string, needle: string): number => text.split(needle).length - 1

const input = (data: Effect.Effect.Success<typeof fixture>): SituationReport.RenderInput => ({
  title: "坪山区2025年3月民情形势分析报告 <img src=x onerror=alert(1)>",
  district: { code: "440310", name: "坪山区" },
  period: { from, to },
  items: data.items,
  topics: data.topics,
  rising: data.rising,
  names: { streets, communities }
})

describe("SituationReport", () => {
  it.effect("renders every section, with as many SVG marks as data points", () =>
    Effect.gen(function* () {
      const data = yield* fixture
      const { html, markdown } = yield* SituationReport.render(input(data))
      const march = Analysis.inPeriod(data.items, { from, to })
      const summary = Analysis.summary(data.items, { from, to, unit: "day" })

      assert.isTrue(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">'))
      assert.include(html, '<meta charset="utf-8">')
      assert.include(html, "@media print")
      // self-contained: no scripts, links, external sources or stylesheets
      for (const external of ["<script", "<link", "<img", "<iframe", "href=", "url(", "@import"]) {
        assert.notInclude(html, external, external)
      }
      assert.notMatch(html, /<[^>]*\ssrc=/)
      for (const id of ["overview", "categories", "trend", "streets", "topics", "rising", "overdue"])
        sectionOf(html, id)

      const categories = sectionOf(html, "categories")
      assert.strictEqual(count(categories, '<rect class="bar"'), summary.byCategory.length)
      assert.strictEqual(count(categories, "<tr><td>"), summary.byCategory.length)
      const trend = sectionOf(html, "trend")
      assert.strictEqual(count(trend, '<circle class="point"'), 31)
      assert.strictEqual(count(trend, "<polyline"), 1)
      assert.strictEqual(count(sectionOf(html, "streets"), "<tr><td>"), summary.streets.length)
      assert.strictEqual(count(sectionOf(html, "topics"), '<rect class="bar"'), data.topics.length)
      assert.strictEqual(count(sectionOf(html, "rising"), "<tr><td>"), data.rising.length)
      const overdue = Analysis.overdueCases(march, to)
      assert.isAbove(overdue.length, 0)
      assert.strictEqual(count(sectionOf(html, "overdue"), "<tr><td>"), Math.min(50, overdue.length))
      assert.include(sectionOf(html, "overview"), `<span class="figure">${summary.total}</span>`)
      assert.include(html, "马峦街道")
      assert.include(html, "沙坣社区")

      for (const heading of [
        "一、总体情况",
        "二、诉求分类",
        "三、诉求趋势（按日）",
        "四、各街道情况",
        "五、热点话题",
        "六、上升话题",
        "七、超期未办结案件"
      ]) {
        assert.include(markdown, `## ${heading}`)
      }
      assert.include(markdown, `| 诉求总量 | ${summary.total} |`)
    })
  )

  it.effect("escapes all text and masks phone and ID numbers", () =>
    Effect.gen(function* () {
      const data = yield* fixture
      const { html, markdown } = yield* SituationReport.render(input(data))
      assert.notInclude(html, "<script>")
      assert.notInclude(html, "<img")
      assert.notInclude(html, "<b>电梯")
      assert.include(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
      assert.include(html, "&lt;b&gt;电梯&lt;/b&gt;")
      assert.include(html, "&lt;img src=x onerror=alert(1)&gt;")
      for (const output of [html, markdown]) {
        assert.notInclude(output, "13812345678")
        assert.notInclude(output, "139-0000-1111")
        assert.notInclude(output, "11010519491231002X")
      }
      assert.include(html, "138****5678")
      assert.include(html, "139****1111")
      assert.include(html, "1***************2X")
      // Markdown escapes the asterisks so that they show as such
      assert.include(markdown, "138\\*\\*\\*\\*5678")
      assert.notInclude(markdown, "<script>")
      assert.include(markdown, "&lt;script&gt;")
      assert.strictEqual(
        SituationReport.maskPersonalData("电话0086 138 1234 5678，身份证11010519491231002X"),
        "电话138****5678，身份证1***************2X"
      )
    })
  )

  it.effect("is deterministic: the same input, in any order, gives the same bytes", () =>
    Effect.gen(function* () {
      const data = yield* fixture
      const a = yield* SituationReport.render(input(data))
      const b = yield* SituationReport.render(input(data))
      const shuffled = yield* SituationReport.render({ ...input(data), items: [...data.items].reverse() })
      assert.strictEqual(a.html, b.html)
      assert.strictEqual(a.markdown, b.markdown)
      assert.strictEqual(a.html, shuffled.html)
      assert.strictEqual(a.markdown, shuffled.markdown)
      const stamped = yield* SituationReport.render({ ...input(data), generatedAt: cst("2025-04-01T09:30:00") })
      assert.include(stamped.html, "生成于 2025-04-01 09:30")
    })
  )

  it.effect("renders an empty period and a longer one by week", () =>
    Effect.gen(function* () {
      const empty = yield* SituationReport.render({
        title: "空报告",
        district: { code: "440310", name: "坪山区" },
        period: { from, to },
        items: []
      })
      assert.include(empty.html, "本期无诉求。")
      assert.include(empty.markdown, "本期无超期未办结案件。")
      assert.strictEqual(count(empty.html, "<svg"), 0)
      const data = yield* fixture
      const quarter = yield* SituationReport.render({
        ...input(data),
        period: { from: cst("2025-01-06T00:00:00"), to }
      })
      assert.include(quarter.markdown, "三、诉求趋势（按周）")
      assert.strictEqual(count(sectionOf(quarter.html, "trend"), '<rect class="bar'), 13)
    })
  )

  it.effect("rejects invalid input", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        SituationReport.render({
          title: "",
          district: { code: "440310", name: "坪山区" },
          period: { from: to, to: from },
          items: []
        })
      )
      assert.strictEqual(error._tag, "InvalidAnalysisInput")
      assert.deepStrictEqual(
        error.issues.map((i) => i.path),
        ["title", "period"]
      )
    })
  )

  describe("the trend chart (issue 10 item 18)", () => {
    /** One item a day at noon, from `first` for `days` days. */
    const daily = (first: string, days: number): ReadonlyArray<Analysis.AnalysisItem> =>
      Array.from({ length: days }, (_, i) => ({
        id: `T${String(i).padStart(4, "0")}`,
        text: "路灯不亮",
        category: "GF02",
        kind: "complaint" as const,
        streetCode: "440310001",
        communityCode: "440310001001",
        channel: "web",
        receivedAt: new Date(cst(`${first}T12:00:00`).getTime() + i * 86_400_000),
        status: "open" as const,
        overdue: false
      }))
    const report = (period: { from: Date; to: Date }, items: ReadonlyArray<Analysis.AnalysisItem>) =>
      SituationReport.render({ title: "趋势", district: { code: "440310", name: "坪山区" }, period, items })
    /** The `<rect class="bar…">` elements of the trend chart, as [class, title]. */
    const columns = (html: string) =>
      [...sectionOf(html, "trend").matchAll(/<rect class="(bar[^"]*)"[^>]*><title>([^<]*)<\/title>/g)].map((m) => [
        m[1],
        m[2]
      ])

    it.effect("weeks: axis titles, week start dates, the partial first and last weeks marked", () =>
      Effect.gen(function* () {
        // Wednesday 2025-01-08 to Tuesday 2025-04-01: the first week has 5 days, the last (from 3/31) 1 day
        const period = { from: cst("2025-01-08T00:00:00"), to: cst("2025-04-01T00:00:00") }
        const { html, markdown } = yield* report(period, daily("2025-01-08", 83))
        const trend = sectionOf(html, "trend")
        assert.include(trend, "三、诉求趋势（按周）")
        assert.include(trend, '<svg class="chart column-chart"')
        assert.match(trend, /<text class="axis-title x-title"[^>]*>周（起始日期）<\/text>/)
        assert.match(trend, /<text class="axis-title y-title"[^>]*>件数<\/text>/)
        const bars = columns(html)
        assert.strictEqual(bars.length, 13)
        assert.deepStrictEqual(bars[0], ["bar partial", "1/6：5（不完整周（5 天））"])
        assert.deepStrictEqual(bars[1], ["bar", "1/13：7"])
        assert.deepStrictEqual(bars[12], ["bar partial", "3/31：1（不完整周（1 天））"])
        assert.deepStrictEqual(
          bars.slice(1, 12).map(([c]) => c),
          Array(11).fill("bar")
        )
        // week start dates (Mondays, M/D) under the columns: the first, the last and every few between
        for (const label of ["1/6", "3/31"]) assert.match(trend, new RegExp(`<text class="tick"[^>]*>${label}</text>`))
        const labels = [...trend.matchAll(/<text class="tick"[^>]*text-anchor="middle">([^<]*)<\/text>/g)].map(
          (m) => m[1]
        )
        assert.isAtLeast(labels.length, 5)
        for (const label of labels) assert.match(label, /^\d{1,2}\/\d{1,2}$/)
        // the legend and the note say which weeks are partial and how many days they have
        assert.match(trend, /<text class="legend-note"[^>]*>1\/6：不完整周（5 天）；3\/31：不完整周（1 天）<\/text>/)
        assert.include(trend, "3/31 起的一周为不完整周（1 天）")
        assert.include(markdown, "| 2025-W14（3/31 起） | 1 | 不完整周（1 天） |")
        assert.include(markdown, "| 2025-W03（1/13 起） | 7 |  |")
      })
    )

    it.effect("whole weeks are not marked; days get axis titles; months cut by the period are marked", () =>
      Effect.gen(function* () {
        const weeks = yield* report(
          { from: cst("2025-01-06T00:00:00"), to: cst("2025-03-31T00:00:00") },
          daily("2025-01-06", 84)
        )
        assert.strictEqual(columns(weeks.html).length, 12)
        assert.notInclude(sectionOf(weeks.html, "trend"), "不完整")
        assert.notInclude(sectionOf(weeks.html, "trend"), 'class="legend"')

        const days = yield* report({ from, to }, daily("2025-03-01", 31))
        const dayTrend = sectionOf(days.html, "trend")
        assert.match(dayTrend, /<text class="axis-title x-title"[^>]*>日期<\/text>/)
        assert.match(dayTrend, /<text class="axis-title y-title"[^>]*>件数<\/text>/)
        assert.notInclude(dayTrend, "不完整")

        const months = yield* report(
          { from: cst("2024-01-15T00:00:00"), to: cst("2025-03-10T00:00:00") },
          daily("2024-01-15", 420)
        )
        const bars = columns(months.html)
        assert.strictEqual(bars.length, 15)
        assert.deepStrictEqual(bars[0], ["bar partial", "2024-01：17（不完整月（17 天））"])
        assert.deepStrictEqual(bars[1], ["bar", "2024-02：29"])
        assert.deepStrictEqual(bars[14], ["bar partial", "2025-03：9（不完整月（9 天））"])
        assert.match(sectionOf(months.html, "trend"), /<text class="axis-title x-title"[^>]*>月<\/text>/)
      })
    )
  })

  it.effect("each hot topic shows its own typical report (issue 10 item 17)", () =>
    Effect.gen(function* () {
      const item = (id: string, text: string): Analysis.AnalysisItem => ({
        id,
        text,
        category: "GF02",
        kind: "complaint",
        streetCode: "440310001",
        communityCode: "440310001001",
        channel: "web",
        receivedAt: cst("2025-03-10T10:00:00"),
        status: "open",
        overdue: false
      })
      const items = [
        item("A", "电梯困人，物业不管"),
        item("B", "电梯又坏了"),
        item("C", "电梯困人两小时"),
        item("D", "物业不作为")
      ]
      const { html, markdown } = yield* SituationReport.render({
        title: "热点",
        district: { code: "440310", name: "坪山区" },
        period: { from, to },
        items,
        topics: [
          { term: "电梯", score: 3, count: 3, examples: ["A", "B"] },
          { term: "困人", score: 2, count: 2, examples: ["A"] },
          { term: "物业", score: 2, count: 2, examples: ["A", "D"] },
          { term: "不管", score: 1, count: 1, examples: ["A"] }
        ]
      })
      const shown = [...sectionOf(html, "topics").matchAll(/<span class="example">([A-Z])：/g)].map((m) => m[1])
      // 电梯 → A; 困人's only example is taken, so another report with 困人 (C); 物业 → D; 不管 has none left
      assert.deepStrictEqual(shown, ["A", "C", "D"])
      assert.include(markdown, "| 4 | 不管 | 1 |  |")
    })
  )
})
