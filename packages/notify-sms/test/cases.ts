// Shared by the SMS tests: credentials, the two vendors as test cases, small helpers.
import { randomBytes } from "node:crypto"
import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert } from "@effect/vitest"
import * as Notifier from "@gongzhi/core/Notifier"
import { TenantId } from "@gongzhi/core/Tenant"
import type { Scope } from "effect"
import { Cause, type Effect, Exit, Option, Redacted } from "effect"
import * as Aliyun from "../src/Aliyun.js"
import type { FakeOptions } from "../src/internal/fakeServer.js"
import type { SmsConfigError, SmsOptions } from "../src/Sms.js"
import * as Tencent from "../src/Tencent.js"
import type { FakeSmsServer } from "../src/testing.js"
import { makeFakeAliyun, makeFakeTencent } from "../src/testing.js"

export const client = NodeHttpClient.layerUndici

export const ALIYUN_KEY_ID = `LTAI${randomBytes(8).toString("hex")}`
export const ALIYUN_SECRET = `aliyun-${randomBytes(12).toString("hex")}`
export const TENCENT_ID = `AKID${randomBytes(10).toString("hex")}`
export const TENCENT_KEY = `tencent-${randomBytes(12).toString("hex")}`
export const SDK_APP_ID = "1400123456"

export const PHONE = "13800138000"
export const SIGN = "坪山区总工会"
export const OTHER_SIGN = "坪山区人力资源局"

/** Templates both stand-ins know: the generic one (subject + text) and an enrolment notice. */
export const GENERIC = { aliyun: "SMS_000001", tencent: "100001" } as const
export const ENROLLED = { aliyun: "SMS_154950909", tencent: "1110725" } as const

export interface VendorCase {
  readonly name: "aliyun" | "tencent"
  /** The recipient the conformance probe uses (as the vendor will see it). */
  readonly recipient: string
  readonly secrets: ReadonlyArray<string>
  readonly server: (options?: FakeOptions) => Effect.Effect<FakeSmsServer, never, Scope.Scope>
  readonly make: (
    endpoint: string,
    options?: Partial<SmsOptions> & { readonly secret?: string }
  ) => Effect.Effect<Notifier.NotifierShape, SmsConfigError, HttpClient.HttpClient>
  /** A throttling code of the vendor and the code of a bad template. */
  readonly throttled: string
  readonly badTemplate: string
}

const templatesOf = (name: "aliyun" | "tencent"): SmsOptions["templates"] => ({
  "courses.enrolled": { id: ENROLLED[name], params: ["course", "date"] }
})

export const serverTemplates = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba's template placeholders, not JavaScript
  aliyun: { [GENERIC.aliyun]: "${subject}：${text}", [ENROLLED.aliyun]: "您已报名「${course}」，${date}开课。" },
  tencent: { [GENERIC.tencent]: "{1}：{2}", [ENROLLED.tencent]: "您已报名「{1}」，{2}开课。" }
}

export const cases: ReadonlyArray<VendorCase> = [
  {
    name: "aliyun",
    recipient: PHONE,
    secrets: [ALIYUN_SECRET, ALIYUN_KEY_ID],
    server: (options = {}) =>
      makeFakeAliyun({
        accessKeyId: ALIYUN_KEY_ID,
        accessKeySecret: ALIYUN_SECRET,
        templates: serverTemplates.aliyun,
        signNames: [SIGN, OTHER_SIGN],
        ...options
      }),
    make: (endpoint, options = {}) =>
      Aliyun.make({
        accessKeyId: Redacted.make(ALIYUN_KEY_ID),
        accessKeySecret: Redacted.make(options.secret ?? ALIYUN_SECRET),
        endpoint,
        signName: SIGN,
        templates: templatesOf("aliyun"),
        defaultTemplate: { id: GENERIC.aliyun, params: ["subject", "text"] },
        rateLimits: [],
        ...options
      }),
    throttled: "isv.BUSINESS_LIMIT_CONTROL",
    badTemplate: "isv.SMS_TEMPLATE_ILLEGAL"
  },
  {
    name: "tencent",
    recipient: `+86${PHONE}`,
    secrets: [TENCENT_KEY, TENCENT_ID],
    server: (options = {}) =>
      makeFakeTencent({
        secretId: TENCENT_ID,
        secretKey: TENCENT_KEY,
        sdkAppId: SDK_APP_ID,
        templates: serverTemplates.tencent,
        signNames: [SIGN, OTHER_SIGN],
        ...options
      }),
    make: (endpoint, options = {}) =>
      Tencent.make({
        secretId: Redacted.make(TENCENT_ID),
        secretKey: Redacted.make(options.secret ?? TENCENT_KEY),
        sdkAppId: SDK_APP_ID,
        endpoint,
        signName: SIGN,
        templates: templatesOf("tencent"),
        defaultTemplate: { id: GENERIC.tencent, params: ["subject", "text"] },
        rateLimits: [],
        ...options
      }),
    throttled: "LimitExceeded.PhoneNumberThirtySecondLimit",
    badTemplate: "FailedOperation.TemplateIncorrectOrUnapproved"
  }
]

/** The generic template's parameters back as subject and text. */
export const decode = (name: "aliyun" | "tencent", params: Readonly<Record<string, string>>) =>
  name === "aliyun" ? { subject: params.subject, text: params.text } : { subject: params["1"], text: params["2"] }

export const notification = (fields: Partial<ConstructorParameters<typeof Notifier.Notification>[0]> = {}) =>
  new Notifier.Notification({
    tenantId: TenantId.make("440310"),
    channel: Notifier.Channel.make("sms"),
    recipient: PHONE,
    subject: "坪工学堂",
    body: { text: "报名成功" },
    templateId: "courses.enrolled",
    data: { course: "电工入门", date: "12月9日" },
    idempotencyKey: `key-${randomBytes(6).toString("hex")}`,
    ...fields
  })

export const failureOf = <A>(exit: Exit.Exit<A, Notifier.NotifyError>): Notifier.NotifyError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  assert.isFalse(Cause.isDie(exit.cause), "a defect instead of a NotifyError")
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

/** Everything an error shows, for checks that no secret or number leaks. */
export const rendered = (error: Notifier.NotifyError) =>
  [error.message, error.reason, String(error), JSON.stringify(error)].join("\n")
