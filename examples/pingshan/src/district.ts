/**
 * The reference district run: everything the Pingshan example does, as one program that writes lines — the region
 * tree and the working-day calendar, then, on a fresh embedded SQLite database, a month of the volunteer corps and
 * a quarter of residents' reports with their situation report, the notifications of both sent through the
 * dispatcher after each phase.
 *
 * @since 0.1.0
 */
import { fileURLToPath } from "node:url"
import * as Calendar from "@gongzhi/core/Calendar"
import * as Dispatcher from "@gongzhi/core/Dispatcher"
import * as Region from "@gongzhi/core/Region"
import * as Taxonomy from "@gongzhi/opinion/Taxonomy"
import { Effect } from "effect"
import { calendarFacts } from "./calendar.js"
import { failed, type RunFailed } from "./errors.js"
import { NotificationLog, templateLabels } from "./notificationLog.js"
import * as OfficeHours from "./officeHours.js"
import * as OpinionRun from "./opinionRun.js"
import { actors as makeActors, routingTable } from "./organisation.js"
import { formatStreets, loadPingshan } from "./regions.js"
import * as Setup from "./setup.js"
import * as SimulatedClock from "./simClock.js"
import * as VolunteersRun from "./volunteersRun.js"

/**
 * Options of the run. Every one has a default; tests pass a temporary `outDir` and smaller volumes.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions {
  /** Where the database, the notification log and the documents go (default `examples/pingshan/out`). */
  readonly outDir?: string | undefined
  /** The seed of every synthetic choice (default 2017, the year of the source). */
  readonly seed?: number | undefined
  /** The volunteers' month (default `2026-03`). */
  readonly month?: string | undefined
  /** The 民情 quarter (default 2026 Q1). */
  readonly quarter?: OpinionRun.Quarter | undefined
  /** Volunteers (default 150). */
  readonly volunteers?: number | undefined
  /** A community is visited every n-th working day (default 3). */
  readonly visitEvery?: number | undefined
  /** Reports of the quarter (default 800). */
  readonly reports?: number | undefined
}

/**
 * What the run found (the lines say the same).
 *
 * @since 0.1.0
 * @category models
 */
export interface RunResult {
  readonly streets: number
  readonly communities: number
  readonly workingDays2026: number
  readonly paths: Setup.Paths
  readonly cipher: Setup.CipherSource
  readonly volunteers: VolunteersRun.VolunteersResult
  readonly opinion: OpinionRun.OpinionResult
  /** Notifications delivered, in all and by template id. */
  readonly delivered: number
  readonly byTemplate: ReadonlyMap<string, number>
}

/**
 * The default output directory, `examples/pingshan/out`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultOutDir: string = fileURLToPath(new URL("../out", import.meta.url))

const number = (n: number, digits = 0) =>
  n.toLocaleString("zh-CN", { minimumFractionDigits: digits, maximumFractionDigits: digits })

const percent = (rate: number | undefined) => (rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`)

const templateOrder = Object.keys(templateLabels)
const order = (id: string) => (templateOrder.includes(id) ? templateOrder.indexOf(id) : templateOrder.length)

const labelled = (counts: ReadonlyMap<string, number>) =>
  [...counts]
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : 1))
    .map(([id, n]) => `${templateLabels[id] ?? id} ${number(n)}`)
    .join("、")

/**
 * Runs the district and writes what it finds through `write` (one call per line).
 *
 * @since 0.1.0
 * @category constructors
 */
export const run = (
  write: (line: string) => void,
  options: RunOptions = {}
): Effect.Effect<RunResult, RunFailed | Region.InvalidRegionTree> =>
  Effect.gen(function* () {
    const say = (line: string) => Effect.sync(() => write(line))
    const tree = yield* loadPingshan()
    write(`== ${tree.root.name}（${tree.root.code}）区划：统计用区划代码 ${tree.asOf} 版 ==`)
    for (const line of formatStreets(tree).split("\n")) write(line)
    const streets = Region.streets(tree)
    const communities = streets.flatMap((street) => Region.communities(tree, street.code)).length
    write("")
    write("== 工作日历 ==")
    for (const line of yield* Effect.mapError(calendarFacts, failed("工作日历"))) write(line)
    const workingDays2026 = yield* Effect.flatMap(Calendar.WorkingCalendar, (calendar) =>
      calendar.workingDaysInYear(2026)
    ).pipe(Effect.mapError(failed("工作日历")))

    const seed = options.seed ?? 2017
    const month = options.month ?? "2026-03"
    const quarter = options.quarter ?? OpinionRun.quarter(2026, 1)
    const paths = Setup.paths(options.outDir ?? defaultOutDir)
    const routing = routingTable(tree)
    const actors = makeActors(tree, routing)
    const cipher = yield* Setup.cipherSource
    const clock = SimulatedClock.make(SimulatedClock.at(`${month}-01`))
    yield* Setup.prepareOutput(paths)

    const phases = Effect.gen(function* () {
      const log = yield* NotificationLog
      const dispatcher = yield* Dispatcher.Dispatcher
      let delivered = 0
      const dispatch = (label: string) =>
        Effect.gen(function* () {
          const before = yield* log.counts
          const counts = yield* dispatcher.drain()
          const after = yield* log.counts
          delivered += counts.delivered
          const diff = new Map([...after].map(([id, n]) => [id, n - (before.get(id) ?? 0)]))
          yield* say(
            `通知分发（${label}）：送达 ${number(counts.delivered)} 条${counts.delivered > 0 ? `：${labelled(diff)}` : ""}${counts.dead > 0 ? `；失败 ${counts.dead} 条` : ""}`
          )
        }).pipe(Effect.mapError(failed("通知")))

      yield* say("")
      yield* say("== 运行环境 ==")
      yield* say(`数据库：嵌入式 SQLite（WAL），每次运行重新创建：${paths.database}`)
      yield* say(`数据库迁移：${Setup.migrations.map((m) => `${m.module} ${m.migrations.length} 项`).join("、")}`)
      yield* say(
        cipher === "config"
          ? "个人信息加密：使用 GONGZHI_PII_KEYS / GONGZHI_PII_CURRENT_KEY_ID / GONGZHI_PII_INDEX_KEY 配置的密钥"
          : "个人信息加密：本次运行临时生成的密钥（未设置 GONGZHI_PII_KEYS；运行结束后库中密文不可再解密）"
      )
      yield* say("实名核验：测试核验器，接受校验位正确的合成身份证号（地址码 990101 不存在，不对应任何真实人员）")
      yield* say("权限：志愿者模块与民情模块的默认角色表合并")
      yield* say(`通知：控制台通知写入 ${log.path}，此处只列条数`)
      yield* say(`模拟时钟：各项操作按业务时间发生（种子 ${seed}，同一种子结果相同）`)
      const hours = yield* OfficeHours.make(
        SimulatedClock.localDate(SimulatedClock.at(quarter.from) - 40 * 86_400_000),
        SimulatedClock.localDate(SimulatedClock.at(quarter.to) + 60 * 86_400_000)
      ).pipe(Effect.mapError(failed("工作日历")))

      // ---- volunteers ----
      const [year, monthNumber] = month.split("-").map(Number)
      yield* say("")
      yield* say(`== 民情志愿者（${year}年${monthNumber}月） ==`)
      const volunteers = yield* VolunteersRun.run({
        regions: tree,
        actors,
        hours,
        clock,
        outDir: paths.outDir,
        seed,
        month,
        volunteers: options.volunteers,
        visitEvery: options.visitEvery,
        progress: say,
        onRegistered: dispatch("志愿者登记")
      })
      const v = volunteers
      yield* say(
        `走访结果：签到 ${v.checkIns} 人次（其中签到码 ${v.codeCheckIns}），现场加入 ${v.walkIns} 人次，未到 ${v.noShows} 人次，未签退补录 ${v.noCheckouts} 人次；取消报名 ${v.cancelled}，候补转正 ${v.promoted}`
      )
      yield* say(`服务记录：${v.records} 条，审核通过 ${v.approved} 条`)
      yield* say(`各街道（${month}）：`)
      for (const s of v.streets) {
        yield* say(
          `  ${s.streetName}：志愿者 ${s.volunteers} 人 · 服务 ${number(s.hours, 1)} 小时（${s.records} 条）· 星级 无/一/二/三/四/五：${s.stars.join("/")} · 空白社区：${s.gaps.length === 0 ? "无" : s.gaps.join("、")}`
        )
      }
      const gaps = v.streets.reduce((a, s) => a + s.gaps.length, 0)
      yield* say(
        `  合计：${v.streetTeams} 个街道分队，志愿者 ${v.totals.volunteers} 人 · 服务 ${number(v.totals.hours, 1)} 小时（${v.totals.records} 条）· 活跃率 ${percent(v.activeRate)} · 空白社区 ${gaps} 个`
      )
      const starred = v.streets.reduce((a, s) => a + s.stars.slice(1).reduce((x, y) => x + y, 0), 0)
      yield* say(
        `  星级按累计服务时长 100/300/600/1000/1500 小时评定${starred === 0 ? "；本系统本月起记录，尚无人达到一星" : ""}`
      )
      yield* say(
        `服务时长前五：${v.top.map((t) => `${t.maskedName}（${t.volunteerNumber}，${t.teamName}）${number(t.hours, 1)} 小时`).join("；")}`
      )
      yield* say(
        `志愿服务记录证明 ${v.certificate.number}（${number(v.certificate.hours, 1)} 小时，公示 7 日）：${v.certificate.path}`
      )
      yield* dispatch("走访月")

      // ---- opinion ----
      yield* say("")
      yield* say(`== 民情诉求（${quarter.title}） ==`)
      const opinion = yield* OpinionRun.run({
        regions: tree,
        routing,
        actors,
        hours,
        clock,
        outDir: paths.outDir,
        seed,
        quarter,
        reports: options.reports,
        volunteers: v.roster,
        visits: v.visits,
        progress: say,
        dispatch
      })
      const o = opinion
      const channels = o.byChannel.map((c) => `${Taxonomy.channelLabel(Taxonomy.defaultTaxonomy, c.key)} ${c.count}`)
      yield* say(`受理 ${o.received} 件，合并重复 ${o.merged} 件，计 ${o.cases} 件（${channels.join("、")}）`)
      yield* say(
        `办理：已办结 ${o.closed} 件，在办 ${o.open} 件；退单重派 ${o.returned} 件，延期 ${o.extensions} 件，回访不满意重办 ${o.reopened} 件`
      )
      yield* say(
        `超期：曾超期 ${o.overdue} 件（其中办结超时 ${o.onTime.late} 件，季末仍超期未办结 ${o.openOverdue} 件）；督办 ${o.escalatedReports} 件 ${o.escalations} 次`
      )
      yield* say(
        `按期办结率 ${percent(o.onTime.rate)}，满意率 ${percent(o.satisfaction.rate)}（满意 ${o.satisfaction.satisfied}、基本满意 ${o.satisfaction.basicallySatisfied}、不满意 ${o.satisfaction.unsatisfied}）`
      )
      yield* say(
        `热点话题前五：${o.hot
          .slice(0, 5)
          .map((t) => `${t.term}（${t.count} 件）`)
          .join("、")}`
      )
      if (o.rising.length > 0) {
        yield* say(
          `上升话题：${o.rising
            .slice(0, 3)
            .map((t) => `${t.term}（${t.previous} → ${t.current} 件）`)
            .join("、")}`
        )
      }
      yield* say(`分词：${o.segmenter}`)
      yield* say(`形势分析报告：${o.html}`)
      yield* say(`             ${o.markdown}`)

      const byTemplate = yield* log.counts
      yield* say("")
      yield* say("== 通知合计 ==")
      yield* say(`送达 ${number(delivered)} 条：${labelled(byTemplate)}`)
      yield* say(`通知全文：${log.path}`)
      return { hours, volunteers, opinion, delivered, byTemplate }
    })

    const done = yield* phases.pipe(
      Effect.provide(Setup.layer({ paths, regions: tree, routing, cipher })),
      Effect.withClock(clock.clock)
    )
    return {
      streets: streets.length,
      communities,
      workingDays2026,
      paths,
      cipher,
      volunteers: done.volunteers,
      opinion: done.opinion,
      delivered: done.delivered,
      byTemplate: done.byTemplate
    } satisfies RunResult
  }).pipe(Effect.provide(Calendar.layerChina))
