/**
 * Local stand-ins for the Alibaba Cloud and Tencent Cloud SMS APIs, for tests and demos: real HTTP
 * servers on 127.0.0.1 (port 0, closed with their scope) that recompute every signature from what
 * arrived on the wire and answer in the vendors' own shapes — success, throttling
 * (`isv.BUSINESS_LIMIT_CONTROL`, `LimitExceeded.PhoneNumberThirtySecondLimit`), bad signatures
 * (`SignatureDoesNotMatch`, `AuthFailure.SignatureFailure`), expired timestamps, reused nonces, unknown
 * templates, sign names and numbers. Point a notifier's `endpoint` at `server.endpoint`.
 *
 * @since 0.1.0
 */
import type { Effect, Scope } from "effect"
import * as internal from "./internal/fakeServer.js"

/**
 * One message a stand-in accepted: the number as the vendor saw it, the sign name, the template id
 * and parameters, the reference (`OutId` / `SessionContext`: the idempotency key) and, when the
 * template's content is known, the text a phone would show (`【sign】…`).
 *
 * @since 0.1.0
 * @category models
 */
export type FakeMessage = internal.FakeMessage

/**
 * A per-number limit a stand-in enforces like the vendor.
 *
 * @since 0.1.0
 * @category models
 */
export type FakeLimit = internal.FakeLimit

/**
 * A running stand-in: its `endpoint`, what it `accepted()`, the code of every `answers()`,
 * `failNext(code, count?, message?)` to inject a vendor error, and `reset()`.
 *
 * @since 0.1.0
 * @category models
 */
export type FakeSmsServer = internal.FakeSmsServer

/**
 * Options of the Alibaba Cloud stand-in: the AccessKey pair it accepts, and optionally approved
 * `templates` (id → content with `${name}`), `signNames`, per-number `limits` and a clock.
 *
 * @since 0.1.0
 * @category models
 */
export type FakeAliyunOptions = internal.FakeAliyunOptions

/**
 * Options of the Tencent Cloud stand-in: the key pair and `SdkAppId` it accepts, and optionally
 * approved `templates` (id → content with `{1}`, `{2}`, …), `signNames`, per-number `limits` and a
 * clock.
 *
 * @since 0.1.0
 * @category models
 */
export type FakeTencentOptions = internal.FakeTencentOptions

/**
 * Starts an Alibaba Cloud SMS stand-in (Dysmsapi `SendSms`, signature v1).
 *
 * @since 0.1.0
 * @category testing
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as Aliyun from "@gongzhi/notify-sms/Aliyun"
 * import { makeFakeAliyun } from "@gongzhi/notify-sms/testing"
 * import { Effect, Redacted } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const server = yield* makeFakeAliyun({ accessKeyId: "id", accessKeySecret: "secret" })
 *   const sms = yield* Aliyun.make({
 *     accessKeyId: Redacted.make("id"),
 *     accessKeySecret: Redacted.make("secret"),
 *     endpoint: server.endpoint,
 *     signName: "坪山区总工会",
 *     defaultTemplate: { id: "SMS_1", params: ["text"] }
 *   })
 *   return { server, sms }
 * }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))
 */
export const makeFakeAliyun: (options: FakeAliyunOptions) => Effect.Effect<FakeSmsServer, never, Scope.Scope> =
  internal.makeFakeAliyun

/**
 * Starts a Tencent Cloud SMS stand-in (`SendSms` 2021-01-11, TC3-HMAC-SHA256).
 *
 * @since 0.1.0
 * @category testing
 */
export const makeFakeTencent: (options: FakeTencentOptions) => Effect.Effect<FakeSmsServer, never, Scope.Scope> =
  internal.makeFakeTencent
