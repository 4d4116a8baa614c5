import { HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { RequestError } from "@effect/platform/HttpClientError"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, FastCheck as fc, TestClock } from "effect"
import * as NotifierHttp from "../src/NotifierHttp.js"

describe("NotifierHttp", () => {
  it("classifies statuses: 2xx delivered; 408, 425, 429, 5xx retryable; the rest permanent", () => {
    for (const status of [200, 201, 204, 299]) assert.strictEqual(NotifierHttp.classifyStatus(status), "delivered")
    for (const status of [408, 425, 429, 500, 502, 503, 599]) {
      assert.strictEqual(NotifierHttp.classifyStatus(status), "retryable")
    }
    for (const status of [100, 199, 300, 301, 304, 400, 401, 403, 404, 409, 410, 413, 422, 426, 428, 499]) {
      assert.strictEqual(NotifierHttp.classifyStatus(status), "permanent")
    }
  })

  it("classifies every 4xx other than 408, 425 and 429 as permanent", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 499 }).filter((s) => s !== 408 && s !== 425 && s !== 429),
        (status) => NotifierHttp.classifyStatus(status) === "permanent"
      )
    )
  })

  it("parses Retry-After as delta-seconds or an HTTP date, refusing anything else", () => {
    const now = Date.UTC(2026, 2, 2, 8, 0, 0)
    assert.strictEqual(NotifierHttp.parseRetryAfter("0", now), 0)
    assert.strictEqual(NotifierHttp.parseRetryAfter(" 120 ", now), 120_000)
    assert.strictEqual(NotifierHttp.parseRetryAfter(new Date(now + 90_000).toUTCString(), now), 90_000)
    assert.strictEqual(NotifierHttp.parseRetryAfter(new Date(now - 90_000).toUTCString(), now), 0)
    for (const value of [undefined, "", "  ", "-5", "1.5", "soon", "2026-03-02", "Mon, 02 Mar 2026 08:00:00 +0800"]) {
      assert.isUndefined(NotifierHttp.parseRetryAfter(value, now))
    }
    assert.isUndefined(NotifierHttp.parseRetryAfter("99999999999999999999", now))
  })

  it("parses non-negative integer Retry-After seconds exactly", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        (seconds) => NotifierHttp.parseRetryAfter(String(seconds), 0) === seconds * 1000
      )
    )
  })

  it("accepts only http(s) URLs and shows only their origin", () => {
    const url = NotifierHttp.parseHttpUrl("https://user:pw@hooks.example.cn:8443/path?token=secret")
    assert.isDefined(url)
    assert.strictEqual(NotifierHttp.safeOrigin(url!), "https://hooks.example.cn:8443")
    for (const bad of [
      "",
      " https://a.example",
      "ftp://a.example/x",
      "javascript:alert(1)",
      "not a url",
      "mailto:a@b.cn"
    ]) {
      assert.isUndefined(NotifierHttp.parseHttpUrl(bad))
    }
  })

  it("finds a network error code on the cause chain, ignoring message text", () => {
    const error = { message: "boom", cause: { cause: { code: "ECONNREFUSED" } } }
    assert.strictEqual(NotifierHttp.networkCode(error), "ECONNREFUSED")
    assert.isUndefined(NotifierHttp.networkCode({ code: "not a code" }))
    assert.isUndefined(NotifierHttp.networkCode("ECONNRESET"))
  })

  const request = HttpClientRequest.post("https://hooks.example.cn/x?token=secret")
  const origin = "https://hooks.example.cn"

  it.effect("execute returns the response whatever its status", () =>
    Effect.gen(function* () {
      const client = HttpClient.make((req) =>
        Effect.succeed(
          HttpClientResponse.fromWeb(req, new Response(null, { status: 503, headers: { "retry-after": "7" } }))
        )
      )
      const response = yield* NotifierHttp.execute(client, request, { channel: "webhook", origin, timeout: "1 second" })
      assert.strictEqual(response.status, 503)
      assert.strictEqual(NotifierHttp.parseRetryAfter(response.headers["retry-after"], 0), 7000)
    })
  )

  it.effect("execute maps transport errors to retryable NotifyErrors naming the code and origin only", () =>
    Effect.gen(function* () {
      const client = HttpClient.make((req) =>
        Effect.fail(new RequestError({ request: req, reason: "Transport", cause: { code: "ECONNREFUSED" } }))
      )
      const error = yield* Effect.flip(
        NotifierHttp.execute(client, request, { channel: "webhook", origin, timeout: "1 second" })
      )
      assert.strictEqual(error._tag, "NotifyError")
      assert.isTrue(error.retryable)
      assert.include(error.reason, "ECONNREFUSED")
      assert.include(error.reason, origin)
      assert.notInclude(error.reason, "secret")
      const encode = NotifierHttp.transportError(
        "webhook",
        new RequestError({ request, reason: "Encode", cause: new Error("bad body") }),
        origin
      )
      assert.isFalse(encode.retryable)
    })
  )

  it.effect("execute fails retryably on timeout", () =>
    Effect.gen(function* () {
      const client = HttpClient.make(() => Effect.never)
      const fiber = yield* Effect.fork(
        NotifierHttp.execute(client, request, { channel: "webhook", origin, timeout: Duration.millis(1500) })
      )
      yield* TestClock.adjust("2 seconds")
      const exit = yield* Fiber.await(fiber)
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(exit)
      assert.isTrue(error.retryable)
      assert.include(error.reason, "1500")
    })
  )

  it("notifyError sets status and Retry-After only when defined", () => {
    const error = NotifierHttp.notifyError("webhook", "busy", true, { status: 429, retryAfterMillis: undefined })
    assert.strictEqual(error.status, 429)
    assert.isFalse("retryAfterMillis" in error)
    assert.include(
      NotifierHttp.invalidNotificationError("webhook", ["subject", "body.text"]).reason,
      "subject、body.text"
    )
  })
})
