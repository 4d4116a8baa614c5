import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Delivery from "@gongzhi/core/Delivery"
import * as Dispatcher from "@gongzhi/core/Dispatcher"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Migrations from "@gongzhi/core/Migrations"
import * as NotificationMigrations from "@gongzhi/core/NotificationMigrations"
import * as Notifier from "@gongzhi/core/Notifier"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Preference from "@gongzhi/core/Preference"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { deliveriesSuite, dispatcherSuite, freshTenant, makeRecorder } from "@gongzhi/core/testing"
import { Effect, Layer, Schedule, Schema } from "effect"
import * as MysqlStore from "../src/MysqlStore.js"
import { availability, layerTest, provisionDatabase, testUrl } from "../src/testing.js"

const server = await availability()

const migrations = [CoreMigrations.migrations, NotificationMigrations.migrations]

const ports = Layer.mergeAll(Outbox.layerSql, Delivery.layerSql, Preference.layerSql).pipe(
  // one set of keys for every pool: two dispatchers read what the other recorded
  Layer.provideMerge(FieldCipher.layer(FieldCipher.generateOptions()))
)

const EVENTS = 400
const APPLICANTS = 5
const TOTAL = EVENTS * APPLICANTS

/** Every applicant of an approved application gets an e-mail. */
const notifyApplicants = Subscription.make({
  id: "test.notifyApplicants",
  event: "test.ApplicationApproved",
  payload: Schema.Struct({ project: Schema.String, applicants: Schema.Array(Schema.String) }),
  recipients: ({ payload }) =>
    Effect.succeed(payload.applicants.map((id) => ({ id, name: id, addresses: { email: `${id}@example.org` } }))),
  template: Template.make({
    id: "test.applicationApproved",
    data: Schema.Struct({ name: Schema.String, project: Schema.String }),
    zh: { subject: "报名已通过：{{project}}", text: "{{name}}，您报名的「{{project}}」已通过审核。" }
  }),
  data: { name: "recipient.name", project: "payload.project" },
  channels: ["email"]
})

describe.skipIf(server.skip)("notification pipeline on MySQL/MariaDB", () => {
  const mysql = ports.pipe(Layer.provideMerge(layerTest({ migrations, maxConnections: 8 })))
  deliveriesSuite({ name: "mysql", sql: true, concurrentWriters: true, layer: mysql })
  dispatcherSuite({ name: "mysql", sql: true, concurrentWriters: true, layer: mysql })

  it.layer(layerTest({ migrations }))((it) => {
    it.effect("NotificationMigrations apply once: running them again changes nothing", () =>
      Effect.gen(function* () {
        assert.deepStrictEqual(yield* Migrations.run(migrations), [])
        const ddl = NotificationMigrations.deliveryStatements("mysql").join("\n")
        assert.include(ddl, "PRIMARY KEY (tenant_id, id)")
        assert.include(ddl, "UNIQUE (tenant_id, event_id, recipient_id, channel)")
      })
    )
  })

  it.live(
    `two dispatchers with separate pools deliver a backlog of ${TOTAL.toLocaleString("en")} with no notification sent twice`,
    () =>
      Effect.gen(function* () {
        const database = yield* provisionDatabase(testUrl())
        const tenantId = freshTenant()
        const recorder = makeRecorder("email")
        const notifiers = Notifier.layerNotifiers([recorder.notifier])
        // one store per dispatcher, as two processes would have; both run the (locked) migrations
        const store = () =>
          Layer.build(
            ports.pipe(
              Layer.provideMerge(MysqlStore.layer({ url: testUrl(), database, maxConnections: 4, migrations }))
            )
          )
        const [first, second] = yield* Effect.all([store(), store()], { concurrency: 2 })
        // each runs its loop (polling every 10 ms when idle) until the test's scope closes
        const dispatcher = (context: typeof first, workerId: string) =>
          Dispatcher.run({
            tenants: [tenantId],
            workerId,
            batchSize: 100,
            concurrency: 20,
            pollInterval: "10 millis"
          }).pipe(
            Effect.provide(Subscription.layer([notifyApplicants]).pipe(Layer.provideMerge(notifiers))),
            Effect.provide(context)
          )
        const events = Array.from({ length: EVENTS }, (_, i) => ({
          tenantId,
          type: "test.ApplicationApproved",
          aggregateType: "Project",
          aggregateId: `project-${i}`,
          payload: { project: `项目${i}`, applicants: Array.from({ length: APPLICANTS }, (_, j) => `v${i}-${j}`) }
        }))
        yield* Effect.flatMap(Outbox.Outbox, (outbox) => outbox.append(events)).pipe(Effect.provide(first))
        // The loops, not `drain`: on MySQL/MariaDB two claims may deadlock (InnoDB picks a victim and
        // the statement fails as retryable) or one claim may briefly lock every due row, so a pass can
        // fail or find nothing; the loop logs it and polls again, as a production dispatcher does.
        const a = yield* dispatcher(first, "dispatcher-a")
        const b = yield* dispatcher(second, "dispatcher-b")
        const both = Effect.map(Effect.all([a.stats, b.stats]), ([countsA, countsB]) => ({ countsA, countsB }))
        yield* both.pipe(
          Effect.repeat({
            until: ({ countsA, countsB }) => countsA.delivered + countsB.delivered >= TOTAL,
            schedule: Schedule.spaced("20 millis")
          }),
          Effect.timeoutFail({ duration: "90 seconds", onTimeout: () => new Error("backlog not delivered in 90 s") })
        )
        // nothing more goes out afterwards (no second send of a delivered notification)
        yield* Effect.sleep("200 millis")
        const { countsA, countsB } = yield* both
        assert.strictEqual(countsA.expanded + countsB.expanded, EVENTS)
        assert.strictEqual(countsA.created + countsB.created, TOTAL)
        assert.strictEqual(countsA.delivered + countsB.delivered, TOTAL)
        assert.strictEqual(countsA.retried + countsA.dead + countsB.retried + countsB.dead, 0)
        assert.isAbove(countsA.expanded + countsA.delivered, 0, "dispatcher a did some of the work")
        assert.isAbove(countsB.expanded + countsB.delivered, 0, "dispatcher b did some of the work")
        assert.strictEqual(recorder.countsByKey.size, TOTAL)
        assert.deepStrictEqual([...new Set(recorder.countsByKey.values())], [1])
        assert.strictEqual(recorder.calls.length, TOTAL)
        const stored = yield* Effect.flatMap(Delivery.Deliveries, (deliveries) =>
          deliveries.list(tenantId, { status: "delivered", limit: 5000 })
        ).pipe(Effect.provide(second))
        assert.strictEqual(stored.items.length, TOTAL)
        assert.sameMembers(
          stored.items.map((d) => d.id),
          [...recorder.countsByKey.keys()]
        )
      }).pipe(Effect.scoped),
    { timeout: 120_000 }
  )
})
