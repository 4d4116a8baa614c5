/**
 * The notification port (通知). A `Notifier` sends one rendered notification over one channel
 * (console, webhook, email, WeCom/DingTalk/Feishu robots, …) and answers with a receipt or a typed
 * error that says whether a retry can help. Domains never call a notifier: they append events, and
 * the dispatcher turns events into notifications (see `Dispatcher`).
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, ParseResult, Schema } from "effect"
import { TenantId } from "./Tenant.js"

/**
 * How urgent a notification is; adapters may map it to their own levels.
 *
 * @since 0.1.0
 * @category models
 */
export const Priority = Schema.Literal("low", "normal", "high", "urgent")

/**
 * @since 0.1.0
 * @category models
 */
export type Priority = typeof Priority.Type

/**
 * A channel name, e.g. "console", "webhook", "email", "wecom", "dingtalk", "feishu".
 *
 * @since 0.1.0
 * @category models
 */
export const Channel = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9-]{0,31}$/, {
    message: () => "通知渠道名称应为小写字母、数字或连字符 / invalid channel name"
  }),
  Schema.brand("@gongzhi/core/Channel")
)

/**
 * @since 0.1.0
 * @category models
 */
export type Channel = typeof Channel.Type

/**
 * The rendered body: plain text always; Markdown and HTML where the template provides them.
 *
 * @since 0.1.0
 * @category models
 */
export const Body = Schema.Struct({
  text: Schema.String,
  markdown: Schema.optional(Schema.String),
  html: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Body = typeof Body.Type

/**
 * One notification to one recipient address on one channel. `idempotencyKey` is the same for every
 * attempt of the same delivery, so a receiver that honours it sees the notification once.
 *
 * @since 0.1.0
 * @category models
 */
export class Notification extends Schema.Class<Notification>("@gongzhi/core/Notification")({
  tenantId: TenantId,
  channel: Channel,
  /** Channel-specific address: a URL, an e-mail address, a robot key or webhook URL, a user id. */
  recipient: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(2048)),
  subject: Schema.String.pipe(Schema.maxLength(512)),
  body: Body,
  templateId: Schema.optional(Schema.String),
  data: Schema.optional(Schema.Unknown),
  priority: Schema.optionalWith(Priority, { default: () => "normal" as const }),
  idempotencyKey: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(256))
}) {}

/**
 * What a channel answered for a delivered notification.
 *
 * @since 0.1.0
 * @category models
 */
export class Receipt extends Schema.Class<Receipt>("@gongzhi/core/Receipt")({
  channel: Channel,
  /** The provider's id of the message, when it gives one. */
  providerMessageId: Schema.optional(Schema.String),
  deliveredAt: Schema.DateFromSelf
}) {}

/**
 * A send failed. `retryable` says whether trying again may help (timeouts, 5xx, 429); when the
 * channel said when to retry (`Retry-After`), `retryAfterMillis` carries it.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotifyError extends Schema.TaggedError<NotifyError>("@gongzhi/core/NotifyError")("NotifyError", {
  channel: Schema.String,
  reason: Schema.String,
  retryable: Schema.Boolean,
  retryAfterMillis: Schema.optional(Schema.Number),
  status: Schema.optional(Schema.Number),
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `通知发送失败（${this.channel}）：${this.reason}${this.retryable ? "（可重试）" : "（不可重试）"}`
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface NotifierShape {
  readonly channel: Channel
  readonly send: (notification: Notification) => Effect.Effect<Receipt, NotifyError>
}

/**
 * A single notifier (one channel).
 *
 * @since 0.1.0
 * @category tags
 */
export class Notifier extends Context.Tag("@gongzhi/core/Notifier")<Notifier, NotifierShape>() {}

/**
 * Every notifier an application configured, by channel; the dispatcher sends through these.
 *
 * @since 0.1.0
 * @category tags
 */
export class Notifiers extends Context.Tag("@gongzhi/core/Notifiers")<
  Notifiers,
  { readonly get: (channel: string) => NotifierShape | undefined; readonly channels: ReadonlyArray<Channel> }
>() {}

/**
 * Builds the registry from notifiers; a channel given twice is a configuration error (defect at start-up).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeNotifiers = (notifiers: ReadonlyArray<NotifierShape>): Context.Tag.Service<Notifiers> => {
  const byChannel = new Map<string, NotifierShape>()
  for (const notifier of notifiers) {
    if (byChannel.has(notifier.channel)) throw new Error(`通知渠道重复配置：${notifier.channel}`)
    byChannel.set(notifier.channel, notifier)
  }
  return { get: (channel) => byChannel.get(channel), channels: [...byChannel.keys()] as Array<Channel> }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layerNotifiers = (notifiers: ReadonlyArray<NotifierShape>): Layer.Layer<Notifiers> =>
  Layer.sync(Notifiers, () => makeNotifiers(notifiers))

/**
 * The console notifier (development): prints the subject and text body, one block per notification.
 * The recipient address is shown masked (it may be a phone number or an e-mail address).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeConsole = (
  options: { readonly channel?: string; readonly write?: (line: string) => void } = {}
): NotifierShape => {
  const channel = Channel.make(options.channel ?? "console")
  const write = options.write ?? ((line: string) => console.log(line))
  return {
    channel,
    send: (notification) =>
      Effect.zipRight(
        validate(channel, notification),
        Effect.map(
          Effect.clockWith((clock) => clock.currentTimeMillis),
          (now) => {
            write(`【${notification.subject}】→ ${maskAddress(notification.recipient)}\n${notification.body.text}`)
            return new Receipt({ channel, deliveredAt: new Date(now) })
          }
        )
      )
  }
}

const NotificationFields = Schema.Struct(Notification.fields)

/**
 * Checks a notification before sending (a `Notification` built without its constructor, or cast,
 * may be invalid): fails with a permanent {@link NotifyError} naming the invalid fields.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = (channel: string, notification: Notification): Effect.Effect<Notification, NotifyError> =>
  Schema.validate(NotificationFields, { errors: "all" })(notification).pipe(
    Effect.mapError((error) => {
      const fields = [
        ...new Set(
          ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => issue.path.join(".") || "notification")
        )
      ]
      return new NotifyError({
        channel,
        reason: `通知内容无效（${fields.join("、")}）/ invalid notification: ${fields.join(", ")}`,
        retryable: false
      })
    }),
    Effect.as(notification)
  )

const maskAddress = (address: string): string => {
  const chars = [...address]
  if (chars.length <= 4) return "*".repeat(chars.length)
  return `${chars.slice(0, 2).join("")}${"*".repeat(Math.min(chars.length - 4, 8))}${chars.slice(-2).join("")}`
}
