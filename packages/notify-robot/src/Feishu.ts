/**
 * Feishu custom robot (飞书自定义机器人). A message is a POST of JSON to the robot's webhook URL
 * (`https://open.feishu.cn/open-apis/bot/v2/hook/…`): `{"msg_type":"text","content":{"text":…}}`
 * (the subject, a blank line, the text), or for Markdown an interactive card
 * `{"msg_type":"interactive","card":{"header":{"title":{"tag":"plain_text","content":subject}},
 * "elements":[{"tag":"div","text":{"tag":"lark_md","content":markdown}}]}}`. With a signing secret
 * (签名校验) the body also carries `timestamp` (seconds, as a string) and
 * `sign` = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)). Feishu answers
 * `{"code":0,"msg":"success"}`; `11232` (frequency limited) is retryable, other codes (bad
 * signature `19021`, IP `19022`, keywords `19024`, bad request `9499`) permanent. Contents are cut to
 * 18000 bytes of UTF-8 (the request may not exceed 20 KB), ending with "…".
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import * as Notifier from "@gongzhi/core/Notifier"
import type { Config, ConfigError } from "effect"
import { Effect, Layer } from "effect"
import { hmacSha256Base64, truncateUtf8 } from "./internal/http.js"
import type { Platform } from "./internal/robot.js"
import { composeText, makeRobot, robotConfig } from "./internal/robot.js"
import type { RobotConfigError, RobotOptions } from "./Robot.js"

/**
 * Options of the Feishu notifier; `secret` signs URL recipients, named robots carry their own.
 *
 * @since 0.1.0
 * @category models
 */
export type FeishuOptions = RobotOptions

/**
 * The most bytes of UTF-8 sent as a message's content.
 *
 * @since 0.1.0
 * @category models
 */
export const maxContentBytes = 18_000

/**
 * The `sign` field for a timestamp (seconds, as sent): base64(HMAC-SHA256(key = timestamp + "\n" +
 * secret, message = "")).
 *
 * @since 0.1.0
 * @category combinators
 */
export const sign = (secret: string, timestamp: string): string => hmacSha256Base64(`${timestamp}\n${secret}`, "")

const answer = (json: unknown): { readonly code: number; readonly message: string } | undefined => {
  if (typeof json !== "object" || json === null) return undefined
  const fields = json as { readonly code?: unknown; readonly msg?: unknown; readonly StatusCode?: unknown }
  const code = typeof fields.code === "number" ? fields.code : fields.StatusCode
  if (typeof code !== "number") return undefined
  return { code, message: typeof fields.msg === "string" ? fields.msg : "" }
}

const platform: Platform = {
  label: "飞书",
  defaultChannel: "feishu",
  defaultHosts: ["open.feishu.cn", "open.larksuite.com"],
  defaultRetryableCodes: [11232],
  signs: true,
  request: ({ message, nowMillis, secret, url }) => {
    const signature =
      secret === undefined
        ? {}
        : (() => {
            const timestamp = String(Math.floor(nowMillis / 1000))
            return { timestamp, sign: sign(secret, timestamp) }
          })()
    const content = truncateUtf8(message.content, maxContentBytes)
    const body =
      message.kind === "text"
        ? {
            ...signature,
            msg_type: "text",
            content: { text: truncateUtf8(composeText(message.subject, message.content), maxContentBytes) }
          }
        : {
            ...signature,
            msg_type: "interactive",
            card: {
              ...(message.subject === ""
                ? {}
                : { header: { title: { tag: "plain_text", content: truncateUtf8(message.subject, 1_000) } } }),
              elements: [{ tag: "div", text: { tag: "lark_md", content } }]
            }
          }
    return { url, body }
  },
  answer
}

/**
 * Builds a Feishu robot notifier (channel `"feishu"`) on the `HttpClient` of the environment.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as Feishu from "@gongzhi/notify-robot/Feishu"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const feishu = yield* Feishu.make({
 *     robots: {
 *       碧岭街道: {
 *         url: Redacted.make("https://open.feishu.cn/open-apis/bot/v2/hook/…"),
 *         secret: Redacted.make("…")
 *       }
 *     }
 *   })
 *   return feishu.channel // "feishu"; send to recipient "碧岭街道"
 * }).pipe(Effect.provide(NodeHttpClient.layerUndici))
 */
export const make = (
  options: FeishuOptions = {}
): Effect.Effect<Notifier.NotifierShape, RobotConfigError, HttpClient.HttpClient> => makeRobot(platform, options)

/**
 * The Feishu notifier as the `Notifier` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: FeishuOptions = {}
): Layer.Layer<Notifier.Notifier, RobotConfigError, HttpClient.HttpClient> =>
  Layer.effect(Notifier.Notifier, make(options))

/**
 * Reads `GONGZHI_FEISHU_WEBHOOK` (redacted; the robot named `default`), `GONGZHI_FEISHU_SECRET`
 * (redacted), `GONGZHI_FEISHU_TIMEOUT` (e.g. `10 seconds`), `GONGZHI_FEISHU_FORMAT`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: Config.Config<FeishuOptions> = robotConfig("FEISHU", true)

/**
 * The Feishu notifier configured from {@link config} (or the `Config` given).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config<FeishuOptions> = config
): Layer.Layer<Notifier.Notifier, RobotConfigError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(Notifier.Notifier, Effect.flatMap(options, make))
