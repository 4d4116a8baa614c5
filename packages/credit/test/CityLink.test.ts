import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc } from "effect"
import * as CityLink from "../src/CityLink.js"
import * as FakeCity from "../src/testing/city.js"
import {
  admin,
  assertConverged,
  districtSnapshot,
  publishCityRecords,
  repairRecord,
  seedDistrict,
  sortedEntries,
  staff,
  TENANT,
  TOKEN,
  withCity
} from "./cityHelpers.js"

const sync = Effect.flatMap(CityLink.CityLink, (link) => link.sync(admin, { tenantId: TENANT, batchSize: 2 }))

describe("CityLink over HTTP (memory store)", () => {
  it.live(
    "one round pushes the district's records and decided entries and pulls the city's; a second changes nothing",
    () =>
      withCity((city) =>
        Effect.gen(function* () {
          yield* seedDistrict
          publishCityRecords(city)
          const phases: Array<string> = []
          const first = yield* Effect.flatMap(CityLink.CityLink, (link) =>
            link.sync(admin, { tenantId: TENANT, batchSize: 2 }, (p) => phases.push(`${p.phase} ${p.counts.pushed}`))
          )
          assert.include(first, {
            pushed: 4,
            pulled: 2,
            enqueued: 4,
            skippedDuplicates: 0,
            conflictsResolved: 0,
            refused: 0
          })
          assert.deepStrictEqual(phases, ["pull 0", "enqueue 0", "push 2", "push 4"], "progress after each page")
          assert.strictEqual(
            city.districtRecords(TENANT).size,
            4,
            "three records and the approved decision, not the pending one"
          )
          assert.isTrue([...city.districtRecords(TENANT).keys()].includes("record:440310:U:R1"))
          yield* assertConverged(city)
          const second = yield* sync
          assert.include(second, { pushed: 0, pulled: 0, enqueued: 0, conflictsResolved: 0 })
          assert.strictEqual(city.applied(), 4)
          const status = yield* Effect.flatMap(CityLink.CityLink, (link) => link.status(admin, { tenantId: TENANT }))
          assert.include(status, { pending: 0, acknowledged: 4, received: 2, rounds: 2, cursor: "2" })
          const received = yield* Effect.flatMap(CityLink.CityLink, (link) =>
            link.listReceived(admin, { tenantId: TENANT })
          )
          assert.deepStrictEqual(
            received.items.map((e) => `${e.key} ${e.level} ${e.findingUnit} v${e.version}`),
            ["record:4403:SZSCJG:C1 city SZSCJG v1", "record:4403:SZSWJ:C2 city SZSWJ v1"]
          )
        })
      )
  )

  it.live("a record that changed in the district is queued and pushed again under a new version", () =>
    withCity((city) =>
      Effect.gen(function* () {
        yield* seedDistrict
        yield* sync
        const before = city.districtRecords(TENANT).get("record:440310:U:R2")
        yield* repairRecord("R2")
        const round = yield* sync
        assert.include(round, { enqueued: 1, pushed: 1 })
        assert.notStrictEqual(city.districtRecords(TENANT).get("record:440310:U:R2"), before)
        yield* assertConverged(city)
      })
    )
  )

  it.live("a district record the city changed keeps the district's version (the finding unit's version prevails)", () =>
    withCity((city) =>
      Effect.gen(function* () {
        yield* seedDistrict
        yield* sync
        const ours = city.districtRecords(TENANT).get("record:440310:U:R1")
        assert.isDefined(city.edit(TENANT, "record:440310:U:R1", { recordType: "ADMIN_PENALTY", state: "revoked" }))
        assert.notStrictEqual(city.districtRecords(TENANT).get("record:440310:U:R1"), ours)
        const round = yield* sync
        assert.include(round, { conflictsResolved: 1, pushed: 1, pulled: 0 })
        assert.strictEqual(city.districtRecords(TENANT).get("record:440310:U:R1"), ours)
        yield* assertConverged(city)
        // the city's edit, sent again later, is older than the version the district sent: nothing happens
        city.plan.push("repeat")
        const again = yield* sync
        assert.include(again, { conflictsResolved: 0, pushed: 0 })
      })
    )
  )

  it.live("a city record keeps the city's latest version, in whatever order and however often versions arrive", () =>
    withCity((city) =>
      Effect.gen(function* () {
        for (let n = 1; n <= 4; n++) {
          city.publish(TENANT, { key: "record:4403:SZSCJG:C1", findingUnit: "SZSCJG", body: { n } })
        }
        city.plan.push("reorder", "repeat", "reorder")
        yield* CityLink.CityLink.pipe(Effect.flatMap((link) => link.sync(admin, { tenantId: TENANT, batchSize: 4 })))
        const district = yield* districtSnapshot
        assert.strictEqual(district.in.get("record:4403:SZSCJG:C1")?.split(":")[0], "4")
        yield* assertConverged(city)
      })
    )
  )

  for (const fault of ["drop", "dropReply", "repeat", "reorder", "slow", "down"] as const) {
    it.live(`a ${fault} on every first attempt is absorbed by the retries, and nothing is applied twice`, () =>
      withCity((city) =>
        Effect.gen(function* () {
          yield* seedDistrict
          publishCityRecords(city)
          city.schedule = (n) => (n % 2 === 0 ? fault : "none")
          const round = yield* sync
          assert.include(round, { pushed: 4, pulled: 2 })
          assert.strictEqual(city.applied(), 4, "each district version applied once")
          yield* assertConverged(city)
        })
      )
    )
  }

  it.live("a city that stays down fails the round with a typed error; the next round resumes and converges", () =>
    withCity((city) =>
      Effect.gen(function* () {
        yield* seedDistrict
        publishCityRecords(city)
        city.schedule = () => "down"
        const failed = yield* Effect.either(sync)
        assert.isTrue(Either.isLeft(failed))
        if (Either.isLeft(failed)) {
          assert.strictEqual(failed.left._tag, "CityLinkError")
          assert.match(failed.left.message, /^市级平台暂时无法连接/)
        }
        assert.strictEqual(city.requests(), 3, "one attempt and two retries")
        city.schedule = () => "none"
        const round = yield* sync
        assert.include(round, { pushed: 4, pulled: 2 })
        yield* assertConverged(city)
      })
    )
  )

  it.live("two rounds at once neither fail each other nor apply anything twice", () =>
    withCity((city) =>
      Effect.gen(function* () {
        yield* seedDistrict
        publishCityRecords(city)
        const [a, b] = yield* Effect.all([sync, sync], { concurrency: 2 })
        assert.strictEqual(a.pulled + b.pulled, 2)
        assert.strictEqual(a.pushed + b.pushed, 4)
        assert.strictEqual(city.applied(), 4)
        yield* assertConverged(city)
      })
    )
  )

  it.live("a round that fails half-way keeps what the city acknowledged; the next pushes only the rest", () =>
    withCity((city) =>
      Effect.gen(function* () {
        yield* seedDistrict
        // the pull and the first batch of two go through, then the city is down
        city.schedule = (n) => (n < 2 ? "none" : "down")
        const failed = yield* Effect.either(sync)
        assert.isTrue(Either.isLeft(failed))
        const link = yield* CityLink.CityLink
        assert.include(yield* link.status(admin, { tenantId: TENANT }), { acknowledged: 2, pending: 2 })
        city.schedule = () => "none"
        const round = yield* sync
        assert.include(round, { pushed: 2, enqueued: 0 })
        assert.strictEqual(city.applied(), 4)
        yield* assertConverged(city)
      })
    )
  )

  it.live("a round reads at most maxPages pages; the next continues from the stored cursor", () =>
    withCity((city) =>
      Effect.gen(function* () {
        for (let n = 1; n <= 5; n++)
          city.publish(TENANT, { key: `record:4403:SZSCJG:C${n}`, findingUnit: "SZSCJG", body: { n } })
        const link = yield* CityLink.CityLink
        const first = yield* link.sync(admin, { tenantId: TENANT, batchSize: 1, maxPages: 2 })
        assert.include(first, { pulled: 2, cursor: "2" })
        const second = yield* link.sync(admin, { tenantId: TENANT, batchSize: 2 })
        assert.include(second, { pulled: 3, skippedDuplicates: 0, cursor: "5" })
        yield* assertConverged(city)
      })
    )
  )

  it.live("a wrong token is rejected at once (no retry) and the message carries no token", () =>
    withCity(
      (city) =>
        Effect.gen(function* () {
          yield* seedDistrict
          const failed = yield* Effect.flip(sync)
          assert.strictEqual(failed._tag, "CityLinkError")
          if (failed._tag === "CityLinkError") {
            assert.strictEqual(failed.reason, "rejected")
            assert.include(failed.message, "HTTP 401")
            assert.notInclude(failed.message, TOKEN)
          }
          assert.strictEqual(city.requests(), 1)
        }),
      { token: "not-the-token" }
    )
  )

  it.live("only an actor with the sync permission in the district runs a round", () =>
    withCity(() =>
      Effect.gen(function* () {
        const link = yield* CityLink.CityLink
        const reviewer = yield* Effect.flip(link.sync(staff("R001", ["credit-reviewer"]), { tenantId: TENANT }))
        assert.strictEqual(reviewer._tag, "Forbidden")
        const outsider = yield* Effect.flip(link.sync(staff("X001", ["credit-admin"], "440311"), { tenantId: TENANT }))
        assert.strictEqual(outsider._tag, "Forbidden")
        const bad = yield* Effect.flip(link.sync(admin, { tenantId: TENANT, batchSize: 0 }))
        assert.strictEqual(bad._tag, "InvalidInput")
      })
    )
  )
})

/** A change between rounds: a district record repaired, a city record republished, a district record edited by the city. */
type Change = { readonly op: "repair" | "publish" | "edit"; readonly n: number }

const change = (city: FakeCity.FakeCity, c: Change) =>
  c.op === "repair"
    ? repairRecord(`R${c.n}`)
    : Effect.sync(() => {
        if (c.op === "publish") {
          city.publish(TENANT, {
            key: `record:4403:SZSCJG:C${c.n}`,
            findingUnit: "SZSCJG",
            body: { n: c.n, edition: Math.floor(c.n * 10) }
          })
        } else {
          city.edit(TENANT, `record:440310:U:R${c.n}`, { edited: c.n })
        }
      })

/**
 * One scenario: the same district and city data, three rounds under the given faults with changes
 * in between, then a fault-free round; returns what both sides hold.
 */
const scenario = (faults: ReadonlyArray<FakeCity.Fault>, changes: ReadonlyArray<Change>, split: number) =>
  withCity((city) =>
    Effect.gen(function* () {
      yield* seedDistrict
      publishCityRecords(city)
      city.schedule = (n) => faults[n] ?? "none"
      yield* Effect.either(sync)
      for (const c of changes.slice(0, split)) yield* change(city, c)
      yield* Effect.either(sync)
      for (const c of changes.slice(split)) yield* change(city, c)
      yield* Effect.either(sync)
      city.schedule = () => "none"
      yield* sync
      yield* assertConverged(city)
      const district = yield* districtSnapshot
      return {
        out: sortedEntries(district.out),
        in: sortedEntries(district.in),
        city: sortedEntries(city.districtRecords(TENANT))
      }
    })
  )

const changeArbitrary = fc.record({
  op: fc.constantFrom("repair" as const, "publish" as const, "edit" as const),
  n: fc.integer({ min: 1, max: 3 })
})

describe("CityLink under random faults", () => {
  it("a text changed while its batch's answer was lost reaches the city (found by the property below)", async () => {
    const changes: ReadonlyArray<Change> = [{ op: "repair", n: 1 }]
    const state = await Effect.runPromise(scenario(["none", "slow", "slow", "slow"], changes, 1))
    assert.deepStrictEqual(state, await Effect.runPromise(scenario([], changes, 1)))
  }, 30_000)

  it("after any fault schedule and changes, one fault-free round converges to the state of a fault-free run", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...FakeCity.faults), { maxLength: 16 }),
        fc.array(changeArbitrary, { maxLength: 6 }),
        fc.nat({ max: 6 }),
        async (faults, changes, split) => {
          const state = await Effect.runPromise(scenario(faults, changes, split))
          const expected = await Effect.runPromise(scenario([], changes, split))
          assert.deepStrictEqual(state, expected)
        }
      ),
      { numRuns: 12 }
    )
  }, 180_000)
})
