/**
 * Venues (场地) and providers (主办方) of 坪工学堂: a venue has an address, lies in a community, seats a
 * number of people and says how accessible it is (无障碍); a provider is the district trade union
 * (区总工会), a community centre or a partner organisation.
 *
 * @since 0.1.0
 */
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"

const Text = (max: number) => Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(max))

/**
 * Who offers a course: the trade union, a community centre or a partner organisation.
 *
 * @since 0.1.0
 * @category models
 */
export class Provider extends Schema.Class<Provider>("@gongzhi/courses/Provider")({
  kind: Schema.Literal("union", "community", "partner"),
  name: Text(64)
}) {}

/**
 * A venue.
 *
 * @since 0.1.0
 * @category models
 */
export class Venue extends Schema.Class<Venue>("@gongzhi/courses/Venue")({
  id: Schema.String,
  tenantId: TenantId,
  name: Text(64),
  address: Text(128),
  communityCode: RegionCode,
  capacity: Schema.Int.pipe(Schema.between(1, 10_000)),
  accessible: Schema.Boolean,
  accessibilityNote: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  createdAt: Schema.Date
}) {}

/**
 * The input of `Courses.addVenue`.
 *
 * @since 0.1.0
 * @category inputs
 * @example
 * import { Venue } from "@gongzhi/courses"
 *
 * const input: typeof Venue.AddVenue.Encoded = {
 *   tenantId: "440310",
 *   name: "坑梓街道党群服务中心",
 *   address: "坑梓街道人民西路 1 号",
 *   communityCode: "440310003001",
 *   capacity: 40,
 *   accessible: true
 * }
 */
export const AddVenue = Schema.Struct({
  tenantId: TenantId,
  name: Text(64),
  address: Text(128),
  communityCode: RegionCode,
  capacity: Schema.Int.pipe(Schema.between(1, 10_000)),
  accessible: Schema.Boolean,
  accessibilityNote: Schema.optional(Schema.String.pipe(Schema.maxLength(200)))
})
