/**
 * E-mail notifications over SMTP (邮件通知), sent with nodemailer. Subjects and bodies are UTF-8
 * (Chinese subjects are RFC 2047 encoded by nodemailer); every message has a text part and an HTML
 * part (the template's HTML, else the text escaped with its line breaks kept). The idempotency key
 * becomes the `Message-ID` (hashed, so every attempt of a delivery carries the same one) and the
 * `X-Gongzhi-Idempotency-Key` header.
 *
 * Outcomes: accepted by the server → delivered; connection refused, timeouts and 4xx replies (and
 * 503) → retryable; other 5xx replies and authentication failures → permanent.
 *
 * @since 0.1.0
 */
import * as Notifier from "@gongzhi/core/Notifier"
import type { Scope } from "effect"
import { Clock, Config, ConfigError, Duration, Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import * as nodemailer from "nodemailer"
import {
  classifySmtpError,
  headerSafe,
  invalidFields,
  isMailbox,
  messageIdFor,
  senderDomain,
  textToHtml
} from "./internal/mail.js"

/**
 * How to reach the SMTP server. `secure: true` is implicit TLS (port 465); otherwise nodemailer
 * upgrades with STARTTLS when the server offers it, and `requireTLS: true` refuses to send without it
 * (recommended on port 587). `timeout` bounds connecting, the greeting and each reply (default 30
 * seconds). `from` may carry a display name: `"坪山区民情中心 <notify@pingshan.gov.cn>"`.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmailOptions {
  readonly host: string
  readonly port: number
  readonly secure?: boolean | undefined
  readonly requireTLS?: boolean | undefined
  readonly auth?: { readonly user: string; readonly password: Redacted.Redacted<string> } | undefined
  readonly from: string
  readonly replyTo?: string | undefined
  readonly timeout?: Duration.DurationInput | undefined
  /** Domain of the generated Message-IDs (default: the domain of `from`). */
  readonly messageIdDomain?: string | undefined
  /** The channel name (default `"email"`). */
  readonly channel?: string | undefined
}

/**
 * The e-mail notifier could not start because an option is wrong. The message names the option,
 * never the password.
 *
 * @since 0.1.0
 * @category errors
 */
export class EmailConfigError extends Schema.TaggedError<EmailConfigError>("@gongzhi/notify-email/EmailConfigError")(
  "EmailConfigError",
  {
    setting: Schema.String,
    message: Schema.String
  }
) {}

/**
 * The header that carries the notification's idempotency key.
 *
 * @since 0.1.0
 * @category models
 */
export const IDEMPOTENCY_KEY_HEADER = "X-Gongzhi-Idempotency-Key"

const DEFAULT_TIMEOUT = Duration.seconds(30)
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/

interface Resolved {
  readonly channel: Notifier.Channel
  readonly timeoutMillis: number
  readonly domain: string
}

const configError = (setting: string, message: string) => new EmailConfigError({ setting, message })

const resolve = (options: EmailOptions): Either.Either<Resolved, EmailConfigError> => {
  if (typeof options.host !== "string" || !HOST.test(options.host)) {
    return Either.left(configError("host", "邮件服务器地址无效 / invalid SMTP host"))
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    return Either.left(configError("port", "邮件服务器端口无效 / invalid SMTP port"))
  }
  if (options.auth !== undefined) {
    if (typeof options.auth.user !== "string" || options.auth.user === "") {
      return Either.left(configError("auth.user", "邮件服务器用户名不能为空 / SMTP user must not be empty"))
    }
    if (!Redacted.isRedacted(options.auth.password)) {
      return Either.left(configError("auth.password", "密码必须以 Redacted 传入 / password must be a Redacted value"))
    }
  }
  if (typeof options.from !== "string" || /[\r\n]/.test(options.from)) {
    return Either.left(configError("from", "发件人地址无效 / invalid from address"))
  }
  const fromDomain = senderDomain(options.from)
  if (fromDomain === undefined) {
    return Either.left(configError("from", "发件人地址无效 / invalid from address"))
  }
  if (options.replyTo !== undefined && senderDomain(options.replyTo) === undefined) {
    return Either.left(configError("replyTo", "回复地址无效 / invalid reply-to address"))
  }
  const domain = options.messageIdDomain ?? fromDomain
  if (!HOST.test(domain) || !domain.includes(".")) {
    return Either.left(configError("messageIdDomain", "Message-ID 域名无效 / invalid Message-ID domain"))
  }
  const timeout = Duration.decodeUnknown(options.timeout ?? DEFAULT_TIMEOUT)
  if (Option.isNone(timeout) || !Duration.isFinite(timeout.value) || Duration.toMillis(timeout.value) <= 0) {
    return Either.left(configError("timeout", "超时时间必须为正数 / timeout must be a positive duration"))
  }
  const channel = Schema.decodeUnknownEither(Notifier.Channel)(options.channel ?? "email")
  if (Either.isLeft(channel)) {
    return Either.left(configError("channel", "通知渠道名称应为小写字母、数字或连字符 / invalid channel name"))
  }
  return Either.right({ channel: channel.right, timeoutMillis: Duration.toMillis(timeout.value), domain })
}

const priorityOf = (priority: Notifier.Priority): "high" | "normal" | "low" =>
  priority === "high" || priority === "urgent" ? "high" : priority === "low" ? "low" : "normal"

/**
 * Builds an e-mail notifier; the SMTP transport is closed when the scope closes. Fails with an
 * {@link EmailConfigError} when an option is wrong.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import * as Email from "@gongzhi/notify-email/Email"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const email = yield* Email.make({
 *       host: "smtp.pingshan.gov.cn",
 *       port: 587,
 *       requireTLS: true,
 *       auth: { user: "notify@pingshan.gov.cn", password: Redacted.make("app-password") },
 *       from: "坪山区民情中心 <notify@pingshan.gov.cn>"
 *     })
 *     return email.channel // "email"
 *   })
 * )
 */
export const make = (options: EmailOptions): Effect.Effect<Notifier.NotifierShape, EmailConfigError, Scope.Scope> =>
  Effect.gen(function* () {
    const resolved = yield* resolve(options)
    const channel = resolved.channel
    const transport = yield* Effect.acquireRelease(
      Effect.sync(() =>
        nodemailer.createTransport({
          host: options.host,
          port: options.port,
          secure: options.secure ?? false,
          requireTLS: options.requireTLS ?? false,
          ...(options.auth === undefined
            ? {}
            : { auth: { user: options.auth.user, pass: Redacted.value(options.auth.password) } }),
          connectionTimeout: resolved.timeoutMillis,
          greetingTimeout: resolved.timeoutMillis,
          socketTimeout: resolved.timeoutMillis,
          // never read files or URLs named in message content
          disableFileAccess: true,
          disableUrlAccess: true,
          logger: false
        })
      ),
      (transport) => Effect.sync(() => transport.close())
    )

    const failure = (reason: string, retryable: boolean, status?: number) =>
      new Notifier.NotifyError({ channel, reason, retryable, ...(status === undefined ? {} : { status }) })

    const send = (notification: Notifier.Notification): Effect.Effect<Notifier.Receipt, Notifier.NotifyError> =>
      Effect.gen(function* () {
        const invalid = invalidFields(notification)
        if (invalid !== undefined) {
          return yield* failure(
            `通知内容无效（${invalid.join("、")}）/ invalid notification: ${invalid.join(", ")}`,
            false
          )
        }
        if (!isMailbox(notification.recipient)) {
          return yield* failure("收件人不是有效的电子邮件地址 / recipient is not a valid e-mail address", false)
        }
        const now = yield* Clock.currentTimeMillis
        const messageId = messageIdFor(notification.idempotencyKey, resolved.domain)
        const info = yield* Effect.async<{ readonly messageId?: string | undefined }, Notifier.NotifyError>(
          (resume) => {
            transport.sendMail(
              {
                from: options.from,
                to: notification.recipient,
                ...(options.replyTo === undefined ? {} : { replyTo: options.replyTo }),
                subject: notification.subject,
                text: notification.body.text,
                html: notification.body.html ?? textToHtml(notification.body.text),
                messageId,
                date: new Date(now),
                priority: priorityOf(notification.priority),
                headers: {
                  [IDEMPOTENCY_KEY_HEADER]: headerSafe(notification.idempotencyKey),
                  "X-Gongzhi-Tenant": notification.tenantId
                }
              },
              (error, sent) => {
                if (error) {
                  const { reason, retryable } = classifySmtpError(error)
                  const code = (error as { readonly responseCode?: unknown }).responseCode
                  resume(Effect.fail(failure(reason, retryable, typeof code === "number" ? code : undefined)))
                } else {
                  resume(Effect.succeed(sent ?? {}))
                }
              }
            )
          }
        )
        const deliveredAt = yield* Clock.currentTimeMillis
        return new Notifier.Receipt({
          channel,
          providerMessageId: info.messageId ?? messageId,
          deliveredAt: new Date(deliveredAt)
        })
      }).pipe(Effect.withSpan("Email.send", { attributes: { "gongzhi.channel": channel } }))

    return { channel, send }
  })

/**
 * The e-mail notifier as the `Notifier` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: EmailOptions): Layer.Layer<Notifier.Notifier, EmailConfigError> =>
  Layer.scoped(Notifier.Notifier, make(options))

/**
 * Reads the options from the environment: `GONGZHI_SMTP_HOST`, `GONGZHI_SMTP_PORT` (default 587),
 * `GONGZHI_SMTP_SECURE` (default false), `GONGZHI_SMTP_REQUIRE_TLS` (default false),
 * `GONGZHI_SMTP_USER` and `GONGZHI_SMTP_PASSWORD` (redacted; both or neither), `GONGZHI_SMTP_FROM`,
 * `GONGZHI_SMTP_REPLY_TO`, `GONGZHI_SMTP_TIMEOUT` (e.g. `30 seconds`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<EmailOptions> = Config.all({
  host: Config.string("GONGZHI_SMTP_HOST"),
  port: Config.withDefault(Config.port("GONGZHI_SMTP_PORT"), 587),
  secure: Config.withDefault(Config.boolean("GONGZHI_SMTP_SECURE"), false),
  requireTLS: Config.withDefault(Config.boolean("GONGZHI_SMTP_REQUIRE_TLS"), false),
  user: Config.option(Config.string("GONGZHI_SMTP_USER")),
  password: Config.option(Config.redacted("GONGZHI_SMTP_PASSWORD")),
  from: Config.string("GONGZHI_SMTP_FROM"),
  replyTo: Config.option(Config.string("GONGZHI_SMTP_REPLY_TO")),
  timeout: Config.option(Config.duration("GONGZHI_SMTP_TIMEOUT"))
}).pipe(
  Config.mapOrFail((settings): Either.Either<EmailOptions, ConfigError.ConfigError> => {
    if (Option.isSome(settings.user) !== Option.isSome(settings.password)) {
      return Either.left(
        ConfigError.InvalidData(
          [Option.isSome(settings.user) ? "GONGZHI_SMTP_PASSWORD" : "GONGZHI_SMTP_USER"],
          "GONGZHI_SMTP_USER 与 GONGZHI_SMTP_PASSWORD 须同时设置 / set both GONGZHI_SMTP_USER and GONGZHI_SMTP_PASSWORD, or neither"
        )
      )
    }
    return Either.right({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTLS,
      auth:
        Option.isSome(settings.user) && Option.isSome(settings.password)
          ? { user: settings.user.value, password: settings.password.value }
          : undefined,
      from: settings.from,
      replyTo: Option.getOrUndefined(settings.replyTo),
      timeout: Option.getOrUndefined(settings.timeout)
    })
  })
)

/**
 * The e-mail notifier configured from {@link config} (or the `Config` given).
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import * as Email from "@gongzhi/notify-email/Email"
 *
 * // GONGZHI_SMTP_HOST=smtp.pingshan.gov.cn GONGZHI_SMTP_FROM="坪山区民情中心 <notify@pingshan.gov.cn>" …
 * const NotifierLive = Email.layerConfig()
 */
export const layerConfig = (
  options: Config.Config<EmailOptions> = config
): Layer.Layer<Notifier.Notifier, EmailConfigError | ConfigError.ConfigError> =>
  Layer.scoped(Notifier.Notifier, Effect.flatMap(options, make))
