/**
 * Defence sessions (遴选答辩会): the panel of judges (评审专家组), conflict-of-interest declarations
 * (利益冲突申报), the presentation slots computed from the session's start and slot length, and the
 * panel's state — scores stay hidden until the panel closes.
 *
 * @since 0.1.0
 */
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either, ParseResult, Schema } from "effect"
import { InvalidInput } from "./ProjectErrors.js"

/**
 * A presentation slot (答辩时段) of one application.
 *
 * @since 0.1.0
 * @category models
 */
export class Slot extends Schema.Class<Slot>("@gongzhi/projects/DefenceSession/Slot")({
  order: Schema.Int,
  applicationId: Schema.String,
  startsAt: Schema.Date,
  endsAt: Schema.Date
}) {}

/**
 * A judge's declaration on one application: a conflict of interest (with its reason) or none.
 *
 * @since 0.1.0
 * @category models
 */
export class Declaration extends Schema.Class<Declaration>("@gongzhi/projects/DefenceSession/Declaration")({
  judgeId: Schema.String,
  applicationId: Schema.String,
  conflict: Schema.Boolean,
  reason: Schema.String,
  declaredAt: Schema.Date
}) {}

/**
 * The state of a session: scheduled (安排中), open for scoring (评审中), closed (评审结束, scores visible).
 *
 * @since 0.1.0
 * @category models
 */
export const SessionStatus = Schema.Literal("scheduled", "open", "closed")

/**
 * @since 0.1.0
 * @category models
 */
export type SessionStatus = typeof SessionStatus.Type

/**
 * Chinese labels of the session states.
 *
 * @since 0.1.0
 * @category accessors
 */
export const statusLabel: Record<SessionStatus, string> = { scheduled: "安排中", open: "评审中", closed: "评审结束" }

/**
 * A defence session of a call.
 *
 * @since 0.1.0
 * @category models
 */
export class DefenceSession extends Schema.Class<DefenceSession>("@gongzhi/projects/DefenceSession")({
  id: Schema.String,
  tenantId: TenantId,
  callId: Schema.String,
  title: Schema.String,
  venue: Schema.String,
  startsAt: Schema.Date,
  slotMinutes: Schema.Int,
  breakMinutes: Schema.Int,
  judgeIds: Schema.Array(Schema.String),
  slots: Schema.Array(Slot),
  declarations: Schema.Array(Declaration),
  status: SessionStatus,
  closedAt: Schema.NullOr(Schema.Date)
}) {}

/**
 * What the slot schedule is computed from.
 *
 * @since 0.1.0
 * @category models
 */
export const SlotPlan = Schema.Struct({
  startsAt: Schema.Date,
  slotMinutes: Schema.Int.pipe(
    Schema.between(1, 480, { message: () => "每个答辩时段应为 1–480 分钟 / slot length must be 1–480 minutes" })
  ),
  breakMinutes: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 240)), { default: () => 0 }),
  applicationIds: Schema.Array(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type SlotPlan = typeof SlotPlan.Encoded

/**
 * The presentation slots: the applications in the given order, each `slotMinutes` long, with
 * `breakMinutes` between consecutive slots; the first starts at `startsAt`. Duplicate applications
 * fail with {@link InvalidInput}.
 *
 * @since 0.1.0
 * @category combinators
 */
export const slots = (plan: SlotPlan): Effect.Effect<ReadonlyArray<Slot>, InvalidInput> => {
  const decoded = Schema.decodeUnknownEither(SlotPlan)(plan, { errors: "all" })
  if (Either.isLeft(decoded)) {
    return Effect.fail(
      new InvalidInput({
        command: "DefenceSession.slots",
        problems: ParseResult.ArrayFormatter.formatErrorSync(decoded.left).map(
          (issue) => `${issue.path.join(".")}: ${issue.message}`
        )
      })
    )
  }
  const { applicationIds, breakMinutes, slotMinutes, startsAt } = decoded.right
  if (new Set(applicationIds).size !== applicationIds.length) {
    return Effect.fail(
      new InvalidInput({ command: "DefenceSession.slots", problems: ["applicationIds: 同一申报书不能安排两次答辩"] })
    )
  }
  const step = (slotMinutes + breakMinutes) * 60_000
  return Effect.succeed(
    applicationIds.map((applicationId, order) => {
      const begin = startsAt.getTime() + order * step
      return new Slot({
        order: order + 1,
        applicationId,
        startsAt: new Date(begin),
        endsAt: new Date(begin + slotMinutes * 60_000)
      })
    })
  )
}

/**
 * The conflicts declared in a session, per application.
 *
 * @since 0.1.0
 * @category accessors
 */
export const conflicts = (
  session: DefenceSession
): ReadonlyArray<{ readonly judgeId: string; readonly subjectId: string; readonly reason: string }> =>
  session.declarations
    .filter((declaration) => declaration.conflict)
    .map((declaration) => ({
      judgeId: declaration.judgeId,
      subjectId: declaration.applicationId,
      reason: declaration.reason
    }))

/**
 * The input of `Projects.scheduleSession`: the applications default to every eligible one of the call,
 * in the order they were submitted.
 *
 * @since 0.1.0
 * @category models
 */
export const ScheduleSession = Schema.Struct({
  tenantId: TenantId,
  callId: Schema.String,
  title: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(200)),
  venue: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(200)),
  startsAt: Schema.Date,
  judgeIds: Schema.NonEmptyArray(Schema.String),
  applicationIds: Schema.optional(Schema.Array(Schema.String))
})

/**
 * The input of commands naming a session.
 *
 * @since 0.1.0
 * @category models
 */
export const SessionRef = Schema.Struct({ tenantId: TenantId, sessionId: Schema.String })

/**
 * The input of `Projects.declare` (a judge's declaration on one application).
 *
 * @since 0.1.0
 * @category models
 */
export const Declare = Schema.Struct({
  ...SessionRef.fields,
  applicationId: Schema.String,
  conflict: Schema.Boolean,
  reason: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(500)), { default: () => "" })
})

/**
 * The input of `Projects.score`: `submit` locks the sheet.
 *
 * @since 0.1.0
 * @category models
 */
export const Score = Schema.Struct({
  ...SessionRef.fields,
  applicationId: Schema.String,
  scores: Schema.Record({ key: Schema.String, value: Schema.Number }),
  comment: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(2000)), { default: () => "" }),
  submit: Schema.optionalWith(Schema.Boolean, { default: () => true })
})
