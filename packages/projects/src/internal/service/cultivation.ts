import * as ActorModule from "@gongzhi/core/Actor"
import type { LocalDate } from "@gongzhi/core/LocalDate"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, type Either, Schema } from "effect"
import * as Application from "../../Application.js"
import * as Project from "../../CultivatedProject.js"
import * as Cultivation from "../../Cultivation.js"
import { Permission } from "../../Permissions.js"
import { InvalidTransition, NotResponsible } from "../../ProjectErrors.js"
import type * as ProjectEvents from "../../ProjectEvents.js"
import * as Supervisor from "../../Supervisor.js"
import { newId } from "./applications.js"
import { audit, authorize, chinaDate, command, type Deps, emit, holds, invalid, load } from "./context.js"

const quarterOf = (date: string): string => `${date.slice(0, 4)}Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`

export const make = (deps: Deps) => {
  const cmd = command(deps)

  const loadProject = (tenantId: TenantId, id: string) => load("Project", id, deps.cultivations.get(tenantId, id))
  const loadSupervisor = (tenantId: TenantId, id: string) => load("Supervisor", id, deps.supervisors.get(tenantId, id))

  /** Saves a transition's result or fails with its error. */
  const save = <E>(result: Either.Either<Project.CultivatedProject, E>, version: number) =>
    Effect.flatMap(result, (project) => Effect.as(deps.cultivations.update(project, version), project))

  /** The responsible unit of the project (or the district office acting for it). */
  const asUnit = (project: Project.CultivatedProject, actor: ActorModule.Actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.report, project.tenantId)
      if (holds(deps, actor, Permission.cultivationManage, project.tenantId)) return
      const actorId = ActorModule.id(actor)
      if (actorId !== project.responsibleUnitId) {
        return yield* new NotResponsible({ actorId, projectId: project.id, role: "responsible-unit" })
      }
    })

  /** Staff of the project's supervisor (or the district office). */
  const asSupervisor = (project: Project.CultivatedProject, actor: ActorModule.Actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.supervise, project.tenantId)
      if (holds(deps, actor, Permission.cultivationManage, project.tenantId)) return
      const supervisor = (yield* loadSupervisor(project.tenantId, project.supervisorId)).value
      const actorId = ActorModule.id(actor)
      if (!Supervisor.isStaff(supervisor, actorId)) {
        return yield* new NotResponsible({ actorId, projectId: project.id, role: "supervisor" })
      }
    })

  const registerSupervisor = cmd("registerSupervisor", Supervisor.RegisterSupervisor, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.cultivationManage, i.tenantId)
      const ids = i.staff.map((s) => s.staffId)
      if (new Set(ids).size !== ids.length) return yield* invalid("registerSupervisor", "staff: 督导人员重复")
      const supervisor = new Supervisor.Supervisor({
        id: yield* newId,
        tenantId: i.tenantId,
        name: i.name,
        creditCode: i.creditCode,
        staff: i.staff,
        createdAt: at
      })
      yield* deps.supervisors.insert(supervisor)
      yield* audit(deps, actor, i.tenantId, "registerSupervisor", "Supervisor", supervisor.id, { staff: ids.length })
      return supervisor
    })
  )

  const startCultivation = cmd("startCultivation", Project.StartCultivation, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.cultivationManage, i.tenantId)
      const application = (yield* load(
        "Application",
        i.applicationId,
        deps.applications.get(i.tenantId, i.applicationId)
      )).value
      if (application.status !== "selected") {
        return yield* new InvalidTransition({
          entity: "Application",
          id: application.id,
          state: Application.statusLabel[application.status],
          action: "进入培育"
        })
      }
      if ((yield* deps.cultivations.count(i.tenantId, { application_id: application.id })) > 0) {
        return yield* new InvalidTransition({
          entity: "Application",
          id: application.id,
          state: "已在培育中",
          action: "再次进入培育"
        })
      }
      yield* loadSupervisor(i.tenantId, i.supervisorId)
      if (i.fromMonth > i.toMonth) return yield* invalid("startCultivation", "toMonth: 培育结束月份不能早于开始月份")
      const dues = yield* Cultivation.reportDueDates(deps.calendar, i.standard, i.fromMonth, i.toMonth)
      const project = new Project.CultivatedProject({
        id: yield* newId,
        tenantId: i.tenantId,
        callId: application.callId,
        applicationId: application.id,
        title: application.title,
        responsibleUnitId: i.responsibleUnitId,
        responsibleUnitName: i.responsibleUnitName,
        supervisorId: i.supervisorId,
        standard: i.standard,
        fromMonth: i.fromMonth,
        toMonth: i.toMonth,
        milestones: i.milestones
          .map((m, k) => ({ id: `m${k + 1}`, name: m.name, dueOn: m.dueOn, doneOn: null }))
          .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0)),
        reports: dues.map((d) => ({
          month: d.month,
          dueOn: d.dueOn,
          submittedOn: null,
          summary: "",
          kpis: {},
          remindedOn: null,
          overdueOn: null
        })),
        inspections: [],
        rectifications: [],
        status: "cultivating",
        acceptance: null,
        termination: null,
        startedAt: at
      })
      yield* deps.cultivations.insert(project)
      yield* audit(deps, actor, i.tenantId, "startCultivation", "CultivatedProject", project.id, {
        applicationId: application.id,
        supervisorId: i.supervisorId,
        reports: dues.length
      })
      return project
    })
  )

  const submitReport = cmd("submitReport", Project.SubmitReport, (i, at, actor) =>
    Effect.gen(function* () {
      const { value, version } = yield* loadProject(i.tenantId, i.projectId)
      yield* asUnit(value, actor)
      const project = yield* save(
        Project.submitReport(value, { month: i.month, summary: i.summary, kpis: i.kpis, on: chinaDate(at) }),
        version
      )
      yield* audit(deps, actor, i.tenantId, "submitReport", "CultivatedProject", project.id, { month: i.month })
      return project
    })
  )

  const completeMilestone = cmd("completeMilestone", Project.CompleteMilestone, (i, at, actor) =>
    Effect.gen(function* () {
      const { value, version } = yield* loadProject(i.tenantId, i.projectId)
      yield* asUnit(value, actor)
      const project = yield* save(Project.completeMilestone(value, i.milestoneId, chinaDate(at)), version)
      yield* audit(deps, actor, i.tenantId, "completeMilestone", "CultivatedProject", project.id, {
        milestoneId: i.milestoneId
      })
      return project
    })
  )

  const inspect = cmd("inspect", Project.Inspect, (i, at, actor) =>
    Effect.gen(function* () {
      const { value, version } = yield* loadProject(i.tenantId, i.projectId)
      yield* asSupervisor(value, actor)
      const today = chinaDate(at)
      if (quarterOf(today) < i.quarter) return yield* invalid("inspect", "quarter: 不能登记未来季度的督导检查")
      const inspectionId = `i${value.inspections.length + 1}`
      const deadline = yield* Cultivation.rectificationDeadline(deps.calendar, value.standard, today)
      const rectifications = i.findings
        .filter((f) => f.rectify)
        .map((f, k) => ({
          id: `${inspectionId}-r${k + 1}`,
          inspectionId,
          finding: f.text,
          issuedOn: today,
          deadline,
          closedOn: null,
          closingNote: "",
          overdueOn: null
        }))
      const inspection = {
        id: inspectionId,
        quarter: i.quarter,
        inspectedOn: today,
        inspectorId: ActorModule.id(actor),
        rating: i.rating,
        findings: i.findings.map((f) => f.text)
      }
      const project = yield* save(Project.recordInspection(value, inspection, rectifications), version)
      if (i.findings.length > 0) {
        yield* emit(deps, i.tenantId, [
          {
            _tag: "InspectionFindings",
            projectId: project.id,
            inspectionId,
            title: project.title,
            ownerId: project.responsibleUnitId,
            rating: Project.ratingLabel[i.rating],
            findings: inspection.findings,
            rectifications: rectifications.map((r) => ({ id: r.id, finding: r.finding, deadline: r.deadline }))
          }
        ])
      }
      yield* audit(deps, actor, i.tenantId, "inspect", "CultivatedProject", project.id, {
        inspectionId,
        rating: i.rating,
        rectifications: rectifications.length
      })
      return project
    })
  )

  const closeRectification = cmd("closeRectification", Project.CloseRectification, (i, at, actor) =>
    Effect.gen(function* () {
      const { value, version } = yield* loadProject(i.tenantId, i.projectId)
      yield* asSupervisor(value, actor)
      const project = yield* save(Project.closeRectification(value, i.rectificationId, chinaDate(at), i.note), version)
      yield* audit(deps, actor, i.tenantId, "closeRectification", "CultivatedProject", project.id, {
        rectificationId: i.rectificationId
      })
      return project
    })
  )

  const accept = cmd("accept", Project.Accept, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.cultivationManage, i.tenantId)
      const { value, version } = yield* loadProject(i.tenantId, i.projectId)
      const outcome = Cultivation.acceptance(value.standard, i.actuals)
      const project = yield* save(Project.accept(value, outcome, i.actuals, chinaDate(at)), version)
      yield* emit(deps, i.tenantId, [
        {
          _tag: "ProjectAccepted",
          projectId: project.id,
          title: project.title,
          ownerId: project.responsibleUnitId,
          outcome: outcome.outcome,
          missed: outcome.missed.map((m) => m.name)
        }
      ])
      yield* audit(deps, actor, i.tenantId, "accept", "CultivatedProject", project.id, { outcome: outcome.outcome })
      return project
    })
  )

  const terminate = cmd("terminate", Project.Terminate, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.cultivationManage, i.tenantId)
      const { value, version } = yield* loadProject(i.tenantId, i.projectId)
      const project = yield* save(Project.terminate(value, i.reason, chinaDate(at)), version)
      yield* emit(deps, i.tenantId, [
        {
          _tag: "ProjectTerminated",
          projectId: project.id,
          title: project.title,
          ownerId: project.responsibleUnitId,
          reason: i.reason
        }
      ])
      yield* audit(deps, actor, i.tenantId, "terminate", "CultivatedProject", project.id, { reason: i.reason })
      return project
    })
  )

  /** The sweep over projects in cultivation (reports due and overdue, rectifications overdue). */
  const sweepProjects = (tenantId: TenantId, asOf: LocalDate, remindUntil: LocalDate) =>
    Effect.gen(function* () {
      const rows = yield* deps.cultivations.find(tenantId, { status: "cultivating" }, 100_000)
      const events: Array<ProjectEvents.ProjectEvent> = []
      for (const { value, version } of rows) {
        const swept = Project.sweep(value, asOf, remindUntil)
        if (swept.findings.length === 0) continue
        yield* deps.cultivations.update(swept.project, version)
        for (const f of swept.findings) {
          const base = { projectId: value.id, title: value.title, ownerId: value.responsibleUnitId }
          events.push(
            f.kind === "report-due"
              ? { _tag: "ReportDue", ...base, month: f.key, dueOn: f.dueOn }
              : f.kind === "report-overdue"
                ? { _tag: "ReportOverdue", ...base, supervisorId: value.supervisorId, month: f.key, dueOn: f.dueOn }
                : {
                    _tag: "RectificationOverdue",
                    ...base,
                    supervisorId: value.supervisorId,
                    rectificationId: f.key,
                    finding: f.label,
                    deadline: f.dueOn
                  }
          )
        }
      }
      return events
    })

  const getCultivation = cmd(
    "getCultivation",
    Project.ProjectRef,
    (i, _at, actor) =>
      Effect.gen(function* () {
        yield* authorize(deps, actor, Permission.publicRead, i.tenantId)
        return (yield* loadProject(i.tenantId, i.projectId)).value
      }),
    { transaction: false }
  )

  const listCultivations = cmd(
    "listCultivations",
    Schema.Struct({ tenantId: Project.ProjectRef.fields.tenantId, status: Schema.optional(Project.CultivationStatus) }),
    (i, _at, actor) =>
      Effect.gen(function* () {
        yield* authorize(deps, actor, Permission.publicRead, i.tenantId)
        const rows = yield* deps.cultivations.find(
          i.tenantId,
          i.status === undefined ? {} : { status: i.status },
          10_000
        )
        return rows.map((row) => row.value).sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0))
      }),
    { transaction: false }
  )

  return {
    registerSupervisor,
    startCultivation,
    submitReport,
    completeMilestone,
    inspect,
    closeRectification,
    accept,
    terminate,
    getCultivation,
    listCultivations,
    sweepProjects
  }
}
