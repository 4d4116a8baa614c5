/**
 * The projects service (社会治理创新项目): calls, applications, eligibility review, defence sessions with
 * judges, declarations and locked score sheets, rankings hidden until the panel closes, selection by quota,
 * publicity with an objection window in working days and the recommendation to the city; then cultivation
 * (培育：督导机构、里程碑、月度报告、督导检查、整改、验收、终止), joint meetings (联席会议) with action items,
 * and the idempotent overdue sweep. Every command
 * decodes its input with `Schema`, checks the input's district against the actor's and the actor's
 * permission with core `Authorization`, runs in one transaction with its outbox events and its audit entry
 * (retried on optimistic conflicts), is traced as `Projects.<command>`, and fails with typed errors.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Calendar from "@gongzhi/core/Calendar"
import * as Outbox from "@gongzhi/core/Outbox"
import type * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import * as Transactor from "@gongzhi/core/Transactor"
import { Context, Effect, Layer } from "effect"
import { ApplicantCheck } from "./ApplicantCheck.js"
import * as ApplicationRepo from "./ApplicationRepo.js"
import * as CallRepo from "./CallRepo.js"
import * as CultivationRepo from "./CultivationRepo.js"
import * as DefenceSessionRepo from "./DefenceSessionRepo.js"
import * as ApplicationsService from "./internal/service/applications.js"
import type { Deps, Settings } from "./internal/service/context.js"
import * as CultivationService from "./internal/service/cultivation.js"
import * as DefenceService from "./internal/service/defence.js"
import * as MeetingsService from "./internal/service/meetings.js"
import * as SweepService from "./internal/service/sweep.js"
import * as JointMeetingRepo from "./JointMeetingRepo.js"
import { defaultRolePermissions } from "./Permissions.js"
import * as ScoreSheetRepo from "./ScoreSheetRepo.js"
import * as SupervisorRepo from "./SupervisorRepo.js"

/**
 * The settings of the service; every one has its default.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProjectsOptions {
  /** Unified social credit code validation (e.g. `{ lenient: true }` for pilot-era codes). */
  readonly creditCode?: SocialCreditCode.ValidateOptions | undefined
  /** How many times a command is retried after an optimistic-concurrency conflict (default 3). */
  readonly conflictRetries?: number | undefined
}

/**
 * The resolved settings.
 *
 * @since 0.1.0
 * @category tags
 */
export class ProjectsConfig extends Context.Tag("@gongzhi/projects/ProjectsConfig")<ProjectsConfig, Settings>() {}

/**
 * The settings as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (options: ProjectsOptions = {}): Layer.Layer<ProjectsConfig> =>
  Layer.succeed(ProjectsConfig, { creditCode: options.creditCode, conflictRetries: options.conflictRetries ?? 3 })

/**
 * Builds the service from the ports in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const deps: Deps = {
    calls: yield* CallRepo.CallRepo,
    applications: yield* ApplicationRepo.ApplicationRepo,
    sessions: yield* DefenceSessionRepo.DefenceSessionRepo,
    sheets: yield* ScoreSheetRepo.ScoreSheetRepo,
    supervisors: yield* SupervisorRepo.SupervisorRepo,
    cultivations: yield* CultivationRepo.CultivationRepo,
    meetings: yield* JointMeetingRepo.JointMeetingRepo,
    transactor: yield* Transactor.Transactor,
    outbox: yield* Outbox.Outbox,
    auditLog: yield* AuditLog.AuditLog,
    authorization: yield* Authorization.Authorization,
    calendar: yield* Calendar.WorkingCalendar,
    applicantCheck: yield* ApplicantCheck,
    settings: yield* ProjectsConfig
  }
  const applications = ApplicationsService.make(deps)
  const defence = DefenceService.make(deps, applications)
  const cultivation = CultivationService.make(deps)
  const meetings = MeetingsService.make(deps)
  return {
    // calls and applications
    createCall: applications.createCall,
    getCall: applications.getCall,
    draftApplication: applications.draftApplication,
    submitApplication: applications.submitApplication,
    withdrawApplication: applications.withdrawApplication,
    reviewEligibility: applications.reviewEligibility,
    listApplications: applications.listApplications,
    openData: applications.openData,
    getApplication: defence.getApplication,
    // defence and selection
    scheduleSession: defence.scheduleSession,
    declare: defence.declare,
    openPanel: defence.openPanel,
    closePanel: defence.closePanel,
    score: defence.score,
    sessionRanking: defence.sessionRanking,
    select: defence.select,
    publicise: defence.publicise,
    raiseObjection: defence.raiseObjection,
    recommendToCity: defence.recommendToCity,
    recordCityOutcome: defence.recordCityOutcome,
    // cultivation
    registerSupervisor: cultivation.registerSupervisor,
    startCultivation: cultivation.startCultivation,
    submitReport: cultivation.submitReport,
    completeMilestone: cultivation.completeMilestone,
    inspect: cultivation.inspect,
    closeRectification: cultivation.closeRectification,
    accept: cultivation.accept,
    terminate: cultivation.terminate,
    getCultivation: cultivation.getCultivation,
    listCultivations: cultivation.listCultivations,
    // joint meetings
    scheduleMeetings: meetings.scheduleMeetings,
    recordMinutes: meetings.recordMinutes,
    completeActionItem: meetings.completeActionItem,
    actionItemReport: meetings.actionItemReport,
    // reminders and escalation
    sweepOverdue: SweepService.make(deps, cultivation, meetings)
  }
})

/**
 * The projects service.
 *
 * @since 0.1.0
 * @category tags
 */
export class Projects extends Effect.Service<Projects>()("@gongzhi/projects/Projects", { effect: make }) {}

type Repos =
  | CallRepo.CallRepo
  | ApplicationRepo.ApplicationRepo
  | DefenceSessionRepo.DefenceSessionRepo
  | ScoreSheetRepo.ScoreSheetRepo
  | SupervisorRepo.SupervisorRepo
  | CultivationRepo.CultivationRepo
  | JointMeetingRepo.JointMeetingRepo

/**
 * The repository ports, in memory.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStoreMemory: Layer.Layer<Repos> = Layer.mergeAll(
  CallRepo.layerMemory,
  ApplicationRepo.layerMemory,
  DefenceSessionRepo.layerMemory,
  ScoreSheetRepo.layerMemory,
  SupervisorRepo.layerMemory,
  CultivationRepo.layerMemory,
  JointMeetingRepo.layerMemory
)

/**
 * The repository ports over the `SqlClient` in context (run `ProjectMigrations` first).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStoreSql: Layer.Layer<Repos, never, SqlClient.SqlClient> = Layer.mergeAll(
  CallRepo.layerSql,
  ApplicationRepo.layerSql,
  DefenceSessionRepo.layerSql,
  ScoreSheetRepo.layerSql,
  SupervisorRepo.layerSql,
  CultivationRepo.layerSql,
  JointMeetingRepo.layerSql
)

/**
 * The service with everything in memory, the default role table and the official working-day calendar
 * (provide `Calendar.WorkingCalendar` yourself to replace it). The applicant check stays a requirement
 * (`ApplicantCheck.layerPermissive` lets everyone through).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  options: ProjectsOptions & {
    readonly calendar?: Layer.Layer<Calendar.WorkingCalendar> | undefined
    readonly roles?: Authorization.RolePermissions | undefined
  } = {}
): Layer.Layer<Projects | Outbox.Outbox | AuditLog.AuditLog | Transactor.Transactor | Repos, never, ApplicantCheck> =>
  Projects.Default.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        layerStoreMemory,
        Transactor.layerMemory,
        Outbox.layerMemory,
        AuditLog.layerMemory,
        Authorization.layer(options.roles ?? defaultRolePermissions),
        options.calendar ?? Calendar.layerChina,
        layerConfig(options)
      )
    )
  )

/**
 * The service on SQL: repositories, outbox and audit log over the store's `SqlClient` and `Transactor`
 * (run `CoreMigrations` and `ProjectMigrations`), with the given working-day calendar layer (default the
 * official one) and role table (default {@link defaultRolePermissions}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql = (
  options: ProjectsOptions & {
    readonly calendar?: Layer.Layer<Calendar.WorkingCalendar> | undefined
    readonly roles?: Authorization.RolePermissions | undefined
  } = {}
): Layer.Layer<
  Projects | Outbox.Outbox | AuditLog.AuditLog | Repos,
  never,
  ApplicantCheck | SqlClient.SqlClient | Transactor.Transactor
> =>
  Projects.Default.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        layerStoreSql,
        Outbox.layerSql,
        AuditLog.layerSql,
        Authorization.layer(options.roles ?? defaultRolePermissions),
        options.calendar ?? Calendar.layerChina,
        layerConfig(options)
      )
    )
  )
