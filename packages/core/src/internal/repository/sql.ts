import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Either, Option } from "effect"
import * as Page from "../../Page.js"
import type { ColumnValue, Definition, Filter, GroupCount, Repository, Versioned } from "../../Repository.js"
import { DuplicateKey, NotFound, type StorageError, VersionConflict } from "../../StorageError.js"
import type { TenantId } from "../../Tenant.js"
import { fromSqlError, isUniqueViolation } from "../sqlError.js"
import { bucketsCovering, type Cell, plan, toRows } from "./aggregate.js"
import { type Dialect, dialectOf } from "./ddl.js"
import {
  badCursor,
  checkColumn,
  columnEntries,
  columnType,
  compare,
  decodeCursor,
  define,
  encodeCursor,
  fromStored,
  isRange,
  makeCodec,
  toStored
} from "./definition.js"

export interface SqlOptions {
  /** Emit a tracing span for every SQL statement (default false: spans cost more than a point read). */
  readonly statementSpans?: boolean
}

/** Builds SQL text with dialect placeholders. */
class Builder {
  readonly params: Array<unknown> = []
  constructor(readonly dialect: Dialect) {}
  param(value: unknown): string {
    this.params.push(value)
    return this.dialect === "pg" ? `$${this.params.length}` : "?"
  }
}

const MAX_PARAMS = 30_000

export const makeSql = <A, I>(
  definition: Definition<A, I>,
  options: SqlOptions = {}
): Effect.Effect<Repository<A>, never, SqlClient.SqlClient> =>
  Effect.map(SqlClient.SqlClient, (sql) => {
    define(definition)
    // A span per statement costs more than a point read on SQLite; they are off unless asked for.
    const traced = options.statementSpans === true
    const selectRows = <R extends object>(
      text: string,
      params: ReadonlyArray<unknown>
    ): Effect.Effect<ReadonlyArray<R>, SqlError> =>
      traced ? sql.unsafe<R>(text, params) : Effect.withTracerEnabled(sql.unsafe<R>(text, params), false)
    const executeRaw = (text: string, params: ReadonlyArray<unknown>): Effect.Effect<unknown, SqlError> =>
      traced ? sql.unsafe(text, params).raw : Effect.withTracerEnabled(sql.unsafe(text, params).raw, false)
    const dialect = dialectOf(sql)
    const codec = makeCodec(definition)
    const columns = columnEntries(definition)
    const t = definition.table
    const entity = definition.entity
    const ph = (i: number) => (dialect === "pg" ? `$${i}` : "?")
    const docParam = (i: number) => (dialect === "pg" ? `$${i}::jsonb` : "?")
    const columnNames = columns.map(([name]) => name)
    const rowWidth = 3 + columns.length

    // statements that do not depend on the call are built once
    const getText = `SELECT version, doc FROM ${t} WHERE tenant_id = ${ph(1)} AND id = ${ph(2)}`
    const insertHead = `INSERT INTO ${t} (tenant_id, id, version, doc${columnNames.map((c) => `, ${c}`).join("")}) VALUES `
    const valuesTuple = (offset: number) => {
      const parts = [ph(offset + 1), ph(offset + 2), "1", docParam(offset + 3)]
      for (let i = 0; i < columns.length; i++) parts.push(ph(offset + 4 + i))
      return `(${parts.join(", ")})`
    }
    const setColumns = columns.map(([name], i) => `, ${name} = ${ph(2 + i)}`).join("")
    const n = 1 + columns.length
    const updateText =
      `UPDATE ${t} SET version = version + 1, doc = ${docParam(1)}${setColumns} ` +
      `WHERE tenant_id = ${ph(n + 1)} AND id = ${ph(n + 2)} AND version = ${ph(n + 3)}` +
      (dialect === "mysql" ? "" : " RETURNING version")
    const deleteText =
      `DELETE FROM ${t} WHERE tenant_id = ${ph(1)} AND id = ${ph(2)} AND version = ${ph(3)}` +
      (dialect === "mysql" ? "" : " RETURNING id")
    const versionText = `SELECT version FROM ${t} WHERE tenant_id = ${ph(1)} AND id = ${ph(2)}`

    const duplicateKeyName = (error: SqlError): string => {
      const cause = error.cause as { constraint?: unknown; message?: unknown } | undefined
      const text = `${typeof cause?.constraint === "string" ? cause.constraint : ""} ${
        typeof cause?.message === "string" ? cause.message : ""
      }`
      for (const [name, rule] of Object.entries(definition.unique ?? {})) {
        if (text.includes(`${t}_ux_${name}`)) return name
        // SQLite: "UNIQUE constraint failed: table.a, table.b"
        if (text.includes(`UNIQUE constraint failed: ${["tenant_id", ...rule].map((c) => `${t}.${c}`).join(", ")}`)) {
          return name
        }
      }
      return "id"
    }
    const writeError = (operation: string) => (error: SqlError) =>
      isUniqueViolation(error)
        ? new DuplicateKey({ entity, key: duplicateKeyName(error) })
        : fromSqlError(`${entity}.${operation}`, error)
    const readError = (operation: string) => (error: SqlError) => fromSqlError(`${entity}.${operation}`, error)

    const rowParams = (tenantId: string, value: A, target: Array<unknown>): Either.Either<void, StorageError> =>
      Either.map(codec.encode(value), (doc) => {
        target.push(tenantId, definition.id(value), doc)
        for (const [, column] of columns) target.push(toStored(column.type, column.get(value)))
      })
    const readRow = (row: {
      readonly version: unknown
      readonly doc: unknown
    }): Either.Either<Versioned<A>, StorageError> =>
      Either.map(codec.decode(row.doc), (value) => ({ value, version: Number(row.version) }))

    const affected = (result: unknown): number => {
      if (Array.isArray(result)) return result.length
      const header = result as { affectedRows?: unknown; changes?: unknown; rowCount?: unknown } | undefined
      return Number(header?.affectedRows ?? header?.changes ?? header?.rowCount ?? 0)
    }
    const run = (text: string, params: ReadonlyArray<unknown>) =>
      dialect === "mysql" ? executeRaw(text, params) : (selectRows(text, params) as Effect.Effect<unknown, SqlError>)

    const conflict = (tenantId: string, id: string, expectedVersion: number) =>
      Effect.flatMap(
        Effect.mapError(selectRows<{ version: unknown }>(versionText, [tenantId, id]), readError("version")),
        (rows) =>
          Effect.fail(
            new VersionConflict({
              entity,
              id,
              expectedVersion,
              ...(rows.length > 0 ? { actualVersion: Number(rows[0].version) } : {})
            })
          )
      )

    const compileFilter = (where: Filter | undefined, builder: Builder): Array<string> => {
      const clauses: Array<string> = []
      if (!where) return clauses
      for (const name of Object.keys(where).sort()) {
        checkColumn(definition, name)
        const condition = where[name]
        const type = columnType(definition, name)
        if (condition === null) clauses.push(`${name} IS NULL`)
        else if (typeof condition !== "object") clauses.push(`${name} = ${builder.param(toStored(type, condition))}`)
        else if (isRange(condition)) {
          if (condition.gte !== undefined) clauses.push(`${name} >= ${builder.param(toStored(type, condition.gte))}`)
          if (condition.lt !== undefined) clauses.push(`${name} < ${builder.param(toStored(type, condition.lt))}`)
        } else if (condition.in.length === 0) clauses.push("1 = 0")
        else clauses.push(`${name} IN (${condition.in.map((v) => builder.param(toStored(type, v))).join(", ")})`)
      }
      return clauses
    }
    const whereText = (tenantId: string, where: Filter | undefined, builder: Builder) =>
      [`tenant_id = ${builder.param(tenantId)}`, ...compileFilter(where, builder)].join(" AND ")

    const readRows = (rows: ReadonlyArray<{ version: unknown; doc: unknown }>) => {
      const out: Array<Versioned<A>> = new Array(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const decoded = readRow(rows[i])
        if (Either.isLeft(decoded)) return Either.left(decoded.left)
        out[i] = decoded.right
      }
      return Either.right(out)
    }

    /** `CASE` giving the index of the period holding `column`, by bisection (literals: integers we computed). */
    const periodCase = (column: string, boundaries: ReadonlyArray<number>, lo: number, hi: number): string => {
      if (hi - lo <= 1) return String(lo)
      const mid = (lo + hi) >>> 1
      return `CASE WHEN ${column} < ${boundaries[mid]} THEN ${periodCase(column, boundaries, lo, mid)} ELSE ${periodCase(column, boundaries, mid, hi)} END`
    }
    const grouped = (
      tenantId: string,
      where: Filter | undefined,
      p: ReturnType<typeof plan>,
      boundaries: ReadonlyArray<number> | undefined
    ): Effect.Effect<Array<Cell>, StorageError> => {
      const builder = new Builder(dialect)
      const select = p.groupBy.map((column, i) => `${column} AS g${i}`)
      let range = ""
      if (boundaries !== undefined) {
        const column = p.bucket!.column
        select.push(`${periodCase(column, boundaries, 0, boundaries.length - 1)} AS p`)
        range = ` AND ${column} >= ${boundaries[0]} AND ${column} < ${boundaries[boundaries.length - 1]}`
      }
      const groups = select.length
      p.measures.forEach((measure, i) => {
        select.push(
          measure.kind === "count"
            ? `COUNT(*) AS m${i}`
            : measure.kind === "sum"
              ? `COALESCE(SUM(${measure.column}), 0) AS m${i}`
              : `${measure.kind.toUpperCase()}(${measure.column}) AS m${i}`
        )
      })
      const groupBy = groups === 0 ? "" : ` GROUP BY ${Array.from({ length: groups }, (_, i) => i + 1).join(", ")}`
      const text = `SELECT ${select.join(", ")} FROM ${t} WHERE ${whereText(tenantId, where, builder)}${range}${groupBy}`
      return Effect.map(
        Effect.mapError(selectRows<Record<string, unknown>>(text, builder.params), readError("aggregate")),
        (rows) =>
          rows.map(
            (row): Cell => ({
              keys: p.groupBy.map((column, i) => fromStored(columnType(definition, column), row[`g${i}`])),
              bucket: undefined,
              period: boundaries === undefined ? undefined : Number(row.p),
              values: p.measures.map((measure, i) => {
                const value = row[`m${i}`]
                return value === null || value === undefined
                  ? measure.kind === "count" || measure.kind === "sum"
                    ? 0
                    : null
                  : Number(value)
              })
            })
          )
      )
    }
    /** The instants an aggregation's buckets must cover: the filter's range, else the rows' MIN and MAX. */
    const rangeOf = (
      tenantId: string,
      where: Filter | undefined,
      column: string
    ): Effect.Effect<readonly [number, number] | undefined, StorageError> => {
      const condition = where?.[column]
      if (condition !== undefined && condition !== null && typeof condition === "object" && isRange(condition)) {
        const from = toStored("timestamp", condition.gte)
        const before = toStored("timestamp", condition.lt)
        if (
          typeof from === "number" &&
          typeof before === "number" &&
          before > from &&
          before - from <= 400 * 86_400_000
        ) {
          return Effect.succeed([from, before - 1] as const)
        }
      }
      const builder = new Builder(dialect)
      const text = `SELECT MIN(${column}) AS lo, MAX(${column}) AS hi FROM ${t} WHERE ${whereText(tenantId, where, builder)}`
      return Effect.map(
        Effect.mapError(selectRows<{ lo: unknown; hi: unknown }>(text, builder.params), readError("aggregate")),
        (rows) => {
          const row = rows[0]
          return row === undefined || row.lo === null || row.lo === undefined || row.hi === null || row.hi === undefined
            ? undefined
            : ([Number(row.lo), Number(row.hi)] as const)
        }
      )
    }

    const insertMany = (tenantId: TenantId, values: ReadonlyArray<A>) =>
      Effect.suspend(() => {
        if (values.length === 0) return Effect.succeed(0)
        const perStatement = Math.max(1, Math.floor(MAX_PARAMS / rowWidth))
        const statements: Array<Effect.Effect<unknown, SqlError>> = []
        for (let start = 0; start < values.length; start += perStatement) {
          const chunk = values.slice(start, start + perStatement)
          const params: Array<unknown> = []
          const tuples: Array<string> = []
          for (const value of chunk) {
            tuples.push(valuesTuple(params.length))
            const ok = rowParams(tenantId, value, params)
            if (Either.isLeft(ok)) return Effect.fail(ok.left)
          }
          statements.push(executeRaw(insertHead + tuples.join(", "), params))
        }
        return Effect.as(
          Effect.mapError(
            Effect.forEach(statements, (s) => s, { discard: true }),
            writeError("insert")
          ),
          values.length
        )
      })

    const repository: Repository<A> = {
      definition,
      insert: (tenantId, value) => Effect.as(insertMany(tenantId, [value]), { value, version: 1 }),
      insertMany,
      get: (tenantId, id) =>
        Effect.flatMap(
          Effect.mapError(selectRows<{ version: unknown; doc: unknown }>(getText, [tenantId, id]), readError("get")),
          (rows) => (rows.length === 0 ? Effect.succeed(Option.none()) : Effect.map(readRow(rows[0]), Option.some))
        ),
      getOrFail: (tenantId, id) =>
        Effect.flatMap(
          repository.get(tenantId, id),
          Option.match({ onNone: () => Effect.fail(new NotFound({ entity, id })), onSome: Effect.succeed })
        ),
      update: (tenantId, value, expectedVersion) =>
        Effect.suspend(() => {
          const params: Array<unknown> = []
          const encoded = codec.encode(value)
          if (Either.isLeft(encoded)) return Effect.fail(encoded.left)
          params.push(encoded.right)
          for (const [, column] of columns) params.push(toStored(column.type, column.get(value)))
          const id = definition.id(value)
          params.push(tenantId, id, expectedVersion)
          return Effect.flatMap(Effect.mapError(run(updateText, params), writeError("update")), (result) =>
            affected(result) === 1
              ? Effect.succeed({ value, version: expectedVersion + 1 })
              : conflict(tenantId, id, expectedVersion)
          )
        }),
      remove: (tenantId, id, expectedVersion) =>
        Effect.flatMap(
          Effect.mapError(run(deleteText, [tenantId, id, expectedVersion]), readError("remove")),
          (result) => (affected(result) === 1 ? Effect.void : conflict(tenantId, id, expectedVersion))
        ),
      find: (tenantId, where, limit = 1000) =>
        Effect.suspend(() => {
          const builder = new Builder(dialect)
          const text = `SELECT version, doc FROM ${t} WHERE ${whereText(tenantId, where, builder)} ORDER BY id LIMIT ${Math.max(
            0,
            Math.floor(limit)
          )}`
          return Effect.flatMap(
            Effect.mapError(selectRows<{ version: unknown; doc: unknown }>(text, builder.params), readError("find")),
            (rows) => readRows(rows)
          )
        }),
      page: (tenantId, query) =>
        Effect.suspend(() => {
          const orderBy = query.orderBy ?? "id"
          checkColumn(definition, orderBy)
          const direction = query.direction === "desc" ? "DESC" : "ASC"
          const op = direction === "DESC" ? "<" : ">"
          let after: readonly [ColumnValue, string] | undefined
          if (query.cursor !== undefined) {
            after = decodeCursor(query.cursor)
            if (after === undefined) return Effect.fail(badCursor(entity))
          }
          // parameters are numbered in the order they are added: tenant, filter, then the cursor
          const builder = new Builder(dialect)
          const where = whereText(tenantId, query.where, builder)
          const keyset =
            after === undefined
              ? ""
              : orderBy === "id"
                ? ` AND id ${op} ${builder.param(after[1])}`
                : (() => {
                    const key = toStored(columnType(definition, orderBy), after[0])
                    return ` AND (${orderBy} ${op} ${builder.param(key)} OR (${orderBy} = ${builder.param(key)} AND id ${op} ${builder.param(after[1])}))`
                  })()
          const order = orderBy === "id" ? `id ${direction}` : `${orderBy} ${direction}, id ${direction}`
          const select = orderBy === "id" ? "version, doc, id" : `version, doc, id, ${orderBy} AS order_key`
          const text = `SELECT ${select} FROM ${t} WHERE ${where}${keyset} ORDER BY ${order} LIMIT ${Math.floor(query.limit) + 1}`
          return Effect.flatMap(
            Effect.mapError(
              selectRows<{ version: unknown; doc: unknown; id: string; order_key?: unknown }>(text, builder.params),
              readError("page")
            ),
            (rows) => {
              const items = rows.slice(0, query.limit)
              return Effect.map(readRows(items), (values) => {
                const last = items[items.length - 1]
                const next =
                  rows.length > query.limit && last
                    ? encodeCursor(
                        orderBy === "id" ? null : fromStored(columnType(definition, orderBy), last.order_key),
                        String(last.id)
                      )
                    : undefined
                return Page.make(values, next)
              })
            }
          )
        }),
      count: (tenantId, where) =>
        Effect.suspend(() => {
          const builder = new Builder(dialect)
          const text = `SELECT COUNT(*) AS n FROM ${t} WHERE ${whereText(tenantId, where, builder)}`
          return Effect.map(
            Effect.mapError(selectRows<{ n: unknown }>(text, builder.params), readError("count")),
            (rows) => Number(rows[0]?.n ?? 0)
          )
        }),
      countBy: (tenantId, column, where) =>
        Effect.suspend(() => {
          checkColumn(definition, column)
          const type = columnType(definition, column)
          const builder = new Builder(dialect)
          const text = `SELECT ${column} AS k, COUNT(*) AS n FROM ${t} WHERE ${whereText(tenantId, where, builder)} GROUP BY ${column} ORDER BY ${column}`
          return Effect.map(
            Effect.mapError(selectRows<{ k: unknown; n: unknown }>(text, builder.params), readError("countBy")),
            (rows) =>
              // engines disagree on where NULL sorts: order here, nulls first, like the memory store
              rows
                .map((row): GroupCount => ({ key: fromStored(type, row.k), count: Number(row.n) }))
                .sort((a, b) => compare(a.key, b.key))
          )
        }),
      aggregate: (tenantId, query) =>
        Effect.suspend(() => {
          const p = plan(definition, query)
          const bucket = p.bucket
          if (bucket === undefined || "boundaries" in bucket) {
            return Effect.map(grouped(tenantId, query.where, p, bucket?.boundaries), (cells) => toRows(p, cells) as any)
          }
          // unit buckets: the boundaries of the buckets covering the rows, computed here in the zone,
          // then one GROUP BY over them; the range is the filter's, or else the rows' MIN and MAX
          return Effect.flatMap(rangeOf(tenantId, query.where, bucket.column), (range) => {
            if (range === undefined) return Effect.succeed([])
            const { boundaries, labels } = bucketsCovering(bucket.unit, bucket.timeZone, range[0], range[1])
            return Effect.map(
              grouped(tenantId, query.where, p, boundaries),
              (cells) =>
                toRows(
                  p,
                  cells.map((cell) => ({ ...cell, bucket: labels[cell.period!], period: undefined }))
                ) as any
            )
          })
        })
    }
    return repository
  })
