/**
 * A generic, tenant-first document repository: the building block of every domain's repository
 * ports. An aggregate is stored as a JSON document (encoded with its Schema) plus a few typed,
 * indexed columns used for lookups, uniqueness, paging and counting, and a `version` for optimistic
 * concurrency.
 *
 * One definition gives an in-memory implementation ({@link makeMemory}), a SQL implementation
 * ({@link makeSql}, one code path for SQLite, PostgreSQL and MySQL/MariaDB) and its migration
 * ({@link migration}). Every table's primary key and every index begin with `tenant_id`.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import type { Effect, Option, Schema } from "effect"
import * as internal from "./internal/repository.js"
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
export const define: <A, I>(definition: Definition<A, I>) => Definition<A, I> = internal.define

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
}

/**
 * The in-memory implementation (reference; joins memory transactions, so a failed transaction
 * leaves nothing behind).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: <A, I>(definition: Definition<A, I>) => Effect.Effect<Repository<A>> = internal.makeMemory

/**
 * The SQL implementation over the `SqlClient` in context (SQLite, PostgreSQL, MySQL/MariaDB).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeSql: <A, I>(definition: Definition<A, I>) => Effect.Effect<Repository<A>, never, SqlClient.SqlClient> =
  internal.makeSql

/**
 * The migration creating the repository's table and indexes on the current dialect; put it in the
 * owning module's migrations.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migration: <A, I>(definition: Definition<A, I>) => Effect.Effect<void, unknown, SqlClient.SqlClient> =
  internal.migration

/**
 * The SQL statements of {@link migration} for a dialect, for review or for a DBA to run by hand.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ddl: (definition: Definition<any, any>, dialect: "sqlite" | "pg" | "mysql") => ReadonlyArray<string> =
  internal.ddl
