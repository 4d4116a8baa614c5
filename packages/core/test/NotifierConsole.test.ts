import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import type { NotifierProbe, ReceivedNotification } from "../src/internal/conformance/notifier.js"
import { notifierSuite } from "../src/internal/conformance/notifier.js"
import * as Notifier from "../src/Notifier.js"
import { TenantId } from "../src/Tenant.js"

/** The lines the console notifier printed, parsed back into notifications. */
class ConsoleLines extends Context.Tag("test/ConsoleLines")<ConsoleLines, Array<string>>() {}

const BLOCK = /^【([\s\S]*?)】→ ([^\n]*)\n([\s\S]*)$/u

const parse = (block: string): ReceivedNotification => {
  const match = BLOCK.exec(block)
  if (match === null) throw new Error(`unexpected console output: ${block}`)
  // the console masks the recipient, so the suite cannot compare it
  return { subject: match[1], text: match[3] }
}

const layer = Layer.effectContext(
  Effect.sync(() => {
    const lines: Array<string> = []
    const notifier = Notifier.makeConsole({ write: (line) => lines.push(line) })
    return Context.make(Notifier.Notifier, notifier).pipe(Context.add(ConsoleLines, lines))
  })
)

notifierSuite({
  name: "console",
  channel: "console",
  layer,
  probe: Effect.map(
    ConsoleLines,
    (lines): NotifierProbe => ({
      recipient: "resident@example.com",
      received: Effect.sync(() => lines.map(parse)),
      reset: Effect.sync(() => {
        lines.length = 0
      })
    })
  )
})

describe("console notifier", () => {
  it.effect("masks the recipient in what it prints", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const notifier = Notifier.makeConsole({ write: (line) => lines.push(line) })
      yield* notifier.send(
        new Notifier.Notification({
          tenantId: TenantId.make("440310"),
          channel: Notifier.Channel.make("console"),
          recipient: "13812345678",
          subject: "沙坣社区",
          body: { text: "正文" },
          idempotencyKey: "k-1"
        })
      )
      assert.strictEqual(lines.length, 1)
      assert.notInclude(lines[0], "13812345678")
      assert.include(lines[0], "沙坣社区")
    })
  )
})
