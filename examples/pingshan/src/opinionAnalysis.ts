/**
 * The analysis of the 民情 quarter: the figures (received, merged, open and closed cases, on-time and satisfaction
 * rates, overdue and escalated reports, cases per channel) come from `Opinions.statistics`, computed by the store
 * in a few `GROUP BY` statements; the hot and rising topics (`Topics`) and the situation report (形势分析报告,
 * `SituationReport`) read the cases' texts, a page at a time, as analysis items — and the figures the report shows
 * from those items are checked against the store's before the report is written.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import type * as Actor from "@gongzhi/core/Actor"
import * as Region from "@gongzhi/core/Region"
import type * as OpinionStatistics from "@gongzhi/opinion/OpinionStatistics"
import type * as Opinions from "@gongzhi/opinion/Opinions"
import * as Analysis from "@gongzhi/opinion-analysis/Analysis"
import * as Generator from "@gongzhi/opinion-analysis/Generator"
import * as ReportItems from "@gongzhi/opinion-analysis/ReportItems"
import * as Segmenter from "@gongzhi/opinion-analysis/Segmenter"
import * as SituationReport from "@gongzhi/opinion-analysis/SituationReport"
import * as Topics from "@gongzhi/opinion-analysis/Topics"
import { Effect } from "effect"
import { RunFailed } from "./errors.js"
import type { Quarter } from "./opinionQuarter.js"
import { at } from "./simClock.js"

/**
 * What the quarter did and what its analysis found.
 *
 * @since 0.1.0
 * @category models
 */
export interface OpinionResult {
  readonly quarter: Quarter
  /** Reports received (submitted). */
  readonly received: number
  /** Reports merged into another (their case counts once). */
  readonly merged: number
  /** Cases in the analysis and the situation report (received − merged). */
  readonly cases: number
  readonly returned: number
  readonly extensions: number
  readonly reopened: number
  readonly closed: number
  readonly open: number
  /** Reports escalated (督办) at least once, and escalations in all. */
  readonly escalatedReports: number
  readonly escalations: number
  readonly byChannel: ReadonlyArray<Analysis.Count>
  readonly onTime: OpinionStatistics.OnTime
  readonly satisfaction: OpinionStatistics.Satisfaction
  /** Cases that were overdue at some point (late, or still open past due at the end of the quarter). */
  readonly overdue: number
  readonly openOverdue: number
  readonly hot: ReadonlyArray<Topics.HotTopic>
  readonly rising: ReadonlyArray<Topics.RisingTopic>
  readonly segmenter: string
  readonly html: string
  readonly markdown: string
}

/**
 * Words that are not topics in this district's reports: the names of estates, roads, parks and schools (segmented
 * whole, then left out), times of day and the phrasing of a request.
 *
 * @since 0.1.0
 * @category constructors
 */
export const topicStopWords: ReadonlyArray<string> = [
  ...Generator.pingshanPlaces.estates,
  ...Generator.pingshanPlaces.roads,
  ...Generator.pingshanPlaces.parks,
  ...Generator.pingshanPlaces.schools,
  ...["晚上", "早上", "上午", "下午", "中午", "半夜", "凌晨", "今天", "昨天", "最近", "每天", "一直", "经常", "周末"],
  ...["这个月", "这几天", "靠近", "附近", "旁边", "门口", "楼下", "家里", "建议", "提议", "咨询", "请问"]
]

/**
 * Options of {@link analyse}.
 *
 * @since 0.1.0
 * @category models
 */
export interface AnalyseOptions {
  readonly regions: Region.RegionTree
  readonly quarter: Quarter
  readonly outDir: string
  /** Who reads the district's figures and reports (the 民情 centre). */
  readonly reader: Actor.Actor
  /** What the run counted as it went (not in the store's figures). */
  readonly counts: { readonly returned: number; readonly extensions: number; readonly reopened: number }
}

const phase = "民情"

/** The figures of the analysis and the store's, side by side, in a fixed shape. */
const figuresOf = (f: {
  readonly cases: number
  readonly onTime: OpinionStatistics.OnTime
  readonly satisfaction: OpinionStatistics.Satisfaction
  readonly byChannel: ReadonlyArray<Analysis.Count>
}) =>
  JSON.stringify([
    f.cases,
    [f.onTime.onTime, f.onTime.late, f.onTime.openOverdue, f.onTime.rate ?? null],
    [
      f.satisfaction.satisfied,
      f.satisfaction.basicallySatisfied,
      f.satisfaction.unsatisfied,
      f.satisfaction.rate ?? null
    ],
    f.byChannel.map((c) => [c.key, c.count])
  ])

/**
 * Computes the quarter's figures in the store, finds its topics, writes its situation report.
 *
 * @since 0.1.0
 * @category constructors
 */
export const analyse = (opinion: Opinions.Opinions, options: AnalyseOptions) =>
  Effect.gen(function* () {
    const { regions, reader } = options
    const tenantId = opinion.settings.tenantId
    const from = at(options.quarter.from)
    const to = at(options.quarter.to)
    const asOf = new Date(to)
    const lastMonth = new Date(to - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 7)
    const previousMonth = new Date(at(`${lastMonth}-01`) - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 7)
    const streets = Region.streets(regions)
    const communities = streets.flatMap((street) =>
      Region.communities(regions, street.code).map((community) => ({
        code: community.code as string,
        name: Region.displayName(community)
      }))
    )

    // ---- the figures, computed by the store -----------------------------------------------------------------
    const period = { tenantId, receivedFrom: new Date(from), receivedBefore: asOf, asOf }
    const statistics = yield* opinion.statistics(reader, { ...period, by: "channel" })
    const total = statistics.total
    const byChannel = statistics.groups
      .filter((group) => group.figures.cases > 0)
      .map((group) => ({ key: group.key ?? "", count: group.figures.cases }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))

    // ---- the texts, a page at a time, for the topics and the situation report ---------------------------------
    const items: Array<Analysis.AnalysisItem> = []
    let cursor: string | undefined
    do {
      const page = yield* opinion.list(reader, {
        ...period,
        limit: 500,
        ...(cursor === undefined ? {} : { cursor })
      })
      const reports = page.items.flatMap((view) => (view._tag === "Full" ? [view.report] : []))
      items.push(...ReportItems.fromReports(reports, { asOf }))
      cursor = page.nextCursor
    } while (cursor !== undefined)
    // the situation report counts from its items: they must say what the store says
    const summary = Analysis.summary(items, { from: new Date(from), to: asOf, asOf, unit: "week" })
    const stored = figuresOf({ cases: total.cases, onTime: total.onTime, satisfaction: total.satisfaction, byChannel })
    const analysed = figuresOf({ cases: items.length, ...summary })
    if (stored !== analysed) {
      return yield* new RunFailed({
        phase,
        tag: "StatisticsMismatch",
        reason: `数据库统计与分析条目不一致：${stored} ≠ ${analysed}`
      })
    }

    const segmenter = yield* Segmenter.make({
      dictionary: [...Segmenter.pingshanDictionary, ...topicStopWords],
      stopWords: [...Segmenter.defaultStopWords, ...Segmenter.pingshanStopWords, ...topicStopWords]
    })
    const documents = items.map((item) => ({ id: item.id, text: item.text, receivedAt: item.receivedAt }))
    const hot = yield* Topics.hot(documents, segmenter, { from: new Date(from), to: asOf, top: 10, examples: 1 })
    const rising = yield* Topics.rising(documents, segmenter, {
      current: { from: new Date(at(`${lastMonth}-01`)), to: asOf },
      previous: { from: new Date(at(`${previousMonth}-01`)), to: new Date(at(`${lastMonth}-01`)) },
      top: 8
    })
    const rendered = yield* SituationReport.render({
      title: `${regions.root.name}${options.quarter.title}民情形势分析报告`,
      district: { code: regions.root.code, name: regions.root.name },
      period: { from: new Date(from), to: asOf },
      items,
      topics: hot,
      rising,
      asOf,
      generatedAt: asOf,
      trendUnit: "week",
      names: {
        streets: Object.fromEntries(streets.map((s) => [s.code, s.name])),
        communities: Object.fromEntries(communities.map((c) => [c.code, c.name]))
      }
    })
    const base = Path.join(options.outDir, `situation-report-${options.quarter.label}`)
    const html = `${base}.html`
    const markdown = `${base}.md`
    yield* Effect.try({
      try: () => {
        Fs.writeFileSync(html, rendered.html)
        Fs.writeFileSync(markdown, rendered.markdown)
      },
      catch: (cause) => new RunFailed({ phase, tag: "WriteFile", reason: `无法写入 ${base}：${String(cause)}` })
    })

    return {
      quarter: options.quarter,
      received: total.received,
      merged: total.merged,
      cases: total.cases,
      ...options.counts,
      closed: total.status.closedResolved + total.status.closedUnresolved,
      open: total.status.open + total.status.openOverdue,
      escalatedReports: total.escalated,
      escalations: total.escalations,
      byChannel,
      onTime: total.onTime,
      satisfaction: total.satisfaction,
      overdue: total.overdue,
      openOverdue: total.onTime.openOverdue,
      hot,
      rising,
      segmenter: segmenter.name,
      html,
      markdown
    } satisfies OpinionResult
  })
