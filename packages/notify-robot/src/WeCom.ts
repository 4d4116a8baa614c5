/**
 * WeCom group robot (企业微信群机器人). A message is a POST of JSON to the robot's webhook URL
 * (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`):
 * `{"msgtype":"text","text":{"content":…}}` or `{"msgtype":"markdown","markdown":{"content":…}}`.
 * The subject comes first (`subject` + blank line + text; `### subject` above Markdown). Text is
 * cut to 2048 bytes and Markdown to 4096 bytes (UTF-8, never inside a character, ending with "…"),
 * the platform's limits. WeCom answers `{"errcode":0,"errmsg":"ok"}`; `45009` (rate limit, 20
 * messages a minute per robot) and `-1` (busy) are retryable, other codes permanent. WeCom robots
 * have no idempotency key and no signature: the webhook URL's `key` is the credential, so prefer
 * named robots (see `Robot`).
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import * as Notifier from "@gongzhi/core/Notifier"
import type { Config, ConfigError } from "effect"
import { Effect, Layer } from "effect"
import { truncateUtf8 } from "./internal/http.js"
import type { Platform } from "./internal/robot.js"
import { composeMarkdown, composeText, errcodeAnswer, makeRobot, robotConfig } from "./internal/robot.js"
import type { RobotConfigError, RobotOptions } from "./Robot.js"

/**
 * Options of the WeCom notifier (no `secret`: WeCom robots do not sign).
 *
 * @since 0.1.0
 * @category models
 */
export type WeComOptions = Omit<RobotOptions, "secret">

/**
 * WeCom's limits on `content`, in bytes of UTF-8.
 *
 * @since 0.1.0
 * @category models
 */
export const limits = { text: 2048, markdown: 4096 } as const

const platform: Platform = {
  label: "企业微信",
  defaultChannel: "wecom",
  defaultHosts: ["qyapi.weixin.qq.com"],
  defaultRetryableCodes: [-1, 45009],
  signs: false,
  request: ({ url, message }) => ({
    url,
    body:
      message.kind === "text"
        ? {
            msgtype: "text",
            text: { content: truncateUtf8(composeText(message.subject, message.content), limits.text) }
          }
        : {
            msgtype: "markdown",
            markdown: { content: truncateUtf8(composeMarkdown(message.subject, message.content), limits.markdown) }
          }
  }),
  answer: errcodeAnswer
}

/**
 * Builds a WeCom robot notifier (channel `"wecom"`) on the `HttpClient` of the environment.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as WeCom from "@gongzhi/notify-robot/WeCom"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const wecom = yield* WeCom.make({
 *     robots: { 坪山街道: { url: Redacted.make("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…") } }
 *   })
 *   return wecom.channel // "wecom"; send to recipient "坪山街道"
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 */
export const make = (
  options: WeComOptions = {}
): Effect.Effect<Notifier.NotifierShape, RobotConfigError, HttpClient.HttpClient> => makeRobot(platform, options)

/**
 * The WeCom notifier as the `Notifier` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: WeComOptions = {}
): Layer.Layer<Notifier.Notifier, RobotConfigError, HttpClient.HttpClient> =>
  Layer.effect(Notifier.Notifier, make(options))

/**
 * Reads `GONGZHI_WECOM_WEBHOOK` (redacted; the robot named `default`), `GONGZHI_WECOM_TIMEOUT`
 * (e.g. `10 seconds`) and `GONGZHI_WECOM_FORMAT` (`auto`, `text` or `markdown`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<WeComOptions> = robotConfig("WECOM", false)

/**
 * The WeCom notifier configured from {@link config} (or the `Config` given).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config<WeComOptions> = config
): Layer.Layer<Notifier.Notifier, RobotConfigError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(Notifier.Notifier, Effect.flatMap(options, make))
