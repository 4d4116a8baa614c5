import { assert, describe, it } from "@effect/vitest"
import * as Calendar from "@gongzhi/core/Calendar"
import { Effect } from "effect"
import * as OfficeHours from "../src/officeHours.js"
import * as SimulatedClock from "../src/simClock.js"
import * as Timeline from "../src/timeline.js"

const { at } = SimulatedClock

describe("Timeline", () => {
  it.effect(
    "runs actions in time order (ties in scheduling order), at their own time, and the ones they schedule",
    () =>
      Effect.gen(function* () {
        const clock = SimulatedClock.make(at("2026-03-02", 8))
        const timeline = Timeline.make<string, never>(clock, String)
        const seen: Array<string> = []
        const note = (label: string) => () =>
          Effect.sync(() => void seen.push(`${label}@${new Date(clock.now()).toISOString()}`))
        timeline.schedule(at("2026-03-02", 10), note("b"))
        timeline.schedule(at("2026-03-02", 9), () =>
          Effect.sync(() => {
            seen.push("a")
            timeline.schedule(at("2026-03-02", 9, 30), note("a2"))
            timeline.schedule(at("2026-03-03", 9), note("later"))
          })
        )
        timeline.schedule(at("2026-03-02", 10), note("c"))
        const ran = yield* timeline.runUntil(at("2026-03-03"))
        assert.strictEqual(ran, 4)
        assert.deepStrictEqual(seen, [
          "a",
          "a2@2026-03-02T01:30:00.000Z",
          "b@2026-03-02T02:00:00.000Z",
          "c@2026-03-02T02:00:00.000Z"
        ])
        assert.strictEqual(timeline.pending(), 1)
        yield* timeline.runUntil(Number.POSITIVE_INFINITY)
        assert.strictEqual(seen.at(-1), "later@2026-03-03T01:00:00.000Z")
      })
  )

  it.effect("an action's failure stops the run with the timeline's error", () =>
    Effect.gen(function* () {
      const clock = SimulatedClock.make(0)
      const timeline = Timeline.make<string, never>(clock, (e) => `failed: ${String(e)}`)
      timeline.schedule(1, () => Effect.fail("boom"))
      timeline.schedule(2, () => Effect.die("never reached"))
      const error = yield* Effect.flip(timeline.runUntil(10))
      assert.strictEqual(error, "failed: boom")
    })
  )
})

describe("OfficeHours", () => {
  it.effect("office time follows the official calendar: the make-up Saturday before, the Spring Festival off", () =>
    Effect.gen(function* () {
      const hours = yield* OfficeHours.make("2026-01-01", "2026-03-31")
      assert.isTrue(hours.isWorkingDay("2026-02-14")) // Saturday, 调休上班
      assert.isFalse(hours.isWorkingDay("2026-02-16"))
      assert.strictEqual(hours.addWorkingDays("2026-02-13", 1), "2026-02-14")
      assert.strictEqual(hours.addWorkingDays("2026-02-14", 1), "2026-02-24")
      assert.strictEqual(hours.open(at("2026-02-13", 8)), at("2026-02-13", 9))
      assert.strictEqual(hours.open(at("2026-02-13", 12, 15)), at("2026-02-13", 12, 15))
      assert.strictEqual(hours.addMinutes(at("2026-02-13", 17, 30), 60), at("2026-02-14", 9, 30))
      assert.strictEqual(hours.addMinutes(at("2026-02-14", 17, 30), 60), at("2026-02-24", 9, 30))
      assert.strictEqual(hours.minutesBetween(at("2026-02-14", 17), at("2026-02-24", 10)), 120)
      assert.strictEqual(hours.workingDays("2026-02-12", "2026-02-24").length, 4)
    }).pipe(Effect.provide(Calendar.layerChina))
  )
})
