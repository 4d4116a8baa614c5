import type * as Actor from "@gongzhi/core/Actor"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either, Schema } from "effect"
import * as Inputs from "../../OpinionInputs.js"
import { permissions } from "../../Permissions.js"
import * as Report from "../../Report.js"
import * as Workflow from "../../Workflow.js"
import { fieldsOf, schedule, scopeFilter } from "../workflowSchedule.js"
import { audit, type Deps, departmentOf, emit, inDistrict, load } from "./context.js"

/** The result of a deadline sweep: the reports that got a notice. */
export interface SweepResult {
  readonly asOf: Date
  readonly reportIds: ReadonlyArray<Report.ReportId>
}

export const make = (deps: Deps) => {
  const { repo, settings } = deps
  const { deadlines, workflow } = settings
  const NoticeInput = Schema.Struct({ tenantId: TenantId, reportId: Report.ReportId })

  /** One report's notice, re-read in its own transaction (another sweep may have handled it meanwhile). */
  const notice = (
    actor: Actor.Actor,
    tenantId: TenantId,
    reportId: Report.ReportId,
    asOf: Date,
    kind: "escalation" | "reminder"
  ) =>
    deps.commands.run({
      name: kind === "escalation" ? "escalate" : "remind",
      title: kind === "escalation" ? "超期督办" : "临期提醒",
      input: NoticeInput,
      raw: { tenantId, reportId },
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          const current = yield* load(deps, input.tenantId, input.reportId)
          const report = current.value
          const when = kind === "escalation" ? report.nextEscalationAt : report.nextReminderAt
          if (when === undefined || when.getTime() > asOf.getTime()) return false
          const clock = Workflow.clockOf(workflow, report.status)
          const dueDate = clock === "follow-up" ? report.followUpDue : report.deadline.dueDate
          if (dueDate === undefined) return false
          const at = ctx.now
          const fields = fieldsOf(report)
          const level = report.escalations.length + 1
          if (kind === "escalation") {
            fields.escalations = [...fields.escalations, { at, clock, dueDate, level }]
          } else fields.reminders = [...fields.reminders, { at, clock, dueDate }]
          fields.updatedAt = at
          const next = schedule(workflow, deadlines, fields)
          yield* repo.update(input.tenantId, next, current.version)
          const common = {
            reportId: report.id,
            status: report.status,
            clock,
            dueDate,
            streetCode: report.location.streetCode,
            ...departmentOf(report)
          }
          yield* emit(ctx, input.tenantId, [
            kind === "escalation"
              ? { _tag: "ReportOverdue", ...common, level }
              : { _tag: "DeadlineApproaching", ...common }
          ])
          yield* audit(ctx, input.tenantId, kind === "escalation" ? "escalate" : "remind", report.id, {
            clock,
            dueDate,
            ...(kind === "escalation" ? { level } : {})
          })
          return true
        })
    })

  const sweep = (actor: Actor.Actor, raw: typeof Inputs.SweepInput.Encoded, kind: "escalation" | "reminder") =>
    deps.commands.query({
      name: kind === "escalation" ? "escalateOverdue" : "remindApproaching",
      title: "时限检查",
      input: Inputs.SweepInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          const tenantId = input.tenantId
          yield* inDistrict(deps, ctx, tenantId)
          const regionCode = actor.scope.regionCode
          yield* ctx.authorize(permissions.escalate, { tenantId, ...(regionCode.length > 6 ? { regionCode } : {}) })
          if (input.asOf !== undefined && input.asOf.getTime() > ctx.now.getTime()) {
            return yield* ctx.invalid("检查时间不能晚于当前时间", "asOf")
          }
          const asOf = input.asOf ?? ctx.now
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
    })

  return {
    escalateOverdue: (actor: Actor.Actor, input: typeof Inputs.SweepInput.Encoded) => sweep(actor, input, "escalation"),
    remindApproaching: (actor: Actor.Actor, input: typeof Inputs.SweepInput.Encoded) => sweep(actor, input, "reminder")
  }
}
