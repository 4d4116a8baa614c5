/**
 * The working-day engine: pure, synchronous, on day-of-year indexes. For every year it knows, it holds a
 * day-status array, the prefix sums of working days and the index of the k-th working day, so that adding
 * working days, counting them and scheduling backwards cost O(1) per year crossed instead of a loop over days.
 *
 * Years covered by a notice are built once. Years outside coverage are built on demand (and cached) from the
 * fallback rule: Saturdays and Sundays off, the fixed statutory dates of the rule in force off, and any dates a
 * notice of another year sets in that year (e.g. a 元旦 arrangement reaching into December). Whether such an
 * answer may be used is decided by the caller through a `Probe`.
 *
 * @internal
 */
import type { HolidayNotice, StatutoryRule } from "../HolidayNotice.js"
import { statutoryRuleFor } from "../HolidayNotice.js"
import * as LocalDate from "../LocalDate.js"

/** A weekday on which people work. */
export const WORK = 0
/** A Saturday or Sunday on which people work (调休上班). */
export const MAKEUP = 1
/** A Saturday or Sunday off. */
export const WEEKEND = 2
/** A day off of a holiday from a notice. */
export const HOLIDAY = 3
/** A fixed statutory day off known from the rule in force (outside coverage). */
export const STATUTORY = 4

export interface YearTable {
  readonly year: number
  readonly covered: boolean
  /** Epoch day of 1 January. */
  readonly start: number
  readonly length: number
  /** Status code of each day of the year. */
  readonly kind: Uint8Array
  /** Holiday name of each HOLIDAY, MAKEUP or STATUTORY day. */
  readonly label: ReadonlyArray<string | undefined>
  /** The statutory basis of the rule in force, for STATUTORY days. */
  readonly basis: string | undefined
  /** `cum[i]` = number of working days among the days of index < i; length + 1 entries. */
  readonly cum: Int32Array
  /** `nth[k]` = day index of the (k + 1)-th working day of the year. */
  readonly nth: Int32Array
  readonly total: number
  readonly dates: ReadonlyArray<LocalDate.LocalDate>
}

interface Override {
  readonly doy: number
  readonly kind: typeof MAKEUP | typeof HOLIDAY
  readonly label: string
  readonly noticeYear: number
  readonly date: string
}

export interface Engine {
  readonly coverage: ReadonlyArray<number>
  readonly covered: ReadonlyMap<number, YearTable>
  readonly overrides: ReadonlyMap<number, ReadonlyArray<Override>>
  readonly rules: ReadonlyArray<StatutoryRule>
  readonly fallback: Map<number, YearTable>
}

const MIN_YEAR = 1
const MAX_YEAR = 9999
const FALLBACK_CACHE_LIMIT = 512

const buildTable = (
  year: number,
  covered: boolean,
  overrides: ReadonlyArray<Override>,
  rules: ReadonlyArray<StatutoryRule>
): YearTable => {
  const start = LocalDate.epochDayOf(year, 1, 1)
  const length = LocalDate.daysInYear(year)
  const kind = new Uint8Array(length)
  const label: Array<string | undefined> = new Array(length).fill(undefined)
  const dates: Array<LocalDate.LocalDate> = new Array(length)
  for (let i = 0; i < length; i++) {
    kind[i] = LocalDate.dayOfWeekOfEpochDay(start + i) >= 6 ? WEEKEND : WORK
    dates[i] = LocalDate.unsafeFromEpochDay(start + i)
  }
  let basis: string | undefined
  if (!covered) {
    const rule = statutoryRuleFor(year, rules)
    if (rule._tag === "Some") {
      basis = rule.value.basis
      for (const fixed of rule.value.fixedDays) {
        const month = Number(fixed.monthDay.slice(0, 2))
        const day = Number(fixed.monthDay.slice(3, 5))
        if (day > LocalDate.daysInMonth(year, month)) continue // 02-29 in a common year
        const doy = LocalDate.epochDayOf(year, month, day) - start
        kind[doy] = STATUTORY
        label[doy] = fixed.name
      }
    }
  }
  for (const o of overrides) {
    kind[o.doy] = o.kind
    label[o.doy] = o.label
  }
  const cum = new Int32Array(length + 1)
  let total = 0
  for (let i = 0; i < length; i++) {
    cum[i] = total
    if (kind[i] <= MAKEUP) total++
  }
  cum[length] = total
  const nth = new Int32Array(total)
  for (let i = 0, k = 0; i < length; i++) if (kind[i] <= MAKEUP) nth[k++] = i
  return { year, covered, start, length, kind, label, basis, cum, nth, total, dates }
}

/** Builds the engine; returns the list of problems when the notices do not fit together. */
export const build = (
  notices: ReadonlyArray<HolidayNotice>,
  rules: ReadonlyArray<StatutoryRule>
): { readonly _tag: "Right"; readonly engine: Engine } | { readonly _tag: "Left"; readonly issues: Array<string> } => {
  const issues: Array<string> = []
  const byYear = new Map<number, HolidayNotice>()
  for (const notice of notices) {
    if (byYear.has(notice.year)) issues.push(`${notice.year} 年的通知重复提供 / duplicate notice year`)
    byYear.set(notice.year, notice)
  }
  // every date a notice sets, keyed by date, to detect two notices contradicting each other
  const entries = new Map<string, Override>()
  const add = (date: LocalDate.LocalDate, kind: typeof MAKEUP | typeof HOLIDAY, name: string, noticeYear: number) => {
    const y = LocalDate.year(date)
    const doy = LocalDate.toEpochDay(date) - LocalDate.epochDayOf(y, 1, 1)
    const existing = entries.get(date)
    if (existing !== undefined && existing.kind !== kind) {
      const what = (k: number) => (k === MAKEUP ? "调休上班" : "放假")
      issues.push(
        `${date} 在 ${existing.noticeYear} 年通知中为${what(existing.kind)}，在 ${noticeYear} 年通知中为${what(kind)}，两者矛盾 / notices contradict each other`
      )
      return
    }
    if (existing === undefined || noticeYear === y) entries.set(date, { doy, kind, label: name, noticeYear, date })
  }
  for (const notice of byYear.values()) {
    for (const h of notice.holidays)
      for (const date of LocalDate.range(h.from, h.to)) add(date, HOLIDAY, h.name, notice.year)
    for (const m of notice.makeupWorkdays) add(m.date, MAKEUP, m.holiday, notice.year)
  }
  if (issues.length > 0) return { _tag: "Left", issues }

  const overrides = new Map<number, Array<Override>>()
  for (const o of entries.values()) {
    const y = Number(o.date.slice(0, 4))
    const list = overrides.get(y)
    if (list === undefined) overrides.set(y, [o])
    else list.push(o)
  }
  const coverage = [...byYear.keys()].sort((a, b) => a - b)
  const covered = new Map<number, YearTable>()
  for (const y of coverage) covered.set(y, buildTable(y, true, overrides.get(y) ?? [], rules))
  return { _tag: "Right", engine: { coverage, covered, overrides, rules, fallback: new Map() } }
}

/**
 * What a computation needed: whether it may use uncovered years, the uncovered years it used, and why it
 * stopped when it could not go on.
 */
export class Probe {
  /** The uncovered year that stopped the computation under the "fail" policy. */
  failedYear: number | undefined = undefined
  /** True when the computation ran out of years 0001–9999. */
  outOfRange = false
  /** Uncovered years used under the "uncertain" policy, ascending. */
  uncovered: Array<number> | undefined = undefined
  constructor(readonly allowUncertain: boolean) {}
}

const fallbackTable = (engine: Engine, year: number): YearTable => {
  let table = engine.fallback.get(year)
  if (table === undefined) {
    if (engine.fallback.size >= FALLBACK_CACHE_LIMIT) engine.fallback.clear()
    table = buildTable(year, false, engine.overrides.get(year) ?? [], engine.rules)
    engine.fallback.set(year, table)
  }
  return table
}

/** The table of `year` if the probe allows it; records an uncovered year used or the reason to stop. */
export const use = (engine: Engine, year: number, probe: Probe): YearTable | undefined => {
  const table = engine.covered.get(year)
  if (table !== undefined) return table
  if (year < MIN_YEAR || year > MAX_YEAR) {
    probe.outOfRange = true
    return undefined
  }
  if (!probe.allowUncertain) {
    probe.failedYear = year
    return undefined
  }
  if (probe.uncovered === undefined) probe.uncovered = [year]
  else if (!probe.uncovered.includes(year)) probe.uncovered.push(year)
  return fallbackTable(engine, year)
}

/** The table of `year` regardless of coverage (covered or fallback); undefined outside years 0001–9999. */
export const anyTable = (engine: Engine, year: number): YearTable | undefined =>
  engine.covered.get(year) ?? (year < MIN_YEAR || year > MAX_YEAR ? undefined : fallbackTable(engine, year))

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]

/** Index of a date within its year (0 = 1 January). */
export const dayOfYear = (year: number, month: number, day: number): number =>
  DAYS_BEFORE_MONTH[month - 1] + day - 1 + (month > 2 && LocalDate.isLeapYear(year) ? 1 : 0)

/**
 * The `n`-th working day (n ≥ 1) among the days from (year, doy) on, that day included.
 * `doy` may equal the length of the year, meaning 1 January of the next year.
 */
export const nthWorkingDayFrom = (
  engine: Engine,
  year: number,
  doy: number,
  n: number,
  probe: Probe
): LocalDate.LocalDate | undefined => {
  if (doy >= LocalDate.daysInYear(year)) {
    year++
    doy = 0
  }
  let t = use(engine, year, probe)
  if (t === undefined) return undefined
  let target = t.cum[doy] + n
  while (target > t.total) {
    target -= t.total
    t = use(engine, t.year + 1, probe)
    if (t === undefined) return undefined
  }
  return t.dates[t.nth[target - 1]]
}

/**
 * The `n`-th working day (n ≥ 1) counting backwards from (year, doy), that day included: the latest day S such
 * that the working days of [S, date] are exactly n and S is a working day.
 */
export const nthWorkingDayBackFrom = (
  engine: Engine,
  year: number,
  doy: number,
  n: number,
  probe: Probe
): LocalDate.LocalDate | undefined => {
  let t = use(engine, year, probe)
  if (t === undefined) return undefined
  let k = t.cum[doy + 1]
  while (k < n) {
    n -= k
    t = use(engine, t.year - 1, probe)
    if (t === undefined) return undefined
    k = t.total
  }
  return t.dates[t.nth[k - n]]
}

/**
 * Number of working days among the days from (yearA, doyA) to (yearB, doyB), both included; the first must not
 * be after the second. `doyA` may equal the length of its year (1 January of the next year).
 */
export const countWorkingDays = (
  engine: Engine,
  yearA: number,
  doyA: number,
  yearB: number,
  doyB: number,
  probe: Probe
): number | undefined => {
  if (doyA >= LocalDate.daysInYear(yearA)) {
    yearA++
    doyA = 0
  }
  if (yearA > yearB || (yearA === yearB && doyA > doyB)) return 0
  const first = use(engine, yearA, probe)
  if (first === undefined) return undefined
  if (yearA === yearB) return first.cum[doyB + 1] - first.cum[doyA]
  let count = first.total - first.cum[doyA]
  for (let y = yearA + 1; y < yearB; y++) {
    const t = use(engine, y, probe)
    if (t === undefined) return undefined
    count += t.total
  }
  const last = use(engine, yearB, probe)
  if (last === undefined) return undefined
  return count + last.cum[doyB + 1]
}
