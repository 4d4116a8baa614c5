import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Either, Option, ParseResult, Schema } from "effect"
import * as Page from "../Page.js"
import type {
  Column,
  ColumnType,
  ColumnValue,
  Condition,
  Definition,
  Filter,
  GroupCount,
  Repository,
  Versioned
} from "../Repository.js"
import { DuplicateKey, NotFound, StorageError, VersionConflict } from "../StorageError.js"
import type { TenantId } from "../Tenant.js"
import { registerRollback } from "../Transactor.js"
import { fromSqlError, isUniqueViolation } from "./sqlError.js"

// ---------------------------------------------------------------------------------------------
// definition
// ---------------------------------------------------------------------------------------------

const IDENTIFIER = /^[a-z][a-z0-9_]{0,55}$/
const RESERVED = new Set(["tenant_id", "id", "version", "doc"])

export const define = <A, I>(definition: Definition<A, I>): Definition<A, I> => {
  const problems: Array<string> = []
  if (!IDENTIFIER.test(definition.table)) problems.push(`table name "${definition.table}" must match ${IDENTIFIER}`)
  const columns = definition.columns ?? {}
  for (const name of Object.keys(columns)) {
    if (!IDENTIFIER.test(name)) problems.push(`column name "${name}" must match ${IDENTIFIER}`)
    if (RESERVED.has(name)) problems.push(`column name "${name}" is reserved`)
  }
  const known = (name: string) => name === "id" || Object.hasOwn(columns, name)
  for (const index of definition.indexes ?? []) {
    if (index.length === 0) problems.push("an index needs at least one column")
    for (const name of index) if (!known(name)) problems.push(`index column "${name}" is not a defined column`)
  }
  for (const [name, index] of Object.entries(definition.unique ?? {})) {
    if (!IDENTIFIER.test(name)) problems.push(`unique rule name "${name}" must match ${IDENTIFIER}`)
    if (index.length === 0) problems.push(`unique rule "${name}" needs at least one column`)
    for (const column of index) if (!known(column)) problems.push(`unique column "${column}" is not a defined column`)
  }
  if (problems.length > 0) {
    throw new Error(`Invalid repository definition for ${definition.entity}: ${problems.join("; ")}`)
  }
  return definition
}

// ---------------------------------------------------------------------------------------------
// values
// ---------------------------------------------------------------------------------------------

const toStored = (type: ColumnType, value: unknown): ColumnValue => {
  if (value === null || value === undefined) return null
  switch (type) {
    case "text":
      return String(value)
    case "integer":
      return typeof value === "number" ? value : Number(value)
    case "timestamp":
      return value instanceof Date ? value.getTime() : typeof value === "number" ? value : Number(value)
    case "boolean":
      return value === true || value === 1 || value === "1" || value === "true" ? 1 : 0
  }
}

const fromStored = (type: ColumnType, value: unknown): ColumnValue => {
  if (value === null || value === undefined) return null
  switch (type) {
    case "text":
      return String(value)
    case "integer":
    case "timestamp":
      return Number(value)
    case "boolean":
      return value === true || value === 1 || value === "1"
  }
}

interface Codec<A> {
  readonly encode: (value: A) => Either.Either<string, StorageError>
  readonly decode: (doc: unknown) => Either.Either<A, StorageError>
}

const makeCodec = <A, I>(definition: Definition<A, I>): Codec<A> => {
  const encode = Schema.encodeEither(definition.schema)
  const decode = Schema.decodeUnknownEither(definition.schema)
  return {
    encode: (value) =>
      Either.match(encode(value), {
        onLeft: (error) =>
          Either.left(
            new StorageError({
              operation: `${definition.entity}.encode`,
              reason: ParseResult.TreeFormatter.formatErrorSync(error),
              retryable: false
            })
          ),
        onRight: (encoded) => Either.right(JSON.stringify(encoded))
      }),
    decode: (doc) => {
      let parsed: unknown = doc
      if (typeof doc === "string") {
        try {
          parsed = JSON.parse(doc)
        } catch {
          return Either.left(
            new StorageError({
              operation: `${definition.entity}.decode`,
              reason: "stored document is not valid JSON",
              retryable: false
            })
          )
        }
      }
      return Either.mapLeft(
        decode(parsed),
        (error) =>
          new StorageError({
            operation: `${definition.entity}.decode`,
            reason: `stored document does not match the schema: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
            retryable: false
          })
      )
    }
  }
}

const columnEntries = <A>(definition: Definition<A, any>): ReadonlyArray<readonly [string, Column<A>]> =>
  Object.entries(definition.columns ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

const columnType = (definition: Definition<any, any>, name: string): ColumnType =>
  name === "id" ? "text" : (definition.columns?.[name]?.type ?? "text")

const checkColumn = (definition: Definition<any, any>, name: string): void => {
  if (name !== "id" && !Object.hasOwn(definition.columns ?? {}, name)) {
    throw new Error(`${definition.entity}: "${name}" is not an indexed column`)
  }
}

const encodeCursor = (key: ColumnValue, id: string): string =>
  Buffer.from(JSON.stringify([key, id]), "utf8").toString("base64url")

const decodeCursor = (cursor: string): readonly [ColumnValue, string] | undefined => {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === "string") {
      return [parsed[0] as ColumnValue, parsed[1]]
    }
  } catch {
    // fall through
  }
  return undefined
}

const badCursor = (entity: string) =>
  new StorageError({ operation: `${entity}.page`, reason: "分页游标无效 / invalid cursor", retryable: false })

const isRange = (
  condition: Condition
): condition is { readonly gte?: number | string; readonly lt?: number | string } =>
  typeof condition === "object" && condition !== null && !("in" in condition)

// ---------------------------------------------------------------------------------------------
// memory
// ---------------------------------------------------------------------------------------------

interface MemoryRow {
  readonly id: string
  version: number
  doc: string
  cols: Record<string, ColumnValue>
}

const compare = (a: ColumnValue, b: ColumnValue): number => {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  return a < b ? -1 : 1
}

export const makeMemory = <A, I>(definition: Definition<A, I>): Effect.Effect<Repository<A>> =>
  Effect.sync(() => {
    define(definition)
    const codec = makeCodec(definition)
    const columns = columnEntries(definition)
    const uniques = Object.entries(definition.unique ?? {})
    const tenants = new Map<string, Map<string, MemoryRow>>()
    /** unique rule name -> tenant + tuple -> id */
    const uniqueIndex = new Map<string, Map<string, string>>(uniques.map(([name]) => [name, new Map()]))

    const rowsOf = (tenantId: string) => {
      let rows = tenants.get(tenantId)
      if (!rows) {
        rows = new Map()
        tenants.set(tenantId, rows)
      }
      return rows
    }
    const uniqueKey = (tenantId: string, row: MemoryRow, rule: ReadonlyArray<string>): string | undefined => {
      const parts: Array<ColumnValue> = []
      for (const column of rule) {
        const value = column === "id" ? row.id : row.cols[column]
        if (value === null) return undefined // NULLs never collide, as in SQL
        parts.push(value)
      }
      return `${tenantId}\u0000${JSON.stringify(parts)}`
    }
    const toRow = (value: A, version: number): Either.Either<MemoryRow, StorageError> =>
      Either.map(codec.encode(value), (doc) => {
        const cols: Record<string, ColumnValue> = {}
        for (const [name, column] of columns) cols[name] = toStored(column.type, column.get(value))
        return { id: definition.id(value), version, doc, cols }
      })
    const read = (row: MemoryRow): Either.Either<Versioned<A>, StorageError> =>
      Either.map(codec.decode(row.doc), (value) => ({ value, version: row.version }))
    const conflictFor = (tenantId: string, row: MemoryRow, ignoreId?: string): string | undefined => {
      for (const [name, rule] of uniques) {
        const key = uniqueKey(tenantId, row, rule)
        if (key === undefined) continue
        const holder = uniqueIndex.get(name)!.get(key)
        if (holder !== undefined && holder !== ignoreId) return name
      }
      return undefined
    }
    const indexRow = (tenantId: string, row: MemoryRow, add: boolean) => {
      for (const [name, rule] of uniques) {
        const key = uniqueKey(tenantId, row, rule)
        if (key === undefined) continue
        if (add) uniqueIndex.get(name)!.set(key, row.id)
        else uniqueIndex.get(name)!.delete(key)
      }
    }
    const storedValue = (row: MemoryRow, column: string): ColumnValue =>
      column === "id" ? row.id : (row.cols[column] ?? null)
    const matches = (row: MemoryRow, where: Filter | undefined): boolean => {
      if (!where) return true
      for (const [name, condition] of Object.entries(where)) {
        checkColumn(definition, name)
        const type = columnType(definition, name)
        const value = storedValue(row, name)
        if (condition === null) {
          if (value !== null) return false
        } else if (typeof condition !== "object") {
          if (value !== toStored(type, condition)) return false
        } else if ("in" in condition) {
          if (!condition.in.some((candidate) => toStored(type, candidate) === value)) return false
        } else {
          if (value === null) return false
          if (condition.gte !== undefined && compare(value, toStored(type, condition.gte)) < 0) return false
          if (condition.lt !== undefined && compare(value, toStored(type, condition.lt)) >= 0) return false
        }
      }
      return true
    }
    const readAll = (rows: Iterable<MemoryRow>) => Effect.forEach(rows, (row) => read(row), { concurrency: 1 })

    const insertRows = (tenantId: TenantId, values: ReadonlyArray<A>) =>
      Effect.gen(function* () {
        const rows = rowsOf(tenantId)
        const prepared: Array<MemoryRow> = []
        for (const value of values) prepared.push(yield* toRow(value, 1))
        // validate the whole batch before touching anything (all or nothing)
        const seen = new Set<string>()
        const batchKeys = new Set<string>()
        for (const row of prepared) {
          if (rows.has(row.id) || seen.has(row.id))
            return yield* new DuplicateKey({ entity: definition.entity, key: "id" })
          seen.add(row.id)
          const conflict = conflictFor(tenantId, row)
          if (conflict) return yield* new DuplicateKey({ entity: definition.entity, key: conflict })
          for (const [name, rule] of uniques) {
            const key = uniqueKey(tenantId, row, rule)
            if (key === undefined) continue
            if (batchKeys.has(`${name}\u0000${key}`))
              return yield* new DuplicateKey({ entity: definition.entity, key: name })
            batchKeys.add(`${name}\u0000${key}`)
          }
        }
        for (const row of prepared) {
          rows.set(row.id, row)
          indexRow(tenantId, row, true)
        }
        yield* registerRollback(() => {
          for (const row of prepared) {
            rows.delete(row.id)
            indexRow(tenantId, row, false)
          }
        })
        return prepared
      })

    const repository: Repository<A> = {
      definition,
      insert: (tenantId, value) =>
        Effect.flatMap(insertRows(tenantId, [value]), () => Effect.succeed({ value, version: 1 })),
      insertMany: (tenantId, values) => Effect.map(insertRows(tenantId, values), (rows) => rows.length),
      get: (tenantId, id) =>
        Effect.suspend(() => {
          const row = tenants.get(tenantId)?.get(id)
          return row ? Effect.map(read(row), Option.some) : Effect.succeed(Option.none())
        }),
      getOrFail: (tenantId, id) =>
        Effect.flatMap(
          repository.get(tenantId, id),
          Option.match({
            onNone: () => Effect.fail(new NotFound({ entity: definition.entity, id })),
            onSome: Effect.succeed
          })
        ),
      update: (tenantId, value, expectedVersion) =>
        Effect.gen(function* () {
          const rows = rowsOf(tenantId)
          const id = definition.id(value)
          const current = rows.get(id)
          if (!current || current.version !== expectedVersion) {
            return yield* new VersionConflict({
              entity: definition.entity,
              id,
              expectedVersion,
              ...(current ? { actualVersion: current.version } : {})
            })
          }
          const next = yield* toRow(value, current.version + 1)
          const conflict = conflictFor(tenantId, next, id)
          if (conflict) return yield* new DuplicateKey({ entity: definition.entity, key: conflict })
          indexRow(tenantId, current, false)
          rows.set(id, next)
          indexRow(tenantId, next, true)
          yield* registerRollback(() => {
            indexRow(tenantId, next, false)
            rows.set(id, current)
            indexRow(tenantId, current, true)
          })
          return { value, version: next.version }
        }),
      remove: (tenantId, id, expectedVersion) =>
        Effect.gen(function* () {
          const rows = rowsOf(tenantId)
          const current = rows.get(id)
          if (!current || current.version !== expectedVersion) {
            return yield* new VersionConflict({
              entity: definition.entity,
              id,
              expectedVersion,
              ...(current ? { actualVersion: current.version } : {})
            })
          }
          rows.delete(id)
          indexRow(tenantId, current, false)
          yield* registerRollback(() => {
            rows.set(id, current)
            indexRow(tenantId, current, true)
          })
        }),
      find: (tenantId, where, limit = 1000) =>
        Effect.suspend(() =>
          readAll(
            [...(tenants.get(tenantId)?.values() ?? [])]
              .filter((row) => matches(row, where))
              .sort((a, b) => compare(a.id, b.id))
              .slice(0, limit)
          )
        ),
      page: (tenantId, query) =>
        Effect.suspend(() => {
          const orderBy = query.orderBy ?? "id"
          checkColumn(definition, orderBy)
          const direction = query.direction === "desc" ? -1 : 1
          const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
          if (query.cursor !== undefined && after === undefined) return Effect.fail(badCursor(definition.entity))
          const order = (a: MemoryRow, b: MemoryRow) =>
            direction * (compare(storedValue(a, orderBy), storedValue(b, orderBy)) || compare(a.id, b.id))
          const rows = [...(tenants.get(tenantId)?.values() ?? [])]
            .filter((row) => matches(row, query.where))
            .filter((row) => {
              if (!after) return true
              const c = compare(storedValue(row, orderBy), after[0]) || compare(row.id, after[1])
              return direction * c > 0
            })
            .sort(order)
          const items = rows.slice(0, query.limit)
          const last = items[items.length - 1]
          return Effect.map(readAll(items), (values) =>
            Page.make(
              values,
              rows.length > query.limit && last ? encodeCursor(storedValue(last, orderBy), last.id) : undefined
            )
          )
        }),
      count: (tenantId, where) =>
        Effect.sync(() => {
          let n = 0
          for (const row of tenants.get(tenantId)?.values() ?? []) if (matches(row, where)) n++
          return n
        }),
      countBy: (tenantId, column, where) =>
        Effect.sync(() => {
          checkColumn(definition, column)
          const type = columnType(definition, column)
          const counts = new Map<ColumnValue, number>()
          for (const row of tenants.get(tenantId)?.values() ?? []) {
            if (!matches(row, where)) continue
            const key = storedValue(row, column)
            counts.set(key, (counts.get(key) ?? 0) + 1)
          }
          return [...counts.entries()]
            .sort(([a], [b]) => compare(a, b))
            .map(([key, count]): GroupCount => ({ key: fromStored(type, key), count }))
        })
    }
    return repository
  })

// ---------------------------------------------------------------------------------------------
// SQL
// ---------------------------------------------------------------------------------------------

type Dialect = "sqlite" | "pg" | "mysql"

export interface SqlOptions {
  /** Emit a tracing span for every SQL statement (default false: spans cost more than a point read). */
  readonly statementSpans?: boolean
}

const columnDdl = (dialect: Dialect, column: Column<any>): string => {
  switch (column.type) {
    case "text":
      return dialect === "sqlite" ? "TEXT" : `VARCHAR(${column.length ?? 191})${dialect === "pg" ? ' COLLATE "C"' : ""}`
    case "integer":
    case "timestamp":
      return dialect === "sqlite" ? "INTEGER" : "BIGINT"
    case "boolean":
      return dialect === "sqlite" ? "INTEGER" : "SMALLINT"
  }
}

export const ddl = (definition: Definition<any, any>, dialect: Dialect): ReadonlyArray<string> => {
  define(definition)
  const t = definition.table
  // code-point order on every engine (PostgreSQL's default collation would sort by locale)
  const text = (n: number) =>
    dialect === "sqlite" ? "TEXT" : dialect === "pg" ? `VARCHAR(${n}) COLLATE "C"` : `VARCHAR(${n})`
  const doc = dialect === "sqlite" ? "TEXT" : dialect === "pg" ? "JSONB" : "JSON"
  const lines = [
    `tenant_id ${text(12)} NOT NULL`,
    `id ${text(64)} NOT NULL`,
    `version ${dialect === "sqlite" ? "INTEGER" : "INT"} NOT NULL`,
    `doc ${doc} NOT NULL`,
    ...columnEntries(definition).map(([name, column]) => `${name} ${columnDdl(dialect, column)}`),
    "PRIMARY KEY (tenant_id, id)"
  ]
  const tail = dialect === "mysql" ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : ""
  const statements = [`CREATE TABLE ${t} (\n  ${lines.join(",\n  ")}\n)${tail}`]
  for (const index of definition.indexes ?? []) {
    statements.push(`CREATE INDEX ${t}_ix_${index.join("_")} ON ${t} (tenant_id, ${index.join(", ")})`)
  }
  for (const [name, index] of Object.entries(definition.unique ?? {})) {
    statements.push(`CREATE UNIQUE INDEX ${t}_ux_${name} ON ${t} (tenant_id, ${index.join(", ")})`)
  }
  return statements
}

const dialectOf = (sql: SqlClient.SqlClient): Dialect =>
  sql.onDialectOrElse({
    orElse: (): Dialect => {
      throw new Error("Gongzhi repositories support SQLite, PostgreSQL and MySQL/MariaDB")
    },
    sqlite: (): Dialect => "sqlite",
    pg: (): Dialect => "pg",
    mysql: (): Dialect => "mysql"
  })

export const migration = <A, I>(definition: Definition<A, I>): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.forEach(ddl(definition, dialectOf(sql)), (statement) => sql.unsafe(statement), { discard: true })
  )

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
        })
    }
    return repository
  })
