import type * as Actor from "@gongzhi/core/Actor"
import type * as Command from "@gongzhi/core/Command"
import * as Region from "@gongzhi/core/Region"
import { Effect, Option } from "effect"
import {
  AssignRole,
  CORPS_ID,
  Corps,
  CorpsRef,
  CreateTeam,
  defaultMemberRoles,
  defaultTeamId,
  EndRole,
  EstablishCorps,
  Membership,
  SetTeamOrganisation,
  Team,
  TeamMembers
} from "../../Corps.js"
import { Permission } from "../../Permissions.js"
import { InvalidTransition, RegionNotFound } from "../../VolunteerErrors.js"
import { newId } from "../ids.js"
import {
  authorizeAny,
  type Deps,
  load,
  loadActiveTeam,
  loadTeam,
  loadVolunteer,
  selfTarget,
  teamTarget
} from "./context.js"

export const make = (deps: Deps) => {
  const loadCorps = (tenantId: string) =>
    load(
      "Corps",
      tenantId,
      Effect.map(
        deps.corps.getCorps(tenantId as Team["tenantId"]),
        Option.map((c) => c.value)
      )
    )

  const establishCorps = (actor: Actor.Actor, input: typeof EstablishCorps.Encoded) =>
    deps.commands.run({
      name: "establishCorps",
      title: "建立服务总队",
      input: EstablishCorps,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.corpsManage, { tenantId: i.tenantId })
          const tree = deps.settings.regions
          if ((tree.root.code as string) !== i.tenantId) {
            return yield* new RegionNotFound({ regionCode: i.tenantId, expected: "district", asOf: tree.asOf })
          }
          const existing = yield* deps.corps.getCorps(i.tenantId)
          if (Option.isSome(existing)) {
            return yield* new InvalidTransition({
              entity: "Corps",
              id: i.tenantId,
              state: "已建立",
              action: "重复建立"
            })
          }
          const at = ctx.now
          const headquarters = new Team({
            id: defaultTeamId(i.tenantId),
            tenantId: i.tenantId,
            kind: "headquarters",
            name: i.headquartersName ?? i.name,
            regionCode: tree.root.code,
            ...(i.organisation === undefined ? {} : { organisation: i.organisation }),
            status: "active",
            createdAt: at
          })
          const corps = new Corps({
            tenantId: i.tenantId,
            name: i.name,
            headquartersId: headquarters.id,
            memberRoles: i.memberRoles ?? [defaultMemberRoles[0], ...defaultMemberRoles.slice(1)],
            createdAt: at
          })
          yield* deps.corps.insertCorps(corps)
          yield* deps.corps.insertTeam(headquarters)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "corps.establish",
            targetType: "Corps",
            targetId: CORPS_ID,
            details: {
              headquartersId: headquarters.id
            }
          })
          return { corps, headquarters }
        })
    })

  const createTeam = (actor: Actor.Actor, input: typeof CreateTeam.Encoded) =>
    deps.commands.run({
      name: "createTeam",
      title: "建立队伍",
      input: CreateTeam,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const corps = yield* loadCorps(i.tenantId)
          const tree = deps.settings.regions
          const region = Option.getOrUndefined(Region.findByCode(tree, i.regionCode))
          const expected = i.kind === "street" ? "street" : "community"
          // a street sub-team serves a 街道 (or 镇/乡), not a bonded zone or similar unit (类似乡级单位)
          const streetLike = region?.kind === "subdistrict" || region?.kind === "town" || region?.kind === "township"
          if (
            region === undefined ||
            region.level !== expected ||
            !region.code.startsWith(i.tenantId) ||
            (expected === "street" && !streetLike)
          ) {
            return yield* new RegionNotFound({ regionCode: i.regionCode, expected, asOf: tree.asOf })
          }
          const parentId = i.kind === "street" ? corps.headquartersId : defaultTeamId(region.parentCode ?? "")
          const parent = yield* loadActiveTeam(deps, i.tenantId, parentId)
          yield* ctx.authorize(Permission.corpsManage, { tenantId: i.tenantId, regionCode: region.code })
          const team = new Team({
            id: i.id ?? defaultTeamId(region.code),
            tenantId: i.tenantId,
            kind: i.kind,
            name: i.name ?? `${Region.displayName(region)}${i.kind === "street" ? "分队" : "小组"}`,
            regionCode: region.code,
            parentId: parent.value.id,
            ...(i.organisation === undefined ? {} : { organisation: i.organisation }),
            status: "active",
            createdAt: ctx.now
          })
          yield* deps.corps
            .insertTeam(team)
            .pipe(
              Effect.catchTag("DuplicateKey", () =>
                Effect.fail(new InvalidTransition({ entity: "Team", id: team.id, state: "已存在", action: "重复建立" }))
              )
            )
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "team.create",
            targetType: "Team",
            targetId: team.id,
            details: {
              kind: team.kind,
              regionCode: team.regionCode
            }
          })
          return team
        })
    })

  const setTeamOrganisation = (actor: Actor.Actor, input: typeof SetTeamOrganisation.Encoded) =>
    deps.commands.run({
      name: "setTeamOrganisation",
      title: "设置出具组织",
      input: SetTeamOrganisation,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const team = yield* loadTeam(deps, i.tenantId, i.teamId)
          yield* ctx.authorize(Permission.corpsManage, teamTarget(team.value))
          const updated = yield* deps.corps.updateTeam(
            new Team({ ...team.value, organisation: i.organisation }),
            team.version
          )
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "team.organisation",
            targetType: "Team",
            targetId: i.teamId
          })
          return updated.value
        })
    })

  /** Roles above the bottom tier grant staff powers: only those who manage the corps may give them. */
  const roleGuard = (ctx: Command.CommandContext, corps: Corps, roleId: string, team: Team) => {
    const role = corps.role(roleId)
    if (role === undefined) {
      return Effect.fail(
        ctx.invalid(`职务「${roleId}」未定义（已定义：${corps.memberRoles.map((r) => r.id).join("、")}）`)
      )
    }
    const bottom = Math.max(...corps.memberRoles.map((r) => r.tier))
    return Effect.zipRight(
      ctx.authorize(Permission.membersManage, teamTarget(team)),
      role.tier < bottom ? ctx.authorize(Permission.corpsManage, teamTarget(team)) : Effect.void
    )
  }

  const assignRole = (actor: Actor.Actor, input: typeof AssignRole.Encoded) =>
    deps.commands.run({
      name: "assignRole",
      title: "任命职务",
      input: AssignRole,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const corps = yield* loadCorps(i.tenantId)
          const team = yield* loadActiveTeam(deps, i.tenantId, i.teamId)
          yield* roleGuard(ctx, corps, i.roleId, team.value)
          if (i.member._tag === "Volunteer") {
            const volunteer = yield* loadVolunteer(deps, i.tenantId, i.member.id)
            if (volunteer.value.status !== "active") {
              return yield* new InvalidTransition({
                entity: "Volunteer",
                id: volunteer.value.id,
                state: volunteer.value.status,
                action: "担任队伍职务（须为在册志愿者）"
              })
            }
          }
          const membership = new Membership({
            id: yield* newId,
            tenantId: i.tenantId,
            teamId: team.value.id,
            member: i.member,
            roleId: i.roleId,
            status: "active",
            since: ctx.now
          })
          yield* deps.corps.insertMembership(membership).pipe(
            Effect.catchTag("DuplicateKey", () =>
              Effect.fail(
                new InvalidTransition({
                  entity: "Membership",
                  id: `${team.value.id}/${i.member.id}/${i.roleId}`,
                  state: "已担任该职务",
                  action: "重复任命"
                })
              )
            )
          )
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "membership.assign",
            targetType: "Membership",
            targetId: membership.id,
            details: {
              teamId: membership.teamId,
              memberKind: i.member._tag,
              memberId: i.member.id,
              roleId: i.roleId
            }
          })
          return membership
        })
    })

  const endRole = (actor: Actor.Actor, input: typeof EndRole.Encoded) =>
    deps.commands.run({
      name: "endRole",
      title: "免去职务",
      input: EndRole,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const corps = yield* loadCorps(i.tenantId)
          const current = yield* load(
            "Membership",
            i.membershipId,
            deps.corps.getMembership(i.tenantId, i.membershipId)
          )
          const team = yield* loadTeam(deps, i.tenantId, current.value.teamId)
          yield* roleGuard(ctx, corps, current.value.roleId, team.value)
          if (current.value.status !== "active") {
            return yield* new InvalidTransition({
              entity: "Membership",
              id: i.membershipId,
              state: "已免去",
              action: "再次免去"
            })
          }
          const ended = new Membership({
            ...current.value,
            status: "ended",
            until: ctx.now,
            ...(i.reason === undefined ? {} : { endReason: i.reason })
          })
          yield* deps.corps.updateMembership(ended, current.version)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "membership.end",
            targetType: "Membership",
            targetId: ended.id,
            details: { teamId: ended.teamId }
          })
          return ended
        })
    })

  const getCorps = (actor: Actor.Actor, input: { readonly tenantId: string }) =>
    deps.commands.query({
      name: "getCorps",
      title: "查看服务总队",
      input: CorpsRef,
      raw: input,
      actor,
      body: ({ tenantId }) =>
        Effect.gen(function* () {
          yield* authorizeAny(deps, actor, [Permission.read, Permission.selfRead], selfTarget(actor, tenantId))
          const corps = yield* loadCorps(tenantId)
          const teams = yield* deps.corps.listTeams(tenantId)
          return { corps, teams: teams.map((t) => t.value) }
        })
    })

  const teamMembers = (actor: Actor.Actor, input: typeof TeamMembers.Encoded) =>
    deps.commands.query({
      name: "teamMembers",
      title: "查看队伍成员",
      input: TeamMembers,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const team = yield* loadTeam(deps, i.tenantId, i.teamId)
          yield* ctx.authorize(Permission.read, teamTarget(team.value))
          const rows = yield* deps.corps.findMemberships(i.tenantId, {
            teamId: i.teamId,
            ...(i.activeOnly ? { status: "active" as const } : {})
          })
          return rows.map((row) => row.value)
        })
    })

  /** Used by registration and status changes: gives or ends the volunteer role in the volunteer's team. */
  const ensureVolunteerRole = (
    ctx: Command.CommandContext,
    tenantId: Team["tenantId"],
    teamId: Team["id"],
    volunteerId: string
  ) =>
    Effect.gen(function* () {
      const corps = yield* loadCorps(tenantId)
      const bottom = [...corps.memberRoles].sort((a, b) => b.tier - a.tier)[0]
      const membership = new Membership({
        id: yield* newId,
        tenantId,
        teamId,
        member: { _tag: "Volunteer", id: volunteerId as Membership["member"]["id"] } as Membership["member"],
        roleId: bottom.id,
        status: "active",
        since: ctx.now
      })
      yield* deps.corps.insertMembership(membership).pipe(Effect.catchTag("DuplicateKey", () => Effect.void))
      yield* ctx.audit({
        tenantId,
        action: "membership.assign",
        targetType: "Membership",
        targetId: membership.id,
        details: {
          teamId,
          memberKind: "Volunteer",
          memberId: volunteerId,
          roleId: bottom.id
        }
      })
    })

  const endAllRoles = (ctx: Command.CommandContext, tenantId: Team["tenantId"], volunteerId: string, reason: string) =>
    Effect.gen(function* () {
      const rows = yield* deps.corps.membershipsOf(tenantId, {
        _tag: "Volunteer",
        id: volunteerId as Membership["member"]["id"]
      } as Membership["member"])
      const at = ctx.now
      for (const row of rows) {
        if (row.value.status !== "active") continue
        yield* deps.corps.updateMembership(
          new Membership({ ...row.value, status: "ended", until: at, endReason: reason }),
          row.version
        )
        yield* ctx.audit({
          tenantId,
          action: "membership.end",
          targetType: "Membership",
          targetId: row.value.id,
          details: { teamId: row.value.teamId }
        })
      }
    })

  return {
    establishCorps,
    createTeam,
    setTeamOrganisation,
    assignRole,
    endRole,
    getCorps,
    teamMembers,
    ensureVolunteerRole,
    endAllRoles,
    loadCorps
  }
}
