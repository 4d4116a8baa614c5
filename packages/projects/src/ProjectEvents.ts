/**
 * The events of the projects domain (项目事件), appended to the outbox in the transaction of the command
 * that caused them, as `projects.<Tag>`.
 *
 * @since 0.1.0
 */
import type { NewOutboxEvent, OutboxEvent } from "@gongzhi/core/Outbox"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"

/**
 * An application was submitted (申报书已受理).
 *
 * @since 0.1.0
 * @category models
 */
export const ApplicationReceived = Schema.TaggedStruct("ApplicationReceived", {
  applicationId: Schema.String,
  callId: Schema.String,
  title: Schema.String,
  applicantName: Schema.String,
  ownerId: Schema.String,
  submittedAt: Schema.Date
})

/**
 * An application's defence was scheduled (答辩安排).
 *
 * @since 0.1.0
 * @category models
 */
export const DefenceScheduled = Schema.TaggedStruct("DefenceScheduled", {
  sessionId: Schema.String,
  applicationId: Schema.String,
  title: Schema.String,
  ownerId: Schema.String,
  venue: Schema.String,
  startsAt: Schema.Date
})

/**
 * An application was selected (入选).
 *
 * @since 0.1.0
 * @category models
 */
export const ProjectSelected = Schema.TaggedStruct("ProjectSelected", {
  callId: Schema.String,
  applicationId: Schema.String,
  title: Schema.String,
  ownerId: Schema.String,
  rank: Schema.Int,
  score: Schema.Number
})

/**
 * A selection was published for objections (公示).
 *
 * @since 0.1.0
 * @category models
 */
export const SelectionPublicised = Schema.TaggedStruct("SelectionPublicised", {
  callId: Schema.String,
  title: Schema.String,
  from: Schema.String,
  objectionsUntil: Schema.String,
  applicationIds: Schema.Array(Schema.String)
})

/**
 * A project was recommended to the city level (推荐市级培育项目), or the city decided.
 *
 * @since 0.1.0
 * @category models
 */
export const CityRecommendation = Schema.TaggedStruct("CityRecommendation", {
  callId: Schema.String,
  applicationId: Schema.String,
  outcome: Schema.Literal("pending", "selected", "not-selected")
})

/**
 * A monthly progress report is due soon (进度报告即将到期); `ownerId` is the responsible unit's account.
 *
 * @since 0.2.0
 * @category models
 */
export const ReportDue = Schema.TaggedStruct("ReportDue", {
  projectId: Schema.String,
  title: Schema.String,
  ownerId: Schema.String,
  month: Schema.String,
  dueOn: Schema.String
})

/**
 * A monthly progress report is overdue (进度报告逾期).
 *
 * @since 0.2.0
 * @category models
 */
export const ReportOverdue = Schema.TaggedStruct("ReportOverdue", {
  projectId: Schema.String,
  title: Schema.String,
  ownerId: Schema.String,
  supervisorId: Schema.String,
  month: Schema.String,
  dueOn: Schema.String
})

/**
 * An inspection found problems (督导发现问题); rectifications carry their deadlines.
 *
 * @since 0.2.0
 * @category models
 */
export const InspectionFindings = Schema.TaggedStruct("InspectionFindings", {
  projectId: Schema.String,
  inspectionId: Schema.String,
  title: Schema.String,
  ownerId: Schema.String,
  rating: Schema.String,
  findings: Schema.Array(Schema.String),
  rectifications: Schema.Array(Schema.Struct({ id: Schema.String, finding: Schema.String, deadline: Schema.String }))
})

/**
 * A rectification is past its deadline (整改逾期).
 *
 * @since 0.2.0
 * @category models
 */
export const RectificationOverdue = Schema.TaggedStruct("RectificationOverdue", {
  projectId: Schema.String,
  rectificationId: Schema.String,
  title: Schema.String,
  ownerId: Schema.String,
  supervisorId: Schema.String,
  finding: Schema.String,
  deadline: Schema.String
})

/**
 * A project's acceptance was decided (验收结论): pass, conditional pass or fail.
 *
 * @since 0.2.0
 * @category models
 */
export const ProjectAccepted = Schema.TaggedStruct("ProjectAccepted", {
  projectId: Schema.String,
  title: Schema.String,
  ownerId: Schema.String,
  outcome: Schema.Literal("pass", "conditional", "fail"),
  missed: Schema.Array(Schema.String)
})

/**
 * A project was terminated (项目终止).
 *
 * @since 0.2.0
 * @category models
 */
export const ProjectTerminated = Schema.TaggedStruct("ProjectTerminated", {
  projectId: Schema.String,
  title: Schema.String,
  ownerId: Schema.String,
  reason: Schema.String
})

/**
 * A joint meeting's action item is past its deadline (督办事项逾期).
 *
 * @since 0.2.0
 * @category models
 */
export const ActionItemOverdue = Schema.TaggedStruct("ActionItemOverdue", {
  meetingId: Schema.String,
  itemId: Schema.String,
  meetingTitle: Schema.String,
  text: Schema.String,
  ownerId: Schema.String,
  ownerUnit: Schema.String,
  deadline: Schema.String
})

/**
 * Every event of the projects domain.
 *
 * @since 0.1.0
 * @category models
 */
export const ProjectEvent = Schema.Union(
  ApplicationReceived,
  DefenceScheduled,
  ProjectSelected,
  SelectionPublicised,
  CityRecommendation,
  ReportDue,
  ReportOverdue,
  InspectionFindings,
  RectificationOverdue,
  ProjectAccepted,
  ProjectTerminated,
  ActionItemOverdue
)

/**
 * @since 0.1.0
 * @category models
 */
export type ProjectEvent = typeof ProjectEvent.Type

/**
 * The outbox type of an event: `projects.` and its tag.
 *
 * @since 0.1.0
 * @category accessors
 */
export const eventType = (tag: ProjectEvent["_tag"]): string => `projects.${tag}`

const aggregateOf = (event: ProjectEvent): readonly [string, string] => {
  switch (event._tag) {
    case "ApplicationReceived":
    case "DefenceScheduled":
    case "ProjectSelected":
      return ["Application", event.applicationId]
    case "SelectionPublicised":
    case "CityRecommendation":
      return ["Call", event.callId]
    case "ReportDue":
    case "ReportOverdue":
    case "InspectionFindings":
    case "RectificationOverdue":
    case "ProjectAccepted":
    case "ProjectTerminated":
      return ["CultivatedProject", event.projectId]
    case "ActionItemOverdue":
      return ["JointMeeting", event.meetingId]
  }
}

const encodeEvent = Schema.encodeSync(ProjectEvent)

/**
 * The outbox entry of an event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toOutbox = (tenantId: TenantId, event: ProjectEvent): NewOutboxEvent => {
  const [aggregateType, aggregateId] = aggregateOf(event)
  return { tenantId, type: eventType(event._tag), aggregateType, aggregateId, payload: encodeEvent(event) }
}

/**
 * Decodes an outbox event's payload back into a project event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromOutbox = (event: OutboxEvent) => Schema.decodeUnknown(ProjectEvent)(event.payload)
