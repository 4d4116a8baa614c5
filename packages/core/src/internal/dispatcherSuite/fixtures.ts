import { Clock, Effect, Schema } from "effect"
import type { DeliveriesShape, DeliveryStatus, NewDelivery } from "../../Delivery.js"
import { Deliveries } from "../../Delivery.js"
import * as Dispatcher from "../../Dispatcher.js"
import type { Notification, NotifierShape } from "../../Notifier.js"
import { Channel, makeNotifiers, Notifiers, NotifyError, Receipt } from "../../Notifier.js"
import { Outbox } from "../../Outbox.js"
import type { Preferences } from "../../Preference.js"
import * as Subscription from "../../Subscription.js"
import * as Template from "../../Template.js"
import type { TenantId } from "../../Tenant.js"
import { Transactor } from "../../Transactor.js"
import type { Backend } from "../conformance/kit.js"
import { loopBound } from "../conformance/kit.js"

/** The services a backend's layer must output for these suites. */
export type PipelinePorts = Outbox | Deliveries | Preferences | Transactor

export type PipelineBackend = Backend<PipelinePorts>

export const LEASE = 60_000

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
// sample deliveries and claims
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

export const claimAll = (deliveries: DeliveriesShape, tenantId: TenantId, workerId: string, limit = 100) =>
  deliveries.claim({ tenantId, workerId, limit, leaseMillis: LEASE })
