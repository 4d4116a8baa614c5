/**
 * Credit records (信用记录): one piece of catalogue information about a subject, received from a
 * source unit, with its finding document and date, severity tier and sector where failing, its state
 * and its provenance (source unit, batch, received at, by whom). The display and repair dates come
 * from `CreditRules.periods`.
 *
 * @since 0.1.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { FailingClass, Polarity } from "./Catalogue.js"
import { Sector, Tier } from "./CreditRules.js"

/**
 * The state of a record: `active` 有效, `objectionPending` 异议处理中, `corrected` 已更正, `repaired`
 * 已修复, `expired` 公示期满, `revoked` 已撤销.
 *
 * @since 0.1.0
 * @category models
 */
export const RecordState = Schema.Literal("active", "objectionPending", "corrected", "repaired", "expired", "revoked")

/**
 * @since 0.1.0
 * @category models
 */
export type RecordState = typeof RecordState.Type

const stateLabels: Record<RecordState, string> = {
  active: "有效",
  objectionPending: "异议处理中",
  corrected: "已更正",
  repaired: "已修复",
  expired: "公示期满",
  revoked: "已撤销"
}

/**
 * The Chinese label of a state.
 *
 * @since 0.1.0
 * @category accessors
 */
export const stateLabel = (state: RecordState): string => stateLabels[state]

/**
 * Whether a record in this state is used (shared, evaluated, and triggers measures): repaired,
 * expired and revoked records are not.
 *
 * @since 0.1.0
 * @category predicates
 */
export const inUse = (state: RecordState): boolean =>
  state === "active" || state === "objectionPending" || state === "corrected"

/**
 * Where a record came from.
 *
 * @since 0.1.0
 * @category models
 */
export class Provenance extends Schema.Class<Provenance>("@gongzhi/credit/Provenance")({
  sourceUnitId: Schema.String,
  batchId: Schema.String,
  receivedAt: Schema.Date,
  /** The actor who sent the batch (label, never personal data). */
  receivedBy: Schema.String
}) {}

/**
 * A credit record.
 *
 * @since 0.1.0
 * @category models
 */
export class CreditRecord extends Schema.Class<CreditRecord>("@gongzhi/credit/CreditRecord")({
  id: Schema.String,
  tenantId: TenantId,
  subjectId: Schema.String,
  recordType: Schema.String,
  polarity: Polarity,
  failingClass: Schema.optional(FailingClass),
  sourceRecordId: Schema.String,
  documentNumber: Schema.optional(Schema.String),
  findingDate: LocalDate.LocalDate,
  tier: Schema.optional(Tier),
  sector: Schema.optional(Sector),
  /** The rule set that governs the periods (failing records). */
  ruleId: Schema.optional(Schema.String),
  displayed: Schema.Boolean,
  minimumReached: Schema.optional(LocalDate.LocalDate),
  displayEnds: Schema.optional(LocalDate.LocalDate),
  details: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  state: RecordState,
  provenance: Provenance,
  /** A fingerprint of what the source sent: an unchanged re-send changes nothing. */
  contentHash: Schema.String
}) {}
