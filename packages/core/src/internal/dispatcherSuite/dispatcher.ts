/** The dispatcher end-to-end conformance suite (see `../dispatcherSuite.ts`). */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, TestClock } from "effect"
import { Deliveries, idempotencyKey } from "../../Delivery.js"
import { Outbox } from "../../Outbox.js"
import { Preferences } from "../../Preference.js"
import * as Subscription from "../../Subscription.js"
import { freshTenant, startClock } from "../conformance/kit.js"
import type { PipelineBackend, Recorder } from "./fixtures.js"
import {
  type ApprovedPayload,
  allDeliveries,
  appendEvents,
  approvedEvent,
  approvedSubscription,
  dispatcherWith,
  LEASE,
  makeRecorder
} from "./fixtures.js"

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
