import { assert, describe, it } from "@effect/vitest"
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
// The suites live beside the ports in @gongzhi/core; imported by path until @gongzhi/core/testing re-exports them.
import { deliveriesSuite, dispatcherSuite, freshTenant, makeRecorder } from "@gongzhi/core/testing"
import { Effect, Layer, Schema } from "effect"
import * as PgStore from "../src/PgStore.js"
import { availability, layerTest, provisionSchema, testUrl } from "../src/testing.js"

const server = await availability()

const migrations = [CoreMigrations.migrations, NotificationMigrations.migrations]

const ports = Layer.mergeAll(Outbox.layerSql, Delivery.layerSql, Preference.layerSql).pipe(
  // one set of keys for every pool: two dispatchers read what the other recorded
  Layer.provideMerge(FieldCipher.layer(FieldCipher.generateOptions()))
)

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

describe.skipIf(server.skip)("notification pipeline on PostgreSQL", () => {
  const postgres = ports.pipe(Layer.provideMerge(layerTest({ migrations, maxConnections: 8 })))
  deliveriesSuite({ name: "postgres", sql: true, concurrentWriters: true, layer: postgres })
  dispatcherSuite({ name: "postgres", sql: true, concurrentWriters: true, layer: postgres })

  it.live(
    "two dispatchers with separate pools deliver a backlog of 2,000 with no notification sent twice",
    () =>
      Effect.gen(function* () {
        const schema = yield* provisionSchema(testUrl())
        const tenantId = freshTenant()
        const recorder = makeRecorder("email")
        const notifiers = Notifier.layerNotifiers([recorder.notifier])
        // one store per dispatcher, as two processes would have; both run the (locked) migrations
        const store = () =>
          Layer.build(
            ports.pipe(Layer.provideMerge(PgStore.layer({ url: testUrl(), schema, maxConnections: 4, migrations })))
          )
        const [first, second] = yield* Effect.all([store(), store()], { concurrency: 2 })
        const dispatcher = (context: typeof first, workerId: string) =>
          Dispatcher.make({ tenants: [tenantId], workerId, batchSize: 100, concurrency: 20 }).pipe(
            Effect.provide(Subscription.layer([notifyApplicants]).pipe(Layer.provideMerge(notifiers))),
            Effect.provide(context)
          )
        const a = yield* dispatcher(first, "dispatcher-a")
        const b = yield* dispatcher(second, "dispatcher-b")
        const events = Array.from({ length: 400 }, (_, i) => ({
          tenantId,
          type: "test.ApplicationApproved",
          aggregateType: "Project",
          aggregateId: `project-${i}`,
          payload: { project: `项目${i}`, applicants: Array.from({ length: 5 }, (_, j) => `v${i}-${j}`) }
        }))
        yield* Effect.flatMap(Outbox.Outbox, (outbox) => outbox.append(events)).pipe(Effect.provide(first))
        const [countsA, countsB] = yield* Effect.all([a.drain(), b.drain()], { concurrency: 2 })
        // whichever finished first may have stopped while the other still held claims: finish up
        const rest = yield* a.drain()
        const delivered = countsA.delivered + countsB.delivered + rest.delivered
        assert.strictEqual(countsA.expanded + countsB.expanded + rest.expanded, 400)
        assert.strictEqual(countsA.created + countsB.created + rest.created, 2000)
        assert.strictEqual(delivered, 2000)
        assert.isAbove(countsA.expanded + countsA.delivered, 0, "dispatcher a did some of the work")
        assert.isAbove(countsB.expanded + countsB.delivered, 0, "dispatcher b did some of the work")
        assert.strictEqual(recorder.countsByKey.size, 2000)
        assert.deepStrictEqual([...new Set(recorder.countsByKey.values())], [1])
        assert.strictEqual(recorder.calls.length, 2000)
        const stored = yield* Effect.flatMap(Delivery.Deliveries, (deliveries) =>
          deliveries.list(tenantId, { status: "delivered", limit: 5000 })
        ).pipe(Effect.provide(second))
        assert.strictEqual(stored.items.length, 2000)
        assert.sameMembers(
          stored.items.map((d) => d.id),
          [...recorder.countsByKey.keys()]
        )
      }).pipe(Effect.scoped),
    { timeout: 120_000 }
  )
})
