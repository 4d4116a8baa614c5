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
      assert.strictEqual(configured.all.length, 3)
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
})
