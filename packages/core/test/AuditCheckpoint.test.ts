import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, TestClock } from "effect"
import * as AuditCheckpoint from "../src/AuditCheckpoint.js"
import * as AuditLog from "../src/AuditLog.js"
import { freshTenant, sampleAuditEntry } from "../src/testing.js"

const tempFile = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-checkpoints-"))),
  (directory) => Effect.sync(() => Fs.rmSync(directory, { recursive: true, force: true }))
).pipe(Effect.map((directory) => Path.join(directory, "checkpoints.jsonl")))

describe("AuditCheckpoint file sink", () => {
  it.scoped("appends signed JSON lines to a 0600 file; verify reads the latest back from it", () =>
    Effect.gen(function* () {
      const path = yield* tempFile
      const tenantId = freshTenant()
      const other = freshTenant()
      const program = Effect.gen(function* () {
        const log = yield* AuditLog.AuditLog
        for (let i = 1; i <= 3; i++) yield* log.append(sampleAuditEntry(tenantId, i))
        yield* log.append(sampleAuditEntry(other, 1))
        yield* AuditLog.checkpoint(tenantId)
        yield* TestClock.adjust(1_000)
        yield* log.append(sampleAuditEntry(tenantId, 4))
        const last = yield* AuditLog.checkpoint(tenantId)
        yield* AuditLog.checkpoint(other)
        return { log, last }
      })
      const keyring = AuditLog.layerKeyringTest()
      const sinkLayer = AuditCheckpoint.layerFile(path)
      const { last, log } = yield* program.pipe(
        Effect.provide(
          Layer.provideMerge(AuditLog.layerMemory, Layer.merge(keyring, sinkLayer)).pipe(
            Layer.provideMerge(Layer.merge(keyring, sinkLayer))
          )
        )
      )
      assert.strictEqual(Fs.statSync(path).mode & 0o777, 0o600)
      const lines = Fs.readFileSync(path, "utf8").trim().split("\n")
      assert.strictEqual(lines.length, 3)
      const parsed = JSON.parse(lines[1]) as Record<string, unknown>
      assert.deepStrictEqual(Object.keys(parsed).sort(), [
        "headHash",
        "keyId",
        "mac",
        "recordedAt",
        "sequence",
        "tenantId"
      ])
      assert.strictEqual(parsed.sequence, 4)
      Fs.appendFileSync(path, "not json\n")
      const sink = AuditCheckpoint.makeFile(path)
      const latest = yield* sink.latest(tenantId)
      assert.isTrue(Option.isSome(latest))
      if (Option.isSome(latest)) assert.strictEqual(latest.value.headHash, last.headHash)
      const verified = yield* log.verify(tenantId)
      assert.strictEqual(verified._tag, "Intact")
      if (verified._tag === "Intact") assert.strictEqual(verified.checkpoint, 4)
      assert.isTrue(Option.isNone(yield* AuditCheckpoint.makeFile(`${path}.missing`).latest(tenantId)))
    })
  )

  it.effect("the keyring refuses weak keys and never prints one", () =>
    Effect.gen(function* () {
      const weak = Redacted.make(Buffer.from("ab".repeat(32), "hex").toString("base64"))
      const error = yield* Effect.flip(AuditLog.makeKeyring({ keys: { k1: weak }, currentKeyId: "k1" }))
      assert.strictEqual(error._tag, "AuditKeyError")
      assert.notInclude(error.message, Redacted.value(weak))
      const key = Crypto.randomBytes(32).toString("base64")
      const keyring = yield* AuditLog.makeKeyring({ keys: { k1: Redacted.make(key) }, currentKeyId: "k1" })
      assert.strictEqual(String(keyring), "AuditKeyring(currentKeyId=k1, keyIds=[k1])")
      assert.strictEqual(JSON.stringify(keyring), '{"_id":"AuditKeyring","currentKeyId":"k1"}')
    })
  )
})
