/**
 * The 坪工学堂 service (坪山区总工会 workers' course platform): venues and free course offerings,
 * workers registering with an SMS code or at the desk, enrolment with seats and a FIFO waitlist
 * (core `Capacity`) promoted on cancellation, a cancellation deadline, a limit of concurrent courses,
 * no-show penalties, attendance by staff or by the venue's one-time code, completion and numbered
 * certificates, feedback and statistics. Every operation goes through core `Command` (decode, tenant
 * check, permission, one transaction with its outbox events and audit entry, retried on conflicts).
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import { FieldCipher } from "@gongzhi/core/FieldCipher"
import type { PartialMaskOptions } from "@gongzhi/core/Mask"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Transactor from "@gongzhi/core/Transactor"
import { Context, Effect, Layer } from "effect"
import * as CourseRepo from "./CourseRepo.js"
import * as AttendanceService from "./internal/service/attendance.js"
import * as CatalogueService from "./internal/service/catalogue.js"
import { type Deps, makeCommands, type Settings } from "./internal/service/context.js"
import * as EnrolmentService from "./internal/service/enrolment.js"
import * as ReportsService from "./internal/service/reports.js"
import * as WorkersService from "./internal/service/workers.js"
import { defaultPolicy, type OtpPolicy, OtpSender } from "./Otp.js"
import { defaultRolePermissions } from "./Permissions.js"

/**
 * The settings of the service; every one has its default.
 *
 * @since 0.1.0
 * @category models
 */
export interface CoursesOptions {
  /** Whether a course may charge a fee (default false: 全公益、零收费). */
  readonly allowFees?: boolean | undefined
  /** Courses a worker may be enrolled in or waiting for at once (default 3). */
  readonly maxConcurrentCourses?: number | undefined
  /** No-shows per step of waitlist priority lost (default 2; 0 disables the penalty). */
  readonly noShowThreshold?: number | undefined
  /** One-time code limits (default {@link defaultPolicy}). */
  readonly otp?: Partial<OtpPolicy> | undefined
  /** Minutes before a session's start that check-in opens (default 30). */
  readonly checkInOpensMinutesBefore?: number | undefined
  readonly mobileMask?: PartialMaskOptions | undefined
  /** Retries after an optimistic-concurrency conflict (default 5: enrolment bursts contend on one course). */
  readonly conflictRetries?: number | undefined
  /** The district's role table (default `Permissions.defaultRolePermissions`). */
  readonly roles?: Authorization.RolePermissions | undefined
}

/**
 * The resolved settings.
 *
 * @since 0.1.0
 * @category models
 */
export type CoursesSettings = Settings

/**
 * @since 0.1.0
 * @category tags
 */
export class CoursesConfig extends Context.Tag("@gongzhi/courses/CoursesConfig")<CoursesConfig, Settings>() {}

/**
 * The settings with defaults filled in.
 *
 * @since 0.1.0
 * @category constructors
 */
export const settings = (options: CoursesOptions = {}): Settings => ({
  allowFees: options.allowFees ?? false,
  maxConcurrentCourses: options.maxConcurrentCourses ?? 3,
  noShowThreshold: options.noShowThreshold ?? 2,
  otp: { ...defaultPolicy, ...options.otp },
  checkInOpensMinutesBefore: options.checkInOpensMinutesBefore ?? 30,
  mobileMask: options.mobileMask,
  conflictRetries: options.conflictRetries ?? 5
})

/**
 * The settings as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSettings = (options: CoursesOptions = {}): Layer.Layer<CoursesConfig> =>
  Layer.succeed(CoursesConfig, settings(options))

/**
 * The authorization of `options`: its role table, or the default one.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerAuthorization = (options: CoursesOptions = {}): Layer.Layer<Authorization.Authorization> =>
  Authorization.layer(options.roles ?? defaultRolePermissions)

/**
 * Builds the service from the ports in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const settings = yield* CoursesConfig
  const deps: Deps = {
    repo: yield* CourseRepo.CourseRepo,
    commands: yield* makeCommands(settings),
    authorization: yield* Authorization.Authorization,
    cipher: yield* FieldCipher,
    sender: yield* OtpSender,
    settings
  }
  const workers = WorkersService.make(deps)
  const catalogue = CatalogueService.make(deps)
  const enrolment = EnrolmentService.make(deps)
  const attendance = AttendanceService.make(deps, workers)
  const reports = ReportsService.make(deps)
  return {
    // catalogue
    addVenue: catalogue.addVenue,
    offerCourse: catalogue.offerCourse,
    cancelSession: catalogue.cancelSession,
    remindSessions: catalogue.remindSessions,
    listCourses: catalogue.listCourses,
    // workers
    requestCode: workers.requestCode,
    registerWorker: workers.registerWorker,
    registerAtDesk: workers.registerAtDesk,
    getWorker: workers.getWorker,
    // enrolment
    enrol: enrolment.enrol,
    cancelEnrolment: enrolment.cancelEnrolment,
    listEnrolments: enrolment.listEnrolments,
    roster: enrolment.roster,
    // attendance and completion
    issueVenueCode: attendance.issueVenueCode,
    checkIn: attendance.checkIn,
    closeSession: attendance.closeSession,
    finishCourse: attendance.finishCourse,
    // reports
    certificate: reports.certificate,
    giveFeedback: reports.giveFeedback,
    feedbackThemes: reports.feedbackThemes,
    statistics: reports.statistics
  }
})

/**
 * The 坪工学堂 service.
 *
 * @since 0.1.0
 * @category tags
 * @example
 * import { Effect } from "effect"
 * import type { Actor } from "@gongzhi/core/Actor"
 * import { Courses } from "@gongzhi/courses"
 *
 * declare const worker: Actor // a Resident whose userId is the worker number
 * const program = Effect.gen(function* () {
 *   const courses = yield* Courses.Courses
 *   return yield* courses.enrol(worker, { tenantId: "440310", courseId: "C00001" }) // { state: "confirmed", … }
 * })
 */
export class Courses extends Effect.Service<Courses>()("@gongzhi/courses/Courses", { effect: make }) {}

/**
 * The service with everything in memory (repositories, transactor, outbox, audit log) and the default
 * role table. The field cipher and the code sender stay requirements (`FieldCipher.layerTest()` and
 * `Otp.makeCapture().layer` in tests and demos).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  options: CoursesOptions = {}
): Layer.Layer<
  Courses | Outbox.Outbox | AuditLog.AuditLog | Transactor.Transactor | CourseRepo.CourseRepo,
  never,
  FieldCipher | OtpSender
> =>
  Courses.Default.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        CourseRepo.layerMemory,
        Transactor.layerMemory,
        Outbox.layerMemory,
        AuditLog.layerMemory,
        layerAuthorization(options),
        layerSettings(options)
      )
    )
  )

/**
 * The service on SQL: repositories, outbox and audit log over the `SqlClient` and `Transactor` of a
 * store (run `CoreMigrations` and `CourseMigrations` with it).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql = (
  options: CoursesOptions = {}
): Layer.Layer<
  Courses | Outbox.Outbox | AuditLog.AuditLog | CourseRepo.CourseRepo,
  never,
  FieldCipher | OtpSender | SqlClient.SqlClient | Transactor.Transactor
> =>
  Courses.Default.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        CourseRepo.layerSql,
        Outbox.layerSql,
        AuditLog.layerSql,
        layerAuthorization(options),
        layerSettings(options)
      )
    )
  )
