import * as Actor from "@gongzhi/core/Actor"
import type { AuditLogShape } from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import type { Calendar } from "@gongzhi/core/Calendar"
import type { FieldCipherShape } from "@gongzhi/core/FieldCipher"
import type { OutboxShape } from "@gongzhi/core/Outbox"
import type * as Region from "@gongzhi/core/Region"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { TransactorShape } from "@gongzhi/core/Transactor"
import { Clock, Effect, Option, type Schema } from "effect"
import type * as Deadline from "../../Deadline.js"
import { type CommandError, NotAssigned, ReportNotFound } from "../../OpinionErrors.js"
import * as Events from "../../OpinionEvents.js"
import { permissions } from "../../Permissions.js"
import * as Report from "../../Report.js"
import type { ReportRepoShape } from "../../ReportRepo.js"
import * as Routing from "../../Routing.js"
import type * as Taxonomy from "../../Taxonomy.js"
import * as Workflow from "../../Workflow.js"
import { decode, invalid } from "../input.js"
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
  readonly transactor: TransactorShape
  readonly outbox: OutboxShape
  readonly auditLog: AuditLogShape
  readonly authorization: Authorization.Authorization["Type"]
  readonly calendar: Calendar
  readonly cipher: FieldCipherShape
  readonly settings: Settings
}

/** The encryption context of the reporter's phone number. */
export const CONTACT_CONTEXT = "opinion.reports.contact_phone"

/** The current time from `Clock`. */
export const now: Effect.Effect<Date> = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

/**
 * Decodes a command's input and checks that it names the district the service serves (the actor's own tenant is
 * checked by `Authorization` on every target).
 */
export const decodeFor =
  <A extends { readonly tenantId: TenantId }, I>(deps: Deps, command: string, schema: Schema.Schema<A, I>) =>
  (input: unknown) =>
    Effect.flatMap(decode(command, schema)(input), (decoded) =>
      decoded.tenantId === deps.settings.tenantId
        ? Effect.succeed(decoded)
        : Effect.fail(
            invalid(command, `tenantId：本服务办理区县 ${deps.settings.tenantId} 的诉求，不是 ${decoded.tenantId}`)
          )
    )

/** Runs `body` in one transaction, retried (up to `conflictRetries` times) on an optimistic-concurrency conflict. */
export const transact =
  (deps: Deps) =>
  <A, E, R>(body: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    deps.transactor.withTransaction(body).pipe(
      Effect.retry({
        times: deps.settings.conflictRetries,
        while: (error) => (error as { readonly _tag?: unknown })?._tag === "VersionConflict"
      })
    ) as Effect.Effect<A, E, R>

/** The span of a command: `Opinions.<name>`. */
export const span =
  (name: string, actor: Actor.Actor, tenantId?: TenantId) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.withSpan(self, `Opinions.${name}`, {
      attributes: { "gongzhi.tenant": tenantId ?? actor.scope.tenantId, "gongzhi.actor": Actor.label(actor) }
    })

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

/** Appends an audit entry in the caller's transaction (details never carry personal data). */
export const audit = (
  deps: Deps,
  actor: Actor.Actor,
  tenantId: TenantId,
  action: string,
  targetId: string,
  details: Record<string, unknown>
) =>
  Effect.asVoid(
    deps.auditLog
      .append({
        tenantId,
        actorKind: Actor.kind(actor),
        actorId: Actor.id(actor),
        action: `opinion.reports.${action}`,
        targetType: Events.aggregateType,
        targetId,
        details
      })
      .pipe(Effect.catchTag("AuditInputError", (error) => Effect.die(error)))
  )

/** Appends events to the outbox in the caller's transaction. */
export const emit = (deps: Deps, tenantId: TenantId, events: ReadonlyArray<Events.OpinionEvent>) =>
  events.length === 0
    ? Effect.void
    : Effect.asVoid(
        deps.outbox
          .append(events.map((event) => Events.toOutbox(tenantId, event)))
          .pipe(Effect.catchTag("OutboxInputError", (error) => Effect.die(error)))
      )

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

/**
 * A transition command: load, authorize with the transition's permission, check the workflow (and the assignee),
 * apply `step`, reschedule the deadlines, store, emit, audit — in one transaction, retried on a version conflict.
 */
export const transition = (
  deps: Deps,
  actor: Actor.Actor,
  input: { readonly tenantId: TenantId; readonly reportId: Report.ReportId },
  command: Workflow.Command,
  note: string | undefined,
  step: (report: Report.Report, fields: ReportFields, at: Date) => Effect.Effect<Step, CommandError>,
  guard?: (report: Report.Report) => string | undefined
): Effect.Effect<Report.Report, CommandError> => {
  const { deadlines, workflow } = deps.settings
  return transact(deps)(
    Effect.gen(function* () {
      const current = yield* load(deps, input.tenantId, input.reportId)
      const report = current.value
      const found = workflow.transition(command, report.status)
      const permission = Option.match(found, {
        onSome: (t) => t.permission,
        onNone: () => workflow.transitionsOf(command)[0]?.permission ?? `opinion.reports.${command}`
      })
      yield* deps.authorization.authorize(actor, permission, targetOf(report))
      if (Option.isNone(found)) return yield* Workflow.notAllowed(workflow, report.id, report.status, command)
      if (found.value.assigneeOnly) yield* checkAssignee(deps, actor, report, command)
      const refused = guard?.(report)
      if (refused !== undefined) return yield* Workflow.notAllowed(workflow, report.id, report.status, command, refused)
      const at = yield* now
      const moved = moveTo(workflow, fieldsOf(report), actor, at, command, found.value.to, note)
      const result = yield* step(report, moved, at)
      const next = schedule(workflow, deadlines, result.fields)
      yield* deps.repo.update(input.tenantId, next, current.version)
      if (result.also !== undefined) yield* result.also
      yield* emit(deps, input.tenantId, result.events)
      yield* audit(deps, actor, input.tenantId, command, report.id, {
        from: report.status,
        to: next.status,
        ...(note === undefined ? {} : { note }),
        ...result.details
      })
      return next
    })
  )
}
