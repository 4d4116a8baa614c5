import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Schema } from "effect"
import * as Taxonomy from "../src/Taxonomy.js"

const T = Taxonomy.defaultTaxonomy

describe("Taxonomy", () => {
  it("the default taxonomy has the shared stable codes: 4 areas, 17 categories, 4 kinds, 7 channels", () => {
    assert.isTrue(Either.isRight(Taxonomy.validate(T)))
    assert.deepStrictEqual(
      T.categories.filter((c) => c.code.length === 2).map((c) => `${c.code} ${c.name}`),
      ["SM 社会民生", "GL 社会管理", "CX 社会创新", "GF 公共服务"]
    )
    assert.deepStrictEqual(
      Taxonomy.leafCategories(T).map((c) => c.code),
      [
        "SM01",
        "SM02",
        "SM03",
        "SM04",
        "SM05",
        "GL01",
        "GL02",
        "GL03",
        "GL04",
        "GL05",
        "CX01",
        "CX02",
        "CX03",
        "GF01",
        "GF02",
        "GF03",
        "GF04"
      ]
    )
    assert.deepStrictEqual(
      T.kinds.map((k) => `${k.code} ${k.name}`),
      ["enquiry 咨询", "complaint 投诉", "suggestion 建议", "help 求助"]
    )
    assert.deepStrictEqual(
      T.channels.map((c) => c.code),
      ["volunteer-visit", "hotline", "web", "mini-program", "meeting", "deputy", "open311"]
    )
    assert.strictEqual(Taxonomy.categoryLabel(T, "GF02"), "公共服务 / 公共设施")
    assert.strictEqual(Taxonomy.categoryLabel(T, "XX01"), "XX01")
    assert.deepStrictEqual(
      Taxonomy.subcategories(T, "CX").map((c) => c.name),
      ["社区治理创新", "志愿服务", "社会组织"]
    )
    assert.isTrue(Taxonomy.isLeaf(T, "SM05"))
    assert.isFalse(Taxonomy.isLeaf(T, "SM"))
    assert.strictEqual(Taxonomy.kindLabel(T, "help"), "求助")
    assert.strictEqual(Taxonomy.channelLabel(T, "volunteer-visit"), "民情走访")
    assert.strictEqual(Taxonomy.urgencyLabel("emergency"), "特急")
  })

  it.effect("a taxonomy decodes from JSON and round-trips through its encoding", () =>
    Effect.gen(function* () {
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(Taxonomy.Taxonomy)(T)))
      const decoded = yield* Taxonomy.decode(json)
      assert.deepStrictEqual(decoded, T)
    })
  )

  it.effect("decoding reports every problem: bad codes, duplicates, missing parents, empty lists", () =>
    Effect.gen(function* () {
      const malformed = yield* Effect.flip(
        Taxonomy.decode({
          source: "x",
          asOf: "2026",
          categories: [{ code: "sm01", name: "" }],
          kinds: [{ code: "Enquiry", name: "咨询" }],
          channels: []
        })
      )
      assert.strictEqual(malformed._tag, "InvalidTaxonomy")
      assert.include(malformed.message, "分类编码应为两位大写字母")
      assert.include(malformed.message, "诉求类型编码应为小写英文单词")
      const inconsistent = yield* Effect.flip(
        Taxonomy.decode({
          source: "x",
          asOf: "2026",
          categories: [
            { code: "SM", name: "社会民生" },
            { code: "SM", name: "社会民生" },
            { code: "ZZ01", name: "孤儿" }
          ],
          kinds: [
            { code: "enquiry", name: "咨询" },
            { code: "enquiry", name: "咨询" }
          ],
          channels: []
        })
      )
      assert.deepStrictEqual(inconsistent.problems, [
        "分类编码 SM 重复",
        "分类 ZZ01（孤儿）的上级分类 ZZ 不存在",
        "诉求类型编码 enquiry 重复",
        "至少需要一个受理渠道"
      ])
    })
  )

  it.effect("a district extends the taxonomy with new codes; existing codes never change meaning", () =>
    Effect.gen(function* () {
      const extended = yield* Taxonomy.extend(T, {
        source: "坪山区民情分类（区级扩展）",
        categories: [
          { code: "GF0201", name: "电梯加装", keywords: ["加装电梯"] },
          { code: "GF02", name: "公共设施" }
        ],
        channels: [{ code: "wecom", name: "企业微信" }]
      })
      assert.strictEqual(extended.source, "坪山区民情分类（区级扩展）")
      assert.strictEqual(Taxonomy.categoryLabel(extended, "GF0201"), "公共服务 / 公共设施 / 电梯加装")
      assert.isFalse(Taxonomy.isLeaf(extended, "GF02"))
      assert.strictEqual(extended.categories.length, T.categories.length + 1)
      assert.strictEqual(Taxonomy.channelLabel(extended, "wecom"), "企业微信")
      const renamed = yield* Effect.flip(Taxonomy.extend(T, { kinds: [{ code: "help", name: "帮扶" }] }))
      assert.include(renamed.message, "诉求类型编码 help 已表示「求助」，不能改为「帮扶」")
      const orphan = yield* Effect.flip(Taxonomy.extend(T, { categories: [{ code: "ZZ0101", name: "无主" }] }))
      assert.include(orphan.message, "上级分类 ZZ01 不存在")
    })
  )

  it.effect.prop(
    "extending never removes or renames a code of the base taxonomy",
    [
      fc.array(
        fc.record({
          parent: fc.constantFrom(...Taxonomy.leafCategories(T).map((c) => c.code)),
          suffix: fc.integer({ min: 1, max: 99 }),
          name: fc.constantFrom("电梯加装", "老旧小区改造", "充电桩", "社区食堂")
        }),
        { maxLength: 8 }
      )
    ],
    ([additions]) =>
      Effect.gen(function* () {
        const categories = additions.map((a) => ({
          code: `${a.parent}${String(a.suffix).padStart(2, "0")}`,
          name: a.name
        }))
        const result = yield* Effect.either(Taxonomy.extend(T, { categories }))
        // the same new code twice with different names is refused; otherwise the extension succeeds
        const names = new Map<string, Set<string>>()
        for (const c of categories) names.set(c.code, (names.get(c.code) ?? new Set()).add(c.name))
        const conflicting = [...names.values()].some((set) => set.size > 1)
        assert.strictEqual(Either.isLeft(result), conflicting)
        if (Either.isRight(result)) {
          for (const base of T.categories) {
            assert.strictEqual(Taxonomy.findCategory(result.right, base.code)?.name, base.name)
          }
          assert.strictEqual(result.right.categories.length, T.categories.length + names.size)
        }
      }),
    { fastCheck: { numRuns: 50 } }
  )
})
