/**
 * A generic, tenant-first document repository: the building block of every domain's repository
 * ports. An aggregate is stored as a JSON document (encoded with its Schema) plus a few typed,
 * indexed columns used for lookups, uniqueness, paging and counting, and a `version` for optimistic
 * concurrency.
 *
 * One definition gives an in-memory implementation ({@link makeMemory}) and a SQL implementation
 * ({@link makeSql}, one code path for SQLite, PostgreSQL and MySQL/MariaDB); its table is created by
 * the owning module's frozen migrations (`Migrations.createTable`, checked against
 * {@link tableSpec}). Every table's primary key and every index begin with `tenant_id`. Counts, sums,
 * minimums and maximums per group and per day, week or month in the district's time zone run in
 * the store ({@link Repository.aggregate}).
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import type { Effect, Option, Schema } from "effect"
import * as aggregateInternal from "./internal/repository/aggregate.js"
import * as ddlInternal from "./internal/repository/ddl.js"
import * as definitionInternal from "./internal/repository/definition.js"
import * as memoryInternal from "./internal/repository/memory.js"
import * as sqlInternal from "./internal/repository/sql.js"
import type { TableSpec } from "./Migrations.js"
import type * as Page from "./Page.js"
import type { DuplicateKey, NotFound, StorageError, VersionConflict } from "./StorageError.js"
import type { TenantId } from "./Tenant.js"

/**
 * How an indexed column is stored: `text` (VARCHAR), `integer` (BIGINT), `timestamp` (BIGINT epoch
 * milliseconds, read back as a number), `boolean` (0/1).
 *
 * @since 0.1.0
 * @category models
 */
export type ColumnType = "text" | "integer" | "timestamp" | "boolean"

/**
 * A value an indexed column holds.
 *
 * @since 0.1.0
 * @category models
 */
export type ColumnValue = string | number | boolean | null

/**
 * An indexed column, computed from the aggregate.
 *
 * @since 0.1.0
 * @category models
 */
export interface Column<A> {
  readonly type: ColumnType
  readonly get: (value: A) => string | number | boolean | Date | null | undefined
  /** VARCHAR length for `text` columns (default 191, the longest that MySQL indexes in utf8mb4). */
  readonly length?: number
}

/**
 * The definition of a repository.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Schema } from "effect"
 * import { Repository } from "@gongzhi/core"
 *
 * class Note extends Schema.Class<Note>("Note")({ id: Schema.String, street: Schema.String, text: Schema.String }) {}
 *
 * const notes = Repository.define({
 *   entity: "Note",
 *   table: "example_notes",
 *   schema: Note,
 *   id: (note) => note.id,
 *   columns: { street: { type: "text", get: (note) => note.street } },
 *   indexes: [["street"]]
 * })
 */
export interface Definition<A, I> {
  /** The entity's name in errors, e.g. "Volunteer". */
  readonly entity: string
  /** Table name: lower case letters, digits and underscores. */
  readonly table: string
  /** Codec of the stored document; its encoded side must be JSON. */
  readonly schema: Schema.Schema<A, I>
  readonly id: (value: A) => string
  readonly columns?: Readonly<Record<string, Column<A>>>
  /** Secondary indexes (column lists); `tenant_id` is put first automatically. */
  readonly indexes?: ReadonlyArray<ReadonlyArray<string>>
  /** Uniqueness rules within a tenant, by name (the name appears in `DuplicateKey`). */
  readonly unique?: Readonly<Record<string, ReadonlyArray<string>>>
}

/**
 * Checks a definition and returns it (identifiers are checked here, so a mistake shows at start-up).
 *
 * @since 0.1.0
 * @category constructors
 */
export const define: <A, I>(definition: Definition<A, I>) => Definition<A, I> = definitionInternal.define

/**
 * An aggregate with its version (1 after insert, +1 on each update).
 *
 * @since 0.1.0
 * @category models
 */
export interface Versioned<A> {
  readonly value: A
  readonly version: number
}

/**
 * A condition on one indexed column: equal to a value, one of a list, or within a range
 * (`gte` inclusive, `lt` exclusive).
 *
 * @since 0.1.0
 * @category models
 */
export type Condition =
  | ColumnValue
  | { readonly in: ReadonlyArray<string | number> }
  | { readonly gte?: number | string; readonly lt?: number | string }

/**
 * Conditions on indexed columns (and `id`), all of which must hold.
 *
 * @since 0.1.0
 * @category models
 */
export type Filter = Readonly<Record<string, Condition>>

/**
 * @since 0.1.0
 * @category models
 */
export interface PageQuery {
  readonly where?: Filter | undefined
  /** An indexed column that is never null, or "id" (the default). Ties are broken by id. */
  readonly orderBy?: string | undefined
  readonly direction?: "asc" | "desc" | undefined
  readonly limit: number
  readonly cursor?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface GroupCount {
  readonly key: ColumnValue
  readonly count: number
}

/**
 * One figure of an {@link AggregateQuery}: `"count"` counts rows; `{ sum: column }`, `{ min: column }`
 * and `{ max: column }` read an `integer`, `timestamp` or `boolean` column (a boolean sums to the
 * number of `true`s; a timestamp reads as epoch milliseconds).
 *
 * @since 0.2.0
 * @category models
 */
export type Measure = "count" | { readonly sum: string } | { readonly min: string } | { readonly max: string }

/**
 * Time buckets of a `timestamp` column. `unit` buckets are calendar days, weeks (starting on Monday)
 * or months in `timeZone` (an IANA zone, default `"Asia/Shanghai"`), labelled `"2026-03-05"`,
 * `"2026-03-02"` (the week's Monday) and `"2026-03"`. `boundaries` (ascending instants, at least two)
 * delimit explicit periods `[boundaries[i], boundaries[i + 1])`, numbered from 0; rows outside them
 * are left out. Rows whose column is NULL are left out either way.
 *
 * @since 0.2.0
 * @category models
 */
export type Bucket =
  | {
      readonly column: string
      readonly unit: "day" | "week" | "month"
      readonly timeZone?: string | undefined
    }
  | { readonly column: string; readonly boundaries: ReadonlyArray<number | Date> }

/**
 * A grouped aggregation: the rows matching `where`, grouped by the values of the `groupBy` columns
 * (indexed columns or `"id"`) and by `bucket`, with one figure per entry of `measures`.
 *
 * @since 0.2.0
 * @category models
 */
export interface AggregateQuery<M extends Readonly<Record<string, Measure>>> {
  readonly where?: Filter | undefined
  readonly groupBy?: ReadonlyArray<string> | undefined
  readonly bucket?: Bucket | undefined
  readonly measures: M
}

/**
 * The type of a figure: counts and sums are numbers (0 over no rows), minimums and maximums are
 * `null` when no row has a value.
 *
 * @since 0.2.0
 * @category models
 */
export type MeasureValue<M extends Measure> = M extends "count" | { readonly sum: string } ? number : number | null

/**
 * One group of an aggregation. `group` holds the value of each `groupBy` column; `bucket` the label of
 * a `unit` bucket, `period` the index of an explicit period. Without `groupBy` and `bucket` there is
 * exactly one row; otherwise one row per non-empty group, ordered by the group values (NULL first, in
 * `groupBy` order), then by bucket.
 *
 * @since 0.2.0
 * @category models
 */
export interface AggregateRow<M extends Readonly<Record<string, Measure>>> {
  readonly group: Readonly<Record<string, ColumnValue>>
  readonly bucket?: string
  readonly period?: number
  readonly values: { readonly [K in keyof M]: MeasureValue<M[K]> }
}

/**
 * The operations of a repository. All take the tenant first; a tenant never sees another's rows.
 *
 * @since 0.1.0
 * @category models
 */
export interface Repository<A> {
  readonly definition: Definition<A, any>
  readonly insert: (tenantId: TenantId, value: A) => Effect.Effect<Versioned<A>, DuplicateKey | StorageError>
  /** Inserts many aggregates with one statement per chunk (use inside a transaction for all-or-nothing). */
  readonly insertMany: (
    tenantId: TenantId,
    values: ReadonlyArray<A>
  ) => Effect.Effect<number, DuplicateKey | StorageError>
  readonly get: (tenantId: TenantId, id: string) => Effect.Effect<Option.Option<Versioned<A>>, StorageError>
  readonly getOrFail: (tenantId: TenantId, id: string) => Effect.Effect<Versioned<A>, NotFound | StorageError>
  /** Replaces the aggregate if its stored version is still `expectedVersion`. */
  readonly update: (
    tenantId: TenantId,
    value: A,
    expectedVersion: number
  ) => Effect.Effect<Versioned<A>, VersionConflict | DuplicateKey | StorageError>
  readonly remove: (
    tenantId: TenantId,
    id: string,
    expectedVersion: number
  ) => Effect.Effect<void, VersionConflict | StorageError>
  /** All aggregates matching the filter, ordered by id (at most `limit`, default 1000). */
  readonly find: (
    tenantId: TenantId,
    where: Filter,
    limit?: number
  ) => Effect.Effect<ReadonlyArray<Versioned<A>>, StorageError>
  readonly page: (tenantId: TenantId, query: PageQuery) => Effect.Effect<Page.Page<Versioned<A>>, StorageError>
  readonly count: (tenantId: TenantId, where?: Filter) => Effect.Effect<number, StorageError>
  /** Counts per value of an indexed column, ordered by key. */
  readonly countBy: (
    tenantId: TenantId,
    column: string,
    where?: Filter
  ) => Effect.Effect<ReadonlyArray<GroupCount>, StorageError>
  /**
   * Counts, sums, minimums and maximums per group and per time bucket, computed by the store (one
   * `GROUP BY` statement on SQL), with the same results on every backend.
   *
   * @example
   * import { Effect } from "effect"
   * import type { Repository } from "@gongzhi/core"
   * import { TenantId } from "@gongzhi/core/Tenant"
   *
   * declare const records: Repository.Repository<unknown>
   *
   * // minutes and records per team and month (China time) in 2026
   * const monthly = records.aggregate(TenantId.make("440310"), {
   *   where: { status: "approved", started_at: { gte: Date.UTC(2025, 11, 31, 16), lt: Date.UTC(2026, 11, 31, 16) } },
   *   groupBy: ["team_id"],
   *   bucket: { column: "started_at", unit: "month", timeZone: "Asia/Shanghai" },
   *   measures: { minutes: { sum: "minutes" }, records: "count" }
   * })
   */
  readonly aggregate: <const M extends Readonly<Record<string, Measure>>>(
    tenantId: TenantId,
    query: AggregateQuery<M>
  ) => Effect.Effect<ReadonlyArray<AggregateRow<M>>, StorageError>
}

/**
 * The in-memory implementation (reference; joins memory transactions, so a failed transaction
 * leaves nothing behind).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: <A, I>(definition: Definition<A, I>) => Effect.Effect<Repository<A>> =
  memoryInternal.makeMemory

/**
 * The SQL implementation over the `SqlClient` in context (SQLite, PostgreSQL, MySQL/MariaDB).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeSql: <A, I>(definition: Definition<A, I>) => Effect.Effect<Repository<A>, never, SqlClient.SqlClient> =
  sqlInternal.makeSql

/**
 * The table a definition reads and writes, in the shape `Migrations.createTable` takes: compare it with
 * what a module's frozen migrations build (`Migrations.check`), or print it to start a new migration.
 *
 * @since 0.2.0
 * @category constructors
 */
export const tableSpec: (definition: Definition<any, any>) => TableSpec = ddlInternal.tableSpec

/**
 * Creates the repository's table and indexes as the definition has them now (idempotent). For tests
 * and scratch tables only: a module's migrations are frozen (`Migrations.migration` with
 * `Migrations.createTable`), never derived from a definition that may change later.
 *
 * @since 0.1.0
 * @category testing
 */
export const migration: <A, I>(definition: Definition<A, I>) => Effect.Effect<void, unknown, SqlClient.SqlClient> =
  ddlInternal.migration

/**
 * The SQL of {@link migration} for a dialect, for review.
 *
 * @since 0.1.0
 * @category testing
 */
export const ddl: (definition: Definition<any, any>, dialect: "sqlite" | "pg" | "mysql") => ReadonlyArray<string> =
  ddlInternal.ddl

/**
 * The default zone of time buckets (`Asia/Shanghai`).
 *
 * @since 0.2.0
 * @category models
 */
export const defaultTimeZone: string = aggregateInternal.DEFAULT_TIME_ZONE
