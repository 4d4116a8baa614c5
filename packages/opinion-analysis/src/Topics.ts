/**
 * Topics of residents' reports (热点话题): hot topics of a period — the terms most reports mention,
 * TF-IDF breaking ties — and rising topics (上升话题) whose share of reports grew against the previous
 * period.
 *
 * A document is one report (`{ id, text, receivedAt }`; an `AnalysisItem` is one). Text is
 * segmented once with a {@link Segmenter.Segmenter} (stop words and punctuation already dropped);
 * tokens shorter than `minLength` (default 2) are left out, a few obvious variants are merged
 * into one term (`variants`, default {@link defaultVariants}: 噪声 → 噪音, 电瓶车 → 电动车 …), and
 * vague words that name no topic are left out (`vagueWords`, default {@link defaultVagueWords}: 晚上,
 * 意见, 申请, 问题 …, and numbers written in Chinese such as 九点 or 十多个).
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { InvalidAnalysisInput } from "./Analysis.js"
import { invalidInput } from "./Analysis.js"
import * as decode from "./internal/analysisDecode.js"
import * as internal from "./internal/topics.js"
import * as vague from "./internal/vagueWords.js"
import type { Segmenter } from "./Segmenter.js"

const Instant = decode.Instant

/**
 * One report as a document. Dates decode from `Date` or ISO strings.
 *
 * @since 0.1.0
 * @category models
 */
export const TopicDocument = Schema.Struct({ id: Schema.String, text: Schema.String, receivedAt: Instant })

/**
 * @since 0.1.0
 * @category models
 */
export interface TopicDocument extends Schema.Schema.Type<typeof TopicDocument> {}

/**
 * A hot topic: the term, its score (sum of tf × idf over the period's reports), how many reports
 * of the period mention it, and the ids of the reports where it weighs most.
 *
 * @since 0.1.0
 * @category models
 */
export type HotTopic = internal.HotTopic

/**
 * A rising topic: reports mentioning the term in the current and the previous period, and the
 * growth of its share of reports (smoothed).
 *
 * @since 0.1.0
 * @category models
 */
export type RisingTopic = internal.RisingTopic

/**
 * Variants merged into one term by default: 噪声 → 噪音, 电瓶车 / 电单车 → 电动车, 物管 → 物业,
 * 垃圾箱 → 垃圾桶, 小朋友 / 小孩 → 孩子, 老年人 / 长者 → 老人, 夜里 / 夜间 → 晚上, 蚊子 → 蚊虫.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultVariants: Readonly<Record<string, string>> = {
  噪声: "噪音",
  电瓶车: "电动车",
  电单车: "电动车",
  物管: "物业",
  垃圾箱: "垃圾桶",
  小朋友: "孩子",
  小孩: "孩子",
  老年人: "老人",
  长者: "老人",
  夜里: "晚上",
  夜间: "晚上",
  蚊子: "蚊虫"
}

/**
 * Vague words left out of hot and rising topics by default (泛化词): times of day and dates (晚上, 凌晨,
 * 现在, 最近 …), the formulas of intake and reply and words about reporting rather than the matter (意见,
 * 建议, 申请, 问题, 反映, 情况, 投诉, 咨询, 处理, 回复, 提交 …), generic nouns (地方, 附近, 门口, 居民,
 * 服务, 中心 …) and the generic parts of estate names (花园, 家园, 新村, 公馆, 华府 …). Numbers written in
 * Chinese (九点, 十多个, 两三天, 三楼) are always vague. A district extends the list:
 * `vagueWords: [...Topics.defaultVagueWords, "某某"]`; `vagueWords: []` keeps every word.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultVagueWords: ReadonlyArray<string> = vague.vagueWords

const Period = Schema.Struct({ from: Instant, to: Instant }).pipe(
  Schema.filter((period) => period.from.getTime() < period.to.getTime() || "from 应早于 to / from < to")
)

const Common = {
  minLength: Schema.optional(Schema.Int.pipe(Schema.between(1, 20))),
  variants: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  vagueWords: Schema.optional(Schema.Array(Schema.String))
}

/**
 * Options of {@link hot}: the period `[from, to)` (default: all documents), `top` terms (default
 * 20), `examples` per term (default 3), `reference` period for the idf (default: every document
 * given), `minLength`, `variants`, `vagueWords` (default {@link defaultVagueWords}).
 *
 * @since 0.1.0
 * @category models
 */
export const HotOptions = Schema.Struct({
  from: Schema.optional(Instant),
  to: Schema.optional(Instant),
  top: Schema.optional(Schema.Int.pipe(Schema.between(1, 10_000))),
  examples: Schema.optional(Schema.Int.pipe(Schema.between(0, 50))),
  reference: Schema.optional(Schema.Struct({ from: Schema.optional(Instant), to: Schema.optional(Instant) })),
  ...Common
})

/**
 * @since 0.1.0
 * @category models
 */
export type HotOptions = typeof HotOptions.Encoded

/**
 * Options of {@link rising}: the `current` period, the `previous` one (default: as long, just
 * before), `top` (default 20), `minCount` reports in the current period (default 10), `minGrowth`
 * (default 1.5), additive `smoothing` of counts (default 1), `minLength`, `variants`, `vagueWords`.
 *
 * @since 0.1.0
 * @category models
 */
export const RisingOptions = Schema.Struct({
  current: Period,
  previous: Schema.optional(Period),
  top: Schema.optional(Schema.Int.pipe(Schema.between(1, 10_000))),
  minCount: Schema.optional(Schema.Int.pipe(Schema.between(1, 1_000_000))),
  minGrowth: Schema.optional(Schema.Number.pipe(Schema.positive())),
  smoothing: Schema.optional(Schema.Number.pipe(Schema.positive())),
  ...Common
})

/**
 * @since 0.1.0
 * @category models
 */
export type RisingOptions = typeof RisingOptions.Encoded

const SegmenterSchema = Schema.declare(
  (u: unknown): u is Segmenter =>
    typeof u === "object" && u !== null && typeof (u as { segment?: unknown }).segment === "function",
  { identifier: "Segmenter" }
)

const decodeDocuments = decode.decoder(Schema.Array(TopicDocument), "热点话题文档", invalidInput)
const decodeSegmenter = decode.decoder(SegmenterSchema, "分词器", invalidInput)
const decodeHotOptions = decode.decoder(HotOptions, "热点话题选项", invalidInput)
const decodeRisingOptions = decode.decoder(RisingOptions, "上升话题选项", invalidInput)

const variantMap = (variants: Readonly<Record<string, string>> | undefined): ReadonlyMap<string, string> =>
  new Map(Object.entries(variants ?? defaultVariants))

const tokenize = (
  documents: ReadonlyArray<TopicDocument>,
  segmenter: Segmenter,
  options: {
    readonly minLength?: number | undefined
    readonly variants?: Readonly<Record<string, string>> | undefined
    readonly vagueWords?: ReadonlyArray<string> | undefined
  }
): internal.Corpus =>
  internal.tokenize(
    documents,
    segmenter,
    options.minLength ?? 2,
    variantMap(options.variants),
    new Set(options.vagueWords ?? defaultVagueWords)
  )

const hotOf = (
  documents: ReadonlyArray<TopicDocument>,
  corpus: internal.Corpus,
  options: typeof HotOptions.Type
): ReadonlyArray<HotTopic> => {
  let reference: Array<number> | undefined
  if (options.reference !== undefined) {
    const from = options.reference.from?.getTime() ?? Number.NEGATIVE_INFINITY
    const to = options.reference.to?.getTime() ?? Number.POSITIVE_INFINITY
    reference = []
    for (let i = 0; i < documents.length; i++) if (internal.inRange(documents[i], from, to)) reference.push(i)
  }
  return internal.hot(documents, corpus, reference, {
    from: options.from?.getTime() ?? Number.NEGATIVE_INFINITY,
    to: options.to?.getTime() ?? Number.POSITIVE_INFINITY,
    top: options.top ?? 20,
    examples: options.examples ?? 3
  })
}

const risingOf = (
  documents: ReadonlyArray<TopicDocument>,
  corpus: internal.Corpus,
  options: typeof RisingOptions.Type
): ReadonlyArray<RisingTopic> => {
  const from = options.current.from.getTime()
  const to = options.current.to.getTime()
  const previous: readonly [number, number] =
    options.previous === undefined
      ? [from - (to - from), from]
      : [options.previous.from.getTime(), options.previous.to.getTime()]
  return internal.rising(documents, corpus, {
    current: [from, to],
    previous,
    top: options.top ?? 20,
    minCount: options.minCount ?? 10,
    minGrowth: options.minGrowth ?? 1.5,
    smoothing: options.smoothing ?? 1
  })
}

/**
 * Hot topics of a period: the terms mentioned by most of the period's reports (`count`), most first.
 * Ties are broken by the TF-IDF score — the sum over the period's reports of the term frequency ×
 * `ln((N + 1) / (df + 1)) + 1` (N reports of the reference, df of them with the term) — and then by the
 * term, so the order is stable. Vague words (`vagueWords`) never rank. Each topic's first example (its
 * typical report) differs from the first examples of the topics ranked above whenever the term has
 * another report to show.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Effect } from "effect"
 * import { Segmenter, Topics } from "@gongzhi/opinion"
 *
 * declare const reports: ReadonlyArray<Topics.TopicDocument>
 * const program = Effect.gen(function* () {
 *   const segmenter = yield* Segmenter.make()
 *   return yield* Topics.hot(reports, segmenter, { from: new Date("2025-03-01T00:00:00+08:00"), top: 10 })
 * }) // [{ term: "电梯", score: 41.2, count: 96, examples: ["SYN-0042", …] }, …]
 */
export const hot = (
  documents: ReadonlyArray<typeof TopicDocument.Encoded>,
  segmenter: Segmenter,
  options?: HotOptions
): Effect.Effect<ReadonlyArray<HotTopic>, InvalidAnalysisInput> =>
  Effect.all([decodeDocuments(documents), decodeSegmenter(segmenter), decodeHotOptions(options ?? {})]).pipe(
    Effect.map(([docs, seg, opts]) => hotOf(docs, tokenize(docs, seg, opts), opts))
  )

/**
 * Rising topics: terms mentioned by at least `minCount` reports of the current period whose share
 * of reports grew at least `minGrowth` times against the previous period, as
 * `((current + s) / N_current) / ((previous + s) / N_previous)`; fastest growth first.
 *
 * @since 0.1.0
 * @category combinators
 */
export const rising = (
  documents: ReadonlyArray<typeof TopicDocument.Encoded>,
  segmenter: Segmenter,
  options: RisingOptions
): Effect.Effect<ReadonlyArray<RisingTopic>, InvalidAnalysisInput> =>
  Effect.all([decodeDocuments(documents), decodeSegmenter(segmenter), decodeRisingOptions(options)]).pipe(
    Effect.map(([docs, seg, opts]) => risingOf(docs, tokenize(docs, seg, opts), opts))
  )

/**
 * Hot and rising topics of the `current` period with one segmentation pass.
 *
 * @since 0.1.0
 * @category combinators
 */
export const analyze = (
  documents: ReadonlyArray<typeof TopicDocument.Encoded>,
  segmenter: Segmenter,
  options: RisingOptions & { readonly examples?: number | undefined }
): Effect.Effect<
  { readonly hot: ReadonlyArray<HotTopic>; readonly rising: ReadonlyArray<RisingTopic> },
  InvalidAnalysisInput
> =>
  Effect.all([
    decodeDocuments(documents),
    decodeSegmenter(segmenter),
    decodeRisingOptions(options),
    decodeHotOptions({ examples: options.examples, top: options.top })
  ]).pipe(
    Effect.map(([docs, seg, opts, hotOpts]) => {
      const tokens = tokenize(docs, seg, opts)
      return {
        hot: hotOf(docs, tokens, { ...hotOpts, from: opts.current.from, to: opts.current.to }),
        rising: risingOf(docs, tokens, opts)
      }
    })
  )
