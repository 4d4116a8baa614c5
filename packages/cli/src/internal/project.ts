import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Util from "node:util"
import { Effect, Schema } from "effect"

/** The file a district's settings live in. */
export const CONFIG_FILE = "gongzhi.config.json"
/** The file the PII keys live in (mode 0600), beside the config. */
export const ENV_FILE = ".env"

/** A failure the CLI reports as one line: Chinese, then English. */
export class CliError extends Schema.TaggedError<CliError>("@gongzhi/cli/CliError")("CliError", {
  zh: Schema.String,
  en: Schema.String
}) {
  override get message(): string {
    return `${this.zh} / ${this.en}`
  }
}

export interface Project {
  readonly dir: string
  readonly configPath: string
  readonly config: unknown
  /** The variables of `.env` (also put into `process.env` when not already set there). */
  readonly env: Readonly<Record<string, string>>
}

/** Reads `.env` beside the config (if any) into `process.env` without overriding what is set. */
export const loadEnv = (dir: string): Effect.Effect<Readonly<Record<string, string>>, CliError> =>
  Effect.try({
    try: () => {
      const file = Path.join(dir, ENV_FILE)
      if (!Fs.existsSync(file)) return {}
      const parsed = Util.parseEnv(Fs.readFileSync(file, "utf8")) as Record<string, string>
      for (const [key, value] of Object.entries(parsed)) if (process.env[key] === undefined) process.env[key] = value
      return parsed
    },
    catch: () => new CliError({ zh: `无法读取 ${Path.join(dir, ENV_FILE)}`, en: `cannot read ${ENV_FILE}` })
  })

/** Finds the config (`--config`, else `gongzhi.config.json` in the working directory) and loads its `.env`. */
export const load = (configOption: string | undefined, cwd: string): Effect.Effect<Project, CliError> =>
  Effect.gen(function* () {
    const configPath = Path.resolve(cwd, configOption ?? CONFIG_FILE)
    const text = yield* Effect.try({
      try: () => Fs.readFileSync(configPath, "utf8"),
      catch: () =>
        new CliError({
          zh: `找不到配置文件 ${configPath}（先运行 gongzhi init，或用 --config 指定）`,
          en: `no ${CONFIG_FILE} found; run gongzhi init or pass --config`
        })
    })
    const config = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () =>
        new CliError({ zh: `配置文件 ${configPath} 不是有效的 JSON`, en: "the config file is not valid JSON" })
    })
    const dir = Path.dirname(configPath)
    const env = yield* loadEnv(dir)
    return { dir, configPath, config, env }
  })
