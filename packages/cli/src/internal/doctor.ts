import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as HolidayNotice from "@gongzhi/core/HolidayNotice"
import * as Region from "@gongzhi/core/Region"
import * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
import * as HolidayNotices from "@gongzhi/sdk/HolidayNotices"
import * as Migrate from "@gongzhi/sdk/Migrate"
import { Clock, ConfigProvider, Effect, Either } from "effect"
import { line } from "./output.js"
import type { Project } from "./project.js"

type Level = "ok" | "warn" | "error"
const mark: Record<Level, string> = { ok: "✓", warn: "!", error: "✗" }

/** The years the official calendar covers (the State Council notices the kernel ships). */
const coveredYears = (): ReadonlyArray<number> => HolidayNotice.china.map((notice) => notice.year)

/** `gongzhi doctor`: checks config, keys, region file, database and migrations, calendar; the number of errors. */
export const doctor = (project: Project) =>
  Effect.gen(function* () {
    let errors = 0
    const report = (level: Level, text: string) => {
      if (level === "error") errors++
      return line(`${mark[level]} ${text}`)
    }
    const decoded = GongzhiConfig.decode(project.config)
    if (Either.isLeft(decoded)) {
      yield* report("error", `配置无效：${decoded.left.problems.map((p) => `${p.path}：${p.message}`).join("；")}`)
      return errors
    }
    const config = decoded.right
    yield* report("ok", `配置 ${project.configPath}：${config.district.name}（${config.district.code}）`)

    const keys = yield* Effect.either(
      Effect.flatMap(FieldCipher.config, FieldCipher.make).pipe(
        Effect.withConfigProvider(ConfigProvider.fromJson({ ...process.env }))
      )
    )
    yield* Either.isRight(keys)
      ? report("ok", "个人信息加密密钥齐全、有效")
      : report("error", `个人信息加密密钥：${keys.left.message}（见 .env 或环境变量 GONGZHI_PII_*）`)

    const regionsOk = yield* Effect.either(GongzhiConfig.loadRegions(config.regions, project.dir))
    if (Either.isLeft(regionsOk)) yield* report("error", `区划数据：${regionsOk.left.message}`)
    else if (regionsOk.right.root.code !== config.district.code)
      yield* report("error", `区划数据的根 ${regionsOk.right.root.code} 与 district.code 不一致`)
    else {
      yield* report("ok", `区划数据：${Region.describeCounts(regionsOk.right)}`)
    }

    const states = yield* Effect.either(
      Effect.tryPromise(() => Migrate.status(project.config, { baseDir: project.dir }))
    )
    if (Either.isLeft(states)) {
      const cause = states.left.cause
      yield* report("error", `数据库无法连接：${cause instanceof Error ? cause.message : String(cause)}`)
    } else {
      const pending = states.right.filter((m) => !m.applied).length
      yield* pending === 0
        ? report("ok", `数据库可连接，${states.right.length} 项迁移均已执行`)
        : report("error", `数据库有 ${pending} 项迁移待执行（运行 gongzhi migrate）`)
    }

    const now = new Date(yield* Clock.currentTimeMillis)
    const year = now.getUTCFullYear()
    const stored = yield* Effect.either(
      Effect.tryPromise(() => HolidayNotices.coverage(project.config, { baseDir: project.dir }))
    )
    const years = [...new Set([...coveredYears(), ...(Either.isRight(stored) ? stored.right.stored : [])])].sort()
    if (!years.includes(year))
      yield* report("error", `工作日日历没有 ${year} 年的放假安排（已收录 ${years.join("、")}）`)
    else if (now.getUTCMonth() >= 10 && !years.includes(year + 1))
      yield* report(
        "warn",
        `工作日日历尚无 ${year + 1} 年的放假安排：国务院通知发布后用 gongzhi calendar add-notice 载入（已收录 ${years.join("、")}）`
      )
    else yield* report("ok", `工作日日历覆盖 ${years.join("、")} 年`)

    if (config.modules.volunteers?.identity === "checksum")
      yield* report("warn", "志愿者实名核验为 checksum（只校验身份证校验位），正式上线前请接入实名核验服务")
    yield* line(errors === 0 ? "检查通过" : `发现 ${errors} 个问题`)
    return errors
  })
