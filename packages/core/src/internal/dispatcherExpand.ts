// Stage 1 of the dispatcher engine: expand claimed outbox events into deliveries (subscriptions,
// recipients, preferences, rendered templates), with retries and dead letters for events that fail.
import { Clock, Data, Effect, Either, Option, Random, Ref, Schema } from "effect"
import type { NewDelivery } from "../Delivery.js"
import { Deliveries } from "../Delivery.js"
import { Notifiers } from "../Notifier.js"
import type { OutboxEntry } from "../Outbox.js"
import { Outbox } from "../Outbox.js"
import * as Preference from "../Preference.js"
import * as Subscription from "../Subscription.js"
import * as Template from "../Template.js"
import type { TenantId } from "../Tenant.js"
import { Transactor } from "../Transactor.js"
import { describeParseError } from "./dispatcherPaths.js"
import { add, backoffMillis, describeUnknown, type Resolved, zero } from "./dispatcherShared.js"

/** An event could not be expanded; the message is safe to store (no values, no addresses). */
class ExpandFailure extends Data.TaggedError("ExpandFailure")<{ readonly message: string }> {}

const decodeRecipients = Schema.decodeUnknown(Schema.Array(Subscription.Recipient))

export const makeExpand = (resolved: Resolved, stopping: Ref.Ref<boolean>) =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    const deliveries = yield* Deliveries
    const subscriptions = yield* Subscription.Subscriptions
    const notifiers = yield* Notifiers
    const transactor = yield* Transactor
    const preferences = yield* Effect.serviceOption(Preference.Preferences)
    const { workerId } = resolved

    const preferencesOf = (tenantId: TenantId, ids: ReadonlyArray<string>) =>
      Option.isSome(preferences) && ids.length > 0
        ? preferences.value.getMany(tenantId, ids)
        : Effect.succeed(
            new Map<string, Preference.RecipientPreference>() as ReadonlyMap<string, Preference.RecipientPreference>
          )

    // -----------------------------------------------------------------------------------------
    // stage 1: expand
    // -----------------------------------------------------------------------------------------

    /** A subscription's recipients for an event (decoded, de-duplicated), before preferences. */
    interface Addressed {
      readonly subscription: Subscription.Configured
      readonly context: Subscription.EventContext<unknown>
      readonly recipients: ReadonlyArray<Subscription.Recipient>
    }

    const addressSubscription = (entry: OutboxEntry, subscription: Subscription.Configured) =>
      Effect.gen(function* () {
        const event = entry.event
        const which = `订阅「${subscription.id}」`
        const payload =
          subscription.payload === undefined
            ? event.payload
            : yield* Schema.decodeUnknown(subscription.payload)(event.payload).pipe(
                Effect.mapError(
                  (error) => new ExpandFailure({ message: `${which}无法解读事件内容：${describeParseError(error)}` })
                )
              )
        const context: Subscription.EventContext<unknown> = { event, payload }
        const raw = yield* subscription.recipients(context).pipe(
          Effect.catchAllDefect((defect) => Effect.fail(defect)),
          Effect.mapError(
            (error) => new ExpandFailure({ message: `${which}解析收件人失败：${describeUnknown(error)}` })
          )
        )
        const decoded = yield* decodeRecipients(raw).pipe(
          Effect.mapError(
            (error) => new ExpandFailure({ message: `${which}返回的收件人无效：${describeParseError(error)}` })
          )
        )
        const seen = new Set<string>()
        const recipients = decoded.filter((recipient) => !seen.has(recipient.id) && seen.add(recipient.id))
        return { subscription, context, recipients } satisfies Addressed
      })

    const renderSubscription = (
      entry: OutboxEntry,
      { context, recipients, subscription }: Addressed,
      prefs: ReadonlyMap<string, Preference.RecipientPreference>
    ) =>
      Effect.gen(function* () {
        const event = entry.event
        const which = `订阅「${subscription.id}」`
        const out: Array<NewDelivery> = []
        for (const recipient of recipients) {
          const preference = prefs.get(recipient.id)
          const address = (channel: string) => {
            const value = recipient.addresses[channel]
            return typeof value === "string" && value.length > 0 ? value : undefined
          }
          const channels = Preference.channelsFor(
            preference,
            subscription.channels,
            (channel) => notifiers.get(channel) !== undefined && address(channel) !== undefined
          )
          if (channels.length === 0) continue
          const data = Either.try({
            try: () => Subscription.mapData(subscription.data, context, recipient),
            catch: (error) => new ExpandFailure({ message: `${which}的数据映射出错：${describeUnknown(error)}` })
          })
          if (Either.isLeft(data)) return yield* data.left
          const rendered = yield* Template.render(subscription.template, data.right, {
            locale: preference?.locale ?? recipient.locale
          }).pipe(Effect.mapError((error) => new ExpandFailure({ message: `${which}：${error.message}` })))
          const status = Preference.isDigested(preference, subscription.priority) ? "digest" : "pending"
          for (const channel of channels) {
            out.push({
              tenantId: event.tenantId,
              eventId: event.id,
              eventType: event.type,
              subscriptionId: subscription.id,
              recipientId: recipient.id,
              channel,
              address: address(channel)!,
              locale: rendered.locale,
              priority: subscription.priority,
              templateId: rendered.templateId,
              subject: rendered.subject,
              body: rendered.body,
              data: data.right,
              status
            })
          }
        }
        return out
      })

    const asExpandFailure = <A, R>(self: Effect.Effect<A, ExpandFailure, R>) =>
      Effect.catchAllDefect(self, (defect) =>
        Effect.fail(new ExpandFailure({ message: `展开事件时出现异常：${describeUnknown(defect)}` }))
      )

    /** Stage 1a, per event: every subscription's recipients. */
    const addressEvent = (entry: OutboxEntry) =>
      Effect.forEach(subscriptions.forEvent(entry.event.type), (subscription) =>
        addressSubscription(entry, subscription)
      ).pipe(asExpandFailure, Effect.either)

    /**
     * Stage 1b, per event: the deliveries, with the preferences of the whole claimed batch (read
     * once, in `expandTenant`).
     */
    const renderEvent = (
      entry: OutboxEntry,
      addressed: ReadonlyArray<Addressed>,
      prefs: Either.Either<ReadonlyMap<string, Preference.RecipientPreference>, ExpandFailure>
    ): Effect.Effect<Either.Either<ReadonlyArray<NewDelivery>, ExpandFailure>> =>
      Effect.gen(function* () {
        if (addressed.every(({ recipients }) => recipients.length === 0)) return []
        const found = yield* prefs
        const lists = yield* Effect.forEach(addressed, (item) => renderSubscription(entry, item, found))
        return lists.flat()
      }).pipe(asExpandFailure, Effect.either)

    const expandTenant = (tenantId: TenantId) =>
      Effect.gen(function* () {
        if (yield* Ref.get(stopping)) return zero
        const entries = yield* outbox
          .claim({ tenantId, workerId, limit: resolved.batchSize, leaseMillis: resolved.leaseMillis })
          .pipe(Effect.catchTag("OutboxInputError", (error) => Effect.dieMessage(error.message)))
        if (entries.length === 0) return zero
        const addressed = yield* Effect.forEach(entries, addressEvent, { concurrency: resolved.concurrency })
        const recipientIds = new Set<string>()
        for (const result of addressed) {
          if (Either.isRight(result)) {
            for (const { recipients } of result.right)
              for (const recipient of recipients) recipientIds.add(recipient.id)
          }
        }
        const prefs = yield* preferencesOf(tenantId, [...recipientIds]).pipe(
          Effect.mapError((error) => new ExpandFailure({ message: `读取通知偏好失败：${error.message}` })),
          Effect.either
        )
        const results = yield* Effect.forEach(entries, (entry, i) => {
          const result = addressed[i]
          return Either.isLeft(result)
            ? Effect.succeed(Either.left(result.left))
            : renderEvent(entry, result.right, prefs)
        })
        const done: Array<OutboxEntry["event"]["id"]> = []
        const planned: Array<NewDelivery> = []
        const failed: Array<{ readonly entry: OutboxEntry; readonly failure: ExpandFailure }> = []
        entries.forEach((entry, i) => {
          const result = results[i]
          if (Either.isRight(result)) {
            done.push(entry.event.id)
            planned.push(...result.right)
          } else failed.push({ entry, failure: result.left })
        })
        const created = yield* transactor
          .withTransaction(
            Effect.gen(function* () {
              const inserted = yield* deliveries
                .insert(planned)
                .pipe(Effect.catchTag("DeliveryInputError", (error) => Effect.dieMessage(error.message)))
              yield* outbox.complete(tenantId, workerId, done)
              return inserted
            })
          )
          .pipe(Effect.withSpan("Dispatcher.expand.commit"))
        for (const { entry, failure } of failed) {
          const attempt = entry.attempts + 1
          const giveUp = attempt >= resolved.expandRetry.maxAttempts
          const now = yield* Clock.currentTimeMillis
          const delay = backoffMillis(resolved.expandRetry, attempt, yield* Random.next)
          yield* outbox.release(tenantId, workerId, entry.event.id, {
            retryAt: new Date(now + delay),
            error: failure.message,
            dead: giveUp
          })
          yield* Effect.logWarning(giveUp ? "通知事件展开失败，已放弃" : "通知事件展开失败，稍后重试").pipe(
            Effect.annotateLogs({
              tenantId,
              eventId: entry.event.id,
              eventType: entry.event.type,
              attempt,
              error: failure.message
            })
          )
        }
        if (done.length > 0) {
          yield* Effect.logDebug("通知事件已展开").pipe(
            Effect.annotateLogs({ tenantId, events: done.length, deliveries: created, failed: failed.length })
          )
        }
        return add(zero, { expanded: done.length, failed: failed.length, created })
      })

    return { expandTenant }
  })
