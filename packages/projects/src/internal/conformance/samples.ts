import type { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { Application } from "../../Application.js"
import { Call } from "../../Call.js"
import { DefenceSession } from "../../DefenceSession.js"
import { Rubric } from "../../Rubric.js"
import { ScoreSheet } from "../../ScoreSheet.js"

export const rubric = Schema.decodeSync(Rubric)({
  id: "sample",
  name: "评分细则",
  source: "",
  criteria: [{ id: "q", name: "质量", weight: 1, min: 0, max: 100 }]
})

export const call = (tenantId: TenantId, i: number) =>
  new Call({
    id: `call-${i}`,
    tenantId,
    kind: "innovation-project",
    title: `征集 ${i}`,
    year: 2017 + (i % 3),
    phases: [{ name: "applications", from: "2017-01-01" as never, to: "2017-02-01" as never }],
    settings: {
      quota: 8,
      budgetCapYuan: 300_000,
      eligibleApplicantKinds: ["social-organisation"],
      formFields: [],
      rubric,
      strategy: { _tag: "Mean" },
      slotMinutes: 15,
      breakMinutes: 5,
      publicityWorkingDays: 5
    },
    status: i % 2 === 0 ? "open" : "closed",
    selected: [],
    publicity: null,
    objections: [],
    cityRecommendation: null,
    createdAt: new Date(Date.UTC(2017, 0, 1, 0, 0, i))
  })

export const application = (tenantId: TenantId, i: number, callId = "call-0") =>
  new Application({
    id: `app-${i}`,
    tenantId,
    callId,
    title: `项目 ${i}`,
    summary: "",
    applicant: { name: `机构 ${i}`, creditCode: "91350100M000100Y43", kind: "social-organisation" },
    responsibleUnit: "坪山街道办事处",
    regionCode: "440310001" as never,
    budget: [{ item: "活动经费", amountYuan: 1000 * i }],
    attachments: [{ name: "申报书.pdf", ref: `files/app-${i}.pdf` }],
    form: { members: i },
    status: i % 3 === 0 ? "submitted" : "draft",
    ownerId: `U${i % 2}`,
    submittedAt: null,
    eligibility: null,
    createdAt: new Date(Date.UTC(2017, 0, 2, 0, 0, i))
  })

export const session = (tenantId: TenantId, i: number) =>
  new DefenceSession({
    id: `session-${i}`,
    tenantId,
    callId: "call-0",
    title: "遴选答辩会",
    venue: "区行政服务中心",
    startsAt: new Date("2017-03-24T01:00:00Z"),
    slotMinutes: 15,
    breakMinutes: 5,
    judgeIds: ["J1", "J2"],
    slots: [],
    declarations: [],
    status: "scheduled",
    closedAt: null
  })

export const sheet = (tenantId: TenantId, i: number) =>
  new ScoreSheet({
    id: `session-0:J${i % 3}:app-${i}`,
    tenantId,
    sessionId: "session-0",
    applicationId: `app-${i}`,
    judgeId: `J${i % 3}`,
    scores: { q: i },
    comment: "",
    status: "draft",
    submittedAt: null
  })
