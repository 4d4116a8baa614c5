import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import * as Generator from "../src/Generator.js"
import * as Segmenter from "../src/Segmenter.js"
import * as Topics from "../src/Topics.js"
import { pingshan } from "./segmenterFixture.js"

const cst = (text: string) => new Date(`${text}+08:00`)

const doc = (id: string, text: string, day: string): Topics.TopicDocument => ({
  id,
  text,
  receivedAt: cst(`2025-03-${day}T10:00:00`)
})

/** Ten reports: 电梯 in five, 噪音/噪声 in three, 路灯 in two; one report outside the period. */
const corpus: ReadonlyArray<Topics.TopicDocument> = [
  doc("D1", "和悦花园3栋的电梯又坏了，电梯困人，希望尽快处理。", "02"),
  doc("D2", "翠景苑电梯经常故障，老人上下楼困难。", "03"),
  doc("D3", "您好，小区电梯维修很久了还没修好。", "04"),
  doc("D4", "电梯坏了，物业不管。", "05"),
  doc("D5", "新村的电梯噪音很大。", "06"),
  doc("D6", "楼下烧烤店噪声扰民，到凌晨还很吵。", "07"),
  doc("D7", "工地夜间施工噪音太大，睡不着。", "08"),
  doc("D8", "坪山河边的路灯坏了，晚上很黑。", "09"),
  doc("D9", "沙坣社区路灯坏了一个星期。", "10"),
  doc("D10", "马峦山绿道垃圾很多。", "11"),
  doc("OUT", "电梯电梯电梯电梯，噪音噪音。", "25")
]

const period = { from: cst("2025-03-01T00:00:00"), to: cst("2025-03-20T00:00:00") }

describe("Topics", () => {
  it.effect("hot topics rank frequent terms of the period, with counts and example ids", () =>
    Effect.gen(function* () {
      const segmenter = yield* Segmenter.jieba(pingshan)
      const hot = yield* Topics.hot(corpus, segmenter, { ...period, top: 8, examples: 2 })
      assert.strictEqual(hot[0].term, "电梯")
      assert.strictEqual(hot[0].count, 5)
      // D1 says 电梯 twice in few words, D5 once in two (新村 and 很大 are vague): the first examples weigh most
      assert.deepStrictEqual(hot[0].examples, ["D1", "D5"])
      const noise = hot.find((t) => t.term === "噪音")
      assert.isDefined(noise)
      assert.strictEqual(noise!.count, 3, "噪声 is merged into 噪音")
      assert.isUndefined(hot.find((t) => t.term === "噪声"))
      const terms = hot.map((t) => t.term)
      assert.include(terms, "路灯")
      // stop words and the report outside the period do not count
      for (const stop of ["希望", "处理", "您好", "的", "社区"]) assert.notInclude(terms, stop)
      for (let i = 1; i < hot.length; i++) assert.isTrue(hot[i - 1].count >= hot[i].count)
      // variants can be switched off
      const raw = yield* Topics.hot(corpus, segmenter, { ...period, top: 50, variants: {} })
      assert.strictEqual(raw.find((t) => t.term === "噪音")!.count, 2)
      assert.strictEqual(raw.find((t) => t.term === "噪声")!.count, 1)
    })
  )

  it.effect("idf over a reference period changes scores, not counts", () =>
    Effect.gen(function* () {
      const segmenter = Segmenter.intl(pingshan)
      const own = yield* Topics.hot(corpus, segmenter, { ...period, top: 20 })
      const withReference = yield* Topics.hot(corpus, segmenter, {
        ...period,
        top: 20,
        reference: { from: cst("2025-03-20T00:00:00") }
      })
      const count = (topics: ReadonlyArray<Topics.HotTopic>, term: string) => topics.find((t) => t.term === term)?.count
      assert.strictEqual(count(own, "电梯"), count(withReference, "电梯"))
      // 电梯 is everywhere in the reference (one document, which has it): its idf drops to the minimum 1
      const score = (topics: ReadonlyArray<Topics.HotTopic>, term: string) => topics.find((t) => t.term === term)!.score
      assert.isBelow(
        score(withReference, "电梯") / score(withReference, "路灯"),
        score(own, "电梯") / score(own, "路灯")
      )
    })
  )

  it.effect("rising topics find a surge against the previous period", () =>
    Effect.gen(function* () {
      const from = cst("2025-03-01T00:00:00")
      const middle = cst("2025-04-01T00:00:00")
      const to = cst("2025-05-01T00:00:00")
      const reports = yield* Generator.generate({
        places: Generator.pingshanPlaces,
        seed: 12,
        count: 3000,
        from,
        to,
        communities: Generator.pingshanCommunities,
        surges: [{ template: "mosquito", from: middle, to, factor: 6 }]
      })
      const documents = reports.map((r) => ({ id: r.key, text: r.content, receivedAt: r.receivedAt }))
      const segmenter = yield* Segmenter.jieba({
        ...pingshan,
        dictionary: [...pingshan.dictionary, ...Generator.pingshanPlaces.estates]
      })
      const { hot, rising } = yield* Topics.analyze(documents, segmenter, { current: { from: middle, to }, top: 10 })
      const risingTerms = rising.slice(0, 8).map((r) => r.term)
      assert.include(risingTerms, "积水")
      assert.include(risingTerms, "绿化带")
      for (const r of rising) {
        assert.isAtLeast(r.current, 10)
        assert.isAtLeast(r.growth, 1.5)
      }
      assert.include(
        hot.slice(0, 5).map((h) => h.term),
        "蚊虫"
      )
      // the same through `rising` alone, with the default previous period (as long, just before) made explicit
      const previous = { from: new Date(middle.getTime() - (to.getTime() - middle.getTime())), to: middle }
      const alone = yield* Topics.rising(documents, segmenter, { current: { from: middle, to }, previous })
      assert.deepStrictEqual(alone.slice(0, 10), rising)
      // nothing rises against itself
      const flat = yield* Topics.rising(documents, segmenter, {
        current: { from: middle, to },
        previous: { from: middle, to }
      })
      assert.strictEqual(flat.length, 0)
    })
  )

  it.effect("rejects invalid input with InvalidAnalysisInput", () =>
    Effect.gen(function* () {
      const segmenter = Segmenter.intl(pingshan)
      const badTop = yield* Effect.flip(Topics.hot(corpus, segmenter, { top: 0 }))
      assert.strictEqual(badTop._tag, "InvalidAnalysisInput")
      assert.strictEqual(badTop.issues[0].path, "top")
      const badPeriod = yield* Effect.flip(
        Topics.rising(corpus, segmenter, { current: { from: period.to, to: period.from } })
      )
      assert.strictEqual(badPeriod.issues[0].path, "current")
      const badDocument = yield* Effect.flip(
        Topics.hot([{ id: "X", text: "电话 13812345678", receivedAt: "yesterday" }], segmenter)
      )
      assert.strictEqual(badDocument.issues[0].path, "[0].receivedAt")
      assert.notInclude(badDocument.message, "13812345678")
      const badSegmenter = yield* Effect.flip(Topics.hot(corpus, {} as Segmenter.Segmenter))
      assert.strictEqual(badSegmenter.where, "分词器")
    })
  )

  it.effect.prop(
    "counts never exceed the period's reports; examples are reports of the period that use the term",
    [
      fc.array(
        fc.record({
          text: fc.array(fc.constantFrom("电梯", "路灯", "噪音", "垃圾", "停车", "积水", "的", "，", "坏了"), {
            maxLength: 12
          }),
          day: fc.integer({ min: 1, max: 28 })
        }),
        { maxLength: 30 }
      )
    ],
    ([raw]) =>
      Effect.gen(function* () {
        const documents = raw.map((r, i) => doc(`P${i}`, r.text.join(""), String(r.day).padStart(2, "0")))
        const segmenter = Segmenter.intl({ dictionary: [] })
        const from = cst("2025-03-05T00:00:00")
        const to = cst("2025-03-20T00:00:00")
        const inPeriod = documents.filter((d) => d.receivedAt >= from && d.receivedAt < to)
        const hot = yield* Topics.hot(documents, segmenter, { from, to, top: 10, examples: 3 })
        for (const topic of hot) {
          assert.isAtMost(topic.count, inPeriod.length)
          assert.isAtMost(topic.examples.length, 3)
          for (const id of topic.examples) {
            const example = inPeriod.find((d) => d.id === id)
            assert.isDefined(example)
            assert.include(segmenter.segment(example!.text), topic.term)
          }
        }
      })
  )

  describe("ranking, examples and vague words (issue 10 item 17)", () => {
    /** Splits on spaces: the words of a generated corpus come out as they were drawn. */
    const spaces: Segmenter.Segmenter = { name: "spaces", segment: (text) => text.split(" ").filter((w) => w !== "") }
    const topical = ["电梯", "路灯", "噪音", "垃圾", "停车", "积水", "绿化带", "井盖", "消防通道", "蚊虫"]
    const vague = ["晚上", "意见", "申请", "问题", "反映", "情况", "现在", "九点", "十多个"]
    const words = fc.constantFrom(...topical, ...vague)
    const corpusOf = (texts: ReadonlyArray<ReadonlyArray<string>>) =>
      texts.map((text, i) => doc(`G${String(i).padStart(3, "0")}`, text.join(" "), "10"))

    it.effect.prop(
      "for any corpus the list is sorted by count (ties: score, then term), vague words never rank",
      [fc.array(fc.array(words, { minLength: 1, maxLength: 15 }), { minLength: 1, maxLength: 60 })],
      ([texts]) =>
        Effect.gen(function* () {
          const hot = yield* Topics.hot(corpusOf(texts), spaces, { top: 20 })
          for (let i = 1; i < hot.length; i++) {
            const [a, b] = [hot[i - 1], hot[i]]
            assert.isTrue(
              a.count > b.count ||
                (a.count === b.count && (a.score > b.score || (a.score === b.score && a.term < b.term))),
              `${a.term} (${a.count}) before ${b.term} (${b.count})`
            )
          }
          for (const topic of hot) assert.notInclude(vague, topic.term)
          // and no term left out has more reports than the last one listed
          const counts = new Map<string, number>()
          for (const text of texts) for (const word of new Set(text)) counts.set(word, (counts.get(word) ?? 0) + 1)
          const listed = new Set(hot.map((t) => t.term))
          const floor = hot.length === 0 ? 0 : hot[hot.length - 1].count
          for (const word of topical) if (!listed.has(word)) assert.isAtMost(counts.get(word) ?? 0, floor, word)
        }),
      { fastCheck: { numRuns: 200 } }
    )

    it.effect.prop(
      "each topic leads with its own example report whenever its reports allow",
      [
        fc.array(fc.array(fc.constantFrom(...topical), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 40 })
      ],
      ([texts]) =>
        Effect.gen(function* () {
          const hot = yield* Topics.hot(corpusOf(texts), spaces, { top: 10, examples: 2 })
          const leads = new Set<string>()
          hot.forEach((topic, rank) => {
            assert.isAtLeast(topic.examples.length, 1)
            // at most `rank` of its reports lead a topic ranked above it
            if (topic.count > rank) assert.isFalse(leads.has(topic.examples[0]), `${topic.term} repeats an example`)
            leads.add(topic.examples[0])
          })
        }),
      { fastCheck: { numRuns: 200 } }
    )

    it.effect("the issue's case: counts in order, distinct examples, 晚上/意见/申请 left out", () =>
      Effect.gen(function* () {
        const reports = yield* Generator.generate({
          places: Generator.pingshanPlaces,
          seed: 77,
          count: 900,
          from: cst("2025-02-01T00:00:00"),
          to: cst("2025-04-01T00:00:00"),
          communities: Generator.pingshanCommunities
        })
        const documents = reports.map((r) => ({ id: r.key, text: r.content, receivedAt: r.receivedAt }))
        const from = cst("2025-03-01T00:00:00")
        const to = cst("2025-04-01T00:00:00")
        for (const segmenter of [
          yield* Segmenter.jieba(pingshan),
          Segmenter.intl(pingshan),
          Segmenter.intl({ dictionary: pingshan.dictionary, stopWords: [] })
        ]) {
          const hot = yield* Topics.hot(documents, segmenter, { from, to, top: 30 })
          const terms = hot.map((t) => t.term)
          for (const word of ["晚上", "意见", "申请", "问题", "反映", "情况", "现在", "凌晨", "九点", "十多个"]) {
            assert.notInclude(terms, word, `${segmenter.name}: ${word}`)
          }
          for (let i = 1; i < hot.length; i++) assert.isAtLeast(hot[i - 1].count, hot[i].count, terms.join(" "))
          assert.strictEqual(new Set(hot.map((t) => t.examples[0])).size, hot.length, `${segmenter.name}: examples`)
        }
      })
    )

    it.effect("a district extends the vague words; an empty list keeps every word", () =>
      Effect.gen(function* () {
        const documents = corpusOf([["电梯", "物业"], ["电梯", "物业"], ["物业", "晚上"], ["电梯"], ["电梯"]])
        const terms = (options: Topics.HotOptions) =>
          Effect.map(Topics.hot(documents, spaces, options), (hot) => hot.map((t) => t.term))
        assert.deepStrictEqual(yield* terms({}), ["电梯", "物业"])
        assert.deepStrictEqual(yield* terms({ vagueWords: [...Topics.defaultVagueWords, "物业"] }), ["电梯"])
        assert.deepStrictEqual(yield* terms({ vagueWords: [] }), ["电梯", "物业", "晚上"])
        assert.include(Topics.defaultVagueWords, "晚上")
      })
    )
  })
})
