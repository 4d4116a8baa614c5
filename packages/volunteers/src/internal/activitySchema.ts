// The schemas of `Activity`: activities, shifts, participants and check codes. Re-exported by
// `Activity.ts`, which documents them as its own.
import { VolunteerId } from "@gongzhi/core/Actor"
import * as Capacity from "@gongzhi/core/Capacity"
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { ActorRef } from "../ActorRef.js"
import { TeamId } from "../Corps.js"

// ---------------------------------------------------------------------------------------------
// activities
// ---------------------------------------------------------------------------------------------

/**
 * The kind of an activity: a residents' concerns visit (民情走访), a training (培训) or an event (活动).
 * Attendance at a training is recorded as training, not as service hours.
 *
 * @since 0.1.0
 * @category models
 */
export const ActivityKind = Schema.Literal("visit", "training", "event")

/**
 * @since 0.1.0
 * @category models
 */
export type ActivityKind = typeof ActivityKind.Type

const kindLabels: Record<ActivityKind, string> = { visit: "民情走访", training: "培训", event: "活动" }

/**
 * The Chinese name of an activity kind.
 *
 * @since 0.1.0
 * @category accessors
 */
export const kindLabel = (kind: ActivityKind): string => kindLabels[kind]

/**
 * An activity, run by a team for a community.
 *
 * @since 0.1.0
 * @category models
 */
export class Activity extends Schema.Class<Activity>("@gongzhi/volunteers/Activity")({
  id: Schema.String,
  tenantId: TenantId,
  kind: ActivityKind,
  title: Schema.String,
  description: Schema.optional(Schema.String),
  teamId: TeamId,
  streetCode: RegionCode,
  communityCode: RegionCode,
  status: Schema.Literal("open", "cancelled", "completed"),
  createdBy: ActorRef,
  createdAt: Schema.Date
}) {}

// ---------------------------------------------------------------------------------------------
// shifts
// ---------------------------------------------------------------------------------------------

/**
 * Where a volunteer stands on a shift's roster: `confirmed` (has a place), `waitlisted` (候补),
 * `cancelled`, `checked-in`, `checked-out`, `no-show` (never came) or `no-checkout` (came but never
 * checked out; staff record the hours by hand) — core `Capacity.SeatState`.
 *
 * @since 0.1.0
 * @category models
 */
export const ParticipantState = Capacity.SeatState

/**
 * @since 0.1.0
 * @category models
 */
export type ParticipantState = typeof ParticipantState.Type

/**
 * A volunteer on a shift's roster. `seq` orders sign-ups (the waitlist is served by it, first come
 * first served).
 *
 * @since 0.1.0
 * @category models
 */
export class Participant extends Schema.Class<Participant>("@gongzhi/volunteers/Participant")({
  volunteerId: VolunteerId,
  state: ParticipantState,
  seq: Schema.NonNegativeInt,
  signedUpAt: Schema.Date,
  walkIn: Schema.Boolean,
  promotedAt: Schema.optional(Schema.Date),
  cancelledAt: Schema.optional(Schema.Date),
  checkedInAt: Schema.optional(Schema.Date),
  checkInMethod: Schema.optional(Schema.Literal("staff", "code")),
  checkedOutAt: Schema.optional(Schema.Date)
}) {}

/**
 * A one-time check code as stored: only its keyed hash (the code itself is shown once, to the
 * staff member who issued it), its purpose, an optional volunteer it is reserved for, its expiry and
 * who used it.
 *
 * @since 0.1.0
 * @category models
 */
export class CheckCode extends Schema.Class<CheckCode>("@gongzhi/volunteers/CheckCode")({
  hash: Schema.String,
  purpose: Schema.Literal("check-in", "check-out"),
  volunteerId: Schema.optional(VolunteerId),
  issuedAt: Schema.Date,
  expiresAt: Schema.Date,
  usedBy: Schema.optional(VolunteerId),
  usedAt: Schema.optional(Schema.Date)
}) {}

/**
 * A wrong check code given for a shift (kept to limit guessing).
 *
 * @since 0.1.0
 * @category models
 */
export class CodeFailure extends Schema.Class<CodeFailure>("@gongzhi/volunteers/CodeFailure")({
  volunteerId: VolunteerId,
  at: Schema.Date
}) {}

/**
 * How many wrong check codes are tolerated per volunteer and per shift before codes are locked.
 *
 * @since 0.1.0
 * @category models
 */
export const CHECK_CODE_ATTEMPTS = { perVolunteer: 5, perShift: 50 } as const

/**
 * A shift (班次): a time window of an activity with a capacity and its roster.
 *
 * @since 0.1.0
 * @category models
 */
export class Shift extends Schema.Class<Shift>("@gongzhi/volunteers/Shift")({
  id: Schema.String,
  tenantId: TenantId,
  activityId: Schema.String,
  activityKind: ActivityKind,
  title: Schema.String,
  teamId: TeamId,
  streetCode: RegionCode,
  communityCode: RegionCode,
  startsAt: Schema.Date,
  endsAt: Schema.Date,
  capacity: Schema.Int.pipe(Schema.positive()),
  status: Schema.Literal("open", "cancelled", "closed"),
  nextSeq: Schema.NonNegativeInt,
  participants: Schema.Array(Participant),
  codes: Schema.Array(CheckCode),
  /** Wrong check codes given for this shift. */
  codeFailures: Schema.optionalWith(Schema.Array(CodeFailure), { default: () => [] }),
  remindedAt: Schema.optional(Schema.Date),
  cancelReason: Schema.optional(Schema.String),
  createdAt: Schema.Date
}) {}

export const statusLabels: Record<Shift["status"], string> = { open: "开放", cancelled: "已取消", closed: "已结束" }

/**
 * The Chinese name of a shift status.
 *
 * @since 0.1.0
 * @category accessors
 */
export const shiftStatusLabel = (status: Shift["status"]): string => statusLabels[status]
