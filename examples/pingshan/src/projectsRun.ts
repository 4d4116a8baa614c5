/**
 * The 2017 innovation-project selection (社会治理创新项目遴选) and the credit platform's build plan, on its own
 * SQLite database in `out/`: a call, 23 synthetic applications from synthetic organisations with valid generated
 * credit codes, a panel of seven judges with one conflict of interest, scores, 8 selected under a trimmed mean,
 * publicity over five working days (the 2017-04-01 make-up Saturday counts), 1 recommended to the city; then a
 * quarter of cultivation with the third-party supervisor's inspections (`projectsCultivation.ts`) and
 * the credit platform's build plan (攻坚作战图) scheduled backwards from its deadline in working days, with its
 * critical path.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Actor from "@gongzhi/core/Actor"
import * as Calendar from "@gongzhi/core/Calendar"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as HolidayNotice from "@gongzhi/core/HolidayNotice"
import * as Outbox from "@gongzhi/core/Outbox"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as ApplicantCheck from "@gongzhi/projects/ApplicantCheck"
import * as ProjectMigrations from "@gongzhi/projects/ProjectMigrations"
import * as Projects from "@gongzhi/projects/Projects"
import * as WorkPlan from "@gongzhi/projects/WorkPlan"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import { Effect, Layer, Schema } from "effect"
import { type CultivationResult, runCultivation } from "./projectsCultivation.js"
import * as SimulatedClock from "./simClock.js"

const TENANT = "440310" as TenantId

/**
 * The 2017 arrangement (国办发明电〔2016〕17号), as data: the vendored notices start in 2024.
 *
 * @since 0.1.0
 * @category constructors
 */
export const notice2017: HolidayNotice.Encoded = {
  year: 2017,
  source: {
    title: "国务院办公厅关于2017年部分节假日安排的通知",
    documentNumber: "国办发明电〔2016〕17号",
    publishedOn: "2016-12-01"
  },
  statutoryBasis: "国务院令第644号",
  holidays: [
    { name: "元旦", from: "2017-01-01", to: "2017-01-02" },
    { name: "春节", from: "2017-01-27", to: "2017-02-02" },
    { name: "清明节", from: "2017-04-02", to: "2017-04-04" },
    { name: "劳动节", from: "2017-04-29", to: "2017-05-01" },
    { name: "端午节", from: "2017-05-28", to: "2017-05-30" },
    { name: "国庆节", from: "2017-10-01", to: "2017-10-08" }
  ],
  makeupWorkdays: [
    { date: "2017-01-22", holiday: "春节" },
    { date: "2017-02-04", holiday: "春节" },
    { date: "2017-04-01", holiday: "清明节" },
    { date: "2017-05-27", holiday: "端午节" },
    { date: "2017-09-30", holiday: "国庆节" }
  ]
}

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const scope = { tenantId: TENANT, regionCode: TENANT }
const office = decodeActor({
  _tag: "Staff",
  staffId: "SJB001",
  name: "区社会建设办",
  roles: ["projects-district-office"],
  scope
})
const judgeActor = (id: string) =>
  decodeActor({ _tag: "Staff", staffId: id, name: `评审专家${id}`, roles: ["projects-judge"], scope })
const applicantActor = (n: number) =>
  decodeActor({ _tag: "Resident", userId: `ORG${String(n).padStart(3, "0")}`, roles: ["projects-applicant"], scope })

const seeded = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const streets = ["440310001", "440310002", "440310003", "440310004", "440310005", "440310006"]
const streetNames = ["坪山", "马峦", "碧岭", "石井", "坑梓", "龙田"]
const themes = [
  "社区议事厅",
  "长者助餐",
  "青少年四点半课堂",
  "楼栋长自治",
  "外来务工融入",
  "垃圾分类督导",
  "邻里调解",
  "残障康复互助"
]
const suffixes = ["社会工作服务中心", "公益发展中心", "社区服务社", "志愿者协会"]

/**
 * The credit platform's build plan (公共信用平台建设攻坚作战图), tasks in working days.
 *
 * @since 0.1.0
 * @category constructors
 */
export const creditPlatformPlan = [
  { id: "survey", name: "需求调研与数据目录梳理", durationDays: 15, owner: "区发展和改革局" },
  {
    id: "catalogue",
    name: "公共信用信息目录（2024年版）对照",
    durationDays: 10,
    owner: "区发展和改革局",
    dependsOn: ["survey"]
  },
  { id: "design", name: "总体方案与数据标准", durationDays: 12, owner: "区政务服务数据管理局", dependsOn: ["survey"] },
  { id: "procure", name: "政府采购", durationDays: 25, owner: "区财政局", dependsOn: ["design"] },
  {
    id: "collect",
    name: "各单位数据归集接口",
    durationDays: 30,
    owner: "各职能部门",
    dependsOn: ["catalogue", "procure"]
  },
  { id: "build", name: "平台开发（公示、修复、异议）", durationDays: 40, owner: "中标单位", dependsOn: ["procure"] },
  { id: "portal", name: "信用门户与查询", durationDays: 15, owner: "中标单位", dependsOn: ["design", "procure"] },
  {
    id: "integrate",
    name: "联调与数据质量核查",
    durationDays: 15,
    owner: "区政务服务数据管理局",
    dependsOn: ["collect", "build", "portal"]
  },
  { id: "security", name: "等级保护测评", durationDays: 20, owner: "区委网信办", dependsOn: ["build"] },
  { id: "training", name: "业务培训", durationDays: 5, owner: "区发展和改革局", dependsOn: ["integrate"] },
  {
    id: "launch",
    name: "试运行与上线验收",
    durationDays: 10,
    owner: "区发展和改革局",
    dependsOn: ["integrate", "security", "training"]
  }
]

/**
 * What the run found.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProjectsResult {
  readonly applications: number
  readonly eligible: number
  readonly selected: ReadonlyArray<string>
  readonly recommended: string
  readonly conflictExcluded: number
  readonly objectionsUntil: string
  readonly events: number
  readonly cultivation: CultivationResult
  readonly plan: WorkPlan.Schedule
}

/**
 * Runs the 2017 selection and the build plan; writes `projects.db`, `projects-ranking.md` and
 * `credit-platform-plan.json` to `outDir`, and short lines to `log`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const runProjects = (log: (line: string) => void, outDir: string, seed = 2017) =>
  Effect.gen(function* () {
    const database = Path.join(outDir, "projects.db")
    yield* Effect.sync(() => {
      Fs.mkdirSync(outDir, { recursive: true })
      for (const suffix of ["", "-wal", "-shm", "-journal"]) Fs.rmSync(`${database}${suffix}`, { force: true })
    })
    const calendarLayer = Layer.effect(
      Calendar.WorkingCalendar,
      Calendar.make([notice2017, ...HolidayNotice.china])
    ).pipe(Layer.orDie)
    const layer = Projects.layerSql({ calendar: calendarLayer }).pipe(
      Layer.provideMerge(
        SqliteStore.layer({
          filename: database,
          migrations: [CoreMigrations.migrations, ProjectMigrations.migrations]
        })
      ),
      Layer.provide(ApplicantCheck.layerPermissive),
      Layer.orDie
    )
    const clock = SimulatedClock.make(SimulatedClock.at("2017-02-06", 9))
    const program = Effect.gen(function* () {
      const projects = yield* Projects.Projects
      const random = seeded(seed)
      log("\n== 社会治理创新项目遴选（2017） ==")
      const call = yield* projects.createCall(office, {
        tenantId: TENANT,
        kind: "innovation-project",
        title: "坪山区2017年社会治理创新项目征集",
        year: 2017,
        phases: [
          { name: "applications", from: "2017-02-06", to: "2017-03-03" },
          { name: "eligibility", from: "2017-03-06", to: "2017-03-10" },
          { name: "defence", from: "2017-03-24", to: "2017-03-24" },
          { name: "selection", from: "2017-03-27", to: "2017-03-27" },
          { name: "publicity", from: "2017-03-28", to: "2017-04-01" },
          { name: "cultivation", from: "2017-04-05", to: "2017-12-29" }
        ],
        settings: {
          quota: 8,
          budgetCapYuan: 500_000,
          eligibleApplicantKinds: ["social-organisation", "community", "public-institution"],
          formFields: [
            { key: "beneficiaries", label: "预计受益人数", type: "number", required: true, min: 1 },
            { key: "theme", label: "项目领域", type: "choice", required: true, choices: themes }
          ],
          rubric: {
            id: "pingshan-2017-defence",
            name: "创新项目遴选答辩评分细则",
            source: "坪山区社会建设工作领导小组办公室（示例）",
            criteria: [
              { id: "innovation", name: "创新性", weight: 1, min: 0, max: 30 },
              { id: "feasibility", name: "可行性", weight: 1, min: 0, max: 25 },
              { id: "impact", name: "社会效益", weight: 1, min: 0, max: 25 },
              { id: "sustainability", name: "可持续性", weight: 1, min: 0, max: 20 }
            ]
          },
          strategy: { _tag: "TrimmedMean", minJudges: 5 },
          slotMinutes: 12,
          breakMinutes: 3,
          publicityWorkingDays: 5
        }
      })
      const ids: Array<string> = []
      const quality = new Map<string, number>()
      for (let n = 1; n <= 23; n++) {
        const street = (n - 1) % 6
        const theme = themes[(n * 5) % themes.length]!
        const draft = yield* projects.draftApplication(applicantActor(n), {
          tenantId: TENANT,
          callId: call.id,
          title: `${streetNames[street]}街道${theme}项目`,
          summary: `在${streetNames[street]}街道开展${theme}，以居民议事和志愿服务推动社区共治。`,
          applicant: {
            name: `坪山区${streetNames[street]}${["启航", "同心", "和美", "众创", "邻里", "善德"][n % 6]}${suffixes[n % suffixes.length]}`,
            creditCode: SocialCreditCode.generate(random, { divisionCode: TENANT }),
            kind: n % 7 === 0 ? "community" : "social-organisation"
          },
          responsibleUnit: `${streetNames[street]}街道办事处`,
          regionCode: streets[street]!,
          budget: [
            { item: "人员经费", amountYuan: 80_000 + Math.round(random() * 60) * 1000 },
            { item: "活动经费", amountYuan: 50_000 + Math.round(random() * 80) * 1000 }
          ],
          form: { beneficiaries: 200 + Math.round(random() * 3000), theme }
        })
        yield* clock.set(clock.now() + 3_600_000)
        yield* projects.submitApplication(applicantActor(n), { tenantId: TENANT, applicationId: draft.id })
        ids.push(draft.id)
        quality.set(draft.id, 0.45 + random() * 0.5)
      }
      log(`申报：${ids.length} 份（统一社会信用代码均通过 GB 32100 校验）`)
      yield* clock.set(SimulatedClock.at("2017-03-06", 10))
      const ineligible = new Set([ids[6]!, ids[17]!])
      for (const id of ids) {
        yield* projects.reviewEligibility(office, {
          tenantId: TENANT,
          applicationId: id,
          eligible: !ineligible.has(id),
          reasons: ineligible.has(id) ? ["申报主体成立未满一年，不符合申报条件"] : []
        })
      }
      const eligible = ids.filter((id) => !ineligible.has(id))
      log(`资格审查：${eligible.length} 份通过，${ineligible.size} 份未通过（附理由）`)
      const judges: [string, ...Array<string>] = ["J01", "J02", "J03", "J04", "J05", "J06", "J07"]
      yield* clock.set(SimulatedClock.at("2017-03-20", 10))
      const session = yield* projects.scheduleSession(office, {
        tenantId: TENANT,
        callId: call.id,
        title: "坪山区2017年社会治理创新项目遴选答辩会",
        venue: "坪山区行政服务大厅三楼会议室",
        startsAt: "2017-03-24T00:30:00Z",
        judgeIds: judges
      })
      const last = session.slots[session.slots.length - 1]!
      log(
        `答辩会：2017-03-24，${session.slots.length} 个答辩时段（每个 12 分钟，间隔 3 分钟），末位结束于 ${new Date(last.endsAt.getTime() + 8 * 3_600_000).toISOString().slice(11, 16)}；评审专家 ${judges.length} 名`
      )
      const conflicted = eligible[4]!
      yield* projects.declare(judgeActor("J03"), {
        tenantId: TENANT,
        sessionId: session.id,
        applicationId: conflicted,
        conflict: true,
        reason: "评审专家担任申报机构理事"
      })
      yield* clock.set(SimulatedClock.at("2017-03-24", 8, 30))
      yield* projects.openPanel(office, { tenantId: TENANT, sessionId: session.id })
      const bias = new Map(judges.map((j) => [j, (random() - 0.5) * 0.16]))
      for (const judgeId of judges) {
        for (const id of eligible) {
          if (judgeId === "J03" && id === conflicted) continue
          const q = Math.max(0, Math.min(1, quality.get(id)! + bias.get(judgeId)! + (random() - 0.5) * 0.1))
          yield* projects.score(judgeActor(judgeId), {
            tenantId: TENANT,
            sessionId: session.id,
            applicationId: id,
            scores: {
              innovation: Math.round(q * 30),
              feasibility: Math.round(q * 25),
              impact: Math.round(q * 25),
              sustainability: Math.round(q * 20)
            }
          })
        }
      }
      yield* clock.set(SimulatedClock.at("2017-03-24", 17))
      yield* projects.closePanel(office, { tenantId: TENANT, sessionId: session.id })
      yield* clock.set(SimulatedClock.at("2017-03-27", 10))
      const { call: selectedCall, ranking } = yield* projects.select(office, {
        tenantId: TENANT,
        sessionId: session.id
      })
      const titles = new Map<string, string>()
      for (const entry of ranking.entries) titles.set(entry.subjectId, entry.label)
      log(`评分：${judges.length} 名专家，去掉一个最高分和一个最低分后平均；J03 对 1 份申报书回避`)
      log(`入选 ${selectedCall.selected.length} 个：`)
      for (const entry of ranking.entries.slice(0, 8)) {
        log(
          `  ${entry.rank}. ${entry.label}  ${entry.score!.toFixed(2)} 分${entry.excluded.length > 0 ? "（含回避）" : ""}`
        )
      }
      const published = yield* projects.publicise(office, { tenantId: TENANT, callId: call.id, from: "2017-03-28" })
      log(
        `公示：${published.publicity!.from} 起 5 个工作日，至 ${published.publicity!.objectionsUntil}（04-01 周六调休上班）`
      )
      yield* clock.set(SimulatedClock.at("2017-04-05", 10))
      const top = selectedCall.selected[0]!
      yield* projects.recommendToCity(office, { tenantId: TENANT, callId: call.id, applicationId: top })
      yield* projects.recordCityOutcome(office, { tenantId: TENANT, callId: call.id, outcome: "selected" })
      log(`推荐市级培育项目：${titles.get(top)}（市级评审结果：入选）`)
      const report = [
        `# ${call.title}：遴选排名`,
        "",
        `评分细则：${call.settings.rubric.name}；汇总方式：去掉一个最高分和一个最低分后平均（不少于 5 份有效评分时）。`,
        "",
        ...ranking.entries.flatMap((entry) => [
          `## ${entry.rank}. ${entry.label}${selectedCall.selected.includes(entry.subjectId) ? "（入选）" : ""}`,
          "",
          ...entry.explanation.map((line) => `- ${line}`),
          ""
        ])
      ].join("\n")
      yield* Effect.sync(() => Fs.writeFileSync(Path.join(outDir, "projects-ranking.md"), report))
      const events = yield* Effect.flatMap(Outbox.Outbox, (outbox) => outbox.list(TENANT, { limit: 1000 }))
      log(`事件：${events.items.length} 条写入发件箱（受理、答辩安排、入选、公示、推荐）`)
      const excluded = ranking.entries.reduce((sum, entry) => sum + entry.excluded.length, 0)

      log("\n== 培育期第一季度（2017-04 至 2017-06）：第三方督导 ==")
      const calendar = yield* Calendar.WorkingCalendar
      const cultivation = yield* runCultivation({
        log,
        outDir,
        clock,
        selected: selectedCall.selected,
        titles,
        random
      })

      log("\n== 公共信用平台建设攻坚作战图（工期倒排） ==")
      const plan = yield* WorkPlan.schedule(calendar, creditPlatformPlan, { deadline: "2026-12-31" })
      log(`截止 2026-12-31：最晚 ${plan.start} 开工，共 ${plan.spanDays} 个工作日，${plan.tasks.length} 项任务`)
      const names = new Map(plan.tasks.map((task) => [task.id, task]))
      log(
        `关键路径：${plan.criticalPath.map((id) => `${names.get(id)!.name}（${names.get(id)!.durationDays}）`).join(" → ")}`
      )
      for (const task of plan.tasks.filter((t) => !t.critical)) {
        log(`  有浮动：${task.name} 最晚 ${task.latestStart} 开工，浮动 ${task.slackDays} 个工作日`)
      }
      yield* Effect.sync(() =>
        Fs.writeFileSync(Path.join(outDir, "credit-platform-plan.json"), `${JSON.stringify(plan, null, 2)}\n`)
      )
      return {
        applications: ids.length,
        eligible: eligible.length,
        selected: selectedCall.selected,
        recommended: top,
        conflictExcluded: excluded,
        objectionsUntil: published.publicity!.objectionsUntil,
        events: events.items.length,
        cultivation,
        plan
      } satisfies ProjectsResult
    })
    return yield* program.pipe(Effect.withClock(clock.clock), Effect.provide(Layer.merge(layer, calendarLayer)))
  })
