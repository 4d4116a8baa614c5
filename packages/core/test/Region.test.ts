import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, FastCheck as fc, Option, Schema } from "effect"
import * as internal from "../src/internal/region.js"
import * as Region from "../src/Region.js"

/** A small Pingshan, in the divisions format of examples/pingshan/data. */
const pingshan = {
  source: "NBS 2023 (excerpt)",
  district: { code: "440310", name: "坪山区", cityCode: "4403" },
  streets: [
    { code: "440310001", name: "坪山街道" },
    { code: "440310002", name: "马峦街道" },
    { code: "440310401", name: "深圳坪山综合保税区" }
  ],
  communities: [
    { code: "440310001003", name: "坪山社区居委会", streetCode: "440310001" },
    { code: "440310001005", name: "新和社区居委会", streetCode: "440310001" },
    { code: "440310002004", name: "沙坣社区居委会", streetCode: "440310002" },
    { code: "440310002201", name: "样例村委会", streetCode: "440310002" },
    { code: "440310401498", name: "深圳坪山综合保税区虚拟社区", streetCode: "440310401" }
  ],
  grids: [{ code: "44031000200401", name: "沙坣第一网格", communityCode: "440310002004" }]
}

const load = Region.fromJson(pingshan, { asOf: "2023" })

const codes = (regions: ReadonlyArray<Region.Region>) => regions.map((region): string => region.code)

const problemsOf = <A>(effect: Effect.Effect<A, Region.InvalidRegionTree>) =>
  Effect.flip(effect).pipe(Effect.map((error) => error.problems))

describe("Region", () => {
  describe("classification", () => {
    it("reads level and kind from the code", () => {
      const cases: ReadonlyArray<[string, Region.RegionLevel, Region.RegionKind]> = [
        ["440310", "district", "district"],
        ["440310001", "street", "subdistrict"],
        ["440310099", "street", "subdistrict"],
        ["440310100", "street", "town"],
        ["440310199", "street", "town"],
        ["440310200", "street", "township"],
        ["440310399", "street", "township"],
        ["440310401", "street", "township-like"],
        ["440310599", "street", "township-like"],
        ["440310001001", "community", "residents-committee"],
        ["440310001199", "community", "residents-committee"],
        ["440310001200", "community", "villagers-committee"],
        ["440310001399", "community", "villagers-committee"],
        ["440310401498", "community", "virtual-community"],
        ["4403100010011", "grid", "grid"]
      ]
      for (const [code, level, kind] of cases) {
        assert.deepStrictEqual(Region.levelOf(code), Option.some(level), code)
        assert.deepStrictEqual(Region.kindOf(code), Option.some(kind), code)
      }
      for (const bad of ["44031", "4403100", "440310000", "440310001000", "04031000", "44031a", "4".repeat(25)]) {
        assert.isTrue(Option.isNone(Region.kindOf(bad)), bad)
      }
      assert.strictEqual(Region.kindLabel("township-like"), "类似乡级单位")
    })

    it("RegionCode rejects 000 segments with a Chinese message", () => {
      const result = Schema.decodeUnknownEither(Region.RegionCode)("440310000")
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) assert.include(result.left.message, "乡级代码（第 7–9 位）不能为 000")
    })

    it.prop("generated regions are valid and consistent", [Region.Region], ([region]) => {
      assert.isTrue(Schema.is(Region.Region)(region))
      assert.deepStrictEqual(Region.levelOf(region.code), Option.some(region.level))
      assert.strictEqual(region.parentCode === undefined, region.level === "district")
    })

    it("the Region schema refuses an inconsistent kind or parent", () => {
      const decode = Schema.decodeUnknownEither(Region.Region, { errors: "all" })
      assert.isTrue(
        Either.isRight(
          decode({ code: "440310001", name: "坪山街道", level: "street", kind: "subdistrict", parentCode: "440310" })
        )
      )
      assert.isTrue(
        Either.isLeft(
          decode({ code: "440310401", name: "保税区", level: "street", kind: "subdistrict", parentCode: "440310" })
        )
      )
      assert.isTrue(
        Either.isLeft(
          decode({ code: "440310001", name: "坪山街道", level: "street", kind: "subdistrict", parentCode: "440311" })
        )
      )
      assert.isTrue(
        Either.isLeft(
          decode({ code: "440310001", name: "坪山街道", level: "community", kind: "subdistrict", parentCode: "440310" })
        )
      )
    })
  })

  describe("loading", () => {
    it.effect("loads the divisions format with asOf from the options", () =>
      Effect.gen(function* () {
        const tree = yield* load
        assert.strictEqual(tree.asOf, "2023")
        assert.strictEqual(tree.source, "NBS 2023 (excerpt)")
        assert.strictEqual(tree.root.code, "440310")
        assert.strictEqual(tree.regions.length, 10)
        assert.deepStrictEqual(codes(tree.regions), [...codes(tree.regions)].sort())
        for (const region of tree.regions) assert.isTrue(Schema.is(Region.Region)(region), region.code)
        const zone = Option.getOrThrow(Region.findByCode(tree, "440310401"))
        assert.strictEqual(zone.kind, "township-like")
        assert.strictEqual(Option.getOrThrow(Region.findByCode(tree, "440310401498")).kind, "virtual-community")
        assert.strictEqual(Option.getOrThrow(Region.findByCode(tree, "440310002201")).kind, "villagers-committee")
      })
    )

    it.effect("keeps 沙坣 (U+5763) exactly through JSON and CSV", () =>
      Effect.gen(function* () {
        const tree = yield* load
        const [shadang] = Region.findByName(tree, "沙坣")
        assert.strictEqual(shadang.name, "沙坣社区居委会")
        assert.strictEqual(shadang.name.codePointAt(1), 0x5763)
        const viaJson = yield* Region.fromJson(JSON.parse(JSON.stringify(Region.toJson(tree))))
        assert.strictEqual(Option.getOrThrow(Region.findByCode(viaJson, "440310002004")).name, "沙坣社区居委会")
        const viaCsv = yield* Region.fromCsv(Region.toCsv(tree), { asOf: "2023" })
        assert.strictEqual(Option.getOrThrow(Region.findByCode(viaCsv, "440310002004")).name.codePointAt(1), 0x5763)
        assert.deepStrictEqual(viaCsv.regions, tree.regions)
      })
    )

    it.effect("reads the generic format, asOf from the file", () =>
      Effect.gen(function* () {
        const tree = yield* Region.fromJson({
          asOf: "2023-06-30",
          regions: [
            { code: "440310", name: "坪山区", parentCode: null },
            { code: "440310002", name: "马峦街道", parentCode: "440310", level: "street" }
          ]
        })
        assert.strictEqual(tree.asOf, "2023-06-30")
        assert.isUndefined(tree.source)
        assert.deepStrictEqual(codes(Region.streets(tree)), ["440310002"])
      })
    )

    it.effect("reports every problem, in Chinese, with the offending code", () =>
      Effect.gen(function* () {
        const problems = yield* problemsOf(
          Region.fromJson({
            asOf: "2023",
            regions: [
              { code: "440310", name: "坪山区" },
              { code: "440311", name: "另一个区" },
              { code: "440310001", name: "坪山街道", parentCode: "440310" },
              { code: "440310001", name: "坪山街道", parentCode: "440310" },
              { code: "440310002", name: "马峦街道", parentCode: "440310", level: "community" },
              { code: "440310003", name: "碧岭街道", parentCode: "440399" },
              { code: "440310004", name: "石井街道" },
              { code: "440310005001", name: "金沙社区居委会", parentCode: "440310001" },
              { code: "440310001002", name: "六和社区居委会", parentCode: "440310" },
              { code: "4403100010", name: "长度不对", parentCode: "440310001" },
              { code: "440310000", name: "全零", parentCode: "440310" },
              { code: "440310006", name: " 龙田街道", parentCode: "440310" }
            ]
          })
        )
        const has = (code: string | undefined, fragment: string) =>
          assert.isTrue(
            problems.some((problem) => problem.code === code && problem.message.includes(fragment)),
            `${code}: ${fragment}\n${problems.map((problem) => problem.text).join("\n")}`
          )
        has("440311", "只能有一个区县根节点")
        has("440310001", "代码重复出现 2 次")
        has("440310002", "层级写的是 community")
        has("440310003", "上级 440399 不存在")
        has("440310004", "缺少上级代码")
        has("440310005001", "代码应以上级代码 440310001 开头")
        has("440310001002", "社区/村的上级应为街道/乡镇")
        has("4403100010", "实际为 10 位")
        has("440310000", "不能为 000")
        has("440310006", "名称首尾不能有空白字符")
        assert.strictEqual(problems.length, 10)
      })
    )

    it.effect("the error message lists the problems and names the source", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Region.fromJson({ regions: [{ code: "440310001", name: "坪山街道" }] }, { source: "测试数据" })
        )
        assert.strictEqual(error._tag, "InvalidRegionTree")
        assert.include(error.message, "区划数据（测试数据）有 3 处问题")
        assert.include(error.message, "缺少区划版本 asOf")
        assert.include(error.message, "440310001：缺少上级代码")
        assert.include(error.message, "缺少区县根节点")
      })
    )

    it.effect("translates structural problems and finds the code of the entry", () =>
      Effect.gen(function* () {
        const problems = yield* problemsOf(
          Region.fromJson({
            source: "x",
            district: { code: "440310", name: "坪山区" },
            streets: [{ code: "440310001", name: 7 }],
            communities: [{ code: "440310001001", name: "六联社区居委会" }]
          })
        )
        assert.deepStrictEqual(
          problems.map((problem) => [problem.code, problem.message]),
          [
            ["440310001", "字段 streets[0].name 应为字符串，实际为 7"],
            ["440310001001", "缺少字段 communities[0].streetCode"]
          ]
        )
        const unknown = yield* problemsOf(Region.fromJson({ foo: 1 }))
        assert.include(unknown[0].message, "无法识别的区划数据格式")
        const notObject = yield* problemsOf(Region.fromJson([1, 2]))
        assert.strictEqual(notObject[0].message, "区划数据应为 JSON 对象")
      })
    )

    it.effect("asOf: required from somewhere, and file and options must agree", () =>
      Effect.gen(function* () {
        const missing = yield* problemsOf(Region.fromJson(pingshan))
        assert.include(missing[0].message, "缺少区划版本 asOf")
        const conflict = yield* problemsOf(Region.fromJson({ ...pingshan, asOf: "2022" }, { asOf: "2023" }))
        assert.include(conflict[0].message, "不一致")
        const blank = yield* problemsOf(Region.fromJson(pingshan, { asOf: "" }))
        assert.include(blank[0].message, "版本 asOf 应为非空字符串")
      })
    )

    it.effect("a grid whose code begins with another grid's code must descend from it", () =>
      Effect.gen(function* () {
        const problems = yield* problemsOf(
          Region.fromJson(
            {
              ...pingshan,
              grids: [
                { code: "4403100020041", name: "网格一", communityCode: "440310002004" },
                { code: "44031000200412", name: "网格一二", communityCode: "440310002004" }
              ]
            },
            { asOf: "2023" }
          )
        )
        assert.deepStrictEqual(
          problems.map((problem) => [problem.code, problem.message]),
          [["44031000200412", "代码以 4403100020041 开头，但 4403100020041 不是它的上级"]]
        )
        const nested = yield* Region.fromJson({
          asOf: "2023",
          regions: [
            { code: "440310", name: "坪山区" },
            { code: "440310002", name: "马峦街道", parentCode: "440310" },
            { code: "440310002004", name: "沙坣社区居委会", parentCode: "440310002" },
            { code: "4403100020041", name: "网格一", parentCode: "440310002004" },
            { code: "44031000200412", name: "微网格", parentCode: "4403100020041" }
          ]
        })
        assert.deepStrictEqual(codes(Region.ancestors(nested, "44031000200412")), [
          "4403100020041",
          "440310002004",
          "440310002",
          "440310"
        ])
      })
    )
  })

  describe("CSV", () => {
    it.effect("reads BOM, CRLF, quoted fields and any column order", () =>
      Effect.gen(function* () {
        const text =
          '\uFEFFname,parentCode,code\r\n坪山区,,440310\r\n"马峦街道",440310,440310002\r\n"沙坣社区居委会, ""旧称""",440310002,440310002004\r\n\r\n'
        const tree = yield* Region.fromCsv(text, { asOf: "2023", source: "csv" })
        assert.strictEqual(tree.source, "csv")
        assert.deepStrictEqual(
          tree.regions.map((region) => region.name),
          ["坪山区", "马峦街道", '沙坣社区居委会, "旧称"']
        )
      })
    )

    it.effect("reports CSV problems with line numbers", () =>
      Effect.gen(function* () {
        const problems = yield* problemsOf(
          Region.fromCsv(
            'code,name,parentCode\n440310,坪山区,\n440310001,"坪山\n街道",440310\n440310002,马峦街道\n440310003,碧岭街道,440310,多余\n440310004,"石井街道"x,440310\n440310005,"坑梓',
            { asOf: "2023" }
          )
        )
        const texts = problems.map((problem) => problem.text)
        assert.strictEqual(texts.length, 5, texts.join("\n"))
        assert.includeMembers(texts, [
          "第 7 行：右引号后只能是逗号或换行",
          "第 8 行：引号没有闭合",
          "第 5 行 440310002：应有 3 列，实际 2 列",
          "第 6 行 440310003：应有 3 列，实际 4 列",
          "第 3 行 440310001：名称不能包含换行或控制字符（「坪山\n街道」）"
        ])
        const header = yield* problemsOf(Region.fromCsv("code,name\n440310,坪山区\n", { asOf: "2023" }))
        assert.deepStrictEqual(
          header.map((problem) => problem.text),
          ["第 1 行：表头应为 code,name,parentCode，缺少 parentCode"]
        )
        const empty = yield* problemsOf(Region.fromCsv("", { asOf: "2023" }))
        assert.include(empty[0].message, "CSV 为空")
        const badLevel = yield* problemsOf(
          Region.fromCsv("code,name,parentCode,level\n440310,坪山区,,区\n", { asOf: "2023" })
        )
        assert.include(badLevel[0].text, "第 2 行 440310：层级「区」应为")
      })
    )

    it.prop(
      "formatCsv and parseCsv round-trip any fields",
      [fc.array(fc.array(fc.string({ unit: "grapheme" }), { minLength: 1, maxLength: 4 }), { maxLength: 5 })],
      ([rows]) => {
        const parsed = internal.parseCsv(internal.formatCsv(rows))
        assert.deepStrictEqual(parsed.problems, [])
        assert.deepStrictEqual(
          parsed.records.map((record) => record.fields),
          rows
        )
      }
    )
  })

  describe("queries", () => {
    it.effect("findByName: exact, and without the suffixes", () =>
      Effect.gen(function* () {
        const tree = yield* load
        assert.deepStrictEqual(codes(Region.findByName(tree, "沙坣社区居委会")), ["440310002004"])
        assert.deepStrictEqual(codes(Region.findByName(tree, "沙坣")), ["440310002004"])
        assert.deepStrictEqual(codes(Region.findByName(tree, "沙坣社区")), ["440310002004"])
        assert.deepStrictEqual(codes(Region.findByName(tree, "坪山")), ["440310001", "440310001003"])
        assert.deepStrictEqual(codes(Region.findByName(tree, "坪山街道")), ["440310001"])
        assert.deepStrictEqual(codes(Region.findByName(tree, "样例")), ["440310002201"])
        assert.deepStrictEqual(codes(Region.findByName(tree, "坪山区")), ["440310"])
        assert.deepStrictEqual(Region.findByName(tree, "不存在"), [])
        assert.deepStrictEqual(codes(tree.pipe(Region.findByName("马峦"))), ["440310002"])
      })
    )

    it("displayName drops 居委会", () => {
      assert.strictEqual(Region.displayName({ name: "沙坣社区居委会" }), "沙坣社区")
      assert.strictEqual(Region.displayName({ name: "新和社区居民委员会" }), "新和社区")
      assert.strictEqual(Region.displayName({ name: "北门居委会" }), "北门社区")
      assert.strictEqual(Region.displayName({ name: "样例村委会" }), "样例村")
      assert.strictEqual(Region.displayName({ name: "样例村民委员会" }), "样例村")
      assert.strictEqual(Region.displayName({ name: "坪山街道" }), "坪山街道")
      assert.strictEqual(Region.displayName({ name: "居委会" }), "居委会")
    })

    it.effect("children, parent, ancestors (nearest first), descendants", () =>
      Effect.gen(function* () {
        const tree = yield* load
        assert.deepStrictEqual(codes(Region.children(tree, "440310")), ["440310001", "440310002", "440310401"])
        assert.deepStrictEqual(codes(Region.children(tree, "440310002")), ["440310002004", "440310002201"])
        assert.deepStrictEqual(Region.children(tree, "999999"), [])
        assert.deepStrictEqual(
          Option.map(Region.parent(tree, "440310002004"), (r) => r.code),
          Option.some("440310002")
        )
        assert.isTrue(Option.isNone(Region.parent(tree, "440310")))
        assert.deepStrictEqual(codes(Region.ancestors(tree, "44031000200401")), ["440310002004", "440310002", "440310"])
        assert.deepStrictEqual(Region.ancestors(tree, "440310"), [])
        assert.deepStrictEqual(codes(Region.descendants(tree, "440310002")), [
          "440310002004",
          "44031000200401",
          "440310002201"
        ])
        assert.deepStrictEqual(codes(Region.descendants(tree, "440310", { level: "grid" })), ["44031000200401"])
        assert.deepStrictEqual(codes(tree.pipe(Region.descendants("440310", { level: "street" }))), [
          "440310001",
          "440310002",
          "440310401"
        ])
      })
    )

    it.effect("streets: 街道, 镇 and 乡 unless asked for all; communities by street", () =>
      Effect.gen(function* () {
        const tree = yield* load
        assert.deepStrictEqual(codes(Region.streets(tree)), ["440310001", "440310002"])
        assert.deepStrictEqual(codes(Region.streets(tree, { all: true })), ["440310001", "440310002", "440310401"])
        assert.deepStrictEqual(codes(Region.communities(tree, "440310001")), ["440310001003", "440310001005"])
        assert.strictEqual(Region.communities(tree).length, 5)
        assert.strictEqual(tree.pipe(Region.communities("440310401")).length, 1)
      })
    )

    it.effect("contains is inclusive and never crosses streets", () =>
      Effect.gen(function* () {
        const tree = yield* load
        assert.isTrue(Region.contains(tree, "440310", "44031000200401"))
        assert.isTrue(Region.contains(tree, "440310002", "440310002004"))
        assert.isTrue(Region.contains(tree, "440310002004", "440310002004"))
        assert.isFalse(Region.contains(tree, "440310001", "440310002004"))
        assert.isFalse(Region.contains(tree, "440310002004", "440310002"))
        assert.isFalse(Region.contains(tree, "440310", "440310009"))
        assert.isFalse(Region.contains(tree, "44031", "440310"))
      })
    )
  })

  describe("properties of random trees", () => {
    const RegionName = Arbitrary.make(Region.RegionName)
    const unique3 = (max: number) =>
      fc
        .uniqueArray(fc.integer({ min: 1, max }), { minLength: 1, maxLength: 3 })
        .map((ns) => ns.map((n) => String(n).padStart(3, "0")))
    /** A random valid tree as a generic document, with nested grids. */
    const documentArbitrary = fc
      .tuple(fc.integer({ min: 110000, max: 659999 }), fc.array(fc.tuple(unique3(599), unique3(499))), RegionName)
      .chain(([district, streetSpecs, districtName]) => {
        const root = String(district)
        const codes: Array<{ code: string; parentCode?: string }> = [{ code: root }]
        const streetSuffixes = [...new Set(streetSpecs.flatMap(([s]) => s))].slice(0, 3)
        streetSuffixes.forEach((s, i) => {
          const street = root + s
          codes.push({ code: street, parentCode: root })
          for (const c of streetSpecs[i % streetSpecs.length]?.[1] ?? []) {
            const community = street + c
            codes.push({ code: community, parentCode: street })
            for (const g of ["1", "12", "2"]) {
              const code = community + g
              const parentGrid = g.length > 1 ? community + g.slice(0, 1) : undefined
              codes.push({ code, parentCode: parentGrid ?? community })
            }
          }
        })
        return fc.tuple(
          fc.constant(codes),
          fc.array(RegionName, { minLength: codes.length, maxLength: codes.length }),
          fc.constant(districtName)
        )
      })
      .map(([codes, names]) => ({
        asOf: "2023",
        regions: codes.map(({ code, parentCode }, i) =>
          parentCode === undefined ? { code, name: names[i] } : { code, name: names[i], parentCode }
        )
      }))

    it.effect.prop(
      "JSON and CSV round-trip every tree exactly",
      [documentArbitrary],
      ([document]) =>
        Effect.gen(function* () {
          const tree = yield* Region.fromJson(document)
          assert.strictEqual(tree.regions.length, document.regions.length)
          const viaJson = yield* Region.fromJson(Region.toJson(tree))
          assert.deepStrictEqual(viaJson.regions, tree.regions)
          const viaCsv = yield* Region.fromCsv(Region.toCsv(tree), { asOf: tree.asOf })
          assert.deepStrictEqual(viaCsv.regions, tree.regions)
        }),
      { fastCheck: { numRuns: 50 } }
    )

    it.effect.prop(
      "contains equals code-prefix containment within a tree",
      [documentArbitrary],
      ([document]) =>
        Effect.gen(function* () {
          const tree = yield* Region.fromJson(document)
          for (const a of tree.regions) {
            const below = new Set(codes(Region.descendants(tree, a.code)))
            for (const b of tree.regions) {
              const expected = b.code.startsWith(a.code)
              assert.strictEqual(Region.contains(tree, a.code, b.code), expected, `${a.code} ⊇ ${b.code}`)
              assert.strictEqual(below.has(b.code), expected && a.code !== b.code)
            }
            for (const ancestor of Region.ancestors(tree, a.code)) assert.isTrue(a.code.startsWith(ancestor.code))
          }
        }),
      { fastCheck: { numRuns: 50 } }
    )

    it.effect.prop(
      "dropping a region's parent is always reported with its code",
      [documentArbitrary],
      ([document]) =>
        Effect.gen(function* () {
          const victim = document.regions[document.regions.length - 1]
          const orphaned = {
            ...document,
            regions: document.regions.map((r) =>
              r === victim ? { code: r.code, name: r.name, parentCode: `${r.code.slice(0, 6)}599` } : r
            )
          }
          if (victim.code.length === 6) return
          const problems = yield* problemsOf(Region.fromJson(orphaned))
          assert.isTrue(problems.some((problem) => problem.code === victim.code))
        }),
      { fastCheck: { numRuns: 50 } }
    )
  })
})

describe("Region: a district with 街道, 镇 and 乡", () => {
  // codes follow the statistical rules: 001–099 街道, 100–199 镇, 200–399 乡; 001–199 居委会, 200–399 村委会
  const mixed = [
    "code,name,parentCode",
    "440117,从化区,",
    "440117001,街口街道,440117",
    "440117002,城郊街道,440117",
    "440117101,温泉镇,440117",
    "440117201,吕田乡,440117",
    "440117001001,新村社区居委会,440117001",
    "440117002001,西宁社区居委会,440117002",
    "440117101201,石坑村委会,440117101",
    "440117101202,南平村委会,440117101",
    "440117201201,莲麻村委会,440117201",
    ""
  ].join("\n")

  it.effect("streets holds the towns and townships; communities their villages; the counts name every kind", () =>
    Effect.gen(function* () {
      const tree = yield* Region.fromCsv(mixed, { asOf: "2024" })
      assert.deepStrictEqual(codes(Region.streets(tree)), ["440117001", "440117002", "440117101", "440117201"])
      assert.deepStrictEqual(codes(Region.communities(tree, "440117101")), ["440117101201", "440117101202"])
      assert.strictEqual(Region.communities(tree).length, 5)
      assert.deepStrictEqual(Region.countsByKind(tree), [
        ["subdistrict", 2],
        ["town", 1],
        ["township", 1],
        ["residents-committee", 2],
        ["villagers-committee", 3]
      ])
      assert.strictEqual(Region.describeCounts(tree), "2 个街道、1 个镇、1 个乡；2 个居委会、3 个村委会")
    })
  )
})
