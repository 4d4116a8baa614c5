import { createHash } from "node:crypto"
import * as Actor from "@gongzhi/core/Actor"
import type * as Authorization from "@gongzhi/core/Authorization"
import * as Command from "@gongzhi/core/Command"
import * as Mask from "@gongzhi/core/Mask"
import * as MobileNumber from "@gongzhi/core/MobileNumber"
import * as Region from "@gongzhi/core/Region"
import type { DuplicateKey } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either, Option } from "effect"
import * as Deadline from "../../Deadline.js"
import * as Inputs from "../../OpinionInputs.js"
import { permissions } from "../../Permissions.js"
import * as Report from "../../Report.js"
import * as Routing from "../../Routing.js"
import * as Taxonomy from "../../Taxonomy.js"
import { newReportId, type ReportFields, schedule } from "../workflowSchedule.js"
import { audit, CONTACT_CONTEXT, type Deps, emit, inDistrict } from "./context.js"
import type * as Views from "./views.js"

const COMMAND = "受理"

/**
 * The stored form of a caller's idempotency key: scoped to the district, the submitting actor and the channel (a
 * digest, so that the stored key has a fixed length and the same key from someone else never matches).
 */
export const scopedKey = (tenantId: TenantId, actor: Actor.Actor, channel: string, key: string): string =>
  `k1:${createHash("sha256")
    .update([tenantId, Actor.kind(actor), Actor.id(actor), channel, key].join("\u0000"))
    .digest("hex")}`

/**
 * Who the reporter of a new report is. A resident reports in their own name. A volunteer files in their own name
 * or anonymously (a resident who does not want to be named, reachable through the contact phone) and never names
 * someone else: naming a resident's account would put words in their mouth and the report in their list. Staff
 * and service accounts record whoever they took the concern from (default anonymous). The filer is recorded in the
 * report's history either way.
 */
const resolveReporter = (
  actor: Actor.Actor,
  given: Report.Reporter | undefined,
  problems: Array<Command.Problem>
): Report.Reporter => {
  switch (actor._tag) {
    case "Resident":
      if (given !== undefined && !(given._tag === "Resident" && given.userId === actor.userId)) {
        problems.push({ path: "reporter", message: "居民只能以本人名义反映诉求" })
      }
      return { _tag: "Resident", userId: actor.userId }
    case "Volunteer":
      if (given === undefined || given._tag === "Anonymous") {
        return given ?? { _tag: "Volunteer", volunteerId: actor.volunteerId }
      }
      if (!(given._tag === "Volunteer" && given.volunteerId === actor.volunteerId)) {
        problems.push({
          path: "reporter",
          message: "志愿者只能以本人名义或匿名代为反映诉求，不能以他人名义登记"
        })
      }
      return { _tag: "Volunteer", volunteerId: actor.volunteerId }
    default:
      return given ?? { _tag: "Anonymous" }
  }
}

export const make = (deps: Deps, views: ReturnType<typeof Views.make>) => {
  const { calendar, cipher, repo, settings } = deps
  const { deadlines, routing, taxonomy, workflow } = settings

  /** Problems of a decoded submission against the district's data, and its community. */
  const check = (input: typeof Inputs.SubmitInput.Type, problems: Array<Command.Problem>) => {
    if (Taxonomy.findCategory(taxonomy, input.category) === undefined) {
      problems.push({ path: "category", message: `分类 ${input.category} 不在本区诉求分类中` })
    }
    if (Taxonomy.findKind(taxonomy, input.kind) === undefined) {
      problems.push({ path: "kind", message: `诉求类型 ${input.kind} 不在本区诉求类型中` })
    }
    if (Taxonomy.findChannel(taxonomy, input.channel) === undefined) {
      problems.push({ path: "channel", message: `受理渠道 ${input.channel} 不在本区受理渠道中` })
    }
    const community = Option.getOrUndefined(Region.findByCode(settings.regions, input.location.communityCode))
    if (community === undefined || community.level !== "community") {
      problems.push({
        path: "location.communityCode",
        message: `社区 ${input.location.communityCode} 不是本区的社区`
      })
    }
    const grid = input.location.gridCode
    if (grid !== undefined) {
      const knownGrids = Region.children(settings.regions, input.location.communityCode).filter(
        (r) => r.level === "grid"
      )
      const fits =
        grid.startsWith(input.location.communityCode) &&
        grid.length > input.location.communityCode.length &&
        (knownGrids.length === 0 || knownGrids.some((r) => r.code === grid))
      if (!fits) {
        problems.push({
          path: "location.gridCode",
          message: `网格 ${grid} 不在社区 ${input.location.communityCode} 之内`
        })
      }
    }
    return community
  }

  /** Validates, authorizes, looks up a retry and seals the contact: everything before the transaction. */
  const prepare = (actor: Actor.Actor, input: typeof Inputs.SubmitInput.Type, ctx: Command.QueryContext) =>
    Effect.gen(function* () {
      const tenantId = input.tenantId
      yield* inDistrict(deps, ctx, tenantId)
      const problems: Array<Command.Problem> = []
      // phone: validated apart from the schema so that no message ever repeats the number
      let phone: MobileNumber.MobileNumber | undefined
      if (input.contactPhone !== undefined) {
        const checked = yield* Effect.either(MobileNumber.validate(input.contactPhone))
        if (Either.isLeft(checked)) {
          problems.push({ path: "contactPhone", message: "联系电话不是有效的手机号码" })
        } else phone = checked.right
      }
      const community = check(input, problems)
      const reporter = resolveReporter(actor, input.reporter, problems)
      const at = ctx.now
      if (input.receivedAt !== undefined && input.receivedAt.getTime() > at.getTime()) {
        problems.push({ path: "receivedAt", message: "受理时间不能晚于当前时间" })
      }
      if (problems.length > 0) return yield* new Command.InvalidInput({ command: COMMAND, problems })

      const target: Authorization.Target = {
        tenantId,
        regionCode: input.location.gridCode ?? input.location.communityCode
      }
      yield* ctx.authorize(permissions.submit, target)
      const receivedAt = input.receivedAt ?? at
      if (receivedAt.getTime() !== at.getTime()) yield* ctx.authorize(permissions.backdate, target)

      // a retry: the caller gets what they may see of the first report, as `get` would show it
      const key =
        input.idempotencyKey === undefined ? undefined : scopedKey(tenantId, actor, input.channel, input.idempotencyKey)
      if (key !== undefined) {
        const existing = yield* repo.findByIdempotencyKey(tenantId, key)
        if (Option.isSome(existing)) return { _tag: "Replay", report: existing.value.value, key } as const
      }

      const deadline = yield* Deadline.handlingDeadline(deadlines, calendar, {
        kind: input.kind,
        urgency: input.urgency,
        category: input.category,
        receivedAt
      })
      const id = yield* newReportId(receivedAt, deadlines.utcOffsetMinutes)
      const context = [CONTACT_CONTEXT, tenantId]
      // the contact's ciphertext is bound to this report (FieldCipher gz2): copied to another, it does not decrypt
      const contact =
        phone === undefined
          ? undefined
          : new Report.Contact({
              phone: yield* cipher.encrypt(phone, { context, recordId: id }),
              phoneIndex: yield* cipher.blindIndex(phone, { kind: "phone", context }),
              phoneMasked: Mask.mobile(phone)
            })
      const location = new Report.Location({
        streetCode: community!.parentCode!,
        communityCode: input.location.communityCode,
        ...(input.location.gridCode === undefined ? {} : { gridCode: input.location.gridCode }),
        ...(input.location.address === undefined ? {} : { address: input.location.address }),
        ...(input.location.coordinates === undefined ? {} : { coordinates: input.location.coordinates })
      })
      const route = Routing.route(routing, {
        category: input.category,
        regionCode: location.gridCode ?? location.communityCode
      })
      const initial = workflow.initial
      const fields: ReportFields = {
        id,
        tenantId,
        status: initial.code,
        bucket: initial.bucket,
        reporter,
        ...(contact === undefined ? {} : { contact }),
        location,
        category: input.category,
        kind: input.kind,
        urgency: input.urgency,
        channel: input.channel,
        ...(input.title === undefined ? {} : { title: input.title }),
        content: input.content,
        attachments: input.attachments,
        ...(key === undefined ? {} : { idempotencyKey: key }),
        suggestedDepartment: route.department,
        receivedAt,
        updatedAt: at,
        deadline,
        reminders: [],
        escalations: [],
        extensions: [],
        internalNotes: [],
        replies: [],
        followUps: [],
        mergedIds: [],
        reopenCount: 0,
        history: [{ at, by: Report.actorRef(actor), command: "submit", to: initial.code }]
      }
      return { _tag: "New", report: schedule(workflow, deadlines, fields), key } as const
    })

  const submit = (actor: Actor.Actor, raw: Inputs.SubmitInput) =>
    Effect.gen(function* () {
      let retry: { readonly tenantId: TenantId; readonly key: string } | undefined
      const created = deps.commands.run({
        name: "submit",
        title: COMMAND,
        input: Inputs.SubmitInput,
        raw,
        actor,
        prepare: (input, ctx) => prepare(actor, input, ctx),
        body: (input, ctx, prepared) =>
          Effect.gen(function* () {
            if (prepared.key !== undefined) retry = { tenantId: input.tenantId, key: prepared.key }
            const report = prepared.report
            if (prepared._tag === "Replay") return report
            const tenantId = input.tenantId
            yield* repo.insert(tenantId, report)
            yield* emit(ctx, tenantId, [
              {
                _tag: "ReportReceived",
                reportId: report.id,
                category: report.category,
                kind: report.kind,
                urgency: report.urgency,
                channel: report.channel,
                streetCode: report.location.streetCode,
                communityCode: report.location.communityCode,
                receivedAt: report.receivedAt,
                dueDate: report.deadline.dueDate,
                suggestedDepartment: report.suggestedDepartment
              }
            ])
            yield* audit(ctx, tenantId, "submit", report.id, {
              channel: report.channel,
              category: report.category,
              kind: report.kind,
              urgency: report.urgency,
              communityCode: report.location.communityCode,
              dueDate: report.deadline.dueDate,
              hasContact: report.contact !== undefined,
              reporter: report.reporter._tag
            })
            return report
          })
      })
      // a concurrent retry with the same key won the race: return its report (after our rollback)
      const stored = yield* Effect.catchIf(
        created,
        (error): error is DuplicateKey =>
          error._tag === "DuplicateKey" && error.key === "idempotency_key" && retry !== undefined,
        (error) =>
          Effect.flatMap(repo.findByIdempotencyKey(retry!.tenantId, retry!.key), (existing) =>
            Option.isSome(existing) ? Effect.succeed(existing.value.value) : Effect.fail(error)
          )
      )
      return yield* views.viewOf(actor, stored)
    })

  return { submit }
}
