import type { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import { Array as Arr, Effect } from "effect"
import type { StorageError } from "../../StorageError.js"
import { fromSqlError, isSqlError, retryTransient } from "../sqlError.js"
import { limitLiteral } from "./common.js"

/** Ids per `IN (…)` list. */
const ID_CHUNK = 500

/**
 * A leased work queue in one table: the outbox (`gongzhi_outbox`) and the delivery records
 * (`gongzhi_deliveries`) are both one. A row is claimable when it is due, or when it is leased and its
 * lease ran out; a claim leases it to one worker until `leaseUntil`; only the worker holding the
 * lease may complete or give it back ({@link held}).
 */
export interface LeaseQueue<Row extends { readonly id: string }> {
  /** The table (a trusted identifier, never input). */
  readonly table: string
  /** The operation name errors carry, e.g. `outbox.claim`. */
  readonly operation: string
  /** The selected columns. */
  readonly columns: Fragment
  /** The status of a leased row. */
  readonly leasedStatus: string
  /** Rows of the tenant a claim may take at `now`: due, or leased with an expired lease. */
  readonly claimable: (tenantId: string, now: number) => Fragment
  /** Claim order (a trusted literal). */
  readonly order: Fragment
  /** The SET assignments that lease a row (status, claimed_by, lease_until, …). */
  readonly lease: (workerId: string, leaseUntil: number, now: number) => Fragment
  /** A selected row as the lease assignments leave it. */
  readonly leased: (row: Row, workerId: string, leaseUntil: number, now: number) => Row
}

/**
 * The claim of a {@link LeaseQueue}: concurrent claimers never receive the same row while a lease holds.
 *
 * - PostgreSQL and MySQL 8 / MariaDB 10.6+: lock the first claimable rows, skipping rows other
 *   workers hold (`FOR UPDATE SKIP LOCKED`), then lease them, in one transaction (nested in the
 *   caller's if there is one). Two claimers can deadlock on MySQL/MariaDB; a fresh claim is safe to
 *   retry, so transient failures are retried outside a caller's transaction.
 * - SQLite: one writer at a time and no row locks. sqlite-node's transactions begin with a deferred
 *   BEGIN (a read could later fail to upgrade to a write when another process writes), so the claim
 *   is a single `UPDATE … RETURNING` statement: atomic on its own, in or out of a transaction. Its
 *   rows come back in no particular order: callers sort.
 */
export const claim = <Row extends { readonly id: string }>(
  sql: SqlClient.SqlClient,
  queue: LeaseQueue<Row>
): ((
  tenantId: string,
  workerId: string,
  limit: number,
  now: number,
  leaseUntil: number
) => Effect.Effect<ReadonlyArray<Row>, StorageError>) => {
  const table = sql.literal(queue.table)
  const locking = (tenantId: string, workerId: string, limit: number, now: number, leaseUntil: number) =>
    sql
      .withTransaction(
        Effect.gen(function* () {
          const rows = yield* sql<Row>`SELECT ${queue.columns} FROM ${table} WHERE ${queue.claimable(tenantId, now)}
          ORDER BY ${queue.order} LIMIT ${limitLiteral(sql, limit)} FOR UPDATE SKIP LOCKED`
          if (rows.length === 0) return rows
          yield* Effect.forEach(
            Arr.chunksOf(
              rows.map((row) => row.id),
              ID_CHUNK
            ),
            (ids) =>
              sql`UPDATE ${table} SET ${queue.lease(workerId, leaseUntil, now)}
              WHERE tenant_id = ${tenantId} AND ${sql.in("id", ids)}`,
            { discard: true }
          )
          return rows.map((row) => queue.leased(row, workerId, leaseUntil, now))
        })
      )
      .pipe(
        Effect.mapError((error) => (isSqlError(error) ? fromSqlError(queue.operation, error) : error)),
        retryTransient
      )
  const singleStatement = (tenantId: string, workerId: string, limit: number, now: number, leaseUntil: number) =>
    sql<Row>`UPDATE ${table} SET ${queue.lease(workerId, leaseUntil, now)}
    WHERE tenant_id = ${tenantId} AND id IN (
      SELECT id FROM ${table} WHERE ${queue.claimable(tenantId, now)}
      ORDER BY ${queue.order} LIMIT ${limitLiteral(sql, limit)}
    )
    RETURNING ${queue.columns}`.pipe(Effect.mapError((error: SqlError) => fromSqlError(queue.operation, error)))
  return sql.onDialectOrElse({
    pg: () => locking,
    mysql: () => locking,
    orElse: () => singleStatement
  })
}

/** The rows of a tenant a worker holds the lease of: the guard of every completion and give-back. */
export const held = <Row extends { readonly id: string }>(
  sql: SqlClient.SqlClient,
  queue: LeaseQueue<Row>,
  tenantId: string,
  workerId: string
): Fragment => sql`tenant_id = ${tenantId} AND status = ${queue.leasedStatus} AND claimed_by = ${workerId}`
