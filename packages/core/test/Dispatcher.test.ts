import { assert, describe, it } from "@effect/vitest"
import * as Delivery from "@gongzhi/core/Delivery"
import * as Dispatcher from "@gongzhi/core/Dispatcher"
import * as Notifier from "@gongzhi/core/Notifier"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Preference from "@gongzhi/core/Preference"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Transactor from "@gongzhi/core/Transactor"
import type { Scope } from "effect"
import {
  Deferred,
  Effect,
  Exit,
  FastCheck,
  Fiber,
  Layer,
  Logger,
  LogLevel,
  Option,
  Scope as ScopeModule,
  TestClock
} from "effect"
import { freshTenant, startClock } from "../src/internal/conformance/kit.js"
import {
  allDeliveries,
  appendEvents,
  approvedEvent,
  approvedSubscription,
  dispatcherSuite,
  makeRecorder,
  sampleDelivery
} from "../src/internal/dispatcherSuite.js"

const memory = Layer.mergeAll(Transactor.layerMemory, Outbox.layerMemory, Delivery.layerMemory, Preference.layerMemory)

dispatcherSuite({ name: "memory", concurrentWriters: false, layer: memory })

const applicant = (id: string) => ({ id, name: `志愿者${id}`, email: `${id}@example.org` })

/** Runs the dispatcher's loop in `scope` with these notifiers and the sample subscription. */
const startIn = (
  scope: Scope.Scope,
  notifiers: ReadonlyArray<Notifier.NotifierShape>,
  options: Dispatcher.DispatcherOptions,
  subscriptions: ReadonlyArray<Subscription.Subscription> = [approvedSubscription({ channels: ["email"] })]
) =>
  Effect.gen(function* () {
    const registry = Notifier.makeNotifiers(notifiers)
    const configured = yield* Subscription.configure(subscriptions, { channels: registry.channels })
    return yield* Dispatcher.run(options).pipe(
      Effect.provideService(Notifier.Notifiers, registry),
      Effect.provideService(Subscription.Subscriptions, configured),
      ScopeModule.extend(scope)
    )
  }).pipe(Effect.orDie)

/** Lets other fibers run until `check` holds (at most `rounds` yields). */
const eventually = (check: () => boolean, rounds = 2000) =>
  Effect.gen(function* () {
    for (let i = 0; i < rounds && !check(); i++) yield* Effect.yieldNow()
    assert.isTrue(check(), "condition not reached")
  })

describe("Dispatcher (loop, shutdown, options)", () => {
  it.prop(
    "back-off stays within [0, min(cap, base × factor^(n-1))] and honours Retry-After",
    [
      FastCheck.integer({ min: 1, max: 30 }),
      FastCheck.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      FastCheck.option(FastCheck.integer({ min: 0, max: 10_000_000 }), { nil: undefined })
    ],
    ([attempt, random, retryAfter]) => {
      const policy = { baseMillis: 500, factor: 2, capMillis: 60_000 }
      const delay = Dispatcher.backoffMillis(policy, attempt, random, retryAfter)
      const ceiling = Math.min(60_000, 500 * 2 ** (attempt - 1))
      assert.isAtLeast(delay, retryAfter ?? 0)
      if (retryAfter === undefined || retryAfter < ceiling) assert.isBelow(delay, Math.max(ceiling, 1))
      assert.isAtMost(Dispatcher.backoffMillis(policy, attempt, random), ceiling)
    }
  )

  it("back-off grows exponentially until the cap", () => {
    const policy = { baseMillis: 1000, factor: 3, capMillis: 20_000 }
    const top = (attempt: number) => Dispatcher.backoffMillis(policy, attempt, 0.999_999)
    assert.deepStrictEqual([1, 2, 3, 4, 5].map(top), [999, 2999, 8999, 19_999, 19_999])
    assert.strictEqual(Dispatcher.backoffMillis(policy, 3, 0), 0)
  })

  it.effect("invalid options fail with DispatcherConfigError naming the setting", () =>
    Effect.gen(function* () {
      const registry = Notifier.makeNotifiers([])
      const configured = yield* Subscription.configure<never>([], { channels: [] })
      const settingOf = (options: Dispatcher.DispatcherOptions) =>
        Dispatcher.make(options).pipe(
          Effect.provideService(Notifier.Notifiers, registry),
          Effect.provideService(Subscription.Subscriptions, configured),
          Effect.provide(memory),
          Effect.flip,
          Effect.map((error) => error.setting)
        )
      assert.strictEqual(yield* settingOf({ tenants: [] }), "tenants")
      assert.strictEqual(yield* settingOf({ tenants: ["12345"] }), "tenants")
      assert.strictEqual(yield* settingOf({ tenants: ["440310"], lease: "5 seconds" }), "sendTimeout")
      assert.strictEqual(yield* settingOf({ tenants: ["440310"], pollInterval: "soon" as any }), "pollInterval")
      assert.strictEqual(yield* settingOf({ tenants: ["440310"], batchSize: 0 }), "batchSize")
      assert.strictEqual(yield* settingOf({ tenants: ["440310"], retry: { factor: 0.5 } }), "retry.factor")
      assert.strictEqual(yield* settingOf({ tenants: ["440310"], digest: { at: "24:00" } }), "digest.at")
      const error = yield* Effect.flip(
        Dispatcher.make({ tenants: [] }).pipe(
          Effect.provideService(Notifier.Notifiers, registry),
          Effect.provideService(Subscription.Subscriptions, configured),
          Effect.provide(memory)
        )
      )
      assert.include(error.message, "通知分发器配置无效（tenants）")
    })
  )

  it.scoped("the background loop polls, sends new events, and runs the daily digest at the configured time", () =>
    Effect.gen(function* () {
      yield* startClock // 09:00 China time
      const tenantId = freshTenant()
      const preferences = yield* Preference.Preferences
      yield* preferences.put(tenantId, { recipientId: "v9", digest: "daily" })
      const email = makeRecorder("email")
      const scope = yield* Effect.scope
      const dispatcher = yield* startIn(scope, [email.notifier], {
        tenants: [tenantId],
        // long, so that moving the test clock by hours wakes the loop only a few times
        pollInterval: "30 minutes",
        digest: { at: "18:00" }
      })
      yield* appendEvents([approvedEvent(tenantId, "p1", [applicant("v1"), applicant("v9")])])
      yield* TestClock.adjust("30 minutes")
      yield* eventually(() => email.sent.length === 1)
      assert.strictEqual(email.sent[0].recipient, "v1@example.org")
      yield* appendEvents([approvedEvent(tenantId, "p2", [applicant("v2")])])
      // the loop sleeps until the next poll
      for (let i = 0; i < 50; i++) yield* Effect.yieldNow()
      assert.strictEqual(email.sent.length, 1)
      yield* TestClock.adjust("30 minutes")
      yield* eventually(() => email.sent.length === 2)
      // 18:00: the loop builds v9's digest, then sends it on its next pass
      yield* TestClock.adjust("9 hours")
      yield* eventually(() => email.sent.length === 3)
      const digest = email.sent[2]
      assert.strictEqual(digest.recipient, "v9@example.org")
      assert.strictEqual(digest.subject, "今日通知摘要（1 条）")
      const stats = yield* dispatcher.stats
      assert.strictEqual(stats.delivered, 3)
      assert.strictEqual(stats.digests, 1)
      // the next minutes do not build it again
      yield* TestClock.adjust("2 hours")
      yield* Effect.yieldNow()
      assert.strictEqual((yield* dispatcher.stats).digests, 1)
    }).pipe(Effect.provide(memory))
  )

  it.effect("closing the scope finishes the send in flight and gives back the claims not yet started", () =>
    Effect.gen(function* () {
      yield* startClock
      const tenantId = freshTenant()
      const started = yield* Deferred.make<void>()
      const latch = yield* Deferred.make<void>()
      const recorder = makeRecorder("email")
      const blocking: Notifier.NotifierShape = {
        channel: recorder.notifier.channel,
        send: (notification) =>
          Effect.zipRight(
            Effect.zipRight(Deferred.succeed(started, undefined), Deferred.await(latch)),
            recorder.notifier.send(notification)
          )
      }
      const scope = yield* ScopeModule.make()
      yield* appendEvents([approvedEvent(tenantId, "p", ["a", "b", "c", "d", "e"].map(applicant))])
      yield* startIn(scope, [blocking], { tenants: [tenantId], batchSize: 10, concurrency: 1 })
      yield* Deferred.await(started)
      const closing = yield* Effect.fork(ScopeModule.close(scope, Exit.void))
      yield* Effect.yieldNow()
      assert.isTrue(Option.isNone(yield* Fiber.poll(closing)), "shutdown waits for the send in flight")
      yield* Deferred.succeed(latch, undefined)
      yield* Fiber.join(closing)
      assert.strictEqual(recorder.sent.length, 1)
      const stored = yield* allDeliveries(tenantId)
      const byStatus = (status: Delivery.DeliveryStatus) => stored.filter((d) => d.status === status)
      assert.strictEqual(byStatus("delivered").length, 1)
      assert.strictEqual(byStatus("pending").length, 4)
      for (const delivery of byStatus("pending")) {
        assert.strictEqual(delivery.attempts, 0)
        assert.isUndefined(delivery.claimedBy)
      }
      // another dispatcher sends the rest at once, the delivered one not again
      const next = yield* ScopeModule.make()
      const other = yield* startIn(next, [recorder.notifier], { tenants: [tenantId] })
      yield* eventually(() => recorder.sent.length === 5)
      yield* ScopeModule.close(next, Exit.void)
      assert.strictEqual((yield* other.stats).delivered, 4)
      assert.deepStrictEqual(new Set(recorder.countsByKey.values()), new Set([1]))
    }).pipe(Effect.provide(memory))
  )

  it.effect(
    "a send that outlasts sendTimeout is retried; a crashing notifier is retried; an unknown channel is dead",
    () =>
      Effect.gen(function* () {
        yield* startClock
        const tenantId = freshTenant()
        const hanging: Notifier.NotifierShape = { channel: Notifier.Channel.make("email"), send: () => Effect.never }
        const crashing: Notifier.NotifierShape = {
          channel: Notifier.Channel.make("wecom"),
          send: () => Effect.die(new Error("bug"))
        }
        const registry = Notifier.makeNotifiers([hanging, crashing])
        const configured = yield* Subscription.configure<never>([], { channels: registry.channels })
        const dispatcher = yield* Dispatcher.make({
          tenants: [tenantId],
          sendTimeout: "2 seconds",
          lease: "1 minute"
        }).pipe(
          Effect.provideService(Notifier.Notifiers, registry),
          Effect.provideService(Subscription.Subscriptions, configured)
        )
        const deliveries = yield* Delivery.Deliveries
        yield* deliveries.insert([
          sampleDelivery(tenantId, 1, { channel: "email" }),
          sampleDelivery(tenantId, 2, { channel: "wecom" }),
          sampleDelivery(tenantId, 3, { channel: "fax" })
        ])
        const running = yield* Effect.fork(dispatcher.send)
        yield* TestClock.adjust(2000)
        const counts = yield* Fiber.join(running)
        assert.strictEqual(counts.retried, 2)
        assert.strictEqual(counts.dead, 1)
        const byEvent = Object.fromEntries((yield* allDeliveries(tenantId)).map((d) => [d.eventId, d]))
        assert.include(byEvent["event-1"].lastError, "发送超时")
        assert.include(byEvent["event-2"].lastError, "通知适配器异常")
        assert.strictEqual(byEvent["event-3"].status, "dead")
        assert.include(byEvent["event-3"].lastError, "未配置通知渠道 fax")
      }).pipe(Effect.provide(memory))
  )

  it.effect("logs carry counts and masked addresses, never the address itself", () =>
    Effect.gen(function* () {
      yield* startClock
      const tenantId = freshTenant()
      const lines: Array<string> = []
      const capture = Logger.make(({ annotations, message }) => {
        lines.push(JSON.stringify({ message, annotations: Object.fromEntries(annotations) }))
      })
      const email = makeRecorder("email")
      const registry = Notifier.makeNotifiers([email.notifier])
      const configured = yield* Subscription.configure([approvedSubscription({ channels: ["email"] })], {
        channels: registry.channels
      })
      const dispatcher = yield* Dispatcher.make({ tenants: [tenantId] }).pipe(
        Effect.provideService(Notifier.Notifiers, registry),
        Effect.provideService(Subscription.Subscriptions, configured)
      )
      yield* appendEvents([approvedEvent(tenantId, "p", [applicant("zhangsan")])])
      email.failNext(1)
      yield* dispatcher.runOnce.pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, capture)),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      const text = lines.join("\n")
      assert.include(text, "通知事件已展开")
      assert.include(text, "通知发送失败，稍后重试")
      assert.include(text, "zh********rg")
      assert.notInclude(text, "zhangsan@example.org")
    }).pipe(Effect.provide(memory))
  )
})
