/**
 * The repository port of 坪工学堂 (课程库): venues, courses, workers, enrolments, one-time code
 * records, feedback and named sequences, each a core `Repository` (one filter compiler, the same
 * behaviour in memory and on SQLite, PostgreSQL and MySQL/MariaDB). Run `CourseMigrations` first on SQL.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import type { StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Context, Effect, Layer } from "effect"
import type { Course } from "./Course.js"
import type { Enrolment } from "./Enrolment.js"
import type { Feedback } from "./Feedback.js"
import * as Counter from "./internal/counter.js"
import * as Tables from "./internal/tables.js"
import type { OtpRecord } from "./Otp.js"
import type { Venue } from "./Venue.js"
import type { Worker } from "./Worker.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface CourseRepoShape {
  readonly venues: Repository.Repository<Venue>
  readonly courses: Repository.Repository<Course>
  /** Unique mobile number per district (`DuplicateKey` with key `mobile`). */
  readonly workers: Repository.Repository<Worker>
  readonly enrolments: Repository.Repository<Enrolment>
  readonly otp: Repository.Repository<OtpRecord>
  readonly feedback: Repository.Repository<Feedback>
  /** The next value of a named sequence of a district (1, 2, 3, …), in the caller's transaction. */
  readonly next: (tenantId: TenantId, name: string) => Effect.Effect<number, VersionConflict | StorageError>
}

/**
 * The repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class CourseRepo extends Context.Tag("@gongzhi/courses/CourseRepo")<CourseRepo, CourseRepoShape>() {}

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<CourseRepoShape, never, R> =>
  Effect.gen(function* () {
    const counters = yield* build(Tables.counters)
    return {
      venues: yield* build(Tables.venues),
      courses: yield* build(Tables.courses),
      workers: yield* build(Tables.workers),
      enrolments: yield* build(Tables.enrolments),
      otp: yield* build(Tables.otp),
      feedback: yield* build(Tables.feedback),
      next: (tenantId, name) => Counter.next(counters, tenantId, name)
    }
  })

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CourseRepo> = Layer.effect(CourseRepo, make(Repository.makeMemory))

/**
 * The SQL implementation over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<CourseRepo, never, SqlClient.SqlClient> = Layer.effect(
  CourseRepo,
  make(Repository.makeSql)
)
