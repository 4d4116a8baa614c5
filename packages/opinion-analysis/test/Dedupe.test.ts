import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Dedupe from "../src/Dedupe.js"
import * as Generator from "../src/Generator.js"

const cst = (text: string) => new Date(`${text}+08:00`)
const DAY = 86_400_000

describe("Dedupe", () => {
  it.effect("finds the generator's near-duplicates among 2,000 reports with high precision and recall", () =>
    Effect.gen(function* () {
      // ~270 reports a day, as in a district of Pingshan's size
      const from = cst("2025-03-01T00:00:00")
      const reports = yield* Generator.generate({
        places: Generator.pingshanPlaces,
        seed: 31,
        count: 2000,
        from,
        to: new Date(from.getTime() + 7.5 * DAY),
        communities: Generator.pingshanCommunities
      })
      const expected = Generator.duplicatePairs(reports)
      const result = yield* Dedupe.find(
        reports.map((r) => ({ id: r.key, text: r.content, receivedAt: r.receivedAt, scope: r.communityCode }))
      )
      const pairs = Dedupe.score(
        result.pairs.map((p) => Dedupe.pairKey(p.a, p.b)),
        expected
      )
      const groups = Dedupe.score(Dedupe.groupPairs(result.groups), expected)
      const pr = (s: { precision: number; recall: number }) =>
        `precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)}`
      console.log(
        `dedupe 2k: ${expected.size} expected pairs; pairs ${pr(pairs)}; groups ${pr(groups)}; ` +
          `${result.candidates} candidates`
      )
      assert.isAtLeast(expected.size, 150)
      assert.isAtLeast(pairs.precision, 0.9)
      assert.isAtLeast(pairs.recall, 0.9)
      assert.isAtLeast(groups.precision, 0.88)
      assert.isAtLeast(groups.recall, 0.9)
      // candidates stay proportional to the items, far from all pairs
      assert.isBelow(result.candidates, 4 * reports.length)
      for (const pair of result.pairs) assert.isTrue(pair.similarity >= 0.6 && pair.similarity <= 1)
    })
  )

  it.effect("pairs identical and lightly edited texts, not unrelated ones; groups are transitive", () =>
    Effect.gen(function* () {
      const result = yield* Dedupe.find([
        {
          id: "A",
          text: "和悦花园3栋电梯经常出故障，这个月已经停了4次，老人只能爬楼梯。",
          receivedAt: cst("2025-03-01T09:00:00")
        },
        {
          id: "B",
          text: "和悦花园3栋电梯经常出故障，这个月已经停了4次，老人只能爬楼梯。",
          receivedAt: cst("2025-03-02T09:00:00")
        },
        {
          id: "C",
          text: "和悦花园3栋电梯经常出故障啊，这个月已经停了5次，老人只能爬楼梯！",
          receivedAt: cst("2025-03-03T09:00:00")
        },
        { id: "D", text: "坪山河边步道有垃圾，气味难闻，希望尽快清理。", receivedAt: cst("2025-03-02T10:00:00") },
        { id: "E", text: "龙田街道政务服务大厅排队时间太长。", receivedAt: cst("2025-03-02T11:00:00") }
      ])
      const keys = result.pairs.map((p) => `${p.a}-${p.b}`)
      assert.include(keys, "A-B")
      assert.include(keys, "A-C")
      assert.strictEqual(result.pairs.find((p) => p.a === "A" && p.b === "B")!.similarity, 1)
      assert.isFalse(keys.some((k) => k.includes("D") || k.includes("E")))
      assert.deepStrictEqual(result.groups, [{ representative: "A", members: ["A", "B", "C"] }])
    })
  )

  it.effect("respects the time window and the scope", () =>
    Effect.gen(function* () {
      const text = "沙坣社区翠景苑门口每天有大货车违停，堵住了出入口，消防车都进不来。"
      const items = [
        { id: "early", text, receivedAt: cst("2025-03-01T09:00:00"), scope: "440310002004" },
        { id: "late", text, receivedAt: cst("2025-04-15T09:00:00"), scope: "440310002004" },
        { id: "elsewhere", text, receivedAt: cst("2025-03-02T09:00:00"), scope: "440310001005" }
      ]
      const windowed = yield* Dedupe.find(items)
      assert.strictEqual(windowed.pairs.length, 0)
      const always = yield* Dedupe.find(items, { windowDays: Number.POSITIVE_INFINITY })
      assert.deepStrictEqual(
        always.pairs.map((p) => [p.a, p.b]),
        [["early", "late"]]
      )
      const unscoped = yield* Dedupe.find(
        items.map(({ scope: _, ...rest }) => rest),
        { windowDays: 60 }
      )
      assert.deepStrictEqual(
        unscoped.pairs.map((p) => [p.a, p.b]),
        [
          ["early", "elsewhere"],
          ["early", "late"],
          ["elsewhere", "late"]
        ]
      )
      // without dates the window does not apply; input order is kept
      const undated = yield* Dedupe.find([
        { id: "x", text },
        { id: "y", text }
      ])
      assert.deepStrictEqual(undated.groups, [{ representative: "x", members: ["x", "y"] }])
    })
  )

  it.effect("is deterministic and handles empty and tiny texts", () =>
    Effect.gen(function* () {
      const reports = yield* Generator.generate({
        places: Generator.pingshanPlaces,
        seed: 5,
        count: 400,
        from: cst("2025-03-01T00:00:00"),
        to: cst("2025-03-03T00:00:00"),
        communities: Generator.pingshanCommunities
      })
      const items = reports.map((r) => ({ id: r.key, text: r.content, receivedAt: r.receivedAt }))
      assert.deepStrictEqual(yield* Dedupe.find(items), yield* Dedupe.find(items))
      const tiny = yield* Dedupe.find([
        { id: "1", text: "" },
        { id: "2", text: "" },
        { id: "3", text: "灯" },
        { id: "4", text: "灯" },
        { id: "5", text: "，。！" }
      ])
      assert.deepStrictEqual(
        tiny.pairs.map((p) => [p.a, p.b, p.similarity]),
        [["3", "4", 1]]
      )
      assert.deepStrictEqual((yield* Dedupe.find([])).pairs, [])
    })
  )

  it.effect("rejects invalid options and items", () =>
    Effect.gen(function* () {
      const threshold = yield* Effect.flip(Dedupe.find([], { threshold: 2 }))
      assert.strictEqual(threshold._tag, "InvalidAnalysisInput")
      assert.strictEqual(threshold.issues[0].path, "threshold")
      const item = yield* Effect.flip(Dedupe.find([{ id: 1 as unknown as string, text: "x" }]))
      assert.strictEqual(item.issues[0].path, "[0].id")
    })
  )

  it("scores found pairs against expected ones", () => {
    const expected = new Set([Dedupe.pairKey("a", "b"), Dedupe.pairKey("c", "d")])
    const s = Dedupe.score([Dedupe.pairKey("b", "a"), Dedupe.pairKey("a", "c")], expected)
    assert.deepStrictEqual(s, { precision: 0.5, recall: 0.5, truePositives: 1, found: 2 })
    assert.deepStrictEqual(
      [...Dedupe.groupPairs([{ representative: "a", members: ["a", "b", "c"] }])],
      [Dedupe.pairKey("a", "b"), Dedupe.pairKey("a", "c"), Dedupe.pairKey("b", "c")]
    )
  })
})
