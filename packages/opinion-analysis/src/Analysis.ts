/**
 * Statistics over residents' concerns (民情分析): counts by category, area, street, community, status,
 * channel and period; on-time rate (按时办结率) and satisfaction rate (满意率).
 *
 * The input is a plain {@link AnalysisItem}: the workflow side maps its reports to it
 * (`ReportItems.fromReports`), so these functions do not depend on storage. Unknown input (JSON, a file) is
 * decoded with {@link decodeItems} or {@link summarize}; the other functions are pure and take
 * already decoded items.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import * as internal from "./internal/analysis.js"
import * as decode from "./internal/analysisDecode.js"

// ---- errors ----------------------------------------------------------------------------------

/**
 * One problem of an input: where (`items[3].receivedAt`) and what. Never carries the value.
 *
 * @since 0.1.0
 * @category errors
 */
export const InputIssue = Schema.Struct({ path: Schema.String, message: Schema.String })

/**
 * @since 0.1.0
 * @category errors
 */
export type InputIssue = typeof InputIssue.Type

/**
 * Input of an analysis function (items, options, generator settings) that does not decode. The
 * message names the fields and the problem, never the values (report text may hold phone numbers).
 * Used by every analysis module: Analysis, Topics, Dedupe, SituationReport, Generator.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidAnalysisInput extends Schema.TaggedError<InvalidAnalysisInput>()("InvalidAnalysisInput", {
  /** What was decoded, e.g. "民情分析" or "热点话题". */
  where: Schema.String,
  issues: Schema.Array(InputIssue),
  message: Schema.String
}) {}

/**
 * Builds an {@link InvalidAnalysisInput} whose message lists the first issues.
 *
 * @since 0.1.0
 * @category constructors
 */
export const invalidInput = (where: string, issues: ReadonlyArray<InputIssue>): InvalidAnalysisInput =>
  new InvalidAnalysisInput({ where, issues, message: decode.summary(where, issues) })

// ---- models ----------------------------------------------------------------------------------

/**
 * Handling status: open, closed and resolved, closed but not resolved.
 *
 * @since 0.1.0
 * @category models
 */
export const Status = Schema.Literal("open", "closed-resolved", "closed-unresolved")

/**
 * @since 0.1.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * A resident's answer at follow-up (回访): 满意 / 基本满意 / 不满意.
 *
 * @since 0.1.0
 * @category models
 */
export const SatisfactionLevel = Schema.Literal("satisfied", "basically-satisfied", "unsatisfied")

/**
 * @since 0.1.0
 * @category models
 */
export type SatisfactionLevel = typeof SatisfactionLevel.Type

const Instant = decode.Instant

/**
 * What the analysis reads of one report (民情诉求). `category` is a taxonomy code (`GF02`), its
 * leading letters the top-level area (`GF`); `overdue` is true when the report passed its due date
 * before it was closed (the workflow sets it); `satisfaction` is the follow-up answer, when there
 * was one. Dates decode from `Date` or ISO strings and lie between 1900 and 2999.
 *
 * @since 0.1.0
 * @category models
 */
export const AnalysisItem = Schema.Struct({
  id: Schema.String,
  text: Schema.String,
  category: Schema.String,
  kind: Schema.String,
  streetCode: Schema.String,
  communityCode: Schema.String,
  channel: Schema.String,
  receivedAt: Instant,
  dueAt: Schema.optional(Instant),
  closedAt: Schema.optional(Instant),
  status: Status,
  overdue: Schema.Boolean,
  satisfaction: Schema.optional(SatisfactionLevel)
}).annotations({ identifier: "AnalysisItem", title: "民情分析条目" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AnalysisItem extends Schema.Schema.Type<typeof AnalysisItem> {}

/**
 * A grouping dimension. `area` is the top-level category (`SM`, `GL`, `CX`, `GF`); `status` is a
 * {@link StatusBucket}.
 *
 * @since 0.1.0
 * @category models
 */
export type Dimension = internal.Dimension

/**
 * Status for counting: open within time, open and past due, closed resolved, closed unresolved.
 *
 * @since 0.1.0
 * @category models
 */
export type StatusBucket = internal.StatusBucket

/**
 * Period unit of a trend, in the district's local time (UTC+8 unless told).
 *
 * @since 0.1.0
 * @category models
 */
export const PeriodUnit = Schema.Literal("day", "week", "month")

/**
 * @since 0.1.0
 * @category models
 */
export type PeriodUnit = typeof PeriodUnit.Type

/**
 * A key and how many items have it.
 *
 * @since 0.1.0
 * @category models
 */
export type Count = internal.Count

/**
 * A ratio with its parts; `rate` is `undefined` when the denominator is 0.
 *
 * @since 0.1.0
 * @category models
 */
export type Rate = internal.Rate

/**
 * Items in one period: label (`2025-03-07`, `2025-W10`, `2025-03`), first instant, count.
 *
 * @since 0.1.0
 * @category models
 */
export type PeriodCount = internal.PeriodCount

/**
 * On-time rate: closed by the due date over (closed with a due date + open past due).
 *
 * @since 0.1.0
 * @category models
 */
export type OnTime = internal.OnTime

/**
 * Satisfaction rate: (满意 + 基本满意) over answered follow-ups.
 *
 * @since 0.1.0
 * @category models
 */
export type Satisfaction = internal.Satisfaction

/**
 * One street's or community's figures.
 *
 * @since 0.1.0
 * @category models
 */
export type RegionRow = internal.RegionRow

/**
 * An open report past its due date, with whole days overdue.
 *
 * @since 0.1.0
 * @category models
 */
export type OverdueCase = internal.OverdueCase

// ---- decoding --------------------------------------------------------------------------------

const decodeItemArray = decode.decoder(Schema.Array(AnalysisItem), "民情分析条目", invalidInput)

/**
 * Decodes unknown input (e.g. parsed JSON) into items.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeItems = (input: unknown): Effect.Effect<ReadonlyArray<AnalysisItem>, InvalidAnalysisInput> =>
  decodeItemArray(input)

// ---- pure statistics -------------------------------------------------------------------------

/**
 * The top-level area of a category code: its leading letters (`"GF02"` → `"GF"`).
 *
 * @since 0.1.0
 * @category accessors
 */
export const areaOf: (category: string) => string = internal.areaOf

/**
 * Whether an item is open and past due: its `overdue` flag, or `dueAt` before `asOf`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const isOpenOverdue: (item: AnalysisItem, asOf?: Date) => boolean = internal.isOpenOverdue

/**
 * The status bucket of an item.
 *
 * @since 0.1.0
 * @category accessors
 */
export const statusBucket: (item: AnalysisItem, asOf?: Date) => StatusBucket = internal.statusBucket

/**
 * Items received in `[from, to)` (either bound may be omitted).
 *
 * @since 0.1.0
 * @category combinators
 */
export const inPeriod = (
  items: ReadonlyArray<AnalysisItem>,
  period: { readonly from?: Date | undefined; readonly to?: Date | undefined }
): ReadonlyArray<AnalysisItem> => {
  const from = period.from?.getTime() ?? Number.NEGATIVE_INFINITY
  const to = period.to?.getTime() ?? Number.POSITIVE_INFINITY
  return items.filter((item) => {
    const t = item.receivedAt.getTime()
    return t >= from && t < to
  })
}

/**
 * Counts by a dimension, most frequent first (ties by key).
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Analysis } from "@gongzhi/opinion"
 *
 * declare const items: ReadonlyArray<Analysis.AnalysisItem>
 * Analysis.countBy(items, "street") // [{ key: "440310002", count: 120 }, …]
 */
export const countBy = (items: ReadonlyArray<AnalysisItem>, dimension: Dimension, asOf?: Date): ReadonlyArray<Count> =>
  internal.countBy(items, dimension, asOf)

/**
 * Counts by day, ISO week or month in local time (`utcOffsetMinutes`, default 480 = China). With
 * both `from` and `to`, every period of `[from, to)` is present (zeros included); otherwise only the
 * periods that have items, in order.
 *
 * @since 0.1.0
 * @category combinators
 */
export const countByPeriod = (
  items: ReadonlyArray<AnalysisItem>,
  unit: PeriodUnit,
  options?: {
    readonly from?: Date | undefined
    readonly to?: Date | undefined
    readonly utcOffsetMinutes?: number | undefined
  }
): ReadonlyArray<PeriodCount> =>
  internal.countByPeriod(items, unit, options?.utcOffsetMinutes ?? 480, options?.from, options?.to)

/**
 * On-time rate (按时办结率): closed by the due date / (closed with a due date + open past due).
 * Closed items without a due date or a closing date are left out.
 *
 * @since 0.1.0
 * @category combinators
 */
export const onTimeRate = (items: ReadonlyArray<AnalysisItem>, asOf?: Date): OnTime => internal.onTime(items, asOf)

/**
 * Satisfaction rate (满意率): (满意 + 基本满意) / answered follow-ups.
 *
 * @since 0.1.0
 * @category combinators
 */
export const satisfactionRate = (items: ReadonlyArray<AnalysisItem>): Satisfaction => internal.satisfaction(items)

/**
 * Figures per street or community, in code order.
 *
 * @since 0.1.0
 * @category combinators
 */
export const byRegion = (
  items: ReadonlyArray<AnalysisItem>,
  level: "street" | "community",
  asOf?: Date
): ReadonlyArray<RegionRow> => internal.byRegion(items, level, asOf)

/**
 * Open reports past due, most days overdue first.
 *
 * @since 0.1.0
 * @category combinators
 */
export const overdueCases = (items: ReadonlyArray<AnalysisItem>, asOf?: Date): ReadonlyArray<OverdueCase> =>
  internal.overdueCases(items, asOf)

// ---- summary ---------------------------------------------------------------------------------

/**
 * Options of {@link summarize}: the period `[from, to)` of receipt, the instant `asOf` for overdue
 * checks (default `to`), the trend unit (default `day`) and the UTC offset in minutes (default 480).
 *
 * @since 0.1.0
 * @category models
 */
export const SummaryOptions = Schema.Struct({
  from: Schema.optional(Instant),
  to: Schema.optional(Instant),
  asOf: Schema.optional(Instant),
  unit: Schema.optional(PeriodUnit),
  utcOffsetMinutes: Schema.optional(Schema.Int.pipe(Schema.between(-720, 840)))
})

/**
 * @since 0.1.0
 * @category models
 */
export type SummaryOptions = typeof SummaryOptions.Encoded

/**
 * Every figure of a period at once.
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary {
  readonly total: number
  readonly byCategory: ReadonlyArray<Count>
  readonly byArea: ReadonlyArray<Count>
  readonly byStreet: ReadonlyArray<Count>
  readonly byCommunity: ReadonlyArray<Count>
  readonly byStatus: ReadonlyArray<Count>
  readonly byChannel: ReadonlyArray<Count>
  readonly byKind: ReadonlyArray<Count>
  readonly trend: ReadonlyArray<PeriodCount>
  readonly onTime: OnTime
  readonly satisfaction: Satisfaction
  readonly streets: ReadonlyArray<RegionRow>
  readonly overdue: ReadonlyArray<OverdueCase>
}

/**
 * Computes a {@link Summary} of already decoded items.
 *
 * @since 0.1.0
 * @category combinators
 */
export const summary = (
  items: ReadonlyArray<AnalysisItem>,
  options?: {
    readonly from?: Date | undefined
    readonly to?: Date | undefined
    readonly asOf?: Date | undefined
    readonly unit?: PeriodUnit | undefined
    readonly utcOffsetMinutes?: number | undefined
  }
): Summary => {
  const selected = inPeriod(items, options ?? {})
  const asOf = options?.asOf ?? options?.to
  return {
    total: selected.length,
    byCategory: countBy(selected, "category"),
    byArea: countBy(selected, "area"),
    byStreet: countBy(selected, "street"),
    byCommunity: countBy(selected, "community"),
    byStatus: countBy(selected, "status", asOf),
    byChannel: countBy(selected, "channel"),
    byKind: countBy(selected, "kind"),
    trend: countByPeriod(selected, options?.unit ?? "day", options),
    onTime: onTimeRate(selected, asOf),
    satisfaction: satisfactionRate(selected),
    streets: byRegion(selected, "street", asOf),
    overdue: overdueCases(selected, asOf)
  }
}

const decodeSummaryOptions = decode.decoder(SummaryOptions, "民情分析选项", invalidInput)

/**
 * Decodes the items and options, then computes the {@link Summary}.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { Analysis } from "@gongzhi/opinion"
 *
 * const program = Analysis.summarize(JSON.parse(text), { from: "2025-03-01T00:00:00+08:00", unit: "week" }).pipe(
 *   Effect.map((summary) => summary.onTime.rate)
 * )
 * declare const text: string
 */
export const summarize = (input: unknown, options?: SummaryOptions): Effect.Effect<Summary, InvalidAnalysisInput> =>
  Effect.all([decodeItems(input), decodeSummaryOptions(options ?? {})]).pipe(
    Effect.map(([items, decoded]) => summary(items, decoded))
  )
