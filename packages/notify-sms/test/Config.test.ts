import { assert, describe, it } from "@effect/vitest"
import * as Notifier from "@gongzhi/core/Notifier"
import { ConfigProvider, Effect, FastCheck, Layer, Redacted } from "effect"
import * as Aliyun from "../src/Aliyun.js"
import { makeLimiter } from "../src/internal/rateLimit.js"
import { scrub, untilChinaMidnight } from "../src/internal/sms.js"
import * as Tencent from "../src/Tencent.js"
import { ALIYUN_SECRET, client, TENCENT_KEY } from "./cases.js"

const base = {
  accessKeyId: Redacted.make("LTAIexample"),
  accessKeySecret: Redacted.make(ALIYUN_SECRET),
  signName: "坪山区总工会",
  defaultTemplate: { id: "SMS_1", params: ["text"] }
} satisfies Aliyun.AliyunOptions

describe("configuration", () => {
  it.effect("a wrong option fails with SmsConfigError naming it, never showing a credential", () =>
    Effect.gen(function* () {
      const settingOf = (options: Partial<Aliyun.AliyunOptions>) =>
        Aliyun.make({ ...base, ...options } as Aliyun.AliyunOptions).pipe(
          Effect.flip,
          Effect.tap((error) => assert.notInclude(JSON.stringify(error) + error.message, ALIYUN_SECRET)),
          Effect.map((error) => error.setting)
        )
      assert.strictEqual(yield* settingOf({ accessKeySecret: ALIYUN_SECRET as any }), "accessKeySecret")
      assert.strictEqual(yield* settingOf({ accessKeyId: Redacted.make("") }), "accessKeyId")
      assert.strictEqual(yield* settingOf({ signName: " " }), "signName")
      assert.strictEqual(yield* settingOf({ signName: "坪山\n总工会" }), "signName")
      assert.strictEqual(yield* settingOf({ defaultTemplate: undefined }), "templates")
      assert.strictEqual(yield* settingOf({ templates: { a: { id: "" } } }), "templates.a.id")
      assert.strictEqual(yield* settingOf({ templates: { a: { id: "SMS_2", params: [""] } } }), "templates.a.params")
      assert.strictEqual(yield* settingOf({ endpoint: "ftp://example.org" }), "endpoint")
      assert.strictEqual(yield* settingOf({ endpoint: `https://${ALIYUN_SECRET}@example.org` }), "endpoint")
      assert.strictEqual(yield* settingOf({ rateLimits: [{ limit: 0, window: "1 minute" }] }), "rateLimits.0")
      assert.strictEqual(yield* settingOf({ rateLimits: [{ limit: 1, window: "soon" as any }] }), "rateLimits.0")
      assert.strictEqual(yield* settingOf({ timeout: 0 }), "timeout")
      assert.strictEqual(yield* settingOf({ channel: "SMS!" }), "channel")
      const tencent = yield* Effect.flip(
        Tencent.make({
          secretId: Redacted.make("AKIDexample"),
          secretKey: Redacted.make(TENCENT_KEY),
          sdkAppId: "",
          signName: "坪山区总工会",
          defaultTemplate: { id: "1" }
        })
      )
      assert.strictEqual(tencent.setting, "sdkAppId")
      assert.include(tencent.message, " / ")
    }).pipe(Effect.provide(client))
  )

  it.effect("layerConfig reads credentials and the sign name from the environment (redacted)", () =>
    Effect.gen(function* () {
      const aliyun = yield* Aliyun.config
      assert.isTrue(Redacted.isRedacted(aliyun.accessKeySecret))
      assert.strictEqual(Redacted.value(aliyun.accessKeySecret), "s3cret")
      assert.strictEqual(aliyun.endpoint, undefined)
      const notifier = yield* Effect.provide(
        Notifier.Notifier,
        Tencent.layerConfig({ defaultTemplate: { id: "1" }, channel: "sms-tencent" }).pipe(Layer.provide(client))
      )
      assert.strictEqual(notifier.channel, "sms-tencent")
      assert.notInclude(String(yield* Aliyun.config), "s3cret")
    }).pipe(
      Effect.withConfigProvider(
        ConfigProvider.fromMap(
          new Map([
            ["GONGZHI_ALIYUN_SMS_ACCESS_KEY_ID", "LTAIexample"],
            ["GONGZHI_ALIYUN_SMS_ACCESS_KEY_SECRET", "s3cret"],
            ["GONGZHI_ALIYUN_SMS_SIGN_NAME", "坪山区总工会"],
            ["GONGZHI_TENCENT_SMS_SECRET_ID", "AKIDexample"],
            ["GONGZHI_TENCENT_SMS_SECRET_KEY", "s3cret"],
            ["GONGZHI_TENCENT_SMS_SDK_APP_ID", "1400000000"],
            ["GONGZHI_TENCENT_SMS_SIGN_NAME", "坪山区总工会"],
            ["GONGZHI_TENCENT_SMS_REGION", "ap-beijing"]
          ])
        )
      )
    )
  )
})

describe("helpers", () => {
  it("untilChinaMidnight is the time to the next 00:00 in UTC+8", () => {
    // 2026-12-08 15:59:59.999 UTC is 23:59:59.999 in China
    assert.strictEqual(untilChinaMidnight(Date.UTC(2026, 11, 8, 15, 59, 59, 999)), 1)
    assert.strictEqual(untilChinaMidnight(Date.UTC(2026, 11, 8, 16, 0, 0)), 86_400_000)
    assert.strictEqual(untilChinaMidnight(Date.UTC(2026, 11, 8, 4, 0, 0)), 12 * 3_600_000)
  })

  it("scrub removes credentials and masks digit runs", () => {
    const text = scrub("string to sign: AccessKeyId=LTAIsecretid&PhoneNumbers=13800138000\nmore", ["LTAIsecretid"])
    assert.strictEqual(text, "string to sign: AccessKeyId=***&PhoneNumbers=138****8000 more")
    assert.strictEqual(scrub("+8613800138000", []), "+86*******8000")
    assert.strictEqual(scrub("x".repeat(500), []).length, 200)
  })
})

// ---------------------------------------------------------------------------------------------
// The limiter: properties

const windowsArb = FastCheck.array(
  FastCheck.record({
    limit: FastCheck.integer({ min: 1, max: 5 }),
    windowMillis: FastCheck.integer({ min: 1, max: 1000 })
  }),
  { minLength: 1, maxLength: 3 }
)
const stepsArb = FastCheck.array(
  FastCheck.record({
    key: FastCheck.constantFrom("a", "b"),
    advance: FastCheck.integer({ min: 0, max: 300 }),
    fails: FastCheck.boolean()
  }),
  { maxLength: 80 }
)

describe("per-number limiter", () => {
  it.prop(
    "never lets more than `limit` sends into any window; a refusal's delay is exact",
    [windowsArb, stepsArb],
    ([windows, steps]) => {
      const limiter = makeLimiter(windows)
      const kept = new Map<string, Array<number>>()
      let now = 0
      for (const step of steps) {
        now += step.advance
        const reservation = limiter.reserve(step.key, now)
        const times = kept.get(step.key) ?? []
        if (reservation.ok) {
          if (step.fails) reservation.release()
          else times.push(now)
          kept.set(step.key, times)
        } else {
          assert.isAbove(reservation.retryAfterMillis, 0)
          // a slot is free exactly after the delay, not a millisecond earlier
          const later = makeLimiter(windows)
          for (const time of times) later.reserve("x", time)
          assert.isFalse(later.reserve("x", now + reservation.retryAfterMillis - 1).ok)
          const again = makeLimiter(windows)
          for (const time of times) again.reserve("x", time)
          assert.isTrue(again.reserve("x", now + reservation.retryAfterMillis).ok)
        }
        for (const window of windows) {
          for (const time of times) {
            const inWindow = times.filter((other) => other >= time && other < time + window.windowMillis).length
            assert.isAtMost(inWindow, window.limit)
          }
        }
      }
    }
  )

  it("no limits: everything passes and nothing is kept", () => {
    const limiter = makeLimiter([])
    for (let i = 0; i < 100; i++) assert.isTrue(limiter.reserve("a", 0).ok)
    assert.strictEqual(limiter.size(), 0)
  })

  it("forgets numbers whose sends all left the longest window", () => {
    const limiter = makeLimiter([{ limit: 1, windowMillis: 10 }])
    limiter.reserve("a", 0)
    limiter.reserve("b", 5)
    assert.strictEqual(limiter.size(), 2)
    assert.isTrue(limiter.reserve("b", 20).ok)
    assert.isTrue(limiter.reserve("a", 20).ok)
    const refused = limiter.reserve("a", 25)
    assert.isFalse(refused.ok)
    assert.strictEqual(refused.ok ? 0 : refused.retryAfterMillis, 5)
    // numbers never seen again are swept out as other numbers come and go
    for (let i = 0; i < 2048; i++) limiter.reserve(`n${i}`, 1000 + i * 20)
    assert.isAtMost(limiter.size(), 1024)
    assert.isFalse(limiter.reserve("n2047", 1000 + 2047 * 20).ok, "recent numbers are kept")
  })
})
