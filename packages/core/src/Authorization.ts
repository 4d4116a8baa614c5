/**
 * Permissions (权限). A permission is a dotted string such as `volunteers.approve`. What each role
 * may do is data — a {@link RolePermissions} table decoded from configuration — and where an actor
 * may do it is the actor's scope: a command on a target region is allowed only when a role grants
 * the permission, the target is in the actor's tenant, and the target's region code begins with the
 * scope's region code (a district-scoped actor reaches every street of the district; a street leader
 * never another street).
 *
 * Every domain service calls {@link authorize} before it changes or reveals anything; checks happen
 * in the domain, not only in HTTP.
 *
 * @since 0.1.0
 */
import { Context, Effect, Either, Layer, ParseResult, Schema } from "effect"
import * as Actor from "./Actor.js"
import { RegionCode } from "./Region.js"
import { TenantId } from "./Tenant.js"

const segment = "[a-z][a-zA-Z0-9-]*"

/**
 * A permission: two or more dot-separated words, e.g. `volunteers.approve`, `credit.records.share`.
 *
 * @since 0.1.0
 * @category models
 */
export const Permission = Schema.String.pipe(
  Schema.pattern(new RegExp(`^${segment}(?:\\.${segment})+$`), {
    message: () => "权限名称应为以点分隔的两段以上英文，例如 volunteers.approve"
  }),
  Schema.annotations({ identifier: "Permission", title: "权限" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Permission = typeof Permission.Type

/**
 * What a role table may grant: a permission (`volunteers.approve`), a wildcard over everything below
 * a prefix (`volunteers.*` grants `volunteers.approve` and `volunteers.records.export`), or `*`
 * (everything).
 *
 * @since 0.1.0
 * @category models
 */
export const PermissionGrant = Schema.String.pipe(
  Schema.pattern(new RegExp(`^(?:\\*|${segment}(?:\\.${segment})*\\.\\*|${segment}(?:\\.${segment})+)$`), {
    message: () => "授权应为权限名称（volunteers.approve）、通配（volunteers.*）或 *"
  }),
  Schema.annotations({ identifier: "PermissionGrant", title: "授权" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type PermissionGrant = typeof PermissionGrant.Type

/**
 * The role table: for each role, the permissions it grants. It is data (configuration), decoded with
 * {@link decodeRolePermissions}; a role missing from the table grants nothing.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Effect } from "effect"
 * import * as Authorization from "@gongzhi/core/Authorization"
 *
 * const table = Authorization.decodeRolePermissions({
 *   "district-admin": ["*"],
 *   "street-leader": ["volunteers.*", "opinion.reports.dispatch"],
 *   volunteer: ["opinion.reports.create"]
 * })
 */
export const RolePermissions = Schema.Record({ key: Actor.RoleId, value: Schema.Array(PermissionGrant) }).annotations({
  identifier: "RolePermissions",
  title: "角色权限表"
})

/**
 * @since 0.1.0
 * @category models
 */
export type RolePermissions = typeof RolePermissions.Type

/**
 * What a command acts on: a tenant and, optionally, a region inside it. Without a region the target
 * is the whole tenant, which only a district-scoped actor reaches.
 *
 * @since 0.1.0
 * @category models
 */
export const Target = Schema.Struct({
  tenantId: TenantId,
  regionCode: Schema.optional(RegionCode)
}).pipe(
  Schema.filter(
    (target) =>
      target.regionCode === undefined ||
      target.regionCode.startsWith(target.tenantId) || {
        path: ["regionCode"],
        message: `目标区划 ${target.regionCode} 不在租户 ${target.tenantId} 之内`
      }
  ),
  Schema.annotations({ identifier: "AuthorizationTarget", title: "操作对象" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Target = typeof Target.Type

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * A role table that could not be decoded; lists every problem.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRolePermissions extends Schema.TaggedError<InvalidRolePermissions>(
  "@gongzhi/core/InvalidRolePermissions"
)("InvalidRolePermissions", {
  problems: Schema.Array(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    return `角色权限表有 ${this.problems.length} 处问题：\n${this.problems.map((p, i) => `${i + 1}. ${p}`).join("\n")}\n / invalid role permissions table`
  }
}

/**
 * Why a command was refused: `permission` (no role grants it), `tenant` (the target is another
 * tenant), `region` (the target region is outside the actor's scope) or `invalid` (the permission
 * name or target is malformed).
 *
 * @since 0.1.0
 * @category errors
 */
export const ForbiddenReason = Schema.Literal("permission", "tenant", "region", "invalid")

/**
 * @since 0.1.0
 * @category errors
 */
export type ForbiddenReason = typeof ForbiddenReason.Type

/**
 * A command refused. Says which permission was needed, which scope the target required and which
 * the actor held, and who the actor was (kind and id only — never personal data).
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>("@gongzhi/core/Forbidden")("Forbidden", {
  reason: ForbiddenReason,
  permission: Schema.String,
  actorKind: Schema.Literal("Staff", "Volunteer", "Resident", "ServiceAccount"),
  actorId: Schema.String,
  roles: Schema.Array(Schema.String),
  requiredTenantId: Schema.String,
  requiredRegionCode: Schema.String,
  heldTenantId: Schema.String,
  heldRegionCode: Schema.String,
  detail: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const who = `${Actor.kindLabel(this.actorKind)} ${this.actorId}`
    const why =
      this.reason === "permission"
        ? this.roles.length === 0
          ? "没有任何角色"
          : `角色 ${this.roles.join("、")} 没有此权限`
        : this.reason === "tenant"
          ? `目标属于租户 ${this.requiredTenantId}，不在其权限范围的租户 ${this.heldTenantId} 内`
          : this.reason === "region"
            ? `目标区划 ${this.requiredRegionCode} 不在其权限范围 ${this.heldRegionCode} 内`
            : `请求无效（${this.detail ?? "权限名称或目标格式不对"}）`
    return (
      `无权执行「${this.permission}」：${who}，${why}。` +
      `需要的范围：租户 ${this.requiredTenantId} 区划 ${this.requiredRegionCode}；` +
      `持有的范围：租户 ${this.heldTenantId} 区划 ${this.heldRegionCode}` +
      ` / forbidden (${this.reason}): ${this.actorKind} ${this.actorId} may not ${this.permission} in ${this.requiredRegionCode}`
    )
  }
}

// ---------------------------------------------------------------------------------------------
// pure checks
// ---------------------------------------------------------------------------------------------

/**
 * Decodes a role table from configuration (JSON, YAML, …), reporting every malformed role or grant.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeRolePermissions = (input: unknown): Effect.Effect<RolePermissions, InvalidRolePermissions> =>
  Schema.decodeUnknown(RolePermissions, { errors: "all", onExcessProperty: "error" })(input).pipe(
    Effect.mapError(
      (error) =>
        new InvalidRolePermissions({
          problems: ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
            const [role, index] = issue.path
            const where =
              role === undefined
                ? "角色权限表"
                : index === undefined
                  ? `角色 ${String(role)}`
                  : `角色 ${String(role)} 的第 ${Number(index) + 1} 项`
            if (issue._tag === "Unexpected") {
              return `角色编号「${String(role)}」无效：应为小写字母和数字，单词之间用 - _ . : 连接，例如 street-leader`
            }
            // Stryker disable next-line Regex: equivalent because every formatted "Expected …, actual …" message starts with "Expected" and the greedy dot-all groups always reach its end
            const expected = /^Expected (.+), actual (.+)$/s.exec(issue.message)
            if (expected !== null) {
              // the whole table (no path) is expected to be the record; below it, a role's list or a grant string
              const what =
                role === undefined
                  ? "对象（角色 → 授权列表）"
                  : expected[1].startsWith("ReadonlyArray<")
                    ? "授权列表（数组）"
                    : expected[1]
              return `${where} 应为${what}，实际为 ${expected[2]}`
            }
            return `${where}：${issue.message}`
          })
        })
    )
  )

interface Compiled {
  readonly all: boolean
  readonly exact: ReadonlySet<string>
  readonly prefixes: ReadonlyArray<string>
}

const compiledTables = new WeakMap<RolePermissions, Map<string, Compiled>>()

const compiledRole = (table: RolePermissions, role: string): Compiled | undefined => {
  let roles = compiledTables.get(table)
  // Stryker disable next-line ConditionalExpression: equivalent because the cache only saves recompiling; a role compiled again grants the same
  if (roles === undefined) {
    roles = new Map()
    compiledTables.set(table, roles)
  }
  let compiled = roles.get(role)
  // Stryker disable next-line ConditionalExpression: equivalent because the cache only saves recompiling; a role compiled again grants the same
  if (compiled === undefined) {
    const grants = Object.hasOwn(table, role) ? table[role as Actor.RoleId] : undefined
    if (grants === undefined) return undefined
    compiled = {
      all: grants.includes("*"),
      // Stryker disable next-line MethodExpression: equivalent because a wildcard grant kept among the exact ones ("*", "x.*") only matches a permission its own prefix matches too
      exact: new Set(grants.filter((grant) => !grant.endsWith("*"))),
      prefixes: grants.filter((grant) => grant.endsWith(".*")).map((grant) => grant.slice(0, -1))
    }
    roles.set(role, compiled)
  }
  return compiled
}

/**
 * Whether any of the roles grants the permission in the table (scope is not considered).
 * Monotone: adding roles never takes a permission away.
 *
 * @since 0.1.0
 * @category accessors
 */
export const grants = (table: RolePermissions, roles: ReadonlyArray<string>, permission: string): boolean =>
  roles.some((role) => {
    const compiled = compiledRole(table, role)
    return (
      compiled !== undefined &&
      (compiled.all ||
        compiled.exact.has(permission) ||
        compiled.prefixes.some((prefix) => permission.startsWith(prefix)))
    )
  })

/**
 * Whether a scope reaches a target: same tenant, and the target region's code (the tenant's own code
 * when the target names no region) begins with the scope's region code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const scopeContains = (scope: Actor.ActorScope, target: Target): boolean =>
  scope.tenantId === target.tenantId && (target.regionCode ?? target.tenantId).startsWith(scope.regionCode)

const decodePermission = Schema.decodeUnknownEither(Permission)
const decodeTarget = Schema.decodeUnknownEither(Target)

/**
 * The pure check behind {@link authorize}, for use without a layer: `Right` when allowed, `Left`
 * with {@link Forbidden} otherwise. Checks, in order: the permission and target are well formed, a
 * role grants the permission, the target is in the actor's tenant, the target region is inside the
 * actor's scope.
 *
 * @since 0.1.0
 * @category accessors
 */
export const check = (
  table: RolePermissions,
  actor: Actor.Actor,
  permission: string,
  target: Target
): Either.Either<void, Forbidden> => {
  const forbidden = (reason: ForbiddenReason, detail?: string) =>
    Either.left(
      new Forbidden({
        reason,
        permission: String(permission),
        actorKind: actor._tag,
        actorId: Actor.id(actor),
        roles: [...actor.roles],
        requiredTenantId: String(target?.tenantId),
        requiredRegionCode: String(target?.regionCode ?? target?.tenantId),
        heldTenantId: actor.scope.tenantId,
        heldRegionCode: actor.scope.regionCode,
        // Stryker disable next-line ConditionalExpression: equivalent because `detail` is `Schema.optional` (not exact): an explicit undefined prints and encodes like an absent one
        ...(detail === undefined ? {} : { detail })
      })
    )
  const decodedPermission = decodePermission(permission)
  if (Either.isLeft(decodedPermission)) return forbidden("invalid", "权限名称格式不对")
  const decodedTarget = decodeTarget(target)
  if (Either.isLeft(decodedTarget)) {
    // Stryker disable next-line OptionalChaining: equivalent because a failed decode always formats to at least one issue
    return forbidden("invalid", ParseResult.ArrayFormatter.formatErrorSync(decodedTarget.left)[0]?.message)
  }
  if (!grants(table, actor.roles, permission)) return forbidden("permission")
  if (actor.scope.tenantId !== decodedTarget.right.tenantId) return forbidden("tenant")
  if (!scopeContains(actor.scope, decodedTarget.right)) return forbidden("region")
  return Either.void
}

// ---------------------------------------------------------------------------------------------
// service
// ---------------------------------------------------------------------------------------------

/**
 * The authorization service: the role table in use and the check every domain service calls.
 *
 * @since 0.1.0
 * @category tags
 */
export class Authorization extends Context.Tag("@gongzhi/core/Authorization")<
  Authorization,
  {
    readonly table: RolePermissions
    readonly authorize: (actor: Actor.Actor, permission: string, target: Target) => Effect.Effect<void, Forbidden>
  }
>() {}

/**
 * Builds the service from a role table.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (table: RolePermissions): Authorization["Type"] => ({
  table,
  authorize: (actor, permission, target) => Effect.suspend(() => check(table, actor, permission, target))
})

/**
 * The service backed by a decoded role table.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (table: RolePermissions): Layer.Layer<Authorization> => Layer.succeed(Authorization, make(table))

/**
 * The service backed by a role table read from configuration, decoded first.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromUnknown = (input: unknown): Layer.Layer<Authorization, InvalidRolePermissions> =>
  Layer.effect(Authorization, Effect.map(decodeRolePermissions(input), make))

/**
 * Allows the command or fails with {@link Forbidden}: a role of the actor must grant the permission,
 * and the target must lie within the actor's scope (same tenant, region code beginning with the
 * scope's region code). The one check every domain service calls before acting.
 *
 * @since 0.1.0
 * @category accessors
 * @example
 * import { Effect } from "effect"
 * import * as Authorization from "@gongzhi/core/Authorization"
 * import type { Actor } from "@gongzhi/core/Actor"
 * import type { TenantId } from "@gongzhi/core/Tenant"
 * import type { RegionCode } from "@gongzhi/core/Region"
 *
 * declare const actor: Actor
 * const approve = Authorization.authorize(actor, "volunteers.approve", {
 *   tenantId: "440310" as TenantId,
 *   regionCode: "440310001" as RegionCode
 * })
 */
export const authorize = (
  actor: Actor.Actor,
  permission: string,
  target: Target
): Effect.Effect<void, Forbidden, Authorization> =>
  Effect.flatMap(Authorization, (service) => service.authorize(actor, permission, target))
