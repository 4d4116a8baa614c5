import type * as Actor from "@gongzhi/core/Actor"
import type * as Command from "@gongzhi/core/Command"
import * as Mask from "@gongzhi/core/Mask"
import type * as Repository from "@gongzhi/core/Repository"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { DuplicateKey, StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either, Option, Redacted } from "effect"
import * as ActorRef from "../../ActorRef.js"
import { defaultTeamId } from "../../Corps.js"
import { Permission } from "../../Permissions.js"
import { DecideApplication, RegisterVolunteer } from "../../Registration.js"
import type { Delta } from "../../ServiceRecord.js"
import * as StarLevel from "../../StarLevel.js"
import {
  Affiliation,
  type AffiliationInput,
  ChangeStatus,
  Consent,
  canChangeStatus,
  formatNumber,
  HoursAccount,
  IdentityCheck,
  ListVolunteers,
  RegistrationDecision,
  RegistrationRecord,
  SealedField,
  statusLabel,
  toListItem,
  toProfileView,
  UpdateProfile,
  Volunteer,
  VolunteerRef
} from "../../Volunteer.js"
import {
  AlreadyRegistered,
  type EntityNotFound,
  IdentityCheckFailed,
  InvalidTransition
} from "../../VolunteerErrors.js"
import type { VolunteerEvent } from "../../VolunteerEvents.js"
import { chinaDate } from "../time.js"
import {
  authorizeFor,
  community,
  type Deps,
  emit,
  loadActiveTeam,
  loadVolunteer,
  teamTarget,
  volunteerTeam
} from "./context.js"
import type * as Corps from "./corps.js"

const RESIDENT_ID = "volunteers.resident_id"
const MOBILE = "volunteers.mobile"

export const make = (deps: Deps, corps: ReturnType<typeof Corps.make>) => {
  const { cipher, settings } = deps

  // ciphertexts are bound to the volunteer's record (FieldCipher gz2): copied to another row, they do not decrypt
  const sealResidentId = (tenantId: TenantId, residentId: string, recordId: string) =>
    Effect.all({
      ciphertext: cipher.encrypt(Redacted.make(residentId), { context: [RESIDENT_ID, tenantId], recordId }),
      blindIndex: cipher.blindIndex(Redacted.make(residentId), {
        kind: "residentId",
        context: [RESIDENT_ID, tenantId]
      }),
      masked: Effect.succeed(Mask.residentId(residentId, settings.residentIdMask))
    }).pipe(Effect.map((fields) => new SealedField(fields)))

  const sealMobile = (tenantId: TenantId, mobile: string, recordId: string) =>
    Effect.all({
      ciphertext: cipher.encrypt(Redacted.make(mobile), { context: [MOBILE, tenantId], recordId }),
      blindIndex: cipher.blindIndex(Redacted.make(mobile), { kind: "phone", context: [MOBILE, tenantId] }),
      masked: Effect.succeed(Mask.mobile(mobile, settings.mobileMask))
    }).pipe(Effect.map((fields) => new SealedField(fields)))

  const toAffiliation = (ctx: Command.QueryContext, input: typeof AffiliationInput.Type) =>
    Effect.gen(function* () {
      let creditCode: string | undefined
      if (input.creditCode !== undefined && input.creditCode.trim() !== "") {
        creditCode = yield* SocialCreditCode.validate(input.creditCode, settings.creditCode).pipe(
          Effect.mapError((error) =>
            ctx.invalid(`统一社会信用代码（affiliation.creditCode）：${error.message}`, "affiliation.creditCode")
          )
        )
      }
      return new Affiliation({
        kind: input.kind,
        ...(input.kind === "individual" || input.organisation === undefined
          ? {}
          : { organisation: input.organisation }),
        ...(input.kind === "individual" || creditCode === undefined ? {} : { creditCode })
      })
    })

  const register = (actor: Actor.Actor, input: typeof RegisterVolunteer.Encoded) =>
    deps.commands.run({
      name: "register",
      title: "志愿者登记",
      input: RegisterVolunteer,
      raw: input,
      actor,
      // the real-name check is a call to an outside provider: outside the transaction
      prepare: (i, ctx) =>
        Effect.gen(function* () {
          const home = yield* community(deps, i.homeCommunity)
          const team = yield* loadActiveTeam(deps, i.tenantId, i.teamId ?? defaultTeamId(home.streetCode))
          const selfService = actor._tag === "Resident"
          if (selfService) {
            yield* ctx.authorize(Permission.apply, { tenantId: i.tenantId, regionCode: home.communityCode })
          } else {
            yield* ctx.authorize(Permission.register, teamTarget(team.value))
          }
          const affiliation = yield* toAffiliation(ctx, i.affiliation)
          const check = yield* deps.verifier.verify({ name: i.name, residentId: Redacted.make(i.residentId) })
          if (check.outcome !== "Verified") {
            return yield* new IdentityCheckFailed({
              outcome: check.outcome,
              provider: check.provider,
              reference: check.reference
            })
          }
          const residentIndex = yield* cipher.blindIndex(Redacted.make(i.residentId), {
            kind: "residentId",
            context: [RESIDENT_ID, i.tenantId]
          })
          return { home, team, selfService, affiliation, check, residentIndex }
        }),
      body: (i, ctx, { affiliation, check, home, residentIndex, selfService, team }) =>
        Effect.gen(function* () {
          const existing = yield* deps.volunteers.findByResidentIndex(i.tenantId, residentIndex)
          if (Option.isSome(existing)) {
            // the number only to whom may see that volunteer: the person themself (self-service, after the
            // real-name check) or staff whose scope holds the volunteer's community; anyone else learns only
            // that the number is taken (no ID → volunteer-number oracle across streets)
            const found = existing.value.value
            const mayRead =
              selfService ||
              Either.isRight(
                yield* Effect.either(
                  ctx.authorize(Permission.read, { tenantId: found.tenantId, regionCode: found.homeCommunity })
                )
              )
            return yield* new AlreadyRegistered(mayRead ? { volunteerId: found.id } : {})
          }
          const at = ctx.now
          if (i.consent.consentedAt !== undefined && i.consent.consentedAt.getTime() > at.getTime() + 86_400_000) {
            return yield* ctx.invalid("同意日期不能晚于今天", "consent.consentedAt")
          }
          const sequence = yield* deps.volunteers.nextSequence(i.tenantId)
          const id = formatNumber(i.tenantId, sequence)
          // sealed once the record id is known: the ciphertexts are bound to it
          const residentId = yield* sealResidentId(i.tenantId, i.residentId, id)
          const mobile = yield* sealMobile(i.tenantId, i.mobile, id)
          const volunteer = new Volunteer({
            id,
            tenantId: i.tenantId,
            name: i.name,
            idType: "resident-id-card",
            residentId,
            mobile,
            affiliation,
            skills: i.skills,
            homeCommunity: home.communityCode,
            streetCode: home.streetCode,
            teamId: team.value.id,
            status: "applied",
            consent: new Consent({
              purpose: i.consent.purpose,
              consentedAt: i.consent.consentedAt ?? at,
              ...(i.consent.noticeVersion === undefined ? {} : { noticeVersion: i.consent.noticeVersion })
            }),
            registration: new RegistrationRecord({
              channel: selfService ? "self" : "team",
              submittedBy: ActorRef.fromActor(actor),
              submittedAt: at,
              identityCheck: new IdentityCheck({
                provider: check.provider,
                reference: check.reference,
                checkedAt: new Date(check.checkedAt.epochMillis)
              })
            }),
            hours: HoursAccount.empty,
            createdAt: at,
            updatedAt: at
          })
          yield* deps.volunteers
            .insert(volunteer)
            .pipe(
              Effect.catchTag(
                "DuplicateKey",
                (error): Effect.Effect<never, AlreadyRegistered | DuplicateKey> =>
                  error.key === "resident_id" ? Effect.fail(new AlreadyRegistered({})) : Effect.fail(error)
              )
            )
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "volunteer.register",
            targetType: "Volunteer",
            targetId: volunteer.id,
            details: {
              teamId: volunteer.teamId,
              channel: volunteer.registration.channel,
              identityProvider: check.provider,
              identityReference: check.reference
            }
          })
          return toProfileView(volunteer)
        })
    })

  const decideApplication = (actor: Actor.Actor, input: typeof DecideApplication.Encoded) =>
    deps.commands.run({
      name: "decideApplication",
      title: "审核志愿者登记",
      input: DecideApplication,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadVolunteer(deps, i.tenantId, i.volunteerId)
          const team = yield* volunteerTeam(deps, current.value)
          yield* ctx.authorize(Permission.approve, teamTarget(team.value))
          if (current.value.status !== "applied") {
            return yield* new InvalidTransition({
              entity: "Volunteer",
              id: current.value.id,
              state: statusLabel(current.value.status),
              action: i.decision === "approve" ? "审核通过" : "不予通过"
            })
          }
          const at = ctx.now
          const approved = i.decision === "approve"
          const next = new Volunteer({
            ...current.value,
            status: approved ? "active" : "rejected",
            registration: new RegistrationRecord({
              ...current.value.registration,
              decision: new RegistrationDecision({
                outcome: approved ? "approved" : "rejected",
                by: ActorRef.fromActor(actor),
                at,
                ...(i.reason === undefined ? {} : { reason: i.reason })
              })
            }),
            updatedAt: at
          })
          yield* deps.volunteers.update(next, current.version)
          if (approved) {
            yield* corps.ensureVolunteerRole(ctx, i.tenantId, next.teamId, next.id)
            yield* emit(ctx, i.tenantId, [
              {
                _tag: "ApplicationApproved",
                volunteerId: next.id,
                name: next.name,
                teamId: team.value.id,
                teamName: team.value.name,
                approvedAt: at
              }
            ])
          }
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: approved ? "volunteer.approve" : "volunteer.reject",
            targetType: "Volunteer",
            targetId: next.id,
            details: {
              ...(i.reason === undefined ? {} : { reason: i.reason })
            }
          })
          return toProfileView(next)
        })
    })

  const changeStatus = (actor: Actor.Actor, input: typeof ChangeStatus.Encoded) =>
    deps.commands.run({
      name: "changeStatus",
      title: "变更志愿者状态",
      input: ChangeStatus,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadVolunteer(deps, i.tenantId, i.volunteerId)
          const team = yield* volunteerTeam(deps, current.value)
          yield* ctx.authorize(Permission.statusChange, teamTarget(team.value))
          if (!canChangeStatus(current.value.status, i.status)) {
            return yield* new InvalidTransition({
              entity: "Volunteer",
              id: current.value.id,
              state: statusLabel(current.value.status),
              action: `变更为「${statusLabel(i.status)}」`
            })
          }
          const at = ctx.now
          const next = new Volunteer({ ...current.value, status: i.status, statusReason: i.reason, updatedAt: at })
          yield* deps.volunteers.update(next, current.version)
          if (i.status === "left") yield* corps.endAllRoles(ctx, i.tenantId, next.id, `离队：${i.reason}`)
          if (current.value.status === "left" && i.status === "active") {
            yield* corps.ensureVolunteerRole(ctx, i.tenantId, next.teamId, next.id)
          }
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "volunteer.status",
            targetType: "Volunteer",
            targetId: next.id,
            details: {
              from: current.value.status,
              to: i.status,
              reason: i.reason
            }
          })
          return toProfileView(next)
        })
    })

  const getVolunteer = (actor: Actor.Actor, input: typeof VolunteerRef.Encoded) =>
    deps.commands.query({
      name: "getVolunteer",
      title: "查看志愿者",
      input: VolunteerRef,
      raw: input,
      actor,
      body: (i) =>
        Effect.gen(function* () {
          const current = yield* loadVolunteer(deps, i.tenantId, i.volunteerId)
          const team = yield* volunteerTeam(deps, current.value)
          yield* authorizeFor(deps, actor, teamTarget(team.value), Permission.read, {
            volunteerId: current.value.id,
            permission: Permission.selfRead
          })
          return toProfileView(current.value)
        })
    })

  const listVolunteers = (actor: Actor.Actor, input: typeof ListVolunteers.Encoded) =>
    deps.commands.query({
      name: "listVolunteers",
      title: "志愿者名单",
      input: ListVolunteers,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          let teamId = i.teamId
          const streetCode: string | undefined = i.streetCode
          let communityCode: string | undefined = i.communityCode
          let regionCode: string | undefined
          if (teamId !== undefined) {
            const team = yield* loadActiveTeam(deps, i.tenantId, teamId)
            regionCode = team.value.regionCode
          } else if (communityCode !== undefined) regionCode = communityCode
          else if (streetCode !== undefined) regionCode = streetCode
          else if (actor.scope.tenantId === i.tenantId && (actor.scope.regionCode as string) !== i.tenantId) {
            // no filter: the actor's own scope (a street leader sees the sub-team of their street)
            regionCode = actor.scope.regionCode
            if (regionCode.length === 9) teamId = defaultTeamId(regionCode)
            else communityCode = regionCode
          }
          yield* ctx.authorize(Permission.read, {
            tenantId: i.tenantId,
            ...(regionCode === undefined ? {} : { regionCode: regionCode as Volunteer["streetCode"] })
          })
          const page = yield* deps.volunteers.page(i.tenantId, {
            filter: { teamId, streetCode, communityCode, status: i.status },
            limit: i.limit,
            cursor: i.cursor
          })
          return { items: page.items.map((row) => toListItem(row.value)), nextCursor: page.nextCursor }
        })
    })

  const updateProfile = (actor: Actor.Actor, input: typeof UpdateProfile.Encoded) =>
    deps.commands.run({
      name: "updateProfile",
      title: "更新志愿者信息",
      input: UpdateProfile,
      raw: input,
      actor,
      prepare: (i, ctx) =>
        Effect.all({
          affiliation: i.affiliation === undefined ? Effect.void : toAffiliation(ctx, i.affiliation),
          mobile: i.mobile === undefined ? Effect.void : sealMobile(i.tenantId, i.mobile, i.volunteerId)
        }),
      body: (i, ctx, { affiliation, mobile }) =>
        Effect.gen(function* () {
          const current = yield* loadVolunteer(deps, i.tenantId, i.volunteerId)
          const team = yield* volunteerTeam(deps, current.value)
          yield* authorizeFor(deps, actor, teamTarget(team.value), Permission.update, {
            volunteerId: current.value.id,
            permission: Permission.selfUpdate
          })
          const next = new Volunteer({
            ...current.value,
            ...(mobile === undefined ? {} : { mobile }),
            ...(i.skills === undefined ? {} : { skills: i.skills }),
            ...(affiliation === undefined ? {} : { affiliation }),
            updatedAt: ctx.now
          })
          yield* deps.volunteers.update(next, current.version)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "volunteer.update",
            targetType: "Volunteer",
            targetId: next.id,
            details: {
              fields: [
                ...(mobile === undefined ? [] : ["mobile"]),
                ...(i.skills === undefined ? [] : ["skills"]),
                ...(affiliation === undefined ? [] : ["affiliation"])
              ]
            }
          })
          return toProfileView(next)
        })
    })

  /**
   * Applies a change of approved minutes to a volunteer's account (in the caller's transaction);
   * returns the events (a star level reached).
   */
  const applyHours = (
    tenantId: TenantId,
    volunteerId: string,
    delta: Delta,
    at: Date
  ): Effect.Effect<ReadonlyArray<VolunteerEvent>, EntityNotFound | StorageError | VersionConflict | DuplicateKey> =>
    Effect.gen(function* () {
      if (delta.serviceMinutes === 0 && delta.trainingMinutes === 0) return []
      const current: Repository.Versioned<Volunteer> = yield* loadVolunteer(deps, tenantId, volunteerId)
      const policy = StarLevel.policyAt(settings.starPolicies, chinaDate(at.getTime()))
      const approvedMinutes = Math.max(0, current.value.hours.approvedMinutes + delta.serviceMinutes)
      const trainingMinutes = Math.max(0, current.value.hours.trainingMinutes + delta.trainingMinutes)
      const previousLevel = current.value.hours.starLevel
      const level = StarLevel.levelFor(policy, approvedMinutes)
      const reached = level > previousLevel
      const hours = new HoursAccount({
        approvedMinutes,
        trainingMinutes,
        starLevel: level,
        ...(reached
          ? { levelReachedAt: at }
          : current.value.hours.levelReachedAt === undefined
            ? {}
            : { levelReachedAt: current.value.hours.levelReachedAt })
      })
      const next = new Volunteer({ ...current.value, hours, updatedAt: at })
      yield* deps.volunteers.update(next, current.version)
      return reached
        ? [
            {
              _tag: "StarLevelReached" as const,
              volunteerId: next.id,
              name: next.name,
              level,
              previousLevel,
              approvedHours: StarLevel.minutesToHours(approvedMinutes),
              policySource: policy.source,
              policyEffectiveFrom: policy.effectiveFrom
            }
          ]
        : []
    })

  return {
    register,
    decideApplication,
    changeStatus,
    getVolunteer,
    listVolunteers,
    updateProfile,
    applyHours
  }
}
