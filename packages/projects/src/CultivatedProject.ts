/**
 * A cultivated project (培育项目): a selected application under the management standard, with its
 * responsible unit (项目责任单位), its third-party supervisor (第三方督导机构), milestones, monthly progress
 * reports, quarterly inspections with ratings and findings, rectification requests with deadlines, and its end —
 * acceptance (验收：通过 / 有条件通过 / 不通过) or termination (终止) with a reason.
 *
 * The state machine is pure ({@link completeMilestone}, {@link submitReport}, {@link recordInspection},
 * {@link closeRectification}, {@link accept}, {@link terminate}, {@link sweep}): nothing leaves `accepted`,
 * `failed` or `terminated`, acceptance needs every milestone done and every rectification closed, a month is
 * reported once, and a sweep flags each overdue item once.
 *
 * @since 0.2.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Either, Schema } from "effect"
import { type AcceptanceOutcome, ManagementStandard } from "./Cultivation.js"
import { EntityNotFound, InvalidTransition } from "./ProjectErrors.js"

/**
 * @since 0.2.0
 * @category models
 */
export const CultivationStatus = Schema.Literal("cultivating", "accepted", "failed", "terminated")

/**
 * @since 0.2.0
 * @category models
 */
export type CultivationStatus = typeof CultivationStatus.Type

/**
 * The status in Chinese.
 *
 * @since 0.2.0
 * @category accessors
 */
export const statusLabel: Record<CultivationStatus, string> = {
  cultivating: "培育中",
  accepted: "已通过验收",
  failed: "验收不通过",
  terminated: "已终止"
}

/**
 * An inspection rating (督导评级).
 *
 * @since 0.2.0
 * @category models
 */
export const Rating = Schema.Literal("excellent", "good", "fair", "poor")

/**
 * @since 0.2.0
 * @category models
 */
export type Rating = typeof Rating.Type

/**
 * The rating in Chinese.
 *
 * @since 0.2.0
 * @category accessors
 */
export const ratingLabel: Record<Rating, string> = { excellent: "优秀", good: "良好", fair: "一般", poor: "较差" }

/**
 * @since 0.2.0
 * @category models
 */
export const Milestone = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  dueOn: LocalDate.LocalDate,
  doneOn: Schema.NullOr(LocalDate.LocalDate)
})

/**
 * @since 0.2.0
 * @category models
 */
export type Milestone = typeof Milestone.Type

/**
 * A monthly progress report (月度进度报告): due by the standard's working day of the next month; the sweep
 * records when it reminded (`remindedOn`) and when it flagged the report overdue (`overdueOn`).
 *
 * @since 0.2.0
 * @category models
 */
export const ProgressReport = Schema.Struct({
  month: Schema.String,
  dueOn: LocalDate.LocalDate,
  submittedOn: Schema.NullOr(LocalDate.LocalDate),
  summary: Schema.String,
  kpis: Schema.Record({ key: Schema.String, value: Schema.Number }),
  remindedOn: Schema.NullOr(LocalDate.LocalDate),
  overdueOn: Schema.NullOr(LocalDate.LocalDate)
})

/**
 * @since 0.2.0
 * @category models
 */
export type ProgressReport = typeof ProgressReport.Type

/**
 * An inspection by the supervisor's staff (督导检查).
 *
 * @since 0.2.0
 * @category models
 */
export const Inspection = Schema.Struct({
  id: Schema.String,
  quarter: Schema.String,
  inspectedOn: LocalDate.LocalDate,
  inspectorId: Schema.String,
  rating: Rating,
  findings: Schema.Array(Schema.String)
})

/**
 * @since 0.2.0
 * @category models
 */
export type Inspection = typeof Inspection.Type

/**
 * A rectification request (整改通知) from an inspection finding, with its deadline in working days.
 *
 * @since 0.2.0
 * @category models
 */
export const Rectification = Schema.Struct({
  id: Schema.String,
  inspectionId: Schema.String,
  finding: Schema.String,
  issuedOn: LocalDate.LocalDate,
  deadline: LocalDate.LocalDate,
  closedOn: Schema.NullOr(LocalDate.LocalDate),
  closingNote: Schema.String,
  overdueOn: Schema.NullOr(LocalDate.LocalDate)
})

/**
 * @since 0.2.0
 * @category models
 */
export type Rectification = typeof Rectification.Type

/**
 * The acceptance decision (验收结论).
 *
 * @since 0.2.0
 * @category models
 */
export const Acceptance = Schema.Struct({
  outcome: Schema.Literal("pass", "conditional", "fail"),
  decidedOn: LocalDate.LocalDate,
  actuals: Schema.Record({ key: Schema.String, value: Schema.Number }),
  met: Schema.Array(Schema.String),
  missed: Schema.Array(Schema.String)
})

/**
 * @since 0.2.0
 * @category models
 */
export type Acceptance = typeof Acceptance.Type

/**
 * A cultivated project.
 *
 * @since 0.2.0
 * @category models
 */
export class CultivatedProject extends Schema.Class<CultivatedProject>("@gongzhi/projects/CultivatedProject")({
  id: Schema.String,
  tenantId: TenantId,
  callId: Schema.String,
  applicationId: Schema.String,
  title: Schema.String,
  /** The account of the responsible unit (项目责任单位) that reports. */
  responsibleUnitId: Schema.String,
  responsibleUnitName: Schema.String,
  supervisorId: Schema.String,
  standard: ManagementStandard,
  fromMonth: Schema.String,
  toMonth: Schema.String,
  milestones: Schema.Array(Milestone),
  reports: Schema.Array(ProgressReport),
  inspections: Schema.Array(Inspection),
  rectifications: Schema.Array(Rectification),
  status: CultivationStatus,
  acceptance: Schema.NullOr(Acceptance),
  termination: Schema.NullOr(Schema.Struct({ reason: Schema.String, terminatedOn: LocalDate.LocalDate })),
  startedAt: Schema.Date
}) {}

type Result = Either.Either<CultivatedProject, InvalidTransition | EntityNotFound>

const refuse = (project: CultivatedProject, action: string, state?: string): Result =>
  Either.left(
    new InvalidTransition({ entity: "Project", id: project.id, state: state ?? statusLabel[project.status], action })
  )

const live = (project: CultivatedProject, action: string, next: () => Result): Result =>
  project.status === "cultivating" ? next() : refuse(project, action)

const with_ = (project: CultivatedProject, patch: Partial<CultivatedProject>): CultivatedProject =>
  new CultivatedProject({ ...project, ...patch })

/**
 * Marks a milestone done.
 *
 * @since 0.2.0
 * @category transitions
 */
export const completeMilestone = (project: CultivatedProject, milestoneId: string, on: LocalDate.LocalDate): Result =>
  live(project, "完成里程碑", () => {
    const milestone = project.milestones.find((m) => m.id === milestoneId)
    if (milestone === undefined) return Either.left(new EntityNotFound({ entity: "Milestone", id: milestoneId }))
    if (milestone.doneOn !== null) {
      return Either.left(
        new InvalidTransition({
          entity: "Milestone",
          id: milestoneId,
          state: `已于 ${milestone.doneOn} 完成`,
          action: "再次完成"
        })
      )
    }
    return Either.right(
      with_(project, { milestones: project.milestones.map((m) => (m.id === milestoneId ? { ...m, doneOn: on } : m)) })
    )
  })

/**
 * Submits the report of a month (once).
 *
 * @since 0.2.0
 * @category transitions
 */
export const submitReport = (
  project: CultivatedProject,
  report: {
    readonly month: string
    readonly summary: string
    readonly kpis: Readonly<Record<string, number>>
    readonly on: LocalDate.LocalDate
  }
): Result =>
  live(project, "报送进度报告", () => {
    const existing = project.reports.find((r) => r.month === report.month)
    if (existing === undefined) return Either.left(new EntityNotFound({ entity: "ProgressReport", id: report.month }))
    if (existing.submittedOn !== null) {
      return Either.left(
        new InvalidTransition({
          entity: "ProgressReport",
          id: `${project.id}/${report.month}`,
          state: `已于 ${existing.submittedOn} 报送`,
          action: "重复报送"
        })
      )
    }
    return Either.right(
      with_(project, {
        reports: project.reports.map((r) =>
          r.month === report.month ? { ...r, submittedOn: report.on, summary: report.summary, kpis: report.kpis } : r
        )
      })
    )
  })

/**
 * Records an inspection and the rectification requests of its findings.
 *
 * @since 0.2.0
 * @category transitions
 */
export const recordInspection = (
  project: CultivatedProject,
  inspection: Inspection,
  rectifications: ReadonlyArray<Rectification>
): Result =>
  live(project, "督导检查", () =>
    Either.right(
      with_(project, {
        inspections: [...project.inspections, inspection],
        rectifications: [...project.rectifications, ...rectifications]
      })
    )
  )

/**
 * Closes a rectification request (整改销号).
 *
 * @since 0.2.0
 * @category transitions
 */
export const closeRectification = (
  project: CultivatedProject,
  rectificationId: string,
  on: LocalDate.LocalDate,
  note: string
): Result =>
  live(project, "整改销号", () => {
    const item = project.rectifications.find((r) => r.id === rectificationId)
    if (item === undefined) return Either.left(new EntityNotFound({ entity: "Rectification", id: rectificationId }))
    if (item.closedOn !== null) {
      return Either.left(
        new InvalidTransition({ entity: "Rectification", id: rectificationId, state: "已销号", action: "再次销号" })
      )
    }
    return Either.right(
      with_(project, {
        rectifications: project.rectifications.map((r) =>
          r.id === rectificationId ? { ...r, closedOn: on, closingNote: note } : r
        )
      })
    )
  })

/**
 * Decides acceptance (验收): only while cultivating, after the last milestone is done and every rectification
 * closed. A pass or conditional pass ends as `accepted`, a fail as `failed`.
 *
 * @since 0.2.0
 * @category transitions
 */
export const accept = (
  project: CultivatedProject,
  outcome: AcceptanceOutcome,
  actuals: Readonly<Record<string, number>>,
  on: LocalDate.LocalDate
): Result =>
  live(project, "验收", () => {
    const pending = project.milestones.filter((m) => m.doneOn === null)
    if (pending.length > 0) return refuse(project, "验收", `里程碑未完成：${pending.map((m) => m.name).join("、")}`)
    const open = project.rectifications.filter((r) => r.closedOn === null)
    if (open.length > 0) return refuse(project, "验收", `尚有 ${open.length} 项整改未销号`)
    return Either.right(
      with_(project, {
        status: outcome.outcome === "fail" ? "failed" : "accepted",
        acceptance: {
          outcome: outcome.outcome,
          decidedOn: on,
          actuals: { ...actuals },
          met: outcome.met,
          missed: outcome.missed.map((m) => m.id)
        }
      })
    )
  })

/**
 * Terminates the project with a reason (终止).
 *
 * @since 0.2.0
 * @category transitions
 */
export const terminate = (project: CultivatedProject, reason: string, on: LocalDate.LocalDate): Result =>
  live(project, "终止", () =>
    Either.right(with_(project, { status: "terminated", termination: { reason, terminatedOn: on } }))
  )

/**
 * What a sweep found: a report due soon, a report overdue, a rectification overdue.
 *
 * @since 0.2.0
 * @category models
 */
export interface SweepFinding {
  readonly kind: "report-due" | "report-overdue" | "rectification-overdue"
  /** The month of a report or the id of a rectification. */
  readonly key: string
  readonly dueOn: LocalDate.LocalDate
  readonly label: string
}

/**
 * The overdue sweep on `asOf` (idempotent: each item is reminded once and flagged overdue once). Reports due on
 * or before `remindUntil` and not yet submitted are reminded; reports and rectifications whose due date passed
 * are flagged. Only a project in cultivation is swept.
 *
 * @since 0.2.0
 * @category transitions
 */
export const sweep = (
  project: CultivatedProject,
  asOf: LocalDate.LocalDate,
  remindUntil: LocalDate.LocalDate
): { readonly project: CultivatedProject; readonly findings: ReadonlyArray<SweepFinding> } => {
  if (project.status !== "cultivating") return { project, findings: [] }
  const findings: Array<SweepFinding> = []
  const reports = project.reports.map((r) => {
    if (r.submittedOn !== null) return r
    if (r.dueOn < asOf && r.overdueOn === null) {
      findings.push({ kind: "report-overdue", key: r.month, dueOn: r.dueOn, label: `${r.month} 月度进度报告` })
      return { ...r, overdueOn: asOf, remindedOn: r.remindedOn ?? asOf }
    }
    if (r.dueOn >= asOf && r.dueOn <= remindUntil && r.remindedOn === null) {
      findings.push({ kind: "report-due", key: r.month, dueOn: r.dueOn, label: `${r.month} 月度进度报告` })
      return { ...r, remindedOn: asOf }
    }
    return r
  })
  const rectifications = project.rectifications.map((r) => {
    if (r.closedOn !== null || r.deadline >= asOf || r.overdueOn !== null) return r
    findings.push({ kind: "rectification-overdue", key: r.id, dueOn: r.deadline, label: r.finding })
    return { ...r, overdueOn: asOf }
  })
  return findings.length === 0
    ? { project, findings }
    : { project: with_(project, { reports, rectifications }), findings }
}

/**
 * A readable progress summary: milestones done, reports submitted, open rectifications.
 *
 * @since 0.2.0
 * @category accessors
 */
export const progress = (
  project: CultivatedProject
): {
  readonly milestonesDone: number
  readonly milestones: number
  readonly reportsSubmitted: number
  readonly reportsDue: number
  readonly openRectifications: number
  readonly lastRating: Rating | null
} => ({
  milestonesDone: project.milestones.filter((m) => m.doneOn !== null).length,
  milestones: project.milestones.length,
  reportsSubmitted: project.reports.filter((r) => r.submittedOn !== null).length,
  reportsDue: project.reports.length,
  openRectifications: project.rectifications.filter((r) => r.closedOn === null).length,
  lastRating: project.inspections.at(-1)?.rating ?? null
})

// ---------------------------------------------------------------------------------------------
// command inputs
// ---------------------------------------------------------------------------------------------

const Text = Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "不能为空" }))
const Month = Schema.String.pipe(
  Schema.pattern(/^\d{4}-(0[1-9]|1[0-2])$/, { message: () => "应为 YYYY-MM 格式的月份" })
)

/**
 * Starts the cultivation of a selected application.
 *
 * @since 0.2.0
 * @category commands
 */
export const StartCultivation = Schema.Struct({
  tenantId: TenantId,
  applicationId: Schema.String,
  supervisorId: Schema.String,
  responsibleUnitId: Text,
  responsibleUnitName: Text,
  standard: ManagementStandard,
  fromMonth: Month,
  toMonth: Month,
  milestones: Schema.Array(Schema.Struct({ name: Text, dueOn: LocalDate.LocalDate })).pipe(
    Schema.minItems(1, { message: () => "至少应有一个里程碑" })
  )
})

/**
 * @since 0.2.0
 * @category commands
 */
export const ProjectRef = Schema.Struct({ tenantId: TenantId, projectId: Schema.String })

/**
 * @since 0.2.0
 * @category commands
 */
export const SubmitReport = Schema.Struct({
  tenantId: TenantId,
  projectId: Schema.String,
  month: Month,
  summary: Text,
  kpis: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Number }), { default: () => ({}) })
})

/**
 * @since 0.2.0
 * @category commands
 */
export const CompleteMilestone = Schema.Struct({
  tenantId: TenantId,
  projectId: Schema.String,
  milestoneId: Schema.String
})

/**
 * @since 0.2.0
 * @category commands
 */
export const Inspect = Schema.Struct({
  tenantId: TenantId,
  projectId: Schema.String,
  quarter: Schema.String.pipe(Schema.pattern(/^\d{4}Q[1-4]$/, { message: () => "应为 2026Q2 这样的季度" })),
  rating: Rating,
  /** Findings; those with `rectify` become rectification requests. */
  findings: Schema.Array(Schema.Struct({ text: Text, rectify: Schema.Boolean }))
})

/**
 * @since 0.2.0
 * @category commands
 */
export const CloseRectification = Schema.Struct({
  tenantId: TenantId,
  projectId: Schema.String,
  rectificationId: Schema.String,
  note: Text
})

/**
 * @since 0.2.0
 * @category commands
 */
export const Accept = Schema.Struct({
  tenantId: TenantId,
  projectId: Schema.String,
  actuals: Schema.Record({ key: Schema.String, value: Schema.Number })
})

/**
 * @since 0.2.0
 * @category commands
 */
export const Terminate = Schema.Struct({ tenantId: TenantId, projectId: Schema.String, reason: Text })

/**
 * @since 0.2.0
 * @category commands
 */
export const Sweep = Schema.Struct({
  tenantId: TenantId,
  /** Remind reports due within this many working days (default 3). */
  remindWorkingDays: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 20)), { default: () => 3 })
})
