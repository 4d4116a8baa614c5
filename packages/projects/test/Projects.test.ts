import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Outbox from "@gongzhi/core/Outbox"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Layer, TestClock } from "effect"
import * as ApplicantCheck from "../src/ApplicantCheck.js"
import * as OpenData from "../src/OpenData.js"
import * as ProjectMigrations from "../src/ProjectMigrations.js"
import * as Projects from "../src/Projects.js"
import { applicant, applicationInput, callInput, judge, office, publicReader, submitAll, TENANT } from "./fixtures.js"

const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const migrations = [CoreMigrations.migrations, ProjectMigrations.migrations]

const backends = [
  ["memory", () => Projects.layerMemory().pipe(Layer.provide(ApplicantCheck.layerPermissive)), { skip: false }],
  [
    "sqlite",
    () =>
      Projects.layerSql({ conflictRetries: 20 }).pipe(
        Layer.provideMerge(SqliteTesting.layerTest({ migrations })),
        Layer.provide(ApplicantCheck.layerPermissive),
        Layer.orDie
      ),
    { skip: false }
  ],
  [
    "postgres",
    () =>
      Projects.layerSql({ conflictRetries: 20 }).pipe(
        Layer.provideMerge(PgTesting.layerTest({ migrations, maxConnections: 4 })),
        Layer.provide(ApplicantCheck.layerPermissive),
        Layer.orDie
      ),
    pg
  ],
  [
    "mysql",
    () =>
      Projects.layerSql({ conflictRetries: 20 }).pipe(
        Layer.provideMerge(MysqlTesting.layerTest({ migrations, maxConnections: 4 })),
        Layer.provide(ApplicantCheck.layerPermissive),
        Layer.orDie
      ),
    mysql
  ]
] as const

const at = (iso: string) => TestClock.setTime(Date.parse(iso))
const sheet = (innovation: number, feasibility: number, impact: number) => ({ innovation, feasibility, impact })

for (const [name, layer, availability] of backends) {
  describe.skipIf(availability.skip)(`Projects on ${name}`, () => {
    it.effect(
      "runs a call from applications to the city recommendation",
      () =>
        Effect.gen(function* () {
          const projects = yield* Projects.Projects
          yield* at("2026-03-02T02:00:00Z")
          const call = yield* projects.createCall(office, callInput(3))
          const ids = yield* submitAll(call.id, 6)
          // a second submission is refused
          const again = yield* Effect.flip(
            projects.submitApplication(applicant(1), { tenantId: TENANT, applicationId: ids[0]! })
          )
          assert.strictEqual(again._tag, "InvalidTransition")
          assert.include(again.message, "已提交")
          // eligibility: the sixth is refused with a reason
          for (const id of ids.slice(0, 5)) {
            yield* projects.reviewEligibility(office, { tenantId: TENANT, applicationId: id, eligible: true })
          }
          const noReason = yield* Effect.flip(
            projects.reviewEligibility(office, { tenantId: TENANT, applicationId: ids[5]!, eligible: false })
          )
          assert.strictEqual(noReason._tag, "InvalidInput")
          yield* projects.reviewEligibility(office, {
            tenantId: TENANT,
            applicationId: ids[5]!,
            eligible: false,
            reasons: ["申报单位成立未满一年"]
          })
          // the defence: five judges, slots from the start
          const session = yield* projects.scheduleSession(office, {
            tenantId: TENANT,
            callId: call.id,
            title: "遴选答辩会",
            venue: "坪山区行政服务中心",
            startsAt: "2026-03-24T01:00:00Z",
            judgeIds: ["J1", "J2", "J3", "J4", "J5"]
          })
          assert.deepStrictEqual(
            session.slots.map((s) => s.applicationId),
            ids.slice(0, 5)
          )
          assert.strictEqual(session.slots[1]!.startsAt.toISOString(), "2026-03-24T01:20:00.000Z")
          yield* projects.declare(judge(5), {
            tenantId: TENANT,
            sessionId: session.id,
            applicationId: ids[0]!,
            conflict: true,
            reason: "曾任该机构理事"
          })
          const early = yield* Effect.flip(
            projects.score(judge(1), {
              tenantId: TENANT,
              sessionId: session.id,
              applicationId: ids[0]!,
              scores: sheet(1, 1, 1)
            })
          )
          assert.strictEqual(early._tag, "InvalidTransition")
          yield* projects.openPanel(office, { tenantId: TENANT, sessionId: session.id })
          const conflicted = yield* Effect.flip(
            projects.score(judge(5), {
              tenantId: TENANT,
              sessionId: session.id,
              applicationId: ids[0]!,
              scores: sheet(30, 30, 40)
            })
          )
          assert.strictEqual(conflicted._tag, "ConflictedJudge")
          const outOfRange = yield* Effect.flip(
            projects.score(judge(1), {
              tenantId: TENANT,
              sessionId: session.id,
              applicationId: ids[0]!,
              scores: sheet(31, 1, 1)
            })
          )
          assert.strictEqual(outOfRange._tag, "ScoreOutOfRange")
          const stranger = yield* Effect.flip(
            projects.score(judge(9), {
              tenantId: TENANT,
              sessionId: session.id,
              applicationId: ids[0]!,
              scores: sheet(1, 1, 1)
            })
          )
          assert.strictEqual(stranger._tag, "NotAssigned")
          for (let j = 1; j <= 5; j++) {
            for (let a = 0; a < 5; a++) {
              if (j === 5 && a === 0) continue
              const base = 10 + a * 3 + j
              yield* projects.score(judge(j), {
                tenantId: TENANT,
                sessionId: session.id,
                applicationId: ids[a]!,
                scores: sheet(Math.min(30, base), Math.min(30, base), Math.min(40, base))
              })
            }
          }
          const locked = yield* Effect.flip(
            projects.score(judge(1), {
              tenantId: TENANT,
              sessionId: session.id,
              applicationId: ids[0]!,
              scores: sheet(2, 2, 2)
            })
          )
          assert.strictEqual(locked._tag, "InvalidTransition")
          assert.include(locked.message, "锁定")
          const hidden = yield* Effect.flip(
            projects.sessionRanking(office, { tenantId: TENANT, sessionId: session.id })
          )
          assert.strictEqual(hidden._tag, "ScoresHidden")
          yield* projects.closePanel(office, { tenantId: TENANT, sessionId: session.id })
          const ranking = yield* projects.sessionRanking(office, { tenantId: TENANT, sessionId: session.id })
          assert.deepStrictEqual(
            ranking.entries.map((e) => e.subjectId),
            [ids[4], ids[3], ids[2], ids[1], ids[0]]
          )
          const first = ranking.entries.find((e) => e.subjectId === ids[0])!
          assert.strictEqual(first.excluded[0]!.judgeId, "J5")
          assert.strictEqual(first.counted.length, 4)
          assert.strictEqual(first.dropped.length, 0)
          assert.strictEqual(ranking.entries[0]!.dropped.length, 2)
          // selection, publicity, objection window, recommendation
          yield* at("2026-03-25T02:00:00Z")
          const selected = yield* projects.select(office, { tenantId: TENANT, sessionId: session.id })
          assert.deepStrictEqual(selected.call.selected, [ids[4], ids[3], ids[2]])
          const published = yield* projects.publicise(office, { tenantId: TENANT, callId: call.id, from: "2026-03-26" })
          // 5 working days from Thursday 2026-03-26, counting it: 26, 27, 30, 31, 04-01
          assert.deepStrictEqual(published.publicity, { from: "2026-03-26", objectionsUntil: "2026-04-01" })
          yield* at("2026-03-27T02:00:00Z")
          yield* projects.raiseObjection(publicReader, {
            tenantId: TENANT,
            callId: call.id,
            applicationId: ids[2]!,
            reason: "预算明细与实际不符"
          })
          const tooEarly = yield* Effect.flip(
            projects.recommendToCity(office, { tenantId: TENANT, callId: call.id, applicationId: ids[4]! })
          )
          assert.strictEqual(tooEarly._tag, "InvalidTransition")
          yield* at("2026-04-02T02:00:00Z")
          const objected = yield* Effect.flip(
            projects.recommendToCity(office, { tenantId: TENANT, callId: call.id, applicationId: ids[2]! })
          )
          assert.include(objected.message, "异议")
          yield* projects.recommendToCity(office, { tenantId: TENANT, callId: call.id, applicationId: ids[4]! })
          const outcome = yield* projects.recordCityOutcome(office, {
            tenantId: TENANT,
            callId: call.id,
            outcome: "selected"
          })
          assert.strictEqual(outcome.cityRecommendation!.outcome, "selected")
          const open = yield* projects.openData(publicReader, { tenantId: TENANT, callId: call.id })
          assert.deepStrictEqual(
            open.map((row) => [row.order, row.cityLevel]),
            [
              [1, "selected"],
              [2, ""],
              [3, ""]
            ]
          )
          const csv = OpenData.toCsv(open)
          assert.isTrue(csv.startsWith("\uFEFF征集活动,年度,序号,项目名称"))
          assert.strictEqual(csv.trimEnd().split("\r\n").length, 4)
          assert.notInclude(OpenData.toJson(open), "ORG")
          const events = yield* Outbox.Outbox.pipe(Effect.flatMap((outbox) => outbox.list(TENANT, { limit: 500 })))
          const types = events.items.map((entry) => entry.event.type)
          assert.strictEqual(types.filter((t) => t === "projects.ApplicationReceived").length, 6)
          assert.strictEqual(types.filter((t) => t === "projects.DefenceScheduled").length, 5)
          assert.strictEqual(types.filter((t) => t === "projects.ProjectSelected").length, 3)
          assert.strictEqual(types.filter((t) => t === "projects.CityRecommendation").length, 2)
        }).pipe(Effect.provide(layer())),
      120_000
    )

    it.effect("refuses bad applications with typed errors a clerk can read", () =>
      Effect.gen(function* () {
        const projects = yield* Projects.Projects
        yield* at("2026-03-03T02:00:00Z")
        const call = yield* projects.createCall(office, callInput())
        const good = applicationInput(call.id, 1)
        const badCode = yield* Effect.flip(
          projects.draftApplication(applicant(1), {
            ...good,
            applicant: { ...good.applicant, creditCode: "91350100M000100Y44" }
          })
        )
        assert.strictEqual(badCode._tag, "InvalidInput")
        if (badCode._tag === "InvalidInput") {
          assert.strictEqual(badCode.problems[0]!.path, "applicant.creditCode")
          assert.include(badCode.message, "校验码")
        }
        const wrongKind = yield* Effect.flip(
          projects.draftApplication(applicant(1), {
            ...good,
            applicant: { ...good.applicant, kind: "government-unit" }
          })
        )
        assert.include(wrongKind.message, "只接受")
        const overBudget = yield* Effect.flip(
          projects.draftApplication(applicant(1), { ...good, budget: [{ item: "经费", amountYuan: 300_001 }] })
        )
        assert.include(overBudget.message, "资助上限")
        const badForm = yield* Effect.flip(
          projects.draftApplication(applicant(1), { ...good, form: { field: "体育", extra: 1 } })
        )
        assert.strictEqual(badForm._tag, "InvalidInput")
        if (badForm._tag === "InvalidInput") {
          assert.isTrue(badForm.problems.some((p) => p.path === "form.beneficiaries"))
          assert.isTrue(badForm.problems.some((p) => p.message.includes("领域应为")))
        }
        yield* at("2026-03-16T02:00:00Z")
        const late = yield* Effect.flip(projects.draftApplication(applicant(1), good))
        assert.strictEqual(late._tag, "OutsidePhase")
      }).pipe(Effect.provide(layer()))
    )
  })
}

describe("ApplicantCheck", () => {
  it.effect("a refusing check stops the submission with its reason", () =>
    Effect.gen(function* () {
      const projects = yield* Projects.Projects
      yield* at("2026-03-03T02:00:00Z")
      const call = yield* projects.createCall(office, callInput())
      const input = applicationInput(call.id, 1)
      const draft = yield* projects.draftApplication(applicant(1), {
        ...input,
        applicant: { ...input.applicant, creditCode: "91350100M000100Y43" }
      })
      const refused = yield* Effect.flip(
        projects.submitApplication(applicant(1), { tenantId: TENANT, applicationId: draft.id })
      )
      assert.strictEqual(refused._tag, "ApplicantRefused")
      assert.include(refused.message, "严重失信")
    }).pipe(
      Effect.provide(
        Projects.layerMemory().pipe(
          Layer.provide(ApplicantCheck.layerRefusing({ "91350100M000100Y43": "列入严重失信主体名单" }))
        )
      )
    )
  )
})
