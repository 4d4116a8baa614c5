import * as Actor from "@gongzhi/core/Actor"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Schema, TestClock } from "effect"
import type { CreateCall } from "../src/Call.js"
import { Projects } from "../src/Projects.js"

export const TENANT = "440310" as TenantId
export const STREET = "440310001"

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const scope = { tenantId: TENANT, regionCode: TENANT }

export const office = decodeActor({
  _tag: "Staff",
  staffId: "OFFICE1",
  name: "陈主任",
  roles: ["projects-district-office"],
  scope
})
export const judge = (n: number) =>
  decodeActor({ _tag: "Staff", staffId: `J${n}`, name: `评审${n}`, roles: ["projects-judge"], scope })
export const applicant = (n: number) =>
  decodeActor({ _tag: "Resident", userId: `ORG${n}`, roles: ["projects-applicant"], scope })
export const supervisor = decodeActor({
  _tag: "Staff",
  staffId: "SUP1",
  name: "督导员",
  roles: ["projects-supervisor"],
  scope
})
export const responsibleUnit = decodeActor({
  _tag: "Staff",
  staffId: "UNIT1",
  name: "责任单位",
  roles: ["projects-responsible-unit"],
  scope
})
export const publicReader = decodeActor({ _tag: "Resident", userId: "PUBLIC", roles: ["public"], scope })
export const otherDistrictOffice = decodeActor({
  _tag: "Staff",
  staffId: "OFFICE9",
  name: "外区",
  roles: ["projects-district-office"],
  scope: { tenantId: "440309", regionCode: "440309" }
})

export const random = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const codes = random(2017)
export const creditCode = () => SocialCreditCode.generate(codes)

export const callInput = (quota = 3): typeof CreateCall.Encoded => ({
  tenantId: TENANT,
  kind: "innovation-project",
  title: "2026年社会治理创新项目征集",
  year: 2026,
  phases: [
    { name: "applications", from: "2026-03-02", to: "2026-03-13" },
    { name: "eligibility", from: "2026-03-16", to: "2026-03-20" },
    { name: "defence", from: "2026-03-24", to: "2026-03-24" },
    { name: "selection", from: "2026-03-25", to: "2026-03-27" }
  ],
  settings: {
    quota,
    budgetCapYuan: 300_000,
    eligibleApplicantKinds: ["social-organisation", "enterprise"],
    formFields: [
      { key: "beneficiaries", label: "受益人数", type: "number", required: true, min: 0 },
      { key: "field", label: "领域", type: "choice", choices: ["社区治理", "为老服务"] }
    ],
    rubric: {
      id: "defence",
      name: "遴选答辩评分细则",
      criteria: [
        { id: "innovation", name: "创新性", weight: 1, min: 0, max: 30 },
        { id: "feasibility", name: "可行性", weight: 1, min: 0, max: 30 },
        { id: "impact", name: "社会效益", weight: 1, min: 0, max: 40 }
      ]
    },
    strategy: { _tag: "TrimmedMean" },
    publicityWorkingDays: 5
  }
})

export const applicationInput = (callId: string, n: number) => ({
  tenantId: TENANT,
  callId,
  title: `社区治理创新项目 ${n}`,
  applicant: { name: `坪山公益服务中心 ${n}`, creditCode: creditCode(), kind: "social-organisation" as const },
  responsibleUnit: "坪山街道办事处",
  regionCode: STREET,
  budget: [{ item: "活动经费", amountYuan: 100_000 + n * 1000 }],
  form: { beneficiaries: 100 * n, field: "社区治理" }
})

/** Drafts and submits `n` applications (applicant k owns application k). */
export const submitAll = (callId: string, n: number) =>
  Effect.gen(function* () {
    const projects = yield* Projects
    const ids: Array<string> = []
    for (let k = 1; k <= n; k++) {
      const draft = yield* projects.draftApplication(applicant(k), applicationInput(callId, k))
      yield* projects.submitApplication(applicant(k), { tenantId: TENANT, applicationId: draft.id })
      yield* TestClock.adjust("1 minute")
      ids.push(draft.id)
    }
    return ids
  })
