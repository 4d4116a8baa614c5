import * as Crypto from "node:crypto"
import type { Scope } from "effect"
import { Cause, Clock, Deferred, Effect, Fiber, Option, Ref, Schema } from "effect"
import type { Delivery } from "../Delivery.js"
import { Deliveries } from "../Delivery.js"
import type { DispatcherShape, RunCounts, Stats } from "../Dispatcher.js"
import * as LocalDate from "../LocalDate.js"
import type { StorageError } from "../StorageError.js"
import * as Template from "../Template.js"
import type { TenantId } from "../Tenant.js"
import { makeExpand } from "./dispatcherExpand.js"
import { makeSend } from "./dispatcherSend.js"
import { add, type Resolved, type ResolvedDigest, zero } from "./dispatcherShared.js"

export { backoffMillis, type Resolved, type ResolvedDigest, type ResolvedRetry, zero } from "./dispatcherShared.js"

const isIdle = (counts: RunCounts) =>
  counts.expanded + counts.failed + counts.delivered + counts.retried + counts.dead + counts.released === 0

export const randomWorkerId = (): string => `dispatcher-${process.pid}-${Crypto.randomBytes(4).toString("hex")}`

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
    const deliveries = yield* Deliveries
    const { workerId } = resolved

    const stopping = yield* Ref.make(false)
    const wake = yield* Deferred.make<void>()
    const totals = yield* Ref.make<Stats>({ ...zero, passes: 0 })
    const record = (counts: RunCounts) =>
      Ref.update(totals, (stats) => ({ ...add(stats, counts), passes: stats.passes }))

    const { expandTenant } = yield* makeExpand(resolved, stopping)
    const { sendTenant } = yield* makeSend(resolved, stopping)

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
