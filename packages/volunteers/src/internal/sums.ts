import type { SqlClient } from "@effect/sql"
import type * as Repository from "@gongzhi/core/Repository"
import { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect } from "effect"

/** A sum per value of a column. */
export interface GroupSum {
  readonly key: string | number | boolean | null
  readonly sum: number
}

export interface Summer {
  readonly sum: (tenantId: TenantId, where: Repository.Filter) => Effect.Effect<number, StorageError>
  readonly sumBy: (
    tenantId: TenantId,
    column: string,
    where: Repository.Filter
  ) => Effect.Effect<ReadonlyArray<GroupSum>, StorageError>
}

const compare = (a: GroupSum["key"], b: GroupSum["key"]) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1

/** Sums over the rows of a repository, read through the repository (the in-memory reference). */
export const memory = <A>(
  repository: Repository.Repository<A>,
  value: (a: A) => number,
  key: (a: A, column: string) => GroupSum["key"]
): Summer => ({
  sum: (tenantId, where) =>
    Effect.map(repository.find(tenantId, where, Number.MAX_SAFE_INTEGER), (rows) =>
      rows.reduce((total, row) => total + value(row.value), 0)
    ),
  sumBy: (tenantId, column, where) =>
    Effect.map(repository.find(tenantId, where, Number.MAX_SAFE_INTEGER), (rows) => {
      const sums = new Map<GroupSum["key"], number>()
      for (const row of rows) {
        const k = key(row.value, column)
        sums.set(k, (sums.get(k) ?? 0) + value(row.value))
      }
      return [...sums.entries()].map(([k, sum]) => ({ key: k, sum })).sort((a, b) => compare(a.key, b.key))
    })
})

const IDENTIFIER = /^[a-z][a-z0-9_]{0,55}$/

/** Sums of an integer column with one `SUM(...) GROUP BY` statement on any dialect. */
export const sql = (
  client: SqlClient.SqlClient,
  definition: Repository.Definition<any, any>,
  valueColumn: string
): Summer => {
  const pg = client.onDialectOrElse({ pg: () => true, orElse: () => false })
  const columns = definition.columns ?? {}
  const check = (name: string) => {
    if (!IDENTIFIER.test(name) || (name !== "id" && !Object.hasOwn(columns, name))) {
      throw new Error(`${definition.entity}: "${name}" is not an indexed column`)
    }
  }
  check(valueColumn)
  const stored = (name: string, value: unknown): unknown => {
    const type = columns[name]?.type
    if (value === null || value === undefined) return null
    if (type === "boolean") return value === true || value === 1 || value === "1" ? 1 : 0
    if (type === "timestamp" && value instanceof Date) return value.getTime()
    return value
  }
  const compile = (tenantId: string, where: Repository.Filter) => {
    const params: Array<unknown> = [tenantId]
    const p = (value: unknown) => {
      params.push(value)
      return pg ? `$${params.length}` : "?"
    }
    const clauses = [`tenant_id = ${pg ? "$1" : "?"}`]
    for (const name of Object.keys(where).sort()) {
      check(name)
      const condition = where[name]
      if (condition === null) clauses.push(`${name} IS NULL`)
      else if (typeof condition !== "object") clauses.push(`${name} = ${p(stored(name, condition))}`)
      else if ("in" in condition) {
        clauses.push(
          condition.in.length === 0 ? "1 = 0" : `${name} IN (${condition.in.map((v) => p(stored(name, v))).join(", ")})`
        )
      } else {
        if (condition.gte !== undefined) clauses.push(`${name} >= ${p(stored(name, condition.gte))}`)
        if (condition.lt !== undefined) clauses.push(`${name} < ${p(stored(name, condition.lt))}`)
      }
    }
    return { text: clauses.join(" AND "), params }
  }
  const fail = (operation: string) => (error: unknown) =>
    new StorageError({
      operation: `${definition.entity}.${operation}`,
      reason: error instanceof Error ? error.message : String(error),
      retryable: false,
      cause: error
    })
  const fromStored = (name: string, value: unknown): GroupSum["key"] => {
    if (value === null || value === undefined) return null
    const type = columns[name]?.type
    if (type === "integer" || type === "timestamp") return Number(value)
    if (type === "boolean") return value === true || value === 1 || value === "1"
    return String(value)
  }
  return {
    sum: (tenantId, where) =>
      Effect.suspend(() => {
        const { params, text } = compile(tenantId, where)
        return client
          .unsafe<{ s: unknown }>(
            `SELECT COALESCE(SUM(${valueColumn}), 0) AS s FROM ${definition.table} WHERE ${text}`,
            params
          )
          .pipe(
            Effect.map((rows) => Number(rows[0]?.s ?? 0)),
            Effect.mapError(fail("sum"))
          )
      }),
    sumBy: (tenantId, column, where) =>
      Effect.suspend(() => {
        check(column)
        const { params, text } = compile(tenantId, where)
        return client
          .unsafe<{ k: unknown; s: unknown }>(
            `SELECT ${column} AS k, COALESCE(SUM(${valueColumn}), 0) AS s FROM ${definition.table} WHERE ${text} GROUP BY ${column}`,
            params
          )
          .pipe(
            Effect.map((rows) =>
              rows
                .map((row) => ({ key: fromStored(column, row.k), sum: Number(row.s) }))
                .sort((a, b) => compare(a.key, b.key))
            ),
            Effect.mapError(fail("sumBy"))
          )
      })
  }
}
