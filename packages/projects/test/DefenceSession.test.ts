import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as DefenceSession from "../src/DefenceSession.js"

describe("DefenceSession.slots", () => {
  it.effect("computes consecutive slots from the start, the slot length and the breaks", () =>
    Effect.gen(function* () {
      const slots = yield* DefenceSession.slots({
        startsAt: "2017-03-24T01:00:00.000Z",
        slotMinutes: 15,
        breakMinutes: 5,
        applicationIds: ["A1", "A2", "A3"]
      })
      assert.deepStrictEqual(
        slots.map((s) => [s.order, s.applicationId, s.startsAt.toISOString(), s.endsAt.toISOString()]),
        [
          [1, "A1", "2017-03-24T01:00:00.000Z", "2017-03-24T01:15:00.000Z"],
          [2, "A2", "2017-03-24T01:20:00.000Z", "2017-03-24T01:35:00.000Z"],
          [3, "A3", "2017-03-24T01:40:00.000Z", "2017-03-24T01:55:00.000Z"]
        ]
      )
    })
  )

  it.effect("refuses a zero slot length and an application scheduled twice", () =>
    Effect.gen(function* () {
      const zero = yield* Effect.flip(
        DefenceSession.slots({ startsAt: "2017-03-24T01:00:00Z", slotMinutes: 0, applicationIds: ["A"] })
      )
      assert.include(zero.message, "答辩时段")
      const twice = yield* Effect.flip(
        DefenceSession.slots({ startsAt: "2017-03-24T01:00:00Z", slotMinutes: 10, applicationIds: ["A", "A"] })
      )
      assert.include(twice.message, "两次")
    })
  )
})
