/**
 * Chinese word segmentation (中文分词) for topic analysis, with a district dictionary (place names
 * that must come out whole: 沙坣社区, 马峦山 …) and stop words. Two engines:
 *
 * - `jieba` — `@node-rs/jieba` (jieba-rs, native), the dictionary added as user words. The default:
 *   on our measurements (docs/opinion-analysis.md) about 4× the speed of `intl` and closer to a
 *   hand segmentation.
 * - `intl` — `Intl.Segmenter("zh", { granularity: "word" })` (ICU, built into Node), then a
 *   longest-match pass that merges adjacent segments forming a dictionary word. No native code.
 *
 * Every engine drops punctuation, whitespace, symbols and numbers, and (unless `stopWords: false`)
 * stop words: a compact Chinese list plus the formulas of intake (社区, 反映, 尽快处理 …).
 *
 * Nothing district-specific is a default. Pass `regions` (the district's region tree) and the
 * dictionary gets every street, town, township, community and village name, bare and full, and the
 * district's own name becomes a stop word; add landmarks and roads with `dictionary`. The Pingshan
 * example's lists are exported as {@link pingshanDictionary} and {@link pingshanStopWords}.
 *
 * @since 0.1.0
 */
import * as Region from "@gongzhi/core/Region"
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
 * Place names of Pingshan District, the reference example's data: the district, streets and
 * communities (bare and with 街道 / 社区), landmarks (坪山河, 马峦山, 燕子湖 …) and main roads. Not a
 * default: pass it as `dictionary` (another district derives its names with `regions`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const pingshanDictionary: ReadonlyArray<string> = data.pingshanDictionary

/**
 * Pingshan's backdrop words (坪山, 坪山区, 深圳, 深圳市), the reference example's stop words: named in
 * almost every report there, they say nothing about a topic. Not a default.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pingshanStopWords: ReadonlyArray<string> = data.pingshanStopWords

const levelSuffixes = /(街道办事处|街道|镇|乡)$/
const villageSuffixes = /(社区居委会|社区居民委员会|居委会|居民委员会|村委会|村民委员会|社区|村)$/

/**
 * The place names of a region tree as dictionary words: every township-level unit (街道, 镇, 乡) and
 * village-level unit (社区, 村) by its full name, its everyday name (沙坣社区居委会 → 沙坣社区) and its bare
 * name (沙坣, 坪山) when that has at least two characters; the district by its full and bare name.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import * as Region from "@gongzhi/core/Region"
 * import { Segmenter } from "@gongzhi/opinion-analysis"
 *
 * // a tree holding 温泉镇 and its 石坑村委会:
 * // Segmenter.regionDictionary(tree) → […, "温泉镇", "温泉", "石坑村委会", "石坑村", "石坑", …]
 */
export const regionDictionary = (tree: Region.RegionTree): ReadonlyArray<string> => {
  const words = new Set<string>()
  const add = (name: string, bare: string) => {
    words.add(name)
    words.add(Region.displayName({ name }))
    if (bare.length >= 2 && bare !== name) words.add(bare)
  }
  for (const region of tree.regions) {
    if (region.level === "district") add(region.name, region.name.replace(/(自治县|区|县|市|旗)$/, ""))
    else if (region.level === "street") add(region.name, region.name.replace(levelSuffixes, ""))
    else if (region.level === "community") add(region.name, Region.displayName(region).replace(villageSuffixes, ""))
  }
  return [...words]
}

/**
 * The district's own name, full and bare (坪山区, 坪山): the backdrop of every report in it, so a stop word.
 *
 * @since 0.1.0
 * @category constructors
 */
export const regionStopWords = (tree: Region.RegionTree): ReadonlyArray<string> => {
  const name = tree.root.name
  const bare = name.replace(/(自治县|区|县|市|旗)$/, "")
  return bare.length >= 2 && bare !== name ? [name, bare] : [name]
}

/**
 * A compact list of Chinese function words (pronouns, particles, conjunctions, prepositions,
 * degree adverbs …).
 *
 * @since 0.1.0
 * @category constructors
 */
export const chineseStopWords: ReadonlyArray<string> = data.chineseStopWords

/**
 * District-neutral additions to the stop words: the words 社区 / 街道, and the formulas of intake (您好, 反映, 来电称, 希望尽快处理, 相关部门, 盼复 …).
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
 * Options of every engine: `dictionary` (default none), `stopWords` (default {@link defaultStopWords};
 * `false` keeps every word) and `regions` — the district's region tree, whose place names are added to
 * the dictionary ({@link regionDictionary}) and whose own name to the stop words ({@link regionStopWords}).
 *
 * @since 0.1.0
 * @category models
 */
export interface SegmenterOptions {
  readonly dictionary?: ReadonlyArray<string> | undefined
  readonly stopWords?: ReadonlyArray<string> | false | undefined
  readonly regions?: Region.RegionTree | undefined
}

const dictionaryOf = (options: SegmenterOptions | undefined): ReadonlyArray<string> => {
  const given = options?.dictionary ?? []
  return options?.regions === undefined ? given : [...new Set([...regionDictionary(options.regions), ...given])]
}

const stopSet = (options: SegmenterOptions | undefined): ReadonlySet<string> | undefined =>
  options?.stopWords === false
    ? undefined
    : new Set([
        ...(options?.stopWords ?? defaultStopWords),
        ...(options?.regions === undefined ? [] : regionStopWords(options.regions))
      ])

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
 * Segmenter.intl({ dictionary: Segmenter.pingshanDictionary }).segment("沙坣社区坪山河边的路灯坏了")
 * // ["沙坣社区", "坪山河", "边", "路灯", "坏"]
 */
export const intl = (options?: SegmenterOptions): Segmenter => internal.intl(dictionaryOf(options), stopSet(options))

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
    try: () => internal.loadJieba(dictionaryOf(options)),
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
 * const words = Segmenter.make({ dictionary: ["马峦山"] }).pipe(
 *   Effect.map((s) => s.segment("马峦山入口垃圾堆积，希望尽快处理"))
 * )
 * // ["马峦山", "入口", "垃圾", "堆积"]
 */
export const make = (options?: SegmenterOptions): Effect.Effect<Segmenter> =>
  jieba(options).pipe(Effect.orElseSucceed(() => intl(options)))
