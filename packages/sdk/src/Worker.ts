/**
 * The worker (定时任务): every scheduled job of the modules a district runs — the deadline reminders and 督办
 * of 民情, shift reminders and the close of certificate publicity, list expiry and the 双公示 overdue sweep of
 * credit, the overdue sweep of projects — each on its period (a quarter-hour, an hour, a day or a month of
 * China time), run once per period however many workers are up.
 *
 * A tick looks at every job: it claims the job's current slot in core's `JobLedger` (in the district's
 * database), runs the job when the claim succeeds and records the outcome; a job already done for its slot, or
 * held by another worker, is skipped. A failed run is retried at the next tick; a worker that dies mid-run
 * leaves a lease that runs out, and another worker takes the slot over. The jobs themselves are idempotent
 * (the modules guarantee it), so a take-over never does the work twice.
 *
 * The jobs act as the district's worker account: a `Staff` actor `gongzhi-worker` with the role
 * `gongzhi-worker`, which the SDK adds to the role table with exactly the job permissions of the modules in use.
 *
 * @since 0.1.0
 */
import * as Actor from "@gongzhi/core/Actor"
import * as JobLedger from "@gongzhi/core/JobLedger"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Credits } from "@gongzhi/credit/Credits"
import * as CreditPermissions from "@gongzhi/credit/Permissions"
import { Opinions } from "@gongzhi/opinion/Opinions"
import * as OpinionPermissions from "@gongzhi/opinion/Permissions"
import * as ProjectPermissions from "@gongzhi/projects/Permissions"
import { Projects } from "@gongzhi/projects/Projects"
import * as VolunteerPermissions from "@gongzhi/volunteers/Permissions"
import { Volunteers } from "@gongzhi/volunteers/Volunteers"
import { Cause, Clock, Effect, Either, Fiber, Schedule, Schema } from "effect"
import type * as Gongzhi from "./Gongzhi.js"
import * as GongzhiConfig from "./GongzhiConfig.js"

/**
 * How often a job runs: once per slot of this length, China time.
 *
 * @since 0.1.0
 * @category models
 */
export type Period = typeof GongzhiConfig.JobPeriod.Type

/**
 * A scheduled job of a module.
 *
 * @since 0.1.0
 * @category models
 */
export interface Job {
  /** `<module>.<operation>`, e.g. `opinion.escalateOverdue`. */
  readonly id: string
  readonly module: keyof GongzhiConfig.Modules
  /** What it does, in Chinese. */
  readonly title: string
  readonly period: Period
  /** For monthly jobs: the first day of the month the job may run (default 1; ignored at other periods). */
  readonly fromDay?: number | undefined
  /** Runs the job for the district at `now` as `actor`; the result in words. */
  readonly run: (
    actor: Actor.Actor,
    tenantId: TenantId,
    now: Date
  ) => Effect.Effect<string, unknown, Volunteers | Opinions | Credits | Projects>
}

/**
 * What a tick did with one job: `done` or `failed` (it ran), `skipped` (done for this slot already, or held by
 * another worker, or not due yet).
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome {
  readonly jobId: string
  readonly title: string
  readonly slot: string
  readonly status: "done" | "failed" | "skipped"
  /** What the run did, or why it failed (the error's Chinese message). */
  readonly summary: string
}

/**
 * The role of the worker account, added to the role table of a district by the SDK.
 *
 * @since 0.1.0
 * @category constants
 */
export const ROLE = "gongzhi-worker"

/**
 * The permissions of {@link ROLE}: exactly what the jobs of the modules in use need.
 *
 * @since 0.1.0
 * @category constructors
 */
export const rolePermissions = (modules: GongzhiConfig.Modules): ReadonlyArray<string> => [
  ...(modules.opinion === undefined ? [] : [OpinionPermissions.permissions.escalate]),
  ...(modules.volunteers === undefined
    ? []
    : [VolunteerPermissions.Permission.remindersRun, VolunteerPermissions.Permission.publicityRun]),
  ...(modules.credit === undefined ? [] : [CreditPermissions.Permission.evaluate]),
  ...(modules.projects === undefined ? [] : [ProjectPermissions.Permission.cultivationManage])
]

/**
 * The worker account of a district: the actor the jobs run as.
 *
 * @since 0.1.0
 * @category constructors
 */
export const workerActor = (districtCode: string): Actor.Actor =>
  Schema.decodeUnknownSync(Actor.Actor)({
    _tag: "Staff",
    staffId: "gongzhi-worker",
    name: "定时任务",
    roles: [ROLE],
    scope: { tenantId: districtCode, regionCode: districtCode }
  })

const CHINA_OFFSET_MS = 8 * 3_600_000

/** The China calendar date of an instant. */
const chinaDay = (now: Date): LocalDate.LocalDate =>
  LocalDate.unsafeFromEpochDay(Math.floor((now.getTime() + CHINA_OFFSET_MS) / 86_400_000))

/**
 * The slot of a period that holds `now`, in China time: `2026-03-02T09:15` (quarter-hour), `2026-03-02T09`
 * (hour), `2026-03-02` (day), `2026-03` (month).
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Worker } from "@gongzhi/sdk"
 *
 * Worker.slotOf("hour", new Date("2026-03-02T01:20:00Z")) // "2026-03-02T09"
 */
export const slotOf = (period: Period, now: Date): string => {
  const local = new Date(now.getTime() + CHINA_OFFSET_MS).toISOString()
  switch (period) {
    case "month":
      return local.slice(0, 7)
    case "day":
      return local.slice(0, 10)
    case "hour":
      return local.slice(0, 13)
    case "quarter-hour": {
      const minute = Math.floor(Number(local.slice(14, 16)) / 15) * 15
      return `${local.slice(0, 14)}${String(minute).padStart(2, "0")}`
    }
  }
}

/** How many things a module's result reports, in words. */
const describe = (result: unknown): string => {
  if (typeof result === "number") return `处理 ${result} 项`
  if (Array.isArray(result)) return `处理 ${result.length} 项`
  if (typeof result === "object" && result !== null) {
    const parts = Object.entries(result).flatMap(([key, value]) =>
      typeof value === "number" ? [`${key} ${value}`] : Array.isArray(value) ? [`${key} ${value.length}`] : []
    )
    if (parts.length > 0) return parts.join("，")
  }
  return "完成"
}

/** The month before the one `day` is in, as [first day, last day]. */
const previousMonth = (day: LocalDate.LocalDate): readonly [LocalDate.LocalDate, LocalDate.LocalDate] => {
  const [year, month] = day.split("-").map(Number) as [number, number]
  const first = month === 1 ? `${year - 1}-12-01` : `${year}-${String(month - 1).padStart(2, "0")}-01`
  const last = LocalDate.unsafeFromEpochDay(LocalDate.toEpochDay(`${day.slice(0, 7)}-01` as LocalDate.LocalDate) - 1)
  return [first as LocalDate.LocalDate, last]
}

/** Every job the SDK knows, before the configuration turns any off. */
const catalogue: ReadonlyArray<Job> = [
  {
    id: "opinion.remindApproaching",
    module: "opinion",
    title: "民情临期提醒",
    period: "hour",
    run: (actor, tenantId) =>
      Effect.flatMap(Opinions, (o) => o.remindApproaching(actor, { tenantId })).pipe(
        Effect.map((r) => `提醒 ${r.reportIds.length} 件`)
      )
  },
  {
    id: "opinion.escalateOverdue",
    module: "opinion",
    title: "民情超期督办",
    period: "hour",
    run: (actor, tenantId) =>
      Effect.flatMap(Opinions, (o) => o.escalateOverdue(actor, { tenantId })).pipe(
        Effect.map((r) => `督办 ${r.reportIds.length} 件`)
      )
  },
  {
    id: "volunteers.remindShifts",
    module: "volunteers",
    title: "志愿服务班次提醒",
    period: "day",
    run: (actor, tenantId, now) =>
      Effect.flatMap(Volunteers, (v) => v.remindShifts(actor, { tenantId, asOf: chinaDay(now) })).pipe(
        Effect.map((r) => `${r.shifts} 个班次，提醒 ${r.reminders} 人次`)
      )
  },
  {
    id: "volunteers.closePublicity",
    module: "volunteers",
    title: "志愿服务证明公示期满",
    period: "day",
    run: (actor, tenantId, now) =>
      Effect.flatMap(Volunteers, (v) => v.closePublicity(actor, { tenantId, asOf: chinaDay(now) })).pipe(
        Effect.map((r) => `${r.effective.length} 份证明生效`)
      )
  },
  {
    id: "credit.expireListDecisions",
    module: "credit",
    title: "信用名单期满移出",
    period: "day",
    run: (actor, tenantId) =>
      Effect.flatMap(Credits, (c) => c.expireListDecisions(actor, { tenantId })).pipe(Effect.map(describe))
  },
  {
    id: "credit.escalateOverdueObjections",
    module: "credit",
    title: "信用异议超期督办",
    period: "day",
    run: (actor, tenantId) =>
      Effect.flatMap(Credits, (c) => c.escalateOverdueObjections(actor, { tenantId })).pipe(Effect.map(describe))
  },
  {
    id: "credit.endDisplayAtMaximum",
    module: "credit",
    title: "失信信息公示期满",
    period: "day",
    run: (actor, tenantId) =>
      Effect.flatMap(Credits, (c) => c.endDisplayAtMaximum(actor, { tenantId })).pipe(Effect.map(describe))
  },
  {
    id: "credit.sweepOverduePublications",
    module: "credit",
    title: "双公示超期提醒（上月）",
    period: "month",
    // the units have 7 working days to publish: the month before is complete by the 15th
    fromDay: 15,
    run: (actor, tenantId, now) => {
      const [from, to] = previousMonth(chinaDay(now))
      return Effect.flatMap(Credits, (c) => c.sweepOverduePublications(actor, { tenantId, from, to })).pipe(
        Effect.map((r) => `${r.length} 个单位超期`)
      )
    }
  },
  {
    id: "projects.sweepOverdue",
    module: "projects",
    title: "创新项目逾期检查",
    period: "day",
    run: (actor, tenantId) =>
      Effect.flatMap(Projects, (p) => p.sweepOverdue(actor, { tenantId })).pipe(
        Effect.map((r) => `${r.events.length} 条提醒`)
      )
  }
]

/**
 * The ids of every job the SDK knows (whether or not a configuration runs it).
 *
 * @since 0.1.0
 * @category constants
 */
export const jobIds: ReadonlyArray<string> = catalogue.map((job) => job.id)

/**
 * The jobs a configuration runs: those of its modules, minus those `worker.jobs` turns off, with the periods it
 * sets. A `worker.jobs` key that names no job is an {@link GongzhiConfig.InvalidConfig}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const jobs = (
  config: GongzhiConfig.GongzhiConfig
): Either.Either<ReadonlyArray<Job>, GongzhiConfig.InvalidConfig> => {
  const settings = config.worker?.jobs ?? {}
  const unknown = Object.keys(settings).filter((id) => !jobIds.includes(id))
  if (unknown.length > 0)
    return Either.left(
      new GongzhiConfig.InvalidConfig({
        problems: unknown.map((id) => ({
          path: `worker.jobs.${id}`,
          message: `没有这个定时任务（可选：${jobIds.join("、")}）`
        }))
      })
    )
  return Either.right(
    catalogue.flatMap((job) => {
      if (config.modules[job.module] === undefined) return []
      const setting = settings[job.id]
      if (setting === false) return []
      // a monthly job's first day means nothing at another period
      return [
        setting === undefined
          ? job
          : { ...job, period: setting.period, fromDay: setting.period === "month" ? job.fromDay : undefined }
      ]
    })
  )
}

/**
 * One tick: for every job, claim its current slot and run it when the claim succeeds. Never fails: a job's
 * failure is its outcome (`failed`, with the error's message), and the next tick retries it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tick = (
  config: GongzhiConfig.GongzhiConfig,
  options: {
    readonly workerId: string
    /** Only these job ids (default all). */
    readonly only?: ReadonlyArray<string> | undefined
    /** How long a claim holds before another worker may take a slot over (default 15 minutes). */
    readonly leaseMillis?: number | undefined
  }
): Effect.Effect<
  ReadonlyArray<Outcome>,
  GongzhiConfig.InvalidConfig,
  JobLedger.JobLedger | Volunteers | Opinions | Credits | Projects
> =>
  Effect.gen(function* () {
    const all = yield* jobs(config)
    const selected = options.only === undefined ? all : all.filter((job) => options.only?.includes(job.id))
    const ledger = yield* JobLedger.JobLedger
    const tenantId = TenantId.make(config.district.code)
    const actor = workerActor(config.district.code)
    const outcomes: Array<Outcome> = []
    for (const job of selected) {
      const now = new Date(yield* Clock.currentTimeMillis)
      const slot = slotOf(job.period, now)
      const base = { jobId: job.id, title: job.title, slot }
      if (job.fromDay !== undefined && Number(chinaDay(now).slice(8, 10)) < job.fromDay) {
        outcomes.push({ ...base, status: "skipped", summary: `每月 ${job.fromDay} 日起执行` })
        continue
      }
      const claimed = yield* ledger
        .claim({
          tenantId,
          jobId: job.id,
          slot,
          workerId: options.workerId,
          now,
          leaseMillis: options.leaseMillis ?? 15 * 60_000
        })
        .pipe(Effect.either)
      if (Either.isLeft(claimed)) {
        outcomes.push({ ...base, status: "failed", summary: claimed.left.message })
        continue
      }
      if (!claimed.right) {
        outcomes.push({ ...base, status: "skipped", summary: "本时段已执行或正由其他进程执行" })
        continue
      }
      const result = yield* Effect.exit(job.run(actor, tenantId, now))
      const outcome: Outcome =
        result._tag === "Success"
          ? { ...base, status: "done", summary: result.value }
          : { ...base, status: "failed", summary: messageOf(Cause.squash(result.cause)) }
      yield* ledger
        .finish({
          tenantId,
          jobId: job.id,
          slot,
          workerId: options.workerId,
          now: new Date(yield* Clock.currentTimeMillis),
          status: outcome.status === "done" ? "done" : "failed",
          summary: outcome.summary
        })
        .pipe(Effect.ignore)
      outcomes.push(outcome)
    }
    return outcomes
  })

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === "string" ? error : "未知错误 / unknown error"

/**
 * Runs {@link tick} every `tickSeconds` (config `worker.tickSeconds`, default 60) until interrupted, handing each
 * tick's outcomes to `onTick`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const loop = (
  config: GongzhiConfig.GongzhiConfig,
  options: {
    readonly workerId: string
    readonly onTick?: ((outcomes: ReadonlyArray<Outcome>) => Effect.Effect<void>) | undefined
  }
): Effect.Effect<
  never,
  GongzhiConfig.InvalidConfig,
  JobLedger.JobLedger | Volunteers | Opinions | Credits | Projects
> =>
  tick(config, options).pipe(
    Effect.tap((outcomes) => options.onTick?.(outcomes) ?? Effect.void),
    Effect.repeat(Schedule.spaced(`${config.worker?.tickSeconds ?? 60} seconds`)),
    Effect.zipRight(Effect.never)
  )

/**
 * Runs one tick on a running district (the Promise API): the outcome of every job.
 *
 * @since 0.1.0
 * @category facade
 * @example
 * import { createGongzhi } from "@gongzhi/sdk/Gongzhi"
 * import { Worker } from "@gongzhi/sdk"
 *
 * declare const gz: Awaited<ReturnType<typeof createGongzhi>>
 * for (const o of await Worker.runOnce(gz)) console.log(o.jobId, o.status, o.summary)
 */
export const runOnce = (
  gz: Gongzhi.Gongzhi<unknown>,
  options: { readonly workerId?: string | undefined; readonly only?: ReadonlyArray<string> | undefined } = {}
): Promise<ReadonlyArray<Outcome>> =>
  gz.run(tick(gz.config, { workerId: options.workerId ?? defaultWorkerId(), only: options.only }))

/**
 * Starts the worker on a running district (the Promise API); `stop()` ends it after the tick in progress.
 *
 * @since 0.1.0
 * @category facade
 */
export const start = (
  gz: Gongzhi.Gongzhi<unknown>,
  options: {
    readonly workerId?: string | undefined
    readonly onTick?: ((outcomes: ReadonlyArray<Outcome>) => void) | undefined
  } = {}
): { readonly stop: () => Promise<void> } => {
  let fiber: Fiber.RuntimeFiber<never, unknown> | undefined
  // a daemon: the fiber outlives the call that starts it (a plain fork ends with that call)
  const started = gz.run(
    Effect.forkDaemon(
      loop(gz.config, {
        workerId: options.workerId ?? defaultWorkerId(),
        onTick: (outcomes) => Effect.sync(() => options.onTick?.(outcomes))
      })
    )
  )
  void started.then((f) => {
    fiber = f
  })
  return {
    stop: async () => {
      const running = fiber ?? (await started)
      await gz.run(Fiber.interrupt(running))
    }
  }
}

/** `<host>-<pid>`: unique per process, readable in the ledger. */
const defaultWorkerId = (): string => `${process.env.HOSTNAME ?? "worker"}-${process.pid}`
