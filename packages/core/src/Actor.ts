/**
 * Actors (操作主体): who performs a command. Every command carries an `Actor` — a staff member
 * (工作人员), a volunteer (志愿者), a resident (居民) or a service account (服务账号, e.g. another
 * bureau using the credit-sharing interface) — with its roles and its scope: the tenant (district)
 * and the region (district, street, community or grid) it may act within.
 *
 * An actor never carries personal data: no resident ID number (公民身份号码) and no phone number.
 * Identifiers that look like one are refused, and names may not contain one.
 *
 * @since 0.1.0
 */
import type { FastCheck } from "effect"
import { Schema } from "effect"
import { RegionCode } from "./Region.js"
import { TenantId } from "./Tenant.js"

// ---------------------------------------------------------------------------------------------
// identifiers
// ---------------------------------------------------------------------------------------------

const looksLikePersonalData = (value: string): boolean =>
  /^\d{17}[\dXx]$/.test(value) || /^\d{15}$/.test(value) || /^(?:\+?86)?1[3-9]\d{9}$/.test(value)

const identifier = <const B extends string>(brand: B, title: string) =>
  Schema.String.pipe(
    Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$/, {
      message: () => `${title}应为 1–64 位字母、数字或 _ . : @ -，以字母或数字开头`
    }),
    Schema.filter((value) => !looksLikePersonalData(value), {
      message: () => `${title}不能使用身份证号或手机号 / an actor id must not be an ID or phone number`
    }),
    Schema.brand(brand),
    Schema.annotations({ title })
  )

/**
 * A staff member's id (工作人员编号).
 *
 * @since 0.1.0
 * @category models
 */
export const StaffId = identifier("@gongzhi/core/StaffId", "工作人员编号").annotations({ identifier: "StaffId" })

/**
 * @since 0.1.0
 * @category models
 */
export type StaffId = typeof StaffId.Type

/**
 * A volunteer's public number (志愿者编号) — never the ID number.
 *
 * @since 0.1.0
 * @category models
 */
export const VolunteerId = identifier("@gongzhi/core/VolunteerId", "志愿者编号").annotations({
  identifier: "VolunteerId"
})

/**
 * @since 0.1.0
 * @category models
 */
export type VolunteerId = typeof VolunteerId.Type

/**
 * A resident's user account id (居民用户编号) — never the ID number or the phone number.
 *
 * @since 0.1.0
 * @category models
 */
export const UserId = identifier("@gongzhi/core/UserId", "居民用户编号").annotations({ identifier: "UserId" })

/**
 * @since 0.1.0
 * @category models
 */
export type UserId = typeof UserId.Type

/**
 * The client id of a service account (服务账号), e.g. another bureau calling the credit-sharing
 * interface.
 *
 * @since 0.1.0
 * @category models
 */
export const ClientId = identifier("@gongzhi/core/ClientId", "服务账号编号").annotations({ identifier: "ClientId" })

/**
 * @since 0.1.0
 * @category models
 */
export type ClientId = typeof ClientId.Type

/**
 * A role id such as `district-admin`, `street-leader` or `volunteer`: lower-case letters and digits,
 * words joined by `-`, `_`, `.` or `:`. What a role may do is data: see `Authorization.RolePermissions`.
 *
 * @since 0.1.0
 * @category models
 */
export const RoleId = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9]*(?:[-_.:][a-z0-9]+)*$/, {
    message: () => "角色编号应为小写字母和数字，单词之间用 - _ . : 连接，例如 street-leader"
  }),
  Schema.maxLength(64, { message: () => "角色编号不能超过 64 个字符" }),
  Schema.brand("@gongzhi/core/RoleId"),
  Schema.annotations({ identifier: "RoleId", title: "角色编号" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type RoleId = typeof RoleId.Type

const noLongDigitRuns = (value: string): boolean => !/\d{11,}/.test(value)

const PersonName = Schema.String.pipe(
  Schema.minLength(1, { message: () => "姓名不能为空" }),
  Schema.trimmed({ message: () => "姓名首尾不能有空白字符" }),
  Schema.maxLength(50, { message: () => "姓名不能超过 50 个字符" }),
  Schema.filter(noLongDigitRuns, { message: () => "姓名不能包含手机号或证件号" }),
  Schema.annotations({ title: "姓名" })
)

const Department = Schema.String.pipe(
  Schema.minLength(1, { message: () => "部门不能为空" }),
  Schema.trimmed({ message: () => "部门首尾不能有空白字符" }),
  Schema.maxLength(100, { message: () => "部门不能超过 100 个字符" }),
  Schema.filter(noLongDigitRuns, { message: () => "部门不能包含手机号或证件号" }),
  Schema.annotations({ title: "部门" })
)

// ---------------------------------------------------------------------------------------------
// scope
// ---------------------------------------------------------------------------------------------

const scopeArbitrary = (fc: typeof FastCheck) =>
  fc
    .tuple(
      fc.integer({ min: 100000, max: 999999 }),
      fc.constantFrom("", "001", "002", "401"),
      fc.constantFrom("", "001", "005", "498"),
      fc.constantFrom("", "1", "12")
    )
    .map(([district, street, community, grid]) => {
      const tenantId = String(district)
      const regionCode =
        street === "" ? tenantId : community === "" ? tenantId + street : tenantId + street + community + grid
      return { tenantId: tenantId as TenantId, regionCode: regionCode as RegionCode }
    })

/**
 * Where an actor may act: a tenant (district) and a region within it — the district itself, a
 * street, a community or a grid. The region code must begin with the tenant id. A scope reaches every
 * region whose code begins with the scope's region code, in the same tenant only.
 *
 * @since 0.1.0
 * @category models
 */
export const ActorScope = Schema.Struct({
  tenantId: TenantId,
  regionCode: RegionCode
}).pipe(
  Schema.filter(
    (scope) =>
      scope.regionCode.startsWith(scope.tenantId) || {
        path: ["regionCode"],
        message: `权限范围的区划 ${scope.regionCode} 不在租户 ${scope.tenantId} 之内`
      },
    { arbitrary: () => scopeArbitrary }
  ),
  Schema.annotations({ identifier: "ActorScope", title: "权限范围" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ActorScope = typeof ActorScope.Type

const common = {
  roles: Schema.Array(RoleId),
  scope: ActorScope
}

// ---------------------------------------------------------------------------------------------
// actors
// ---------------------------------------------------------------------------------------------

/**
 * A staff member (工作人员) of the district, a street office or a community, with an optional
 * department.
 *
 * @since 0.1.0
 * @category models
 */
export class Staff extends Schema.TaggedClass<Staff>("@gongzhi/core/Actor/Staff")("Staff", {
  staffId: StaffId,
  name: PersonName,
  department: Schema.optionalWith(Department, { exact: true }),
  ...common
}) {}

/**
 * A volunteer (志愿者), identified by the public volunteer number.
 *
 * @since 0.1.0
 * @category models
 */
export class Volunteer extends Schema.TaggedClass<Volunteer>("@gongzhi/core/Actor/Volunteer")("Volunteer", {
  volunteerId: VolunteerId,
  ...common
}) {}

/**
 * A resident (居民) using a public channel, identified by a user account id.
 *
 * @since 0.1.0
 * @category models
 */
export class Resident extends Schema.TaggedClass<Resident>("@gongzhi/core/Actor/Resident")("Resident", {
  userId: UserId,
  ...common
}) {}

/**
 * A service account (服务账号): another system, such as a bureau calling the credit-sharing interface.
 *
 * @since 0.1.0
 * @category models
 */
export class ServiceAccount extends Schema.TaggedClass<ServiceAccount>("@gongzhi/core/Actor/ServiceAccount")(
  "ServiceAccount",
  {
    clientId: ClientId,
    ...common
  }
) {}

/**
 * Who performs a command: {@link Staff}, {@link Volunteer}, {@link Resident} or {@link ServiceAccount}.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Schema } from "effect"
 * import { Actor } from "@gongzhi/core/Actor"
 *
 * const leader = Schema.decodeUnknownSync(Actor)({
 *   _tag: "Staff",
 *   staffId: "S0001",
 *   name: "王主任",
 *   roles: ["street-leader"],
 *   scope: { tenantId: "440310", regionCode: "440310001" }
 * })
 */
export const Actor = Schema.Union(Staff, Volunteer, Resident, ServiceAccount).annotations({
  identifier: "Actor",
  title: "操作主体"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Actor = typeof Actor.Type

/**
 * The kind of an actor: `Staff`, `Volunteer`, `Resident` or `ServiceAccount`.
 *
 * @since 0.1.0
 * @category models
 */
export type ActorKind = Actor["_tag"]

/**
 * The kind of an actor (the value audit entries store as `actorKind`).
 *
 * @since 0.1.0
 * @category accessors
 */
export const kind = (actor: Actor): ActorKind => actor._tag

/**
 * The id of an actor within its kind (the value audit entries store as `actorId`).
 *
 * @since 0.1.0
 * @category accessors
 */
export const id = (actor: Actor): string => {
  switch (actor._tag) {
    case "Staff":
      return actor.staffId
    case "Volunteer":
      return actor.volunteerId
    case "Resident":
      return actor.userId
    case "ServiceAccount":
      return actor.clientId
  }
}

const kindLabels: Record<ActorKind, string> = {
  Staff: "工作人员",
  Volunteer: "志愿者",
  Resident: "居民",
  ServiceAccount: "服务账号"
}

/**
 * The Chinese name of an actor kind: 工作人员, 志愿者, 居民, 服务账号.
 *
 * @since 0.1.0
 * @category accessors
 */
export const kindLabel = (kind: ActorKind): string => kindLabels[kind]

/**
 * A short description safe for logs and messages (kind and id only, no personal data), e.g.
 * `工作人员 S0001`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const label = (actor: Actor): string => `${kindLabels[actor._tag]} ${id(actor)}`

/**
 * Whether the actor holds a role.
 *
 * @since 0.1.0
 * @category accessors
 */
export const hasRole = (actor: Actor, role: string): boolean => actor.roles.includes(role as RoleId)
