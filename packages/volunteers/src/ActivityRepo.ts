/**
 * The activity repository port (活动库): activities, their shifts (each with its roster, updated
 * optimistically so that two sign-ups for the last place never both succeed), and the participation
 * rows derived from the rosters for "my sign-ups", attendance and no-show statistics.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import type * as Page from "@gongzhi/core/Page"
import * as Repository from "@gongzhi/core/Repository"
import type { DuplicateKey, StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { Option } from "effect"
import { Context, Effect, Layer } from "effect"
import type { Activity, ActivityKind, ParticipantState, Participation, Shift } from "./Activity.js"
import { between, type Condition, where } from "./internal/filters.js"
import * as Tables from "./internal/tables.js"

/**
 * Conditions on activities.
 *
 * @since 0.1.0
 * @category models
 */
export interface ActivityFilter {
  readonly teamId?: Condition<string>
  readonly streetCode?: Condition<string>
  readonly communityCode?: Condition<string>
  readonly kind?: Condition<ActivityKind>
  readonly status?: Condition<Activity["status"]>
}

/**
 * Conditions on shifts; `startsFrom` inclusive, `startsBefore` exclusive.
 *
 * @since 0.1.0
 * @category models
 */
export interface ShiftFilter {
  readonly activityId?: Condition<string>
  readonly teamId?: Condition<string>
  readonly streetCode?: Condition<string>
  readonly status?: Condition<Shift["status"]>
  readonly reminded?: boolean | undefined
  readonly startsFrom?: Date | undefined
  readonly startsBefore?: Date | undefined
}

/**
 * Conditions on participation rows; `startsFrom` inclusive, `startsBefore` exclusive.
 *
 * @since 0.1.0
 * @category models
 */
export interface ParticipationFilter {
  readonly volunteerId?: Condition<string>
  readonly shiftId?: Condition<string>
  readonly teamId?: Condition<string>
  readonly streetCode?: Condition<string>
  readonly communityCode?: Condition<string>
  readonly state?: Condition<ParticipantState>
  readonly activityKind?: Condition<ActivityKind>
  readonly walkIn?: boolean | undefined
  readonly startsFrom?: Date | undefined
  readonly startsBefore?: Date | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ActivityRepoShape {
  readonly insertActivity: (
    activity: Activity
  ) => Effect.Effect<Repository.Versioned<Activity>, DuplicateKey | StorageError>
  readonly getActivity: (
    tenantId: TenantId,
    activityId: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<Activity>>, StorageError>
  readonly updateActivity: (
    activity: Activity,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<Activity>, VersionConflict | DuplicateKey | StorageError>
  /** Activities, newest first. */
  readonly pageActivities: (
    tenantId: TenantId,
    options: {
      readonly filter?: ActivityFilter | undefined
      readonly limit: number
      readonly cursor?: string | undefined
    }
  ) => Effect.Effect<Page.Page<Repository.Versioned<Activity>>, StorageError>
  readonly insertShift: (shift: Shift) => Effect.Effect<Repository.Versioned<Shift>, DuplicateKey | StorageError>
  readonly getShift: (
    tenantId: TenantId,
    shiftId: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<Shift>>, StorageError>
  /** Replaces a shift (its roster) if it is still at `expectedVersion`. */
  readonly updateShift: (
    shift: Shift,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<Shift>, VersionConflict | DuplicateKey | StorageError>
  /** Shifts matching the filter, earliest start first (at most `limit`, default 1000). */
  readonly findShifts: (
    tenantId: TenantId,
    filter: ShiftFilter,
    limit?: number
  ) => Effect.Effect<ReadonlyArray<Repository.Versioned<Shift>>, StorageError>
  /** Writes the participation rows of a roster (insert or replace), in the caller's transaction. */
  readonly saveParticipations: (
    tenantId: TenantId,
    rows: ReadonlyArray<Participation>
  ) => Effect.Effect<void, VersionConflict | DuplicateKey | StorageError>
  /** Participation rows, latest shift first. */
  readonly pageParticipations: (
    tenantId: TenantId,
    options: {
      readonly filter?: ParticipationFilter | undefined
      readonly limit: number
      readonly cursor?: string | undefined
    }
  ) => Effect.Effect<Page.Page<Participation>, StorageError>
  readonly countParticipations: (
    tenantId: TenantId,
    filter?: ParticipationFilter
  ) => Effect.Effect<number, StorageError>
  readonly countParticipationsBy: (
    tenantId: TenantId,
    column: "state" | "team_id" | "street_code" | "community_code" | "volunteer_id" | "activity_kind",
    filter?: ParticipationFilter
  ) => Effect.Effect<ReadonlyArray<Repository.GroupCount>, StorageError>
}

/**
 * The activity repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class ActivityRepo extends Context.Tag("@gongzhi/volunteers/ActivityRepo")<ActivityRepo, ActivityRepoShape>() {}

const activityFilter = (filter: ActivityFilter | undefined) =>
  where({
    team_id: filter?.teamId,
    street_code: filter?.streetCode,
    community_code: filter?.communityCode,
    kind: filter?.kind,
    status: filter?.status
  })

const shiftFilter = (filter: ShiftFilter | undefined) =>
  where({
    activity_id: filter?.activityId,
    team_id: filter?.teamId,
    street_code: filter?.streetCode,
    status: filter?.status,
    reminded: filter?.reminded,
    starts_at: between(filter?.startsFrom, filter?.startsBefore)
  })

const participationFilter = (filter: ParticipationFilter | undefined) =>
  where({
    volunteer_id: filter?.volunteerId,
    shift_id: filter?.shiftId,
    team_id: filter?.teamId,
    street_code: filter?.streetCode,
    community_code: filter?.communityCode,
    state: filter?.state,
    activity_kind: filter?.activityKind,
    walk_in: filter?.walkIn,
    starts_at: between(filter?.startsFrom, filter?.startsBefore)
  })

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<ActivityRepoShape, never, R> =>
  Effect.gen(function* () {
    const activities = yield* build(Tables.activities)
    const shifts = yield* build(Tables.shifts)
    const participations = yield* build(Tables.participations)
    return {
      insertActivity: (activity) => activities.insert(activity.tenantId, activity),
      getActivity: (tenantId, id) => activities.get(tenantId, id),
      updateActivity: (activity, version) => activities.update(activity.tenantId, activity, version),
      pageActivities: (tenantId, options) =>
        activities.page(tenantId, {
          where: activityFilter(options.filter),
          orderBy: "created_at",
          direction: "desc",
          limit: options.limit,
          cursor: options.cursor
        }),
      insertShift: (shift) => shifts.insert(shift.tenantId, shift),
      getShift: (tenantId, id) => shifts.get(tenantId, id),
      updateShift: (shift, version) => shifts.update(shift.tenantId, shift, version),
      findShifts: (tenantId, filter, limit = 1000) =>
        Effect.map(
          shifts.page(tenantId, { where: shiftFilter(filter), orderBy: "starts_at", direction: "asc", limit }),
          (page) => page.items
        ),
      saveParticipations: (tenantId, rows) =>
        Effect.forEach(
          rows,
          (row) =>
            Effect.flatMap(participations.get(tenantId, row.id), (current) =>
              current._tag === "None"
                ? participations.insert(tenantId, row)
                : participations.update(tenantId, row, current.value.version)
            ),
          { discard: true }
        ),
      pageParticipations: (tenantId, options) =>
        Effect.map(
          participations.page(tenantId, {
            where: participationFilter(options.filter),
            orderBy: "starts_at",
            direction: "desc",
            limit: options.limit,
            cursor: options.cursor
          }),
          (page) => ({ items: page.items.map((row) => row.value), nextCursor: page.nextCursor })
        ),
      countParticipations: (tenantId, filter) => participations.count(tenantId, participationFilter(filter)),
      countParticipationsBy: (tenantId, column, filter) =>
        participations.countBy(tenantId, column, participationFilter(filter))
    }
  })

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<ActivityRepo> = Layer.effect(ActivityRepo, make(Repository.makeMemory))

/**
 * The SQL implementation (SQLite, PostgreSQL, MySQL/MariaDB) over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<ActivityRepo, never, SqlClient.SqlClient> = Layer.effect(
  ActivityRepo,
  make(Repository.makeSql)
)
