import { createGongzhi } from "@gongzhi/sdk/Gongzhi"
import * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
import * as Worker from "@gongzhi/sdk/Worker"
import { Effect, Either, Runtime } from "effect"
import { line, type Output } from "./output.js"
import { CliError, type Project } from "./project.js"
import { signal } from "./signal.js"

export interface WorkerOptions {
  /** One tick, then exit (non-zero when a job failed): for cron or a CI check. */
  readonly once: boolean
  /** Only these job ids. */
  readonly only: ReadonlyArray<string> | undefined
  /** Lists the jobs the config runs, and runs nothing. */
  readonly list: boolean
  /** Completes when a running worker should stop (default: SIGINT or SIGTERM). */
  readonly stop?: Effect.Effect<void> | undefined
}

const mark: Record<Worker.Outcome["status"], string> = { done: "✓", failed: "✗", skipped: "·" }
const periodLabel: Record<Worker.Period, string> = {
  "quarter-hour": "每刻钟",
  hour: "每小时",
  day: "每天",
  month: "每月"
}

const describe = (o: Worker.Outcome) => `${mark[o.status]} ${o.jobId}（${o.title}）${o.slot}：${o.summary}`

/** `gongzhi worker`: runs the scheduled jobs of the modules in use (`--once`: one tick; `--list`: show them). */
export const worker = (project: Project, options: WorkerOptions) =>
  Effect.gen(function* () {
    const decoded = GongzhiConfig.decode(project.config)
    if (Either.isLeft(decoded)) return yield* new CliError({ zh: decoded.left.message, en: "invalid configuration" })
    const jobs = Worker.jobs(decoded.right)
    if (Either.isLeft(jobs)) return yield* new CliError({ zh: jobs.left.message, en: "invalid worker settings" })
    const unknown = (options.only ?? []).filter((id) => !jobs.right.some((job) => job.id === id))
    if (unknown.length > 0)
      return yield* new CliError({
        zh: `没有这个定时任务：${unknown.join("、")}（本区可用：${jobs.right.map((j) => j.id).join("、")}）`,
        en: "unknown job"
      })
    if (options.list) {
      for (const job of jobs.right)
        yield* line(
          `${job.id}  ${job.title}  ${periodLabel[job.period]}${job.fromDay === undefined ? "" : `（${job.fromDay} 日起）`}`
        )
      yield* line(`共 ${jobs.right.length} 项定时任务`)
      return 0
    }
    const gz = yield* Effect.tryPromise({
      try: () => createGongzhi(project.config as GongzhiConfig.GongzhiConfigInput, { baseDir: project.dir }),
      catch: (e) =>
        new CliError({
          zh: `无法启动：${e instanceof Error ? e.message : String(e)}`,
          en: "the district could not start"
        })
    })
    return yield* Effect.ensuring(
      Effect.gen(function* () {
        if (options.once) {
          const outcomes = yield* Effect.promise(() => Worker.runOnce(gz, { only: options.only }))
          for (const outcome of outcomes) yield* line(describe(outcome))
          const failed = outcomes.filter((o) => o.status === "failed").length
          yield* line(
            `执行 ${outcomes.filter((o) => o.status === "done").length} 项，跳过 ${outcomes.filter((o) => o.status === "skipped").length} 项，失败 ${failed} 项`
          )
          return failed
        }
        const runtime = yield* Effect.runtime<Output>()
        const print = (text: string) => Runtime.runSync(runtime)(line(text))
        const running = Worker.start(gz, {
          onTick: (outcomes) => {
            for (const outcome of outcomes) if (outcome.status !== "skipped") print(describe(outcome))
          }
        })
        yield* line(
          `定时任务已启动（${jobs.right.length} 项，每 ${decoded.right.worker?.tickSeconds ?? 60} 秒检查一次）/ worker running; Ctrl-C stops`
        )
        yield* options.stop ?? signal
        yield* line("正在停止 / stopping")
        yield* Effect.promise(() => running.stop())
        return 0
      }),
      Effect.promise(() => gz.close())
    )
  })
