// An SMS notification through the whole pipeline on SQLite: a domain event in the outbox, a
// subscription that addresses a worker by mobile number, the dispatcher, the Alibaba Cloud notifier
// and its stand-in. The delivery record keeps the number encrypted, never in plain text.

import type { SqlClient } from "@effect/sql"
import { SqlClient as Sql } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Delivery from "@gongzhi/core/Delivery"
import * as Dispatcher from "@gongzhi/core/Dispatcher"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as NotificationMigrations from "@gongzhi/core/NotificationMigrations"
import * as Notifier from "@gongzhi/core/Notifier"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Preference from "@gongzhi/core/Preference"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { layerTest } from "@gongzhi/store-sqlite/testing"
import { Effect, Layer, Option, Schema } from "effect"
import { cases, client, PHONE } from "./cases.js"

const TENANT = TenantId.make("440310")
const migrations = [CoreMigrations.migrations, NotificationMigrations.migrations]
const sqlite = Layer.mergeAll(Outbox.layerSql, Delivery.layerSql, Preference.layerSql).pipe(
  Layer.provideMerge(Layer.merge(layerTest({ migrations }), FieldCipher.layerTest()))
)

/** Workers by id; the event carries only the id, the subscription looks the number up. */
const phones: Record<string, string> = { "w-1": `+86 ${PHONE.slice(0, 3)} ${PHONE.slice(3, 7)} ${PHONE.slice(7)}` }

const enrolled = Subscription.make({
  id: "courses.notifyEnrolled",
  event: "courses.Enrolled",
  payload: Schema.Struct({ workerId: Schema.String, course: Schema.String, date: Schema.String }),
  recipients: ({ payload }) =>
    Effect.succeed([{ id: payload.workerId, name: "学员", addresses: { sms: phones[payload.workerId] } }]),
  template: Template.make({
    id: "courses.enrolled",
    data: Schema.Struct({ course: Schema.String, date: Schema.String }),
    zh: { subject: "报名成功", text: "您已报名「{{course}}」，{{date}}开课。" }
  }),
  data: { course: "payload.course", date: "payload.date" },
  channels: ["sms"]
})

const event = (course: string) => ({
  tenantId: TENANT,
  type: "courses.Enrolled",
  aggregateType: "Enrolment",
  aggregateId: `e-${course}`,
  payload: { workerId: "w-1", course, date: "12月9日" }
})

const rows = (sql: SqlClient.SqlClient) =>
  sql<Record<string, unknown>>`SELECT * FROM gongzhi_deliveries WHERE tenant_id = ${TENANT} ORDER BY created_at`.pipe(
    Effect.orDie
  )

describe("SMS through the dispatcher on SQLite", () => {
  layer(sqlite, { timeout: "60 seconds", excludeTestServices: true })((it) => {
    it.scoped("delivers, records the number encrypted, and a per-number limit becomes a retry", () =>
      Effect.gen(function* () {
        const aliyun = cases[0]
        const server = yield* aliyun.server()
        const sms = yield* aliyun.make(server.endpoint, { rateLimits: [{ limit: 1, window: "1 hour" }] })
        const registry = Notifier.makeNotifiers([sms])
        const subscriptions = yield* Subscription.configure([enrolled], { channels: registry.channels }).pipe(
          Effect.orDie
        )
        const dispatcher = yield* Dispatcher.make({ tenants: [TENANT], workerId: "sms-test" }).pipe(
          Effect.provideService(Notifier.Notifiers, registry),
          Effect.provideService(Subscription.Subscriptions, subscriptions),
          Effect.orDie
        )
        const append = (events: ReadonlyArray<ReturnType<typeof event>>) =>
          Effect.flatMap(Transactor.Transactor, (transactor) =>
            transactor.withTransaction(Effect.flatMap(Outbox.Outbox, (outbox) => outbox.append(events)))
          ).pipe(Effect.orDie)

        yield* append([event("电工入门")])
        const first = yield* dispatcher.drain(5)
        assert.strictEqual(first.delivered, 1)
        assert.deepStrictEqual(
          server.accepted().map((message) => [message.phoneNumber, message.params]),
          [[PHONE, { course: "电工入门", date: "12月9日" }]]
        )

        // a second message to the same number within the hour: refused locally, retried later
        yield* append([event("育儿课堂")])
        const second = yield* dispatcher.drain(5)
        assert.strictEqual(second.retried, 1)
        assert.strictEqual(server.accepted().length, 1)
        assert.strictEqual(server.answers().length, 1, "the vendor was not called")

        const sql = yield* Sql.SqlClient
        const stored = yield* rows(sql)
        assert.strictEqual(stored.length, 2)
        const raw = JSON.stringify(stored)
        assert.notInclude(raw, PHONE)
        assert.notInclude(raw, phones["w-1"])
        assert.notInclude(raw, PHONE.slice(3), "not even the last eight digits")
        for (const row of stored) assert.match(String(row.address), /^gz1\./)
        assert.include(raw, "138****8000", "the retry's error shows the masked number")

        const deliveries = yield* Delivery.Deliveries
        const listed = yield* deliveries.list(TENANT, { limit: 10 })
        assert.deepStrictEqual(listed.items.map((item) => item.status).sort(), ["delivered", "retrying"])
        for (const item of listed.items) assert.strictEqual(item.address, phones["w-1"])
        const retrying = listed.items.find((item) => item.status === "retrying")!
        // the dispatcher waits at least until the number's slot frees (an hour)
        assert.isAtLeast((retrying.nextAttemptAt?.getTime() ?? 0) - Date.now(), 59 * 60_000)
        assert.include(retrying.lastError ?? "", "138****8000")
        assert.notInclude(retrying.lastError ?? "", PHONE)
        const again = yield* deliveries.get(TENANT, listed.items[0].id)
        assert.isTrue(Option.isSome(again))
      }).pipe(Effect.provide(client))
    )
  })
})
