// Stage 2 of the dispatcher engine: send claimed deliveries through their notifiers in a sliding
// window, and record each outcome (delivered, retried, dead, released) in groups.
import { Clock, Effect, Either, Random, Ref } from "effect"
import type { DeliveredReceiptOf, Delivery } from "../Delivery.js"
import { Deliveries } from "../Delivery.js"
import type { NotifierShape, Receipt } from "../Notifier.js"
import { Notification, Notifiers, NotifyError } from "../Notifier.js"
import type { StorageError } from "../StorageError.js"
import type { TenantId } from "../Tenant.js"
import { Transactor } from "../Transactor.js"
import { maskAddress } from "./dispatcherPaths.js"
import { add, backoffMillis, describeUnknown, type Resolved, zero } from "./dispatcherShared.js"

export const makeSend = (resolved: Resolved, stopping: Ref.Ref<boolean>) =>
  Effect.gen(function* () {
    const deliveries = yield* Deliveries
    const notifiers = yield* Notifiers
    const transactor = yield* Transactor
    const { workerId } = resolved

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

    return { sendTenant }
  })
