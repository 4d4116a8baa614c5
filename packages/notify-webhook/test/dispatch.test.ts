/**
 * The notification pipeline end to end, on the in-memory stores: events appended to the outbox are
 * expanded by a subscription and a template into webhook notifications, which the dispatcher's loop
 * sends through `Webhook.make` (undici) to a real HTTP receiver on 127.0.0.1. The receiver checks
 * every request with `Webhook.verify` and processes each idempotency key once, as a real receiver
 * should; the planned answers (5xx, 400, 503 with Retry-After, no answer at all) exercise the
 * dispatcher's retries, time-outs and dead letters against the adapter's classification.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import * as Delivery from "@gongzhi/core/Delivery"
import * as Dispatcher from "@gongzhi/core/Dispatcher"
import * as Notifier from "@gongzhi/core/Notifier"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Preference from "@gongzhi/core/Preference"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import type { Duration } from "effect"
import { Clock, Effect, Exit, Layer, Option, Redacted, Runtime, Schema } from "effect"
import * as Webhook from "../src/Webhook.js"

const secret = Redacted.make("whsec-坪山区-民情-0123456789abcdef")
const verifyWith = Webhook.verify({ secret })
const tenantId = TenantId.make("440310")
const EVENT = "opinion.ReportAccepted"
const HUB = "pingshan-hub"

/** What the receiver answers to the next request (after checking its signature). */
type Planned = { readonly status: number; readonly headers?: Record<string, string> } | "hang"

/** One request as the receiver saw it. */
interface Arrival {
  /** Milliseconds since the epoch when the request body had arrived. */
  readonly at: number
  readonly key: string
  readonly verified: boolean
  /** The status answered, or "hang" (processed, never answered). */
  readonly answer: number | "hang"
  /** The key had already been processed: answered 200 without processing it again. */
  readonly duplicate: boolean
}

/** A webhook receiver on 127.0.0.1 (random port) that verifies signatures and de-duplicates by key. */
interface Receiver {
  readonly url: string
  readonly plan: Array<Planned>
  readonly arrivals: Array<Arrival>
  /** Notifications processed, by idempotency key: each key at most once. */
  readonly processed: Map<string, Webhook.WebhookPayload>
}

const makeReceiver = Effect.gen(function* () {
  const runtime = yield* Effect.runtime<never>()
  const verify = (headers: Http.IncomingHttpHeaders, body: string) =>
    Runtime.runSyncExit(runtime)(verifyWith(headers, body))
  const plan: Array<Planned> = []
  const arrivals: Array<Arrival> = []
  const processed = new Map<string, Webhook.WebhookPayload>()
  const server = yield* Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const server = Http.createServer((request, response) => {
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => {
          const at = Date.now()
          const key = String(request.headers[Webhook.IDEMPOTENCY_KEY_HEADER.toLowerCase()] ?? "")
          const checked = verify(request.headers, Buffer.concat(chunks).toString("utf8"))
          if (Exit.isFailure(checked)) {
            arrivals.push({ at, key, verified: false, answer: 401, duplicate: false })
            response.writeHead(401).end()
            return
          }
          const payload = checked.value
          const planned = plan.shift()
          if (planned !== undefined && planned !== "hang") {
            arrivals.push({ at, key, verified: true, answer: planned.status, duplicate: false })
            response.writeHead(planned.status, planned.headers ?? {}).end()
            return
          }
          const duplicate = processed.has(payload.idempotencyKey)
          if (!duplicate) processed.set(payload.idempotencyKey, payload)
          arrivals.push({ at, key, verified: true, answer: planned ?? 200, duplicate })
          // "hang": the work is done but the answer never comes (a slow receiver, a lost response)
          if (planned === "hang") return
          response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ duplicate }))
        })
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
  const { port } = server.address() as AddressInfo
  const receiver: Receiver = { url: `http://127.0.0.1:${port}/gongzhi/notifications`, plan, arrivals, processed }
  return receiver
})

const ReportAccepted = Schema.Struct({ reportId: Schema.String, community: Schema.String, title: Schema.String })

const accepted = Template.make({
  id: "opinion.reportAccepted",
  data: Schema.Struct({ reportId: Schema.String, community: Schema.String, title: Schema.String }),
  zh: {
    subject: "民情诉求已受理：{{reportId}}",
    text: "{{community}}居民反映的「{{title}}」已受理。",
    markdown: "**{{community}}**：「{{title}}」已受理"
  }
})

/** The district's hub gets every accepted report by webhook, at the receiver's URL. */
const notifyHub = (url: string) =>
  Subscription.make({
    id: "opinion.notifyHub",
    event: EVENT,
    payload: ReportAccepted,
    recipients: () => Effect.succeed([{ id: HUB, name: "坪山区民情中心", addresses: { webhook: url } }]),
    template: accepted,
    data: { reportId: "payload.reportId", community: "payload.community", title: "payload.title" },
    channels: ["webhook"]
  })

/**
 * Fresh in-memory stores and an HTTP client per test. Each test's body is scoped INSIDE this
 * environment, so the dispatcher's loop stops before the client and the stores are released.
 */
const environment = Layer.mergeAll(
  Transactor.layerMemory,
  Outbox.layerMemory,
  Delivery.layerMemory,
  Preference.layerMemory,
  NodeHttpClient.layerUndici
)

/** A tiny back-off (20 ms, doubling, at most 100 ms) so that retries happen within the test. */
const fastRetry = { maxAttempts: 5, base: "20 millis", factor: 2, cap: "100 millis" } as const

/** Starts the webhook notifier and the dispatcher's loop (polling every 10 ms) until the scope closes. */
const startPipeline = (receiver: Receiver, webhookTimeout: Duration.DurationInput = "5 seconds") =>
  Effect.gen(function* () {
    const webhook = yield* Webhook.make({ secret, timeout: webhookTimeout })
    const notifiers = Notifier.makeNotifiers([webhook])
    const subscriptions = yield* Subscription.configure([notifyHub(receiver.url)], { channels: notifiers.channels })
    return yield* Dispatcher.run({
      tenants: [tenantId],
      workerId: "webhook-e2e",
      pollInterval: "10 millis",
      sendTimeout: "3 seconds",
      retry: fastRetry
    }).pipe(
      Effect.provideService(Notifier.Notifiers, notifiers),
      Effect.provideService(Subscription.Subscriptions, subscriptions)
    )
  })

const report = (i: number) => ({
  tenantId,
  type: EVENT,
  aggregateType: "OpinionReport",
  aggregateId: `MQ-${String(i).padStart(4, "0")}`,
  payload: { reportId: `MQ-${String(i).padStart(4, "0")}`, community: "沙坣社区", title: `路灯不亮（第${i}处）` }
})

/** Appends the events; returns the idempotency key of each one's webhook delivery. */
const appendReports = (count: number) =>
  Effect.gen(function* () {
    const outbox = yield* Outbox.Outbox
    const events = yield* outbox.append(Array.from({ length: count }, (_, i) => report(i + 1)))
    return events.map((event) => Delivery.idempotencyKey(tenantId, event.id, HUB, "webhook"))
  })

/** Polls `probe` every 10 ms until `done` holds (at most 10 s). */
const eventually = <A, E, R>(probe: Effect.Effect<A, E, R>, done: (a: A) => boolean, what: string) =>
  Effect.gen(function* () {
    const deadline = (yield* Clock.currentTimeMillis) + 10_000
    for (;;) {
      const value = yield* probe
      if (done(value)) return value
      if ((yield* Clock.currentTimeMillis) > deadline) return assert.fail(`not reached within 10 s: ${what}`)
      yield* Effect.sleep("10 millis")
    }
  })

/** The delivery once it has the status (it is recorded when its event is expanded). */
const settled = (key: Delivery.DeliveryId, status: Delivery.DeliveryStatus) =>
  eventually(
    Effect.flatMap(Delivery.Deliveries, (deliveries) => deliveries.get(tenantId, key)),
    (delivery) => Option.isSome(delivery) && delivery.value.status === status,
    `delivery ${status}`
  ).pipe(Effect.map(Option.getOrThrow))

describe("webhook notifications through the dispatcher (memory stores, real HTTP)", () => {
  it.live("every event reaches the receiver once, signed, rendered from its template, under its delivery's key", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      yield* startPipeline(receiver)
      const keys = yield* appendReports(20)
      const deliveries = yield* Delivery.Deliveries
      yield* eventually(
        deliveries.countByStatus(tenantId),
        (counts) => counts.delivered === 20,
        "20 deliveries delivered"
      )
      assert.strictEqual(receiver.arrivals.length, 20)
      assert.isTrue(receiver.arrivals.every((arrival) => arrival.verified && !arrival.duplicate))
      assert.sameMembers([...receiver.processed.keys()], keys)
      const first = receiver.processed.get(keys[0])!
      assert.deepStrictEqual(
        { ...first, sentAt: undefined },
        {
          type: "gongzhi.notification",
          idempotencyKey: keys[0],
          tenantId,
          channel: "webhook",
          subject: "民情诉求已受理：MQ-0001",
          text: "沙坣社区居民反映的「路灯不亮（第1处）」已受理。",
          markdown: "**沙坣社区**：「路灯不亮（第1处）」已受理",
          templateId: "opinion.reportAccepted",
          data: { reportId: "MQ-0001", community: "沙坣社区", title: "路灯不亮（第1处）" },
          priority: "normal",
          sentAt: undefined
        }
      )
    }).pipe(Effect.scoped, Effect.provide(environment))
  )

  it.live("a receiver that answers 500 twice, then 200, gets the notification once: delivered on attempt 3", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      receiver.plan.push({ status: 500 }, { status: 500 })
      yield* startPipeline(receiver)
      const [key] = yield* appendReports(1)
      const delivery = yield* settled(key, "delivered")
      assert.strictEqual(delivery.attempts, 3)
      assert.isDefined(delivery.deliveredAt)
      assert.deepStrictEqual(
        receiver.arrivals.map((arrival) => [arrival.key, arrival.answer, arrival.verified]),
        [
          [key, 500, true],
          [key, 500, true],
          [key, 200, true]
        ]
      )
      assert.deepStrictEqual([...receiver.processed.keys()], [key])
      // nothing more is sent once delivered
      yield* Effect.sleep("150 millis")
      assert.strictEqual(receiver.arrivals.length, 3)
    }).pipe(Effect.scoped, Effect.provide(environment))
  )

  it.live("a receiver that never answers is timed out and retried; the retry is de-duplicated by its key", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      receiver.plan.push("hang")
      yield* startPipeline(receiver, "300 millis")
      const [key] = yield* appendReports(1)
      const delivery = yield* settled(key, "delivered")
      assert.strictEqual(delivery.attempts, 2)
      assert.deepStrictEqual(
        receiver.arrivals.map((arrival) => [arrival.answer, arrival.duplicate]),
        [
          ["hang", false],
          [200, true]
        ]
      )
      // the retry waited for the 300 ms time-out (less the moment the request took to arrive)
      assert.isAtLeast(receiver.arrivals[1].at - receiver.arrivals[0].at, 250, "retried only after the time-out")
      assert.strictEqual(receiver.processed.size, 1, "processed once although sent twice")
      assert.match(delivery.lastError ?? "", /超时/)
    }).pipe(Effect.scoped, Effect.provide(environment))
  )

  it.live("a 400 is a dead letter at once: no retry", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      receiver.plan.push({ status: 400 })
      yield* startPipeline(receiver)
      const [key] = yield* appendReports(1)
      const delivery = yield* settled(key, "dead")
      assert.strictEqual(delivery.attempts, 1)
      assert.match(delivery.lastError ?? "", /HTTP 400/)
      assert.notInclude(delivery.lastError ?? "", "/gongzhi/notifications", "the error names the origin, not the path")
      // with a 20 ms back-off a retry would have come by now
      yield* Effect.sleep("200 millis")
      assert.strictEqual(receiver.arrivals.length, 1)
      assert.strictEqual(receiver.processed.size, 0)
      const dead = yield* Effect.flatMap(Delivery.Deliveries, (deliveries) =>
        deliveries.list(tenantId, { status: "dead", limit: 10 })
      )
      assert.deepStrictEqual(
        dead.items.map((item) => item.id),
        [key]
      )
    }).pipe(Effect.scoped, Effect.provide(environment))
  )

  it.live("Retry-After is honoured: the next attempt comes no sooner than the receiver asked", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      receiver.plan.push({ status: 503, headers: { "Retry-After": "1" } })
      yield* startPipeline(receiver)
      const [key] = yield* appendReports(1)
      const retrying = yield* settled(key, "retrying")
      const asked = receiver.arrivals[0].at + 1000
      assert.isAtLeast(retrying.nextAttemptAt.getTime(), asked)
      const delivery = yield* settled(key, "delivered")
      assert.strictEqual(delivery.attempts, 2)
      assert.deepStrictEqual(
        receiver.arrivals.map((arrival) => arrival.answer),
        [503, 200]
      )
      // the back-off alone (at most 20 ms after attempt 1) would have retried far sooner
      assert.isAtLeast(receiver.arrivals[1].at, asked)
      assert.deepStrictEqual([...receiver.processed.keys()], [key])
    }).pipe(Effect.scoped, Effect.provide(environment))
  )
})
