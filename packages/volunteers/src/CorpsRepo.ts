/**
 * The corps repository port (队伍库): the corps of a district, its teams and the member roles held in
 * them. An active role is unique per team, member and role; ended roles are kept as history.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import type { DuplicateKey, StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { Option } from "effect"
import { Context, Effect, Layer } from "effect"
import type { Corps, Member, Membership, Team, TeamKind } from "./Corps.js"
import { CORPS_ID } from "./Corps.js"
import { type Condition, where } from "./internal/filters.js"
import * as Tables from "./internal/tables.js"

/**
 * Conditions on teams.
 *
 * @since 0.1.0
 * @category models
 */
export interface TeamFilter {
  readonly kind?: Condition<TeamKind>
  readonly regionCode?: Condition<string>
  readonly parentId?: Condition<string>
  readonly status?: Condition<"active" | "dissolved">
}

/**
 * Conditions on memberships.
 *
 * @since 0.1.0
 * @category models
 */
export interface MembershipFilter {
  readonly teamId?: Condition<string>
  readonly roleId?: Condition<string>
  readonly status?: Condition<"active" | "ended">
  readonly memberKind?: Condition<"Volunteer" | "Staff">
}

/**
 * @since 0.1.0
 * @category models
 */
export interface CorpsRepoShape {
  readonly getCorps: (tenantId: TenantId) => Effect.Effect<Option.Option<Repository.Versioned<Corps>>, StorageError>
  readonly insertCorps: (corps: Corps) => Effect.Effect<Repository.Versioned<Corps>, DuplicateKey | StorageError>
  readonly updateCorps: (
    corps: Corps,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<Corps>, VersionConflict | DuplicateKey | StorageError>
  readonly insertTeam: (team: Team) => Effect.Effect<Repository.Versioned<Team>, DuplicateKey | StorageError>
  readonly getTeam: (
    tenantId: TenantId,
    teamId: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<Team>>, StorageError>
  readonly updateTeam: (
    team: Team,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<Team>, VersionConflict | DuplicateKey | StorageError>
  /** Teams in id order (a district has tens of teams, not thousands). */
  readonly listTeams: (
    tenantId: TenantId,
    filter?: TeamFilter
  ) => Effect.Effect<ReadonlyArray<Repository.Versioned<Team>>, StorageError>
  /** `DuplicateKey` with key `active_role` when the member already holds the role in the team. */
  readonly insertMembership: (
    membership: Membership
  ) => Effect.Effect<Repository.Versioned<Membership>, DuplicateKey | StorageError>
  readonly getMembership: (
    tenantId: TenantId,
    membershipId: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<Membership>>, StorageError>
  readonly updateMembership: (
    membership: Membership,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<Membership>, VersionConflict | DuplicateKey | StorageError>
  /** Memberships matching the filter, in id order (at most `limit`, default 10 000). */
  readonly findMemberships: (
    tenantId: TenantId,
    filter: MembershipFilter,
    limit?: number
  ) => Effect.Effect<ReadonlyArray<Repository.Versioned<Membership>>, StorageError>
  /** Every membership (active or ended) of one member. */
  readonly membershipsOf: (
    tenantId: TenantId,
    member: Member
  ) => Effect.Effect<ReadonlyArray<Repository.Versioned<Membership>>, StorageError>
  readonly countMemberships: (tenantId: TenantId, filter?: MembershipFilter) => Effect.Effect<number, StorageError>
  /** Headcount per team, role or status. */
  readonly countMembershipsBy: (
    tenantId: TenantId,
    column: "team_id" | "role_id" | "status" | "member_kind",
    filter?: MembershipFilter
  ) => Effect.Effect<ReadonlyArray<Repository.GroupCount>, StorageError>
}

/**
 * The corps repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class CorpsRepo extends Context.Tag("@gongzhi/volunteers/CorpsRepo")<CorpsRepo, CorpsRepoShape>() {}

const teamFilter = (filter: TeamFilter | undefined) =>
  where({ kind: filter?.kind, region_code: filter?.regionCode, parent_id: filter?.parentId, status: filter?.status })

const membershipFilter = (filter: MembershipFilter | undefined) =>
  where({
    team_id: filter?.teamId,
    role_id: filter?.roleId,
    status: filter?.status,
    member_kind: filter?.memberKind
  })

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<CorpsRepoShape, never, R> =>
  Effect.gen(function* () {
    const corps = yield* build(Tables.corps)
    const teams = yield* build(Tables.teams)
    const memberships = yield* build(Tables.memberships)
    return {
      getCorps: (tenantId) => corps.get(tenantId, CORPS_ID),
      insertCorps: (value) => corps.insert(value.tenantId, value),
      updateCorps: (value, version) => corps.update(value.tenantId, value, version),
      insertTeam: (team) => teams.insert(team.tenantId, team),
      getTeam: (tenantId, teamId) => teams.get(tenantId, teamId),
      updateTeam: (team, version) => teams.update(team.tenantId, team, version),
      listTeams: (tenantId, filter) => teams.find(tenantId, teamFilter(filter), 10_000),
      insertMembership: (membership) => memberships.insert(membership.tenantId, membership),
      getMembership: (tenantId, id) => memberships.get(tenantId, id),
      updateMembership: (membership, version) => memberships.update(membership.tenantId, membership, version),
      findMemberships: (tenantId, filter, limit) =>
        memberships.find(tenantId, membershipFilter(filter), limit ?? 10_000),
      membershipsOf: (tenantId, member) =>
        memberships.find(tenantId, { member_kind: member._tag, member_id: member.id }, 10_000),
      countMemberships: (tenantId, filter) => memberships.count(tenantId, membershipFilter(filter)),
      countMembershipsBy: (tenantId, column, filter) => memberships.countBy(tenantId, column, membershipFilter(filter))
    }
  })

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CorpsRepo> = Layer.effect(CorpsRepo, make(Repository.makeMemory))

/**
 * The SQL implementation (SQLite, PostgreSQL, MySQL/MariaDB) over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<CorpsRepo, never, SqlClient.SqlClient> = Layer.effect(
  CorpsRepo,
  make(Repository.makeSql)
)
