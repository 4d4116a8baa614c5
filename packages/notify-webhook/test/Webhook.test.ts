import { randomBytes } from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { NodeHttpClient } from "@effect/platform-node"
import type { SqlClient } from "@effect/sql"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Notifier from "@gongzhi/core/Notifier"
import { parseRetryAfter } from "@gongzhi/core/NotifierHttp"
import { TenantId } from "@gongzhi/core/Tenant"
import type { NotifierProbe } from "@gongzhi/core/testing"
import { notifierSuite } from "@gongzhi/core/testing"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import {
  Cause,
  ConfigProvider,
  Context,
  Duration,
  Effect,
  Either,
  Exit,
  FastCheck,
  Layer,
  Option,
  Redacted,
  Schedule,
  type Scope
} from "effect"
import * as Replay from "../src/Replay.js"
import * as Webhook from "../src/Webhook.js"

// a fresh signing key per run (never a literal secret in the repository)
const SECRET = `whsec-沙坣-${randomBytes(12).toString("hex")}`
const secret = Redacted.make(SECRET)

/** One request as the test receiver got it. */
interface Recorded {
  readonly path: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
  readonly status: number
}

/** What the receiver does with the next request instead of accepting it. */
type Planned = { readonly status: number; readonly headers?: Record<string, string> } | "hang"

/** A real HTTP receiver on 127.0.0.1 (random port): answers 204 unless a response was planned. */
interface Receiver {
  readonly url: string
  readonly requests: Array<Recorded>
  readonly plan: Array<Planned>
}

const makeReceiver = Effect.acquireRelease(
  Effect.async<{ readonly receiver: Receiver; readonly server: Http.Server }>((resume) => {
    const requests: Array<Recorded> = []
    const plan: Array<Planned> = []
    const server = Http.createServer((request, response) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        const planned = plan.shift()
        if (planned === "hang") return // never answers
        const status = planned?.status ?? 204
        requests.push({
          path: request.url ?? "",
          headers: request.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          status
        })
        response.writeHead(status, planned?.headers ?? {})
        response.end()
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resume(Effect.succeed({ receiver: { url: `http://127.0.0.1:${port}/hooks/gongzhi`, requests, plan }, server }))
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
).pipe(Effect.map(({ receiver }) => receiver))

/** A port on which nothing listens. */
const closedPort = Effect.async<number>((resume) => {
  const server = Http.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})

const verifyWith = Webhook.verify({ secret })

const notification = (recipient: string, fields: Partial<Notifier.Notification> = {}) =>
  new Notifier.Notification({
    tenantId: TenantId.make("440310"),
    channel: Notifier.Channel.make("webhook"),
    recipient,
    subject: "沙坣社区：民情诉求已受理",
    body: { text: "您反映的问题已受理。👍", markdown: "**已受理**" },
    templateId: "opinion.received",
    data: { reportId: "MQ-0001", 社区: "沙坣社区" },
    priority: "high",
    idempotencyKey: `mq-0001-received-${Math.random().toString(36).slice(2)}`,
    ...fields
  })

const failureOf = <A>(exit: Exit.Exit<A, Notifier.NotifyError>): Notifier.NotifyError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  assert.isFalse(Cause.isDie(exit.cause), "a defect instead of a NotifyError")
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

const client = NodeHttpClient.layerUndici

const makeNotifier = (options: Partial<Webhook.WebhookOptions> = {}) => Webhook.make({ secret, ...options })

// ---------------------------------------------------------------------------------------------
// Conformance

class TestReceiver extends Context.Tag("test/TestReceiver")<TestReceiver, Receiver>() {}

const probeOf = (receiver: Receiver): NotifierProbe => ({
  recipient: receiver.url,
  received: Effect.suspend(() =>
    Effect.forEach(
      receiver.requests.filter((request) => request.status >= 200 && request.status < 300),
      (request) =>
        Effect.map(verifyWith(request.headers, request.body), (payload) => ({
          recipient: `http://${request.headers.host}${request.path}`,
          subject: payload.subject,
          text: payload.text,
          markdown: payload.markdown,
          idempotencyKey: request.headers["idempotency-key"] as string
        }))
    )
  ).pipe(Effect.orDie),
  reset: Effect.sync(() => {
    receiver.requests.length = 0
    receiver.plan.length = 0
  }),
  failNext: (failure, count) =>
    Effect.sync(() => {
      for (let i = 0; i < count; i++) receiver.plan.push({ status: failure === "transient" ? 503 : 400 })
    })
})

notifierSuite({
  name: "webhook",
  channel: "webhook",
  layer: Layer.merge(
    Webhook.layer({ secret, timeout: "5 seconds" }).pipe(Layer.provide(client)),
    Layer.scoped(TestReceiver, makeReceiver)
  ),
  probe: Effect.map(TestReceiver, probeOf),
  supportsIdempotencyKey: true,
  supportsMarkdown: true,
  supportsFailures: true,
  unreachableRecipient: "http://127.0.0.1:1/hooks",
  invalidRecipients: ["not a url", "ftp://example.com/hook", "mailto:someone@example.com", " http://127.0.0.1/x"],
  secrets: [SECRET]
})

// ---------------------------------------------------------------------------------------------

const [pg, mysql] = await Promise.all([PgTesting.availability(), MysqlTesting.availability()])

describe("Webhook.make", () => {
  it.scopedLive("POSTs a signed JSON document that the receiver verifies with Webhook.verify", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      const webhook = yield* makeNotifier({ headers: { "X-District": "440310" }, userAgent: "pingshan/1.0" })
      const sent = notification(receiver.url)
      const receipt = yield* webhook.send(sent)
      assert.strictEqual(receipt.channel, "webhook")
      assert.strictEqual(receiver.requests.length, 1)
      const [request] = receiver.requests
      assert.strictEqual(request.path, "/hooks/gongzhi")
      assert.strictEqual(request.headers["content-type"], "application/json; charset=utf-8")
      assert.strictEqual(request.headers["user-agent"], "pingshan/1.0")
      assert.strictEqual(request.headers["x-district"], "440310")
      assert.strictEqual(request.headers["idempotency-key"], sent.idempotencyKey)
      const timestamp = request.headers["x-gongzhi-timestamp"] as string
      assert.match(timestamp, /^\d{10}$/)
      assert.strictEqual(
        request.headers["x-gongzhi-signature"],
        Webhook.signature(secret, timestamp, request.body),
        "the signature is v1=hex(HMAC-SHA256(secret, timestamp.body))"
      )
      const payload = yield* verifyWith(request.headers, request.body)
      assert.deepStrictEqual(
        { ...payload, sentAt: undefined },
        {
          type: "gongzhi.notification",
          idempotencyKey: sent.idempotencyKey,
          tenantId: sent.tenantId,
          channel: "webhook",
          subject: "沙坣社区：民情诉求已受理",
          text: "您反映的问题已受理。👍",
          markdown: "**已受理**",
          templateId: "opinion.received",
          data: { reportId: "MQ-0001", 社区: "沙坣社区" },
          priority: "high",
          sentAt: undefined
        }
      )
      assert.strictEqual(Math.floor(payload.sentAt.getTime() / 1000), Number(timestamp))
      // the secret travels nowhere in the request
      assert.notInclude(JSON.stringify(request.headers) + request.body, SECRET)
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("500 twice then 200: with a retry loop the receiver accepts it once, same key on every attempt", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      receiver.plan.push({ status: 500 }, { status: 500 })
      const webhook = yield* makeNotifier()
      const sent = notification(receiver.url)
      const errors: Array<Notifier.NotifyError> = []
      const receipt = yield* webhook.send(sent).pipe(
        Effect.tapError((error) => Effect.sync(() => errors.push(error))),
        Effect.retry({ while: (error) => error.retryable, schedule: Schedule.spaced("10 millis"), times: 5 })
      )
      assert.strictEqual(receipt.channel, "webhook")
      assert.deepStrictEqual(
        errors.map((error) => [error.retryable, error.status]),
        [
          [true, 500],
          [true, 500]
        ]
      )
      assert.deepStrictEqual(
        receiver.requests.map((request) => request.status),
        [500, 500, 204]
      )
      const keys = new Set(receiver.requests.map((request) => request.headers["idempotency-key"]))
      assert.deepStrictEqual([...keys], [sent.idempotencyKey])
      const delivered = receiver.requests.filter((request) => request.status === 204)
      assert.strictEqual(delivered.length, 1)
      // every attempt is signed afresh and verifies
      for (const request of receiver.requests) {
        const payload = yield* verifyWith(request.headers, request.body)
        assert.strictEqual(payload.idempotencyKey, sent.idempotencyKey)
      }
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("a receiver that hangs is timed out, and the error is retryable", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      receiver.plan.push("hang")
      const webhook = yield* makeNotifier({ timeout: "150 millis" })
      const started = Date.now()
      const error = failureOf(yield* Effect.exit(webhook.send(notification(receiver.url))))
      const elapsed = Date.now() - started
      assert.isTrue(error.retryable)
      assert.include(error.reason, "超时")
      assert.isUndefined(error.status)
      assert.isAtLeast(elapsed, 140)
      assert.isBelow(elapsed, 5_000)
      // the next attempt goes through
      yield* webhook.send(notification(receiver.url))
      assert.strictEqual(receiver.requests.length, 1)
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("429 with Retry-After in seconds or as an HTTP date is retryable and says when", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      const webhook = yield* makeNotifier()
      receiver.plan.push({ status: 429, headers: { "Retry-After": "7" } })
      const seconds = failureOf(yield* Effect.exit(webhook.send(notification(receiver.url))))
      assert.isTrue(seconds.retryable)
      assert.strictEqual(seconds.status, 429)
      assert.strictEqual(seconds.retryAfterMillis, 7_000)

      const at = new Date(Date.now() + 120_000)
      receiver.plan.push({ status: 503, headers: { "Retry-After": at.toUTCString() } })
      const dated = failureOf(yield* Effect.exit(webhook.send(notification(receiver.url))))
      assert.isTrue(dated.retryable)
      assert.strictEqual(dated.status, 503)
      assert.isAbove(dated.retryAfterMillis!, 117_000)
      assert.isAtMost(dated.retryAfterMillis!, 120_000)

      receiver.plan.push({ status: 408 }, { status: 502 })
      for (const status of [408, 502]) {
        const error = failureOf(yield* Effect.exit(webhook.send(notification(receiver.url))))
        assert.deepStrictEqual([error.retryable, error.status, error.retryAfterMillis], [true, status, undefined])
      }
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("400, 401, 404, 410 and a redirect are permanent", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      const webhook = yield* makeNotifier()
      for (const status of [400, 401, 404, 410, 301]) {
        receiver.plan.push({ status, headers: status === 301 ? { Location: "http://127.0.0.1:1/" } : {} })
        const error = failureOf(yield* Effect.exit(webhook.send(notification(receiver.url))))
        assert.deepStrictEqual([error.retryable, error.status], [false, status])
        assert.include(error.message, "不可重试")
      }
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("a closed port is a retryable network error that shows neither the path nor the query", () =>
    Effect.gen(function* () {
      const port = yield* closedPort
      const webhook = yield* makeNotifier()
      const error = failureOf(
        yield* Effect.exit(webhook.send(notification(`http://127.0.0.1:${port}/hook/TOKEN-abc?key=TOKEN-xyz`)))
      )
      assert.isTrue(error.retryable)
      assert.include(error.reason, `127.0.0.1:${port}`)
      assert.notInclude(JSON.stringify(error) + error.message, "TOKEN")
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("data that is not JSON is a permanent error, nothing is sent", () =>
    Effect.gen(function* () {
      const receiver = yield* makeReceiver
      const webhook = yield* makeNotifier()
      const error = failureOf(yield* Effect.exit(webhook.send(notification(receiver.url, { data: { big: 1n } }))))
      assert.isFalse(error.retryable)
      assert.strictEqual(receiver.requests.length, 0)
    }).pipe(Effect.provide(client))
  )

  it.effect("rejects bad options with a WebhookConfigError that does not show the secret", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<[Partial<Webhook.WebhookOptions>, string]> = [
        [{ secret: Redacted.make("short") }, "secret"],
        [{ timeout: 0 }, "timeout"],
        [{ headers: { "Idempotency-Key": "x" } }, "headers"],
        [{ headers: { "X-Gongzhi-Signature": "x" } }, "headers"],
        [{ headers: { "X-Ok": "line\r\nInjected: 1" } }, "headers"],
        [{ channel: "Web Hook" }, "channel"]
      ]
      for (const [options, setting] of cases) {
        const result = yield* Effect.either(makeNotifier(options))
        assert.isTrue(Either.isLeft(result))
        if (Either.isLeft(result)) {
          assert.strictEqual(result.left._tag, "WebhookConfigError")
          assert.strictEqual(result.left.setting, setting)
          assert.notInclude(result.left.message, "short")
        }
      }
    }).pipe(Effect.provide(client))
  )

  it.effect("layerConfig reads GONGZHI_WEBHOOK_SECRET and GONGZHI_WEBHOOK_TIMEOUT", () =>
    Effect.gen(function* () {
      const options = yield* Webhook.config.pipe(
        Effect.withConfigProvider(
          ConfigProvider.fromMap(
            new Map([
              ["GONGZHI_WEBHOOK_SECRET", SECRET],
              ["GONGZHI_WEBHOOK_TIMEOUT", "3 seconds"]
            ])
          )
        )
      )
      assert.isTrue(Redacted.isRedacted(options.secret))
      assert.strictEqual(Redacted.value(options.secret), SECRET)
      assert.notInclude(String(options.secret), SECRET)
      assert.strictEqual(Duration.toMillis(Duration.decode(options.timeout!)), 3_000)
    })
  )
})

describe("Webhook.verify", () => {
  const signed = (body: string, timestamp: number, key: Redacted.Redacted<string> = secret) => ({
    "X-Gongzhi-Timestamp": String(timestamp),
    "X-Gongzhi-Signature": Webhook.signature(key, String(timestamp), body),
    "Content-Type": "application/json"
  })
  const now = Date.UTC(2026, 2, 2, 1, 0, 0)
  const nowSeconds = now / 1000
  const body = JSON.stringify({
    type: "gongzhi.notification",
    idempotencyKey: "k-1",
    tenantId: "440310",
    channel: "webhook",
    subject: "沙坣社区",
    text: "正文",
    priority: "normal",
    sentAt: new Date(now).toISOString()
  })
  const reasonOf = (effect: Effect.Effect<unknown, { readonly _tag: string }>) =>
    Effect.map(Effect.flip(effect), (error) =>
      error._tag === "WebhookVerificationError" ? (error as Webhook.WebhookVerificationError).reason : error._tag
    )

  it.effect("refuses unusable options: NaN, infinite or negative tolerances and empty secrets", () =>
    Effect.gen(function* () {
      const headers = signed(body, nowSeconds)
      for (const toleranceSeconds of [Number.NaN, Number.POSITIVE_INFINITY, -1, 86_401]) {
        const error = yield* Effect.flip(Webhook.verify({ secret, toleranceSeconds })(headers, body, now))
        assert.strictEqual(error._tag, "WebhookConfigError")
        assert.strictEqual((error as Webhook.WebhookConfigError).setting, "toleranceSeconds")
      }
      for (const empty of [Redacted.make(""), Redacted.make("   "), [] as ReadonlyArray<Redacted.Redacted<string>>]) {
        const emptySigned = signed(body, nowSeconds, Redacted.make(""))
        const error = yield* Effect.flip(Webhook.verify({ secret: empty })(emptySigned, body, now))
        assert.strictEqual(error._tag, "WebhookConfigError")
        assert.strictEqual((error as Webhook.WebhookConfigError).setting, "secret")
      }
    })
  )

  const replaySuite = (name: string, store: Effect.Effect<Replay.ReplayStoreShape, unknown, Scope.Scope>) =>
    it.scoped(`a replay store (${name}) accepts a signature once within the window; a retry is a new request`, () =>
      Effect.gen(function* () {
        const replay = yield* store
        const check = Webhook.verify({ secret, toleranceSeconds: 60, replay })
        const headers = signed(body, nowSeconds)
        assert.strictEqual((yield* check(headers, body, now)).idempotencyKey, "k-1")
        assert.strictEqual(yield* reasonOf(check(headers, body, now + 30_000)), "Replayed")
        // concurrent duplicates: exactly one is accepted
        const burst = signed(body, nowSeconds + 1)
        const results = yield* Effect.all(
          Array.from({ length: 5 }, () => Effect.either(check(burst, body, now + 1000))),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(results.filter((result) => result._tag === "Right").length, 1)
        // the sender's retry carries a new timestamp, hence a new signature
        assert.strictEqual((yield* check(signed(body, nowSeconds + 2), body, now + 2000)).idempotencyKey, "k-1")
        // outside the window the timestamp check refuses it, whatever the store remembers
        assert.strictEqual(yield* reasonOf(check(headers, body, now + 120_000)), "TimestampOutOfRange")
      })
    )

  replaySuite("memory", Replay.makeMemory)
  // the same store on the real servers (skipped with a hint when none answers, unless GONGZHI_REQUIRE_DATABASES=1)
  const onServer = (layer: Layer.Layer<SqlClient.SqlClient, unknown>) =>
    Effect.flatMap(Layer.build(layer), (context) => Replay.makeSql.pipe(Effect.provide(context))).pipe(Effect.orDie)
  if (!pg.skip) replaySuite("PostgreSQL", onServer(PgTesting.layerTest({ migrations: [Replay.migrations] })))
  if (!mysql.skip) replaySuite("MySQL", onServer(MysqlTesting.layerTest({ migrations: [Replay.migrations] })))
  replaySuite(
    "SQLite",
    Effect.gen(function* () {
      const sqlite = yield* Layer.build(SqliteClient.layer({ filename: ":memory:" }))
      return yield* Effect.zipRight(Migrations.run([Replay.migrations]), Replay.makeSql).pipe(
        Effect.provide(sqlite),
        Effect.orDie
      )
    })
  )

  it.effect("accepts a good request (string or bytes, web Headers or a record) and decodes it", () =>
    Effect.gen(function* () {
      const payload = yield* verifyWith(signed(body, nowSeconds), body, now)
      assert.strictEqual(payload.subject, "沙坣社区")
      assert.strictEqual(payload.sentAt.getTime(), now)
      const headers = new Headers(signed(body, nowSeconds))
      const fromBytes = yield* verifyWith(headers, new TextEncoder().encode(body), new Date(now + 299_000))
      assert.strictEqual(fromBytes.idempotencyKey, "k-1")
    })
  )

  it.effect("rejects a tampered body, a wrong secret, and a signature over another timestamp", () =>
    Effect.gen(function* () {
      const headers = signed(body, nowSeconds)
      assert.strictEqual(yield* reasonOf(verifyWith(headers, body.replace("沙坣", "沙井"), now)), "BadSignature")
      const foreign = signed(body, nowSeconds, Redacted.make("another-secret-0123456789"))
      assert.strictEqual(yield* reasonOf(verifyWith(foreign, body, now)), "BadSignature")
      const shifted = { ...headers, "X-Gongzhi-Timestamp": String(nowSeconds + 1) }
      assert.strictEqual(yield* reasonOf(verifyWith(shifted, body, now)), "BadSignature")
    })
  )

  it.effect("rejects an old or future timestamp (replay) outside the tolerance", () =>
    Effect.gen(function* () {
      const old = signed(body, nowSeconds - 301)
      assert.strictEqual(yield* reasonOf(verifyWith(old, body, now)), "TimestampOutOfRange")
      const future = signed(body, nowSeconds + 301)
      assert.strictEqual(yield* reasonOf(verifyWith(future, body, now)), "TimestampOutOfRange")
      const strict = Webhook.verify({ secret, toleranceSeconds: 10 })
      assert.strictEqual(yield* reasonOf(strict(signed(body, nowSeconds - 11), body, now)), "TimestampOutOfRange")
      yield* strict(signed(body, nowSeconds - 10), body, now)
    })
  )

  it.effect("rejects missing and malformed headers and a body that is not a notification", () =>
    Effect.gen(function* () {
      const headers = signed(body, nowSeconds)
      const { "X-Gongzhi-Signature": _signature, ...noSignature } = headers
      assert.strictEqual(yield* reasonOf(verifyWith(noSignature, body, now)), "MissingHeader")
      const { "X-Gongzhi-Timestamp": _timestamp, ...noTimestamp } = headers
      assert.strictEqual(yield* reasonOf(verifyWith(noTimestamp, body, now)), "MissingHeader")
      const badTimestamp = { ...headers, "X-Gongzhi-Timestamp": "yesterday" }
      assert.strictEqual(yield* reasonOf(verifyWith(badTimestamp, body, now)), "MalformedHeader")
      const badScheme = { ...headers, "X-Gongzhi-Signature": "sha1=abc" }
      assert.strictEqual(yield* reasonOf(verifyWith(badScheme, body, now)), "MalformedHeader")
      const notJson = "not json"
      assert.strictEqual(yield* reasonOf(verifyWith(signed(notJson, nowSeconds), notJson, now)), "MalformedPayload")
      const error = yield* Effect.flip(verifyWith(noSignature, body, now))
      assert.include(error.message, "Webhook 校验失败")
    })
  )

  it.effect("accepts any of several secrets while the sender rotates", () =>
    Effect.gen(function* () {
      const rotating = Webhook.verify({ secret: [Redacted.make("old-secret-0123456789abc"), secret] })
      const payload = yield* rotating(signed(body, nowSeconds), body, now)
      assert.strictEqual(payload.idempotencyKey, "k-1")
    })
  )

  it.effect.prop(
    "a signature verifies for any body and breaks when any character changes",
    [FastCheck.string({ unit: "grapheme", minLength: 1, maxLength: 60 }), FastCheck.nat()],
    ([text, position]) =>
      Effect.gen(function* () {
        const document = JSON.stringify({ ...JSON.parse(body), text })
        const headers = signed(document, nowSeconds)
        const payload = yield* verifyWith(headers, document, now)
        assert.strictEqual(payload.text, text)
        const chars = [...document]
        const index = position % chars.length
        chars[index] = chars[index] === "a" ? "b" : "a"
        const tampered = chars.join("")
        assert.strictEqual(yield* reasonOf(verifyWith(headers, tampered, now)), "BadSignature")
      }),
    { fastCheck: { numRuns: 100 } }
  )
})

describe("Retry-After", () => {
  it("reads delta-seconds and HTTP dates, and ignores anything else", () => {
    const now = Date.UTC(2026, 2, 2, 1, 0, 0)
    assert.strictEqual(parseRetryAfter("0", now), 0)
    assert.strictEqual(parseRetryAfter(" 120 ", now), 120_000)
    assert.strictEqual(parseRetryAfter(new Date(now + 90_000).toUTCString(), now), 90_000)
    assert.strictEqual(parseRetryAfter(new Date(now - 90_000).toUTCString(), now), 0)
    assert.isUndefined(parseRetryAfter(undefined, now))
    assert.isUndefined(parseRetryAfter("", now))
    assert.isUndefined(parseRetryAfter("-5", now))
    assert.isUndefined(parseRetryAfter("1.5", now))
    assert.isUndefined(parseRetryAfter("soon", now))
    assert.isUndefined(parseRetryAfter("2026-03-02", now))
  })
})
