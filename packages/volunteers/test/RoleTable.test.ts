import { assert, describe, it } from "@effect/vitest"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import { Effect, Layer } from "effect"
import * as Permissions from "../src/Permissions.js"
import * as Roster from "../src/Roster.js"
import * as Statistics from "../src/Statistics.js"
import * as Volunteers from "../src/Volunteers.js"
import { enrol, hq, leader, pingshan, setUp, TENANT, verifierOptions } from "./fixtures.js"

/** A district's own table: the team leader may no longer read the roster. */
const stripped = Object.fromEntries(
  Object.entries(Permissions.defaultRolePermissions).map(([role, grants]) => [
    role,
    role === Permissions.Role.teamLeader ? grants.filter((grant) => grant !== Permissions.Permission.read) : grants
  ])
) as typeof Permissions.defaultRolePermissions

const options = { regions: pingshan, roles: stripped }

const live = Layer.mergeAll(Roster.layer(options), Statistics.layer(options)).pipe(
  Layer.provideMerge(Volunteers.layerMemory(options)),
  Layer.provide(Layer.mergeAll(FieldCipher.layerTest(), IdentityVerifier.layerTest(verifierOptions))),
  Layer.orDie
)

describe("one configured role table", () => {
  it.effect("Roster and Statistics take permissions from the district's table, not the default one", () =>
    Effect.gen(function* () {
      yield* setUp
      yield* enrol(3)
      const roster = yield* Roster.Roster
      const statistics = yield* Statistics.Statistics
      const streetLeader = leader("440310001")
      const exported = yield* Effect.flip(roster.exportRoster(streetLeader, { tenantId: TENANT }))
      assert.strictEqual(exported._tag, "Forbidden")
      const counted = yield* Effect.flip(statistics.headcount(streetLeader, { tenantId: TENANT }))
      assert.strictEqual(counted._tag, "Forbidden")
      // the rest of the table still applies
      assert.strictEqual((yield* roster.exportRoster(hq, { tenantId: TENANT })).rows.length, 1)
      yield* statistics.headcount(hq, { tenantId: TENANT })
    }).pipe(Effect.provide(live))
  )
})
