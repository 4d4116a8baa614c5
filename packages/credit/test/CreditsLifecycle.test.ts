import { describe, expect, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, Schema, TestClock } from "effect"
import * as CreditNotifications from "../src/CreditNotifications.js"
import * as CreditStore from "../src/CreditStore.js"
import * as Credits from "../src/Credits.js"
import { Role } from "../src/Permissions.js"
import { SourceUnit } from "../src/SourceUnit.js"
import { backends as backendsOf } from "./backends.js"
import { companyCodes, csvOf } from "./fixtures.js"

const TENANT = "440310" as TenantId
const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const staff = (id: string, roles: Array<string>) =>
  decodeActor({ _tag: "Staff", staffId: id, name: "王经办", roles, scope: { tenantId: TENANT, regionCode: TENANT } })
const admin = staff("A001", [Role.admin])
const admin2 = staff("A002", [Role.admin])
const clerk = staff("C001", [Role.unitClerk])
const reviewer = staff("R001", [Role.reviewer])
const auditor = staff("U001", [Role.auditor])
const projects = staff("P001", [Role.measureUnit])

const units = [
  new SourceUnit({
    id: "SCJG",
    tenantId: TENANT,
    name: "坪山区市场监督管理局",
    kind: "bureau",
    recordTypes: ["ADMIN_PENALTY", "ADMIN_LICENCE"],
    accounts: ["C001"],
    active: true
  })
]
const options: Credits.CreditsOptions = { sourceUnits: units, conflictRetries: 20 }

const companyCode = companyCodes(11)
const codeA = companyCode()
const codeB = companyCode()

const header = ["信息类型代码", "来源记录编号", "主体标识", "主体名称", "决定文书号", "决定日期", "失信程度"]
const penalty = (id: string, code: string, name: string, date: string, tier = "一般") => [
  "ADMIN_PENALTY",
  id,
  code,
  name,
  `文书${id}`,
  date,
  tier
]
const extra = ["处罚类别", "罚款金额（元）", "违法行为类型", "决定机关"]
const batch = (rows: ReadonlyArray<ReadonlyArray<string>>) => ({
  tenantId: TENANT,
  sourceUnitId: "SCJG",
  format: "csv" as const,
  content: csvOf(
    [...header, ...extra],
    rows.map((r) => [...r, "罚款", "1000", "无证经营", "坪山区市场监督管理局"])
  )
})

const backends = backendsOf(options)

const setUp = Effect.gen(function* () {
  yield* TestClock.setTime(Date.parse("2026-12-01T02:00:00Z"))
  return yield* Credits.Credits
})

const subjectOf = (code: string) =>
  Effect.gen(function* () {
    const store = yield* CreditStore.CreditStore
    const found = yield* store.subjects.find(TENANT, { identifier_key: code }, 1)
    return found[0]!.value
  })

const eventTypes = Effect.gen(function* () {
  const outbox = yield* Outbox.Outbox
  return (yield* outbox.list(TENANT, { limit: 500 })).items.map((e) => e.event)
})

for (const [name, layer, skip] of backends) {
  describe.skipIf(skip)(`Credits lifecycle on ${name}`, () => {
    it.effect(
      "merging a subject entered twice moves its records, keeps an audit trail, is idempotent; its identifier then resolves to the kept subject",
      () =>
        Effect.gen(function* () {
          const credits = yield* setUp
          yield* credits.ingest(
            clerk,
            batch([
              penalty("P1", codeA, "坪山甲公司", "2026-06-01"),
              penalty("P2", codeB, "坪山甲有限公司（旧登记）", "2026-07-01", "严重")
            ])
          )
          const kept = yield* subjectOf(codeA)
          const duplicate = yield* subjectOf(codeB)
          const denied = yield* Effect.flip(
            credits.mergeSubjects(reviewer, {
              tenantId: TENANT,
              keptId: kept.id,
              duplicateId: duplicate.id,
              reason: "x"
            })
          )
          expect(denied._tag).toBe("Forbidden")
          const same = yield* Effect.flip(
            credits.mergeSubjects(admin, { tenantId: TENANT, keptId: kept.id, duplicateId: kept.id, reason: "x" })
          )
          expect([same._tag, same.message]).toEqual([
            "InvalidInput",
            expect.stringContaining("保留主体与重复主体不能是同一主体")
          ])

          const input = {
            tenantId: TENANT,
            keptId: kept.id,
            duplicateId: duplicate.id,
            reason: "同一企业旧注册号重复登记"
          }
          const merged = yield* credits.mergeSubjects(admin, input)
          expect([merged.movedRecords, merged.alreadyMerged]).toEqual([1, false])
          const records = yield* credits.listRecords(reviewer, { tenantId: TENANT, subjectId: kept.id })
          expect(records.map((r) => r.sourceRecordId).sort()).toEqual(["P1", "P2"])
          const view = yield* credits.getSubject(reviewer, { tenantId: TENANT, subjectId: duplicate.id })
          expect(view.status).toBe("merged")
          const keptView = yield* credits.getSubject(reviewer, { tenantId: TENANT, subjectId: kept.id })
          expect(keptView.formerNames).toContain("坪山甲有限公司（旧登记）")
          const grade = Option.getOrThrow(
            yield* credits.getEvaluation(reviewer, { tenantId: TENANT, subjectId: kept.id })
          )
          expect(grade.lines).toHaveLength(2)
          expect(yield* credits.getEvaluation(reviewer, { tenantId: TENANT, subjectId: duplicate.id })).toEqual(
            Option.none()
          )

          const again = yield* credits.mergeSubjects(admin, input)
          expect([again.movedRecords, again.alreadyMerged]).toEqual([0, true])
          const backwards = yield* Effect.flip(
            credits.mergeSubjects(admin, { ...input, keptId: duplicate.id, duplicateId: kept.id })
          )
          expect(backwards._tag).toBe("InvalidTransition")

          const log = yield* AuditLog.AuditLog
          const merges = (yield* log.list(TENANT, { limit: 200 })).items.filter(
            (e) => e.action === "credit.subject.merge"
          )
          expect(merges).toHaveLength(1)
          expect(merges[0]?.details).toMatchObject({ mergedId: duplicate.id, reason: input.reason })
          expect((yield* eventTypes).filter((e) => e.type === "credit.SubjectsMerged")).toHaveLength(1)

          // a later record under the old identifier lands on the kept subject
          const later = yield* credits.ingest(clerk, batch([penalty("P3", codeB, "坪山甲有限公司", "2026-08-01")]))
          expect(later.created).toBe(1)
          const after = yield* credits.listRecords(reviewer, { tenantId: TENANT, subjectId: kept.id })
          expect(after.map((r) => r.sourceRecordId).sort()).toEqual(["P1", "P2", "P3"])
        }).pipe(Effect.provide(layer())),
      120_000
    )

    it.effect("a list entry by decision: recorded, approved by someone else, applied by check, removed, expired", () =>
      Effect.gen(function* () {
        const credits = yield* setUp
        yield* credits.ingest(clerk, batch([penalty("P1", codeA, "坪山甲公司", "2026-06-01")]))
        const subject = yield* subjectOf(codeA)
        const decision = {
          tenantId: TENANT,
          subjectId: subject.id,
          list: "seriousDishonesty",
          decidingUnit: "坪山区市场监督管理局",
          documentNumber: "深坪市监认〔2026〕8号",
          decisionDate: "2026-11-20",
          legalBasis: "《市场监督管理严重违法失信名单管理办法》第九条",
          reasons: ["以欺骗手段取得许可"],
          from: "2026-11-20",
          until: "2029-11-20",
          exit: "期满或信用修复后移出"
        }
        const bad = yield* Effect.flip(
          credits.recordListDecision(reviewer, { ...decision, from: "2026-11-20", until: "2026-11-01" })
        )
        expect([bad._tag, bad.message]).toEqual(["InvalidInput", expect.stringContaining("移出日期须晚于列入日期")])
        const denied = yield* Effect.flip(credits.recordListDecision(clerk, decision))
        expect(denied._tag).toBe("Forbidden")

        const recorded = yield* credits.recordListDecision(admin, decision)
        expect(recorded.state).toBe("pending")
        const before = yield* credits.check(reviewer, {
          tenantId: TENANT,
          subjectId: subject.id,
          purpose: "财政资金项目申报"
        })
        expect(before.measures.map((m) => m.measure.code)).toEqual([])
        const own = yield* Effect.flip(
          credits.approveListDecision(admin, { tenantId: TENANT, decisionId: recorded.id })
        )
        expect([own._tag, own.message]).toEqual(["InvalidTransition", expect.stringContaining("须由他人审核")])
        const reviewerMayNot = yield* Effect.flip(
          credits.approveListDecision(reviewer, { tenantId: TENANT, decisionId: recorded.id })
        )
        expect(reviewerMayNot._tag).toBe("Forbidden")
        const approved = yield* credits.approveListDecision(admin2, {
          tenantId: TENANT,
          decisionId: recorded.id,
          note: "同意"
        })
        expect([approved.state, approved.approval?.by]).toEqual(["approved", "A002"])

        const checked = yield* credits.check(reviewer, {
          tenantId: TENANT,
          subjectId: subject.id,
          purpose: "财政资金项目申报"
        })
        expect(checked.entries.map((e) => [e.list, e.basis, e.decidedBy])).toEqual([
          ["seriousDishonesty", "decision", "坪山区市场监督管理局"]
        ])
        expect(checked.measures.map((m) => m.measure.code)).toEqual(["NO_FISCAL_FUNDS"])
        expect(checked.entries[0]?.reasons).toContain("认定依据：《市场监督管理严重违法失信名单管理办法》第九条")

        const removed = yield* credits.removeListDecision(admin2, {
          tenantId: TENANT,
          decisionId: recorded.id,
          reason: "已完成信用修复"
        })
        expect([removed.state, removed.removal?.on]).toEqual(["removed", "2026-12-01"])
        const twice = yield* Effect.flip(
          credits.removeListDecision(admin2, { tenantId: TENANT, decisionId: recorded.id, reason: "x" })
        )
        expect(twice._tag).toBe("InvalidTransition")
        const afterRemoval = yield* credits.check(reviewer, {
          tenantId: TENANT,
          subjectId: subject.id,
          purpose: "财政资金项目申报"
        })
        expect(afterRemoval.measures).toEqual([])

        // a second decision that runs out: the job marks it expired once
        const short = yield* credits.recordListDecision(reviewer, {
          ...decision,
          list: "abnormal",
          documentNumber: "深坪市监认〔2026〕9号",
          until: "2026-12-10"
        })
        yield* credits.approveListDecision(admin, { tenantId: TENANT, decisionId: short.id })
        expect(yield* credits.expireListDecisions(admin, { tenantId: TENANT })).toEqual({ expired: 0 })
        yield* TestClock.setTime(Date.parse("2026-12-10T02:00:00Z"))
        expect(yield* credits.expireListDecisions(admin, { tenantId: TENANT })).toEqual({ expired: 1 })
        expect(yield* credits.expireListDecisions(admin, { tenantId: TENANT })).toEqual({ expired: 0 })
        const all = yield* credits.listDecisions(auditor, { tenantId: TENANT, subjectId: subject.id })
        expect(all.map((d) => d.state).sort()).toEqual(["expired", "removed"])

        const events = (yield* eventTypes).filter((e) => e.aggregateType === "ListDecision")
        expect(events.map((e) => [e.type, (e.payload as { reason?: string }).reason ?? null])).toEqual([
          ["credit.SubjectEnteredList", null],
          ["credit.SubjectLeftList", "removed"],
          ["credit.SubjectEnteredList", null],
          ["credit.SubjectLeftList", "expired"]
        ])
      }).pipe(Effect.provide(layer()))
    )

    it.effect("the full re-evaluation grades every subject page by page, as the incremental one did", () =>
      Effect.gen(function* () {
        const credits = yield* setUp
        yield* credits.ingest(
          clerk,
          batch([
            penalty("P1", codeA, "坪山甲公司", "2026-06-01", "严重"),
            penalty("P2", codeA, "坪山甲公司", "2026-07-01"),
            penalty("P3", codeB, "坪山乙公司", "2026-07-01")
          ])
        )
        const store = yield* CreditStore.CreditStore
        const before = (yield* store.evaluations.find(TENANT, {}, 100)).map((e) => e.value)
        expect(before.map((e) => e.score).sort()).toEqual([62, 92])
        // as after a model change: nothing stored, every grade computed again (one subject per page here)
        for (const e of yield* store.evaluations.find(TENANT, {}, 100)) {
          yield* store.evaluations.remove(TENANT, e.value.subjectId, e.version)
        }
        expect(yield* credits.reevaluateAll(admin, { tenantId: TENANT, pageSize: 1 })).toEqual({
          subjects: 2,
          changed: 2
        })
        const after = (yield* store.evaluations.find(TENANT, {}, 100)).map((e) => e.value)
        expect(after).toEqual(before)
        expect(yield* credits.reevaluateAll(admin, { tenantId: TENANT })).toEqual({ subjects: 2, changed: 0 })
      }).pipe(Effect.provide(layer()))
    )

    it.effect("units report the measures they took; the feedback is stored, queryable and audited", () =>
      Effect.gen(function* () {
        const credits = yield* setUp
        yield* credits.ingest(clerk, batch([penalty("P1", codeA, "坪山甲公司", "2026-06-01")]))
        const subject = yield* subjectOf(codeA)
        const report = {
          tenantId: TENANT,
          subjectId: subject.id,
          measure: "NO_FISCAL_FUNDS",
          purpose: "财政资金项目申报",
          unit: "坪山区发展和改革局",
          takenOn: "2026-11-28",
          reference: "PS-2026-017"
        }
        const unknown = yield* Effect.flip(credits.reportMeasureTaken(projects, { ...report, measure: "NOPE" }))
        expect([unknown._tag, unknown.message]).toEqual(["EntityNotFound", expect.stringContaining("奖惩措施")])
        const future = yield* Effect.flip(credits.reportMeasureTaken(projects, { ...report, takenOn: "2026-12-05" }))
        expect(future.message).toContain("实施日期不能晚于今天")
        const denied = yield* Effect.flip(credits.reportMeasureTaken(clerk, report))
        expect(denied._tag).toBe("Forbidden")
        const missing = yield* Effect.flip(credits.reportMeasureTaken(projects, { ...report, subjectId: "S-none" }))
        expect(missing._tag).toBe("EntityNotFound")

        const first = yield* credits.reportMeasureTaken(projects, report)
        yield* credits.reportMeasureTaken(projects, {
          ...report,
          measure: "NO_PROCUREMENT",
          purpose: "政府采购",
          takenOn: "2026-11-01"
        })
        expect(first.reportedBy).toBe("P001")
        const bySubject = yield* credits.listMeasureFeedback(auditor, { tenantId: TENANT, subjectId: subject.id })
        expect(bySubject.map((f) => [f.measure, f.takenOn])).toEqual([
          ["NO_PROCUREMENT", "2026-11-01"],
          ["NO_FISCAL_FUNDS", "2026-11-28"]
        ])
        const byMeasure = yield* credits.listMeasureFeedback(projects, { tenantId: TENANT, measure: "NO_FISCAL_FUNDS" })
        expect(byMeasure.map((f) => f.id)).toEqual([first.id])
        const neither = yield* Effect.flip(credits.listMeasureFeedback(auditor, { tenantId: TENANT }))
        expect(neither.message).toContain("请指定信用主体或措施")
        const log = yield* AuditLog.AuditLog
        const audited = (yield* log.list(TENANT, { limit: 200 })).items.filter(
          (e) => e.action === "credit.measure.feedback"
        )
        expect(audited).toHaveLength(2)
        expect((yield* eventTypes).filter((e) => e.type === "credit.MeasureTaken")).toHaveLength(2)
      }).pipe(Effect.provide(layer()))
    )

    it.effect("the 双公示 overdue sweep tells the late unit through the default subscriptions", () =>
      Effect.gen(function* () {
        const credits = yield* setUp
        yield* TestClock.setTime(Date.parse("2026-12-02T17:00:00Z")) // 2026-12-03 in China
        yield* credits.ingest(
          clerk,
          batch([penalty("P1", codeA, "坪山甲公司", "2026-11-23"), penalty("P2", codeA, "坪山甲公司", "2026-11-30")])
        )
        const denied = yield* Effect.flip(
          credits.sweepOverduePublications(clerk, { tenantId: TENANT, from: "2026-11-01", to: "2026-11-30" })
        )
        expect(denied._tag).toBe("Forbidden")
        const swept = yield* credits.sweepOverduePublications(admin, {
          tenantId: TENANT,
          from: "2026-11-01",
          to: "2026-11-30"
        })
        expect(swept).toEqual([{ sourceUnitId: "SCJG", late: 1 }])

        const subscriptions = CreditNotifications.defaultSubscriptions({
          channels: ["wecom"],
          recipients: {
            sourceUnit: (unit) => Effect.succeed([{ id: `unit-${unit}`, addresses: { wecom: unit } }]),
            creditOffice: () => Effect.succeed([{ id: "xyb", addresses: { wecom: "xyb" } }])
          }
        })
        const configured = yield* Subscription.configure(subscriptions, { channels: ["wecom"] })
        const rendered: Array<[string, ReadonlyArray<string>, string]> = []
        for (const raw of yield* eventTypes) {
          for (const subscription of configured.forEvent(raw.type)) {
            const payload = yield* Effect.orDie(Schema.decodeUnknown(subscription.payload!)(raw.payload))
            const recipients = (yield* Effect.orDie(
              subscription.recipients({ event: raw, payload })
            )) as ReadonlyArray<{
              id: string
            }>
            if (recipients.length === 0) continue
            const data = Subscription.mapData(subscription.data, { event: raw, payload }, { id: "r", addresses: {} })
            const message = yield* Template.render(subscription.template, data)
            rendered.push([subscription.id, recipients.map((r) => r.id), message.subject])
          }
        }
        expect(rendered).toEqual([
          [
            "credit.publicationOverdue",
            ["unit-SCJG"],
            "【双公示超期】坪山区市场监督管理局有 1 条信息未在 7 个工作日内公示"
          ]
        ])
      }).pipe(Effect.provide(layer()))
    )
  })
}
