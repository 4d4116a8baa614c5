/**
 * The city link service (市区联动): one `sync` round exchanges the district's credit information with
 * the city platform through the `CitySync` port, idempotently on both sides.
 *
 * A round (1) pulls what the city published after the stored cursor, page by page, and ingests it —
 * each page and the cursor after it commit together, so a page received twice, or messages repeated
 * or reordered within and across pages, change nothing twice; (2) queues every district record and
 * decided list entry whose text changed since it was last queued (`credit_city_messages`, one row per
 * key with its version); (3) pushes the queue in batches named by an idempotency key and marks each
 * version acknowledged only after the city's receipt. A round that fails (city down, slow, a refused
 * file) keeps what it committed; the next round continues from there.
 *
 * Conflicts follow 「发现/认定单位的版本为准」 (the finding or deciding unit's version prevails): a record
 * found (or a list entry decided) by a district unit keeps the district's version — when the city sends
 * a different text of it, the district's version is queued again and pushed; a record the city found
 * keeps the city's version — the district stores the highest version the city sent (two texts of one
 * version: the greater fingerprint, so the outcome never depends on the order of arrival) and never
 * edits it. Records of other districts relayed by the city follow the same rule as the city's own.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import type * as Actor from "@gongzhi/core/Actor"
import type * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Command from "@gongzhi/core/Command"
import type * as Outbox from "@gongzhi/core/Outbox"
import { TenantId } from "@gongzhi/core/Tenant"
import type * as Transactor from "@gongzhi/core/Transactor"
import { Effect, Layer, Schema } from "effect"
import * as CityLinkStore from "./CityLinkStore.js"
import { CitySync } from "./CitySync.js"
import * as CreditStore from "./CreditStore.js"
import { makeSync } from "./internal/city/sync.js"
import { Permission as CreditPermission, defaultRolePermissions } from "./Permissions.js"

/**
 * The permissions of the city link (the platform admin's `credit.*` covers them).
 *
 * @since 0.1.0
 * @category models
 */
export const Permission = {
  /** Run a sync round with the city. */
  sync: "credit.city.sync",
  /** Read the exchange: what the city sent, the queue, the cursor. */
  read: CreditPermission.read
} as const

/**
 * The input of a round.
 *
 * @since 0.1.0
 * @category models
 */
export const SyncInput = Schema.Struct({
  tenantId: TenantId,
  /** Messages per page pulled and per batch pushed (default 200). */
  batchSize: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 1000)), { default: () => 200 }),
  /** Pages per direction in one round, a bound against a city that never says "no more" (default 1000). */
  maxPages: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 100_000)), { default: () => 1000 })
})

/**
 * What a round did: messages pushed and acknowledged, city messages taken in (new or newer
 * versions), messages skipped as duplicates (same or older version), conflicts resolved by the rule,
 * messages refused (malformed, or the fingerprint does not match), keys queued, pages exchanged, and
 * the cursor after the round.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncSummary {
  readonly pushed: number
  readonly pulled: number
  readonly skippedDuplicates: number
  readonly conflictsResolved: number
  readonly refused: number
  readonly enqueued: number
  readonly pages: number
  readonly cursor: string | undefined
}

/**
 * Progress of a running round, after each page.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncProgress {
  /** The step that just committed a page: pulling, queueing (once), pushing. */
  readonly phase: "pull" | "enqueue" | "push"
  /** The counts so far in this round. */
  readonly counts: Omit<SyncSummary, "cursor">
}

/**
 * The state of the exchange.
 *
 * @since 0.1.0
 * @category models
 */
export interface LinkStatus {
  readonly cursor: string | undefined
  readonly lastSyncAt: Date | undefined
  readonly rounds: number
  /** Keys queued and not yet acknowledged by the city. */
  readonly pending: number
  readonly acknowledged: number
  /** City records kept (the city's versions). */
  readonly received: number
}

const TenantInput = Schema.Struct({ tenantId: TenantId })

const ListInput = Schema.Struct({
  tenantId: TenantId,
  limit: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 1000)), { default: () => 100 }),
  cursor: Schema.optional(Schema.String)
})

const make = Effect.gen(function* () {
  const runner = yield* Command.makeFromContext({
    domain: "CityLink",
    auditPrefix: "credit.",
    labels: { tenantId: "区县（租户）", batchSize: "每批条数", maxPages: "最多页数" }
  })
  const store = yield* CityLinkStore.CityLinkStore
  const port = yield* CitySync
  const credit = yield* CreditStore.CreditStore
  const sync = makeSync({ credit, entries: store.entries, states: store.states, port, runner })

  return {
    /**
     * One sync round (pull, queue, push); see the module comment for the rule on conflicts.
     *
     * @example
     * import { Effect } from "effect"
     * import { CityLink } from "@gongzhi/credit"
     * import type * as Actor from "@gongzhi/core/Actor"
     *
     * declare const admin: Actor.Actor
     * const round = Effect.flatMap(CityLink.CityLink, (link) => link.sync(admin, { tenantId: "440310" }))
     * // → { pushed: 12, pulled: 3, skippedDuplicates: 0, conflictsResolved: 1, … }
     */
    sync: (
      actor: Actor.Actor,
      input: typeof SyncInput.Encoded,
      onProgress: (progress: SyncProgress) => void = () => {}
    ) =>
      runner.query({
        name: "sync",
        title: "市区联动同步",
        input: SyncInput,
        raw: input,
        actor,
        body: (i, ctx) =>
          Effect.gen(function* () {
            yield* ctx.authorize(Permission.sync, { tenantId: i.tenantId })
            const summary: SyncSummary = yield* sync.round(i.tenantId, i, onProgress)
            const { cursor: _cursor, ...counts } = summary
            yield* runner.transact(
              runner.audit(actor, {
                tenantId: i.tenantId,
                action: "city.sync",
                targetType: "CityLink",
                targetId: "city",
                details: counts
              })
            )
            return summary
          })
      }),

    /** The state of the exchange: cursor, last round, queue and mirror sizes. */
    status: (actor: Actor.Actor, input: typeof TenantInput.Encoded) =>
      runner.query({
        name: "status",
        title: "市区联动状态",
        input: TenantInput,
        raw: input,
        actor,
        body: (i, ctx) =>
          Effect.gen(function* () {
            yield* ctx.authorize(Permission.read, { tenantId: i.tenantId })
            const state = yield* sync.loadState(i.tenantId)
            const count = (direction: string, state: string) => store.entries.count(i.tenantId, { direction, state })
            return {
              cursor: state.value.cursor,
              lastSyncAt: state.value.lastSyncAt,
              rounds: state.value.rounds,
              pending: yield* count("out", "pending"),
              acknowledged: yield* count("out", "acked"),
              received: yield* count("in", "received")
            } satisfies LinkStatus
          })
      }),

    /** The records and decisions the city sent (its versions), by key. */
    listReceived: (actor: Actor.Actor, input: typeof ListInput.Encoded) =>
      runner.query({
        name: "listReceived",
        title: "查看市级推送的信用信息",
        input: ListInput,
        raw: input,
        actor,
        body: (i, ctx) =>
          Effect.gen(function* () {
            yield* ctx.authorize(Permission.read, { tenantId: i.tenantId })
            const page = yield* store.entries.page(i.tenantId, {
              where: { direction: "in" },
              limit: i.limit,
              cursor: i.cursor
            })
            return { items: page.items.map((v) => v.value), next: page.nextCursor }
          })
      })
  }
})

/**
 * The city link service.
 *
 * @since 0.1.0
 * @category tags
 */
export class CityLink extends Effect.Service<CityLink>()("@gongzhi/credit/CityLink", { effect: make }) {}

const withStore = <R>(store: Layer.Layer<CityLinkStore.CityLinkStore, never, R>) =>
  CityLink.Default.pipe(Layer.provideMerge(Layer.merge(store, Authorization.layer(defaultRolePermissions))))

/**
 * The service with its store in memory, next to `Credits.layerMemory` (which provides the credit
 * store, transactor, outbox and audit log); the `CitySync` adapter stays a requirement.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<
  CityLink | CityLinkStore.CityLinkStore,
  never,
  CitySync | CreditStore.CreditStore | Transactor.Transactor | Outbox.Outbox | AuditLog.AuditLog
> = withStore(CityLinkStore.layerMemory)

/**
 * The service on SQL, next to `Credits.layerSql` (run `CreditMigrations`, which create its tables).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<
  CityLink | CityLinkStore.CityLinkStore,
  never,
  CitySync | CreditStore.CreditStore | Transactor.Transactor | Outbox.Outbox | AuditLog.AuditLog | SqlClient.SqlClient
> = withStore(CityLinkStore.layerSql)
