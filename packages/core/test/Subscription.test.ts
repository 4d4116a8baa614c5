import { assert, describe, it } from "@effect/vitest"
import * as Notifier from "@gongzhi/core/Notifier"
import { OutboxEvent } from "@gongzhi/core/Outbox"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { TenantId } from "@gongzhi/core/Tenant"
import { Context, Effect, Layer, Schema } from "effect"

const Approved = Schema.Struct({ volunteerId: Schema.String, email: Schema.String, project: Schema.String })

const approvedTemplate = Template.make({
  id: "volunteers.applicationApproved",
  data: Schema.Struct({ name: Schema.String, project: Schema.String, note: Schema.optional(Schema.String) }),
  zh: { subject: "报名已通过：{{project}}", text: "{{name}}，您报名的「{{project}}」已通过审核。{{note}}" }
})

const base = {
  id: "volunteers.notifyApplicant",
  event: "volunteers.ApplicationApproved",
  payload: Approved,
  recipients: ({ payload }: Subscription.EventContext<typeof Approved.Type>) =>
    Effect.succeed([{ id: payload.volunteerId, name: "张三", addresses: { email: payload.email } }]),
  template: approvedTemplate,
  channels: ["email"]
} as const

const good = Subscription.make({ ...base, data: { name: "recipient.name", project: "payload.project" } })

const configure = (subscriptions: ReadonlyArray<Subscription.Subscription<any>>, channels = ["email", "console"]) =>
  Subscription.configure(subscriptions, { channels })

const failure = (subscriptions: ReadonlyArray<Subscription.Subscription<any>>, channels?: Array<string>) =>
  Effect.flip(configure(subscriptions, channels))

describe("Subscription", () => {
  it.effect("configures valid subscriptions and finds them by event type, in order", () =>
    Effect.gen(function* () {
      const second = Subscription.make({
        ...base,
        id: "volunteers.notifyOffice",
        data: (context) => ({ name: "办公室", project: context.payload.project }),
        channels: ["console"],
        priority: "high"
      })
      const set = yield* configure([good, second])
      assert.deepStrictEqual(
        set.forEvent("volunteers.ApplicationApproved").map((s) => s.id),
        ["volunteers.notifyApplicant", "volunteers.notifyOffice"]
      )
      assert.deepStrictEqual(set.forEvent("other.Event"), [])
      assert.strictEqual(set.all[0].priority, "normal")
      assert.strictEqual(set.all[1].priority, "high")
    })
  )

  it.effect("an unknown channel fails at configuration with UnknownChannel, naming the configured ones", () =>
    Effect.gen(function* () {
      const error = yield* failure([Subscription.make({ ...good, id: "x", channels: ["email", "sms"] } as any)])
      assert.strictEqual(error._tag, "SubscriptionError")
      assert.strictEqual(error.reason, "UnknownChannel")
      assert.include(error.detail, "sms")
      assert.include(error.detail, "email、console")
      assert.include(error.message, "通知订阅「x」")
      const none = yield* failure([good], [])
      assert.strictEqual(none.reason, "UnknownChannel")
      assert.include(none.detail, "尚未配置")
    })
  )

  it.effect("a record mapping that leaves a required template field out fails with TemplateDataMissing", () =>
    Effect.gen(function* () {
      const missing = Subscription.make({ ...base, data: { project: "payload.project" } as any })
      const error = yield* failure([missing])
      assert.strictEqual(error.reason, "TemplateDataMissing")
      assert.strictEqual(error.detail, "name")
    })
  )

  it.effect("a record mapping path that does not exist fails with UnknownDataPath", () =>
    Effect.gen(function* () {
      for (const path of ["payload.title", "recipient.phone", "volunteer.name", "event.whatever"]) {
        const error = yield* failure([Subscription.make({ ...base, data: { name: "recipient.name", project: path } })])
        assert.strictEqual(error.reason, "UnknownDataPath", path)
        assert.include(error.detail, path)
      }
      // without a payload schema, payload paths cannot be checked and are accepted
      const untyped = Subscription.make({
        ...base,
        payload: undefined,
        recipients: () => Effect.succeed([]),
        data: { name: "recipient.name", project: "payload.anything.deep" }
      })
      yield* configure([untyped])
    })
  )

  it.effect("a function mapping that never fills a required field fails with TemplateDataMissing", () =>
    Effect.gen(function* () {
      const forgetful = Subscription.make({
        ...base,
        data: (context) => ({ project: context.payload.project }) as { name: string; project: string }
      })
      const error = yield* failure([forgetful])
      assert.strictEqual(error.reason, "TemplateDataMissing")
      assert.strictEqual(error.detail, "name")
      // a mapping that throws on some samples, but fills everything otherwise, passes
      const picky = Subscription.make({
        ...base,
        data: (context, recipient) => {
          if (context.payload.project.length === 0) throw new Error("empty project")
          return { name: recipient.name ?? "", project: context.payload.project }
        }
      })
      yield* configure([picky])
    })
  )

  it.effect("a template with an unknown placeholder fails with TemplateInvalid at configuration", () =>
    Effect.gen(function* () {
      const template = Template.make({
        id: "bad.template",
        data: Schema.Struct({ name: Schema.String }),
        zh: { subject: "{{nmae}}", text: "x" }
      })
      const error = yield* failure([Subscription.make({ ...base, template, data: { name: "recipient.name" } })])
      assert.strictEqual(error.reason, "TemplateInvalid")
      assert.include(error.detail, "{{nmae}}")
    })
  )

  it.effect("duplicate ids, empty channel lists and malformed ids are rejected", () =>
    Effect.gen(function* () {
      assert.strictEqual((yield* failure([good, good])).reason, "DuplicateId")
      assert.strictEqual(
        (yield* failure([Subscription.make({ ...good, channels: [] } as any)])).reason,
        "InvalidDefinition"
      )
      assert.strictEqual((yield* failure([{ ...good, id: "坏 id" }])).reason, "InvalidDefinition")
      assert.strictEqual((yield* failure([{ id: "plain" } as any])).reason, "InvalidDefinition")
    })
  )

  it.effect("layer checks against the Notifiers in context and captures what the resolvers need", () =>
    Effect.gen(function* () {
      class Directory extends Context.Tag("test/Directory")<Directory, { readonly email: (id: string) => string }>() {}
      const needsDirectory = Subscription.make({
        ...base,
        recipients: ({ payload }) =>
          Effect.map(Directory, (directory) => [
            { id: payload.volunteerId, addresses: { email: directory.email(payload.volunteerId) } }
          ]),
        data: { name: "recipient.id", project: "payload.project" }
      })
      const set = yield* Subscription.Subscriptions.pipe(
        Effect.provide(
          Subscription.layer([needsDirectory]).pipe(
            Layer.provide(Notifier.layerNotifiers([Notifier.makeConsole({ channel: "email", write: () => {} })])),
            Layer.provide(Layer.succeed(Directory, { email: (id) => `${id}@example.org` }))
          )
        )
      )
      const event = new OutboxEvent({
        id: "e1" as OutboxEvent["id"],
        tenantId: TenantId.make("440310"),
        type: base.event,
        aggregateType: "Application",
        aggregateId: "a1",
        payload: { volunteerId: "v1", email: "", project: "p" },
        occurredAt: new Date(0)
      })
      // no Directory provided here: the layer captured it
      const recipients = yield* set.all[0].recipients({ event, payload: event.payload })
      assert.deepStrictEqual(recipients, [{ id: "v1", addresses: { email: "v1@example.org" } }])
      const error = yield* Effect.flip(
        Subscription.Subscriptions.pipe(
          Effect.provide(
            Subscription.layer([good]).pipe(Layer.provide(Notifier.layerNotifiers([Notifier.makeConsole()])))
          )
        )
      )
      assert.strictEqual(error.reason, "UnknownChannel")
    })
  )

  it("mapData resolves record mappings on the event, the payload and the recipient", () => {
    const event = { id: "e1", type: "t", aggregateId: "a1" } as unknown as OutboxEvent
    const data = Subscription.mapData(
      { a: "payload.deep.value", b: "recipient.name", c: "event.aggregateId", d: "payload.missing.x" },
      { event, payload: { deep: { value: 7 } } },
      { id: "r1", name: "王五", addresses: {} }
    )
    assert.deepStrictEqual(data, { a: 7, b: "王五", c: "a1", d: undefined })
  })
})
