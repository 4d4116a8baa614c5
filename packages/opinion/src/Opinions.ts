/**
 * The opinion service (民情诉求服务): intake from every channel, dispatch, handling, extension, reply, follow-up,
 * closing, reopening, merging duplicates, the deadline sweep (reminders and 督办), and role-based reading.
 *
 * Every command takes the actor and an input naming the district (`tenantId`) and runs on core's `Command` runner: it
 * decodes the (bounded) input into one `InvalidInput`, refuses an actor of another district, takes `now` from
 * `Clock`, checks the actor with core `Authorization` (the permission of the workflow transition, on the report's
 * region), and runs in one transaction — the state change, its outbox events and an audit entry are committed
 * together or not at all — retried a bounded number of times on an optimistic-concurrency conflict. Each command is traced as
 * `Opinions.<command>`. Failures are typed (`OpinionErrors`), with messages a clerk or resident can read, e.g.
 * `诉求 R… 当前状态为「已办结」，不能执行「签收」`.
 *
 * The service is configured for one district (its region tree, routing table and policies); the tenant of every
 * input is checked against it and against the actor's scope, as in `@gongzhi/volunteers`.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Calendar from "@gongzhi/core/Calendar"
import * as Command from "@gongzhi/core/Command"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Outbox from "@gongzhi/core/Outbox"
import type * as Region from "@gongzhi/core/Region"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { Context, Effect, Either, Layer } from "effect"
import * as Deadline from "./Deadline.js"
import { labels } from "./internal/input.js"
import type { Deps, Settings } from "./internal/service/context.js"
import * as FollowUpService from "./internal/service/followUp.js"
import * as HandlingService from "./internal/service/handling.js"
import * as IntakeService from "./internal/service/intake.js"
import * as MergeService from "./internal/service/merge.js"
import * as StatisticsService from "./internal/service/statistics.js"
import * as SweepService from "./internal/service/sweep.js"
import * as ViewsService from "./internal/service/views.js"
import { InvalidConfiguration } from "./OpinionErrors.js"
import * as Report from "./Report.js"
import * as ReportRepo from "./ReportRepo.js"
import * as Routing from "./Routing.js"
import * as Taxonomy from "./Taxonomy.js"
import * as Workflow from "./Workflow.js"

/**
 * What a reader sees: staff with access see the whole report (`Full`: internal notes included, the phone number
 * only masked and encrypted); a reporter, or whoever filed the report, sees its public view (`Public`).
 *
 * @since 0.1.0
 * @category models
 */
export type ReportView = ViewsService.ReportView

/**
 * The result of a deadline sweep: the reports that got a notice.
 *
 * @since 0.1.0
 * @category models
 */
export type SweepResult = SweepService.SweepResult

/**
 * The configuration of a district's service. Only the region tree and the routing table are required; the
 * taxonomy, workflow, deadline policy and satisfaction scale default to this package's defaults.
 *
 * @since 0.1.0
 * @category models
 */
export interface OpinionsOptions {
  readonly regions: Region.RegionTree
  readonly routing: Routing.RoutingTable
  readonly taxonomy?: Taxonomy.Taxonomy | undefined
  readonly workflow?: Workflow.Workflow | undefined
  readonly deadlines?: Deadline.Policy | undefined
  readonly satisfaction?: ReadonlyArray<Report.SatisfactionLevel> | undefined
  /** How many times a command is retried after an optimistic-concurrency conflict (default 3). */
  readonly conflictRetries?: number | undefined
}

/**
 * The configuration in use, defaults filled in; `tenantId` is the district of the region tree.
 *
 * @since 0.1.0
 * @category models
 */
export type OpinionsSettings = Settings

/**
 * Checks a configuration and fills in the defaults: the taxonomy, the routing table against the taxonomy and the
 * region tree, the satisfaction scale (each level once, at least one resolved).
 *
 * @since 0.1.0
 * @category constructors
 */
export const settings = (options: OpinionsOptions): Either.Either<Settings, InvalidConfiguration> => {
  const taxonomy = options.taxonomy ?? Taxonomy.defaultTaxonomy
  const satisfaction = options.satisfaction ?? Report.defaultSatisfactionScale
  const conflictRetries = options.conflictRetries ?? 3
  const problems: Array<string> = []
  Either.match(Taxonomy.validate(taxonomy), { onLeft: (e) => problems.push(...e.problems), onRight: () => undefined })
  problems.push(...Routing.problems(options.routing, { taxonomy, regions: options.regions }))
  if (new Set(satisfaction.map((level) => level.code)).size !== satisfaction.length) {
    problems.push("满意度等级重复")
  }
  if (!satisfaction.some((level) => level.resolved)) problems.push("满意度等级中至少要有一个视为已解决")
  if (options.regions.root.level !== "district") problems.push("区划数据的根节点应为区县")
  if (!Number.isInteger(conflictRetries) || conflictRetries < 0 || conflictRetries > 20) {
    problems.push("conflictRetries：冲突重试次数应为 0 到 20 之间的整数")
  }
  if (problems.length > 0) return Either.left(new InvalidConfiguration({ problems }))
  return Either.right({
    tenantId: options.regions.root.code as unknown as TenantId,
    regions: options.regions,
    routing: options.routing,
    taxonomy,
    workflow: options.workflow ?? Workflow.defaultWorkflow,
    deadlines: options.deadlines ?? Deadline.defaultPolicy,
    satisfaction,
    conflictRetries
  })
}

/**
 * The checked settings of the service.
 *
 * @since 0.1.0
 * @category tags
 */
export class OpinionsConfig extends Context.Tag("@gongzhi/opinion/OpinionsConfig")<OpinionsConfig, Settings>() {}

/**
 * The settings as a layer (fails with {@link InvalidConfiguration} listing every problem).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSettings = (options: OpinionsOptions): Layer.Layer<OpinionsConfig, InvalidConfiguration> =>
  Layer.effect(OpinionsConfig, settings(options))

/**
 * Builds the service from the settings and the ports in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const settings = yield* OpinionsConfig
  const authorization = yield* Authorization.Authorization
  const deps: Deps = {
    repo: yield* ReportRepo.ReportRepo,
    commands: Command.make({
      domain: "Opinions",
      auditPrefix: "opinion.reports.",
      conflictRetries: settings.conflictRetries,
      labels,
      transactor: yield* Transactor.Transactor,
      outbox: yield* Outbox.Outbox,
      auditLog: yield* AuditLog.AuditLog,
      authorization
    }),
    authorization,
    calendar: yield* Calendar.WorkingCalendar,
    cipher: yield* FieldCipher.FieldCipher,
    settings
  }
  const views = ViewsService.make(deps)
  const intake = IntakeService.make(deps, views)
  const handling = HandlingService.make(deps, views)
  const followUp = FollowUpService.make(deps)
  const merge = MergeService.make(deps)
  const sweep = SweepService.make(deps)
  const statistics = StatisticsService.make(deps)
  return {
    /** The configuration in use. */
    settings: deps.settings,
    /** 受理: a new report from any channel, as the submitter may see it; a retry with the same key returns it. */
    submit: intake.submit,
    /** 派单 to a department (default: the routed one); also re-dispatches. */
    dispatch: handling.dispatch,
    /** 签收 by the assigned department. */
    accept: handling.accept,
    /** 退单: the department returns the report to the dispatcher, with a reason. */
    returnReport: handling.returnReport,
    /** 办理: the department starts working on it. */
    startHandling: handling.startHandling,
    /** 延期申请 by the department. */
    requestExtension: handling.requestExtension,
    /** 延期审批: an approval moves the due date by working days. */
    decideExtension: handling.decideExtension,
    /** 答复: the public reply, sent to the reporter and to the reporters of merged reports. */
    reply: handling.reply,
    /** An internal handling note (staff only; not a transition). */
    addInternalNote: handling.addInternalNote,
    /** 回访 with the reporter's satisfaction. */
    followUp: followUp.followUp,
    /** 办结, resolved (after a satisfied follow-up, or when the reporter cannot be reached) or `unresolved`. */
    close: followUp.close,
    /** 重办 with a new handling deadline. */
    reopen: followUp.reopen,
    /** Merges duplicates into a primary report; returns the primary. */
    merge: merge.merge,
    /** 超期督办: escalates every report in the actor's scope whose deadline passed and was not escalated yet. */
    escalateOverdue: sweep.escalateOverdue,
    /** 临期提醒: the "deadline approaching" notice of every report in scope whose reminder day has come. */
    remindApproaching: sweep.remindApproaching,
    /** A report as the actor may see it. */
    get: views.get,
    /** A page of reports as the actor may see them (their scope, their department or their own reports). */
    list: views.list,
    /** The reporter's phone number, for a follow-up call (audited; none when not on file). */
    revealContact: views.revealContact,
    /**
     * 统计: received, merged, open and closed cases, the on-time and satisfaction rates, overdue and escalated
     * reports of a selection within the actor's scope — per dimension and per period if asked — computed by the
     * store (`OpinionStatistics`).
     */
    statistics: statistics.statistics
  }
})

/**
 * The opinion service.
 *
 * @since 0.1.0
 * @category tags
 * @example
 * import { Effect } from "effect"
 * import type { Actor } from "@gongzhi/core/Actor"
 * import { Opinions } from "@gongzhi/opinion"
 *
 * declare const resident: Actor
 * const program = Effect.gen(function* () {
 *   const opinions = yield* Opinions.Opinions
 *   const view = yield* opinions.submit(resident, {
 *     tenantId: "440310",
 *     idempotencyKey: "mp-7f3c2a",
 *     location: { communityCode: "440310001001", address: "六联社区某小区 3 栋" },
 *     category: "GF02",
 *     kind: "help",
 *     channel: "mini-program",
 *     content: "3 栋电梯停运两天，老人上下楼困难",
 *     contactPhone: "13812345678"
 *   })
 *   return view.report.id // "R20260302…"
 * })
 */
export class Opinions extends Effect.Service<Opinions>()("@gongzhi/opinion/Opinions", { effect: make }) {}

/**
 * The operations of the service.
 *
 * @since 0.1.0
 * @category models
 */
export type OpinionsService = Opinions

/**
 * The service with its settings, over the ports in context (a repository, the transactor, outbox, audit log, role
 * table, working-day calendar and field cipher).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: OpinionsOptions
): Layer.Layer<
  Opinions,
  InvalidConfiguration,
  | ReportRepo.ReportRepo
  | Transactor.Transactor
  | Outbox.Outbox
  | AuditLog.AuditLog
  | Authorization.Authorization
  | Calendar.WorkingCalendar
  | FieldCipher.FieldCipher
> => Opinions.Default.pipe(Layer.provide(layerSettings(options)))

/**
 * The service with everything in memory — the report repository, transactor, outbox and audit log. The role
 * table (`Authorization`: the district's one table, e.g. `Authorization.layer(Permissions.defaultRoles)`), the
 * working-day calendar (e.g. `Calendar.layerChina`) and the field cipher stay requirements.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  options: OpinionsOptions
): Layer.Layer<
  Opinions | ReportRepo.ReportRepo | Transactor.Transactor | Outbox.Outbox | AuditLog.AuditLog,
  InvalidConfiguration,
  Authorization.Authorization | Calendar.WorkingCalendar | FieldCipher.FieldCipher
> =>
  layer(options).pipe(
    Layer.provideMerge(
      Layer.mergeAll(ReportRepo.layerMemory, Transactor.layerMemory, Outbox.layerMemory, AuditLog.layerMemory)
    )
  )

/**
 * The service on SQL: the report repository, outbox and audit log over the `SqlClient` and `Transactor` of a store
 * (run `CoreMigrations` and `OpinionMigrations` with it). The role table, the working-day calendar and the field
 * cipher stay requirements, as in {@link layerMemory}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql = (
  options: OpinionsOptions
): Layer.Layer<
  Opinions | ReportRepo.ReportRepo | Outbox.Outbox | AuditLog.AuditLog,
  InvalidConfiguration,
  | Authorization.Authorization
  | Calendar.WorkingCalendar
  | FieldCipher.FieldCipher
  | SqlClient.SqlClient
  | Transactor.Transactor
> => layer(options).pipe(Layer.provideMerge(Layer.mergeAll(ReportRepo.layerSql, Outbox.layerSql, AuditLog.layerSql)))
