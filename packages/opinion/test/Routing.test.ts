import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import * as Routing from "../src/Routing.js"
import * as Taxonomy from "../src/Taxonomy.js"
import { pingshan, routingTable } from "./fixtures/workflow.js"

const route = (category: string, regionCode: string) => Routing.route(routingTable, { category, regionCode }).department

describe("Routing", () => {
  it("the most specific rule wins: the longer category first, then the longer region; else the fallback", () => {
    assert.strictEqual(route("GF01", "440310003001"), "ps-water")
    // a street's own rule for its city-management concerns beats the district's
    assert.strictEqual(route("GL02", "440310001002"), "ps-001-cg")
    assert.strictEqual(route("GL02", "440310002002"), "ps-cg")
    // category beats region: water goes to the water bureau even in 坪山街道
    assert.strictEqual(route("GF01", "440310001002"), "ps-water")
    // the street's general rule for what has no category rule
    assert.strictEqual(route("CX02", "440310001002"), "ps-001")
    assert.strictEqual(route("CX02", "440310004001"), "ps-center")
    const chosen = Routing.route(routingTable, { category: "GL02", regionCode: "440310001002" })
    assert.strictEqual(chosen.rule?.region, "440310001")
    assert.isUndefined(Routing.route(routingTable, { category: "SM05", regionCode: "440310005001" }).rule)
    assert.strictEqual(Routing.departmentName(routingTable, "ps-water"), "坪山区水务局")
  })

  it.prop(
    "the chosen rule matches and no matching rule is more specific",
    [
      fc.constantFrom(...Taxonomy.leafCategories(Taxonomy.defaultTaxonomy).map((c) => c.code)),
      fc.constantFrom("440310001001", "440310001005", "440310002001", "440310006003")
    ],
    ([category, regionCode]) => {
      const chosen = Routing.route(routingTable, { category, regionCode })
      const matching = routingTable.rules.filter((rule) => Routing.matches(rule, { category, regionCode }))
      if (chosen.rule === undefined) return matching.length === 0 && chosen.department === routingTable.fallback
      const key = (rule: Routing.Rule) => [rule.category?.length ?? 0, rule.region?.length ?? 0] as const
      const [c, r] = key(chosen.rule)
      return (
        Routing.matches(chosen.rule, { category, regionCode }) &&
        matching.every((rule) => {
          const [c2, r2] = key(rule)
          return c2 < c || (c2 === c && r2 <= r)
        })
      )
    }
  )

  it.effect("a table is checked against its departments, the taxonomy and the region tree", () =>
    Effect.gen(function* () {
      const regions = yield* pingshan
      const context = { taxonomy: Taxonomy.defaultTaxonomy, regions }
      const table = yield* Routing.decode(
        {
          departments: [{ code: "ps-center", name: "坪山区民情中心" }],
          rules: [{ category: "GF", region: "440310002", department: "ps-center" }],
          fallback: "ps-center"
        },
        context
      )
      assert.strictEqual(table.rules.length, 1)
      const broken = yield* Effect.flip(
        Routing.decode(
          {
            departments: [
              { code: "ps-center", name: "坪山区民情中心" },
              { code: "ps-center", name: "重复" }
            ],
            rules: [
              { department: "ps-center" },
              { category: "ZZ", department: "ps-center" },
              { region: "440310099", department: "ghost" },
              { category: "GF01", department: "ps-center" },
              { category: "GF01", department: "ps-center" }
            ],
            fallback: "nobody"
          },
          context
        )
      )
      assert.deepStrictEqual(broken.problems, [
        "承办单位 ps-center 重复",
        "兜底承办单位 nobody 不在承办单位列表中",
        "第 1 条规则既没有分类也没有区划",
        "第 2 条规则的分类 ZZ 不在诉求分类中",
        "第 3 条规则的承办单位 ghost 不在承办单位列表中",
        "第 3 条规则的区划 440310099 不在区划数据中",
        "第 5 条规则与第 4 条规则的分类和区划相同，无法判断派给哪个单位"
      ])
      const malformed = yield* Effect.flip(Routing.decode({ departments: [], rules: [{ category: "gf" }] }))
      assert.strictEqual(malformed._tag, "InvalidRoutingTable")
      assert.isAbove(malformed.problems.length, 1)
    }).pipe(Effect.orDie)
  )
})
