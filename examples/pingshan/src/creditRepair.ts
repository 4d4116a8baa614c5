/**
 * The objection and credit-repair step of the Pingshan run (公共信用：异议与信用修复), on its own small
 * in-memory district dated 2026-12-01: a company objects to a wrongly entered fine and the market
 * regulator corrects it; then, its penalty's minimum display reached under Order 36, the same regulator
 * (谁认定、谁修复) grants a repair that takes the company off the serious-dishonesty list and lifts the
 * measures that list carried. A few readable lines; the events go to the outbox.
 */
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Outbox from "@gongzhi/core/Outbox"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import { CreditStore, Credits, Measure, Repair, SourceUnit } from "@gongzhi/credit"
import { Effect, Layer } from "effect"
import { actor, fixedClock } from "./creditRun.js"

const TENANT = "440310" as TenantId
const TODAY = Date.parse("2026-12-01T02:00:00Z")

const staff = (staffId: string, roles: Array<string>) => actor(roles, staffId)

const company = (() => {
  let seed = 20261201
  const random = () => {
    seed = (seed * 48271) % 2147483647
    return seed / 2147483647
  }
  for (;;) {
    const first17 = `91${SocialCreditCode.generate(random).slice(2, 17)}`
    const check = SocialCreditCode.computeCheckCharacter(first17)
    if (check._tag === "Some") return first17 + check.value
  }
})()

const header = ["信息类型代码", "来源记录编号", "主体标识", "主体名称", "决定文书号", "决定日期", "失信程度"]
const extra = ["处罚类别", "罚款金额（元）", "违法行为类型", "决定机关"]
const csv = (rows: ReadonlyArray<ReadonlyArray<string>>) =>
  new TextEncoder().encode([[...header, ...extra], ...rows].map((r) => r.join(",")).join("\r\n"))
const penalty = (id: string, date: string, fine: string) => [
  ...["ADMIN_PENALTY", id, company, "坪山丙科技有限公司", `深坪市监罚〔2026〕${id}号`, date, "一般"],
  ...["罚款", fine, "未按规定公示年度报告", "坪山区市场监督管理局"]
]

/** The result, for the test. */
export interface RepairStepResult {
  readonly correctedFine: unknown
  readonly listsAfter: number
  readonly measuresBefore: ReadonlyArray<string>
  readonly measuresAfter: ReadonlyArray<string>
  readonly events: ReadonlyArray<string>
}

/** Runs the step and prints a few lines. */
export const runCreditRepair = (print: (line: string) => void) =>
  Effect.gen(function* () {
    const credits = yield* Credits.Credits
    const clerk = staff("SCJG01", ["credit-unit-clerk"])
    const desk = staff("XYB010", ["credit-reviewer"])
    const admin = staff("XYB001", ["credit-admin"])
    print("\n== 公共信用：异议与信用修复 ==")
    yield* credits.ingest(clerk, {
      tenantId: TENANT,
      sourceUnitId: "SCJG",
      format: "csv",
      content: csv([penalty("107", "2026-06-01", "20000"), penalty("233", "2026-09-10", "50000")])
    })
    const store = yield* CreditStore.CreditStore
    const subject = (yield* store.subjects.find(TENANT, { identifier_key: company }, 1))[0]!.value
    const records = (yield* store.records.find(TENANT, { subject_id: subject.id }, 10)).map((r) => r.value)
    const first = records.find((r) => r.sourceRecordId === "107")!
    const second = records.find((r) => r.sourceRecordId === "233")!

    // 1. an objection: filed at the counter, accepted, checked, the regulator corrects the fine
    const objection = yield* credits.fileObjection(desk, {
      tenantId: TENANT,
      recordId: second.id,
      filer: { _tag: "Subject" },
      reason: "罚款金额登记有误，处罚决定书载明为 5000 元"
    })
    const at = { tenantId: TENANT, objectionId: objection.id }
    yield* credits.acceptObjection(desk, at)
    yield* credits.forwardObjection(desk, { ...at, note: "平台处理无误，转提供单位核实" })
    yield* credits.answerObjection(clerk, {
      ...at,
      outcome: { _tag: "Correct", fields: { fine: 5000 } },
      reason: "经核对处罚决定书，罚款金额应为 5000 元"
    })
    const corrected = (yield* store.records.get(TENANT, second.id)).pipe((o) =>
      o._tag === "Some" ? o.value.value : second
    )
    print(
      `异议：「${subject.name}」对 ${second.documentNumber} 提出异议 → 受理（2 个工作日内）→ 平台核查 → 市场监管局核实：已更正，罚款 ${second.details.fine} → ${corrected.details.fine} 元，并通知主体`
    )

    // 2. on the serious-dishonesty list by decision; repair of the first penalty under Order 36
    const decided = yield* credits.recordListDecision(admin, {
      tenantId: TENANT,
      subjectId: subject.id,
      list: "seriousDishonesty",
      decidingUnit: "坪山区市场监督管理局",
      documentNumber: "深坪市监认〔2026〕21号",
      decisionDate: "2026-06-05",
      legalBasis: "《市场监督管理严重违法失信名单管理办法》第九条",
      reasons: ["深坪市监罚〔2026〕107号：拒不履行行政处罚决定"],
      from: "2026-06-05",
      until: "2029-06-05",
      exit: "履行处罚决定并完成信用修复后移出"
    })
    yield* credits.approveListDecision(staff("XYB002", ["credit-admin"]), { tenantId: TENANT, decisionId: decided.id })
    const measures = (purpose: string) =>
      Effect.map(credits.check(desk, { tenantId: TENANT, subjectId: subject.id, purpose }), (c) =>
        c.measures.map((m) => m.measure.name)
      )
    const measuresBefore = [...(yield* measures("政府采购")), ...(yield* measures("财政资金项目申报"))]
    const claim = {
      evidence: [{ kind: "obligation" as const, reference: "罚款缴纳凭证 PS-2026-1107" }],
      commitmentText: Repair.defaultCommitmentText
    }
    const early = yield* credits.repairEligibility(desk, { tenantId: TENANT, recordIds: [second.id], ...claim })
    const application = yield* credits.applyForRepair(desk, {
      tenantId: TENANT,
      subjectId: subject.id,
      recordIds: [first.id],
      listDecisionIds: [decided.id],
      ...claim
    })
    const refused = yield* Effect.flip(
      credits.decideRepair(admin, {
        tenantId: TENANT,
        applicationId: application.id,
        decision: "grant",
        reasons: ["x"]
      })
    )
    yield* credits.decideRepair(clerk, {
      tenantId: TENANT,
      applicationId: application.id,
      decision: "grant",
      reasons: ["已全额缴纳罚款，签署信用承诺书，最短公示期（3 个月，令36号）已满"]
    })
    const measuresAfter = [...(yield* measures("政府采购")), ...(yield* measures("财政资金项目申报"))]
    const listsAfter = (yield* credits.check(desk, { tenantId: TENANT, subjectId: subject.id, purpose: "政府采购" }))
      .entries.length
    print(
      `修复条件：${second.documentNumber} 暂不可修复（${early[0]?.reasons.join("；")}）；平台管理员代为决定被拒：${refused._tag === "NotDecidingUnit" ? "谁认定、谁修复" : refused._tag}`
    )
    print(
      `信用修复（令36号）：市场监管局准予修复 ${first.documentNumber} → 停止公示与共享，移出严重失信主体名单，解除措施：${measuresBefore.join("、")}；现适用：${measuresAfter.join("、") || "无"}`
    )
    const outbox = yield* Outbox.Outbox
    const events = (yield* outbox.list(TENANT, { limit: 500 })).items.map((e) => e.event.type)
    const shown = ["credit.ObjectionDecided", "credit.RepairGranted", "credit.SubjectLeftList"]
    print(`事件：${shown.map((t) => `${t} ×${events.filter((e) => e === t).length}`).join("，")}`)
    return {
      correctedFine: corrected.details.fine,
      listsAfter,
      measuresBefore,
      measuresAfter,
      events
    } satisfies RepairStepResult
  }).pipe(
    Effect.withClock(fixedClock(TODAY)),
    Effect.provide(
      Credits.layerMemory({
        sourceUnits: [
          new SourceUnit.SourceUnit({
            id: "SCJG",
            tenantId: TENANT,
            name: "坪山区市场监督管理局",
            kind: "bureau",
            recordTypes: ["ADMIN_PENALTY"],
            accounts: ["SCJG01"],
            active: true
          })
        ],
        measures: Measure.sampleMeasures
      }).pipe(Layer.provide(FieldCipher.layerTest()))
    )
  )
