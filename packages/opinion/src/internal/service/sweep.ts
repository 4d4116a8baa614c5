import type * as Actor from "@gongzhi/core/Actor"
import { Effect, Either } from "effect"
import * as Inputs from "../../OpinionInputs.js"
import { permissions } from "../../Permissions.js"
import type * as Report from "../../Report.js"
import * as Workflow from "../../Workflow.js"
import { invalid } from "../input.js"
import { fieldsOf, schedule, scopeFilter } from "../workflowSchedule.js"
import { audit, type Deps, decodeFor, departmentOf, emit, load, now, span, transact } from "./context.js"

/** The result of a deadline sweep: the reports that got a notice. */
export interface SweepResult {
  readonly asOf: Date
  readonly reportIds: ReadonlyArray<Report.ReportId>
}

export const make = (deps: Deps) => {
  const { repo, settings } = deps
  const { deadlines, workflow } = settings
  const decodeSweep = decodeFor(deps, "时限检查", Inputs.SweepInput)

  /** One report's notice, re-read in its own transaction (another sweep may have handled it meanwhile). */
  const notice = (
    actor: Actor.Actor,
    tenantId: Report.Report["tenantId"],
    id: Report.ReportId,
    asOf: Date,
    kind: "escalation" | "reminder"
  ) =>
    transact(deps)(
      Effect.gen(function* () {
        const current = yield* load(deps, tenantId, id)
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
        yield* emit(deps, tenantId, [
          kind === "escalation"
            ? { _tag: "ReportOverdue", ...common, level }
            : { _tag: "DeadlineApproaching", ...common }
        ])
        yield* audit(deps, actor, tenantId, kind === "escalation" ? "escalate" : "remind", report.id, {
          clock,
          dueDate,
          ...(kind === "escalation" ? { level } : {})
        })
        return true
      })
    )

  const sweep = (actor: Actor.Actor, raw: typeof Inputs.SweepInput.Encoded, kind: "escalation" | "reminder") =>
    Effect.gen(function* () {
      const input = yield* decodeSweep(raw)
      const tenantId = input.tenantId
      const regionCode = actor.scope.regionCode
      yield* deps.authorization.authorize(actor, permissions.escalate, {
        tenantId,
        ...(regionCode.length > 6 ? { regionCode } : {})
      })
      const current = yield* now
      if (input.asOf !== undefined && input.asOf.getTime() > current.getTime()) {
        return yield* invalid("时限检查", "asOf：检查时间不能晚于当前时间")
      }
      const asOf = input.asOf ?? current
      const options = { limit: input.limit ?? 500, filter: scopeFilter(regionCode) }
      const due =
        kind === "escalation"
          ? yield* repo.findEscalationsDue(tenantId, asOf, options)
          : yield* repo.findRemindersDue(tenantId, asOf, options)
      const done: Array<Report.ReportId> = []
      for (const candidate of due) {
        const outcome = yield* Effect.either(notice(actor, tenantId, candidate.value.id, asOf, kind))
        // a report still changing concurrently after the retries is picked up by the next sweep
        if (Either.isLeft(outcome)) {
          if (outcome.left._tag === "VersionConflict") continue
          return yield* Effect.fail(outcome.left)
        }
        if (outcome.right) done.push(candidate.value.id)
      }
      return { asOf, reportIds: done } satisfies SweepResult
    })

  return {
    escalateOverdue: (actor: Actor.Actor, input: typeof Inputs.SweepInput.Encoded) =>
      sweep(actor, input, "escalation").pipe(span("escalateOverdue", actor)),
    remindApproaching: (actor: Actor.Actor, input: typeof Inputs.SweepInput.Encoded) =>
      sweep(actor, input, "reminder").pipe(span("remindApproaching", actor))
  }
}
