/**
 * DingTalk custom robot (钉钉自定义机器人). A message is a POST of JSON to the robot's webhook URL
 * (`https://oapi.dingtalk.com/robot/send?access_token=…`):
 * `{"msgtype":"text","text":{"content":…}}` or
 * `{"msgtype":"markdown","markdown":{"title":…,"text":…}}` (the title is the subject, shown in the
 * conversation list; the text starts with `### subject`). With a signing secret (加签, the `SEC…`
 * string of the robot's security settings) the URL also carries `timestamp` (milliseconds) and
 * `sign` = urlEncode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret))). DingTalk answers
 * `{"errcode":0,"errmsg":"ok"}`; `130101` and `410100` (sending too fast) and `-1` (busy) are
 * retryable, other codes (bad signature `310000`, keywords, a disabled robot) permanent. Contents
 * are cut to 18000 bytes of UTF-8, ending with "…".
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import * as Notifier from "@gongzhi/core/Notifier"
import type { Config, ConfigError } from "effect"
import { Effect, Layer } from "effect"
import { hmacSha256Base64, truncateUtf8 } from "./internal/http.js"
import type { Platform } from "./internal/robot.js"
import { composeMarkdown, composeText, errcodeAnswer, makeRobot, robotConfig } from "./internal/robot.js"
import type { RobotConfigError, RobotOptions } from "./Robot.js"

/**
 * Options of the DingTalk notifier; `secret` signs URL recipients, named robots carry their own.
 *
 * @since 0.1.0
 * @category models
 */
export type DingTalkOptions = RobotOptions

/**
 * The most bytes of UTF-8 sent as a message's content.
 *
 * @since 0.1.0
 * @category models
 */
export const maxContentBytes = 18_000

/**
 * The `sign` query parameter for a timestamp (milliseconds, as sent) before URL encoding:
 * base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)).
 *
 * @since 0.1.0
 * @category combinators
 */
export const sign = (secret: string, timestamp: string): string => hmacSha256Base64(secret, `${timestamp}\n${secret}`)

const titleOf = (subject: string, content: string): string =>
  subject !== "" ? subject : truncateUtf8(content.split("\n", 1)[0] || "通知", 64)

const platform: Platform = {
  label: "钉钉",
  defaultChannel: "dingtalk",
  defaultHosts: ["oapi.dingtalk.com"],
  defaultRetryableCodes: [-1, 130101, 410100],
  signs: true,
  request: ({ message, nowMillis, secret, url }) => {
    if (secret !== undefined) {
      const timestamp = String(nowMillis)
      url.searchParams.set("timestamp", timestamp)
      url.searchParams.set("sign", sign(secret, timestamp))
    }
    const body =
      message.kind === "text"
        ? {
            msgtype: "text",
            text: { content: truncateUtf8(composeText(message.subject, message.content), maxContentBytes) }
          }
        : {
            msgtype: "markdown",
            markdown: {
              title: titleOf(message.subject, message.content),
              text: truncateUtf8(composeMarkdown(message.subject, message.content), maxContentBytes)
            }
          }
    return { url, body }
  },
  answer: errcodeAnswer
}

/**
 * Builds a DingTalk robot notifier (channel `"dingtalk"`) on the `HttpClient` of the environment.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as DingTalk from "@gongzhi/notify-robot/DingTalk"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const dingtalk = yield* DingTalk.make({
 *     robots: {
 *       马峦街道: {
 *         url: Redacted.make("https://oapi.dingtalk.com/robot/send?access_token=…"),
 *         secret: Redacted.make("SEC…")
 *       }
 *     }
 *   })
 *   return dingtalk.channel // "dingtalk"; send to recipient "马峦街道"
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 */
export const make = (
  options: DingTalkOptions = {}
): Effect.Effect<Notifier.NotifierShape, RobotConfigError, HttpClient.HttpClient> => makeRobot(platform, options)

/**
 * The DingTalk notifier as the `Notifier` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: DingTalkOptions = {}
): Layer.Layer<Notifier.Notifier, RobotConfigError, HttpClient.HttpClient> =>
  Layer.effect(Notifier.Notifier, make(options))

/**
 * Reads `GONGZHI_DINGTALK_WEBHOOK` (redacted; the robot named `default`), `GONGZHI_DINGTALK_SECRET`
 * (redacted), `GONGZHI_DINGTALK_TIMEOUT` (e.g. `10 seconds`), `GONGZHI_DINGTALK_FORMAT`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<DingTalkOptions> = robotConfig("DINGTALK", true)

/**
 * The DingTalk notifier configured from {@link config} (or the `Config` given).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config<DingTalkOptions> = config
): Layer.Layer<Notifier.Notifier, RobotConfigError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(Notifier.Notifier, Effect.flatMap(options, make))
