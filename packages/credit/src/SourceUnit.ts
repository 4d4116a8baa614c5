/**
 * Source units (数据提供单位): the district bureaus' business systems (局委办业务系统), the grid system
 * (网格化), credit agencies and other providers, each allowed to send some record types of the
 * catalogue.
 *
 * @since 0.1.0
 */
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"

/**
 * The kind of provider: `bureau` 局委办, `grid` 网格化管理, `agency` 信用服务机构, `other` 其他.
 *
 * @since 0.1.0
 * @category models
 */
export const SourceUnitKind = Schema.Literal("bureau", "grid", "agency", "other")

/**
 * @since 0.1.0
 * @category models
 */
export type SourceUnitKind = typeof SourceUnitKind.Type

/**
 * A source unit.
 *
 * @since 0.1.0
 * @category models
 */
export class SourceUnit extends Schema.Class<SourceUnit>("@gongzhi/credit/SourceUnit")({
  id: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{1,48}$/)),
  tenantId: TenantId,
  name: Schema.NonEmptyTrimmedString,
  kind: SourceUnitKind,
  /** The record-type codes this unit may send. */
  recordTypes: Schema.Array(Schema.String),
  /** The staff ids and service-account ids that send for this unit (its clerks and business systems). */
  accounts: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  active: Schema.Boolean
}) {}

/**
 * Whether a unit may send a record type.
 *
 * @since 0.1.0
 * @category predicates
 */
export const maySend = (unit: SourceUnit, recordType: string): boolean =>
  unit.active && unit.recordTypes.includes(recordType)
