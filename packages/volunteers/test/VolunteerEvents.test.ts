import { assert, describe, it } from "@effect/vitest"
import { OutboxEvent } from "@gongzhi/core/Outbox"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { Effect } from "effect"
import * as VolunteerEvents from "../src/VolunteerEvents.js"
import { TENANT } from "./fixtures.js"

const reminder: VolunteerEvents.VolunteerEvent = {
  _tag: "ShiftReminder",
  volunteerId: "440310-V-000001" as never,
  shiftId: "s1",
  activityId: "a1",
  title: "六联社区民情走访",
  communityCode: "440310001001" as never,
  startsAt: new Date("2026-10-08T01:00:00Z"),
  endsAt: new Date("2026-10-08T03:00:00Z"),
  remindOn: "2026-09-30" as never
}

const stored = (event: VolunteerEvents.VolunteerEvent) => {
  const entry = VolunteerEvents.toOutbox(TENANT, event)
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

describe("VolunteerEvents", () => {
  it.effect("encodes events for the outbox and decodes them back", () =>
    Effect.gen(function* () {
      const entry = VolunteerEvents.toOutbox(TENANT, reminder)
      assert.strictEqual(entry.type, "volunteers.ShiftReminder")
      assert.strictEqual(entry.aggregateType, "Shift")
      assert.strictEqual(entry.aggregateId, "s1")
      assert.strictEqual((entry.payload as { startsAt: string }).startsAt, "2026-10-08T01:00:00.000Z")
      const back = yield* VolunteerEvents.fromOutbox(stored(reminder))
      assert.deepStrictEqual(back, reminder)
    })
  )

  it.effect("ships default subscriptions that configure against the channels and render in Chinese", () =>
    Effect.gen(function* () {
      const configured = yield* Subscription.configure(VolunteerEvents.subscriptions({ channels: ["console"] }), {
        channels: ["console"]
      })
      assert.strictEqual(configured.all.length, 6)
      const [subscription] = configured.forEvent("volunteers.ShiftReminder")
      const event = stored(reminder)
      const payload = yield* VolunteerEvents.fromOutbox(event)
      const recipients = yield* subscription.recipients({ event, payload })
      assert.deepStrictEqual(recipients, [
        { id: "440310-V-000001", addresses: { console: "440310-V-000001" }, locale: "zh-CN" }
      ])
      const data = Subscription.mapData(subscription.data, { event, payload }, recipients[0] as never)
      const rendered = yield* Template.render(subscription.template, data)
      assert.strictEqual(rendered.subject, "服务提醒：六联社区民情走访")
      assert.include(rendered.body.text, "2026-10-08 09:00 开始")
      const english = yield* Template.render(subscription.template, data, { locale: "en" })
      assert.strictEqual(english.locale, "en")
    })
  )

  it.effect("a shift cancellation notifies every volunteer concerned, through the district's own resolver", () =>
    Effect.gen(function* () {
      const cancelled: VolunteerEvents.VolunteerEvent = {
        _tag: "ShiftCancelled",
        shiftId: "s1",
        activityId: "a1",
        title: "走访",
        startsAt: new Date("2026-10-08T01:00:00Z"),
        reason: "台风预警",
        volunteerIds: ["440310-V-000001", "440310-V-000002", "440310-V-000003"] as never
      }
      const subscriptions = VolunteerEvents.subscriptions({
        channels: ["wecom"],
        recipients: (id) => Effect.succeed(id.endsWith("2") ? undefined : { id, addresses: { wecom: `wx-${id}` } })
      })
      const configured = yield* Subscription.configure(subscriptions, { channels: ["wecom"] })
      const [subscription] = configured.forEvent("volunteers.ShiftCancelled")
      const event = stored(cancelled)
      const recipients = yield* subscription.recipients({ event, payload: yield* VolunteerEvents.fromOutbox(event) })
      assert.deepStrictEqual(
        recipients.map((r) => (r as { addresses: { wecom: string } }).addresses.wecom),
        ["wx-440310-V-000001", "wx-440310-V-000003"]
      )
      const unknown = yield* Effect.flip(
        Subscription.configure(VolunteerEvents.subscriptions({ channels: ["sms"] }), { channels: ["console"] })
      )
      assert.strictEqual(unknown.reason, "UnknownChannel")
    })
  )
})
