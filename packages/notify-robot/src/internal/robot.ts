import { HttpClient, HttpClientRequest } from "@effect/platform"
import * as Notifier from "@gongzhi/core/Notifier"
import {
  classifyStatus,
  execute,
  invalidFields,
  invalidNotificationError,
  notifyError,
  parseHttpUrl,
  parseRetryAfter,
  safeOrigin
} from "@gongzhi/core/NotifierHttp"
import { Clock, Config, Duration, Effect, Either, Option, Redacted, Schema } from "effect"
import type { MessageFormat, NamedRobot, RobotOptions } from "../Robot.js"
import { RobotConfigError } from "../Robot.js"

/** The message to send, already chosen between text and Markdown. */
export interface Message {
  readonly kind: "text" | "markdown"
  readonly subject: string
  /** The text body (kind "text"), or the Markdown body (kind "markdown"). */
  readonly content: string
}

/** How one platform shapes its requests and answers. */
export interface Platform {
  /** The platform's name in messages, e.g. "企业微信". */
  readonly label: string
  readonly defaultChannel: string
  readonly defaultHosts: ReadonlyArray<string>
  readonly defaultRetryableCodes: ReadonlyArray<number>
  /** Whether the platform signs requests with a secret (DingTalk, Feishu). */
  readonly signs: boolean
  /** The URL to POST to and the JSON body. `secret` is present when the robot has one. */
  readonly request: (input: {
    readonly url: URL
    readonly secret: string | undefined
    readonly nowMillis: number
    readonly message: Message
  }) => { readonly url: URL; readonly body: unknown }
  /** The platform's answer code and message, or undefined when the answer is not the platform's shape. */
  readonly answer: (json: unknown) => { readonly code: number; readonly message: string } | undefined
}

const DEFAULT_TIMEOUT = Duration.seconds(10)
const USER_AGENT = "gongzhi-notify-robot/0.1"

/** Text with the subject on top: "subject\n\ntext" (only the text when the subject is empty). */
export const composeText = (subject: string, text: string): string => (subject === "" ? text : `${subject}\n\n${text}`)

/** Markdown with the subject as a heading: "### subject\n\nmarkdown". */
export const composeMarkdown = (subject: string, markdown: string): string =>
  subject === "" ? markdown : `### ${subject}\n\n${markdown}`

/** `errcode`/`errmsg` answers (WeCom, DingTalk). */
export const errcodeAnswer = (json: unknown): { readonly code: number; readonly message: string } | undefined => {
  if (typeof json !== "object" || json === null) return undefined
  const { errcode, errmsg } = json as { readonly errcode?: unknown; readonly errmsg?: unknown }
  if (typeof errcode !== "number") return undefined
  return { code: errcode, message: typeof errmsg === "string" ? errmsg : "" }
}

interface Resolved {
  readonly channel: Notifier.Channel
  readonly timeout: Duration.Duration
  readonly hosts: ReadonlySet<string>
  readonly format: MessageFormat
  readonly retryableCodes: ReadonlySet<number>
  readonly robots: ReadonlyMap<string, { readonly url: URL; readonly secret: string | undefined }>
  readonly secret: string | undefined
}

const configError = (setting: string, message: string) => new RobotConfigError({ setting, message })

const resolve = (platform: Platform, options: RobotOptions): Either.Either<Resolved, RobotConfigError> => {
  const channel = Schema.decodeUnknownEither(Notifier.Channel)(options.channel ?? platform.defaultChannel)
  if (Either.isLeft(channel)) {
    return Either.left(configError("channel", "通知渠道名称应为小写字母、数字或连字符 / invalid channel name"))
  }
  const timeout = Duration.decodeUnknown(options.timeout ?? DEFAULT_TIMEOUT)
  if (Option.isNone(timeout) || !Duration.isFinite(timeout.value) || Duration.toMillis(timeout.value) <= 0) {
    return Either.left(configError("timeout", "超时时间必须为正数 / timeout must be a positive duration"))
  }
  const hosts = options.hosts ?? platform.defaultHosts
  if (hosts.length === 0 || hosts.some((host) => typeof host !== "string" || !/^[A-Za-z0-9.:[\]-]+$/.test(host))) {
    return Either.left(configError("hosts", "允许的主机名无效 / invalid host names"))
  }
  const hostSet = new Set(hosts.map((host) => host.toLowerCase()))
  const format = options.format ?? "auto"
  if (format !== "auto" && format !== "text" && format !== "markdown") {
    return Either.left(configError("format", "消息格式应为 auto、text 或 markdown / invalid format"))
  }
  const retryableCodes = options.retryableCodes ?? platform.defaultRetryableCodes
  if (retryableCodes.some((code) => !Number.isInteger(code))) {
    return Either.left(configError("retryableCodes", "可重试错误码必须为整数 / retryable codes must be integers"))
  }
  const secretOf = (secret: Redacted.Redacted<string> | undefined, setting: string) => {
    if (secret === undefined) return Either.right(undefined)
    if (!platform.signs) {
      return Either.left(configError(setting, `${platform.label}机器人不使用签名密钥 / this robot does not sign`))
    }
    if (!Redacted.isRedacted(secret) || typeof Redacted.value(secret) !== "string" || Redacted.value(secret) === "") {
      return Either.left(
        configError(setting, "签名密钥必须为非空的 Redacted 字符串 / secret must be a non-empty Redacted")
      )
    }
    return Either.right(Redacted.value(secret))
  }
  const secret = secretOf(options.secret, "secret")
  if (Either.isLeft(secret)) return Either.left(secret.left)
  const robots = new Map<string, { readonly url: URL; readonly secret: string | undefined }>()
  for (const [name, robot] of Object.entries(options.robots ?? {}) as Array<[string, NamedRobot]>) {
    const setting = `robots.${name}`
    if (name === "" || !Redacted.isRedacted(robot.url)) {
      return Either.left(configError(setting, "机器人地址必须以 Redacted 传入 / robot URL must be a Redacted value"))
    }
    const url = parseHttpUrl(Redacted.value(robot.url))
    if (url === undefined || !hostSet.has(url.hostname.toLowerCase())) {
      return Either.left(
        configError(
          setting,
          "机器人地址不是允许主机上的 http(s) URL / robot URL is not an http(s) URL on an allowed host"
        )
      )
    }
    const robotSecret = secretOf(robot.secret, `${setting}.secret`)
    if (Either.isLeft(robotSecret)) return Either.left(robotSecret.left)
    robots.set(name, { url, secret: robotSecret.right })
  }
  return Either.right({
    channel: channel.right,
    timeout: timeout.value,
    hosts: hostSet,
    format,
    retryableCodes: new Set(retryableCodes),
    robots,
    secret: secret.right
  })
}

/** Values that must not appear in messages: the query values and long path segments of a URL (tokens). */
const sensitiveParts = (url: URL, secret: string | undefined): ReadonlyArray<string> => {
  const parts = [...url.searchParams.values(), ...url.pathname.split("/").filter((segment) => segment.length >= 8)]
  if (url.username !== "") parts.push(url.username)
  if (url.password !== "") parts.push(url.password)
  if (secret !== undefined) parts.push(secret)
  return parts.filter((part) => part.length >= 4).sort((a, b) => b.length - a.length)
}

const scrub = (text: string, sensitive: ReadonlyArray<string>): string => {
  let result = text
  for (const part of sensitive) result = result.split(part).join("***")
  return result
    .replace(/\d{7,}/g, (digits) => `${digits.slice(0, 3)}****${digits.slice(-4)}`)
    .replace(/[\r\n]+/g, " ")
    .slice(0, 200)
}

/** Builds a robot notifier for `platform` on the `HttpClient` of the environment. */
export const makeRobot = (
  platform: Platform,
  options: RobotOptions
): Effect.Effect<Notifier.NotifierShape, RobotConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const resolved = yield* resolve(platform, options)
    const channel = resolved.channel
    // The client's own span would record the full URL, which holds the robot's token and signature.
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.withTracerDisabledWhen(() => true),
      HttpClient.withScope
    )

    const failure = (
      reason: string,
      retryable: boolean,
      extra: { readonly status?: number; readonly retryAfterMillis?: number | undefined } = {}
    ) => notifyError(channel, reason, retryable, extra)

    const target = (recipient: string) => {
      const named = resolved.robots.get(recipient)
      if (named !== undefined) return named
      const url = parseHttpUrl(recipient)
      if (url === undefined || !resolved.hosts.has(url.hostname.toLowerCase())) return undefined
      return { url, secret: resolved.secret }
    }

    const messageOf = (notification: Notifier.Notification): Message => {
      const markdown = notification.body.markdown
      const useMarkdown = resolved.format === "markdown" || (resolved.format === "auto" && markdown !== undefined)
      return useMarkdown
        ? { kind: "markdown", subject: notification.subject, content: markdown ?? notification.body.text }
        : { kind: "text", subject: notification.subject, content: notification.body.text }
    }

    const send = (notification: Notifier.Notification): Effect.Effect<Notifier.Receipt, Notifier.NotifyError> =>
      Effect.gen(function* () {
        const invalid = invalidFields(notification)
        if (invalid !== undefined) {
          return yield* invalidNotificationError(channel, invalid)
        }
        const robot = target(notification.recipient)
        if (robot === undefined) {
          return yield* failure(
            `接收方既不是已配置的机器人名称，也不是允许主机上的 webhook 地址 / unknown robot or webhook URL`,
            false
          )
        }
        const origin = safeOrigin(robot.url)
        const sensitive = sensitiveParts(robot.url, robot.secret)
        const nowMillis = yield* Clock.currentTimeMillis
        const { url, body } = platform.request({
          url: new URL(robot.url.href),
          secret: robot.secret,
          nowMillis,
          message: messageOf(notification)
        })
        const request = HttpClientRequest.post(url).pipe(
          HttpClientRequest.setHeader("user-agent", USER_AGENT),
          HttpClientRequest.bodyText(JSON.stringify(body), "application/json; charset=utf-8")
        )
        const response = yield* execute(client, request, { channel, origin, timeout: resolved.timeout })
        const status = response.status
        const outcome = classifyStatus(status)
        if (outcome !== "delivered") {
          const retryAfterMillis =
            outcome === "retryable"
              ? parseRetryAfter(response.headers["retry-after"], yield* Clock.currentTimeMillis)
              : undefined
          return yield* failure(
            `${platform.label}返回 HTTP ${status}（${origin}）/ HTTP ${status}`,
            outcome === "retryable",
            { status, retryAfterMillis }
          )
        }
        const json = yield* response.json.pipe(
          Effect.mapError(() =>
            failure(`${platform.label}的应答不是 JSON（${origin}）/ answer is not JSON`, true, { status })
          ),
          Effect.timeoutFail({
            duration: resolved.timeout,
            onTimeout: () => failure(`读取应答超时（${origin}）/ reading the answer timed out`, true)
          })
        )
        const answer = platform.answer(json)
        if (answer === undefined) {
          return yield* failure(`${platform.label}的应答无法识别（${origin}）/ unexpected answer`, true, { status })
        }
        if (answer.code !== 0) {
          const retryable = resolved.retryableCodes.has(answer.code)
          return yield* failure(
            `${platform.label}返回错误 ${answer.code}：${scrub(answer.message, sensitive)} / error ${answer.code}`,
            retryable,
            { status }
          )
        }
        return new Notifier.Receipt({ channel, deliveredAt: new Date(yield* Clock.currentTimeMillis) })
      }).pipe(
        Effect.scoped,
        Effect.withSpan(`${platform.defaultChannel}.send`, { attributes: { "gongzhi.channel": channel } })
      )

    return { channel, send }
  })

/**
 * Options from the environment for the platform whose variables start with `GONGZHI_${prefix}_`:
 * `WEBHOOK` (redacted; registers the robot named `default`), `SECRET` (redacted; signing platforms
 * only), `TIMEOUT` (e.g. `10 seconds`), `FORMAT` (`auto`, `text` or `markdown`).
 */
export const robotConfig = (prefix: string, signs: boolean): Config.Config<RobotOptions> =>
  Config.all({
    webhook: Config.option(Config.redacted(`GONGZHI_${prefix}_WEBHOOK`)),
    secret: signs ? Config.option(Config.redacted(`GONGZHI_${prefix}_SECRET`)) : Config.succeed(Option.none()),
    timeout: Config.option(Config.duration(`GONGZHI_${prefix}_TIMEOUT`)),
    format: Config.option(Config.literal("auto", "text", "markdown")(`GONGZHI_${prefix}_FORMAT`))
  }).pipe(
    Config.map(({ format, secret, timeout, webhook }): RobotOptions => {
      const robotSecret = Option.getOrUndefined(secret)
      return {
        robots: Option.isSome(webhook) ? { default: { url: webhook.value, secret: robotSecret } } : undefined,
        secret: robotSecret,
        timeout: Option.getOrUndefined(timeout),
        format: Option.getOrUndefined(format)
      }
    })
  )
