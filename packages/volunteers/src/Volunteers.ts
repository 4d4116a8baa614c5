/**
 * The volunteer corps service (民情志愿服务): every command of the module — the corps and its teams,
 * registration and approval, profiles, activities and shifts with sign-ups, waitlists, check-in and
 * check-out, service records with adjustments and approval, star levels, certificates — each of
 * which decodes its input with `Schema`, checks the actor's permission with core `Authorization`,
 * runs in one transaction with its outbox events and its audit entry (retried on optimistic
 * conflicts), is traced as `Volunteers.<command>`, and fails with typed errors a clerk can read.
 *
 * @since 0.1.0
 */

import type { SqlClient } from "@effect/sql"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Calendar from "@gongzhi/core/Calendar"
import { FieldCipher } from "@gongzhi/core/FieldCipher"
import { IdentityVerifier } from "@gongzhi/core/IdentityVerifier"
import type { PartialMaskOptions } from "@gongzhi/core/Mask"
import * as Outbox from "@gongzhi/core/Outbox"
import type { RegionTree } from "@gongzhi/core/Region"
import type * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import * as Transactor from "@gongzhi/core/Transactor"
import { Context, Effect, Layer } from "effect"
import * as ActivityRepo from "./ActivityRepo.js"
import { defaultPublicity, type PublicityPolicy } from "./Certificate.js"
import * as CertificateRepo from "./CertificateRepo.js"
import * as CorpsRepo from "./CorpsRepo.js"
import * as ActivitiesService from "./internal/service/activities.js"
import * as AttendanceService from "./internal/service/attendance.js"
import * as CertificatesService from "./internal/service/certificates.js"
import { type Deps, makeCommands, type Settings } from "./internal/service/context.js"
import * as CorpsService from "./internal/service/corps.js"
import * as RecordsService from "./internal/service/records.js"
import * as ShiftsService from "./internal/service/shifts.js"
import * as VolunteersService from "./internal/service/volunteers.js"
import { defaultRolePermissions } from "./Permissions.js"
import * as ServiceRecordRepo from "./ServiceRecordRepo.js"
import { defaultPolicy, type StarPolicy } from "./StarLevel.js"
import * as VolunteerRepo from "./VolunteerRepo.js"

/**
 * What a shift looks like to a reader (the roster only for those who manage attendance).
 *
 * @since 0.1.0
 * @category models
 */
export type ShiftView = ActivitiesService.ShiftView

/**
 * A volunteer's hours and star level as shown to them and to staff.
 *
 * @since 0.1.0
 * @category models
 */
export type HoursSummary = RecordsService.HoursSummary

/**
 * The settings of the service. Only `regions` is required; every policy has its default.
 *
 * @since 0.1.0
 * @category models
 */
export interface VolunteersOptions {
  /** The district's region tree (home communities, teams and activities are checked against it). */
  readonly regions: RegionTree
  /** Star-level policies by effective date (default: 100/300/600/1000/1500 hours). */
  readonly starPolicies?: ReadonlyArray<StarPolicy> | undefined
  /** Certificate publicity (default 7 days). */
  readonly publicity?: PublicityPolicy | undefined
  /** Digits of a one-time check code (default 6). */
  readonly checkCodeDigits?: number | undefined
  /** Lifetime of a one-time check code in minutes (default 10). */
  readonly checkCodeTtlMinutes?: number | undefined
  /** How long before a shift's start check-in opens, in minutes (default 60). */
  readonly checkInOpensMinutesBefore?: number | undefined
  /** Count only the time within the shift's window (default true). */
  readonly clampToShift?: boolean | undefined
  /** Unified social credit code validation (e.g. `{ lenient: true }` for pilot-era codes). */
  readonly creditCode?: SocialCreditCode.ValidateOptions | undefined
  /** How the resident ID number is masked (default first character and last two). */
  readonly residentIdMask?: PartialMaskOptions | undefined
  /** How the mobile number is masked (default first three and last four). */
  readonly mobileMask?: PartialMaskOptions | undefined
  /** How many days ahead reminders look for shifts (default 20, enough for the Spring Festival). */
  readonly reminderHorizonDays?: number | undefined
  /** How many times a command is retried after an optimistic-concurrency conflict (default 3). */
  readonly conflictRetries?: number | undefined
  /**
   * The district's role table (default {@link defaultRolePermissions}). Every layer built from these
   * options — `Volunteers`, `Roster`, `Statistics` — checks permissions against this one table.
   */
  readonly roles?: Authorization.RolePermissions | undefined
}

/**
 * The resolved settings of the service (every policy filled in).
 *
 * @since 0.1.0
 * @category models
 */
export type VolunteersSettings = Settings

/**
 * The resolved settings of the service.
 *
 * @since 0.1.0
 * @category tags
 */
export class VolunteersConfig extends Context.Tag("@gongzhi/volunteers/VolunteersConfig")<
  VolunteersConfig,
  Settings
>() {}

/**
 * The settings with defaults filled in.
 *
 * @since 0.1.0
 * @category constructors
 */
export const settings = (options: VolunteersOptions): Settings => ({
  regions: options.regions,
  starPolicies: options.starPolicies ?? [defaultPolicy],
  publicity: options.publicity ?? defaultPublicity,
  checkCodeDigits: options.checkCodeDigits ?? 6,
  checkCodeTtlMinutes: options.checkCodeTtlMinutes ?? 10,
  checkInOpensMinutesBefore: options.checkInOpensMinutesBefore ?? 60,
  clampToShift: options.clampToShift ?? true,
  creditCode: options.creditCode,
  residentIdMask: options.residentIdMask,
  mobileMask: options.mobileMask,
  reminderHorizonDays: options.reminderHorizonDays ?? 20,
  conflictRetries: options.conflictRetries ?? 3
})

/**
 * The authorization of `options`: its role table, or the default one.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerAuthorization = (options: VolunteersOptions): Layer.Layer<Authorization.Authorization> =>
  Authorization.layer(options.roles ?? defaultRolePermissions)

/**
 * The settings as a layer (from options given in code; defaults filled in).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerSettings = (options: VolunteersOptions): Layer.Layer<VolunteersConfig> =>
  Layer.succeed(VolunteersConfig, settings(options))

/**
 * @since 0.1.0
 * @category layers
 * @deprecated Use {@link layerSettings}: `layerConfig` names layers read from `Config` across Gongzhi,
 * and this one is not.
 */
export const layerConfig: (options: VolunteersOptions) => Layer.Layer<VolunteersConfig> = layerSettings

/**
 * Builds the service from the ports in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const settings = yield* VolunteersConfig
  const deps: Deps = {
    corps: yield* CorpsRepo.CorpsRepo,
    volunteers: yield* VolunteerRepo.VolunteerRepo,
    activities: yield* ActivityRepo.ActivityRepo,
    records: yield* ServiceRecordRepo.ServiceRecordRepo,
    certificates: yield* CertificateRepo.CertificateRepo,
    commands: yield* makeCommands(settings),
    authorization: yield* Authorization.Authorization,
    cipher: yield* FieldCipher,
    verifier: yield* IdentityVerifier,
    calendar: yield* Calendar.WorkingCalendar,
    settings
  }
  const corps = CorpsService.make(deps)
  const volunteers = VolunteersService.make(deps, corps)
  const shifts = ShiftsService.make(deps)
  const activities = ActivitiesService.make(deps, shifts)
  const attendance = AttendanceService.make(deps, shifts)
  const records = RecordsService.make(deps, volunteers)
  const certificates = CertificatesService.make(deps)
  return {
    // corps
    establishCorps: corps.establishCorps,
    createTeam: corps.createTeam,
    setTeamOrganisation: corps.setTeamOrganisation,
    assignRole: corps.assignRole,
    endRole: corps.endRole,
    getCorps: corps.getCorps,
    teamMembers: corps.teamMembers,
    // volunteers
    register: volunteers.register,
    decideApplication: volunteers.decideApplication,
    changeStatus: volunteers.changeStatus,
    getVolunteer: volunteers.getVolunteer,
    listVolunteers: volunteers.listVolunteers,
    updateProfile: volunteers.updateProfile,
    // activities and shifts
    createActivity: activities.createActivity,
    addShift: activities.addShift,
    cancelShift: activities.cancelShift,
    getShift: activities.getShift,
    listActivities: activities.listActivities,
    listShifts: activities.listShifts,
    signUp: attendance.signUp,
    cancelSignUp: attendance.cancelSignUp,
    listSignUps: attendance.listSignUps,
    checkIn: attendance.checkIn,
    walkIn: attendance.walkIn,
    checkOut: attendance.checkOut,
    issueCheckCode: attendance.issueCheckCode,
    checkInWithCode: attendance.checkInWithCode,
    checkOutWithCode: attendance.checkOutWithCode,
    closeShift: attendance.closeShift,
    remindShifts: activities.remindShifts,
    // records
    recordService: records.recordService,
    adjustRecord: records.adjustRecord,
    decideRecord: records.decideRecord,
    addRecordEntry: records.addRecordEntry,
    resolveComplaint: records.resolveComplaint,
    listRecords: records.listRecords,
    hoursOf: records.hoursOf,
    recomputeHours: records.recomputeHours,
    // certificates
    applyCertificate: certificates.applyCertificate,
    acceptCertificate: certificates.acceptCertificate,
    issueCertificate: certificates.issueCertificate,
    closePublicity: certificates.closePublicity,
    revokeCertificate: certificates.revokeCertificate,
    getCertificate: certificates.getCertificate,
    listCertificates: certificates.listCertificates
  }
})

/**
 * The volunteer corps service.
 *
 * @since 0.1.0
 * @category tags
 * @example
 * import { Effect } from "effect"
 * import type { Actor } from "@gongzhi/core/Actor"
 * import { Volunteers } from "@gongzhi/volunteers"
 *
 * declare const clerk: Actor
 * const program = Effect.gen(function* () {
 *   const volunteers = yield* Volunteers.Volunteers
 *   const applied = yield* volunteers.register(clerk, {
 *     tenantId: "440310",
 *     name: "张三",
 *     residentId: "11010519491231002X",
 *     mobile: "13800138000",
 *     affiliation: { kind: "individual" },
 *     homeCommunity: "440310001001",
 *     consent: { purpose: "志愿者登记、服务记录与证明出具" }
 *   })
 *   return applied.volunteerId // "440310-V-000001"
 * })
 */
export class Volunteers extends Effect.Service<Volunteers>()("@gongzhi/volunteers/Volunteers", { effect: make }) {}

/**
 * The five repository ports, in memory.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStoreMemory: Layer.Layer<
  | CorpsRepo.CorpsRepo
  | VolunteerRepo.VolunteerRepo
  | ActivityRepo.ActivityRepo
  | ServiceRecordRepo.ServiceRecordRepo
  | CertificateRepo.CertificateRepo
> = Layer.mergeAll(
  CorpsRepo.layerMemory,
  VolunteerRepo.layerMemory,
  ActivityRepo.layerMemory,
  ServiceRecordRepo.layerMemory,
  CertificateRepo.layerMemory
)

/**
 * The five repository ports over the `SqlClient` in context (run `VolunteerMigrations` first).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStoreSql: Layer.Layer<
  | CorpsRepo.CorpsRepo
  | VolunteerRepo.VolunteerRepo
  | ActivityRepo.ActivityRepo
  | ServiceRecordRepo.ServiceRecordRepo
  | CertificateRepo.CertificateRepo,
  never,
  SqlClient.SqlClient
> = Layer.mergeAll(
  CorpsRepo.layerSql,
  VolunteerRepo.layerSql,
  ActivityRepo.layerSql,
  ServiceRecordRepo.layerSql,
  CertificateRepo.layerSql
)

/**
 * The service with everything in memory — repositories, transactor, outbox, audit log — the default
 * role table and the official working-day calendar. The field cipher and the real-name verifier stay
 * requirements: provide your own (or `FieldCipher.layerTest()` and `IdentityVerifier.layerTest(…)`
 * in tests and demos).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  options: VolunteersOptions
): Layer.Layer<
  | Volunteers
  | Outbox.Outbox
  | AuditLog.AuditLog
  | Transactor.Transactor
  | CorpsRepo.CorpsRepo
  | VolunteerRepo.VolunteerRepo
  | ActivityRepo.ActivityRepo
  | ServiceRecordRepo.ServiceRecordRepo
  | CertificateRepo.CertificateRepo,
  never,
  FieldCipher | IdentityVerifier
> =>
  Volunteers.Default.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        layerStoreMemory,
        Transactor.layerMemory,
        Outbox.layerMemory,
        AuditLog.layerMemory,
        layerAuthorization(options),
        Calendar.layerChina,
        layerSettings(options)
      )
    )
  )

/**
 * The service on SQL: repositories, outbox and audit log over the `SqlClient` and `Transactor` of a
 * store (run `CoreMigrations` and `VolunteerMigrations` with it), the default role table and the
 * official working-day calendar.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql = (
  options: VolunteersOptions
): Layer.Layer<
  | Volunteers
  | Outbox.Outbox
  | AuditLog.AuditLog
  | CorpsRepo.CorpsRepo
  | VolunteerRepo.VolunteerRepo
  | ActivityRepo.ActivityRepo
  | ServiceRecordRepo.ServiceRecordRepo
  | CertificateRepo.CertificateRepo,
  never,
  FieldCipher | IdentityVerifier | SqlClient.SqlClient | Transactor.Transactor
> =>
  Volunteers.Default.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        layerStoreSql,
        Outbox.layerSql,
        AuditLog.layerSql,
        layerAuthorization(options),
        Calendar.layerChina,
        layerSettings(options)
      )
    )
  )
