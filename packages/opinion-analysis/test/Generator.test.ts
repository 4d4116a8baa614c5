import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import * as Region from "@gongzhi/core/Region"
import { Effect, Option } from "effect"
import * as Generator from "../src/Generator.js"

const divisionsJson: unknown = JSON.parse(
  readFileSync(new URL("../../../examples/pingshan/data/pingshan-divisions.json", import.meta.url), "utf8")
)

/** The Pingshan communities as the generator takes them, loaded from the region file. */
const loadCommunities = Effect.gen(function* () {
  const tree = yield* Region.fromJson(divisionsJson, { asOf: "2023" })
  return Region.streets(tree).flatMap((street) =>
    Region.communities(tree, street.code).map((community) => ({
      code: community.code,
      name: Region.displayName(community),
      streetCode: street.code,
      streetName: Region.displayName(street)
    }))
  )
})

const from = new Date("2025-03-01T00:00:00+08:00")
const to = new Date("2025-06-01T00:00:00+08:00")
const DAY = 86_400_000

describe("Generator", () => {
  it.effect("pingshanCommunities are the 24 communities of the region file", () =>
    Effect.gen(function* () {
      const communities = yield* loadCommunities
      assert.strictEqual(communities.length, 24)
      assert.deepStrictEqual(Generator.pingshanCommunities, communities)
      const names = communities.map((c) => c.name)
      assert.include(names, "沙坣社区")
      assert.include(names, "新和社区")
    })
  )

  it.effect("is deterministic by seed", () =>
    Effect.gen(function* () {
      const communities = yield* loadCommunities
      const options = { seed: 7, count: 300, from, to, communities, places: Generator.pingshanPlaces }
      const a = yield* Generator.generate(options)
      const b = yield* Generator.generate(options)
      assert.deepStrictEqual(a, b)
      const c = yield* Generator.generate({ ...options, seed: 8 })
      assert.notDeepEqual(
        a.map((r) => r.content),
        c.map((r) => r.content)
      )
    })
  )

  it.effect("places reports in the given communities and period, in receipt order, with valid codes", () =>
    Effect.gen(function* () {
      const tree = yield* Region.fromJson(divisionsJson, { asOf: "2023" })
      const communities = yield* loadCommunities
      const reports = yield* Generator.generate({
        places: Generator.pingshanPlaces,
        seed: 1,
        count: 3000,
        from,
        to,
        communities
      })
      assert.strictEqual(reports.length, 3000)
      assert.strictEqual(new Set(reports.map((r) => r.key)).size, 3000)
      let previous = 0
      for (const report of reports) {
        const t = report.receivedAt.getTime()
        assert.isTrue(t >= from.getTime() && t < to.getTime())
        assert.isTrue(t >= previous)
        previous = t
        const community = Region.findByCode(tree, report.communityCode)
        assert.isTrue(community._tag === "Some", report.communityCode)
        assert.strictEqual(Option.getOrUndefined(Region.parent(tree, report.communityCode))?.code, report.streetCode)
        assert.isTrue(report.address.includes(communities.find((c) => c.code === report.communityCode)!.name))
        // synthetic text carries no phone number
        assert.notMatch(report.content, /1[3-9]\d{9}/)
      }
      // every category of the default taxonomy, every kind, every community, several channels
      assert.strictEqual(new Set(reports.map((r) => r.category)).size, 17)
      assert.deepStrictEqual([...new Set(reports.map((r) => r.kind))].sort(), [
        "complaint",
        "enquiry",
        "help",
        "suggestion"
      ])
      assert.strictEqual(new Set(reports.map((r) => r.communityCode)).size, 24)
      assert.isAtLeast(new Set(reports.map((r) => r.channel)).size, 6)
      assert.isTrue(reports.some((r) => r.urgency === "emergency"))
      assert.isTrue(reports.some((r) => r.content.includes("沙坣社区")))
      assert.isTrue(reports.some((r) => r.content.includes("坪山河")))
    })
  )

  it.effect("makes about duplicateRate near-duplicates of earlier originals, labelled with duplicateOf", () =>
    Effect.gen(function* () {
      const communities = yield* loadCommunities
      const reports = yield* Generator.generate({
        places: Generator.pingshanPlaces,
        seed: 2,
        count: 4000,
        from,
        to,
        communities
      })
      const byKey = new Map(reports.map((r, i) => [r.key, { report: r, index: i }]))
      const duplicates = reports.filter((r) => r.duplicateOf !== undefined)
      const share = duplicates.length / reports.length
      assert.isTrue(share > 0.085 && share < 0.115, `share ${share}`)
      for (const duplicate of duplicates) {
        const original = byKey.get(duplicate.duplicateOf!)!
        assert.isDefined(original, duplicate.key)
        assert.isUndefined(original.report.duplicateOf)
        assert.isTrue(original.index < byKey.get(duplicate.key)!.index)
        const lag = duplicate.receivedAt.getTime() - original.report.receivedAt.getTime()
        assert.isTrue(lag >= 0 && lag <= 7 * DAY)
        assert.strictEqual(duplicate.communityCode, original.report.communityCode)
        assert.strictEqual(duplicate.category, original.report.category)
        assert.strictEqual(duplicate.address, original.report.address)
        assert.notStrictEqual(duplicate.content, original.report.content)
      }
      // pairs: an original with k duplicates gives (k + 1) k / 2 pairs
      const groups = new Map<string, number>()
      for (const d of duplicates) groups.set(d.duplicateOf!, (groups.get(d.duplicateOf!) ?? 0) + 1)
      const expected = [...groups.values()].reduce((sum, k) => sum + ((k + 1) * k) / 2, 0)
      assert.strictEqual(Generator.duplicatePairs(reports).size, expected)
      const none = yield* Generator.generate({
        places: Generator.pingshanPlaces,
        seed: 2,
        count: 500,
        from,
        to,
        communities,
        duplicateRate: 0
      })
      assert.isTrue(none.every((r) => r.duplicateOf === undefined))
    })
  )

  it.effect("a surge makes one template more frequent in its period", () =>
    Effect.gen(function* () {
      assert.include(Generator.templateIds, "mosquito")
      const surgeFrom = new Date("2025-05-01T00:00:00+08:00")
      const reports = yield* Generator.generate({
        places: Generator.pingshanPlaces,
        seed: 3,
        count: 3000,
        from,
        to,
        communities: Generator.pingshanCommunities,
        duplicateRate: 0,
        surges: [{ template: "mosquito", from: surgeFrom, to, factor: 8 }]
      })
      const share = (rs: ReadonlyArray<Generator.SyntheticReport>) =>
        rs.filter((r) => /蚊/.test(r.content)).length / rs.length
      const before = share(reports.filter((r) => r.receivedAt < surgeFrom))
      const during = share(reports.filter((r) => r.receivedAt >= surgeFrom))
      assert.isTrue(during > 4 * before, `${before} → ${during}`)
    })
  )

  it.effect("outcomes simulate handling deterministically", () =>
    Effect.gen(function* () {
      const reports = yield* Generator.generate({
        places: Generator.pingshanPlaces,
        seed: 4,
        count: 800,
        from,
        to,
        communities: Generator.pingshanCommunities
      })
      const a = yield* Generator.outcomes(reports, { seed: 4, asOf: to })
      const b = yield* Generator.outcomes(reports, { seed: 4, asOf: to })
      assert.deepStrictEqual(a, b)
      for (const item of a) {
        assert.isTrue(item.dueAt!.getTime() > item.receivedAt.getTime())
        if (item.status === "open") assert.isUndefined(item.closedAt)
        else assert.isTrue(item.closedAt!.getTime() > item.receivedAt.getTime())
        if (item.status !== "open") assert.strictEqual(item.overdue, item.closedAt!.getTime() > item.dueAt!.getTime())
      }
      assert.isTrue(a.some((item) => item.status === "open" && item.overdue))
      assert.isTrue(a.some((item) => item.satisfaction === "unsatisfied"))
    })
  )

  it.effect("rejects invalid options with InvalidAnalysisInput", () =>
    Effect.gen(function* () {
      const bad = yield* Effect.flip(
        Generator.generate({
          places: Generator.pingshanPlaces,
          seed: 1,
          count: 10,
          from: to,
          to: from,
          communities: Generator.pingshanCommunities
        })
      )
      assert.strictEqual(bad._tag, "InvalidAnalysisInput")
      const rate = yield* Effect.flip(
        Generator.generate({
          places: Generator.pingshanPlaces,
          seed: 1,
          count: 10,
          from,
          to,
          communities: Generator.pingshanCommunities,
          duplicateRate: 2
        })
      )
      assert.strictEqual(rate.issues[0].path, "duplicateRate")
      const empty = yield* Effect.flip(
        Generator.generate({ places: Generator.pingshanPlaces, seed: 1, count: 10, from, to, communities: [] })
      )
      assert.strictEqual(empty.issues[0].path, "communities")
      const surge = yield* Effect.flip(
        Generator.generate({
          places: Generator.pingshanPlaces,
          seed: 1,
          count: 10,
          from,
          to,
          communities: Generator.pingshanCommunities,
          surges: [{ template: "no-such" as "mosquito", from, to, factor: 2 }]
        })
      )
      assert.strictEqual(surge.issues[0].path, "surges[0].template")
    })
  )
})

describe("Generator defaults", () => {
  it.effect("name no real district's places unless given (the Pingshan example passes its own)", () =>
    Effect.gen(function* () {
      const communities = Generator.pingshanCommunities.slice(0, 2)
      const from = new Date("2025-03-01T00:00:00+08:00")
      const to = new Date("2025-04-01T00:00:00+08:00")
      const neutral = yield* Generator.generate({ seed: 3, count: 400, from, to, communities, duplicateRate: 0 })
      const text = neutral.map((r) => `${r.content} ${r.address}`).join("\n")
      for (const place of [...Generator.pingshanPlaces.roads, ...Generator.pingshanPlaces.landmarks]) {
        assert.notInclude(text, place)
      }
      const neutralNames = [...Generator.neutralPlaces.roads, ...Generator.neutralPlaces.landmarks]
      assert.isTrue(neutralNames.some((place) => text.includes(place)))
    })
  )
})
