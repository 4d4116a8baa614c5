import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Array as Arr, Clock, Effect, Option, Schema } from "effect"
import type * as DeliveryModule from "../Delivery.js"
import type { DeliveriesShape, Delivery, DeliveryId, DeliveryStatus } from "../Delivery.js"
import { FieldCipher, type FieldCipherError } from "../FieldCipher.js"
import type { Priority } from "../Notifier.js"
import * as Page from "../Page.js"
import { StorageError } from "../StorageError.js"
import { affectedRows, jsonText, limitLiteral, toMillis } from "./sql/common.js"
import * as Lease from "./sql/lease.js"
import { fromSqlError } from "./sqlError.js"

/**
 * What this implementation takes from the public `Delivery` module: passed in rather than imported,
 * so that `Delivery.ts` can build `layerSql` from this file without an import cycle.
 */
export interface Module {
  readonly prepare: typeof DeliveryModule.prepare
  readonly decodeClaimOptions: typeof DeliveryModule.decodeClaimOptions
  readonly checkListOptions: typeof DeliveryModule.checkListOptions
  readonly Delivery: typeof DeliveryModule.Delivery
  readonly DeliveryInputError: typeof DeliveryModule.DeliveryInputError
  readonly DeliveryStatus: typeof DeliveryModule.DeliveryStatus
}

type Millis = number | string | bigint

interface Row {
  readonly tenant_id: string
  readonly id: string
  readonly event_id: string
  readonly event_type: string
  readonly subscription_id: string
  readonly recipient_id: string
  readonly channel: string
  readonly address: string
  readonly locale: string
  readonly priority: number | string
  readonly template_id: string | null
  readonly subject: string
  readonly body: string
  readonly template_data: string | null
  readonly status: string
  readonly attempts: number | string | bigint
  readonly next_attempt_at: Millis
  readonly claimed_by: string | null
  readonly lease_until: Millis | null
  readonly last_error: string | null
  readonly provider_message_id: string | null
  readonly delivered_at: Millis | null
  readonly digest_id: string | null
  readonly created_at: Millis
  readonly updated_at: Millis
}

/** Rows per INSERT statement (25 columns each: far below every dialect's parameter limit). */
const INSERT_CHUNK = 200
/** Receipts per UPDATE of `markDeliveredMany` (three parameters each). */
const RECEIPT_CHUNK = 100
/** Ids per `IN (…)` list. */
const ID_CHUNK = 500

const PRIORITY_BY_RANK: ReadonlyArray<Priority> = ["low", "normal", "high", "urgent"]
const RANK: Readonly<Record<Priority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 }

const optional = <K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } =>
  (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V }

/** The prefix of a field ciphertext: an address without it is a row recorded before addresses were encrypted. */
const CIPHERTEXT_PREFIX = "gz1."
/** Legacy rows encrypted per statement of `protectAddresses`. */
const PROTECT_CHUNK = 200

/** The cipher context of an address: its column, tenant and record, so a copied ciphertext does not decrypt. */
export const addressContext = (tenantId: string, id: string): ReadonlyArray<string> => [
  "gongzhi_deliveries.address",
  tenantId,
  id
]

/** The blind-index context of addresses: one per tenant, so one person's records are found across records. */
export const addressIndexContext = (tenantId: string): ReadonlyArray<string> => ["gongzhi_deliveries.address", tenantId]

export const make = (module: Module): Effect.Effect<DeliveriesShape, never, SqlClient.SqlClient | FieldCipher> =>
  Effect.gen(function* () {
    const cipher = yield* FieldCipher
    const cipherError = (operation: string) => (cause: FieldCipherError) =>
      new StorageError({
        operation,
        reason: "投递地址无法加密或解密（密钥配置有误？）/ delivery address cannot be encrypted or decrypted",
        retryable: false,
        cause
      })
    const sealAddress = (tenantId: string, id: string, address: string) =>
      Effect.all({
        address: cipher.encrypt(address, { context: addressContext(tenantId, id) }),
        address_index: cipher.blindIndex(address, { kind: "text", context: addressIndexContext(tenantId) })
      })
    const openAddress = (row: Row) =>
      row.address.startsWith(CIPHERTEXT_PREFIX)
        ? Effect.map(
            cipher.decryptToString(row.address, { context: addressContext(row.tenant_id, row.id) }),
            (address): Row => ({ ...row, address })
          )
        : Effect.succeed(row)
    const { Delivery, DeliveryInputError } = module
    const decodeStatus = Schema.decodeUnknownSync(module.DeliveryStatus)
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const storageError = (operation: string) => (error: SqlError) => fromSqlError(operation, error)
    const columns = sql`tenant_id, id, event_id, event_type, subscription_id, recipient_id, channel, address, locale,
      priority, template_id, subject, ${jsonText(sql, "body")} AS body, ${jsonText(sql, "template_data")} AS template_data,
      status, attempts, next_attempt_at, claimed_by, lease_until, last_error, provider_message_id, delivered_at,
      digest_id, created_at, updated_at`

    const toDelivery = (row: Row): Delivery => {
      const rank = Number(row.priority)
      return new Delivery({
        tenantId: row.tenant_id as Delivery["tenantId"],
        id: row.id as DeliveryId,
        eventId: row.event_id,
        eventType: row.event_type,
        subscriptionId: row.subscription_id,
        recipientId: row.recipient_id,
        channel: row.channel as Delivery["channel"],
        address: row.address,
        locale: row.locale === "en" ? "en" : "zh-CN",
        priority: PRIORITY_BY_RANK[rank] ?? "normal",
        ...optional("templateId", row.template_id),
        subject: row.subject,
        body: JSON.parse(row.body) as Delivery["body"],
        ...optional("data", row.template_data === null ? null : (JSON.parse(row.template_data) as unknown)),
        status: decodeStatus(row.status),
        attempts: Number(row.attempts),
        nextAttemptAt: new Date(toMillis(row.next_attempt_at)),
        ...optional("claimedBy", row.claimed_by),
        ...optional("leaseUntil", row.lease_until === null ? null : new Date(toMillis(row.lease_until))),
        ...optional("lastError", row.last_error),
        ...optional("providerMessageId", row.provider_message_id),
        ...optional("deliveredAt", row.delivered_at === null ? null : new Date(toMillis(row.delivered_at))),
        ...optional("digestId", row.digest_id as DeliveryId | null),
        createdAt: new Date(toMillis(row.created_at)),
        updatedAt: new Date(toMillis(row.updated_at))
      })
    }

    const decodeRows = (operation: string, rows: ReadonlyArray<Row>) =>
      Effect.flatMap(Effect.mapError(Effect.forEach(rows, openAddress), cipherError(operation)), (opened) =>
        decodeOpened(operation, opened)
      )

    const decodeOpened = (operation: string, rows: ReadonlyArray<Row>) =>
      Effect.try({
        try: () => rows.map(toDelivery),
        catch: (cause) =>
          new StorageError({
            operation,
            reason: "数据库中的投递记录无法解读 / stored delivery row cannot be decoded",
            retryable: false,
            cause
          })
      })

    const toRow = (delivery: Delivery) =>
      Effect.flatMap(toPlainRow(delivery), (row) =>
        Effect.map(
          Effect.mapError(
            sealAddress(delivery.tenantId, delivery.id, delivery.address),
            cipherError("deliveries.insert")
          ),
          (sealed) => ({ ...row, ...sealed })
        )
      )

    const toPlainRow = (delivery: Delivery) =>
      Effect.try({
        try: () => ({
          tenant_id: delivery.tenantId,
          id: delivery.id,
          event_id: delivery.eventId,
          event_type: delivery.eventType,
          subscription_id: delivery.subscriptionId,
          recipient_id: delivery.recipientId,
          channel: delivery.channel,
          address: delivery.address,
          locale: delivery.locale,
          priority: RANK[delivery.priority],
          template_id: delivery.templateId ?? null,
          subject: delivery.subject,
          body: JSON.stringify(delivery.body),
          template_data: delivery.data === undefined ? null : (JSON.stringify(delivery.data) ?? null),
          status: delivery.status,
          attempts: delivery.attempts,
          next_attempt_at: delivery.nextAttemptAt.getTime(),
          created_at: delivery.createdAt.getTime(),
          updated_at: delivery.updatedAt.getTime()
        }),
        catch: () =>
          new DeliveryInputError({ detail: "模板数据无法编码为 JSON / template data is not JSON-serialisable" })
      })

    // Skips rows whose key (primary key, or the (tenant, event, recipient, channel) rule) exists.
    // MySQL: INSERT IGNORE, whose affected-row count is exact (ON DUPLICATE KEY UPDATE's is not
    // with mysql2's FOUND_ROWS flag); the values were validated before, so nothing is truncated.
    const insertStatement = (rows: ReadonlyArray<Record<string, unknown>>): Effect.Effect<unknown, SqlError> =>
      sql.onDialectOrElse({
        mysql: () =>
          sql`INSERT IGNORE INTO gongzhi_deliveries ${sql.insert(rows as Array<Record<string, unknown>>)}`.raw,
        orElse: () =>
          sql`INSERT INTO gongzhi_deliveries ${sql.insert(rows as Array<Record<string, unknown>>)} ON CONFLICT DO NOTHING`
            .raw
      })

    const insertPrepared = (prepared: ReadonlyArray<Delivery>) =>
      Effect.gen(function* () {
        if (prepared.length === 0) return 0
        const rows = yield* Effect.forEach(prepared, toRow)
        const chunks = Arr.chunksOf(rows, INSERT_CHUNK)
        const run = Effect.reduce(chunks, 0, (total, chunk) =>
          Effect.map(insertStatement(chunk), (raw) => total + affectedRows(raw))
        )
        return yield* (chunks.length > 1 ? sql.withTransaction(run) : run).pipe(
          Effect.mapError(storageError("deliveries.insert"))
        )
      })

    const insert: DeliveriesShape["insert"] = (deliveries) => Effect.flatMap(module.prepare(deliveries), insertPrepared)

    const queue: Lease.LeaseQueue<Row> = {
      table: "gongzhi_deliveries",
      operation: "deliveries.claim",
      columns,
      leasedStatus: "sending",
      claimable: (tenantId, now) =>
        sql`tenant_id = ${tenantId} AND ((status IN ('pending', 'retrying') AND next_attempt_at <= ${now}) OR (status = 'sending' AND lease_until <= ${now}))`,
      order: sql.literal("priority DESC, next_attempt_at, id"),
      lease: (workerId, leaseUntil, now) =>
        sql`status = 'sending', attempts = attempts + 1, claimed_by = ${workerId}, lease_until = ${leaseUntil}, updated_at = ${now}`,
      leased: (row, workerId, leaseUntil, now) => ({
        ...row,
        status: "sending",
        attempts: Number(row.attempts) + 1,
        claimed_by: workerId,
        lease_until: leaseUntil,
        updated_at: now
      })
    }
    const claimRows = Lease.claim(sql, queue)

    const byClaimOrder = (a: Delivery, b: Delivery) =>
      RANK[b.priority] - RANK[a.priority] ||
      a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

    const claim: DeliveriesShape["claim"] = (options) =>
      Effect.gen(function* () {
        const o = yield* module.decodeClaimOptions(options)
        const now = yield* Clock.currentTimeMillis
        const rows = yield* claimRows(o.tenantId, o.workerId, o.limit, now, now + o.leaseMillis)
        // a row whose address does not decrypt (a lost key, a copied ciphertext) never becomes
        // sendable: it is dead-lettered at once instead of failing every claim of the tenant
        const opened = yield* Effect.forEach(rows, (row) =>
          Effect.match(openAddress(row), { onFailure: () => undefined, onSuccess: (r) => r })
        )
        const unreadable = rows.filter((_, i) => opened[i] === undefined).map((row) => row.id)
        if (unreadable.length > 0) {
          yield* sql`UPDATE gongzhi_deliveries SET status = 'dead', claimed_by = NULL, lease_until = NULL,
          last_error = ${"投递地址无法解密 / address cannot be decrypted"}, updated_at = ${now}
          WHERE ${Lease.held(sql, queue, o.tenantId, o.workerId)} AND ${sql.in("id", unreadable)}`.pipe(
            Effect.mapError(storageError("deliveries.claim"))
          )
        }
        const deliveries = yield* decodeOpened(
          "deliveries.claim",
          opened.filter((row): row is Row => row !== undefined)
        )
        return [...deliveries].sort(byClaimOrder)
      })

    const changed = (operation: string, statement: Effect.Effect<unknown, SqlError>) =>
      Effect.map(Effect.mapError(statement, storageError(operation)), (raw) => affectedRows(raw) > 0)

    const markDelivered: DeliveriesShape["markDelivered"] = (tenantId, id, receipt) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        changed(
          "deliveries.markDelivered",
          sql`UPDATE gongzhi_deliveries SET status = 'delivered', claimed_by = NULL, lease_until = NULL,
          provider_message_id = ${receipt.providerMessageId ?? null}, delivered_at = ${receipt.deliveredAt.getTime()},
          updated_at = ${now}
          WHERE tenant_id = ${tenantId} AND id = ${id} AND status <> 'delivered'`.raw
        )
      )

    // One UPDATE per chunk: the receipts go in through CASE (times as integer literals, so that no
    // dialect has to guess a parameter's type); rows already delivered are left alone.
    const markDeliveredMany: DeliveriesShape["markDeliveredMany"] = (tenantId, receipts) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.reduce(Arr.chunksOf(receipts, RECEIPT_CHUNK), 0, (total, chunk) => {
          const unique = [...new Map(chunk.map((receipt) => [receipt.id, receipt])).values()]
          const millis = (receipt: DeliveryModule.DeliveredReceiptOf) => {
            const value = receipt.deliveredAt.getTime()
            return sql.literal(String(Number.isSafeInteger(value) ? value : now))
          }
          const messageIds = unique.map((receipt) => sql`WHEN ${receipt.id} THEN ${receipt.providerMessageId ?? null}`)
          const times = unique.map((receipt) => sql`WHEN ${receipt.id} THEN ${millis(receipt)}`)
          return Effect.map(
            Effect.mapError(
              sql`UPDATE gongzhi_deliveries SET status = 'delivered', claimed_by = NULL, lease_until = NULL,
              provider_message_id = CASE id ${sql.join(" ", false)(messageIds)} END,
              delivered_at = CASE id ${sql.join(" ", false)(times)} END, updated_at = ${now}
              WHERE tenant_id = ${tenantId} AND ${sql.in(
                "id",
                unique.map((receipt) => receipt.id)
              )} AND status <> 'delivered'`.raw,
              storageError("deliveries.markDeliveredMany")
            ),
            (raw) => total + affectedRows(raw)
          )
        })
      )

    const truncate = (text: string) => (text.length > 1000 ? `${text.slice(0, 999)}…` : text)

    const markRetry: DeliveriesShape["markRetry"] = (tenantId, workerId, id, options) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        changed(
          "deliveries.markRetry",
          sql`UPDATE gongzhi_deliveries SET status = 'retrying', next_attempt_at = ${options.retryAt.getTime()},
          claimed_by = NULL, lease_until = NULL, last_error = ${truncate(options.error)}, updated_at = ${now}
          WHERE ${Lease.held(sql, queue, tenantId, workerId)} AND id = ${id}`.raw
        )
      )

    const markDead: DeliveriesShape["markDead"] = (tenantId, workerId, id, error) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        changed(
          "deliveries.markDead",
          sql`UPDATE gongzhi_deliveries SET status = 'dead', claimed_by = NULL, lease_until = NULL,
          last_error = ${truncate(error)}, updated_at = ${now}
          WHERE ${Lease.held(sql, queue, tenantId, workerId)} AND id = ${id}`.raw
        )
      )

    // `status` is assigned before `attempts`: MySQL evaluates SET left to right with new values.
    const release: DeliveriesShape["release"] = (tenantId, workerId, ids) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.reduce(Arr.chunksOf(ids, ID_CHUNK), 0, (total, chunk) =>
          Effect.map(
            Effect.mapError(
              sql`UPDATE gongzhi_deliveries
              SET status = CASE WHEN attempts > 1 THEN 'retrying' ELSE 'pending' END,
                attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,
                claimed_by = NULL, lease_until = NULL, updated_at = ${now}
              WHERE ${Lease.held(sql, queue, tenantId, workerId)} AND ${sql.in("id", chunk)}`.raw,
              storageError("deliveries.release")
            ),
            (raw) => total + affectedRows(raw)
          )
        )
      )

    const digest: DeliveriesShape["digest"] = (tenantId, summary, itemIds) =>
      Effect.gen(function* () {
        const [prepared] = yield* module.prepare([summary])
        if (prepared === undefined || prepared.tenantId !== tenantId) {
          return yield* new DeliveryInputError({ detail: "摘要投递的租户与参数不一致" })
        }
        const row = yield* toRow(prepared)
        const now = yield* Clock.currentTimeMillis
        return yield* sql
          .withTransaction(
            Effect.gen(function* () {
              const inserted = affectedRows(yield* insertStatement([row]))
              if (inserted === 0) return false
              yield* Effect.forEach(
                Arr.chunksOf(itemIds, ID_CHUNK),
                (chunk) =>
                  sql`UPDATE gongzhi_deliveries SET status = 'digested', digest_id = ${prepared.id}, updated_at = ${now}
                  WHERE tenant_id = ${tenantId} AND status = 'digest' AND ${sql.in("id", chunk)}`,
                { discard: true }
              )
              return true
            })
          )
          .pipe(Effect.mapError(storageError("deliveries.digest")))
      })

    const requeue: DeliveriesShape["requeue"] = (tenantId, id) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        changed(
          "deliveries.requeue",
          sql`UPDATE gongzhi_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ${now}, updated_at = ${now}
          WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'dead'`.raw
        )
      )

    const get: DeliveriesShape["get"] = (tenantId, id) =>
      Effect.gen(function* () {
        const rows =
          yield* sql<Row>`SELECT ${columns} FROM gongzhi_deliveries WHERE tenant_id = ${tenantId} AND id = ${id}`.pipe(
            Effect.mapError(storageError("deliveries.get"))
          )
        const [delivery] = yield* decodeRows("deliveries.get", rows)
        return Option.fromNullable(delivery)
      })

    const list: DeliveriesShape["list"] = (tenantId, options) =>
      Effect.gen(function* () {
        const { after } = yield* module.checkListOptions(options)
        const conditions = [sql`tenant_id = ${tenantId}`]
        if (options.status !== undefined) conditions.push(sql`status = ${options.status}`)
        if (options.eventId !== undefined) conditions.push(sql`event_id = ${options.eventId}`)
        if (options.recipientId !== undefined) conditions.push(sql`recipient_id = ${options.recipientId}`)
        if (options.createdBefore !== undefined) conditions.push(sql`created_at < ${options.createdBefore.getTime()}`)
        if (after !== undefined) {
          conditions.push(
            sql`(created_at > ${after.createdAt} OR (created_at = ${after.createdAt} AND id > ${after.id}))`
          )
        }
        const rows = yield* sql<Row>`SELECT ${columns} FROM gongzhi_deliveries WHERE ${sql.and(conditions)}
        ORDER BY created_at, id LIMIT ${limitLiteral(sql, options.limit + 1)}`.pipe(
          Effect.mapError(storageError("deliveries.list"))
        )
        const items = yield* decodeRows("deliveries.list", rows.slice(0, options.limit))
        const last = items[items.length - 1]
        return Page.make(
          items,
          rows.length > options.limit && last ? `${last.createdAt.getTime()}.${last.id}` : undefined
        )
      })

    const countByStatus: DeliveriesShape["countByStatus"] = (tenantId) =>
      Effect.gen(function* () {
        const rows = yield* sql<{
          readonly status: string
          readonly n: number | string | bigint
        }>`SELECT status, COUNT(*) AS n FROM gongzhi_deliveries WHERE tenant_id = ${tenantId} GROUP BY status`.pipe(
          Effect.mapError(storageError("deliveries.countByStatus"))
        )
        const counts: Record<DeliveryStatus, number> = {
          pending: 0,
          sending: 0,
          delivered: 0,
          retrying: 0,
          dead: 0,
          digest: 0,
          digested: 0
        }
        for (const row of rows) {
          if (Object.hasOwn(counts, row.status)) counts[row.status as DeliveryStatus] = Number(row.n)
        }
        return counts
      })

    const purgeDelivered: DeliveriesShape["purgeDelivered"] = (tenantId, deliveredBefore) =>
      Effect.map(
        Effect.mapError(
          sql`DELETE FROM gongzhi_deliveries WHERE tenant_id = ${tenantId} AND (
            (status = 'delivered' AND delivered_at < ${deliveredBefore.getTime()})
            OR (status = 'digested' AND updated_at < ${deliveredBefore.getTime()}))`.raw,
          storageError("deliveries.purgeDelivered")
        ),
        affectedRows
      )

    // Rows recorded before addresses were encrypted have no index: they match by their plain text.
    const purgeAddress: DeliveriesShape["purgeAddress"] = (tenantId, address) =>
      Effect.gen(function* () {
        const index = yield* Effect.mapError(
          cipher.blindIndex(address, { kind: "text", context: addressIndexContext(tenantId) }),
          cipherError("deliveries.purgeAddress")
        )
        const raw = yield* sql`DELETE FROM gongzhi_deliveries WHERE tenant_id = ${tenantId}
          AND (address_index = ${index} OR (address_index IS NULL AND address = ${address}))`.raw.pipe(
          Effect.mapError(storageError("deliveries.purgeAddress"))
        )
        return affectedRows(raw)
      })

    // Encrypts the addresses of rows recorded before addresses were encrypted, a chunk at a time;
    // each row is updated only if it is still unprotected, so concurrent runs do no harm.
    const protectAddresses: DeliveriesShape["protectAddresses"] = () =>
      Effect.gen(function* () {
        let total = 0
        while (true) {
          const rows = yield* sql<{
            readonly tenant_id: string
            readonly id: string
            readonly address: string
          }>`SELECT tenant_id, id, address FROM gongzhi_deliveries WHERE address_index IS NULL
          ORDER BY tenant_id, id LIMIT ${limitLiteral(sql, PROTECT_CHUNK)}`.pipe(
            Effect.mapError(storageError("deliveries.protectAddresses"))
          )
          if (rows.length === 0) return total
          const before = total
          for (const row of rows) {
            const sealed = row.address.startsWith(CIPHERTEXT_PREFIX)
              ? {
                  address: row.address,
                  address_index: yield* Effect.flatMap(
                    cipher.decrypt(row.address, { context: addressContext(row.tenant_id, row.id) }),
                    (plain) => cipher.blindIndex(plain, { kind: "text", context: addressIndexContext(row.tenant_id) })
                  ).pipe(Effect.mapError(cipherError("deliveries.protectAddresses")))
                }
              : yield* Effect.mapError(
                  sealAddress(row.tenant_id, row.id, row.address),
                  cipherError("deliveries.protectAddresses")
                )
            const raw = yield* sql`UPDATE gongzhi_deliveries SET address = ${sealed.address},
              address_index = ${sealed.address_index}
              WHERE tenant_id = ${row.tenant_id} AND id = ${row.id} AND address_index IS NULL`.raw.pipe(
              Effect.mapError(storageError("deliveries.protectAddresses"))
            )
            total += affectedRows(raw)
          }
          // another process protected them first: what is left is for its next round
          if (total === before) return total
        }
      })

    return {
      purgeDelivered,
      purgeAddress,
      protectAddresses,
      insert,
      claim,
      markDelivered,
      markDeliveredMany,
      markRetry,
      markDead,
      release,
      digest,
      requeue,
      get,
      list,
      countByStatus
    }
  })
