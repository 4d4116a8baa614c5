import type * as Actor from "@gongzhi/core/Actor"
import type { VolunteerId } from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import type * as Repository from "@gongzhi/core/Repository"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either } from "effect"
import * as Activity from "../../Activity.js"
import * as ActorRef from "../../ActorRef.js"
import { Permission } from "../../Permissions.js"
import { ServiceRecord } from "../../ServiceRecord.js"
import { InvalidTransition, ShiftRefused } from "../../VolunteerErrors.js"
import { newId, oneTimeCode } from "../ids.js"
import { decode, invalid } from "../input.js"
import { addDays, chinaDate, chinaDayStart } from "../time.js"
import {
  audit,
  authorize,
  authorizeAny,
  authorizeFor,
  community,
  type Deps,
  emit,
  load,
  loadActiveTeam,
  loadVolunteer,
  now,
  selfTarget,
  span,
  teamTarget,
  transact,
  volunteerTeam
} from "./context.js"

/** What a shift looks like to a reader: the roster only for those who manage attendance. */
export interface ShiftView {
  readonly id: string
  readonly activityId: string
  readonly activityKind: Activity.ActivityKind
  readonly title: string
  readonly teamId: string
  readonly communityCode: string
  readonly startsAt: Date
  readonly endsAt: Date
  readonly capacity: number
  readonly status: Activity.Shift["status"]
  readonly confirmed: number
  readonly waitlisted: number
  readonly roster: ReadonlyArray<Activity.Participant> | undefined
}

const viewOf = (shift: Activity.Shift, withRoster: boolean): ShiftView => ({
  id: shift.id,
  activityId: shift.activityId,
  activityKind: shift.activityKind,
  title: shift.title,
  teamId: shift.teamId,
  communityCode: shift.communityCode,
  startsAt: shift.startsAt,
  endsAt: shift.endsAt,
  capacity: shift.capacity,
  status: shift.status,
  confirmed: Activity.occupied(shift),
  waitlisted: Activity.waitlist(shift).length,
  roster: withRoster ? shift.participants : undefined
})

const shiftTarget = (shift: Activity.Shift): Authorization.Target => ({
  tenantId: shift.tenantId,
  regionCode: shift.communityCode
})

const fromEither = <A, E>(either: Either.Either<A, E>): Effect.Effect<A, E> => either

export const make = (deps: Deps) => {
  const tx = transact(deps)
  const { settings } = deps

  const loadShift = (tenantId: TenantId, shiftId: string) =>
    load("Shift", shiftId, deps.activities.getShift(tenantId, shiftId))

  /** Saves a changed shift and the participation rows of the volunteers whose entry changed. */
  const saveShift = (
    before: Repository.Versioned<Activity.Shift>,
    after: Activity.Shift,
    volunteerIds: ReadonlyArray<string> | "all"
  ) =>
    Effect.gen(function* () {
      const saved = yield* deps.activities.updateShift(after, before.version)
      const rows = Activity.participationsOf(after).filter(
        (row) => volunteerIds === "all" || volunteerIds.includes(row.volunteerId)
      )
      yield* deps.activities.saveParticipations(after.tenantId, rows)
      return saved
    })

  const requireActiveVolunteer = (tenantId: TenantId, shiftId: string, volunteerId: string) =>
    Effect.flatMap(loadVolunteer(deps, tenantId, volunteerId), (volunteer) =>
      volunteer.value.status === "active"
        ? Effect.succeed(volunteer)
        : Effect.fail(new ShiftRefused({ shiftId, volunteerId, reason: "VolunteerNotActive" }))
    )

  /** The volunteer a shift command is about: given, or the acting volunteer. */
  const subject = (command: string, actor: Actor.Actor, volunteerId: VolunteerId | undefined) =>
    volunteerId !== undefined
      ? Effect.succeed(volunteerId)
      : actor._tag === "Volunteer"
        ? Effect.succeed(actor.volunteerId)
        : Effect.fail(invalid(command, "请指定志愿者编号（volunteerId）"))

  const createActivity = (actor: Actor.Actor, input: typeof Activity.CreateActivity.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("创建活动", Activity.CreateActivity)(input)
      const team = yield* loadActiveTeam(deps, i.tenantId, i.teamId)
      const place = yield* community(deps, i.communityCode)
      yield* authorize(deps, actor, Permission.activitiesManage, teamTarget(team.value))
      yield* authorize(deps, actor, Permission.activitiesManage, {
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
        createdAt: yield* now
      })
      return yield* tx(
        Effect.gen(function* () {
          yield* deps.activities.insertActivity(activity)
          yield* audit(deps, actor, i.tenantId, "activity.create", "Activity", activity.id, {
            kind: activity.kind,
            teamId: activity.teamId,
            communityCode: activity.communityCode
          })
          return activity
        })
      )
    }).pipe(span("createActivity", actor))

  const addShift = (actor: Actor.Actor, input: typeof Activity.AddShift.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("添加班次", Activity.AddShift)(input)
      return yield* tx(
        Effect.gen(function* () {
          const activity = yield* load("Activity", i.activityId, deps.activities.getActivity(i.tenantId, i.activityId))
          const a = activity.value
          yield* authorize(deps, actor, Permission.activitiesManage, {
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
          const at = yield* now
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
          yield* audit(deps, actor, i.tenantId, "shift.add", "Shift", shift.id, {
            activityId: a.id,
            capacity: shift.capacity
          })
          return viewOf(shift, true)
        })
      )
    }).pipe(span("addShift", actor))

  const cancelShift = (actor: Actor.Actor, input: typeof Activity.CancelShift.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("取消班次", Activity.CancelShift)(input)
      return yield* tx(
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* authorize(deps, actor, Permission.activitiesManage, shiftTarget(current.value))
          const { affected, shift } = yield* fromEither(Activity.cancel(current.value, i.reason, yield* now))
          yield* saveShift(current, shift, "all")
          yield* emit(deps, i.tenantId, [
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
          yield* audit(deps, actor, i.tenantId, "shift.cancel", "Shift", shift.id, {
            reason: i.reason,
            affected: affected.length
          })
          return viewOf(shift, true)
        })
      )
    }).pipe(span("cancelShift", actor))

  const signUp = (actor: Actor.Actor, input: typeof Activity.ShiftVolunteer.Encoded) =>
    Effect.gen(function* () {
      const command = "报名班次"
      const i = yield* decode(command, Activity.ShiftVolunteer)(input)
      const volunteerId = yield* subject(command, actor, i.volunteerId)
      return yield* tx(
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* authorizeFor(deps, actor, shiftTarget(current.value), Permission.attendanceManage, {
            volunteerId,
            permission: Permission.selfSignUp
          })
          yield* requireActiveVolunteer(i.tenantId, i.shiftId, volunteerId)
          const result = yield* fromEither(Activity.signUp(current.value, volunteerId, yield* now))
          yield* saveShift(current, result.shift, [volunteerId])
          yield* audit(deps, actor, i.tenantId, "shift.signUp", "Shift", i.shiftId, {
            volunteerId,
            outcome: result.outcome
          })
          return { outcome: result.outcome, position: result.position }
        })
      )
    }).pipe(span("signUp", actor))

  const cancelSignUp = (actor: Actor.Actor, input: typeof Activity.ShiftVolunteer.Encoded) =>
    Effect.gen(function* () {
      const command = "取消报名"
      const i = yield* decode(command, Activity.ShiftVolunteer)(input)
      const volunteerId = yield* subject(command, actor, i.volunteerId)
      return yield* tx(
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* authorizeFor(deps, actor, shiftTarget(current.value), Permission.attendanceManage, {
            volunteerId,
            permission: Permission.selfSignUp
          })
          const { promoted, shift } = yield* fromEither(Activity.cancelSignUp(current.value, volunteerId, yield* now))
          yield* saveShift(current, shift, promoted === undefined ? [volunteerId] : [volunteerId, promoted])
          if (promoted !== undefined) {
            yield* emit(deps, i.tenantId, [
              {
                _tag: "SignUpPromoted",
                volunteerId: promoted,
                shiftId: shift.id,
                activityId: shift.activityId,
                title: shift.title,
                communityCode: shift.communityCode,
                startsAt: shift.startsAt,
                endsAt: shift.endsAt
              }
            ])
          }
          yield* audit(deps, actor, i.tenantId, "shift.cancelSignUp", "Shift", i.shiftId, {
            volunteerId,
            ...(promoted === undefined ? {} : { promoted })
          })
          return { promoted }
        })
      )
    }).pipe(span("cancelSignUp", actor))

  const checkIn = (actor: Actor.Actor, input: typeof Activity.ShiftVolunteer.Encoded) =>
    Effect.gen(function* () {
      const command = "签到"
      const i = yield* decode(command, Activity.ShiftVolunteer)(input)
      if (i.volunteerId === undefined) return yield* invalid(command, "请指定志愿者编号（volunteerId）")
      const volunteerId = i.volunteerId
      return yield* tx(
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* authorize(deps, actor, Permission.attendanceManage, shiftTarget(current.value))
          yield* requireActiveVolunteer(i.tenantId, i.shiftId, volunteerId)
          const shift = yield* fromEither(
            Activity.checkIn(current.value, volunteerId, yield* now, {
              method: "staff",
              opensMinutesBefore: settings.checkInOpensMinutesBefore
            })
          )
          yield* saveShift(current, shift, [volunteerId])
          yield* audit(deps, actor, i.tenantId, "shift.checkIn", "Shift", i.shiftId, { volunteerId, method: "staff" })
          return viewOf(shift, true)
        })
      )
    }).pipe(span("checkIn", actor))

  const walkIn = (actor: Actor.Actor, input: typeof Activity.ShiftVolunteer.Encoded) =>
    Effect.gen(function* () {
      const command = "现场签到（未报名）"
      const i = yield* decode(command, Activity.ShiftVolunteer)(input)
      if (i.volunteerId === undefined) return yield* invalid(command, "请指定志愿者编号（volunteerId）")
      const volunteerId = i.volunteerId
      return yield* tx(
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* authorize(deps, actor, Permission.attendanceManage, shiftTarget(current.value))
          yield* requireActiveVolunteer(i.tenantId, i.shiftId, volunteerId)
          const shift = yield* fromEither(
            Activity.walkIn(current.value, volunteerId, yield* now, {
              opensMinutesBefore: settings.checkInOpensMinutesBefore
            })
          )
          yield* saveShift(current, shift, [volunteerId])
          yield* audit(deps, actor, i.tenantId, "shift.walkIn", "Shift", i.shiftId, { volunteerId })
          return viewOf(shift, true)
        })
      )
    }).pipe(span("walkIn", actor))

  const codeHash = (tenantId: TenantId, shiftId: string, purpose: string, code: string) =>
    deps.cipher.blindIndex(code, { kind: "exact", context: ["volunteers.check_code", tenantId, shiftId, purpose] })

  const issueCheckCode = (actor: Actor.Actor, input: typeof Activity.IssueCheckCode.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("生成签到码", Activity.IssueCheckCode)(input)
      const code = yield* oneTimeCode(settings.checkCodeDigits)
      const hash = yield* codeHash(i.tenantId, i.shiftId, i.purpose, code)
      return yield* tx(
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* authorize(deps, actor, Permission.attendanceManage, shiftTarget(current.value))
          if (current.value.status !== "open") {
            return yield* new InvalidTransition({
              entity: "Shift",
              id: i.shiftId,
              state: Activity.shiftStatusLabel(current.value.status),
              action: "生成签到码"
            })
          }
          const at = yield* now
          const expiresAt = new Date(at.getTime() + (i.ttlMinutes ?? settings.checkCodeTtlMinutes) * 60_000)
          const shift = Activity.addCode(
            current.value,
            new Activity.CheckCode({
              hash,
              purpose: i.purpose,
              ...(i.volunteerId === undefined ? {} : { volunteerId: i.volunteerId }),
              issuedAt: at,
              expiresAt
            }),
            at
          )
          yield* deps.activities.updateShift(shift, current.version)
          // the code itself is never stored or audited: only that one was issued
          yield* audit(deps, actor, i.tenantId, "shift.issueCode", "Shift", i.shiftId, {
            purpose: i.purpose,
            expiresAt: expiresAt.toISOString(),
            ...(i.volunteerId === undefined ? {} : { volunteerId: i.volunteerId })
          })
          return { code, purpose: i.purpose, expiresAt }
        })
      )
    }).pipe(span("issueCheckCode", actor))

  /** The service record a check-out creates: actual service time, pending the recording team's approval. */
  const recordAttendance = (actor: Actor.Actor, shift: Activity.Shift, participant: Activity.Participant, at: Date) =>
    Effect.gen(function* () {
      const startedAt = participant.checkedInAt ?? shift.startsAt
      const record = new ServiceRecord({
        id: yield* newId,
        tenantId: shift.tenantId,
        volunteerId: participant.volunteerId,
        teamId: shift.teamId,
        streetCode: shift.streetCode,
        communityCode: shift.communityCode,
        kind: shift.activityKind === "training" ? "training" : "service",
        source: "attendance",
        activityId: shift.activityId,
        shiftId: shift.id,
        content: `${Activity.kindLabel(shift.activityKind)}：${shift.title}`,
        startedAt,
        endedAt: participant.checkedOutAt ?? at,
        measuredMinutes: Activity.serviceMinutes(shift, participant, settings.clampToShift),
        adjustments: [],
        status: "pending",
        recordedBy: ActorRef.fromActor(actor),
        recordedAt: at
      })
      yield* deps.records.insert(record)
      return record
    })

  const checkOut = (actor: Actor.Actor, input: typeof Activity.ShiftVolunteer.Encoded) =>
    Effect.gen(function* () {
      const command = "签退"
      const i = yield* decode(command, Activity.ShiftVolunteer)(input)
      if (i.volunteerId === undefined) return yield* invalid(command, "请指定志愿者编号（volunteerId）")
      const volunteerId = i.volunteerId
      return yield* tx(
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* authorize(deps, actor, Permission.attendanceManage, shiftTarget(current.value))
          const at = yield* now
          const out = yield* fromEither(Activity.checkOut(current.value, volunteerId, at))
          yield* saveShift(current, out.shift, [volunteerId])
          const record = yield* recordAttendance(actor, out.shift, out.participant, at)
          yield* audit(deps, actor, i.tenantId, "shift.checkOut", "Shift", i.shiftId, {
            volunteerId,
            recordId: record.id,
            minutes: record.measuredMinutes
          })
          return record
        })
      )
    }).pipe(span("checkOut", actor))

  const withCode =
    (purpose: "check-in" | "check-out") => (actor: Actor.Actor, input: typeof Activity.RedeemCheckCode.Encoded) =>
      Effect.gen(function* () {
        const command = purpose === "check-in" ? "签到码签到" : "签到码签退"
        const i = yield* decode(command, Activity.RedeemCheckCode)(input)
        if (actor._tag !== "Volunteer") return yield* invalid(command, "签到码只能由志愿者本人使用")
        const volunteerId = actor.volunteerId
        yield* authorize(deps, actor, Permission.selfCheckIn, selfTarget(actor, i.tenantId))
        const hash = yield* codeHash(i.tenantId, i.shiftId, purpose, i.code)
        // a wrong code is counted (and audited) in its own transaction, since the redeeming one rolls back
        const countFailure = tx(
          Effect.gen(function* () {
            const current = yield* loadShift(i.tenantId, i.shiftId)
            const failed = Activity.recordCodeFailure(current.value, volunteerId, yield* now)
            yield* deps.activities.updateShift(failed, current.version)
            yield* audit(deps, actor, i.tenantId, "shift.codeFailure", "Shift", i.shiftId, {
              volunteerId,
              purpose,
              attempts: failed.codeFailures.filter((failure) => failure.volunteerId === volunteerId).length
            })
          })
        )
        return yield* tx(
          Effect.gen(function* () {
            const current = yield* loadShift(i.tenantId, i.shiftId)
            yield* requireActiveVolunteer(i.tenantId, i.shiftId, volunteerId)
            const at = yield* now
            const redeemed = yield* fromEither(Activity.redeemCode(current.value, hash, purpose, volunteerId, at))
            if (purpose === "check-in") {
              const shift = yield* fromEither(
                Activity.checkIn(redeemed, volunteerId, at, {
                  method: "code",
                  opensMinutesBefore: settings.checkInOpensMinutesBefore
                })
              )
              yield* saveShift(current, shift, [volunteerId])
              yield* audit(deps, actor, i.tenantId, "shift.checkIn", "Shift", i.shiftId, {
                volunteerId,
                method: "code"
              })
              return { shift: viewOf(shift, false), record: undefined }
            }
            const out = yield* fromEither(Activity.checkOut(redeemed, volunteerId, at))
            yield* saveShift(current, out.shift, [volunteerId])
            const record = yield* recordAttendance(actor, out.shift, out.participant, at)
            yield* audit(deps, actor, i.tenantId, "shift.checkOut", "Shift", i.shiftId, {
              volunteerId,
              method: "code",
              recordId: record.id,
              minutes: record.measuredMinutes
            })
            return { shift: viewOf(out.shift, false), record }
          })
        ).pipe(Effect.tapErrorTag("InvalidCheckCode", () => countFailure))
      }).pipe(span(purpose === "check-in" ? "checkInWithCode" : "checkOutWithCode", actor))

  const closeShift = (actor: Actor.Actor, input: typeof Activity.ShiftRef.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("结束班次", Activity.ShiftRef)(input)
      return yield* tx(
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* authorize(deps, actor, Permission.attendanceManage, shiftTarget(current.value))
          const closed = yield* fromEither(Activity.close(current.value, yield* now))
          yield* saveShift(current, closed.shift, "all")
          yield* audit(deps, actor, i.tenantId, "shift.close", "Shift", i.shiftId, {
            noShows: closed.noShows,
            noCheckout: closed.noCheckout
          })
          return { noShows: closed.noShows, noCheckout: closed.noCheckout }
        })
      )
    }).pipe(span("closeShift", actor))

  const getShift = (actor: Actor.Actor, input: typeof Activity.ShiftRef.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("查看班次", Activity.ShiftRef)(input)
      const current = yield* loadShift(i.tenantId, i.shiftId)
      const staff = yield* Effect.either(
        authorizeAny(deps, actor, [Permission.attendanceManage, Permission.read], shiftTarget(current.value))
      )
      if (Either.isRight(staff)) return viewOf(current.value, true)
      yield* authorize(deps, actor, Permission.selfRead, selfTarget(actor, i.tenantId))
      return viewOf(current.value, false)
    }).pipe(span("getShift", actor))

  const listSignUps = (actor: Actor.Actor, input: typeof Activity.ListSignUps.Encoded) =>
    Effect.gen(function* () {
      const command = "我的报名"
      const i = yield* decode(command, Activity.ListSignUps)(input)
      const volunteerId = yield* subject(command, actor, i.volunteerId)
      const volunteer = yield* loadVolunteer(deps, i.tenantId, volunteerId)
      const team = yield* volunteerTeam(deps, volunteer.value)
      yield* authorizeFor(deps, actor, teamTarget(team.value), Permission.read, {
        volunteerId,
        permission: Permission.selfRead
      })
      return yield* deps.activities.pageParticipations(i.tenantId, {
        filter: { volunteerId },
        limit: i.limit,
        cursor: i.cursor
      })
    }).pipe(span("listSignUps", actor))

  /** Anyone of the corps may browse activities and shifts (they hold no personal data but the roster). */
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
    Effect.gen(function* () {
      const i = yield* decode("活动列表", Activity.ListActivities)(input)
      yield* browse(actor, i.tenantId)
      const page = yield* deps.activities.pageActivities(i.tenantId, {
        filter: { teamId: i.teamId, communityCode: i.communityCode, kind: i.kind },
        limit: i.limit,
        cursor: i.cursor
      })
      return { items: page.items.map((row) => row.value), nextCursor: page.nextCursor }
    }).pipe(span("listActivities", actor))

  const listShifts = (actor: Actor.Actor, input: typeof Activity.ListShifts.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("班次列表", Activity.ListShifts)(input)
      yield* browse(actor, i.tenantId)
      const rows = yield* deps.activities.findShifts(
        i.tenantId,
        { activityId: i.activityId, teamId: i.teamId, status: i.status, startsFrom: i.from, startsBefore: i.to },
        i.limit
      )
      return rows.map((row) => viewOf(row.value, seesRoster(actor, row.value)))
    }).pipe(span("listShifts", actor))

  const remindShifts = (actor: Actor.Actor, input: typeof Activity.RemindShifts.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("班次提醒", Activity.RemindShifts)(input)
      yield* authorize(deps, actor, Permission.remindersRun, { tenantId: i.tenantId })
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
        const sent = yield* tx(
          Effect.gen(function* () {
            const current = yield* loadShift(i.tenantId, candidate.value.id)
            if (current.value.status !== "open" || current.value.remindedAt !== undefined) return 0
            const at = yield* now
            const confirmed = current.value.participants.filter((p) => p.state === "confirmed")
            yield* emit(
              deps,
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
            yield* audit(deps, actor, i.tenantId, "shift.remind", "Shift", current.value.id, {
              remindOn,
              uncertain: estimate._tag === "Uncertain",
              reminders: confirmed.length
            })
            return confirmed.length
          })
        )
        shifts++
        reminders += sent
      }
      return { shifts, reminders }
    }).pipe(span("remindShifts", actor))

  return {
    createActivity,
    addShift,
    cancelShift,
    signUp,
    cancelSignUp,
    checkIn,
    walkIn,
    issueCheckCode,
    checkInWithCode: withCode("check-in"),
    checkOutWithCode: withCode("check-out"),
    checkOut,
    closeShift,
    getShift,
    listSignUps,
    listActivities,
    listShifts,
    remindShifts
  }
}
