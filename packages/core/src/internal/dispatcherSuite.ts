/**
 * Conformance suites for the notification pipeline: the `Deliveries` port, and the dispatcher end
 * to end over a backend's `Outbox`, `Deliveries`, `Preferences` and `Transactor`. Every
 * implementation (memory, SQLite, PostgreSQL, MySQL, a third party's) runs the same suites; SQL
 * backends also read what was stored back through raw SQL.
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Option, Schema, TestClock } from "effect"
import type { DeliveriesShape, DeliveryStatus, NewDelivery } from "../Delivery.js"
import { Deliveries, idempotencyKey } from "../Delivery.js"
import * as Dispatcher from "../Dispatcher.js"
import type { Notification, NotifierShape } from "../Notifier.js"
import { Channel, makeNotifiers, Notifiers, NotifyError, Receipt } from "../Notifier.js"
import { Outbox } from "../Outbox.js"
import { Preferences } from "../Preference.js"
import * as Subscription from "../Subscription.js"
import * as Template from "../Template.js"
import type { TenantId } from "../Tenant.js"
import { Transactor } from "../Transactor.js"
import type { Backend } from "./conformance/kit.js"
import { freshTenant, jsonColumn, loopBound, orDie, rawSql, startClock } from "./conformance/kit.js"

/** The services a backend's layer must output for these suites. */
export type PipelinePorts = Outbox | Deliveries | Preferences | Transactor

export type PipelineBackend = Backend<PipelinePorts>

const LEASE = 60_000

// ---------------------------------------------------------------------------------------------
// a recording notifier
// ---------------------------------------------------------------------------------------------

/** A notifier for tests: records what it is asked to send and can be told to fail. */
export interface Recorder {
  readonly notifier: NotifierShape
  /** Every notification it accepted, in order. */
  readonly sent: Array<Notification>
  /** Every call, accepted or not. */
  readonly calls: Array<Notification>
  /** Accepted sends per idempotency key. */
  readonly countsByKey: Map<string, number>
  /** The next `times` calls fail with this error. */
  readonly failNext: (
    times: number,
    error?: { readonly retryable?: boolean; readonly retryAfterMillis?: number; readonly reason?: string }
  ) => void
  /** The largest number of sends ever in flight at once. */
  readonly maxInFlight: () => number
}

/** A recording notifier for `channel`. Each send yields once, so concurrent senders interleave. */
export const makeRecorder = (channel: string): Recorder => {
  const sent: Array<Notification> = []
  const calls: Array<Notification> = []
  const countsByKey = new Map<string, number>()
  const failures: Array<{ retryable: boolean; retryAfterMillis?: number; reason: string }> = []
  let inFlight = 0
  let maxInFlight = 0
  const name = Channel.make(channel)
  const notifier: NotifierShape = {
    channel: name,
    send: (notification) =>
      Effect.gen(function* () {
        calls.push(notification)
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        yield* Effect.yieldNow()
        inFlight--
        const failure = failures.shift()
        if (failure !== undefined) {
          return yield* new NotifyError({
            channel,
            reason: failure.reason,
            retryable: failure.retryable,
            ...(failure.retryAfterMillis === undefined ? {} : { retryAfterMillis: failure.retryAfterMillis })
          })
        }
        sent.push(notification)
        countsByKey.set(notification.idempotencyKey, (countsByKey.get(notification.idempotencyKey) ?? 0) + 1)
        const now = yield* Clock.currentTimeMillis
        return new Receipt({
          channel: name,
          providerMessageId: `${channel}-${sent.length}`,
          deliveredAt: new Date(now)
        })
      })
  }
  return {
    notifier,
    sent,
    calls,
    countsByKey,
    failNext: (times, error = {}) => {
      for (let i = 0; i < times; i++) {
        failures.push({
          retryable: error.retryable ?? true,
          reason: error.reason ?? "网关暂时不可用",
          ...(error.retryAfterMillis === undefined ? {} : { retryAfterMillis: error.retryAfterMillis })
        })
      }
    },
    maxInFlight: () => maxInFlight
  }
}

// ---------------------------------------------------------------------------------------------
// a sample domain: "an application was approved"
// ---------------------------------------------------------------------------------------------

export const APPROVED = "test.ApplicationApproved"

export const ApprovedPayload = Schema.Struct({
  project: Schema.String,
  applicants: Schema.Array(
    Schema.Struct({
      id: Schema.String,
      name: Schema.String,
      email: Schema.optional(Schema.String),
      wecom: Schema.optional(Schema.String),
      locale: Schema.optional(Schema.String)
    })
  )
})

export type ApprovedPayload = typeof ApprovedPayload.Type

export const approvedTemplate = Template.make({
  id: "test.applicationApproved",
  data: Schema.Struct({ name: Schema.String, project: Schema.String }),
  zh: { subject: "报名已通过：{{project}}", text: "{{name}}，您报名的「{{project}}」已通过审核。" },
  en: { subject: "Approved: {{project}}", text: "{{name}}, your application to {{project}} was approved." }
})

/** Notifies every applicant of the event, by e-mail and WeCom where they have an address. */
export const approvedSubscription = (
  options: {
    readonly priority?: "normal" | "urgent"
    readonly id?: string
    readonly channels?: ReadonlyArray<string>
    readonly event?: string
  } = {}
) =>
  Subscription.make({
    id: options.id ?? "test.notifyApplicants",
    event: options.event ?? APPROVED,
    payload: ApprovedPayload,
    recipients: ({ payload }) =>
      Effect.succeed(
        payload.applicants.map((applicant) => ({
          id: applicant.id,
          name: applicant.name,
          addresses: { email: applicant.email, wecom: applicant.wecom },
          ...(applicant.locale === undefined ? {} : { locale: applicant.locale })
        }))
      ),
    template: approvedTemplate,
    data: { name: "recipient.name", project: "payload.project" },
    channels: options.channels ?? ["email", "wecom"],
    priority: options.priority ?? "normal"
  })

export const approvedEvent = (tenantId: TenantId, project: string, applicants: ApprovedPayload["applicants"]) => ({
  tenantId,
  type: APPROVED,
  aggregateType: "Project",
  aggregateId: project,
  payload: { project, applicants }
})

/** Appends events in a transaction, as a command would. */
export const appendEvents = (events: ReadonlyArray<ReturnType<typeof approvedEvent> | Record<string, unknown>>) =>
  Effect.flatMap(Transactor, (transactor) =>
    transactor.withTransaction(Effect.flatMap(Outbox, (outbox) => outbox.append(events as any)))
  ).pipe(Effect.orDie)

/** A dispatcher over the backend's ports with the given notifiers and subscriptions. */
export const dispatcherWith = (
  notifiers: ReadonlyArray<NotifierShape>,
  subscriptions: ReadonlyArray<Subscription.Subscription>,
  options: Dispatcher.DispatcherOptions
) =>
  Effect.gen(function* () {
    const registry = makeNotifiers(notifiers)
    const configured = yield* Subscription.configure(subscriptions, { channels: registry.channels }).pipe(Effect.orDie)
    return yield* Dispatcher.make(options).pipe(
      Effect.provideService(Notifiers, registry),
      Effect.provideService(Subscription.Subscriptions, configured),
      Effect.orDie
    )
  })

/** Every delivery of a tenant, page by page. */
export const allDeliveries = (tenantId: TenantId, status?: DeliveryStatus) =>
  Effect.gen(function* () {
    const deliveries = yield* Deliveries
    const out = []
    let cursor: string | undefined
    const pages = loopBound("list pages", 10_000)
    do {
      yield* pages
      const page = yield* deliveries.list(tenantId, { limit: 500, cursor, status })
      out.push(...page.items)
      cursor = page.nextCursor
    } while (cursor !== undefined)
    return out
  })

// ---------------------------------------------------------------------------------------------
// the Deliveries suite
// ---------------------------------------------------------------------------------------------

export const sampleDelivery = (tenantId: TenantId, i: number, overrides: Partial<NewDelivery> = {}): NewDelivery => ({
  tenantId,
  eventId: `event-${i}`,
  eventType: "test.ThingHappened",
  subscriptionId: "test.subscription",
  recipientId: `recipient-${i}`,
  channel: "email",
  address: `user${i}@example.org`,
  locale: "zh-CN",
  priority: "normal",
  templateId: "test.template",
  subject: `第 ${i} 条通知`,
  body: { text: `正文 ${i}`, markdown: `**${i}**` },
  data: { i, 名称: "沙坣社区", nested: [1, null, "x"] },
  ...overrides
})

const claimAll = (deliveries: DeliveriesShape, tenantId: TenantId, workerId: string, limit = 100) =>
  deliveries.claim({ tenantId, workerId, limit, leaseMillis: LEASE })

export const deliveriesSuite = (backend: PipelineBackend) =>
  describe(`Deliveries conformance (${backend.name})`, () => {
    it.layer(backend.layer, { timeout: "120 seconds" })((it) => {
      it.effect("insert records deliveries with their idempotency key as id; get and list read them back", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          const inserted = yield* deliveries.insert([sampleDelivery(tenantId, 1), sampleDelivery(tenantId, 2)])
          assert.strictEqual(inserted, 2)
          const id = idempotencyKey(tenantId, "event-1", "recipient-1", "email")
          assert.match(id, /^[0-9a-f]{64}$/)
          const stored = Option.getOrThrow(yield* deliveries.get(tenantId, id))
          assert.strictEqual(stored.id, id)
          assert.strictEqual(stored.idempotencyKey, id)
          assert.strictEqual(stored.tenantId, tenantId)
          assert.strictEqual(stored.eventId, "event-1")
          assert.strictEqual(stored.recipientId, "recipient-1")
          assert.strictEqual(stored.channel, "email")
          assert.strictEqual(stored.address, "user1@example.org")
          assert.strictEqual(stored.subject, "第 1 条通知")
          assert.deepStrictEqual(stored.body, { text: "正文 1", markdown: "**1**" })
          assert.deepStrictEqual(stored.data, { i: 1, 名称: "沙坣社区", nested: [1, null, "x"] })
          assert.strictEqual(stored.status, "pending")
          assert.strictEqual(stored.attempts, 0)
          assert.strictEqual(stored.priority, "normal")
          assert.strictEqual(stored.locale, "zh-CN")
          assert.strictEqual(stored.nextAttemptAt.getTime(), now)
          assert.strictEqual(stored.createdAt.getTime(), now)
          assert.isUndefined(stored.claimedBy)
          assert.isUndefined(stored.deliveredAt)
          const page = yield* deliveries.list(tenantId, { limit: 10 })
          assert.strictEqual(page.items.length, 2)
          assert.isTrue(Option.isNone(yield* deliveries.get(freshTenant(), id)))
        })
      )

      if (backend.sql) {
        it.effect("raw SQL sees what was stored: tenant first, JSON body, status, epoch-millisecond times", () =>
          Effect.gen(function* () {
            const now = yield* startClock
            const deliveries = yield* Deliveries
            const sql = yield* rawSql
            const tenantId = freshTenant()
            yield* deliveries.insert([sampleDelivery(tenantId, 5, { priority: "urgent" })])
            const read = orDie(
              sql<Record<string, unknown>>`SELECT tenant_id, id, event_id, recipient_id, channel, status, attempts,
                priority, next_attempt_at, created_at, ${jsonColumn(sql, "body")} AS body,
                ${jsonColumn(sql, "template_data")} AS template_data, claimed_by, lease_until
                FROM gongzhi_deliveries WHERE tenant_id = ${tenantId}`
            )
            const [row] = yield* read
            assert.strictEqual(row.tenant_id, tenantId)
            assert.strictEqual(row.id, idempotencyKey(tenantId, "event-5", "recipient-5", "email"))
            assert.strictEqual(row.event_id, "event-5")
            assert.strictEqual(row.status, "pending")
            assert.strictEqual(Number(row.attempts), 0)
            assert.strictEqual(Number(row.priority), 3)
            assert.strictEqual(Number(row.next_attempt_at), now)
            assert.strictEqual(Number(row.created_at), now)
            assert.deepStrictEqual(JSON.parse(String(row.body)), { text: "正文 5", markdown: "**5**" })
            assert.deepStrictEqual(JSON.parse(String(row.template_data)).名称, "沙坣社区")
            yield* claimAll(deliveries, tenantId, "worker-raw")
            const [claimed] = yield* read
            assert.strictEqual(claimed.status, "sending")
            assert.strictEqual(Number(claimed.attempts), 1)
            assert.strictEqual(claimed.claimed_by, "worker-raw")
            assert.strictEqual(Number(claimed.lease_until), now + LEASE)
          })
        )
      }

      it.effect("one delivery per (tenant, event, recipient, channel): duplicates are skipped, others are not", () =>
        Effect.gen(function* () {
          yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          const other = freshTenant()
          const first = sampleDelivery(tenantId, 1)
          assert.strictEqual(yield* deliveries.insert([first, { ...first, subject: "重复" }]), 1)
          assert.strictEqual(yield* deliveries.insert([{ ...first, subject: "再次重复", address: "x@y.z" }]), 0)
          assert.strictEqual(
            yield* deliveries.insert([
              { ...first, channel: "wecom" },
              { ...first, recipientId: "recipient-2" },
              { ...first, eventId: "event-2" },
              { ...first, tenantId: other }
            ]),
            4
          )
          const stored = yield* allDeliveries(tenantId)
          assert.strictEqual(stored.length, 4)
          const original = stored.find((d) => d.id === idempotencyKey(tenantId, "event-1", "recipient-1", "email"))
          assert.strictEqual(original?.subject, "第 1 条通知")
          assert.strictEqual((yield* allDeliveries(other)).length, 1)
          assert.notStrictEqual(
            idempotencyKey(tenantId, "event-1", "recipient-1", "email"),
            idempotencyKey(other, "event-1", "recipient-1", "email")
          )
        })
      )

      it.effect("invalid input fails with DeliveryInputError and stores nothing", () =>
        Effect.gen(function* () {
          yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          const error = yield* Effect.flip(
            deliveries.insert([sampleDelivery(tenantId, 1), sampleDelivery(tenantId, 2, { channel: "Bad Channel" })])
          )
          assert.strictEqual(error._tag, "DeliveryInputError")
          assert.strictEqual((yield* allDeliveries(tenantId)).length, 0)
        })
      )

      it.effect("inserts join the caller's transaction: a failed transaction leaves nothing", () =>
        Effect.gen(function* () {
          yield* startClock
          const deliveries = yield* Deliveries
          const transactor = yield* Transactor
          const tenantId = freshTenant()
          yield* transactor
            .withTransaction(
              Effect.zipRight(deliveries.insert([sampleDelivery(tenantId, 1)]), Effect.fail("rolled back" as const))
            )
            .pipe(Effect.flip)
          assert.strictEqual((yield* allDeliveries(tenantId)).length, 0)
        })
      )

      it.effect("claim leases due deliveries, urgent first then oldest due, and counts the attempt", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          yield* deliveries.insert([sampleDelivery(tenantId, 1)])
          yield* TestClock.adjust(10)
          yield* deliveries.insert([
            sampleDelivery(tenantId, 2, { priority: "urgent" }),
            sampleDelivery(tenantId, 3, { nextAttemptAt: new Date(now + 60_000) }),
            sampleDelivery(tenantId, 4, { status: "digest" })
          ])
          yield* TestClock.adjust(10)
          yield* deliveries.insert([sampleDelivery(tenantId, 5, { priority: "low" })])
          const claimed = yield* claimAll(deliveries, tenantId, "worker-a", 10)
          assert.deepStrictEqual(
            claimed.map((d) => d.eventId),
            ["event-2", "event-1", "event-5"]
          )
          for (const delivery of claimed) {
            assert.strictEqual(delivery.status, "sending")
            assert.strictEqual(delivery.attempts, 1)
            assert.strictEqual(delivery.claimedBy, "worker-a")
            assert.strictEqual(delivery.leaseUntil?.getTime(), now + 20 + LEASE)
          }
          assert.deepStrictEqual(yield* claimAll(deliveries, tenantId, "worker-b"), [])
          const limited = freshTenant()
          yield* deliveries.insert([1, 2, 3].map((i) => sampleDelivery(limited, i)))
          assert.strictEqual((yield* claimAll(deliveries, limited, "worker-a", 2)).length, 2)
          assert.strictEqual((yield* claimAll(deliveries, limited, "worker-b", 2)).length, 1)
          yield* TestClock.adjust(60_000)
          // event-3 is due now; the leases of the others ran out: they are claimed again (attempt 2)
          const again = yield* claimAll(deliveries, tenantId, "worker-b", 10)
          assert.deepStrictEqual(again.map((d) => [d.eventId, d.attempts]).sort(), [
            ["event-1", 2],
            ["event-2", 2],
            ["event-3", 1],
            ["event-5", 2]
          ])
          const error = yield* Effect.flip(deliveries.claim({ tenantId, workerId: "", limit: 1, leaseMillis: 1 }))
          assert.strictEqual(error._tag, "DeliveryInputError")
        })
      )

      it.effect("markDelivered records the receipt once; a delivered delivery is never claimed again", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          yield* deliveries.insert([sampleDelivery(tenantId, 1)])
          const [claimed] = yield* claimAll(deliveries, tenantId, "worker-a")
          const receipt = { providerMessageId: "msg-1", deliveredAt: new Date(now + 5) }
          assert.isTrue(yield* deliveries.markDelivered(tenantId, claimed.id, receipt))
          assert.isFalse(yield* deliveries.markDelivered(tenantId, claimed.id, receipt))
          const stored = Option.getOrThrow(yield* deliveries.get(tenantId, claimed.id))
          assert.strictEqual(stored.status, "delivered")
          assert.strictEqual(stored.providerMessageId, "msg-1")
          assert.strictEqual(stored.deliveredAt?.getTime(), now + 5)
          assert.isUndefined(stored.claimedBy)
          yield* TestClock.adjust(10 * LEASE)
          assert.deepStrictEqual(yield* claimAll(deliveries, tenantId, "worker-b"), [])
        })
      )

      it.effect(
        "markDeliveredMany records each receipt in one call; delivered ones and other tenants are untouched",
        () =>
          Effect.gen(function* () {
            const now = yield* startClock
            const deliveries = yield* Deliveries
            const tenantId = freshTenant()
            const otherTenant = freshTenant()
            yield* deliveries.insert([1, 2, 3, 4].map((i) => sampleDelivery(tenantId, i)))
            yield* deliveries.insert([sampleDelivery(otherTenant, 1)])
            const [a, b, c, d] = yield* claimAll(deliveries, tenantId, "worker-a")
            const [foreign] = yield* claimAll(deliveries, otherTenant, "worker-a")
            assert.isTrue(
              yield* deliveries.markDelivered(tenantId, c.id, {
                providerMessageId: "first",
                deliveredAt: new Date(now + 1)
              })
            )
            assert.strictEqual(yield* deliveries.markDeliveredMany(tenantId, []), 0)
            const changed = yield* deliveries.markDeliveredMany(tenantId, [
              { id: a.id, providerMessageId: "msg-a", deliveredAt: new Date(now + 10) },
              { id: b.id, deliveredAt: new Date(now + 20) },
              { id: c.id, providerMessageId: "again", deliveredAt: new Date(now + 30) },
              { id: foreign.id, providerMessageId: "foreign", deliveredAt: new Date(now + 40) }
            ])
            assert.strictEqual(changed, 2)
            const stored = (id: typeof a.id, tenant = tenantId) =>
              Effect.map(deliveries.get(tenant, id), Option.getOrThrow)
            const storedA = yield* stored(a.id)
            assert.strictEqual(storedA.status, "delivered")
            assert.strictEqual(storedA.providerMessageId, "msg-a")
            assert.strictEqual(storedA.deliveredAt?.getTime(), now + 10)
            assert.isUndefined(storedA.claimedBy)
            assert.isUndefined(storedA.leaseUntil)
            const storedB = yield* stored(b.id)
            assert.strictEqual(storedB.status, "delivered")
            assert.isUndefined(storedB.providerMessageId)
            assert.strictEqual(storedB.deliveredAt?.getTime(), now + 20)
            const storedC = yield* stored(c.id)
            assert.strictEqual(storedC.providerMessageId, "first")
            assert.strictEqual(storedC.deliveredAt?.getTime(), now + 1)
            assert.strictEqual((yield* stored(d.id)).status, "sending")
            assert.strictEqual((yield* stored(foreign.id, otherTenant)).status, "sending")
            yield* TestClock.adjust(10 * LEASE)
            assert.deepStrictEqual(
              (yield* claimAll(deliveries, tenantId, "worker-b")).map((delivery) => delivery.id),
              [d.id]
            )
          })
      )

      it.effect("only the holder may retry or kill a delivery; retry reschedules, dead is final until requeued", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          yield* deliveries.insert([sampleDelivery(tenantId, 1), sampleDelivery(tenantId, 2)])
          const [a, b] = yield* claimAll(deliveries, tenantId, "worker-a")
          const retryAt = new Date(now + 5_000)
          assert.isFalse(yield* deliveries.markRetry(tenantId, "worker-b", a.id, { retryAt, error: "x" }))
          assert.isTrue(yield* deliveries.markRetry(tenantId, "worker-a", a.id, { retryAt, error: "网关超时" }))
          assert.isFalse(yield* deliveries.markDead(tenantId, "worker-b", b.id, "x"))
          assert.isTrue(yield* deliveries.markDead(tenantId, "worker-a", b.id, "地址无效"))
          const retrying = Option.getOrThrow(yield* deliveries.get(tenantId, a.id))
          assert.strictEqual(retrying.status, "retrying")
          assert.strictEqual(retrying.nextAttemptAt.getTime(), now + 5_000)
          assert.strictEqual(retrying.lastError, "网关超时")
          assert.strictEqual(retrying.attempts, 1)
          assert.deepStrictEqual(yield* claimAll(deliveries, tenantId, "worker-a"), [])
          yield* TestClock.adjust(5_000)
          const [again] = yield* claimAll(deliveries, tenantId, "worker-a")
          assert.strictEqual(again.id, a.id)
          assert.strictEqual(again.attempts, 2)
          const dead = Option.getOrThrow(yield* deliveries.get(tenantId, b.id))
          assert.strictEqual(dead.status, "dead")
          assert.strictEqual(dead.lastError, "地址无效")
          assert.isFalse(yield* deliveries.requeue(tenantId, a.id))
          assert.isTrue(yield* deliveries.requeue(tenantId, b.id))
          const requeued = Option.getOrThrow(yield* deliveries.get(tenantId, b.id))
          assert.strictEqual(requeued.status, "pending")
          assert.strictEqual(requeued.attempts, 0)
        })
      )

      it.effect("release gives back unstarted claims without counting the attempt", () =>
        Effect.gen(function* () {
          yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          yield* deliveries.insert([sampleDelivery(tenantId, 1), sampleDelivery(tenantId, 2)])
          const claimed = yield* claimAll(deliveries, tenantId, "worker-a")
          assert.strictEqual(yield* deliveries.release(tenantId, "worker-b", [claimed[0].id]), 0)
          assert.strictEqual(
            yield* deliveries.release(
              tenantId,
              "worker-a",
              claimed.map((d) => d.id)
            ),
            2
          )
          for (const delivery of yield* allDeliveries(tenantId)) {
            assert.strictEqual(delivery.status, "pending")
            assert.strictEqual(delivery.attempts, 0)
            assert.isUndefined(delivery.claimedBy)
            assert.isUndefined(delivery.leaseUntil)
          }
          assert.strictEqual((yield* claimAll(deliveries, tenantId, "worker-b")).length, 2)
        })
      )

      it.effect(
        "digest records the summary and marks its items, once; a second summary of the same key changes nothing",
        () =>
          Effect.gen(function* () {
            yield* startClock
            const deliveries = yield* Deliveries
            const tenantId = freshTenant()
            yield* deliveries.insert([1, 2, 3].map((i) => sampleDelivery(tenantId, i, { status: "digest" })))
            const items = yield* allDeliveries(tenantId, "digest")
            assert.strictEqual(items.length, 3)
            assert.deepStrictEqual(yield* claimAll(deliveries, tenantId, "worker-a"), [])
            const summary = sampleDelivery(tenantId, 0, {
              eventId: "digest:2026-03-02",
              subject: "今日通知摘要（2 条）"
            })
            assert.isTrue(yield* deliveries.digest(tenantId, summary, [items[0].id, items[1].id]))
            assert.isFalse(yield* deliveries.digest(tenantId, summary, [items[2].id]))
            const summaryId = idempotencyKey(tenantId, "digest:2026-03-02", "recipient-0", "email")
            const digested = yield* allDeliveries(tenantId, "digested")
            assert.deepStrictEqual(digested.map((d) => d.id).sort(), [items[0].id, items[1].id].sort())
            for (const item of digested) assert.strictEqual(item.digestId, summaryId)
            assert.strictEqual((yield* allDeliveries(tenantId, "digest")).length, 1)
            const [pending] = yield* claimAll(deliveries, tenantId, "worker-a")
            assert.strictEqual(pending.id, summaryId)
            assert.strictEqual(pending.subject, "今日通知摘要（2 条）")
          })
      )

      it.effect("list filters and pages in recording order; countByStatus counts per status", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const deliveries = yield* Deliveries
          const tenantId = freshTenant()
          for (let i = 0; i < 7; i++) {
            yield* deliveries.insert([sampleDelivery(tenantId, i, { recipientId: i % 2 === 0 ? "even" : "odd" })])
            yield* TestClock.adjust(1)
          }
          const seen: Array<string> = []
          let cursor: string | undefined
          const pages = loopBound("list pages", 10_000)
          do {
            yield* pages
            const page = yield* deliveries.list(tenantId, { limit: 3, cursor })
            seen.push(...page.items.map((d) => d.eventId))
            cursor = page.nextCursor
          } while (cursor !== undefined)
          assert.deepStrictEqual(
            seen,
            [0, 1, 2, 3, 4, 5, 6].map((i) => `event-${i}`)
          )
          const even = yield* deliveries.list(tenantId, { limit: 10, recipientId: "even" })
          assert.strictEqual(even.items.length, 4)
          const one = yield* deliveries.list(tenantId, { limit: 10, eventId: "event-3" })
          assert.deepStrictEqual(
            one.items.map((d) => d.recipientId),
            ["odd"]
          )
          const early = yield* deliveries.list(tenantId, { limit: 10, createdBefore: new Date(now + 2) })
          assert.strictEqual(early.items.length, 2)
          yield* claimAll(deliveries, tenantId, "worker-a", 2)
          const counts = yield* deliveries.countByStatus(tenantId)
          assert.strictEqual(counts.pending, 5)
          assert.strictEqual(counts.sending, 2)
          assert.strictEqual(counts.delivered, 0)
          assert.strictEqual(
            (yield* Effect.flip(deliveries.list(tenantId, { limit: 10, cursor: "bad" })))._tag,
            "StorageError"
          )
          assert.strictEqual((yield* Effect.flip(deliveries.list(tenantId, { limit: 0 })))._tag, "StorageError")
        })
      )

      it.effect(
        `concurrent claimers never receive the same delivery (${backend.concurrentWriters ? "parallel" : "sequential"})`,
        () =>
          Effect.gen(function* () {
            yield* startClock
            const deliveries = yield* Deliveries
            const tenantId = freshTenant()
            yield* deliveries.insert(Array.from({ length: 60 }, (_, i) => sampleDelivery(tenantId, i)))
            const worker = (workerId: string) =>
              Effect.gen(function* () {
                const got: Array<string> = []
                const guard = loopBound("claim until empty", 1_000)
                while (true) {
                  yield* guard
                  const batch = yield* claimAll(deliveries, tenantId, workerId, 4)
                  if (batch.length === 0) return got
                  for (const delivery of batch) assert.strictEqual(delivery.claimedBy, workerId)
                  got.push(...batch.map((delivery) => delivery.id))
                }
              })
            const rounds = yield* Effect.all(
              Array.from({ length: 5 }, (_, w) => worker(`worker-${w}`)),
              { concurrency: backend.concurrentWriters ? "unbounded" : 1 }
            )
            // a locking engine may have skipped rows another claim held at that moment: take the rest
            const ids = [...rounds.flat(), ...(yield* worker("worker-drain"))]
            assert.strictEqual(new Set(ids).size, ids.length, "a delivery was claimed twice")
            assert.strictEqual(ids.length, 60)
          })
      )
    })
  })

// ---------------------------------------------------------------------------------------------
// the dispatcher suite
// ---------------------------------------------------------------------------------------------

const applicant = (id: string, extra: Partial<ApprovedPayload["applicants"][number]> = {}) => ({
  id,
  name: `志愿者${id}`,
  email: `${id}@example.org`,
  wecom: `wx-${id}`,
  ...extra
})

export const dispatcherSuite = (backend: PipelineBackend) =>
  describe(`Dispatcher (${backend.name})`, () => {
    it.layer(backend.layer, { timeout: "120 seconds" })((it) => {
      it.effect("expands events into one delivery per recipient and channel and sends each exactly once", () =>
        Effect.gen(function* () {
          yield* startClock
          const tenantId = freshTenant()
          const email = makeRecorder("email")
          const wecom = makeRecorder("wecom")
          const dispatcher = yield* dispatcherWith([email.notifier, wecom.notifier], [approvedSubscription()], {
            tenants: [tenantId],
            workerId: "worker-e2e",
            batchSize: 3
          })
          const events = yield* appendEvents([
            approvedEvent(tenantId, "沙坣社区清洁", [applicant("v1"), applicant("v2", { wecom: undefined })]),
            approvedEvent(tenantId, "旧改宣传", [applicant("v1", { locale: "en" })]),
            { tenantId, type: "test.Unrelated", aggregateType: "X", aggregateId: "x", payload: {} },
            approvedEvent(tenantId, "无人", [])
          ])
          const counts = yield* dispatcher.drain()
          assert.strictEqual(counts.expanded, 4)
          assert.strictEqual(counts.failed, 0)
          assert.strictEqual(counts.created, 5)
          assert.strictEqual(counts.delivered, 5)
          assert.strictEqual(email.sent.length, 3)
          assert.strictEqual(wecom.sent.length, 2)
          const keys = [...email.sent, ...wecom.sent].map((n) => n.idempotencyKey)
          assert.sameMembers(keys, [
            idempotencyKey(tenantId, events[0].id, "v1", "email"),
            idempotencyKey(tenantId, events[0].id, "v1", "wecom"),
            idempotencyKey(tenantId, events[0].id, "v2", "email"),
            idempotencyKey(tenantId, events[1].id, "v1", "email"),
            idempotencyKey(tenantId, events[1].id, "v1", "wecom")
          ])
          const toV2 = email.sent.find((n) => n.recipient === "v2@example.org")!
          assert.strictEqual(toV2.subject, "报名已通过：沙坣社区清洁")
          assert.strictEqual(toV2.body.text, "志愿者v2，您报名的「沙坣社区清洁」已通过审核。")
          assert.strictEqual(toV2.templateId, "test.applicationApproved")
          assert.strictEqual(toV2.tenantId, tenantId)
          const english = email.sent.find((n) => n.subject.startsWith("Approved"))
          assert.strictEqual(english?.body.text, "志愿者v1, your application to 旧改宣传 was approved.")
          const outbox = yield* Outbox
          const entries = yield* outbox.list(tenantId, { limit: 10 })
          assert.deepStrictEqual(
            entries.items.map((entry) => entry.status),
            ["done", "done", "done", "done"]
          )
          const stored = yield* allDeliveries(tenantId)
          assert.strictEqual(stored.length, 5)
          for (const delivery of stored) {
            assert.strictEqual(delivery.status, "delivered")
            assert.strictEqual(delivery.attempts, 1)
            assert.isDefined(delivery.providerMessageId)
          }
          // nothing is ever sent twice, however often the dispatcher runs or time passes
          for (let i = 0; i < 3; i++) {
            yield* TestClock.adjust(10 * LEASE)
            const again = yield* dispatcher.runOnce
            assert.strictEqual(again.delivered + again.created + again.expanded, 0)
          }
          assert.strictEqual(email.calls.length + wecom.calls.length, 5)
          const stats = yield* dispatcher.stats
          assert.strictEqual(stats.delivered, 5)
          assert.isAtLeast(stats.passes, 4)
        })
      )

      it.effect("a retryable failure is retried after an exponential, jittered back-off; Retry-After is honoured", () =>
        Effect.gen(function* () {
          const now = yield* startClock
          const tenantId = freshTenant()
          const email = makeRecorder("email")
          const dispatcher = yield* dispatcherWith([email.notifier], [approvedSubscription({ channels: ["email"] })], {
            tenants: [tenantId],
            retry: { maxAttempts: 5, base: "1 second", factor: 2, cap: "1 minute" }
          })
          yield* appendEvents([approvedEvent(tenantId, "p", [applicant("v1", { wecom: undefined })])])
          email.failNext(1)
          email.failNext(1, { retryAfterMillis: 30_000 })
          const first = yield* dispatcher.runOnce
          assert.strictEqual(first.retried, 1)
          const [afterFirst] = yield* allDeliveries(tenantId)
          assert.strictEqual(afterFirst.status, "retrying")
          assert.strictEqual(afterFirst.attempts, 1)
          assert.include(afterFirst.lastError ?? "", "网关暂时不可用")
          const firstDelay = afterFirst.nextAttemptAt.getTime() - now
          assert.isAtLeast(firstDelay, 0)
          assert.isBelow(firstDelay, 1000)
          yield* TestClock.adjust(1000)
          const second = yield* dispatcher.runOnce
          assert.strictEqual(second.retried, 1)
          const [afterSecond] = yield* allDeliveries(tenantId)
          assert.strictEqual(afterSecond.nextAttemptAt.getTime() - (now + 1000), 30_000)
          yield* TestClock.adjust(29_999)
          assert.strictEqual((yield* dispatcher.runOnce).delivered, 0)
          yield* TestClock.adjust(1)
          assert.strictEqual((yield* dispatcher.runOnce).delivered, 1)
          const [delivered] = yield* allDeliveries(tenantId)
          assert.strictEqual(delivered.status, "delivered")
          assert.strictEqual(delivered.attempts, 3)
          assert.strictEqual(email.calls.length, 3)
          assert.deepStrictEqual([...email.countsByKey.values()], [1])
        })
      )

      it.effect("after maxAttempts the delivery is dead; a non-retryable error kills it at once", () =>
        Effect.gen(function* () {
          yield* startClock
          const tenantId = freshTenant()
          const email = makeRecorder("email")
          const wecom = makeRecorder("wecom")
          const dispatcher = yield* dispatcherWith([email.notifier, wecom.notifier], [approvedSubscription()], {
            tenants: [tenantId],
            retry: { maxAttempts: 3, base: "10 millis", cap: "1 second" }
          })
          yield* appendEvents([approvedEvent(tenantId, "p", [applicant("v1")])])
          email.failNext(10)
          wecom.failNext(1, { retryable: false, reason: "用户不存在" })
          for (let i = 0; i < 6; i++) {
            yield* dispatcher.runOnce
            yield* TestClock.adjust(1000)
          }
          const stored = yield* allDeliveries(tenantId)
          const byChannel = Object.fromEntries(stored.map((d) => [d.channel, d]))
          assert.strictEqual(byChannel.email.status, "dead")
          assert.strictEqual(byChannel.email.attempts, 3)
          assert.strictEqual(email.calls.length, 3)
          assert.strictEqual(byChannel.wecom.status, "dead")
          assert.strictEqual(byChannel.wecom.attempts, 1)
          assert.include(byChannel.wecom.lastError ?? "", "用户不存在")
          assert.strictEqual(wecom.calls.length, 1)
          assert.strictEqual((yield* dispatcher.stats).dead, 2)
          const deliveries = yield* Deliveries
          const counts = yield* deliveries.countByStatus(tenantId)
          assert.strictEqual(counts.dead, 2)
        })
      )

      it.effect("preferences: an opt-out wins over subscriptions and opt-ins; an opt-in adds a channel", () =>
        Effect.gen(function* () {
          yield* startClock
          const tenantId = freshTenant()
          const preferences = yield* Preferences
          yield* preferences.put(tenantId, { recipientId: "v1", optOut: ["email"], optIn: ["email", "sms"] })
          yield* preferences.put(tenantId, { recipientId: "v2", optIn: ["sms"] })
          const email = makeRecorder("email")
          const wecom = makeRecorder("wecom")
          const sms = makeRecorder("sms")
          // the resolver knows every applicant's mobile number; the subscription itself uses email and WeCom
          const subscription = Subscription.make({
            ...approvedSubscription(),
            recipients: ({ payload }: Subscription.EventContext<ApprovedPayload>) =>
              Effect.succeed(
                payload.applicants.map((a, i) => ({
                  id: a.id,
                  name: a.name,
                  addresses: { email: a.email, wecom: a.wecom, sms: `1380013800${i + 1}` }
                }))
              )
          })
          const dispatcher = yield* dispatcherWith([email.notifier, wecom.notifier, sms.notifier], [subscription], {
            tenants: [tenantId]
          })
          yield* appendEvents([approvedEvent(tenantId, "p", [applicant("v1"), applicant("v2"), applicant("v3")])])
          yield* dispatcher.drain()
          const to = (recorder: Recorder) => recorder.sent.map((n) => n.recipient).sort()
          assert.deepStrictEqual(to(email), ["v2@example.org", "v3@example.org"])
          assert.deepStrictEqual(to(wecom), ["wx-v1", "wx-v2", "wx-v3"])
          assert.deepStrictEqual(to(sms), ["13800138001", "13800138002"])
          assert.strictEqual((yield* dispatcher.runOnce).created, 0)
        })
      )

      it.effect("daily digest: items are held, then sent as ONE summary per recipient and channel, once", () =>
        Effect.gen(function* () {
          yield* startClock // 2026-03-02 09:00 in China
          const tenantId = freshTenant()
          const preferences = yield* Preferences
          yield* preferences.put(tenantId, { recipientId: "v1", digest: "daily" })
          const email = makeRecorder("email")
          const wecom = makeRecorder("wecom")
          const notifiers = [email.notifier, wecom.notifier]
          const urgent = approvedSubscription({ id: "test.urgent", priority: "urgent", event: "test.Urgent" })
          const dispatcher = yield* dispatcherWith(notifiers, [approvedSubscription(), urgent], { tenants: [tenantId] })
          yield* appendEvents([
            approvedEvent(tenantId, "项目一", [applicant("v1"), applicant("v2")]),
            approvedEvent(tenantId, "项目二", [applicant("v1")]),
            { ...approvedEvent(tenantId, "紧急", [applicant("v1")]), type: "test.Urgent" }
          ])
          yield* dispatcher.drain()
          // v2 got theirs at once; v1 only the urgent one
          assert.deepStrictEqual(email.sent.map((n) => n.recipient).sort(), ["v1@example.org", "v2@example.org"])
          assert.strictEqual(email.sent.find((n) => n.recipient === "v1@example.org")?.subject, "报名已通过：紧急")
          assert.strictEqual((yield* allDeliveries(tenantId, "digest")).length, 4)
          // 18:00 China time is 9 hours after the start
          yield* TestClock.adjust(9 * 3_600_000 + 1)
          yield* appendEvents([approvedEvent(tenantId, "项目三（摘要之后）", [applicant("v1")])])
          yield* dispatcher.drain()
          const digest = yield* dispatcher.runDigest("2026-03-02")
          assert.strictEqual(digest.digests, 2)
          assert.strictEqual(digest.digested, 4)
          yield* dispatcher.drain()
          const summaries = [...email.sent, ...wecom.sent].filter((n) => n.subject.startsWith("今日通知摘要"))
          assert.strictEqual(summaries.length, 2)
          for (const summary of summaries) {
            assert.strictEqual(summary.subject, "今日通知摘要（2 条）")
            assert.include(summary.body.text, "1. 报名已通过：项目一")
            assert.include(summary.body.text, "2. 报名已通过：项目二")
            assert.notInclude(summary.body.text, "项目三")
            assert.strictEqual(
              summary.idempotencyKey,
              idempotencyKey(tenantId, "digest:2026-03-02", "v1", summary.channel)
            )
          }
          assert.strictEqual((yield* allDeliveries(tenantId, "digested")).length, 4)
          assert.strictEqual((yield* allDeliveries(tenantId, "digest")).length, 2)
          // running the same day again changes nothing
          assert.strictEqual((yield* dispatcher.runDigest("2026-03-02")).digests, 0)
          // the items recorded after the cut-off go into the next day's summary
          const next = yield* dispatcher.runDigest("2026-03-03")
          assert.strictEqual(next.digests, 2)
          assert.strictEqual(next.digested, 2)
          assert.strictEqual((yield* Effect.flip(dispatcher.runDigest("2026-02-30")))._tag, "DispatcherConfigError")
        })
      )

      it.effect("an event whose recipients cannot be resolved is retried with back-off, then left dead", () =>
        Effect.gen(function* () {
          yield* startClock
          const tenantId = freshTenant()
          const email = makeRecorder("email")
          let calls = 0
          const failing = Subscription.make({
            ...approvedSubscription({ channels: ["email"] }),
            recipients: () => {
              calls++
              return Effect.fail(new Error("人员库暂时不可用"))
            }
          })
          const dispatcher = yield* dispatcherWith([email.notifier], [failing], {
            tenants: [tenantId],
            expandRetry: { maxAttempts: 3, base: "1 second", cap: "1 second" }
          })
          const [event] = yield* appendEvents([approvedEvent(tenantId, "p", [applicant("v1")])])
          const first = yield* dispatcher.runOnce
          assert.strictEqual(first.failed, 1)
          assert.strictEqual(first.expanded, 0)
          const outbox = yield* Outbox
          const [entry] = (yield* outbox.list(tenantId, { limit: 1 })).items
          assert.strictEqual(entry.status, "pending")
          assert.strictEqual(entry.attempts, 1)
          assert.include(entry.lastError ?? "", "人员库暂时不可用")
          assert.isAtMost(entry.availableAt.getTime() - (yield* Clock.currentTimeMillis), 1000)
          for (let i = 0; i < 4; i++) {
            yield* TestClock.adjust(1000)
            yield* dispatcher.runOnce
          }
          const [dead] = (yield* outbox.list(tenantId, { limit: 1 })).items
          assert.strictEqual(dead.event.id, event.id)
          assert.strictEqual(dead.status, "dead")
          assert.strictEqual(calls, 3)
          assert.strictEqual(email.calls.length, 0)
        })
      )
    })
  })

/** Both suites. */
export const pipelineSuites = (backend: PipelineBackend) => {
  deliveriesSuite(backend)
  dispatcherSuite(backend)
}
