/**
 * The transactional outbox (事务性发件箱). A command appends its domain events in the same
 * transaction as its state change; the notification dispatcher later claims them, delivers them and
 * marks them done. A claim is a lease: a claimed row whose worker died becomes claimable again when
 * the lease runs out, so nothing is lost (delivery is at least once).
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import { Clock, Context, Effect, Layer, ParseResult, Schema } from "effect"
import * as SqlOutbox from "./internal/sql/outbox.js"
import * as Page from "./Page.js"
import { StorageError } from "./StorageError.js"
import { TenantId } from "./Tenant.js"
import { registerRollback } from "./Transactor.js"
import { uuidV7 } from "./Uuid.js"

/**
 * @since 0.1.0
 * @category models
 */
export const EventId = Schema.String.pipe(
  Schema.minLength(1),
  Schema.maxLength(64),
  Schema.brand("@gongzhi/core/EventId")
)

/**
 * @since 0.1.0
 * @category models
 */
export type EventId = typeof EventId.Type

/**
 * The state of an outbox row: `pending` (waiting, or released for a retry at `availableAt`),
 * `claimed` (leased by a worker until `leaseUntil`), `done`, or `dead` (given up).
 *
 * @since 0.1.0
 * @category models
 */
export const OutboxStatus = Schema.Literal("pending", "claimed", "done", "dead")

/**
 * @since 0.1.0
 * @category models
 */
export type OutboxStatus = typeof OutboxStatus.Type

/**
 * An event as appended by a command. `type` names the event (`"volunteers.ApplicationApproved"`),
 * `payload` is its JSON-encoded body (encode typed events with their Schema first; never put
 * plaintext ID numbers or phone numbers in a payload).
 *
 * @since 0.1.0
 * @category models
 */
export const NewOutboxEvent = Schema.Struct({
  id: Schema.optional(EventId),
  tenantId: TenantId,
  type: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  aggregateType: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  aggregateId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  payload: Schema.Unknown,
  occurredAt: Schema.optional(Schema.DateFromSelf)
})

/**
 * @since 0.1.0
 * @category models
 */
export type NewOutboxEvent = typeof NewOutboxEvent.Encoded

/**
 * A stored outbox event.
 *
 * @since 0.1.0
 * @category models
 */
export class OutboxEvent extends Schema.Class<OutboxEvent>("@gongzhi/core/OutboxEvent")({
  id: EventId,
  tenantId: TenantId,
  type: Schema.String,
  aggregateType: Schema.String,
  aggregateId: Schema.String,
  payload: Schema.Unknown,
  occurredAt: Schema.DateFromSelf
}) {}

/**
 * An outbox row with its delivery bookkeeping.
 *
 * @since 0.1.0
 * @category models
 */
export interface OutboxEntry {
  readonly event: OutboxEvent
  readonly status: OutboxStatus
  /** How many times the event was released after a failed attempt. */
  readonly attempts: number
  readonly availableAt: Date
  readonly claimedBy: string | undefined
  readonly leaseUntil: Date | undefined
  readonly lastError: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export const ClaimOptions = Schema.Struct({
  tenantId: TenantId,
  workerId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  limit: Schema.Int.pipe(Schema.between(1, 10_000)),
  leaseMillis: Schema.Int.pipe(Schema.between(1, 86_400_000))
})

/**
 * @since 0.1.0
 * @category models
 */
export type ClaimOptions = typeof ClaimOptions.Encoded

/**
 * @since 0.1.0
 * @category models
 */
export interface ReleaseOptions {
  /** When the event may be claimed again (default: now). */
  readonly retryAt?: Date | undefined
  /** A short description of the failure (no personal data). */
  readonly error?: string | undefined
  /** Give up on the event: it becomes `dead` and is never claimed again. */
  readonly dead?: boolean | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  readonly status?: OutboxStatus | undefined
  readonly limit: number
  readonly cursor?: string | undefined
}

/**
 * The input of an outbox call was not valid.
 *
 * @since 0.1.0
 * @category errors
 */
export class OutboxInputError extends Schema.TaggedError<OutboxInputError>("@gongzhi/core/OutboxInputError")(
  "OutboxInputError",
  { detail: Schema.String }
) {
  override get message(): string {
    return `发件箱参数无效：${this.detail}`
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface OutboxShape {
  /** Appends events in the caller's transaction; returns them as stored (ids and times assigned). */
  readonly append: (
    events: ReadonlyArray<NewOutboxEvent>
  ) => Effect.Effect<ReadonlyArray<OutboxEvent>, StorageError | OutboxInputError>
  /**
   * Leases up to `limit` claimable events of a tenant (pending and available, or claimed with an
   * expired lease), oldest first. Concurrent workers never receive the same event while a lease holds.
   */
  readonly claim: (options: ClaimOptions) => Effect.Effect<ReadonlyArray<OutboxEntry>, StorageError | OutboxInputError>
  /** Marks events done; only rows still leased by `workerId` change. Returns how many changed. */
  readonly complete: (
    tenantId: TenantId,
    workerId: string,
    ids: ReadonlyArray<EventId>
  ) => Effect.Effect<number, StorageError>
  /** Gives a leased event back (failed attempt: `attempts + 1`), or marks it dead. Returns whether it changed. */
  readonly release: (
    tenantId: TenantId,
    workerId: string,
    id: EventId,
    options?: ReleaseOptions
  ) => Effect.Effect<boolean, StorageError>
  /** Reads entries of a tenant in append order (for inspection, repair and tests). */
  readonly list: (tenantId: TenantId, options: ListOptions) => Effect.Effect<Page.Page<OutboxEntry>, StorageError>
}

/**
 * The outbox port.
 *
 * @since 0.1.0
 * @category tags
 */
export class Outbox extends Context.Tag("@gongzhi/core/Outbox")<Outbox, OutboxShape>() {}

const decodeNew = Schema.decodeUnknown(Schema.Array(NewOutboxEvent))
const decodeClaim = Schema.decodeUnknown(ClaimOptions)

const inputError = (error: ParseResult.ParseError) =>
  new OutboxInputError({ detail: ParseResult.TreeFormatter.formatErrorSync(error) })

/**
 * Decodes new events and assigns ids and times: shared by every implementation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const prepare = (
  events: ReadonlyArray<NewOutboxEvent>
): Effect.Effect<ReadonlyArray<OutboxEvent>, OutboxInputError> =>
  Effect.gen(function* () {
    const decoded = yield* Effect.mapError(decodeNew(events), inputError)
    const now = yield* Clock.currentTimeMillis
    return decoded.map(
      (event) =>
        new OutboxEvent({
          id: event.id ?? EventId.make(uuidV7(now)),
          tenantId: event.tenantId,
          type: event.type,
          aggregateType: event.aggregateType,
          aggregateId: event.aggregateId,
          payload: event.payload,
          occurredAt: event.occurredAt ?? new Date(now)
        })
    )
  })

/**
 * Decodes claim options: shared by every implementation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeClaimOptions = (options: ClaimOptions) => Effect.mapError(decodeClaim(options), inputError)

interface MemoryRow {
  event: OutboxEvent
  status: OutboxStatus
  attempts: number
  availableAt: number
  claimedBy: string | undefined
  leaseUntil: number | undefined
  lastError: string | undefined
  seq: number
}

const toEntry = (row: MemoryRow): OutboxEntry => ({
  event: row.event,
  status: row.status,
  attempts: row.attempts,
  availableAt: new Date(row.availableAt),
  claimedBy: row.claimedBy,
  leaseUntil: row.leaseUntil === undefined ? undefined : new Date(row.leaseUntil),
  lastError: row.lastError
})

/**
 * The in-memory outbox (reference implementation). It joins memory transactions: events appended
 * in a transaction that fails are gone.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<OutboxShape> = Effect.sync(() => {
  const rows = new Map<string, MemoryRow>()
  let seq = 0
  const key = (tenantId: string, id: string) => `${tenantId}\u0000${id}`
  const snapshot = (row: MemoryRow) => ({ ...row })
  const restore = (row: MemoryRow, saved: MemoryRow) => Object.assign(row, saved)

  const append: OutboxShape["append"] = (events) =>
    Effect.flatMap(prepare(events), (prepared) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        for (const event of prepared) {
          const k = key(event.tenantId, event.id)
          if (rows.has(k)) {
            return yield* new StorageError({
              operation: "outbox.append",
              reason: `事件编号重复 ${event.id}`,
              retryable: false
            })
          }
        }
        for (const event of prepared) {
          const k = key(event.tenantId, event.id)
          rows.set(k, {
            event,
            status: "pending",
            attempts: 0,
            availableAt: now,
            claimedBy: undefined,
            leaseUntil: undefined,
            lastError: undefined,
            seq: seq++
          })
          yield* registerRollback(() => rows.delete(k))
        }
        return prepared
      })
    )

  const claim: OutboxShape["claim"] = (options) =>
    Effect.flatMap(decodeClaimOptions(options), (o) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.gen(function* () {
          const claimable = [...rows.values()]
            .filter(
              (row) =>
                row.event.tenantId === o.tenantId &&
                ((row.status === "pending" && row.availableAt <= now) ||
                  (row.status === "claimed" && (row.leaseUntil ?? 0) <= now))
            )
            .sort((a, b) => a.availableAt - b.availableAt || a.seq - b.seq)
            .slice(0, o.limit)
          for (const row of claimable) {
            const saved = snapshot(row)
            row.status = "claimed"
            row.claimedBy = o.workerId
            row.leaseUntil = now + o.leaseMillis
            yield* registerRollback(() => restore(row, saved))
          }
          return claimable.map(toEntry)
        })
      )
    )

  const complete: OutboxShape["complete"] = (tenantId, workerId, ids) =>
    Effect.gen(function* () {
      let changed = 0
      for (const id of ids) {
        const row = rows.get(key(tenantId, id))
        if (row && row.status === "claimed" && row.claimedBy === workerId) {
          const saved = snapshot(row)
          row.status = "done"
          row.leaseUntil = undefined
          changed++
          yield* registerRollback(() => restore(row, saved))
        }
      }
      return changed
    })

  const release: OutboxShape["release"] = (tenantId, workerId, id, options) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const row = rows.get(key(tenantId, id))
      if (row?.status !== "claimed" || row.claimedBy !== workerId) return false
      const saved = snapshot(row)
      row.status = options?.dead ? "dead" : "pending"
      row.attempts++
      row.availableAt = options?.retryAt?.getTime() ?? now
      row.claimedBy = undefined
      row.leaseUntil = undefined
      row.lastError = options?.error
      yield* registerRollback(() => restore(row, saved))
      return true
    })

  const list: OutboxShape["list"] = (tenantId, options) =>
    Effect.sync(() => {
      const after = options.cursor === undefined ? -1 : Number(options.cursor)
      const matching = [...rows.values()]
        .filter(
          (row) =>
            row.event.tenantId === tenantId &&
            row.seq > after &&
            (options.status === undefined || row.status === options.status)
        )
        .sort((a, b) => a.seq - b.seq)
      const items = matching.slice(0, options.limit)
      const next = matching.length > options.limit ? String(items[items.length - 1].seq) : undefined
      return Page.make(items.map(toEntry), next)
    })

  return { append, claim, complete, release, list }
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<Outbox> = Layer.effect(Outbox, makeMemory)

/**
 * The outbox over `@effect/sql`'s `SqlClient` (SQLite, PostgreSQL, MySQL/MariaDB; table
 * `gongzhi_outbox` from `CoreMigrations`). Appends join the caller's transaction; several workers
 * may claim at once (`FOR UPDATE SKIP LOCKED` on PostgreSQL and MySQL, a single atomic statement on
 * SQLite). Times come from Effect's `Clock`, never from the database clock.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<Outbox, never, SqlClient.SqlClient> = Layer.effect(
  Outbox,
  SqlOutbox.make({ prepare, decodeClaimOptions, OutboxEvent, OutboxInputError, OutboxStatus })
)

/**
 * Appends events through the `Outbox` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const append = (events: ReadonlyArray<NewOutboxEvent>) =>
  Effect.flatMap(Outbox, (outbox) => outbox.append(events))
