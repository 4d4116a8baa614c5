import { assert, describe, it } from "@effect/vitest"
import * as Uuid from "@gongzhi/core/Uuid"
import { Effect, TestClock } from "effect"

const LAYOUT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("Uuid", () => {
  it("has the UUIDv7 layout with the time in its first 48 bits", () => {
    const now = Date.UTC(2026, 11, 7, 8, 0, 0, 123)
    const id = Uuid.uuidV7(now)
    assert.match(id, LAYOUT)
    assert.strictEqual(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16), now)
  })

  it("ids of one millisecond, or of a clock that steps back, stay unique and in order", () => {
    const now = Date.UTC(2030, 0, 1)
    const ids = [
      ...Array.from({ length: 5000 }, () => Uuid.uuidV7(now)),
      Uuid.uuidV7(now - 60_000),
      Uuid.uuidV7(now + 1)
    ]
    assert.strictEqual(new Set(ids).size, ids.length)
    assert.deepStrictEqual([...ids].sort(), ids)
  })

  it.effect("make takes the time from Effect's Clock", () =>
    Effect.gen(function* () {
      const at = Date.UTC(2040, 5, 1)
      yield* TestClock.setTime(at)
      const id = yield* Uuid.make
      assert.strictEqual(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16), at)
    })
  )
})
