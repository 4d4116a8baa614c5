/**
 * The one configuration object of a district: who it is, its region tree, where it stores its data, which
 * modules it runs and their settings. Plain JSON (so it can live in `gongzhi.config.json`); secrets never
 * appear in it — the storage URL of a server database and the PII keys are read from environment variables
 * it names.
 *
 * @since 0.1.0
 */

import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import * as Region from "@gongzhi/core/Region"
import * as SourceUnit from "@gongzhi/credit/SourceUnit"
import * as Routing from "@gongzhi/opinion/Routing"
import { Effect, Either, ParseResult, Schema } from "effect"

/**
 * Where the data lives: `sqlite:<path>` (the embedded default), or a server URL read from the environment
 * variable named by `env` (`postgres://…`, `mysql://…`, so the password never sits in the config file). A
 * literal `postgres://` or `mysql://` URL is accepted only without a password.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Storage = Schema.Union(
  Schema.String.pipe(
    Schema.filter(
      (url) =>
        /^sqlite:.+/.test(url) ||
        (/^(postgres|postgresql|mysql):\/\/[^\s]+$/.test(url) && !/^[a-z]+:\/\/[^/@]*:[^/@]*@/.test(url)) ||
        '存储地址应为 sqlite:<文件路径>，或不含密码的 postgres:// / mysql:// 地址（含密码时请用 { env: "变量名" }）'
    )
  ),
  Schema.Struct({ env: Schema.String.pipe(Schema.pattern(/^[A-Z_][A-Z0-9_]*$/)) })
).annotations({ identifier: "Storage" })

/**
 * @since 0.1.0
 * @category models
 */
export type Storage = typeof Storage.Type

/**
 * The region tree: core's CSV format (`code,name,parentCode`) as text or as a file path, or core's JSON
 * formats as parsed JSON or as a file path. `asOf` is the edition (e.g. `"2023"`) when the data has none.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Regions = Schema.Union(
  Schema.Struct({ csv: Schema.String, asOf: Schema.String }),
  Schema.Struct({ json: Schema.Unknown, asOf: Schema.optional(Schema.String) }),
  Schema.Struct({ file: Schema.NonEmptyTrimmedString, asOf: Schema.optional(Schema.String) })
).annotations({ identifier: "Regions" })

/**
 * @since 0.1.0
 * @category models
 */
export type Regions = typeof Regions.Type

/**
 * The modules a district runs: a key present means the module is on.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Modules = Schema.Struct({
  volunteers: Schema.optional(
    Schema.Struct({
      /**
       * How a volunteer's real name is checked. `checksum` accepts every ID number with a valid check digit
       * (no registry lookup: for trials and tests); a production district passes its own `IdentityVerifier`
       * layer to `createGongzhi` instead.
       */
      identity: Schema.optional(Schema.Literal("checksum")),
      checkCodeDigits: Schema.optional(Schema.Int.pipe(Schema.between(4, 8)))
    })
  ),
  opinion: Schema.optional(Schema.Struct({ routing: Routing.RoutingTable })),
  credit: Schema.optional(Schema.Struct({ sourceUnits: Schema.Array(SourceUnit.SourceUnit) })),
  projects: Schema.optional(Schema.Struct({}))
}).annotations({ identifier: "Modules" })

/**
 * @since 0.1.0
 * @category models
 */
export type Modules = typeof Modules.Type

/**
 * How often a scheduled job runs: once per quarter-hour, hour, day or month of China time (the job's slot).
 *
 * @since 0.1.0
 * @category schemas
 */
export const JobPeriod = Schema.Literal("quarter-hour", "hour", "day", "month").annotations({ identifier: "JobPeriod" })

/**
 * The worker (`gongzhi worker`): `jobs` turns a job off (`false`) or changes its period, by job id
 * (`opinion.escalateOverdue`, …; `gongzhi worker --list` shows them); `tickSeconds` is how often the worker
 * looks for due jobs (default 60).
 *
 * @since 0.1.0
 * @category schemas
 */
export const WorkerSettings = Schema.Struct({
  jobs: Schema.optional(
    Schema.Record({
      key: Schema.String,
      value: Schema.Union(Schema.Literal(false), Schema.Struct({ period: JobPeriod }))
    })
  ),
  tickSeconds: Schema.optional(Schema.Int.pipe(Schema.between(5, 3600)))
}).annotations({ identifier: "WorkerSettings" })

/**
 * The configuration of a district.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GongzhiConfig = Schema.Struct({
  district: Schema.Struct({
    code: Schema.String.pipe(Schema.pattern(/^\d{6}$/, { message: () => "区县代码应为 6 位数字" })),
    name: Schema.NonEmptyTrimmedString
  }),
  regions: Regions,
  storage: Schema.optionalWith(Storage, { default: () => "sqlite:./gongzhi.db" }),
  modules: Modules,
  /** The district's own roles, merged with the default role tables of the modules it runs. */
  roles: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) })),
  /** The scheduled jobs' settings (`gongzhi worker`). */
  worker: Schema.optional(WorkerSettings)
}).annotations({ identifier: "GongzhiConfig" })

/**
 * The configuration as given (JSON).
 *
 * @since 0.1.0
 * @category models
 */
export type GongzhiConfigInput = typeof GongzhiConfig.Encoded

/**
 * The configuration decoded, defaults filled in.
 *
 * @since 0.1.0
 * @category models
 */
export type GongzhiConfig = typeof GongzhiConfig.Type

/**
 * One thing wrong with a configuration: where (`district.code`, `modules.opinion.routing.rules[2]`) and what.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConfigProblem {
  readonly path: string
  readonly message: string
}

/**
 * The configuration cannot be used; `problems` names each bad field by its path.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>("@gongzhi/sdk/InvalidConfig")("InvalidConfig", {
  problems: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String }))
}) {
  override get message(): string {
    const shown = this.problems.slice(0, 5).map((p) => `${p.path === "" ? "（根）" : p.path}：${p.message}`)
    const more = this.problems.length > 5 ? `；另有 ${this.problems.length - 5} 处` : ""
    return `配置无效 / invalid configuration — ${shown.join("；")}${more}`
  }
}

const pathOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`),
    ""
  )

// Schema's default messages end in ", actual <value>": drop the value (a config may hold secrets by mistake).
const withoutValue = (message: string): string => message.replace(/,?\s*actual [\s\S]*$/, "")

const decodeEither = Schema.decodeUnknownEither(GongzhiConfig, { errors: "all", onExcessProperty: "error" })

/**
 * Decodes a configuration: the decoded value, or {@link InvalidConfig} with the path of every bad field. Values
 * are never echoed in the messages.
 *
 * @since 0.1.0
 * @category decoding
 * @example
 * import * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
 *
 * const result = GongzhiConfig.decode({ district: { code: "4401", name: "越秀区" } })
 * // Left(InvalidConfig { problems: [{ path: "district.code", … }, { path: "regions", … }, …] })
 */
export const decode = (input: unknown): Either.Either<GongzhiConfig, InvalidConfig> =>
  Either.mapLeft(decodeEither(input), (error) => {
    const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
    return new InvalidConfig({
      problems: issues.map((issue) => ({
        path: pathOf(issue.path),
        message:
          issue._tag === "Missing"
            ? "缺少此项"
            : issue._tag === "Unexpected"
              ? "不认识的配置项"
              : withoutValue(issue.message)
      }))
    })
  })

const problem = (path: string, message: string) => new InvalidConfig({ problems: [{ path, message }] })

/**
 * Reads the region tree a configuration points at: inline CSV or JSON, or a file (`.csv` needs `asOf`)
 * resolved against `baseDir`. The SDK, `gongzhi init` and `gongzhi doctor` all read regions through this.
 *
 * @since 0.1.0
 * @category decoding
 * @example
 * import * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
 * import { Effect } from "effect"
 *
 * const tree = await Effect.runPromise(
 *   GongzhiConfig.loadRegions({ csv: "code,name,parentCode\n440310,坪山区,", asOf: "2024" }, process.cwd())
 * )
 * // tree.root.name === "坪山区"
 */
export const loadRegions = (
  regions: Regions,
  baseDir: string
): Effect.Effect<Region.RegionTree, InvalidConfig | Region.InvalidRegionTree> => {
  if ("csv" in regions) return Region.fromCsv(regions.csv, { asOf: regions.asOf })
  if ("json" in regions) return Region.fromJson(regions.json, regions.asOf === undefined ? {} : { asOf: regions.asOf })
  const file = Path.resolve(baseDir, regions.file)
  return Effect.tryPromise({
    try: () => Fs.readFile(file, "utf8"),
    catch: () => problem("regions.file", `无法读取区划文件 ${regions.file}`)
  }).pipe(
    Effect.flatMap((text) => {
      if (file.toLowerCase().endsWith(".csv")) {
        if (regions.asOf === undefined) return Effect.fail(problem("regions.asOf", "CSV 区划文件需要 asOf（版本年份）"))
        return Region.fromCsv(text, { asOf: regions.asOf, source: regions.file })
      }
      return Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: () => problem("regions.file", `区划文件 ${regions.file} 不是有效的 JSON`)
      }).pipe(
        Effect.flatMap((json) =>
          Region.fromJson(json, { source: regions.file, ...(regions.asOf === undefined ? {} : { asOf: regions.asOf }) })
        )
      )
    })
  )
}
