import { assert, describe, it } from "@effect/vitest"
import * as ResidentId from "@gongzhi/core/ResidentId"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import { Effect, Either, TestClock } from "effect"
import { CorpsRepo } from "../src/CorpsRepo.js"
import * as Synthetic from "../src/Synthetic.js"
import { VolunteerRepo } from "../src/VolunteerRepo.js"
import { hq, layer, pingshan, START, TENANT } from "./fixtures.js"

describe("Synthetic", () => {
  it("plans Pingshan: a headquarters team, six street sub-teams, 150 volunteers, deterministic by seed", () => {
    const plan = Synthetic.district({ regions: pingshan, seed: 2017 })
    assert.strictEqual(plan.corps.name, "坪山区民情志愿服务总队")
    assert.deepStrictEqual(
      plan.teams.map((t) => t.regionCode),
      ["440310001", "440310002", "440310003", "440310004", "440310005", "440310006"]
    )
    assert.strictEqual(plan.volunteers.length, 150)
    assert.deepStrictEqual(Synthetic.district({ regions: pingshan, seed: 2017 }), plan)
    assert.notDeepEqual(Synthetic.district({ regions: pingshan, seed: 2018 }).volunteers, plan.volunteers)
    const communities = new Set(plan.volunteers.map((v) => v.homeCommunity))
    assert.strictEqual(communities.size, 24, "every community of the six streets, none of the bonded zone")
    assert.isFalse([...communities].some((c) => c.startsWith("440310401")))
  })

  it("draws valid but impossible ID numbers, valid credit codes, Chinese names and mobiles", () => {
    const plan = Synthetic.district({ regions: pingshan, seed: 7, volunteers: 400 })
    const ids = plan.volunteers.map((v) => v.residentId)
    assert.strictEqual(new Set(ids).size, ids.length)
    for (const v of plan.volunteers) {
      assert.isTrue(Either.isRight(Effect.runSync(Effect.either(ResidentId.validate(v.residentId)))))
      assert.isTrue(v.residentId.startsWith("990101"), "province 99 does not exist")
      assert.match(v.name, /^\p{Script=Han}{2,4}$/u)
      assert.match(v.mobile, /^1[3-9]\d{9}$/)
      if (v.affiliation.creditCode !== undefined) {
        assert.isTrue(
          Either.isRight(Effect.runSync(Effect.either(SocialCreditCode.validate(v.affiliation.creditCode))))
        )
      }
      assert.strictEqual(v.affiliation.kind === "individual", v.affiliation.organisation === undefined)
    }
    const kinds = new Set(plan.volunteers.map((v) => v.affiliation.kind))
    assert.deepStrictEqual([...kinds].sort(), ["enterprise", "individual", "social-organisation", "volunteer-group"])
  })

  it.effect("loads the plan through the service: 150 active volunteers over six teams", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(START)
      const plan = Synthetic.district({ regions: pingshan, seed: 2017 })
      const ids = yield* Synthetic.seed(hq, plan)
      assert.strictEqual(ids.length, 150)
      assert.strictEqual(ids[149], "440310-V-000150")
      const repo = yield* VolunteerRepo
      assert.strictEqual(yield* repo.count(TENANT, { status: "active" }), 150)
      const byTeam = yield* repo.countBy(TENANT, "team_id")
      assert.strictEqual(byTeam.length, 6)
      assert.strictEqual(
        byTeam.reduce((s, g) => s + g.count, 0),
        150
      )
      const headcount = yield* (yield* CorpsRepo).countMembershipsBy(TENANT, "role_id", { status: "active" })
      assert.deepStrictEqual(headcount, [{ key: "volunteer", count: 150 }])
    }).pipe(Effect.provide(layer()))
  )
})
