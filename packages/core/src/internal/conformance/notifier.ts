import { assert, describe, layer } from "@effect/vitest"
import type { Layer } from "effect"
import { Cause, Clock, Effect, Exit, Option } from "effect"
import type { NotifierShape, Receipt } from "../../Notifier.js"
import { Channel, Notification, Notifier, NotifyError } from "../../Notifier.js"
import { TenantId } from "../../Tenant.js"

/**
 * One notification as the receiving side saw it (the HTTP server, the SMTP server, the robot
 * platform's stand-in). The probe decodes the wire format back into these fields.
 */
export interface ReceivedNotification {
  /** The address the receiver saw, when it can see it (a URL, an e-mail address); undefined if not. */
  readonly recipient?: string | undefined
  readonly subject: string
  readonly text: string
  /** The Markdown body, for channels that carry Markdown (`supportsMarkdown`). */
  readonly markdown?: string | undefined
  /** The idempotency key, for channels that carry one (`supportsIdempotencyKey`). */
  readonly idempotencyKey?: string | undefined
}

/**
 * The suite's window on the receiving side of a notifier: what was really delivered.
 */
export interface NotifierProbe {
  /** A recipient address that reaches the probed receiver (e.g. the local server's URL). */
  readonly recipient: string
  /** Every notification the receiver ACCEPTED since the last `reset`, in arrival order. */
  readonly received: Effect.Effect<ReadonlyArray<ReceivedNotification>>
  /** Forgets what was received and any pending failures. */
  readonly reset: Effect.Effect<void>
  /**
   * The receiver refuses the next `count` deliveries, transiently (HTTP 503, SMTP 451, a rate-limit
   * code) or permanently (HTTP 400, SMTP 550, a bad-request code). Required when the backend sets
   * `supportsFailures`.
   */
  readonly failNext?: ((failure: "transient" | "permanent", count: number) => Effect.Effect<void>) | undefined
}

/**
 * A notifier implementation under test, with what its channel can carry.
 */
export interface NotifierBackend<R = never> {
  readonly name: string
  /** The channel name the notifier must report (`"webhook"`, `"email"`, …). */
  readonly channel: string
  /** Builds the notifier and its receiver; provided once for the whole suite. */
  readonly layer: Layer.Layer<Notifier | R, unknown>
  /** The probe over the receiver built by `layer`. */
  readonly probe: Effect.Effect<NotifierProbe, never, Notifier | R>
  /** The idempotency key reaches the receiver (a header, a Message-ID, a payload field). */
  readonly supportsIdempotencyKey?: boolean | undefined
  /** `body.markdown` reaches the receiver as Markdown. */
  readonly supportsMarkdown?: boolean | undefined
  /** Recipient addresses that are malformed for this channel (e.g. `"not a url"`). */
  readonly invalidRecipients?: ReadonlyArray<string> | undefined
  /** The probe offers `failNext`: the suite checks how receiver failures map to `retryable`. */
  readonly supportsFailures?: boolean | undefined
  /** A well-formed recipient at which nothing answers (e.g. a closed port): must fail retryable. */
  readonly unreachableRecipient?: string | undefined
  /** Values that must never appear in an error (signing secrets, tokens in URLs). */
  readonly secrets?: ReadonlyArray<string> | undefined
}

const TENANT = TenantId.make("440310")

/** Subject and body with characters that break naive encodings: U+5763 (坣), a CJK Extension B
 * character (U+20000), emoji with a skin-tone modifier, HTML/JSON specials and line breaks. */
export const CHINESE_SUBJECT = "沙坣社区：民情诉求已受理 🎉"
export const CHINESE_TEXT =
  "居民您好！\n您于 2026-03-02 反映的「沙坣社区路灯不亮」已受理，编号 MQ-0001。\n" +
  "特殊字符：<b>&amp;</b> \"引号\" '单引号' \\ 反斜杠 𠀀 👍🏽\n" +
  "坪山区民情志愿服务总队"

let sequence = 0
const uniqueKey = (label: string) => {
  sequence += 1
  return `conformance-${label}-${Date.now().toString(36)}-${sequence}`
}

const makeNotification = (
  channel: string,
  recipient: string,
  fields: {
    readonly subject?: string
    readonly text?: string
    readonly markdown?: string
    readonly idempotencyKey?: string
  } = {}
): Notification =>
  new Notification({
    tenantId: TENANT,
    channel: Channel.make(channel),
    recipient,
    subject: fields.subject ?? CHINESE_SUBJECT,
    body:
      fields.markdown === undefined
        ? { text: fields.text ?? CHINESE_TEXT }
        : { text: fields.text ?? CHINESE_TEXT, markdown: fields.markdown },
    templateId: "opinion.received",
    data: { reportId: "MQ-0001", 社区: "沙坣社区" },
    priority: "high",
    idempotencyKey: fields.idempotencyKey ?? uniqueKey("key")
  })

/** The notification with some fields replaced, WITHOUT validation (to feed invalid input). */
const unchecked = (notification: Notification, fields: Partial<Notification>): Notification =>
  new Notification({ ...notification, ...fields }, true)

/** Fails the test unless `exit` failed with a NotifyError (not a defect) of the given retryability. */
const expectNotifyError = (
  backend: NotifierBackend<any>,
  notifier: NotifierShape,
  exit: Exit.Exit<Receipt, NotifyError>,
  retryable: boolean
): NotifyError => {
  assert.isTrue(Exit.isFailure(exit), "the send should have failed")
  if (Exit.isSuccess(exit)) throw new Error("unreachable")
  assert.isFalse(Cause.isDie(exit.cause), `a defect instead of a typed error: ${Cause.pretty(exit.cause)}`)
  const failure = Cause.failureOption(exit.cause)
  assert.isTrue(Option.isSome(failure), "the failure should be a typed error")
  const error = Option.getOrThrow(failure)
  assert.instanceOf(error, NotifyError)
  assert.strictEqual(error._tag, "NotifyError")
  assert.strictEqual(error.channel, notifier.channel)
  assert.strictEqual(error.retryable, retryable, `retryable should be ${retryable}: ${error.reason}`)
  assert.isAbove(error.reason.length, 0)
  const rendered = [error.message, error.reason, String(error), JSON.stringify(error), String(error.cause ?? "")].join(
    "\n"
  )
  for (const secret of backend.secrets ?? []) {
    assert.notInclude(rendered, secret, "an error must never show a secret")
  }
  return error
}

/**
 * What the Notifier suite checks on an implementation: Chinese text arrives intact, the receipt names
 * the channel, the idempotency key reaches the receiver and stays the same across attempts, Markdown
 * arrives as Markdown, invalid input fails with a permanent `NotifyError` (not a defect) and sends
 * nothing, receiver failures map to the right `retryable`, concurrent sends each arrive once, and no
 * error shows a secret.
 */
export const notifierSuite = <R>(backend: NotifierBackend<R>) =>
  describe(`Notifier conformance (${backend.name})`, () => {
    layer(backend.layer, { timeout: "60 seconds", excludeTestServices: true })((it) => {
      /** The notifier and its probe, with the receiver reset. */
      const setup = Effect.gen(function* () {
        const notifier = yield* Notifier
        const probe = yield* backend.probe
        yield* probe.reset
        return { notifier, probe }
      })

      it.effect("delivers a Chinese subject and body intact (UTF-8: 沙坣 U+5763, 𠀀, emoji, line breaks)", () =>
        Effect.gen(function* () {
          const { notifier, probe } = yield* setup
          const notification = makeNotification(backend.channel, probe.recipient)
          yield* notifier.send(notification)
          const received = yield* probe.received
          assert.strictEqual(received.length, 1)
          assert.strictEqual(received[0].subject, CHINESE_SUBJECT)
          assert.strictEqual(received[0].text, CHINESE_TEXT)
          assert.isTrue(received[0].text.includes("沙坣"))
          assert.strictEqual(received[0].text.codePointAt(received[0].text.indexOf("坣")), 0x5763)
          if (received[0].recipient !== undefined) assert.strictEqual(received[0].recipient, probe.recipient)
        })
      )

      it.effect("the receipt names the channel and the time of delivery", () =>
        Effect.gen(function* () {
          const { notifier, probe } = yield* setup
          assert.strictEqual(notifier.channel, backend.channel)
          const before = yield* Clock.currentTimeMillis
          const receipt = yield* notifier.send(makeNotification(backend.channel, probe.recipient))
          const after = yield* Clock.currentTimeMillis
          assert.strictEqual(receipt.channel, backend.channel)
          assert.instanceOf(receipt.deliveredAt, Date)
          assert.isAtLeast(receipt.deliveredAt.getTime(), before - 1_000)
          assert.isAtMost(receipt.deliveredAt.getTime(), after + 1_000)
        })
      )

      if (backend.supportsIdempotencyKey) {
        it.effect("the idempotency key reaches the receiver, the same on every attempt", () =>
          Effect.gen(function* () {
            const { notifier, probe } = yield* setup
            const key = uniqueKey("retry")
            const notification = makeNotification(backend.channel, probe.recipient, { idempotencyKey: key })
            yield* notifier.send(notification)
            yield* notifier.send(notification)
            const other = makeNotification(backend.channel, probe.recipient, { subject: "另一条通知" })
            yield* notifier.send(other)
            const received = yield* probe.received
            assert.deepStrictEqual(
              received.map((item) => item.idempotencyKey),
              [key, key, other.idempotencyKey]
            )
          })
        )
      }

      if (backend.supportsMarkdown) {
        it.effect("delivers body.markdown as Markdown", () =>
          Effect.gen(function* () {
            const { notifier, probe } = yield* setup
            const markdown = "## 沙坣社区\n\n- **编号**：MQ-0001\n- 状态：已受理 ✅\n\n> 请保持电话畅通"
            yield* notifier.send(makeNotification(backend.channel, probe.recipient, { markdown }))
            const received = yield* probe.received
            assert.strictEqual(received.length, 1)
            assert.strictEqual(received[0].markdown, markdown)
            assert.strictEqual(received[0].subject, CHINESE_SUBJECT)
          })
        )
      }

      it.effect("an empty recipient fails with a permanent NotifyError (not a defect) and sends nothing", () =>
        Effect.gen(function* () {
          const { notifier, probe } = yield* setup
          const notification = unchecked(makeNotification(backend.channel, probe.recipient), { recipient: "" })
          const exit = yield* Effect.exit(notifier.send(notification))
          expectNotifyError(backend, notifier, exit, false)
          assert.deepStrictEqual(yield* probe.received, [])
        })
      )

      it.effect("an invalid notification (empty idempotency key) fails with a permanent NotifyError", () =>
        Effect.gen(function* () {
          const { notifier, probe } = yield* setup
          const notification = unchecked(makeNotification(backend.channel, probe.recipient), { idempotencyKey: "" })
          const exit = yield* Effect.exit(notifier.send(notification))
          expectNotifyError(backend, notifier, exit, false)
          assert.deepStrictEqual(yield* probe.received, [])
        })
      )

      for (const recipient of backend.invalidRecipients ?? []) {
        it.effect(`a malformed recipient (${JSON.stringify(recipient)}) fails with a permanent NotifyError`, () =>
          Effect.gen(function* () {
            const { notifier, probe } = yield* setup
            const exit = yield* Effect.exit(notifier.send(makeNotification(backend.channel, recipient)))
            expectNotifyError(backend, notifier, exit, false)
            assert.deepStrictEqual(yield* probe.received, [])
          })
        )
      }

      it.effect("concurrent sends each arrive exactly once", () =>
        Effect.gen(function* () {
          const { notifier, probe } = yield* setup
          const notifications = Array.from({ length: 6 }, (_, i) =>
            makeNotification(backend.channel, probe.recipient, {
              subject: `第${i + 1}条通知 沙坣`,
              text: `正文 ${i + 1}`
            })
          )
          const receipts = yield* Effect.forEach(notifications, (notification) => notifier.send(notification), {
            concurrency: "unbounded"
          })
          assert.strictEqual(receipts.length, notifications.length)
          const received = yield* probe.received
          assert.deepStrictEqual(
            received.map((item) => item.subject).sort(),
            notifications.map((notification) => notification.subject).sort()
          )
          for (const item of received) {
            const sent = notifications.find((notification) => notification.subject === item.subject)!
            assert.strictEqual(item.text, sent.body.text)
            if (backend.supportsIdempotencyKey) assert.strictEqual(item.idempotencyKey, sent.idempotencyKey)
          }
        })
      )

      if (backend.supportsFailures) {
        it.effect("receiver failures map to NotifyError with the right `retryable`; the retry arrives once", () =>
          Effect.gen(function* () {
            const { notifier, probe } = yield* setup
            const fail = probe.failNext
            if (fail === undefined)
              return yield* Effect.dieMessage("supportsFailures is set, but the probe has no failNext")
            const notification = makeNotification(backend.channel, probe.recipient)
            yield* fail("transient", 1)
            expectNotifyError(backend, notifier, yield* Effect.exit(notifier.send(notification)), true)
            assert.deepStrictEqual(yield* probe.received, [])
            yield* notifier.send(notification)
            const afterRetry = yield* probe.received
            assert.strictEqual(afterRetry.length, 1)
            assert.strictEqual(afterRetry[0].subject, notification.subject)
            if (backend.supportsIdempotencyKey) {
              assert.strictEqual(afterRetry[0].idempotencyKey, notification.idempotencyKey)
            }

            yield* probe.reset
            yield* fail("permanent", 1)
            const rejected = makeNotification(backend.channel, probe.recipient)
            expectNotifyError(backend, notifier, yield* Effect.exit(notifier.send(rejected)), false)
            assert.deepStrictEqual(yield* probe.received, [])
          })
        )
      }

      const unreachable = backend.unreachableRecipient
      if (unreachable !== undefined) {
        it.effect("an unreachable receiver fails with a retryable NotifyError", () =>
          Effect.gen(function* () {
            const { notifier, probe } = yield* setup
            const exit = yield* Effect.exit(notifier.send(makeNotification(backend.channel, unreachable)))
            expectNotifyError(backend, notifier, exit, true)
            assert.deepStrictEqual(yield* probe.received, [])
          })
        )
      }
    })
  })
