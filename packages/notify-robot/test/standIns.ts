// Shared by the robot tests: stand-ins for the three platforms (real HTTP servers on 127.0.0.1),
// the per-platform cases and small helpers.
import { createHmac, randomBytes } from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert } from "@effect/vitest"
import * as Notifier from "@gongzhi/core/Notifier"
import { TenantId } from "@gongzhi/core/Tenant"
import type { ReceivedNotification } from "@gongzhi/core/testing"
import { Cause, Effect, Exit, type Layer, Option } from "effect"
import * as DingTalk from "../src/DingTalk.js"
import * as Feishu from "../src/Feishu.js"
import type { RobotConfigError, RobotOptions } from "../src/Robot.js"
import * as WeCom from "../src/WeCom.js"

// ---------------------------------------------------------------------------------------------
// Stand-ins for the three platforms: a real HTTP server on 127.0.0.1 that checks the path, the
// token, the signature (recomputed here, independently of the code under test) and answers in the
// platform's own shapes.

export const WECOM_KEY = "wecom-key-693ff0e1-7a3c-4b1e-9f5e"
export const DINGTALK_TOKEN = "dingtalk-token-5b2a77c1d3e4f5a6b7c8"
export const DINGTALK_SECRET = `SEC${randomBytes(12).toString("hex")}沙坣`
export const FEISHU_HOOK = "feishu-hook-2f9c1b7e-44aa-4c3d-8e21"
export const FEISHU_SECRET = `feishu-${randomBytes(12).toString("hex")}`

export const hmacBase64 = (key: string, message: string) =>
  createHmac("sha256", key).update(message, "utf8").digest("base64")

/** One request as the stand-in received it. */
export interface Recorded {
  readonly path: string
  /** The raw query string (without "?"). */
  readonly rawQuery: string
  readonly query: Record<string, string>
  readonly contentType: string | undefined
  readonly body: any
  /** The answer given: accepted (platform code 0) or not. */
  readonly accepted: boolean
}

export type Planned =
  | { readonly kind: "answer"; readonly code: number; readonly message: string }
  | { readonly kind: "http"; readonly status: number; readonly headers?: Record<string, string> }
  | { readonly kind: "raw"; readonly text: string }
  | { readonly kind: "hang" }

export interface StandIn {
  readonly name: "wecom" | "dingtalk" | "feishu"
  readonly url: string
  readonly requests: Array<Recorded>
  readonly plan: Array<Planned>
}

/** Platform behaviour of the stand-in: path check, signature check, answer shapes. */
export interface PlatformSpec {
  readonly name: StandIn["name"]
  readonly path: string
  readonly query: string
  /** undefined when the request is authentic, else the platform's error (code, message). */
  readonly check: (request: Omit<Recorded, "accepted">, nowMillis: number) => [number, string] | undefined
  readonly answer: (code: number, message: string) => unknown
  readonly rateLimitCode: number
  readonly otherCode: [number, string]
}

export const specs: Record<StandIn["name"], PlatformSpec> = {
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

export const makeStandIn = (name: StandIn["name"]) =>
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

export const client = NodeHttpClient.layerUndici
export const LOCAL = ["127.0.0.1"]

export type Make = (
  options: RobotOptions
) => Effect.Effect<Notifier.NotifierShape, RobotConfigError, HttpClient.HttpClient>

export interface Case {
  readonly name: StandIn["name"]
  readonly make: Make
  readonly layer: (options: RobotOptions) => Layer.Layer<Notifier.Notifier, RobotConfigError, HttpClient.HttpClient>
  readonly secret: string | undefined
  readonly secrets: ReadonlyArray<string>
  /** Decodes what the stand-in got back into subject / text / Markdown. */
  readonly decode: (request: Recorded) => Omit<ReceivedNotification, "recipient">
}

export const splitText = (content: string) => {
  const index = content.indexOf("\n\n")
  return { subject: content.slice(0, index), text: content.slice(index + 2) }
}
export const splitMarkdown = (content: string) => {
  assert.isTrue(content.startsWith("### "))
  const { subject, text } = splitText(content.slice(4))
  return { subject, text, markdown: text }
}

export const cases: ReadonlyArray<Case> = [
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
export const recipientSeen = (standIn: StandIn, request: Recorded): string => {
  const query = new URLSearchParams(request.rawQuery)
  query.delete("timestamp")
  query.delete("sign")
  const search = query.toString()
  return `${new URL(standIn.url).origin}${request.path}${search === "" ? "" : `?${search}`}`
}

export const failureOf = <A>(exit: Exit.Exit<A, Notifier.NotifyError>): Notifier.NotifyError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  assert.isFalse(Cause.isDie(exit.cause), "a defect instead of a NotifyError")
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

export const notification = (channel: string, recipient: string, fields: Partial<Notifier.Notification> = {}) =>
  new Notifier.Notification({
    tenantId: TenantId.make("440310"),
    channel: Notifier.Channel.make(channel),
    recipient,
    subject: "沙坣社区：民情诉求已受理",
    body: { text: "编号 MQ-0001\n请保持电话畅通 👍" },
    idempotencyKey: `k-${Math.random().toString(36).slice(2)}`,
    ...fields
  })
