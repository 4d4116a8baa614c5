/**
 * Tenants. A tenant is a district (区/县) identified by its six-digit GB/T 2260 code, e.g. `440310`
 * for Pingshan (坪山区). Every stored row carries its tenant id first.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A district code (GB/T 2260, six digits) used as the tenant id.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Schema } from "effect"
 * import { TenantId } from "@gongzhi/core/Tenant"
 *
 * const pingshan = Schema.decodeUnknownSync(TenantId)("440310")
 */
export const TenantId = Schema.String.pipe(
  Schema.pattern(/^[1-9]\d{5}$/, {
    message: () =>
      "租户编号应为 6 位行政区划代码（GB/T 2260），例如 440310 / tenant id must be a 6-digit GB/T 2260 code"
  }),
  Schema.brand("@gongzhi/core/TenantId"),
  Schema.annotations({ identifier: "TenantId", title: "区县行政区划代码" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type TenantId = typeof TenantId.Type
