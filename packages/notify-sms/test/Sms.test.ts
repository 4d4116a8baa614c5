import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Logger, LogLevel, TestClock } from "effect"
import * as Aliyun from "../src/Aliyun.js"
import { serve } from "../src/internal/fakeServer.js"
import { untilChinaMidnight } from "../src/internal/sms.js"
import { tc3 } from "../src/internal/tencent.js"
import * as Tencent from "../src/Tencent.js"
import {
  ALIYUN_KEY_ID,
  ALIYUN_SECRET,
  cases,
  client,
  ENROLLED,
  failureOf,
  notification,
  OTHER_SIGN,
  PHONE,
  rendered,
  SIGN,
  TENCENT_ID,
  TENCENT_KEY
} from "./cases.js"

const MASKED = "138****8000"

/** No error or log line shows the number in full, a credential, or the number without +86. */
const assertClean = (text: string, secrets: ReadonlyArray<string>) => {
  assert.notInclude(text, PHONE)
  for (const secret of secrets) assert.notInclude(text, secret)
}

// ---------------------------------------------------------------------------------------------
// The wire formats: what each vendor receives, checked by the stand-ins' own signature checks

describe("wire formats", () => {
  it.scopedLive(
    "Alibaba: form-encoded SendSms, TemplateParam JSON by name, OutId = idempotency key, 11-digit number",
    () =>
      Effect.gen(function* () {
        const aliyun = cases[0]
        const server = yield* aliyun.server()
        const sms = yield* aliyun.make(server.endpoint)
        const sent = notification({ recipient: "+86 138-0013-8000" })
        const receipt = yield* sms.send(sent)
        const [message] = server.accepted()
        assert.deepStrictEqual(
          { ...message, receivedAt: 0 },
          {
            phoneNumber: PHONE,
            signName: SIGN,
            templateId: ENROLLED.aliyun,
            params: { course: "电工入门", date: "12月9日" },
            reference: sent.idempotencyKey,
            text: "【坪山区总工会】您已报名「电工入门」，12月9日开课。",
            receivedAt: 0
          }
        )
        assert.strictEqual(receipt.channel, "sms")
        assert.match(receipt.providerMessageId ?? "", /\^1$/)
      }).pipe(Effect.provide(client))
  )

  it.scopedLive("Tencent: JSON SendSms, TemplateParamSet in template order, SessionContext = key, +86 number", () =>
    Effect.gen(function* () {
      const tencent = cases[1]
      const server = yield* tencent.server()
      const sms = yield* tencent.make(server.endpoint)
      const sent = notification({ recipient: "138 0013 8000" })
      const receipt = yield* sms.send(sent)
      const [message] = server.accepted()
      assert.strictEqual(message.phoneNumber, `+86${PHONE}`)
      assert.strictEqual(message.templateId, ENROLLED.tencent)
      assert.deepStrictEqual(message.params, { 1: "电工入门", 2: "12月9日" })
      assert.strictEqual(message.reference, sent.idempotencyKey)
      assert.strictEqual(message.text, "【坪山区总工会】您已报名「电工入门」，12月9日开课。")
      assert.match(receipt.providerMessageId ?? "", /^2433:/)
    }).pipe(Effect.provide(client))
  )

  it("Alibaba's signature matches the worked example of its documentation", () => {
    // Alibaba Cloud SMS 签名机制: the documented GET request for AccessKeyId testId / secret testSecret
    const params = {
      AccessKeyId: "testId",
      Action: "SendSms",
      Format: "XML",
      OutId: "123",
      PhoneNumbers: "15300000001",
      RegionId: "cn-hangzhou",
      SignName: "阿里云短信测试专用",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "45e25e9b-0a6f-4070-8c85-2956eda1b466",
      SignatureVersion: "1.0",
      TemplateCode: "SMS_71390007",
      TemplateParam: '{"customer":"test"}',
      Timestamp: "2017-07-12T02:42:19Z",
      Version: "2017-05-25"
    }
    assert.strictEqual(Aliyun.sign("testSecret", "GET", params), "zJDF+Lrzhj/ThnlvIToysFRq6t4=")
  })

  it("Tencent's canonical request and string to sign match the worked example of its documentation", () => {
    // 签名方法 v3: the documented CVM DescribeInstances request (its secret key is not published in full)
    const signed = tc3({
      secretKey: "unpublished",
      service: "cvm",
      timestamp: 1_551_113_065,
      method: "POST",
      path: "/",
      query: "",
      headers: [
        ["Content-Type", "application/json; charset=utf-8"],
        ["Host", "cvm.tencentcloudapi.com"]
      ],
      payload: String.raw`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`
    })
    assert.strictEqual(
      signed.canonicalRequest,
      "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n" +
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    )
    assert.strictEqual(
      signed.stringToSign,
      "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n" +
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )
  })

  it("Tencent's Authorization names the key, the day's scope and the signed headers", () => {
    const header = Tencent.authorization({
      secretId: "AKIDexample",
      secretKey: "secret",
      timestamp: 1_765_152_000, // 2025-12-08T00:00:00Z
      host: "sms.tencentcloudapi.com",
      action: "SendSms",
      payload: "{}"
    })
    assert.match(
      header,
      /^TC3-HMAC-SHA256 Credential=AKIDexample\/2025-12-08\/sms\/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=[0-9a-f]{64}$/
    )
    const other = Tencent.authorization({
      secretId: "AKIDexample",
      secretKey: "secret",
      timestamp: 1_765_152_000,
      host: "sms.tencentcloudapi.com",
      action: "SendSms",
      payload: "{} "
    })
    assert.notStrictEqual(header, other, "the body is signed")
  })

  for (const testCase of cases) {
    it.scopedLive(`${testCase.name}: a parameter comes from data first, then from the subject or text`, () =>
      Effect.gen(function* () {
        const server = yield* testCase.server()
        const sms = yield* testCase.make(server.endpoint)
        // no SMS template for "other.event": the default one (subject, text) is used
        yield* sms.send(notification({ templateId: "other.event", data: { date: 9 } }))
        yield* sms.send(notification({ templateId: "other.event", data: { subject: "数据里的标题", text: 9 } }))
        yield* sms.send(notification({ templateId: "other.event", data: { subject: ["no"], text: true } }))
        const values = server.accepted().map((message) => Object.values(message.params))
        assert.deepStrictEqual(values, [
          ["坪工学堂", "报名成功"],
          ["数据里的标题", "9"],
          ["坪工学堂", "true"]
        ])
      }).pipe(Effect.provide(client))
    )

    it.scopedLive(`${testCase.name}: a template's own sign name overrides the notifier's`, () =>
      Effect.gen(function* () {
        const server = yield* testCase.server()
        const sms = yield* testCase.make(server.endpoint, {
          templates: {
            "courses.enrolled": { id: ENROLLED[testCase.name], params: ["course", "date"], signName: OTHER_SIGN }
          }
        })
        yield* sms.send(notification())
        yield* sms.send(notification({ templateId: "other.event" }))
        assert.deepStrictEqual(
          server.accepted().map((message) => message.signName),
          [OTHER_SIGN, SIGN]
        )
        assert.match(server.accepted()[0].text ?? "", /^【坪山区人力资源局】您已报名/)
      }).pipe(Effect.provide(client))
    )

    it.scopedLive(`${testCase.name}: a missing parameter or template is dead and nothing is sent`, () =>
      Effect.gen(function* () {
        const server = yield* testCase.server()
        const sms = yield* testCase.make(server.endpoint, { defaultTemplate: undefined })
        const missing = failureOf(yield* Effect.exit(sms.send(notification({ data: { course: "电工入门" } }))))
        assert.isFalse(missing.retryable)
        assert.include(missing.reason, "「date」")
        const unknown = failureOf(yield* Effect.exit(sms.send(notification({ templateId: "other.event" }))))
        assert.isFalse(unknown.retryable)
        assert.include(unknown.reason, "没有为通知模板「other.event」配置短信模板")
        assert.deepStrictEqual(server.answers(), [])
      }).pipe(Effect.provide(client))
    )
  }
})

// ---------------------------------------------------------------------------------------------
// Vendor errors → retry (with the vendor's delay) or dead

const HOUR = 3_600_000

interface Mapping {
  readonly code: string
  readonly message?: string
  readonly retryable: boolean
  /** The delay asked for: a number, "midnight" (China time), or undefined (none). */
  readonly delay?: number | "midnight"
}

const mappings: Record<"aliyun" | "tencent", ReadonlyArray<Mapping>> = {
  aliyun: [
    { code: "isv.BUSINESS_LIMIT_CONTROL", message: "触发分钟级流控Permits:1", retryable: true, delay: 60_000 },
    { code: "isv.BUSINESS_LIMIT_CONTROL", message: "触发小时级流控Permits:5", retryable: true, delay: HOUR },
    { code: "isv.BUSINESS_LIMIT_CONTROL", message: "触发天级流控Permits:10", retryable: true, delay: "midnight" },
    { code: "isv.DAY_LIMIT_CONTROL", retryable: true, delay: "midnight" },
    { code: "isp.SYSTEM_ERROR", retryable: true, delay: 60_000 },
    { code: "isp.OUT_OF_SERVICE_TEMPORARILY", retryable: true, delay: 60_000 },
    { code: "Throttling.User", retryable: true, delay: 60_000 },
    { code: "SignatureNonceUsed", retryable: true, delay: 0 },
    { code: "isv.MOBILE_NUMBER_ILLEGAL", retryable: false },
    { code: "isv.SMS_TEMPLATE_ILLEGAL", retryable: false },
    { code: "isv.SMS_SIGNATURE_ILLEGAL", retryable: false },
    { code: "isv.TEMPLATE_MISSING_PARAMETERS", retryable: false },
    { code: "isv.AMOUNT_NOT_ENOUGH", retryable: false },
    { code: "SignatureDoesNotMatch", retryable: false },
    { code: "InvalidAccessKeyId.NotFound", retryable: false }
  ],
  tencent: [
    { code: "LimitExceeded.PhoneNumberThirtySecondLimit", retryable: true, delay: 30_000 },
    { code: "LimitExceeded.PhoneNumberOneHourLimit", retryable: true, delay: HOUR },
    { code: "LimitExceeded.PhoneNumberDailyLimit", retryable: true, delay: "midnight" },
    { code: "LimitExceeded.PhoneNumberSameContentDailyLimit", retryable: true, delay: "midnight" },
    { code: "LimitExceeded.DailyLimit", retryable: true, delay: "midnight" },
    { code: "RequestLimitExceeded", retryable: true, delay: 60_000 },
    { code: "InternalError.Timeout", retryable: true, delay: 60_000 },
    { code: "InvalidParameterValue.IncorrectPhoneNumber", retryable: false },
    { code: "FailedOperation.TemplateIncorrectOrUnapproved", retryable: false },
    { code: "FailedOperation.SignatureIncorrectOrUnapproved", retryable: false },
    { code: "InvalidParameterValue.TemplateParameterFormatError", retryable: false },
    { code: "FailedOperation.InsufficientBalanceInSmsPackage", retryable: false },
    { code: "AuthFailure.SignatureFailure", retryable: false },
    { code: "AuthFailure.SecretIdNotFound", retryable: false }
  ]
}

describe("vendor errors", () => {
  for (const testCase of cases) {
    it.scopedLive(`${testCase.name}: every error code maps to retry (with its delay) or dead`, () =>
      Effect.gen(function* () {
        const server = yield* testCase.server()
        const sms = yield* testCase.make(server.endpoint)
        for (const mapping of mappings[testCase.name]) {
          server.failNext(mapping.code, 1, `${mapping.message ?? "refused"} 13800138000`)
          const before = Date.now()
          const error = failureOf(yield* Effect.exit(sms.send(notification())))
          const label = `${mapping.code} ${mapping.message ?? ""}`
          assert.strictEqual(error.retryable, mapping.retryable, label)
          assert.include(error.reason, mapping.code, label)
          assert.include(error.reason, MASKED, label)
          assertClean(rendered(error), testCase.secrets)
          if (mapping.delay === undefined) assert.isUndefined(error.retryAfterMillis, label)
          else if (mapping.delay === "midnight") {
            const expected = untilChinaMidnight(before)
            assert.isAtMost(Math.abs((error.retryAfterMillis ?? -1) - expected), 5_000, label)
          } else assert.strictEqual(error.retryAfterMillis, mapping.delay, label)
        }
        assert.deepStrictEqual(server.accepted(), [])
        assert.strictEqual(server.answers().length, mappings[testCase.name].length)
      }).pipe(Effect.provide(client))
    )

    it.scopedLive(
      `${testCase.name}: a wrong secret is refused by the stand-in's own signature check, dead, nothing shown`,
      () =>
        Effect.gen(function* () {
          const server = yield* testCase.server()
          const sms = yield* testCase.make(server.endpoint, { secret: `${testCase.secrets[0]}x` })
          const error = failureOf(yield* Effect.exit(sms.send(notification())))
          assert.isFalse(error.retryable)
          assert.include(
            error.reason,
            testCase.name === "aliyun" ? "SignatureDoesNotMatch" : "AuthFailure.SignatureFailure"
          )
          // Alibaba's answer quotes the string it signed (the key id and the number): both are scrubbed
          assertClean(rendered(error), [...testCase.secrets, `${testCase.secrets[0]}x`])
          assert.deepStrictEqual(server.accepted(), [])
        }).pipe(Effect.provide(client))
    )

    it.scopedLive(`${testCase.name}: a clock far from the vendor's is refused (expired timestamp), dead`, () =>
      Effect.gen(function* () {
        const server = yield* testCase.server({ now: () => Date.now() + 3_600_000 })
        const sms = yield* testCase.make(server.endpoint)
        const error = failureOf(yield* Effect.exit(sms.send(notification())))
        assert.isFalse(error.retryable)
        assert.include(
          error.reason,
          testCase.name === "aliyun" ? "InvalidTimeStamp.Expired" : "AuthFailure.SignatureExpire"
        )
      }).pipe(Effect.provide(client))
    )

    it.scopedLive(`${testCase.name}: an unapproved template or sign name is refused by the vendor, dead`, () =>
      Effect.gen(function* () {
        const server = yield* testCase.server()
        const template = yield* testCase.make(server.endpoint, {
          templates: { "courses.enrolled": { id: "999999", params: ["course"] } }
        })
        const badTemplate = failureOf(yield* Effect.exit(template.send(notification())))
        assert.isFalse(badTemplate.retryable)
        assert.include(badTemplate.reason, testCase.badTemplate)
        const sign = yield* testCase.make(server.endpoint, { signName: "未审批的签名" })
        const badSign = failureOf(yield* Effect.exit(sign.send(notification())))
        assert.isFalse(badSign.retryable)
        assert.include(
          badSign.reason,
          testCase.name === "aliyun" ? "isv.SMS_SIGNATURE_ILLEGAL" : "FailedOperation.SignatureIncorrectOrUnapproved"
        )
        assert.deepStrictEqual(server.accepted(), [])
      }).pipe(Effect.provide(client))
    )

    it.scopedLive(`${testCase.name}: the vendor's own per-number limit is a retry later`, () =>
      Effect.gen(function* () {
        const server = yield* testCase.server({ limits: [{ limit: 1, windowMillis: 60_000 }] })
        const sms = yield* testCase.make(server.endpoint)
        yield* sms.send(notification())
        const error = failureOf(yield* Effect.exit(sms.send(notification())))
        assert.isTrue(error.retryable)
        assert.include(error.reason, testCase.throttled)
        assert.isAbove(error.retryAfterMillis ?? 0, 0)
        assert.strictEqual(server.accepted().length, 1)
      }).pipe(Effect.provide(client))
    )

    it.scopedLive(`${testCase.name}: an endpoint where nothing answers is a retryable error`, () =>
      Effect.gen(function* () {
        const sms = yield* testCase.make("http://127.0.0.1:1", { timeout: "2 seconds" })
        const error = failureOf(yield* Effect.exit(sms.send(notification())))
        assert.isTrue(error.retryable)
        assertClean(rendered(error), testCase.secrets)
      }).pipe(Effect.provide(client))
    )
  }
})

/** A server that answers every request with `status` and `body` (a proxy, a wrong endpoint). */
const answering = (status: number, body: string, contentType: string) =>
  serve(() => ({ status, raw: { body, contentType } }))

describe("answers that are not the vendor's", () => {
  for (const testCase of cases) {
    it.scopedLive(`${testCase.name}: 5xx or an unknown JSON shape is retryable, a 4xx page is dead`, () =>
      Effect.gen(function* () {
        const outcomes: Array<[boolean, number | undefined]> = []
        for (const [status, body, type] of [
          [502, "<html>Bad Gateway</html>", "text/html"],
          [200, JSON.stringify({ unexpected: true }), "application/json"],
          [404, "<html>Not Found</html>", "text/html"]
        ] as const) {
          const endpoint = yield* answering(status, body, type)
          const sms = yield* testCase.make(endpoint)
          const error = failureOf(yield* Effect.exit(sms.send(notification())))
          assert.include(error.reason, "应答无法识别")
          outcomes.push([error.retryable, error.status])
        }
        assert.deepStrictEqual(outcomes, [
          [true, 502],
          [true, 200],
          [false, 404]
        ])
      }).pipe(Effect.provide(client))
    )
  }
})

// ---------------------------------------------------------------------------------------------
// Per-number rate limits, refused locally before calling the vendor

describe("per-number rate limits", () => {
  for (const testCase of cases) {
    it.scoped(
      `${testCase.name}: the defaults (1/min, 5/h, 10/day) refuse locally with the delay until a slot frees`,
      () =>
        Effect.gen(function* () {
          const start = Date.UTC(2026, 11, 8, 1, 0, 0)
          yield* TestClock.setTime(start)
          let serverNow = start
          const server = yield* testCase.server({ now: () => serverNow })
          const sms = yield* testCase.make(server.endpoint, { rateLimits: undefined })
          const advance = (millis: number) =>
            Effect.gen(function* () {
              serverNow += millis
              yield* TestClock.adjust(millis)
            })
          yield* sms.send(notification())
          const first = failureOf(yield* Effect.exit(sms.send(notification())))
          assert.isTrue(first.retryable)
          assert.strictEqual(first.retryAfterMillis, 60_000)
          assert.include(first.reason, MASKED)
          assertClean(rendered(first), testCase.secrets)
          assert.strictEqual(server.answers().length, 1, "refused before calling the vendor")
          // another number is not affected
          yield* sms.send(notification({ recipient: "13900139000" }))
          yield* advance(30_000)
          assert.strictEqual(failureOf(yield* Effect.exit(sms.send(notification()))).retryAfterMillis, 30_000)
          yield* advance(30_000)
          yield* sms.send(notification())
          for (let i = 0; i < 3; i++) {
            yield* advance(60_000)
            yield* sms.send(notification())
          }
          // five in the last hour: the next slot frees when the first leaves the hour
          yield* advance(60_000)
          const hourly = failureOf(yield* Effect.exit(sms.send(notification())))
          assert.strictEqual(hourly.retryAfterMillis, HOUR - 5 * 60_000)
          yield* advance(HOUR)
          for (let i = 0; i < 5; i++) {
            yield* sms.send(notification())
            yield* advance(60_000)
          }
          const daily = failureOf(yield* Effect.exit(sms.send(notification())))
          assert.isTrue(daily.retryable)
          assert.isAbove(daily.retryAfterMillis ?? 0, 20 * HOUR)
          assert.strictEqual(server.accepted().filter((message) => message.phoneNumber.endsWith(PHONE)).length, 10)
        }).pipe(Effect.provide(client))
    )

    it.scopedLive(`${testCase.name}: a send the vendor refused gives its slot back`, () =>
      Effect.gen(function* () {
        const server = yield* testCase.server()
        const sms = yield* testCase.make(server.endpoint, { rateLimits: [{ limit: 1, window: "1 hour" }] })
        server.failNext(testCase.badTemplate)
        assert.isFalse(failureOf(yield* Effect.exit(sms.send(notification()))).retryable)
        yield* sms.send(notification())
        assert.strictEqual(server.accepted().length, 1)
        assert.isTrue(failureOf(yield* Effect.exit(sms.send(notification()))).retryable)
        assert.strictEqual(server.answers().length, 2)
      }).pipe(Effect.provide(client))
    )

    it.scopedLive(`${testCase.name}: concurrent sends to one number never exceed the limit`, () =>
      Effect.gen(function* () {
        const server = yield* testCase.server()
        const sms = yield* testCase.make(server.endpoint, { rateLimits: [{ limit: 3, window: "1 hour" }] })
        const exits = yield* Effect.forEach(
          Array.from({ length: 10 }, () => notification()),
          (item) => Effect.exit(sms.send(item)),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(exits.filter(Exit.isSuccess).length, 3)
        assert.strictEqual(server.accepted().length, 3)
      }).pipe(Effect.provide(client))
    )
  }
})

// ---------------------------------------------------------------------------------------------
// Logs show masked numbers only

describe("logs", () => {
  it.scopedLive("every log line of a send, a refusal and a local limit shows the number masked", () => {
    const lines: Array<string> = []
    const logger = Logger.make(({ message }) => lines.push(JSON.stringify(message)))
    return Effect.gen(function* () {
      for (const testCase of cases) {
        const server = yield* testCase.server()
        const sms = yield* testCase.make(server.endpoint, { rateLimits: [{ limit: 1, window: "1 hour" }] })
        server.failNext(testCase.throttled, 1, "limit for 13800138000")
        yield* Effect.exit(sms.send(notification()))
        yield* sms.send(notification({ recipient: "+86 138 0013 8000" }))
        yield* Effect.exit(sms.send(notification()))
      }
      assert.isAtLeast(lines.length, 6)
      for (const line of lines) {
        assertClean(line, [ALIYUN_KEY_ID, ALIYUN_SECRET, TENCENT_ID, TENCENT_KEY])
        assert.include(line, MASKED)
      }
    }).pipe(
      Effect.provide(Layer.merge(client, Logger.replace(Logger.defaultLogger, logger))),
      Logger.withMinimumLogLevel(LogLevel.All)
    )
  })
})
