import { assert, describe, it } from "@effect/vitest"
import * as Region from "@gongzhi/core/Region"
import { Effect } from "effect"
import * as Generator from "../src/Generator.js"
import * as Segmenter from "../src/Segmenter.js"
import { pingshan } from "./segmenterFixture.js"

/**
 * A hand segmentation of 32 sentences in the style of residents' reports, written for this test
 * (not from the generator's templates). Conventions: place names of the district dictionary whole
 * (沙坣社区, 坪山河, 坪山中心公园), otherwise the words of a general dictionary; numerals and
 * measure words apart (一/段, 几/个). Punctuation is in the text but not scored.
 */
const gold: ReadonlyArray<ReadonlyArray<string>> = `沙坣社区/的/菜市场/门口/污水/横流/，/气味/难闻/。
坪山河/边/的/步道/有/一/段/塌陷/了/，/晚上/散步/很/危险/。
马峦山/上/有/游客/乱/扔/垃圾/，/希望/多/设/几/个/垃圾桶/。
新和社区/的/老旧/小区/没有/电梯/，/老人/上下楼/很/困难/。
龙田街道/附近/的/红绿灯/坏/了/，/交通/很/混乱/。
坑梓/的/公交/站台/太/小/，/等车/的/人/都/站/到/马路/上/了/。
石井/有/一/家/工厂/排放/黑烟/，/附近/居民/不敢/开窗/。
楼上/邻居/半夜/拖/椅子/，/噪音/让/人/无法/入睡/。
我/想/咨询/一下/新生儿/医保/怎么/办理/。
小区/物业/乱/收费/，/业主/多次/投诉/没有/回应/。
燕子湖/周边/的/停车场/收费/太/贵/了/。
学校/周边/有/小卖部/向/学生/卖/烟/。
碧岭/的/山/上/有人/烧/纸/，/容易/引发/火灾/。
社区/医院/的/医生/态度/很/差/，/看病/要/等/很/久/。
希望/在/坪山中心公园/增加/一些/公共/厕所/。
出租屋/里/住/了/十几/个/人/，/存在/消防/隐患/。
共享/单车/乱/停/乱/放/，/堵塞/了/盲道/。
老人/想/办理/高龄/津贴/，/不/知道/需要/哪些/材料/。
汤坑社区/的/路面/坑坑洼洼/，/电动车/经常/摔倒/。
工地/的/泥头车/把/路/弄/得/很/脏/。
沙湖社区/的/篮球场/灯光/太/暗/，/晚上/没法/打球/。
家/门口/的/下水道/堵/了/，/污水/流/到/屋/里/。
坪山站/出口/的/出租车/拒载/，/还/乱/要价/。
金沙社区/有/流浪狗/咬/人/，/请/尽快/处理/。
孩子/的/学位/申请/被/退回/，/不/知道/什么/原因/。
社保卡/丢/了/，/想/问/在/哪里/补办/。
田心社区/的/文化/广场/晚上/很/吵/。
外卖/电动车/在/人行道/上/逆行/，/差点/撞/到/小孩/。
竹坑社区/的/自来水/有/异味/，/不敢/直接/饮用/。
坑梓街道/的/老/街/改造/后/停车/更/难/了/。
聚龙山/的/登山/步道/缺少/指示牌/，/容易/迷路/。
希望/政府/多/组织/一些/针对/老年人/的/培训/。`
  .split("\n")
  .map((line) => line.split("/"))

const NOISE = /^[\s\p{P}\p{S}\p{N}]+$/u

/** Character spans `start:end` of tokens found in order in `text`. */
const spans = (text: string, tokens: ReadonlyArray<string>): Set<string> => {
  const out = new Set<string>()
  let position = 0
  for (const token of tokens) {
    const index = text.indexOf(token, position)
    assert.isAtLeast(index, 0, `token ${token} in ${text}`)
    out.add(`${index}:${index + token.length}`)
    position = index + token.length
  }
  return out
}

/** Word-level precision, recall and F1 against the hand segmentation. */
const agreement = (segmenter: Segmenter.Segmenter) => {
  let match = 0
  let predicted = 0
  let expected = 0
  for (const words of gold) {
    const text = words.join("")
    const want = spans(
      text,
      words.filter((w) => !NOISE.test(w))
    )
    const got = spans(text, segmenter.segment(text))
    for (const span of got) if (want.has(span)) match++
    predicted += got.size
    expected += want.size
  }
  const precision = match / predicted
  const recall = match / expected
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) }
}

/** Leftmost-longest occurrences of dictionary words in a text. */
const occurrences = (text: string): Array<readonly [number, number]> => {
  const out: Array<readonly [number, number]> = []
  let i = 0
  while (i < text.length) {
    let best = 0
    for (const word of Segmenter.pingshanDictionary)
      if (word.length > best && text.startsWith(word, i)) best = word.length
    if (best > 0) {
      out.push([i, i + best])
      i += best
    } else i++
  }
  return out
}

/** On generated reports: share of dictionary words that come out whole, share of 1-character tokens. */
const quality = (segmenter: Segmenter.Segmenter, texts: ReadonlyArray<string>) => {
  let places = 0
  let whole = 0
  let tokens = 0
  let single = 0
  for (const text of texts) {
    const words = segmenter.segment(text)
    const got = spans(text, words)
    for (const [start, end] of occurrences(text)) {
      places++
      if (got.has(`${start}:${end}`)) whole++
    }
    tokens += words.length
    single += words.filter((w) => w.length === 1).length
  }
  return { places, whole: whole / places, single: single / tokens }
}

const sentences = Generator.generate({
  places: Generator.pingshanPlaces,
  seed: 2025,
  count: 200,
  from: new Date("2025-03-01T00:00:00+08:00"),
  to: new Date("2025-04-01T00:00:00+08:00"),
  communities: Generator.pingshanCommunities,
  duplicateRate: 0
}).pipe(Effect.map((reports) => reports.map((r) => r.content)))

describe("Segmenter", () => {
  it.effect("both engines keep district words whole, drop punctuation, numbers and stop words", () =>
    Effect.gen(function* () {
      const text = "您好，沙坣社区坪山河边的路灯坏了3天，马峦山绿道入口垃圾堆积！希望尽快处理。"
      const jieba = yield* Segmenter.jieba(pingshan)
      const intl = Segmenter.intl(pingshan)
      for (const segmenter of [jieba, intl]) {
        const words = segmenter.segment(text)
        for (const place of ["沙坣社区", "坪山河", "马峦山"]) assert.include(words, place, segmenter.name)
        for (const dropped of ["您好", "的", "3", "，", "！", "希望", "尽快", "处理"]) {
          assert.notInclude(words, dropped, `${segmenter.name}: ${dropped}`)
        }
        assert.include(words, "路灯")
        assert.include(words, "垃圾")
      }
      // 绿道 is not in jieba's dictionary (and HMM is off): it comes out as two characters
      assert.deepStrictEqual(jieba.segment(text), [
        "沙坣社区",
        "坪山河",
        "边",
        "路灯",
        "坏",
        "天",
        "马峦山",
        "绿",
        "道",
        "入口",
        "垃圾",
        "堆积"
      ])
      // stopWords: false keeps function words, never punctuation or numbers
      const all = Segmenter.intl({ ...pingshan, stopWords: false }).segment(text)
      assert.include(all, "的")
      assert.notInclude(all, "3")
      assert.notInclude(all, "，")
    })
  )

  it.effect("another district passes its own dictionary", () =>
    Effect.gen(function* () {
      const text = "龙华区观澜街道桂花社区的路灯不亮"
      const words = ["观澜街道", "桂花社区"]
      for (const segmenter of [yield* Segmenter.jieba({ dictionary: words }), Segmenter.intl({ dictionary: words })]) {
        const got = segmenter.segment(text)
        assert.include(got, "观澜街道", segmenter.name)
        assert.include(got, "桂花社区", segmenter.name)
      }
      assert.notInclude(Segmenter.intl({ dictionary: [] }).segment("沙坣社区的路灯"), "沙坣社区")
    })
  )

  it.effect("defaults are neutral; a region tree gives any district its place names and backdrop", () =>
    Effect.gen(function* () {
      // no default dictionary: a Pingshan community is not kept whole, 坪山 is not a stop word
      const neutral = Segmenter.intl().segment("坪山沙坣社区的路灯坏了")
      assert.notInclude(neutral, "沙坣社区")
      assert.notInclude(neutral, "社区") // a neutral stop word
      assert.notInclude(Segmenter.defaultStopWords, "坪山")
      assert.notInclude(Segmenter.defaultStopWords, "深圳")
      const tree = yield* Region.fromCsv(
        [
          "code,name,parentCode",
          "440117,从化区,",
          "440117101,温泉镇,440117",
          "440117101201,石坑村委会,440117101",
          "440117001,街口街道,440117",
          "440117001001,新村社区居委会,440117001"
        ].join("\n"),
        { asOf: "2024" }
      )
      const dictionary = Segmenter.regionDictionary(tree)
      for (const word of ["温泉镇", "温泉", "石坑村", "石坑", "新村社区", "街口街道", "街口", "从化区", "从化"]) {
        assert.include(dictionary, word)
      }
      assert.deepStrictEqual(Segmenter.regionStopWords(tree), ["从化区", "从化"])
      const text = "从化区温泉镇石坑村的路灯坏了，街口街道新村社区也是"
      for (const segmenter of [yield* Segmenter.jieba({ regions: tree }), Segmenter.intl({ regions: tree })]) {
        const words = segmenter.segment(text)
        for (const place of ["温泉镇", "石坑村", "街口街道", "新村社区"]) assert.include(words, place, segmenter.name)
        assert.notInclude(words, "从化区", segmenter.name)
        assert.include(words, "路灯", segmenter.name)
      }
    })
  )

  it.effect("make() is jieba on this platform", () =>
    Effect.gen(function* () {
      const segmenter = yield* Segmenter.make()
      assert.strictEqual(segmenter.name, "jieba")
    })
  )

  it.effect("quality: dictionary words whole, single characters, agreement with the hand segmentation", () =>
    Effect.gen(function* () {
      const texts = yield* sentences
      const engines: ReadonlyArray<Segmenter.Segmenter> = [
        yield* Segmenter.jieba({ ...pingshan, stopWords: false }),
        yield* Segmenter.jieba({ ...pingshan, stopWords: false, hmm: true }),
        Segmenter.intl({ ...pingshan, stopWords: false }),
        Segmenter.intl({ stopWords: false, dictionary: [] }),
        yield* Segmenter.jieba({ stopWords: false, dictionary: [] })
      ]
      const labels = ["jieba", "jieba (HMM)", "intl", "intl, no dictionary", "jieba, no dictionary"]
      const rows = engines.map((engine, i) => ({ label: labels[i], ...quality(engine, texts), ...agreement(engine) }))
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`
      console.log(
        [
          "| engine | district words whole | 1-char tokens | precision | recall | F1 |",
          "| --- | --- | --- | --- | --- | --- |",
          ...rows.map(
            (r) =>
              `| ${[
                r.label,
                `${pct(r.whole)} of ${r.places}`,
                pct(r.single),
                r.precision.toFixed(3),
                r.recall.toFixed(3),
                r.f1.toFixed(3)
              ].join(" | ")} |`
          )
        ].join("\n")
      )
      const [jieba, , intl, intlBare, jiebaBare] = rows
      assert.isAtLeast(jieba.places, 100)
      // the dictionary is what keeps place names whole
      assert.strictEqual(jieba.whole, 1)
      assert.isAtLeast(intl.whole, 0.9)
      assert.isBelow(intlBare.whole, 0.2)
      assert.isBelow(jiebaBare.whole, 0.2)
      // the default is the better engine on the hand segmentation and splits fewer words into characters
      assert.isAtLeast(jieba.f1, 0.85)
      assert.isAtLeast(intl.f1, 0.7)
      assert.isAbove(jieba.f1, intl.f1)
      assert.isBelow(jieba.single, intl.single)
    })
  )
})
