/**
 * Residents' concerns analysis (@gongzhi/opinion-analysis) over 100k synthetic reports (Generator, seed
 * 20250301; ~274 reports a day, so 100k reports are one year and their first 10k about five weeks).
 *
 * - `opinion.topics`: hot topics (TF-IDF) of 100k reports against a bare segmentation pass over
 *   the same texts with the same segmenter (jieba, district dictionary + the generator's estates).
 *   ratio = segmentation / topics: 1.0 would mean the topic analysis costs nothing on top of the
 *   segmentation; the target 0.5 means it may at most double it.
 * - `opinion.dedupe.scaling`: near-duplicate detection of the 100k reports ("ours") against twelve
 *   runs over their first 10k ("baseline" = 12 × time(10k)). ratio ≥ 1 ⇔ time(100k) ≤ 12 × time(10k),
 *   i.e. the detection scales at most 1.2× worse than linearly. The raw factor time(100k) /
 *   time(10k) and the precision and recall against the generator's labels are printed.
 * - `opinion.segment`: the default segmenter (jieba) against the Intl.Segmenter one over the 100k
 *   texts; ratio = intl time / jieba time. Tokens per second of both are printed.
 */
import { Effect } from "effect"
import * as Dedupe from "../packages/opinion-analysis/src/Dedupe.js"
import * as Generator from "../packages/opinion-analysis/src/Generator.js"
import * as Segmenter from "../packages/opinion-analysis/src/Segmenter.js"
import * as Topics from "../packages/opinion-analysis/src/Topics.js"
import type { BenchEntry } from "./harness.js"

const COUNT = 100_000
const SMALL = 10_000
const DAY = 86_400_000
const FROM = new Date("2025-03-01T00:00:00+08:00")

interface Data {
  readonly reports: ReadonlyArray<Generator.SyntheticReport>
  readonly texts: ReadonlyArray<string>
  readonly documents: ReadonlyArray<Topics.TopicDocument>
  readonly items: ReadonlyArray<Dedupe.DedupeItem>
  readonly segmenter: Segmenter.Segmenter
  readonly intl: Segmenter.Segmenter
}

let cached: Data | undefined

/** Generates the reports and segmenters once for every entry (not measured). */
const data = (): Data => {
  if (cached !== undefined) return cached
  const reports = Effect.runSync(
    Generator.generate({
      places: Generator.pingshanPlaces,
      seed: 20250301,
      count: COUNT,
      from: FROM,
      to: new Date(FROM.getTime() + 365 * DAY),
      communities: Generator.pingshanCommunities
    })
  )
  const dictionary = [...Segmenter.pingshanDictionary, ...Generator.pingshanPlaces.estates]
  cached = {
    reports,
    texts: reports.map((r) => r.content),
    documents: reports.map((r) => ({ id: r.key, text: r.content, receivedAt: r.receivedAt })),
    items: reports.map((r) => ({ id: r.key, text: r.content, receivedAt: r.receivedAt, scope: r.communityCode })),
    segmenter: Effect.runSync(Segmenter.jieba({ dictionary })),
    intl: Segmenter.intl({ dictionary })
  }
  return cached
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 0 ? (s[mid - 1] + s[mid]) / 2 : s[mid]
}

const timed = (times: Array<number>, f: () => void): void => {
  const start = performance.now()
  f()
  times.push(performance.now() - start)
}

// ---- opinion.topics ----------------------------------------------------------------------------

let hotTopics: ReadonlyArray<Topics.HotTopic> = []

const topics: BenchEntry = {
  id: "opinion.topics",
  unit: "100k reports",
  target: 0.5,
  runs: 3,
  setup: () => void data(),
  ours: () => {
    const { documents, segmenter } = data()
    hotTopics = Effect.runSync(Topics.hot(documents, segmenter, { top: 20 }))
  },
  baseline: () => {
    const { texts, segmenter } = data()
    let tokens = 0
    for (const text of texts) tokens += segmenter.segment(text).length
    return tokens
  },
  teardown: () => {
    console.log(
      `  hot topics of 100k reports: ${hotTopics
        .slice(0, 10)
        .map((t) => `${t.term} ${t.count}`)
        .join("，")}`
    )
  }
}

// ---- opinion.dedupe.scaling --------------------------------------------------------------------

const dedupeLarge: Array<number> = []
const dedupeSmall: Array<number> = []
let lastResult: Dedupe.DedupeResult | undefined
let smallResult: Dedupe.DedupeResult | undefined

const runDedupe = (items: ReadonlyArray<Dedupe.DedupeItem>): Dedupe.DedupeResult => Effect.runSync(Dedupe.find(items))

const quality = (reports: ReadonlyArray<Generator.SyntheticReport>, result: Dedupe.DedupeResult) => {
  const expected = Generator.duplicatePairs(reports)
  const pairs = Dedupe.score(
    result.pairs.map((p) => Dedupe.pairKey(p.a, p.b)),
    expected
  )
  const groups = Dedupe.score(Dedupe.groupPairs(result.groups), expected)
  const pr = (s: { precision: number; recall: number }) =>
    `precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)}`
  const verified = `${result.candidates} candidates verified`
  return `${expected.size} labelled pairs; pairs ${pr(pairs)}; groups ${pr(groups)}; ${verified}`
}

const dedupeScaling: BenchEntry = {
  id: "opinion.dedupe.scaling",
  unit: "100k reports (baseline: 12 × 10k)",
  target: 1,
  runs: 3,
  setup: () => {
    data()
    dedupeLarge.length = 0
    dedupeSmall.length = 0
  },
  ours: () => {
    const { items } = data()
    timed(dedupeLarge, () => {
      lastResult = runDedupe(items)
    })
  },
  baseline: () => {
    const small = data().items.slice(0, SMALL)
    for (let i = 0; i < 12; i++) {
      timed(dedupeSmall, () => {
        smallResult = runDedupe(small)
      })
    }
  },
  teardown: () => {
    const { reports } = data()
    // the warm-up run of each side is in the arrays too; medians are robust to it
    const factor = median(dedupeLarge) / median(dedupeSmall)
    const large = median(dedupeLarge).toFixed(0)
    const small = median(dedupeSmall).toFixed(0)
    console.log(`  dedupe: 100k ${large} ms, 10k ${small} ms → scaling factor ${factor.toFixed(2)} (≤ 12 required)`)
    if (lastResult !== undefined) console.log(`  dedupe 100k: ${quality(reports, lastResult)}`)
    if (smallResult !== undefined) console.log(`  dedupe 10k:  ${quality(reports.slice(0, SMALL), smallResult)}`)
  }
}

// ---- opinion.segment ---------------------------------------------------------------------------

const segmentTimes = { jieba: [] as Array<number>, intl: [] as Array<number> }
const tokenCounts = { jieba: 0, intl: 0 }

const countTokens = (segmenter: Segmenter.Segmenter, texts: ReadonlyArray<string>): number => {
  let tokens = 0
  for (const text of texts) tokens += segmenter.segment(text).length
  return tokens
}

const segment: BenchEntry = {
  id: "opinion.segment",
  unit: "100k reports",
  runs: 3,
  setup: () => void data(),
  ours: () => {
    const { segmenter, texts } = data()
    timed(segmentTimes.jieba, () => {
      tokenCounts.jieba = countTokens(segmenter, texts)
    })
  },
  baseline: () => {
    const { intl, texts } = data()
    timed(segmentTimes.intl, () => {
      tokenCounts.intl = countTokens(intl, texts)
    })
  },
  teardown: () => {
    const chars = data().texts.reduce((sum, text) => sum + text.length, 0)
    for (const engine of ["jieba", "intl"] as const) {
      const ms = median(segmentTimes[engine])
      console.log(
        `  ${engine}: ${ms.toFixed(0)} ms, ${tokenCounts[engine]} tokens (stop words dropped), ` +
          `${((tokenCounts[engine] / ms) * 1000).toFixed(0)} tokens/s, ${((chars / ms) * 1000).toFixed(0)} chars/s`
      )
    }
  }
}

export const entries: Array<BenchEntry> = [topics, dedupeScaling, segment]
