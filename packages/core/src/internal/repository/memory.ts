import { Effect, Either, Option } from "effect"
import * as Page from "../../Page.js"
import type { ColumnValue, Definition, Filter, GroupCount, Repository, Versioned } from "../../Repository.js"
import { DuplicateKey, NotFound, type StorageError, VersionConflict } from "../../StorageError.js"
import type { TenantId } from "../../Tenant.js"
import { registerRollback } from "../../Transactor.js"
import { type Cell, emptyValues, labelOf, periodOf, plan, toRows } from "./aggregate.js"
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
  makeCodec,
  toStored
} from "./definition.js"

interface MemoryRow {
  readonly id: string
  version: number
  doc: string
  cols: Record<string, ColumnValue>
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
        }),
      aggregate: (tenantId, query) =>
        Effect.sync(() => {
          const p = plan(definition, query)
          const cells = new Map<
            string,
            { keys: Array<ColumnValue>; bucket?: string; period?: number; values: Array<number | null> }
          >()
          for (const row of tenants.get(tenantId)?.values() ?? []) {
            if (!matches(row, query.where)) continue
            let bucket: string | undefined
            let period: number | undefined
            if (p.bucket !== undefined) {
              const t = storedValue(row, p.bucket.column)
              if (typeof t !== "number") continue
              if ("boundaries" in p.bucket) {
                period = periodOf(p.bucket.boundaries, t)
                if (period < 0) continue
              } else bucket = labelOf(p.bucket.unit, p.bucket.timeZone, t)
            }
            const keys = p.groupBy.map((column) => fromStored(columnType(definition, column), storedValue(row, column)))
            const key = JSON.stringify([keys, bucket ?? null, period ?? null])
            let cell = cells.get(key)
            if (cell === undefined) {
              cell = {
                keys,
                values: emptyValues(p),
                ...(bucket === undefined ? {} : { bucket }),
                ...(period === undefined ? {} : { period })
              }
              cells.set(key, cell)
            }
            p.measures.forEach((measure, i) => {
              const current = cell.values[i]
              if (measure.kind === "count") {
                cell.values[i] = (current ?? 0) + 1
                return
              }
              const value = storedValue(row, measure.column!)
              if (typeof value !== "number") return
              cell.values[i] =
                measure.kind === "sum"
                  ? (current ?? 0) + value
                  : current === null
                    ? value
                    : measure.kind === "min"
                      ? Math.min(current, value)
                      : Math.max(current, value)
            })
          }
          const out: Array<Cell> = [...cells.values()].map((cell) => ({
            keys: cell.keys,
            bucket: cell.bucket,
            period: cell.period,
            values: cell.values
          }))
          if (p.groupBy.length === 0 && p.bucket === undefined && out.length === 0) {
            out.push({ keys: [], bucket: undefined, period: undefined, values: emptyValues(p) })
          }
          return toRows(p, out) as any
        })
    }
    return repository
  })
