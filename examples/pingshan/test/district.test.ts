import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { run } from "../src/district.js"

describe("Pingshan run", () => {
  it.effect("prints the six streets with their communities and the 2026 working-day facts", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      yield* run((line) => lines.push(line))
      const text = lines.join("\n")
      assert.include(text, "坪山区（440310）")
      assert.include(text, "6 个街道，24 个社区")
      for (const street of ["坪山街道", "马峦街道", "碧岭街道", "石井街道", "坑梓街道", "龙田街道"]) {
        assert.include(text, street)
      }
      assert.include(text, "沙坣社区")
      assert.include(text, "2026 年工作日：248 天")
      assert.include(text, "2026-10-13")
    })
  )
})
