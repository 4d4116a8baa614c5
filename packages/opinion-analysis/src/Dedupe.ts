/**
 * Near-duplicate reports (重复诉求): the same issue reported again, by the same resident or another,
 * with small differences in wording. Suggests pairs and merge groups with their similarity; a
 * clerk decides.
 *
 * Method: MinHash with LSH banding over character bigrams, candidates verified exactly.
 * - Text is normalised (full-width forms folded, lower case; whitespace, punctuation, symbols and modal particles
 *   removed) and cut into character shingles (bigrams by default: no segmenter needed, robust to
 *   word-boundary differences; a bigram of two UTF-16 units is its own 32-bit id, no hashing).
 * - Each item gets `bands × rows` MinHash values (default 20 × 3); items whose values agree on a
 *   whole band, in the same `scope` and within `windowDays` of each other, become candidates.
 *   Buckets are found with a radix sort of the band keys, so the work is linear in the items
 *   and proportional to the candidates.
 * - Candidates are verified with the exact Jaccard similarity of their shingle sets, each shingle
 *   weighted by its idf `ln(1 + N / df)` over the input, so that shared boilerplate (您好, 希望尽快
 *   处理) counts less than a shared estate name; pairs at or above `threshold` are kept and joined
 *   into groups (union-find), the earliest item representing its group.
 *
 * Why MinHash rather than SimHash: reports are short (40–120 characters, ~50 shingles). SimHash's
 * 64-bit fingerprint then estimates cosine similarity coarsely, and finding all pairs within a
 * Hamming distance k needs k + 1 tables of permuted fingerprints with a threshold that is hard to
 * relate to "how much of the text is shared". MinHash estimates the Jaccard similarity without
 * bias, its S-curve is tuned directly by (bands, rows), and exact verification removes the
 * estimation noise from the answer.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { InvalidAnalysisInput } from "./Analysis.js"
import { invalidInput } from "./Analysis.js"
import * as decode from "./internal/analysisDecode.js"
import * as internal from "./internal/dedupe.js"

const Instant = decode.Instant

/**
 * An item to compare: its id and text; `receivedAt` for the time window (the window applies only
 * when every item has one); `scope` (e.g. the community code) to compare only items of the same
 * scope.
 *
 * @since 0.1.0
 * @category models
 */
export const DedupeItem = Schema.Struct({
  id: Schema.String,
  text: Schema.String,
  receivedAt: Schema.optional(Instant),
  scope: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface DedupeItem extends Schema.Schema.Type<typeof DedupeItem> {}

/**
 * Options: `threshold` on the weighted Jaccard similarity (default 0.6), `windowDays` (default
 * 14; `Infinity` compares across all time), `bands` (default 20) and `rows` (default 3) of the LSH,
 * `shingle` length in characters (default 2), `seed` of the hash functions.
 *
 * With 20 × 3 a pair sharing 45% of its shingles becomes a candidate with probability 0.85, one
 * sharing 60% with 0.99, one sharing 20% with 0.15.
 *
 * @since 0.1.0
 * @category models
 */
export const DedupeOptions = Schema.Struct({
  threshold: Schema.optional(Schema.Number.pipe(Schema.between(0.05, 1))),
  windowDays: Schema.optional(Schema.Number.pipe(Schema.positive())),
  bands: Schema.optional(Schema.Int.pipe(Schema.between(1, 200))),
  rows: Schema.optional(Schema.Int.pipe(Schema.between(1, 32))),
  shingle: Schema.optional(Schema.Int.pipe(Schema.between(1, 8))),
  seed: Schema.optional(Schema.Int)
})

/**
 * @since 0.1.0
 * @category models
 */
export type DedupeOptions = typeof DedupeOptions.Encoded

/**
 * A suggested duplicate: `a` received before `b`, and their similarity in [0, 1].
 *
 * @since 0.1.0
 * @category models
 */
export type DuplicatePair = internal.Pair

/**
 * A suggested merge group: the earliest report and every member (itself included), in time order.
 *
 * @since 0.1.0
 * @category models
 */
export type DuplicateGroup = internal.Group

/**
 * Pairs at or above the threshold, groups, and how many candidate pairs were verified.
 *
 * @since 0.1.0
 * @category models
 */
export type DedupeResult = internal.Result

const decodeItems = decode.decoder(Schema.Array(DedupeItem), "重复诉求检测条目", invalidInput)
const decodeOptions = decode.decoder(DedupeOptions, "重复诉求检测选项", invalidInput)

const DAY = 86_400_000

/**
 * Finds near-duplicates.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Effect } from "effect"
 * import { Dedupe } from "@gongzhi/opinion"
 *
 * declare const reports: ReadonlyArray<{ id: string; text: string; receivedAt: Date; communityCode: string }>
 * const program = Dedupe.find(
 *   reports.map((r) => ({ id: r.id, text: r.text, receivedAt: r.receivedAt, scope: r.communityCode }))
 * ).pipe(Effect.map((result) => result.groups)) // [{ representative: "R-1", members: ["R-1", "R-7"] }, …]
 */
export const find = (
  items: ReadonlyArray<typeof DedupeItem.Encoded>,
  options?: DedupeOptions
): Effect.Effect<DedupeResult, InvalidAnalysisInput> =>
  Effect.all([decodeItems(items), decodeOptions(options ?? {})]).pipe(
    Effect.flatMap(([decoded, opts]) =>
      decoded.length >= 2 ** 23
        ? Effect.fail(
            invalidInput("重复诉求检测条目", [{ path: "items", message: "最多 8388607 条 / too many items" }])
          )
        : Effect.sync(() =>
            internal.find(decoded, {
              threshold: opts.threshold ?? 0.6,
              window: (opts.windowDays ?? 14) * DAY,
              bands: opts.bands ?? 20,
              rows: opts.rows ?? 3,
              shingle: opts.shingle ?? 2,
              seed: opts.seed ?? 0x5eed
            })
          )
    )
  )

/**
 * The key of an unordered pair of ids, as `Generator.duplicatePairs` makes it.
 *
 * @since 0.1.0
 * @category testing
 */
export const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`)

/**
 * Every pair within each group (what merging the groups would join).
 *
 * @since 0.1.0
 * @category testing
 */
export const groupPairs = (groups: ReadonlyArray<DuplicateGroup>): ReadonlySet<string> => {
  const out = new Set<string>()
  for (const group of groups) {
    for (let i = 0; i < group.members.length; i++) {
      for (let j = i + 1; j < group.members.length; j++) out.add(pairKey(group.members[i], group.members[j]))
    }
  }
  return out
}

/**
 * Precision and recall of found pairs against the expected ones (keys from {@link pairKey}).
 *
 * @since 0.1.0
 * @category testing
 */
export const score = (
  found: Iterable<string>,
  expected: ReadonlySet<string>
): { readonly precision: number; readonly recall: number; readonly truePositives: number; readonly found: number } => {
  let truePositives = 0
  let count = 0
  for (const key of found) {
    count++
    if (expected.has(key)) truePositives++
  }
  return {
    precision: count === 0 ? 1 : truePositives / count,
    recall: expected.size === 0 ? 1 : truePositives / expected.size,
    truePositives,
    found: count
  }
}
