import * as Fs from "node:fs"
import * as Path from "node:path"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Region from "@gongzhi/core/Region"
import * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
import * as Migrate from "@gongzhi/sdk/Migrate"
import { Clock, Effect, Either, Redacted } from "effect"
import { line } from "./output.js"
import { CliError, CONFIG_FILE, ENV_FILE, loadEnv } from "./project.js"

export const MODULES = ["volunteers", "opinion", "credit", "projects"] as const

export interface InitOptions {
  readonly cwd: string
  readonly district: string
  readonly name: string
  readonly regions: string
  readonly asOf: string | undefined
  readonly storage: string | undefined
  readonly dir: string | undefined
  readonly modules: ReadonlyArray<string>
  readonly force: boolean
}

const attempt = <A>(zh: string, en: string, f: () => A) => Effect.try({ try: f, catch: () => new CliError({ zh, en }) })

const moduleSettings = (name: string, districtName: string) => {
  switch (name) {
    case "volunteers":
      return { identity: "checksum" }
    case "opinion":
      return {
        routing: { departments: [{ code: "center", name: `${districtName}民情中心` }], rules: [], fallback: "center" }
      }
    case "credit":
      return { sourceUnits: [] }
    default:
      return {}
  }
}

/** `gongzhi init`: writes the config and the keys, runs the migrations, says what it made. */
export const init = (options: InitOptions) =>
  Effect.gen(function* () {
    const dir = Path.resolve(options.cwd, options.dir ?? ".")
    const configPath = Path.join(dir, CONFIG_FILE)
    const unknown = options.modules.filter((m) => !(MODULES as ReadonlyArray<string>).includes(m))
    if (unknown.length > 0)
      return yield* new CliError({
        zh: `不认识的模块 ${unknown.join("、")}（可选：${MODULES.join(", ")}）`,
        en: `unknown module ${unknown.join(", ")}`
      })
    if (Fs.existsSync(configPath) && !options.force)
      return yield* new CliError({
        zh: `${configPath} 已存在（用 --force 覆盖）`,
        en: `${CONFIG_FILE} exists already; pass --force to overwrite`
      })
    const regionsPath = Path.resolve(options.cwd, options.regions)
    const year = String(new Date(yield* Clock.currentTimeMillis).getUTCFullYear())
    const asOf = options.asOf ?? year
    if (!Fs.existsSync(regionsPath))
      return yield* new CliError({ zh: `无法读取区划文件 ${regionsPath}`, en: "cannot read the region file" })
    const tree = yield* GongzhiConfig.loadRegions({ file: regionsPath, asOf }, options.cwd).pipe(
      Effect.mapError(
        (e) =>
          new CliError({
            zh: `区划文件有误：${e.problems
              .slice(0, 3)
              .map((p) => p.message)
              .join("；")}`,
            en: "invalid region file"
          })
      )
    )
    const relativeRegions = Path.relative(dir, regionsPath)
    const config = {
      district: { code: options.district, name: options.name },
      regions: { file: relativeRegions.startsWith("..") ? regionsPath : relativeRegions, asOf },
      storage: options.storage ?? "sqlite:./gongzhi.db",
      modules: Object.fromEntries(options.modules.map((m) => [m, moduleSettings(m, options.name)]))
    }
    const decoded = GongzhiConfig.decode(config)
    if (Either.isLeft(decoded))
      return yield* new CliError({
        zh: decoded.left.problems.map((p) => `${p.path}：${p.message}`).join("；"),
        en: "invalid options"
      })
    if (tree.root.code !== options.district)
      return yield* new CliError({
        zh: `区划文件的根是 ${tree.root.code}，与 --district ${options.district} 不一致`,
        en: "the region file is for another district"
      })

    yield* attempt(`无法创建目录 ${dir}`, "cannot create the directory", () => Fs.mkdirSync(dir, { recursive: true }))
    yield* attempt(`无法写入 ${configPath}`, `cannot write ${CONFIG_FILE}`, () =>
      Fs.writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`)
    )
    yield* line(`已写入 ${configPath}`)

    const envPath = Path.join(dir, ENV_FILE)
    if (Fs.existsSync(envPath)) {
      yield* line(`保留已有的 ${envPath}（其中的密钥不变）`)
    } else {
      const keys = FieldCipher.generateOptions({ keyIds: ["k1"] })
      const text = [
        "# Gongzhi 个人信息加密密钥（勿提交到版本库，勿外传；丢失后已加密的数据无法解密）",
        `GONGZHI_PII_KEYS=${Object.entries(keys.keys)
          .map(([id, key]) => `${id}:${Redacted.value(key)}`)
          .join(",")}`,
        `GONGZHI_PII_CURRENT_KEY_ID=${keys.currentKeyId}`,
        `GONGZHI_PII_INDEX_KEY=${Redacted.value(keys.indexKey)}`,
        ""
      ].join("\n")
      yield* attempt(`无法写入 ${envPath}`, `cannot write ${ENV_FILE}`, () => {
        Fs.writeFileSync(envPath, text, { mode: 0o600 })
        Fs.chmodSync(envPath, 0o600)
      })
      yield* line(`已生成密钥 ${envPath}（权限 0600）`)
    }
    yield* loadEnv(dir)

    yield* line(`区划：${tree.root.name}（${tree.root.code}），${Region.describeCounts(tree)}（${asOf} 版）`)

    const result = yield* Effect.tryPromise({
      try: () => Migrate.apply(config, { baseDir: dir }),
      catch: (e) =>
        new CliError({
          zh: `数据库迁移失败：${e instanceof Error ? e.message : String(e)}`,
          en: "migration failed"
        })
    })
    yield* line(
      `数据库：${config.storage}，执行迁移 ${result.appliedNow.length} 项（共 ${result.migrations.length} 项）`
    )
    yield* line(`模块：${options.modules.join("、")}`)
    if (options.modules.includes("volunteers"))
      yield* line("注意：志愿者实名核验为 checksum（只校验身份证校验位），正式上线前请接入实名核验服务")
    return config
  })
