/**
 * The opinion service (民情诉求服务): intake from every channel, dispatch, handling, extension, reply,
 * follow-up, closing, reopening, merging duplicates, the deadline sweep (reminders and 督办), and role-based
 * reading.
 *
 * Every command decodes its input with `Schema`, checks the actor with `Authorization.authorize` (the permission
 * of the workflow transition, on the report's region), and runs in `Transactor.withTransaction`: the state
 * change, its outbox events and an audit entry are committed together or not at all. Each command is traced as
 * `Opinion.<command>`. Failures are typed, with messages a clerk or resident can read, e.g.
 * `诉求 R… 当前状态为「已办结」，不能执行「签收」`.
 *
 * One service serves one district (tenant): the one of its region tree.
 *
 * @since 0.1.0
 */
import * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Calendar from "@gongzhi/core/Calendar"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Mask from "@gongzhi/core/Mask"
import * as MobileNumber from "@gongzhi/core/MobileNumber"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Page from "@gongzhi/core/Page"
import * as Region from "@gongzhi/core/Region"
import type { DuplicateKey, StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { Clock, Context, Effect, Either, Layer, Option, ParseResult, type Redacted, Schema } from "effect"
import * as Deadline from "./Deadline.js"
import {
  fieldsOf,
  moveTo,
  newReportId,
  ownKey,
  type ReportFields,
  schedule,
  scopeFilter
} from "./internal/workflowSchedule.js"
import * as Events from "./OpinionEvents.js"
import { permissions } from "./Permissions.js"
import * as Report from "./Report.js"
import * as ReportRepo from "./ReportRepo.js"
import * as Routing from "./Routing.js"
import * as Taxonomy from "./Taxonomy.js"
import * as Workflow from "./Workflow.js"

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * The input of a command is not valid; `issues` say where and why (in Chinese; never echoing a phone number).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>("@gongzhi/opinion/InvalidInput")("InvalidInput", {
  command: Schema.String,
  issues: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `「${this.command}」的输入有误：${this.issues.join("；")} / invalid input`
  }
}

/**
 * No report with this id in the district.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReportNotFound extends Schema.TaggedError<ReportNotFound>("@gongzhi/opinion/ReportNotFound")(
  "ReportNotFound",
  { reportId: Schema.String }
) {
  override get message(): string {
    return `未找到诉求 ${this.reportId} / report not found`
  }
}

/**
 * A command only the department a report is assigned to may perform, by someone of another department.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotAssigned extends Schema.TaggedError<NotAssigned>("@gongzhi/opinion/NotAssigned")("NotAssigned", {
  reportId: Schema.String,
  command: Schema.String,
  department: Schema.optional(Schema.String),
  actorDepartment: Schema.optional(Schema.String)
}) {
  override get message(): string {
    const assigned = this.department === undefined ? "尚未派给任何单位" : `派给「${this.department}」`
    const mine = this.actorDepartment === undefined ? "你未登记所属单位" : `你所在单位为「${this.actorDepartment}」`
    return `诉求 ${this.reportId} ${assigned}，${mine}，不能执行「${this.command}」 / not assigned to your department`
  }
}

/**
 * A merge that cannot be done (a report merged into itself, into a merged report, or one that others were
 * merged into).
 *
 * @since 0.1.0
 * @category errors
 */
export class MergeRejected extends Schema.TaggedError<MergeRejected>("@gongzhi/opinion/MergeRejected")(
  "MergeRejected",
  { primaryId: Schema.String, reportId: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `不能将诉求 ${this.reportId} 合并到 ${this.primaryId}：${this.reason} / merge rejected`
  }
}

/**
 * A configuration the service cannot start with; lists every problem.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidConfiguration extends Schema.TaggedError<InvalidConfiguration>(
  "@gongzhi/opinion/InvalidConfiguration"
)("InvalidConfiguration", { problems: Schema.Array(Schema.String) }) {
  override get message(): string {
    return `民情诉求服务配置有 ${this.problems.length} 处问题：\n${this.problems.map((p, i) => `${i + 1}. ${p}`).join("\n")}\n / invalid opinion configuration`
  }
}

/**
 * Every way a command can fail.
 *
 * @since 0.1.0
 * @category errors
 */
export type CommandError =
  | InvalidInput
  | ReportNotFound
  | NotAssigned
  | MergeRejected
  | Workflow.TransitionNotAllowed
  | Authorization.Forbidden
  | Deadline.DeadlineUnavailable
  | StorageError
  | VersionConflict
  | DuplicateKey
  | FieldCipher.FieldCipherError
  | Outbox.OutboxInputError
  | AuditLog.AuditInputError

// ---------------------------------------------------------------------------------------------
// inputs
// ---------------------------------------------------------------------------------------------

const Text = (title: string, max: number) =>
  Schema.Trim.pipe(
    Schema.minLength(1, { message: () => `${title}不能为空` }),
    Schema.maxLength(max, { message: () => `${title}不能超过 ${max} 个字符` })
  )

const optional = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { exact: true })

/**
 * The input of {@link OpinionService.submit}. `contactPhone` is any usual spelling of a mainland mobile number;
 * it is stored encrypted and never echoed. `receivedAt` (an earlier time of receipt, e.g. a visit recorded in the
 * evening) needs the `opinion.reports.backdate` permission. The street is taken from the community.
 *
 * @since 0.1.0
 * @category models
 */
export const SubmitInput = Schema.Struct({
  idempotencyKey: optional(
    Schema.String.pipe(Schema.pattern(/^[\x21-\x7e]{1,128}$/, { message: () => "幂等键应为 1–128 位可见 ASCII 字符" }))
  ),
  reporter: optional(Report.Reporter),
  contactPhone: optional(Schema.String),
  location: Schema.Struct({
    communityCode: Region.RegionCode,
    gridCode: optional(Region.RegionCode),
    address: optional(Text("地址", 200)),
    coordinates: optional(Report.Coordinates)
  }),
  category: Taxonomy.CategoryCode,
  kind: Taxonomy.KindCode,
  urgency: Schema.optionalWith(Taxonomy.Urgency, { default: () => "normal" as const }),
  channel: Taxonomy.ChannelCode,
  title: optional(Text("标题", 100)),
  content: Text("诉求内容", 4000),
  attachments: Schema.optionalWith(
    Schema.Array(Report.Attachment).pipe(Schema.maxItems(20, { message: () => "附件不能超过 20 个" })),
    { default: () => [] }
  ),
  receivedAt: optional(Schema.Union(Schema.DateFromSelf, Schema.Date))
})

/**
 * @since 0.1.0
 * @category models
 */
export type SubmitInput = typeof SubmitInput.Encoded

const reportId = Report.ReportId
const note = optional(Text("说明", 2000))

/**
 * Input of {@link OpinionService.dispatch}: the department (default: the one routing suggested) and a note.
 *
 * @since 0.1.0
 * @category models
 */
export const DispatchInput = Schema.Struct({ reportId, department: optional(Routing.DepartmentCode), note })

/**
 * Input of commands that take only a report and an optional note (accept, startHandling).
 *
 * @since 0.1.0
 * @category models
 */
export const NoteInput = Schema.Struct({ reportId, note })

/**
 * Input of {@link OpinionService.returnReport} (退单): the reason is required.
 *
 * @since 0.1.0
 * @category models
 */
export const ReturnInput = Schema.Struct({ reportId, reason: Text("退单理由", 2000) })

/**
 * Input of {@link OpinionService.requestExtension}: working days asked for (1–30) and the reason.
 *
 * @since 0.1.0
 * @category models
 */
export const ExtensionInput = Schema.Struct({
  reportId,
  workingDays: Schema.Int.pipe(Schema.between(1, 30, { message: () => "延期工作日数应在 1 到 30 之间" })),
  reason: Text("延期理由", 2000)
})

/**
 * Input of {@link OpinionService.decideExtension}: approve or deny; an approval may grant fewer (or more) days
 * than asked.
 *
 * @since 0.1.0
 * @category models
 */
export const DecideExtensionInput = Schema.Struct({
  reportId,
  approve: Schema.Boolean,
  workingDays: optional(Schema.Int.pipe(Schema.between(1, 30, { message: () => "延期工作日数应在 1 到 30 之间" }))),
  note
})

/**
 * Input of {@link OpinionService.reply} (public) and {@link OpinionService.addInternalNote} (internal).
 *
 * @since 0.1.0
 * @category models
 */
export const TextInput = Schema.Struct({ reportId, text: Text("内容", 4000) })

/**
 * Input of {@link OpinionService.followUp}.
 *
 * @since 0.1.0
 * @category models
 */
export const FollowUpInput = Schema.Struct({
  reportId,
  satisfaction: Report.Satisfaction,
  comment: optional(Text("回访意见", 2000))
})

/**
 * Input of {@link OpinionService.close}: `unresolved` closes as not resolved (办结（未解决）).
 *
 * @since 0.1.0
 * @category models
 */
export const CloseInput = Schema.Struct({
  reportId,
  unresolved: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  note
})

/**
 * Input of {@link OpinionService.reopen} (重办): the reason is required.
 *
 * @since 0.1.0
 * @category models
 */
export const ReopenInput = Schema.Struct({ reportId, reason: Text("重办理由", 2000) })

/**
 * Input of {@link OpinionService.merge}: the primary report and the duplicates to merge into it.
 *
 * @since 0.1.0
 * @category models
 */
export const MergeInput = Schema.Struct({
  primaryId: reportId,
  duplicateIds: Schema.Array(reportId).pipe(
    Schema.minItems(1, { message: () => "至少需要一个重复诉求" }),
    Schema.maxItems(50, { message: () => "一次最多合并 50 个诉求" })
  ),
  note
})

/**
 * Input of the deadline sweep: the time to judge at (default: now) and how many reports at most (default 500).
 *
 * @since 0.1.0
 * @category models
 */
export const SweepInput = Schema.Struct({
  asOf: optional(Schema.Union(Schema.DateFromSelf, Schema.Date)),
  limit: optional(Schema.Int.pipe(Schema.between(1, 5000)))
})

/**
 * Input of {@link OpinionService.get} and {@link OpinionService.revealContact}.
 *
 * @since 0.1.0
 * @category models
 */
export const GetInput = Schema.Struct({ reportId })

/**
 * Input of {@link OpinionService.list}: filters, order and page. `mine` lists the actor's own reports.
 *
 * @since 0.1.0
 * @category models
 */
export const ListInput = Schema.Struct({
  mine: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  status: optional(Schema.Union(Workflow.StateCode, Schema.Array(Workflow.StateCode))),
  bucket: optional(Workflow.Bucket),
  department: optional(Routing.DepartmentCode),
  streetCode: optional(Region.RegionCode),
  communityCode: optional(Region.RegionCode),
  category: optional(Schema.String.pipe(Schema.pattern(/^[A-Z]{2}(?:\d{2})*$/))),
  kind: optional(Taxonomy.KindCode),
  channel: optional(Taxonomy.ChannelCode),
  receivedFrom: optional(Schema.Union(Schema.DateFromSelf, Schema.Date)),
  receivedBefore: optional(Schema.Union(Schema.DateFromSelf, Schema.Date)),
  orderBy: optional(Schema.Literal("receivedAt", "dueAt")),
  direction: optional(Schema.Literal("asc", "desc")),
  limit: Schema.Int.pipe(Schema.between(1, 1000, { message: () => "每页条数应在 1 到 1000 之间" })),
  cursor: optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ListInput = typeof ListInput.Encoded

// ---------------------------------------------------------------------------------------------
// views and results
// ---------------------------------------------------------------------------------------------

/**
 * What a reader sees: staff with access see the whole report (`Full`: internal notes included, the phone
 * number only masked and encrypted); a reporter sees the public view of their own report (`Public`).
 *
 * @since 0.1.0
 * @category models
 */
export type ReportView =
  | { readonly _tag: "Full"; readonly report: Report.Report }
  | { readonly _tag: "Public"; readonly report: Report.PublicReport }

/**
 * The result of a deadline sweep: the reports that got a notice.
 *
 * @since 0.1.0
 * @category models
 */
export interface SweepResult {
  readonly asOf: Date
  readonly reportIds: ReadonlyArray<Report.ReportId>
}

// ---------------------------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------------------------

/**
 * The configuration of a district's service. Only the region tree and the routing table are required; the
 * taxonomy, workflow, deadline policy and satisfaction scale default to this package's defaults.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly regions: Region.RegionTree
  readonly routing: Routing.RoutingTable
  readonly taxonomy?: Taxonomy.Taxonomy | undefined
  readonly workflow?: Workflow.Workflow | undefined
  readonly deadlines?: Deadline.Policy | undefined
  readonly satisfaction?: ReadonlyArray<Report.SatisfactionLevel> | undefined
}

/**
 * The configuration in use, defaults filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly tenantId: TenantId
  readonly regions: Region.RegionTree
  readonly routing: Routing.RoutingTable
  readonly taxonomy: Taxonomy.Taxonomy
  readonly workflow: Workflow.Workflow
  readonly deadlines: Deadline.Policy
  readonly satisfaction: ReadonlyArray<Report.SatisfactionLevel>
}

/**
 * Checks a configuration and fills in the defaults: the taxonomy, the routing table against the taxonomy and the
 * region tree, the satisfaction scale (each level once, at least one resolved).
 *
 * @since 0.1.0
 * @category constructors
 */
export const settings = (options: Options): Either.Either<Settings, InvalidConfiguration> => {
  const taxonomy = options.taxonomy ?? Taxonomy.defaultTaxonomy
  const satisfaction = options.satisfaction ?? Report.defaultSatisfactionScale
  const problems: Array<string> = []
  Either.match(Taxonomy.validate(taxonomy), { onLeft: (e) => problems.push(...e.problems), onRight: () => undefined })
  problems.push(...Routing.problems(options.routing, { taxonomy, regions: options.regions }))
  if (new Set(satisfaction.map((level) => level.code)).size !== satisfaction.length) {
    problems.push("满意度等级重复")
  }
  if (!satisfaction.some((level) => level.resolved)) problems.push("满意度等级中至少要有一个视为已解决")
  if (options.regions.root.level !== "district") problems.push("区划数据的根节点应为区县")
  if (problems.length > 0) return Either.left(new InvalidConfiguration({ problems }))
  return Either.right({
    tenantId: options.regions.root.code as unknown as TenantId,
    regions: options.regions,
    routing: options.routing,
    taxonomy,
    workflow: options.workflow ?? Workflow.defaultWorkflow,
    deadlines: options.deadlines ?? Deadline.defaultPolicy,
    satisfaction
  })
}

// ---------------------------------------------------------------------------------------------
// service
// ---------------------------------------------------------------------------------------------

/**
 * The operations of the service. Every command takes the actor first and the encoded input (decoded inside).
 *
 * @since 0.1.0
 * @category models
 */
export interface OpinionService {
  readonly settings: Settings
  /** 受理: a new report from any channel; a retry with the same idempotency key returns the first report. */
  readonly submit: (actor: Actor.Actor, input: SubmitInput) => Effect.Effect<Report.Report, CommandError>
  /** 派单 to a department (default: the routed one); also re-dispatches. */
  readonly dispatch: (
    actor: Actor.Actor,
    input: typeof DispatchInput.Encoded
  ) => Effect.Effect<Report.Report, CommandError>
  /** 签收 by the assigned department. */
  readonly accept: (actor: Actor.Actor, input: typeof NoteInput.Encoded) => Effect.Effect<Report.Report, CommandError>
  /** 退单: the department returns the report to the dispatcher, with a reason. */
  readonly returnReport: (
    actor: Actor.Actor,
    input: typeof ReturnInput.Encoded
  ) => Effect.Effect<Report.Report, CommandError>
  /** 办理: the department starts working on it. */
  readonly startHandling: (
    actor: Actor.Actor,
    input: typeof NoteInput.Encoded
  ) => Effect.Effect<Report.Report, CommandError>
  /** 延期申请 by the department. */
  readonly requestExtension: (
    actor: Actor.Actor,
    input: typeof ExtensionInput.Encoded
  ) => Effect.Effect<Report.Report, CommandError>
  /** 延期审批: an approval moves the due date by working days. */
  readonly decideExtension: (
    actor: Actor.Actor,
    input: typeof DecideExtensionInput.Encoded
  ) => Effect.Effect<Report.Report, CommandError>
  /** 答复: the public reply, sent to the reporter and to the reporters of merged reports. */
  readonly reply: (actor: Actor.Actor, input: typeof TextInput.Encoded) => Effect.Effect<Report.Report, CommandError>
  /** An internal handling note (staff only; not a transition). */
  readonly addInternalNote: (
    actor: Actor.Actor,
    input: typeof TextInput.Encoded
  ) => Effect.Effect<Report.Report, CommandError>
  /** 回访 with the reporter's satisfaction. */
  readonly followUp: (
    actor: Actor.Actor,
    input: typeof FollowUpInput.Encoded
  ) => Effect.Effect<Report.Report, CommandError>
  /** 办结, resolved (after a satisfied follow-up, or when the reporter cannot be reached) or `unresolved`. */
  readonly close: (actor: Actor.Actor, input: typeof CloseInput.Encoded) => Effect.Effect<Report.Report, CommandError>
  /** 重办 with a new handling deadline. */
  readonly reopen: (actor: Actor.Actor, input: typeof ReopenInput.Encoded) => Effect.Effect<Report.Report, CommandError>
  /** Merges duplicates into a primary report; returns the primary. */
  readonly merge: (actor: Actor.Actor, input: typeof MergeInput.Encoded) => Effect.Effect<Report.Report, CommandError>
  /** 超期督办: escalates every report in the actor's scope whose deadline passed and was not escalated yet. */
  readonly escalateOverdue: (
    actor: Actor.Actor,
    input?: typeof SweepInput.Encoded
  ) => Effect.Effect<SweepResult, CommandError>
  /** 临期提醒: sends the "deadline approaching" notice of every report in scope whose reminder day has come. */
  readonly remindApproaching: (
    actor: Actor.Actor,
    input?: typeof SweepInput.Encoded
  ) => Effect.Effect<SweepResult, CommandError>
  /** A report as the actor may see it. */
  readonly get: (actor: Actor.Actor, input: typeof GetInput.Encoded) => Effect.Effect<ReportView, CommandError>
  /** A page of reports as the actor may see them (limited to the actor's scope or department or own reports). */
  readonly list: (actor: Actor.Actor, input: ListInput) => Effect.Effect<Page.Page<ReportView>, CommandError>
  /** The reporter's phone number, for a follow-up call (audited; none when not on file). */
  readonly revealContact: (
    actor: Actor.Actor,
    input: typeof GetInput.Encoded
  ) => Effect.Effect<Option.Option<Redacted.Redacted<string>>, CommandError>
}

/**
 * The opinion service.
 *
 * @since 0.1.0
 * @category tags
 */
export class Opinion extends Context.Tag("@gongzhi/opinion/Opinion")<Opinion, OpinionService>() {}

/**
 * What the service needs: its repository and the kernel's ports.
 *
 * @since 0.1.0
 * @category models
 */
export type Requirements =
  | ReportRepo.ReportRepo
  | Transactor.Transactor
  | Outbox.Outbox
  | AuditLog.AuditLog
  | Authorization.Authorization
  | Calendar.WorkingCalendar
  | FieldCipher.FieldCipher

const CONTACT_CONTEXT = "opinion.reports.contact_phone"

const issuesOf = (error: ParseResult.ParseError): Array<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
    issue.path.length === 0 ? issue.message : `${issue.path.join(".")}：${issue.message}`
  )

/**
 * Builds the service from a configuration and the ports in context.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import * as Opinion from "@gongzhi/opinion/Opinion"
 * import type { Actor } from "@gongzhi/core/Actor"
 *
 * declare const resident: Actor
 * const program = Effect.gen(function* () {
 *   const opinion = yield* Opinion.Opinion
 *   return yield* opinion.submit(resident, {
 *     idempotencyKey: "mp-7f3c2a",
 *     location: { communityCode: "440310001001", address: "六联社区某小区 3 栋" },
 *     category: "GF02",
 *     kind: "help",
 *     channel: "mini-program",
 *     content: "3 栋电梯停运两天，老人上下楼困难",
 *     contactPhone: "13812345678"
 *   })
 * })
 */
export const make = (options: Options): Effect.Effect<OpinionService, InvalidConfiguration, Requirements> =>
  Effect.gen(function* () {
    const config = yield* settings(options)
    const repo = yield* ReportRepo.ReportRepo
    const transactor = yield* Transactor.Transactor
    const outbox = yield* Outbox.Outbox
    const auditLog = yield* AuditLog.AuditLog
    const authorization = yield* Authorization.Authorization
    const calendar = yield* Calendar.WorkingCalendar
    const cipher = yield* FieldCipher.FieldCipher
    const { deadlines, routing, taxonomy, tenantId, workflow } = config
    const offset = deadlines.utcOffsetMinutes

    // ---- helpers ------------------------------------------------------------------------

    const decode =
      <A, I>(command: string, schema: Schema.Schema<A, I>) =>
      (input: unknown): Effect.Effect<A, InvalidInput> =>
        Effect.mapError(
          Schema.decodeUnknown(schema, { errors: "all" })(input),
          (error) => new InvalidInput({ command, issues: issuesOf(error) })
        )

    const now = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

    const load = (id: string) =>
      Effect.flatMap(
        repo.get(tenantId, id),
        Option.match({
          onNone: () => Effect.fail(new ReportNotFound({ reportId: id })),
          onSome: Effect.succeed
        })
      )

    const targetOf = (report: Report.Report): Authorization.Target => ({
      tenantId,
      regionCode: Report.regionOf(report)
    })

    const grants = (actor: Actor.Actor, permission: string) =>
      Authorization.grants(authorization.table, actor.roles, permission)

    const isAssignee = (actor: Actor.Actor, report: Report.Report) =>
      report.department !== undefined && actor._tag === "Staff" && actor.department === report.department

    const checkAssignee = (actor: Actor.Actor, report: Report.Report, command: Workflow.Command) =>
      grants(actor, permissions.anyDepartment) || isAssignee(actor, report)
        ? Effect.void
        : Effect.fail(
            new NotAssigned({
              reportId: report.id,
              command: Workflow.commandLabel(command),
              ...(report.department === undefined
                ? {}
                : { department: Routing.departmentName(routing, report.department) }),
              ...(actor._tag === "Staff" && actor.department !== undefined
                ? { actorDepartment: Routing.departmentName(routing, actor.department) }
                : {})
            })
          )

    const audit = (actor: Actor.Actor, action: string, targetId: string, details: Record<string, unknown>) =>
      auditLog.append({
        tenantId,
        actorKind: Actor.kind(actor),
        actorId: Actor.id(actor),
        action: `opinion.reports.${action}`,
        targetType: Events.aggregateType,
        targetId,
        details
      })

    const emit = (events: ReadonlyArray<Events.OpinionEvent>) =>
      events.length === 0 ? Effect.void : Effect.asVoid(outbox.append(events.map((e) => Events.toOutbox(tenantId, e))))

    const hasContact = (report: Report.Report) => report.contact !== undefined
    const reachable = (report: Report.Report) => report.reporter._tag !== "Anonymous" || hasContact(report)
    const departmentOf = (report: Report.Report) =>
      report.department === undefined ? {} : { department: report.department }

    interface Step {
      readonly fields: ReportFields
      readonly events: ReadonlyArray<Events.OpinionEvent>
      readonly details?: Record<string, unknown>
      /** Further writes in the same transaction (merged reports receiving a reply). */
      readonly also?: Effect.Effect<void, CommandError>
    }

    /**
     * A transition command: load, authorize with the transition's permission, check the workflow (and the
     * assignee), apply `step`, reschedule the deadlines, store, emit, audit — in one transaction.
     */
    const transition = (
      actor: Actor.Actor,
      id: Report.ReportId,
      command: Workflow.Command,
      note: string | undefined,
      step: (report: Report.Report, fields: ReportFields, at: Date) => Effect.Effect<Step, CommandError>,
      guard?: (report: Report.Report) => string | undefined
    ) =>
      transactor.withTransaction(
        Effect.gen(function* () {
          const current = yield* load(id)
          const report = current.value
          const found = workflow.transition(command, report.status)
          const permission = Option.match(found, {
            onSome: (t) => t.permission,
            onNone: () => workflow.transitionsOf(command)[0]?.permission ?? `opinion.reports.${command}`
          })
          yield* authorization.authorize(actor, permission, targetOf(report))
          if (Option.isNone(found)) return yield* Workflow.notAllowed(workflow, report.id, report.status, command)
          if (found.value.assigneeOnly) yield* checkAssignee(actor, report, command)
          const refused = guard?.(report)
          if (refused !== undefined)
            return yield* Workflow.notAllowed(workflow, report.id, report.status, command, refused)
          const at = yield* now
          const moved = moveTo(workflow, fieldsOf(report), actor, at, command, found.value.to, note)
          const result = yield* step(report, moved, at)
          const next = schedule(workflow, deadlines, result.fields)
          yield* repo.update(tenantId, next, current.version)
          if (result.also !== undefined) yield* result.also
          yield* emit(result.events)
          yield* audit(actor, command, report.id, {
            from: report.status,
            to: next.status,
            ...(note === undefined ? {} : { note }),
            ...result.details
          })
          return next
        })
      )

    const traced =
      <I, A>(name: string, f: (actor: Actor.Actor, input: I) => Effect.Effect<A, CommandError>) =>
      (actor: Actor.Actor, input: I): Effect.Effect<A, CommandError> =>
        Effect.withSpan(f(actor, input), `Opinion.${name}`, {
          attributes: { "gongzhi.tenant": tenantId, "gongzhi.actor": Actor.label(actor) }
        })

    // ---- intake -------------------------------------------------------------------------

    const decodeSubmit = decode("受理", SubmitInput)

    const resolveReporter = (
      actor: Actor.Actor,
      given: Report.Reporter | undefined,
      issues: Array<string>
    ): Report.Reporter => {
      switch (actor._tag) {
        case "Resident":
          if (given !== undefined && !(given._tag === "Resident" && given.userId === actor.userId)) {
            issues.push("reporter：居民只能以本人名义反映诉求")
          }
          return { _tag: "Resident", userId: actor.userId }
        case "Volunteer":
          if (given !== undefined && given._tag === "Volunteer" && given.volunteerId !== actor.volunteerId) {
            issues.push("reporter：志愿者不能以其他志愿者的名义反映诉求")
          }
          return given ?? { _tag: "Volunteer", volunteerId: actor.volunteerId }
        default:
          return given ?? { _tag: "Anonymous" }
      }
    }

    const submit = (actor: Actor.Actor, raw: SubmitInput) =>
      Effect.gen(function* () {
        const input = yield* decodeSubmit(raw)
        const issues: Array<string> = []
        // phone: validated apart from the schema so that no message ever repeats the number
        let phone: MobileNumber.MobileNumber | undefined
        if (input.contactPhone !== undefined) {
          const checked = yield* Effect.either(MobileNumber.validate(input.contactPhone))
          if (Either.isLeft(checked)) issues.push("contactPhone：联系电话不是有效的手机号码")
          else phone = checked.right
        }
        if (Taxonomy.findCategory(taxonomy, input.category) === undefined) {
          issues.push(`category：分类 ${input.category} 不在本区诉求分类中`)
        }
        if (Taxonomy.findKind(taxonomy, input.kind) === undefined) {
          issues.push(`kind：诉求类型 ${input.kind} 不在本区诉求类型中`)
        }
        if (Taxonomy.findChannel(taxonomy, input.channel) === undefined) {
          issues.push(`channel：受理渠道 ${input.channel} 不在本区受理渠道中`)
        }
        const community = Option.getOrUndefined(Region.findByCode(config.regions, input.location.communityCode))
        if (community === undefined || community.level !== "community") {
          issues.push(`location.communityCode：${input.location.communityCode} 不是本区的社区`)
        }
        const grid = input.location.gridCode
        if (grid !== undefined) {
          const knownGrids = Region.children(config.regions, input.location.communityCode).filter(
            (r) => r.level === "grid"
          )
          const fits =
            grid.startsWith(input.location.communityCode) &&
            grid.length > input.location.communityCode.length &&
            (knownGrids.length === 0 || knownGrids.some((r) => r.code === grid))
          if (!fits) issues.push(`location.gridCode：网格 ${grid} 不在社区 ${input.location.communityCode} 之内`)
        }
        const reporter = resolveReporter(actor, input.reporter, issues)
        const at = yield* now
        if (input.receivedAt !== undefined && input.receivedAt.getTime() > at.getTime()) {
          issues.push("receivedAt：受理时间不能晚于当前时间")
        }
        if (issues.length > 0) return yield* new InvalidInput({ command: "受理", issues })

        const target: Authorization.Target = {
          tenantId,
          regionCode: input.location.gridCode ?? input.location.communityCode
        }
        yield* authorization.authorize(actor, permissions.submit, target)
        const receivedAt = input.receivedAt ?? at
        if (receivedAt.getTime() !== at.getTime()) yield* authorization.authorize(actor, permissions.backdate, target)

        const key = Report.reporterKey(reporter)
        const replay = (existing: Report.Report): Effect.Effect<Report.Report, InvalidInput> =>
          Report.reporterKey(existing.reporter) === key && existing.channel === input.channel
            ? Effect.succeed(existing)
            : Effect.fail(new InvalidInput({ command: "受理", issues: ["idempotencyKey：该幂等键已被另一条诉求使用"] }))
        if (input.idempotencyKey !== undefined) {
          const existing = yield* repo.findByIdempotencyKey(tenantId, input.idempotencyKey)
          if (Option.isSome(existing)) return yield* replay(existing.value.value)
        }

        const deadline = yield* Deadline.handlingDeadline(deadlines, calendar, {
          kind: input.kind,
          urgency: input.urgency,
          category: input.category,
          receivedAt
        })
        const context = [CONTACT_CONTEXT, tenantId]
        const contact =
          phone === undefined
            ? undefined
            : new Report.Contact({
                phone: yield* cipher.encrypt(phone, { context }),
                phoneIndex: yield* cipher.blindIndex(phone, { kind: "phone", context }),
                phoneMasked: Mask.mobile(phone)
              })
        const id = yield* newReportId(receivedAt, offset)
        const location = new Report.Location({
          streetCode: community!.parentCode!,
          communityCode: input.location.communityCode,
          ...(input.location.gridCode === undefined ? {} : { gridCode: input.location.gridCode }),
          ...(input.location.address === undefined ? {} : { address: input.location.address }),
          ...(input.location.coordinates === undefined ? {} : { coordinates: input.location.coordinates })
        })
        const route = Routing.route(routing, {
          category: input.category,
          regionCode: location.gridCode ?? location.communityCode
        })
        const initial = workflow.initial
        const fields: ReportFields = {
          id,
          tenantId,
          status: initial.code,
          bucket: initial.bucket,
          reporter,
          ...(contact === undefined ? {} : { contact }),
          location,
          category: input.category,
          kind: input.kind,
          urgency: input.urgency,
          channel: input.channel,
          ...(input.title === undefined ? {} : { title: input.title }),
          content: input.content,
          attachments: input.attachments,
          ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
          suggestedDepartment: route.department,
          receivedAt,
          updatedAt: at,
          deadline,
          reminders: [],
          escalations: [],
          extensions: [],
          internalNotes: [],
          replies: [],
          followUps: [],
          mergedIds: [],
          reopenCount: 0,
          history: [{ at, by: Report.actorRef(actor), command: "submit", to: initial.code }]
        }
        const report = schedule(workflow, deadlines, fields)
        const created = transactor.withTransaction(
          Effect.gen(function* () {
            yield* repo.insert(tenantId, report)
            yield* emit([
              {
                _tag: "ReportReceived",
                reportId: report.id,
                category: report.category,
                kind: report.kind,
                urgency: report.urgency,
                channel: report.channel,
                streetCode: report.location.streetCode,
                communityCode: report.location.communityCode,
                receivedAt: report.receivedAt,
                dueDate: report.deadline.dueDate,
                suggestedDepartment: report.suggestedDepartment
              }
            ])
            yield* audit(actor, "submit", report.id, {
              channel: report.channel,
              category: report.category,
              kind: report.kind,
              urgency: report.urgency,
              communityCode: report.location.communityCode,
              dueDate: report.deadline.dueDate,
              hasContact: contact !== undefined
            })
            return report
          })
        )
        // a concurrent retry with the same key won the race: return its report (after our rollback)
        return yield* Effect.catchIf(
          created,
          (error): error is DuplicateKey => error._tag === "DuplicateKey" && error.key === "idempotency_key",
          (error) =>
            Effect.flatMap(
              repo.findByIdempotencyKey(tenantId, input.idempotencyKey ?? ""),
              (existing): Effect.Effect<Report.Report, InvalidInput | DuplicateKey> =>
                Option.isSome(existing) ? replay(existing.value.value) : Effect.fail(error)
            )
        )
      })

    // ---- handling -----------------------------------------------------------------------

    const decodeDispatch = decode("派单", DispatchInput)
    const dispatch = (actor: Actor.Actor, raw: typeof DispatchInput.Encoded) =>
      Effect.flatMap(decodeDispatch(raw), (input) => {
        const department = input.department
        if (department !== undefined && !routing.departments.some((d) => d.code === department)) {
          return Effect.fail(
            new InvalidInput({ command: "派单", issues: [`department：承办单位 ${department} 不在本区承办单位中`] })
          )
        }
        return transition(actor, input.reportId, "dispatch", input.note, (report, fields) => {
          const chosen = department ?? report.suggestedDepartment
          fields.department = chosen
          return Effect.succeed({
            fields,
            details: { department: chosen },
            events: [
              {
                _tag: "ReportDispatched",
                reportId: report.id,
                department: chosen,
                departmentName: Routing.departmentName(routing, chosen),
                category: report.category,
                urgency: report.urgency,
                streetCode: report.location.streetCode,
                communityCode: report.location.communityCode,
                dueDate: report.deadline.dueDate,
                ...(input.note === undefined ? {} : { note: input.note })
              }
            ]
          })
        })
      })

    const decodeAccept = decode("签收", NoteInput)
    const accept = (actor: Actor.Actor, raw: typeof NoteInput.Encoded) =>
      Effect.flatMap(decodeAccept(raw), (input) =>
        transition(actor, input.reportId, "accept", input.note, (report, fields) =>
          Effect.succeed({ fields, events: [{ _tag: "ReportAccepted", reportId: report.id, ...departmentOf(report) }] })
        )
      )

    const decodeReturn = decode("退单", ReturnInput)
    const returnReport = (actor: Actor.Actor, raw: typeof ReturnInput.Encoded) =>
      Effect.flatMap(decodeReturn(raw), (input) =>
        transition(actor, input.reportId, "return", input.reason, (report, fields) => {
          delete fields.department
          return Effect.succeed({
            fields,
            events: [{ _tag: "ReportReturned", reportId: report.id, reason: input.reason, ...departmentOf(report) }]
          })
        })
      )

    const decodeStart = decode("办理", NoteInput)
    const startHandling = (actor: Actor.Actor, raw: typeof NoteInput.Encoded) =>
      Effect.flatMap(decodeStart(raw), (input) =>
        transition(actor, input.reportId, "startHandling", input.note, (report, fields) =>
          Effect.succeed({
            fields,
            events: [{ _tag: "HandlingStarted", reportId: report.id, ...departmentOf(report) }]
          })
        )
      )

    const decodeExtension = decode("申请延期", ExtensionInput)
    const requestExtension = (actor: Actor.Actor, raw: typeof ExtensionInput.Encoded) =>
      Effect.flatMap(decodeExtension(raw), (input) =>
        transition(actor, input.reportId, "requestExtension", input.reason, (report, fields, at) => {
          fields.extensions = [
            ...fields.extensions,
            {
              requestedAt: at,
              requestedBy: Report.actorRef(actor),
              workingDays: input.workingDays,
              reason: input.reason,
              status: "pending"
            }
          ]
          return Effect.succeed({
            fields,
            details: { workingDays: input.workingDays },
            events: [
              {
                _tag: "ExtensionRequested",
                reportId: report.id,
                workingDays: input.workingDays,
                reason: input.reason,
                dueDate: report.deadline.dueDate,
                ...departmentOf(report)
              }
            ]
          })
        })
      )

    const decodeDecide = decode("延期审批", DecideExtensionInput)
    const decideExtension = (actor: Actor.Actor, raw: typeof DecideExtensionInput.Encoded) =>
      Effect.flatMap(decodeDecide(raw), (input) =>
        transition(
          actor,
          input.reportId,
          input.approve ? "approveExtension" : "denyExtension",
          input.note,
          (report, fields, at) =>
            Effect.gen(function* () {
              const index = fields.extensions.findLastIndex((e) => e.status === "pending")
              const pending = fields.extensions[index]
              const previous = report.deadline
              let deadline = previous
              if (input.approve) {
                deadline = yield* Deadline.extend(
                  deadlines,
                  calendar,
                  previous,
                  input.workingDays ?? pending?.workingDays ?? 1,
                  at
                )
                fields.deadline = deadline
              }
              if (pending !== undefined) {
                const decided: Report.Extension = {
                  ...pending,
                  status: input.approve ? "approved" : "denied",
                  decidedAt: at,
                  decidedBy: Report.actorRef(actor),
                  ...(input.note === undefined ? {} : { decisionNote: input.note }),
                  ...(input.approve ? { previousDueDate: previous.dueDate, newDueDate: deadline.dueDate } : {})
                }
                fields.extensions = fields.extensions.map((e, i) => (i === index ? decided : e))
              }
              return {
                fields,
                details: { approved: input.approve, dueDate: deadline.dueDate },
                events: [
                  {
                    _tag: "ExtensionDecided",
                    reportId: report.id,
                    approved: input.approve,
                    dueDate: deadline.dueDate,
                    ...departmentOf(report)
                  }
                ]
              }
            })
        )
      )

    const replyToMerged = (primary: Report.Report, reply: Report.Reply) =>
      Effect.gen(function* () {
        const events: Array<Events.OpinionEvent> = []
        for (const mergedId of primary.mergedIds) {
          const current = yield* repo.get(tenantId, mergedId)
          if (Option.isNone(current)) continue
          const merged = current.value.value
          const inherited: Report.Reply = { ...reply, fromReportId: primary.id }
          const fields = fieldsOf(merged)
          fields.replies = [...fields.replies, inherited]
          fields.updatedAt = reply.at
          yield* repo.update(tenantId, new Report.Report(fields), current.value.version)
          events.push(replyPublished(merged, reply, primary.id))
        }
        return events
      })

    const replyPublished = (
      recipient: Report.Report,
      reply: Report.Reply,
      fromReportId: Report.ReportId
    ): Events.OpinionEvent => ({
      _tag: "ReplyPublished",
      reportId: fromReportId,
      recipientReportId: recipient.id,
      reporter: recipient.reporter,
      hasContact: hasContact(recipient),
      text: reply.text,
      repliedAt: reply.at
    })

    const decodeReply = decode("答复", TextInput)
    const reply = (actor: Actor.Actor, raw: typeof TextInput.Encoded) =>
      Effect.flatMap(decodeReply(raw), (input) =>
        transition(actor, input.reportId, "reply", undefined, (report, fields, at) =>
          Effect.gen(function* () {
            const published: Report.Reply = { at, by: Report.actorRef(actor), text: input.text }
            fields.replies = [...fields.replies, published]
            fields.repliedAt = at
            const due = yield* Deadline.followUpDue(deadlines, calendar, at)
            fields.followUpDue = due
            return {
              fields,
              details: { followUpDue: due, merged: report.mergedIds.length },
              events: [
                replyPublished(report, published, report.id),
                {
                  _tag: "FollowUpRequested",
                  reportId: report.id,
                  reporter: report.reporter,
                  hasContact: hasContact(report),
                  followUpDue: due,
                  ...departmentOf(report)
                }
              ],
              also: Effect.flatMap(replyToMerged(report, published), emit)
            }
          })
        )
      )

    const decodeFollowUp = decode("回访", FollowUpInput)
    const followUp = (actor: Actor.Actor, raw: typeof FollowUpInput.Encoded) =>
      Effect.flatMap(decodeFollowUp(raw), (input) =>
        transition(actor, input.reportId, "followUp", input.comment, (report, fields, at) => {
          fields.followUps = [
            ...fields.followUps,
            {
              at,
              by: Report.actorRef(actor),
              satisfaction: input.satisfaction,
              ...(input.comment === undefined ? {} : { comment: input.comment })
            }
          ]
          fields.satisfaction = input.satisfaction
          return Effect.succeed({
            fields,
            details: { satisfaction: input.satisfaction },
            events: [
              {
                _tag: "SatisfactionRecorded",
                reportId: report.id,
                satisfaction: input.satisfaction,
                ...departmentOf(report)
              }
            ]
          })
        })
      )

    /** Why a report may not be closed as resolved yet (undefined: it may). */
    const closeRefusal = (report: Report.Report): string | undefined => {
      const lastReply = Report.latestReply(report)
      const lastFollowUp = report.followUps[report.followUps.length - 1]
      const followedUp =
        lastFollowUp !== undefined && (lastReply === undefined || lastFollowUp.at.getTime() >= lastReply.at.getTime())
      if (!followedUp) return reachable(report) ? "答复后须先回访，了解群众满意度" : undefined
      return Report.isResolved(config.satisfaction, lastFollowUp.satisfaction)
        ? undefined
        : `回访结果为「${Report.satisfactionLabel(config.satisfaction, lastFollowUp.satisfaction)}」，应重办或按未解决办结`
    }

    const decodeClose = decode("办结", CloseInput)
    const close = (actor: Actor.Actor, raw: typeof CloseInput.Encoded) =>
      Effect.flatMap(decodeClose(raw), (input) =>
        transition(
          actor,
          input.reportId,
          input.unresolved ? "closeUnresolved" : "close",
          input.note,
          (report, fields, at) => {
            fields.closedAt = at
            const resolved = fields.bucket === "closed-resolved"
            return Effect.succeed({
              fields,
              details: { resolved },
              events: [
                {
                  _tag: "ReportClosed",
                  reportId: report.id,
                  state: fields.status,
                  resolved,
                  closedAt: at,
                  ...(report.satisfaction === undefined ? {} : { satisfaction: report.satisfaction }),
                  ...departmentOf(report)
                }
              ]
            })
          },
          input.unresolved ? undefined : closeRefusal
        )
      )

    const decodeReopen = decode("重办", ReopenInput)
    const reopen = (actor: Actor.Actor, raw: typeof ReopenInput.Encoded) =>
      Effect.flatMap(decodeReopen(raw), (input) =>
        transition(actor, input.reportId, "reopen", input.reason, (report, fields, at) =>
          Effect.gen(function* () {
            const deadline = yield* Deadline.handlingDeadline(deadlines, calendar, {
              kind: report.kind,
              urgency: report.urgency,
              category: report.category,
              receivedAt: at
            })
            fields.deadline = new Deadline.Deadline({ ...deadline, rule: `重办：${deadline.rule}` })
            fields.reopenCount = report.reopenCount + 1
            delete fields.satisfaction
            delete fields.closedAt
            delete fields.repliedAt
            delete fields.followUpDue
            return {
              fields,
              details: { reopenCount: fields.reopenCount, dueDate: deadline.dueDate },
              events: [
                {
                  _tag: "ReportReopened",
                  reportId: report.id,
                  reopenCount: fields.reopenCount,
                  dueDate: deadline.dueDate,
                  reason: input.reason,
                  ...departmentOf(report)
                }
              ]
            }
          })
        )
      )

    // ---- notes ----------------------------------------------------------------------------

    /** Whether the actor may see a report with its internal notes: `read` in scope, or its department. */
    const fullAccess = (actor: Actor.Actor, report: Report.Report) =>
      Effect.catchTag(authorization.authorize(actor, permissions.read, targetOf(report)), "Forbidden", (forbidden) =>
        grants(actor, permissions.readAssigned) &&
        isAssignee(actor, report) &&
        Authorization.scopeContains(actor.scope, targetOf(report))
          ? Effect.void
          : Effect.fail(forbidden)
      )

    const decodeNote = decode("内部备注", TextInput)
    const addInternalNote = (actor: Actor.Actor, raw: typeof TextInput.Encoded) =>
      Effect.flatMap(decodeNote(raw), (input) =>
        transactor.withTransaction(
          Effect.gen(function* () {
            const current = yield* load(input.reportId)
            const report = current.value
            yield* authorization.authorize(actor, permissions.note, targetOf(report))
            yield* fullAccess(actor, report)
            const at = yield* now
            const fields = fieldsOf(report)
            fields.internalNotes = [...fields.internalNotes, { at, by: Report.actorRef(actor), text: input.text }]
            fields.updatedAt = at
            const next = new Report.Report(fields)
            yield* repo.update(tenantId, next, current.version)
            yield* audit(actor, "note", report.id, { notes: next.internalNotes.length })
            return next
          })
        )
      )

    // ---- merge ----------------------------------------------------------------------------

    const decodeMerge = decode("合并", MergeInput)
    const merge = (actor: Actor.Actor, raw: typeof MergeInput.Encoded) =>
      Effect.flatMap(decodeMerge(raw), (input) =>
        transactor.withTransaction(
          Effect.gen(function* () {
            const primaryLoaded = yield* load(input.primaryId)
            const primary = primaryLoaded.value
            const mergePermission = workflow.transitionsOf("merge")[0]?.permission ?? permissions.merge
            yield* authorization.authorize(actor, mergePermission, targetOf(primary))
            const reject = (reportId: string, reason: string) =>
              new MergeRejected({ primaryId: primary.id, reportId, reason })
            if (primary.mergedInto !== undefined) {
              return yield* reject(primary.id, `主诉求已合并到 ${primary.mergedInto}`)
            }
            const unique = [...new Set(input.duplicateIds)]
            const at = yield* now
            const lastReply = Report.latestReply(primary)
            const events: Array<Events.OpinionEvent> = []
            for (const duplicateId of unique) {
              if (duplicateId === primary.id) return yield* reject(duplicateId, "不能合并到自身")
              const loaded = yield* load(duplicateId)
              const duplicate = loaded.value
              const found = workflow.transition("merge", duplicate.status)
              yield* authorization.authorize(
                actor,
                Option.match(found, { onSome: (t) => t.permission, onNone: () => mergePermission }),
                targetOf(duplicate)
              )
              if (Option.isNone(found)) {
                return yield* Workflow.notAllowed(workflow, duplicate.id, duplicate.status, "merge")
              }
              if (duplicate.mergedIds.length > 0) {
                return yield* reject(duplicate.id, "已有其他诉求合并到该诉求，请先将它们合并到主诉求")
              }
              const fields = moveTo(workflow, fieldsOf(duplicate), actor, at, "merge", found.value.to, input.note)
              fields.mergedInto = primary.id
              fields.closedAt = at
              if (lastReply !== undefined) {
                fields.replies = [...fields.replies, { ...lastReply, fromReportId: primary.id }]
              }
              const next = schedule(workflow, deadlines, fields)
              yield* repo.update(tenantId, next, loaded.version)
              if (lastReply !== undefined) events.push(replyPublished(next, lastReply, primary.id))
            }
            const primaryFields = fieldsOf(primary)
            primaryFields.mergedIds = [...primary.mergedIds, ...unique.filter((id) => !primary.mergedIds.includes(id))]
            primaryFields.updatedAt = at
            const nextPrimary = new Report.Report(primaryFields)
            yield* repo.update(tenantId, nextPrimary, primaryLoaded.version)
            yield* emit([{ _tag: "ReportsMerged", primaryId: primary.id, mergedIds: unique }, ...events])
            yield* audit(actor, "merge", primary.id, {
              mergedIds: unique,
              ...(input.note === undefined ? {} : { note: input.note })
            })
            return nextPrimary
          })
        )
      )

    // ---- deadline sweep ---------------------------------------------------------------------

    const decodeSweep = decode("时限检查", SweepInput)

    const sweep = (actor: Actor.Actor, raw: typeof SweepInput.Encoded | undefined, kind: "escalation" | "reminder") =>
      Effect.gen(function* () {
        const input = yield* decodeSweep(raw ?? {})
        const regionCode = actor.scope.regionCode
        yield* authorization.authorize(actor, permissions.escalate, {
          tenantId,
          ...(regionCode.length > 6 ? { regionCode } : {})
        })
        const current = yield* now
        if (input.asOf !== undefined && input.asOf.getTime() > current.getTime()) {
          return yield* new InvalidInput({ command: "时限检查", issues: ["asOf：检查时间不能晚于当前时间"] })
        }
        const asOf = input.asOf ?? current
        const options = { limit: input.limit ?? 500, filter: scopeFilter(regionCode) }
        const due =
          kind === "escalation"
            ? yield* repo.findEscalationsDue(tenantId, asOf, options)
            : yield* repo.findRemindersDue(tenantId, asOf, options)
        const done: Array<Report.ReportId> = []
        for (const candidate of due) {
          const outcome = yield* Effect.either(
            transactor.withTransaction(
              Effect.gen(function* () {
                // re-read inside the transaction: another sweep may have handled it meanwhile
                const current = yield* load(candidate.value.id)
                const report = current.value
                const when = kind === "escalation" ? report.nextEscalationAt : report.nextReminderAt
                if (when === undefined || when.getTime() > asOf.getTime()) return false
                const clock = Workflow.clockOf(workflow, report.status)
                const dueDate = clock === "follow-up" ? report.followUpDue : report.deadline.dueDate
                if (dueDate === undefined) return false
                const at = yield* now
                const fields = fieldsOf(report)
                const level = report.escalations.length + 1
                if (kind === "escalation") {
                  fields.escalations = [...fields.escalations, { at, clock, dueDate, level }]
                } else fields.reminders = [...fields.reminders, { at, clock, dueDate }]
                fields.updatedAt = at
                const next = schedule(workflow, deadlines, fields)
                yield* repo.update(tenantId, next, current.version)
                const common = {
                  reportId: report.id,
                  status: report.status,
                  clock,
                  dueDate,
                  streetCode: report.location.streetCode,
                  ...departmentOf(report)
                }
                yield* emit([
                  kind === "escalation"
                    ? { _tag: "ReportOverdue", ...common, level }
                    : { _tag: "DeadlineApproaching", ...common }
                ])
                yield* audit(actor, kind === "escalation" ? "escalate" : "remind", report.id, {
                  clock,
                  dueDate,
                  ...(kind === "escalation" ? { level } : {})
                })
                return true
              })
            )
          )
          // a report changed concurrently is picked up by the next sweep
          if (Either.isLeft(outcome)) {
            if (outcome.left._tag === "VersionConflict") continue
            return yield* Effect.fail(outcome.left)
          }
          if (outcome.right) done.push(candidate.value.id)
        }
        return { asOf, reportIds: done } satisfies SweepResult
      })

    // ---- reading --------------------------------------------------------------------------

    const decodeGet = decode("查看", GetInput)

    const viewOf = (actor: Actor.Actor, report: Report.Report): Effect.Effect<ReportView, Authorization.Forbidden> => {
      const own = ownKey(actor)
      if (own !== undefined && own === Report.reporterKey(report.reporter) && grants(actor, permissions.readOwn)) {
        return Effect.succeed({ _tag: "Public", report: Report.toPublic(report, workflow) })
      }
      return Effect.as(fullAccess(actor, report), { _tag: "Full", report } as const)
    }

    const get = (actor: Actor.Actor, raw: typeof GetInput.Encoded) =>
      Effect.gen(function* () {
        const input = yield* decodeGet(raw)
        const current = yield* load(input.reportId)
        return yield* viewOf(actor, current.value)
      })

    const decodeList = decode("查询", ListInput)
    const list = (actor: Actor.Actor, raw: ListInput) =>
      Effect.gen(function* () {
        const input = yield* decodeList(raw)
        const query: ReportRepo.ReportQuery = {
          ...(input.status === undefined ? {} : { status: input.status }),
          ...(input.bucket === undefined ? {} : { bucket: input.bucket }),
          ...(input.department === undefined ? {} : { department: input.department }),
          ...(input.streetCode === undefined ? {} : { streetCode: input.streetCode }),
          ...(input.communityCode === undefined ? {} : { communityCode: input.communityCode }),
          ...(input.category === undefined ? {} : { category: input.category }),
          ...(input.kind === undefined ? {} : { kind: input.kind }),
          ...(input.channel === undefined ? {} : { channel: input.channel }),
          ...(input.receivedFrom === undefined ? {} : { receivedFrom: input.receivedFrom }),
          ...(input.receivedBefore === undefined ? {} : { receivedBefore: input.receivedBefore }),
          orderBy: input.orderBy,
          direction: input.direction ?? "desc",
          limit: input.limit,
          cursor: input.cursor
        }
        const own = ownKey(actor)
        if (input.mine || (own !== undefined && !grants(actor, permissions.read))) {
          // a reporter's own reports
          yield* authorization.authorize(actor, permissions.readOwn, { tenantId })
          if (own === undefined) return Page.make<ReportView>([], undefined)
          const page = yield* repo.page(tenantId, { ...query, reporterKey: own })
          return Page.make<ReportView>(
            page.items.map((item) => ({ _tag: "Public", report: Report.toPublic(item.value, workflow) })),
            page.nextCursor
          )
        }
        const region = input.communityCode ?? input.streetCode
        const target: Authorization.Target = { tenantId, ...(region === undefined ? {} : { regionCode: region }) }
        const readAll = yield* Effect.either(
          authorization.authorize(
            actor,
            permissions.read,
            region === undefined ? { ...target, regionCode: actor.scope.regionCode } : target
          )
        )
        let where: ReportRepo.ReportQuery = query
        if (Either.isRight(readAll)) {
          if (region === undefined) where = { ...where, ...scopeFilter(actor.scope.regionCode) }
        } else {
          // only the reports assigned to the actor's department
          const department = actor._tag === "Staff" ? actor.department : undefined
          if (
            !grants(actor, permissions.readAssigned) ||
            department === undefined ||
            (input.department !== undefined && input.department !== department)
          ) {
            return yield* Effect.fail(readAll.left)
          }
          yield* authorization.authorize(
            actor,
            permissions.readAssigned,
            region === undefined ? { ...target, regionCode: actor.scope.regionCode } : target
          )
          where = { ...where, department, ...(region === undefined ? scopeFilter(actor.scope.regionCode) : {}) }
        }
        const page = yield* repo.page(tenantId, where)
        return Page.make<ReportView>(
          page.items.map((item) => ({ _tag: "Full", report: item.value })),
          page.nextCursor
        )
      })

    const decodeReveal = decode("查看联系电话", GetInput)
    const revealContact = (actor: Actor.Actor, raw: typeof GetInput.Encoded) =>
      Effect.gen(function* () {
        const input = yield* decodeReveal(raw)
        const current = yield* load(input.reportId)
        const report = current.value
        yield* authorization.authorize(actor, permissions.revealContact, targetOf(report))
        if (report.contact === undefined) return Option.none()
        const phone = yield* cipher.decrypt(report.contact.phone, { context: [CONTACT_CONTEXT, tenantId] })
        yield* transactor.withTransaction(audit(actor, "contact.reveal", report.id, {}))
        return Option.some(phone)
      })

    return {
      settings: config,
      submit: traced("submit", submit),
      dispatch: traced("dispatch", dispatch),
      accept: traced("accept", accept),
      returnReport: traced("return", returnReport),
      startHandling: traced("startHandling", startHandling),
      requestExtension: traced("requestExtension", requestExtension),
      decideExtension: traced("decideExtension", decideExtension),
      reply: traced("reply", reply),
      addInternalNote: traced("addInternalNote", addInternalNote),
      followUp: traced("followUp", followUp),
      close: traced("close", close),
      reopen: traced("reopen", reopen),
      merge: traced("merge", merge),
      escalateOverdue: traced("escalateOverdue", (actor, input: typeof SweepInput.Encoded | undefined) =>
        sweep(actor, input, "escalation")
      ),
      remindApproaching: traced("remindApproaching", (actor, input: typeof SweepInput.Encoded | undefined) =>
        sweep(actor, input, "reminder")
      ),
      get: traced("get", get),
      list: traced("list", list),
      revealContact: traced("revealContact", revealContact)
    } satisfies OpinionService
  })

/**
 * The service as a layer, over the ports in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Opinion, InvalidConfiguration, Requirements> =>
  Layer.effect(Opinion, make(options))
