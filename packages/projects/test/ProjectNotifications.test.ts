import { assert, describe, it } from "@effect/vitest"
import { OutboxEvent } from "@gongzhi/core/Outbox"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect } from "effect"
import * as ProjectEvents from "../src/ProjectEvents.js"
import * as ProjectNotifications from "../src/ProjectNotifications.js"

const TENANT = "440310" as TenantId

const scheduled: ProjectEvents.ProjectEvent = {
  _tag: "DefenceScheduled",
  sessionId: "s1",
  applicationId: "a1",
  title: "马峦街道社区议事厅项目",
  ownerId: "ORG001",
  venue: "区行政服务大厅三楼",
  startsAt: new Date("2017-03-24T00:30:00Z")
}

const stored = (event: ProjectEvents.ProjectEvent) => {
  const entry = ProjectEvents.toOutbox(TENANT, event)
  return new OutboxEvent({
    id: "e1" as never,
    tenantId: TENANT,
    type: entry.type,
    aggregateType: entry.aggregateType,
    aggregateId: entry.aggregateId,
    payload: entry.payload,
    occurredAt: new Date("2017-03-20T02:00:00Z")
  })
}

describe("ProjectNotifications", () => {
  it.effect("default subscriptions configure, reach the owner and render in Chinese", () =>
    Effect.gen(function* () {
      const configured = yield* Subscription.configure(ProjectNotifications.subscriptions({ channels: ["console"] }), {
        channels: ["console"]
      })
      assert.strictEqual(configured.all.length, 9)
      const [subscription] = configured.forEvent("projects.DefenceScheduled")
      const event = stored(scheduled)
      const payload = yield* ProjectEvents.fromOutbox(event)
      const recipients = yield* subscription!.recipients({ event, payload })
      assert.deepStrictEqual(recipients, [{ id: "ORG001", addresses: { console: "ORG001" }, locale: "zh-CN" }])
      const data = Subscription.mapData(subscription!.data, { event, payload }, recipients[0] as never)
      const rendered = yield* Template.render(subscription!.template, data)
      assert.strictEqual(rendered.subject, "答辩安排：马峦街道社区议事厅项目")
      assert.include(rendered.body.text, "2017-03-24 08:30")
    })
  )

  it.effect("cultivation events reach the responsible unit with readable Chinese", () =>
    Effect.gen(function* () {
      const configured = yield* Subscription.configure(ProjectNotifications.subscriptions({ channels: ["console"] }), {
        channels: ["console"]
      })
      const render = (event: ProjectEvents.ProjectEvent) =>
        Effect.gen(function* () {
          const stored_ = stored(event)
          const [subscription] = configured.forEvent(stored_.type)
          const payload = yield* ProjectEvents.fromOutbox(stored_)
          const recipients = yield* subscription!.recipients({ event: stored_, payload })
          const data = Subscription.mapData(subscription!.data, { event: stored_, payload }, recipients[0] as never)
          return {
            to: recipients.map((r) => (r as { readonly id: string }).id),
            ...(yield* Template.render(subscription!.template, data))
          }
        })
      const base = { projectId: "p1", title: "马峦街道社区议事厅项目", ownerId: "UNIT-ML" }
      const findings = yield* render({
        _tag: "InspectionFindings",
        ...base,
        inspectionId: "i1",
        rating: "一般",
        findings: ["台账不完整"],
        rectifications: [{ id: "i1-r1", finding: "台账不完整", deadline: "2017-07-14" }]
      })
      assert.deepStrictEqual(findings.to, ["UNIT-ML"])
      assert.strictEqual(findings.subject, "督导检查意见：马峦街道社区议事厅项目")
      assert.include(findings.body.text, "台账不完整（2017-07-14 前）")
      const overdue = yield* render({
        _tag: "ReportOverdue",
        ...base,
        supervisorId: "sup",
        month: "2017-05",
        dueOn: "2017-06-07"
      })
      assert.include(overdue.body.text, "2017-05 月度进度报告应于 2017-06-07 前报送")
      const accepted = yield* render({
        _tag: "ProjectAccepted",
        ...base,
        outcome: "conditional",
        missed: ["议事会次数"]
      })
      assert.include(accepted.body.text, "有条件通过。未达标指标：议事会次数")
      const item = yield* render({
        _tag: "ActionItemOverdue",
        meetingId: "m1",
        itemId: "a2",
        meetingTitle: "每周工作联席会议（第 1 次，2017-05-08）",
        text: "完成接口联调",
        ownerId: "UNIT-MZ",
        ownerUnit: "马峦街道",
        deadline: "2017-05-15"
      })
      assert.deepStrictEqual(item.to, ["UNIT-MZ"])
      assert.include(
        item.body.text,
        "马峦街道：每周工作联席会议（第 1 次，2017-05-08）交办的「完成接口联调」已超过办结期限 2017-05-15"
      )
    })
  )
})
