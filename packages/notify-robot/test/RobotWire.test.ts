import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Redacted } from "effect"
import * as DingTalk from "../src/DingTalk.js"
import * as Feishu from "../src/Feishu.js"
import * as WeCom from "../src/WeCom.js"
import {
  client,
  DINGTALK_SECRET,
  DINGTALK_TOKEN,
  FEISHU_HOOK,
  FEISHU_SECRET,
  failureOf,
  hmacBase64,
  LOCAL,
  type Make,
  makeStandIn,
  notification,
  WECOM_KEY
} from "./standIns.js"

// Exact wire formats of each platform (conformance and errors are in Robot.test.ts)

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
