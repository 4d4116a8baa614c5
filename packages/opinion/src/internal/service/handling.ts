import type * as Actor from "@gongzhi/core/Actor"
import type * as Command from "@gongzhi/core/Command"
import { Effect, Option } from "effect"
import * as Deadline from "../../Deadline.js"
import type * as Events from "../../OpinionEvents.js"
import * as Inputs from "../../OpinionInputs.js"
import { permissions } from "../../Permissions.js"
import * as Report from "../../Report.js"
import * as Routing from "../../Routing.js"
import { fieldsOf } from "../workflowSchedule.js"
import {
  audit,
  type Deps,
  departmentOf,
  emit,
  hasContact,
  inDistrict,
  load,
  replyPublished,
  targetOf,
  transition
} from "./context.js"
import type * as Views from "./views.js"

export const make = (deps: Deps, views: ReturnType<typeof Views.make>) => {
  const { calendar, repo, settings } = deps
  const { deadlines, routing } = settings

  const dispatch = (actor: Actor.Actor, raw: typeof Inputs.DispatchInput.Encoded) =>
    transition(deps, {
      name: "dispatch",
      title: "派单",
      input: Inputs.DispatchInput,
      raw,
      actor,
      command: () => "dispatch",
      note: (input) => input.note,
      check: (input, ctx) =>
        input.department !== undefined && !routing.departments.some((d) => d.code === input.department)
          ? Effect.fail(ctx.invalid(`承办单位 ${input.department} 不在本区承办单位中`, "department"))
          : Effect.void,
      step: (input, report, fields) => {
        const chosen = input.department ?? report.suggestedDepartment
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
      }
    })

  const accept = (actor: Actor.Actor, raw: typeof Inputs.NoteInput.Encoded) =>
    transition(deps, {
      name: "accept",
      title: "签收",
      input: Inputs.NoteInput,
      raw,
      actor,
      command: () => "accept",
      note: (input) => input.note,
      step: (_, report, fields) =>
        Effect.succeed({ fields, events: [{ _tag: "ReportAccepted", reportId: report.id, ...departmentOf(report) }] })
    })

  const returnReport = (actor: Actor.Actor, raw: typeof Inputs.ReturnInput.Encoded) =>
    transition(deps, {
      name: "return",
      title: "退单",
      input: Inputs.ReturnInput,
      raw,
      actor,
      command: () => "return",
      note: (input) => input.reason,
      step: (input, report, fields) => {
        delete fields.department
        return Effect.succeed({
          fields,
          events: [{ _tag: "ReportReturned", reportId: report.id, reason: input.reason, ...departmentOf(report) }]
        })
      }
    })

  const startHandling = (actor: Actor.Actor, raw: typeof Inputs.NoteInput.Encoded) =>
    transition(deps, {
      name: "startHandling",
      title: "办理",
      input: Inputs.NoteInput,
      raw,
      actor,
      command: () => "startHandling",
      note: (input) => input.note,
      step: (_, report, fields) =>
        Effect.succeed({ fields, events: [{ _tag: "HandlingStarted", reportId: report.id, ...departmentOf(report) }] })
    })

  const requestExtension = (actor: Actor.Actor, raw: typeof Inputs.ExtensionInput.Encoded) =>
    transition(deps, {
      name: "requestExtension",
      title: "申请延期",
      input: Inputs.ExtensionInput,
      raw,
      actor,
      command: () => "requestExtension",
      note: (input) => input.reason,
      step: (input, report, fields, ctx) => {
        fields.extensions = [
          ...fields.extensions,
          {
            requestedAt: ctx.now,
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
      }
    })

  const decideExtension = (actor: Actor.Actor, raw: typeof Inputs.DecideExtensionInput.Encoded) =>
    transition(deps, {
      name: "decideExtension",
      title: "延期审批",
      input: Inputs.DecideExtensionInput,
      raw,
      actor,
      command: (input) => (input.approve ? "approveExtension" : "denyExtension"),
      note: (input) => input.note,
      step: (input, report, fields, ctx) =>
        Effect.gen(function* () {
          const at = ctx.now
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
    })

  /** The reply reaches the reports merged into this one (in the same transaction). */
  const replyToMerged = (primary: Report.Report, reply: Report.Reply, ctx: Command.CommandContext) =>
    Effect.gen(function* () {
      const events: Array<Events.OpinionEvent> = []
      for (const mergedId of primary.mergedIds) {
        const current = yield* repo.get(primary.tenantId, mergedId)
        if (Option.isNone(current)) continue
        const merged = current.value.value
        const inherited: Report.Reply = { ...reply, fromReportId: primary.id }
        const fields = fieldsOf(merged)
        fields.replies = [...fields.replies, inherited]
        fields.updatedAt = reply.at
        yield* repo.update(primary.tenantId, new Report.Report(fields), current.value.version)
        events.push(replyPublished(merged, reply, primary.id))
      }
      yield* emit(ctx, primary.tenantId, events)
    })

  const reply = (actor: Actor.Actor, raw: typeof Inputs.TextInput.Encoded) =>
    transition(deps, {
      name: "reply",
      title: "答复",
      input: Inputs.TextInput,
      raw,
      actor,
      command: () => "reply",
      note: () => undefined,
      step: (input, report, fields, ctx) =>
        Effect.gen(function* () {
          const published: Report.Reply = { at: ctx.now, by: Report.actorRef(actor), text: input.text }
          fields.replies = [...fields.replies, published]
          fields.repliedAt = ctx.now
          const due = yield* Deadline.followUpDue(deadlines, calendar, ctx.now)
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
            also: replyToMerged(report, published, ctx)
          }
        })
    })

  const addInternalNote = (actor: Actor.Actor, raw: typeof Inputs.TextInput.Encoded) =>
    deps.commands.run({
      name: "addInternalNote",
      title: "内部备注",
      input: Inputs.TextInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          yield* inDistrict(deps, ctx, input.tenantId)
          const current = yield* load(deps, input.tenantId, input.reportId)
          const report = current.value
          yield* ctx.authorize(permissions.note, targetOf(report))
          yield* views.fullAccess(actor, report)
          const fields = fieldsOf(report)
          fields.internalNotes = [
            ...fields.internalNotes,
            { at: ctx.now, by: Report.actorRef(actor), text: input.text }
          ]
          fields.updatedAt = ctx.now
          const next = new Report.Report(fields)
          yield* repo.update(input.tenantId, next, current.version)
          yield* audit(ctx, input.tenantId, "note", report.id, { notes: next.internalNotes.length })
          return next
        })
    })

  return { dispatch, accept, returnReport, startHandling, requestExtension, decideExtension, reply, addInternalNote }
}
