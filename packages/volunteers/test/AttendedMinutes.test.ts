import { assert, describe, it } from "@effect/vitest"
import type { VolunteerId } from "@gongzhi/core/Actor"
import { Effect, Either, FastCheck as fc, TestClock } from "effect"
import * as Activity from "../src/Activity.js"
import { samples } from "../src/testing.js"
import { COMMUNITY_1, enrol, hq, layer, setUp, TENANT } from "./fixtures.js"

// The rule (docs/volunteers.md § Service records): a record counts the whole minutes actually served,
// floor((end − start) / 60 000) over the exact instants — seconds are neither rounded nor cut off each time.
// Two sub-minute cases tell the three candidate rules apart:
//   09:00:59 → 10:00:01 (59 min 2 s): floor 59, rounding 59, truncating each time to the minute 60
//   09:00:01 → 10:00:59 (60 min 58 s): floor 60, rounding 61, truncating each time 60

const v = (i: number) => `440310-V-${String(i).padStart(6, "0")}` as VolunteerId
/** 2026-03-02 09:00 China time. */
const NINE = Date.parse("2026-03-02T01:00:00Z")
const at = (minutes: number, seconds: number) => new Date(NINE + minutes * 60_000 + seconds * 1000)

const shiftOf = () => samples.shift(TENANT, 0, { capacity: 5, startsAt: at(0, 0), endsAt: at(120, 0) })

const attended = (checkedIn: Date, checkedOut: Date, clamp = true) => {
  let shift = shiftOf()
  shift = Either.getOrThrow(Activity.walkIn(shift, v(1), checkedIn, { opensMinutesBefore: 60 }))
  const out = Either.getOrThrow(Activity.checkOut(shift, v(1), checkedOut))
  return Activity.serviceMinutes(out.shift, out.participant, clamp)
}

describe("Attended minutes: whole minutes actually served", () => {
  it("drops the seconds of the elapsed time, never rounds up, never truncates each time", () => {
    assert.strictEqual(attended(at(0, 59), at(60, 1)), 59)
    assert.strictEqual(attended(at(0, 1), at(60, 59)), 60)
    assert.strictEqual(attended(at(0, 0), at(60, 0)), 60)
    assert.strictEqual(attended(at(10, 30), at(11, 29)), 0, "59 seconds are not a minute")
    assert.strictEqual(attended(at(10, 30), at(11, 30)), 1)
    // the same rule after clamping to the shift (09:00–11:00)
    assert.strictEqual(attended(at(-5, 0), at(119, 59)), 119)
    assert.strictEqual(attended(at(-5, 0), at(119, 59), false), 124)
  })

  it.prop(
    "for any check-in and check-out inside the shift: minutes × 60 s ≤ served < (minutes + 1) × 60 s",
    [fc.integer({ min: 0, max: 120 * 60_000 }), fc.integer({ min: 0, max: 120 * 60_000 })],
    ([a, b]) => {
      const [start, end] = a <= b ? [a, b] : [b, a]
      const minutes = attended(new Date(NINE + start), new Date(NINE + end))
      assert.isTrue(Number.isInteger(minutes))
      assert.isAtMost(minutes * 60_000, end - start)
      assert.isBelow(end - start, (minutes + 1) * 60_000)
    },
    { fastCheck: { numRuns: 300 } }
  )

  it.effect("the service records the same minutes at check-out and for a record entered by hand", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const a = yield* enrol(501)
      const b = yield* enrol(502)
      const activity = yield* service.createActivity(hq, {
        tenantId: TENANT,
        kind: "visit",
        title: "民情走访",
        teamId: "T440310001",
        communityCode: COMMUNITY_1
      })
      const shift = yield* service.addShift(hq, {
        tenantId: TENANT,
        activityId: activity.id,
        startsAt: at(0, 0).toISOString(),
        endsAt: at(120, 0).toISOString(),
        capacity: 5
      })
      yield* TestClock.setTime(at(0, 59).getTime())
      yield* service.walkIn(hq, { tenantId: TENANT, shiftId: shift.id, volunteerId: a })
      yield* TestClock.setTime(at(1, 1).getTime())
      yield* service.walkIn(hq, { tenantId: TENANT, shiftId: shift.id, volunteerId: b })
      yield* TestClock.setTime(at(60, 1).getTime())
      const first = yield* service.checkOut(hq, { tenantId: TENANT, shiftId: shift.id, volunteerId: a })
      yield* TestClock.setTime(at(61, 59).getTime())
      const second = yield* service.checkOut(hq, { tenantId: TENANT, shiftId: shift.id, volunteerId: b })
      assert.strictEqual(first.measuredMinutes, 59)
      assert.strictEqual(second.measuredMinutes, 60)
      const byHand = yield* service.recordService(hq, {
        tenantId: TENANT,
        volunteerId: a,
        teamId: "T440310001",
        content: "民情走访",
        startedAt: at(0, 1).toISOString(),
        endedAt: at(60, 59).toISOString()
      })
      assert.strictEqual(byHand.measuredMinutes, 60)
    }).pipe(Effect.provide(layer()))
  )
})
