import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option, Schedule } from "effect"
import { DuplicateKey, StorageError } from "../StorageError.js"

export const isSqlError = (u: unknown): u is SqlError =>
  typeof u === "object" && u !== null && "_tag" in u && (u as { _tag: unknown })._tag === "SqlError"

interface DriverError {
  readonly code?: unknown
  readonly errno?: unknown
  readonly message?: unknown
}

const driverError = (error: SqlError): DriverError =>
  typeof error.cause === "object" && error.cause !== null ? (error.cause as DriverError) : {}

/** SQLSTATE / driver codes that mean "try again": serialization failures, deadlocks, busy database. */
const retryableCodes = new Set([
  "40001",
  "40P01",
  "55P03",
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "ECONNRESET",
  "ECONNREFUSED",
  "57P01"
])

/** Does this driver error say a unique or primary-key constraint was violated? (all three dialects) */
export const isUniqueViolation = (error: SqlError): boolean => {
  const cause = driverError(error)
  return (
    cause.code === "23505" || // PostgreSQL unique_violation
    cause.code === "ER_DUP_ENTRY" || // MySQL / MariaDB
    cause.errno === 1062 ||
    cause.code === "SQLITE_CONSTRAINT_UNIQUE" ||
    cause.code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  )
}

/** Wraps a driver error; the driver's message is kept as the reason, never the statement's parameters. */
export const fromSqlError = (operation: string, error: SqlError): StorageError => {
  const cause = driverError(error)
  const code = typeof cause.code === "string" ? cause.code : undefined
  const reason = typeof cause.message === "string" ? cause.message : error.message
  return new StorageError({
    operation,
    reason: code ? `${code}: ${reason}` : reason,
    // extended SQLite codes such as SQLITE_BUSY_SNAPSHOT (a WAL reader that must restart) are retryable too
    retryable: code !== undefined && (retryableCodes.has(code) || /^SQLITE_(BUSY|LOCKED)_/.test(code)),
    cause: error
  })
}

export const toDuplicateOr = (operation: string, entity: string, key: string) => (error: SqlError) =>
  isUniqueViolation(error) ? new DuplicateKey({ entity, key }) : fromSqlError(operation, error)

/**
 * Retries a self-contained transaction that failed with a retryable storage error (a deadlock
 * between two claimers on MySQL/MariaDB, a serialization failure on PostgreSQL), a few times with a
 * short jittered pause. Inside a caller's transaction it does not retry: the whole outer
 * transaction was rolled back by the server and only the caller can start it again.
 */
export const retryTransient = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (outer) =>
    Option.isSome(outer)
      ? self
      : Effect.retry(self, {
          times: 5,
          schedule: Schedule.jittered(Schedule.exponential("5 millis")),
          while: (error) => error instanceof StorageError && error.retryable
        })
  )
