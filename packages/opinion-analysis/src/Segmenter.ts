/**
 * Chinese word segmentation (中文分词) for topic analysis, with a district dictionary (place names
 * that must come out whole: 坪山, 沙坣社区, 马峦山 …) and stop words. Two engines:
 *
 * - `jieba` — `@node-rs/jieba` (jieba-rs, native), the dictionary added as user words. The default:
 *   on our measurements (docs/opinion-analysis.md) about 4× the speed of `intl` and closer to a
 *   hand segmentation.
 * - `intl` — `Intl.Segmenter("zh", { granularity: "word" })` (ICU, built into Node), then a
 *   longest-match pass that merges adjacent segments forming a dictionary word. No native code.
 *
 * Every engine drops punctuation, whitespace, symbols and numbers, and (unless `stopWords: false`)
 * stop words: a compact Chinese list plus district additions (坪山, 社区, 反映, 尽快处理 …).
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import * as internal from "./internal/segmenter.js"
import * as data from "./internal/segmenterData.js"

/**
 * Splits text into words (tokens), already filtered.
 *
 * @since 0.1.0
 * @category models
 */
export interface Segmenter {
  /** `"jieba"`, `"jieba-hmm"` or `"intl"`. */
  readonly name: string
  readonly segment: (text: string) => ReadonlyArray<string>
}

/**
 * The jieba engine could not be loaded (its native binding is missing for this platform).
 *
 * @since 0.1.0
 * @category errors
 */
export class SegmenterUnavailable extends Schema.TaggedError<SegmenterUnavailable>()("SegmenterUnavailable", {
  engine: Schema.String,
  message: Schema.String
}) {}

/**
 * Place names of Pingshan District: the district, streets and communities (bare and with 街道 /
 * 社区), landmarks (坪山河, 马峦山, 燕子湖 …) and main roads. Another district passes its own list.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pingshanDictionary: ReadonlyArray<string> = data.pingshanDictionary

/**
 * A compact list of Chinese function words (pronouns, particles, conjunctions, prepositions,
 * degree adverbs …).
 *
 * @since 0.1.0
 * @category constructors
 */
export const chineseStopWords: ReadonlyArray<string> = data.chineseStopWords

/**
 * District additions to the stop words: the district and the words 社区 / 街道, and the formulas
 * of intake (您好, 反映, 来电称, 希望尽快处理, 相关部门, 盼复 …).
 *
 * @since 0.1.0
 * @category constructors
 */
export const districtStopWords: ReadonlyArray<string> = data.districtStopWords

/**
 * The default stop words: {@link chineseStopWords} and {@link districtStopWords}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultStopWords: ReadonlyArray<string> = [...new Set([...chineseStopWords, ...districtStopWords])]

/**
 * Options of every engine: `dictionary` (default {@link pingshanDictionary}; `[]` for none),
 * `stopWords` (default {@link defaultStopWords}; `false` keeps every word).
 *
 * @since 0.1.0
 * @category models
 */
export interface SegmenterOptions {
  readonly dictionary?: ReadonlyArray<string> | undefined
  readonly stopWords?: ReadonlyArray<string> | false | undefined
}

const stopSet = (options: SegmenterOptions | undefined): ReadonlySet<string> | undefined =>
  options?.stopWords === false ? undefined : new Set(options?.stopWords ?? defaultStopWords)

/**
 * The `Intl.Segmenter` engine with a longest-match merge over the dictionary. Needs no native code
 * (Node's full ICU); slower than jieba and splits words ICU does not know (油烟 → 油/烟) unless
 * they are in the dictionary.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Segmenter } from "@gongzhi/opinion"
 *
 * Segmenter.intl().segment("沙坣社区坪山河边的路灯坏了") // ["沙坣社区", "坪山河", "边", "路灯", "坏"]
 */
export const intl = (options?: SegmenterOptions): Segmenter =>
  internal.intl(options?.dictionary ?? pingshanDictionary, stopSet(options))

/**
 * The jieba engine (`@node-rs/jieba`): loads jieba's dictionary (about 0.6 s, once per call) and
 * adds the district dictionary as user words. `hmm` (default false) lets jieba guess unknown words
 * with its HMM; off, it keeps to the dictionaries (more predictable for place names).
 *
 * @since 0.1.0
 * @category constructors
 */
export const jieba = (
  options?: SegmenterOptions & { readonly hmm?: boolean | undefined }
): Effect.Effect<Segmenter, SegmenterUnavailable> =>
  Effect.try({
    try: () => internal.loadJieba(options?.dictionary ?? pingshanDictionary),
    catch: (cause) => {
      const reason = cause instanceof Error ? cause.message : String(cause)
      return new SegmenterUnavailable({
        engine: "jieba",
        message: `结巴分词不可用（@node-rs/jieba 未能加载）/ jieba unavailable: ${reason}`
      })
    }
  }).pipe(Effect.map((instance) => internal.jieba(instance, options?.hmm ?? false, stopSet(options))))

/**
 * The default segmenter: {@link jieba}, or {@link intl} when jieba cannot be loaded on this
 * platform (check `name`).
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { Segmenter } from "@gongzhi/opinion"
 *
 * const words = Segmenter.make().pipe(Effect.map((s) => s.segment("马峦山入口垃圾堆积，希望尽快处理")))
 * // ["马峦山", "入口", "垃圾", "堆积"]
 */
export const make = (options?: SegmenterOptions): Effect.Effect<Segmenter> =>
  jieba(options).pipe(Effect.orElseSucceed(() => intl(options)))
