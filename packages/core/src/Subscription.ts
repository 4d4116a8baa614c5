/**
 * Notification subscriptions (通知订阅). A subscription says: when an event of this type is taken
 * from the outbox, notify these recipients, with this template, over these channels. The
 * dispatcher reads them; domains ship default subscriptions and a district may add its own.
 *
 * Subscriptions are checked when they are configured ({@link configure}, {@link layer}): an
 * unknown channel, a template whose placeholders its data lacks, or a data mapping that leaves a
 * required template field empty fails then, with a typed {@link SubscriptionError}, not when a
 * notification is about to be sent.
 *
 * @since 0.1.0
 */
import { Arbitrary, Context, Effect, FastCheck, Layer, Schema } from "effect"
import * as Paths from "./internal/dispatcherPaths.js"
import type { Channel, Priority } from "./Notifier.js"
import { Notifiers } from "./Notifier.js"
import type { OutboxEvent } from "./Outbox.js"
import * as Template from "./Template.js"

/**
 * Someone to notify. `addresses` maps a channel to the recipient's address on it (an e-mail
 * address, a WeCom user id, a webhook URL…); a channel without an address is skipped for them.
 * `id` identifies the recipient within the tenant (a volunteer id, a staff id) and is part of the
 * delivery's idempotency key.
 *
 * @since 0.1.0
 * @category models
 */
export const Recipient = Schema.Struct({
  id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  name: Schema.optional(Schema.String),
  addresses: Schema.Record({ key: Schema.String, value: Schema.UndefinedOr(Schema.String) }),
  locale: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Recipient = typeof Recipient.Type

/**
 * What a subscription's resolver and data mapping see: the stored outbox event and its payload,
 * decoded with the subscription's payload schema when it has one.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventContext<E> {
  readonly event: OutboxEvent
  readonly payload: E
}

/**
 * How a subscription turns an event into template data: a function of the event and the
 * recipient returning the template's data input, or a record naming, for each template field, a
 * path in `{ event, payload, recipient }` (e.g. `{ name: "recipient.name", project: "payload.title" }`),
 * which is checked field by field at configuration.
 *
 * @since 0.1.0
 * @category models
 */
export type DataMapping<E, I> =
  | ((context: EventContext<E>, recipient: Recipient) => I)
  | { readonly [field in keyof I]: string }

/**
 * What {@link make} takes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Definition<E, A, I, R> {
  /** Stable identifier, e.g. `volunteers.notifyApplicant`. */
  readonly id: string
  /** The outbox event type it reacts to (`OutboxEvent.type`). */
  readonly event: string
  /** Decodes the event's payload; without it the payload is passed on as stored (`unknown`). */
  readonly payload?: Schema.Schema<E, any> | undefined
  /** Who to notify. A failure is retried with back-off (the event stays in the outbox). */
  readonly recipients: (
    context: EventContext<E>
  ) => Effect.Effect<ReadonlyArray<Recipient | typeof Recipient.Encoded>, unknown, R>
  readonly template: Template.Template<A, I>
  readonly data: DataMapping<E, I>
  /** The channels to use, by name (each must be configured in `Notifiers`). */
  readonly channels: ReadonlyArray<string>
  /** Default `normal`. `urgent` notifications are never held back for a daily digest. */
  readonly priority?: Priority | undefined
}

const TypeId: unique symbol = Symbol.for("@gongzhi/core/Subscription")

/**
 * A subscription (built by {@link make}); `R` is what its recipient resolver needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Subscription<R = never> {
  readonly [TypeId]: typeof TypeId
  readonly id: string
  readonly event: string
  readonly payload: Schema.Schema<any, any> | undefined
  readonly recipients: (context: EventContext<any>) => Effect.Effect<ReadonlyArray<unknown>, unknown, R>
  readonly template: Template.Template<any, any>
  readonly data: DataMapping<any, any>
  readonly channels: ReadonlyArray<string>
  readonly priority: Priority
}

/**
 * Builds a subscription. It never fails; {@link configure} checks it.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect, Schema } from "effect"
 * import { Subscription, Template } from "@gongzhi/core"
 *
 * const approved = Template.make({
 *   id: "volunteers.applicationApproved",
 *   data: Schema.Struct({ name: Schema.String, project: Schema.String }),
 *   zh: { subject: "报名已通过：{{project}}", text: "{{name}}，您报名的「{{project}}」已通过审核。" }
 * })
 *
 * const notifyApplicant = Subscription.make({
 *   id: "volunteers.notifyApplicant",
 *   event: "volunteers.ApplicationApproved",
 *   payload: Schema.Struct({ volunteerId: Schema.String, email: Schema.String, project: Schema.String }),
 *   recipients: ({ payload }) => Effect.succeed([{ id: payload.volunteerId, addresses: { email: payload.email } }]),
 *   template: approved,
 *   data: { name: "recipient.name", project: "payload.project" },
 *   channels: ["email"]
 * })
 */
export const make = <E = unknown, A = unknown, I = unknown, R = never>(
  definition: Definition<E, A, I, R>
): Subscription<R> => ({
  [TypeId]: TypeId,
  id: definition.id,
  event: definition.event,
  payload: definition.payload,
  recipients: definition.recipients as Subscription<R>["recipients"],
  template: definition.template,
  data: definition.data as DataMapping<any, any>,
  channels: definition.channels,
  priority: definition.priority ?? "normal"
})

/**
 * Why a subscription was rejected at configuration:
 * - `InvalidDefinition`: a malformed id, event type, channel list or mapping;
 * - `DuplicateId`: two subscriptions share an id;
 * - `UnknownChannel`: a channel no configured notifier serves;
 * - `TemplateInvalid`: its template is malformed or names fields its data lacks;
 * - `TemplateDataMissing`: the data mapping leaves a required template field empty;
 * - `UnknownDataPath`: a path in a record mapping does not exist in the event or the recipient.
 *
 * @since 0.1.0
 * @category models
 */
export const SubscriptionFailure = Schema.Literal(
  "InvalidDefinition",
  "DuplicateId",
  "UnknownChannel",
  "TemplateInvalid",
  "TemplateDataMissing",
  "UnknownDataPath"
)

/**
 * @since 0.1.0
 * @category models
 */
export type SubscriptionFailure = typeof SubscriptionFailure.Type

/**
 * A subscription was rejected when the subscriptions were configured.
 *
 * @since 0.1.0
 * @category errors
 */
export class SubscriptionError extends Schema.TaggedError<SubscriptionError>("@gongzhi/core/SubscriptionError")(
  "SubscriptionError",
  {
    subscriptionId: Schema.String,
    reason: SubscriptionFailure,
    detail: Schema.String
  }
) {
  override get message(): string {
    const which = `通知订阅「${this.subscriptionId}」`
    switch (this.reason) {
      case "InvalidDefinition":
        return `${which}定义有误：${this.detail} / invalid subscription`
      case "DuplicateId":
        return `${which}重复定义 / duplicate subscription id`
      case "UnknownChannel":
        return `${which}使用了未配置的通知渠道：${this.detail} / unknown channel`
      case "TemplateInvalid":
        return `${which}的模板有误：${this.detail} / invalid template`
      case "TemplateDataMissing":
        return `${which}未提供模板所需的数据：${this.detail} / template data missing`
    }
    return `${which}的数据映射引用了不存在的字段：${this.detail} / unknown data path`
  }
}

/**
 * A checked subscription, as the dispatcher uses it: its resolver needs nothing more.
 *
 * @since 0.1.0
 * @category models
 */
export interface Configured extends Subscription<never> {
  readonly channels: ReadonlyArray<Channel>
}

/**
 * The configured subscriptions.
 *
 * @since 0.1.0
 * @category models
 */
export interface SubscriptionsShape {
  readonly all: ReadonlyArray<Configured>
  /** The subscriptions of an event type, in configuration order. */
  readonly forEvent: (type: string) => ReadonlyArray<Configured>
}

/**
 * The subscriptions the dispatcher uses.
 *
 * @since 0.1.0
 * @category tags
 */
export class Subscriptions extends Context.Tag("@gongzhi/core/Subscriptions")<Subscriptions, SubscriptionsShape>() {}

const ID = /^[A-Za-z][\w.-]{0,127}$/
const EVENT = /^.{1,128}$/s
const ROOTS = new Set(["event", "payload", "recipient"])
const EVENT_FIELDS = new Set(["id", "tenantId", "type", "aggregateType", "aggregateId", "occurredAt", "payload"])
const RECIPIENT_FIELDS = new Set(["id", "name", "locale", "addresses"])
const SAMPLES = 20

const fail = (subscriptionId: string, reason: SubscriptionFailure, detail: string) =>
  Effect.fail(new SubscriptionError({ subscriptionId, reason, detail }))

/**
 * The template data a mapping gives for one event and recipient (a record mapping is resolved path
 * by path; a missing step gives `undefined`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const mapData = (
  mapping: DataMapping<any, any>,
  context: EventContext<unknown>,
  recipient: Recipient
): unknown => {
  if (typeof mapping === "function") return mapping(context, recipient)
  const root = { event: context.event, payload: context.payload, recipient }
  const out: Record<string, unknown> = {}
  for (const [field, path] of Object.entries(mapping as Record<string, string>)) {
    out[field] = Paths.get(root, path.split("."))
  }
  return out
}

const checkRecordMapping = (subscription: Subscription<any>, mapping: Readonly<Record<string, unknown>>) =>
  Effect.gen(function* () {
    const id = subscription.id
    for (const [field, path] of Object.entries(mapping)) {
      if (typeof path !== "string" || !Paths.PATH.test(path)) {
        return yield* fail(id, "InvalidDefinition", `字段 ${field} 的映射路径应为 a.b.c 形式`)
      }
      const [root, ...rest] = path.split(".")
      if (!ROOTS.has(root))
        return yield* fail(id, "UnknownDataPath", `${path}（应以 event、payload 或 recipient 开头）`)
      if (root === "recipient" && rest.length > 0 && !RECIPIENT_FIELDS.has(rest[0])) {
        return yield* fail(id, "UnknownDataPath", path)
      }
      if (root === "event" && rest.length > 0 && !EVENT_FIELDS.has(rest[0])) {
        return yield* fail(id, "UnknownDataPath", path)
      }
      if (root === "payload" && subscription.payload !== undefined && !Paths.hasPath(subscription.payload.ast, rest)) {
        return yield* fail(id, "UnknownDataPath", path)
      }
    }
    const missing = Paths.requiredInputFields(subscription.template.data.ast).filter(
      (field) => !Object.hasOwn(mapping, field)
    )
    if (missing.length > 0) return yield* fail(id, "TemplateDataMissing", missing.join("、"))
  })

const sampleRecipient: Recipient = { id: "sample", name: "示例", addresses: {}, locale: "zh-CN" }

/**
 * For a function mapping with a payload schema: runs the mapping on generated sample payloads and
 * reports the required template fields it never fills. A sample the mapping throws on proves
 * nothing and is ignored; without a payload schema (or when no sample can be generated) nothing is
 * checked here (TypeScript checks the mapping's return type).
 */
const checkFunctionMapping = (
  subscription: Subscription<any>,
  mapping: (context: EventContext<unknown>, recipient: Recipient) => unknown
) =>
  Effect.suspend(() => {
    const schema = subscription.payload
    const required = Paths.requiredInputFields(subscription.template.data.ast)
    if (schema === undefined || required.length === 0) return Effect.void
    let samples: ReadonlyArray<unknown>
    try {
      samples = FastCheck.sample(Arbitrary.make(schema), { numRuns: SAMPLES, seed: 20_260_302 })
    } catch {
      return Effect.void
    }
    const filled = new Set<string>()
    let conclusive = 0
    for (const payload of samples) {
      const event = {
        id: "sample",
        tenantId: "440310",
        type: subscription.event,
        aggregateType: "Sample",
        aggregateId: "sample",
        payload,
        occurredAt: new Date(0)
      } as unknown as OutboxEvent
      let out: unknown
      try {
        out = mapping({ event, payload }, sampleRecipient)
      } catch {
        continue
      }
      if (typeof out !== "object" || out === null) continue
      conclusive++
      for (const field of required) if ((out as Record<string, unknown>)[field] !== undefined) filled.add(field)
    }
    const missing = required.filter((field) => !filled.has(field))
    return conclusive > 0 && missing.length > 0
      ? fail(subscription.id, "TemplateDataMissing", missing.join("、"))
      : Effect.void
  })

const checkOne = (subscription: Subscription<any>, available: ReadonlySet<string>) =>
  Effect.gen(function* () {
    const id = typeof subscription?.id === "string" ? subscription.id : "?"
    if (typeof subscription !== "object" || subscription === null || !(TypeId in subscription)) {
      return yield* fail(id, "InvalidDefinition", "不是由 Subscription.make 构建的订阅")
    }
    if (!ID.test(id)) {
      return yield* fail(id, "InvalidDefinition", "订阅编号应以字母开头，由字母、数字、点、下划线或连字符组成")
    }
    if (typeof subscription.event !== "string" || !EVENT.test(subscription.event)) {
      return yield* fail(id, "InvalidDefinition", "事件类型应为 1 到 128 个字符")
    }
    if (subscription.payload !== undefined && !Schema.isSchema(subscription.payload)) {
      return yield* fail(id, "InvalidDefinition", "payload 应为 Schema")
    }
    if (typeof subscription.recipients !== "function") {
      return yield* fail(id, "InvalidDefinition", "recipients 应为返回收件人列表的函数")
    }
    if (!Array.isArray(subscription.channels) || subscription.channels.length === 0) {
      return yield* fail(id, "InvalidDefinition", "至少需要一个通知渠道")
    }
    const unknown = subscription.channels.filter((channel) => !available.has(channel))
    if (unknown.length > 0) {
      const known = available.size === 0 ? "（尚未配置任何渠道）" : `（已配置：${[...available].join("、")}）`
      return yield* fail(id, "UnknownChannel", `${unknown.join("、")}${known}`)
    }
    yield* Template.validate(subscription.template).pipe(
      Effect.mapError(
        (error) => new SubscriptionError({ subscriptionId: id, reason: "TemplateInvalid", detail: error.message })
      )
    )
    const mapping = subscription.data
    if (typeof mapping === "function") yield* checkFunctionMapping(subscription, mapping)
    else if (typeof mapping === "object" && mapping !== null) yield* checkRecordMapping(subscription, mapping)
    else return yield* fail(id, "InvalidDefinition", "data 应为函数或字段映射")
  })

/**
 * Checks subscriptions against the configured channels and returns them ready for the dispatcher.
 * The context the recipient resolvers need (`R`) is captured here.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { Subscription } from "@gongzhi/core"
 *
 * declare const subscriptions: ReadonlyArray<Subscription.Subscription>
 *
 * const program = Subscription.configure(subscriptions, { channels: ["console", "email"] })
 */
export const configure = <R>(
  subscriptions: ReadonlyArray<Subscription<R>>,
  options: { readonly channels: ReadonlyArray<string> }
): Effect.Effect<SubscriptionsShape, SubscriptionError, R> =>
  Effect.gen(function* () {
    const available = new Set(options.channels)
    const seen = new Set<string>()
    for (const subscription of subscriptions) {
      yield* checkOne(subscription, available)
      if (seen.has(subscription.id)) return yield* fail(subscription.id, "DuplicateId", "")
      seen.add(subscription.id)
    }
    const context = yield* Effect.context<R>()
    const all: ReadonlyArray<Configured> = subscriptions.map(
      (subscription): Configured => ({
        ...subscription,
        channels: subscription.channels as ReadonlyArray<Channel>,
        recipients: (event) => Effect.provide(subscription.recipients(event), context as Context.Context<R>)
      })
    )
    const byEvent = new Map<string, Array<Configured>>()
    for (const subscription of all) {
      const list = byEvent.get(subscription.event) ?? []
      list.push(subscription)
      byEvent.set(subscription.event, list)
    }
    return { all, forEvent: (type) => byEvent.get(type) ?? [] }
  })

/**
 * The subscriptions as a layer, checked against the channels of the `Notifiers` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <R>(
  subscriptions: ReadonlyArray<Subscription<R>>
): Layer.Layer<Subscriptions, SubscriptionError, Notifiers | R> =>
  Layer.effect(
    Subscriptions,
    Effect.flatMap(Notifiers, (notifiers) => configure(subscriptions, { channels: notifiers.channels }))
  )
