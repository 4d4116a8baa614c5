/**
 * The working-day calendar (工作日历): which days are working days under the official holiday arrangements
 * (法定节假日与调休), deadlines "N working days after" a date, working days between two dates, and reverse
 * scheduling from a deadline.
 *
 * A calendar is built from the yearly notices of the General Office of the State Council
 * ({@link HolidayNotice.HolidayNotice}); the years of those notices are its coverage. Outside coverage it never
 * guesses silently: each operation takes a policy, `"fail"` (the default, failing with
 * {@link CalendarOutOfCoverage}) or `"uncertain"` (answering with a result marked uncertain). Either way the fixed
 * statutory dates of the rule in force (01-01, 05-01, 05-02, 10-01–10-03 since 2025) are days off, and so are
 * Saturdays and Sundays unless a notice says otherwise.
 *
 * Rules used throughout (they are the rules of DOMAIN.md):
 * - `addWorkingDays(start, n)`: "N working days after" excludes the start day: the result is the n-th working
 *   day after `start`. With `countStartDay: true` the start day counts as day 1 when it is a working day: the
 *   result is the n-th working day from `start` on. `n = 0` returns `start` unchanged in both modes.
 * - `workingDaysBetween(from, to)`: the working days d with from < d ≤ to (the start day excluded, the end day
 *   included), so that `workingDaysBetween(start, addWorkingDays(start, n)) === n`; negative when `to < from`.
 * - `latestStart(deadline, n)`: the latest working day on which a task of n working days (the start day being
 *   day 1) can start and still finish on or before `deadline`.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import * as HolidayNotice from "./HolidayNotice.js"
import * as engine from "./internal/calendar.js"
import type {
  CalendarOutOfCoverage,
  DayStatus,
  Estimate,
  InvalidCalendarInput,
  KnownDayStatus,
  OutOfCoveragePolicy
} from "./internal/calendarSchema.js"
import { makeCalendar } from "./internal/calendarService.js"
import type * as LocalDate from "./LocalDate.js"

export {
  CalendarOutOfCoverage,
  DayStatus,
  Estimate,
  InvalidCalendarInput,
  KnownDayStatus,
  Off,
  OffReason,
  OutOfCoveragePolicy,
  Uncertain,
  Working
} from "./internal/calendarSchema.js"

// ---------------------------------------------------------------------------------------------------------------
// contract
// ---------------------------------------------------------------------------------------------------------------

/**
 * Options of queries: the out-of-coverage policy, `"fail"` by default.
 *
 * @since 0.1.0
 * @category models
 */
export interface PolicyOptions {
  readonly policy?: OutOfCoveragePolicy | undefined
}

/**
 * Options of `addWorkingDays`.
 *
 * @since 0.1.0
 * @category models
 */
export interface AddOptions extends PolicyOptions {
  /** When true, the start day counts as day 1 if it is a working day. Default false. */
  readonly countStartDay?: boolean | undefined
}

interface Fail {
  readonly policy?: "fail" | undefined
}
interface Unsure {
  readonly policy: "uncertain"
}
type Errors = InvalidCalendarInput | CalendarOutOfCoverage

/**
 * A working-day calendar. Every operation decodes its arguments (dates are `YYYY-MM-DD` text) and fails with
 * {@link InvalidCalendarInput} when they are invalid. See the module documentation for the counting rules.
 *
 * @since 0.1.0
 * @category models
 */
export interface Calendar {
  /** The years covered by a notice, ascending. */
  readonly coverage: ReadonlyArray<number>
  /** Whether a notice covers `year`. */
  readonly covers: (year: number) => boolean
  /** The notices the calendar was built from, by year. */
  readonly notices: ReadonlyArray<HolidayNotice.HolidayNotice>
  /**
   * The status of a day. Outside coverage, fixed statutory dates (and dates a notice of another year sets, such as
   * a 元旦 arrangement reaching into December) are still known and answered as `Working` / `Off` under both
   * policies; any other day fails (`"fail"`) or is `Uncertain` (`"uncertain"`).
   */
  readonly dayStatus: {
    (date: string, options?: Fail): Effect.Effect<KnownDayStatus, Errors>
    (date: string, options: Unsure): Effect.Effect<DayStatus, InvalidCalendarInput>
    (date: string, options?: PolicyOptions): Effect.Effect<DayStatus, Errors>
  }
  /** Whether a day is a working day (`"uncertain"` policy: an estimate). */
  readonly isWorkingDay: {
    (date: string, options?: Fail): Effect.Effect<boolean, Errors>
    (date: string, options: Unsure): Effect.Effect<Estimate<boolean>, InvalidCalendarInput>
    (date: string, options?: PolicyOptions): Effect.Effect<boolean | Estimate<boolean>, Errors>
  }
  /**
   * The n-th working day after `start` (n ≥ 0; the start day excluded unless `countStartDay`). The due date of
   * "5 working days after 2026-09-30" is 2026-10-13.
   */
  readonly addWorkingDays: {
    (start: string, n: number, options?: AddOptions & Fail): Effect.Effect<LocalDate.LocalDate, Errors>
    (
      start: string,
      n: number,
      options: AddOptions & Unsure
    ): Effect.Effect<Estimate<LocalDate.LocalDate>, InvalidCalendarInput>
    (
      start: string,
      n: number,
      options?: AddOptions
    ): Effect.Effect<LocalDate.LocalDate | Estimate<LocalDate.LocalDate>, Errors>
  }
  /** The number of working days d with from < d ≤ to; negative (−count of to < d ≤ from) when `to < from`. */
  readonly workingDaysBetween: {
    (from: string, to: string, options?: Fail): Effect.Effect<number, Errors>
    (from: string, to: string, options: Unsure): Effect.Effect<Estimate<number>, InvalidCalendarInput>
    (from: string, to: string, options?: PolicyOptions): Effect.Effect<number | Estimate<number>, Errors>
  }
  /**
   * The latest working day S on which a task of `n` working days (n ≥ 1, S counted as day 1) can start and end
   * on or before `deadline`: exactly n working days lie in [S, deadline].
   */
  readonly latestStart: {
    (deadline: string, n: number, options?: Fail): Effect.Effect<LocalDate.LocalDate, Errors>
    (deadline: string, n: number, options: Unsure): Effect.Effect<Estimate<LocalDate.LocalDate>, InvalidCalendarInput>
    (
      deadline: string,
      n: number,
      options?: PolicyOptions
    ): Effect.Effect<LocalDate.LocalDate | Estimate<LocalDate.LocalDate>, Errors>
  }
  /** The number of working days of a year (2026: 248). */
  readonly workingDaysInYear: {
    (year: number, options?: Fail): Effect.Effect<number, Errors>
    (year: number, options: Unsure): Effect.Effect<Estimate<number>, InvalidCalendarInput>
    (year: number, options?: PolicyOptions): Effect.Effect<number | Estimate<number>, Errors>
  }
}

/**
 * The working-day calendar as a service, so that domain services can depend on it.
 *
 * @since 0.1.0
 * @category tags
 * @example
 * import { Effect } from "effect"
 * import * as Calendar from "@gongzhi/core/Calendar"
 *
 * const dueDate = Effect.gen(function* () {
 *   const calendar = yield* Calendar.WorkingCalendar
 *   return yield* calendar.addWorkingDays("2026-09-30", 5) // "2026-10-13"
 * }).pipe(Effect.provide(Calendar.layerChina))
 */
export class WorkingCalendar extends Context.Tag("@gongzhi/core/WorkingCalendar")<WorkingCalendar, Calendar>() {}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MakeOptions {
  /**
   * The versions of 《全国年节及纪念日放假办法》 whose fixed dates are days off outside coverage; defaults to
   * {@link HolidayNotice.statutoryRules}.
   */
  readonly statutoryRules?: ReadonlyArray<HolidayNotice.StatutoryRule> | undefined
}

/**
 * Builds a calendar from holiday notices (decoded ones, or their encoded JSON form, which is decoded and
 * validated). Its coverage is the set of the notices' years. Fails when a notice is invalid, when two notices
 * share a year, or when two notices contradict each other on a date.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import * as Calendar from "@gongzhi/core/Calendar"
 * import * as HolidayNotice from "@gongzhi/core/HolidayNotice"
 *
 * const program = Effect.gen(function* () {
 *   const calendar = yield* Calendar.make(HolidayNotice.china)
 *   const days = yield* calendar.workingDaysInYear(2026) // 248
 *   const estimate = yield* calendar.addWorkingDays("2026-12-25", 10, { policy: "uncertain" })
 *   // { _tag: "Uncertain", value: "2027-01-11", uncoveredYears: [2027] }
 *   return { days, estimate }
 * })
 */
export const make = (
  notices: Iterable<HolidayNotice.HolidayNotice | HolidayNotice.Encoded>,
  options?: MakeOptions
): Effect.Effect<Calendar, HolidayNotice.HolidayNoticeInvalid> =>
  Effect.gen(function* () {
    const decoded: Array<HolidayNotice.HolidayNotice> = []
    for (const notice of notices) {
      decoded.push(notice instanceof HolidayNotice.HolidayNotice ? notice : yield* HolidayNotice.decodeUnknown(notice))
    }
    decoded.sort((a, b) => a.year - b.year)
    const built = engine.build(decoded, options?.statutoryRules ?? HolidayNotice.statutoryRules)
    if (built._tag === "Left") return yield* new HolidayNotice.HolidayNoticeInvalid({ issues: built.issues })
    return makeCalendar(built.engine, decoded)
  })

/**
 * A layer providing {@link WorkingCalendar} built from the given notices.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  notices: Iterable<HolidayNotice.HolidayNotice | HolidayNotice.Encoded>,
  options?: MakeOptions
): Layer.Layer<WorkingCalendar, HolidayNotice.HolidayNoticeInvalid> =>
  Layer.effect(WorkingCalendar, make(notices, options))

/**
 * A layer providing {@link WorkingCalendar} for mainland China from the vendored official notices
 * ({@link HolidayNotice.china}: 2024, 2025, 2026).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerChina: Layer.Layer<WorkingCalendar> = Layer.effect(WorkingCalendar, make(HolidayNotice.china)).pipe(
  Layer.orDie
)
