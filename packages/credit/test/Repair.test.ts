import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { CreditRecord } from "../src/CreditRecord.js"
import * as CreditRules from "../src/CreditRules.js"
import * as Repair from "../src/Repair.js"
import { day, record } from "./fixtures.js"

const rules = {
  ruleSets: CreditRules.defaultRuleSets,
  conditions: Repair.sampleConditions,
  commitmentText: Repair.defaultCommitmentText
}
const claim: Repair.Claim = {
  evidence: [{ kind: "obligation", reference: "罚款缴纳凭证 2026-001" }],
  commitmentText: Repair.defaultCommitmentText
}

describe("Repair.eligibility", () => {
  it("Order 36: a general finding may be repaired from the day its 3-month minimum is reached, not before", () => {
    const r = record("R1", "ADMIN_PENALTY", "2026-11-30", { tier: "general" })
    const early = Repair.eligibility(r, day("2027-02-27"), claim, rules)
    expect([early.eligible, early.earliest, early.rule]).toEqual([false, "2027-02-28", "ndrc-order-36"])
    expect(early.reasons.join()).toContain("最短公示期于 2027-02-28 届满")
    expect(Repair.eligibility(r, day("2027-02-28"), claim, rules).eligible).toBe(true)
  })

  it("Order 36: a minor finding needs no waiting time, only the obligation fulfilled", () => {
    const r = record("R1", "ADMIN_PENALTY", "2026-11-30", { tier: "minor" })
    expect(Repair.eligibility(r, day("2026-11-30"), claim, rules).eligible).toBe(true)
    const without = Repair.eligibility(r, day("2026-11-30"), { ...claim, evidence: [] }, rules)
    expect([without.eligible, without.earliest]).toEqual([false, undefined])
    expect(without.reasons).toEqual(["缺少已履行法定义务、纠正失信行为的证明材料"])
  })

  it("Order 58 for a finding before 2026-04-01: one year minimum in work safety, and the sector condition", () => {
    const r = new CreditRecord({
      ...record("R1", "ADMIN_PENALTY", "2026-03-31", { tier: "general" }),
      sector: "workSafety"
    })
    const answer = Repair.eligibility(r, day("2026-12-01"), claim, rules)
    expect([answer.eligible, answer.earliest, answer.rule]).toEqual([false, "2027-03-31", "ndrc-order-58"])
    expect(answer.reasons.join()).toContain("参加安全生产信用修复专题培训并经复查合格")
    const later = Repair.eligibility(
      r,
      day("2027-03-31"),
      {
        ...claim,
        evidence: [...claim.evidence, { kind: "condition", conditionId: "safetyTraining", reference: "培训证明" }]
      },
      rules
    )
    expect(later.eligible).toBe(true)
  })

  it("refuses a commitment other than the text in force, a positive record, and a record not in use", () => {
    const r = record("R1", "ADMIN_PENALTY", "2026-05-01", { tier: "general" })
    expect(Repair.eligibility(r, day("2026-12-01"), { ...claim, commitmentText: "我承诺" }, rules).reasons).toEqual([
      "未签署现行版本的信用承诺书"
    ])
    expect(Repair.eligibility(record("H", "HONOUR", "2026-05-01"), day("2026-12-01"), claim, rules).reasons).toContain(
      "该记录不是失信信息，无需修复"
    )
    const repaired = record("R2", "ADMIN_PENALTY", "2026-05-01", { tier: "general", state: "repaired" })
    expect(Repair.eligibility(repaired, day("2026-12-01"), claim, rules).reasons).toEqual([
      "该记录当前状态为「已修复」，不能申请修复"
    ])
  })

  it("a decided application cannot be decided again", () => {
    const application = new Repair.RepairApplication({
      id: "RA-1",
      tenantId: "440310" as never,
      subjectId: "S1",
      sourceUnitId: "SCJG",
      recordIds: ["R1"],
      listDecisionIds: [],
      evidence: [],
      commitmentText: "",
      rules: [],
      state: "applied",
      applied: { by: "R001", at: new Date(0) }
    })
    const decision = { by: "C001", at: new Date(1), on: day("2026-12-01"), unit: "SCJG", reasons: ["已履行"] as const }
    const granted = Either.getOrThrow(Repair.grant(application, { ...decision, reasons: ["已履行"] }))
    expect(granted.state).toBe("granted")
    const again = Repair.deny(granted, { ...decision, reasons: ["x"] })
    expect(Either.isLeft(again) && again.left.message).toContain("当前状态为「准予修复」，不能不予修复")
  })
})
