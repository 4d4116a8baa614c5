import { assert, describe, it } from "@effect/vitest"
import type * as Actor from "@gongzhi/core/Actor"
import { Effect, Exit, Layer, TestClock } from "effect"
import * as ApplicantCheck from "../src/ApplicantCheck.js"
import * as Projects from "../src/Projects.js"
import {
  applicant,
  applicationInput,
  callInput,
  creditCode,
  judge,
  office,
  otherDistrictOffice,
  publicReader,
  responsibleUnit,
  submitAll,
  supervisor,
  TENANT
} from "./fixtures.js"

const layer = Projects.layerMemory().pipe(Layer.provide(ApplicantCheck.layerPermissive))

type Outcome = "ok" | string
const outcome = <A, E extends { readonly _tag: string }>(effect: Effect.Effect<A, E>) =>
  Effect.map(
    Effect.exit(effect),
    (exit): Outcome =>
      Exit.isSuccess(exit)
        ? "ok"
        : exit.cause._tag === "Fail"
          ? (exit.cause.error as { _tag: string })._tag
          : `defect:${exit.cause._tag}`
  )

const actors: ReadonlyArray<readonly [string, Actor.Actor]> = [
  ["district office", office],
  ["judge on the panel", judge(1)],
  ["judge elsewhere", judge(9)],
  ["supervisor", supervisor],
  ["responsible unit", responsibleUnit],
  ["applicant (owner)", applicant(1)],
  ["another applicant", applicant(2)],
  ["public", publicReader],
  ["office of another district", otherDistrictOffice]
]
const F = "Forbidden"
// rows: operation; columns: the actors above, in order. "ok" means the actor got past every permission check (a
// later refusal about the target's state or a missing target — InvalidTransition, EntityNotFound, OutsidePhase —
// still counts as "ok": the matrix is about who may, not about what the data allows).
const expected: Record<string, ReadonlyArray<Outcome>> = {
  // calls and applications
  createCall: ["ok", F, F, F, F, F, F, F, F],
  getCall: ["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", F],
  draftApplication: ["ok", F, F, F, F, "ok", "ok", F, F],
  submitApplication: ["ok", F, F, F, F, "ok", "NotOwner", F, F],
  getApplication: ["ok", "ok", "NotAssigned", F, F, "ok", "NotOwner", F, F],
  withdrawApplication: ["ok", F, F, F, F, "ok", "NotOwner", F, F],
  reviewEligibility: ["ok", F, F, F, F, F, F, F, F],
  listApplications: ["ok", F, F, F, F, "ok", "ok", F, F],
  openData: ["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", F],
  // defence and selection
  scheduleSession: ["ok", F, F, F, F, F, F, F, F],
  declare: ["NotAssigned", "ok", "NotAssigned", F, F, F, F, F, F],
  openPanel: ["ok", F, F, F, F, F, F, F, F],
  closePanel: ["ok", F, F, F, F, F, F, F, F],
  score: ["NotAssigned", "ok", "NotAssigned", F, F, F, F, F, F],
  sessionRanking: ["ok", F, F, F, F, F, F, F, F],
  select: ["ok", F, F, F, F, F, F, F, F],
  publicise: ["ok", F, F, F, F, F, F, F, F],
  raiseObjection: ["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", F],
  recommendToCity: ["ok", F, F, F, F, F, F, F, F],
  recordCityOutcome: ["ok", F, F, F, F, F, F, F, F],
  // cultivation: the supervisor (SUP1) is staff of the project's supervisor; the responsible unit (UNIT1) owns it
  registerSupervisor: ["ok", F, F, F, F, F, F, F, F],
  startCultivation: ["ok", F, F, F, F, F, F, F, F],
  getCultivation: ["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", F],
  listCultivations: ["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", F],
  submitReport: ["ok", F, F, F, "ok", F, F, F, F],
  completeMilestone: ["ok", F, F, F, "ok", F, F, F, F],
  inspect: ["ok", F, F, "ok", F, F, F, F, F],
  inspectOtherProject: ["ok", F, F, "NotResponsible", F, F, F, F, F],
  reportOnOtherProject: ["ok", F, F, F, "NotResponsible", F, F, F, F],
  closeRectification: ["ok", F, F, "ok", F, F, F, F, F],
  accept: ["ok", F, F, F, F, F, F, F, F],
  terminate: ["ok", F, F, F, F, F, F, F, F],
  sweepOverdue: ["ok", F, F, F, F, F, F, F, F],
  // joint meetings: action item a1 is owned by the responsible unit (UNIT1), a2 by another unit
  scheduleMeetings: ["ok", F, F, F, F, F, F, F, F],
  recordMinutes: ["ok", F, F, F, F, F, F, F, F],
  completeActionItem: ["ok", F, F, F, "ok", F, F, F, F],
  completeOthersActionItem: ["ok", F, F, F, "NotResponsible", F, F, F, F],
  actionItemReport: ["ok", F, F, F, "ok", F, F, F, F]
}

/** Rows that check a second case of a command (the command itself has its own row). */
const variants: Record<string, string> = {
  inspectOtherProject: "inspect",
  reportOnOtherProject: "submitReport",
  completeOthersActionItem: "completeActionItem"
}

const passed = new Set(["EntityNotFound", "InvalidTransition", "OutsidePhase"])

const standard = {
  source: "管理标准",
  effectiveFrom: "2026-01-01",
  reportDueWorkingDay: 5,
  inspectionsPerQuarter: 1,
  rectificationWorkingDays: 10,
  conditionalShare: 0.5,
  kpis: [{ id: "served", name: "服务人次", target: 10, unit: "人次" }]
}

describe("permission matrix", () => {
  it.effect("every command of the service has a row", () =>
    Effect.gen(function* () {
      const projects = yield* Projects.Projects
      const commands = Object.keys(projects).filter(
        (key) => typeof (projects as unknown as Record<string, unknown>)[key] === "function"
      )
      const rows = new Set(Object.keys(expected).map((row) => variants[row] ?? row))
      assert.deepStrictEqual(
        commands.filter((command) => !rows.has(command)),
        []
      )
      assert.deepStrictEqual(
        [...rows].filter((row) => !commands.includes(row)),
        []
      )
    }).pipe(Effect.provide(layer))
  )

  it.effect("each role can do exactly what the table grants", () =>
    Effect.gen(function* () {
      const projects = yield* Projects.Projects
      yield* TestClock.setTime(Date.parse("2026-03-02T02:00:00Z"))
      const call = yield* projects.createCall(office, callInput())
      const [owned, second, third] = yield* submitAll(call.id, 3)
      for (const id of [owned!, second!, third!]) {
        yield* projects.reviewEligibility(office, { tenantId: TENANT, applicationId: id, eligible: true })
      }
      const session = yield* projects.scheduleSession(office, {
        tenantId: TENANT,
        callId: call.id,
        title: "答辩会",
        venue: "会议室",
        startsAt: "2026-03-24T01:00:00Z",
        judgeIds: ["J1", "J2"],
        applicationIds: [owned!, second!]
      })
      const openSession = yield* projects.scheduleSession(office, {
        tenantId: TENANT,
        callId: call.id,
        title: "补充答辩会",
        venue: "会议室",
        startsAt: "2026-03-25T01:00:00Z",
        judgeIds: ["J1"],
        applicationIds: [third!]
      })
      yield* projects.openPanel(office, { tenantId: TENANT, sessionId: session.id })
      yield* projects.closePanel(office, { tenantId: TENANT, sessionId: session.id })
      yield* projects.openPanel(office, { tenantId: TENANT, sessionId: openSession.id })
      // a second call, selected, with two projects in cultivation: one supervised by SUP1 for UNIT1, one not
      const other = yield* projects.createCall(office, callInput(2))
      const selectedIds = yield* submitAll(other.id, 2)
      for (const id of selectedIds) {
        yield* projects.reviewEligibility(office, { tenantId: TENANT, applicationId: id, eligible: true })
      }
      const otherSession = yield* projects.scheduleSession(office, {
        tenantId: TENANT,
        callId: other.id,
        title: "答辩会",
        venue: "会议室",
        startsAt: "2026-03-24T01:00:00Z",
        judgeIds: ["J1"]
      })
      yield* projects.openPanel(office, { tenantId: TENANT, sessionId: otherSession.id })
      for (const id of selectedIds) {
        yield* projects.score(judge(1), {
          tenantId: TENANT,
          sessionId: otherSession.id,
          applicationId: id,
          scores: { innovation: 10, feasibility: 10, impact: 10 },
          submit: true
        })
      }
      yield* projects.closePanel(office, { tenantId: TENANT, sessionId: otherSession.id })
      yield* projects.select(office, { tenantId: TENANT, sessionId: otherSession.id })
      const ours = yield* projects.registerSupervisor(office, {
        tenantId: TENANT,
        name: "督导机构甲",
        creditCode: creditCode(),
        staff: [{ staffId: "SUP1", name: "督导员" }]
      })
      const theirs = yield* projects.registerSupervisor(office, {
        tenantId: TENANT,
        name: "督导机构乙",
        creditCode: creditCode(),
        staff: [{ staffId: "SUP9", name: "督导员乙" }]
      })
      const start = (applicationId: string, supervisorId: string, unitId: string) =>
        projects.startCultivation(office, {
          tenantId: TENANT,
          applicationId,
          supervisorId,
          responsibleUnitId: unitId,
          responsibleUnitName: "责任单位",
          standard,
          fromMonth: "2026-03",
          toMonth: "2026-05",
          milestones: [{ name: "启动", dueOn: "2026-04-30" }]
        })
      const project = yield* start(selectedIds[0]!, ours.id, "UNIT1")
      const otherProject = yield* start(selectedIds[1]!, theirs.id, "UNIT9")
      const inspected = yield* projects.inspect(supervisor, {
        tenantId: TENANT,
        projectId: project.id,
        quarter: "2026Q1",
        rating: "good",
        findings: [{ text: "台账不完整", rectify: true }]
      })
      const [meeting] = yield* projects.scheduleMeetings(office, {
        tenantId: TENANT,
        title: "联席会议",
        memberUnits: ["甲", "乙"],
        firstOn: "2026-03-02",
        count: 2
      })
      yield* projects.recordMinutes(office, {
        tenantId: TENANT,
        meetingId: meeting!.id,
        attendees: [],
        minutes: "纪要",
        decisions: [],
        actionItems: [
          { text: "事项一", ownerId: "UNIT1", ownerUnit: "责任单位", workingDays: 3 },
          { text: "事项二", ownerId: "UNIT9", ownerUnit: "另一单位", workingDays: 3 }
        ]
      })

      const failures: Array<string> = []
      for (const [operation, row] of Object.entries(expected)) {
        for (let k = 0; k < actors.length; k++) {
          const [who, actor] = actors[k]!
          const tenantId = TENANT
          // submissions and withdrawals act on fresh drafts of applicant 1, so each cell starts from the same state
          const draftId =
            operation === "withdrawApplication" || operation === "submitApplication"
              ? (yield* projects.draftApplication(applicant(1), applicationInput(call.id, 1))).id
              : ""
          const cultivation = { tenantId, projectId: project.id }
          const cells: Record<string, () => Effect.Effect<unknown, { readonly _tag: string }>> = {
            createCall: () => projects.createCall(actor, { ...callInput(), tenantId }),
            getCall: () => projects.getCall(actor, { tenantId, callId: call.id }),
            draftApplication: () => projects.draftApplication(actor, { ...applicationInput(call.id, 9), tenantId }),
            submitApplication: () => projects.submitApplication(actor, { tenantId, applicationId: draftId }),
            getApplication: () => projects.getApplication(actor, { tenantId, applicationId: owned! }),
            withdrawApplication: () => projects.withdrawApplication(actor, { tenantId, applicationId: draftId }),
            reviewEligibility: () =>
              projects.reviewEligibility(actor, { tenantId, applicationId: "missing", eligible: true }),
            listApplications: () => projects.listApplications(actor, { tenantId, callId: call.id }),
            openData: () => projects.openData(actor, { tenantId, callId: other.id }),
            scheduleSession: () =>
              projects.scheduleSession(actor, {
                tenantId,
                callId: "missing",
                title: "答辩会",
                venue: "会议室",
                startsAt: "2026-03-24T01:00:00Z",
                judgeIds: ["J1"]
              }),
            declare: () =>
              projects.declare(actor, {
                tenantId,
                sessionId: openSession.id,
                applicationId: third!,
                conflict: false,
                reason: ""
              }),
            openPanel: () => projects.openPanel(actor, { tenantId, sessionId: "missing" }),
            closePanel: () => projects.closePanel(actor, { tenantId, sessionId: "missing" }),
            score: () =>
              projects.score(actor, {
                tenantId,
                sessionId: openSession.id,
                applicationId: third!,
                scores: { innovation: 1, feasibility: 1, impact: 1 },
                submit: false
              }),
            sessionRanking: () => projects.sessionRanking(actor, { tenantId, sessionId: session.id }),
            select: () => projects.select(actor, { tenantId, sessionId: "missing" }),
            publicise: () => projects.publicise(actor, { tenantId, callId: "missing" }),
            raiseObjection: () =>
              projects.raiseObjection(actor, { tenantId, callId: "missing", applicationId: owned!, reason: "异议" }),
            recommendToCity: () =>
              projects.recommendToCity(actor, { tenantId, callId: "missing", applicationId: owned! }),
            recordCityOutcome: () =>
              projects.recordCityOutcome(actor, { tenantId, callId: "missing", outcome: "selected" }),
            registerSupervisor: () =>
              projects.registerSupervisor(actor, {
                tenantId,
                name: "督导机构",
                creditCode: creditCode(),
                staff: [{ staffId: "SUPX", name: "督导员" }]
              }),
            startCultivation: () =>
              projects.startCultivation(actor, {
                tenantId,
                applicationId: "missing",
                supervisorId: ours.id,
                responsibleUnitId: "UNIT1",
                responsibleUnitName: "责任单位",
                standard,
                fromMonth: "2026-03",
                toMonth: "2026-05",
                milestones: [{ name: "启动", dueOn: "2026-04-30" }]
              }),
            getCultivation: () => projects.getCultivation(actor, cultivation),
            listCultivations: () => projects.listCultivations(actor, { tenantId }),
            submitReport: () => projects.submitReport(actor, { ...cultivation, month: "2026-03", summary: "进展" }),
            completeMilestone: () => projects.completeMilestone(actor, { ...cultivation, milestoneId: "m1" }),
            inspect: () => projects.inspect(actor, { ...cultivation, quarter: "2026Q1", rating: "good", findings: [] }),
            inspectOtherProject: () =>
              projects.inspect(actor, {
                tenantId,
                projectId: otherProject.id,
                quarter: "2026Q1",
                rating: "good",
                findings: []
              }),
            reportOnOtherProject: () =>
              projects.submitReport(actor, { tenantId, projectId: otherProject.id, month: "2026-04", summary: "进展" }),
            closeRectification: () =>
              projects.closeRectification(actor, {
                ...cultivation,
                rectificationId: inspected.rectifications[0]!.id,
                note: "已整改"
              }),
            accept: () => projects.accept(actor, { tenantId, projectId: "missing", actuals: {} }),
            terminate: () => projects.terminate(actor, { tenantId, projectId: "missing", reason: "退出" }),
            sweepOverdue: () => projects.sweepOverdue(actor, { tenantId }),
            scheduleMeetings: () =>
              projects.scheduleMeetings(actor, {
                tenantId,
                title: "联席会议",
                memberUnits: ["甲", "乙"],
                firstOn: "2026-03-09",
                count: 1
              }),
            recordMinutes: () =>
              projects.recordMinutes(actor, {
                tenantId,
                meetingId: "missing",
                attendees: [],
                minutes: "纪要",
                decisions: [],
                actionItems: []
              }),
            completeActionItem: () =>
              projects.completeActionItem(actor, { tenantId, meetingId: meeting!.id, itemId: "a1", note: "办结" }),
            completeOthersActionItem: () =>
              projects.completeActionItem(actor, { tenantId, meetingId: meeting!.id, itemId: "a2", note: "办结" }),
            actionItemReport: () => projects.actionItemReport(actor, { tenantId, seriesId: meeting!.seriesId })
          }
          const cell = cells[operation]
          if (cell === undefined) {
            failures.push(`${operation}: no cell`)
            continue
          }
          let got = yield* outcome(cell())
          if (passed.has(got)) got = "ok"
          if (got !== row[k]) failures.push(`${operation} × ${who}: expected ${row[k]}, got ${got}`)
        }
      }
      assert.deepStrictEqual(failures, [])
    }).pipe(Effect.provide(layer))
  )
})
