// The command inputs of the activity service. Re-exported by `Activity.ts`, which documents them
// as its own.
import { VolunteerId } from "@gongzhi/core/Actor"
import { LocalDate, PlausibleDate } from "@gongzhi/core/LocalDate"
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { TeamId } from "../Corps.js"
import { ActivityKind } from "./activitySchema.js"
import { DateInput, PageInput, Text } from "./input.js"

// ---------------------------------------------------------------------------------------------
// command inputs
// ---------------------------------------------------------------------------------------------

/**
 * Creates an activity for a community, run by a team.
 *
 * @since 0.1.0
 * @category models
 */
export const CreateActivity = Schema.Struct({
  tenantId: TenantId,
  kind: ActivityKind,
  title: Text("活动名称", 100),
  description: Schema.optional(Text("活动说明", 2000)),
  teamId: TeamId,
  communityCode: RegionCode
})

/**
 * Adds a shift to an activity.
 *
 * @since 0.1.0
 * @category models
 */
export const AddShift = Schema.Struct({
  tenantId: TenantId,
  activityId: Schema.String,
  startsAt: PlausibleDate({ title: "开始时间", earliestYear: 2000 }),
  endsAt: PlausibleDate({ title: "结束时间", earliestYear: 2000 }),
  capacity: Schema.Int.pipe(Schema.between(1, 10_000, { message: () => "名额应在 1 到 10000 之间" }))
}).pipe(
  Schema.filter(
    (s) =>
      (s.endsAt.getTime() > s.startsAt.getTime() &&
        s.endsAt.getTime() - s.startsAt.getTime() <= 24 * 60 * 60 * 1000) || {
        path: ["endsAt"],
        message: "结束时间应晚于开始时间，且一个班次不超过 24 小时"
      }
  )
)

/**
 * Names a shift and, for staff acting for someone, the volunteer (a volunteer acting for themselves
 * may omit it).
 *
 * @since 0.1.0
 * @category models
 */
export const ShiftVolunteer = Schema.Struct({
  tenantId: TenantId,
  shiftId: Schema.String,
  volunteerId: Schema.optional(VolunteerId)
})

/**
 * Issues a one-time check code for a shift (check-in or check-out), optionally reserved for one
 * volunteer; it lives `ttlMinutes` (default from the configuration, 10 minutes).
 *
 * @since 0.1.0
 * @category models
 */
export const IssueCheckCode = Schema.Struct({
  tenantId: TenantId,
  shiftId: Schema.String,
  purpose: Schema.Literal("check-in", "check-out"),
  volunteerId: Schema.optional(VolunteerId),
  ttlMinutes: Schema.optional(Schema.Int.pipe(Schema.between(1, 120)))
})

/**
 * A volunteer uses a one-time code.
 *
 * @since 0.1.0
 * @category models
 */
export const RedeemCheckCode = Schema.Struct({
  tenantId: TenantId,
  shiftId: Schema.String,
  code: Schema.String.pipe(Schema.pattern(/^\d{4,10}$/, { message: () => "签到码应为数字" }))
})

/**
 * Cancels a shift, with the reason volunteers are told.
 *
 * @since 0.1.0
 * @category models
 */
export const CancelShift = Schema.Struct({ tenantId: TenantId, shiftId: Schema.String, reason: Text("取消原因", 200) })

/**
 * Names a shift.
 *
 * @since 0.1.0
 * @category models
 */
export const ShiftRef = Schema.Struct({ tenantId: TenantId, shiftId: Schema.String })

/**
 * Runs the reminders due on a day: every open shift whose working day before (前一个工作日) is that
 * day (or earlier, if the job missed a day) and that has not started.
 *
 * @since 0.1.0
 * @category models
 */
export const RemindShifts = Schema.Struct({ tenantId: TenantId, asOf: LocalDate })

/**
 * Lists a volunteer's sign-ups (their own, for a volunteer), newest shift first.
 *
 * @since 0.1.0
 * @category models
 */
export const ListSignUps = Schema.Struct({
  tenantId: TenantId,
  volunteerId: Schema.optional(VolunteerId),
  ...PageInput
})

/**
 * Lists activities (newest first), of a team or a community.
 *
 * @since 0.1.0
 * @category models
 */
export const ListActivities = Schema.Struct({
  tenantId: TenantId,
  teamId: Schema.optional(TeamId),
  communityCode: Schema.optional(RegionCode),
  kind: Schema.optional(ActivityKind),
  ...PageInput
})

/**
 * Lists shifts (earliest first): of an activity, or those starting in a window (`from` inclusive,
 * `to` exclusive), open ones by default.
 *
 * @since 0.1.0
 * @category models
 */
export const ListShifts = Schema.Struct({
  tenantId: TenantId,
  activityId: Schema.optional(Schema.String),
  teamId: Schema.optional(TeamId),
  from: Schema.optional(DateInput),
  to: Schema.optional(DateInput),
  status: Schema.optionalWith(Schema.Literal("open", "cancelled", "closed"), { default: () => "open" as const }),
  limit: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 500)), { default: () => 100 })
})
