import type { SqlClient } from "@effect/sql"
import type { Fragment } from "@effect/sql/Statement"

/**
 * A JSON column read back as JSON text on every dialect, so that one `JSON.parse` decodes it: the
 * PostgreSQL driver parses `JSONB` itself and mysql2 parses MySQL's `JSON` (but not MariaDB's, a
 * `LONGTEXT`), which would make a stored JSON string indistinguishable from JSON text.
 */
export const jsonText = (sql: SqlClient.SqlClient, column: string): Fragment =>
  sql.onDialectOrElse({
    pg: () => sql.literal(`${column}::text`),
    mysql: () => sql.literal(`CAST(${column} AS CHAR)`),
    orElse: () => sql.literal(column)
  })

/**
 * A LIMIT value as a literal: MySQL's prepared statements reject some bound LIMIT parameters, so
 * the (already checked) integer is written into the statement.
 */
export const limitLiteral = (sql: SqlClient.SqlClient, limit: number): Fragment =>
  sql.literal(String(Number.isSafeInteger(limit) && limit > 0 ? limit : 0))

/**
 * A BIGINT epoch-milliseconds column as a number (pg returns BIGINT as a string, SQLite may give a
 * bigint). Throws on garbage: call it only inside `Effect.try`.
 */
export const toMillis = (value: number | string | bigint): number => {
  const millis = Number(value)
  if (!Number.isFinite(millis)) throw new RangeError(`invalid time value ${String(value)}`)
  return millis
}

/** The number of rows an INSERT/UPDATE/DELETE changed, from the driver's raw result (pg, SQLite, mysql2). */
export const affectedRows = (raw: unknown): number => {
  if (typeof raw !== "object" || raw === null) return 0
  const result = raw as { rowCount?: unknown; changes?: unknown; affectedRows?: unknown }
  return Number(result.rowCount ?? result.changes ?? result.affectedRows ?? 0)
}
