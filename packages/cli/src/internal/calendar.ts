import * as Fs from "node:fs"
import * as Path from "node:path"
import * as HolidayNotices from "@gongzhi/sdk/HolidayNotices"
import { Effect } from "effect"
import { line } from "./output.js"
import { CliError, type Project } from "./project.js"

const describe = (e: unknown): string => {
  if (typeof e === "object" && e !== null && "_tag" in e && e._tag === "StorageError")
    return "无法写入数据库（是否已运行 gongzhi migrate？）"
  return e instanceof Error ? e.message : String(e)
}

/** `gongzhi calendar add-notice <file.json> [--replace]`. */
export const addNotice = (project: Project, file: string, replace: boolean, cwd: string) =>
  Effect.gen(function* () {
    const path = Path.resolve(cwd, file)
    const text = yield* Effect.try({
      try: () => Fs.readFileSync(path, "utf8"),
      catch: () => new CliError({ zh: `无法读取 ${path}`, en: `cannot read ${file}` })
    })
    const notice = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => new CliError({ zh: `${path} 不是有效的 JSON`, en: `${file} is not valid JSON` })
    })
    const result = yield* Effect.tryPromise({
      try: () => HolidayNotices.add(project.config, notice, { replace, baseDir: project.dir }),
      catch: (e) => new CliError({ zh: `放假安排未载入：${describe(e)}`, en: "the notice was not loaded" })
    })
    const said = { added: "已载入", replaced: "已替换", unchanged: "已载入过，内容相同，未改动" }[result.result]
    yield* line(`${result.year} 年放假安排${said}`)
  })

/** `gongzhi calendar list`. */
export const list = (project: Project) =>
  Effect.gen(function* () {
    const coverage = yield* Effect.tryPromise({
      try: () => HolidayNotices.coverage(project.config, { baseDir: project.dir }),
      catch: (e) => new CliError({ zh: `无法读取放假安排：${describe(e)}`, en: "cannot read the notices" })
    })
    yield* line(`内置：${coverage.vendored.join("、")} 年`)
    yield* line(coverage.stored.length === 0 ? "本区载入：无" : `本区载入：${coverage.stored.join("、")} 年`)
  })
