import type * as Actor from "@gongzhi/core/Actor"
import { Effect, Option } from "effect"
import { MergeRejected } from "../../OpinionErrors.js"
import type * as Events from "../../OpinionEvents.js"
import * as Inputs from "../../OpinionInputs.js"
import { permissions } from "../../Permissions.js"
import * as Report from "../../Report.js"
import * as Workflow from "../../Workflow.js"
import { fieldsOf, moveTo, schedule } from "../workflowSchedule.js"
import { audit, type Deps, emit, inDistrict, load, replyPublished, targetOf } from "./context.js"

export const make = (deps: Deps) => {
  const { repo, settings } = deps
  const { deadlines, workflow } = settings

  const merge = (actor: Actor.Actor, raw: typeof Inputs.MergeInput.Encoded) =>
    deps.commands.run({
      name: "merge",
      title: "合并",
      input: Inputs.MergeInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          const tenantId = input.tenantId
          yield* inDistrict(deps, ctx, tenantId)
          const primaryLoaded = yield* load(deps, tenantId, input.primaryId)
          const primary = primaryLoaded.value
          const mergePermission = workflow.transitionsOf("merge")[0]?.permission ?? permissions.merge
          yield* ctx.authorize(mergePermission, targetOf(primary))
          const reject = (reportId: string, reason: string) =>
            new MergeRejected({ primaryId: primary.id, reportId, reason })
          if (primary.mergedInto !== undefined) {
            return yield* reject(primary.id, `主诉求已合并到 ${primary.mergedInto}`)
          }
          const unique = [...new Set(input.duplicateIds)]
          const at = ctx.now
          const lastReply = Report.latestReply(primary)
          const events: Array<Events.OpinionEvent> = []
          for (const duplicateId of unique) {
            if (duplicateId === primary.id) return yield* reject(duplicateId, "不能合并到自身")
            const loaded = yield* load(deps, tenantId, duplicateId)
            const duplicate = loaded.value
            const found = workflow.transition("merge", duplicate.status)
            yield* ctx.authorize(
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
          yield* emit(ctx, tenantId, [{ _tag: "ReportsMerged", primaryId: primary.id, mergedIds: unique }, ...events])
          yield* audit(ctx, tenantId, "merge", primary.id, {
            mergedIds: unique,
            ...(input.note === undefined ? {} : { note: input.note })
          })
          return nextPrimary
        })
    })

  return { merge }
}
