/**
 * The situation report (形势分析报告) of a period: Markdown, and a self-contained HTML page (inline
 * CSS, no external assets, printable on A4) with SVG charts. Sections: overview (总体情况),
 * categories (bar chart), trend (line chart by day, week or month), streets (counts, on-time rate,
 * satisfaction), hot topics (bar chart and list with a typical report), rising topics, overdue cases.
 *
 * All text is escaped (HTML and Markdown), and mobile and resident ID numbers in report text are
 * masked before display. The output depends only on the input: the same input gives the same bytes.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { InvalidAnalysisInput } from "./Analysis.js"
import { AnalysisItem, invalidInput } from "./Analysis.js"
import * as analysis from "./internal/analysis.js"
import * as decode from "./internal/analysisDecode.js"
import * as internal from "./internal/report.js"

const Instant = decode.Instant
const Names = Schema.Record({ key: Schema.String, value: Schema.String })

/**
 * What the report shows: `title`, `district`, `period` `[from, to)`, the `items` (reports received
 * in the period are counted; others are ignored), hot `topics` and `rising` topics (from
 * `Topics`), `overdue` cases (default: computed from the items as of `asOf`), `asOf` (default
 * `period.to`), `generatedAt` (shown when given), `trendUnit` (default: day up to 62 days, week
 * up to a year, month beyond), `names` of categories, areas, streets, communities and channels
 * (defaults: the default taxonomy and channels; codes where no name is known), `maxOverdueRows`
 * (default 50).
 *
 * @since 0.1.0
 * @category models
 */
export const RenderInput = Schema.Struct({
  title: Schema.String.pipe(Schema.minLength(1)),
  district: Schema.Struct({ code: Schema.String, name: Schema.String }),
  period: Schema.Struct({ from: Instant, to: Instant }).pipe(
    Schema.filter((period) => period.from.getTime() < period.to.getTime() || "from 应早于 to / from < to")
  ),
  items: Schema.Array(AnalysisItem),
  topics: Schema.optional(
    Schema.Array(
      Schema.Struct({
        term: Schema.String,
        score: Schema.Number,
        count: Schema.Number,
        examples: Schema.Array(Schema.String)
      })
    )
  ),
  rising: Schema.optional(
    Schema.Array(
      Schema.Struct({ term: Schema.String, current: Schema.Number, previous: Schema.Number, growth: Schema.Number })
    )
  ),
  overdue: Schema.optional(
    Schema.Array(
      Schema.Struct({
        id: Schema.String,
        category: Schema.String,
        streetCode: Schema.String,
        communityCode: Schema.String,
        receivedAt: Instant,
        dueAt: Schema.optional(Instant),
        daysOverdue: Schema.UndefinedOr(Schema.Number)
      })
    )
  ),
  asOf: Schema.optional(Instant),
  generatedAt: Schema.optional(Instant),
  trendUnit: Schema.optional(Schema.Literal("day", "week", "month")),
  names: Schema.optional(
    Schema.Struct({
      categories: Schema.optional(Names),
      areas: Schema.optional(Names),
      streets: Schema.optional(Names),
      communities: Schema.optional(Names),
      channels: Schema.optional(Names)
    })
  ),
  maxOverdueRows: Schema.optional(Schema.Int.pipe(Schema.between(0, 10_000)))
})

/**
 * @since 0.1.0
 * @category models
 */
export type RenderInput = typeof RenderInput.Encoded

/**
 * The rendered report.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rendered {
  readonly markdown: string
  /** A complete HTML document (`<!DOCTYPE html>`, `lang="zh-CN"`, UTF-8), no external assets. */
  readonly html: string
}

/**
 * Names of the default taxonomy's categories (`GF02` → 公共设施) and areas (`GF` → 公共服务).
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultNames: {
  readonly categories: Readonly<Record<string, string>>
  readonly areas: Readonly<Record<string, string>>
  readonly channels: Readonly<Record<string, string>>
} = {
  categories: internal.defaultCategoryNames,
  areas: internal.defaultAreaNames,
  channels: internal.defaultChannelNames
}

/**
 * Masks mobile numbers (`138****5678`) and resident ID numbers (`1***************2X`) in free text,
 * as the report does before showing any report text.
 *
 * @since 0.1.0
 * @category combinators
 */
export const maskPersonalData: (text: string) => string = internal.maskPersonalData

const decodeInput = decode.decoder(RenderInput, "形势分析报告", invalidInput)

const DAY = 86_400_000

/**
 * Renders the report.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { SituationReport } from "@gongzhi/opinion"
 * import type { Analysis, Topics } from "@gongzhi/opinion"
 *
 * declare const items: ReadonlyArray<Analysis.AnalysisItem>
 * declare const topics: ReadonlyArray<Topics.HotTopic>
 * const program = SituationReport.render({
 *   title: "坪山区2025年3月民情形势分析报告",
 *   district: { code: "440310", name: "坪山区" },
 *   period: { from: new Date("2025-03-01T00:00:00+08:00"), to: new Date("2025-04-01T00:00:00+08:00") },
 *   items,
 *   topics
 * }).pipe(Effect.map(({ html }) => html)) // "<!DOCTYPE html>…"
 */
export const render = (input: RenderInput): Effect.Effect<Rendered, InvalidAnalysisInput> =>
  decodeInput(input).pipe(
    Effect.map((decoded) => {
      const asOf = decoded.asOf ?? decoded.period.to
      const span = decoded.period.to.getTime() - decoded.period.from.getTime()
      const from = decoded.period.from.getTime()
      const to = decoded.period.to.getTime()
      const overdue =
        decoded.overdue ??
        analysis.overdueCases(
          decoded.items.filter((item) => item.receivedAt.getTime() >= from && item.receivedAt.getTime() < to),
          asOf
        )
      return internal.render({
        title: decoded.title,
        district: decoded.district,
        period: decoded.period,
        items: decoded.items,
        topics: decoded.topics ?? [],
        rising: decoded.rising ?? [],
        overdue,
        asOf,
        generatedAt: decoded.generatedAt,
        trendUnit: decoded.trendUnit ?? (span <= 62 * DAY ? "day" : span <= 366 * DAY ? "week" : "month"),
        names: {
          categories: { ...internal.defaultCategoryNames, ...decoded.names?.categories },
          areas: { ...internal.defaultAreaNames, ...decoded.names?.areas },
          streets: { ...decoded.names?.streets },
          communities: { ...decoded.names?.communities },
          channels: { ...internal.defaultChannelNames, ...decoded.names?.channels }
        },
        maxOverdueRows: decoded.maxOverdueRows ?? 50
      })
    })
  )
