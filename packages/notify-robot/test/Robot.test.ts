import { createHmac, randomBytes } from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import * as Notifier from "@gongzhi/core/Notifier"
import { TenantId } from "@gongzhi/core/Tenant"
import type { NotifierProbe, ReceivedNotification } from "@gongzhi/core/testing"
import { notifierSuite } from "@gongzhi/core/testing"
import { Cause, ConfigProvider, Context, Effect, Either, Exit, Layer, Option, Redacted } from "effect"
import * as DingTalk from "../src/DingTalk.js"
import * as Feishu from "../src/Feishu.js"
import type { RobotConfigError, RobotOptions } from "../src/Robot.js"
import * as WeCom from "../src/WeCom.js"

// ---------------------------------------------------------------------------------------------
// Stand-ins for the three platforms: a real HTTP server on 127.0.0.1 that checks the path, the
// token, the signature (recomputed here, independently of the code under test) and answers in the
// platform's own shapes.

const WECOM_KEY = "wecom-key-693ff0e1-7a3c-4b1e-9f5e"
const DINGTALK_TOKEN = "dingtalk-token-5b2a77c1d3e4f5a6b7c8"
const DINGTALK_SECRET = `SEC${randomBytes(12).toString("hex")}沙坣`
const FEISHU_HOOK = "feishu-hook-2f9c1b7e-44aa-4c3d-8e21"
const FEISHU_SECRET = `feishu-${randomBytes(12).toString("hex")}`

const hmacBase64 = (key: string, message: string) => createHmac("sha256", key).update(message, "utf8").digest("base64")

/** One request as the stand-in received it. */
interface Recorded {
  readonly path: string
  /** The raw query string (without "?"). */
  readonly rawQuery: string
  readonly query: Record<string, string>
  readonly contentType: string | undefined
  readonly body: any
  /** The answer given: accepted (platform code 0) or not. */
  readonly accepted: boolean
}

type Planned =
  | { readonly kind: "answer"; readonly code: number; readonly message: string }
  | { readonly kind: "http"; readonly status: number; readonly headers?: Record<string, string> }
  | { readonly kind: "raw"; readonly text: string }
  | { readonly kind: "hang" }

interface StandIn {
  readonly name: "wecom" | "dingtalk" | "feishu"
  readonly url: string
  readonly requests: Array<Recorded>
  readonly plan: Array<Planned>
}

/** Platform behaviour of the stand-in: path check, signature check, answer shapes. */
interface PlatformSpec {
  readonly name: StandIn["name"]
  readonly path: string
  readonly query: string
  /** undefined when the request is authentic, else the platform's error (code, message). */
  readonly check: (request: Omit<Recorded, "accepted">, nowMillis: number) => [number, string] | undefined
  readonly answer: (code: number, message: string) => unknown
  readonly rateLimitCode: number
  readonly otherCode: [number, string]
}

const specs: Record<StandIn["name"], PlatformSpec> = {
  wecom: {
    name: "wecom",
    path: "/cgi-bin/webhook/send",
    query: `key=${WECOM_KEY}`,
    check: (request) =>
      request.query.key === WECOM_KEY ? undefined : [93000, "invalid webhook url, hint: [1718000000_1]"],
    answer: (errcode, errmsg) => ({ errcode, errmsg }),
    rateLimitCode: 45009,
    otherCode: [40008, "invalid message type"]
  },
  dingtalk: {
    name: "dingtalk",
    path: "/robot/send",
    query: `access_token=${DINGTALK_TOKEN}`,
    check: (request, now) => {
      if (request.query.access_token !== DINGTALK_TOKEN) return [300001, "token is not exist"]
      const timestamp = request.query.timestamp
      if (timestamp === undefined || Math.abs(Number(timestamp) - now) > 3_600_000) return [310000, "sign not match"]
      const expected = hmacBase64(DINGTALK_SECRET, `${timestamp}\n${DINGTALK_SECRET}`)
      // the signature travels URL-encoded: base64's +, / and = must be escaped
      const rawSign = /(?:^|&)sign=([^&]*)/.exec(request.rawQuery)?.[1]
      if (rawSign !== encodeURIComponent(expected) || request.query.sign !== expected) {
        return [310000, `sign not match, more: [${DINGTALK_TOKEN}]`]
      }
      return undefined
    },
    answer: (errcode, errmsg) => ({ errcode, errmsg }),
    rateLimitCode: 130101,
    otherCode: [400102, "robot has been disabled"]
  },
  feishu: {
    name: "feishu",
    path: `/open-apis/bot/v2/hook/${FEISHU_HOOK}`,
    query: "",
    check: (request, now) => {
      const { sign, timestamp } = request.body ?? {}
      if (typeof timestamp !== "string" || Math.abs(Number(timestamp) * 1000 - now) > 3_600_000) {
        return [19021, "sign match fail or timestamp is not within one hour from current time"]
      }
      if (sign !== hmacBase64(`${timestamp}\n${FEISHU_SECRET}`, "")) {
        return [19021, "sign match fail or timestamp is not within one hour from current time"]
      }
      return undefined
    },
    answer: (code, msg) => (code === 0 ? { code, msg: "success", data: {} } : { code, msg, data: {} }),
    rateLimitCode: 11232,
    otherCode: [9499, "Bad Request"]
  }
}

const makeStandIn = (name: StandIn["name"]) =>
  Effect.acquireRelease(
    Effect.async<{ readonly standIn: StandIn; readonly server: Http.Server }>((resume) => {
      const spec = specs[name]
      const requests: Array<Recorded> = []
      const plan: Array<Planned> = []
      const server = Http.createServer((request, response) => {
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => {
          const planned = plan.shift()
          if (planned?.kind === "hang") return
          const url = new URL(request.url ?? "/", "http://127.0.0.1")
          const text = Buffer.concat(chunks).toString("utf8")
          let body: unknown
          try {
            body = JSON.parse(text)
          } catch {
            body = text
          }
          const seen = {
            path: url.pathname,
            rawQuery: url.search.slice(1),
            query: Object.fromEntries(url.searchParams),
            contentType: request.headers["content-type"],
            body
          }
          const reply = (status: number, json: unknown, accepted: boolean, headers: Record<string, string> = {}) => {
            requests.push({ ...seen, accepted })
            response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers })
            response.end(typeof json === "string" ? json : JSON.stringify(json))
          }
          if (planned?.kind === "http") return reply(planned.status, "{}", false, planned.headers)
          if (planned?.kind === "raw") return reply(200, planned.text, false, { "content-type": "text/html" })
          if (url.pathname !== spec.path) return reply(404, "404 page not found", false)
          const refused = spec.check(seen, Date.now())
          if (refused !== undefined) return reply(200, spec.answer(refused[0], refused[1]), false)
          if (planned?.kind === "answer") return reply(200, spec.answer(planned.code, planned.message), false)
          reply(200, spec.answer(0, "ok"), true)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        const url = `http://127.0.0.1:${port}${spec.path}${spec.query === "" ? "" : `?${spec.query}`}`
        resume(Effect.succeed({ standIn: { name, url, requests, plan }, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ standIn }) => standIn))

// ---------------------------------------------------------------------------------------------

const client = NodeHttpClient.layerUndici
const LOCAL = ["127.0.0.1"]

type Make = (options: RobotOptions) => Effect.Effect<Notifier.NotifierShape, RobotConfigError, HttpClient.HttpClient>

interface Case {
  readonly name: StandIn["name"]
  readonly make: Make
  readonly layer: (options: RobotOptions) => Layer.Layer<Notifier.Notifier, RobotConfigError, HttpClient.HttpClient>
  readonly secret: string | undefined
  readonly secrets: ReadonlyArray<string>
  /** Decodes what the stand-in got back into subject / text / Markdown. */
  readonly decode: (request: Recorded) => Omit<ReceivedNotification, "recipient">
}

const splitText = (content: string) => {
  const index = content.indexOf("\n\n")
  return { subject: content.slice(0, index), text: content.slice(index + 2) }
}
const splitMarkdown = (content: string) => {
  assert.isTrue(content.startsWith("### "))
  const { subject, text } = splitText(content.slice(4))
  return { subject, text, markdown: text }
}

const cases: ReadonlyArray<Case> = [
  {
    name: "wecom",
    make: WeCom.make as Make,
    layer: WeCom.layer as Case["layer"],
    secret: undefined,
    secrets: [WECOM_KEY],
    decode: ({ body }) =>
      body.msgtype === "text" ? splitText(body.text.content) : splitMarkdown(body.markdown.content)
  },
  {
    name: "dingtalk",
    make: DingTalk.make,
    layer: DingTalk.layer,
    secret: DINGTALK_SECRET,
    secrets: [DINGTALK_TOKEN, DINGTALK_SECRET],
    decode: ({ body }) => {
      if (body.msgtype === "text") return splitText(body.text.content)
      const decoded = splitMarkdown(body.markdown.text)
      assert.strictEqual(body.markdown.title, decoded.subject)
      return decoded
    }
  },
  {
    name: "feishu",
    make: Feishu.make,
    layer: Feishu.layer,
    secret: FEISHU_SECRET,
    secrets: [FEISHU_HOOK, FEISHU_SECRET],
    decode: ({ body }) => {
      if (body.msg_type === "text") return splitText(body.content.text)
      const markdown = body.card.elements[0].text.content
      return { subject: body.card.header.title.content, text: markdown, markdown }
    }
  }
]

/** The URL the notifier was given, rebuilt from what the stand-in saw (minus the signature). */
const recipientSeen = (standIn: StandIn, request: Recorded): string => {
  const query = new URLSearchParams(request.rawQuery)
  query.delete("timestamp")
  query.delete("sign")
  const search = query.toString()
  return `${new URL(standIn.url).origin}${request.path}${search === "" ? "" : `?${search}`}`
}

const failureOf = <A>(exit: Exit.Exit<A, Notifier.NotifyError>): Notifier.NotifyError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  assert.isFalse(Cause.isDie(exit.cause), "a defect instead of a NotifyError")
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

const notification = (channel: string, recipient: string, fields: Partial<Notifier.Notification> = {}) =>
  new Notifier.Notification({
    tenantId: TenantId.make("440310"),
    channel: Notifier.Channel.make(channel),
    recipient,
    subject: "沙坣社区：民情诉求已受理",
    body: { text: "编号 MQ-0001\n请保持电话畅通 👍" },
    idempotencyKey: `k-${Math.random().toString(36).slice(2)}`,
    ...fields
  })

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
// Exact wire formats

describe("WeCom", () => {
  it.scopedLive("text: {msgtype:text, text:{content}} to the webhook URL with its key, JSON in UTF-8", () =>
    Effect.gen(function* () {
      const standIn = yield* makeStandIn("wecom")
      const wecom = yield* WeCom.make({ hosts: LOCAL })
      const receipt = yield* wecom.send(notification("wecom", standIn.url))
      assert.strictEqual(receipt.channel, "wecom")
      const [request] = standIn.requests
      assert.strictEqual(request.path, "/cgi-bin/webhook/send")
      assert.deepStrictEqual(request.query, { key: WECOM_KEY })
      assert.strictEqual(request.contentType, "application/json; charset=utf-8")
      assert.deepStrictEqual(request.body, {
        msgtype: "text",
        text: { content: "沙坣社区：民情诉求已受理\n\n编号 MQ-0001\n请保持电话畅通 👍" }
      })
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("markdown: {msgtype:markdown, markdown:{content}} with the subject as a heading", () =>
    Effect.gen(function* () {
      const standIn = yield* makeStandIn("wecom")
      const wecom = yield* WeCom.make({ hosts: LOCAL })
      yield* wecom.send(
        notification("wecom", standIn.url, {
          body: { text: "已受理", markdown: '**已受理**\n<font color="info">沙坣</font>' }
        })
      )
      assert.deepStrictEqual(standIn.requests[0].body, {
        msgtype: "markdown",
        markdown: { content: '### 沙坣社区：民情诉求已受理\n\n**已受理**\n<font color="info">沙坣</font>' }
      })
      // format "text" always sends text
      const textOnly = yield* WeCom.make({ hosts: LOCAL, format: "text" })
      yield* textOnly.send(notification("wecom", standIn.url, { body: { text: "已受理", markdown: "**已受理**" } }))
      assert.deepStrictEqual(standIn.requests[1].body, {
        msgtype: "text",
        text: { content: "沙坣社区：民情诉求已受理\n\n已受理" }
      })
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("text over 2048 bytes is cut at a character boundary and ends with …", () =>
    Effect.gen(function* () {
      const standIn = yield* makeStandIn("wecom")
      const wecom = yield* WeCom.make({ hosts: LOCAL })
      const long = "沙坣".repeat(600) + "👍".repeat(100)
      yield* wecom.send(notification("wecom", standIn.url, { subject: "", body: { text: long } }))
      const content: string = standIn.requests[0].body.text.content
      assert.isAtMost(Buffer.byteLength(content, "utf8"), 2048)
      assert.isAbove(Buffer.byteLength(content, "utf8"), 2040)
      assert.isTrue(content.endsWith("…"))
      assert.isTrue(long.startsWith(content.slice(0, -1)))
      assert.strictEqual(Buffer.from(content, "utf8").toString("utf8"), content)
    }).pipe(Effect.provide(client))
  )

  it.effect("refuses a signing secret (WeCom robots do not sign)", () =>
    Effect.gen(function* () {
      const result = yield* Effect.either(
        (WeCom.make as Make)({ hosts: LOCAL, secret: Redacted.make("nope") }).pipe(Effect.provide(client))
      )
      assert.isTrue(Either.isLeft(result) && result.left.setting === "secret")
    })
  )
})

describe("DingTalk", () => {
  it.scopedLive("signed URL: timestamp (ms) and sign = urlEncode(base64(HMAC-SHA256(secret, ts\\nsecret)))", () =>
    Effect.gen(function* () {
      const standIn = yield* makeStandIn("dingtalk")
      const dingtalk = yield* DingTalk.make({ hosts: LOCAL, secret: Redacted.make(DINGTALK_SECRET) })
      const before = Date.now()
      yield* dingtalk.send(notification("dingtalk", standIn.url))
      const after = Date.now()
      const [request] = standIn.requests
      assert.isTrue(request.accepted)
      const timestamp = request.query.timestamp
      assert.match(timestamp, /^\d{13}$/)
      assert.isAtLeast(Number(timestamp), before)
      assert.isAtMost(Number(timestamp), after)
      const expectedSign = hmacBase64(DINGTALK_SECRET, `${timestamp}\n${DINGTALK_SECRET}`)
      assert.deepStrictEqual(request.query, { access_token: DINGTALK_TOKEN, timestamp, sign: expectedSign })
      assert.strictEqual(
        request.rawQuery,
        `access_token=${DINGTALK_TOKEN}&timestamp=${timestamp}&sign=${encodeURIComponent(expectedSign)}`
      )
      assert.strictEqual(DingTalk.sign(DINGTALK_SECRET, timestamp), expectedSign)
      assert.deepStrictEqual(request.body, {
        msgtype: "text",
        text: { content: "沙坣社区：民情诉求已受理\n\n编号 MQ-0001\n请保持电话畅通 👍" }
      })
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("markdown: {msgtype:markdown, markdown:{title, text}}", () =>
    Effect.gen(function* () {
      const standIn = yield* makeStandIn("dingtalk")
      const dingtalk = yield* DingTalk.make({ hosts: LOCAL, secret: Redacted.make(DINGTALK_SECRET) })
      yield* dingtalk.send(
        notification("dingtalk", standIn.url, { body: { text: "t", markdown: "- **编号** MQ-0001" } })
      )
      assert.deepStrictEqual(standIn.requests[0].body, {
        msgtype: "markdown",
        markdown: { title: "沙坣社区：民情诉求已受理", text: "### 沙坣社区：民情诉求已受理\n\n- **编号** MQ-0001" }
      })
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("a wrong secret gets 'sign not match' (310000): permanent, and neither token nor secret shown", () =>
    Effect.gen(function* () {
      const standIn = yield* makeStandIn("dingtalk")
      const dingtalk = yield* DingTalk.make({ hosts: LOCAL, secret: Redacted.make("SECwrong-secret-xyz") })
      const error = failureOf(yield* Effect.exit(dingtalk.send(notification("dingtalk", standIn.url))))
      assert.isFalse(error.retryable)
      assert.include(error.reason, "310000")
      assert.include(error.reason, "sign not match")
      const rendered = `${error.message} ${JSON.stringify(error)}`
      for (const secret of [DINGTALK_TOKEN, "SECwrong-secret-xyz", DINGTALK_SECRET]) assert.notInclude(rendered, secret)
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("named robots carry their own URL and secret; the name is the recipient", () =>
    Effect.gen(function* () {
      const standIn = yield* makeStandIn("dingtalk")
      const dingtalk = yield* DingTalk.make({
        hosts: LOCAL,
        robots: { 马峦街道: { url: Redacted.make(standIn.url), secret: Redacted.make(DINGTALK_SECRET) } }
      })
      yield* dingtalk.send(notification("dingtalk", "马峦街道"))
      assert.strictEqual(standIn.requests.length, 1)
      assert.isTrue(standIn.requests[0].accepted)
      const unknown = failureOf(yield* Effect.exit(dingtalk.send(notification("dingtalk", "石井街道"))))
      assert.isFalse(unknown.retryable)
      assert.strictEqual(standIn.requests.length, 1)
    }).pipe(Effect.provide(client))
  )

  it.effect("config reads GONGZHI_DINGTALK_WEBHOOK and GONGZHI_DINGTALK_SECRET as the robot 'default'", () =>
    Effect.gen(function* () {
      const options = yield* Effect.withConfigProvider(
        DingTalk.config,
        ConfigProvider.fromMap(
          new Map([
            ["GONGZHI_DINGTALK_WEBHOOK", `https://oapi.dingtalk.com/robot/send?access_token=${DINGTALK_TOKEN}`],
            ["GONGZHI_DINGTALK_SECRET", DINGTALK_SECRET],
            ["GONGZHI_DINGTALK_FORMAT", "markdown"]
          ])
        )
      )
      const robot = options.robots!.default
      assert.strictEqual(
        Redacted.value(robot.url),
        `https://oapi.dingtalk.com/robot/send?access_token=${DINGTALK_TOKEN}`
      )
      assert.strictEqual(Redacted.value(robot.secret!), DINGTALK_SECRET)
      assert.strictEqual(options.format, "markdown")
      assert.notInclude(JSON.stringify(options), DINGTALK_TOKEN)
      // and the default hosts accept the real platform's URL
      const notifier = yield* DingTalk.make(options).pipe(Effect.provide(client))
      assert.strictEqual(notifier.channel, "dingtalk")
    })
  )
})

describe("Feishu", () => {
  it.scopedLive("text: {timestamp, sign, msg_type:text, content:{text}}, sign = base64(HMAC(ts\\nsecret, ''))", () =>
    Effect.gen(function* () {
      const standIn = yield* makeStandIn("feishu")
      const feishu = yield* Feishu.make({ hosts: LOCAL, secret: Redacted.make(FEISHU_SECRET) })
      const before = Math.floor(Date.now() / 1000)
      yield* feishu.send(notification("feishu", standIn.url))
      const [request] = standIn.requests
      assert.isTrue(request.accepted)
      assert.deepStrictEqual(request.query, {})
      const timestamp: string = request.body.timestamp
      assert.match(timestamp, /^\d{10}$/)
      assert.isAtLeast(Number(timestamp), before)
      assert.deepStrictEqual(request.body, {
        timestamp,
        sign: hmacBase64(`${timestamp}\n${FEISHU_SECRET}`, ""),
        msg_type: "text",
        content: { text: "沙坣社区：民情诉求已受理\n\n编号 MQ-0001\n请保持电话畅通 👍" }
      })
      assert.strictEqual(Feishu.sign(FEISHU_SECRET, timestamp), request.body.sign)
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("markdown: an interactive card with the subject as header and a lark_md block", () =>
    Effect.gen(function* () {
      const standIn = yield* makeStandIn("feishu")
      const feishu = yield* Feishu.make({ hosts: LOCAL, secret: Redacted.make(FEISHU_SECRET) })
      yield* feishu.send(notification("feishu", standIn.url, { body: { text: "t", markdown: "**编号** MQ-0001" } }))
      const { body } = standIn.requests[0]
      assert.deepStrictEqual(body, {
        timestamp: body.timestamp,
        sign: hmacBase64(`${body.timestamp}\n${FEISHU_SECRET}`, ""),
        msg_type: "interactive",
        card: {
          header: { title: { tag: "plain_text", content: "沙坣社区：民情诉求已受理" } },
          elements: [{ tag: "div", text: { tag: "lark_md", content: "**编号** MQ-0001" } }]
        }
      })
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("a wrong secret gets 19021: permanent; without a secret no timestamp or sign is sent", () =>
    Effect.gen(function* () {
      const standIn = yield* makeStandIn("feishu")
      const wrong = yield* Feishu.make({ hosts: LOCAL, secret: Redacted.make("not-the-secret") })
      const error = failureOf(yield* Effect.exit(wrong.send(notification("feishu", standIn.url))))
      assert.isFalse(error.retryable)
      assert.include(error.reason, "19021")
      assert.notInclude(`${error.message} ${JSON.stringify(error)}`, FEISHU_HOOK)
      const unsigned = yield* Feishu.make({ hosts: LOCAL })
      yield* Effect.exit(unsigned.send(notification("feishu", standIn.url)))
      assert.deepStrictEqual(Object.keys(standIn.requests[1].body), ["msg_type", "content"])
    }).pipe(Effect.provide(client))
  )
})

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
