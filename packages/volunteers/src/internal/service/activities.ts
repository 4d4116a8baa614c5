import type * as Actor from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either } from "effect"
import * as Activity from "../../Activity.js"
import * as ActorRef from "../../ActorRef.js"
import { Permission } from "../../Permissions.js"
import { InvalidTransition } from "../../VolunteerErrors.js"
import { newId } from "../ids.js"
import { addDays, chinaDate, chinaDayStart } from "../time.js"
import { authorizeAny, community, type Deps, emit, load, loadActiveTeam, selfTarget, teamTarget } from "./context.js"
import { fromEither, type make as makeShifts, type ShiftView, shiftTarget, viewOf } from "./shifts.js"

export type { ShiftView }

export const make = (deps: Deps, shifts: ReturnType<typeof makeShifts>) => {
  const { settings } = deps
  const { loadShift, saveShift } = shifts

  const createActivity = (actor: Actor.Actor, input: typeof Activity.CreateActivity.Encoded) =>
    deps.commands.run({
      name: "createActivity",
      title: "创建活动",
      input: Activity.CreateActivity,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const team = yield* loadActiveTeam(deps, i.tenantId, i.teamId)
          const place = yield* community(deps, i.communityCode)
          yield* ctx.authorize(Permission.activitiesManage, teamTarget(team.value))
          yield* ctx.authorize(Permission.activitiesManage, {
            tenantId: i.tenantId,
            regionCode: place.communityCode
          })
          const activity = new Activity.Activity({
            id: yield* newId,
            tenantId: i.tenantId,
            kind: i.kind,
            title: i.title,
            ...(i.description === undefined ? {} : { description: i.description }),
            teamId: team.value.id,
            streetCode: place.streetCode,
            communityCode: place.communityCode,
            status: "open",
            createdBy: ActorRef.fromActor(actor),
            createdAt: ctx.now
          })
          yield* deps.activities.insertActivity(activity)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "activity.create",
            targetType: "Activity",
            targetId: activity.id,
            details: {
              kind: activity.kind,
              teamId: activity.teamId,
              communityCode: activity.communityCode
            }
          })
          return activity
        })
    })

  const addShift = (actor: Actor.Actor, input: typeof Activity.AddShift.Encoded) =>
    deps.commands.run({
      name: "addShift",
      title: "添加班次",
      input: Activity.AddShift,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const activity = yield* load("Activity", i.activityId, deps.activities.getActivity(i.tenantId, i.activityId))
          const a = activity.value
          yield* ctx.authorize(Permission.activitiesManage, {
            tenantId: a.tenantId,
            regionCode: a.communityCode
          })
          if (a.status !== "open") {
            return yield* new InvalidTransition({
              entity: "Activity",
              id: a.id,
              state: a.status === "cancelled" ? "已取消" : "已结束",
              action: "添加班次"
            })
          }
          const at = ctx.now
          const shift = new Activity.Shift({
            id: yield* newId,
            tenantId: a.tenantId,
            activityId: a.id,
            activityKind: a.kind,
            title: a.title,
            teamId: a.teamId,
            streetCode: a.streetCode,
            communityCode: a.communityCode,
            startsAt: i.startsAt,
            endsAt: i.endsAt,
            capacity: i.capacity,
            status: "open",
            nextSeq: 0,
            participants: [],
            codes: [],
            createdAt: at
          })
          yield* deps.activities.insertShift(shift)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "shift.add",
            targetType: "Shift",
            targetId: shift.id,
            details: {
              activityId: a.id,
              capacity: shift.capacity
            }
          })
          return viewOf(shift, true)
        })
    })

  const cancelShift = (actor: Actor.Actor, input: typeof Activity.CancelShift.Encoded) =>
    deps.commands.run({
      name: "cancelShift",
      title: "取消班次",
      input: Activity.CancelShift,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* ctx.authorize(Permission.activitiesManage, shiftTarget(current.value))
          const { affected, shift } = yield* fromEither(Activity.cancel(current.value, i.reason, ctx.now))
          yield* saveShift(current, shift, "all")
          yield* emit(ctx, i.tenantId, [
            {
              _tag: "ShiftCancelled",
              shiftId: shift.id,
              activityId: shift.activityId,
              title: shift.title,
              startsAt: shift.startsAt,
              reason: i.reason,
              volunteerIds: affected
            }
          ])
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "shift.cancel",
            targetType: "Shift",
            targetId: shift.id,
            details: {
              reason: i.reason,
              affected: affected.length
            }
          })
          return viewOf(shift, true)
        })
    })

  const getShift = (actor: Actor.Actor, input: typeof Activity.ShiftRef.Encoded) =>
    deps.commands.query({
      name: "getShift",
      title: "查看班次",
      input: Activity.ShiftRef,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          const staff = yield* Effect.either(
            authorizeAny(deps, actor, [Permission.attendanceManage, Permission.read], shiftTarget(current.value))
          )
          if (Either.isRight(staff)) return viewOf(current.value, true)
          yield* ctx.authorize(Permission.selfRead, selfTarget(actor, i.tenantId))
          return viewOf(current.value, false)
        })
    })

  const browse = (actor: Actor.Actor, tenantId: TenantId) =>
    authorizeAny(
      deps,
      actor,
      [Permission.read, Permission.attendanceManage, Permission.activitiesManage, Permission.selfRead],
      selfTarget(actor, tenantId)
    )

  /** The roster only for those who manage attendance or read records in the shift's region. */
  const seesRoster = (actor: Actor.Actor, shift: Activity.Shift) =>
    [Permission.attendanceManage, Permission.read].some((permission) =>
      Either.isRight(Authorization.check(deps.authorization.table, actor, permission, shiftTarget(shift)))
    )

  const listActivities = (actor: Actor.Actor, input: typeof Activity.ListActivities.Encoded) =>
    deps.commands.query({
      name: "listActivities",
      title: "活动列表",
      input: Activity.ListActivities,
      raw: input,
      actor,
      body: (i) =>
        Effect.gen(function* () {
          yield* browse(actor, i.tenantId)
          const page = yield* deps.activities.pageActivities(i.tenantId, {
            filter: { teamId: i.teamId, communityCode: i.communityCode, kind: i.kind },
            limit: i.limit,
            cursor: i.cursor
          })
          return { items: page.items.map((row) => row.value), nextCursor: page.nextCursor }
        })
    })

  const listShifts = (actor: Actor.Actor, input: typeof Activity.ListShifts.Encoded) =>
    deps.commands.query({
      name: "listShifts",
      title: "班次列表",
      input: Activity.ListShifts,
      raw: input,
      actor,
      body: (i) =>
        Effect.gen(function* () {
          yield* browse(actor, i.tenantId)
          const rows = yield* deps.activities.findShifts(
            i.tenantId,
            { activityId: i.activityId, teamId: i.teamId, status: i.status, startsFrom: i.from, startsBefore: i.to },
            i.limit
          )
          return rows.map((row) => viewOf(row.value, seesRoster(actor, row.value)))
        })
    })

  const remindShifts = (actor: Actor.Actor, input: typeof Activity.RemindShifts.Encoded) =>
    deps.commands.query({
      name: "remindShifts",
      title: "班次提醒",
      input: Activity.RemindShifts,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.remindersRun, { tenantId: i.tenantId })
          const candidates = yield* deps.activities.findShifts(i.tenantId, {
            status: "open",
            reminded: false,
            startsFrom: new Date(chinaDayStart(addDays(i.asOf, 1))),
            startsBefore: new Date(chinaDayStart(addDays(i.asOf, settings.reminderHorizonDays + 1)))
          })
          let shifts = 0
          let reminders = 0
          for (const candidate of candidates) {
            const shiftDay = chinaDate(candidate.value.startsAt.getTime())
            // the working day before the shift's day (前一个工作日): the latest working day on or before the eve
            const estimate = yield* deps.calendar
              .latestStart(addDays(shiftDay, -1), 1, { policy: "uncertain" })
              .pipe(Effect.orDie)
            const remindOn = estimate.value
            if (remindOn > i.asOf) continue
            const sent = yield* deps.commands.transact(
              Effect.gen(function* () {
                const current = yield* loadShift(i.tenantId, candidate.value.id)
                if (current.value.status !== "open" || current.value.remindedAt !== undefined) return 0
                const at = ctx.now
                const confirmed = current.value.participants.filter((p) => p.state === "confirmed")
                yield* emit(
                  deps.commands,
                  i.tenantId,
                  confirmed.map((p) => ({
                    _tag: "ShiftReminder" as const,
                    volunteerId: p.volunteerId,
                    shiftId: current.value.id,
                    activityId: current.value.activityId,
                    title: current.value.title,
                    communityCode: current.value.communityCode,
                    startsAt: current.value.startsAt,
                    endsAt: current.value.endsAt,
                    remindOn
                  }))
                )
                yield* deps.activities.updateShift(
                  new Activity.Shift({ ...current.value, remindedAt: at }),
                  current.version
                )
                yield* deps.commands.audit(actor, {
                  tenantId: i.tenantId,
                  action: "shift.remind",
                  targetType: "Shift",
                  targetId: current.value.id,
                  details: {
                    remindOn,
                    uncertain: estimate._tag === "Uncertain",
                    reminders: confirmed.length
                  }
                })
                return confirmed.length
              })
            )
            shifts++
            reminders += sent
          }
          return { shifts, reminders }
        })
    })

  return {
    createActivity,
    addShift,
    cancelShift,
    getShift,
    listActivities,
    listShifts,
    remindShifts
  }
}
