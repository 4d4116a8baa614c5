/**
 * The two segmenters: `Intl.Segmenter` (ICU word break) with a longest-match merge over a district
 * dictionary, and jieba (`@node-rs/jieba`, loaded lazily) with the dictionary as user words.
 *
 * @internal
 */
import { createRequire } from "node:module"
import type { Jieba } from "@node-rs/jieba"

export interface Segmenter {
  readonly name: string
  readonly segment: (text: string) => ReadonlyArray<string>
}

/** Tokens made only of whitespace, punctuation, symbols and digits are dropped. */
const NOISE = /^[\s\p{P}\p{S}\p{N}]+$/u

export const keep = (token: string, stopWords: ReadonlySet<string> | undefined): boolean =>
  token.length > 0 && !NOISE.test(token) && (stopWords === undefined || !stopWords.has(token))

// ---- dictionary trie ---------------------------------------------------------------------------

interface TrieNode {
  readonly next: Map<number, TrieNode>
  word: boolean
}

const node = (): TrieNode => ({ next: new Map(), word: false })

export const trie = (words: ReadonlyArray<string>): TrieNode => {
  const root = node()
  for (const word of words) {
    let current = root
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i)
      let child = current.next.get(c)
      if (child === undefined) {
        child = node()
        current.next.set(c, child)
      }
      current = child
    }
    current.word = true
  }
  return root
}

// ---- Intl.Segmenter ----------------------------------------------------------------------------

/**
 * ICU word segments, then a longest-match pass: from each segment start, the longest dictionary
 * word that ends exactly at a later segment end replaces the segments it covers. A dictionary word
 * whose boundary falls inside an ICU segment is not forced (that would split ICU words wrongly).
 */
export const intl = (dictionary: ReadonlyArray<string>, stopWords: ReadonlySet<string> | undefined): Segmenter => {
  const segmenter = new Intl.Segmenter("zh", { granularity: "word" })
  const root = trie(dictionary)
  const merge = dictionary.length > 0
  return {
    name: "intl",
    segment: (text) => {
      const starts: Array<number> = []
      const ends: Array<number> = []
      for (const part of segmenter.segment(text)) {
        starts.push(part.index)
        ends.push(part.index + part.segment.length)
      }
      const out: Array<string> = []
      const n = starts.length
      let i = 0
      while (i < n) {
        let last = i
        if (merge) {
          // walk the trie from this segment's start; remember the last segment end that closes a word
          let current: TrieNode | undefined = root
          let j = i
          for (let p = starts[i]; p < text.length && current !== undefined; p++) {
            current = current.next.get(text.charCodeAt(p))
            if (current === undefined) break
            while (j < n && ends[j] < p + 1) j++
            if (j >= n) break
            if (current.word && ends[j] === p + 1) last = j
          }
        }
        const token = text.slice(starts[i], ends[last])
        if (keep(token, stopWords)) out.push(token)
        i = last + 1
      }
      return out
    }
  }
}

// ---- jieba -------------------------------------------------------------------------------------

/** Frequency given to dictionary words: high enough that a place name comes out whole. */
export const USER_WORD_FREQUENCY = 100_000

interface JiebaModule {
  readonly Jieba: typeof Jieba
}

interface DictModule {
  readonly dict: Uint8Array
}

const require = createRequire(import.meta.url)

/** Loads `@node-rs/jieba` and its dictionary (throws when the native binding is missing). */
export const loadJieba = (dictionary: ReadonlyArray<string>): Jieba => {
  const { Jieba: JiebaClass } = require("@node-rs/jieba") as JiebaModule
  const { dict } = require("@node-rs/jieba/dict.js") as DictModule
  const instance = JiebaClass.withDict(dict)
  if (dictionary.length > 0) {
    const user = dictionary
      .filter((word) => word.trim().length > 0 && !/\s/.test(word))
      .map((word) => `${word} ${USER_WORD_FREQUENCY} ns`)
      .join("\n")
    instance.loadDict(Buffer.from(user, "utf8"))
  }
  return instance
}

export const jieba = (instance: Jieba, hmm: boolean, stopWords: ReadonlySet<string> | undefined): Segmenter => ({
  name: hmm ? "jieba-hmm" : "jieba",
  segment: (text) => {
    const out: Array<string> = []
    for (const token of instance.cut(text, hmm)) if (keep(token, stopWords)) out.push(token)
    return out
  }
})
