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

const OCCUPYING: ReadonlySet<ParticipantState> = new Set(["confirmed", "checked-in", "checked-out"])

/**
 * How many places are taken (confirmed, checked in or checked out).
 *
 * @since 0.1.0
 * @category accessors
 */
export const occupied = (shift: Shift): number => shift.participants.filter((p) => OCCUPYING.has(p.state)).length

/**
 * The waitlist, first come first served.
 *
 * @since 0.1.0
 * @category accessors
 */
export const waitlist = (shift: Shift): ReadonlyArray<Participant> =>
  shift.participants.filter((p) => p.state === "waitlisted").sort((a, b) => a.seq - b.seq)

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
  const existing = participant(shift, volunteerId)
  if (existing !== undefined && existing.state !== "cancelled") return refuse(shift, volunteerId, "AlreadySignedUp")
  const confirmed = occupied(shift) < shift.capacity
  const next = new Participant({
    volunteerId,
    state: confirmed ? "confirmed" : "waitlisted",
    seq: shift.nextSeq,
    signedUpAt: at,
    walkIn: false
  })
  const updated = withParticipant(shift, next, { nextSeq: shift.nextSeq + 1 })
  return Either.right({
    shift: updated,
    outcome: confirmed ? "confirmed" : "waitlisted",
    position: confirmed ? 0 : waitlist(updated).length
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
  const existing = participant(shift, volunteerId)
  if (existing === undefined || (existing.state !== "confirmed" && existing.state !== "waitlisted")) {
    return refuse(shift, volunteerId, "NotSignedUp")
  }
  let updated = withParticipant(shift, new Participant({ ...existing, state: "cancelled", cancelledAt: at }))
  let promoted: VolunteerId | undefined
  if (existing.state === "confirmed") {
    const first = waitlist(updated)[0]
    if (first !== undefined && occupied(updated) < updated.capacity) {
      promoted = first.volunteerId
      updated = withParticipant(updated, new Participant({ ...first, state: "confirmed", promotedAt: at }))
    }
  }
  return Either.right({ shift: updated, promoted })
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
    if (existing?.state === "checked-in" || existing?.state === "checked-out") {
      return refuse(shift, volunteerId, "AlreadyCheckedIn")
    }
    if (existing?.state !== "confirmed") return refuse(shift, volunteerId, "NotSignedUp")
    return Either.right(
      withParticipant(
        shift,
        new Participant({ ...existing, state: "checked-in", checkedInAt: at, checkInMethod: options.method })
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
    const existing = participant(shift, volunteerId)
    if (existing?.state === "confirmed") {
      return checkIn(shift, volunteerId, at, { method: "staff", opensMinutesBefore: options.opensMinutesBefore })
    }
    if (existing?.state === "checked-in" || existing?.state === "checked-out") {
      return refuse(shift, volunteerId, "AlreadyCheckedIn")
    }
    if (occupied(shift) >= shift.capacity) return refuse(shift, volunteerId, "Full")
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
  if (existing?.state === "checked-out") return refuse(shift, volunteerId, "AlreadyCheckedOut")
  if (existing?.state !== "checked-in" || existing.checkedInAt === undefined) {
    return refuse(shift, volunteerId, "NotCheckedIn")
  }
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
  const noShows: Array<VolunteerId> = []
  const noCheckout: Array<VolunteerId> = []
  const participants = shift.participants.map((p) => {
    if (p.state === "confirmed") {
      noShows.push(p.volunteerId)
      return new Participant({ ...p, state: "no-show" })
    }
    if (p.state === "checked-in") {
      noCheckout.push(p.volunteerId)
      return new Participant({ ...p, state: "no-checkout" })
    }
    return p
  })
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
