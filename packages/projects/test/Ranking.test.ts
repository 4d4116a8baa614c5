import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, FastCheck as fc } from "effect"
import * as Ranking from "../src/Ranking.js"
import * as Rubric from "../src/Rubric.js"

const rubric = Effect.runSync(
  Rubric.decode({
    id: "defence-2017",
    name: "创新项目遴选评分细则",
    criteria: [
      { id: "innovation", name: "创新性", weight: 1, min: 0, max: 30 },
      { id: "feasibility", name: "可行性", weight: 1, min: 0, max: 30 },
      { id: "impact", name: "社会效益", weight: 1, min: 0, max: 40 }
    ]
  })
)

const sheetArb = fc.record({
  innovation: fc.integer({ min: 0, max: 30 }),
  feasibility: fc.integer({ min: 0, max: 30 }),
  impact: fc.integer({ min: 0, max: 40 })
})

const judgesArb = (min: number, max: number) =>
  fc
    .array(sheetArb, { minLength: min, maxLength: max })
    .map((scores) => scores.map((s, i) => ({ judgeId: `J${String(i + 1).padStart(2, "0")}`, scores: s })))

describe("Rubric", () => {
  it.effect("refuses duplicate criteria, empty ranges and unknown tie-break criteria", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Rubric.decode({
          id: "r",
          name: "x",
          criteria: [
            { id: "a", name: "A", weight: 1, min: 5, max: 5 },
            { id: "a", name: "B", weight: 1, min: 0, max: 10 }
          ],
          tieBreak: ["z"]
        })
      )
      assert.strictEqual(error._tag, "InvalidInput")
      assert.strictEqual(error.problems.length, 3)
      assert.include(error.message, "重复")
    })
  )

  it.effect("a score outside its range fails with ScoreOutOfRange naming the criterion", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Rubric.checkScores(rubric, { innovation: 31, feasibility: 1, impact: 1 }))
      assert.strictEqual(error._tag, "ScoreOutOfRange")
      assert.include(error.message, "创新性")
      assert.include(error.message, "0–30")
      const missing = yield* Effect.flip(Rubric.checkScores(rubric, { innovation: 3, feasibility: 1 }))
      assert.strictEqual(missing._tag, "ScoreOutOfRange")
      assert.include(missing.message, "未打分")
      yield* Rubric.checkScores(rubric, { innovation: 30, feasibility: 0, impact: 40 })
    })
  )

  it("tie-break order defaults to descending weight, then listed order", () => {
    const r = Effect.runSync(
      Rubric.decode({
        id: "r",
        name: "x",
        criteria: [
          { id: "a", name: "A", weight: 1, min: 0, max: 10 },
          { id: "b", name: "B", weight: 3, min: 0, max: 10 },
          { id: "c", name: "C", weight: 1, min: 0, max: 10 }
        ]
      })
    )
    assert.deepStrictEqual(Rubric.tieBreakOrder(r), ["b", "a", "c"])
    assert.strictEqual(Rubric.total(r, { a: 1, b: 2, c: 3 }), 10)
  })
})

describe("Ranking.aggregate", () => {
  it("is invariant under the order of judges (every strategy)", () => {
    fc.assert(
      fc.property(
        judgesArb(1, 9).chain((sheets) =>
          fc.tuple(fc.constant(sheets), fc.shuffledSubarray(sheets, { minLength: sheets.length }))
        ),
        fc.constantFrom(Ranking.mean, Ranking.trimmedMean(), Ranking.weighted({ J01: 2, J03: 0.5 })),
        ([sheets, shuffled], strategy) => {
          const a = Ranking.aggregate(rubric, strategy, sheets)
          const b = Ranking.aggregate(rubric, strategy, shuffled)
          assert.strictEqual(a.score, b.score)
          assert.deepStrictEqual(a.dropped, b.dropped)
          assert.deepStrictEqual(a.criterionMeans, b.criterionMeans)
        }
      )
    )
  })

  it("trimmed mean drops exactly one highest and one lowest from five judges on, and is the mean below", () => {
    fc.assert(
      fc.property(judgesArb(1, 12), (sheets) => {
        const totals = sheets.map((s) => Rubric.total(rubric, s.scores)).sort((x, y) => x - y)
        const result = Ranking.aggregate(rubric, Ranking.trimmedMean(), sheets)
        if (sheets.length >= 5) {
          assert.strictEqual(result.dropped.length, 2)
          assert.strictEqual(result.counted.length, sheets.length - 2)
          const high = result.dropped.find((d) => d.reason === "highest")!
          const low = result.dropped.find((d) => d.reason === "lowest")!
          assert.strictEqual(high.total, totals[totals.length - 1])
          assert.strictEqual(low.total, totals[0])
          const kept = totals.slice(1, -1)
          assert.closeTo(result.score!, kept.reduce((x, y) => x + y, 0) / kept.length, 1e-9)
        } else {
          assert.strictEqual(result.dropped.length, 0)
          assert.closeTo(result.score!, totals.reduce((x, y) => x + y, 0) / totals.length, 1e-9)
        }
      })
    )
  })

  it("the score lies between the lowest and the highest counted total; weighted follows the weights", () => {
    fc.assert(
      fc.property(judgesArb(1, 9), fc.double({ min: 0.1, max: 10, noNaN: true }), (sheets, w) => {
        const strategy = Ranking.weighted({ J01: w })
        const result = Ranking.aggregate(rubric, strategy, sheets)
        const totals = result.counted.map((s) => s.total)
        assert.isTrue(result.score! >= Math.min(...totals) - 1e-9 && result.score! <= Math.max(...totals) + 1e-9)
        const expected =
          sheets.reduce((sum, s) => sum + (s.judgeId === "J01" ? w : 1) * Rubric.total(rubric, s.scores), 0) /
          (sheets.length - 1 + w)
        assert.closeTo(result.score!, expected, 1e-6)
      })
    )
  })

  it("a conflicted judge's sheet is excluded and reported", () => {
    const sheets = [
      { judgeId: "J1", scores: { innovation: 10, feasibility: 10, impact: 10 } },
      { judgeId: "J2", scores: { innovation: 30, feasibility: 30, impact: 40 } }
    ]
    const result = Ranking.aggregate(rubric, Ranking.mean, sheets, [{ judgeId: "J2", reason: "曾任申报单位理事" }])
    assert.strictEqual(result.score, 30)
    assert.deepStrictEqual(result.excluded, [
      { judgeId: "J2", total: null, reason: "conflict", detail: "曾任申报单位理事" }
    ])
  })
})

describe("Ranking.rank", () => {
  const sheet = (subjectId: string, judgeId: string, innovation: number, feasibility: number, impact: number) => ({
    subjectId,
    judgeId,
    scores: { innovation, feasibility, impact }
  })

  it.effect("orders by score, breaks ties by criterion, then submission time, then id, and explains each", () =>
    Effect.gen(function* () {
      const ranking = yield* Ranking.rank({
        rubric,
        strategy: Ranking.mean,
        subjects: [
          { id: "A", label: "甲", submittedAt: "2017-03-01T02:00:00Z" },
          { id: "B", label: "乙", submittedAt: "2017-03-01T01:00:00Z" },
          { id: "C", label: "丙" },
          { id: "D", label: "丁" },
          { id: "E", label: "戊" }
        ],
        sheets: [
          sheet("A", "J1", 20, 20, 20),
          sheet("B", "J1", 20, 20, 20),
          sheet("C", "J1", 25, 15, 20),
          sheet("D", "J1", 30, 30, 30)
        ]
      })
      assert.deepStrictEqual(
        ranking.entries.map((e) => e.subjectId),
        ["D", "C", "B", "A", "E"]
      )
      assert.deepStrictEqual(
        ranking.entries.map((e) => e.rank),
        [1, 2, 3, 4, 5]
      )
      assert.strictEqual(ranking.entries[1]!.tieBrokenBy, undefined)
      assert.include(ranking.entries[2]!.tieBrokenBy!, "创新性")
      assert.include(ranking.entries[3]!.tieBrokenBy!, "提交时间")
      assert.strictEqual(ranking.entries[4]!.score, null)
      assert.include(ranking.entries[0]!.explanation.join("\n"), "评审 J1：总分 90")
      assert.include(ranking.entries[4]!.explanation.join("\n"), "无有效评分")
    })
  )

  it.effect("rank order does not depend on the order of subjects or sheets", () =>
    Effect.gen(function* () {
      const subjects = ["S1", "S2", "S3", "S4", "S5", "S6"].map((id) => ({ id }))
      yield* Effect.sync(() =>
        fc.assert(
          fc.property(
            fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 6 }), sheetArb), {
              maxLength: 40
            }),
            fc.integer(),
            (raw, seed) => {
              const seen = new Set<string>()
              const sheets = raw
                .map(([s, j, scores]) => ({ subjectId: `S${s + 1}`, judgeId: `J${j}`, scores }))
                .filter((s) => !seen.has(`${s.subjectId}/${s.judgeId}`) && seen.add(`${s.subjectId}/${s.judgeId}`))
              const shuffle = <A>(xs: ReadonlyArray<A>) =>
                xs
                  .map((x, i) => ({ x, k: Math.imul(i + 1, seed | 1) >>> 0 }))
                  .sort((a, b) => a.k - b.k)
                  .map(({ x }) => x)
              const run = (s: typeof subjects, sh: typeof sheets) =>
                Effect.runSync(Ranking.rank({ rubric, strategy: Ranking.trimmedMean(), subjects: s, sheets: sh }))
              const a = run(subjects, sheets)
              const b = run(shuffle(subjects), shuffle(sheets))
              assert.deepStrictEqual(
                a.entries.map((e) => [e.subjectId, e.score]),
                b.entries.map((e) => [e.subjectId, e.score])
              )
            }
          )
        )
      )
    })
  )

  it.effect("refuses a second sheet of one judge on one subject and sheets on unknown subjects", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Ranking.rank({
          rubric,
          strategy: Ranking.mean,
          subjects: [{ id: "A" }],
          sheets: [sheet("A", "J1", 1, 1, 1), sheet("A", "J1", 2, 2, 2), sheet("X", "J1", 1, 1, 1)]
        })
      )
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(
        Ranking.rank({ rubric, strategy: Ranking.mean, subjects: [{ id: "A" }], sheets: [sheet("X", "J1", 1, 1, 1)] })
      )
      assert.include(error.message, "未知的评分对象")
    })
  )

  it("top takes the quota from the scored entries", () => {
    const ranking = Effect.runSync(
      Ranking.rank({
        rubric,
        strategy: Ranking.mean,
        subjects: [{ id: "A" }, { id: "B" }, { id: "C" }],
        sheets: [sheet("A", "J1", 1, 1, 1), sheet("B", "J1", 2, 2, 2)]
      })
    )
    assert.deepStrictEqual(
      Ranking.top(ranking, 5).map((e) => e.subjectId),
      ["B", "A"]
    )
    assert.deepStrictEqual(
      Ranking.top(ranking, 1).map((e) => e.subjectId),
      ["B"]
    )
  })
})
