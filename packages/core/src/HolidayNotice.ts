/**
 * Official holiday arrangements (放假调休安排) as data. Each year the General Office of the State Council
 * publishes a notice (国务院办公厅关于某年部分节假日安排的通知) that fixes the days off of each holiday
 * and the make-up working days (调休上班). The working-day calendar is built from these notices; a district
 * adds a new year by decoding the new notice from JSON, without a code change.
 *
 * The statutory fixed dates of the national holiday regulations (《全国年节及纪念日放假办法》) are data too
 * ({@link statutoryRules}): the calendar treats them as days off even in years no notice covers.
 *
 * @since 0.1.0
 */
import { Effect, Option, ParseResult, Schema } from "effect"
import * as LocalDate from "./LocalDate.js"

// ---------------------------------------------------------------------------------------------------------------
// statutory rules
// ---------------------------------------------------------------------------------------------------------------

const NonEmptyText = (what: string, max: number) =>
  Schema.String.pipe(
    Schema.filter(
      (s) =>
        (s.length > 0 && s.length <= max && s.trim() === s) ||
        `${what}不能为空、首尾不能有空格且不超过 ${max} 个字符 / ${what}: non-empty trimmed text of at most ${max} characters`
    )
  )

/**
 * The name of a holiday as the notice writes it: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节, or a
 * combined one such as 国庆节、中秋节 (2025).
 *
 * @since 0.1.0
 * @category models
 */
export const HolidayName = NonEmptyText("节日名称", 30).pipe(
  Schema.annotations({ identifier: "HolidayName", title: "节日名称", examples: ["春节", "国庆节、中秋节"] })
)

/**
 * A month and day `MM-DD` that exists in a leap year, e.g. `10-01`.
 *
 * @since 0.1.0
 * @category models
 */
export const MonthDay = Schema.String.pipe(
  Schema.filter(
    (s) =>
      LocalDate.isLocalDateString(`2000-${s}`) || `月日格式应为 MM-DD（例如 10-01），收到 "${s}" / expected "MM-DD"`
  ),
  Schema.annotations({ identifier: "MonthDay", title: "月日" })
)

/**
 * A holiday the national regulations fix to a calendar date (法定节假日的固定日期), e.g. 10-01 国庆节.
 *
 * @since 0.1.0
 * @category models
 */
export class FixedStatutoryDay extends Schema.Class<FixedStatutoryDay>("@gongzhi/core/FixedStatutoryDay")({
  monthDay: MonthDay,
  name: HolidayName
}) {}

/**
 * A version of 《全国年节及纪念日放假办法》 and the fixed-date holidays it grants, in force from `fromYear`
 * (1 January) until the next rule. Lunar holidays (春节, 清明节, 端午节, 中秋节) are not fixed dates and are
 * known only from each year's notice.
 *
 * @since 0.1.0
 * @category models
 */
export class StatutoryRule extends Schema.Class<StatutoryRule>("@gongzhi/core/StatutoryRule")({
  /** The decree that set this version, e.g. `国务院令第795号`. */
  basis: NonEmptyText("法规依据", 60),
  fromYear: Schema.Int.pipe(Schema.between(1000, 9999)),
  fixedDays: Schema.NonEmptyArray(FixedStatutoryDay)
}) {}

const day = (monthDay: string, name: string): FixedStatutoryDay => FixedStatutoryDay.make({ monthDay, name })

/**
 * The versions of 《全国年节及纪念日放假办法》 since 2008, oldest first:
 * 国务院令第513号 (from 2008: 元旦 01-01, 劳动节 05-01, 国庆节 10-01–10-03), 国务院令第644号 (from 2014, same
 * fixed dates) and 国务院令第795号 (from 2025: 劳动节 gains 05-02; 13 statutory days in all). Years before 2008
 * have no rule here, so the calendar knows no fixed day off in them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const statutoryRules: ReadonlyArray<StatutoryRule> = [
  StatutoryRule.make({
    basis: "国务院令第513号",
    fromYear: 2008,
    fixedDays: [
      day("01-01", "元旦"),
      day("05-01", "劳动节"),
      day("10-01", "国庆节"),
      day("10-02", "国庆节"),
      day("10-03", "国庆节")
    ]
  }),
  StatutoryRule.make({
    basis: "国务院令第644号",
    fromYear: 2014,
    fixedDays: [
      day("01-01", "元旦"),
      day("05-01", "劳动节"),
      day("10-01", "国庆节"),
      day("10-02", "国庆节"),
      day("10-03", "国庆节")
    ]
  }),
  StatutoryRule.make({
    basis: "国务院令第795号",
    fromYear: 2025,
    fixedDays: [
      day("01-01", "元旦"),
      day("05-01", "劳动节"),
      day("05-02", "劳动节"),
      day("10-01", "国庆节"),
      day("10-02", "国庆节"),
      day("10-03", "国庆节")
    ]
  })
]

/**
 * The statutory rule in force in `year` (the one with the latest `fromYear` not after it).
 *
 * @since 0.1.0
 * @category accessors
 */
export const statutoryRuleFor = (
  year: number,
  rules: ReadonlyArray<StatutoryRule> = statutoryRules
): Option.Option<StatutoryRule> => {
  let found: StatutoryRule | undefined
  for (const rule of rules) {
    if (rule.fromYear <= year && (found === undefined || rule.fromYear >= found.fromYear)) found = rule
  }
  return Option.fromNullable(found)
}

// ---------------------------------------------------------------------------------------------------------------
// the notice
// ---------------------------------------------------------------------------------------------------------------

/**
 * Where a notice comes from: its title, document number (文号, e.g. 国办发明电〔2025〕7号), publication date
 * and, optionally, the address of the official text.
 *
 * @since 0.1.0
 * @category models
 */
export class NoticeSource extends Schema.Class<NoticeSource>("@gongzhi/core/NoticeSource")({
  title: NonEmptyText("通知标题", 100),
  documentNumber: Schema.optional(NonEmptyText("文号", 40)),
  publishedOn: LocalDate.LocalDate,
  url: Schema.optional(
    Schema.String.pipe(
      Schema.filter((s) => /^https?:\/\/\S+$/.test(s) || `网址应以 http:// 或 https:// 开头 / url must be http(s)`)
    )
  )
}) {}

/**
 * The days off of one holiday (放假调休), `from` to `to` inclusive, e.g. 春节 2026-02-15 to 2026-02-23.
 *
 * @since 0.1.0
 * @category models
 */
export class HolidayPeriod extends Schema.Class<HolidayPeriod>("@gongzhi/core/HolidayPeriod")(
  Schema.Struct({
    name: HolidayName,
    from: LocalDate.LocalDate,
    to: LocalDate.LocalDate
  }).pipe(
    Schema.filter((p) =>
      p.from <= p.to
        ? undefined
        : {
            path: ["to"],
            message: `「${p.name}」的放假结束日期 ${p.to} 早于开始日期 ${p.from} / holiday ends before it starts`
          }
    )
  )
) {}

/**
 * A make-up working day (调休上班日): a Saturday or Sunday on which people work, and the holiday it serves.
 *
 * @since 0.1.0
 * @category models
 */
export class MakeupWorkday extends Schema.Class<MakeupWorkday>("@gongzhi/core/MakeupWorkday")({
  date: LocalDate.LocalDate,
  holiday: HolidayName
}) {}

/** Checks the consistency of a notice; returns the issues, each with the path of the offending field. */
const noticeIssues = (n: {
  readonly year: number
  readonly holidays: ReadonlyArray<{ readonly name: string; readonly from: string; readonly to: string }>
  readonly makeupWorkdays: ReadonlyArray<{ readonly date: string; readonly holiday: string }>
}): Array<Schema.FilterIssue> => {
  const issues: Array<Schema.FilterIssue> = []
  // dates belong to the notice's year; only 元旦 arrangements may reach back into December of the previous year
  // (the 2023 notice: 2022-12-31 to 2023-01-02 off; the 2012 notice: 2011-12-31 a make-up working day)
  const earliest = `${String(n.year - 1).padStart(4, "0")}-12-01`
  const latest = `${String(n.year).padStart(4, "0")}-12-31`
  const inWindow = (date: string) => date >= earliest && date <= latest
  const windowText = `${n.year} 年（元旦安排可始于 ${n.year - 1} 年 12 月）`

  const names = new Set<string>()
  n.holidays.forEach((h, i) => {
    if (names.has(h.name)) {
      issues.push({ path: ["holidays", i, "name"], message: `节日「${h.name}」重复出现 / duplicate holiday name` })
    }
    names.add(h.name)
    for (const key of ["from", "to"] as const) {
      if (!inWindow(h[key])) {
        issues.push({
          path: ["holidays", i, key],
          message: `「${h.name}」的放假日期 ${h[key]} 不在 ${windowText}内 / date outside the notice year`
        })
      }
    }
  })

  const sorted = n.holidays.map((h, i) => ({ h, i })).sort((a, b) => (a.h.from < b.h.from ? -1 : 1))
  for (let k = 1; k < sorted.length; k++) {
    const previous = sorted[k - 1].h
    const current = sorted[k]
    if (current.h.from <= previous.to) {
      issues.push({
        path: ["holidays", current.i, "from"],
        message: `「${current.h.name}」（${current.h.from} 至 ${current.h.to}）与「${previous.name}」（${previous.from} 至 ${previous.to}）的放假日期重叠 / overlapping holidays`
      })
    }
  }

  const offName = (date: string): string | undefined => n.holidays.find((h) => h.from <= date && date <= h.to)?.name
  const seen = new Set<string>()
  n.makeupWorkdays.forEach((m, i) => {
    const path = ["makeupWorkdays", i, "date"]
    if (seen.has(m.date)) issues.push({ path, message: `调休上班日 ${m.date} 重复出现 / duplicate make-up day` })
    seen.add(m.date)
    if (!inWindow(m.date)) {
      issues.push({ path, message: `调休上班日 ${m.date} 不在 ${windowText}内 / date outside the notice year` })
    }
    const off = offName(m.date)
    if (off !== undefined) {
      issues.push({
        path,
        message: `${m.date} 既是调休上班日又在「${off}」放假期间 / a make-up working day cannot also be a day off`
      })
    }
    if (LocalDate.isLocalDateString(m.date) && !LocalDate.isWeekend(m.date as LocalDate.LocalDate)) {
      issues.push({
        path,
        message: `调休上班日 ${m.date} 不是周六或周日（工作日本来就上班）/ a make-up working day must be a Saturday or Sunday`
      })
    }
    if (!names.has(m.holiday)) {
      issues.push({
        path: ["makeupWorkdays", i, "holiday"],
        message: `调休上班日 ${m.date} 对应的节日「${m.holiday}」不在本通知的放假安排中 / unknown holiday`
      })
    }
  })

  const rule = statutoryRuleFor(n.year)
  if (Option.isSome(rule)) {
    for (const fixedDay of rule.value.fixedDays) {
      const date = `${String(n.year).padStart(4, "0")}-${fixedDay.monthDay}`
      if (LocalDate.isLocalDateString(date) && offName(date) === undefined) {
        issues.push({
          path: ["holidays"],
          message: `法定节假日 ${date}（${fixedDay.name}，${rule.value.basis}）未列入放假日期 / a statutory holiday is missing`
        })
      }
    }
  }
  return issues
}

/**
 * One year's notice of the General Office of the State Council on holiday arrangements
 * (国务院办公厅关于某年部分节假日安排的通知): the days off of each holiday and the make-up working days,
 * with its source and the statutory basis it applies (e.g. 国务院令第795号 from 2025).
 *
 * Decoding checks that the dates belong to the year (元旦 may start in December of the previous year), that
 * each holiday ends on or after its start, that holidays do not overlap, that a make-up working day is a
 * Saturday or Sunday, is not also a day off and names a holiday of the notice, and that the fixed statutory
 * dates of the year (e.g. 10-01–10-03) are days off. Every failure is reported in Chinese.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Effect } from "effect"
 * import * as HolidayNotice from "@gongzhi/core/HolidayNotice"
 *
 * // a district adds next year's notice as data, e.g. read from a JSON file
 * const program = HolidayNotice.decodeUnknown({
 *   year: 2026,
 *   source: { title: "国务院办公厅关于2026年部分节假日安排的通知", publishedOn: "2025-11-04" },
 *   statutoryBasis: "国务院令第795号",
 *   holidays: [{ name: "元旦", from: "2026-01-01", to: "2026-01-03" }],
 *   makeupWorkdays: [{ date: "2026-01-04", holiday: "元旦" }]
 * })
 * // fails with HolidayNoticeInvalid: 法定节假日 2026-05-01（劳动节，国务院令第795号）未列入放假日期 …
 */
export class HolidayNotice extends Schema.Class<HolidayNotice>("@gongzhi/core/HolidayNotice")(
  Schema.Struct({
    year: Schema.Number.pipe(
      Schema.filter(
        (y) =>
          (Number.isInteger(y) && y >= 1000 && y <= 9999) ||
          `年份应为 1000 至 9999 之间的整数，收到 ${y} / year must be an integer between 1000 and 9999`
      )
    ),
    source: NoticeSource,
    /** The version of 《全国年节及纪念日放假办法》 the notice applies, e.g. `国务院令第795号`. */
    statutoryBasis: NonEmptyText("法规依据", 60),
    holidays: Schema.NonEmptyArray(HolidayPeriod),
    makeupWorkdays: Schema.Array(MakeupWorkday)
  }).pipe(Schema.filter(noticeIssues))
) {}

/**
 * A notice (or a list of notices) failed to decode or does not fit together; `issues` lists every problem,
 * each prefixed with the path of the field, in Chinese.
 *
 * @since 0.1.0
 * @category errors
 */
export class HolidayNoticeInvalid extends Schema.TaggedError<HolidayNoticeInvalid>(
  "@gongzhi/core/HolidayNoticeInvalid"
)("HolidayNoticeInvalid", {
  year: Schema.optional(Schema.Number),
  issues: Schema.Array(Schema.String)
}) {
  override get message(): string {
    const which = this.year === undefined ? "节假日安排通知" : `${this.year} 年节假日安排通知`
    return `${which}数据无效：${this.issues.join("；")} / invalid holiday notice`
  }
}

const yearOf = (input: unknown): number | undefined =>
  typeof input === "object" && input !== null && Number.isInteger((input as { year?: unknown }).year)
    ? (input as { year: number }).year
    : undefined

const formatPath = (path: ReadonlyArray<PropertyKey>): string => path.map(String).join(".")

/**
 * Turns a parse error into readable issues `path：message`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const issuesOf = (error: ParseResult.ParseError): Array<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
    const message = hasChinese(issue.message) ? issue.message : `${chineseFor[issue._tag]}：${issue.message}`
    return issue.path.length === 0 ? message : `${formatPath(issue.path)}：${message}`
  })

const hasChinese = (s: string): boolean => /[\u4e00-\u9fff]/.test(s)

const chineseFor: Record<ParseResult.ArrayFormatterIssue["_tag"], string> = {
  Missing: "缺少必填字段",
  Unexpected: "不允许的字段",
  Type: "类型或格式不符",
  Forbidden: "无法校验",
  Pointer: "字段无效",
  Refinement: "校验未通过",
  Transformation: "转换失败",
  Composite: "字段无效"
}

const decodeNotice = Schema.decodeUnknown(HolidayNotice, { errors: "all" })

/**
 * Decodes and validates a notice from unknown input (for example parsed JSON).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeUnknown = (input: unknown): Effect.Effect<HolidayNotice, HolidayNoticeInvalid> =>
  decodeNotice(input).pipe(
    Effect.mapError((error) => new HolidayNoticeInvalid({ year: yearOf(input), issues: issuesOf(error) }))
  )

const decodeNoticeJson = Schema.decodeUnknown(Schema.parseJson(HolidayNotice), { errors: "all" })

/**
 * Decodes and validates a notice from its JSON text.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromJson = (json: string): Effect.Effect<HolidayNotice, HolidayNoticeInvalid> =>
  decodeNoticeJson(json).pipe(Effect.mapError((error) => new HolidayNoticeInvalid({ issues: issuesOf(error) })))

/**
 * The encoded (JSON) form of a notice.
 *
 * @since 0.1.0
 * @category models
 */
export type Encoded = typeof HolidayNotice.Encoded

/**
 * Encodes a notice to its JSON-compatible form.
 *
 * @since 0.1.0
 * @category constructors
 */
export const encode: (notice: HolidayNotice) => Encoded = Schema.encodeSync(HolidayNotice)

/**
 * Every day off of a notice, in date order, with the holiday it belongs to.
 *
 * @since 0.1.0
 * @category accessors
 */
export const daysOff = (
  notice: HolidayNotice
): Array<{ readonly date: LocalDate.LocalDate; readonly holiday: string }> =>
  notice.holidays
    .flatMap((h) => LocalDate.range(h.from, h.to).map((date) => ({ date, holiday: h.name })))
    .sort((a, b) => LocalDate.compare(a.date, b.date))

// ---------------------------------------------------------------------------------------------------------------
// vendored official notices
// ---------------------------------------------------------------------------------------------------------------

/**
 * 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号, 2023-10-25), encoded.
 *
 * @since 0.1.0
 * @category constructors
 */
export const china2024Data: Encoded = {
  year: 2024,
  source: {
    title: "国务院办公厅关于2024年部分节假日安排的通知",
    documentNumber: "国办发明电〔2023〕7号",
    publishedOn: "2023-10-25",
    url: "https://www.gov.cn/zhengce/content/202310/content_6911527.htm"
  },
  statutoryBasis: "国务院令第644号",
  holidays: [
    { name: "元旦", from: "2024-01-01", to: "2024-01-01" },
    { name: "春节", from: "2024-02-10", to: "2024-02-17" },
    { name: "清明节", from: "2024-04-04", to: "2024-04-06" },
    { name: "劳动节", from: "2024-05-01", to: "2024-05-05" },
    { name: "端午节", from: "2024-06-10", to: "2024-06-10" },
    { name: "中秋节", from: "2024-09-15", to: "2024-09-17" },
    { name: "国庆节", from: "2024-10-01", to: "2024-10-07" }
  ],
  makeupWorkdays: [
    { date: "2024-02-04", holiday: "春节" },
    { date: "2024-02-18", holiday: "春节" },
    { date: "2024-04-07", holiday: "清明节" },
    { date: "2024-04-28", holiday: "劳动节" },
    { date: "2024-05-11", holiday: "劳动节" },
    { date: "2024-09-14", holiday: "中秋节" },
    { date: "2024-09-29", holiday: "国庆节" },
    { date: "2024-10-12", holiday: "国庆节" }
  ]
}

/**
 * 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12), the first under
 * 国务院令第795号, encoded.
 *
 * @since 0.1.0
 * @category constructors
 */
export const china2025Data: Encoded = {
  year: 2025,
  source: {
    title: "国务院办公厅关于2025年部分节假日安排的通知",
    documentNumber: "国办发明电〔2024〕12号",
    publishedOn: "2024-11-12",
    url: "https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm"
  },
  statutoryBasis: "国务院令第795号",
  holidays: [
    { name: "元旦", from: "2025-01-01", to: "2025-01-01" },
    { name: "春节", from: "2025-01-28", to: "2025-02-04" },
    { name: "清明节", from: "2025-04-04", to: "2025-04-06" },
    { name: "劳动节", from: "2025-05-01", to: "2025-05-05" },
    { name: "端午节", from: "2025-05-31", to: "2025-06-02" },
    { name: "国庆节、中秋节", from: "2025-10-01", to: "2025-10-08" }
  ],
  makeupWorkdays: [
    { date: "2025-01-26", holiday: "春节" },
    { date: "2025-02-08", holiday: "春节" },
    { date: "2025-04-27", holiday: "劳动节" },
    { date: "2025-09-28", holiday: "国庆节、中秋节" },
    { date: "2025-10-11", holiday: "国庆节、中秋节" }
  ]
}

/**
 * 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号, 2025-11-04), encoded.
 *
 * @since 0.1.0
 * @category constructors
 */
export const china2026Data: Encoded = {
  year: 2026,
  source: {
    title: "国务院办公厅关于2026年部分节假日安排的通知",
    documentNumber: "国办发明电〔2025〕7号",
    publishedOn: "2025-11-04",
    url: "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"
  },
  statutoryBasis: "国务院令第795号",
  holidays: [
    { name: "元旦", from: "2026-01-01", to: "2026-01-03" },
    { name: "春节", from: "2026-02-15", to: "2026-02-23" },
    { name: "清明节", from: "2026-04-04", to: "2026-04-06" },
    { name: "劳动节", from: "2026-05-01", to: "2026-05-05" },
    { name: "端午节", from: "2026-06-19", to: "2026-06-21" },
    { name: "中秋节", from: "2026-09-25", to: "2026-09-27" },
    { name: "国庆节", from: "2026-10-01", to: "2026-10-07" }
  ],
  makeupWorkdays: [
    { date: "2026-01-04", holiday: "元旦" },
    { date: "2026-02-14", holiday: "春节" },
    { date: "2026-02-28", holiday: "春节" },
    { date: "2026-05-09", holiday: "劳动节" },
    { date: "2026-09-20", holiday: "国庆节" },
    { date: "2026-10-10", holiday: "国庆节" }
  ]
}

const decodeVendored = Schema.decodeUnknownSync(HolidayNotice)

/**
 * The vendored official notices for 2024, 2025 and 2026, decoded. Their data is checked day by day against
 * the `chinese-days` package in the tests.
 *
 * @since 0.1.0
 * @category constructors
 */
export const china: ReadonlyArray<HolidayNotice> = [china2024Data, china2025Data, china2026Data].map((data) =>
  decodeVendored(data)
)
