/**
 * The notification dispatcher (通知分发器): turns outbox events into notifications and sends them.
 * It runs in two stages, each safe to run in several processes at once:
 *
 * 1. **expand** — claims outbox events (a lease), finds the subscriptions of each event, resolves
 *    the recipients, applies their preferences, renders the template and records one delivery per
 *    recipient and channel; the deliveries and the completion of the events are committed in one
 *    transaction. A delivery recorded twice (a retry, a second dispatcher) is skipped by its key.
 *    An event without subscriptions is simply completed; an event that fails (a resolver error, bad
 *    data) is retried with back-off and, after `expandRetry.maxAttempts`, left `dead` in the outbox.
 * 2. **send** — claims due deliveries (a lease), sends each through the `Notifier` of its channel
 *    with the delivery's idempotency key; on success records the receipt (a delivered notification
 *    is never sent again); on a retryable `NotifyError` schedules another attempt with exponential
 *    back-off and full jitter (honouring `retryAfterMillis`); after `retry.maxAttempts`, or at once
 *    for a non-retryable error, the delivery is `dead` (dead letter).
 *
 * Recipients in daily digest mode get one summary a day ({@link DispatcherShape.runDigest}, or the
 * loop's daily step when `digest` is configured).
 *
 * A crash between a send and its record makes the notification go out again after the lease
 * (at least once); the idempotency key lets a channel that honours it show it once.
 *
 * @since 0.1.0
 */
import type { Scope } from "effect"
import { Context, Duration, Effect, Layer, Option, ParseResult, Schema } from "effect"
import type { Deliveries } from "./Delivery.js"
import * as engine from "./internal/dispatcherEngine.js"
import { LocalDate } from "./LocalDate.js"
import type { Notifiers } from "./Notifier.js"
import type { Outbox } from "./Outbox.js"
import type { StorageError } from "./StorageError.js"
import type { Subscriptions } from "./Subscription.js"
import { TenantId } from "./Tenant.js"
import type { Transactor } from "./Transactor.js"

/**
 * How failed attempts are retried: attempt `n` (1-based) that failed waits a random time between
 * 0 and `min(cap, base × factor^(n-1))` ("full jitter"), or longer when the channel asked for it
 * (`retryAfterMillis`); after `maxAttempts` attempts the item is given up.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /** Default 8 for deliveries, 10 for events. */
  readonly maxAttempts?: number | undefined
  /** Default 1 second. */
  readonly base?: Duration.DurationInput | undefined
  /** Default 2. */
  readonly factor?: number | undefined
  /** Default 1 hour. */
  readonly cap?: Duration.DurationInput | undefined
}

/**
 * When the daily digest goes out: `at` is the local time `HH:MM` (default `18:00`) at UTC offset
 * `utcOffsetMinutes` (default 480, China Standard Time). The digest of day D carries the items
 * recorded before D at `at`.
 *
 * @since 0.1.0
 * @category models
 */
export interface DigestSchedule {
  readonly at?: string | undefined
  readonly utcOffsetMinutes?: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface DispatcherOptions {
  /** The tenants (district codes) this dispatcher serves. */
  readonly tenants: ReadonlyArray<string>
  /** Names this dispatcher in leases (default: random per start). Must differ between dispatchers. */
  readonly workerId?: string | undefined
  /** Events, and deliveries, claimed per tenant and pass. Default 100. */
  readonly batchSize?: number | undefined
  /** Sends (and recipient resolutions) in flight at once. Default 8. */
  readonly concurrency?: number | undefined
  /** Pause between passes when there was nothing to do. Default 1 second. */
  readonly pollInterval?: Duration.DurationInput | undefined
  /** How long a claim holds. Default 1 minute; must exceed `sendTimeout`. */
  readonly lease?: Duration.DurationInput | undefined
  /** A send that takes longer fails (retryable). Default 30 seconds. */
  readonly sendTimeout?: Duration.DurationInput | undefined
  /** How long a stopping dispatcher waits for sends in flight. Default: the lease. */
  readonly shutdownTimeout?: Duration.DurationInput | undefined
  /** Retries of failed sends (default 8 attempts, 1 s base, factor 2, cap 1 h). */
  readonly retry?: RetryPolicy | undefined
  /** Retries of events that could not be expanded (default 10 attempts, same timing). */
  readonly expandRetry?: RetryPolicy | undefined
  /** Run the daily digest from the loop (`true`: 18:00 China time). Off by default. */
  readonly digest?: DigestSchedule | boolean | undefined
}

/**
 * A dispatcher option (or a `runDigest` date) is not valid.
 *
 * @since 0.1.0
 * @category errors
 */
export class DispatcherConfigError extends Schema.TaggedError<DispatcherConfigError>(
  "@gongzhi/core/DispatcherConfigError"
)("DispatcherConfigError", { setting: Schema.String, detail: Schema.String }) {
  override get message(): string {
    return `通知分发器配置无效（${this.setting}）：${this.detail} / invalid dispatcher setting`
  }
}

/**
 * What a pass (or several) did.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunCounts {
  /** Events expanded and completed (including events no subscription wanted). */
  readonly expanded: number
  /** Events that failed to expand (released for a retry, or dead). */
  readonly failed: number
  /** Deliveries recorded (duplicates not counted). */
  readonly created: number
  readonly delivered: number
  /** Sends that failed and were scheduled again. */
  readonly retried: number
  /** Deliveries given up. */
  readonly dead: number
  /** Claims given back unstarted at shutdown. */
  readonly released: number
  /** Digest summaries recorded, and the items they carry. */
  readonly digests: number
  readonly digested: number
}

/**
 * Counts since the dispatcher started, and how many passes it made.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats extends RunCounts {
  readonly passes: number
}

/**
 * A dispatcher.
 *
 * @since 0.1.0
 * @category models
 */
export interface DispatcherShape {
  readonly workerId: string
  /** Stage 1 for every tenant: one batch of outbox events. */
  readonly expand: Effect.Effect<RunCounts, StorageError>
  /** Stage 2 for every tenant: one batch of due deliveries. */
  readonly send: Effect.Effect<RunCounts, StorageError>
  /** One pass: `expand`, then `send`. */
  readonly runOnce: Effect.Effect<RunCounts, StorageError>
  /** Passes until one finds nothing to do (at most `maxPasses`, default 1000); the summed counts. */
  readonly drain: (maxPasses?: number) => Effect.Effect<RunCounts, StorageError>
  /**
   * Builds the digest of `date` (`YYYY-MM-DD`): for each recipient and channel, the items held for
   * the digest and recorded before that day's digest time become ONE delivery
   * ("今日通知摘要（N 条）" listing their subjects), and are marked `digested`. Running it again for
   * the same date (another process, a restart) changes nothing.
   */
  readonly runDigest: (date: string) => Effect.Effect<RunCounts, StorageError | DispatcherConfigError>
  readonly stats: Effect.Effect<Stats>
}

/**
 * The running dispatcher.
 *
 * @since 0.1.0
 * @category tags
 */
export class Dispatcher extends Context.Tag("@gongzhi/core/Dispatcher")<Dispatcher, DispatcherShape>() {}

/**
 * The services a dispatcher needs (`Preferences` is used when present).
 *
 * @since 0.1.0
 * @category models
 */
export type Requirements = Outbox | Deliveries | Subscriptions | Notifiers | Transactor

/**
 * The delay before the next attempt after attempt `attempt` (1-based) failed: a `random` number
 * in [0, 1) times `min(cap, base × factor^(attempt-1))`, but at least `retryAfterMillis`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const backoffMillis: (
  policy: { readonly baseMillis: number; readonly factor: number; readonly capMillis: number },
  attempt: number,
  random: number,
  retryAfterMillis?: number | undefined
) => number = engine.backoffMillis

const configError = (setting: string, detail: string) => new DispatcherConfigError({ setting, detail })

const duration = (setting: string, input: Duration.DurationInput | undefined, fallback: number, min = 1) => {
  if (input === undefined) return Effect.succeed(fallback)
  const decoded = Duration.decodeUnknown(input)
  if (Option.isNone(decoded) || !Duration.isFinite(decoded.value)) {
    return Effect.fail(configError(setting, "不是有效的时长 / not a valid duration"))
  }
  const millis = Math.round(Duration.toMillis(decoded.value))
  return millis < min ? Effect.fail(configError(setting, `至少 ${min} 毫秒`)) : Effect.succeed(millis)
}

const integer = (setting: string, value: number | undefined, fallback: number, min: number, max: number) => {
  if (value === undefined) return Effect.succeed(fallback)
  return Number.isInteger(value) && value >= min && value <= max
    ? Effect.succeed(value)
    : Effect.fail(configError(setting, `应为 ${min} 到 ${max} 之间的整数`))
}

const retryPolicy = (setting: string, policy: RetryPolicy | undefined, maxAttempts: number) =>
  Effect.gen(function* () {
    const factor = policy?.factor ?? 2
    if (!Number.isFinite(factor) || factor < 1 || factor > 100) {
      return yield* configError(`${setting}.factor`, "应为 1 到 100 之间的数")
    }
    const resolved: engine.ResolvedRetry = {
      maxAttempts: yield* integer(`${setting}.maxAttempts`, policy?.maxAttempts, maxAttempts, 1, 1000),
      baseMillis: yield* duration(`${setting}.base`, policy?.base, 1000),
      factor,
      capMillis: yield* duration(`${setting}.cap`, policy?.cap, 3_600_000)
    }
    return resolved
  })

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/

const resolveOptions = (options: DispatcherOptions): Effect.Effect<engine.Resolved, DispatcherConfigError> =>
  Effect.gen(function* () {
    if (typeof options !== "object" || options === null) return yield* configError("options", "缺少配置")
    const tenants = yield* Schema.decodeUnknown(Schema.Array(TenantId))(options.tenants).pipe(
      Effect.mapError((error) => configError("tenants", ParseResult.TreeFormatter.formatErrorSync(error)))
    )
    if (tenants.length === 0) return yield* configError("tenants", "至少需要一个租户（区县代码）")
    const workerId = options.workerId ?? engine.randomWorkerId()
    if (typeof workerId !== "string" || workerId.length < 1 || workerId.length > 128) {
      return yield* configError("workerId", "应为 1 到 128 个字符")
    }
    const leaseMillis = yield* duration("lease", options.lease, 60_000, 1000)
    const sendTimeoutMillis = yield* duration("sendTimeout", options.sendTimeout, 30_000)
    if (sendTimeoutMillis >= leaseMillis) {
      return yield* configError("sendTimeout", "应短于 lease（否则租约过期后可能被另一进程同时发送）")
    }
    let digest: engine.ResolvedDigest | undefined
    const schedule = options.digest === true ? {} : options.digest === false ? undefined : options.digest
    const resolvedSchedule = yield* resolveDigest(schedule ?? {})
    if (schedule !== undefined) digest = resolvedSchedule
    return {
      tenants: [...new Set(tenants)],
      workerId,
      batchSize: yield* integer("batchSize", options.batchSize, 100, 1, 10_000),
      concurrency: yield* integer("concurrency", options.concurrency, 8, 1, 1000),
      pollIntervalMillis: yield* duration("pollInterval", options.pollInterval, 1000),
      leaseMillis,
      sendTimeoutMillis,
      shutdownTimeoutMillis: yield* duration("shutdownTimeout", options.shutdownTimeout, leaseMillis),
      retry: yield* retryPolicy("retry", options.retry, 8),
      expandRetry: yield* retryPolicy("expandRetry", options.expandRetry, 10),
      digest,
      digestSchedule: resolvedSchedule
    }
  })

const resolveDigest = (schedule: DigestSchedule): Effect.Effect<engine.ResolvedDigest, DispatcherConfigError> =>
  Effect.gen(function* () {
    const at = schedule.at ?? "18:00"
    const match = typeof at === "string" ? HH_MM.exec(at) : null
    if (match === null) return yield* configError("digest.at", "应为 HH:MM，例如 18:00")
    const offset = yield* integer("digest.utcOffsetMinutes", schedule.utcOffsetMinutes, 480, -720, 840)
    return { minuteOfDay: Number(match[1]) * 60 + Number(match[2]), utcOffsetMinutes: offset }
  })

const build = (options: DispatcherOptions) =>
  Effect.flatMap(resolveOptions(options), (resolved) =>
    engine.make(resolved, (date) =>
      Effect.mapError(
        Schema.decodeUnknown(LocalDate)(date),
        (error) =>
          new DispatcherConfigError({ setting: "date", detail: ParseResult.TreeFormatter.formatErrorSync(error) })
      )
    )
  )

/**
 * Builds a dispatcher without starting its loop: drive it with `runOnce`, `drain` and `runDigest`
 * (tests, CLIs, cron jobs).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: DispatcherOptions): Effect.Effect<DispatcherShape, DispatcherConfigError, Requirements> =>
  Effect.map(build(options), (built) => built.shape)

/**
 * Starts a dispatcher whose loop runs in the background until the scope closes: it polls every
 * `pollInterval` (at once again while there is work), and runs the daily digest when configured.
 * Closing the scope stops it gracefully: sends in flight finish (up to `shutdownTimeout`), claims
 * not yet started are given back.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { Dispatcher } from "@gongzhi/core"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const dispatcher = yield* Dispatcher.run({ tenants: ["440310"], digest: { at: "18:00" } })
 *     yield* Effect.sleep("1 hour")
 *     yield* Effect.log(yield* dispatcher.stats)
 *   })
 * )
 */
export const run = (
  options: DispatcherOptions
): Effect.Effect<DispatcherShape, DispatcherConfigError, Requirements | Scope.Scope> =>
  Effect.flatMap(build(options), (built) => Effect.as(built.start, built.shape))

/**
 * The dispatcher as a layer, with its background loop (see {@link run}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: DispatcherOptions): Layer.Layer<Dispatcher, DispatcherConfigError, Requirements> =>
  Layer.scoped(Dispatcher, run(options))

/**
 * The dispatcher as a layer, without a loop (see {@link make}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerManual = (options: DispatcherOptions): Layer.Layer<Dispatcher, DispatcherConfigError, Requirements> =>
  Layer.effect(Dispatcher, make(options))

/**
 * One pass of the `Dispatcher` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const runOnce: Effect.Effect<RunCounts, StorageError, Dispatcher> = Effect.flatMap(
  Dispatcher,
  (dispatcher) => dispatcher.runOnce
)

/**
 * Passes of the `Dispatcher` in context until there is nothing to do.
 *
 * @since 0.1.0
 * @category accessors
 */
export const drain = (maxPasses?: number): Effect.Effect<RunCounts, StorageError, Dispatcher> =>
  Effect.flatMap(Dispatcher, (dispatcher) => dispatcher.drain(maxPasses))

/**
 * The digest of a date, by the `Dispatcher` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const runDigest = (date: string): Effect.Effect<RunCounts, StorageError | DispatcherConfigError, Dispatcher> =>
  Effect.flatMap(Dispatcher, (dispatcher) => dispatcher.runDigest(date))

/**
 * Zero counts.
 *
 * @since 0.1.0
 * @category constructors
 */
export const emptyCounts: RunCounts = engine.zero
