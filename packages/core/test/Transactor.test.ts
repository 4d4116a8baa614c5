import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import * as Transactor from "../src/Transactor.js"
import { memoryBackend, transactorSuite } from "../src/testing.js"

transactorSuite(memoryBackend)

describe("Transactor (memory)", () => {
  it.effect("registerRollback does nothing outside a transaction", () =>
    Effect.gen(function* () {
      let undone = 0
      yield* Transactor.registerRollback(() => undone++)
      assert.strictEqual(undone, 0)
    })
  )

  it.effect("a failed transaction undoes the registered changes newest first", () =>
    Effect.gen(function* () {
      const transactor = yield* Transactor.makeMemory
      const log: Array<string> = []
      const result = yield* Effect.flip(
        transactor.withTransaction(
          Effect.gen(function* () {
            yield* Transactor.registerRollback(() => log.push("first"))
            yield* Transactor.registerRollback(() => log.push("second"))
            return yield* Effect.fail("boom" as const)
          })
        )
      )
      assert.strictEqual(result, "boom")
      assert.deepStrictEqual(log, ["second", "first"])
    })
  )

  it.effect("a successful transaction keeps its changes and forgets the undo actions", () =>
    Effect.gen(function* () {
      const transactor = yield* Transactor.makeMemory
      let undone = 0
      const value = yield* transactor.withTransaction(
        Effect.as(
          Transactor.registerRollback(() => undone++),
          42
        )
      )
      assert.strictEqual(value, 42)
      yield* Effect.flip(transactor.withTransaction(Effect.fail("later")))
      assert.strictEqual(undone, 0)
    })
  )

  it.effect("one writer at a time: a second transaction waits for the first to finish", () =>
    Effect.gen(function* () {
      const transactor = yield* Transactor.makeMemory
      const order: Array<string> = []
      const release = yield* Deferred.make<void>()
      const entered = yield* Deferred.make<void>()
      const first = yield* Effect.fork(
        transactor.withTransaction(
          Effect.gen(function* () {
            order.push("first:start")
            yield* Deferred.succeed(entered, undefined)
            yield* Deferred.await(release)
            order.push("first:end")
          })
        )
      )
      yield* Deferred.await(entered)
      const second = yield* Effect.fork(transactor.withTransaction(Effect.sync(() => order.push("second"))))
      yield* Effect.yieldNow()
      assert.deepStrictEqual(order, ["first:start"])
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      assert.deepStrictEqual(order, ["first:start", "first:end", "second"])
    })
  )

  it.effect("withTransaction uses the Transactor in context", () =>
    Effect.gen(function* () {
      const value = yield* Transactor.withTransaction(Effect.succeed("committed"))
      assert.strictEqual(value, "committed")
    }).pipe(Effect.provide(Transactor.layerMemory))
  )
})
