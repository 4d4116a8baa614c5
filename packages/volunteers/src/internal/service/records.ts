import type * as Actor from "@gongzhi/core/Actor"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect } from "effect"
import * as ActorRef from "../../ActorRef.js"
import { Permission } from "../../Permissions.js"
import * as ServiceRecord from "../../ServiceRecord.js"
import * as StarLevel from "../../StarLevel.js"
import { HoursAccount, Volunteer, VolunteerRef } from "../../Volunteer.js"
import { InvalidTransition } from "../../VolunteerErrors.js"
import { newId } from "../ids.js"
import { chinaDate } from "../time.js"
import {
  authorizeFor,
  community,
  type Deps,
  emit,
  load,
  loadActiveTeam,
  loadTeam,
  loadVolunteer,
  teamTarget,
  volunteerTeam
} from "./context.js"
import type * as Volunteers from "./volunteers.js"

/** The hours of a volunteer, as shown to them and to staff. */
export interface HoursSummary {
  readonly volunteerId: string
  readonly approvedMinutes: number
  readonly approvedHours: number
  readonly trainingHours: number
  readonly starLevel: number
  readonly hoursToNextLevel: number | undefined
  readonly policy: StarLevel.StarPolicy
}

export const make = (deps: Deps, volunteers: ReturnType<typeof Volunteers.make>) => {
  const policyAt = (at: Date) => StarLevel.policyAt(deps.settings.starPolicies, chinaDate(at.getTime()))

  const recordService = (actor: Actor.Actor, input: typeof ServiceRecord.RecordService.Encoded) =>
    deps.commands.run({
      name: "recordService",
      title: "登记服务记录",
      input: ServiceRecord.RecordService,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const team = yield* loadActiveTeam(deps, i.tenantId, i.teamId)
          yield* ctx.authorize(Permission.recordsManage, teamTarget(team.value))
          const volunteer = yield* loadVolunteer(deps, i.tenantId, i.volunteerId)
          if (volunteer.value.status === "applied" || volunteer.value.status === "rejected") {
            return yield* new InvalidTransition({
              entity: "Volunteer",
              id: volunteer.value.id,
              state: volunteer.value.status === "applied" ? "待审核" : "未通过",
              action: "登记服务记录"
            })
          }
          const communityCode =
            i.communityCode ?? (team.value.kind === "community" ? team.value.regionCode : volunteer.value.homeCommunity)
          const place = yield* community(deps, communityCode)
          const at = ctx.now
          if (i.endedAt.getTime() > at.getTime()) return yield* ctx.invalid("结束时间不能晚于当前时间")
          const record = new ServiceRecord.ServiceRecord({
            id: yield* newId,
            tenantId: i.tenantId,
            volunteerId: i.volunteerId,
            teamId: team.value.id,
            streetCode: place.streetCode,
            communityCode: place.communityCode,
            kind: i.kind,
            source: "manual",
            ...(i.activityId === undefined ? {} : { activityId: i.activityId }),
            content: i.content,
            startedAt: i.startedAt,
            endedAt: i.endedAt,
            measuredMinutes: Math.floor((i.endedAt.getTime() - i.startedAt.getTime()) / 60_000),
            adjustments: [],
            status: "pending",
            recordedBy: ActorRef.fromActor(actor),
            recordedAt: at
          })
          yield* deps.records.insert(record)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "record.create",
            targetType: "ServiceRecord",
            targetId: record.id,
            details: {
              volunteerId: record.volunteerId,
              teamId: record.teamId,
              kind: record.kind,
              minutes: record.measuredMinutes
            }
          })
          return record
        })
    })

  const loadRecord = (tenantId: TenantId, recordId: string) =>
    load("ServiceRecord", recordId, deps.records.get(tenantId, recordId))

  const adjustRecord = (actor: Actor.Actor, input: typeof ServiceRecord.AdjustRecord.Encoded) =>
    deps.commands.run({
      name: "adjustRecord",
      title: "调整服务时长",
      input: ServiceRecord.AdjustRecord,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadRecord(i.tenantId, i.recordId)
          const team = yield* loadTeam(deps, i.tenantId, current.value.teamId)
          yield* ctx.authorize(Permission.recordsManage, teamTarget(team.value))
          const adjustment = new ServiceRecord.Adjustment({
            minutes: i.minutes,
            reason: i.reason,
            by: ActorRef.fromActor(actor),
            at: ctx.now
          })
          const { delta, record } = yield* ServiceRecord.adjust(current.value, adjustment)
          yield* deps.records.update(record, current.version)
          const events = yield* volunteers.applyHours(i.tenantId, record.volunteerId, delta, ctx.now)
          yield* emit(ctx, i.tenantId, events)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "record.adjust",
            targetType: "ServiceRecord",
            targetId: record.id,
            details: {
              minutes: i.minutes,
              reason: i.reason,
              status: record.status
            }
          })
          return record
        })
    })

  const decideRecord = (actor: Actor.Actor, input: typeof ServiceRecord.DecideRecord.Encoded) =>
    deps.commands.run({
      name: "decideRecord",
      title: "审核服务记录",
      input: ServiceRecord.DecideRecord,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadRecord(i.tenantId, i.recordId)
          const team = yield* loadTeam(deps, i.tenantId, current.value.teamId)
          yield* ctx.authorize(Permission.recordsApprove, teamTarget(team.value))
          const { delta, record } = yield* ServiceRecord.decide(current.value, {
            approve: i.decision === "approve",
            by: ActorRef.fromActor(actor),
            at: ctx.now,
            reason: i.reason
          })
          yield* deps.records.update(record, current.version)
          const events = yield* volunteers.applyHours(i.tenantId, record.volunteerId, delta, ctx.now)
          yield* emit(ctx, i.tenantId, events)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: `record.${i.decision}`,
            targetType: "ServiceRecord",
            targetId: record.id,
            details: {
              minutes: ServiceRecord.effectiveMinutes(record),
              ...(i.reason === undefined ? {} : { reason: i.reason })
            }
          })
          return record
        })
    })

  const addRecordEntry = (actor: Actor.Actor, input: typeof ServiceRecord.AddRecordEntry.Encoded) =>
    deps.commands.run({
      name: "addRecordEntry",
      title: "登记表彰、评价或投诉",
      input: ServiceRecord.AddRecordEntry,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const team = yield* loadActiveTeam(deps, i.tenantId, i.teamId)
          yield* ctx.authorize(Permission.recordsManage, teamTarget(team.value))
          yield* loadVolunteer(deps, i.tenantId, i.volunteerId)
          const entry = new ServiceRecord.RecordEntry({
            id: yield* newId,
            tenantId: i.tenantId,
            volunteerId: i.volunteerId,
            teamId: team.value.id,
            streetCode: (team.value.kind === "community"
              ? team.value.regionCode.slice(0, 9)
              : team.value.regionCode) as ServiceRecord.RecordEntry["streetCode"],
            kind: i.kind,
            title: i.title,
            content: i.content,
            occurredOn: i.occurredOn,
            ...(i.rating === undefined ? {} : { rating: i.rating }),
            ...(i.kind === "complaint" ? { complaintStatus: "open" as const } : {}),
            recordedBy: ActorRef.fromActor(actor),
            recordedAt: ctx.now
          })
          yield* deps.records.insertEntry(entry)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: `entry.${i.kind}`,
            targetType: "RecordEntry",
            targetId: entry.id,
            details: {
              volunteerId: entry.volunteerId,
              teamId: entry.teamId
            }
          })
          return entry
        })
    })

  const resolveComplaint = (actor: Actor.Actor, input: typeof ServiceRecord.ResolveComplaint.Encoded) =>
    deps.commands.run({
      name: "resolveComplaint",
      title: "处理投诉",
      input: ServiceRecord.ResolveComplaint,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* load("RecordEntry", i.entryId, deps.records.getEntry(i.tenantId, i.entryId))
          const team = yield* loadTeam(deps, i.tenantId, current.value.teamId)
          yield* ctx.authorize(Permission.recordsManage, teamTarget(team.value))
          if (current.value.kind !== "complaint" || current.value.complaintStatus !== "open") {
            return yield* new InvalidTransition({
              entity: "RecordEntry",
              id: i.entryId,
              state: current.value.kind !== "complaint" ? "不是投诉" : "已处理",
              action: "处理投诉"
            })
          }
          const next = new ServiceRecord.RecordEntry({
            ...current.value,
            complaintStatus: "resolved",
            resolution: i.resolution
          })
          yield* deps.records.updateEntry(next, current.version)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "entry.resolve",
            targetType: "RecordEntry",
            targetId: next.id
          })
          return next
        })
    })

  const listRecords = (actor: Actor.Actor, input: typeof ServiceRecord.ListRecords.Encoded) =>
    deps.commands.query({
      name: "listRecords",
      title: "服务记录查询",
      input: ServiceRecord.ListRecords,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const volunteerId =
            i.volunteerId ?? (actor._tag === "Volunteer" && i.teamId === undefined ? actor.volunteerId : undefined)
          if (i.teamId !== undefined) {
            const team = yield* loadTeam(deps, i.tenantId, i.teamId)
            if (volunteerId !== undefined) {
              yield* authorizeFor(deps, actor, teamTarget(team.value), Permission.read, {
                volunteerId,
                permission: Permission.selfRead
              })
            } else yield* ctx.authorize(Permission.read, teamTarget(team.value))
          } else if (volunteerId !== undefined) {
            const volunteer = yield* loadVolunteer(deps, i.tenantId, volunteerId)
            const team = yield* volunteerTeam(deps, volunteer.value)
            yield* authorizeFor(deps, actor, teamTarget(team.value), Permission.read, {
              volunteerId,
              permission: Permission.selfRead
            })
          } else {
            yield* ctx.authorize(Permission.read, { tenantId: i.tenantId })
          }
          const page = yield* deps.records.page(i.tenantId, {
            filter: { volunteerId, teamId: i.teamId, status: i.status },
            limit: i.limit,
            cursor: i.cursor
          })
          return { items: page.items.map((row) => row.value), nextCursor: page.nextCursor }
        })
    })

  const summary = (volunteer: Volunteer, policy: StarLevel.StarPolicy): HoursSummary => ({
    volunteerId: volunteer.id,
    approvedMinutes: volunteer.hours.approvedMinutes,
    approvedHours: StarLevel.minutesToHours(volunteer.hours.approvedMinutes),
    trainingHours: StarLevel.minutesToHours(volunteer.hours.trainingMinutes),
    starLevel: volunteer.hours.starLevel,
    hoursToNextLevel: StarLevel.hoursToNextLevel(policy, volunteer.hours.approvedMinutes),
    policy
  })

  const hoursOf = (actor: Actor.Actor, input: typeof VolunteerRef.Encoded) =>
    deps.commands.query({
      name: "hoursOf",
      title: "服务时长",
      input: VolunteerRef,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const volunteer = yield* loadVolunteer(deps, i.tenantId, i.volunteerId)
          const team = yield* volunteerTeam(deps, volunteer.value)
          yield* authorizeFor(deps, actor, teamTarget(team.value), Permission.read, {
            volunteerId: i.volunteerId,
            permission: Permission.selfRead
          })
          return summary(volunteer.value, policyAt(ctx.now))
        })
    })

  const recomputeHours = (actor: Actor.Actor, input: typeof VolunteerRef.Encoded) =>
    deps.commands.run({
      name: "recomputeHours",
      title: "重算服务时长",
      input: VolunteerRef,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.recordsApprove, { tenantId: i.tenantId })
          const current = yield* loadVolunteer(deps, i.tenantId, i.volunteerId)
          const records = yield* deps.records.findAll(i.tenantId, { volunteerId: i.volunteerId, status: "approved" })
          const policy = policyAt(ctx.now)
          const approvedMinutes = ServiceRecord.approvedServiceMinutes(records)
          const trainingMinutes = ServiceRecord.approvedTrainingMinutes(records)
          const level = StarLevel.levelFor(policy, approvedMinutes)
          const unchanged =
            approvedMinutes === current.value.hours.approvedMinutes &&
            trainingMinutes === current.value.hours.trainingMinutes &&
            level === current.value.hours.starLevel
          if (unchanged) return summary(current.value, policy)
          const next = new Volunteer({
            ...current.value,
            hours: new HoursAccount({
              approvedMinutes,
              trainingMinutes,
              starLevel: level,
              ...(current.value.hours.levelReachedAt === undefined
                ? {}
                : { levelReachedAt: current.value.hours.levelReachedAt })
            }),
            updatedAt: ctx.now
          })
          yield* deps.volunteers.update(next, current.version)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "volunteer.recomputeHours",
            targetType: "Volunteer",
            targetId: next.id,
            details: {
              before: current.value.hours.approvedMinutes,
              after: approvedMinutes
            }
          })
          return summary(next, policy)
        })
    })

  return {
    recordService,
    adjustRecord,
    decideRecord,
    addRecordEntry,
    resolveComplaint,
    listRecords,
    hoursOf,
    recomputeHours
  }
}
