import { Clock, Effect, Option } from "effect"
import type * as DeliveryModule from "../Delivery.js"
import type { DeliveriesShape, Delivery } from "../Delivery.js"
import * as Page from "../Page.js"
import { registerRollback } from "../Transactor.js"

/**
 * What this implementation takes from the public `Delivery` module: passed in rather than imported,
 * so that `Delivery.ts` can build `makeMemory` from this file without an import cycle.
 */
export interface Module {
  readonly prepare: typeof DeliveryModule.prepare
  readonly decodeClaimOptions: typeof DeliveryModule.decodeClaimOptions
  readonly checkListOptions: typeof DeliveryModule.checkListOptions
  readonly cursorOf: typeof DeliveryModule.cursorOf
  readonly emptyCounts: typeof DeliveryModule.emptyCounts
  readonly truncateError: typeof DeliveryModule.truncateError
  readonly priorityRank: typeof DeliveryModule.priorityRank
  readonly Delivery: typeof DeliveryModule.Delivery
  readonly DeliveryInputError: typeof DeliveryModule.DeliveryInputError
}

const isDue = (row: Delivery, now: number) =>
  ((row.status === "pending" || row.status === "retrying") && row.nextAttemptAt.getTime() <= now) ||
  (row.status === "sending" && (row.leaseUntil?.getTime() ?? 0) <= now)

const with_ = (module: Module, row: Delivery, patch: Partial<Delivery>, now: number): Delivery => {
  const next: Record<string, unknown> = { ...row, ...patch, updatedAt: new Date(now) }
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key]
  return new module.Delivery(next as any, { disableValidation: true })
}

/** How addresses compare for {@link DeliveriesShape.purgeAddress}: the field cipher's `text` blind-index normaliser. */
const normalizeAddress = (address: string) => address.normalize("NFKC").trim().replace(/\s+/g, " ")

/** The in-memory delivery store (reference implementation). It joins memory transactions. */
export const make = (module: Module): Effect.Effect<DeliveriesShape> =>
  Effect.sync(() => {
    const {
      DeliveryInputError,
      checkListOptions,
      cursorOf,
      decodeClaimOptions,
      emptyCounts,
      prepare,
      priorityRank,
      truncateError
    } = module
    const rows = new Map<string, Delivery>()
    const key = (tenantId: string, id: string) => `${tenantId}\u0000${id}`
    const put = (row: Delivery) =>
      Effect.suspend(() => {
        const k = key(row.tenantId, row.id)
        const before = rows.get(k)
        rows.set(k, row)
        return registerRollback(() => (before === undefined ? rows.delete(k) : rows.set(k, before)))
      })

    const insert: DeliveriesShape["insert"] = (deliveries) =>
      Effect.gen(function* () {
        const prepared = yield* prepare(deliveries)
        let inserted = 0
        for (const row of prepared) {
          if (rows.has(key(row.tenantId, row.id))) continue
          yield* put(row)
          inserted++
        }
        return inserted
      })

    const claim: DeliveriesShape["claim"] = (options) =>
      Effect.gen(function* () {
        const o = yield* decodeClaimOptions(options)
        const now = yield* Clock.currentTimeMillis
        const due = [...rows.values()]
          .filter((row) => row.tenantId === o.tenantId && isDue(row, now))
          .sort(
            (a, b) =>
              priorityRank[b.priority] - priorityRank[a.priority] ||
              a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
              (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
          )
          .slice(0, o.limit)
        const claimed: Array<Delivery> = []
        for (const row of due) {
          const next = with_(
            module,
            row,
            {
              status: "sending",
              attempts: row.attempts + 1,
              claimedBy: o.workerId,
              leaseUntil: new Date(now + o.leaseMillis)
            },
            now
          )
          yield* put(next)
          claimed.push(next)
        }
        return claimed
      })

    const update = (
      tenantId: string,
      id: string,
      when: (row: Delivery) => boolean,
      patch: (row: Delivery) => Partial<Delivery>
    ) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const row = rows.get(key(tenantId, id))
        if (row === undefined || !when(row)) return false
        yield* put(with_(module, row, patch(row), now))
        return true
      })

    const held = (workerId: string) => (row: Delivery) => row.status === "sending" && row.claimedBy === workerId

    const markDelivered: DeliveriesShape["markDelivered"] = (tenantId, id, receipt) =>
      update(
        tenantId,
        id,
        (row) => row.status !== "delivered",
        () => ({
          status: "delivered",
          claimedBy: undefined,
          leaseUntil: undefined,
          providerMessageId: receipt.providerMessageId,
          deliveredAt: receipt.deliveredAt
        })
      )

    const markDeliveredMany: DeliveriesShape["markDeliveredMany"] = (tenantId, receipts) =>
      Effect.reduce(receipts, 0, (total, receipt) =>
        Effect.map(markDelivered(tenantId, receipt.id, receipt), (changed) => total + (changed ? 1 : 0))
      )

    const markRetry: DeliveriesShape["markRetry"] = (tenantId, workerId, id, options) =>
      update(tenantId, id, held(workerId), () => ({
        status: "retrying",
        nextAttemptAt: options.retryAt,
        claimedBy: undefined,
        leaseUntil: undefined,
        lastError: truncateError(options.error)
      }))

    const markDead: DeliveriesShape["markDead"] = (tenantId, workerId, id, error) =>
      update(tenantId, id, held(workerId), () => ({
        status: "dead",
        claimedBy: undefined,
        leaseUntil: undefined,
        lastError: truncateError(error)
      }))

    const release: DeliveriesShape["release"] = (tenantId, workerId, ids) =>
      Effect.reduce(ids, 0, (total, id) =>
        Effect.map(
          update(tenantId, id, held(workerId), (row) => ({
            status: row.attempts > 1 ? "retrying" : "pending",
            attempts: Math.max(0, row.attempts - 1),
            claimedBy: undefined,
            leaseUntil: undefined
          })),
          (changed) => total + (changed ? 1 : 0)
        )
      )

    const digest: DeliveriesShape["digest"] = (tenantId, summary, itemIds) =>
      Effect.gen(function* () {
        const [prepared] = yield* prepare([summary])
        if (prepared === undefined || prepared.tenantId !== tenantId) {
          return yield* new DeliveryInputError({ detail: "摘要投递的租户与参数不一致" })
        }
        if (rows.has(key(tenantId, prepared.id))) return false
        yield* put(prepared)
        for (const id of itemIds) {
          yield* update(
            tenantId,
            id,
            (row) => row.status === "digest",
            () => ({ status: "digested", digestId: prepared.id })
          )
        }
        return true
      })

    const requeue: DeliveriesShape["requeue"] = (tenantId, id) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        update(
          tenantId,
          id,
          (row) => row.status === "dead",
          () => ({ status: "pending", attempts: 0, nextAttemptAt: new Date(now) })
        )
      )

    const get: DeliveriesShape["get"] = (tenantId, id) =>
      Effect.sync(() => Option.fromNullable(rows.get(key(tenantId, id))))

    const list: DeliveriesShape["list"] = (tenantId, options) =>
      Effect.map(checkListOptions(options), ({ after }) => {
        const before = options.createdBefore?.getTime()
        const matching = [...rows.values()]
          .filter(
            (row) =>
              row.tenantId === tenantId &&
              (options.status === undefined || row.status === options.status) &&
              (options.eventId === undefined || row.eventId === options.eventId) &&
              (options.recipientId === undefined || row.recipientId === options.recipientId) &&
              (before === undefined || row.createdAt.getTime() < before) &&
              (after === undefined ||
                row.createdAt.getTime() > after.createdAt ||
                (row.createdAt.getTime() === after.createdAt && row.id > after.id))
          )
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        const items = matching.slice(0, options.limit)
        const next = matching.length > options.limit ? cursorOf(items[items.length - 1]) : undefined
        return Page.make(items, next)
      })

    const countByStatus: DeliveriesShape["countByStatus"] = (tenantId) =>
      Effect.sync(() => {
        const counts = emptyCounts()
        for (const row of rows.values()) if (row.tenantId === tenantId) counts[row.status]++
        return counts
      })

    const purgeDelivered: DeliveriesShape["purgeDelivered"] = (tenantId, deliveredBefore) =>
      purgeWhere(
        (row) =>
          row.tenantId === tenantId &&
          ((row.status === "delivered" &&
            (row.deliveredAt?.getTime() ?? Number.POSITIVE_INFINITY) < deliveredBefore.getTime()) ||
            (row.status === "digested" && row.updatedAt.getTime() < deliveredBefore.getTime()))
      )

    const purgeAddress: DeliveriesShape["purgeAddress"] = (tenantId, address) => {
      const wanted = normalizeAddress(address)
      return purgeWhere((row) => row.tenantId === tenantId && normalizeAddress(row.address) === wanted)
    }

    const purgeWhere = (predicate: (row: Delivery) => boolean) =>
      Effect.sync(() => {
        let purged = 0
        for (const [k, row] of rows) {
          if (predicate(row)) {
            rows.delete(k)
            purged++
          }
        }
        return purged
      })

    return {
      purgeDelivered,
      purgeAddress,
      protectAddresses: () => Effect.succeed(0),
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
