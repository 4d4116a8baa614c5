/**
 * The domain events of the opinion module (民情诉求事件), as a `Schema` union. Commands append them to the outbox
 * in the same transaction as the state change; the notification dispatcher turns them into messages (a new
 * dispatch to a department, a reminder, an escalation, the reply to the resident, a follow-up request).
 *
 * Events carry ids, codes, dates and the public reply — never a phone number or an internal note.
 *
 * @since 0.1.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import type * as Outbox from "@gongzhi/core/Outbox"
import { RegionCode } from "@gongzhi/core/Region"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { Effect, ParseResult } from "effect"
import { Schema } from "effect"
import { Reporter, ReportId, Satisfaction } from "./Report.js"
import { DepartmentCode } from "./Routing.js"
import { CategoryCode, ChannelCode, KindCode, Urgency } from "./Taxonomy.js"
import { DeadlineClock, StateCode } from "./Workflow.js"

const department = Schema.optionalWith(DepartmentCode, { exact: true })

/**
 * A report was received (受理).
 *
 * @since 0.1.0
 * @category models
 */
export const ReportReceived = Schema.TaggedStruct("ReportReceived", {
  reportId: ReportId,
  category: CategoryCode,
  kind: KindCode,
  urgency: Urgency,
  channel: ChannelCode,
  streetCode: RegionCode,
  communityCode: RegionCode,
  receivedAt: Schema.Date,
  dueDate: LocalDate.LocalDate,
  suggestedDepartment: DepartmentCode
})

/**
 * A report was dispatched (派单) to a department.
 *
 * @since 0.1.0
 * @category models
 */
export const ReportDispatched = Schema.TaggedStruct("ReportDispatched", {
  reportId: ReportId,
  department: DepartmentCode,
  departmentName: Schema.String,
  category: CategoryCode,
  urgency: Urgency,
  streetCode: RegionCode,
  communityCode: RegionCode,
  dueDate: LocalDate.LocalDate,
  note: Schema.optionalWith(Schema.String, { exact: true })
})

/**
 * The department signed for the report (签收).
 *
 * @since 0.1.0
 * @category models
 */
export const ReportAccepted = Schema.TaggedStruct("ReportAccepted", { reportId: ReportId, department })

/**
 * The department returned the report to the dispatcher (退单).
 *
 * @since 0.1.0
 * @category models
 */
export const ReportReturned = Schema.TaggedStruct("ReportReturned", {
  reportId: ReportId,
  department,
  reason: Schema.String
})

/**
 * The department started handling the report (办理).
 *
 * @since 0.1.0
 * @category models
 */
export const HandlingStarted = Schema.TaggedStruct("HandlingStarted", { reportId: ReportId, department })

/**
 * The department asked for an extension (延期申请).
 *
 * @since 0.1.0
 * @category models
 */
export const ExtensionRequested = Schema.TaggedStruct("ExtensionRequested", {
  reportId: ReportId,
  department,
  workingDays: Schema.Int,
  reason: Schema.String,
  dueDate: LocalDate.LocalDate
})

/**
 * An extension was approved or denied; `dueDate` is the due date from now on.
 *
 * @since 0.1.0
 * @category models
 */
export const ExtensionDecided = Schema.TaggedStruct("ExtensionDecided", {
  reportId: ReportId,
  department,
  approved: Schema.Boolean,
  dueDate: LocalDate.LocalDate
})

/**
 * A public reply reached a reporter (答复): sent for the report replied to, and for every report merged into it.
 * `recipientReportId` is the report whose reporter is to be told; `hasContact` says whether a phone number is on
 * file for it (the dispatcher looks it up through the report, never through the event).
 *
 * @since 0.1.0
 * @category models
 */
export const ReplyPublished = Schema.TaggedStruct("ReplyPublished", {
  reportId: ReportId,
  recipientReportId: ReportId,
  reporter: Reporter,
  hasContact: Schema.Boolean,
  text: Schema.String,
  repliedAt: Schema.Date
})

/**
 * A follow-up (回访) is due with the reporter.
 *
 * @since 0.1.0
 * @category models
 */
export const FollowUpRequested = Schema.TaggedStruct("FollowUpRequested", {
  reportId: ReportId,
  reporter: Reporter,
  hasContact: Schema.Boolean,
  followUpDue: LocalDate.LocalDate,
  department
})

/**
 * The reporter's satisfaction was recorded at the follow-up.
 *
 * @since 0.1.0
 * @category models
 */
export const SatisfactionRecorded = Schema.TaggedStruct("SatisfactionRecorded", {
  reportId: ReportId,
  satisfaction: Satisfaction,
  department
})

/**
 * The report was closed (办结), resolved or not.
 *
 * @since 0.1.0
 * @category models
 */
export const ReportClosed = Schema.TaggedStruct("ReportClosed", {
  reportId: ReportId,
  state: StateCode,
  resolved: Schema.Boolean,
  satisfaction: Schema.optionalWith(Satisfaction, { exact: true }),
  department,
  closedAt: Schema.Date
})

/**
 * The report was reopened (重办) with a new handling deadline.
 *
 * @since 0.1.0
 * @category models
 */
export const ReportReopened = Schema.TaggedStruct("ReportReopened", {
  reportId: ReportId,
  department,
  reopenCount: Schema.Int,
  dueDate: LocalDate.LocalDate,
  reason: Schema.String
})

/**
 * Duplicate reports were merged into a primary report.
 *
 * @since 0.1.0
 * @category models
 */
export const ReportsMerged = Schema.TaggedStruct("ReportsMerged", {
  primaryId: ReportId,
  mergedIds: Schema.Array(ReportId)
})

/**
 * A deadline is near (临期提醒): `dueDate` of the `clock` running for the report.
 *
 * @since 0.1.0
 * @category models
 */
export const DeadlineApproaching = Schema.TaggedStruct("DeadlineApproaching", {
  reportId: ReportId,
  department,
  status: StateCode,
  clock: DeadlineClock,
  dueDate: LocalDate.LocalDate,
  streetCode: RegionCode
})

/**
 * A deadline has passed and the report is escalated (超期督办), `level` 1 for the first escalation.
 *
 * @since 0.1.0
 * @category models
 */
export const ReportOverdue = Schema.TaggedStruct("ReportOverdue", {
  reportId: ReportId,
  department,
  status: StateCode,
  clock: DeadlineClock,
  dueDate: LocalDate.LocalDate,
  level: Schema.Int,
  streetCode: RegionCode
})

/**
 * Every event of the module.
 *
 * @since 0.1.0
 * @category models
 */
export const OpinionEvent = Schema.Union(
  ReportReceived,
  ReportDispatched,
  ReportAccepted,
  ReportReturned,
  HandlingStarted,
  ExtensionRequested,
  ExtensionDecided,
  ReplyPublished,
  FollowUpRequested,
  SatisfactionRecorded,
  ReportClosed,
  ReportReopened,
  ReportsMerged,
  DeadlineApproaching,
  ReportOverdue
).annotations({ identifier: "OpinionEvent", title: "民情诉求事件" })

/**
 * @since 0.1.0
 * @category models
 */
export type OpinionEvent = typeof OpinionEvent.Type

/**
 * The outbox `type` prefix of the module's events: `opinion.ReportDispatched` etc.
 *
 * @since 0.1.0
 * @category models
 */
export const typePrefix = "opinion."

/**
 * The outbox `aggregateType` of reports.
 *
 * @since 0.1.0
 * @category models
 */
export const aggregateType = "OpinionReport"

/**
 * The outbox `type` of an event tag (`ReportDispatched` → `opinion.ReportDispatched`).
 *
 * @since 0.1.0
 * @category accessors
 */
export const eventType = (tag: OpinionEvent["_tag"]): string => `${typePrefix}${tag}`

const encode = Schema.encodeSync(OpinionEvent)

/**
 * The outbox entry of an event (payload encoded with the schema; aggregate = the report, or the primary report for
 * a merge).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toOutbox = (tenantId: TenantId, event: OpinionEvent): Outbox.NewOutboxEvent => ({
  tenantId,
  type: eventType(event._tag),
  aggregateType,
  aggregateId: event._tag === "ReportsMerged" ? event.primaryId : event.reportId,
  payload: encode(event)
})

/**
 * Decodes the payload of an outbox event of this module.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromOutbox = (event: { readonly payload: unknown }): Effect.Effect<OpinionEvent, ParseResult.ParseError> =>
  Schema.decodeUnknown(OpinionEvent)(event.payload)
