import { assert, describe, it } from "@effect/vitest"
import * as Command from "@gongzhi/core/Command"
import * as Mask from "@gongzhi/core/Mask"
import { Effect, Option } from "effect"
import { VolunteerRepo } from "../src/VolunteerRepo.js"
import * as Volunteers from "../src/Volunteers.js"
import {
  auditEntries,
  COMMUNITY_1,
  COMMUNITY_2,
  enrol,
  events,
  hq,
  KNOWN,
  layer,
  leader,
  registration,
  resident,
  STREET_1,
  STREET_2,
  setUp,
  syntheticId,
  TENANT,
  volunteerActor
} from "./fixtures.js"

describe("Volunteers: organisation", () => {
  it.effect("establishes the corps with a headquarters team and one sub-team per street", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const { corps, teams } = yield* service.getCorps(hq, { tenantId: TENANT })
      assert.strictEqual(corps.name, "坪山区民情志愿服务总队")
      assert.deepStrictEqual(
        corps.memberRoles.map((r) => r.name),
        ["专职人员", "兼职分队长", "民情志愿者"]
      )
      assert.strictEqual(teams.length, 7)
      const streetTeams = teams.filter((t) => t.kind === "street")
      assert.deepStrictEqual(
        streetTeams.map((t) => t.name),
        ["坪山街道分队", "马峦街道分队", "碧岭街道分队", "石井街道分队", "坑梓街道分队", "龙田街道分队"]
      )
      assert.isTrue(streetTeams.every((t) => t.parentId === corps.headquartersId))
      const again = yield* Effect.flip(service.establishCorps(hq, { tenantId: TENANT, name: "再来一个" }))
      assert.strictEqual(again._tag, "InvalidTransition")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("binds teams to regions of the tree: a bonded zone is no street, a street code is no community", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const zone = yield* Effect.flip(
        service.createTeam(hq, { tenantId: TENANT, kind: "street", regionCode: "440310401" })
      )
      assert.strictEqual(zone._tag, "RegionNotFound")
      assert.include(zone.message, "不是本区区划数据（2023 版）中的街道")
      const group = yield* service.createTeam(hq, { tenantId: TENANT, kind: "community", regionCode: "440310002004" })
      assert.strictEqual(group.name, "沙坣社区小组")
      assert.strictEqual(group.parentId, "T440310002")
      const wrong = yield* Effect.flip(
        service.createTeam(hq, { tenantId: TENANT, kind: "community", regionCode: STREET_1 })
      )
      assert.strictEqual(wrong._tag, "RegionNotFound")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("lets a member hold roles in several teams; a leader cannot appoint staff tiers", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const v = yield* enrol(11)
      const m1 = yield* service.assignRole(hq, {
        tenantId: TENANT,
        teamId: "T440310001",
        member: { _tag: "Volunteer", id: v },
        roleId: "team-leader"
      })
      yield* service.assignRole(hq, {
        tenantId: TENANT,
        teamId: "T440310002",
        member: { _tag: "Volunteer", id: v },
        roleId: "volunteer"
      })
      const twice = yield* Effect.flip(
        service.assignRole(hq, {
          tenantId: TENANT,
          teamId: "T440310001",
          member: { _tag: "Volunteer", id: v },
          roleId: "team-leader"
        })
      )
      assert.strictEqual(twice._tag, "InvalidTransition")
      // a street leader may add volunteers to their team, but not appoint leaders or staff
      const escalation = yield* Effect.flip(
        service.assignRole(leader(STREET_1), {
          tenantId: TENANT,
          teamId: "T440310001",
          member: { _tag: "Staff", id: "S9" },
          roleId: "full-time-staff"
        })
      )
      assert.strictEqual(escalation._tag, "Forbidden")
      const members = yield* service.teamMembers(hq, { tenantId: TENANT, teamId: "T440310001" })
      assert.deepStrictEqual(members.map((m) => m.roleId).sort(), ["team-leader", "volunteer"])
      const ended = yield* service.endRole(hq, { tenantId: TENANT, membershipId: m1.id, reason: "换届" })
      assert.strictEqual(ended.status, "ended")
      const after = yield* service.teamMembers(hq, { tenantId: TENANT, teamId: "T440310001" })
      assert.deepStrictEqual(
        after.map((m) => m.roleId),
        ["volunteer"]
      )
    }).pipe(Effect.provide(layer()))
  )
})

describe("Volunteers: registration", () => {
  it.effect("registers with sealed personal data, a public number and masked views", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const input = registration(21, {
        affiliation: {
          kind: "enterprise",
          organisation: "深圳市坪山测试科技有限公司",
          creditCode: "91350100M000100Y43"
        }
      })
      const view = yield* service.register(hq, input)
      assert.strictEqual(view.volunteerId, "440310-V-000001")
      assert.strictEqual(view.status, "applied")
      assert.strictEqual(view.maskedResidentId, Mask.residentId(input.residentId))
      assert.strictEqual(view.maskedMobile, "138****0021")
      assert.strictEqual(view.creditCode, "91350100M000100Y43")
      assert.strictEqual(view.channel, "team")
      assert.strictEqual(view.streetCode, STREET_1)
      // neither the number nor the birth date appear in any view, the stored document, an event or the audit log
      const birth = input.residentId.slice(6, 14)
      const stored = Option.getOrThrow(yield* (yield* VolunteerRepo).get(TENANT, view.volunteerId))
      const everything = JSON.stringify([view, stored.value, yield* events, yield* auditEntries])
      assert.notInclude(everything, input.residentId)
      assert.notInclude(everything, input.mobile)
      assert.notInclude(JSON.stringify(view), birth)
      const second = yield* service.register(hq, registration(22))
      assert.strictEqual(second.volunteerId, "440310-V-000002")
      const list = yield* service.listVolunteers(hq, { tenantId: TENANT })
      assert.deepStrictEqual(Object.keys(list.items[0]).sort(), [
        "affiliation",
        "approvedHours",
        "homeCommunity",
        "maskedMobile",
        "name",
        "starLevel",
        "status",
        "teamId",
        "volunteerId"
      ])
    }).pipe(Effect.provide(layer()))
  )

  it.effect("refuses a real-name mismatch and an unknown number with a message a clerk can read", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const mismatch = yield* Effect.flip(
        service.register(hq, registration(1, { name: "李四", residentId: KNOWN.residentId }))
      )
      assert.strictEqual(mismatch._tag, "IdentityCheckFailed")
      assert.include(mismatch.message, "姓名与公民身份号码不一致")
      assert.notInclude(mismatch.message, KNOWN.residentId)
      const ok = yield* service.register(hq, registration(1, { name: KNOWN.name, residentId: KNOWN.residentId }))
      assert.strictEqual(ok.status, "applied")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("refuses a number the verifier does not know", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const unknown = yield* Effect.flip(service.register(hq, registration(5)))
      assert.strictEqual(unknown._tag, "IdentityCheckFailed")
      assert.include(unknown.message, "查无此公民身份号码")
    }).pipe(Effect.provide(layer({}, { persons: [KNOWN] })))
  )

  it.effect("names the existing volunteer's number only to whom may see that volunteer", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const first = yield* service.register(hq, registration(41))
      // a team leader of another street, registering the same person into their own street
      const elsewhere = yield* Effect.flip(
        service.register(leader(STREET_2), registration(41, { homeCommunity: COMMUNITY_2 }))
      )
      assert.strictEqual(elsewhere._tag, "AlreadyRegistered")
      assert.isTrue(elsewhere._tag === "AlreadyRegistered" && elsewhere.volunteerId === undefined)
      assert.notInclude(elsewhere.message, first.volunteerId)
      // the leader of the volunteer's own street, and district staff, see it
      const ownStreet = yield* Effect.flip(service.register(leader(STREET_1), registration(41)))
      assert.include(ownStreet.message, first.volunteerId)
      const district = yield* Effect.flip(service.register(hq, registration(41)))
      assert.include(district.message, first.volunteerId)
    }).pipe(Effect.provide(layer()))
  )

  it.effect("finds the duplicate through the blind index, whatever the spelling", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const first = yield* service.register(hq, registration(31))
      const id = syntheticId(31)
      const spelled = id.endsWith("X") ? `${id.slice(0, -1)}x` : ` ${id} `
      const twice = yield* Effect.flip(service.register(resident, registration(31, { residentId: spelled })))
      assert.strictEqual(twice._tag, "AlreadyRegistered")
      assert.include(twice.message, first.volunteerId)
      assert.notInclude(twice.message, id)
      // a rejected applicant may apply again
      yield* service.decideApplication(hq, {
        tenantId: TENANT,
        volunteerId: first.volunteerId,
        decision: "reject",
        reason: "材料不全"
      })
      const again = yield* service.register(resident, registration(31))
      assert.strictEqual(again.channel, "self")
      assert.notStrictEqual(again.volunteerId, first.volunteerId)
    }).pipe(Effect.provide(layer()))
  )

  it.effect("decodes input first: consent is required, and an invalid ID number is never repeated", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const noConsent = yield* Effect.flip(service.register(hq, { ...registration(41), consent: undefined } as never))
      assert.strictEqual(noConsent._tag, "InvalidInput")
      assert.include(noConsent.message, "个人信息处理同意")
      const id = syntheticId(41)
      const broken = `${id.slice(0, 17)}${id[17] === "0" ? "1" : "0"}`
      const bad = yield* Effect.flip(service.register(hq, registration(41, { residentId: broken })))
      assert.strictEqual(bad._tag, "InvalidInput")
      assert.include(bad.message, "公民身份号码")
      assert.notInclude(bad.message, broken)
      const code = yield* Effect.flip(
        service.register(
          hq,
          registration(41, {
            affiliation: { kind: "social-organisation", organisation: "某中心", creditCode: "91350100M000100Y44" }
          })
        )
      )
      assert.strictEqual(code._tag, "InvalidInput")
      const home = yield* Effect.flip(service.register(hq, registration(41, { homeCommunity: "440310001099" })))
      assert.strictEqual(home._tag, "RegionNotFound")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("input problems are core's InvalidInput: a path and a message per problem, a depth bomb included", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const bad = yield* Effect.flip(service.register(hq, registration(42, { mobile: 12, skills: "跑步" })))
      assert.instanceOf(bad, Command.InvalidInput)
      const problems = (bad as Command.InvalidInput).problems
      assert.deepStrictEqual(problems.map((problem) => problem.path).sort(), ["mobile", "skills"])
      assert.include(problems.find((problem) => problem.path === "mobile")?.message, "手机号码")
      let bomb: unknown = "x"
      for (let i = 0; i < 3000; i++) bomb = { affiliation: bomb }
      const deep = yield* Effect.flip(service.register(hq, bomb as never))
      assert.strictEqual(deep._tag, "InvalidInput")
      assert.match(deep.message, /嵌套过深/)
      const before = (yield* auditEntries).length
      assert.isAbove(before, 0)
      const other = yield* Effect.flip(service.register(hq, registration(43, { tenantId: "440311" })))
      assert.strictEqual(other._tag, "Forbidden")
      assert.strictEqual((other as { readonly reason?: string }).reason, "tenant")
      assert.strictEqual((yield* auditEntries).length, before)
    }).pipe(Effect.provide(layer()))
  )

  it.effect("approval activates, gives the volunteer role, emits ApplicationApproved; decisions are final", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const applied = yield* service.register(resident, registration(51, { homeCommunity: COMMUNITY_2 }))
      // the leader of another street cannot approve
      const other = yield* Effect.flip(
        service.decideApplication(leader(STREET_1), {
          tenantId: TENANT,
          volunteerId: applied.volunteerId,
          decision: "approve"
        })
      )
      assert.strictEqual(other._tag, "Forbidden")
      const approved = yield* service.decideApplication(leader("440310002"), {
        tenantId: TENANT,
        volunteerId: applied.volunteerId,
        decision: "approve"
      })
      assert.strictEqual(approved.status, "active")
      const twice = yield* Effect.flip(
        service.decideApplication(hq, {
          tenantId: TENANT,
          volunteerId: applied.volunteerId,
          decision: "reject",
          reason: "x"
        })
      )
      assert.strictEqual(twice._tag, "InvalidTransition")
      assert.include(twice.message, "在册")
      const outbox = yield* events
      assert.deepStrictEqual(
        outbox.map((e) => e.type),
        ["volunteers.ApplicationApproved"]
      )
      assert.deepStrictEqual(outbox[0].payload, {
        _tag: "ApplicationApproved",
        volunteerId: applied.volunteerId,
        name: applied.name,
        teamId: "T440310002",
        teamName: "马峦街道分队",
        approvedAt: new Date(Date.UTC(2026, 2, 2, 1)).toISOString()
      })
      const members = yield* service.teamMembers(hq, { tenantId: TENANT, teamId: "T440310002" })
      assert.deepStrictEqual(
        members.map((m) => [m.member.id, m.roleId]),
        [[applied.volunteerId, "volunteer"]]
      )
      const rejectWithoutReason = yield* Effect.flip(
        service.decideApplication(hq, { tenantId: TENANT, volunteerId: applied.volunteerId, decision: "reject" })
      )
      assert.strictEqual(rejectWithoutReason._tag, "InvalidInput")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("status changes: suspend, reinstate, leave (ends roles), rejoin", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const v = yield* enrol(61)
      const change = (status: "active" | "suspended" | "left") =>
        service.changeStatus(hq, { tenantId: TENANT, volunteerId: v, status, reason: "测试" })
      assert.strictEqual((yield* change("suspended")).status, "suspended")
      assert.strictEqual((yield* change("active")).status, "active")
      assert.strictEqual((yield* change("left")).status, "left")
      assert.strictEqual((yield* service.teamMembers(hq, { tenantId: TENANT, teamId: "T440310001" })).length, 0)
      const suspendLeft = yield* Effect.flip(change("suspended"))
      assert.strictEqual(suspendLeft._tag, "InvalidTransition")
      assert.strictEqual((yield* change("active")).status, "active")
      assert.strictEqual((yield* service.teamMembers(hq, { tenantId: TENANT, teamId: "T440310001" })).length, 1)
    }).pipe(Effect.provide(layer()))
  )

  it.effect("a volunteer reads and updates their own profile only", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const me = yield* enrol(71)
      const someone = yield* enrol(72)
      const self = volunteerActor(me, COMMUNITY_1)
      const view = yield* service.getVolunteer(self, { tenantId: TENANT, volunteerId: me })
      assert.strictEqual(view.volunteerId, me)
      const other = yield* Effect.flip(service.getVolunteer(self, { tenantId: TENANT, volunteerId: someone }))
      assert.strictEqual(other._tag, "NotOwnRecord")
      const updated = yield* service.updateProfile(self, {
        tenantId: TENANT,
        volunteerId: me,
        mobile: "+86 139-0000-1111",
        skills: ["手语"]
      })
      assert.strictEqual(updated.maskedMobile, "139****1111")
      assert.deepStrictEqual(updated.skills, ["手语"])
      const entries = yield* auditEntries
      const last = entries[entries.length - 1]
      assert.strictEqual(last.action, "volunteers.volunteer.update")
      assert.deepStrictEqual(last.details, { fields: ["mobile", "skills"] })
      assert.notInclude(JSON.stringify(entries), "13900001111")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("lists a street leader's own team by default and refuses another street", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      yield* enrol(81)
      yield* enrol(82, { homeCommunity: COMMUNITY_2 })
      const mine = yield* service.listVolunteers(leader(STREET_1), { tenantId: TENANT })
      assert.strictEqual(mine.items.length, 1)
      assert.strictEqual(mine.items[0].teamId, "T440310001")
      const theirs = yield* Effect.flip(
        service.listVolunteers(leader(STREET_1), { tenantId: TENANT, teamId: "T440310002" })
      )
      assert.strictEqual(theirs._tag, "Forbidden")
      const all = yield* service.listVolunteers(hq, { tenantId: TENANT, limit: 1 })
      assert.strictEqual(all.items.length, 1)
      assert.isDefined(all.nextCursor)
    }).pipe(Effect.provide(layer()))
  )

  it.effect("every command is one transaction: a refused decision leaves no audit entry or event", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const v = yield* enrol(91)
      const before = (yield* auditEntries).length
      const eventsBefore = (yield* events).length
      yield* Effect.flip(service.decideApplication(hq, { tenantId: TENANT, volunteerId: v, decision: "approve" }))
      assert.strictEqual((yield* auditEntries).length, before)
      assert.strictEqual((yield* events).length, eventsBefore)
    }).pipe(Effect.provide(layer()))
  )
})

describe("Volunteers: layers", () => {
  it("fills policy defaults", () => {
    const settings = Volunteers.settings({ regions: {} as never })
    assert.strictEqual(settings.publicity.days, 7)
    assert.deepStrictEqual(settings.starPolicies[0].thresholdHours, [100, 300, 600, 1000, 1500])
    assert.strictEqual(settings.checkCodeTtlMinutes, 10)
  })
})
