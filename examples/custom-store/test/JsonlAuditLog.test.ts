import * as Fs from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Transactor from "@gongzhi/core/Transactor"
import { freshTenant, sampleAuditEntry, sampleEvent } from "@gongzhi/core/testing"
import { Effect, Layer } from "effect"
import * as JsonlAuditLog from "../src/JsonlAuditLog.js"
import { tempDirectory } from "../src/testing.js"

/** The raw lines of a chain file (the second path: no adapter). */
const rawLines = (directory: string, tenantId: AuditLog.AuditEntry["tenantId"]) =>
  Fs.readFileSync(JsonlAuditLog.chainFile(directory, tenantId), "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>)

describe("JsonlAuditLog", () => {
  it.scoped("writes one JSON line per entry, linked by hashes, readable without the adapter", () =>
    Effect.gen(function* () {
      const directory = yield* tempDirectory
      const log = yield* JsonlAuditLog.make({ directory })
      const tenantId = freshTenant()
      const appended = [
        yield* log.append(sampleAuditEntry(tenantId, 1, { 社区: "沙坣社区", to: "已通过" })),
        yield* log.append(sampleAuditEntry(tenantId, 2))
      ]
      const lines = rawLines(directory, tenantId)
      assert.strictEqual(lines.length, 2)
      lines.forEach((line, i) => {
        assert.strictEqual(line.sequence, i + 1)
        assert.strictEqual(line.recordedAt, appended[i].recordedAt.toISOString())
        assert.strictEqual(line.hash, appended[i].hash)
        assert.strictEqual(line.prevHash, i === 0 ? AuditLog.GENESIS_HASH : lines[i - 1].hash)
        assert.deepStrictEqual(line.details, appended[i].details)
        // recompute the hash from the raw line: the file alone proves the chain
        const raw = { ...line, recordedAt: new Date(String(line.recordedAt)) } as unknown as AuditLog.AuditEntry
        assert.strictEqual(AuditLog.hashEntry(raw), line.hash)
      })
    })
  )

  it.scoped("a restarted adapter continues the chain stored in the directory", () =>
    Effect.gen(function* () {
      const directory = yield* tempDirectory
      const tenantId = freshTenant()
      const first = yield* JsonlAuditLog.make({ directory })
      yield* first.append(sampleAuditEntry(tenantId, 1))
      const head = yield* first.append(sampleAuditEntry(tenantId, 2))
      const second = yield* JsonlAuditLog.make({ directory })
      const next = yield* second.append(sampleAuditEntry(tenantId, 3))
      assert.strictEqual(next.sequence, 3)
      assert.strictEqual(next.prevHash, head.hash)
      assert.deepInclude(yield* second.verify(tenantId), { _tag: "Intact", count: 3, headHash: next.hash })
    })
  )

  it.scoped("an entry appended in a failed transaction is cut off the file again", () =>
    Effect.gen(function* () {
      const directory = yield* tempDirectory
      const tenantId = freshTenant()
      const ports = Layer.mergeAll(Transactor.layerMemory, Outbox.layerMemory, JsonlAuditLog.layer({ directory }))
      yield* Effect.gen(function* () {
        const log = yield* AuditLog.AuditLog
        yield* log.append(sampleAuditEntry(tenantId, 1))
        const before = Fs.readFileSync(JsonlAuditLog.chainFile(directory, tenantId), "utf8")
        const failed = yield* Effect.flip(
          Transactor.withTransaction(
            Effect.gen(function* () {
              yield* Outbox.append([sampleEvent(tenantId, 2)])
              yield* log.append(sampleAuditEntry(tenantId, 2))
              return yield* Effect.fail("rejected" as const)
            })
          )
        )
        assert.strictEqual(failed, "rejected")
        assert.strictEqual(Fs.readFileSync(JsonlAuditLog.chainFile(directory, tenantId), "utf8"), before)
        // the chain goes on from the last committed entry
        const next = yield* log.append(sampleAuditEntry(tenantId, 3))
        assert.strictEqual(next.sequence, 2)
        assert.deepInclude(yield* log.verify(tenantId), { _tag: "Intact", count: 2 })
      }).pipe(Effect.provide(ports))
    })
  )

  it.scoped("an invalid tenant id is rejected before it can name a file", () =>
    Effect.gen(function* () {
      const directory = yield* tempDirectory
      const log = yield* JsonlAuditLog.make({ directory })
      const error = yield* Effect.flip(log.append({ ...sampleAuditEntry(freshTenant(), 1), tenantId: "../../etc" }))
      assert.strictEqual(error._tag, "AuditInputError")
      assert.deepStrictEqual(Fs.readdirSync(directory), [])
    })
  )

  it.scoped("a line that is not an entry fails reading with a StorageError naming the line", () =>
    Effect.gen(function* () {
      const directory = yield* tempDirectory
      const log = yield* JsonlAuditLog.make({ directory })
      const tenantId = freshTenant()
      yield* log.append(sampleAuditEntry(tenantId, 1))
      Fs.appendFileSync(JsonlAuditLog.chainFile(directory, tenantId), "not json\n")
      const error = yield* Effect.flip(log.verify(tenantId))
      assert.strictEqual(error._tag, "StorageError")
      assert.include(error.message, "第 2 行")
    })
  )
})
