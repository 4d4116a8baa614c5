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

/** A sum and a row count per value of a column and per period (index into the boundaries). */
export interface PeriodSum {
  readonly key: string | number | boolean | null
  readonly period: number
  readonly sum: number
  readonly count: number
}

export interface Summer {
  readonly sum: (tenantId: TenantId, where: Repository.Filter) => Effect.Effect<number, StorageError>
  readonly sumBy: (
    tenantId: TenantId,
    column: string,
    where: Repository.Filter
  ) => Effect.Effect<ReadonlyArray<GroupSum>, StorageError>
  /**
   * Sums and counts per value of `column` and per period of the timestamp column `timeColumn`:
   * `boundaries` (ascending epoch milliseconds, at least two) delimit the periods
   * `[boundaries[i], boundaries[i + 1])`; rows outside them are left out. Ordered by key, then period.
   */
  readonly sumByPeriods: (
    tenantId: TenantId,
    column: string,
    timeColumn: string,
    boundaries: ReadonlyArray<number>,
    where: Repository.Filter
  ) => Effect.Effect<ReadonlyArray<PeriodSum>, StorageError>
}

const comparePeriods = (a: PeriodSum, b: PeriodSum) => compare(a.key, b.key) || a.period - b.period

/** The index of the period holding `t` (boundaries ascending), or -1 outside them. */
const periodOf = (boundaries: ReadonlyArray<number>, t: number): number => {
  if (!(t >= boundaries[0] && t < boundaries[boundaries.length - 1])) return -1
  let lo = 0
  let hi = boundaries.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1
    if (t < boundaries[mid]) hi = mid
    else lo = mid
  }
  return lo
}

const checkBoundaries = (boundaries: ReadonlyArray<number>) => {
  if (
    boundaries.length < 2 ||
    boundaries.some((b, i) => !Number.isSafeInteger(b) || (i > 0 && b <= boundaries[i - 1]))
  ) {
    throw new Error("period boundaries must be at least two ascending integers (epoch milliseconds)")
  }
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
    }),
  sumByPeriods: (tenantId, column, timeColumn, boundaries, where) =>
    Effect.suspend(() => {
      checkBoundaries(boundaries)
      const time = repository.definition.columns?.[timeColumn]
      if (time === undefined) return Effect.die(new Error(`${repository.definition.entity}: no column ${timeColumn}`))
      return Effect.map(repository.find(tenantId, where, Number.MAX_SAFE_INTEGER), (rows) => {
        const sums = new Map<GroupSum["key"], Map<number, { sum: number; count: number }>>()
        for (const row of rows) {
          const raw = time.get(row.value)
          const t = raw instanceof Date ? raw.getTime() : typeof raw === "number" ? raw : Number.NaN
          const period = periodOf(boundaries, t)
          if (period < 0) continue
          const k = key(row.value, column)
          let byPeriod = sums.get(k)
          if (byPeriod === undefined) {
            byPeriod = new Map()
            sums.set(k, byPeriod)
          }
          const cell = byPeriod.get(period) ?? { sum: 0, count: 0 }
          cell.sum += value(row.value)
          cell.count += 1
          byPeriod.set(period, cell)
        }
        const out: Array<PeriodSum> = []
        for (const [k, byPeriod] of sums) {
          for (const [period, cell] of byPeriod) out.push({ key: k, period, sum: cell.sum, count: cell.count })
        }
        return out.sort(comparePeriods)
      })
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
  const compile = (tenantId: string, where: Repository.Filter, params: Array<unknown> = []) => {
    const p = (value: unknown) => {
      params.push(value)
      return pg ? `$${params.length}` : "?"
    }
    const clauses = [`tenant_id = ${p(tenantId)}`]
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
    return { text: clauses.join(" AND "), params, p }
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
      }),
    sumByPeriods: (tenantId, column, timeColumn, boundaries, where) =>
      Effect.suspend(() => {
        check(column)
        check(timeColumn)
        checkBoundaries(boundaries)
        // the CASE comes first in the statement, so its parameters are numbered first
        const params: Array<unknown> = []
        const placeholder = (value: number) => {
          params.push(value)
          return pg ? `$${params.length}` : "?"
        }
        const last = boundaries.length - 2
        const bucket =
          last === 0
            ? "0"
            : `CASE ${boundaries
                .slice(1, -1)
                .map((b, i) => `WHEN ${timeColumn} < ${placeholder(b)} THEN ${i}`)
                .join(" ")} ELSE ${last} END`
        const { p, text } = compile(tenantId, where, params)
        const range = `${timeColumn} >= ${p(boundaries[0])} AND ${timeColumn} < ${p(boundaries[boundaries.length - 1])}`
        return client
          .unsafe<{ k: unknown; p: unknown; s: unknown; n: unknown }>(
            `SELECT ${column} AS k, ${bucket} AS p, COALESCE(SUM(${valueColumn}), 0) AS s, COUNT(*) AS n FROM ${definition.table} WHERE ${text} AND ${range} GROUP BY 1, 2`,
            params
          )
          .pipe(
            Effect.map((rows) =>
              rows
                .map((row) => ({
                  key: fromStored(column, row.k),
                  period: Number(row.p),
                  sum: Number(row.s),
                  count: Number(row.n)
                }))
                .sort(comparePeriods)
            ),
            Effect.mapError(fail("sumByPeriods"))
          )
      })
  }
}
