import type { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { Application } from "../../Application.js"
import { Call } from "../../Call.js"
import { CultivatedProject } from "../../CultivatedProject.js"
import { ManagementStandard } from "../../Cultivation.js"
import { DefenceSession } from "../../DefenceSession.js"
import { JointMeeting } from "../../JointMeeting.js"
import { Rubric } from "../../Rubric.js"
import { ScoreSheet } from "../../ScoreSheet.js"
import { Supervisor } from "../../Supervisor.js"

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

export const standard = Schema.decodeSync(ManagementStandard)({
  source: "管理标准（样例）",
  effectiveFrom: "2017-01-01",
  reportDueWorkingDay: 5,
  inspectionsPerQuarter: 1,
  rectificationWorkingDays: 10,
  conditionalShare: 0.6,
  kpis: [{ id: "served", name: "服务人次", target: 100, unit: "人次", lowerIsBetter: false }]
})

export const supervisor = (tenantId: TenantId, i: number) =>
  new Supervisor({
    id: `sup-${i}`,
    tenantId,
    name: `督导机构 ${i}`,
    creditCode: i % 2 === 0 ? "91350100M000100Y43" : "52440300MJL1234567",
    staff: [{ staffId: `S${i}`, name: `督导员 ${i}` }],
    createdAt: new Date(Date.UTC(2017, 3, 1, 0, 0, i))
  })

export const cultivation = (tenantId: TenantId, i: number) =>
  new CultivatedProject({
    id: `prj-${i}`,
    tenantId,
    callId: "call-0",
    applicationId: `app-${i}`,
    title: `培育项目 ${i}`,
    responsibleUnitId: `UNIT${i % 2}`,
    responsibleUnitName: "坪山街道办事处",
    supervisorId: `sup-${i % 3}`,
    standard,
    fromMonth: "2017-05",
    toMonth: "2017-06",
    milestones: [{ id: "m1", name: "启动", dueOn: "2017-05-31" as never, doneOn: null }],
    reports: [
      {
        month: "2017-05",
        dueOn: "2017-06-07" as never,
        submittedOn: null,
        summary: "",
        kpis: {},
        remindedOn: null,
        overdueOn: null
      }
    ],
    inspections: [],
    rectifications: [],
    status: "cultivating",
    acceptance: null,
    termination: null,
    startedAt: new Date(Date.UTC(2017, 4, 1, 0, 0, i))
  })

export const meeting = (tenantId: TenantId, i: number) =>
  new JointMeeting({
    id: `meeting-${i}`,
    tenantId,
    seriesId: `series-${i % 2}`,
    title: "每周工作联席会议",
    sequence: i + 1,
    heldOn: `2017-05-${String(i + 1).padStart(2, "0")}` as never,
    memberUnits: ["区社会建设办", "坪山街道"],
    status: "scheduled",
    attendees: [],
    minutes: "",
    decisions: [],
    actionItems: []
  })
