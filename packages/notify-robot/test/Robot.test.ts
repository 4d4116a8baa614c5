import { assert, describe, it } from "@effect/vitest"
import type { NotifierProbe } from "@gongzhi/core/testing"
import { notifierSuite } from "@gongzhi/core/testing"
import { Context, Effect, Either, Layer, Redacted } from "effect"
import * as DingTalk from "../src/DingTalk.js"
import type { RobotOptions } from "../src/Robot.js"
import {
  cases,
  client,
  failureOf,
  LOCAL,
  makeStandIn,
  notification,
  recipientSeen,
  type StandIn,
  specs
} from "./standIns.js"

// ---------------------------------------------------------------------------------------------
// Conformance, for each platform

class TestStandIn extends Context.Tag("test/TestStandIn")<TestStandIn, StandIn>() {}

for (const testCase of cases) {
  const spec = specs[testCase.name]
  notifierSuite({
    name: testCase.name,
    channel: testCase.name,
    layer: Layer.merge(
      testCase
        .layer({ hosts: LOCAL, secret: testCase.secret === undefined ? undefined : Redacted.make(testCase.secret) })
        .pipe(Layer.provide(client)),
      Layer.scoped(TestStandIn, makeStandIn(testCase.name))
    ),
    probe: Effect.map(
      TestStandIn,
      (standIn): NotifierProbe => ({
        recipient: standIn.url,
        received: Effect.sync(() =>
          standIn.requests
            .filter((request) => request.accepted)
            .map((request) => ({ recipient: recipientSeen(standIn, request), ...testCase.decode(request) }))
        ),
        reset: Effect.sync(() => {
          standIn.requests.length = 0
          standIn.plan.length = 0
        }),
        failNext: (failure, count) =>
          Effect.sync(() => {
            for (let i = 0; i < count; i++) {
              standIn.plan.push(
                failure === "transient"
                  ? { kind: "answer", code: spec.rateLimitCode, message: "frequency limited" }
                  : { kind: "answer", code: spec.otherCode[0], message: spec.otherCode[1] }
              )
            }
          })
      })
    ),
    supportsMarkdown: true,
    supportsFailures: true,
    unreachableRecipient: `http://127.0.0.1:1${spec.path}${spec.query === "" ? "" : `?${spec.query}`}`,
    invalidRecipients: ["not a url", `https://robot.example.com${spec.path}?${spec.query}`, "未配置的机器人"],
    secrets: testCase.secrets
  })
}

// ---------------------------------------------------------------------------------------------
// Errors, for each platform (the exact wire formats are in RobotWire.test.ts)

describe("robot errors (every platform)", () => {
  for (const testCase of cases) {
    const spec = specs[testCase.name]
    const make = () =>
      testCase.make({
        hosts: LOCAL,
        timeout: "300 millis",
        secret: testCase.secret === undefined ? undefined : Redacted.make(testCase.secret)
      })

    it.scopedLive(
      `${testCase.name}: rate limit ${spec.rateLimitCode} is retryable, ${spec.otherCode[0]} permanent`,
      () =>
        Effect.gen(function* () {
          const standIn = yield* makeStandIn(testCase.name)
          const notifier = yield* make()
          standIn.plan.push({ kind: "answer", code: spec.rateLimitCode, message: "send too fast" })
          const limited = failureOf(yield* Effect.exit(notifier.send(notification(testCase.name, standIn.url))))
          assert.isTrue(limited.retryable)
          assert.include(limited.reason, String(spec.rateLimitCode))
          standIn.plan.push({ kind: "answer", code: spec.otherCode[0], message: spec.otherCode[1] })
          const other = failureOf(yield* Effect.exit(notifier.send(notification(testCase.name, standIn.url))))
          assert.isFalse(other.retryable)
          assert.include(other.reason, String(spec.otherCode[0]))
          // a custom list of retryable codes replaces the default
          const custom = yield* testCase.make({
            hosts: LOCAL,
            retryableCodes: [spec.otherCode[0]],
            secret: testCase.secret === undefined ? undefined : Redacted.make(testCase.secret)
          })
          standIn.plan.push({ kind: "answer", code: spec.otherCode[0], message: spec.otherCode[1] })
          assert.isTrue(failureOf(yield* Effect.exit(custom.send(notification(testCase.name, standIn.url)))).retryable)
          for (const error of [limited, other]) {
            for (const secret of testCase.secrets)
              assert.notInclude(`${error.message} ${JSON.stringify(error)}`, secret)
          }
        }).pipe(Effect.provide(client))
    )

    it.scopedLive(`${testCase.name}: HTTP 5xx and 429 are retryable (Retry-After kept), 4xx permanent`, () =>
      Effect.gen(function* () {
        const standIn = yield* makeStandIn(testCase.name)
        const notifier = yield* make()
        standIn.plan.push(
          { kind: "http", status: 502 },
          { kind: "http", status: 429, headers: { "Retry-After": "30" } },
          { kind: "http", status: 403 }
        )
        const results = []
        for (let i = 0; i < 3; i++) {
          results.push(failureOf(yield* Effect.exit(notifier.send(notification(testCase.name, standIn.url)))))
        }
        assert.deepStrictEqual(
          results.map((error) => [error.retryable, error.status, error.retryAfterMillis]),
          [
            [true, 502, undefined],
            [true, 429, 30_000],
            [false, 403, undefined]
          ]
        )
      }).pipe(Effect.provide(client))
    )

    it.scopedLive(`${testCase.name}: an answer that is not the platform's JSON, or none in time, is retryable`, () =>
      Effect.gen(function* () {
        const standIn = yield* makeStandIn(testCase.name)
        const notifier = yield* make()
        standIn.plan.push({ kind: "raw", text: "<html>gateway</html>" }, { kind: "raw", text: '{"ok":true}' })
        standIn.plan.push({ kind: "hang" })
        const errors = []
        for (let i = 0; i < 3; i++) {
          errors.push(failureOf(yield* Effect.exit(notifier.send(notification(testCase.name, standIn.url)))))
        }
        assert.deepStrictEqual(
          errors.map((error) => error.retryable),
          [true, true, true]
        )
        assert.include(errors[2].reason, "超时")
      }).pipe(Effect.provide(client))
    )
  }

  it.effect("bad options are a RobotConfigError that shows no URL", () =>
    Effect.gen(function* () {
      const token = "tok-should-not-appear-123456"
      const bad: ReadonlyArray<[RobotOptions, string]> = [
        [
          { robots: { 街道: { url: Redacted.make(`https://evil.example.com/robot/send?access_token=${token}`) } } },
          "robots.街道"
        ],
        [{ robots: { 街道: { url: Redacted.make("not a url") } } }, "robots.街道"],
        [{ timeout: 0 }, "timeout"],
        [{ hosts: [] }, "hosts"],
        [{ format: "html" as never }, "format"],
        [{ retryableCodes: [1.5] }, "retryableCodes"],
        [{ channel: "DingTalk" }, "channel"],
        [{ secret: Redacted.make("") }, "secret"]
      ]
      for (const [options, setting] of bad) {
        const result = yield* Effect.either(DingTalk.make(options).pipe(Effect.provide(client)))
        assert.isTrue(Either.isLeft(result), setting)
        if (Either.isLeft(result)) {
          assert.strictEqual(result.left.setting, setting)
          assert.notInclude(result.left.message, token)
        }
      }
    })
  )
})
