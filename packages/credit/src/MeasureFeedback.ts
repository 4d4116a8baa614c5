/**
 * Feedback on joint measures (联合奖惩反馈): a unit that applied a reward or punishment measure of the
 * catalogue to a subject reports it back — which measure, for which purpose, when, the unit and its
 * reference (e.g. the procurement or project file) — so the platform can show what was actually done.
 *
 * @since 0.1.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"

/**
 * A measure actually taken, as reported by the unit that took it.
 *
 * @since 0.1.0
 * @category models
 */
export class MeasureFeedback extends Schema.Class<MeasureFeedback>("@gongzhi/credit/MeasureFeedback")({
  id: Schema.String,
  tenantId: TenantId,
  subjectId: Schema.String,
  /** The measure's code in the catalogue. */
  measure: Schema.String,
  purpose: Schema.String,
  /** The unit that took the measure (实施单位). */
  unit: Schema.String,
  takenOn: LocalDate.LocalDate,
  /** The unit's reference (项目编号, 采购文件号 …). */
  reference: Schema.optional(Schema.String),
  note: Schema.optional(Schema.String),
  reportedBy: Schema.String,
  reportedAt: Schema.Date
}) {}
