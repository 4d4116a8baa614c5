import { assert, describe, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as Opinions from "../src/Opinions.js"
import {
  cityHandler,
  clerk,
  dispatcher,
  otherStreetClerk,
  resident,
  service,
  streetClerk,
  submission,
  tenantId,
  volunteer,
  waterHandler,
  withService
} from "./fixtures/workflow.js"

const DAY = 86_400_000

/** Two reports in 坪山街道 (one routed to water affairs, answered and closed), one in 马峦街道, one in 碧岭街道. */
const seed = Effect.gen(function* () {
  const opinion = yield* service
  const water = yield* opinion.submit(resident, submission({ category: "GF01", kind: "complaint" }))
  yield* opinion.submit(resident, submission())
  yield* opinion.submit(clerk, submission({ location: { communityCode: "440310002001" }, channel: "hotline" }))
  yield* opinion.submit(clerk, submission({ location: { communityCode: "440310003001" }, channel: "hotline" }))
  yield* opinion.dispatch(dispatcher, { reportId: water.id })
  yield* opinion.accept(waterHandler, { reportId: water.id })
  yield* opinion.startHandling(waterHandler, { reportId: water.id })
  yield* opinion.reply(waterHandler, { reportId: water.id, text: "已修复" })
  yield* opinion.followUp(dispatcher, { reportId: water.id, satisfaction: "basically-satisfied" })
  yield* opinion.close(dispatcher, { reportId: water.id })
  yield* TestClock.adjust(DAY)
})

describe("Opinions.statistics", () => {
  it.effect("counts within the caller's scope: a street's clerk sees their street only, never another's", () =>
    withService(
      Effect.gen(function* () {
        yield* seed
        const opinions = yield* Opinions.Opinions
        const district = yield* opinions.statistics(dispatcher, { tenantId, by: "street" })
        assert.strictEqual(district.total.cases, 4)
        assert.deepStrictEqual(
          district.groups.map((g) => [g.key, g.figures.cases]),
          [
            ["440310001", 2],
            ["440310002", 1],
            ["440310003", 1]
          ]
        )
        assert.deepStrictEqual(district.total.status, {
          open: 3,
          openOverdue: 0,
          closedResolved: 1,
          closedUnresolved: 0
        })
        assert.deepStrictEqual(
          [district.total.onTime.onTime, district.total.onTime.rate, district.total.satisfaction.rate],
          [1, 1, 1]
        )

        // the street clerk: only 坪山街道, whether or not they name it
        const own = yield* opinions.statistics(streetClerk, { tenantId, by: "street" })
        assert.deepStrictEqual(
          own.groups.map((g) => [g.key, g.figures.cases]),
          [["440310001", 2]]
        )
        assert.strictEqual(own.total.cases, 2)
        const named = yield* opinions.statistics(streetClerk, { tenantId, streetCode: "440310001", by: "community" })
        assert.strictEqual(named.total.cases, 2)
        // another street, or a community of it, is refused
        for (const input of [{ streetCode: "440310002" }, { communityCode: "440310002001" }]) {
          const refused = yield* Effect.flip(opinions.statistics(streetClerk, { tenantId, ...input }))
          assert.strictEqual(refused._tag, "Forbidden")
        }
        const other = yield* opinions.statistics(otherStreetClerk, { tenantId })
        assert.strictEqual(other.total.cases, 1)
        assert.strictEqual(other.total.received, 1)
      })
    )
  )

  it.effect("a department sees what is assigned to it; reporters and other districts are refused", () =>
    withService(
      Effect.gen(function* () {
        yield* seed
        const opinions = yield* Opinions.Opinions
        const water = yield* opinions.statistics(waterHandler, { tenantId, by: "department" })
        assert.deepStrictEqual(
          water.groups.map((g) => [g.key, g.figures.cases]),
          [["ps-water", 1]]
        )
        const city = yield* opinions.statistics(cityHandler, { tenantId })
        assert.strictEqual(city.total.cases, 0)
        const asked = yield* Effect.flip(opinions.statistics(cityHandler, { tenantId, department: "ps-water" }))
        assert.strictEqual(asked._tag, "Forbidden")
        for (const actor of [resident, volunteer]) {
          assert.strictEqual((yield* Effect.flip(opinions.statistics(actor, { tenantId })))._tag, "Forbidden")
        }
        const elsewhere = yield* Effect.flip(opinions.statistics(dispatcher, { tenantId: "440311" }))
        // an actor of this district asking for another one is refused
        assert.strictEqual(elsewhere._tag, "Forbidden")
        const invalid = yield* Effect.flip(opinions.statistics(dispatcher, { tenantId, by: "colour" as never }))
        assert.strictEqual(invalid._tag, "InvalidInput")
        assert.match(invalid.message, /统计维度/)
      })
    )
  )

  it.effect("asOf decides what is past due; the trend counts cases per day of receipt", () =>
    withService(
      Effect.gen(function* () {
        yield* seed
        const opinions = yield* Opinions.Opinions
        // the open help requests are due within 3 working days: past due two weeks later
        const later = yield* opinions.statistics(dispatcher, {
          tenantId,
          asOf: new Date(Date.UTC(2026, 2, 16)),
          trend: "day"
        })
        assert.deepStrictEqual(later.total.status, { open: 0, openOverdue: 3, closedResolved: 1, closedUnresolved: 0 })
        assert.deepStrictEqual(later.trend, [{ period: "2026-03-02", cases: 4 }])
        assert.strictEqual(later.total.onTime.denominator, 4)
      })
    )
  )
})
