import { assert, describe, it } from "@effect/vitest"
import type * as Actor from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import { Effect, Either, TestClock } from "effect"
import * as Permissions from "../src/Permissions.js"
import {
  COMMUNITY_1,
  COMMUNITY_2,
  enrol,
  hq,
  layer,
  leader,
  registration,
  resident,
  STREET_1,
  STREET_2,
  scheduler,
  setUp,
  TENANT,
  volunteerActor
} from "./fixtures.js"

describe("Permissions: the default role table", () => {
  const table = Permissions.defaultRolePermissions
  const all = Object.values(Permissions.Permission)
  const allowed = (actor: Actor.Actor, permission: string, regionCode?: string) =>
    Either.isRight(
      Authorization.check(table, actor, permission, {
        tenantId: TENANT,
        ...(regionCode === undefined ? {} : { regionCode: regionCode as never })
      })
    )

  it("headquarters staff may do everything anywhere in the district", () => {
    for (const permission of all) {
      for (const region of [undefined, STREET_1, COMMUNITY_2])
        assert.isTrue(allowed(hq, permission, region), permission)
    }
  })

  it("a team leader manages their own street only, never the corps or the district-wide jobs", () => {
    const leaderPermissions = new Set(Permissions.defaultRoleTable[Permissions.Role.teamLeader])
    for (const permission of all) {
      const expected = leaderPermissions.has(permission)
      assert.strictEqual(allowed(leader(STREET_1), permission, STREET_1), expected, permission)
      assert.strictEqual(allowed(leader(STREET_1), permission, COMMUNITY_1), expected, permission)
      assert.isFalse(allowed(leader(STREET_1), permission, STREET_2), permission)
      assert.isFalse(allowed(leader(STREET_1), permission, COMMUNITY_2), permission)
      assert.isFalse(allowed(leader(STREET_1), permission), permission)
    }
    assert.isFalse(leaderPermissions.has(Permissions.Permission.corpsManage))
    assert.isFalse(leaderPermissions.has(Permissions.Permission.remindersRun))
  })

  it("a volunteer holds only self-service permissions; a resident may only apply", () => {
    const self = volunteerActor("440310-V-000001", COMMUNITY_1)
    for (const permission of all) {
      assert.strictEqual(allowed(self, permission, COMMUNITY_1), permission.startsWith("volunteers.self."), permission)
      assert.strictEqual(
        allowed(resident, permission, COMMUNITY_1),
        permission === Permissions.Permission.apply,
        permission
      )
    }
    assert.isTrue(allowed(scheduler, Permissions.Permission.remindersRun))
    assert.isFalse(allowed(scheduler, Permissions.Permission.read))
  })

  it("merges role tables without dropping grants", () => {
    const merged: Record<string, ReadonlyArray<string>> = Permissions.mergeRoleTables(table, {
      volunteer: ["opinion.reports.create"]
    } as never)
    assert.deepStrictEqual(merged.volunteer, ["volunteers.self.*", "opinion.reports.create"])
    assert.deepStrictEqual(merged[Permissions.Role.hqStaff], ["volunteers.*"])
  })
})

describe("Permissions: enforced by the service (matrix)", () => {
  type Outcome = "✓" | "✗"
  const actors = ["hq", "leader1", "leader2", "volunteerA", "volunteerB", "resident", "scheduler"] as const

  const fixture = Effect.gen(function* () {
    const service = yield* setUp
    const a = yield* enrol(401)
    const b = yield* enrol(402)
    const activity = yield* service.createActivity(hq, {
      tenantId: TENANT,
      kind: "visit",
      title: "民情走访",
      teamId: "T440310001",
      communityCode: COMMUNITY_1
    })
    const shift = yield* service.addShift(hq, {
      tenantId: TENANT,
      activityId: activity.id,
      startsAt: "2026-03-02T01:30:00Z",
      endsAt: "2026-03-02T04:00:00Z",
      capacity: 10
    })
    yield* TestClock.setTime(Date.parse("2026-03-05T00:00:00Z"))
    const record = yield* service.recordService(hq, {
      tenantId: TENANT,
      volunteerId: a,
      teamId: "T440310001",
      content: "民情走访",
      startedAt: "2026-03-03T01:00:00Z",
      endedAt: "2026-03-03T02:00:00Z"
    })
    const approvedRecord = yield* service.recordService(hq, {
      tenantId: TENANT,
      volunteerId: a,
      teamId: "T440310001",
      content: "民情走访",
      startedAt: "2026-03-04T01:00:00Z",
      endedAt: "2026-03-04T02:00:00Z"
    })
    yield* service.decideRecord(hq, { tenantId: TENANT, recordId: approvedRecord.id, decision: "approve" })
    const certificate = yield* service.applyCertificate(hq, { tenantId: TENANT, teamId: "T440310001", volunteerId: a })
    yield* service.acceptCertificate(hq, { tenantId: TENANT, certificateId: certificate.id, decision: "accept" })
    yield* TestClock.setTime(Date.parse("2026-03-01T00:00:00Z"))
    const actorOf: Record<(typeof actors)[number], Actor.Actor> = {
      hq,
      leader1: leader(STREET_1),
      leader2: leader(STREET_2),
      volunteerA: volunteerActor(a, COMMUNITY_1),
      volunteerB: volunteerActor(b, COMMUNITY_1),
      resident,
      scheduler
    }
    return { service, a, b, shift, record, certificate, actorOf }
  })

  type Fixture = Effect.Effect.Success<typeof fixture>
  const rows: ReadonlyArray<
    readonly [string, (f: Fixture, actor: Actor.Actor) => Effect.Effect<unknown, { readonly _tag: string }>, string]
  > = [
    // command, run, expected for hq leader1 leader2 volunteerA volunteerB resident scheduler
    ["establishCorps", (f, x) => f.service.establishCorps(x, { tenantId: TENANT, name: "总队" }), "✓✗✗✗✗✗✗"],
    [
      "createTeam",
      (f, x) => f.service.createTeam(x, { tenantId: TENANT, kind: "community", regionCode: "440310001002" }),
      "✓✗✗✗✗✗✗"
    ],
    ["register", (f, x) => f.service.register(x, registration(499)), "✓✓✗✗✗✓✗"],
    ["getVolunteer", (f, x) => f.service.getVolunteer(x, { tenantId: TENANT, volunteerId: f.a }), "✓✓✗✓✗✗✗"],
    [
      "changeStatus",
      (f, x) => f.service.changeStatus(x, { tenantId: TENANT, volunteerId: f.b, status: "suspended", reason: "测试" }),
      "✓✓✗✗✗✗✗"
    ],
    [
      "createActivity",
      (f, x) =>
        f.service.createActivity(x, {
          tenantId: TENANT,
          kind: "event",
          title: "活动",
          teamId: "T440310001",
          communityCode: COMMUNITY_1
        }),
      "✓✓✗✗✗✗✗"
    ],
    ["signUp", (f, x) => f.service.signUp(x, { tenantId: TENANT, shiftId: f.shift.id, volunteerId: f.a }), "✓✓✗✓✗✗✗"],
    ["checkIn", (f, x) => f.service.checkIn(x, { tenantId: TENANT, shiftId: f.shift.id, volunteerId: f.a }), "✓✓✗✗✗✗✗"],
    [
      "recordService",
      (f, x) =>
        f.service.recordService(x, {
          tenantId: TENANT,
          volunteerId: f.a,
          teamId: "T440310001",
          content: "走访",
          startedAt: "2026-02-27T01:00:00Z",
          endedAt: "2026-02-27T02:00:00Z"
        }),
      "✓✓✗✗✗✗✗"
    ],
    [
      "decideRecord",
      (f, x) => f.service.decideRecord(x, { tenantId: TENANT, recordId: f.record.id, decision: "approve" }),
      "✓✓✗✗✗✗✗"
    ],
    ["listRecords", (f, x) => f.service.listRecords(x, { tenantId: TENANT, volunteerId: f.a }), "✓✓✗✓✗✗✗"],
    ["hoursOf", (f, x) => f.service.hoursOf(x, { tenantId: TENANT, volunteerId: f.a }), "✓✓✗✓✗✗✗"],
    [
      "applyCertificate",
      (f, x) => f.service.applyCertificate(x, { tenantId: TENANT, teamId: "T440310001", volunteerId: f.a }),
      "✓✓✗✓✗✗✗"
    ],
    [
      "issueCertificate",
      (f, x) => f.service.issueCertificate(x, { tenantId: TENANT, certificateId: f.certificate.id, handler: "经办人" }),
      "✓✓✗✗✗✗✗"
    ],
    ["remindShifts", (_, x) => _.service.remindShifts(x, { tenantId: TENANT, asOf: "2026-03-01" }), "✓✗✗✗✗✗✓"],
    ["closePublicity", (_, x) => _.service.closePublicity(x, { tenantId: TENANT, asOf: "2026-03-01" }), "✓✗✗✗✗✗✓"]
  ]

  for (const [name, run, expected] of rows) {
    it.effect(`${name}: ${expected}`, () =>
      Effect.gen(function* () {
        const f = yield* fixture
        let got = ""
        for (const key of actors) {
          const result = yield* Effect.either(run(f, f.actorOf[key]))
          const refused =
            Either.isLeft(result) && (result.left._tag === "Forbidden" || result.left._tag === "NotOwnRecord")
          got += (refused ? "✗" : "✓") satisfies Outcome
        }
        assert.strictEqual(got, expected, `${name} for ${actors.join(" ")}`)
      }).pipe(Effect.provide(layer()))
    )
  }
})
