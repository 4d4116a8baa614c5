import * as Crypto from "node:crypto"
import type { Scope } from "effect"
import { Cause, Clock, Data, Deferred, Effect, Either, Fiber, Option, Random, Ref, Schema } from "effect"
import type { DeliveredReceiptOf, Delivery, NewDelivery } from "../Delivery.js"
import { Deliveries } from "../Delivery.js"
import type { DispatcherShape, RunCounts, Stats } from "../Dispatcher.js"
import * as LocalDate from "../LocalDate.js"
import type { NotifierShape, Receipt } from "../Notifier.js"
import { Notification, Notifiers, NotifyError } from "../Notifier.js"
import type { OutboxEntry } from "../Outbox.js"
import { Outbox } from "../Outbox.js"
import * as Preference from "../Preference.js"
import type { StorageError } from "../StorageError.js"
import * as Subscription from "../Subscription.js"
import * as Template from "../Template.js"
import type { TenantId } from "../Tenant.js"
import { Transactor } from "../Transactor.js"
import { describeParseError, maskAddress } from "./dispatcherPaths.js"

export interface ResolvedRetry {
  readonly maxAttempts: number
  readonly baseMillis: number
  readonly factor: number
  readonly capMillis: number
}

export interface ResolvedDigest {
  readonly minuteOfDay: number
  readonly utcOffsetMinutes: number
}

export interface Resolved {
  readonly tenants: ReadonlyArray<TenantId>
  readonly workerId: string
  readonly batchSize: number
  readonly concurrency: number
  readonly pollIntervalMillis: number
  readonly leaseMillis: number
  readonly sendTimeoutMillis: number
  readonly shutdownTimeoutMillis: number
  readonly retry: ResolvedRetry
  readonly expandRetry: ResolvedRetry
  /** The loop's daily step (absent: no digest from the loop). */
  readonly digest: ResolvedDigest | undefined
  /** The schedule `runDigest` uses for cut-off times (the defaults when `digest` is absent). */
  readonly digestSchedule: ResolvedDigest
}

export const zero: RunCounts = {
  expanded: 0,
  failed: 0,
  created: 0,
  delivered: 0,
  retried: 0,
  dead: 0,
  released: 0,
  digests: 0,
  digested: 0
}

const add = (a: RunCounts, b: Partial<RunCounts>): RunCounts => ({
  expanded: a.expanded + (b.expanded ?? 0),
  failed: a.failed + (b.failed ?? 0),
  created: a.created + (b.created ?? 0),
  delivered: a.delivered + (b.delivered ?? 0),
  retried: a.retried + (b.retried ?? 0),
  dead: a.dead + (b.dead ?? 0),
  released: a.released + (b.released ?? 0),
  digests: a.digests + (b.digests ?? 0),
  digested: a.digested + (b.digested ?? 0)
})

const isIdle = (counts: RunCounts) =>
  counts.expanded + counts.failed + counts.delivered + counts.retried + counts.dead + counts.released === 0

export const randomWorkerId = (): string => `dispatcher-${process.pid}-${Crypto.randomBytes(4).toString("hex")}`

export const backoffMillis = (
  policy: { readonly baseMillis: number; readonly factor: number; readonly capMillis: number },
  attempt: number,
  random: number,
  retryAfterMillis?: number | undefined
): number => {
  const ceiling = Math.min(policy.capMillis, policy.baseMillis * policy.factor ** Math.max(0, attempt - 1))
  const jittered = Math.floor(Math.min(Math.max(random, 0), 1) * ceiling)
  const asked = retryAfterMillis !== undefined && Number.isFinite(retryAfterMillis) ? Math.max(0, retryAfterMillis) : 0
  return Math.max(jittered, Math.ceil(asked))
}

/** An event could not be expanded; the message is safe to store (no values, no addresses). */
class ExpandFailure extends Data.TaggedError("ExpandFailure")<{ readonly message: string }> {}

const describeUnknown = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return error.message
  }
  return typeof error === "string" ? error : "未知错误"
}

const decodeRecipients = Schema.decodeUnknown(Schema.Array(Subscription.Recipient))

const DIGEST_LIST_MAX = 50

const digestTemplate = Template.make({
  id: "gongzhi.dailyDigest",
  data: Schema.Struct({ date: Schema.String, subjects: Schema.Array(Schema.String) }),
  zh: {
    subject: (data) => `今日通知摘要（${data.subjects.length} 条）`,
    text: (data) => digestLines(data, "zh").join("\n"),
    markdown: (data) => digestLines(data, "zh", "- ").join("\n")
  },
  en: {
    subject: (data) => `Daily digest (${data.subjects.length})`,
    text: (data) => digestLines(data, "en").join("\n"),
    markdown: (data) => digestLines(data, "en", "- ").join("\n")
  }
})

const digestLines = (
  data: { readonly date: string; readonly subjects: ReadonlyArray<string> },
  locale: "zh" | "en",
  bullet?: string
): Array<string> => {
  const shown = data.subjects.slice(0, DIGEST_LIST_MAX)
  const lines = [
    locale === "zh"
      ? `${data.date} 共 ${data.subjects.length} 条通知：`
      : `${data.subjects.length} notifications on ${data.date}:`,
    ...shown.map((subject, i) => `${bullet ?? `${i + 1}. `}${subject}`)
  ]
  const more = data.subjects.length - shown.length
  if (more > 0) lines.push(locale === "zh" ? `……另有 ${more} 条` : `… and ${more} more`)
  return lines
}

const DAY = 86_400_000

export const make = <E>(resolved: Resolved, decodeDate: (date: string) => Effect.Effect<LocalDate.LocalDate, E>) =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    const deliveries = yield* Deliveries
    const subscriptions = yield* Subscription.Subscriptions
    const notifiers = yield* Notifiers
    const transactor = yield* Transactor
    const preferences = yield* Effect.serviceOption(Preference.Preferences)
    const { workerId } = resolved

    const stopping = yield* Ref.make(false)
    const wake = yield* Deferred.make<void>()
    const totals = yield* Ref.make<Stats>({ ...zero, passes: 0 })
    const record = (counts: RunCounts) =>
      Ref.update(totals, (stats) => ({ ...add(stats, counts), passes: stats.passes }))

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

    // -----------------------------------------------------------------------------------------
    // stage 2: send
    // -----------------------------------------------------------------------------------------

    const notificationOf = (delivery: Delivery) =>
      Effect.try({
        try: () =>
          new Notification({
            tenantId: delivery.tenantId,
            channel: delivery.channel,
            recipient: delivery.address,
            subject: delivery.subject,
            body: delivery.body,
            ...(delivery.templateId === undefined ? {} : { templateId: delivery.templateId }),
            ...(delivery.data === undefined ? {} : { data: delivery.data }),
            priority: delivery.priority,
            idempotencyKey: delivery.id
          }),
        catch: () => "通知内容不符合格式（收件地址、标题或正文过长？）"
      })

    const attemptSend = (notifier: NotifierShape, notification: Notification) =>
      notifier.send(notification).pipe(
        Effect.timeoutFail({
          duration: resolved.sendTimeoutMillis,
          onTimeout: () =>
            new NotifyError({
              channel: notifier.channel,
              reason: `发送超时（${resolved.sendTimeoutMillis} 毫秒）`,
              retryable: true
            })
        }),
        Effect.catchAllDefect((defect) =>
          Effect.fail(
            new NotifyError({
              channel: notifier.channel,
              reason: `通知适配器异常：${describeUnknown(defect)}`,
              retryable: true
            })
          )
        ),
        Effect.either
      )

    /** What to record for a claimed delivery after its attempt (decided without writing). */
    type Decision =
      | { readonly _tag: "Release" }
      | { readonly _tag: "Delivered"; readonly receipt: Receipt }
      | { readonly _tag: "Retry"; readonly retryAt: number; readonly error: string }
      | { readonly _tag: "Dead"; readonly error: string }

    type Outcome = "delivered" | "retried" | "dead" | "released" | "lost"

    const attempt = (delivery: Delivery): Effect.Effect<Decision> =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        // a send that could outlast the lease might run at the same time as another dispatcher's
        if (now + resolved.sendTimeoutMillis >= (delivery.leaseUntil?.getTime() ?? 0)) return { _tag: "Release" }
        if (delivery.attempts > resolved.retry.maxAttempts) {
          return { _tag: "Dead", error: `已达最大尝试次数 ${resolved.retry.maxAttempts}（上次尝试被中断）` }
        }
        const notifier = notifiers.get(delivery.channel)
        if (notifier === undefined) return { _tag: "Dead", error: `未配置通知渠道 ${delivery.channel}` }
        const notification = yield* Effect.either(notificationOf(delivery))
        if (Either.isLeft(notification)) return { _tag: "Dead", error: notification.left }
        const result = yield* attemptSend(notifier, notification.right)
        if (Either.isRight(result)) return { _tag: "Delivered", receipt: result.right }
        const error = result.left
        if (!error.retryable || delivery.attempts >= resolved.retry.maxAttempts) {
          return { _tag: "Dead", error: error.message }
        }
        const delay = backoffMillis(resolved.retry, delivery.attempts, yield* Random.next, error.retryAfterMillis)
        return { _tag: "Retry", retryAt: (yield* Clock.currentTimeMillis) + delay, error: error.message }
      })

    const annotationsOf = (delivery: Delivery) => ({
      tenantId: delivery.tenantId,
      delivery: delivery.id.slice(0, 16),
      channel: delivery.channel,
      recipient: maskAddress(delivery.address),
      attempt: delivery.attempts
    })

    /** Records the failures of a group (one statement each; the rare path). */
    const recordFailure = (
      delivery: Delivery,
      decision: Extract<Decision, { readonly _tag: "Retry" | "Dead" }>
    ): Effect.Effect<Outcome, StorageError> =>
      Effect.gen(function* () {
        const { tenantId, id } = delivery
        if (decision._tag === "Retry") {
          const changed = yield* deliveries.markRetry(tenantId, workerId, id, {
            retryAt: new Date(decision.retryAt),
            error: decision.error
          })
          yield* Effect.logDebug("通知发送失败，稍后重试").pipe(
            Effect.annotateLogs({
              ...annotationsOf(delivery),
              retryAt: new Date(decision.retryAt).toISOString(),
              error: decision.error
            })
          )
          return changed ? "retried" : "lost"
        }
        const changed = yield* deliveries.markDead(tenantId, workerId, id, decision.error)
        yield* Effect.logWarning("通知投递失败，已放弃").pipe(
          Effect.annotateLogs({ ...annotationsOf(delivery), error: decision.error })
        )
        return changed ? "dead" : "lost"
      })

    type Attempted = readonly [Delivery, Exclude<Decision, { readonly _tag: "Release" }>]

    /**
     * Records the outcomes of a group of attempts: every receipt in one statement, failures one by
     * one, all in one transaction (one commit per group).
     */
    const recordGroup = (tenantId: TenantId, group: ReadonlyArray<Attempted>) =>
      Effect.gen(function* () {
        const receipts: Array<DeliveredReceiptOf> = []
        const failures: Array<readonly [Delivery, Extract<Decision, { readonly _tag: "Retry" | "Dead" }>]> = []
        for (const [delivery, decision] of group) {
          if (decision._tag === "Delivered") {
            receipts.push({
              id: delivery.id,
              providerMessageId: decision.receipt.providerMessageId,
              deliveredAt: decision.receipt.deliveredAt
            })
          } else failures.push([delivery, decision])
        }
        const write = Effect.gen(function* () {
          if (receipts.length > 0) yield* deliveries.markDeliveredMany(tenantId, receipts)
          return yield* Effect.forEach(failures, ([delivery, decision]) => recordFailure(delivery, decision))
        })
        const outcomes = yield* failures.length === 0 ? write : transactor.withTransaction(write)
        if (receipts.length > 0) {
          yield* Effect.logDebug("通知已送达").pipe(Effect.annotateLogs({ tenantId, delivered: receipts.length }))
        }
        return [...receipts.map((): Outcome => "delivered"), ...outcomes]
      })

    // The claimed batch is sent through a sliding window of `concurrency` sends. Outcomes are
    // recorded in groups while later sends are in flight: once `concurrency` outcomes wait and no
    // group is being written, the sender that finished last writes them (every receipt in one
    // statement, one commit per group); a sender waits for the writer when `2 × concurrency` wait;
    // the rest are written at the end of the batch. A crash (or a shutdown cut short) before a
    // group's commit sends again, after the lease and under the same idempotency keys, only what
    // was not recorded yet: the group being written, the outcomes waiting and the sends in flight
    // (a few times `concurrency`). A delivery recorded as delivered is never claimed, so never sent,
    // again; retries and dead letters are written only by the lease holder.
    const sendTenant = (tenantId: TenantId) =>
      Effect.gen(function* () {
        if (yield* Ref.get(stopping)) return zero
        const claimed = yield* deliveries
          .claim({ tenantId, workerId, limit: resolved.batchSize, leaseMillis: resolved.leaseMillis })
          .pipe(Effect.catchTag("DeliveryInputError", (error) => Effect.dieMessage(error.message)))
        if (claimed.length === 0) return zero
        const unstarted: Array<Delivery["id"]> = []
        const outcomes: Array<Outcome> = []
        let waiting: Array<Attempted> = []
        const writer = yield* Effect.makeSemaphore(1)
        const flush = Effect.suspend(() => {
          const group = waiting
          waiting = []
          return group.length === 0
            ? Effect.void
            : Effect.map(recordGroup(tenantId, group), (recorded) => {
                outcomes.push(...recorded)
              })
        })
        const sendOne = (delivery: Delivery) =>
          Effect.gen(function* () {
            if (yield* Ref.get(stopping)) {
              unstarted.push(delivery.id)
              return
            }
            const decision = yield* attempt(delivery)
            if (decision._tag === "Release") {
              unstarted.push(delivery.id)
              return
            }
            waiting.push([delivery, decision])
            if (waiting.length >= 2 * resolved.concurrency) {
              // the writer is behind: wait for it rather than let unrecorded outcomes pile up
              yield* writer.withPermits(1)(flush)
            } else if (waiting.length >= resolved.concurrency) {
              // while a group is being written, the outcome waits for the next one
              yield* writer.withPermitsIfAvailable(1)(flush)
            }
          })
        // `concurrency` senders, each taking the next delivery when its send is done (a sliding window)
        let next = 0
        const sender = Effect.whileLoop({
          while: () => next < claimed.length,
          body: () => sendOne(claimed[next++]),
          step: () => {}
        })
        yield* Effect.all(
          Array.from({ length: Math.min(resolved.concurrency, claimed.length) }, () => sender),
          { concurrency: "unbounded", discard: true }
        )
        yield* writer.withPermits(1)(flush)
        const released = unstarted.length > 0 ? yield* deliveries.release(tenantId, workerId, unstarted) : 0
        const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length
        const counts = add(zero, {
          delivered: count("delivered"),
          retried: count("retried"),
          dead: count("dead"),
          released
        })
        yield* Effect.logDebug("通知发送批次完成").pipe(Effect.annotateLogs({ tenantId, ...counts }))
        return counts
      })

    // -----------------------------------------------------------------------------------------
    // digest
    // -----------------------------------------------------------------------------------------

    const cutoffOf = (date: LocalDate.LocalDate, schedule: ResolvedDigest) =>
      LocalDate.toEpochDay(date) * DAY + schedule.minuteOfDay * 60_000 - schedule.utcOffsetMinutes * 60_000

    const digestTenant = (tenantId: TenantId, date: LocalDate.LocalDate, cutoff: number) =>
      Effect.gen(function* () {
        const items: Array<Delivery> = []
        let cursor: string | undefined
        do {
          const page = yield* deliveries.list(tenantId, {
            status: "digest",
            createdBefore: new Date(cutoff),
            limit: 1000,
            cursor
          })
          items.push(...page.items)
          cursor = page.nextCursor
        } while (cursor !== undefined)
        const groups = new Map<string, Array<Delivery>>()
        for (const item of items) {
          const key = `${item.recipientId}\u0000${item.channel}`
          const group = groups.get(key) ?? []
          group.push(item)
          groups.set(key, group)
        }
        let digests = 0
        let digested = 0
        for (const group of groups.values()) {
          // in the order they were recorded (event ids are time-ordered within a millisecond)
          group.sort(
            (a, b) =>
              a.createdAt.getTime() - b.createdAt.getTime() ||
              (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
          )
          const last = group[group.length - 1]
          const rendered = yield* Template.render(
            digestTemplate,
            { date, subjects: group.map((item) => item.subject) },
            { locale: last.locale }
          ).pipe(Effect.orDie)
          const recorded = yield* deliveries
            .digest(
              tenantId,
              {
                tenantId,
                eventId: `digest:${date}`,
                eventType: "gongzhi.notifications.DailyDigest",
                subscriptionId: "gongzhi.dailyDigest",
                recipientId: last.recipientId,
                channel: last.channel,
                address: last.address,
                locale: rendered.locale,
                priority: "normal",
                templateId: rendered.templateId,
                subject: rendered.subject,
                body: rendered.body,
                data: { date, count: group.length }
              },
              group.map((item) => item.id)
            )
            .pipe(Effect.catchTag("DeliveryInputError", (error) => Effect.dieMessage(error.message)))
          if (recorded) {
            digests++
            digested += group.length
          }
        }
        if (digests > 0) {
          yield* Effect.logDebug("每日通知摘要已生成").pipe(Effect.annotateLogs({ tenantId, date, digests, digested }))
        }
        return add(zero, { digests, digested })
      })

    const digestDate = (date: LocalDate.LocalDate, schedule: ResolvedDigest) =>
      Effect.reduce(resolved.tenants, zero, (total, tenantId) =>
        Effect.map(digestTenant(tenantId, date, cutoffOf(date, schedule)), (counts) => add(total, counts))
      ).pipe(Effect.tap(record), Effect.withSpan("Dispatcher.runDigest"))

    const runDigest = (date: string) =>
      Effect.flatMap(decodeDate(date), (decoded) => digestDate(decoded, resolved.digestSchedule))

    // -----------------------------------------------------------------------------------------
    // passes and the loop
    // -----------------------------------------------------------------------------------------

    const overTenants = (stage: (tenantId: TenantId) => Effect.Effect<RunCounts, StorageError>) =>
      Effect.reduce(resolved.tenants, zero, (total, tenantId) => Effect.map(stage(tenantId), (c) => add(total, c)))

    const expand = overTenants(expandTenant).pipe(Effect.tap(record), Effect.withSpan("Dispatcher.expand"))
    const send = overTenants(sendTenant).pipe(Effect.tap(record), Effect.withSpan("Dispatcher.send"))
    const runOnce = Effect.gen(function* () {
      const expanded = yield* expand
      const sent = yield* send
      yield* Ref.update(totals, (stats) => ({ ...stats, passes: stats.passes + 1 }))
      return add(expanded, sent)
    })

    const drain = (maxPasses = 1000) =>
      Effect.gen(function* () {
        let total = zero
        for (let pass = 0; pass < maxPasses; pass++) {
          const counts = yield* runOnce
          total = add(total, counts)
          if (isIdle(counts)) break
        }
        return total
      })

    const lastDigest = yield* Ref.make<string | undefined>(undefined)
    const dailyStep = (schedule: ResolvedDigest) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const local = now + schedule.utcOffsetMinutes * 60_000
        const today = LocalDate.unsafeFromEpochDay(Math.floor(local / DAY))
        const minute = Math.floor((local - Math.floor(local / DAY) * DAY) / 60_000)
        if (minute < schedule.minuteOfDay || (yield* Ref.get(lastDigest)) === today) return
        yield* digestDate(today, schedule)
        yield* Ref.set(lastDigest, today)
      })

    const pass = Effect.gen(function* () {
      const counts = yield* runOnce
      if (resolved.digest !== undefined) yield* dailyStep(resolved.digest)
      return counts
    }).pipe(
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.interrupt
          : Effect.as(
              Effect.logWarning("通知分发器本轮出错，稍后重试", cause).pipe(Effect.annotateLogs({ workerId })),
              zero
            )
      )
    )

    const loop = Effect.gen(function* () {
      yield* Effect.logDebug("通知分发器已启动").pipe(
        Effect.annotateLogs({ workerId, tenants: resolved.tenants.length })
      )
      while (!(yield* Ref.get(stopping))) {
        const counts = yield* pass
        if (yield* Ref.get(stopping)) break
        if (isIdle(counts)) {
          yield* Effect.raceFirst(Effect.sleep(resolved.pollIntervalMillis), Deferred.await(wake))
        } else {
          yield* Effect.yieldNow()
        }
      }
      yield* Effect.logDebug("通知分发器已停止").pipe(Effect.annotateLogs({ workerId }))
    })

    const shutdown = (fiber: Fiber.RuntimeFiber<void>) =>
      Effect.gen(function* () {
        yield* Ref.set(stopping, true)
        yield* Deferred.succeed(wake, undefined)
        const finished = yield* Fiber.await(fiber).pipe(Effect.timeout(resolved.shutdownTimeoutMillis), Effect.option)
        if (Option.isNone(finished)) {
          yield* Effect.logWarning("通知分发器未能在限时内完成发送，已中断（租约到期后将由其他进程重试）").pipe(
            Effect.annotateLogs({ workerId })
          )
          yield* Fiber.interrupt(fiber)
        }
      })

    const start: Effect.Effect<void, never, Scope.Scope> = Effect.gen(function* () {
      const fiber = yield* Effect.forkScoped(loop)
      // finalizers run in reverse order: this graceful stop runs before the fiber is interrupted
      yield* Effect.addFinalizer(() => shutdown(fiber))
    })

    const shape: DispatcherShape = {
      workerId,
      expand,
      send,
      runOnce,
      drain,
      runDigest: runDigest as DispatcherShape["runDigest"],
      stats: Ref.get(totals)
    }
    return { shape, start }
  })
