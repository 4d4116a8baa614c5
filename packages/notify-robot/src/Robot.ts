/**
 * What the group-robot notifiers (群机器人: WeCom 企业微信, DingTalk 钉钉, Feishu 飞书) have in common:
 * their options, the named robots, the configuration error.
 *
 * A recipient is either the robot's full webhook URL, or the NAME of a robot configured in
 * `robots` (recommended: the webhook URL holds the robot's token, and a name keeps it out of the
 * database and the outbox). URL recipients must point at one of `hosts` (default: the platform's
 * own API host), so a wrong or malicious address never receives a message or a token.
 *
 * @since 0.1.0
 */
import type { Duration, Redacted } from "effect"
import { Schema } from "effect"

/**
 * A configured robot: its webhook URL (kept redacted: it holds the token) and, for DingTalk
 * (加签) and Feishu (签名校验), its signing secret.
 *
 * @since 0.1.0
 * @category models
 */
export interface NamedRobot {
  readonly url: Redacted.Redacted<string>
  readonly secret?: Redacted.Redacted<string> | undefined
}

/**
 * How a message is formatted: `"auto"` (default) sends Markdown when the notification has a Markdown
 * body and plain text otherwise; `"text"` always sends text; `"markdown"` always Markdown (the text
 * body stands in when there is no Markdown).
 *
 * @since 0.1.0
 * @category models
 */
export type MessageFormat = "auto" | "text" | "markdown"

/**
 * Options shared by every robot notifier.
 *
 * @since 0.1.0
 * @category models
 */
export interface RobotOptions {
  /** Robots by name; a recipient that is one of these names is sent to that robot. */
  readonly robots?: Readonly<Record<string, NamedRobot>> | undefined
  /** Signing secret for recipients given as a URL (DingTalk and Feishu only). */
  readonly secret?: Redacted.Redacted<string> | undefined
  /** Host names a URL recipient may point at (default: the platform's API host). */
  readonly hosts?: ReadonlyArray<string> | undefined
  /** Bounds one attempt (default 10 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
  readonly format?: MessageFormat | undefined
  /** Platform error codes after which a retry may succeed (default: the rate-limit and busy codes). */
  readonly retryableCodes?: ReadonlyArray<number> | undefined
  /** The channel name (default `"wecom"`, `"dingtalk"` or `"feishu"`). */
  readonly channel?: string | undefined
}

/**
 * A robot notifier could not start because an option is wrong. The message names the option, never
 * a URL or a secret.
 *
 * @since 0.1.0
 * @category errors
 */
export class RobotConfigError extends Schema.TaggedError<RobotConfigError>("@gongzhi/notify-robot/RobotConfigError")(
  "RobotConfigError",
  {
    setting: Schema.String,
    message: Schema.String
  }
) {}
