import type * as Actor from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import type { Calendar } from "@gongzhi/core/Calendar"
import * as Command from "@gongzhi/core/Command"
import type { FieldCipherShape } from "@gongzhi/core/FieldCipher"
import type { IdentityVerifierShape } from "@gongzhi/core/IdentityVerifier"
import type { PartialMaskOptions } from "@gongzhi/core/Mask"
import type { RegionCode } from "@gongzhi/core/Region"
import * as Region from "@gongzhi/core/Region"
import type * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Clock, Effect, Option } from "effect"
import type { ActivityRepoShape } from "../../ActivityRepo.js"
import type { PublicityPolicy } from "../../Certificate.js"
import type { CertificateRepoShape } from "../../CertificateRepo.js"
import type { Team } from "../../Corps.js"
import type { CorpsRepoShape } from "../../CorpsRepo.js"
import type { ServiceRecordRepoShape } from "../../ServiceRecordRepo.js"
import type { StarPolicy } from "../../StarLevel.js"
import type { Volunteer } from "../../Volunteer.js"
import { type EntityKind, EntityNotFound, NotOwnRecord, RegionNotFound } from "../../VolunteerErrors.js"
import * as VolunteerEvents from "../../VolunteerEvents.js"
import type { VolunteerRepoShape } from "../../VolunteerRepo.js"
import { fieldLabels } from "../input.js"

/** The settings of the service (see `Volunteers.VolunteersConfig`). */
export interface Settings {
  readonly regions: Region.RegionTree
  readonly starPolicies: ReadonlyArray<StarPolicy>
  readonly publicity: PublicityPolicy
  readonly checkCodeDigits: number
  readonly checkCodeTtlMinutes: number
  readonly checkInOpensMinutesBefore: number
  readonly clampToShift: boolean
  readonly creditCode: SocialCreditCode.ValidateOptions | undefined
  readonly residentIdMask: PartialMaskOptions | undefined
  readonly mobileMask: PartialMaskOptions | undefined
  readonly reminderHorizonDays: number
  readonly conflictRetries: number
}

/** Everything a command needs, resolved once when the service is built. */
export interface Deps {
  readonly corps: CorpsRepoShape
  readonly volunteers: VolunteerRepoShape
  readonly activities: ActivityRepoShape
  readonly records: ServiceRecordRepoShape
  readonly certificates: CertificateRepoShape
  /** The command runner (decode, tenant check, transaction with conflict retries, span, audit, outbox). */
  readonly commands: Command.Runner
  readonly authorization: Authorization.Authorization["Type"]
  readonly cipher: FieldCipherShape
  readonly verifier: IdentityVerifierShape
  readonly calendar: Calendar
  readonly settings: Settings
}

/** The command runner of the service. */
export const makeCommands = (settings: Settings) =>
  Command.makeFromContext({ domain: "Volunteers", labels: fieldLabels, conflictRetries: settings.conflictRetries })

/** The current time from `Clock` (commands use `ctx.now`; this is for reports outside a command). */
export const now: Effect.Effect<Date> = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

/** Appends volunteer events to the outbox in the command's transaction (`ctx` or the runner). */
export const emit = (
  ctx: Pick<Command.CommandContext, "emit">,
  tenantId: TenantId,
  events: ReadonlyArray<VolunteerEvents.VolunteerEvent>
): Effect.Effect<void, StorageError> => ctx.emit(events.map((event) => VolunteerEvents.toOutbox(tenantId, event)))

/** The target of a team's data: its region. */
export const teamTarget = (team: Team): Authorization.Target => ({
  tenantId: team.tenantId,
  regionCode: team.regionCode
})

/** A target inside the actor's own scope (for self-service: ownership is checked separately). */
export const selfTarget = (actor: Actor.Actor, tenantId: TenantId): Authorization.Target =>
  actor.scope.tenantId === tenantId ? { tenantId, regionCode: actor.scope.regionCode } : { tenantId }

/** Whether the actor is the volunteer. */
export const isSelf = (actor: Actor.Actor, volunteerId: string): boolean =>
  actor._tag === "Volunteer" && actor.volunteerId === volunteerId

/**
 * Staff act on a volunteer's data with `staffPermission` on `target`; a volunteer acts on their own
 * with `selfPermission`, and is told it is not their record otherwise.
 */
export const authorizeFor = (
  deps: Deps,
  actor: Actor.Actor,
  target: Authorization.Target,
  staffPermission: string,
  self: { readonly volunteerId: string; readonly permission: string }
): Effect.Effect<void, Authorization.Forbidden | NotOwnRecord> => {
  if (isSelf(actor, self.volunteerId))
    return deps.authorization.authorize(actor, self.permission, selfTarget(actor, target.tenantId))
  const table = deps.authorization.table
  if (
    actor._tag === "Volunteer" &&
    !Authorization.grants(table, actor.roles, staffPermission) &&
    Authorization.grants(table, actor.roles, self.permission)
  ) {
    return Effect.fail(new NotOwnRecord({ actorId: actor.volunteerId, volunteerId: self.volunteerId }))
  }
  return deps.authorization.authorize(actor, staffPermission, target)
}

/** Passes when any of the permissions is granted on the target (a refusal otherwise). */
export const authorizeAny = (
  deps: Deps,
  actor: Actor.Actor,
  permissions: ReadonlyArray<string>,
  target: Authorization.Target
): Effect.Effect<void, Authorization.Forbidden> =>
  Effect.firstSuccessOf(permissions.map((permission) => deps.authorization.authorize(actor, permission, target)))

/** Loads an aggregate or fails with {@link EntityNotFound}. */
export const load = <A, E>(
  entity: EntityKind,
  id: string,
  read: Effect.Effect<Option.Option<A>, E>
): Effect.Effect<A, E | EntityNotFound> =>
  Effect.flatMap(
    read,
    Option.match({ onNone: () => Effect.fail(new EntityNotFound({ entity, id })), onSome: Effect.succeed })
  )

/** Loads a team. */
export const loadTeam = (deps: Deps, tenantId: TenantId, teamId: string) =>
  load("Team", teamId, deps.corps.getTeam(tenantId, teamId))

/** Loads an active team (a dissolved one counts as missing). */
export const loadActiveTeam = (deps: Deps, tenantId: TenantId, teamId: string) =>
  Effect.flatMap(loadTeam(deps, tenantId, teamId), (team) =>
    team.value.status === "active"
      ? Effect.succeed(team)
      : Effect.fail(new EntityNotFound({ entity: "Team", id: teamId }))
  )

/** Loads a volunteer. */
export const loadVolunteer = (deps: Deps, tenantId: TenantId, volunteerId: string) =>
  load("Volunteer", volunteerId, deps.volunteers.get(tenantId, volunteerId))

/** The team of a volunteer (for the authorization target). */
export const volunteerTeam = (deps: Deps, volunteer: Volunteer) => loadTeam(deps, volunteer.tenantId, volunteer.teamId)

/** A community of the region tree, with its street. */
export const community = (
  deps: Deps,
  code: string
): Effect.Effect<{ readonly communityCode: RegionCode; readonly streetCode: RegionCode }, RegionNotFound> => {
  const tree = deps.settings.regions
  const region = Option.getOrUndefined(Region.findByCode(tree, code))
  if (region === undefined || region.level !== "community" || region.parentCode === undefined) {
    return Effect.fail(new RegionNotFound({ regionCode: code, expected: "community", asOf: tree.asOf }))
  }
  return Effect.succeed({ communityCode: region.code, streetCode: region.parentCode })
}

/** A street of the region tree. */
export const street = (deps: Deps, code: string) => {
  const tree = deps.settings.regions
  const region = Option.getOrUndefined(Region.findByCode(tree, code))
  return region === undefined || region.level !== "street"
    ? Effect.fail(new RegionNotFound({ regionCode: code, expected: "street", asOf: tree.asOf }))
    : Effect.succeed(region)
}
