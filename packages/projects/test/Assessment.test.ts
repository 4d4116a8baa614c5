import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as Assessment from "../src/Assessment.js"
import * as Ranking from "../src/Ranking.js"

const scheme = Schema.decodeUnknownSync(Assessment.Scheme)({
  year: 2017,
  indicators: {
    id: "shijijiaohe-2017",
    name: "社会建设实绩考核指标",
    criteria: [
      { id: "grassroots", name: "基层治理", weight: 2, min: 0, max: 20 },
      { id: "services", name: "公共服务", weight: 1, min: 0, max: 30 },
      { id: "innovation", name: "创新项目", weight: 1, min: 0, max: 30 }
    ]
  },
  strategy: { _tag: "Weighted", weights: { lead: 2 } },
  units: [
    { id: "440310001", name: "坪山街道" },
    { id: "440310002", name: "马峦街道" }
  ]
})

describe("Assessment.rank", () => {
  it.effect("ranks units with the defence machinery: weights by assessor, conflicts excluded and explained", () =>
    Effect.gen(function* () {
      const ranking = yield* Assessment.rank(
        scheme,
        [
          { unitId: "440310001", assessorId: "lead", scores: { grassroots: 18, services: 25, innovation: 20 } },
          { unitId: "440310001", assessorId: "a2", scores: { grassroots: 10, services: 20, innovation: 20 } },
          { unitId: "440310002", assessorId: "lead", scores: { grassroots: 15, services: 28, innovation: 28 } },
          { unitId: "440310002", assessorId: "a2", scores: { grassroots: 20, services: 30, innovation: 30 } }
        ],
        [{ unitId: "440310002", assessorId: "a2", reason: "本单位" }]
      )
      // 坪山: (2×81 + 1×60) / 3 = 74; 马峦: only lead counts, 86
      assert.deepStrictEqual(
        ranking.entries.map((e) => [e.label, e.score]),
        [
          ["马峦街道", 86],
          ["坪山街道", 74]
        ]
      )
      assert.strictEqual(ranking.entries[0]!.excluded[0]!.detail, "本单位")
      assert.include(ranking.entries[1]!.explanation.join("\n"), "权重 2")
      // the same numbers as the defence's aggregate on the same sheets
      const direct = Ranking.aggregate(scheme.indicators, scheme.strategy, [
        { judgeId: "lead", scores: { grassroots: 18, services: 25, innovation: 20 } },
        { judgeId: "a2", scores: { grassroots: 10, services: 20, innovation: 20 } }
      ])
      assert.strictEqual(direct.score, 74)
    })
  )

  it.effect("an indicator score outside its range fails", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Assessment.rank(scheme, [
          { unitId: "440310001", assessorId: "a", scores: { grassroots: 21, services: 1, innovation: 1 } }
        ])
      )
      assert.strictEqual(error._tag, "ScoreOutOfRange")
      assert.include(error.message, "基层治理")
    })
  )
})
