import { assert, describe, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import { Effect, Either, Schema, TestClock } from "effect"
import * as Permissions from "../src/Permissions.js"
import * as Volunteers from "../src/Volunteers.js"
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
  // stranger: a volunteer whose roles grant nothing of this module (a district table without volunteers.self.*)
  const actors = ["hq", "leader1", "leader2", "volunteerA", "volunteerB", "resident", "scheduler", "stranger"] as const

  const fixture = Effect.gen(function* () {
    const service = yield* setUp
    const a = yield* enrol(401)
    const b = yield* enrol(402)
    const pending = yield* service.register(hq, registration(403))
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
    yield* service.signUp(hq, { tenantId: TENANT, shiftId: shift.id, volunteerId: a })
    // ending a volunteer's role is the team's business (a leader's role needs volunteers.corps.manage, as appointing)
    const members = yield* service.teamMembers(hq, { tenantId: TENANT, teamId: "T440310001" })
    const membership = members.find((m) => m.member.id === b && m.roleId === "volunteer")!
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
    const complaint = yield* service.addRecordEntry(hq, {
      tenantId: TENANT,
      volunteerId: a,
      teamId: "T440310001",
      kind: "complaint",
      title: "居民投诉",
      content: "走访时态度生硬",
      occurredOn: "2026-03-04"
    })
    const certificate = yield* service.applyCertificate(hq, { tenantId: TENANT, teamId: "T440310001", volunteerId: a })
    yield* service.acceptCertificate(hq, { tenantId: TENANT, certificateId: certificate.id, decision: "accept" })
    const applied = yield* service.applyCertificate(hq, { tenantId: TENANT, teamId: "T440310001", volunteerId: a })
    yield* TestClock.setTime(Date.parse("2026-03-01T00:00:00Z"))
    const actorOf: Record<(typeof actors)[number], Actor.Actor> = {
      hq,
      leader1: leader(STREET_1),
      leader2: leader(STREET_2),
      volunteerA: volunteerActor(a, COMMUNITY_1),
      volunteerB: volunteerActor(b, COMMUNITY_1),
      resident,
      scheduler,
      stranger: Schema.decodeUnknownSync(Actor.Actor)({
        _tag: "Volunteer",
        volunteerId: a,
        roles: ["opinion-reporter"],
        scope: { tenantId: TENANT, regionCode: COMMUNITY_1 }
      })
    }
    return { service, a, b, pending, activity, shift, membership, record, complaint, certificate, applied, actorOf }
  })

  type Fixture = Effect.Effect.Success<typeof fixture>
  type Run = (f: Fixture, actor: Actor.Actor) => Effect.Effect<unknown, { readonly _tag: string }>
  const shiftOf = (f: Fixture) => ({ tenantId: TENANT, shiftId: f.shift.id })
  const code = { code: "123456" }
  // every command of the service, with who may run it — expected for
  //   hq leader1 leader2 volunteerA volunteerB resident scheduler stranger
  // (the subject — team, shift, record, certificate — is in street 1; volunteerA is its volunteer)
  const rows: Record<string, readonly [Run, string]> = {
    // corps
    establishCorps: [(f, x) => f.service.establishCorps(x, { tenantId: TENANT, name: "总队" }), "✓✗✗✗✗✗✗✗"],
    createTeam: [
      (f, x) => f.service.createTeam(x, { tenantId: TENANT, kind: "community", regionCode: "440310001002" }),
      "✓✗✗✗✗✗✗✗"
    ],
    setTeamOrganisation: [
      (f, x) =>
        f.service.setTeamOrganisation(x, {
          tenantId: TENANT,
          teamId: "T440310001",
          organisation: { name: "坪山街道民情志愿服务分队", personInCharge: "李队长", contact: "0755-00000000" }
        }),
      "✓✗✗✗✗✗✗✗"
    ],
    assignRole: [
      (f, x) =>
        f.service.assignRole(x, {
          tenantId: TENANT,
          teamId: "T440310001",
          member: { _tag: "Volunteer", id: f.a },
          roleId: "volunteer"
        }),
      "✓✓✗✗✗✗✗✗"
    ],
    endRole: [
      (f, x) => f.service.endRole(x, { tenantId: TENANT, membershipId: f.membership.id, reason: "换届" }),
      "✓✓✗✗✗✗✗✗"
    ],
    getCorps: [(f, x) => f.service.getCorps(x, { tenantId: TENANT }), "✓✓✓✓✓✗✗✗"],
    teamMembers: [(f, x) => f.service.teamMembers(x, { tenantId: TENANT, teamId: "T440310001" }), "✓✓✗✗✗✗✗✗"],
    // volunteers
    register: [(f, x) => f.service.register(x, registration(499)), "✓✓✗✗✗✓✗✗"],
    decideApplication: [
      (f, x) =>
        f.service.decideApplication(x, { tenantId: TENANT, volunteerId: f.pending.volunteerId, decision: "approve" }),
      "✓✓✗✗✗✗✗✗"
    ],
    changeStatus: [
      (f, x) => f.service.changeStatus(x, { tenantId: TENANT, volunteerId: f.b, status: "suspended", reason: "测试" }),
      "✓✓✗✗✗✗✗✗"
    ],
    getVolunteer: [(f, x) => f.service.getVolunteer(x, { tenantId: TENANT, volunteerId: f.a }), "✓✓✗✓✗✗✗✗"],
    listVolunteers: [(f, x) => f.service.listVolunteers(x, { tenantId: TENANT, teamId: "T440310001" }), "✓✓✗✗✗✗✗✗"],
    updateProfile: [
      (f, x) => f.service.updateProfile(x, { tenantId: TENANT, volunteerId: f.a, skills: ["手语"] }),
      "✓✓✗✓✗✗✗✗"
    ],
    // activities and shifts
    createActivity: [
      (f, x) =>
        f.service.createActivity(x, {
          tenantId: TENANT,
          kind: "event",
          title: "活动",
          teamId: "T440310001",
          communityCode: COMMUNITY_1
        }),
      "✓✓✗✗✗✗✗✗"
    ],
    addShift: [
      (f, x) =>
        f.service.addShift(x, {
          tenantId: TENANT,
          activityId: f.activity.id,
          startsAt: "2026-03-09T01:30:00Z",
          endsAt: "2026-03-09T04:00:00Z",
          capacity: 5
        }),
      "✓✓✗✗✗✗✗✗"
    ],
    cancelShift: [(f, x) => f.service.cancelShift(x, { ...shiftOf(f), reason: "台风预警" }), "✓✓✗✗✗✗✗✗"],
    getShift: [(f, x) => f.service.getShift(x, shiftOf(f)), "✓✓✗✓✓✗✗✗"],
    listActivities: [(f, x) => f.service.listActivities(x, { tenantId: TENANT }), "✓✓✓✓✓✗✗✗"],
    listShifts: [(f, x) => f.service.listShifts(x, { tenantId: TENANT, teamId: "T440310001" }), "✓✓✓✓✓✗✗✗"],
    signUp: [(f, x) => f.service.signUp(x, { ...shiftOf(f), volunteerId: f.a }), "✓✓✗✓✗✗✗✗"],
    cancelSignUp: [(f, x) => f.service.cancelSignUp(x, { ...shiftOf(f), volunteerId: f.a }), "✓✓✗✓✗✗✗✗"],
    listSignUps: [(f, x) => f.service.listSignUps(x, { tenantId: TENANT, volunteerId: f.a }), "✓✓✗✓✗✗✗✗"],
    checkIn: [(f, x) => f.service.checkIn(x, { ...shiftOf(f), volunteerId: f.a }), "✓✓✗✗✗✗✗✗"],
    walkIn: [(f, x) => f.service.walkIn(x, { ...shiftOf(f), volunteerId: f.b }), "✓✓✗✗✗✗✗✗"],
    checkOut: [(f, x) => f.service.checkOut(x, { ...shiftOf(f), volunteerId: f.a }), "✓✓✗✗✗✗✗✗"],
    issueCheckCode: [(f, x) => f.service.issueCheckCode(x, { ...shiftOf(f), purpose: "check-in" }), "✓✓✗✗✗✗✗✗"],
    // codes are redeemed by volunteers only: anyone else is turned away as invalid input (✓ here: not a refusal
    // of the permission), a volunteer without volunteers.self.checkin is forbidden
    checkInWithCode: [(f, x) => f.service.checkInWithCode(x, { ...shiftOf(f), ...code }), "✓✓✓✓✓✓✓✗"],
    checkOutWithCode: [(f, x) => f.service.checkOutWithCode(x, { ...shiftOf(f), ...code }), "✓✓✓✓✓✓✓✗"],
    closeShift: [(f, x) => f.service.closeShift(x, shiftOf(f)), "✓✓✗✗✗✗✗✗"],
    remindShifts: [(_, x) => _.service.remindShifts(x, { tenantId: TENANT, asOf: "2026-03-01" }), "✓✗✗✗✗✗✓✗"],
    // records
    recordService: [
      (f, x) =>
        f.service.recordService(x, {
          tenantId: TENANT,
          volunteerId: f.a,
          teamId: "T440310001",
          content: "走访",
          startedAt: "2026-02-27T01:00:00Z",
          endedAt: "2026-02-27T02:00:00Z"
        }),
      "✓✓✗✗✗✗✗✗"
    ],
    adjustRecord: [
      (f, x) => f.service.adjustRecord(x, { tenantId: TENANT, recordId: f.record.id, minutes: -5, reason: "更正" }),
      "✓✓✗✗✗✗✗✗"
    ],
    decideRecord: [
      (f, x) => f.service.decideRecord(x, { tenantId: TENANT, recordId: f.record.id, decision: "approve" }),
      "✓✓✗✗✗✗✗✗"
    ],
    addRecordEntry: [
      (f, x) =>
        f.service.addRecordEntry(x, {
          tenantId: TENANT,
          volunteerId: f.a,
          teamId: "T440310001",
          kind: "commendation",
          title: "表彰",
          content: "走访认真",
          occurredOn: "2026-02-28"
        }),
      "✓✓✗✗✗✗✗✗"
    ],
    resolveComplaint: [
      (f, x) =>
        f.service.resolveComplaint(x, { tenantId: TENANT, entryId: f.complaint.id, resolution: "已约谈并致歉" }),
      "✓✓✗✗✗✗✗✗"
    ],
    listRecords: [(f, x) => f.service.listRecords(x, { tenantId: TENANT, volunteerId: f.a }), "✓✓✗✓✗✗✗✗"],
    hoursOf: [(f, x) => f.service.hoursOf(x, { tenantId: TENANT, volunteerId: f.a }), "✓✓✗✓✗✗✗✗"],
    recomputeHours: [(f, x) => f.service.recomputeHours(x, { tenantId: TENANT, volunteerId: f.a }), "✓✗✗✗✗✗✗✗"],
    // certificates
    applyCertificate: [
      (f, x) => f.service.applyCertificate(x, { tenantId: TENANT, teamId: "T440310001", volunteerId: f.a }),
      "✓✓✗✓✗✗✗✗"
    ],
    acceptCertificate: [
      (f, x) => f.service.acceptCertificate(x, { tenantId: TENANT, certificateId: f.applied.id, decision: "accept" }),
      "✓✓✗✗✗✗✗✗"
    ],
    issueCertificate: [
      (f, x) => f.service.issueCertificate(x, { tenantId: TENANT, certificateId: f.certificate.id, handler: "经办人" }),
      "✓✓✗✗✗✗✗✗"
    ],
    closePublicity: [(_, x) => _.service.closePublicity(x, { tenantId: TENANT, asOf: "2026-03-01" }), "✓✗✗✗✗✗✓✗"],
    revokeCertificate: [
      (f, x) =>
        f.service.revokeCertificate(x, { tenantId: TENANT, certificateId: f.certificate.id, reason: "经核查有误" }),
      "✓✓✗✗✗✗✗✗"
    ],
    getCertificate: [
      (f, x) => f.service.getCertificate(x, { tenantId: TENANT, certificateId: f.certificate.id }),
      "✓✓✗✓✗✗✗✗"
    ],
    listCertificates: [(f, x) => f.service.listCertificates(x, { tenantId: TENANT, volunteerId: f.a }), "✓✓✗✓✗✗✗✗"]
  }

  it.effect("every command of the service has a row (a new command cannot be left out)", () =>
    Effect.gen(function* () {
      const service: Record<string, unknown> = { ...(yield* Volunteers.Volunteers) }
      const commands = Object.keys(service).filter((key) => typeof service[key] === "function")
      assert.isAbove(commands.length, 40)
      assert.deepStrictEqual(
        commands.filter((command) => !(command in rows)),
        [],
        "commands without a row in the permission matrix"
      )
      assert.deepStrictEqual(
        Object.keys(rows).filter((command) => !commands.includes(command)),
        [],
        "rows for commands the service does not have"
      )
    }).pipe(Effect.provide(layer()))
  )

  for (const [name, [run, expected]] of Object.entries(rows)) {
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
