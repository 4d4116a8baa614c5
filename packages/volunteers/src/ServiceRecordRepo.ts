/**
 * The service-record repository port (服务记录库): service and training records with their
 * adjustments and approvals, and the other entries of a volunteer's record (commendations,
 * evaluations, complaints). The table keeps `tenant_id, volunteer_id, team_id, street_code,
 * community_code, started_at, minutes, status` as indexed columns, tenant first, so that monthly
 * statistics (hours per month per team …) are computed by the store: {@link ServiceRecordRepoShape.sumMinutes},
 * `sumMinutesBy` and `sumMinutesByPeriod` are `Repository.aggregate` queries (one `GROUP BY` statement on SQL).
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
import { between, type Condition, where } from "./internal/filters.js"
import * as Tables from "./internal/tables.js"
import type { EntryKind, RecordEntry, RecordKind, RecordStatus, ServiceRecord } from "./ServiceRecord.js"

/**
 * Conditions on service records; `startedFrom` inclusive, `startedBefore` exclusive.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordFilter {
  readonly volunteerId?: Condition<string>
  readonly teamId?: Condition<string>
  readonly streetCode?: Condition<string>
  readonly communityCode?: Condition<string>
  readonly status?: Condition<RecordStatus>
  readonly kind?: Condition<RecordKind>
  readonly shiftId?: Condition<string>
  readonly startedFrom?: Date | undefined
  readonly startedBefore?: Date | undefined
}

/**
 * The columns records can be counted or summed by.
 *
 * @since 0.1.0
 * @category models
 */
export type RecordGroupColumn = "volunteer_id" | "team_id" | "street_code" | "community_code" | "status" | "kind"

/**
 * Conditions on record entries.
 *
 * @since 0.1.0
 * @category models
 */
export interface EntryFilter {
  readonly volunteerId?: Condition<string>
  readonly teamId?: Condition<string>
  readonly streetCode?: Condition<string>
  readonly kind?: Condition<EntryKind>
  readonly complaintStatus?: Condition<"open" | "resolved">
}

/**
 * A sum of minutes per value of a column.
 *
 * @since 0.1.0
 * @category models
 */
export interface MinutesBy {
  readonly key: string | number | boolean | null
  readonly minutes: number
}

/**
 * A sum of minutes and a count of records per value of a column and per period (see
 * {@link ServiceRecordRepoShape.sumMinutesByPeriod}).
 *
 * @since 0.1.0
 * @category models
 */
export interface MinutesByPeriod {
  readonly key: string | number | boolean | null
  /** The index of the period: `boundaries[period] <= started_at < boundaries[period + 1]`. */
  readonly period: number
  readonly minutes: number
  readonly records: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ServiceRecordRepoShape {
  /** `DuplicateKey` with key `attendance` when the shift already has a record for the volunteer. */
  readonly insert: (
    record: ServiceRecord
  ) => Effect.Effect<Repository.Versioned<ServiceRecord>, DuplicateKey | StorageError>
  readonly get: (
    tenantId: TenantId,
    recordId: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<ServiceRecord>>, StorageError>
  readonly update: (
    record: ServiceRecord,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<ServiceRecord>, VersionConflict | DuplicateKey | StorageError>
  /** Records, latest start first. */
  readonly page: (
    tenantId: TenantId,
    options: {
      readonly filter?: RecordFilter | undefined
      readonly limit: number
      readonly cursor?: string | undefined
    }
  ) => Effect.Effect<Page.Page<Repository.Versioned<ServiceRecord>>, StorageError>
  /** Every record matching the filter, earliest start first (read page by page). */
  readonly findAll: (
    tenantId: TenantId,
    filter: RecordFilter
  ) => Effect.Effect<ReadonlyArray<ServiceRecord>, StorageError>
  readonly count: (tenantId: TenantId, filter?: RecordFilter) => Effect.Effect<number, StorageError>
  readonly countBy: (
    tenantId: TenantId,
    column: RecordGroupColumn,
    filter?: RecordFilter
  ) => Effect.Effect<ReadonlyArray<Repository.GroupCount>, StorageError>
  /** The sum of effective minutes (adjustments included) of the matching records. */
  readonly sumMinutes: (tenantId: TenantId, filter?: RecordFilter) => Effect.Effect<number, StorageError>
  /** Sums of effective minutes per value of a column, ordered by key. */
  readonly sumMinutesBy: (
    tenantId: TenantId,
    column: RecordGroupColumn,
    filter?: RecordFilter
  ) => Effect.Effect<ReadonlyArray<MinutesBy>, StorageError>
  /**
   * Sums of effective minutes and counts of records per value of a column and per period of the
   * start time, in one statement (`GROUP BY column, CASE … END` on SQL): `boundaries` (ascending, at
   * least two) delimit the periods `[boundaries[i], boundaries[i + 1])` — e.g. the first instants of
   * consecutive months in China time. Records starting outside them are left out. Ordered by key,
   * then period; empty cells are absent.
   */
  readonly sumMinutesByPeriod: (
    tenantId: TenantId,
    column: RecordGroupColumn,
    boundaries: ReadonlyArray<Date>,
    filter?: RecordFilter
  ) => Effect.Effect<ReadonlyArray<MinutesByPeriod>, StorageError>
  readonly insertEntry: (
    entry: RecordEntry
  ) => Effect.Effect<Repository.Versioned<RecordEntry>, DuplicateKey | StorageError>
  readonly getEntry: (
    tenantId: TenantId,
    entryId: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<RecordEntry>>, StorageError>
  readonly updateEntry: (
    entry: RecordEntry,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<RecordEntry>, VersionConflict | DuplicateKey | StorageError>
  /** Entries, in id (creation) order. */
  readonly pageEntries: (
    tenantId: TenantId,
    options: { readonly filter?: EntryFilter | undefined; readonly limit: number; readonly cursor?: string | undefined }
  ) => Effect.Effect<Page.Page<Repository.Versioned<RecordEntry>>, StorageError>
  readonly countEntriesBy: (
    tenantId: TenantId,
    column: "kind" | "team_id" | "street_code" | "complaint_status",
    filter?: EntryFilter
  ) => Effect.Effect<ReadonlyArray<Repository.GroupCount>, StorageError>
}

/**
 * The service-record repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class ServiceRecordRepo extends Context.Tag("@gongzhi/volunteers/ServiceRecordRepo")<
  ServiceRecordRepo,
  ServiceRecordRepoShape
>() {}

const recordFilter = (filter: RecordFilter | undefined) =>
  where({
    volunteer_id: filter?.volunteerId,
    team_id: filter?.teamId,
    street_code: filter?.streetCode,
    community_code: filter?.communityCode,
    status: filter?.status,
    kind: filter?.kind,
    shift_id: filter?.shiftId,
    started_at: between(filter?.startedFrom, filter?.startedBefore)
  })

const entryFilter = (filter: EntryFilter | undefined) =>
  where({
    volunteer_id: filter?.volunteerId,
    team_id: filter?.teamId,
    street_code: filter?.streetCode,
    kind: filter?.kind,
    complaint_status: filter?.complaintStatus
  })

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<ServiceRecordRepoShape, never, R> =>
  Effect.gen(function* () {
    const records = yield* build(Tables.serviceRecords)
    const entries = yield* build(Tables.recordEntries)
    const findAll: ServiceRecordRepoShape["findAll"] = (tenantId, filter) =>
      Effect.gen(function* () {
        const out: Array<ServiceRecord> = []
        let cursor: string | undefined
        do {
          const page = yield* records.page(tenantId, {
            where: recordFilter(filter),
            orderBy: "started_at",
            direction: "asc",
            limit: 500,
            cursor
          })
          for (const item of page.items) out.push(item.value)
          cursor = page.nextCursor
        } while (cursor !== undefined)
        return out
      })
    return {
      insert: (record) => records.insert(record.tenantId, record),
      get: (tenantId, id) => records.get(tenantId, id),
      update: (record, version) => records.update(record.tenantId, record, version),
      page: (tenantId, options) =>
        records.page(tenantId, {
          where: recordFilter(options.filter),
          orderBy: "started_at",
          direction: "desc",
          limit: options.limit,
          cursor: options.cursor
        }),
      findAll,
      count: (tenantId, filter) => records.count(tenantId, recordFilter(filter)),
      countBy: (tenantId, column, filter) => records.countBy(tenantId, column, recordFilter(filter)),
      sumMinutes: (tenantId, filter) =>
        Effect.map(
          records.aggregate(tenantId, { where: recordFilter(filter), measures: { minutes: { sum: "minutes" } } }),
          (rows) => rows[0]?.values.minutes ?? 0
        ),
      sumMinutesBy: (tenantId, column, filter) =>
        Effect.map(
          records.aggregate(tenantId, {
            where: recordFilter(filter),
            groupBy: [column],
            measures: { minutes: { sum: "minutes" } }
          }),
          (rows) => rows.map((row) => ({ key: row.group[column], minutes: row.values.minutes }))
        ),
      sumMinutesByPeriod: (tenantId, column, boundaries, filter) =>
        Effect.map(
          records.aggregate(tenantId, {
            where: recordFilter(filter),
            groupBy: [column],
            bucket: { column: "started_at", boundaries },
            measures: { minutes: { sum: "minutes" }, records: "count" }
          }),
          (rows) =>
            rows.map((row) => ({
              key: row.group[column],
              period: row.period ?? 0,
              minutes: row.values.minutes,
              records: row.values.records
            }))
        ),
      insertEntry: (entry) => entries.insert(entry.tenantId, entry),
      getEntry: (tenantId, id) => entries.get(tenantId, id),
      updateEntry: (entry, version) => entries.update(entry.tenantId, entry, version),
      pageEntries: (tenantId, options) =>
        entries.page(tenantId, { where: entryFilter(options.filter), limit: options.limit, cursor: options.cursor }),
      countEntriesBy: (tenantId, column, filter) => entries.countBy(tenantId, column, entryFilter(filter))
    }
  })

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<ServiceRecordRepo> = Layer.effect(ServiceRecordRepo, make(Repository.makeMemory))

/**
 * The SQL implementation (SQLite, PostgreSQL, MySQL/MariaDB) over the `SqlClient` in context; sums
 * are one `SUM(minutes) … GROUP BY` statement (`Repository.aggregate`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<ServiceRecordRepo, never, SqlClient.SqlClient> = Layer.effect(
  ServiceRecordRepo,
  make(Repository.makeSql)
)
