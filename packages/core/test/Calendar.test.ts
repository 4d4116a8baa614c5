import { assert, describe, it } from "@effect/vitest"
import { findWorkday, isWorkday } from "chinese-days"
import { Effect, FastCheck, Layer } from "effect"
import * as Calendar from "../src/Calendar.js"
import * as HolidayNotice from "../src/HolidayNotice.js"
import * as LocalDate from "../src/LocalDate.js"

const china = Calendar.make(HolidayNotice.china)

/** Every date of a year. */
const daysOf = (year: number): Array<LocalDate.LocalDate> =>
  LocalDate.range(`${year}-01-01` as LocalDate.LocalDate, `${year}-12-31` as LocalDate.LocalDate)

/** Weekdays of a year minus the weekdays among the given month-days: the fallback rule computed independently. */
const weekdaysMinus = (year: number, offMonthDays: ReadonlyArray<string>): number =>
  daysOf(year).filter((d) => !LocalDate.isWeekend(d) && !offMonthDays.includes(d.slice(5))).length

/**
 * A district's own notice for 2027 (test data, not the official arrangement), to show that a year is added as
 * data; its 元旦 starts on 2026-12-31.
 */
const testNotice2027: HolidayNotice.Encoded = {
  year: 2027,
  source: { title: "测试用 2027 年放假安排", publishedOn: "2026-11-01" },
  statutoryBasis: "国务院令第795号",
  holidays: [
    { name: "元旦", from: "2026-12-31", to: "2027-01-03" },
    { name: "劳动节", from: "2027-05-01", to: "2027-05-05" },
    { name: "国庆节", from: "2027-10-01", to: "2027-10-07" }
  ],
  makeupWorkdays: [{ date: "2027-10-09", holiday: "国庆节" }]
}

describe("Calendar", () => {
  describe("DOMAIN.md facts", () => {
    it.effect("2026 has 248 working days; 2025 has 248 and 2024 has 251", () =>
      Effect.gen(function* () {
        const calendar = yield* china
        assert.deepStrictEqual(calendar.coverage, [2024, 2025, 2026])
        assert.strictEqual(yield* calendar.workingDaysInYear(2026), 248)
        assert.strictEqual(yield* calendar.workingDaysInYear(2025), 248)
        assert.strictEqual(yield* calendar.workingDaysInYear(2024), 251)
        assert.strictEqual(daysOf(2026).filter((d) => isWorkday(d)).length, 248)
      })
    )

    it.effect("5 working days after 2026-09-30 is 2026-10-13", () =>
      Effect.gen(function* () {
        const calendar = yield* china
        // 10-01..07 off; 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat make-up day (3), 10-11 Sun off, 10-12 Mon (4),
        // 10-13 Tue (5)
        const steps: Array<string> = []
        for (let n = 1; n <= 5; n++) steps.push(yield* calendar.addWorkingDays("2026-09-30", n))
        assert.deepStrictEqual(steps, ["2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"])
        assert.strictEqual(yield* calendar.workingDaysBetween("2026-09-30", "2026-10-13"), 5)
      })
    )

    it.effect("whether the start day counts is a parameter of the rule", () =>
      Effect.gen(function* () {
        const calendar = yield* china
        // a working start day counts as day 1
        assert.strictEqual(yield* calendar.addWorkingDays("2026-09-30", 5, { countStartDay: true }), "2026-10-12")
        assert.strictEqual(yield* calendar.addWorkingDays("2026-09-30", 1, { countStartDay: true }), "2026-09-30")
        // a start day off does not count: the same as without the option
        assert.strictEqual(yield* calendar.addWorkingDays("2026-10-01", 1, { countStartDay: true }), "2026-10-08")
        assert.strictEqual(yield* calendar.addWorkingDays("2026-10-01", 1), "2026-10-08")
        // n = 0 returns the start unchanged, even on a day off
        assert.strictEqual(yield* calendar.addWorkingDays("2026-10-01", 0), "2026-10-01")
        assert.strictEqual(yield* calendar.addWorkingDays("2026-10-01", 0, { countStartDay: true }), "2026-10-01")
      })
    )

    it.effect("latest start of a 3-working-day task due 2026-10-13 is the make-up Saturday 2026-10-10", () =>
      Effect.gen(function* () {
        const calendar = yield* china
        assert.strictEqual(yield* calendar.latestStart("2026-10-13", 3), "2026-10-10")
        assert.strictEqual(yield* calendar.latestStart("2026-10-13", 1), "2026-10-13")
        // a deadline on a day off: the task must end on the last working day before it
        assert.strictEqual(yield* calendar.latestStart("2026-10-07", 1), "2026-09-30")
        // across the year boundary: 2026-01-04 (Sunday, make-up day) and 2025-12-31
        assert.strictEqual(yield* calendar.latestStart("2026-01-04", 2), "2025-12-31")
      })
    )

    it.effect("reports why a day is off or working", () =>
      Effect.gen(function* () {
        const calendar = yield* china
        assert.deepStrictEqual(yield* calendar.dayStatus("2026-10-10"), {
          _tag: "Working",
          date: "2026-10-10" as LocalDate.LocalDate,
          makeupWorkday: true,
          holiday: "国庆节"
        })
        assert.deepStrictEqual(yield* calendar.dayStatus("2026-10-12"), {
          _tag: "Working",
          date: "2026-10-12" as LocalDate.LocalDate,
          makeupWorkday: false
        })
        assert.deepStrictEqual(yield* calendar.dayStatus("2026-02-16"), {
          _tag: "Off",
          date: "2026-02-16" as LocalDate.LocalDate,
          reason: { _tag: "Holiday", name: "春节" }
        })
        assert.deepStrictEqual(yield* calendar.dayStatus("2025-10-06"), {
          _tag: "Off",
          date: "2025-10-06" as LocalDate.LocalDate,
          reason: { _tag: "Holiday", name: "国庆节、中秋节" }
        })
        assert.deepStrictEqual(yield* calendar.dayStatus("2026-03-07"), {
          _tag: "Off",
          date: "2026-03-07" as LocalDate.LocalDate,
          reason: { _tag: "Weekend" }
        })
        assert.isTrue(yield* calendar.isWorkingDay("2026-02-28"))
        assert.isFalse(yield* calendar.isWorkingDay("2026-02-23"))
      })
    )
  })

  it.effect("agrees with chinese-days on every day of every covered year", () =>
    Effect.gen(function* () {
      const calendar = yield* china
      const disagreements: Array<string> = []
      for (const year of calendar.coverage) {
        for (const date of daysOf(year)) {
          const ours = yield* calendar.isWorkingDay(date)
          if (ours !== isWorkday(date)) disagreements.push(date)
        }
      }
      assert.deepStrictEqual(disagreements, [])
    })
  )

  describe("outside coverage", () => {
    it.effect('"fail" (the default) fails with a Chinese message naming the year and how to add it', () =>
      Effect.gen(function* () {
        const calendar = yield* china
        const error = yield* Effect.flip(calendar.dayStatus("2027-03-01"))
        assert.strictEqual(error._tag, "CalendarOutOfCoverage")
        if (error._tag === "CalendarOutOfCoverage") {
          assert.strictEqual(error.year, 2027)
          assert.deepStrictEqual(error.coverage, [2024, 2025, 2026])
          assert.include(error.message, "工作日历未收录 2027 年的放假调休安排")
          assert.include(error.message, "已收录 2024、2025、2026 年")
          assert.include(error.message, "HolidayNotice")
          assert.include(error.message, 'policy: "uncertain"')
        }
        const crossing = yield* Effect.flip(calendar.addWorkingDays("2026-12-28", 5))
        assert.strictEqual(crossing._tag === "CalendarOutOfCoverage" && crossing.year, 2027)
        const back = yield* Effect.flip(calendar.latestStart("2024-01-03", 5))
        assert.strictEqual(back._tag === "CalendarOutOfCoverage" && back.year, 2023)
        const between = yield* Effect.flip(calendar.workingDaysBetween("2026-06-01", "2028-01-01"))
        assert.strictEqual(between._tag === "CalendarOutOfCoverage" && between.year, 2027)
        const year = yield* Effect.flip(calendar.workingDaysInYear(2030, { policy: "fail" }))
        assert.strictEqual(year._tag, "CalendarOutOfCoverage")
        // what stays inside coverage still works, including a span ending on 2026-12-31
        assert.strictEqual(yield* calendar.addWorkingDays("2026-12-28", 3), "2026-12-31")
        assert.strictEqual(yield* calendar.workingDaysBetween("2023-12-31", "2024-01-02"), 1)
      })
    )

    it.effect("fixed statutory dates are days off under both policies, by the rule in force", () =>
      Effect.gen(function* () {
        const calendar = yield* china
        for (const date of ["2027-01-01", "2027-05-01", "2027-05-02", "2027-10-01", "2027-10-02", "2027-10-03"]) {
          const status = yield* calendar.dayStatus(date)
          assert.strictEqual(status._tag, "Off", date)
          if (status._tag === "Off") assert.strictEqual(status.reason._tag, "Statutory")
          const uncertain = yield* calendar.dayStatus(date, { policy: "uncertain" })
          assert.deepStrictEqual(uncertain, status)
          assert.isFalse(yield* calendar.isWorkingDay(date))
          assert.deepStrictEqual(yield* calendar.isWorkingDay(date, { policy: "uncertain" }), {
            _tag: "Certain",
            value: false
          })
        }
        assert.deepStrictEqual(yield* calendar.dayStatus("2030-05-02"), {
          _tag: "Off",
          date: "2030-05-02" as LocalDate.LocalDate,
          reason: { _tag: "Statutory", name: "劳动节", basis: "国务院令第795号" }
        })
        // 05-02 became statutory only in 2025: 2023-05-02 (a Tuesday) is not known to be off
        assert.deepStrictEqual(yield* calendar.dayStatus("2023-05-02", { policy: "uncertain" }), {
          _tag: "Uncertain",
          date: "2023-05-02" as LocalDate.LocalDate,
          year: 2023,
          assumed: "working"
        })
        const status2023 = yield* calendar.dayStatus("2023-05-01")
        assert.isTrue(status2023._tag === "Off" && status2023.reason._tag === "Statutory")
      })
    )

    it.effect('"uncertain" answers with explicitly uncertain results', () =>
      Effect.gen(function* () {
        const calendar = yield* china
        assert.deepStrictEqual(yield* calendar.dayStatus("2027-03-06", { policy: "uncertain" }), {
          _tag: "Uncertain",
          date: "2027-03-06" as LocalDate.LocalDate,
          year: 2027,
          assumed: "off",
          reason: { _tag: "Weekend" }
        })
        assert.deepStrictEqual(yield* calendar.isWorkingDay("2027-03-01", { policy: "uncertain" }), {
          _tag: "Uncertain",
          value: true,
          uncoveredYears: [2027]
        })
        assert.deepStrictEqual(yield* calendar.isWorkingDay("2026-03-02", { policy: "uncertain" }), {
          _tag: "Certain",
          value: true
        })
        // after Mon 2026-12-28: 12-29, 12-30, 12-31 (3); 2027-01-01 statutory, 01-02/03 weekend; 01-04 (4), 01-05 (5)
        assert.deepStrictEqual(yield* calendar.addWorkingDays("2026-12-28", 5, { policy: "uncertain" }), {
          _tag: "Uncertain",
          value: "2027-01-05" as LocalDate.LocalDate,
          uncoveredYears: [2027]
        })
        assert.deepStrictEqual(yield* calendar.addWorkingDays("2026-09-30", 5, { policy: "uncertain" }), {
          _tag: "Certain",
          value: "2026-10-13" as LocalDate.LocalDate
        })
        assert.deepStrictEqual(yield* calendar.workingDaysInYear(2027, { policy: "uncertain" }), {
          _tag: "Uncertain",
          value: weekdaysMinus(2027, ["01-01", "05-01", "05-02", "10-01", "10-02", "10-03"]),
          uncoveredYears: [2027]
        })
        assert.deepStrictEqual(yield* calendar.workingDaysInYear(2023, { policy: "uncertain" }), {
          _tag: "Uncertain",
          value: weekdaysMinus(2023, ["01-01", "05-01", "10-01", "10-02", "10-03"]),
          uncoveredYears: [2023]
        })
        const span = yield* calendar.workingDaysBetween("2023-06-01", "2028-06-01", { policy: "uncertain" })
        assert.strictEqual(span._tag, "Uncertain")
        if (span._tag === "Uncertain") assert.deepStrictEqual(span.uncoveredYears, [2023, 2027, 2028])
        const start = yield* calendar.latestStart("2024-01-03", 5, { policy: "uncertain" })
        assert.deepStrictEqual(start, {
          _tag: "Uncertain",
          value: "2023-12-27" as LocalDate.LocalDate,
          uncoveredYears: [2023]
        })
      })
    )

    it.effect("a calendar without notices covers nothing", () =>
      Effect.gen(function* () {
        const empty = yield* Calendar.make([])
        assert.deepStrictEqual(empty.coverage, [])
        const error = yield* Effect.flip(empty.addWorkingDays("2026-09-30", 5))
        assert.include(error.message, "尚未收录任何年份")
      })
    )
  })

  describe("building", () => {
    it.effect("a district adds a year as data; notices may reach into the previous December", () =>
      Effect.gen(function* () {
        const calendar = yield* Calendar.make([...HolidayNotice.china, testNotice2027])
        assert.deepStrictEqual(calendar.coverage, [2024, 2025, 2026, 2027])
        assert.isTrue(calendar.covers(2027))
        assert.deepStrictEqual(yield* calendar.dayStatus("2026-12-31"), {
          _tag: "Off",
          date: "2026-12-31" as LocalDate.LocalDate,
          reason: { _tag: "Holiday", name: "元旦" }
        })
        // after Mon 12-28: 12-29 (1), 12-30 (2), 12-31 to 2027-01-03 off, 01-04 (3), 01-05 (4), 01-06 (5)
        assert.strictEqual(yield* calendar.addWorkingDays("2026-12-28", 5), "2027-01-06")
        assert.strictEqual(yield* calendar.workingDaysBetween("2026-12-25", "2027-01-05"), 5)
        assert.strictEqual(yield* calendar.workingDaysInYear(2026), 247)
        // without the 2027 notice, the same question is answered from the fallback rule
        const without = yield* china
        assert.strictEqual(yield* without.workingDaysInYear(2026), 248)
      })
    )

    it.effect("rejects two notices for one year, contradicting notices and invalid data", () =>
      Effect.gen(function* () {
        const duplicate = yield* Effect.flip(Calendar.make([...HolidayNotice.china, HolidayNotice.china2026Data]))
        assert.include(duplicate.message, "2026 年的通知重复提供")
        // the 2026 notice makes Sunday 2026-12-27 a day off, the 2027 one a make-up working day
        const notice2026: HolidayNotice.Encoded = {
          ...HolidayNotice.china2026Data,
          holidays: [...HolidayNotice.china2026Data.holidays, { name: "年末", from: "2026-12-27", to: "2026-12-27" }]
        }
        const notice2027: HolidayNotice.Encoded = {
          ...testNotice2027,
          makeupWorkdays: [...testNotice2027.makeupWorkdays, { date: "2026-12-27", holiday: "元旦" }]
        }
        const conflict = yield* Effect.flip(Calendar.make([notice2026, notice2027]))
        assert.include(conflict.message, "2026-12-27 在 2026 年通知中为放假，在 2027 年通知中为调休上班，两者矛盾")
        const invalid = yield* Effect.flip(Calendar.make([{ ...HolidayNotice.china2026Data, year: 2025 }]))
        assert.strictEqual(invalid._tag, "HolidayNoticeInvalid")
        assert.include(invalid.message, "不在 2025 年")
      })
    )
  })

  describe("input validation", () => {
    it.effect("rejects dates that do not exist and bad counts with typed Chinese errors", () =>
      Effect.gen(function* () {
        const calendar = yield* china
        const badDate = yield* Effect.flip(calendar.addWorkingDays("2026-02-30", 1))
        assert.strictEqual(badDate._tag, "InvalidCalendarInput")
        if (badDate._tag === "InvalidCalendarInput") assert.strictEqual(badDate.field, "start")
        assert.include(badDate.message, '日期 "2026-02-30" 不存在')
        for (const n of [-1, 1.5, Number.NaN, 100_001]) {
          const bad = yield* Effect.flip(calendar.addWorkingDays("2026-09-30", n))
          assert.include(bad.message, "工作日数应为 0 至 100000 之间的整数")
        }
        const zeroTask = yield* Effect.flip(calendar.latestStart("2026-10-13", 0))
        assert.include(zeroTask.message, "任务工作日数应为 1 至 100000 之间的整数")
        const badPolicy = yield* Effect.flip(calendar.dayStatus("2026-10-13", { policy: "maybe" as "fail" }))
        assert.strictEqual(badPolicy._tag, "InvalidCalendarInput")
        const badTo = yield* Effect.flip(calendar.workingDaysBetween("2026-10-13", "2026/10/20"))
        assert.include(badTo.message, "工作日历参数 to 无效")
        const badYear = yield* Effect.flip(calendar.workingDaysInYear(2026.5))
        assert.include(badYear.message, "年份应为 1 至 9999 之间的整数")
        const tooFar = yield* Effect.flip(calendar.addWorkingDays("9999-12-30", 5, { policy: "uncertain" }))
        assert.include(tooFar.message, "超出支持的日期范围")
      })
    )
  })

  describe("service", () => {
    it.layer(Calendar.layerChina)("layerChina", (it) => {
      it.effect("provides WorkingCalendar to domain services", () =>
        Effect.gen(function* () {
          const calendar = yield* Calendar.WorkingCalendar
          assert.strictEqual(yield* calendar.addWorkingDays("2026-09-30", 5), "2026-10-13")
          assert.strictEqual(calendar.notices.length, 3)
        })
      )
    })

    it.effect("layer fails with HolidayNoticeInvalid on bad data", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Layer.build(Calendar.layer([{ ...HolidayNotice.china2026Data, year: 2027 }])).pipe(Effect.scoped)
        )
        assert.strictEqual(error._tag, "HolidayNoticeInvalid")
      })
    )
  })

  describe("properties", () => {
    // starts such that 60 working days later is still in 2026
    const start = FastCheck.integer({
      min: LocalDate.toEpochDay("2024-01-01" as LocalDate.LocalDate),
      max: LocalDate.toEpochDay("2026-08-31" as LocalDate.LocalDate)
    }).map(LocalDate.unsafeFromEpochDay)
    const wide = FastCheck.integer({
      min: LocalDate.toEpochDay("2019-01-01" as LocalDate.LocalDate),
      max: LocalDate.toEpochDay("2031-12-31" as LocalDate.LocalDate)
    }).map(LocalDate.unsafeFromEpochDay)
    const n = FastCheck.integer({ min: 1, max: 60 })
    const runs = { fastCheck: { numRuns: 200 } }

    it.live.prop(
      "addWorkingDays lands on a working day later than the start, n working days away, as chinese-days says",
      { start, n },
      ({ n, start }) =>
        Effect.gen(function* () {
          const calendar = yield* china
          const due = yield* calendar.addWorkingDays(start, n)
          assert.isTrue(due > start)
          assert.isTrue(yield* calendar.isWorkingDay(due))
          assert.strictEqual(yield* calendar.workingDaysBetween(start, due), n)
          assert.strictEqual(yield* calendar.workingDaysBetween(due, start), -n)
          assert.strictEqual(due, findWorkday(n, start))
          // with the start day counted, a working start day is day 1
          const counted = yield* calendar.addWorkingDays(start, n, { countStartDay: true })
          const expected = (yield* calendar.isWorkingDay(start)) ? yield* calendar.addWorkingDays(start, n - 1) : due
          assert.strictEqual(counted, expected)
        }),
      runs
    )

    it.live.prop(
      "latestStart is the latest working day from which n working days end by the deadline",
      { deadline: start, n },
      ({ deadline, n }) =>
        Effect.gen(function* () {
          const calendar = yield* china
          const s = yield* calendar
            .latestStart(deadline, n)
            .pipe(Effect.catchTag("CalendarOutOfCoverage", () => Effect.succeed(undefined)))
          if (s === undefined) return // reaches before 2024
          assert.isTrue(yield* calendar.isWorkingDay(s))
          const end = yield* calendar.addWorkingDays(s, n, { countStartDay: true })
          assert.isTrue(end <= deadline)
          const nextWorkingDay = yield* calendar.addWorkingDays(s, 1)
          assert.isTrue((yield* calendar.addWorkingDays(nextWorkingDay, n, { countStartDay: true })) > deadline)
          assert.strictEqual(yield* calendar.workingDaysBetween(s, deadline), n - 1)
        }),
      runs
    )

    it.live.prop(
      "results are monotone in the start and in n; counts add up (fallback years included)",
      { a: wide, b: wide, c: wide, n, m: n },
      ({ a, b, c, m, n }) =>
        Effect.gen(function* () {
          const calendar = yield* china
          const u = { policy: "uncertain" } as const
          const [early, late] = a <= b ? [a, b] : [b, a]
          assert.isTrue(
            (yield* calendar.addWorkingDays(early, n, u)).value <= (yield* calendar.addWorkingDays(late, n, u)).value
          )
          const [few, many] = n <= m ? [n, m] : [m, n]
          assert.isTrue(
            (yield* calendar.addWorkingDays(a, few, u)).value <= (yield* calendar.addWorkingDays(a, many, u)).value
          )
          const ab = (yield* calendar.workingDaysBetween(a, b, u)).value
          const bc = (yield* calendar.workingDaysBetween(b, c, u)).value
          assert.strictEqual(ab + bc, (yield* calendar.workingDaysBetween(a, c, u)).value)
          const due = (yield* calendar.addWorkingDays(a, n, u)).value
          assert.strictEqual((yield* calendar.workingDaysBetween(a, due, u)).value, n)
          const latest = (yield* calendar.latestStart(due, n, u)).value
          assert.strictEqual((yield* calendar.workingDaysBetween(latest, due, u)).value, n - 1)
        }),
      runs
    )
  })
})
