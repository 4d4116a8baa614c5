import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Actor from "@gongzhi/core/Actor"
import * as Region from "@gongzhi/core/Region"
import { createGongzhi, type Gongzhi } from "@gongzhi/sdk/Gongzhi"
import * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
import * as Roster from "@gongzhi/volunteers/Roster"
import { Volunteers } from "@gongzhi/volunteers/Volunteers"
import { Effect, Either, Schema } from "effect"
import { line, Output, progressReporter } from "./output.js"
import { CliError, type Project } from "./project.js"

/**
 * Who acts when an operator runs a volunteers command on the district's machine: the account `gongzhi-cli` with
 * the headquarters staff role (the operator holds the config and the keys already). Audit entries name it.
 */
const operator = (districtCode: string): Actor.Actor =>
  Schema.decodeUnknownSync(Actor.Actor)({
    _tag: "Staff",
    staffId: "gongzhi-cli",
    name: "命令行操作员",
    roles: ["volunteers-hq-staff"],
    scope: { tenantId: districtCode, regionCode: districtCode }
  })

const failure = (zh: string, en: string) => (e: unknown) =>
  new CliError({ zh: `${zh}：${e instanceof Error ? e.message : String(e)}`, en })

/** Opens the district (volunteers must be on), runs `use`, closes it. */
const withDistrict = <A>(
  project: Project,
  use: (gz: Gongzhi, config: GongzhiConfig.GongzhiConfig) => Effect.Effect<A, CliError, Output>
) =>
  Effect.gen(function* () {
    const decoded = GongzhiConfig.decode(project.config)
    if (Either.isLeft(decoded)) return yield* new CliError({ zh: decoded.left.message, en: "invalid configuration" })
    if (decoded.right.modules.volunteers === undefined)
      return yield* new CliError({
        zh: "本区未启用志愿者模块（在配置的 modules 中加入 volunteers）",
        en: "the volunteers module is not enabled"
      })
    const gz = yield* Effect.tryPromise({
      try: () => createGongzhi(project.config as GongzhiConfig.GongzhiConfigInput, { baseDir: project.dir }),
      catch: failure("无法启动", "the district could not start")
    })
    return yield* Effect.ensuring(
      use(gz as Gongzhi, decoded.right),
      Effect.promise(() => gz.close())
    )
  })

/**
 * `gongzhi volunteers setup`: the corps (服务总队) with its headquarters, and one sub-team (分队) per 街道, 镇 or 乡
 * of the region tree. Idempotent: what exists is kept.
 */
export const setup = (project: Project, options: { readonly name: string | undefined }) =>
  withDistrict(project, (gz, config) =>
    Effect.gen(function* () {
      const actor = operator(config.district.code)
      const tenantId = config.district.code
      const tree = yield* GongzhiConfig.loadRegions(config.regions, project.dir).pipe(
        Effect.mapError(failure("无法读取区划", "cannot read the regions"))
      )
      const run = <A>(effect: Effect.Effect<A, unknown, any>) =>
        Effect.tryPromise({ try: () => gz.run(effect), catch: (e) => e })
      const existing = yield* Effect.either(run(Effect.flatMap(Volunteers, (v) => v.getCorps(actor, { tenantId }))))
      let teams: ReadonlyArray<{ readonly regionCode: string }> = []
      if (Either.isRight(existing)) {
        teams = existing.right.teams
        yield* line(`服务总队已存在：${existing.right.corps.name}`)
      } else {
        const name = options.name ?? `${config.district.name}志愿服务总队`
        const corps = yield* run(Effect.flatMap(Volunteers, (v) => v.establishCorps(actor, { tenantId, name }))).pipe(
          Effect.mapError(failure("无法建立服务总队", "cannot establish the corps"))
        )
        yield* line(`已建立服务总队：${corps.corps.name}`)
      }
      let created = 0
      for (const street of Region.streets(tree)) {
        if (teams.some((team) => team.regionCode === street.code)) continue
        yield* run(
          Effect.flatMap(Volunteers, (v) => v.createTeam(actor, { tenantId, kind: "street", regionCode: street.code }))
        ).pipe(Effect.mapError(failure(`无法建立${street.name}分队`, "cannot create a team")))
        created++
      }
      yield* line(`分队：新建 ${created} 个，共 ${Region.streets(tree).length} 个（每个街道、镇、乡一个）`)
    })
  )

/** The absolute path of a roster file and its format (by extension). */
const rosterFile = (file: string, cwd: string) =>
  Effect.gen(function* () {
    const path = Path.resolve(cwd, file)
    const ext = Path.extname(path).toLowerCase()
    if (ext !== ".csv" && ext !== ".xlsx")
      return yield* new CliError({ zh: `文件应为 .xlsx 或 .csv：${file}`, en: "expected an .xlsx or .csv file" })
    return { path, format: ext === ".csv" ? ("csv" as const) : ("xlsx" as const) }
  })

/**
 * `gongzhi volunteers import <file>`: the roster (XLSX or CSV, the template's columns), validated row by row and
 * imported all or nothing; `--dry-run` validates only. Rejected rows go to a report file (CSV: row, column,
 * problem) beside the input unless `--report` names one. Exit code 1 when rows were rejected.
 */
export const importRoster = (
  project: Project,
  options: { readonly file: string; readonly dryRun: boolean; readonly report: string | undefined },
  cwd: string
) =>
  withDistrict(project, (gz, config) =>
    Effect.gen(function* () {
      const { path, format } = yield* rosterFile(options.file, cwd)
      const bytes = yield* Effect.try({
        try: () => new Uint8Array(Fs.readFileSync(path)),
        catch: () => new CliError({ zh: `无法读取 ${path}`, en: "cannot read the file" })
      })
      const out = yield* Output
      const phases: Record<string, string> = { validating: "校验", importing: "导入" }
      const progress = progressReporter((phase) => phases[phase] ?? phase)
      const report = yield* Effect.flatMap(Roster.Roster, (roster) =>
        roster.importRoster(
          operator(config.district.code),
          { tenantId: config.district.code, file: bytes, format, dryRun: options.dryRun },
          {
            onProgress: ({ phase, processed, total }) =>
              progress(phase, processed, total).pipe(Effect.provideService(Output, out))
          }
        )
      ).pipe((effect) => Effect.tryPromise({ try: () => gz.run(effect), catch: failure("导入失败", "import failed") }))
      yield* line(Roster.summary(report))
      if (report.rejected.length > 0) {
        const reportPath = Path.resolve(cwd, options.report ?? `${path.replace(/\.(xlsx|csv)$/i, "")}.rejected.csv`)
        const rows = report.rejected.flatMap((r) => r.problems.map((p) => [String(r.row), p.column ?? "", p.reason]))
        const table: Roster.Table = {
          name: "未通过校验的行",
          columns: [{ header: "行号" }, { header: "列" }, { header: "问题" }],
          rows
        }
        yield* Effect.try({
          try: () => Fs.writeFileSync(reportPath, Roster.toCsv(table)),
          catch: () => new CliError({ zh: `无法写入 ${reportPath}`, en: "cannot write the report" })
        })
        yield* line(`未通过的 ${report.rejected.length} 行及原因已写入 ${reportPath}`)
      }
      return report.rejected.length > 0 || report.outcome === "refused" ? 1 : 0
    })
  )

/** `gongzhi volunteers export <file.xlsx|csv>`: the district's roster (ID numbers and phones masked). */
export const exportRoster = (project: Project, options: { readonly file: string }, cwd: string) =>
  withDistrict(project, (gz, config) =>
    Effect.gen(function* () {
      const { path, format } = yield* rosterFile(options.file, cwd)
      const exported = yield* Effect.tryPromise({
        try: () =>
          gz.run(
            Effect.flatMap(Roster.Roster, (roster) =>
              roster.exportRoster(operator(config.district.code), { tenantId: config.district.code })
            )
          ),
        catch: failure("导出失败", "export failed")
      })
      const bytes =
        format === "csv"
          ? Roster.toCsv(exported.table)
          : yield* Effect.tryPromise({
              try: () => gz.run(Roster.toXlsx([exported.table])),
              catch: failure("导出失败", "export failed")
            })
      yield* Effect.try({
        try: () => Fs.writeFileSync(path, bytes),
        catch: () => new CliError({ zh: `无法写入 ${path}`, en: "cannot write the file" })
      })
      yield* line(`已导出 ${exported.rows.length} 名志愿者到 ${path}（身份证号、手机号已脱敏）`)
      return 0
    })
  )
