import type * as Actor from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import type { Calendar } from "@gongzhi/core/Calendar"
import type * as Command from "@gongzhi/core/Command"
import type { FieldCipherShape } from "@gongzhi/core/FieldCipher"
import type * as Region from "@gongzhi/core/Region"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, type Schema } from "effect"
import type * as Deadline from "../../Deadline.js"
import { type CommandError, NotAssigned, ReportNotFound } from "../../OpinionErrors.js"
import * as Events from "../../OpinionEvents.js"
import { permissions } from "../../Permissions.js"
import * as Report from "../../Report.js"
import type { ReportRepoShape } from "../../ReportRepo.js"
import * as Routing from "../../Routing.js"
import type * as Taxonomy from "../../Taxonomy.js"
import * as Workflow from "../../Workflow.js"
import { fieldsOf, moveTo, type ReportFields, schedule } from "../workflowSchedule.js"

/** The settings of the service (see `Opinions.OpinionsConfig`). */
export interface Settings {
  /** The district the service serves: the root of its region tree. */
  readonly tenantId: TenantId
  readonly regions: Region.RegionTree
  readonly routing: Routing.RoutingTable
  readonly taxonomy: Taxonomy.Taxonomy
  readonly workflow: Workflow.Workflow
  readonly deadlines: Deadline.Policy
  readonly satisfaction: ReadonlyArray<Report.SatisfactionLevel>
  /** How many times a command is retried after an optimistic-concurrency conflict. */
  readonly conflictRetries: number
}

/** Everything a command needs, resolved once when the service is built. */
export interface Deps {
  readonly repo: ReportRepoShape
  /** The command runner (decode, tenant check, transaction with conflict retry, outbox, audit, span). */
  readonly commands: Command.Runner
  readonly authorization: Authorization.Authorization["Type"]
  readonly calendar: Calendar
  readonly cipher: FieldCipherShape
  readonly settings: Settings
}

/** The encryption context of the reporter's phone number. */
export const CONTACT_CONTEXT = "opinion.reports.contact_phone"

/** The input names the district the service serves (the actor's tenant is checked by the runner). */
export const inDistrict = (
  deps: Deps,
  ctx: Command.QueryContext,
  tenantId: TenantId
): Effect.Effect<void, Command.InvalidInput> =>
  tenantId === deps.settings.tenantId
    ? Effect.void
    : Effect.fail(
        ctx.invalid(`区县代码：本服务办理区县 ${deps.settings.tenantId} 的诉求，不是 ${tenantId}`, "tenantId")
      )

/** Loads a report of the district or fails with {@link ReportNotFound}. */
export const load = (deps: Deps, tenantId: TenantId, id: string) =>
  Effect.flatMap(
    deps.repo.get(tenantId, id),
    Option.match({
      onNone: () => Effect.fail(new ReportNotFound({ reportId: id })),
      onSome: Effect.succeed
    })
  )

/** The authorization target of a report: its district and its most specific region. */
export const targetOf = (report: Report.Report): Authorization.Target => ({
  tenantId: report.tenantId,
  regionCode: Report.regionOf(report)
})

/** Whether the actor's roles grant a permission (anywhere). */
export const grants = (deps: Deps, actor: Actor.Actor, permission: string): boolean =>
  Authorization.grants(deps.authorization.table, actor.roles, permission)

/** Whether the report is assigned to the actor's department. */
export const isAssignee = (actor: Actor.Actor, report: Report.Report): boolean =>
  report.department !== undefined && actor._tag === "Staff" && actor.department === report.department

/** Passes when the actor works for the assigned department or may act for any department. */
export const checkAssignee = (deps: Deps, actor: Actor.Actor, report: Report.Report, command: Workflow.Command) =>
  grants(deps, actor, permissions.anyDepartment) || isAssignee(actor, report)
    ? Effect.void
    : Effect.fail(
        new NotAssigned({
          reportId: report.id,
          command: Workflow.commandLabel(command),
          ...(report.department === undefined
            ? {}
            : { department: Routing.departmentName(deps.settings.routing, report.department) }),
          ...(actor._tag === "Staff" && actor.department !== undefined
            ? { actorDepartment: Routing.departmentName(deps.settings.routing, actor.department) }
            : {})
        })
      )

/** Appends an audit entry in the command's transaction (details never carry personal data). */
export const audit = (
  ctx: Command.CommandContext,
  tenantId: TenantId,
  action: string,
  targetId: string,
  details: Record<string, unknown>
) => ctx.audit({ tenantId, action, targetType: Events.aggregateType, targetId, details })

/** Appends events to the outbox in the command's transaction. */
export const emit = (ctx: Command.CommandContext, tenantId: TenantId, events: ReadonlyArray<Events.OpinionEvent>) =>
  ctx.emit(events.map((event) => Events.toOutbox(tenantId, event)))

/** Whether a report has a contact phone on file. */
export const hasContact = (report: Report.Report): boolean => report.contact !== undefined

/** The department of a report as event fields. */
export const departmentOf = (report: Report.Report) =>
  report.department === undefined ? {} : { department: report.department }

/** The "reply published" event for a report receiving a reply (its own, or its primary's after a merge). */
export const replyPublished = (
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

/** What a transition command changes. */
export interface Step {
  readonly fields: ReportFields
  readonly events: ReadonlyArray<Events.OpinionEvent>
  readonly details?: Record<string, unknown>
  /** Further writes in the same transaction (merged reports receiving a reply). */
  readonly also?: Effect.Effect<void, CommandError>
}

/** A workflow transition command. */
export interface TransitionSpec<A extends { readonly tenantId: TenantId; readonly reportId: Report.ReportId }, I> {
  /** The command's name in spans (`Opinions.<name>`). */
  readonly name: string
  /** The command as a clerk knows it (e.g. 派单). */
  readonly title: string
  readonly input: Schema.Schema<A, I, never>
  readonly raw: unknown
  readonly actor: Actor.Actor
  /** The workflow command the input asks for. */
  readonly command: (input: A) => Workflow.Command
  /** The note recorded in the history. */
  readonly note: (input: A) => string | undefined
  /** Checks of the input against the district's data, before anything is read. */
  readonly check?: (input: A, ctx: Command.QueryContext) => Effect.Effect<void, CommandError>
  /** Why the report may not take the transition now (undefined: it may). */
  readonly guard?: (input: A) => ((report: Report.Report) => string | undefined) | undefined
  readonly step: (
    input: A,
    report: Report.Report,
    fields: ReportFields,
    ctx: Command.CommandContext
  ) => Effect.Effect<Step, CommandError>
}

/**
 * A transition command: decode, load, authorize with the transition's permission, check the workflow (and the
 * assignee), apply `step`, reschedule the deadlines, store, emit, audit — in one transaction, retried on a
 * version conflict.
 */
export const transition = <A extends { readonly tenantId: TenantId; readonly reportId: Report.ReportId }, I>(
  deps: Deps,
  spec: TransitionSpec<A, I>
): Effect.Effect<Report.Report, CommandError> => {
  const { deadlines, workflow } = deps.settings
  const { actor } = spec
  return deps.commands.run({
    name: spec.name,
    title: spec.title,
    input: spec.input,
    raw: spec.raw,
    actor,
    body: (input, ctx) =>
      Effect.gen(function* () {
        yield* inDistrict(deps, ctx, input.tenantId)
        if (spec.check !== undefined) yield* spec.check(input, ctx)
        const command = spec.command(input)
        const note = spec.note(input)
        const current = yield* load(deps, input.tenantId, input.reportId)
        const report = current.value
        const found = workflow.transition(command, report.status)
        const permission = Option.match(found, {
          onSome: (t) => t.permission,
          onNone: () => workflow.transitionsOf(command)[0]?.permission ?? `opinion.reports.${command}`
        })
        yield* ctx.authorize(permission, targetOf(report))
        if (Option.isNone(found)) return yield* Workflow.notAllowed(workflow, report.id, report.status, command)
        if (found.value.assigneeOnly) yield* checkAssignee(deps, actor, report, command)
        const refused = spec.guard?.(input)?.(report)
        if (refused !== undefined) {
          return yield* Workflow.notAllowed(workflow, report.id, report.status, command, refused)
        }
        const moved = moveTo(workflow, fieldsOf(report), actor, ctx.now, command, found.value.to, note)
        const result = yield* spec.step(input, report, moved, ctx)
        const next = schedule(workflow, deadlines, result.fields)
        yield* deps.repo.update(input.tenantId, next, current.version)
        if (result.also !== undefined) yield* result.also
        yield* emit(ctx, input.tenantId, result.events)
        yield* audit(ctx, input.tenantId, command, report.id, {
          from: report.status,
          to: next.status,
          ...(note === undefined ? {} : { note }),
          ...result.details
        })
        return next
      })
  })
}
