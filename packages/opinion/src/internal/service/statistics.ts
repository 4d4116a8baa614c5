import type * as Actor from "@gongzhi/core/Actor"
import type * as Authorization from "@gongzhi/core/Authorization"
import { Effect, Either } from "effect"
import * as Inputs from "../../OpinionInputs.js"
import { permissions } from "../../Permissions.js"
import type * as ReportRepo from "../../ReportRepo.js"
import { scopeFilter } from "../workflowSchedule.js"
import { type Deps, grants, inDistrict } from "./context.js"

export const make = (deps: Deps) => {
  /**
   * 统计: the figures of the reports the actor may read — `read` within their scope (a street's staff their street
   * only), or `read-assigned` for their department's reports — computed by the store.
   */
  const statistics = (actor: Actor.Actor, raw: Inputs.StatisticsInput) =>
    deps.commands.query({
      name: "statistics",
      title: "统计",
      input: Inputs.StatisticsInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          const tenantId = input.tenantId
          yield* inDistrict(deps, ctx, tenantId)
          const region = input.communityCode ?? input.streetCode
          let filter: ReportRepo.ReportFilter = {
            ...(input.streetCode === undefined ? {} : { streetCode: input.streetCode }),
            ...(input.communityCode === undefined ? {} : { communityCode: input.communityCode }),
            ...(input.department === undefined ? {} : { department: input.department }),
            ...(input.category === undefined ? {} : { category: input.category }),
            ...(input.kind === undefined ? {} : { kind: input.kind }),
            ...(input.channel === undefined ? {} : { channel: input.channel }),
            ...(input.urgency === undefined ? {} : { urgency: input.urgency }),
            ...(input.receivedFrom === undefined ? {} : { receivedFrom: input.receivedFrom }),
            ...(input.receivedBefore === undefined ? {} : { receivedBefore: input.receivedBefore }),
            // without a region asked for, the actor's own scope
            ...(region === undefined ? scopeFilter(actor.scope.regionCode) : {})
          }
          const target: Authorization.Target = { tenantId, regionCode: region ?? actor.scope.regionCode }
          const readAll = yield* Effect.either(deps.authorization.authorize(actor, permissions.read, target))
          if (Either.isLeft(readAll)) {
            // only the reports assigned to the actor's department
            const department = actor._tag === "Staff" ? actor.department : undefined
            if (
              !grants(deps, actor, permissions.readAssigned) ||
              department === undefined ||
              (input.department !== undefined && input.department !== department)
            ) {
              return yield* Effect.fail(readAll.left)
            }
            yield* deps.authorization.authorize(actor, permissions.readAssigned, target)
            filter = { ...filter, department }
          }
          return yield* deps.repo.statistics(tenantId, {
            filter,
            asOf: input.asOf ?? ctx.now,
            by: input.by,
            trend: input.trend === undefined ? undefined : { unit: input.trend }
          })
        })
    })

  return { statistics }
}
