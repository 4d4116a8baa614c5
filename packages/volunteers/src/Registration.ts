/**
 * Registration (志愿者登记): by the volunteer (a resident applying, `self`) or by a team on their
 * behalf (`team`). The applicant's name and resident ID number are checked with the real-name
 * verifier (core `IdentityVerifier`); a `Mismatch` or `NotFound` answer refuses the registration
 * with {@link IdentityCheckFailed}. Duplicates are found through the blind index of the ID number
 * (unique per district). The application then waits for a team leader or headquarters staff to
 * approve it.
 *
 * @since 0.1.0
 */
import { VolunteerId } from "@gongzhi/core/Actor"
import { PlausibleDate } from "@gongzhi/core/LocalDate"
import * as MobileNumber from "@gongzhi/core/MobileNumber"
import { RegionCode } from "@gongzhi/core/Region"
import * as ResidentId from "@gongzhi/core/ResidentId"
import { TenantId } from "@gongzhi/core/Tenant"
import { PlainName, PlainText } from "@gongzhi/core/Text"
import { Schema } from "effect"
import { TeamId } from "./Corps.js"
import { Text } from "./internal/input.js"
import { AffiliationInput } from "./Volunteer.js"

/**
 * The input of a registration. `teamId` defaults to the street sub-team of the home community's
 * street. `consent.consentedAt` defaults to now.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import type { Registration } from "@gongzhi/volunteers"
 *
 * const input: typeof Registration.RegisterVolunteer.Encoded = {
 *   tenantId: "440310",
 *   name: "张三",
 *   residentId: "11010519491231002X",
 *   mobile: "13800138000",
 *   affiliation: { kind: "individual" },
 *   homeCommunity: "440310001001",
 *   consent: { purpose: "志愿者登记、服务记录与证明出具" }
 * }
 */
export const RegisterVolunteer = Schema.Struct({
  tenantId: TenantId,
  name: PlainName,
  residentId: ResidentId.ResidentId,
  mobile: MobileNumber.MobileNumber,
  affiliation: AffiliationInput,
  skills: Schema.optionalWith(Schema.Array(PlainText({ title: "技能", max: 32 })).pipe(Schema.maxItems(20)), {
    default: () => []
  }),
  homeCommunity: RegionCode,
  teamId: Schema.optional(TeamId),
  consent: Schema.Struct({
    purpose: Text("个人信息处理目的", 500),
    consentedAt: Schema.optional(PlausibleDate({ title: "同意日期", earliestYear: 2000 })),
    noticeVersion: Schema.optional(Text("告知书版本", 64))
  })
})

/**
 * @since 0.1.0
 * @category models
 */
export type RegisterVolunteer = typeof RegisterVolunteer.Type

/**
 * The decision on an application: approve, or reject with a reason.
 *
 * @since 0.1.0
 * @category models
 */
export const DecideApplication = Schema.Struct({
  tenantId: TenantId,
  volunteerId: VolunteerId,
  decision: Schema.Literal("approve", "reject"),
  reason: Schema.optional(Text("原因", 500))
}).pipe(
  Schema.filter(
    (d) => d.decision === "approve" || d.reason !== undefined || { path: ["reason"], message: "不予通过时应写明原因" }
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export type DecideApplication = typeof DecideApplication.Type
