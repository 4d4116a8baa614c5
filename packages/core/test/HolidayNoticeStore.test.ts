import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Calendar from "../src/Calendar.js"
import * as HolidayNotice from "../src/HolidayNotice.js"
import * as HolidayNoticeStore from "../src/HolidayNoticeStore.js"
import { TenantId } from "../src/Tenant.js"

const tenant = TenantId.make("440104")
const other = TenantId.make("440310")

/** 2026 as a district might load it: without the 2026-02-28 make-up working day (a Saturday). */
const amended2026 = {
  ...HolidayNotice.china2026Data,
  makeupWorkdays: HolidayNotice.china2026Data.makeupWorkdays.filter((d) => d.date !== "2026-02-28")
}

describe("HolidayNoticeStore", () => {
  it.effect("adds a notice once: the same notice again is unchanged, a different one needs replace", () =>
    Effect.gen(function* () {
      const store = yield* HolidayNoticeStore.HolidayNoticeStore
      assert.deepStrictEqual(yield* store.add(tenant, HolidayNotice.china2026Data), { year: 2026, result: "added" })
      assert.deepStrictEqual(yield* store.add(tenant, HolidayNotice.china2026Data), {
        year: 2026,
        result: "unchanged"
      })
      const refused = yield* Effect.either(store.add(tenant, amended2026))
      assert.isTrue(Either.isLeft(refused) && refused.left._tag === "NoticeExists")
      if (Either.isLeft(refused)) assert.match(refused.left.message, /2026 年的放假安排已载入/)
      assert.deepStrictEqual(yield* store.add(tenant, amended2026, { replace: true }), {
        year: 2026,
        result: "replaced"
      })
      const listed = yield* store.list(tenant)
      assert.deepStrictEqual(
        listed.map((n) => n.makeupWorkdays.length),
        [amended2026.makeupWorkdays.length]
      )
      // per district
      assert.deepStrictEqual(yield* store.list(other), [])
    }).pipe(Effect.provide(HolidayNoticeStore.layerMemory))
  )

  it.effect("refuses an invalid notice with the notice's own typed error", () =>
    Effect.gen(function* () {
      const store = yield* HolidayNoticeStore.HolidayNoticeStore
      const bad = yield* Effect.either(
        store.add(tenant, { ...HolidayNotice.china2026Data, makeupWorkdays: [{ date: "2026-03-04", holiday: "春节" }] })
      )
      assert.isTrue(Either.isLeft(bad) && bad.left._tag === "HolidayNoticeInvalid")
      assert.deepStrictEqual(yield* store.list(tenant), [])
    }).pipe(Effect.provide(HolidayNoticeStore.layerMemory))
  )

  it.effect("the district's calendar uses a stored notice in place of the vendored one of its year", () =>
    Effect.gen(function* () {
      const store = yield* HolidayNoticeStore.HolidayNoticeStore
      const before = yield* Effect.flatMap(Calendar.WorkingCalendar, (c) => c.isWorkingDay("2026-02-28")).pipe(
        Effect.provide(HolidayNoticeStore.layerCalendar(tenant))
      )
      assert.strictEqual(before, true)
      yield* store.add(tenant, amended2026)
      const after = yield* Effect.flatMap(Calendar.WorkingCalendar, (c) => c.isWorkingDay("2026-02-28")).pipe(
        Effect.provide(HolidayNoticeStore.layerCalendar(tenant))
      )
      assert.strictEqual(after, false)
      // other years still come from the vendored notices
      const newYear2025 = yield* Effect.flatMap(Calendar.WorkingCalendar, (c) => c.isWorkingDay("2025-01-01")).pipe(
        Effect.provide(HolidayNoticeStore.layerCalendar(tenant))
      )
      assert.strictEqual(newYear2025, false)
    }).pipe(Effect.provide(HolidayNoticeStore.layerMemory))
  )
})
