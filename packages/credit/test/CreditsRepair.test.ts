import { describe, expect, it } from "@effect/vitest"
import type * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Calendar from "@gongzhi/core/Calendar"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Outbox from "@gongzhi/core/Outbox"
import { StorageError } from "@gongzhi/core/StorageError"
import * as Transactor from "@gongzhi/core/Transactor"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Layer, Option, TestClock } from "effect"
import * as CreditEvents from "../src/CreditEvents.js"
import * as CreditMigrations from "../src/CreditMigrations.js"
import * as CreditStore from "../src/CreditStore.js"
import * as Credits from "../src/Credits.js"
import { defaultRolePermissions } from "../src/Permissions.js"
import {
  admin,
  admin2,
  batch,
  claim,
  clerk,
  codeA,
  decision,
  options,
  otherClerk,
  penalty,
  resident,
  reviewer,
  TENANT
} from "./repairFixtures.js"

const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const migrations = [CoreMigrations.migrations, CreditMigrations.migrations]

/** Where a failure is injected: a list-entry write in the middle of a repair, or the outbox append at its end. */
let inject: "none" | "store" | "outbox" = "none"
const injected = (operation: string) =>
  Effect.fail(new StorageError({ operation, reason: "故障注入 / injected", retryable: false }))
const faultyStore = Layer.effect(
  CreditStore.CreditStore,
  Effect.map(CreditStore.CreditStore, (s) => ({
    ...s,
    listDecisions: {
      ...s.listDecisions,
      update: (...args: Parameters<typeof s.listDecisions.update>) =>
        inject === "store" ? injected("listDecisions.update") : s.listDecisions.update(...args)
    }
  }))
)
const faultyOutbox = Layer.effect(
  Outbox.Outbox,
  Effect.map(Outbox.Outbox, (o) => ({
    ...o,
    append: (...args: Parameters<typeof o.append>) =>
      inject === "outbox" ? injected("outbox.append") : o.append(...args)
  }))
)
const services = (
  store: Layer.Layer<CreditStore.CreditStore, never, any>,
  outbox: Layer.Layer<Outbox.Outbox, never, any>
) =>
  Credits.Credits.Default.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        faultyStore.pipe(Layer.provide(store)),
        faultyOutbox.pipe(Layer.provide(outbox)),
        AuditLog.layerMemory,
        Authorization.layer(defaultRolePermissions),
        Calendar.layerChina,
        Credits.layerConfig(options)
      )
    )
  )
const memory = () =>
  services(CreditStore.layerMemory, Outbox.layerMemory).pipe(
    Layer.provideMerge(Transactor.layerMemory),
    Layer.provide(FieldCipher.layerTest()),
    Layer.orDie
  )
const sql = (db: Layer.Layer<any, any, never>) =>
  services(CreditStore.layerSql, Outbox.layerSql).pipe(
    Layer.provideMerge(AuditLog.layerSql),
    Layer.provideMerge(db),
    Layer.provide(FieldCipher.layerTest()),
    Layer.orDie
  )

const backends = [
  ["memory", memory, false],
  ["sqlite", () => sql(SqliteTesting.layerTest({ migrations })), false],
  ["postgres", () => sql(PgTesting.layerTest({ migrations, maxConnections: 4 })), pg.skip],
  ["mysql", () => sql(MysqlTesting.layerTest({ migrations, maxConnections: 4 })), mysql.skip]
] as const

const setUp = Effect.gen(function* () {
  inject = "none"
  yield* TestClock.setTime(Date.parse("2026-12-01T02:00:00Z"))
  return yield* Credits.Credits
})

const subjectId = Effect.gen(function* () {
  const store = yield* CreditStore.CreditStore
  return (yield* store.subjects.find(TENANT, { identifier_key: codeA }, 1))[0]!.value.id
})

const recordOf = (sourceRecordId: string) =>
  Effect.gen(function* () {
    const store = yield* CreditStore.CreditStore
    return (yield* store.records.find(TENANT, { source_record_id: sourceRecordId }, 1))[0]!.value
  })

const events = Effect.gen(function* () {
  const outbox = yield* Outbox.Outbox
  return yield* Effect.forEach(
    (yield* outbox.list(TENANT, { limit: 500 })).items.map((e) => e.event),
    CreditEvents.fromOutbox
  )
})

/** The subject objects to a record (registered at the counter by `actor`). */
const object = (credits: Credits.Credits, actor: Actor.Actor, recordId: string, reason: string) =>
  credits.fileObjection(actor, { tenantId: TENANT, recordId, filer: { _tag: "Subject" }, reason })

/** A subject on the serious-dishonesty list by decision, with a repairable penalty P1 and a recent one P2. */
const listed = Effect.gen(function* () {
  const credits = yield* setUp
  yield* credits.ingest(clerk, batch([penalty("P1", "2026-06-01"), penalty("P2", "2026-11-20")]))
  const subject = yield* subjectId
  const recorded = yield* credits.recordListDecision(admin, decision(subject))
  yield* credits.approveListDecision(admin2, { tenantId: TENANT, decisionId: recorded.id })
  return { credits, subject, decisionId: recorded.id }
})

/** What a failed repair must leave untouched. */
const snapshot = (subject: string) =>
  Effect.gen(function* () {
    const store = yield* CreditStore.CreditStore
    const records = (yield* store.records.find(TENANT, { subject_id: subject }, 100)).map((r) => [
      r.value.id,
      r.value.state
    ])
    const decisions = (yield* store.listDecisions.find(TENANT, { subject_id: subject }, 100)).map((d) => [
      d.value.id,
      d.value.state
    ])
    const repairs = (yield* store.repairs.find(TENANT, { subject_id: subject }, 100)).map((d) => [
      d.value.id,
      d.value.state,
      d.version
    ])
    const evaluation = Option.getOrUndefined(yield* store.evaluations.get(TENANT, subject))
    const outbox = (yield* (yield* Outbox.Outbox).list(TENANT, { limit: 500 })).items.length
    const audit = (yield* (yield* AuditLog.AuditLog).list(TENANT, { limit: 500 })).items.length
    return { records, decisions, repairs, evaluation: [evaluation?.value.grade, evaluation?.version], outbox, audit }
  })

for (const [name, layer, skip] of backends) {
  describe.skipIf(skip)(`Credits objections and repair on ${name}`, () => {
    it.effect(
      "an objection: filed (异议处理中 where shown), accepted, checked, answered by the provider with a correction; escalation once per step; refused outside validity",
      () =>
        Effect.gen(function* () {
          const credits = yield* setUp
          yield* credits.ingest(clerk, batch([penalty("P1", "2026-06-01"), penalty("P3", "2026-07-01")]))
          const subject = yield* subjectId
          const p1 = yield* recordOf("P1")
          const denied = yield* Effect.flip(object(credits, resident, p1.id, "x"))
          expect(denied._tag).toBe("Forbidden")
          const filed = yield* credits.fileObjection(reviewer, {
            tenantId: TENANT,
            recordId: p1.id,
            filer: { _tag: "Agent", name: "广东某律师事务所", authorisation: "授权委托书 2026-17" },
            reason: "罚款金额登记有误，应为 500 元"
          })
          expect([filed.state, filed.due, filed.previousState]).toEqual(["submitted", "2026-12-03", "active"])
          const shown = yield* credits.listRecords(resident, { tenantId: TENANT, subjectId: subject })
          expect(shown.find((r) => r.id === p1.id)?.state).toBe("objectionPending")
          const twice = yield* Effect.flip(object(credits, reviewer, p1.id, "再次"))
          expect([twice._tag, twice.message]).toEqual([
            "ObjectionNotAllowed",
            expect.stringContaining("已有异议正在处理")
          ])

          // the accept step is due on 2026-12-03: late on 12-04, escalated once however often the job runs
          yield* TestClock.setTime(Date.parse("2026-12-04T02:00:00Z"))
          expect(yield* credits.escalateOverdueObjections(admin, { tenantId: TENANT })).toEqual({ escalated: 1 })
          expect(yield* credits.escalateOverdueObjections(admin, { tenantId: TENANT })).toEqual({ escalated: 0 })
          const accepted = yield* credits.acceptObjection(reviewer, { tenantId: TENANT, objectionId: filed.id })
          expect([accepted.state, accepted.due]).toEqual(["accepted", "2026-12-08"])
          const forwarded = yield* credits.forwardObjection(reviewer, {
            tenantId: TENANT,
            objectionId: filed.id,
            note: "平台处理无误，转提供单位核实"
          })
          expect([forwarded.state, forwarded.due]).toEqual(["forwarded", "2026-12-18"])
          const early = yield* Effect.flip(
            credits.acceptObjection(reviewer, { tenantId: TENANT, objectionId: filed.id })
          )
          expect(early.message).toContain("当前状态为「提供单位核实中」，不能受理")

          const answer = {
            tenantId: TENANT,
            objectionId: filed.id,
            outcome: { _tag: "Correct", fields: { fine: 500 } },
            reason: "经核实，罚款金额应为 500 元"
          }
          const wrongUnit = yield* Effect.flip(credits.answerObjection(otherClerk, answer))
          expect([wrongUnit._tag, wrongUnit.message]).toEqual([
            "NotDecidingUnit",
            expect.stringContaining("只有作出认定的单位「SCJG」可以核实本单位信息的异议")
          ])
          const platform = yield* Effect.flip(credits.answerObjection(admin, answer))
          expect(platform._tag).toBe("NotDecidingUnit")
          const badField = yield* Effect.flip(
            credits.answerObjection(clerk, { ...answer, outcome: { _tag: "Correct", fields: { owner: "x" } } })
          )
          expect([badField._tag, badField.message]).toEqual(["InvalidInput", expect.stringContaining("owner")])
          const closed = yield* credits.answerObjection(clerk, answer)
          expect([closed.state, closed.outcome?._tag]).toEqual(["closed", "Correct"])
          const corrected = yield* recordOf("P1")
          expect([corrected.state, Number(corrected.details.fine)]).toEqual(["corrected", 500])
          const decided = (yield* events).filter((e) => e._tag === "ObjectionDecided")
          expect(decided).toEqual([
            expect.objectContaining({ objectionId: filed.id, subjectId: subject, outcome: "corrected" })
          ])
          expect((yield* events).filter((e) => e._tag === "ObjectionOverdue")).toEqual([
            expect.objectContaining({ step: "accept", due: "2026-12-03" })
          ])

          // a refused objection restores the record; a revoked record leaves use and the grade
          const p3 = yield* recordOf("P3")
          const second = yield* object(credits, reviewer, p3.id, "不是本企业")
          yield* credits.acceptObjection(reviewer, { tenantId: TENANT, objectionId: second.id })
          yield* credits.forwardObjection(reviewer, { tenantId: TENANT, objectionId: second.id })
          yield* credits.answerObjection(clerk, {
            tenantId: TENANT,
            objectionId: second.id,
            outcome: { _tag: "Revoke" },
            reason: "主体登记错误"
          })
          expect((yield* recordOf("P3")).state).toBe("revoked")
          const grade = Option.getOrThrow(
            yield* credits.getEvaluation(reviewer, { tenantId: TENANT, subjectId: subject })
          )
          expect(grade.lines.map((l) => l.recordId)).toEqual([p1.id])
          const late = yield* Effect.flip(object(credits, reviewer, p3.id, "x"))
          expect([late._tag, late.message]).toEqual(["ObjectionNotAllowed", expect.stringContaining("已撤销")])
          // a corrected record is still valid: a new objection may be refused (不予受理), which restores it
          const third = yield* object(credits, reviewer, p1.id, "仍有异议")
          expect((yield* recordOf("P1")).state).toBe("objectionPending")
          const refused = yield* credits.refuseObjection(reviewer, {
            tenantId: TENANT,
            objectionId: third.id,
            reason: "与已办结异议事由相同"
          })
          expect([refused.state, refused.refused?.note, (yield* recordOf("P1")).state]).toEqual([
            "refused",
            "与已办结异议事由相同",
            "corrected"
          ])
          expect((yield* events).filter((e) => e._tag === "ObjectionDecided").map((e) => e.outcome)).toEqual([
            "corrected",
            "revoked",
            "refused"
          ])
          const listed = yield* credits.listObjections(reviewer, { tenantId: TENANT, subjectId: subject })
          expect(listed.map((o) => o.state).sort()).toEqual(["closed", "closed", "refused"])
        }).pipe(Effect.provide(layer())),
      120_000
    )

    it.effect(
      "a repair under Order 36: not eligible before the minimum (the date said), decided only by the finding unit; granted, it removes the list entry and lifts the measure in one go",
      () =>
        Effect.gen(function* () {
          const { credits, subject, decisionId } = yield* listed
          const check = () =>
            credits.check(reviewer, { tenantId: TENANT, subjectId: subject, purpose: "财政资金项目申报" })
          expect((yield* check()).measures.map((m) => m.measure.code)).toEqual(["NO_FISCAL_FUNDS"])
          const p1 = yield* recordOf("P1")
          const p2 = yield* recordOf("P2")
          const tooEarly = yield* Effect.flip(
            credits.applyForRepair(reviewer, { tenantId: TENANT, subjectId: subject, recordIds: [p2.id], ...claim })
          )
          expect([tooEarly._tag, tooEarly.message]).toEqual([
            "NotEligibleForRepair",
            expect.stringContaining("最短公示期于 2027-02-20 届满")
          ])
          const eligibility = yield* credits.repairEligibility(reviewer, {
            tenantId: TENANT,
            recordIds: [p1.id, p2.id],
            ...claim
          })
          expect(eligibility.map((e) => [e.eligible, e.earliest, e.rule])).toEqual([
            [true, undefined, "ndrc-order-36"],
            [false, "2027-02-20", "ndrc-order-36"]
          ])
          const noCommitment = yield* Effect.flip(
            credits.applyForRepair(reviewer, {
              tenantId: TENANT,
              subjectId: subject,
              recordIds: [p1.id],
              ...claim,
              commitmentText: "我保证"
            })
          )
          expect(noCommitment.message).toContain("未签署现行版本的信用承诺书")

          const application = yield* credits.applyForRepair(reviewer, {
            tenantId: TENANT,
            subjectId: subject,
            recordIds: [p1.id],
            listDecisionIds: [decisionId],
            ...claim
          })
          expect([application.state, application.sourceUnitId, application.rules]).toEqual([
            "applied",
            "SCJG",
            ["ndrc-order-36"]
          ])
          const grant = {
            tenantId: TENANT,
            applicationId: application.id,
            decision: "grant",
            reasons: ["已缴纳罚款并整改到位"]
          }
          for (const actor of [admin, otherClerk]) {
            const wrong = yield* Effect.flip(credits.decideRepair(actor, grant))
            expect([wrong._tag, wrong.message]).toEqual(["NotDecidingUnit", expect.stringContaining("谁认定、谁修复")])
          }
          const granted = yield* credits.decideRepair(clerk, grant)
          expect([granted.state, granted.decision?.unit, granted.decision?.on]).toEqual([
            "granted",
            "SCJG",
            "2026-12-01"
          ])

          expect((yield* recordOf("P1")).state).toBe("repaired")
          const shown = yield* credits.listRecords(resident, { tenantId: TENANT, subjectId: subject })
          expect(shown.map((r) => r.sourceRecordId)).toEqual(["P2"])
          const after = yield* check()
          expect([after.entries, after.measures]).toEqual([[], []])
          const grade = Option.getOrThrow(
            yield* credits.getEvaluation(reviewer, { tenantId: TENANT, subjectId: subject })
          )
          expect(grade.lines.map((l) => l.recordId)).toEqual([p2.id])
          const decisions = yield* credits.listDecisions(reviewer, { tenantId: TENANT, subjectId: subject })
          expect(decisions.map((d) => [d.state, d.removal?.note])).toEqual([
            ["removed", `信用修复（${application.id}）`]
          ])
          const all = yield* events
          expect(all.filter((e) => e._tag === "RepairGranted")).toEqual([
            {
              _tag: "RepairGranted",
              applicationId: application.id,
              subjectId: subject,
              recordIds: [p1.id],
              sourceUnitId: "SCJG",
              on: "2026-12-01",
              removedDecisionIds: [decisionId],
              liftedMeasures: [
                { measure: "NO_PROCUREMENT", purpose: "政府采购" },
                { measure: "NO_FISCAL_FUNDS", purpose: "财政资金项目申报" }
              ]
            }
          ])
          expect(all.filter((e) => e._tag === "SubjectLeftList").map((e) => e.reason)).toEqual(["removed"])
          const again = yield* Effect.flip(credits.decideRepair(clerk, grant))
          expect(again._tag).toBe("InvalidTransition")
          const repairedObjection = yield* Effect.flip(object(credits, reviewer, p1.id, "x"))
          expect(repairedObjection.message).toContain("已修复")
        }).pipe(Effect.provide(layer())),
      120_000
    )

    it.effect("a failure in the middle of a repair (a list-entry write, the outbox append) changes nothing", () =>
      Effect.gen(function* () {
        const { credits, subject, decisionId } = yield* listed
        const p1 = yield* recordOf("P1")
        const application = yield* credits.applyForRepair(reviewer, {
          tenantId: TENANT,
          subjectId: subject,
          recordIds: [p1.id],
          listDecisionIds: [decisionId],
          ...claim
        })
        const grant = { tenantId: TENANT, applicationId: application.id, decision: "grant", reasons: ["已整改"] }
        const before = yield* snapshot(subject)
        for (const where of ["store", "outbox"] as const) {
          inject = where
          const failed = yield* Effect.flip(credits.decideRepair(clerk, grant))
          expect([failed._tag, failed.message]).toEqual(["StorageError", expect.stringContaining("故障注入")])
          inject = "none"
          expect(yield* snapshot(subject)).toEqual(before)
        }
        yield* credits.decideRepair(clerk, grant)
        const after = yield* snapshot(subject)
        expect(after.records).toEqual(before.records.map(([id, s]) => [id, id === p1.id ? "repaired" : s]))
        expect(after.decisions).toEqual([[decisionId, "removed"]])
        expect(after.outbox).toBeGreaterThan(before.outbox)
      }).pipe(Effect.provide(layer()))
    )

    it.effect("display ends at the maximum: the job marks those records expired, re-grades, and is idempotent", () =>
      Effect.gen(function* () {
        const credits = yield* setUp
        // 527: 一般 at most a year (ended 2024-01-10); Order 36: 一般 at most a year (ends 2027-04-10)
        yield* credits.ingest(clerk, batch([penalty("P1", "2023-01-10"), penalty("P2", "2026-04-10")]))
        const subject = yield* subjectId
        expect(yield* credits.endDisplayAtMaximum(admin, { tenantId: TENANT })).toEqual({ expired: 1 })
        expect(yield* credits.endDisplayAtMaximum(admin, { tenantId: TENANT })).toEqual({ expired: 0 })
        expect([(yield* recordOf("P1")).state, (yield* recordOf("P2")).state]).toEqual(["expired", "active"])
        yield* TestClock.setTime(Date.parse("2027-04-10T02:00:00Z"))
        expect(yield* credits.endDisplayAtMaximum(admin, { tenantId: TENANT, pageSize: 1 })).toEqual({ expired: 1 })
        const grade = Option.getOrThrow(
          yield* credits.getEvaluation(reviewer, { tenantId: TENANT, subjectId: subject })
        )
        expect(grade.lines).toEqual([])
        expect((yield* events).filter((e) => e._tag === "RecordDisplayEnded").map((e) => e.on)).toEqual([
          "2026-12-01",
          "2027-04-10"
        ])
        const denied = yield* Effect.flip(credits.endDisplayAtMaximum(reviewer, { tenantId: TENANT }))
        expect(denied._tag).toBe("Forbidden")
      }).pipe(Effect.provide(layer()))
    )
  })
}
