import { randomBytes } from "node:crypto"
import * as Net from "node:net"
import { assert, describe, it } from "@effect/vitest"
import * as Notifier from "@gongzhi/core/Notifier"
import { TenantId } from "@gongzhi/core/Tenant"
import type { NotifierProbe, ReceivedNotification } from "@gongzhi/core/testing"
import { notifierSuite } from "@gongzhi/core/testing"
import { Cause, ConfigProvider, Context, Effect, Either, Exit, Fiber, Layer, Option, Redacted, Schedule } from "effect"
import type { SMTPServerOptions } from "smtp-server"
import { SMTPServer } from "smtp-server"
import * as Email from "../src/Email.js"
import { classifySmtpError, sanitizeReply } from "../src/internal/mail.js"

// ---------------------------------------------------------------------------------------------
// A tiny MIME reader for what the test server received (mailparser is not installed): unfolds
// headers, decodes RFC 2047 encoded words (B and Q, adjacent words joined before UTF-8 decoding),
// and quoted-printable / base64 / 8bit parts of a multipart/alternative body.

interface MimePart {
  readonly headers: ReadonlyMap<string, string>
  /** The raw body, one character per byte (latin1). */
  readonly body: string
}

const splitPart = (raw: string): MimePart => {
  const end = raw.indexOf("\r\n\r\n")
  const head = end === -1 ? raw : raw.slice(0, end)
  const body = end === -1 ? "" : raw.slice(end + 4)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":")
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase()
      if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim())
    }
  }
  return { headers, body }
}

const ENCODED_WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g

const encodedWordBytes = (encoding: string, text: string): Buffer =>
  encoding.toUpperCase() === "B"
    ? Buffer.from(text, "base64")
    : Buffer.from(
        text
          .replace(/_/g, " ")
          .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        "latin1"
      )

/** Decodes a header value with RFC 2047 encoded words (whitespace between adjacent words is dropped). */
const decodeHeader = (value: string): string => {
  const joined = value.replace(/\?=\s+=\?/g, "?==?")
  let result = ""
  let pending: Array<Buffer> = []
  let last = 0
  for (const match of joined.matchAll(ENCODED_WORD)) {
    const between = joined.slice(last, match.index)
    if (between !== "") {
      result += Buffer.concat(pending).toString("utf8") + Buffer.from(between, "latin1").toString("utf8")
      pending = []
    }
    assert.strictEqual(match[1].toUpperCase(), "UTF-8")
    pending.push(encodedWordBytes(match[2], match[3]))
    last = match.index + match[0].length
  }
  return result + Buffer.concat(pending).toString("utf8") + Buffer.from(joined.slice(last), "latin1").toString("utf8")
}

const decodeBody = (part: MimePart): string => {
  const encoding = (part.headers.get("content-transfer-encoding") ?? "7bit").toLowerCase()
  const bytes =
    encoding === "base64"
      ? Buffer.from(part.body.replace(/\s+/g, ""), "base64")
      : encoding === "quoted-printable"
        ? Buffer.from(
            part.body
              .replace(/=\r\n/g, "")
              .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            "latin1"
          )
        : Buffer.from(part.body, "latin1")
  assert.match(part.headers.get("content-type") ?? "", /charset=utf-8/i)
  return bytes.toString("utf8").replace(/\r\n/g, "\n")
}

interface ParsedMessage {
  readonly headers: ReadonlyMap<string, string>
  readonly subject: string
  readonly text: string
  readonly html: string
  readonly rawHead: string
}

const parseMessage = (raw: string): ParsedMessage => {
  const message = splitPart(raw)
  const contentType = message.headers.get("content-type") ?? ""
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1]
  assert.isDefined(boundary, "the message should be multipart/alternative")
  assert.match(contentType, /^multipart\/alternative/)
  const parts = message.body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => splitPart(chunk.replace(/^\r\n/, "").replace(/\r\n$/, "")))
  const text = parts.find((part) => (part.headers.get("content-type") ?? "").startsWith("text/plain"))
  const html = parts.find((part) => (part.headers.get("content-type") ?? "").startsWith("text/html"))
  assert.isDefined(text, "a text/plain part")
  assert.isDefined(html, "a text/html part")
  return {
    headers: message.headers,
    subject: decodeHeader(message.headers.get("subject") ?? ""),
    text: decodeBody(text!),
    html: decodeBody(html!),
    rawHead: raw.slice(0, raw.indexOf("\r\n\r\n"))
  }
}

// ---------------------------------------------------------------------------------------------
// A real SMTP server on loopback (smtp-server), without TLS and authentication unless asked.

interface ReceivedMail {
  readonly from: string
  readonly to: ReadonlyArray<string>
  readonly raw: string
}

type Refusal = { readonly stage: "rcpt" | "data"; readonly code: number; readonly message: string }

interface MailServer {
  readonly port: number
  readonly mails: Array<ReceivedMail>
  readonly refusals: Array<Refusal>
}

const smtpError = (refusal: Refusal) => Object.assign(new Error(refusal.message), { responseCode: refusal.code })

const startServer = (
  port: number,
  extra: Partial<SMTPServerOptions> = {}
): Effect.Effect<{ readonly server: SMTPServer; readonly state: MailServer }, Error> =>
  Effect.async((resume) => {
    const mails: Array<ReceivedMail> = []
    const refusals: Array<Refusal> = []
    const server = new SMTPServer({
      disabledCommands: ["STARTTLS", "AUTH"],
      authOptional: true,
      logger: false,
      banner: "gongzhi test",
      onRcptTo(_address, _session, callback) {
        if (refusals[0]?.stage === "rcpt") return callback(smtpError(refusals.shift()!))
        callback()
      },
      onData(stream, session, callback) {
        const chunks: Array<Buffer> = []
        stream.on("data", (chunk: Buffer) => chunks.push(chunk))
        stream.on("end", () => {
          if (refusals[0]?.stage === "data") return callback(smtpError(refusals.shift()!))
          mails.push({
            from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((address) => address.address),
            raw: Buffer.concat(chunks).toString("latin1")
          })
          callback()
        })
      },
      ...extra
    })
    server.on("error", () => {})
    const net = (server as unknown as { readonly server: Net.Server }).server
    net.once("error", (error) => resume(Effect.fail(error)))
    server.listen(port, "127.0.0.1", () => {
      const address = net.address() as Net.AddressInfo
      resume(Effect.succeed({ server, state: { port: address.port, mails, refusals } }))
    })
  })

const stopServer = (server: SMTPServer) => Effect.async<void>((resume) => server.close(() => resume(Effect.void)))

const mailServer = (port = 0, extra: Partial<SMTPServerOptions> = {}) =>
  Effect.acquireRelease(startServer(port, extra), ({ server }) => stopServer(server)).pipe(
    Effect.map(({ state }) => state),
    Effect.orDie
  )

/** A loopback port on which nothing listens. */
const closedPort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as Net.AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** A server that accepts connections and never says hello. */
const silentServer = Effect.acquireRelease(
  Effect.async<{ readonly server: Net.Server; readonly sockets: Set<Net.Socket> }>((resume) => {
    const sockets = new Set<Net.Socket>()
    const server = Net.createServer((socket) => {
      sockets.add(socket)
      socket.on("error", () => {})
      socket.on("close", () => sockets.delete(socket))
    })
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, sockets })))
  }),
  ({ server, sockets }) =>
    Effect.async<void>((resume) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resume(Effect.void))
    })
).pipe(Effect.map(({ server }) => server))

const FROM = "坪山区民情中心 <notify@pingshan.example.cn>"

const options = (port: number, extra: Partial<Email.EmailOptions> = {}): Email.EmailOptions => ({
  host: "127.0.0.1",
  port,
  from: FROM,
  timeout: "5 seconds",
  ...extra
})

const notification = (fields: Partial<Notifier.Notification> = {}) =>
  new Notifier.Notification({
    tenantId: TenantId.make("440310"),
    channel: Notifier.Channel.make("email"),
    recipient: "resident@example.com",
    subject: "沙坣社区：您的民情诉求已受理 🎉",
    body: { text: "居民您好：\n您反映的「沙坣社区路灯不亮」已受理。\n<请勿回复> & 谢谢 👍🏽" },
    priority: "normal",
    idempotencyKey: `mq-${Math.random().toString(36).slice(2)}`,
    ...fields
  })

const failureOf = <A>(exit: Exit.Exit<A, Notifier.NotifyError>): Notifier.NotifyError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  assert.isFalse(Cause.isDie(exit.cause), "a defect instead of a NotifyError")
  return Option.getOrThrow(Cause.failureOption(exit.cause))
}

// ---------------------------------------------------------------------------------------------
// Conformance

class TestMailServer extends Context.Tag("test/TestMailServer")<TestMailServer, MailServer>() {}

const ServerLive = Layer.scoped(TestMailServer, mailServer())

const toReceived = (mail: ReceivedMail): ReceivedNotification => {
  const parsed = parseMessage(mail.raw)
  return {
    recipient: mail.to[0],
    subject: parsed.subject,
    text: parsed.text,
    idempotencyKey: decodeHeader(parsed.headers.get("x-gongzhi-idempotency-key") ?? "")
  }
}

notifierSuite({
  name: "email",
  channel: "email",
  layer: Layer.provideMerge(
    Layer.unwrapEffect(Effect.map(TestMailServer, (server) => Email.layer(options(server.port)))),
    ServerLive
  ),
  probe: Effect.map(
    TestMailServer,
    (server): NotifierProbe => ({
      recipient: "resident@example.com",
      received: Effect.sync(() => server.mails.map(toReceived)),
      reset: Effect.sync(() => {
        server.mails.length = 0
        server.refusals.length = 0
      }),
      failNext: (failure, count) =>
        Effect.sync(() => {
          for (let i = 0; i < count; i++) {
            server.refusals.push(
              failure === "transient"
                ? { stage: "data", code: 451, message: "Try again later" }
                : { stage: "data", code: 554, message: "Message rejected" }
            )
          }
        })
    })
  ),
  supportsIdempotencyKey: true,
  supportsFailures: true,
  invalidRecipients: [
    "居民",
    "resident@localhost",
    "a@example.com, b@example.com",
    "resident@example.com\r\nBcc: spy@example.com",
    "Resident <resident@example.com>"
  ]
})

// ---------------------------------------------------------------------------------------------

describe("Email.make", () => {
  it.scopedLive("delivers a UTF-8 Chinese subject (RFC 2047) and body as text and HTML parts", () =>
    Effect.gen(function* () {
      const server = yield* mailServer()
      const email = yield* Email.make(options(server.port, { replyTo: "reply@pingshan.example.cn" }))
      const sent = notification()
      const receipt = yield* email.send(sent)
      assert.strictEqual(server.mails.length, 1)
      const [mail] = server.mails
      assert.deepStrictEqual(mail.to, ["resident@example.com"])
      assert.strictEqual(mail.from, "notify@pingshan.example.cn")
      const parsed = parseMessage(mail.raw)
      assert.strictEqual(parsed.subject, sent.subject)
      assert.strictEqual(parsed.text, sent.body.text)
      // the headers themselves are 7-bit: the Chinese subject travels as encoded words
      assert.match(parsed.headers.get("subject")!, /^=\?UTF-8\?[BQ]\?/i)
      assert.isTrue([...parsed.rawHead].every((char) => char.charCodeAt(0) < 128))
      assert.strictEqual(decodeHeader(parsed.headers.get("from")!), FROM)
      assert.strictEqual(parsed.headers.get("reply-to"), "reply@pingshan.example.cn")
      assert.strictEqual(parsed.headers.get("x-gongzhi-tenant"), "440310")
      // HTML part: the escaped text with its line breaks
      assert.include(
        parsed.html,
        "居民您好：<br>\n您反映的「沙坣社区路灯不亮」已受理。<br>\n&lt;请勿回复&gt; &amp; 谢谢 👍🏽"
      )
      assert.include(parsed.html, '<meta charset="utf-8">')
      // idempotency: the key as a header, and a Message-ID derived from it
      assert.strictEqual(parsed.headers.get("x-gongzhi-idempotency-key"), sent.idempotencyKey)
      const messageId = parsed.headers.get("message-id")!
      assert.match(messageId, /^<[0-9a-f]{40}\.gongzhi@pingshan\.example\.cn>$/)
      assert.strictEqual(receipt.providerMessageId, messageId)
      assert.strictEqual(receipt.channel, "email")
    })
  )

  it.scopedLive("every attempt of a delivery carries the same Message-ID; other notifications another", () =>
    Effect.gen(function* () {
      const server = yield* mailServer()
      const email = yield* Email.make(options(server.port, { messageIdDomain: "mail.pingshan.example.cn" }))
      const sent = notification()
      yield* email.send(sent)
      yield* email.send(sent)
      yield* email.send(notification())
      const ids = server.mails.map((mail) => parseMessage(mail.raw).headers.get("message-id"))
      assert.strictEqual(ids[0], ids[1])
      assert.notStrictEqual(ids[0], ids[2])
      assert.match(ids[0]!, /@mail\.pingshan\.example\.cn>$/)
    })
  )

  it.scopedLive("uses the template's HTML when there is one, and maps priority to X-Priority", () =>
    Effect.gen(function* () {
      const server = yield* mailServer()
      const email = yield* Email.make(options(server.port))
      const html = "<p>居民您好：<strong>已受理</strong></p>"
      yield* email.send(notification({ body: { text: "居民您好：已受理", html }, priority: "urgent" }))
      const parsed = parseMessage(server.mails[0].raw)
      assert.strictEqual(parsed.html, html)
      assert.strictEqual(parsed.text, "居民您好：已受理")
      assert.match(parsed.headers.get("x-priority") ?? "", /^1/)
    })
  )

  it.scopedLive("a server that is down is a retryable error; when it comes back a queue arrives exactly once", () =>
    Effect.gen(function* () {
      const port = yield* closedPort
      const email = yield* Email.make(options(port))
      const down = failureOf(yield* Effect.exit(email.send(notification())))
      assert.isTrue(down.retryable)
      assert.include(down.reason, "ECONNREFUSED")

      const queue = Array.from({ length: 5 }, (_, i) => notification({ subject: `第${i + 1}封 沙坣社区通知` }))
      const attempts = new Map<string, number>()
      const delivery = yield* Effect.fork(
        Effect.forEach(
          queue,
          (item) =>
            Effect.suspend(() => {
              attempts.set(item.idempotencyKey, (attempts.get(item.idempotencyKey) ?? 0) + 1)
              return email.send(item)
            }).pipe(
              Effect.retry({ while: (error) => error.retryable, schedule: Schedule.spaced("50 millis"), times: 100 })
            ),
          { concurrency: "unbounded" }
        )
      )
      yield* Effect.sleep("300 millis")
      const server = yield* mailServer(port)
      const receipts = yield* Fiber.join(delivery)
      assert.strictEqual(receipts.length, queue.length)
      const received = server.mails.map((mail) => parseMessage(mail.raw))
      assert.deepStrictEqual(received.map((mail) => mail.subject).sort(), queue.map((item) => item.subject).sort())
      assert.deepStrictEqual(
        received.map((mail) => mail.headers.get("x-gongzhi-idempotency-key")).sort(),
        queue.map((item) => item.idempotencyKey).sort()
      )
      // they really were retried while the server was down
      assert.isTrue([...attempts.values()].every((count) => count >= 2))
    })
  )

  it.scopedLive("a server that never greets is timed out with a retryable error", () =>
    Effect.gen(function* () {
      const server = yield* silentServer
      const { port } = server.address() as Net.AddressInfo
      const email = yield* Email.make(options(port, { timeout: "200 millis" }))
      const started = Date.now()
      const error = failureOf(yield* Effect.exit(email.send(notification())))
      assert.isTrue(error.retryable)
      assert.include(error.reason, "ETIMEDOUT")
      assert.isBelow(Date.now() - started, 5_000)
    })
  )

  it.scopedLive("4xx replies are retryable, 5xx permanent (503 excepted), with the code and no address", () =>
    Effect.gen(function* () {
      const server = yield* mailServer()
      const email = yield* Email.make(options(server.port))
      const cases: ReadonlyArray<[Refusal, boolean]> = [
        [{ stage: "rcpt", code: 450, message: "Mailbox busy" }, true],
        [{ stage: "data", code: 452, message: "Insufficient storage" }, true],
        [{ stage: "rcpt", code: 550, message: "<resident@example.com>: Recipient address rejected" }, false],
        [{ stage: "data", code: 554, message: "Message rejected as spam" }, false],
        [{ stage: "data", code: 503, message: "Bad sequence of commands" }, true]
      ]
      for (const [refusal, retryable] of cases) {
        server.refusals.push(refusal)
        const error = failureOf(yield* Effect.exit(email.send(notification())))
        assert.deepStrictEqual([error.retryable, error.status], [retryable, refusal.code], refusal.message)
        assert.include(error.reason, `SMTP ${refusal.code}`)
        assert.notInclude(error.message, "resident@")
      }
      assert.strictEqual(server.mails.length, 0)
    })
  )

  it.scopedLive("authenticates with the password, and a wrong password is permanent and never shown", () =>
    Effect.gen(function* () {
      const password = `app-密码-${randomBytes(6).toString("hex")}`
      const server = yield* mailServer(0, {
        disabledCommands: ["STARTTLS"],
        authOptional: false,
        allowInsecureAuth: true,
        onAuth(auth, _session, callback) {
          if (auth.username === "notify@pingshan.example.cn" && auth.password === password) {
            return callback(null, { user: auth.username })
          }
          callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }))
        }
      })
      const good = yield* Email.make(
        options(server.port, { auth: { user: "notify@pingshan.example.cn", password: Redacted.make(password) } })
      )
      yield* good.send(notification())
      assert.strictEqual(server.mails.length, 1)

      const bad = yield* Email.make(
        options(server.port, { auth: { user: "notify@pingshan.example.cn", password: Redacted.make("wrong-密码") } })
      )
      const error = failureOf(yield* Effect.exit(bad.send(notification())))
      assert.isFalse(error.retryable)
      assert.strictEqual(error.status, 535)
      const rendered = `${error.message} ${JSON.stringify(error)}`
      assert.notInclude(rendered, "wrong-密码")
      assert.notInclude(rendered, password)
    })
  )

  it.effect("rejects bad options with an EmailConfigError", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<[Partial<Email.EmailOptions>, string]> = [
        [{ host: "smtp example" }, "host"],
        [{ port: 0 }, "port"],
        [{ port: 70_000 }, "port"],
        [{ from: "not an address" }, "from"],
        [{ from: "a@example.com\r\nBcc: b@example.com" }, "from"],
        [{ replyTo: "nobody" }, "replyTo"],
        [{ timeout: -1 }, "timeout"],
        [{ channel: "E-Mail" }, "channel"],
        [{ auth: { user: "", password: Redacted.make("x") } }, "auth.user"]
      ]
      for (const [extra, setting] of cases) {
        const result = yield* Effect.either(Effect.scoped(Email.make(options(2525, extra))))
        assert.isTrue(Either.isLeft(result), setting)
        if (Either.isLeft(result)) assert.strictEqual(result.left.setting, setting)
      }
    })
  )

  it.effect("config reads GONGZHI_SMTP_* and keeps the password redacted", () =>
    Effect.gen(function* () {
      const read = (entries: ReadonlyArray<[string, string]>) =>
        Effect.either(Effect.withConfigProvider(Email.config, ConfigProvider.fromMap(new Map(entries))))
      const base: ReadonlyArray<[string, string]> = [
        ["GONGZHI_SMTP_HOST", "smtp.pingshan.example.cn"],
        ["GONGZHI_SMTP_FROM", FROM]
      ]
      const minimal = yield* read(base)
      assert.isTrue(Either.isRight(minimal))
      if (Either.isRight(minimal)) {
        assert.strictEqual(minimal.right.port, 587)
        assert.isUndefined(minimal.right.auth)
      }
      const full = yield* read([
        ...base,
        ["GONGZHI_SMTP_PORT", "465"],
        ["GONGZHI_SMTP_SECURE", "true"],
        ["GONGZHI_SMTP_USER", "notify@pingshan.example.cn"],
        ["GONGZHI_SMTP_PASSWORD", "s3cret"]
      ])
      assert.isTrue(Either.isRight(full))
      if (Either.isRight(full)) {
        assert.strictEqual(full.right.secure, true)
        assert.strictEqual(Redacted.value(full.right.auth!.password), "s3cret")
        assert.notInclude(String(full.right.auth!.password), "s3cret")
      }
      const halfAuth = yield* read([...base, ["GONGZHI_SMTP_USER", "notify@pingshan.example.cn"]])
      assert.isTrue(Either.isLeft(halfAuth))
    })
  )
})

describe("SMTP error classification", () => {
  it("maps nodemailer errors by reply code and error code, without personal data", () => {
    assert.isTrue(classifySmtpError({ code: "ECONNECTION" }).retryable)
    assert.isTrue(classifySmtpError({ code: "ETIMEDOUT" }).retryable)
    assert.isTrue(classifySmtpError({ code: "EENVELOPE", responseCode: 421 }).retryable)
    assert.isFalse(classifySmtpError({ code: "EENVELOPE", responseCode: 550 }).retryable)
    assert.isFalse(classifySmtpError({ code: "EAUTH" }).retryable)
    assert.isFalse(classifySmtpError({ code: "ETLS" }).retryable)
    assert.isTrue(classifySmtpError(new Error("weird")).retryable)
    const reason = classifySmtpError({
      code: "EENVELOPE",
      responseCode: 550,
      response: "550 5.1.1 <zhang.san@example.com>: unknown user, call 13812345678"
    }).reason
    assert.notInclude(reason, "zhang.san")
    assert.notInclude(reason, "13812345678")
    assert.include(reason, "***@example.com")
    assert.strictEqual(sanitizeReply("x".repeat(500)).length, 200)
  })
})
