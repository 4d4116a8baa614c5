import type * as Actor from "@gongzhi/core/Actor"
import { Effect, Option } from "effect"
import * as Deadline from "../../Deadline.js"
import type * as Events from "../../OpinionEvents.js"
import * as Inputs from "../../OpinionInputs.js"
import { permissions } from "../../Permissions.js"
import * as Report from "../../Report.js"
import * as Routing from "../../Routing.js"
import { invalid } from "../input.js"
import { fieldsOf } from "../workflowSchedule.js"
import {
  audit,
  type Deps,
  decodeFor,
  departmentOf,
  emit,
  hasContact,
  load,
  now,
  replyPublished,
  span,
  targetOf,
  transact,
  transition
} from "./context.js"
import type * as Views from "./views.js"

export const make = (deps: Deps, views: ReturnType<typeof Views.make>) => {
  const { calendar, repo, settings } = deps
  const { deadlines, routing } = settings

  const decodeDispatch = decodeFor(deps, "派单", Inputs.DispatchInput)
  const dispatch = (actor: Actor.Actor, raw: typeof Inputs.DispatchInput.Encoded) =>
    Effect.flatMap(decodeDispatch(raw), (input) => {
      const department = input.department
      if (department !== undefined && !routing.departments.some((d) => d.code === department)) {
        return Effect.fail(invalid("派单", `department：承办单位 ${department} 不在本区承办单位中`))
      }
      return transition(deps, actor, input, "dispatch", input.note, (report, fields) => {
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
    }).pipe(span("dispatch", actor))

  const decodeAccept = decodeFor(deps, "签收", Inputs.NoteInput)
  const accept = (actor: Actor.Actor, raw: typeof Inputs.NoteInput.Encoded) =>
    Effect.flatMap(decodeAccept(raw), (input) =>
      transition(deps, actor, input, "accept", input.note, (report, fields) =>
        Effect.succeed({ fields, events: [{ _tag: "ReportAccepted", reportId: report.id, ...departmentOf(report) }] })
      )
    ).pipe(span("accept", actor))

  const decodeReturn = decodeFor(deps, "退单", Inputs.ReturnInput)
  const returnReport = (actor: Actor.Actor, raw: typeof Inputs.ReturnInput.Encoded) =>
    Effect.flatMap(decodeReturn(raw), (input) =>
      transition(deps, actor, input, "return", input.reason, (report, fields) => {
        delete fields.department
        return Effect.succeed({
          fields,
          events: [{ _tag: "ReportReturned", reportId: report.id, reason: input.reason, ...departmentOf(report) }]
        })
      })
    ).pipe(span("return", actor))

  const decodeStart = decodeFor(deps, "办理", Inputs.NoteInput)
  const startHandling = (actor: Actor.Actor, raw: typeof Inputs.NoteInput.Encoded) =>
    Effect.flatMap(decodeStart(raw), (input) =>
      transition(deps, actor, input, "startHandling", input.note, (report, fields) =>
        Effect.succeed({ fields, events: [{ _tag: "HandlingStarted", reportId: report.id, ...departmentOf(report) }] })
      )
    ).pipe(span("startHandling", actor))

  const decodeExtension = decodeFor(deps, "申请延期", Inputs.ExtensionInput)
  const requestExtension = (actor: Actor.Actor, raw: typeof Inputs.ExtensionInput.Encoded) =>
    Effect.flatMap(decodeExtension(raw), (input) =>
      transition(deps, actor, input, "requestExtension", input.reason, (report, fields, at) => {
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
    ).pipe(span("requestExtension", actor))

  const decodeDecide = decodeFor(deps, "延期审批", Inputs.DecideExtensionInput)
  const decideExtension = (actor: Actor.Actor, raw: typeof Inputs.DecideExtensionInput.Encoded) =>
    Effect.flatMap(decodeDecide(raw), (input) =>
      transition(
        deps,
        actor,
        input,
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
    ).pipe(span("decideExtension", actor))

  /** The reply reaches the reports merged into this one (in the same transaction). */
  const replyToMerged = (primary: Report.Report, reply: Report.Reply) =>
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
      return events
    })

  const decodeReply = decodeFor(deps, "答复", Inputs.TextInput)
  const reply = (actor: Actor.Actor, raw: typeof Inputs.TextInput.Encoded) =>
    Effect.flatMap(decodeReply(raw), (input) =>
      transition(deps, actor, input, "reply", undefined, (report, fields, at) =>
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
            also: Effect.flatMap(replyToMerged(report, published), (events) => emit(deps, input.tenantId, events))
          }
        })
      )
    ).pipe(span("reply", actor))

  const decodeNote = decodeFor(deps, "内部备注", Inputs.TextInput)
  const addInternalNote = (actor: Actor.Actor, raw: typeof Inputs.TextInput.Encoded) =>
    Effect.flatMap(decodeNote(raw), (input) =>
      transact(deps)(
        Effect.gen(function* () {
          const current = yield* load(deps, input.tenantId, input.reportId)
          const report = current.value
          yield* deps.authorization.authorize(actor, permissions.note, targetOf(report))
          yield* views.fullAccess(actor, report)
          const at = yield* now
          const fields = fieldsOf(report)
          fields.internalNotes = [...fields.internalNotes, { at, by: Report.actorRef(actor), text: input.text }]
          fields.updatedAt = at
          const next = new Report.Report(fields)
          yield* repo.update(input.tenantId, next, current.version)
          yield* audit(deps, actor, input.tenantId, "note", report.id, { notes: next.internalNotes.length })
          return next
        })
      )
    ).pipe(span("addInternalNote", actor))

  return {
    dispatch,
    accept,
    returnReport,
    startHandling,
    requestExtension,
    decideExtension,
    reply,
    addInternalNote
  }
}
