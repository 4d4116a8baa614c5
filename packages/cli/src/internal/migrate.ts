import * as Migrate from "@gongzhi/sdk/Migrate"
import { Effect } from "effect"
import { line } from "./output.js"
import { CliError, type Project } from "./project.js"

const failed = (zh: string) => (e: unknown) =>
  new CliError({ zh: `${zh}：${e instanceof Error ? e.message : String(e)}`, en: "the database could not be read" })

/** `gongzhi migrate`: applies the pending migrations and lists them. */
export const migrate = (project: Project) =>
  Effect.gen(function* () {
    const result = yield* Effect.tryPromise({
      try: () => Migrate.apply(project.config, { baseDir: project.dir }),
      catch: failed("数据库迁移失败")
    })
    for (const m of result.appliedNow) yield* line(`已执行 ${m.module}#${m.id} ${m.name}`)
    yield* line(
      result.appliedNow.length === 0
        ? `数据库已是最新（共 ${result.migrations.length} 项迁移）`
        : `执行迁移 ${result.appliedNow.length} 项，共 ${result.migrations.length} 项`
    )
  })

/** `gongzhi migrate --status`: every migration of the modules in use, applied or pending; applies nothing. */
export const status = (project: Project) =>
  Effect.gen(function* () {
    const states = yield* Effect.tryPromise({
      try: () => Migrate.status(project.config, { baseDir: project.dir }),
      catch: failed("无法读取迁移状态")
    })
    for (const m of states) yield* line(`${m.applied ? "已执行" : "待执行"}  ${m.module}#${m.id} ${m.name}`)
    const pending = states.filter((m) => !m.applied).length
    yield* line(pending === 0 ? `全部 ${states.length} 项已执行` : `${pending} 项待执行（运行 gongzhi migrate）`)
    return pending
  })
