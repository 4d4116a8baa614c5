import type * as Actor from "@gongzhi/core/Actor"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect } from "effect"
import * as Activity from "../../Activity.js"
import * as ActorRef from "../../ActorRef.js"
import { Permission } from "../../Permissions.js"
import { ServiceRecord } from "../../ServiceRecord.js"
import { InvalidTransition } from "../../VolunteerErrors.js"
import { newId, oneTimeCode } from "../ids.js"
import { authorizeFor, type Deps, emit, loadVolunteer, now, selfTarget, teamTarget, volunteerTeam } from "./context.js"
import { fromEither, type make as makeShifts, shiftTarget, viewOf } from "./shifts.js"

export const make = (deps: Deps, shifts: ReturnType<typeof makeShifts>) => {
  const { settings } = deps
  const { loadShift, requireActiveVolunteer, saveShift, subject } = shifts

  const signUp = (actor: Actor.Actor, input: typeof Activity.ShiftVolunteer.Encoded) =>
    deps.commands.run({
      name: "signUp",
      title: "报名班次",
      input: Activity.ShiftVolunteer,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const volunteerId = yield* subject(ctx, i.volunteerId)
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* authorizeFor(deps, actor, shiftTarget(current.value), Permission.attendanceManage, {
            volunteerId,
            permission: Permission.selfSignUp
          })
          yield* requireActiveVolunteer(i.tenantId, i.shiftId, volunteerId)
          const result = yield* fromEither(Activity.signUp(current.value, volunteerId, ctx.now))
          yield* saveShift(current, result.shift, [volunteerId])
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "shift.signUp",
            targetType: "Shift",
            targetId: i.shiftId,
            details: {
              volunteerId,
              outcome: result.outcome
            }
          })
          return { outcome: result.outcome, position: result.position }
        })
    })

  const cancelSignUp = (actor: Actor.Actor, input: typeof Activity.ShiftVolunteer.Encoded) =>
    deps.commands.run({
      name: "cancelSignUp",
      title: "取消报名",
      input: Activity.ShiftVolunteer,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const volunteerId = yield* subject(ctx, i.volunteerId)
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* authorizeFor(deps, actor, shiftTarget(current.value), Permission.attendanceManage, {
            volunteerId,
            permission: Permission.selfSignUp
          })
          const { promoted, shift } = yield* fromEither(Activity.cancelSignUp(current.value, volunteerId, ctx.now))
          yield* saveShift(current, shift, promoted === undefined ? [volunteerId] : [volunteerId, promoted])
          if (promoted !== undefined) {
            yield* emit(ctx, i.tenantId, [
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
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "shift.cancelSignUp",
            targetType: "Shift",
            targetId: i.shiftId,
            details: {
              volunteerId,
              ...(promoted === undefined ? {} : { promoted })
            }
          })
          return { promoted }
        })
    })

  const checkIn = (actor: Actor.Actor, input: typeof Activity.ShiftVolunteer.Encoded) =>
    deps.commands.run({
      name: "checkIn",
      title: "签到",
      input: Activity.ShiftVolunteer,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          if (i.volunteerId === undefined) return yield* ctx.invalid("请指定志愿者编号（volunteerId）")
          const volunteerId = i.volunteerId
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* ctx.authorize(Permission.attendanceManage, shiftTarget(current.value))
          yield* requireActiveVolunteer(i.tenantId, i.shiftId, volunteerId)
          const shift = yield* fromEither(
            Activity.checkIn(current.value, volunteerId, ctx.now, {
              method: "staff",
              opensMinutesBefore: settings.checkInOpensMinutesBefore
            })
          )
          yield* saveShift(current, shift, [volunteerId])
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "shift.checkIn",
            targetType: "Shift",
            targetId: i.shiftId,
            details: { volunteerId, method: "staff" }
          })
          return viewOf(shift, true)
        })
    })

  const walkIn = (actor: Actor.Actor, input: typeof Activity.ShiftVolunteer.Encoded) =>
    deps.commands.run({
      name: "walkIn",
      title: "现场签到（未报名）",
      input: Activity.ShiftVolunteer,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          if (i.volunteerId === undefined) return yield* ctx.invalid("请指定志愿者编号（volunteerId）")
          const volunteerId = i.volunteerId
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* ctx.authorize(Permission.attendanceManage, shiftTarget(current.value))
          yield* requireActiveVolunteer(i.tenantId, i.shiftId, volunteerId)
          const shift = yield* fromEither(
            Activity.walkIn(current.value, volunteerId, ctx.now, {
              opensMinutesBefore: settings.checkInOpensMinutesBefore
            })
          )
          yield* saveShift(current, shift, [volunteerId])
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "shift.walkIn",
            targetType: "Shift",
            targetId: i.shiftId,
            details: { volunteerId }
          })
          return viewOf(shift, true)
        })
    })

  const codeHash = (tenantId: TenantId, shiftId: string, purpose: string, code: string) =>
    deps.cipher.blindIndex(code, { kind: "exact", context: ["volunteers.check_code", tenantId, shiftId, purpose] })

  const issueCheckCode = (actor: Actor.Actor, input: typeof Activity.IssueCheckCode.Encoded) =>
    deps.commands.run({
      name: "issueCheckCode",
      title: "生成签到码",
      input: Activity.IssueCheckCode,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const code = yield* oneTimeCode(settings.checkCodeDigits)
          const hash = yield* codeHash(i.tenantId, i.shiftId, i.purpose, code)
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* ctx.authorize(Permission.attendanceManage, shiftTarget(current.value))
          if (current.value.status !== "open") {
            return yield* new InvalidTransition({
              entity: "Shift",
              id: i.shiftId,
              state: Activity.shiftStatusLabel(current.value.status),
              action: "生成签到码"
            })
          }
          const at = ctx.now
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
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "shift.issueCode",
            targetType: "Shift",
            targetId: i.shiftId,
            details: {
              purpose: i.purpose,
              expiresAt: expiresAt.toISOString(),
              ...(i.volunteerId === undefined ? {} : { volunteerId: i.volunteerId })
            }
          })
          return { code, purpose: i.purpose, expiresAt }
        })
    })

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
    deps.commands.run({
      name: "checkOut",
      title: "签退",
      input: Activity.ShiftVolunteer,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          if (i.volunteerId === undefined) return yield* ctx.invalid("请指定志愿者编号（volunteerId）")
          const volunteerId = i.volunteerId
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* ctx.authorize(Permission.attendanceManage, shiftTarget(current.value))
          const at = ctx.now
          const out = yield* fromEither(Activity.checkOut(current.value, volunteerId, at))
          yield* saveShift(current, out.shift, [volunteerId])
          const record = yield* recordAttendance(actor, out.shift, out.participant, at)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "shift.checkOut",
            targetType: "Shift",
            targetId: i.shiftId,
            details: {
              volunteerId,
              recordId: record.id,
              minutes: record.measuredMinutes
            }
          })
          return record
        })
    })

  const withCode =
    (purpose: "check-in" | "check-out") => (actor: Actor.Actor, input: typeof Activity.RedeemCheckCode.Encoded) =>
      deps.commands
        .run({
          name: purpose === "check-in" ? "checkInWithCode" : "checkOutWithCode",
          title: purpose === "check-in" ? "签到码签到" : "签到码签退",
          input: Activity.RedeemCheckCode,
          raw: input,
          actor,
          prepare: (i, ctx) =>
            Effect.gen(function* () {
              if (ctx.actor._tag !== "Volunteer") return yield* ctx.invalid("签到码只能由志愿者本人使用")
              yield* ctx.authorize(Permission.selfCheckIn, selfTarget(actor, i.tenantId))
              const hash = yield* codeHash(i.tenantId, i.shiftId, purpose, i.code)
              return { volunteerId: ctx.actor.volunteerId, hash }
            }),
          body: (i, ctx, { hash, volunteerId }) =>
            Effect.gen(function* () {
              const current = yield* loadShift(i.tenantId, i.shiftId)
              yield* requireActiveVolunteer(i.tenantId, i.shiftId, volunteerId)
              const at = ctx.now
              const redeemed = yield* fromEither(Activity.redeemCode(current.value, hash, purpose, volunteerId, at))
              if (purpose === "check-in") {
                const shift = yield* fromEither(
                  Activity.checkIn(redeemed, volunteerId, at, {
                    method: "code",
                    opensMinutesBefore: settings.checkInOpensMinutesBefore
                  })
                )
                yield* saveShift(current, shift, [volunteerId])
                yield* ctx.audit({
                  tenantId: i.tenantId,
                  action: "shift.checkIn",
                  targetType: "Shift",
                  targetId: i.shiftId,
                  details: { volunteerId, method: "code" }
                })
                return { shift: viewOf(shift, false), record: undefined }
              }
              const out = yield* fromEither(Activity.checkOut(redeemed, volunteerId, at))
              yield* saveShift(current, out.shift, [volunteerId])
              const record = yield* recordAttendance(actor, out.shift, out.participant, at)
              yield* ctx.audit({
                tenantId: i.tenantId,
                action: "shift.checkOut",
                targetType: "Shift",
                targetId: i.shiftId,
                details: { volunteerId, method: "code", recordId: record.id, minutes: record.measuredMinutes }
              })
              return { shift: viewOf(out.shift, false), record }
            })
        })
        .pipe(
          // a wrong code is counted (and audited) in its own transaction, since the redeeming one rolls back
          Effect.tapErrorTag("InvalidCheckCode", () =>
            actor._tag === "Volunteer"
              ? countCodeFailure(actor, input.tenantId as TenantId, input.shiftId, purpose)
              : Effect.void
          )
        )

  const countCodeFailure = (
    actor: Actor.Volunteer,
    tenantId: TenantId,
    shiftId: string,
    purpose: "check-in" | "check-out"
  ) =>
    deps.commands.transact(
      Effect.gen(function* () {
        const current = yield* loadShift(tenantId, shiftId)
        const failed = Activity.recordCodeFailure(current.value, actor.volunteerId, yield* now)
        yield* deps.activities.updateShift(failed, current.version)
        yield* deps.commands.audit(actor, {
          tenantId,
          action: "shift.codeFailure",
          targetType: "Shift",
          targetId: shiftId,
          details: {
            volunteerId: actor.volunteerId,
            purpose,
            attempts: failed.codeFailures.filter((failure) => failure.volunteerId === actor.volunteerId).length
          }
        })
      })
    )

  const closeShift = (actor: Actor.Actor, input: typeof Activity.ShiftRef.Encoded) =>
    deps.commands.run({
      name: "closeShift",
      title: "结束班次",
      input: Activity.ShiftRef,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadShift(i.tenantId, i.shiftId)
          yield* ctx.authorize(Permission.attendanceManage, shiftTarget(current.value))
          const closed = yield* fromEither(Activity.close(current.value, ctx.now))
          yield* saveShift(current, closed.shift, "all")
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "shift.close",
            targetType: "Shift",
            targetId: i.shiftId,
            details: {
              noShows: closed.noShows,
              noCheckout: closed.noCheckout
            }
          })
          return { noShows: closed.noShows, noCheckout: closed.noCheckout }
        })
    })

  const listSignUps = (actor: Actor.Actor, input: typeof Activity.ListSignUps.Encoded) =>
    deps.commands.query({
      name: "listSignUps",
      title: "我的报名",
      input: Activity.ListSignUps,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const volunteerId = yield* subject(ctx, i.volunteerId)
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
        })
    })

  /** Anyone of the corps may browse activities and shifts (they hold no personal data but the roster). */
  return {
    signUp,
    cancelSignUp,
    checkIn,
    walkIn,
    issueCheckCode,
    checkInWithCode: withCode("check-in"),
    checkOutWithCode: withCode("check-out"),
    checkOut,
    closeShift,
    listSignUps
  }
}
