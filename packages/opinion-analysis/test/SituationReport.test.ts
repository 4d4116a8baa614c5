import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Analysis from "../src/Analysis.js"
import * as Generator from "../src/Generator.js"
import * as Segmenter from "../src/Segmenter.js"
import * as SituationReport from "../src/SituationReport.js"
import * as Topics from "../src/Topics.js"

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
    dictionary: [...Segmenter.pingshanDictionary, ...Generator.pingshanPlaces.estates]
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
      assert.strictEqual(count(sectionOf(quarter.html, "trend"), '<circle class="point"'), 13)
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
})
