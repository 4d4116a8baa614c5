import { assert, describe, it } from "@effect/vitest"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Routing from "@gongzhi/opinion/Routing"
import * as Taxonomy from "@gongzhi/opinion/Taxonomy"
import { Effect, Schema } from "effect"
import { actors, routingTable, streetOffice } from "../src/organisation.js"
import { loadPingshan } from "../src/regions.js"
import { layerAuthorization } from "../src/setup.js"

describe("Pingshan organisation", () => {
  it.effect("the routing table is valid for the taxonomy and the region tree and routes every category", () =>
    Effect.gen(function* () {
      const tree = yield* loadPingshan()
      const table = routingTable(tree)
      assert.deepStrictEqual(Routing.problems(table, { taxonomy: Taxonomy.defaultTaxonomy, regions: tree }), [])
      for (const category of Taxonomy.leafCategories(Taxonomy.defaultTaxonomy)) {
        const route = Routing.route(table, { category: category.code, regionCode: "440310002004" })
        assert.notStrictEqual(route.department, table.fallback, `${category.code} has a department`)
      }
      assert.strictEqual(
        Routing.route(table, { category: "GL05", regionCode: "440310002004" }).department,
        streetOffice("440310002")
      )
      assert.strictEqual(Routing.route(table, { category: "GF01", regionCode: "440310002004" }).department, "ps-water")
    })
  )

  it.effect("the merged role table lets each actor do their part, and no more", () =>
    Effect.gen(function* () {
      const tree = yield* loadPingshan()
      const people = actors(tree, routingTable(tree))
      const authorization = yield* Authorization.Authorization
      const target = Schema.decodeUnknownSync(Authorization.Target)
      const allowed = (actor: typeof people.hq, permission: string, regionCode: string) =>
        Effect.isSuccess(authorization.authorize(actor, permission, target({ tenantId: "440310", regionCode })))
      assert.isTrue(yield* allowed(people.hq, "volunteers.corps.manage", "440310"))
      assert.isTrue(yield* allowed(people.teamLeader("440310001"), "volunteers.attendance.manage", "440310001002"))
      assert.isFalse(yield* allowed(people.teamLeader("440310001"), "volunteers.attendance.manage", "440310002001"))
      assert.isTrue(
        yield* allowed(people.volunteer("440310-V-000001", "440310001"), "opinion.reports.submit", "440310001002")
      )
      assert.isTrue(
        yield* allowed(people.volunteer("440310-V-000001", "440310001"), "volunteers.self.signup", "440310001")
      )
      assert.isTrue(yield* allowed(people.clerk, "opinion.reports.submit", "440310003001"))
      assert.isFalse(yield* allowed(people.clerk, "opinion.reports.dispatch", "440310003001"))
      assert.isTrue(yield* allowed(people.dispatcher, "opinion.reports.merge", "440310003001"))
      assert.isTrue(yield* allowed(people.opinionScheduler, "opinion.reports.escalate", "440310"))
      assert.isFalse(yield* allowed(people.handler("ps-water"), "opinion.reports.close", "440310003001"))
    }).pipe(Effect.provide(layerAuthorization))
  )
})
