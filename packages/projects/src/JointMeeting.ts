/**
 * Joint meetings (联席会议): a recurring meeting of member units (e.g. 每周工作联席会议), its minutes, decisions
 * and action items (督办事项) with owners and deadlines in working days, tracked to done and flagged overdue by
 * a sweep (once per item).
 *
 * @since 0.2.0
 */
import type { Calendar, CalendarOutOfCoverage, InvalidCalendarInput } from "@gongzhi/core/Calendar"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either, Option, Schema } from "effect"
import { EntityNotFound, InvalidTransition } from "./ProjectErrors.js"

/**
 * An action item (督办事项).
 *
 * @since 0.2.0
 * @category models
 */
export const ActionItem = Schema.Struct({
  id: Schema.String,
  text: Schema.String,
  /** The actor id of the owner (the member unit's account). */
  ownerId: Schema.String,
  ownerUnit: Schema.String,
  workingDays: Schema.Int,
  deadline: LocalDate.LocalDate,
  doneOn: Schema.NullOr(LocalDate.LocalDate),
  doneNote: Schema.String,
  overdueOn: Schema.NullOr(LocalDate.LocalDate)
})

/**
 * @since 0.2.0
 * @category models
 */
export type ActionItem = typeof ActionItem.Type

/**
 * One meeting of a series.
 *
 * @since 0.2.0
 * @category models
 */
export class JointMeeting extends Schema.Class<JointMeeting>("@gongzhi/projects/JointMeeting")({
  id: Schema.String,
  tenantId: TenantId,
  seriesId: Schema.String,
  title: Schema.String,
  sequence: Schema.Int,
  heldOn: LocalDate.LocalDate,
  memberUnits: Schema.Array(Schema.String),
  status: Schema.Literal("scheduled", "held"),
  attendees: Schema.Array(Schema.String),
  minutes: Schema.String,
  decisions: Schema.Array(Schema.String),
  actionItems: Schema.Array(ActionItem)
}) {}

const Text = Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "不能为空" }))

/**
 * Schedules a series: `count` meetings every `everyWeeks` weeks from `firstOn`, each moved to the next working
 * day when it falls on a day off.
 *
 * @since 0.2.0
 * @category commands
 */
export const ScheduleMeetings = Schema.Struct({
  tenantId: TenantId,
  title: Text,
  memberUnits: Schema.Array(Text).pipe(Schema.minItems(2, { message: () => "联席会议至少应有两个成员单位" })),
  firstOn: LocalDate.LocalDate,
  everyWeeks: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 8)), { default: () => 1 }),
  count: Schema.Int.pipe(Schema.between(1, 60))
})

/**
 * Records the minutes of a meeting with its decisions and action items.
 *
 * @since 0.2.0
 * @category commands
 */
export const RecordMinutes = Schema.Struct({
  tenantId: TenantId,
  meetingId: Schema.String,
  attendees: Schema.Array(Schema.String),
  minutes: Text,
  decisions: Schema.Array(Text),
  actionItems: Schema.Array(
    Schema.Struct({
      text: Text,
      ownerId: Text,
      ownerUnit: Text,
      workingDays: Schema.Int.pipe(Schema.between(1, 250))
    })
  )
})

/**
 * @since 0.2.0
 * @category commands
 */
export const CompleteActionItem = Schema.Struct({
  tenantId: TenantId,
  meetingId: Schema.String,
  itemId: Schema.String,
  note: Text
})

/**
 * @since 0.2.0
 * @category commands
 */
export const SeriesRef = Schema.Struct({ tenantId: TenantId, seriesId: Schema.String })

type CalendarError = CalendarOutOfCoverage | InvalidCalendarInput

/**
 * The dates of a series on the calendar.
 *
 * @since 0.2.0
 * @category combinators
 */
export const occurrences = (
  calendar: Calendar,
  firstOn: LocalDate.LocalDate,
  everyWeeks: number,
  count: number
): Effect.Effect<ReadonlyArray<LocalDate.LocalDate>, CalendarError> =>
  Effect.forEach(
    Array.from({ length: count }, (_, k) => k),
    (k) =>
      Effect.gen(function* () {
        const planned = Option.getOrThrow(LocalDate.addDays(firstOn, k * 7 * everyWeeks))
        return (yield* calendar.isWorkingDay(planned)) ? planned : yield* calendar.addWorkingDays(planned, 1)
      })
  )

type Result = Either.Either<JointMeeting, InvalidTransition | EntityNotFound>

/**
 * Holds the meeting with its minutes (once).
 *
 * @since 0.2.0
 * @category transitions
 */
export const hold = (
  meeting: JointMeeting,
  minutes: {
    readonly attendees: ReadonlyArray<string>
    readonly minutes: string
    readonly decisions: ReadonlyArray<string>
    readonly actionItems: ReadonlyArray<ActionItem>
  }
): Result =>
  meeting.status === "held"
    ? Either.left(
        new InvalidTransition({ entity: "JointMeeting", id: meeting.id, state: "已形成纪要", action: "再次记录纪要" })
      )
    : Either.right(new JointMeeting({ ...meeting, ...minutes, status: "held" }))

/**
 * Marks an action item done (once).
 *
 * @since 0.2.0
 * @category transitions
 */
export const complete = (meeting: JointMeeting, itemId: string, on: LocalDate.LocalDate, note: string): Result => {
  const item = meeting.actionItems.find((a) => a.id === itemId)
  if (item === undefined) return Either.left(new EntityNotFound({ entity: "ActionItem", id: itemId }))
  if (item.doneOn !== null) {
    return Either.left(
      new InvalidTransition({ entity: "ActionItem", id: itemId, state: `已于 ${item.doneOn} 办结`, action: "再次办结" })
    )
  }
  return Either.right(
    new JointMeeting({
      ...meeting,
      actionItems: meeting.actionItems.map((a) => (a.id === itemId ? { ...a, doneOn: on, doneNote: note } : a))
    })
  )
}

/**
 * Flags the open action items past their deadline on `asOf` (each once).
 *
 * @since 0.2.0
 * @category transitions
 */
export const sweep = (
  meeting: JointMeeting,
  asOf: LocalDate.LocalDate
): { readonly meeting: JointMeeting; readonly overdue: ReadonlyArray<ActionItem> } => {
  const overdue = meeting.actionItems.filter((a) => a.doneOn === null && a.deadline < asOf && a.overdueOn === null)
  if (overdue.length === 0) return { meeting, overdue }
  const ids = new Set(overdue.map((a) => a.id))
  return {
    meeting: new JointMeeting({
      ...meeting,
      actionItems: meeting.actionItems.map((a) => (ids.has(a.id) ? { ...a, overdueOn: asOf } : a))
    }),
    overdue
  }
}
