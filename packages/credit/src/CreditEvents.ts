/**
 * The domain events of public credit, appended to the outbox in the transaction that caused them:
 * a batch accepted (with its rejections), a grade changed, a subject entered or left a list by
 * decision, two subjects merged, a unit's 双公示 publications overdue, a measure taken; an objection
 * filed, decided or overdue, a repair granted or refused, records whose display ended at the maximum.
 *
 * @since 0.1.0
 */
import type { NewOutboxEvent, OutboxEvent } from "@gongzhi/core/Outbox"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"

/**
 * A batch was received: its accepted rows committed, `rejected` rows returned to the unit.
 *
 * @since 0.1.0
 * @category events
 */
export const BatchAccepted = Schema.TaggedStruct("BatchAccepted", {
  batchId: Schema.String,
  sourceUnitId: Schema.String,
  accepted: Schema.Int,
  rejected: Schema.Int
})

/**
 * A subject's grade changed.
 *
 * @since 0.1.0
 * @category events
 */
export const GradeChanged = Schema.TaggedStruct("GradeChanged", {
  subjectId: Schema.String,
  from: Schema.optional(Schema.String),
  to: Schema.String,
  score: Schema.Number
})

/**
 * A subject entered a list: by rule (a record put it there) or by an approved decision.
 *
 * @since 0.1.0
 * @category events
 */
export const SubjectEnteredList = Schema.TaggedStruct("SubjectEnteredList", {
  subjectId: Schema.String,
  list: Schema.Literal("red", "seriousDishonesty", "abnormal"),
  /** By rule (records) or by an approved decision. */
  basis: Schema.Literal("rule", "decision"),
  decisionId: Schema.optional(Schema.String),
  decidingUnit: Schema.optional(Schema.String),
  from: Schema.String,
  until: Schema.String
})

/**
 * A subject left a list: a decided entry removed early or expired, or no record keeps it on a list by
 * rule any more (`ruleEnded`: a record repaired, expired or revoked, or the rule's period over).
 *
 * @since 0.1.0
 * @category events
 */
export const SubjectLeftList = Schema.TaggedStruct("SubjectLeftList", {
  subjectId: Schema.String,
  list: Schema.Literal("red", "seriousDishonesty", "abnormal"),
  basis: Schema.Literal("rule", "decision"),
  decisionId: Schema.optional(Schema.String),
  reason: Schema.Literal("removed", "expired", "ruleEnded"),
  on: Schema.String
})

/**
 * A subject entered twice was merged into the other; its records moved there.
 *
 * @since 0.1.0
 * @category events
 */
export const SubjectsMerged = Schema.TaggedStruct("SubjectsMerged", {
  subjectId: Schema.String,
  mergedId: Schema.String,
  movedRecords: Schema.Int
})

/**
 * 双公示: a source unit's licences or penalties were not published within 7 working days of the
 * decision (found by the overdue sweep; each record is reported once).
 *
 * @since 0.1.0
 * @category events
 */
export const PublicationOverdue = Schema.TaggedStruct("PublicationOverdue", {
  sourceUnitId: Schema.String,
  sourceUnitName: Schema.String,
  count: Schema.Int,
  /** The late records' source record ids (at most 50) and their due dates. */
  records: Schema.Array(
    Schema.Struct({ sourceRecordId: Schema.String, findingDate: Schema.String, due: Schema.String })
  )
})

/**
 * A unit reported a joint measure it took.
 *
 * @since 0.1.0
 * @category events
 */
export const MeasureTaken = Schema.TaggedStruct("MeasureTaken", {
  feedbackId: Schema.String,
  subjectId: Schema.String,
  measure: Schema.String,
  unit: Schema.String,
  takenOn: Schema.String
})

/**
 * A subject (or its agent) filed an objection against a record; the record shows 异议处理中.
 *
 * @since 0.2.0
 * @category events
 */
export const ObjectionFiled = Schema.TaggedStruct("ObjectionFiled", {
  objectionId: Schema.String,
  subjectId: Schema.String,
  recordId: Schema.String,
  sourceUnitId: Schema.String,
  due: Schema.String
})

/**
 * An objection ended: refused (不予受理) or closed with its outcome; the subject is notified.
 *
 * @since 0.2.0
 * @category events
 */
export const ObjectionDecided = Schema.TaggedStruct("ObjectionDecided", {
  objectionId: Schema.String,
  subjectId: Schema.String,
  recordId: Schema.String,
  outcome: Schema.Literal("refused", "corrected", "revoked", "kept"),
  note: Schema.optional(Schema.String)
})

/**
 * A step of an objection is past its time limit (each step once).
 *
 * @since 0.2.0
 * @category events
 */
export const ObjectionOverdue = Schema.TaggedStruct("ObjectionOverdue", {
  objectionId: Schema.String,
  subjectId: Schema.String,
  sourceUnitId: Schema.String,
  step: Schema.Literal("accept", "platformCheck", "provider"),
  due: Schema.String
})

/**
 * A repair was granted: the records are no longer shown, shared or used. `sourceUnitId` decided;
 * the units that received the records are to be told (the sharing side knows them).
 *
 * @since 0.2.0
 * @category events
 */
export const RepairGranted = Schema.TaggedStruct("RepairGranted", {
  applicationId: Schema.String,
  subjectId: Schema.String,
  recordIds: Schema.Array(Schema.String),
  sourceUnitId: Schema.String,
  on: Schema.String,
  /** The list entries by decision removed with the repair. */
  removedDecisionIds: Schema.Array(Schema.String),
  /** The joint measures (code and purpose) that applied before and no longer do. */
  liftedMeasures: Schema.Array(Schema.Struct({ measure: Schema.String, purpose: Schema.String }))
})

/**
 * A repair was refused, with the reasons.
 *
 * @since 0.2.0
 * @category events
 */
export const RepairRefused = Schema.TaggedStruct("RepairRefused", {
  applicationId: Schema.String,
  subjectId: Schema.String,
  recordIds: Schema.Array(Schema.String),
  reasons: Schema.Array(Schema.String)
})

/**
 * Records reached their maximum display period and were marked expired (公示期满).
 *
 * @since 0.2.0
 * @category events
 */
export const RecordDisplayEnded = Schema.TaggedStruct("RecordDisplayEnded", {
  subjectId: Schema.String,
  recordIds: Schema.Array(Schema.String),
  on: Schema.String
})

/**
 * Every credit event.
 *
 * @since 0.1.0
 * @category events
 */
export const CreditEvent = Schema.Union(
  BatchAccepted,
  GradeChanged,
  SubjectEnteredList,
  SubjectLeftList,
  SubjectsMerged,
  PublicationOverdue,
  MeasureTaken,
  ObjectionFiled,
  ObjectionDecided,
  ObjectionOverdue,
  RepairGranted,
  RepairRefused,
  RecordDisplayEnded
)

/**
 * @since 0.1.0
 * @category events
 */
export type CreditEvent = typeof CreditEvent.Type

/**
 * The outbox type of an event, e.g. `credit.GradeChanged`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const eventType = (tag: CreditEvent["_tag"]): string => `credit.${tag}`

const aggregateOf = (event: CreditEvent): { readonly aggregateType: string; readonly aggregateId: string } => {
  switch (event._tag) {
    case "BatchAccepted":
      return { aggregateType: "Batch", aggregateId: event.batchId }
    case "PublicationOverdue":
      return { aggregateType: "SourceUnit", aggregateId: event.sourceUnitId }
    case "SubjectEnteredList":
    case "SubjectLeftList":
      return event.decisionId === undefined
        ? { aggregateType: "Subject", aggregateId: event.subjectId }
        : { aggregateType: "ListDecision", aggregateId: event.decisionId }
    case "MeasureTaken":
      return { aggregateType: "MeasureFeedback", aggregateId: event.feedbackId }
    case "ObjectionFiled":
    case "ObjectionDecided":
    case "ObjectionOverdue":
      return { aggregateType: "Objection", aggregateId: event.objectionId }
    case "RepairGranted":
    case "RepairRefused":
      return { aggregateType: "RepairApplication", aggregateId: event.applicationId }
    default:
      return { aggregateType: "Subject", aggregateId: event.subjectId }
  }
}

/**
 * An event as an outbox entry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toOutbox = (tenantId: TenantId, event: CreditEvent): NewOutboxEvent => ({
  tenantId,
  type: eventType(event._tag),
  ...aggregateOf(event),
  payload: Schema.encodeSync(CreditEvent)(event) as Record<string, unknown>
})

/**
 * Decodes an outbox event's payload back into a credit event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromOutbox = (event: OutboxEvent) => Schema.decodeUnknown(CreditEvent)(event.payload)
