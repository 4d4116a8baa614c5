import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as HolidayNotice from "../src/HolidayNotice.js"

/** A well-formed notice for a test year, built from the 2026 data; tests break one thing at a time. */
interface Draft {
  holidays: Array<{ name: string; from: string; to: string }>
  makeupWorkdays: Array<{ date: string; holiday: string }>
}

/** A mutable copy of encoded notice data. */
const draft = (data: HolidayNotice.Encoded): Draft => structuredClone(data) as unknown as Draft
const valid2026 = (): Draft => draft(HolidayNotice.china2026Data)

const issuesOf = (input: unknown) =>
  Effect.gen(function* () {
    const error = yield* Effect.flip(HolidayNotice.decodeUnknown(input))
    assert.strictEqual(error._tag, "HolidayNoticeInvalid")
    return error
  })

describe("HolidayNotice", () => {
  it("vendors the official notices of 2024, 2025 and 2026 with their sources", () => {
    assert.deepStrictEqual(
      HolidayNotice.china.map((n) => n.year),
      [2024, 2025, 2026]
    )
    const [n2024, n2025, n2026] = HolidayNotice.china
    assert.strictEqual(n2024.source.documentNumber, "国办发明电〔2023〕7号")
    assert.strictEqual(n2024.source.publishedOn, "2023-10-25")
    assert.strictEqual(n2024.statutoryBasis, "国务院令第644号")
    assert.strictEqual(n2025.source.documentNumber, "国办发明电〔2024〕12号")
    assert.strictEqual(n2025.source.publishedOn, "2024-11-12")
    assert.strictEqual(n2025.statutoryBasis, "国务院令第795号")
    assert.strictEqual(n2026.source.documentNumber, "国办发明电〔2025〕7号")
    assert.strictEqual(n2026.source.publishedOn, "2025-11-04")
    assert.strictEqual(n2026.statutoryBasis, "国务院令第795号")
    for (const n of HolidayNotice.china) assert.instanceOf(n, HolidayNotice.HolidayNotice)
  })

  it("holds the 2026 arrangement of DOMAIN.md", () => {
    const n2026 = HolidayNotice.china[2]
    assert.deepStrictEqual(
      n2026.holidays.map((h) => `${h.from.slice(5)}..${h.to.slice(5)}`),
      ["01-01..01-03", "02-15..02-23", "04-04..04-06", "05-01..05-05", "06-19..06-21", "09-25..09-27", "10-01..10-07"]
    )
    assert.deepStrictEqual(
      n2026.makeupWorkdays.map((m) => m.date.slice(5)),
      ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]
    )
    // 3 + 9 + 3 + 5 + 3 + 3 + 7 days off
    assert.strictEqual(HolidayNotice.daysOff(n2026).length, 33)
  })

  it.effect("round-trips through its JSON form", () =>
    Effect.gen(function* () {
      for (const notice of HolidayNotice.china) {
        const json = JSON.stringify(HolidayNotice.encode(notice))
        const back = yield* HolidayNotice.fromJson(json)
        assert.deepStrictEqual(HolidayNotice.encode(back), HolidayNotice.encode(notice))
      }
      const error = yield* Effect.flip(HolidayNotice.fromJson("{ not json"))
      assert.strictEqual(error._tag, "HolidayNoticeInvalid")
    })
  )

  it.effect("lets a district add a year as data, with a 元旦 arrangement reaching into December", () =>
    Effect.gen(function* () {
      // shaped like the 2023 notice: 元旦 from 2022-12-31 to 2023-01-02 (only 元旦 matters for this test;
      // the other fixed statutory dates of 2023 are in the remaining periods)
      const notice = yield* HolidayNotice.decodeUnknown({
        year: 2023,
        source: { title: "测试用通知", publishedOn: "2022-12-08" },
        statutoryBasis: "国务院令第644号",
        holidays: [
          { name: "元旦", from: "2022-12-31", to: "2023-01-02" },
          { name: "劳动节", from: "2023-04-29", to: "2023-05-03" },
          { name: "国庆节", from: "2023-09-29", to: "2023-10-06" }
        ],
        makeupWorkdays: [
          { date: "2023-04-23", holiday: "劳动节" },
          { date: "2023-10-07", holiday: "国庆节" }
        ]
      })
      assert.strictEqual(notice.year, 2023)
      assert.strictEqual(notice.source.documentNumber, undefined)
      assert.strictEqual(HolidayNotice.daysOff(notice)[0].date, "2022-12-31")
    })
  )

  it.effect("rejects a date that does not exist", () =>
    Effect.gen(function* () {
      const input = valid2026()
      input.holidays[1] = { name: "春节", from: "2026-02-15", to: "2026-02-30" }
      const error = yield* issuesOf(input)
      assert.strictEqual(error.year, 2026)
      assert.include(error.message, "holidays.1.to")
      assert.include(error.message, '日期 "2026-02-30" 不存在')
      assert.include(error.message, "2026 年节假日安排通知数据无效")
    })
  )

  it.effect("rejects a holiday that ends before it starts", () =>
    Effect.gen(function* () {
      const input = valid2026()
      input.holidays[2] = { name: "清明节", from: "2026-04-06", to: "2026-04-04" }
      const error = yield* issuesOf(input)
      assert.include(error.message, "「清明节」的放假结束日期 2026-04-04 早于开始日期 2026-04-06")
    })
  )

  it.effect("rejects dates outside the notice year", () =>
    Effect.gen(function* () {
      const input = valid2026()
      input.holidays[6] = { name: "国庆节", from: "2026-10-01", to: "2027-01-02" }
      const error = yield* issuesOf(input)
      assert.include(error.message, "holidays.6.to")
      assert.include(error.message, "2027-01-02 不在 2026 年")
      const early = valid2026()
      early.makeupWorkdays[0] = { date: "2025-11-29", holiday: "元旦" }
      assert.include((yield* issuesOf(early)).message, "调休上班日 2025-11-29 不在 2026 年")
    })
  )

  it.effect("rejects a make-up working day that is also a day off, or a weekday, or of an unknown holiday", () =>
    Effect.gen(function* () {
      const input = valid2026()
      const makeup = input.makeupWorkdays
      makeup.push({ date: "2026-10-03", holiday: "国庆节" }) // a Saturday inside 国庆节
      makeup.push({ date: "2026-03-04", holiday: "春节" }) // a Wednesday
      makeup.push({ date: "2026-03-07", holiday: "植树节" }) // not a holiday of the notice
      makeup.push({ date: "2026-01-04", holiday: "元旦" }) // listed twice
      const error = yield* issuesOf(input)
      assert.include(error.message, "2026-10-03 既是调休上班日又在「国庆节」放假期间")
      assert.include(error.message, "调休上班日 2026-03-04 不是周六或周日")
      assert.include(error.message, "节日「植树节」不在本通知的放假安排中")
      assert.include(error.message, "调休上班日 2026-01-04 重复出现")
      assert.strictEqual(error.issues.length, 4)
    })
  )

  it.effect("rejects overlapping holidays and duplicate names", () =>
    Effect.gen(function* () {
      const input = valid2026()
      const holidays = input.holidays
      holidays[5] = { name: "中秋节", from: "2026-09-25", to: "2026-10-01" }
      holidays.push({ name: "春节", from: "2026-03-02", to: "2026-03-02" })
      const error = yield* issuesOf(input)
      assert.include(error.message, "与「中秋节」（2026-09-25 至 2026-10-01）的放假日期重叠")
      assert.include(error.message, "节日「春节」重复出现")
    })
  )

  it.effect("rejects a notice that leaves a fixed statutory date a working day", () =>
    Effect.gen(function* () {
      const input = valid2026()
      input.holidays[3] = { name: "劳动节", from: "2026-05-01", to: "2026-05-01" }
      input.makeupWorkdays = input.makeupWorkdays.filter((m) => m.holiday !== "劳动节")
      const error = yield* issuesOf(input)
      assert.include(error.message, "法定节假日 2026-05-02（劳动节，国务院令第795号）未列入放假日期")
      // under the rule before 2025, 05-02 was not statutory
      const old = draft(HolidayNotice.china2024Data)
      old.holidays[3] = { name: "劳动节", from: "2024-05-01", to: "2024-05-01" }
      old.makeupWorkdays = old.makeupWorkdays.filter((m) => m.holiday !== "劳动节")
      const decoded = yield* HolidayNotice.decodeUnknown(old)
      assert.strictEqual(decoded.holidays[3].to, "2024-05-01")
    })
  )

  it.effect("rejects missing fields and a bad year with readable paths", () =>
    Effect.gen(function* () {
      const error = yield* issuesOf({ year: 2026.5, source: { title: "", publishedOn: "2025-11-04" }, holidays: [] })
      assert.include(error.message, "年份应为 1000 至 9999 之间的整数")
      assert.include(error.message, "source.title")
      assert.include(error.message, "通知标题不能为空")
      assert.include(error.message, "statutoryBasis")
      assert.include(error.message, "holidays")
      assert.isAbove(error.issues.length, 3)
    })
  )

  it("knows which statutory rule is in force", () => {
    assert.strictEqual(Option.getOrThrow(HolidayNotice.statutoryRuleFor(2026)).basis, "国务院令第795号")
    assert.strictEqual(Option.getOrThrow(HolidayNotice.statutoryRuleFor(2025)).basis, "国务院令第795号")
    assert.strictEqual(Option.getOrThrow(HolidayNotice.statutoryRuleFor(2024)).basis, "国务院令第644号")
    assert.strictEqual(Option.getOrThrow(HolidayNotice.statutoryRuleFor(2010)).basis, "国务院令第513号")
    assert.isTrue(Option.isNone(HolidayNotice.statutoryRuleFor(2007)))
    const days2025 = Option.getOrThrow(HolidayNotice.statutoryRuleFor(2025)).fixedDays.map((d) => d.monthDay)
    assert.deepStrictEqual(days2025, ["01-01", "05-01", "05-02", "10-01", "10-02", "10-03"])
    const days2024 = Option.getOrThrow(HolidayNotice.statutoryRuleFor(2024)).fixedDays.map((d) => d.monthDay)
    assert.deepStrictEqual(days2024, ["01-01", "05-01", "10-01", "10-02", "10-03"])
  })
})
