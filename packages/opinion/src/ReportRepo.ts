/**
 * The report repository port (诉求存储) with its in-memory and SQL implementations, both built on the kernel's
 * tenant-first document repository: a report is stored as one JSON document plus indexed columns (status, bucket,
 * category, street, community, department, times of receipt and due, idempotency key, reporter …). Every index
 * begins with `tenant_id`; the idempotency key is unique within a tenant, so a retried submission can never
 * create a second report.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import type * as Page from "@gongzhi/core/Page"
import * as Repository from "@gongzhi/core/Repository"
import type { DuplicateKey, StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Context, Effect, Layer, Option } from "effect"
import * as Statistics from "./internal/statistics.js"
import type * as OpinionStatistics from "./OpinionStatistics.js"
import { Report, reporterKey } from "./Report.js"
import { topLevelCode } from "./Taxonomy.js"
import type { Bucket } from "./Workflow.js"

/**
 * The repository definition: table `opinion_reports`, its columns, indexes and the unique rule
 * `idempotency_key`. The columns `satisfaction`, `closed_on_time` (closed by the end of the handling due date),
 * `overdue_at` (from when `Report.wasOverdue` holds; 0 when it already does), `past_due_at` (from when an open
 * report counts as past due) and `escalations` (how many) serve the statistics (`OpinionStatistics`).
 *
 * @since 0.1.0
 * @category models
 */
export const definition = Repository.define({
  entity: "OpinionReport",
  table: "opinion_reports",
  schema: Report,
  id: (report) => report.id,
  columns: {
    status: { type: "text", get: (r) => r.status, length: 32 },
    bucket: { type: "text", get: (r) => r.bucket, length: 24 },
    category: { type: "text", get: (r) => r.category, length: 16 },
    category_group: { type: "text", get: (r) => topLevelCode(r.category), length: 4 },
    kind: { type: "text", get: (r) => r.kind, length: 32 },
    urgency: { type: "text", get: (r) => r.urgency, length: 16 },
    channel: { type: "text", get: (r) => r.channel, length: 32 },
    street_code: { type: "text", get: (r) => r.location.streetCode, length: 12 },
    community_code: { type: "text", get: (r) => r.location.communityCode, length: 16 },
    grid_code: { type: "text", get: (r) => r.location.gridCode, length: 32 },
    department: { type: "text", get: (r) => r.department, length: 64 },
    received_at: { type: "timestamp", get: (r) => r.receivedAt },
    due_at: { type: "timestamp", get: (r) => r.dueAt },
    remind_at: { type: "timestamp", get: (r) => r.nextReminderAt },
    escalate_at: { type: "timestamp", get: (r) => r.nextEscalationAt },
    closed_at: { type: "timestamp", get: (r) => r.closedAt },
    idempotency_key: { type: "text", get: (r) => r.idempotencyKey, length: 128 },
    reporter_key: { type: "text", get: (r) => reporterKey(r.reporter), length: 80 },
    contact_index: { type: "text", get: (r) => r.contact?.phoneIndex, length: 64 },
    merged_into: { type: "text", get: (r) => r.mergedInto, length: 64 },
    // for the statistics (migration 2): see OpinionStatistics
    satisfaction: { type: "text", get: (r) => r.satisfaction, length: 24 },
    closed_on_time: { type: "boolean", get: Statistics.closedOnTime },
    overdue_at: { type: "timestamp", get: Statistics.overdueAt },
    past_due_at: { type: "timestamp", get: Statistics.pastDueAt },
    escalations: { type: "integer", get: (r) => r.escalations.length }
  },
  indexes: [
    ["received_at"],
    ["status", "received_at"],
    ["bucket", "received_at"],
    ["department", "status", "received_at"],
    ["street_code", "received_at"],
    ["community_code", "received_at"],
    ["category", "received_at"],
    ["due_at"],
    ["remind_at"],
    ["escalate_at"],
    ["reporter_key", "received_at"],
    ["contact_index"],
    ["merged_into"]
  ],
  unique: { idempotency_key: ["idempotency_key"] }
})

/**
 * Conditions on reports, all of which must hold. `category` is a full code or a top-level code (`SM`);
 * `receivedFrom` is inclusive, `receivedBefore` exclusive.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportFilter {
  readonly status?: string | ReadonlyArray<string> | undefined
  readonly bucket?: Bucket | ReadonlyArray<Bucket> | undefined
  readonly department?: string | undefined
  readonly streetCode?: string | undefined
  readonly communityCode?: string | undefined
  readonly gridCode?: string | undefined
  readonly category?: string | undefined
  readonly kind?: string | undefined
  readonly urgency?: string | undefined
  readonly channel?: string | undefined
  readonly reporterKey?: string | undefined
  readonly contactIndex?: string | undefined
  readonly mergedInto?: string | undefined
  readonly receivedFrom?: Date | undefined
  readonly receivedBefore?: Date | undefined
}

/**
 * A page request over reports: a filter, an order (time of receipt — the default —, due time, or id) and keyset
 * pagination. Ordering by due time leaves out reports whose clock is stopped.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportQuery extends ReportFilter {
  readonly orderBy?: "receivedAt" | "dueAt" | "id" | undefined
  readonly direction?: "asc" | "desc" | undefined
  readonly limit: number
  readonly cursor?: string | undefined
}

/**
 * The columns reports can be counted by.
 *
 * @since 0.1.0
 * @category models
 */
export type CountColumn =
  | "status"
  | "bucket"
  | "category"
  | "category_group"
  | "kind"
  | "urgency"
  | "channel"
  | "street_code"
  | "community_code"
  | "department"

/**
 * A statistics request: the reports matching `filter`, figures as of `asOf`, optionally per value of a dimension
 * (`by`) and with cases per day, week or month of receipt (`trend`, in `timeZone`, default `Asia/Shanghai`).
 *
 * @since 0.2.0
 * @category models
 */
export interface StatisticsQuery {
  readonly filter?: ReportFilter | undefined
  readonly asOf: Date
  readonly by?: OpinionStatistics.Dimension | undefined
  readonly trend?: { readonly unit: OpinionStatistics.TrendUnit; readonly timeZone?: string | undefined } | undefined
}

/**
 * Options of the deadline queries: at most `limit` reports (default 500), optionally within a filter.
 *
 * @since 0.1.0
 * @category models
 */
export interface DueOptions {
  readonly limit?: number | undefined
  readonly filter?: ReportFilter | undefined
}

/**
 * The operations of the report repository. All take the tenant first.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportRepoShape {
  /** Stores a new report at version 1; `DuplicateKey` names `id` or `idempotency_key`. */
  readonly insert: (
    tenantId: TenantId,
    report: Report
  ) => Effect.Effect<Repository.Versioned<Report>, DuplicateKey | StorageError>
  readonly get: (
    tenantId: TenantId,
    id: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<Report>>, StorageError>
  /** Replaces the report if its stored version is still `expectedVersion`. */
  readonly update: (
    tenantId: TenantId,
    report: Report,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<Report>, VersionConflict | DuplicateKey | StorageError>
  readonly findByIdempotencyKey: (
    tenantId: TenantId,
    key: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<Report>>, StorageError>
  readonly page: (
    tenantId: TenantId,
    query: ReportQuery
  ) => Effect.Effect<Page.Page<Repository.Versioned<Report>>, StorageError>
  /**
   * Reports whose running deadline ended at or before `asOf` (overdue), earliest due first, at most `limit`
   * (default 500), optionally within a filter.
   */
  readonly findOverdue: (
    tenantId: TenantId,
    asOf: Date,
    options?: DueOptions
  ) => Effect.Effect<ReadonlyArray<Repository.Versioned<Report>>, StorageError>
  /** Reports whose next escalation (督办) is due at `asOf`, earliest first. */
  readonly findEscalationsDue: (
    tenantId: TenantId,
    asOf: Date,
    options?: DueOptions
  ) => Effect.Effect<ReadonlyArray<Repository.Versioned<Report>>, StorageError>
  /** Reports whose "deadline approaching" notice is due at `asOf`, earliest first. */
  readonly findRemindersDue: (
    tenantId: TenantId,
    asOf: Date,
    options?: DueOptions
  ) => Effect.Effect<ReadonlyArray<Repository.Versioned<Report>>, StorageError>
  readonly count: (tenantId: TenantId, filter?: ReportFilter) => Effect.Effect<number, StorageError>
  readonly countBy: (
    tenantId: TenantId,
    column: CountColumn,
    filter?: ReportFilter
  ) => Effect.Effect<ReadonlyArray<Repository.GroupCount>, StorageError>
  /**
   * The statistics of the reports matching a filter (`OpinionStatistics`), computed by the store: a few grouped
   * aggregations, never a read of the reports themselves.
   */
  readonly statistics: (
    tenantId: TenantId,
    query: StatisticsQuery
  ) => Effect.Effect<OpinionStatistics.Statistics, StorageError>
}

/**
 * The report repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class ReportRepo extends Context.Tag("@gongzhi/opinion/ReportRepo")<ReportRepo, ReportRepoShape>() {}

const oneOrMany = (value: string | ReadonlyArray<string>): Repository.Condition =>
  typeof value === "string" ? value : { in: value }

/**
 * The kernel repository filter of a report filter.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toFilter = (filter: ReportFilter = {}): Repository.Filter => {
  const where: Record<string, Repository.Condition> = {}
  if (filter.status !== undefined) where.status = oneOrMany(filter.status)
  if (filter.bucket !== undefined) where.bucket = oneOrMany(filter.bucket)
  if (filter.department !== undefined) where.department = filter.department
  if (filter.streetCode !== undefined) where.street_code = filter.streetCode
  if (filter.communityCode !== undefined) where.community_code = filter.communityCode
  if (filter.gridCode !== undefined) where.grid_code = filter.gridCode
  if (filter.category !== undefined) {
    if (filter.category.length === 2) where.category_group = filter.category
    else where.category = filter.category
  }
  if (filter.kind !== undefined) where.kind = filter.kind
  if (filter.urgency !== undefined) where.urgency = filter.urgency
  if (filter.channel !== undefined) where.channel = filter.channel
  if (filter.reporterKey !== undefined) where.reporter_key = filter.reporterKey
  if (filter.contactIndex !== undefined) where.contact_index = filter.contactIndex
  if (filter.mergedInto !== undefined) where.merged_into = filter.mergedInto
  if (filter.receivedFrom !== undefined || filter.receivedBefore !== undefined) {
    where.received_at = {
      ...(filter.receivedFrom === undefined ? {} : { gte: filter.receivedFrom.getTime() }),
      ...(filter.receivedBefore === undefined ? {} : { lt: filter.receivedBefore.getTime() })
    }
  }
  return where
}

const dueBefore = (
  repository: Repository.Repository<Report>,
  column: "due_at" | "remind_at" | "escalate_at",
  tenantId: TenantId,
  asOf: Date,
  options: DueOptions = {}
) =>
  Effect.map(
    repository.page(tenantId, {
      where: { ...toFilter(options.filter), [column]: { lt: asOf.getTime() + 1 } },
      orderBy: column,
      limit: options.limit ?? 500
    }),
    (page) => page.items
  )

/**
 * The port over a kernel repository of {@link definition} (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRepository = (repository: Repository.Repository<Report>): ReportRepoShape => ({
  insert: repository.insert,
  get: repository.get,
  update: repository.update,
  findByIdempotencyKey: (tenantId, key) =>
    Effect.map(repository.find(tenantId, { idempotency_key: key }, 1), (rows) =>
      rows.length === 0 ? Option.none() : Option.some(rows[0])
    ),
  page: (tenantId, query) => {
    const where = toFilter(query)
    const orderBy = query.orderBy === "dueAt" ? "due_at" : query.orderBy === "id" ? "id" : "received_at"
    return repository.page(tenantId, {
      where: orderBy === "due_at" ? { due_at: { gte: 0 }, ...where } : where,
      orderBy,
      direction: query.direction,
      limit: query.limit,
      cursor: query.cursor
    })
  },
  findOverdue: (tenantId, asOf, options) => dueBefore(repository, "due_at", tenantId, asOf, options),
  findEscalationsDue: (tenantId, asOf, options) => dueBefore(repository, "escalate_at", tenantId, asOf, options),
  findRemindersDue: (tenantId, asOf, options) => dueBefore(repository, "remind_at", tenantId, asOf, options),
  count: (tenantId, filter) => repository.count(tenantId, toFilter(filter)),
  countBy: (tenantId, column, filter) => repository.countBy(tenantId, column, toFilter(filter)),
  statistics: (tenantId, query) =>
    Statistics.run(repository, tenantId, {
      where: toFilter(query.filter),
      asOf: query.asOf,
      by: query.by,
      trend: query.trend
    })
})

/**
 * Builds the in-memory repository (reference implementation; joins memory transactions).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<ReportRepoShape> = Effect.map(Repository.makeMemory(definition), fromRepository)

/**
 * Builds the SQL repository over the `SqlClient` in context (SQLite, PostgreSQL, MySQL/MariaDB). The table comes
 * from `OpinionMigrations`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeSql: Effect.Effect<ReportRepoShape, never, SqlClient.SqlClient> = Effect.map(
  Repository.makeSql(definition),
  fromRepository
)

/**
 * The in-memory repository.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<ReportRepo> = Layer.effect(ReportRepo, makeMemory)

/**
 * The SQL repository.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<ReportRepo, never, SqlClient.SqlClient> = Layer.effect(ReportRepo, makeSql)
