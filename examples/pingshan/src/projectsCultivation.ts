/**
 * The first quarter of cultivation (培育期第一季度, 2017-04 to 2017-06) of the 8 selected projects, stored: a
 * third-party supervisor with two staff, monthly progress reports (a couple late, one never sent), one
 * inspection per project with ratings and findings, rectification requests with working-day deadlines (one
 * closed late), the daily overdue sweep, a weekly joint meeting with action items, and the notifications the
 * outbox events render to (details in `out/projects-cultivation.md`).
 *
 * @since 0.2.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Actor from "@gongzhi/core/Actor"
import * as Outbox from "@gongzhi/core/Outbox"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { CultivatedProject } from "@gongzhi/projects/CultivatedProject"
import * as ProjectEvents from "@gongzhi/projects/ProjectEvents"
import * as ProjectNotifications from "@gongzhi/projects/ProjectNotifications"
import * as Projects from "@gongzhi/projects/Projects"
import { Effect, Schema } from "effect"
import * as SimulatedClock from "./simClock.js"

const TENANT = "440310" as TenantId
const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const scope = { tenantId: TENANT, regionCode: TENANT }
const staff = (staffId: string, name: string, role: string) =>
  decodeActor({ _tag: "Staff", staffId, name, roles: [role], scope })

const office = staff("PS-SHJ-01", "区社会建设办", "projects-district-office")
const inspectors = [
  staff("DD-01", "督导员甲", "projects-supervisor"),
  staff("DD-02", "督导员乙", "projects-supervisor")
]
const unitOf = (k: number) =>
  staff(`UNIT-${String(k + 1).padStart(2, "0")}`, `责任单位 ${k + 1}`, "projects-responsible-unit")

/** What the quarter produced. */
export interface CultivationResult {
  readonly projects: number
  readonly reportsSubmitted: number
  readonly inspections: number
  readonly rectifications: number
  readonly overdueEvents: Readonly<Record<string, number>>
  readonly notifications: number
}

/**
 * Runs the quarter on the service in context, moving the simulated clock.
 *
 * @since 0.2.0
 * @category constructors
 */
export const runCultivation = (options: {
  readonly log: (line: string) => void
  readonly outDir: string
  readonly clock: SimulatedClock.SimulatedClock
  readonly selected: ReadonlyArray<string>
  readonly titles: ReadonlyMap<string, string>
  readonly random: () => number
}) =>
  Effect.gen(function* () {
    const { clock, log, selected, titles } = options
    const projects = yield* Projects.Projects
    const standard = {
      source: "坪山区社会治理创新项目管理标准（示例）",
      effectiveFrom: "2017-04-01",
      reportDueWorkingDay: 5,
      inspectionsPerQuarter: 1,
      rectificationWorkingDays: 10,
      conditionalShare: 0.5,
      kpis: [
        { id: "served", name: "服务人次", target: 1500, unit: "人次" },
        { id: "meetings", name: "居民议事会", target: 6, unit: "次" }
      ]
    }
    yield* clock.set(SimulatedClock.at("2017-04-06", 10))
    const supervisor = yield* projects.registerSupervisor(office, {
      tenantId: TENANT,
      name: "深圳市某社会工作服务评估中心",
      creditCode: SocialCreditCode.generate(options.random),
      staff: inspectors.map((a) => ({ staffId: Actor.id(a), name: a._tag === "Staff" ? a.name : "" }))
    })
    const started: Array<CultivatedProject> = []
    for (const [k, applicationId] of selected.entries()) {
      started.push(
        yield* projects.startCultivation(office, {
          tenantId: TENANT,
          applicationId,
          supervisorId: supervisor.id,
          responsibleUnitId: Actor.id(unitOf(k)),
          responsibleUnitName: `责任单位 ${k + 1}`,
          standard,
          fromMonth: "2017-04",
          toMonth: "2017-11",
          milestones: [
            { name: "项目启动", dueOn: "2017-04-28" },
            { name: "中期评估", dueOn: "2017-09-29" },
            { name: "结项自评", dueOn: "2017-11-30" }
          ]
        })
      )
    }
    const dues = started[0]!.reports.slice(0, 3)
    log(`培育项目 ${started.length} 个，第三方督导机构：${supervisor.name}（督导员 ${supervisor.staff.length} 名）`)
    log(`月度进度报告截止日（次月第 5 个工作日）：${dues.map((d) => `${d.month} → ${d.dueOn}`).join("，")}`)

    const ref = (k: number) => ({ tenantId: TENANT, projectId: started[k]!.id })
    const sweeps: Array<{ readonly on: string; readonly events: ReadonlyArray<ProjectEvents.ProjectEvent> }> = []
    const sweepOn = (date: string) =>
      Effect.gen(function* () {
        yield* clock.set(SimulatedClock.at(date, 7))
        const result = yield* projects.sweepOverdue(office, { tenantId: TENANT })
        sweeps.push({ on: date, events: result.events })
      })
    let reportsSubmitted = 0
    const report = (k: number, m: number) =>
      Effect.gen(function* () {
        yield* projects.submitReport(unitOf(k), {
          ...ref(k),
          month: dues[m]!.month,
          summary: `${dues[m]!.month} 开展活动 ${2 + ((k + m) % 3)} 场`,
          kpis: { served: 120 + 40 * k + 60 * m, meetings: m + 1 }
        })
        reportsSubmitted++
      })
    // the weekly joint meeting of the member units, 12 times from 2017-04-10
    const meetings = yield* projects.scheduleMeetings(office, {
      tenantId: TENANT,
      title: "社会治理创新项目每周工作联席会议",
      memberUnits: ["区社会建设办", "第三方督导机构", "各项目责任单位"],
      firstOn: "2017-04-10",
      count: 12
    })
    // April's and May's reports, on time, each after the morning reminder of the due day
    for (const m of [0, 1]) {
      yield* sweepOn(dues[m]!.dueOn)
      for (const [k] of started.entries()) {
        yield* clock.set(SimulatedClock.at(dues[m]!.dueOn, 9 + (k % 8)))
        yield* report(k, m)
        if (m === 0) yield* projects.completeMilestone(unitOf(k), { ...ref(k), milestoneId: "m1" })
      }
    }

    // one inspection per project on 2017-06-15, by the two inspectors in turn
    const ratings = ["excellent", "good", "good", "fair", "good", "excellent", "fair", "good"] as const
    let rectifications = 0
    const lines: Array<string> = []
    for (const [k] of started.entries()) {
      yield* clock.set(SimulatedClock.at("2017-06-15", 9 + (k % 8)))
      const findings =
        ratings[k] === "fair"
          ? [
              { text: "活动台账不完整，签到表缺失", rectify: true },
              { text: "经费支出凭证未按月归档", rectify: true }
            ]
          : ratings[k] === "good"
            ? [{ text: "宣传报道可加强", rectify: false }]
            : []
      const inspected = yield* projects.inspect(inspectors[k % 2]!, {
        ...ref(k),
        quarter: "2017Q2",
        rating: ratings[k]!,
        findings
      })
      rectifications += inspected.rectifications.length
      lines.push(
        `- ${titles.get(started[k]!.applicationId)}：${ratings[k]}；${findings.map((f) => f.text).join("；") || "无问题"}${inspected.rectifications.map((r) => `（整改期限 ${r.deadline}）`).join("")}`
      )
    }
    const fair = started.flatMap((_, k) => (ratings[k] === "fair" ? [k] : []))
    const firstFair = (yield* projects.getCultivation(office, ref(fair[0]!))).rectifications
    log(
      `督导检查：${started.length} 个项目各 1 次（优秀 ${ratings.filter((r) => r === "excellent").length}、良好 ${ratings.filter((r) => r === "good").length}、一般 ${fair.length}）；共 ${rectifications} 项整改，限 ${firstFair[0]!.deadline} 前完成（10 个工作日）`
    )
    // the joint meeting after the inspections assigns the rectification plans (3 working days)
    const meeting = meetings.find((m) => m.heldOn >= "2017-06-19")!
    yield* clock.set(SimulatedClock.at(meeting.heldOn, 11))
    yield* projects.recordMinutes(office, {
      tenantId: TENANT,
      meetingId: meeting.id,
      attendees: ["区社会建设办", "第三方督导机构", ...fair.map((k) => `责任单位 ${k + 1}`)],
      minutes: "通报督导检查情况，部署整改",
      decisions: ["评级一般的项目 10 个工作日内完成整改", "6 月进度报告按期报送"],
      actionItems: fair.map((k) => ({
        text: "报送整改方案",
        ownerId: Actor.id(unitOf(k)),
        ownerUnit: `责任单位 ${k + 1}`,
        workingDays: 3
      }))
    })
    yield* clock.set(SimulatedClock.at("2017-06-21", 16))
    yield* projects.completeActionItem(unitOf(fair[0]!), {
      tenantId: TENANT,
      meetingId: meeting.id,
      itemId: "a1",
      note: "已报送"
    })
    // the first fair project rectifies in time, the second one late
    yield* clock.set(SimulatedClock.at("2017-06-26", 15))
    for (const r of firstFair) {
      yield* projects.closeRectification(inspectors[0]!, {
        ...ref(fair[0]!),
        rectificationId: r.id,
        note: "已补齐台账"
      })
    }
    yield* sweepOn("2017-06-30")
    yield* clock.set(SimulatedClock.at("2017-07-04", 15))
    for (const r of (yield* projects.getCultivation(office, ref(fair[1]!))).rectifications) {
      yield* projects.closeRectification(inspectors[1]!, {
        ...ref(fair[1]!),
        rectificationId: r.id,
        note: "逾期完成整改"
      })
    }
    // June's reports: project 3 never sends it, project 6 sends it three working days late
    yield* sweepOn(dues[2]!.dueOn)
    for (const [k] of started.entries()) {
      if (k === 2 || k === 5) continue
      yield* clock.set(SimulatedClock.at(dues[2]!.dueOn, 9 + (k % 8)))
      yield* report(k, 2)
    }
    const afterDue = SimulatedClock.localDate(SimulatedClock.at(dues[2]!.dueOn, 12) + 3 * 86_400_000)
    yield* sweepOn(afterDue)
    yield* sweepOn(afterDue) // twice on the same day changes nothing
    yield* clock.set(SimulatedClock.at("2017-07-12", 10))
    yield* report(5, 2)
    const items = yield* projects.actionItemReport(office, { tenantId: TENANT, seriesId: meetings[0]!.seriesId })
    log(
      `联席会议：每周 1 次共 ${meetings.length} 次（${meetings[0]!.heldOn} 起，遇节假日顺延）；${meeting.heldOn} 会议督办 ${items.length} 项：${items.map((i) => `${i.item.ownerUnit}（${i.state === "done" ? "按期办结" : `逾期 ${i.workingDaysLate} 个工作日`}）`).join("，")}`
    )

    const events = sweeps.flatMap((s) => s.events)
    const count = (tag: ProjectEvents.ProjectEvent["_tag"]) => events.filter((e) => e._tag === tag).length
    const overdueEvents = {
      ReportDue: count("ReportDue"),
      ReportOverdue: count("ReportOverdue"),
      RectificationOverdue: count("RectificationOverdue"),
      ActionItemOverdue: count("ActionItemOverdue")
    }
    log(
      `逾期检查（每日一次，重复运行不重复提醒）：到期提醒 ${overdueEvents.ReportDue} 条，报告逾期 ${overdueEvents.ReportOverdue} 条，整改逾期 ${overdueEvents.RectificationOverdue} 条，督办逾期 ${overdueEvents.ActionItemOverdue} 条`
    )

    // the notifications the default subscriptions render from the quarter's outbox events
    const configured = yield* Subscription.configure(ProjectNotifications.subscriptions({ channels: ["console"] }), {
      channels: ["console"]
    })
    const outbox = yield* Effect.flatMap(Outbox.Outbox, (o) => o.list(TENANT, { limit: 5000 }))
    const rendered: Array<string> = []
    for (const { event } of outbox.items) {
      if (
        !event.type.startsWith("projects.") ||
        event.aggregateType === "Application" ||
        event.aggregateType === "Call"
      ) {
        continue
      }
      const payload = yield* ProjectEvents.fromOutbox(event)
      for (const subscription of configured.forEvent(event.type)) {
        for (const recipient of yield* subscription.recipients({ event, payload })) {
          const data = Subscription.mapData(subscription.data, { event, payload }, recipient as never)
          const message = yield* Template.render(subscription.template, data)
          rendered.push(`- → ${(recipient as { readonly id: string }).id}｜${message.subject}｜${message.body.text}`)
        }
      }
    }
    for (const subject of ["进度报告逾期", "整改逾期", "督办事项逾期"]) {
      const line = rendered.find((l) => l.includes(`｜${subject}：`))
      if (line !== undefined) log(`  通知 ${line.slice(2)}`)
    }
    log(`  …共 ${rendered.length} 条培育期通知，详见 out/projects-cultivation.md`)
    yield* Effect.sync(() =>
      Fs.writeFileSync(
        Path.join(options.outDir, "projects-cultivation.md"),
        [
          "# 培育期第一季度（2017-04 至 2017-06）",
          "",
          "## 督导检查",
          "",
          ...lines,
          "",
          "## 逾期检查",
          "",
          ...sweeps.map((s) => `- ${s.on}：${s.events.map((e) => e._tag).join("、") || "无"}`),
          "",
          "## 联席会议督办事项",
          "",
          ...items.map(
            (i) =>
              `- ${i.heldOn} ${i.item.text}（${i.item.ownerUnit}，期限 ${i.item.deadline}）：${i.state}，逾期 ${i.workingDaysLate} 个工作日`
          ),
          "",
          "## 通知",
          "",
          ...rendered,
          ""
        ].join("\n")
      )
    )
    return {
      projects: started.length,
      reportsSubmitted,
      inspections: started.length,
      rectifications,
      overdueEvents,
      notifications: rendered.length
    } satisfies CultivationResult
  })
