/**
 * The report (民情诉求, `OpinionReport`): what a resident raised, through which channel, where, under which
 * category and kind, and everything that happened to it — dispatches, the internal notes of the handling
 * department (kept apart from the public reply), the public replies, follow-ups and satisfaction, extensions,
 * reminders and escalations (督办), merges, and the history of every transition (who, when, from, to, note).
 *
 * The reporter's phone number is stored encrypted (`FieldCipher`, bound to the tenant and the column) with a
 * blind index for "all reports of this number" and a masked copy for display; the plain number is never stored,
 * logged, put in an event or an error.
 *
 * @since 0.1.0
 */
import * as Actor from "@gongzhi/core/Actor"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import * as Deadline from "./Deadline.js"
import { DepartmentCode } from "./Routing.js"
import { CategoryCode, ChannelCode, KindCode, Urgency } from "./Taxonomy.js"
import * as Workflow from "./Workflow.js"

// ---------------------------------------------------------------------------------------------
// ids and small values
// ---------------------------------------------------------------------------------------------

/**
 * A report id, e.g. `R20260302K7Q2M9XA` (generated: `R`, the local date of receipt and 8 random characters).
 *
 * @since 0.1.0
 * @category models
 */
export const ReportId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, {
    message: () => "诉求编号应为 1–64 位字母、数字或 _ . : -"
  }),
  Schema.brand("@gongzhi/opinion/ReportId"),
  Schema.annotations({ identifier: "ReportId", title: "诉求编号" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ReportId = typeof ReportId.Type

/**
 * Satisfaction (满意度): `satisfied` 满意, `basically-satisfied` 基本满意, `unsatisfied` 不满意.
 *
 * @since 0.1.0
 * @category models
 */
export const Satisfaction = Schema.Literal("satisfied", "basically-satisfied", "unsatisfied").annotations({
  identifier: "Satisfaction",
  title: "满意度",
  message: () => "满意度应为 satisfied（满意）、basically-satisfied（基本满意）或 unsatisfied（不满意）"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Satisfaction = typeof Satisfaction.Type

/**
 * A level of the satisfaction scale: its label and whether it counts as resolved (a report may be closed after
 * it; otherwise it is reopened or closed as unresolved).
 *
 * @since 0.1.0
 * @category models
 */
export class SatisfactionLevel extends Schema.Class<SatisfactionLevel>("@gongzhi/opinion/SatisfactionLevel")({
  code: Satisfaction,
  name: Schema.String,
  resolved: Schema.Boolean
}) {}

/**
 * The default satisfaction scale (policy): 满意 and 基本满意 count as resolved, 不满意 does not.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultSatisfactionScale: ReadonlyArray<SatisfactionLevel> = [
  new SatisfactionLevel({ code: "satisfied", name: "满意", resolved: true }),
  new SatisfactionLevel({ code: "basically-satisfied", name: "基本满意", resolved: true }),
  new SatisfactionLevel({ code: "unsatisfied", name: "不满意", resolved: false })
]

/**
 * Whether a satisfaction level counts as resolved on a scale (unknown levels do not).
 *
 * @since 0.1.0
 * @category accessors
 */
export const isResolved = (scale: ReadonlyArray<SatisfactionLevel>, satisfaction: Satisfaction): boolean =>
  scale.find((level) => level.code === satisfaction)?.resolved ?? false

/**
 * The label of a satisfaction level on a scale.
 *
 * @since 0.1.0
 * @category accessors
 */
export const satisfactionLabel = (scale: ReadonlyArray<SatisfactionLevel>, satisfaction: Satisfaction): string =>
  scale.find((level) => level.code === satisfaction)?.name ?? satisfaction

/**
 * Who did something, by kind and id only (never personal data).
 *
 * @since 0.1.0
 * @category models
 */
export const ActorRef = Schema.Struct({
  kind: Schema.Literal("Staff", "Volunteer", "Resident", "ServiceAccount"),
  id: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ActorRef = typeof ActorRef.Type

/**
 * The reference of an actor.
 *
 * @since 0.1.0
 * @category constructors
 */
export const actorRef = (actor: Actor.Actor): ActorRef => ({ kind: actor._tag, id: Actor.id(actor) })

// ---------------------------------------------------------------------------------------------
// reporter and location
// ---------------------------------------------------------------------------------------------

/**
 * Who raised the concern: a volunteer (民情志愿者, who records what residents tell on a visit), a resident with a
 * user account, or an anonymous person (a hotline caller, a visitor).
 *
 * @since 0.1.0
 * @category models
 */
export const Reporter = Schema.Union(
  Schema.TaggedStruct("Volunteer", { volunteerId: Actor.VolunteerId }),
  Schema.TaggedStruct("Resident", { userId: Actor.UserId }),
  Schema.TaggedStruct("Anonymous", {})
).annotations({ identifier: "Reporter", title: "反映人" })

/**
 * @since 0.1.0
 * @category models
 */
export type Reporter = typeof Reporter.Type

/**
 * The key of a reporter in indexes: `volunteer:V…`, `resident:U…`, or undefined for an anonymous reporter.
 *
 * @since 0.1.0
 * @category accessors
 */
export const reporterKey = (reporter: Reporter): string | undefined =>
  reporter._tag === "Volunteer"
    ? `volunteer:${reporter.volunteerId}`
    : reporter._tag === "Resident"
      ? `resident:${reporter.userId}`
      : undefined

/**
 * The reporter's contact: the phone number encrypted (`gz1.…`), its blind index (for lookups) and its masked form
 * (`138****5678`, for display).
 *
 * @since 0.1.0
 * @category models
 */
export class Contact extends Schema.Class<Contact>("@gongzhi/opinion/Contact")({
  phone: Schema.String,
  phoneIndex: Schema.String,
  phoneMasked: Schema.String
}) {}

/**
 * WGS-84 coordinates.
 *
 * @since 0.1.0
 * @category models
 */
export const Coordinates = Schema.Struct({
  latitude: Schema.Number.pipe(Schema.between(-90, 90, { message: () => "纬度应在 -90 到 90 之间" })),
  longitude: Schema.Number.pipe(Schema.between(-180, 180, { message: () => "经度应在 -180 到 180 之间" }))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Coordinates = typeof Coordinates.Type

/**
 * Where the concern is: street and community (validated against the district's region tree), optionally a grid,
 * an address and coordinates.
 *
 * @since 0.1.0
 * @category models
 */
export class Location extends Schema.Class<Location>("@gongzhi/opinion/Location")({
  streetCode: RegionCode,
  communityCode: RegionCode,
  gridCode: Schema.optionalWith(RegionCode, { exact: true }),
  address: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(200)), { exact: true }),
  coordinates: Schema.optionalWith(Coordinates, { exact: true })
}) {}

/**
 * A reference to an attachment stored elsewhere (a photo, a recording): its URI, media type and file name.
 *
 * @since 0.1.0
 * @category models
 */
export const Attachment = Schema.Struct({
  uri: Schema.String.pipe(
    Schema.minLength(1, { message: () => "附件地址不能为空" }),
    Schema.maxLength(500, { message: () => "附件地址不能超过 500 个字符" })
  ),
  mediaType: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(100)), { exact: true }),
  name: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(200)), { exact: true })
}).annotations({ identifier: "Attachment", title: "附件" })

/**
 * @since 0.1.0
 * @category models
 */
export type Attachment = typeof Attachment.Type

// ---------------------------------------------------------------------------------------------
// records
// ---------------------------------------------------------------------------------------------

/**
 * One transition of the report: when, who, which command, from which state (absent at intake) to which, and the
 * note given with it.
 *
 * @since 0.1.0
 * @category models
 */
export const HistoryEntry = Schema.Struct({
  at: Schema.Date,
  by: ActorRef,
  command: Schema.String,
  from: Schema.optionalWith(Workflow.StateCode, { exact: true }),
  to: Workflow.StateCode,
  note: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type HistoryEntry = typeof HistoryEntry.Type

/**
 * An internal handling note (内部办理意见): seen by staff only, never by the reporter or on Open311.
 *
 * @since 0.1.0
 * @category models
 */
export const InternalNote = Schema.Struct({ at: Schema.Date, by: ActorRef, text: Schema.String })

/**
 * @since 0.1.0
 * @category models
 */
export type InternalNote = typeof InternalNote.Type

/**
 * A public reply (答复) to the reporter. `fromReportId` is set on a merged report that received the reply of its
 * primary report.
 *
 * @since 0.1.0
 * @category models
 */
export const Reply = Schema.Struct({
  at: Schema.Date,
  by: ActorRef,
  text: Schema.String,
  fromReportId: Schema.optionalWith(ReportId, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Reply = typeof Reply.Type

/**
 * A follow-up (回访) with the reporter's satisfaction.
 *
 * @since 0.1.0
 * @category models
 */
export const FollowUp = Schema.Struct({
  at: Schema.Date,
  by: ActorRef,
  satisfaction: Satisfaction,
  comment: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type FollowUp = typeof FollowUp.Type

/**
 * An extension request (延期申请) and its decision.
 *
 * @since 0.1.0
 * @category models
 */
export const Extension = Schema.Struct({
  requestedAt: Schema.Date,
  requestedBy: ActorRef,
  workingDays: Schema.Int,
  reason: Schema.String,
  status: Schema.Literal("pending", "approved", "denied"),
  decidedAt: Schema.optionalWith(Schema.Date, { exact: true }),
  decidedBy: Schema.optionalWith(ActorRef, { exact: true }),
  decisionNote: Schema.optionalWith(Schema.String, { exact: true }),
  previousDueDate: Schema.optionalWith(LocalDate.LocalDate, { exact: true }),
  newDueDate: Schema.optionalWith(LocalDate.LocalDate, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Extension = typeof Extension.Type

/**
 * A deadline notice sent for a report: a reminder ("deadline approaching") or an escalation (督办, `level` 1 for
 * the first, 2 for the next …), for the deadline of `clock` due on `dueDate`.
 *
 * @since 0.1.0
 * @category models
 */
export const DeadlineNotice = Schema.Struct({
  at: Schema.Date,
  clock: Workflow.DeadlineClock,
  dueDate: LocalDate.LocalDate,
  level: Schema.optionalWith(Schema.Int, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type DeadlineNotice = typeof DeadlineNotice.Type

// ---------------------------------------------------------------------------------------------
// the report
// ---------------------------------------------------------------------------------------------

/**
 * A report (民情诉求).
 *
 * `status` is a state of the workflow and `bucket` its bucket at the time of the last transition. `deadline` is
 * the handling deadline; `followUpDue` the follow-up deadline once replied. `dueAt` is the instant the deadline
 * running in the current state ends (none when the clock is stopped); `nextReminderAt` and `nextEscalationAt`
 * are when the next "deadline approaching" notice and the next escalation are due (none when sent or not needed).
 *
 * @since 0.1.0
 * @category models
 */
export class Report extends Schema.Class<Report>("@gongzhi/opinion/Report")({
  id: ReportId,
  tenantId: TenantId,
  status: Workflow.StateCode,
  bucket: Workflow.Bucket,
  reporter: Reporter,
  contact: Schema.optionalWith(Contact, { exact: true }),
  location: Location,
  category: CategoryCode,
  kind: KindCode,
  urgency: Urgency,
  channel: ChannelCode,
  title: Schema.optionalWith(Schema.String, { exact: true }),
  content: Schema.String,
  attachments: Schema.Array(Attachment),
  idempotencyKey: Schema.optionalWith(Schema.String, { exact: true }),
  suggestedDepartment: DepartmentCode,
  department: Schema.optionalWith(DepartmentCode, { exact: true }),
  receivedAt: Schema.Date,
  updatedAt: Schema.Date,
  deadline: Deadline.Deadline,
  followUpDue: Schema.optionalWith(LocalDate.LocalDate, { exact: true }),
  dueAt: Schema.optionalWith(Schema.Date, { exact: true }),
  nextReminderAt: Schema.optionalWith(Schema.Date, { exact: true }),
  nextEscalationAt: Schema.optionalWith(Schema.Date, { exact: true }),
  reminders: Schema.Array(DeadlineNotice),
  escalations: Schema.Array(DeadlineNotice),
  extensions: Schema.Array(Extension),
  internalNotes: Schema.Array(InternalNote),
  replies: Schema.Array(Reply),
  followUps: Schema.Array(FollowUp),
  satisfaction: Schema.optionalWith(Satisfaction, { exact: true }),
  mergedInto: Schema.optionalWith(ReportId, { exact: true }),
  mergedIds: Schema.Array(ReportId),
  repliedAt: Schema.optionalWith(Schema.Date, { exact: true }),
  closedAt: Schema.optionalWith(Schema.Date, { exact: true }),
  reopenCount: Schema.Int,
  history: Schema.Array(HistoryEntry)
}) {}

/**
 * The latest public reply, if any.
 *
 * @since 0.1.0
 * @category accessors
 */
export const latestReply = (report: Report): Reply | undefined => report.replies[report.replies.length - 1]

/**
 * The region an authorization check targets for a report: its grid when known, else its community.
 *
 * @since 0.1.0
 * @category accessors
 */
export const regionOf = (report: Report): RegionCode => report.location.gridCode ?? report.location.communityCode

/**
 * Who filed the report (the actor of its intake): the reporter themselves, or a clerk or volunteer filing on
 * someone's behalf.
 *
 * @since 0.1.0
 * @category accessors
 */
export const filerOf = (report: Report): ActorRef | undefined => {
  const first = report.history[0]
  return first !== undefined && first.command === "submit" ? first.by : undefined
}

/**
 * Whether the report was (or is, at `asOf`) overdue: it was escalated, was replied or closed after its handling
 * deadline ended, or — when `asOf` is given — its running deadline has passed.
 *
 * @since 0.1.0
 * @category accessors
 */
export const wasOverdue = (
  report: Report,
  options: { readonly asOf?: Date | undefined; readonly utcOffsetMinutes?: number } = {}
): boolean => {
  if (report.escalations.length > 0) return true
  const handlingEnd = Deadline.endOfDay(report.deadline.dueDate, options.utcOffsetMinutes ?? 480)
  const settled = report.repliedAt ?? report.closedAt
  if (settled !== undefined && settled.getTime() >= handlingEnd.getTime()) return true
  return options.asOf !== undefined && Deadline.isOverdue(report.dueAt, options.asOf)
}

// ---------------------------------------------------------------------------------------------
// the public view
// ---------------------------------------------------------------------------------------------

/**
 * What the reporter sees of a report: no internal notes, no contact data, no staff ids; the history shows the
 * states and when, not who.
 *
 * @since 0.1.0
 * @category models
 */
export class PublicReport extends Schema.Class<PublicReport>("@gongzhi/opinion/PublicReport")({
  id: ReportId,
  status: Workflow.StateCode,
  statusName: Schema.String,
  bucket: Workflow.Bucket,
  category: CategoryCode,
  kind: KindCode,
  urgency: Urgency,
  channel: ChannelCode,
  title: Schema.optionalWith(Schema.String, { exact: true }),
  content: Schema.String,
  location: Schema.Struct({
    streetCode: RegionCode,
    communityCode: RegionCode,
    address: Schema.optionalWith(Schema.String, { exact: true })
  }),
  attachments: Schema.Array(Attachment),
  receivedAt: Schema.Date,
  dueDate: LocalDate.LocalDate,
  replies: Schema.Array(Schema.Struct({ at: Schema.Date, text: Schema.String })),
  satisfaction: Schema.optionalWith(Satisfaction, { exact: true }),
  mergedInto: Schema.optionalWith(ReportId, { exact: true }),
  closedAt: Schema.optionalWith(Schema.Date, { exact: true }),
  history: Schema.Array(
    Schema.Struct({
      at: Schema.Date,
      from: Schema.optionalWith(Schema.String, { exact: true }),
      to: Schema.String,
      toName: Schema.String
    })
  )
}) {}

/**
 * The reporter's view of a report.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toPublic = (report: Report, workflow: Workflow.Workflow): PublicReport =>
  new PublicReport({
    id: report.id,
    status: report.status,
    statusName: Workflow.stateName(workflow, report.status),
    bucket: report.bucket,
    category: report.category,
    kind: report.kind,
    urgency: report.urgency,
    channel: report.channel,
    ...(report.title === undefined ? {} : { title: report.title }),
    content: report.content,
    location: {
      streetCode: report.location.streetCode,
      communityCode: report.location.communityCode,
      ...(report.location.address === undefined ? {} : { address: report.location.address })
    },
    attachments: report.attachments,
    receivedAt: report.receivedAt,
    dueDate: report.deadline.dueDate,
    replies: report.replies.map((reply) => ({ at: reply.at, text: reply.text })),
    ...(report.satisfaction === undefined ? {} : { satisfaction: report.satisfaction }),
    ...(report.mergedInto === undefined ? {} : { mergedInto: report.mergedInto }),
    ...(report.closedAt === undefined ? {} : { closedAt: report.closedAt }),
    history: report.history.map((entry) => ({
      at: entry.at,
      ...(entry.from === undefined ? {} : { from: entry.from }),
      to: entry.to,
      toName: Workflow.stateName(workflow, entry.to)
    }))
  })
