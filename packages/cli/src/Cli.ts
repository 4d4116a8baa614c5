/**
 * `gongzhi`, the command line of a district: `init` writes `gongzhi.config.json` and the PII keys (`.env`,
 * mode 0600) and migrates the database; `migrate` (and `migrate --status`); `doctor` checks config, keys,
 * region file, database, migrations and calendar coverage; `calendar add-notice` loads a year's holiday notice;
 * `serve [--port] [--host]` runs the HTTP server (`@gongzhi/server`) until Ctrl-C; `worker [--once] [--only]
 * [--list]` runs the scheduled jobs of the modules in use (reminders, 督办, expiries); `volunteers setup | import |
 * export` sets up the corps and moves rosters in and out (XLSX/CSV, progress shown); `token issue` / `token revoke`
 * manage its staff tokens (a file of SHA-256 hashes). Every command reads the config from the working
 * directory (or `--config`) and loads the `.env` beside it; a failure is one line, Chinese then English, and a
 * non-zero exit code (the stack only with `--verbose`).
 *
 * @since 0.1.0
 */
import { Args, Command, Options, ValidationError } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer, Option } from "effect"
import { addNotice, list } from "./internal/calendar.js"
import { doctor } from "./internal/doctor.js"
import { init, MODULES } from "./internal/init.js"
import { migrate, status } from "./internal/migrate.js"
import * as Output from "./internal/output.js"
import { CliError, load } from "./internal/project.js"
import { issueToken, revokeToken, serve } from "./internal/serve.js"
import { exportRoster, importRoster, setup } from "./internal/volunteers.js"
import { worker } from "./internal/worker.js"

/**
 * What `main` reads from and writes to; tests pass their own.
 *
 * @since 0.1.0
 * @category models
 */
export interface Io {
  readonly cwd: string
  readonly lines?: Array<string> | undefined
  readonly errors?: Array<string> | undefined
  /** `gongzhi serve` and `gongzhi worker` stop when this completes (default: on SIGINT or SIGTERM). */
  readonly stop?: Promise<void> | undefined
}

class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`)
  }
}

const configOption = Options.text("config").pipe(
  Options.withDescription("配置文件 / the config file (default ./gongzhi.config.json)"),
  Options.optional
)
const verbose = Options.boolean("verbose").pipe(Options.withDescription("出错时显示详情 / show details on errors"))

const commands = (cwd: string, stop?: Promise<void>) => {
  const initCommand = Command.make(
    "init",
    {
      district: Options.text("district").pipe(Options.withDescription("区县代码（6 位）/ district code")),
      name: Options.text("name").pipe(Options.withDescription("区县名称 / district name")),
      regions: Options.text("regions").pipe(
        Options.withDescription("区划文件 code,name,parentCode 的 CSV 或 JSON / region file")
      ),
      asOf: Options.text("as-of").pipe(Options.withDescription("区划版本年份 / edition year"), Options.optional),
      storage: Options.text("storage").pipe(
        Options.withDescription("存储地址，默认 sqlite:./gongzhi.db / storage URL"),
        Options.optional
      ),
      dir: Options.text("dir").pipe(Options.withDescription("写入目录 / target folder"), Options.optional),
      modules: Options.text("modules").pipe(
        Options.withDescription(`启用的模块，逗号分隔（${MODULES.join(",")}）/ modules`),
        Options.withDefault("volunteers,opinion")
      ),
      force: Options.boolean("force").pipe(Options.withDescription("覆盖已有配置 / overwrite the config")),
      verbose
    },
    (o) =>
      init({
        cwd,
        district: o.district,
        name: o.name,
        regions: o.regions,
        asOf: Option.getOrUndefined(o.asOf),
        storage: Option.getOrUndefined(o.storage),
        dir: Option.getOrUndefined(o.dir),
        modules: o.modules
          .split(",")
          .map((m) => m.trim())
          .filter((m) => m !== ""),
        force: o.force
      })
  ).pipe(Command.withDescription("新建一个区的配置、密钥和数据库 / set up a district"))

  const migrateCommand = Command.make(
    "migrate",
    {
      status: Options.boolean("status").pipe(Options.withDescription("只列出迁移状态 / list, apply nothing")),
      config: configOption,
      verbose
    },
    (o) =>
      Effect.flatMap(load(Option.getOrUndefined(o.config), cwd), (project) =>
        o.status
          ? Effect.flatMap(status(project), (pending) => (pending > 0 ? Effect.fail(new ExitCode(1)) : Effect.void))
          : migrate(project)
      )
  ).pipe(Command.withDescription("执行数据库迁移 / migrate the database"))

  const doctorCommand = Command.make("doctor", { config: configOption, verbose }, (o) =>
    Effect.flatMap(load(Option.getOrUndefined(o.config), cwd), (project) =>
      Effect.flatMap(doctor(project), (errors) => (errors > 0 ? Effect.fail(new ExitCode(1)) : Effect.void))
    )
  ).pipe(Command.withDescription("检查配置、密钥、数据库和日历 / check the setup"))

  const addNoticeCommand = Command.make(
    "add-notice",
    {
      file: Args.text({ name: "file.json" }).pipe(Args.withDescription("国务院放假安排 JSON / the notice as JSON")),
      replace: Options.boolean("replace").pipe(Options.withDescription("替换已载入的同年安排 / replace that year")),
      config: configOption,
      verbose
    },
    (o) =>
      Effect.flatMap(load(Option.getOrUndefined(o.config), cwd), (project) =>
        addNotice(project, o.file, o.replace, cwd)
      )
  ).pipe(Command.withDescription("载入一年的放假安排 / load a year's holiday notice"))
  const listCommand = Command.make("list", { config: configOption, verbose }, (o) =>
    Effect.flatMap(load(Option.getOrUndefined(o.config), cwd), list)
  ).pipe(Command.withDescription("日历覆盖的年份 / the years covered"))
  const calendarCommand = Command.make("calendar").pipe(
    Command.withDescription("工作日日历 / the working-day calendar"),
    Command.withSubcommands([addNoticeCommand, listCommand])
  )

  const serveCommand = Command.make(
    "serve",
    {
      port: Options.integer("port").pipe(Options.withDescription("端口，默认 8080 / port"), Options.withDefault(8080)),
      host: Options.text("host").pipe(
        Options.withDescription("监听地址，默认 127.0.0.1（仅本机）/ interface"),
        Options.withDefault("127.0.0.1")
      ),
      anonymousIntake: Options.boolean("anonymous-intake").pipe(
        Options.withDescription("允许居民不带令牌提交民情诉求 / accept reports without a token")
      ),
      tokens: Options.text("tokens").pipe(
        Options.withDescription("工作人员令牌摘要文件（JSON）/ stored token hashes"),
        Options.optional
      ),
      config: configOption,
      verbose
    },
    (o) =>
      Effect.flatMap(load(Option.getOrUndefined(o.config), cwd), (project) =>
        serve(
          project,
          {
            port: o.port,
            host: o.host,
            anonymousIntake: o.anonymousIntake,
            tokens: Option.getOrUndefined(o.tokens),
            stop: stop === undefined ? undefined : Effect.promise(() => stop)
          },
          cwd
        )
      )
  ).pipe(Command.withDescription("启动 HTTP 接口服务 / run the HTTP server"))

  const exitWith = (code: number) => (code > 0 ? Effect.fail(new ExitCode(code)) : Effect.void)
  const setupCommand = Command.make(
    "setup",
    {
      name: Options.text("name").pipe(
        Options.withDescription("服务总队名称，默认「<区名>志愿服务总队」/ corps name"),
        Options.optional
      ),
      config: configOption,
      verbose
    },
    (o) =>
      Effect.flatMap(load(Option.getOrUndefined(o.config), cwd), (project) =>
        setup(project, { name: Option.getOrUndefined(o.name) })
      )
  ).pipe(Command.withDescription("建立服务总队和各街道（镇、乡）分队 / set up the corps and its sub-teams"))
  const importCommand = Command.make(
    "import",
    {
      file: Args.text({ name: "file" }).pipe(Args.withDescription("名单 .xlsx 或 .csv / the roster")),
      dryRun: Options.boolean("dry-run").pipe(Options.withDescription("只校验，不写入 / validate only")),
      report: Options.text("report").pipe(
        Options.withDescription("未通过行的报告文件（CSV）/ where rejected rows go"),
        Options.optional
      ),
      config: configOption,
      verbose
    },
    (o) =>
      Effect.flatMap(load(Option.getOrUndefined(o.config), cwd), (project) =>
        importRoster(project, { file: o.file, dryRun: o.dryRun, report: Option.getOrUndefined(o.report) }, cwd)
      ).pipe(Effect.flatMap(exitWith))
  ).pipe(Command.withDescription("导入志愿者名单 / import a volunteer roster"))
  const exportCommand = Command.make(
    "export",
    {
      file: Args.text({ name: "file" }).pipe(Args.withDescription("写入 .xlsx 或 .csv / the file to write")),
      config: configOption,
      verbose
    },
    (o) =>
      Effect.flatMap(load(Option.getOrUndefined(o.config), cwd), (project) =>
        exportRoster(project, { file: o.file }, cwd)
      )
  ).pipe(Command.withDescription("导出志愿者名单（脱敏）/ export the roster, masked"))
  const volunteersCommand = Command.make("volunteers").pipe(
    Command.withDescription("志愿者：服务总队、名单导入导出 / volunteers"),
    Command.withSubcommands([setupCommand, importCommand, exportCommand])
  )

  const workerCommand = Command.make(
    "worker",
    {
      once: Options.boolean("once").pipe(Options.withDescription("只执行一轮（适合 cron）/ one tick, then exit")),
      only: Options.text("only").pipe(
        Options.withDescription("只执行这些任务，逗号分隔 / only these job ids, comma separated"),
        Options.optional
      ),
      list: Options.boolean("list").pipe(Options.withDescription("列出定时任务 / list the jobs")),
      config: configOption,
      verbose
    },
    (o) =>
      Effect.flatMap(load(Option.getOrUndefined(o.config), cwd), (project) =>
        worker(project, {
          once: o.once,
          list: o.list,
          only: Option.getOrUndefined(Option.map(o.only, (text) => text.split(",").map((id) => id.trim()))),
          stop: stop === undefined ? undefined : Effect.promise(() => stop)
        })
      ).pipe(Effect.flatMap((failed) => (failed > 0 ? Effect.fail(new ExitCode(1)) : Effect.void)))
  ).pipe(Command.withDescription("运行定时任务（提醒、督办、期满处理）/ run the scheduled jobs"))

  const tokensOption = Options.text("tokens").pipe(
    Options.withDescription("令牌摘要文件，默认 tokens.json / the token hashes file"),
    Options.withDefault("tokens.json")
  )
  const issueCommand = Command.make(
    "issue",
    {
      actor: Options.text("actor").pipe(Options.withDescription("工作人员身份 JSON 文件 / the staff actor as JSON")),
      label: Options.text("label").pipe(Options.withDescription("备注 / a label"), Options.optional),
      tokens: tokensOption,
      verbose
    },
    (o) => issueToken({ actor: o.actor, tokens: o.tokens, label: Option.getOrUndefined(o.label) }, cwd)
  ).pipe(Command.withDescription("签发工作人员令牌 / issue a staff token"))
  const revokeCommand = Command.make(
    "revoke",
    { hash: Args.text({ name: "sha256" }), tokens: tokensOption, verbose },
    (o) => revokeToken({ hash: o.hash, tokens: o.tokens }, cwd)
  ).pipe(Command.withDescription("吊销令牌 / revoke a token"))
  const tokenCommand = Command.make("token").pipe(
    Command.withDescription("接口服务的工作人员令牌 / staff tokens of the server"),
    Command.withSubcommands([issueCommand, revokeCommand])
  )

  return Command.make("gongzhi").pipe(
    Command.withDescription("共治 Gongzhi：区级社会治理 / district social governance"),
    Command.withSubcommands([
      initCommand,
      migrateCommand,
      doctorCommand,
      calendarCommand,
      volunteersCommand,
      serveCommand,
      workerCommand,
      tokenCommand
    ])
  )
}

/**
 * Runs the CLI with `argv` (as `process.argv`: node, script, then the arguments) and resolves to the exit code:
 * 0 done, 1 failed (one line on stderr), 2 bad arguments.
 *
 * @since 0.1.0
 * @category running
 */
export const main = async (argv: ReadonlyArray<string>, io: Io = { cwd: process.cwd() }): Promise<number> => {
  const output = io.lines === undefined ? Output.layerProcess : Output.layerCollect(io.lines, io.errors ?? io.lines)
  const run = Command.run(commands(io.cwd, io.stop), { name: "gongzhi", version: "0.1.0" })
  const showStack = argv.includes("--verbose")
  const program = Effect.suspend(() => run(argv)).pipe(
    Effect.provide(Layer.mergeAll(NodeContext.layer, output))
  ) as Effect.Effect<void, unknown>
  const exit = await Effect.runPromiseExit(program)
  if (Exit.isSuccess(exit)) return 0
  const error = Cause.squash(exit.cause)
  if (error instanceof ExitCode) return error.code
  if (ValidationError.isValidationError(error)) return 2
  const text =
    error instanceof CliError
      ? error.message
      : `错误：${error instanceof Error ? error.message : String(error)} / error`
  const write = io.errors ?? io.lines
  if (write === undefined) process.stderr.write(`${text}\n`)
  else write.push(text)
  if (showStack && error instanceof Error && error.stack !== undefined) {
    if (write === undefined) process.stderr.write(`${error.stack}\n`)
    else write.push(error.stack)
  }
  return 1
}
