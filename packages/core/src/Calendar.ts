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
import { Context, Effect, Layer, ParseResult, Schema } from "effect"
import * as HolidayNotice from "./HolidayNotice.js"
import * as engine from "./internal/calendar.js"
import * as LocalDate from "./LocalDate.js"

// ---------------------------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------------------------

/**
 * What to do when an operation needs a year no notice covers: `"fail"` fails with {@link CalendarOutOfCoverage};
 * `"uncertain"` answers from the fallback rule (weekends and fixed statutory dates off) and marks the answer
 * uncertain.
 *
 * @since 0.1.0
 * @category models
 */
export const OutOfCoveragePolicy = Schema.Literal("fail", "uncertain").annotations({
  identifier: "OutOfCoveragePolicy",
  title: "未覆盖年份的处理方式"
})

/**
 * @since 0.1.0
 * @category models
 */
export type OutOfCoveragePolicy = typeof OutOfCoveragePolicy.Type

/**
 * Why a day is off: a weekend (周末), a holiday of a notice (节假日, with its name), or a fixed statutory date
 * known from the national regulations alone (法定节假日, outside coverage, with the decree).
 *
 * @since 0.1.0
 * @category models
 */
export const OffReason = Schema.Union(
  Schema.TaggedStruct("Weekend", {}),
  Schema.TaggedStruct("Holiday", { name: Schema.String }),
  Schema.TaggedStruct("Statutory", { name: Schema.String, basis: Schema.String })
).annotations({ identifier: "OffReason" })

/**
 * @since 0.1.0
 * @category models
 */
export type OffReason = typeof OffReason.Type

/**
 * A working day. `makeupWorkday` is true on a Saturday or Sunday made a working day (调休上班); `holiday` then
 * names the holiday it serves.
 *
 * @since 0.1.0
 * @category models
 */
export const Working = Schema.TaggedStruct("Working", {
  date: LocalDate.LocalDate,
  makeupWorkday: Schema.Boolean,
  holiday: Schema.optional(Schema.String)
}).annotations({ identifier: "Working" })

/**
 * @since 0.1.0
 * @category models
 */
export type Working = typeof Working.Type

/**
 * A day off, with its reason.
 *
 * @since 0.1.0
 * @category models
 */
export const Off = Schema.TaggedStruct("Off", {
  date: LocalDate.LocalDate,
  reason: OffReason
}).annotations({ identifier: "Off" })

/**
 * @since 0.1.0
 * @category models
 */
export type Off = typeof Off.Type

/**
 * A day of a year no notice covers, under the `"uncertain"` policy: `assumed` is what the fallback rule says
 * (a weekday is assumed working, a Saturday or Sunday off), pending that year's notice.
 *
 * @since 0.1.0
 * @category models
 */
export const Uncertain = Schema.TaggedStruct("Uncertain", {
  date: LocalDate.LocalDate,
  year: Schema.Int,
  assumed: Schema.Literal("working", "off"),
  reason: Schema.optional(OffReason)
}).annotations({ identifier: "Uncertain" })

/**
 * @since 0.1.0
 * @category models
 */
export type Uncertain = typeof Uncertain.Type

/**
 * The status of a day when it is known: working or off.
 *
 * @since 0.1.0
 * @category models
 */
export const KnownDayStatus = Schema.Union(Working, Off).annotations({ identifier: "KnownDayStatus" })

/**
 * @since 0.1.0
 * @category models
 */
export type KnownDayStatus = typeof KnownDayStatus.Type

/**
 * The status of a day (工作日状态): working, off, or uncertain (outside coverage, `"uncertain"` policy only).
 *
 * @since 0.1.0
 * @category models
 */
export const DayStatus = Schema.Union(Working, Off, Uncertain).annotations({ identifier: "DayStatus" })

/**
 * @since 0.1.0
 * @category models
 */
export type DayStatus = typeof DayStatus.Type

/**
 * An answer under the `"uncertain"` policy: `Certain` when only covered years (or fixed statutory dates) were
 * needed, `Uncertain` with the uncovered years it relied on otherwise.
 *
 * @since 0.1.0
 * @category models
 */
export type Estimate<A> =
  | { readonly _tag: "Certain"; readonly value: A }
  | { readonly _tag: "Uncertain"; readonly value: A; readonly uncoveredYears: ReadonlyArray<number> }

/**
 * The schema of an {@link Estimate} of values of `value`.
 *
 * @since 0.1.0
 * @category models
 */
export const Estimate = <A, I, R>(value: Schema.Schema<A, I, R>) =>
  Schema.Union(
    Schema.TaggedStruct("Certain", { value }),
    Schema.TaggedStruct("Uncertain", { value, uncoveredYears: Schema.Array(Schema.Int) })
  )

// ---------------------------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------------------------

/**
 * An operation needed a year that no holiday notice covers, under the `"fail"` policy.
 *
 * @since 0.1.0
 * @category errors
 */
export class CalendarOutOfCoverage extends Schema.TaggedError<CalendarOutOfCoverage>(
  "@gongzhi/core/CalendarOutOfCoverage"
)("CalendarOutOfCoverage", {
  year: Schema.Int,
  coverage: Schema.Array(Schema.Int)
}) {
  override get message(): string {
    const known = this.coverage.length === 0 ? "尚未收录任何年份" : `已收录 ${this.coverage.join("、")} 年`
    return (
      `工作日历未收录 ${this.year} 年的放假调休安排（${known}），无法确定该年的工作日。` +
      `请在国务院办公厅公布《关于${this.year}年部分节假日安排的通知》后，将其作为 HolidayNotice 数据加入日历` +
      `（Calendar.make / Calendar.layer）；或在调用时指定 policy: "uncertain"，得到标注为不确定的估算结果。` +
      ` / the working calendar does not cover ${this.year}; add that year's holiday notice`
    )
  }
}

/**
 * An argument of a calendar operation is invalid (a date that does not exist, a negative number of days …), or
 * the result would leave years 0001–9999.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCalendarInput extends Schema.TaggedError<InvalidCalendarInput>(
  "@gongzhi/core/InvalidCalendarInput"
)("InvalidCalendarInput", {
  field: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `工作日历参数 ${this.field} 无效：${this.reason}`
  }
}

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

// ---------------------------------------------------------------------------------------------------------------
// implementation
// ---------------------------------------------------------------------------------------------------------------

const MAX_DAYS = 100_000

const decodeDateEither = ParseResult.decodeUnknownEither(LocalDate.LocalDate)
/** An integer between `min` and `max` with one Chinese message for every failure (type, integer, range). */
const intBetween = (min: number, max: number, message: string): Schema.Schema<number> =>
  Schema.declare((u): u is number => typeof u === "number" && Number.isInteger(u) && u >= min && u <= max, {
    message: () => message
  })

const decodeCountEither = ParseResult.decodeUnknownEither(
  intBetween(0, MAX_DAYS, `工作日数应为 0 至 ${MAX_DAYS} 之间的整数 / expected an integer between 0 and ${MAX_DAYS}`)
)
const decodeTaskEither = ParseResult.decodeUnknownEither(
  intBetween(
    1,
    MAX_DAYS,
    `任务工作日数应为 1 至 ${MAX_DAYS} 之间的整数 / expected an integer between 1 and ${MAX_DAYS}`
  )
)
const decodeYearEither = ParseResult.decodeUnknownEither(
  intBetween(1, 9999, "年份应为 1 至 9999 之间的整数 / expected a year between 1 and 9999")
)
const decodeAddOptionsEither = ParseResult.decodeUnknownEither(
  Schema.UndefinedOr(
    Schema.Struct({
      policy: Schema.optional(OutOfCoveragePolicy),
      countStartDay: Schema.optional(Schema.Boolean)
    })
  )
)

const invalid = (field: string, error: ParseResult.ParseIssue) =>
  new InvalidCalendarInput({
    field,
    reason: ParseResult.ArrayFormatter.formatIssueSync(error)
      .map((i) => i.message)
      .join("；")
  })

type Parsed<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: InvalidCalendarInput }

const parseDate = (field: string, input: unknown): Parsed<LocalDate.LocalDate> => {
  const r = decodeDateEither(input)
  return r._tag === "Right" ? { ok: true, value: r.right } : { ok: false, error: invalid(field, r.left) }
}

interface Position {
  readonly year: number
  readonly doy: number
}

const positionOf = (date: LocalDate.LocalDate): Position => {
  const year = LocalDate.year(date)
  return { year, doy: engine.dayOfYear(year, LocalDate.month(date), LocalDate.day(date)) }
}

const outOfRange = (field: string) =>
  new InvalidCalendarInput({
    field,
    reason: "计算结果超出支持的日期范围（0001 至 9999 年）/ result outside years 0001–9999"
  })

/** Turns a finished probe and a value into the answer of the chosen policy. */
const finish = <A>(
  e: engine.Engine,
  probe: engine.Probe,
  value: A | undefined,
  field: string
): Effect.Effect<A | Estimate<A>, Errors> => {
  if (value === undefined) {
    if (probe.outOfRange) return Effect.fail(outOfRange(field))
    return Effect.fail(new CalendarOutOfCoverage({ year: probe.failedYear ?? 0, coverage: e.coverage }))
  }
  if (!probe.allowUncertain) return Effect.succeed(value)
  return Effect.succeed(
    probe.uncovered === undefined
      ? { _tag: "Certain", value }
      : { _tag: "Uncertain", value, uncoveredYears: [...probe.uncovered].sort((a, b) => a - b) }
  )
}

const probeFor = (policy: OutOfCoveragePolicy | undefined): engine.Probe => new engine.Probe(policy === "uncertain")

const decodePolicy = (options: unknown): Parsed<OutOfCoveragePolicy | undefined> => {
  const r = decodeAddOptionsEither(options)
  return r._tag === "Right" ? { ok: true, value: r.right?.policy } : { ok: false, error: invalid("options", r.left) }
}

const statusOf = (
  e: engine.Engine,
  date: LocalDate.LocalDate,
  policy: OutOfCoveragePolicy | undefined
): DayStatus | CalendarOutOfCoverage | InvalidCalendarInput => {
  const { doy, year } = positionOf(date)
  const table = engine.anyTable(e, year)
  if (table === undefined) return outOfRange("date")
  const kind = table.kind[doy]
  const label = table.label[doy] ?? ""
  switch (kind) {
    case engine.MAKEUP:
      return Working.make({ date, makeupWorkday: true, holiday: label })
    case engine.HOLIDAY:
      return Off.make({ date, reason: { _tag: "Holiday", name: label } })
    case engine.STATUTORY:
      return Off.make({ date, reason: { _tag: "Statutory", name: label, basis: table.basis ?? "" } })
  }
  if (table.covered) {
    return kind === engine.WORK
      ? Working.make({ date, makeupWorkday: false })
      : Off.make({ date, reason: { _tag: "Weekend" } })
  }
  if (policy !== "uncertain") return new CalendarOutOfCoverage({ year, coverage: e.coverage })
  return kind === engine.WORK
    ? Uncertain.make({ date, year, assumed: "working" })
    : Uncertain.make({ date, year, assumed: "off", reason: { _tag: "Weekend" } })
}

const makeCalendar = (e: engine.Engine, notices: ReadonlyArray<HolidayNotice.HolidayNotice>): Calendar => {
  const dayStatus = (date: string, options?: PolicyOptions): Effect.Effect<DayStatus, Errors> => {
    const policy = decodePolicy(options)
    if (!policy.ok) return Effect.fail(policy.error)
    const d = parseDate("date", date)
    if (!d.ok) return Effect.fail(d.error)
    const status = statusOf(e, d.value, policy.value)
    return status._tag === "CalendarOutOfCoverage" || status._tag === "InvalidCalendarInput"
      ? Effect.fail(status)
      : Effect.succeed(status)
  }

  const isWorkingDay = (date: string, options?: PolicyOptions): Effect.Effect<boolean | Estimate<boolean>, Errors> =>
    Effect.map(dayStatus(date, options), (status) => {
      if (options?.policy !== "uncertain") return status._tag === "Working"
      return status._tag === "Uncertain"
        ? { _tag: "Uncertain", value: status.assumed === "working", uncoveredYears: [status.year] }
        : { _tag: "Certain", value: status._tag === "Working" }
    })

  const addWorkingDays = (
    start: string,
    n: number,
    options?: AddOptions
  ): Effect.Effect<LocalDate.LocalDate | Estimate<LocalDate.LocalDate>, Errors> => {
    const opts = decodeAddOptionsEither(options)
    if (opts._tag === "Left") return Effect.fail(invalid("options", opts.left))
    const s = decodeDateEither(start)
    if (s._tag === "Left") return Effect.fail(invalid("start", s.left))
    const count = decodeCountEither(n)
    if (count._tag === "Left") return Effect.fail(invalid("n", count.left))
    const probe = probeFor(opts.right?.policy)
    if (count.right === 0) return finish(e, probe, s.right, "n")
    const { doy, year } = positionOf(s.right)
    const first = opts.right?.countStartDay === true ? doy : doy + 1
    return finish(e, probe, engine.nthWorkingDayFrom(e, year, first, count.right, probe), "n")
  }

  const workingDaysBetween = (
    from: string,
    to: string,
    options?: PolicyOptions
  ): Effect.Effect<number | Estimate<number>, Errors> => {
    const policy = decodePolicy(options)
    if (!policy.ok) return Effect.fail(policy.error)
    const f = parseDate("from", from)
    if (!f.ok) return Effect.fail(f.error)
    const t = parseDate("to", to)
    if (!t.ok) return Effect.fail(t.error)
    const probe = probeFor(policy.value)
    const forward = f.value <= t.value
    const a = positionOf(forward ? f.value : t.value)
    const b = positionOf(forward ? t.value : f.value)
    const count = engine.countWorkingDays(e, a.year, a.doy + 1, b.year, b.doy, probe)
    return finish(e, probe, count === undefined ? undefined : forward ? count : -count, "to")
  }

  const latestStart = (
    deadline: string,
    n: number,
    options?: PolicyOptions
  ): Effect.Effect<LocalDate.LocalDate | Estimate<LocalDate.LocalDate>, Errors> => {
    const policy = decodePolicy(options)
    if (!policy.ok) return Effect.fail(policy.error)
    const d = parseDate("deadline", deadline)
    if (!d.ok) return Effect.fail(d.error)
    const count = decodeTaskEither(n)
    if (count._tag === "Left") return Effect.fail(invalid("n", count.left))
    const probe = probeFor(policy.value)
    const { doy, year } = positionOf(d.value)
    return finish(e, probe, engine.nthWorkingDayBackFrom(e, year, doy, count.right, probe), "n")
  }

  const workingDaysInYear = (
    year: number,
    options?: PolicyOptions
  ): Effect.Effect<number | Estimate<number>, Errors> => {
    const policy = decodePolicy(options)
    if (!policy.ok) return Effect.fail(policy.error)
    const y = decodeYearEither(year)
    if (y._tag === "Left") return Effect.fail(invalid("year", y.left))
    const probe = probeFor(policy.value)
    return finish(e, probe, engine.use(e, y.right, probe)?.total, "year")
  }

  return {
    coverage: e.coverage,
    covers: (year) => e.covered.has(year),
    notices,
    dayStatus: dayStatus as Calendar["dayStatus"],
    isWorkingDay: isWorkingDay as Calendar["isWorkingDay"],
    addWorkingDays: addWorkingDays as Calendar["addWorkingDays"],
    workingDaysBetween: workingDaysBetween as Calendar["workingDaysBetween"],
    latestStart: latestStart as Calendar["latestStart"],
    workingDaysInYear: workingDaysInYear as Calendar["workingDaysInYear"]
  }
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
