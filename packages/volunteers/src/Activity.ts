/**
 * Activities and shifts (活动与班次). An activity — a residents' concerns visit (民情走访), a training
 * (培训) or an event (活动) — is run by a team for a community; it has shifts, each a time window with
 * a capacity. Volunteers sign up; when a shift is full they join its waitlist, and a cancellation
 * promotes the first person waiting (FIFO). On the day, staff check volunteers in and out, or a
 * volunteer uses a one-time code (random, short-lived, single use); walk-ins take a free place;
 * whoever signed up and never came is marked a no-show when the shift is closed.
 *
 * The roster state machine is pure ({@link signUp}, {@link cancelSignUp}, {@link checkIn},
 * {@link walkIn}, {@link checkOut}, {@link close}, {@link cancel}) and never exceeds the capacity.
 *
 * @since 0.1.0
 */
import { VolunteerId } from "@gongzhi/core/Actor"
import * as Capacity from "@gongzhi/core/Capacity"
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Either, Schema } from "effect"
import { TeamId } from "./Corps.js"
import {
  ActivityKind,
  CHECK_CODE_ATTEMPTS,
  CheckCode,
  CodeFailure,
  Participant,
  ParticipantState,
  Shift,
  statusLabels
} from "./internal/activitySchema.js"
import {
  CheckCodeLocked,
  InvalidCheckCode,
  InvalidTransition,
  type ShiftRefusalReason,
  ShiftRefused
} from "./VolunteerErrors.js"

export {
  AddShift,
  CancelShift,
  CreateActivity,
  IssueCheckCode,
  ListActivities,
  ListShifts,
  ListSignUps,
  RedeemCheckCode,
  RemindShifts,
  ShiftRef,
  ShiftVolunteer
} from "./internal/activityInputs.js"
export {
  Activity,
  ActivityKind,
  CHECK_CODE_ATTEMPTS,
  CheckCode,
  CodeFailure,
  kindLabel,
  Participant,
  ParticipantState,
  Shift,
  shiftStatusLabel
} from "./internal/activitySchema.js"

/**
 * How many places are taken (confirmed, checked in or checked out).
 *
 * @since 0.1.0
 * @category accessors
 */
export const occupied = (shift: Shift): number => Capacity.occupied(shift.participants)

/**
 * The waitlist, first come first served.
 *
 * @since 0.1.0
 * @category accessors
 */
export const waitlist = (shift: Shift): ReadonlyArray<Participant> => Capacity.waitlist(shift.participants)

/**
 * The participant entry of a volunteer, if any.
 *
 * @since 0.1.0
 * @category accessors
 */
export const participant = (shift: Shift, volunteerId: string): Participant | undefined =>
  shift.participants.find((p) => p.volunteerId === volunteerId)

const refuse = (shift: Shift, volunteerId: string, reason: ShiftRefusalReason) =>
  Either.left(new ShiftRefused({ shiftId: shift.id, volunteerId, reason }))

/** The shift's roster as the shared capacity rules see it (core `Capacity`). */
const rosterOf = (shift: Shift): Capacity.Roster => ({
  capacity: shift.capacity,
  seats: shift.participants.map((p) => ({ holder: p.volunteerId, state: p.state, seq: p.seq }))
})

const refusalReasons: Record<Capacity.Refusal, ShiftRefusalReason> = {
  AlreadyJoined: "AlreadySignedUp",
  NotJoined: "NotSignedUp",
  Full: "Full",
  AlreadyCheckedIn: "AlreadyCheckedIn",
  NotCheckedIn: "NotCheckedIn",
  AlreadyCheckedOut: "AlreadyCheckedOut"
}

const decide = <A>(shift: Shift, volunteerId: string, decision: Either.Either<A, Capacity.Refusal>) =>
  Either.mapLeft(
    decision,
    (reason) => new ShiftRefused({ shiftId: shift.id, volunteerId, reason: refusalReasons[reason] })
  )

const withParticipant = (shift: Shift, next: Participant, extra: Partial<Shift> = {}): Shift => {
  const exists = shift.participants.some((p) => p.volunteerId === next.volunteerId)
  return new Shift({
    ...shift,
    ...extra,
    participants: exists
      ? shift.participants.map((p) => (p.volunteerId === next.volunteerId ? next : p))
      : [...shift.participants, next]
  })
}

/**
 * Signs a volunteer up: a free place confirms them, a full shift puts them on the waitlist
 * (`position` is their place in it, 1-based). Refused when the shift is not open or has started, or
 * when they are already on the roster.
 *
 * @since 0.1.0
 * @category combinators
 */
export const signUp = (
  shift: Shift,
  volunteerId: VolunteerId,
  at: Date
): Either.Either<
  { readonly shift: Shift; readonly outcome: "confirmed" | "waitlisted"; readonly position: number },
  ShiftRefused
> => {
  if (shift.status !== "open") return refuse(shift, volunteerId, "ShiftNotOpen")
  if (at.getTime() >= shift.startsAt.getTime()) return refuse(shift, volunteerId, "ShiftStarted")
  return Either.map(decide(shift, volunteerId, Capacity.join(rosterOf(shift), volunteerId)), (decision) => {
    const next = new Participant({
      volunteerId,
      state: decision.state,
      seq: shift.nextSeq,
      signedUpAt: at,
      walkIn: false
    })
    return {
      shift: withParticipant(shift, next, { nextSeq: shift.nextSeq + 1 }),
      outcome: decision.state,
      position: decision.position
    }
  })
}

/**
 * Cancels a sign-up before the shift starts. When a confirmed place is freed, the first volunteer on
 * the waitlist is promoted (`promoted`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const cancelSignUp = (
  shift: Shift,
  volunteerId: VolunteerId,
  at: Date
): Either.Either<{ readonly shift: Shift; readonly promoted: VolunteerId | undefined }, ShiftRefused> => {
  if (shift.status !== "open") return refuse(shift, volunteerId, "ShiftNotOpen")
  if (at.getTime() >= shift.startsAt.getTime()) return refuse(shift, volunteerId, "ShiftStarted")
  return Either.map(decide(shift, volunteerId, Capacity.leave(rosterOf(shift), volunteerId)), (decision) => {
    let updated = shift
    let promoted: VolunteerId | undefined
    for (const change of decision.changes) {
      const entry = participant(updated, change.holder)
      if (entry === undefined) continue
      if (change.to === "cancelled") {
        updated = withParticipant(updated, new Participant({ ...entry, state: "cancelled", cancelledAt: at }))
      } else {
        promoted = entry.volunteerId
        updated = withParticipant(updated, new Participant({ ...entry, state: "confirmed", promotedAt: at }))
      }
    }
    return { shift: updated, promoted }
  })
}

const checkWindow = (
  shift: Shift,
  volunteerId: string,
  at: Date,
  opensMinutesBefore: number
): Either.Either<void, ShiftRefused> => {
  if (shift.status !== "open") return refuse(shift, volunteerId, "ShiftNotOpen")
  if (at.getTime() < shift.startsAt.getTime() - opensMinutesBefore * 60_000) {
    return refuse(shift, volunteerId, "CheckInNotOpen")
  }
  if (at.getTime() >= shift.endsAt.getTime()) return refuse(shift, volunteerId, "ShiftEnded")
  return Either.void
}

/**
 * Checks a confirmed volunteer in, from `opensMinutesBefore` the start until the end.
 *
 * @since 0.1.0
 * @category combinators
 */
export const checkIn = (
  shift: Shift,
  volunteerId: VolunteerId,
  at: Date,
  options: { readonly method: "staff" | "code"; readonly opensMinutesBefore: number }
): Either.Either<Shift, ShiftRefused> =>
  Either.flatMap(checkWindow(shift, volunteerId, at, options.opensMinutesBefore), () => {
    const existing = participant(shift, volunteerId)
    return Either.map(decide(shift, volunteerId, Capacity.checkIn(rosterOf(shift), volunteerId)), () =>
      withParticipant(
        shift,
        new Participant({
          ...(existing as Participant),
          state: "checked-in",
          checkedInAt: at,
          checkInMethod: options.method
        })
      )
    )
  })

/**
 * Checks in a volunteer who turned up: a confirmed volunteer is simply checked in; anyone else
 * (not signed up, cancelled, waitlisted) takes a free place as a walk-in, refused when the shift is
 * full.
 *
 * @since 0.1.0
 * @category combinators
 */
export const walkIn = (
  shift: Shift,
  volunteerId: VolunteerId,
  at: Date,
  options: { readonly opensMinutesBefore: number }
): Either.Either<Shift, ShiftRefused> =>
  Either.flatMap(checkWindow(shift, volunteerId, at, options.opensMinutesBefore), () => {
    const decision = decide(shift, volunteerId, Capacity.walkIn(rosterOf(shift), volunteerId))
    if (Either.isLeft(decision)) return Either.left(decision.left)
    if (decision.right.walkIn !== true) {
      return checkIn(shift, volunteerId, at, { method: "staff", opensMinutesBefore: options.opensMinutesBefore })
    }
    const next = new Participant({
      volunteerId,
      state: "checked-in",
      seq: shift.nextSeq,
      signedUpAt: at,
      walkIn: true,
      checkedInAt: at,
      checkInMethod: "staff"
    })
    return Either.right(withParticipant(shift, next, { nextSeq: shift.nextSeq + 1 }))
  })

/**
 * Checks a volunteer out (after their check-in; a late check-out after the shift's end is allowed,
 * the hours are clamped to the shift by {@link serviceMinutes}).
 *
 * @since 0.1.0
 * @category combinators
 */
export const checkOut = (
  shift: Shift,
  volunteerId: VolunteerId,
  at: Date
): Either.Either<{ readonly shift: Shift; readonly participant: Participant }, ShiftRefused> => {
  if (shift.status !== "open") return refuse(shift, volunteerId, "ShiftNotOpen")
  const existing = participant(shift, volunteerId)
  const decision = decide(shift, volunteerId, Capacity.checkOut(rosterOf(shift), volunteerId))
  if (Either.isLeft(decision)) return Either.left(decision.left)
  if (existing?.checkedInAt === undefined) return refuse(shift, volunteerId, "NotCheckedIn")
  const checkedOutAt = at.getTime() <= existing.checkedInAt.getTime() ? existing.checkedInAt : at
  const next = new Participant({ ...existing, state: "checked-out", checkedOutAt })
  return Either.right({ shift: withParticipant(shift, next), participant: next })
}

/**
 * The service minutes of a checked-out participant: actual time between check-in and check-out
 * (travel is not service), clamped to the shift's window when `clamp` is set.
 *
 * @since 0.1.0
 * @category accessors
 */
export const serviceMinutes = (shift: Shift, p: Participant, clamp: boolean): number => {
  if (p.checkedInAt === undefined || p.checkedOutAt === undefined) return 0
  const start = clamp ? Math.max(p.checkedInAt.getTime(), shift.startsAt.getTime()) : p.checkedInAt.getTime()
  const end = clamp ? Math.min(p.checkedOutAt.getTime(), shift.endsAt.getTime()) : p.checkedOutAt.getTime()
  return Math.max(0, Math.floor((end - start) / 60_000))
}

/**
 * Closes a shift after its end: confirmed volunteers who never checked in become `no-show`, those
 * checked in but never out become `no-checkout`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const close = (
  shift: Shift,
  at: Date
): Either.Either<
  {
    readonly shift: Shift
    readonly noShows: ReadonlyArray<VolunteerId>
    readonly noCheckout: ReadonlyArray<VolunteerId>
  },
  InvalidTransition
> => {
  if (shift.status !== "open" || at.getTime() < shift.endsAt.getTime()) {
    return Either.left(
      new InvalidTransition({
        entity: "Shift",
        id: shift.id,
        state: shift.status === "open" ? "未到结束时间" : statusLabels[shift.status],
        action: "结束班次"
      })
    )
  }
  const changes = new Map(Capacity.close(rosterOf(shift)).map((c) => [c.holder, c.to]))
  const participants = shift.participants.map((p) => {
    const to = changes.get(p.volunteerId)
    return to === undefined ? p : new Participant({ ...p, state: to })
  })
  const moved = (to: Capacity.SeatState) =>
    participants.filter((p) => changes.get(p.volunteerId) === to).map((p) => p.volunteerId)
  const noShows = moved("no-show")
  const noCheckout = moved("no-checkout")
  return Either.right({
    shift: new Shift({ ...shift, status: "closed", participants, codes: [] }),
    noShows,
    noCheckout
  })
}

/**
 * Cancels a shift before it ends; returns who had a place or was waiting (to be told).
 *
 * @since 0.1.0
 * @category combinators
 */
export const cancel = (
  shift: Shift,
  reason: string,
  at: Date
): Either.Either<{ readonly shift: Shift; readonly affected: ReadonlyArray<VolunteerId> }, InvalidTransition> => {
  if (shift.status !== "open" || at.getTime() >= shift.endsAt.getTime()) {
    return Either.left(
      new InvalidTransition({
        entity: "Shift",
        id: shift.id,
        state: shift.status === "open" ? "已结束" : statusLabels[shift.status],
        action: "取消班次"
      })
    )
  }
  const affected = shift.participants
    .filter((p) => p.state === "confirmed" || p.state === "waitlisted" || p.state === "checked-in")
    .map((p) => p.volunteerId)
  return Either.right({
    shift: new Shift({ ...shift, status: "cancelled", cancelReason: reason, codes: [] }),
    affected
  })
}

/**
 * Adds a one-time code (its hash) to a shift, dropping codes that expired before `at`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const addCode = (shift: Shift, code: CheckCode, at: Date): Shift =>
  new Shift({
    ...shift,
    codes: [...shift.codes.filter((c) => c.usedAt === undefined && c.expiresAt.getTime() > at.getTime()), code]
  })

/**
 * Whether check codes are locked for this volunteer on this shift ({@link CHECK_CODE_ATTEMPTS}).
 *
 * @since 0.1.0
 * @category combinators
 */
export const codeLock = (shift: Shift, volunteerId: VolunteerId): CheckCodeLocked | undefined => {
  const own = shift.codeFailures.filter((failure) => failure.volunteerId === volunteerId).length
  if (own >= CHECK_CODE_ATTEMPTS.perVolunteer) {
    return new CheckCodeLocked({ shiftId: shift.id, scope: "volunteer", attempts: own })
  }
  if (shift.codeFailures.length >= CHECK_CODE_ATTEMPTS.perShift) {
    return new CheckCodeLocked({ shiftId: shift.id, scope: "shift", attempts: shift.codeFailures.length })
  }
  return undefined
}

/**
 * Records a wrong check code given by a volunteer.
 *
 * @since 0.1.0
 * @category combinators
 */
export const recordCodeFailure = (shift: Shift, volunteerId: VolunteerId, at: Date): Shift =>
  new Shift({ ...shift, codeFailures: [...shift.codeFailures, new CodeFailure({ volunteerId, at })] })

/**
 * Uses a one-time code: it must match by hash and purpose, be unused and unexpired, and be reserved
 * for nobody or for this volunteer. The code is spent even if the check-in it serves fails later in
 * the same transaction only when that transaction commits. Refused with `CheckCodeLocked` once the
 * volunteer or the shift has given too many wrong codes.
 *
 * @since 0.1.0
 * @category combinators
 */
export const redeemCode = (
  shift: Shift,
  hash: string,
  purpose: CheckCode["purpose"],
  volunteerId: VolunteerId,
  at: Date
): Either.Either<Shift, InvalidCheckCode | CheckCodeLocked> => {
  const locked = codeLock(shift, volunteerId)
  if (locked !== undefined) return Either.left(locked)
  const index = shift.codes.findIndex(
    (c) =>
      c.hash === hash &&
      c.purpose === purpose &&
      c.usedAt === undefined &&
      c.expiresAt.getTime() > at.getTime() &&
      (c.volunteerId === undefined || c.volunteerId === volunteerId)
  )
  if (index < 0) return Either.left(new InvalidCheckCode({ shiftId: shift.id }))
  const codes = shift.codes.map((c, i) => (i === index ? new CheckCode({ ...c, usedBy: volunteerId, usedAt: at }) : c))
  return Either.right(new Shift({ ...shift, codes }))
}

// ---------------------------------------------------------------------------------------------
// participations (the roster, one row per volunteer and shift, for queries and statistics)
// ---------------------------------------------------------------------------------------------

/**
 * One volunteer on one shift, as a row for "my sign-ups", attendance and no-show statistics. It is
 * derived from the shift's roster and written in the same transaction.
 *
 * @since 0.1.0
 * @category models
 */
export class Participation extends Schema.Class<Participation>("@gongzhi/volunteers/Participation")({
  id: Schema.String,
  tenantId: TenantId,
  shiftId: Schema.String,
  activityId: Schema.String,
  activityKind: ActivityKind,
  title: Schema.String,
  volunteerId: VolunteerId,
  state: ParticipantState,
  walkIn: Schema.Boolean,
  startsAt: Schema.Date,
  endsAt: Schema.Date,
  teamId: TeamId,
  streetCode: RegionCode,
  communityCode: RegionCode
}) {}

/**
 * The participation rows of a shift's roster.
 *
 * @since 0.1.0
 * @category accessors
 */
export const participationsOf = (shift: Shift): ReadonlyArray<Participation> =>
  shift.participants.map(
    (p) =>
      new Participation({
        id: `${shift.id}:${p.volunteerId}`,
        tenantId: shift.tenantId,
        shiftId: shift.id,
        activityId: shift.activityId,
        activityKind: shift.activityKind,
        title: shift.title,
        volunteerId: p.volunteerId,
        state: shift.status === "cancelled" && p.state !== "cancelled" ? "cancelled" : p.state,
        walkIn: p.walkIn,
        startsAt: shift.startsAt,
        endsAt: shift.endsAt,
        teamId: shift.teamId,
        streetCode: shift.streetCode,
        communityCode: shift.communityCode
      })
  )
