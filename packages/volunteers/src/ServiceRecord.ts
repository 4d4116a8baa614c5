/**
 * Volunteer service records (志愿服务记录), after the Volunteer Service Regulations (2017) Art. 19 and
 * the Ministry of Civil Affairs measures on records and certificates (Order 67, 2021): a record of
 * service holds the activity, the time and the hours — actual service only, never travel — taken
 * from check-in and check-out, or entered by hand by the recording team. Hours may be adjusted, each
 * adjustment with its reason and who made it, and are approved by the recording team. The record of
 * a volunteer also holds training, commendations (表彰奖励), evaluations (评价) and complaints (投诉).
 *
 * Approved hours are the sum of the approved service records (adjustments included); they earn star
 * levels (see `StarLevel`).
 *
 * @since 0.1.0
 */
import { VolunteerId } from "@gongzhi/core/Actor"
import { LocalDate, PlausibleDate } from "@gongzhi/core/LocalDate"
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Either, Schema } from "effect"
import { ActorRef } from "./ActorRef.js"
import { TeamId } from "./Corps.js"
import { PageInput, Text } from "./internal/input.js"
import { AdjustmentRefused, InvalidTransition } from "./VolunteerErrors.js"

/**
 * What a record counts: `service` hours (服务时长) or `training` (培训, recorded but not counted as
 * service hours).
 *
 * @since 0.1.0
 * @category models
 */
export const RecordKind = Schema.Literal("service", "training")

/**
 * @since 0.1.0
 * @category models
 */
export type RecordKind = typeof RecordKind.Type

/**
 * The state of a record: `pending` (待审核), `approved` (已审核), `rejected` (未通过).
 *
 * @since 0.1.0
 * @category models
 */
export const RecordStatus = Schema.Literal("pending", "approved", "rejected")

/**
 * @since 0.1.0
 * @category models
 */
export type RecordStatus = typeof RecordStatus.Type

const statusLabels: Record<RecordStatus, string> = { pending: "待审核", approved: "已审核", rejected: "未通过" }

/**
 * An hours adjustment (时长调整): minutes added (positive) or removed (negative), why and by whom.
 *
 * @since 0.1.0
 * @category models
 */
export class Adjustment extends Schema.Class<Adjustment>("@gongzhi/volunteers/Adjustment")({
  minutes: Schema.Int,
  reason: Schema.String,
  by: ActorRef,
  at: Schema.Date
}) {}

/**
 * A service or training record.
 *
 * @since 0.1.0
 * @category models
 */
export class ServiceRecord extends Schema.Class<ServiceRecord>("@gongzhi/volunteers/ServiceRecord")({
  id: Schema.String,
  tenantId: TenantId,
  volunteerId: VolunteerId,
  /** The recording team: it approves the record and certifies the hours. */
  teamId: TeamId,
  streetCode: RegionCode,
  communityCode: RegionCode,
  kind: RecordKind,
  source: Schema.Literal("attendance", "manual"),
  activityId: Schema.optional(Schema.String),
  shiftId: Schema.optional(Schema.String),
  content: Schema.String,
  startedAt: Schema.Date,
  endedAt: Schema.Date,
  /** Minutes measured from check-in and check-out (or entered). */
  measuredMinutes: Schema.NonNegativeInt,
  adjustments: Schema.Array(Adjustment),
  status: RecordStatus,
  decision: Schema.optional(Schema.Struct({ by: ActorRef, at: Schema.Date, reason: Schema.optional(Schema.String) })),
  recordedBy: ActorRef,
  recordedAt: Schema.Date
}) {}

/**
 * The minutes a record counts: measured plus adjustments (never below zero).
 *
 * @since 0.1.0
 * @category accessors
 */
export const effectiveMinutes = (record: {
  readonly measuredMinutes: number
  readonly adjustments: ReadonlyArray<{ readonly minutes: number }>
}): number =>
  Math.max(
    0,
    record.adjustments.reduce((sum, a) => sum + a.minutes, record.measuredMinutes)
  )

/**
 * The approved service minutes of a set of records: the sum of effective minutes of approved
 * `service` records (training excluded).
 *
 * @since 0.1.0
 * @category accessors
 */
export const approvedServiceMinutes = (records: ReadonlyArray<ServiceRecord>): number =>
  records.reduce((sum, r) => (r.status === "approved" && r.kind === "service" ? sum + effectiveMinutes(r) : sum), 0)

/**
 * The approved training minutes of a set of records.
 *
 * @since 0.1.0
 * @category accessors
 */
export const approvedTrainingMinutes = (records: ReadonlyArray<ServiceRecord>): number =>
  records.reduce((sum, r) => (r.status === "approved" && r.kind === "training" ? sum + effectiveMinutes(r) : sum), 0)

/**
 * What a change to a record does to the volunteer's approved totals.
 *
 * @since 0.1.0
 * @category models
 */
export interface Delta {
  readonly serviceMinutes: number
  readonly trainingMinutes: number
}

const deltaOf = (record: ServiceRecord, minutes: number): Delta =>
  record.kind === "service"
    ? { serviceMinutes: minutes, trainingMinutes: 0 }
    : { serviceMinutes: 0, trainingMinutes: minutes }

const contribution = (record: ServiceRecord): number => (record.status === "approved" ? effectiveMinutes(record) : 0)

/**
 * The most minutes one record may count after adjustments (24 hours, as for a recorded service).
 *
 * @since 0.1.0
 * @category models
 */
export const MAX_RECORD_MINUTES = 24 * 60

/**
 * Adjusts a pending or approved record's hours. Refused when the result would be negative or above
 * `maxMinutes` (default {@link MAX_RECORD_MINUTES}), or the record was rejected. An approved record
 * goes back to pending: its hours leave the approved totals until it is approved again. Returns the
 * record and what it changes in the approved totals.
 *
 * @since 0.1.0
 * @category combinators
 */
export const adjust = (
  record: ServiceRecord,
  adjustment: Adjustment,
  options: { readonly maxMinutes?: number | undefined } = {}
): Either.Either<{ readonly record: ServiceRecord; readonly delta: Delta }, AdjustmentRefused | InvalidTransition> => {
  if (record.status === "rejected") {
    return Either.left(
      new InvalidTransition({
        entity: "ServiceRecord",
        id: record.id,
        state: statusLabels.rejected,
        action: "调整时长"
      })
    )
  }
  const current = effectiveMinutes(record)
  const raw = record.adjustments.reduce((sum, a) => sum + a.minutes, record.measuredMinutes)
  if (raw + adjustment.minutes < 0) {
    return Either.left(
      new AdjustmentRefused({ recordId: record.id, currentMinutes: current, deltaMinutes: adjustment.minutes })
    )
  }
  const limit = options.maxMinutes ?? MAX_RECORD_MINUTES
  if (adjustment.minutes > 0 && raw + adjustment.minutes > limit) {
    return Either.left(
      new AdjustmentRefused({
        recordId: record.id,
        currentMinutes: current,
        deltaMinutes: adjustment.minutes,
        limitMinutes: limit
      })
    )
  }
  const { decision: _decision, ...rest } = record
  const next = new ServiceRecord({
    ...(record.status === "approved" ? { ...rest, status: "pending" as const } : record),
    adjustments: [...record.adjustments, adjustment]
  })
  return Either.right({ record: next, delta: deltaOf(next, contribution(next) - contribution(record)) })
}

/**
 * Approves or rejects a pending record. Returns the record and what it adds to the approved totals.
 *
 * @since 0.1.0
 * @category combinators
 */
export const decide = (
  record: ServiceRecord,
  decision: {
    readonly approve: boolean
    readonly by: ActorRef
    readonly at: Date
    readonly reason?: string | undefined
  }
): Either.Either<{ readonly record: ServiceRecord; readonly delta: Delta }, InvalidTransition> => {
  if (record.status !== "pending") {
    return Either.left(
      new InvalidTransition({
        entity: "ServiceRecord",
        id: record.id,
        state: statusLabels[record.status],
        action: decision.approve ? "审核通过" : "审核不通过"
      })
    )
  }
  const next = new ServiceRecord({
    ...record,
    status: decision.approve ? "approved" : "rejected",
    decision: {
      by: decision.by,
      at: decision.at,
      ...(decision.reason === undefined ? {} : { reason: decision.reason })
    }
  })
  return Either.right({ record: next, delta: deltaOf(next, contribution(next)) })
}

// ---------------------------------------------------------------------------------------------
// other parts of the record: commendations, evaluations, complaints
// ---------------------------------------------------------------------------------------------

/**
 * The kind of a record entry: a commendation or award (表彰奖励), an evaluation (评价) or a
 * complaint (投诉).
 *
 * @since 0.1.0
 * @category models
 */
export const EntryKind = Schema.Literal("commendation", "evaluation", "complaint")

/**
 * @since 0.1.0
 * @category models
 */
export type EntryKind = typeof EntryKind.Type

/**
 * An evaluation's rating (policy, a common four-grade scale).
 *
 * @since 0.1.0
 * @category models
 */
export const Rating = Schema.Literal("优秀", "良好", "合格", "不合格")

/**
 * A commendation, evaluation or complaint on a volunteer's record.
 *
 * @since 0.1.0
 * @category models
 */
export class RecordEntry extends Schema.Class<RecordEntry>("@gongzhi/volunteers/RecordEntry")({
  id: Schema.String,
  tenantId: TenantId,
  volunteerId: VolunteerId,
  teamId: TeamId,
  streetCode: RegionCode,
  kind: EntryKind,
  title: Schema.String,
  content: Schema.String,
  occurredOn: LocalDate,
  rating: Schema.optional(Rating),
  complaintStatus: Schema.optional(Schema.Literal("open", "resolved")),
  resolution: Schema.optional(Schema.String),
  recordedBy: ActorRef,
  recordedAt: Schema.Date
}) {}

// ---------------------------------------------------------------------------------------------
// command inputs
// ---------------------------------------------------------------------------------------------

/**
 * Records service (or training) by hand, for the team recording it.
 *
 * @since 0.1.0
 * @category models
 */
export const RecordService = Schema.Struct({
  tenantId: TenantId,
  volunteerId: VolunteerId,
  teamId: TeamId,
  kind: Schema.optionalWith(RecordKind, { default: () => "service" as const }),
  content: Text("服务内容", 500),
  communityCode: Schema.optional(RegionCode),
  activityId: Schema.optional(Schema.String),
  startedAt: PlausibleDate({ title: "开始时间", earliestYear: 2000 }),
  endedAt: PlausibleDate({ title: "结束时间", earliestYear: 2000 })
}).pipe(
  Schema.filter(
    (r) =>
      (r.endedAt.getTime() > r.startedAt.getTime() &&
        r.endedAt.getTime() - r.startedAt.getTime() <= 24 * 60 * 60 * 1000) || {
        path: ["endedAt"],
        message: "结束时间应晚于开始时间，且一条记录不超过 24 小时"
      }
  )
)

/**
 * Adjusts a record's hours by a number of minutes, with the reason.
 *
 * @since 0.1.0
 * @category models
 */
export const AdjustRecord = Schema.Struct({
  tenantId: TenantId,
  recordId: Schema.String,
  minutes: Schema.Int.pipe(
    Schema.filter((m) => m !== 0 || "调整分钟数不能为 0"),
    Schema.between(-24 * 60, 24 * 60, { message: () => "一次调整不超过 24 小时" })
  ),
  reason: Text("调整原因", 500)
})

/**
 * Approves or rejects a pending record (rejecting needs a reason).
 *
 * @since 0.1.0
 * @category models
 */
export const DecideRecord = Schema.Struct({
  tenantId: TenantId,
  recordId: Schema.String,
  decision: Schema.Literal("approve", "reject"),
  reason: Schema.optional(Text("原因", 500))
}).pipe(
  Schema.filter(
    (d) => d.decision === "approve" || d.reason !== undefined || { path: ["reason"], message: "不予通过时应写明原因" }
  )
)

/**
 * Adds a commendation, an evaluation (with a rating) or a complaint to a volunteer's record.
 *
 * @since 0.1.0
 * @category models
 */
export const AddRecordEntry = Schema.Struct({
  tenantId: TenantId,
  volunteerId: VolunteerId,
  teamId: TeamId,
  kind: EntryKind,
  title: Text("标题", 100),
  content: Text("内容", 2000),
  occurredOn: LocalDate,
  rating: Schema.optional(Rating)
}).pipe(
  Schema.filter(
    (e) => e.kind !== "evaluation" || e.rating !== undefined || { path: ["rating"], message: "评价应给出等级" }
  )
)

/**
 * Resolves a complaint.
 *
 * @since 0.1.0
 * @category models
 */
export const ResolveComplaint = Schema.Struct({
  tenantId: TenantId,
  entryId: Schema.String,
  resolution: Text("处理结果", 2000)
})

/**
 * Lists records (a volunteer sees their own).
 *
 * @since 0.1.0
 * @category models
 */
export const ListRecords = Schema.Struct({
  tenantId: TenantId,
  volunteerId: Schema.optional(VolunteerId),
  teamId: Schema.optional(TeamId),
  status: Schema.optional(RecordStatus),
  ...PageInput
})
