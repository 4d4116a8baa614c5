import { assert, describe, it } from "@effect/vitest"
import { OutboxEvent } from "@gongzhi/core/Outbox"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { Effect } from "effect"
import * as CourseEvents from "../src/CourseEvents.js"
import { TENANT } from "./fixtures.js"

const stored = (event: CourseEvents.CourseEvent) => {
  const entry = CourseEvents.toOutbox(TENANT, event)
  return new OutboxEvent({
    id: "e1" as never,
    tenantId: TENANT,
    type: entry.type,
    aggregateType: entry.aggregateType,
    aggregateId: entry.aggregateId,
    payload: JSON.parse(JSON.stringify(entry.payload)),
    occurredAt: new Date(0)
  })
}

describe("CourseEvents", () => {
  it.effect("default subscriptions: one per event, to the workers concerned, rendered in Chinese", () =>
    Effect.gen(function* () {
      const configured = yield* Subscription.configure(CourseEvents.subscriptions({ channels: ["sms"] }), {
        channels: ["sms"]
      })
      assert.strictEqual(configured.all.length, 5)
      const reminder: CourseEvents.CourseEvent = {
        _tag: "SessionReminder",
        courseId: "C00001",
        sessionId: "S1",
        workerIds: ["440310-W-000001", "440310-W-000002"],
        title: "电工基础",
        startsAt: new Date("2026-03-09T11:30:00Z"),
        venue: "坑梓党群服务中心"
      }
      const event = stored(reminder)
      const payload = yield* CourseEvents.fromOutbox(event)
      assert.deepStrictEqual(payload, reminder)
      const [subscription] = configured.forEvent("courses.SessionReminder")
      const recipients = yield* subscription!.recipients({ event, payload })
      assert.deepStrictEqual(
        (recipients as ReadonlyArray<Subscription.Recipient>).map((r) => r.id),
        ["440310-W-000001", "440310-W-000002"]
      )
      const data = Subscription.mapData(subscription!.data, { event, payload }, recipients[0] as never)
      const rendered = yield* Template.render(subscription!.template, data)
      assert.strictEqual(rendered.subject, "上课提醒：电工基础")
      assert.include(rendered.body.text, "2026-03-09 19:30 在坑梓党群服务中心上课")
      for (const type of ["EnrolmentConfirmed", "WaitlistPromoted", "SessionCancelled", "CertificateIssued"] as const) {
        assert.strictEqual(configured.forEvent(CourseEvents.eventType(type)).length, 1, type)
      }
    })
  )
})
