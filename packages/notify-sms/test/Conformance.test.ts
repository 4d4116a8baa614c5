import * as Notifier from "@gongzhi/core/Notifier"
import type { NotifierProbe } from "@gongzhi/core/testing"
import { notifierSuite } from "@gongzhi/core/testing"
import { Context, Effect, Layer } from "effect"
import type { FakeSmsServer } from "../src/testing.js"
import { cases, client, decode } from "./cases.js"

class Server extends Context.Tag("test/SmsServer")<Server, FakeSmsServer>() {}

for (const testCase of cases) {
  const server = Layer.scoped(Server, testCase.server())
  const notifier = Layer.effect(
    Notifier.Notifier,
    Effect.flatMap(Server, (running) => testCase.make(running.endpoint))
  ).pipe(Layer.provide(client))
  notifierSuite({
    name: `sms ${testCase.name}`,
    channel: "sms",
    layer: Layer.provideMerge(notifier, server),
    probe: Effect.map(
      Server,
      (running): NotifierProbe => ({
        recipient: testCase.recipient,
        received: Effect.sync(() =>
          running.accepted().map((message) => ({
            recipient: message.phoneNumber,
            ...decode(testCase.name, message.params),
            idempotencyKey: message.reference
          }))
        ),
        reset: Effect.sync(() => running.reset()),
        failNext: (failure, count) =>
          Effect.sync(() =>
            running.failNext(failure === "transient" ? testCase.throttled : testCase.badTemplate, count)
          )
      })
    ),
    supportsIdempotencyKey: true,
    supportsMarkdown: false,
    supportsFailures: true,
    invalidRecipients: ["1380000", "not a number", "+1 415 555 0100", "12800138000"],
    unreachableRecipient: undefined,
    secrets: testCase.secrets
  })
}
