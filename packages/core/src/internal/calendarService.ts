// The implementation of `Calendar.Calendar` over the engine of `./calendar.ts`: decoding every argument,
// the out-of-coverage policy, estimates.
import { Effect, ParseResult, Schema } from "effect"
import type { AddOptions, Calendar, PolicyOptions } from "../Calendar.js"
import type * as HolidayNotice from "../HolidayNotice.js"
import * as LocalDate from "../LocalDate.js"
import * as engine from "./calendar.js"
import {
  CalendarOutOfCoverage,
  type DayStatus,
  type Estimate,
  InvalidCalendarInput,
  Off,
  OutOfCoveragePolicy,
  Uncertain,
  Working
} from "./calendarSchema.js"

type Errors = InvalidCalendarInput | CalendarOutOfCoverage

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

export const makeCalendar = (e: engine.Engine, notices: ReadonlyArray<HolidayNotice.HolidayNotice>): Calendar => {
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
