import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck, TestClock } from "effect"
import { ActorRef } from "../src/ActorRef.js"
import * as ServiceRecord from "../src/ServiceRecord.js"
import * as StarLevel from "../src/StarLevel.js"
import { samples } from "../src/testing.js"
import {
  auditEntries,
  COMMUNITY_1,
  enrol,
  events,
  hq,
  layer,
  leader,
  setUp,
  TENANT,
  volunteerActor
} from "./fixtures.js"

const by = new ActorRef({ kind: "Staff", id: "S1" })
const at = new Date(Date.UTC(2026, 2, 2))

describe("StarLevel", () => {
  it("counts thresholds reached: 100/300/600/1000/1500 hours by default", () => {
    const level = (hours: number) => StarLevel.levelFor(StarLevel.defaultPolicy, hours * 60)
    assert.deepStrictEqual(
      [0, 99.98, 100, 299, 300, 600, 999, 1000, 1500, 9999].map(level),
      [0, 0, 1, 1, 2, 3, 3, 4, 5, 5]
    )
    assert.strictEqual(StarLevel.hoursToNextLevel(StarLevel.defaultPolicy, 250 * 60), 50)
    assert.isUndefined(StarLevel.hoursToNextLevel(StarLevel.defaultPolicy, 1500 * 60))
  })

  it("chooses the policy in force on a date, and rejects thresholds that do not increase", () => {
    const newer = new StarLevel.StarPolicy({
      source: "某区办法（2026）",
      effectiveFrom: "2026-04-01" as never,
      thresholdHours: [50, 200]
    })
    assert.strictEqual(StarLevel.policyAt([StarLevel.defaultPolicy, newer], "2026-03-31"), StarLevel.defaultPolicy)
    assert.strictEqual(StarLevel.policyAt([newer, StarLevel.defaultPolicy], "2026-04-01"), newer)
    assert.throws(
      () => new StarLevel.StarPolicy({ source: "x", effectiveFrom: "2026-01-01" as never, thresholdHours: [100, 100] })
    )
  })

  it.prop(
    "is monotone in hours",
    [FastCheck.integer({ min: 0, max: 200_000 }), FastCheck.integer({ min: 0, max: 200_000 })],
    ([a, b]) => {
      const [low, high] = a <= b ? [a, b] : [b, a]
      assert.isAtMost(
        StarLevel.levelFor(StarLevel.defaultPolicy, low),
        StarLevel.levelFor(StarLevel.defaultPolicy, high)
      )
    }
  )
})

describe("ServiceRecord: the hours state machine", () => {
  const step = FastCheck.oneof(
    FastCheck.record({
      op: FastCheck.constant("create" as const),
      minutes: FastCheck.integer({ min: 0, max: 600 }),
      training: FastCheck.boolean()
    }),
    FastCheck.record({
      op: FastCheck.constant("adjust" as const),
      target: FastCheck.nat(),
      minutes: FastCheck.integer({ min: -300, max: 300 })
    }),
    FastCheck.record({
      op: FastCheck.constant("decide" as const),
      target: FastCheck.nat(),
      approve: FastCheck.boolean()
    })
  )

  it.prop(
    "approved hours (kept by deltas) always equal the sum of approved records, adjustments included",
    [FastCheck.array(step, { maxLength: 80 })],
    ([steps]) => {
      const records: Array<ServiceRecord.ServiceRecord> = []
      let service = 0
      let training = 0
      let level = 0
      for (const s of steps) {
        if (s.op === "create") {
          records.push(
            samples.record(TENANT, records.length, {
              id: `r${records.length}`,
              measuredMinutes: s.minutes,
              adjustments: [],
              status: "pending",
              kind: s.training ? "training" : "service"
            })
          )
          continue
        }
        if (records.length === 0) continue
        const index = s.target % records.length
        const result =
          s.op === "adjust"
            ? ServiceRecord.adjust(
                records[index],
                new ServiceRecord.Adjustment({ minutes: s.minutes, reason: "更正", by, at })
              )
            : ServiceRecord.decide(records[index], { approve: s.approve, by, at })
        if (Either.isLeft(result)) {
          const previous = records[index]
          // refusals are the documented ones only: a decided record, a rejected record, a negative total
          if (s.op === "decide") assert.notStrictEqual(previous.status, "pending")
          else
            assert.isTrue(
              previous.status === "rejected" ||
                ServiceRecord.effectiveMinutes(previous) + s.minutes < 0 ||
                ServiceRecord.effectiveMinutes(previous) + s.minutes > ServiceRecord.MAX_RECORD_MINUTES
            )
          continue
        }
        // an adjusted approved record needs approval again
        if (s.op === "adjust" && records[index].status === "approved") {
          assert.strictEqual(result.right.record.status, "pending")
        }
        records[index] = result.right.record
        service += result.right.delta.serviceMinutes
        training += result.right.delta.trainingMinutes
        const next = StarLevel.levelFor(StarLevel.defaultPolicy, service)
        if (result.right.delta.serviceMinutes >= 0) assert.isAtLeast(next, level)
        level = next
        assert.strictEqual(service, ServiceRecord.approvedServiceMinutes(records))
        assert.strictEqual(training, ServiceRecord.approvedTrainingMinutes(records))
        assert.isTrue(records.every((r) => ServiceRecord.effectiveMinutes(r) >= 0))
      }
    }
  )
})

describe("ServiceRecord: the service", () => {
  const policy = new StarLevel.StarPolicy({
    source: "测试用星级标准",
    effectiveFrom: "2020-01-01" as never,
    thresholdHours: [1, 3]
  })

  it.effect("records by hand, adjusts with a reason, approves: hours and a star level reached", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const v = yield* enrol(201)
      yield* TestClock.setTime(Date.parse("2026-03-03T10:00:00Z"))
      const record = yield* service.recordService(leader("440310001"), {
        tenantId: TENANT,
        volunteerId: v,
        teamId: "T440310001",
        content: "入户走访，收集民情诉求",
        communityCode: COMMUNITY_1,
        startedAt: "2026-03-03T01:00:00Z",
        endedAt: "2026-03-03T02:30:00Z"
      })
      assert.strictEqual(record.measuredMinutes, 90)
      const adjusted = yield* service.adjustRecord(leader("440310001"), {
        tenantId: TENANT,
        recordId: record.id,
        minutes: -20,
        reason: "扣除往返路途时间"
      })
      assert.strictEqual(ServiceRecord.effectiveMinutes(adjusted), 70)
      assert.deepStrictEqual(adjusted.adjustments[0].by, new ActorRef({ kind: "Staff", id: "L1" }))
      const otherTeam = yield* Effect.flip(
        service.decideRecord(leader("440310002"), { tenantId: TENANT, recordId: record.id, decision: "approve" })
      )
      assert.strictEqual(otherTeam._tag, "Forbidden")
      yield* service.decideRecord(leader("440310001"), { tenantId: TENANT, recordId: record.id, decision: "approve" })
      const hours = yield* service.hoursOf(volunteerActor(v), { tenantId: TENANT, volunteerId: v })
      assert.strictEqual(hours.approvedMinutes, 70)
      assert.strictEqual(hours.starLevel, 1)
      assert.strictEqual(hours.hoursToNextLevel, 1.83)
      const reached = (yield* events).filter((e) => e.type === "volunteers.StarLevelReached")
      assert.strictEqual(reached.length, 1)
      assert.deepStrictEqual(reached[0].payload, {
        _tag: "StarLevelReached",
        volunteerId: v,
        name: (yield* service.getVolunteer(hq, { tenantId: TENANT, volunteerId: v })).name,
        level: 1,
        previousLevel: 0,
        approvedHours: 1.17,
        policySource: "测试用星级标准",
        policyEffectiveFrom: "2020-01-01"
      })
      // adjusting an approved record sends it back for approval: its hours leave the total until then
      const readjusted = yield* service.adjustRecord(hq, {
        tenantId: TENANT,
        recordId: record.id,
        minutes: -30,
        reason: "更正"
      })
      assert.strictEqual(readjusted.status, "pending")
      assert.strictEqual((yield* service.hoursOf(hq, { tenantId: TENANT, volunteerId: v })).approvedMinutes, 0)
      yield* service.decideRecord(hq, { tenantId: TENANT, recordId: record.id, decision: "approve" })
      const after = yield* service.hoursOf(hq, { tenantId: TENANT, volunteerId: v })
      assert.strictEqual(after.approvedMinutes, 40)
      assert.strictEqual(after.starLevel, 0)
      assert.strictEqual((yield* events).filter((e) => e.type === "volunteers.StarLevelReached").length, 1)
      const twice = yield* Effect.flip(
        service.decideRecord(hq, { tenantId: TENANT, recordId: record.id, decision: "reject", reason: "重复" })
      )
      assert.strictEqual(twice._tag, "InvalidTransition")
      const negative = yield* Effect.flip(
        service.adjustRecord(hq, { tenantId: TENANT, recordId: record.id, minutes: -41, reason: "更正" })
      )
      assert.strictEqual(negative._tag, "AdjustmentRefused")
      const audit = (yield* auditEntries).filter((e) => e.action.startsWith("volunteers.record."))
      assert.deepStrictEqual(
        audit.map((e) => e.action),
        [
          "volunteers.record.create",
          "volunteers.record.adjust",
          "volunteers.record.approve",
          "volunteers.record.adjust",
          "volunteers.record.approve"
        ]
      )
    }).pipe(Effect.provide(layer({ starPolicies: [policy] })))
  )

  it.effect("training is recorded but not counted as service; recompute agrees with the running total", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const v = yield* enrol(202)
      yield* TestClock.setTime(Date.parse("2026-03-05T10:00:00Z"))
      const ids: Array<string> = []
      for (const [kind, start, end] of [
        ["service", "2026-03-03T01:00:00Z", "2026-03-03T03:00:00Z"],
        ["training", "2026-03-04T01:00:00Z", "2026-03-04T02:00:00Z"],
        ["service", "2026-03-05T01:00:00Z", "2026-03-05T01:45:00Z"]
      ] as const) {
        const r = yield* service.recordService(hq, {
          tenantId: TENANT,
          volunteerId: v,
          teamId: "T440310001",
          kind,
          content: kind === "training" ? "民情志愿者岗前培训" : "民情走访",
          startedAt: start,
          endedAt: end
        })
        yield* service.decideRecord(hq, { tenantId: TENANT, recordId: r.id, decision: "approve" })
        ids.push(r.id)
      }
      const hours = yield* service.hoursOf(hq, { tenantId: TENANT, volunteerId: v })
      assert.strictEqual(hours.approvedMinutes, 165)
      assert.strictEqual(hours.trainingHours, 1)
      const recomputed = yield* service.recomputeHours(hq, { tenantId: TENANT, volunteerId: v })
      assert.strictEqual(recomputed.approvedMinutes, 165)
      const mine = yield* service.listRecords(volunteerActor(v), { tenantId: TENANT })
      assert.strictEqual(mine.items.length, 3)
      const other = yield* enrol(203)
      const theirs = yield* Effect.flip(
        service.listRecords(volunteerActor(v), { tenantId: TENANT, volunteerId: other })
      )
      assert.strictEqual(theirs._tag, "NotOwnRecord")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("commendations, evaluations (with a rating) and complaints (resolved once)", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const v = yield* enrol(204)
      const evaluation = yield* Effect.flip(
        service.addRecordEntry(hq, {
          tenantId: TENANT,
          volunteerId: v,
          teamId: "T440310001",
          kind: "evaluation",
          title: "年度评价",
          content: "积极参与",
          occurredOn: "2026-02-28"
        })
      )
      assert.strictEqual(evaluation._tag, "InvalidInput")
      const complaint = yield* service.addRecordEntry(leader("440310001"), {
        tenantId: TENANT,
        volunteerId: v,
        teamId: "T440310001",
        kind: "complaint",
        title: "居民投诉",
        content: "走访时态度生硬",
        occurredOn: "2026-03-01"
      })
      assert.strictEqual(complaint.complaintStatus, "open")
      const resolved = yield* service.resolveComplaint(leader("440310001"), {
        tenantId: TENANT,
        entryId: complaint.id,
        resolution: "已约谈并向居民致歉"
      })
      assert.strictEqual(resolved.complaintStatus, "resolved")
      const again = yield* Effect.flip(
        service.resolveComplaint(hq, { tenantId: TENANT, entryId: complaint.id, resolution: "再次" })
      )
      assert.strictEqual(again._tag, "InvalidTransition")
    }).pipe(Effect.provide(layer()))
  )
})

describe("ServiceRecord: adjustments are capped and need approval again", () => {
  it.effect("repeated raises stop at 24 hours per record; each raise of an approved record needs re-approval", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const v = yield* enrol(203)
      yield* TestClock.setTime(Date.parse("2026-03-03T10:00:00Z"))
      const record = yield* service.recordService(leader("440310001"), {
        tenantId: TENANT,
        volunteerId: v,
        teamId: "T440310001",
        content: "入户走访",
        communityCode: COMMUNITY_1,
        startedAt: "2026-03-03T01:00:00Z",
        endedAt: "2026-03-03T02:00:00Z"
      })
      yield* service.decideRecord(hq, { tenantId: TENANT, recordId: record.id, decision: "approve" })
      let refused = 0
      for (let n = 0; n < 20; n++) {
        const result = yield* Effect.either(
          service.adjustRecord(hq, { tenantId: TENANT, recordId: record.id, minutes: 1_440, reason: "补录" })
        )
        if (result._tag === "Left") {
          assert.strictEqual(result.left._tag, "AdjustmentRefused")
          assert.match(result.left.message, /上限 1440 分钟/)
          refused++
        } else {
          assert.strictEqual(result.right.status, "pending")
        }
      }
      assert.strictEqual(refused, 20)
      const raised = yield* service.adjustRecord(hq, {
        tenantId: TENANT,
        recordId: record.id,
        minutes: 1_380,
        reason: "补录"
      })
      assert.strictEqual(ServiceRecord.effectiveMinutes(raised), 1_440)
      assert.strictEqual(raised.status, "pending")
      assert.strictEqual((yield* service.hoursOf(hq, { tenantId: TENANT, volunteerId: v })).approvedMinutes, 0)
      const more = yield* Effect.flip(
        service.adjustRecord(hq, { tenantId: TENANT, recordId: record.id, minutes: 1, reason: "补录" })
      )
      assert.strictEqual(more._tag, "AdjustmentRefused")
    }).pipe(Effect.provide(layer()))
  )
})
