/**
 * What the SMS notifiers (短信: Alibaba Cloud 阿里云短信, Tencent Cloud 腾讯云短信) have in common:
 * templates, sign names, per-number rate limits and the configuration error.
 *
 * Chinese SMS vendors send only pre-approved templates (模板) under an approved sign name (签名), so
 * a notification is not sent as free text: its `templateId` picks one of `templates` (or
 * `defaultTemplate`), and the template's `params` name the values filled in, in order. A parameter
 * `name` is taken from the notification's `data[name]` (a string, number or boolean), else `subject`
 * and `text` stand for the notification's subject and text body. The recipient is a mainland mobile
 * number in any usual spelling (`+86 138-0013-8000`), validated with core `MobileNumber`.
 *
 * Every number is limited locally (`rateLimits`, default 1 a minute, 5 an hour, 10 a day, the
 * vendors' usual defaults) before the vendor is called; a refusal is a retryable `NotifyError` whose
 * `retryAfterMillis` says when a slot frees up. Errors and logs show masked numbers only
 * (`138****8000`).
 *
 * @since 0.1.0
 */
import type { Duration } from "effect"
import { Schema } from "effect"

/**
 * A vendor template: its id (Alibaba `TemplateCode` such as `SMS_154950909`, Tencent `TemplateId`
 * such as `1110725`), the names of its parameters in order, and optionally its own sign name.
 *
 * @since 0.1.0
 * @category models
 */
export interface SmsTemplate {
  readonly id: string
  /** Parameter names in template order (Alibaba `${name}`, Tencent `{1}`, `{2}`, … in this order). */
  readonly params?: ReadonlyArray<string> | undefined
  /** Overrides the notifier's `signName` for this template. */
  readonly signName?: string | undefined
}

/**
 * At most `limit` messages to one number within `window`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimit {
  readonly limit: number
  readonly window: Duration.DurationInput
}

/**
 * The vendors' usual per-number defaults (阿里云 and 腾讯云 both: 1 a minute, 5 an hour, 10 a day).
 *
 * @since 0.1.0
 * @category models
 */
export const defaultRateLimits: ReadonlyArray<RateLimit> = [
  { limit: 1, window: "1 minute" },
  { limit: 5, window: "1 hour" },
  { limit: 10, window: "1 day" }
]

/**
 * Options shared by both SMS notifiers.
 *
 * @since 0.1.0
 * @category models
 */
export interface SmsOptions {
  /** The approved sign name (短信签名), e.g. `"坪山区总工会"`. */
  readonly signName: string
  /** Templates by the notification's `templateId`. */
  readonly templates?: Readonly<Record<string, SmsTemplate>> | undefined
  /** Used when the notification's `templateId` is not in `templates`; without it such a send is dead. */
  readonly defaultTemplate?: SmsTemplate | undefined
  /** The API base URL (default: the vendor's public endpoint). */
  readonly endpoint?: string | undefined
  /** The region (default `cn-hangzhou` for Alibaba, `ap-guangzhou` for Tencent). */
  readonly region?: string | undefined
  /** Per-number limits checked before calling the vendor (default {@link defaultRateLimits}; `[]`: none). */
  readonly rateLimits?: ReadonlyArray<RateLimit> | undefined
  /** Bounds one attempt (default 10 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
  /** The channel name (default `"sms"`). */
  readonly channel?: string | undefined
}

/**
 * The settings both notifiers may also read from the environment (`GONGZHI_<VENDOR>_SMS_ENDPOINT`,
 * `…_REGION`, `…_TIMEOUT`).
 *
 * @since 0.1.0
 * @category models
 */
export type SmsSettings = Pick<SmsOptions, "endpoint" | "region" | "timeout">

/**
 * An SMS notifier could not start because an option is wrong. The message names the option, never
 * a credential.
 *
 * @since 0.1.0
 * @category errors
 */
export class SmsConfigError extends Schema.TaggedError<SmsConfigError>("@gongzhi/notify-sms/SmsConfigError")(
  "SmsConfigError",
  {
    setting: Schema.String,
    message: Schema.String
  }
) {}
