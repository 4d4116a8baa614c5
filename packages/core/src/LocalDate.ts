/**
 * Calendar dates without a time or a time zone (日期), written `YYYY-MM-DD` in the proleptic Gregorian
 * calendar, years 0001–9999. Deadlines, holidays and working days are all counted in whole local days, so
 * the working-day calendar never touches `Date`, time zones or daylight-saving rules.
 *
 * The helpers are pure and total on valid dates. Internally a date is also an "epoch day": the number of
 * days since 1970-01-01 (negative before it), which makes day arithmetic plain integer arithmetic.
 *
 * @since 0.1.0
 */
import { Option, type Order as Ord, Schema } from "effect"

const MIN_YEAR = 1
const MAX_YEAR = 9999

/**
 * Whether `year` is a leap year in the Gregorian calendar.
 *
 * @since 0.1.0
 * @category accessors
 */
export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/**
 * Number of days in `month` (1–12) of `year`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31

/**
 * Number of days in `year` (365 or 366).
 *
 * @since 0.1.0
 * @category accessors
 */
export const daysInYear = (year: number): number => (isLeapYear(year) ? 366 : 365)

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48
  return c >= 0 && c <= 9 ? c : Number.NaN
}

/** Parses `YYYY-MM-DD` without allocating; `undefined` when the text is not a real date. */
const parseParts = (s: string): readonly [number, number, number] | undefined => {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3)
  const m = digit(s, 5) * 10 + digit(s, 6)
  const d = digit(s, 8) * 10 + digit(s, 9)
  if (!(y >= MIN_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return undefined
  return [y, m, d]
}

/**
 * Whether `s` is a real calendar date written `YYYY-MM-DD` (`2026-02-28` yes, `2026-02-30` and `2026-2-8` no).
 *
 * @since 0.1.0
 * @category accessors
 */
export const isLocalDateString = (s: string): boolean => parseParts(s) !== undefined

/**
 * A calendar date `YYYY-MM-DD` (日期) that exists: `2026-02-30`, `2025-02-29` and `2026-13-01` are rejected
 * with a Chinese message.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Schema } from "effect"
 * import { LocalDate } from "@gongzhi/core/LocalDate"
 *
 * const national = Schema.decodeUnknownSync(LocalDate)("2026-10-01")
 * // Schema.decodeUnknownSync(LocalDate)("2026-02-30") throws: 日期 "2026-02-30" 不存在 …
 */
export const LocalDate = Schema.String.pipe(
  Schema.filter(
    (s) =>
      isLocalDateString(s) ||
      (/^\d{4}-\d{2}-\d{2}$/.test(s)
        ? `日期 "${s}" 不存在（请检查月份与当月天数）/ "${s}" is not a real calendar date`
        : `日期格式应为 YYYY-MM-DD（例如 2026-10-08），收到 "${s}" / expected a date "YYYY-MM-DD"`),
    {
      identifier: "LocalDateString",
      // dates of years 0001–9999, uniform over days (filtering random strings would almost never hit a date)
      arbitrary: () => (fc) => fc.integer({ min: MIN_EPOCH_DAY, max: MAX_EPOCH_DAY }).map(civilOfEpochDay)
    }
  ),
  Schema.brand("@gongzhi/core/LocalDate"),
  Schema.annotations({
    identifier: "LocalDate",
    title: "日期",
    description: "公历日期，格式 YYYY-MM-DD / calendar date YYYY-MM-DD",
    examples: ["2026-10-08"] as any
  })
)

/**
 * @since 0.1.0
 * @category models
 */
export type LocalDate = typeof LocalDate.Type

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)
const pad4 = (n: number): string => (n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`)

const format = (y: number, m: number, d: number): string => `${pad4(y)}-${pad2(m)}-${pad2(d)}`

/**
 * Builds a date from its parts (month 1–12); `None` when the date does not exist.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (year: number, month: number, day: number): Option.Option<LocalDate> =>
  Number.isInteger(year) &&
  Number.isInteger(month) &&
  Number.isInteger(day) &&
  year >= MIN_YEAR &&
  year <= MAX_YEAR &&
  month >= 1 &&
  month <= 12 &&
  day >= 1 &&
  day <= daysInMonth(year, month)
    ? Option.some(format(year, month, day) as LocalDate)
    : Option.none()

/**
 * The year of a date.
 *
 * @since 0.1.0
 * @category accessors
 */
export const year = (date: LocalDate): number =>
  digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3)

/**
 * The month of a date, 1–12.
 *
 * @since 0.1.0
 * @category accessors
 */
export const month = (date: LocalDate): number => digit(date, 5) * 10 + digit(date, 6)

/**
 * The day of the month, 1–31.
 *
 * @since 0.1.0
 * @category accessors
 */
export const day = (date: LocalDate): number => digit(date, 8) * 10 + digit(date, 9)

/**
 * Days from 1970-01-01 to the given civil date (may be negative). Proleptic Gregorian.
 *
 * @since 0.1.0
 * @category accessors
 */
export const epochDayOf = (year: number, month: number, day: number): number => {
  // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/**
 * The epoch day (days since 1970-01-01) of a date.
 *
 * @since 0.1.0
 * @category accessors
 */
export const toEpochDay = (date: LocalDate): number => epochDayOf(year(date), month(date), day(date))

/**
 * The date of an epoch day; `None` outside years 0001–9999.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEpochDay = (epochDay: number): Option.Option<LocalDate> => {
  if (!Number.isInteger(epochDay) || epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) return Option.none()
  return Option.some(unsafeFromEpochDay(epochDay))
}

/**
 * The date of an epoch day known to lie within years 0001–9999 (not checked).
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeFromEpochDay = (epochDay: number): LocalDate => civilOfEpochDay(epochDay) as LocalDate

function civilOfEpochDay(epochDay: number): string {
  // H. Hinnant, civil_from_days
  const z = epochDay + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return format(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}

/**
 * Epoch day of 0001-01-01.
 *
 * @since 0.1.0
 * @category accessors
 */
export const MIN_EPOCH_DAY = epochDayOf(MIN_YEAR, 1, 1)

/**
 * Epoch day of 9999-12-31.
 *
 * @since 0.1.0
 * @category accessors
 */
export const MAX_EPOCH_DAY = epochDayOf(MAX_YEAR, 12, 31)

/**
 * ISO day of the week of an epoch day: 1 = Monday (周一) … 7 = Sunday (周日).
 *
 * @since 0.1.0
 * @category accessors
 */
export const dayOfWeekOfEpochDay = (epochDay: number): number => ((((epochDay + 3) % 7) + 7) % 7) + 1

/**
 * ISO day of the week: 1 = Monday (周一) … 7 = Sunday (周日).
 *
 * @since 0.1.0
 * @category accessors
 * @example
 * import { Schema } from "effect"
 * import * as LocalDate from "@gongzhi/core/LocalDate"
 *
 * LocalDate.dayOfWeek(Schema.decodeSync(LocalDate.LocalDate)("2026-10-10")) // 6, a Saturday
 */
export const dayOfWeek = (date: LocalDate): number => dayOfWeekOfEpochDay(toEpochDay(date))

/**
 * Whether the date falls on a Saturday or a Sunday.
 *
 * @since 0.1.0
 * @category accessors
 */
export const isWeekend = (date: LocalDate): boolean => dayOfWeek(date) >= 6

/**
 * The date `days` days later (earlier when negative); `None` when the result leaves years 0001–9999.
 *
 * @since 0.1.0
 * @category combinators
 */
export const addDays = (date: LocalDate, days: number): Option.Option<LocalDate> =>
  fromEpochDay(toEpochDay(date) + days)

/**
 * Number of days from `from` to `to` (negative when `to` is earlier).
 *
 * @since 0.1.0
 * @category accessors
 */
export const daysBetween = (from: LocalDate, to: LocalDate): number => toEpochDay(to) - toEpochDay(from)

/**
 * Compares two dates: −1 when `a` is earlier, 0 when equal, 1 when later. `YYYY-MM-DD` strings order
 * lexicographically, so this is a string comparison.
 *
 * @since 0.1.0
 * @category accessors
 */
export const compare = (a: LocalDate, b: LocalDate): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The chronological order of dates, for `Array.sort` with `effect`'s `Order` helpers.
 *
 * @since 0.1.0
 * @category accessors
 */
export const Order: Ord.Order<LocalDate> = compare

/**
 * Every date from `from` to `to`, both included, in order; empty when `to` is before `from`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const range = (from: LocalDate, to: LocalDate): Array<LocalDate> => {
  const start = toEpochDay(from)
  const end = toEpochDay(to)
  const out: Array<LocalDate> = []
  for (let e = start; e <= end; e++) out.push(unsafeFromEpochDay(e))
  return out
}

/**
 * A point in time given as a `Date` or an ISO 8601 string, refused when invalid (`Invalid Date`)
 * or outside the plausible years of the field (`earliestYear` to `latestYear`, default 2100): a
 * consent or a service hour dated 1900, or at the epoch's day zero (1970-01-01), is a typing or
 * conversion slip, not a fact. Whether it lies in the future is the service's question (it has the
 * clock).
 *
 * @since 0.1.0
 * @category models
 */
export const PlausibleDate = (options: {
  readonly title: string
  readonly earliestYear: number
  readonly latestYear?: number | undefined
}) =>
  Schema.Union(Schema.ValidDateFromSelf, Schema.Date).pipe(
    Schema.filter(
      (date) => {
        const y = date.getUTCFullYear()
        const latest = options.latestYear ?? 2100
        return y >= options.earliestYear && y <= latest
          ? true
          : `${options.title}的年份 ${y} 不合理（应在 ${options.earliestYear} 至 ${latest} 年之间）`
      },
      { identifier: "PlausibleDate" }
    ),
    Schema.annotations({ title: options.title })
  )
