import * as Segmenter from "../src/Segmenter.js"

/** The Pingshan example's segmenter settings: its dictionary, and its backdrop words as stop words. */
export const pingshan = {
  dictionary: Segmenter.pingshanDictionary,
  stopWords: [...Segmenter.defaultStopWords, ...Segmenter.pingshanStopWords]
} as const
