/**
 * The domain events of public credit, appended to the outbox in the transaction that caused them:
 * a batch accepted (with its rejections), a grade changed.
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
 * Every credit event.
 *
 * @since 0.1.0
 * @category events
 */
export const CreditEvent = Schema.Union(BatchAccepted, GradeChanged)

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

/**
 * An event as an outbox entry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toOutbox = (tenantId: TenantId, event: CreditEvent): NewOutboxEvent => ({
  tenantId,
  type: eventType(event._tag),
  aggregateType: event._tag === "BatchAccepted" ? "Batch" : "Subject",
  aggregateId: event._tag === "BatchAccepted" ? event.batchId : event.subjectId,
  payload: Schema.encodeSync(CreditEvent)(event) as Record<string, unknown>
})

/**
 * Decodes an outbox event's payload back into a credit event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromOutbox = (event: OutboxEvent) => Schema.decodeUnknown(CreditEvent)(event.payload)
