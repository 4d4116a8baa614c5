import type * as Actor from "@gongzhi/core/Actor"
import { Effect } from "effect"
import * as Deadline from "../../Deadline.js"
import * as Inputs from "../../OpinionInputs.js"
import * as Report from "../../Report.js"
import { type Deps, departmentOf, hasContact, transition } from "./context.js"

export const make = (deps: Deps) => {
  const { calendar, settings } = deps
  const { deadlines } = settings

  const followUp = (actor: Actor.Actor, raw: typeof Inputs.FollowUpInput.Encoded) =>
    transition(deps, {
      name: "followUp",
      title: "回访",
      input: Inputs.FollowUpInput,
      raw,
      actor,
      command: () => "followUp",
      note: (input) => input.comment,
      step: (input, report, fields, { now: at }) => {
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
      }
    })

  const reachable = (report: Report.Report) => report.reporter._tag !== "Anonymous" || hasContact(report)

  /** Why a report may not be closed as resolved yet (undefined: it may). */
  const closeRefusal = (report: Report.Report): string | undefined => {
    const lastReply = Report.latestReply(report)
    const lastFollowUp = report.followUps[report.followUps.length - 1]
    const followedUp =
      lastFollowUp !== undefined && (lastReply === undefined || lastFollowUp.at.getTime() >= lastReply.at.getTime())
    if (!followedUp) return reachable(report) ? "答复后须先回访，了解群众满意度" : undefined
    return Report.isResolved(settings.satisfaction, lastFollowUp.satisfaction)
      ? undefined
      : `回访结果为「${Report.satisfactionLabel(settings.satisfaction, lastFollowUp.satisfaction)}」，应重办或按未解决办结`
  }

  const close = (actor: Actor.Actor, raw: typeof Inputs.CloseInput.Encoded) =>
    transition(deps, {
      name: "close",
      title: "办结",
      input: Inputs.CloseInput,
      raw,
      actor,
      command: (input) => (input.unresolved ? "closeUnresolved" : "close"),
      note: (input) => input.note,
      guard: (input) => (input.unresolved ? undefined : closeRefusal),
      step: (_, report, fields, { now: at }) => {
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
      }
    })

  const reopen = (actor: Actor.Actor, raw: typeof Inputs.ReopenInput.Encoded) =>
    transition(deps, {
      name: "reopen",
      title: "重办",
      input: Inputs.ReopenInput,
      raw,
      actor,
      command: () => "reopen",
      note: (input) => input.reason,
      step: (input, report, fields, { now: at }) =>
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
    })

  return { followUp, close, reopen }
}
