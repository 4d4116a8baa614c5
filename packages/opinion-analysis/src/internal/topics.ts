/**
 * Hot topics (most reports first, TF-IDF for ties) and rising topics by smoothed growth of document
 * frequency.
 *
 * @internal
 */
import { isVague } from "./vagueWords.js"

export interface Document {
  readonly id: string
  readonly text: string
  readonly receivedAt: Date
}

export interface Segmenter {
  readonly segment: (text: string) => ReadonlyArray<string>
}

export interface HotTopic {
  readonly term: string
  /** Sum over the period's reports of tf × idf. */
  readonly score: number
  /** Reports of the period that mention the term. */
  readonly count: number
  /**
   * Ids of the reports where the term weighs most (highest tf-idf first), except that the first one, the
   * topic's typical report, is not the typical report of a topic ranked above when the term has another.
   */
  readonly examples: ReadonlyArray<string>
}

export interface RisingTopic {
  readonly term: string
  /** Reports of the current period that mention the term. */
  readonly current: number
  /** Reports of the previous period that mention the term. */
  readonly previous: number
  /** ((current + s) / N_current) / ((previous + s) / N_previous), s the smoothing. */
  readonly growth: number
}

/**
 * The tokens of every document, interned: document `i` has the term ids
 * `ids[offsets[i]] … ids[offsets[i + 1] - 1]`, and `terms[id]` is the term.
 */
export interface Corpus {
  readonly terms: ReadonlyArray<string>
  readonly offsets: Int32Array
  readonly ids: Int32Array
}

/**
 * Segments each document, keeps tokens of at least `minLength` characters, maps variants, leaves out vague
 * words (after mapping: 夜里 → 晚上 is vague too), interns.
 */
export const tokenize = (
  documents: ReadonlyArray<Document>,
  segmenter: Segmenter,
  minLength: number,
  variants: ReadonlyMap<string, string>,
  vague: ReadonlySet<string>
): Corpus => {
  const index = new Map<string, number>()
  const terms: Array<string> = []
  const offsets = new Int32Array(documents.length + 1)
  let ids = new Int32Array(1 << 16)
  let size = 0
  const mapVariants = variants.size > 0
  const rejected = new Set<string>()
  for (let i = 0; i < documents.length; i++) {
    const tokens = segmenter.segment(documents[i].text)
    if (size + tokens.length > ids.length) {
      const grown = new Int32Array(Math.max(ids.length * 2, size + tokens.length))
      grown.set(ids.subarray(0, size))
      ids = grown
    }
    for (const token of tokens) {
      if (token.length < minLength) continue
      const term = mapVariants ? (variants.get(token) ?? token) : token
      let id = index.get(term)
      if (id === undefined) {
        if (rejected.has(term)) continue
        if (isVague(term, vague)) {
          rejected.add(term)
          continue
        }
        id = terms.length
        terms.push(term)
        index.set(term, id)
      }
      ids[size++] = id
    }
    offsets[i + 1] = size
  }
  return { terms, offsets, ids: ids.subarray(0, size) }
}

export const inRange = (document: Document, from: number, to: number): boolean => {
  const t = document.receivedAt.getTime()
  return t >= from && t < to
}

/** Number of documents (of `indices`, or all) that contain each term. */
export const documentFrequency = (corpus: Corpus, indices: ReadonlyArray<number> | undefined): Int32Array => {
  const df = new Int32Array(corpus.terms.length)
  const last = new Int32Array(corpus.terms.length).fill(-1)
  const count = indices === undefined ? corpus.offsets.length - 1 : indices.length
  for (let k = 0; k < count; k++) {
    const i = indices === undefined ? k : indices[k]
    for (let p = corpus.offsets[i]; p < corpus.offsets[i + 1]; p++) {
      const id = corpus.ids[p]
      if (last[id] !== i) {
        last[id] = i
        df[id]++
      }
    }
  }
  return df
}

export interface HotOptions {
  readonly from: number
  readonly to: number
  readonly top: number
  readonly examples: number
}

/** Candidates kept per topic beyond `examples`, so that its typical report can differ from those above. */
const MAX_EXTRA_EXAMPLES = 50

/**
 * Hot topics: the terms mentioned by most of the period's documents, ties broken by the higher sum of
 * tf × idf over the period's documents and then by the term (code-unit order); idf is
 * `ln((N + 1) / (df + 1)) + 1` over the reference documents (`reference` indices; every document
 * when undefined).
 */
export const hot = (
  documents: ReadonlyArray<Document>,
  corpus: Corpus,
  reference: ReadonlyArray<number> | undefined,
  options: HotOptions
): Array<HotTopic> => {
  const period: Array<number> = []
  for (let i = 0; i < documents.length; i++) if (inRange(documents[i], options.from, options.to)) period.push(i)
  if (period.length === 0) return []
  const termCount = corpus.terms.length
  const { offsets, ids } = corpus

  // term frequency sums and document frequencies over the period
  const tfSum = new Float64Array(termCount)
  const periodDf = new Int32Array(termCount)
  const counts = new Int32Array(termCount)
  const touched: Array<number> = []
  for (const i of period) {
    const length = offsets[i + 1] - offsets[i]
    if (length === 0) continue
    for (let p = offsets[i]; p < offsets[i + 1]; p++) {
      const id = ids[p]
      if (counts[id]++ === 0) touched.push(id)
    }
    for (const id of touched) {
      tfSum[id] += counts[id] / length
      periodDf[id]++
      counts[id] = 0
    }
    touched.length = 0
  }
  const referenceDf = documentFrequency(corpus, reference)
  const referenceSize = reference === undefined ? documents.length : reference.length

  const scored: Array<{ id: number; score: number }> = []
  for (let id = 0; id < termCount; id++) {
    if (periodDf[id] === 0) continue
    const idf = Math.log((referenceSize + 1) / (referenceDf[id] + 1)) + 1
    scored.push({ id, score: tfSum[id] * idf })
  }
  const terms = corpus.terms
  scored.sort((a, b) => periodDf[b.id] - periodDf[a.id] || b.score - a.score || (terms[a.id] < terms[b.id] ? -1 : 1))
  const top = scored.slice(0, options.top)

  // examples: for each chosen term, the documents where its tf (hence tf-idf) is highest; the topic ranked
  // k-th keeps k more candidates (at most MAX_EXTRA_EXAMPLES), enough to lead with one no topic above leads with
  const rank = new Int32Array(termCount).fill(-1)
  top.forEach((entry, k) => {
    rank[entry.id] = k
  })
  const best: Array<Array<{ tf: number; index: number }>> = top.map(() => [])
  const keep = (k: number) => options.examples + Math.min(k, MAX_EXTRA_EXAMPLES)
  if (options.examples > 0) {
    for (const i of period) {
      const length = offsets[i + 1] - offsets[i]
      for (let p = offsets[i]; p < offsets[i + 1]; p++) {
        const id = ids[p]
        if (rank[id] >= 0 && counts[id]++ === 0) touched.push(id)
      }
      for (const id of touched) {
        const list = best[rank[id]]
        const size = keep(rank[id])
        const tf = counts[id] / length
        counts[id] = 0
        if (list.length < size || tf > list[list.length - 1].tf) {
          // insert in order (highest tf first, then earlier document); documents come in increasing index
          let at = list.length
          while (at > 0 && list[at - 1].tf < tf) at--
          list.splice(at, 0, { tf, index: i })
          if (list.length > size) list.pop()
        }
      }
      touched.length = 0
    }
  }
  const leads = new Set<number>()
  return top.map((entry, k) => {
    const candidates = best[k]
    const lead = candidates.find((e) => !leads.has(e.index)) ?? candidates[0]
    if (lead !== undefined) leads.add(lead.index)
    const chosen = lead === undefined ? [] : [lead, ...candidates.filter((e) => e !== lead)]
    return {
      term: terms[entry.id],
      score: entry.score,
      count: periodDf[entry.id],
      examples: chosen.slice(0, options.examples).map((e) => documents[e.index].id)
    }
  })
}

export interface RisingOptions {
  readonly current: readonly [number, number]
  readonly previous: readonly [number, number]
  readonly top: number
  readonly minCount: number
  readonly minGrowth: number
  readonly smoothing: number
}

/** Terms whose share of reports grew most from the previous period to the current one. */
export const rising = (
  documents: ReadonlyArray<Document>,
  corpus: Corpus,
  options: RisingOptions
): Array<RisingTopic> => {
  const current: Array<number> = []
  const previous: Array<number> = []
  for (let i = 0; i < documents.length; i++) {
    if (inRange(documents[i], options.current[0], options.current[1])) current.push(i)
    else if (inRange(documents[i], options.previous[0], options.previous[1])) previous.push(i)
  }
  if (current.length === 0) return []
  const now = documentFrequency(corpus, current)
  const before = documentFrequency(corpus, previous)
  const nNow = current.length
  const nBefore = Math.max(previous.length, 1)
  const s = options.smoothing
  const out: Array<RisingTopic> = []
  for (let id = 0; id < corpus.terms.length; id++) {
    const count = now[id]
    if (count < options.minCount) continue
    const prior = before[id]
    const growth = (count + s) / nNow / ((prior + s) / nBefore)
    if (growth >= options.minGrowth) out.push({ term: corpus.terms[id], current: count, previous: prior, growth })
  }
  out.sort((a, b) => b.growth - a.growth || b.current - a.current || (a.term < b.term ? -1 : 1))
  return out.slice(0, options.top)
}
