import * as Actor from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import type * as Command from "@gongzhi/core/Command"
import * as Page from "@gongzhi/core/Page"
import { Effect, Either, Option, type Redacted } from "effect"
import * as Inputs from "../../OpinionInputs.js"
import { permissions } from "../../Permissions.js"
import * as Report from "../../Report.js"
import type * as ReportRepo from "../../ReportRepo.js"
import { ownKey, scopeFilter } from "../workflowSchedule.js"
import { audit, CONTACT_CONTEXT, type Deps, grants, inDistrict, isAssignee, load, targetOf } from "./context.js"

/**
 * What a reader sees: staff with access see the whole report (`Full`: internal notes included, the phone number
 * only masked and encrypted); a reporter, or whoever filed it, sees the public view (`Public`).
 */
export type ReportView =
  | { readonly _tag: "Full"; readonly report: Report.Report }
  | { readonly _tag: "Public"; readonly report: Report.PublicReport }

/** Whether the actor filed the report (its intake). */
const isFiler = (actor: Actor.Actor, report: Report.Report): boolean => {
  const filer = Report.filerOf(report)
  return filer !== undefined && filer.kind === actor._tag && filer.id === Actor.id(actor)
}

export const make = (deps: Deps) => {
  const { workflow } = deps.settings

  /** Whether the actor may see a report with its internal notes: `read` in scope, or its department. */
  const fullAccess = (actor: Actor.Actor, report: Report.Report) =>
    Effect.catchTag(
      deps.authorization.authorize(actor, permissions.read, targetOf(report)),
      "Forbidden",
      (forbidden) =>
        grants(deps, actor, permissions.readAssigned) &&
        isAssignee(actor, report) &&
        Authorization.scopeContains(actor.scope, targetOf(report))
          ? Effect.void
          : Effect.fail(forbidden)
    )

  const publicView = (report: Report.Report): ReportView => ({
    _tag: "Public",
    report: Report.toPublic(report, workflow)
  })

  /**
   * The view of a report the actor may have: their own report (as reporter, with `read-own`) or one they filed,
   * in the public view, within their own district; otherwise the full report with `read` in scope or as the
   * assigned department; otherwise `Forbidden`.
   */
  const viewOf = (actor: Actor.Actor, report: Report.Report): Effect.Effect<ReportView, Authorization.Forbidden> => {
    const sameTenant = actor.scope.tenantId === report.tenantId
    const own = ownKey(actor)
    if (
      sameTenant &&
      own !== undefined &&
      own === Report.reporterKey(report.reporter) &&
      grants(deps, actor, permissions.readOwn)
    ) {
      return Effect.succeed(publicView(report))
    }
    return Effect.catchTag(
      Effect.as(fullAccess(actor, report), { _tag: "Full", report } as ReportView),
      "Forbidden",
      (forbidden) =>
        sameTenant && isFiler(actor, report) ? Effect.succeed(publicView(report)) : Effect.fail(forbidden)
    )
  }

  const get = (actor: Actor.Actor, raw: typeof Inputs.GetInput.Encoded) =>
    deps.commands.query({
      name: "get",
      title: "查看",
      input: Inputs.GetInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          yield* inDistrict(deps, ctx, input.tenantId)
          const current = yield* load(deps, input.tenantId, input.reportId)
          return yield* viewOf(actor, current.value)
        })
    })

  const list = (actor: Actor.Actor, raw: Inputs.ListInput) =>
    deps.commands.query({
      name: "list",
      title: "查询",
      input: Inputs.ListInput,
      raw,
      actor,
      body: (input, ctx) => listBody(actor, input, ctx)
    })

  const listBody = (actor: Actor.Actor, input: typeof Inputs.ListInput.Type, ctx: Command.QueryContext) =>
    Effect.gen(function* () {
      const tenantId = input.tenantId
      yield* inDistrict(deps, ctx, tenantId)
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
      if (input.mine || (own !== undefined && !grants(deps, actor, permissions.read))) {
        // a reporter's own reports (wherever they were filed: the check is on the reporter's own scope, so that a
        // volunteer scoped to their street lists theirs too)
        yield* deps.authorization.authorize(actor, permissions.readOwn, {
          tenantId,
          regionCode: actor.scope.regionCode
        })
        if (own === undefined) return Page.make<ReportView>([], undefined)
        const page = yield* deps.repo.page(tenantId, { ...query, reporterKey: own })
        return Page.make<ReportView>(
          page.items.map((item) => publicView(item.value)),
          page.nextCursor
        )
      }
      const region = input.communityCode ?? input.streetCode
      const target: Authorization.Target = { tenantId, ...(region === undefined ? {} : { regionCode: region }) }
      const scoped = region === undefined ? { ...target, regionCode: actor.scope.regionCode } : target
      const readAll = yield* Effect.either(deps.authorization.authorize(actor, permissions.read, scoped))
      let where: ReportRepo.ReportQuery = query
      if (Either.isRight(readAll)) {
        if (region === undefined) where = { ...where, ...scopeFilter(actor.scope.regionCode) }
      } else {
        // only the reports assigned to the actor's department
        const department = actor._tag === "Staff" ? actor.department : undefined
        if (
          !grants(deps, actor, permissions.readAssigned) ||
          department === undefined ||
          (input.department !== undefined && input.department !== department)
        ) {
          return yield* Effect.fail(readAll.left)
        }
        yield* deps.authorization.authorize(actor, permissions.readAssigned, scoped)
        where = { ...where, department, ...(region === undefined ? scopeFilter(actor.scope.regionCode) : {}) }
      }
      const page = yield* deps.repo.page(tenantId, where)
      return Page.make<ReportView>(
        page.items.map((item) => ({ _tag: "Full", report: item.value })),
        page.nextCursor
      )
    })

  const revealContact = (actor: Actor.Actor, raw: typeof Inputs.GetInput.Encoded) =>
    deps.commands.run({
      name: "revealContact",
      title: "查看联系电话",
      input: Inputs.GetInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          yield* inDistrict(deps, ctx, input.tenantId)
          const current = yield* load(deps, input.tenantId, input.reportId)
          const report = current.value
          yield* ctx.authorize(permissions.revealContact, targetOf(report))
          if (report.contact === undefined) return Option.none<Redacted.Redacted<string>>()
          const phone = yield* deps.cipher.decrypt(report.contact.phone, {
            context: [CONTACT_CONTEXT, input.tenantId],
            recordId: report.id
          })
          yield* audit(ctx, input.tenantId, "contact.reveal", report.id, {})
          return Option.some(phone)
        })
    })

  return { viewOf, fullAccess, get, list, revealContact }
}
