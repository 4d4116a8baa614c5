import { assert, describe, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Outbox from "@gongzhi/core/Outbox"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Layer, Schema, TestClock } from "effect"
import * as ApplicantCheck from "../src/ApplicantCheck.js"
import * as ProjectMigrations from "../src/ProjectMigrations.js"
import * as Projects from "../src/Projects.js"
import { callInput, creditCode, judge, office, submitAll, TENANT } from "./fixtures.js"

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const scope = { tenantId: TENANT, regionCode: TENANT }
export const inspector = decodeActor({
  _tag: "Staff",
  staffId: "SUP-A1",
  name: "督导员甲",
  roles: ["projects-supervisor"],
  scope
})
export const strangerInspector = decodeActor({
  _tag: "Staff",
  staffId: "SUP-B1",
  name: "另一机构督导员",
  roles: ["projects-supervisor"],
  scope
})
export const unit = decodeActor({
  _tag: "Staff",
  staffId: "UNIT-PS",
  name: "坪山街道",
  roles: ["projects-responsible-unit"],
  scope
})
export const otherUnit = decodeActor({
  _tag: "Staff",
  staffId: "UNIT-MZ",
  name: "马峦街道",
  roles: ["projects-member-unit"],
  scope
})

export const standard = {
  source: "坪山区社会治理创新项目管理标准（示例）",
  effectiveFrom: "2026-01-01",
  reportDueWorkingDay: 5,
  inspectionsPerQuarter: 1,
  rectificationWorkingDays: 10,
  conditionalShare: 0.5,
  kpis: [
    { id: "served", name: "服务人次", target: 1000, unit: "人次" },
    { id: "events", name: "议事会次数", target: 12, unit: "次" }
  ]
}

const at = (iso: string) => TestClock.setTime(Date.parse(iso))

/** A call with two selected applications, a supervisor with one staff member and one started cultivation. */
export const cultivated = Effect.gen(function* () {
  const projects = yield* Projects.Projects
  yield* at("2026-03-02T02:00:00Z")
  const call = yield* projects.createCall(office, callInput(2))
  const ids = yield* submitAll(call.id, 3)
  yield* at("2026-03-16T02:00:00Z")
  for (const id of ids)
    yield* projects.reviewEligibility(office, { tenantId: TENANT, applicationId: id, eligible: true })
  const session = yield* projects.scheduleSession(office, {
    tenantId: TENANT,
    callId: call.id,
    title: "答辩会",
    venue: "会议室",
    startsAt: "2026-03-24T01:00:00Z",
    judgeIds: ["J1"]
  })
  yield* projects.openPanel(office, { tenantId: TENANT, sessionId: session.id })
  for (const [k, id] of ids.entries()) {
    yield* projects.score(judge(1), {
      tenantId: TENANT,
      sessionId: session.id,
      applicationId: id,
      scores: { innovation: 10 + k, feasibility: 10, impact: 10 },
      submit: true
    })
  }
  yield* projects.closePanel(office, { tenantId: TENANT, sessionId: session.id })
  yield* at("2026-03-25T02:00:00Z")
  yield* projects.select(office, { tenantId: TENANT, sessionId: session.id })
  const supervisor = yield* projects.registerSupervisor(office, {
    tenantId: TENANT,
    name: "深圳市某社会工作评估中心",
    creditCode: creditCode(),
    staff: [{ staffId: "SUP-A1", name: "督导员甲" }]
  })
  const other = yield* projects.registerSupervisor(office, {
    tenantId: TENANT,
    name: "另一评估机构",
    creditCode: creditCode(),
    staff: [{ staffId: "SUP-B1", name: "督导员乙" }]
  })
  yield* at("2026-04-01T02:00:00Z")
  const project = yield* projects.startCultivation(office, {
    tenantId: TENANT,
    applicationId: ids[2]!,
    supervisorId: supervisor.id,
    responsibleUnitId: "UNIT-PS",
    responsibleUnitName: "坪山街道办事处",
    standard,
    fromMonth: "2026-04",
    toMonth: "2026-06",
    milestones: [
      { name: "项目启动", dueOn: "2026-04-30" },
      { name: "中期评估", dueOn: "2026-06-30" }
    ]
  })
  return { call, ids, supervisor, other, project }
})

const migrations = [CoreMigrations.migrations, ProjectMigrations.migrations]
const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const sql = (store: Layer.Layer<any, any, never>) =>
  Projects.layerSql({ conflictRetries: 20 }).pipe(
    Layer.provideMerge(store),
    Layer.provide(ApplicantCheck.layerPermissive),
    Layer.orDie
  )
const memory = Projects.layerMemory().pipe(Layer.provide(ApplicantCheck.layerPermissive))

for (const [name, layer, availability] of [
  ["memory", () => memory, { skip: false }],
  ["sqlite", () => sql(SqliteTesting.layerTest({ migrations })), { skip: false }],
  ["postgres", () => sql(PgTesting.layerTest({ migrations, maxConnections: 4 })), pg],
  ["mysql", () => sql(MysqlTesting.layerTest({ migrations, maxConnections: 4 })), mysql]
] as const) {
  describe.skipIf(availability.skip)(`cultivation on ${name}`, () => {
    it.effect(
      "reports, inspections, rectifications, the idempotent sweep and acceptance",
      () =>
        Effect.gen(function* () {
          const projects = yield* Projects.Projects
          const { ids, project } = yield* cultivated
          // reports are due by the 5th working day of the next month (April's: 2026-05-11, after 劳动节)
          assert.deepStrictEqual(
            project.reports.map((r) => [r.month, r.dueOn]),
            [
              ["2026-04", "2026-05-11"],
              ["2026-05", "2026-06-05"],
              ["2026-06", "2026-07-07"]
            ]
          )
          const twice = yield* Effect.flip(
            projects.startCultivation(office, {
              tenantId: TENANT,
              applicationId: ids[2]!,
              supervisorId: project.supervisorId,
              responsibleUnitId: "UNIT-PS",
              responsibleUnitName: "坪山街道办事处",
              standard,
              fromMonth: "2026-04",
              toMonth: "2026-06",
              milestones: [{ name: "启动", dueOn: "2026-04-30" }]
            })
          )
          assert.strictEqual(twice._tag, "InvalidTransition")
          const notSelected = yield* Effect.flip(
            projects.startCultivation(office, {
              tenantId: TENANT,
              applicationId: ids[0]!,
              supervisorId: project.supervisorId,
              responsibleUnitId: "UNIT-PS",
              responsibleUnitName: "坪山街道办事处",
              standard,
              fromMonth: "2026-04",
              toMonth: "2026-06",
              milestones: [{ name: "启动", dueOn: "2026-04-30" }]
            })
          )
          assert.strictEqual(notSelected._tag, "InvalidTransition")
          assert.include(notSelected.message, "未入选")

          const ref = { tenantId: TENANT, projectId: project.id }
          yield* at("2026-05-08T02:00:00Z")
          // the sweep reminds April's report (due within 3 working days), once
          const first = yield* projects.sweepOverdue(office, { tenantId: TENANT })
          assert.deepStrictEqual(
            first.events.map((e) => e._tag),
            ["ReportDue"]
          )
          const again = yield* projects.sweepOverdue(office, { tenantId: TENANT })
          assert.deepStrictEqual(again.events, [])
          // a unit reports only on its own project
          const stranger = yield* Effect.flip(
            projects.submitReport(otherUnit, { ...ref, month: "2026-04", summary: "代报" })
          )
          assert.strictEqual(stranger._tag, "Forbidden")
          yield* projects.submitReport(unit, {
            ...ref,
            month: "2026-04",
            summary: "4 月开展议事会 1 次",
            kpis: { events: 1 }
          })
          const second = yield* Effect.flip(projects.submitReport(unit, { ...ref, month: "2026-04", summary: "再报" }))
          assert.strictEqual(second._tag, "InvalidTransition")
          assert.include(second.message, "重复报送")
          yield* projects.completeMilestone(unit, { ...ref, milestoneId: "m1" })

          // the supervisor's staff inspect; another supervisor's staff may not
          yield* at("2026-06-10T02:00:00Z")
          const notOurs = yield* Effect.flip(
            projects.inspect(strangerInspector, { ...ref, quarter: "2026Q2", rating: "good", findings: [] })
          )
          assert.strictEqual(notOurs._tag, "NotResponsible")
          assert.include(notOurs.message, "不负责")
          const inspected = yield* projects.inspect(inspector, {
            ...ref,
            quarter: "2026Q2",
            rating: "fair",
            findings: [
              { text: "台账不完整", rectify: true },
              { text: "宣传可加强", rectify: false }
            ]
          })
          const rectification = inspected.rectifications[0]!
          assert.strictEqual(rectification.deadline, "2026-06-25") // 10 working days, 端午 06-19 off
          // May's report is overdue (due 06-05); the sweep flags it once
          const overdue = yield* projects.sweepOverdue(office, { tenantId: TENANT })
          assert.deepStrictEqual(
            overdue.events.map((e) => e._tag),
            ["ReportOverdue"]
          )
          // acceptance needs every milestone and rectification done
          const early = yield* Effect.flip(projects.accept(office, { ...ref, actuals: { served: 1200, events: 12 } }))
          assert.strictEqual(early._tag, "InvalidTransition")
          assert.include(early.message, "中期评估")
          yield* at("2026-06-29T02:00:00Z")
          const late = yield* projects.sweepOverdue(office, { tenantId: TENANT })
          assert.deepStrictEqual(late.events.map((e) => e._tag).sort(), ["RectificationOverdue"])
          yield* projects.closeRectification(inspector, {
            ...ref,
            rectificationId: rectification.id,
            note: "台账已补齐"
          })
          yield* projects.completeMilestone(unit, { ...ref, milestoneId: "m2" })
          const accepted = yield* projects.accept(office, { ...ref, actuals: { served: 1200, events: 10 } })
          assert.strictEqual(accepted.status, "accepted")
          assert.strictEqual(accepted.acceptance?.outcome, "conditional")
          // nothing moves after acceptance
          const after = yield* Effect.flip(projects.terminate(office, { ...ref, reason: "迟到的终止" }))
          assert.strictEqual(after._tag, "InvalidTransition")
          assert.include(after.message, "已通过验收")
          const swept = yield* projects.sweepOverdue(office, { tenantId: TENANT })
          assert.deepStrictEqual(swept.events, [])

          const events = yield* Outbox.Outbox.pipe(Effect.flatMap((outbox) => outbox.list(TENANT, { limit: 500 })))
          const types = events.items.map((entry) => entry.event.type)
          for (const type of [
            "projects.ReportDue",
            "projects.ReportOverdue",
            "projects.InspectionFindings",
            "projects.RectificationOverdue",
            "projects.ProjectAccepted"
          ]) {
            assert.strictEqual(types.filter((t) => t === type).length, 1, type)
          }
          const publicView = yield* projects.listCultivations(office, { tenantId: TENANT, status: "accepted" })
          assert.deepStrictEqual(
            publicView.map((p) => p.id),
            [project.id]
          )
        }).pipe(Effect.provide(layer())),
      60_000
    )

    it.effect(
      "termination with a reason ends the project; joint meetings track action items to done and overdue",
      () =>
        Effect.gen(function* () {
          const projects = yield* Projects.Projects
          const { project } = yield* cultivated
          const ref = { tenantId: TENANT, projectId: project.id }
          const terminated = yield* projects.terminate(office, { ...ref, reason: "责任单位主动退出" })
          assert.strictEqual(terminated.termination?.reason, "责任单位主动退出")
          const report = yield* Effect.flip(projects.submitReport(unit, { ...ref, month: "2026-04", summary: "x" }))
          assert.strictEqual(report._tag, "InvalidTransition")
          assert.include(report.message, "已终止")

          // weekly meetings on Mondays; 2026-05-04 (劳动节) moves to 05-06
          const series = yield* projects.scheduleMeetings(office, {
            tenantId: TENANT,
            title: "每周工作联席会议",
            memberUnits: ["区社会建设办", "坪山街道", "马峦街道"],
            firstOn: "2026-04-27",
            count: 3
          })
          assert.deepStrictEqual(
            series.map((m) => m.heldOn),
            ["2026-04-27", "2026-05-06", "2026-05-11"]
          )
          yield* at("2026-04-27T08:00:00Z")
          const held = yield* projects.recordMinutes(office, {
            tenantId: TENANT,
            meetingId: series[0]!.id,
            attendees: ["区社会建设办", "坪山街道", "马峦街道"],
            minutes: "研究信用平台建设进度",
            decisions: ["信用平台 6 月底上线"],
            actionItems: [
              { text: "报送数据目录", ownerId: "UNIT-PS", ownerUnit: "坪山街道", workingDays: 3 },
              { text: "完成接口联调", ownerId: "UNIT-MZ", ownerUnit: "马峦街道", workingDays: 5 }
            ]
          })
          // 5 working days from 04-27 skip 劳动节 (05-01..05)
          assert.deepStrictEqual(
            held.actionItems.map((a) => a.deadline),
            ["2026-04-30", "2026-05-07"]
          )
          const twice = yield* Effect.flip(
            projects.recordMinutes(office, {
              tenantId: TENANT,
              meetingId: series[0]!.id,
              attendees: [],
              minutes: "重复",
              decisions: [],
              actionItems: []
            })
          )
          assert.strictEqual(twice._tag, "InvalidTransition")
          const notOwner = yield* Effect.flip(
            projects.completeActionItem(otherUnit, {
              tenantId: TENANT,
              meetingId: series[0]!.id,
              itemId: "a1",
              note: "代办"
            })
          )
          assert.strictEqual(notOwner._tag, "NotResponsible")
          yield* at("2026-04-29T08:00:00Z")
          yield* projects.completeActionItem(unit, {
            tenantId: TENANT,
            meetingId: series[0]!.id,
            itemId: "a1",
            note: "已报送"
          })
          yield* at("2026-05-12T02:00:00Z")
          const swept = yield* projects.sweepOverdue(office, { tenantId: TENANT })
          assert.deepStrictEqual(
            swept.events.map((e) => (e._tag === "ActionItemOverdue" ? e.itemId : e._tag)),
            ["a2"]
          )
          assert.deepStrictEqual((yield* projects.sweepOverdue(office, { tenantId: TENANT })).events, [])
          const report2 = yield* projects.actionItemReport(otherUnit, {
            tenantId: TENANT,
            seriesId: series[0]!.seriesId
          })
          assert.deepStrictEqual(
            report2.map((r) => [r.item.id, r.state, r.workingDaysLate]),
            [
              ["a1", "done", 0],
              ["a2", "overdue", 4]
            ]
          )
        }).pipe(Effect.provide(layer())),
      60_000
    )
  })
}
