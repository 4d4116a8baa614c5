/**
 * The organisation of a district's volunteer corps (民情志愿服务队伍): one corps (服务总队) per
 * district with its headquarters team, street sub-teams (街道分队) bound to streets and, optionally,
 * community groups (社区小组) bound to communities. Member roles are data: by default the three tiers
 * of the Pingshan model — full-time staff (专职人员), part-time team leaders (兼职分队长) and
 * volunteers (民情志愿者). A member can hold roles in more than one team.
 *
 * @since 0.1.0
 */
import { RoleId, StaffId, VolunteerId } from "@gongzhi/core/Actor"
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { Text } from "./internal/input.js"
import { Role } from "./Permissions.js"

/**
 * A team id: 1–48 letters, digits or `_ . : -`. By default `T` followed by the team's region code
 * (`T440310` for the headquarters of Pingshan, `T440310001` for the 坪山街道 sub-team).
 *
 * @since 0.1.0
 * @category models
 */
export const TeamId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,47}$/, {
    message: () => "队伍编号应为 1–48 位字母、数字或 _ . : -，以字母或数字开头"
  }),
  Schema.brand("@gongzhi/volunteers/TeamId"),
  Schema.annotations({ identifier: "TeamId", title: "队伍编号" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type TeamId = typeof TeamId.Type

/**
 * The kind of a team: the headquarters (服务总队, the district), a street sub-team (街道分队) or a
 * community group (社区小组).
 *
 * @since 0.1.0
 * @category models
 */
export const TeamKind = Schema.Literal("headquarters", "street", "community").annotations({
  identifier: "TeamKind",
  title: "队伍类别"
})

/**
 * @since 0.1.0
 * @category models
 */
export type TeamKind = typeof TeamKind.Type

const teamKindLabels: Record<TeamKind, string> = { headquarters: "服务总队", street: "街道分队", community: "社区小组" }

/**
 * The Chinese name of a team kind.
 *
 * @since 0.1.0
 * @category accessors
 */
export const teamKindLabel = (kind: TeamKind): string => teamKindLabels[kind]

/**
 * The default id of a team bound to a region: `T` + region code.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultTeamId = (regionCode: string): TeamId => TeamId.make(`T${regionCode}`)

/**
 * The organisation that issues certificates for a team (谁记录、谁证明): its name, the person in
 * charge (负责人) and an office contact (a landline or office number, not a personal mobile).
 *
 * @since 0.1.0
 * @category models
 */
export class IssuingOrganisation extends Schema.Class<IssuingOrganisation>("@gongzhi/volunteers/IssuingOrganisation")({
  name: Text("出具组织名称", 100),
  personInCharge: Text("负责人", 50),
  contact: Text("联系方式", 64)
}) {}

/**
 * A member role id such as `team-leader`.
 *
 * @since 0.1.0
 * @category models
 */
export const MemberRoleId = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9-]{0,31}$/, { message: () => "职务编号应为小写字母、数字或连字符，例如 team-leader" }),
  Schema.brand("@gongzhi/volunteers/MemberRoleId"),
  Schema.annotations({ identifier: "MemberRoleId", title: "职务编号" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type MemberRoleId = typeof MemberRoleId.Type

/**
 * A member role (职务) in a team: its name, its tier (1 is the top) and the actor roles (of the
 * permission table) that holding it grants, scoped to the team's region.
 *
 * @since 0.1.0
 * @category models
 */
export class MemberRole extends Schema.Class<MemberRole>("@gongzhi/volunteers/MemberRole")({
  id: MemberRoleId,
  name: Text("职务名称", 32),
  tier: Schema.Int.pipe(Schema.between(1, 9)),
  actorRoles: Schema.Array(RoleId)
}) {}

/**
 * The three tiers of the Pingshan model: 专职人员 (full-time staff), 兼职分队长 (part-time team
 * leader), 民情志愿者 (volunteer).
 *
 * @since 0.1.0
 * @category models
 */
export const defaultMemberRoles: ReadonlyArray<MemberRole> = [
  new MemberRole({
    id: MemberRoleId.make("full-time-staff"),
    name: "专职人员",
    tier: 1,
    actorRoles: [RoleId.make(Role.hqStaff)]
  }),
  new MemberRole({
    id: MemberRoleId.make("team-leader"),
    name: "兼职分队长",
    tier: 2,
    actorRoles: [RoleId.make(Role.teamLeader)]
  }),
  new MemberRole({
    id: MemberRoleId.make("volunteer"),
    name: "民情志愿者",
    tier: 3,
    actorRoles: [RoleId.make(Role.volunteer)]
  })
]

/**
 * The role every approved volunteer receives in their team.
 *
 * @since 0.1.0
 * @category models
 */
export const VOLUNTEER_ROLE: MemberRoleId = MemberRoleId.make("volunteer")

/**
 * The corps of a district (服务总队): its name, its headquarters team and its member roles.
 *
 * @since 0.1.0
 * @category models
 */
export class Corps extends Schema.Class<Corps>("@gongzhi/volunteers/Corps")({
  tenantId: TenantId,
  name: Text("队伍名称", 100),
  headquartersId: TeamId,
  memberRoles: Schema.NonEmptyArray(MemberRole),
  createdAt: Schema.Date
}) {
  /** The role with this id, if the corps defines it. */
  role(id: string): MemberRole | undefined {
    return this.memberRoles.find((role) => role.id === id)
  }
}

/**
 * The id the corps is stored under (one per tenant).
 *
 * @since 0.1.0
 * @category models
 */
export const CORPS_ID = "corps"

/**
 * A team: the headquarters, a street sub-team or a community group, bound to a region.
 *
 * @since 0.1.0
 * @category models
 */
export class Team extends Schema.Class<Team>("@gongzhi/volunteers/Team")({
  id: TeamId,
  tenantId: TenantId,
  kind: TeamKind,
  name: Text("队伍名称", 100),
  regionCode: RegionCode,
  parentId: Schema.optional(TeamId),
  organisation: Schema.optional(IssuingOrganisation),
  status: Schema.Literal("active", "dissolved"),
  createdAt: Schema.Date
}) {}

/**
 * Who holds a role: a volunteer (by volunteer number) or a staff member (by staff id).
 *
 * @since 0.1.0
 * @category models
 */
export const Member = Schema.Union(
  Schema.TaggedStruct("Volunteer", { id: VolunteerId }),
  Schema.TaggedStruct("Staff", { id: StaffId })
).annotations({ identifier: "Member", title: "成员" })

/**
 * @since 0.1.0
 * @category models
 */
export type Member = typeof Member.Type

/**
 * One role of one member in one team (a member may hold several, in several teams).
 *
 * @since 0.1.0
 * @category models
 */
export class Membership extends Schema.Class<Membership>("@gongzhi/volunteers/Membership")({
  id: Schema.String,
  tenantId: TenantId,
  teamId: TeamId,
  member: Member,
  roleId: MemberRoleId,
  status: Schema.Literal("active", "ended"),
  since: Schema.Date,
  until: Schema.optional(Schema.Date),
  endReason: Schema.optional(Schema.String)
}) {}

/**
 * An actor role with the region it applies to, derived from memberships.
 *
 * @since 0.1.0
 * @category models
 */
export interface Grant {
  readonly role: RoleId
  readonly regionCode: RegionCode
  readonly teamId: TeamId
}

/**
 * The actor roles a member's active memberships grant, each scoped to its team's region — what an
 * identity layer needs to build the member's `Actor` (one actor per scope).
 *
 * @since 0.1.0
 * @category accessors
 */
export const grantsOf = (
  corps: Corps,
  teams: ReadonlyArray<Team>,
  memberships: ReadonlyArray<Membership>
): ReadonlyArray<Grant> => {
  const byId = new Map(teams.map((team) => [team.id, team]))
  const out: Array<Grant> = []
  for (const membership of memberships) {
    if (membership.status !== "active") continue
    const team = byId.get(membership.teamId)
    const role = corps.role(membership.roleId)
    if (team === undefined || role === undefined || team.status !== "active") continue
    for (const actorRole of role.actorRoles) {
      if (!out.some((g) => g.role === actorRole && g.regionCode === team.regionCode)) {
        out.push({ role: actorRole, regionCode: team.regionCode, teamId: team.id })
      }
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// command inputs
// ---------------------------------------------------------------------------------------------

/**
 * Establishes the corps of a district with its headquarters team; member roles default to
 * {@link defaultMemberRoles}.
 *
 * @since 0.1.0
 * @category models
 */
export const EstablishCorps = Schema.Struct({
  tenantId: TenantId,
  name: Text("服务总队名称", 100),
  headquartersName: Schema.optional(Text("总队队部名称", 100)),
  organisation: Schema.optional(IssuingOrganisation),
  memberRoles: Schema.optional(Schema.NonEmptyArray(MemberRole))
})

/**
 * Creates a street sub-team (bound to a street) or a community group (bound to a community, under
 * the sub-team of its street). The id defaults to {@link defaultTeamId}, the name to the region's
 * name + 分队 / 小组.
 *
 * @since 0.1.0
 * @category models
 */
export const CreateTeam = Schema.Struct({
  tenantId: TenantId,
  kind: Schema.Literal("street", "community"),
  regionCode: RegionCode,
  id: Schema.optional(TeamId),
  name: Schema.optional(Text("队伍名称", 100)),
  organisation: Schema.optional(IssuingOrganisation)
})

/**
 * Sets the organisation that issues a team's certificates.
 *
 * @since 0.1.0
 * @category models
 */
export const SetTeamOrganisation = Schema.Struct({
  tenantId: TenantId,
  teamId: TeamId,
  organisation: IssuingOrganisation
})

/**
 * Gives a member a role in a team.
 *
 * @since 0.1.0
 * @category models
 */
export const AssignRole = Schema.Struct({
  tenantId: TenantId,
  teamId: TeamId,
  member: Member,
  roleId: MemberRoleId
})

/**
 * Ends a role.
 *
 * @since 0.1.0
 * @category models
 */
export const EndRole = Schema.Struct({
  tenantId: TenantId,
  membershipId: Schema.String,
  reason: Schema.optional(Text("原因", 200))
})

/**
 * Names a team (for member lists: optionally only active roles).
 *
 * @since 0.1.0
 * @category models
 */
export const TeamMembers = Schema.Struct({
  tenantId: TenantId,
  teamId: TeamId,
  activeOnly: Schema.optionalWith(Schema.Boolean, { default: () => true })
})

/**
 * Names the corps of a district.
 *
 * @since 0.1.0
 * @category models
 */
export const CorpsRef = Schema.Struct({ tenantId: TenantId })
