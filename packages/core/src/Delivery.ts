/**
 * Delivery records (投递记录). The dispatcher writes one record per (tenant, event, recipient,
 * channel) — never two, the store refuses duplicates silently — holding the rendered notification,
 * its state and its retry bookkeeping:
 *
 * - `pending` → waiting to be sent (from `nextAttemptAt`);
 * - `sending` → claimed by a dispatcher until `leaseUntil` (a claim whose worker died is taken
 *   again when the lease runs out);
 * - `delivered` → the channel accepted it (its receipt is kept); it is never sent again;
 * - `retrying` → the last attempt failed and may succeed later (from `nextAttemptAt`);
 * - `dead` → given up (dead letter): too many attempts, or a failure no retry can fix;
 * - `digest` → held back for the recipient's daily digest; `digested` → sent as part of one.
 *
 * The record's id is its idempotency key: a stable hash of (tenant, event id, recipient id,
 * channel), handed to the channel with every attempt, so a channel that honours it shows the
 * notification once however often it is retried.
 *
 * @since 0.1.0
 */
import * as Crypto from "node:crypto"
import type { SqlClient } from "@effect/sql"
import { Clock, Context, Duration, Effect, Layer, type Option, ParseResult, Schema } from "effect"
import type { FieldCipher } from "./FieldCipher.js"
import * as MemoryDeliveries from "./internal/deliveryMemory.js"
import * as SqlDeliveries from "./internal/dispatcherSql.js"
import { Body, Channel, Priority } from "./Notifier.js"
import type * as Page from "./Page.js"
import { StorageError } from "./StorageError.js"
import { Locale } from "./Template.js"
import { TenantId } from "./Tenant.js"

/**
 * @since 0.1.0
 * @category models
 */
export const DeliveryStatus = Schema.Literal(
  "pending",
  "sending",
  "delivered",
  "retrying",
  "dead",
  "digest",
  "digested"
)

/**
 * @since 0.1.0
 * @category models
 */
export type DeliveryStatus = typeof DeliveryStatus.Type

/**
 * A delivery's id, which is also its idempotency key: 64 lower-case hex digits (SHA-256).
 *
 * @since 0.1.0
 * @category models
 */
export const DeliveryId = Schema.String.pipe(
  Schema.pattern(/^[0-9a-f]{64}$/, { message: () => "投递编号应为 64 位十六进制数 / invalid delivery id" }),
  Schema.brand("@gongzhi/core/DeliveryId")
)

/**
 * @since 0.1.0
 * @category models
 */
export type DeliveryId = typeof DeliveryId.Type

/**
 * The idempotency key of the delivery of an event to a recipient over a channel: the SHA-256 of
 * the four values, stable across processes and versions.
 *
 * @since 0.1.0
 * @category constructors
 */
export const idempotencyKey = (tenantId: string, eventId: string, recipientId: string, channel: string): DeliveryId =>
  Crypto.createHash("sha256")
    .update(JSON.stringify(["gongzhi.delivery.v1", tenantId, eventId, recipientId, channel]), "utf8")
    .digest("hex") as DeliveryId

/**
 * Ranks priorities for ordering claims (higher first).
 *
 * @since 0.1.0
 * @category models
 */
export const priorityRank: Readonly<Record<Priority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 }

/**
 * A delivery to record. Its id is derived ({@link idempotencyKey}).
 *
 * @since 0.1.0
 * @category models
 */
export const NewDelivery = Schema.Struct({
  tenantId: TenantId,
  eventId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  eventType: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  subscriptionId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  recipientId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  channel: Channel,
  /** The recipient's address on the channel (personal data: never logged unmasked). */
  address: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(2048)),
  locale: Locale,
  priority: Priority,
  templateId: Schema.optional(Schema.String.pipe(Schema.maxLength(128))),
  subject: Schema.String.pipe(Schema.maxLength(512)),
  body: Body,
  /** The template data (JSON), handed to the channel with the notification. */
  data: Schema.optional(Schema.Unknown),
  /** `pending` (default) or `digest` (held for the daily digest). */
  status: Schema.optional(Schema.Literal("pending", "digest")),
  /** When the first attempt may be made (default: now). */
  nextAttemptAt: Schema.optional(Schema.DateFromSelf)
})

/**
 * @since 0.1.0
 * @category models
 */
export type NewDelivery = typeof NewDelivery.Encoded

/**
 * A stored delivery.
 *
 * @since 0.1.0
 * @category models
 */
export class Delivery extends Schema.Class<Delivery>("@gongzhi/core/Delivery")({
  tenantId: TenantId,
  id: DeliveryId,
  eventId: Schema.String,
  eventType: Schema.String,
  subscriptionId: Schema.String,
  recipientId: Schema.String,
  channel: Channel,
  address: Schema.String,
  locale: Locale,
  priority: Priority,
  templateId: Schema.optional(Schema.String),
  subject: Schema.String,
  body: Body,
  data: Schema.optional(Schema.Unknown),
  status: DeliveryStatus,
  /** Attempts started so far (a claim starts one; giving back an unstarted claim undoes it). */
  attempts: Schema.Int,
  nextAttemptAt: Schema.DateFromSelf,
  claimedBy: Schema.optional(Schema.String),
  leaseUntil: Schema.optional(Schema.DateFromSelf),
  lastError: Schema.optional(Schema.String),
  providerMessageId: Schema.optional(Schema.String),
  deliveredAt: Schema.optional(Schema.DateFromSelf),
  /** For `digested` items: the id of the digest delivery that carried them. */
  digestId: Schema.optional(DeliveryId),
  createdAt: Schema.DateFromSelf,
  updatedAt: Schema.DateFromSelf
}) {
  /** The idempotency key handed to the channel (the id). */
  get idempotencyKey(): DeliveryId {
    return this.id
  }
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
export interface ListOptions {
  readonly status?: DeliveryStatus | undefined
  readonly eventId?: string | undefined
  readonly recipientId?: string | undefined
  /** Only deliveries recorded before this time. */
  readonly createdBefore?: Date | undefined
  readonly limit: number
  readonly cursor?: string | undefined
}

/**
 * What a channel answered, as recorded by {@link DeliveriesShape.markDelivered}.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeliveredReceipt {
  readonly providerMessageId?: string | undefined
  readonly deliveredAt: Date
}

/**
 * One delivery's receipt, as recorded by {@link DeliveriesShape.markDeliveredMany}.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeliveredReceiptOf extends DeliveredReceipt {
  readonly id: DeliveryId
}

/**
 * The input of a deliveries call was not valid.
 *
 * @since 0.1.0
 * @category errors
 */
export class DeliveryInputError extends Schema.TaggedError<DeliveryInputError>("@gongzhi/core/DeliveryInputError")(
  "DeliveryInputError",
  { detail: Schema.String }
) {
  override get message(): string {
    return `投递记录参数无效：${this.detail} / invalid delivery input`
  }
}

/**
 * The delivery store.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeliveriesShape {
  /**
   * Records deliveries in the caller's transaction; a delivery whose key is already recorded is
   * skipped silently. Returns how many were new.
   */
  readonly insert: (deliveries: ReadonlyArray<NewDelivery>) => Effect.Effect<number, StorageError | DeliveryInputError>
  /**
   * Leases up to `limit` due deliveries of a tenant (`pending`/`retrying` whose time has come, or
   * `sending` with an expired lease), highest priority first, then oldest due. Each claim starts an
   * attempt (`attempts + 1`). Concurrent workers never receive the same delivery while a lease holds.
   */
  readonly claim: (options: ClaimOptions) => Effect.Effect<ReadonlyArray<Delivery>, StorageError | DeliveryInputError>
  /** Marks a delivery delivered with its receipt, whoever holds it; `false` if it already was. */
  readonly markDelivered: (
    tenantId: TenantId,
    id: DeliveryId,
    receipt: DeliveredReceipt
  ) => Effect.Effect<boolean, StorageError>
  /**
   * Marks several deliveries delivered, each with its receipt, whoever holds them (one statement
   * where the store can). Deliveries already delivered are left as they were; returns how many
   * changed.
   */
  readonly markDeliveredMany: (
    tenantId: TenantId,
    receipts: ReadonlyArray<DeliveredReceiptOf>
  ) => Effect.Effect<number, StorageError>
  /** The holder schedules another attempt at `retryAt`; `false` if `workerId` no longer holds it. */
  readonly markRetry: (
    tenantId: TenantId,
    workerId: string,
    id: DeliveryId,
    options: { readonly retryAt: Date; readonly error: string }
  ) => Effect.Effect<boolean, StorageError>
  /** The holder gives up (dead letter); `false` if `workerId` no longer holds it. */
  readonly markDead: (
    tenantId: TenantId,
    workerId: string,
    id: DeliveryId,
    error: string
  ) => Effect.Effect<boolean, StorageError>
  /** Gives back claims whose attempt was not started (the attempt is not counted). */
  readonly release: (
    tenantId: TenantId,
    workerId: string,
    ids: ReadonlyArray<DeliveryId>
  ) => Effect.Effect<number, StorageError>
  /**
   * Records a digest delivery and marks the items it carries `digested`, in one transaction —
   * unless a delivery with the digest's key exists already, in which case nothing changes (the
   * items wait for the next digest). Returns whether the digest was recorded.
   */
  readonly digest: (
    tenantId: TenantId,
    summary: NewDelivery,
    itemIds: ReadonlyArray<DeliveryId>
  ) => Effect.Effect<boolean, StorageError | DeliveryInputError>
  /** Puts a dead delivery back in the queue with a fresh attempt count (repair). */
  readonly requeue: (tenantId: TenantId, id: DeliveryId) => Effect.Effect<boolean, StorageError>
  readonly get: (tenantId: TenantId, id: DeliveryId) => Effect.Effect<Option.Option<Delivery>, StorageError>
  /** Deliveries of a tenant in recording order (for inspection, repair and tests). */
  readonly list: (tenantId: TenantId, options: ListOptions) => Effect.Effect<Page.Page<Delivery>, StorageError>
  readonly countByStatus: (tenantId: TenantId) => Effect.Effect<Readonly<Record<DeliveryStatus, number>>, StorageError>
  /**
   * Retention: deletes the tenant's deliveries delivered before `deliveredBefore` (and the digest
   * items sent as part of a digest by then). Returns how many were deleted. See {@link purgeOlderThan}.
   */
  readonly purgeDelivered: (tenantId: TenantId, deliveredBefore: Date) => Effect.Effect<number, StorageError>
  /**
   * Deletes every delivery of the tenant sent to `address` (a person's request to erase their
   * data), whatever its state; the SQL store finds them by the address's blind index. Returns how
   * many were deleted.
   */
  readonly purgeAddress: (tenantId: TenantId, address: string) => Effect.Effect<number, StorageError>
  /**
   * Encrypts the addresses of deliveries recorded before addresses were encrypted at rest (all
   * tenants), and indexes them for {@link DeliveriesShape.purgeAddress}. Safe to run at any time and
   * in several processes; returns how many rows it changed (0 once done; always 0 in memory).
   */
  readonly protectAddresses: () => Effect.Effect<number, StorageError>
}

/**
 * The delivery store port.
 *
 * @since 0.1.0
 * @category tags
 */
export class Deliveries extends Context.Tag("@gongzhi/core/Deliveries")<Deliveries, DeliveriesShape>() {}

const decodeNew = Schema.decodeUnknown(Schema.Array(NewDelivery))
const decodeClaim = Schema.decodeUnknown(ClaimOptions)

const inputError = (error: ParseResult.ParseError) =>
  new DeliveryInputError({ detail: ParseResult.TreeFormatter.formatErrorSync(error) })

/**
 * Decodes new deliveries and assigns ids and times (shared by every implementation). Deliveries
 * with the same key in one batch are kept once (the first).
 *
 * @since 0.1.0
 * @category constructors
 */
export const prepare = (
  deliveries: ReadonlyArray<NewDelivery>
): Effect.Effect<ReadonlyArray<Delivery>, DeliveryInputError> =>
  Effect.gen(function* () {
    const decoded = yield* Effect.mapError(decodeNew(deliveries), inputError)
    const now = yield* Clock.currentTimeMillis
    const seen = new Set<string>()
    const out: Array<Delivery> = []
    for (const d of decoded) {
      const id = idempotencyKey(d.tenantId, d.eventId, d.recipientId, d.channel)
      if (seen.has(`${d.tenantId}\u0000${id}`)) continue
      seen.add(`${d.tenantId}\u0000${id}`)
      const nextAttemptAt = d.nextAttemptAt ?? new Date(now)
      if (!Number.isFinite(nextAttemptAt.getTime())) {
        return yield* new DeliveryInputError({ detail: "nextAttemptAt 不是有效时间" })
      }
      // every field was decoded above (NewDelivery is as strict as Delivery or stricter), the id is
      // a SHA-256 in hex and the times are finite: validating again would only cost time
      out.push(
        new Delivery(
          {
            tenantId: d.tenantId,
            id,
            eventId: d.eventId,
            eventType: d.eventType,
            subscriptionId: d.subscriptionId,
            recipientId: d.recipientId,
            channel: d.channel,
            address: d.address,
            locale: d.locale,
            priority: d.priority,
            ...(d.templateId === undefined ? {} : { templateId: d.templateId }),
            subject: d.subject,
            body: d.body,
            ...(d.data === undefined ? {} : { data: d.data }),
            status: d.status ?? "pending",
            attempts: 0,
            nextAttemptAt,
            createdAt: new Date(now),
            updatedAt: new Date(now)
          },
          true
        )
      )
    }
    return out
  })

/**
 * Decodes claim options (shared by every implementation).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeClaimOptions = (options: ClaimOptions) => Effect.mapError(decodeClaim(options), inputError)

/**
 * Zero for every status.
 *
 * @since 0.1.0
 * @category constructors
 */
export const emptyCounts = (): Record<DeliveryStatus, number> => ({
  pending: 0,
  sending: 0,
  delivered: 0,
  retrying: 0,
  dead: 0,
  digest: 0,
  digested: 0
})

/**
 * The list cursor of a delivery: its recording time and id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const cursorOf = (delivery: Delivery): string => `${delivery.createdAt.getTime()}.${delivery.id}`

/**
 * Reads a list cursor back; `undefined` when it is malformed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const parseCursor = (cursor: string): { readonly createdAt: number; readonly id: string } | undefined => {
  const match = /^(\d{1,16})\.([0-9a-f]{64})$/.exec(cursor)
  return match ? { createdAt: Number(match[1]), id: match[2] } : undefined
}

/**
 * A short, safe description of an error for `lastError` (at most 1000 characters).
 *
 * @since 0.1.0
 * @category constructors
 */
export const truncateError = (text: string): string => (text.length > 1000 ? `${text.slice(0, 999)}…` : text)

const badListLimit = (operation: string) =>
  new StorageError({
    operation,
    reason: "每页条数应在 1 到 10000 之间 / limit must be between 1 and 10000",
    retryable: false
  })

/**
 * Checks the list options (shared by every implementation).
 *
 * @since 0.1.0
 * @category constructors
 */
export const checkListOptions = (
  options: ListOptions
): Effect.Effect<{ readonly after: { readonly createdAt: number; readonly id: string } | undefined }, StorageError> => {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 10_000) {
    return Effect.fail(badListLimit("deliveries.list"))
  }
  if (options.cursor === undefined) return Effect.succeed({ after: undefined })
  const after = parseCursor(options.cursor)
  return after === undefined
    ? Effect.fail(
        new StorageError({ operation: "deliveries.list", reason: "分页游标无效 / invalid cursor", retryable: false })
      )
    : Effect.succeed({ after })
}

/**
 * The in-memory delivery store (reference implementation). It joins memory transactions.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<DeliveriesShape> = MemoryDeliveries.make({
  prepare,
  decodeClaimOptions,
  checkListOptions,
  cursorOf,
  emptyCounts,
  truncateError,
  priorityRank,
  Delivery,
  DeliveryInputError
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<Deliveries> = Layer.effect(Deliveries, makeMemory)

/**
 * The delivery store over `@effect/sql`'s `SqlClient` (SQLite, PostgreSQL, MySQL/MariaDB; table
 * `gongzhi_deliveries` from `NotificationMigrations`). Inserts join the caller's transaction and
 * skip recorded keys (`ON CONFLICT DO NOTHING`, MySQL `ON DUPLICATE KEY UPDATE`); several
 * dispatchers may claim at once (`FOR UPDATE SKIP LOCKED` on PostgreSQL and MySQL, one atomic
 * `UPDATE … RETURNING` on SQLite). Times come from Effect's `Clock`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<Deliveries, never, SqlClient.SqlClient | FieldCipher> = Layer.effect(
  Deliveries,
  SqlDeliveries.make({ prepare, decodeClaimOptions, checkListOptions, Delivery, DeliveryInputError, DeliveryStatus })
)

/**
 * Retention (保存期限): deletes a tenant's deliveries delivered more than `keepFor` ago (by Effect's
 * `Clock`). Run it from the application's scheduler, e.g. daily, per tenant:
 *
 * ```ts
 * import { Delivery } from "@gongzhi/core"
 *
 * const nightly = Delivery.purgeOlderThan(tenantId, "180 days")
 * ```
 *
 * @since 0.1.0
 * @category retention
 */
export const purgeOlderThan = (
  tenantId: TenantId,
  keepFor: Duration.DurationInput
): Effect.Effect<number, StorageError | DeliveryInputError, Deliveries> =>
  Effect.gen(function* () {
    const millis = Duration.toMillis(Duration.decode(keepFor))
    if (!Number.isFinite(millis) || millis < 0) {
      return yield* new DeliveryInputError({ detail: "保存期限应为有限的非负时长 / keepFor must be a finite duration" })
    }
    const now = yield* Clock.currentTimeMillis
    return yield* Effect.flatMap(Deliveries, (deliveries) =>
      deliveries.purgeDelivered(tenantId, new Date(now - millis))
    )
  })
