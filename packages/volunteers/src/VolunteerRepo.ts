/**
 * The volunteer repository port (志愿者库): profiles with their sealed personal fields, looked up by
 * volunteer number or by the blind index of the ID number (unique per district), listed and counted
 * by team, street, community, status and star level. `layerMemory` is the reference implementation;
 * `layerSql` serves SQLite, PostgreSQL and MySQL/MariaDB (tables from `VolunteerMigrations`).
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import type * as Page from "@gongzhi/core/Page"
import * as Repository from "@gongzhi/core/Repository"
import type { DuplicateKey, StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Context, Effect, Layer, Option } from "effect"
import * as Counter from "./internal/counter.js"
import { type Condition, where } from "./internal/filters.js"
import * as Tables from "./internal/tables.js"
import type { Volunteer, VolunteerStatus } from "./Volunteer.js"

/**
 * Conditions on volunteers (all must hold; a list means "one of").
 *
 * @since 0.1.0
 * @category models
 */
export interface VolunteerFilter {
  /** Volunteer numbers (e.g. a chunk of ids found elsewhere). */
  readonly volunteerId?: Condition<string>
  readonly teamId?: Condition<string>
  readonly streetCode?: Condition<string>
  readonly communityCode?: Condition<string>
  readonly status?: Condition<VolunteerStatus>
  readonly starLevel?: Condition<number>
}

/**
 * The columns volunteers can be counted by.
 *
 * @since 0.1.0
 * @category models
 */
export type VolunteerGroupColumn = "team_id" | "street_code" | "community_code" | "status" | "star_level"

/**
 * @since 0.1.0
 * @category models
 */
export interface VolunteerRepoShape {
  /** Inserts a profile; `DuplicateKey` with key `resident_id` when the person is already registered. */
  readonly insert: (volunteer: Volunteer) => Effect.Effect<Repository.Versioned<Volunteer>, DuplicateKey | StorageError>
  readonly get: (
    tenantId: TenantId,
    volunteerId: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<Volunteer>>, StorageError>
  /** Replaces a profile if it is still at `expectedVersion`. */
  readonly update: (
    volunteer: Volunteer,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<Volunteer>, VersionConflict | DuplicateKey | StorageError>
  /** The registered (not rejected) volunteer with this resident-ID blind index. */
  readonly findByResidentIndex: (
    tenantId: TenantId,
    blindIndex: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<Volunteer>>, StorageError>
  /** Volunteers with this mobile blind index. */
  readonly findByMobileIndex: (
    tenantId: TenantId,
    blindIndex: string
  ) => Effect.Effect<ReadonlyArray<Repository.Versioned<Volunteer>>, StorageError>
  /** A page of volunteers, in volunteer-number order (or newest first with `newestFirst`). */
  readonly page: (
    tenantId: TenantId,
    options: {
      readonly filter?: VolunteerFilter | undefined
      readonly limit: number
      readonly cursor?: string | undefined
      readonly newestFirst?: boolean | undefined
    }
  ) => Effect.Effect<Page.Page<Repository.Versioned<Volunteer>>, StorageError>
  readonly count: (tenantId: TenantId, filter?: VolunteerFilter) => Effect.Effect<number, StorageError>
  readonly countBy: (
    tenantId: TenantId,
    column: VolunteerGroupColumn,
    filter?: VolunteerFilter
  ) => Effect.Effect<ReadonlyArray<Repository.GroupCount>, StorageError>
  /** The next volunteer sequence number of the district (1, 2, 3, …), in the caller's transaction. */
  readonly nextSequence: (tenantId: TenantId) => Effect.Effect<number, VersionConflict | StorageError>
}

/**
 * The volunteer repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class VolunteerRepo extends Context.Tag("@gongzhi/volunteers/VolunteerRepo")<
  VolunteerRepo,
  VolunteerRepoShape
>() {}

const toFilter = (filter: VolunteerFilter | undefined): Repository.Filter =>
  where({
    id: filter?.volunteerId,
    team_id: filter?.teamId,
    street_code: filter?.streetCode,
    community_code: filter?.communityCode,
    status: filter?.status,
    star_level: filter?.starLevel
  })

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<VolunteerRepoShape, never, R> =>
  Effect.gen(function* () {
    const volunteers = yield* build(Tables.volunteers)
    const counters = yield* build(Tables.counters)
    return {
      insert: (volunteer) => volunteers.insert(volunteer.tenantId, volunteer),
      get: (tenantId, volunteerId) => volunteers.get(tenantId, volunteerId),
      update: (volunteer, expectedVersion) => volunteers.update(volunteer.tenantId, volunteer, expectedVersion),
      findByResidentIndex: (tenantId, blindIndex) =>
        Effect.map(volunteers.find(tenantId, { resident_index: blindIndex }, 1), (rows) =>
          Option.fromNullable(rows[0])
        ),
      findByMobileIndex: (tenantId, blindIndex) => volunteers.find(tenantId, { mobile_index: blindIndex }, 100),
      page: (tenantId, options) =>
        volunteers.page(tenantId, {
          where: toFilter(options.filter),
          limit: options.limit,
          cursor: options.cursor,
          ...(options.newestFirst === true ? { orderBy: "created_at", direction: "desc" as const } : {})
        }),
      count: (tenantId, filter) => volunteers.count(tenantId, toFilter(filter)),
      countBy: (tenantId, column, filter) => volunteers.countBy(tenantId, column, toFilter(filter)),
      nextSequence: (tenantId) => Counter.next(counters, tenantId, "volunteer-number")
    }
  })

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<VolunteerRepo> = Layer.effect(VolunteerRepo, make(Repository.makeMemory))

/**
 * The SQL implementation (SQLite, PostgreSQL, MySQL/MariaDB) over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<VolunteerRepo, never, SqlClient.SqlClient> = Layer.effect(
  VolunteerRepo,
  make(Repository.makeSql)
)
