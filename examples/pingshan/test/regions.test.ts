import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import * as Region from "@gongzhi/core/Region"
import { Effect, Option } from "effect"
import { formatStreets, loadPingshan } from "../src/regions.js"

const codes = (regions: ReadonlyArray<Region.Region>) => regions.map((region): string => region.code)

describe("Pingshan regions", () => {
  it.effect("six 街道 and 24 communities in them; the bonded zone is not a 街道", () =>
    Effect.gen(function* () {
      const tree = yield* loadPingshan()
      assert.strictEqual(tree.asOf, "2023")
      assert.include(tree.source ?? "", "NBS 2023")
      assert.strictEqual(tree.root.code, "440310")
      assert.strictEqual(tree.root.name, "坪山区")
      const streets = Region.streets(tree)
      assert.deepStrictEqual(codes(streets), [
        "440310001",
        "440310002",
        "440310003",
        "440310004",
        "440310005",
        "440310006"
      ])
      assert.deepStrictEqual(
        streets.map((street) => street.name),
        ["坪山街道", "马峦街道", "碧岭街道", "石井街道", "坑梓街道", "龙田街道"]
      )
      const inStreets = streets.flatMap((street) => Region.communities(tree, street.code))
      assert.strictEqual(inStreets.length, 24)
      assert.isFalse(codes(inStreets).includes("440310401498"))
      assert.isTrue(inStreets.every((community) => community.kind === "residents-committee"))
      const zone = Option.getOrThrow(Region.findByCode(tree, "440310401"))
      assert.strictEqual(zone.kind, "township-like")
      assert.deepStrictEqual(codes(Region.streets(tree, { all: true })).at(-1), "440310401")
      assert.strictEqual(Option.getOrThrow(Region.findByCode(tree, "440310401498")).kind, "virtual-community")
      assert.strictEqual(Region.communities(tree).length, 25)
    })
  )

  it.effect("新和社区 (added in the 2022 edition) is present", () =>
    Effect.gen(function* () {
      const tree = yield* loadPingshan()
      const xinhe = Option.getOrThrow(Region.findByCode(tree, "440310001005"))
      assert.strictEqual(xinhe.name, "新和社区居委会")
      assert.strictEqual(Region.displayName(xinhe), "新和社区")
      assert.deepStrictEqual(codes(Region.findByName(tree, "新和社区")), ["440310001005"])
      assert.deepStrictEqual(codes(Region.ancestors(tree, "440310001005")), ["440310001", "440310"])
    })
  )

  it.effect("沙坣 (U+5763) round-trips from the file through JSON and CSV", () =>
    Effect.gen(function* () {
      const bytes = readFileSync(new URL("../data/pingshan-divisions.json", import.meta.url))
      assert.isTrue(bytes.includes(Buffer.from([0xe5, 0x9d, 0xa3])), "the file holds U+5763 as UTF-8")
      const tree = yield* loadPingshan()
      const [shadang] = Region.findByName(tree, "沙坣")
      assert.strictEqual(shadang.code, "440310002004")
      assert.strictEqual(shadang.name, "沙坣社区居委会")
      assert.strictEqual(shadang.name.codePointAt(1), 0x5763)
      const viaCsv = yield* Region.fromCsv(Region.toCsv(tree), { asOf: tree.asOf })
      const viaJson = yield* Region.fromJson(JSON.parse(JSON.stringify(Region.toJson(tree))))
      for (const copy of [viaCsv, viaJson]) {
        assert.deepStrictEqual(copy.regions, tree.regions)
        assert.strictEqual(Option.getOrThrow(Region.findByCode(copy, "440310002004")).name.codePointAt(1), 0x5763)
      }
    })
  )

  it.effect("formatStreets lists each 街道, the bonded zone apart, and the totals", () =>
    Effect.gen(function* () {
      const text = formatStreets(yield* loadPingshan())
      const lines = text.split("\n")
      assert.strictEqual(lines.length, 8)
      assert.strictEqual(lines[0], "坪山街道 (440310001) — 5 个社区: 六联社区, 六和社区, 坪山社区, 和平社区, 新和社区")
      assert.strictEqual(lines[1], "马峦街道 (440310002) — 4 个社区: 坪环社区, 江岭社区, 马峦社区, 沙坣社区")
      assert.strictEqual(lines[5], "龙田街道 (440310006) — 4 个社区: 龙田社区, 南布社区, 竹坑社区, 老坑社区")
      assert.strictEqual(
        lines[6],
        "深圳坪山综合保税区 (440310401) — 类似乡级单位，不是街道 — 1 个虚拟社区: 深圳坪山综合保税区虚拟社区"
      )
      assert.strictEqual(lines[7], "6 个街道，24 个社区")
    })
  )
})
