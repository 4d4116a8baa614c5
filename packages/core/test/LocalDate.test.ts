import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck, Option, Schema } from "effect"
import * as LocalDate from "../src/LocalDate.js"

const decode = Schema.decodeUnknownEither(LocalDate.LocalDate)
const date = Schema.decodeSync(LocalDate.LocalDate)

/** The same computation through JavaScript's Date, as an independent oracle. */
const viaDate = (epochDay: number): { readonly iso: string; readonly weekday: number } => {
  const d = new Date(epochDay * 86_400_000)
  return { iso: d.toISOString().slice(0, 10), weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay() }
}

describe("LocalDate", () => {
  it("accepts real dates, including 29 February of leap years", () => {
    for (const s of ["2026-10-08", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2026-12-31"]) {
      assert.strictEqual(Either.getOrThrow(decode(s)), s)
    }
  })

  it("rejects dates that do not exist, with a Chinese message", () => {
    for (const s of [
      "2026-02-30",
      "2025-02-29",
      "1900-02-29",
      "2026-04-31",
      "2026-13-01",
      "2026-00-10",
      "0000-01-01"
    ]) {
      const result = decode(s)
      assert.isTrue(Either.isLeft(result), s)
      if (Either.isLeft(result)) assert.include(result.left.message, `日期 "${s}" 不存在`)
    }
  })

  it("rejects text that is not YYYY-MM-DD", () => {
    for (const s of ["2026-2-8", "2026/02/08", "20260208", " 2026-02-08", "2026-02-08T00:00", ""]) {
      const result = decode(s)
      assert.isTrue(Either.isLeft(result), s)
      if (Either.isLeft(result)) assert.include(result.left.message, "日期格式应为 YYYY-MM-DD")
    }
    assert.isTrue(Either.isLeft(decode(20260208)))
    assert.isTrue(Either.isLeft(decode(null)))
  })

  it("builds dates from parts only when they exist", () => {
    assert.deepStrictEqual(LocalDate.make(2026, 2, 28), Option.some(date("2026-02-28")))
    assert.isTrue(Option.isNone(LocalDate.make(2026, 2, 29)))
    assert.isTrue(Option.isNone(LocalDate.make(2026, 1, 1.5)))
    assert.isTrue(Option.isNone(LocalDate.make(10000, 1, 1)))
  })

  it("knows days of the week, leap years and month lengths", () => {
    assert.strictEqual(LocalDate.dayOfWeek(date("2026-10-10")), 6) // a Saturday (make-up working day)
    assert.strictEqual(LocalDate.dayOfWeek(date("2026-10-12")), 1)
    assert.strictEqual(LocalDate.dayOfWeek(date("1970-01-01")), 4)
    assert.isTrue(LocalDate.isWeekend(date("2026-10-11")))
    assert.isFalse(LocalDate.isWeekend(date("2026-10-09")))
    assert.isTrue(LocalDate.isLeapYear(2024))
    assert.isFalse(LocalDate.isLeapYear(2100))
    assert.isTrue(LocalDate.isLeapYear(2000))
    assert.strictEqual(LocalDate.daysInMonth(2026, 2), 28)
    assert.strictEqual(LocalDate.daysInYear(2024), 366)
  })

  it("adds days across months, years and leap days, and stays within years 0001–9999", () => {
    assert.deepStrictEqual(LocalDate.addDays(date("2026-09-30"), 13), Option.some(date("2026-10-13")))
    assert.deepStrictEqual(LocalDate.addDays(date("2024-02-28"), 1), Option.some(date("2024-02-29")))
    assert.deepStrictEqual(LocalDate.addDays(date("2026-01-01"), -1), Option.some(date("2025-12-31")))
    assert.isTrue(Option.isNone(LocalDate.addDays(date("9999-12-31"), 1)))
    assert.isTrue(Option.isNone(LocalDate.addDays(date("0001-01-01"), -1)))
    assert.strictEqual(LocalDate.daysBetween(date("2026-01-01"), date("2027-01-01")), 365)
  })

  it("lists ranges inclusively and compares chronologically", () => {
    assert.deepStrictEqual(LocalDate.range(date("2024-02-28"), date("2024-03-01")), [
      "2024-02-28",
      "2024-02-29",
      "2024-03-01"
    ])
    assert.deepStrictEqual(LocalDate.range(date("2024-03-01"), date("2024-02-28")), [])
    assert.strictEqual(LocalDate.compare(date("2025-12-31"), date("2026-01-01")), -1)
    assert.strictEqual(LocalDate.compare(date("2026-01-01"), date("2026-01-01")), 0)
    assert.strictEqual(LocalDate.Order(date("2026-10-13"), date("2026-10-12")), 1)
  })

  it.prop(
    "round-trips through Schema and epoch days, and agrees with Date",
    { d: LocalDate.LocalDate },
    ({ d }) => {
      const encoded = Schema.encodeSync(LocalDate.LocalDate)(d)
      assert.strictEqual(Schema.decodeUnknownSync(LocalDate.LocalDate)(encoded), d)
      const epochDay = LocalDate.toEpochDay(d)
      assert.deepStrictEqual(LocalDate.fromEpochDay(epochDay), Option.some(d))
      assert.deepStrictEqual(LocalDate.make(LocalDate.year(d), LocalDate.month(d), LocalDate.day(d)), Option.some(d))
      const oracle = viaDate(epochDay)
      assert.strictEqual(oracle.iso, d)
      assert.strictEqual(LocalDate.dayOfWeek(d), oracle.weekday)
    },
    { fastCheck: { numRuns: 1000 } }
  )

  it.prop(
    "addDays and daysBetween are inverse, and compare agrees with epoch days",
    {
      a: FastCheck.integer({
        min: LocalDate.toEpochDay(date("1900-01-01")),
        max: LocalDate.toEpochDay(date("2100-12-31"))
      }),
      k: FastCheck.integer({ min: -5000, max: 5000 })
    },
    ({ a, k }) => {
      const d = LocalDate.unsafeFromEpochDay(a)
      const moved = Option.getOrThrow(LocalDate.addDays(d, k))
      assert.strictEqual(LocalDate.daysBetween(d, moved), k)
      assert.strictEqual(LocalDate.compare(d, moved), k < 0 ? 1 : k > 0 ? -1 : 0)
      assert.strictEqual(LocalDate.range(d, moved).length, Math.max(0, k + 1))
    },
    { fastCheck: { numRuns: 300 } }
  )
})
