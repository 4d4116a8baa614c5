import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Array as Arr, Clock, Effect, Schema } from "effect"
import type * as Outbox from "../../Outbox.js"
import type { EventId, OutboxEntry, OutboxShape } from "../../Outbox.js"
import * as Page from "../../Page.js"
import { StorageError } from "../../StorageError.js"
import type { TenantId } from "../../Tenant.js"
import { fromSqlError, isUniqueViolation } from "../sqlError.js"
import { affectedRows, jsonText, limitLiteral, toMillis } from "./common.js"
import * as Lease from "./lease.js"

interface OutboxRow {
  readonly tenant_id: string
  readonly id: string
  readonly type: string
  readonly aggregate_type: string
  readonly aggregate_id: string
  readonly payload: string
  readonly occurred_at: number | string | bigint
  readonly status: string
  readonly attempts: number | string | bigint
  readonly available_at: number | string | bigint
  readonly claimed_by: string | null
  readonly lease_until: number | string | bigint | null
  readonly last_error: string | null
}

/** Rows per INSERT statement: far below every dialect's limit on bound parameters. */
const INSERT_CHUNK = 500
/** Ids per `IN (…)` list. */
const ID_CHUNK = 500

/**
 * What this implementation takes from the public `Outbox` module. It is passed in rather than
 * imported, so that `Outbox.ts` can build `layerSql` from this file without an import cycle.
 */
export interface OutboxModule {
  readonly prepare: typeof Outbox.prepare
  readonly decodeClaimOptions: typeof Outbox.decodeClaimOptions
  readonly OutboxEvent: typeof Outbox.OutboxEvent
  readonly OutboxInputError: typeof Outbox.OutboxInputError
  readonly OutboxStatus: typeof Outbox.OutboxStatus
}

const toEntry = (
  { OutboxEvent }: OutboxModule,
  decodeStatus: (u: unknown) => Outbox.OutboxStatus,
  row: OutboxRow
): OutboxEntry => {
  const leaseUntil = row.lease_until === null ? undefined : toMillis(row.lease_until)
  return {
    event: new OutboxEvent({
      id: row.id as EventId,
      tenantId: row.tenant_id as TenantId,
      type: row.type,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      payload: JSON.parse(row.payload) as unknown,
      occurredAt: new Date(toMillis(row.occurred_at))
    }),
    status: decodeStatus(row.status),
    attempts: Number(row.attempts),
    availableAt: new Date(toMillis(row.available_at)),
    claimedBy: row.claimed_by ?? undefined,
    leaseUntil: leaseUntil === undefined ? undefined : new Date(leaseUntil),
    lastError: row.last_error ?? undefined
  }
}

const toEntries = (
  module: OutboxModule,
  decodeStatus: (u: unknown) => Outbox.OutboxStatus,
  operation: string,
  rows: ReadonlyArray<OutboxRow>
) =>
  Effect.try({
    try: () => rows.map((row) => toEntry(module, decodeStatus, row)),
    catch: (cause) =>
      new StorageError({
        operation,
        reason: "数据库中的发件箱记录无法解读 / stored outbox row cannot be decoded",
        retryable: false,
        cause
      })
  })

/**
 * The outbox over `@effect/sql`: one implementation for SQLite, PostgreSQL and MySQL/MariaDB. Every
 * statement runs on the ambient `SqlClient`, so inside `sql.withTransaction` (the SQL `Transactor`)
 * appends join the caller's transaction. "Now" always comes from Effect's `Clock`.
 */
export const make = (module: OutboxModule): Effect.Effect<OutboxShape, never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const { decodeClaimOptions, OutboxInputError, prepare } = module
    const decodeStatus = Schema.decodeUnknownSync(module.OutboxStatus)
    const decodeRows = (operation: string, rows: ReadonlyArray<OutboxRow>) =>
      toEntries(module, decodeStatus, operation, rows)
    const encodePayload = (payload: unknown) =>
      Effect.try({
        try: () => JSON.stringify(payload) ?? "null",
        catch: () => new OutboxInputError({ detail: "事件内容无法编码为 JSON / payload is not JSON-serialisable" })
      })
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const payload = jsonText(sql, "payload")
    const columns = sql`tenant_id, id, type, aggregate_type, aggregate_id, ${payload} AS payload, occurred_at, status, attempts, available_at, claimed_by, lease_until, last_error`
    const storageError = (operation: string) => (error: SqlError) => fromSqlError(operation, error)

    const append: OutboxShape["append"] = (events) =>
      Effect.gen(function* () {
        const prepared = yield* prepare(events)
        if (prepared.length === 0) return prepared
        const now = yield* Clock.currentTimeMillis
        const rows = yield* Effect.forEach(prepared, (event) =>
          Effect.gen(function* () {
            const occurredAt = event.occurredAt.getTime()
            if (!Number.isFinite(occurredAt)) {
              return yield* new OutboxInputError({ detail: `事件 ${event.id} 的发生时间无效 / invalid occurredAt` })
            }
            return {
              tenant_id: event.tenantId,
              id: event.id,
              type: event.type,
              aggregate_type: event.aggregateType,
              aggregate_id: event.aggregateId,
              payload: yield* encodePayload(event.payload),
              occurred_at: occurredAt,
              status: "pending",
              attempts: 0,
              available_at: now
            }
          })
        )
        const chunks = Arr.chunksOf(rows, INSERT_CHUNK)
        const insert = Effect.forEach(chunks, (chunk) => sql`INSERT INTO gongzhi_outbox ${sql.insert(chunk)}`, {
          discard: true
        })
        // one statement is atomic on its own; several are made so (a savepoint inside the caller's transaction)
        yield* (chunks.length > 1 ? sql.withTransaction(insert) : insert).pipe(
          Effect.mapError((error) =>
            isUniqueViolation(error)
              ? new StorageError({
                  operation: "outbox.append",
                  reason: "事件编号重复 / duplicate event id",
                  retryable: false,
                  cause: error
                })
              : fromSqlError("outbox.append", error)
          )
        )
        return prepared
      })

    const queue: Lease.LeaseQueue<OutboxRow> = {
      table: "gongzhi_outbox",
      operation: "outbox.claim",
      columns,
      leasedStatus: "claimed",
      claimable: (tenantId, now) =>
        sql`tenant_id = ${tenantId} AND ((status = 'pending' AND available_at <= ${now}) OR (status = 'claimed' AND lease_until <= ${now}))`,
      order: sql.literal("available_at, id"),
      lease: (workerId, leaseUntil) => sql`status = 'claimed', claimed_by = ${workerId}, lease_until = ${leaseUntil}`,
      leased: (row, workerId, leaseUntil) => ({
        ...row,
        status: "claimed",
        claimed_by: workerId,
        lease_until: leaseUntil
      })
    }
    const claimLeased = Lease.claim(sql, queue)
    const byClaimOrder = (a: OutboxRow, b: OutboxRow) =>
      Number(a.available_at) - Number(b.available_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    const claimRows = (tenantId: string, workerId: string, limit: number, now: number, leaseUntil: number) =>
      Effect.map(claimLeased(tenantId, workerId, limit, now, leaseUntil), (rows) => [...rows].sort(byClaimOrder))

    const claim: OutboxShape["claim"] = (options) =>
      Effect.gen(function* () {
        const o = yield* decodeClaimOptions(options)
        const now = yield* Clock.currentTimeMillis
        const rows = yield* claimRows(o.tenantId, o.workerId, o.limit, now, now + o.leaseMillis)
        return yield* decodeRows("outbox.claim", rows)
      })

    const complete: OutboxShape["complete"] = (tenantId, workerId, ids) => {
      if (ids.length === 0) return Effect.succeed(0)
      const chunks = Arr.chunksOf(ids, ID_CHUNK)
      const run = Effect.reduce(chunks, 0, (total, chunk) =>
        Effect.map(
          sql`UPDATE gongzhi_outbox SET status = 'done', lease_until = NULL
          WHERE ${Lease.held(sql, queue, tenantId, workerId)} AND ${sql.in("id", chunk)}`.raw,
          (raw) => total + affectedRows(raw)
        )
      )
      return (chunks.length > 1 ? sql.withTransaction(run) : run).pipe(Effect.mapError(storageError("outbox.complete")))
    }

    const release: OutboxShape["release"] = (tenantId, workerId, id, options) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const retryAt = options?.retryAt?.getTime()
        const availableAt = retryAt !== undefined && Number.isFinite(retryAt) ? retryAt : now
        const raw = yield* sql`UPDATE gongzhi_outbox
        SET status = ${options?.dead ? "dead" : "pending"}, attempts = attempts + 1, available_at = ${availableAt},
          claimed_by = NULL, lease_until = NULL, last_error = ${options?.error ?? null}
        WHERE ${Lease.held(sql, queue, tenantId, workerId)} AND id = ${id}`.raw.pipe(
          Effect.mapError(storageError("outbox.release"))
        )
        return affectedRows(raw) > 0
      })

    const list: OutboxShape["list"] = (tenantId, options) =>
      Effect.gen(function* () {
        const limit = options.limit
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
          return yield* new StorageError({
            operation: "outbox.list",
            reason: "每页条数应在 1 到 10000 之间 / limit must be between 1 and 10000",
            retryable: false
          })
        }
        const conditions = [sql`tenant_id = ${tenantId}`]
        if (options.status !== undefined) conditions.push(sql`status = ${options.status}`)
        if (options.cursor !== undefined) conditions.push(sql`id > ${options.cursor}`)
        const rows = yield* sql<OutboxRow>`SELECT ${columns} FROM gongzhi_outbox WHERE ${sql.and(conditions)}
        ORDER BY id LIMIT ${limitLiteral(sql, limit + 1)}`.pipe(Effect.mapError(storageError("outbox.list")))
        const items = yield* decodeRows("outbox.list", rows.slice(0, limit))
        const next = rows.length > limit ? items[items.length - 1].event.id : undefined
        return Page.make(items, next)
      })

    return { append, claim, complete, release, list }
  })
