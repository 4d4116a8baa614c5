/**
 * Office hours on the official working-day calendar: departments sign for, handle and answer reports, and team
 * leaders approve records, on working days (调休 included) between 09:00 and 18:00 Shenzhen time. The run uses this
 * to place its actions at plausible times; the deadlines themselves are the services' own.
 *
 * @since 0.1.0
 */
import * as Calendar from "@gongzhi/core/Calendar"
import { Effect } from "effect"
import { at, datesBetween, localDate } from "./simClock.js"

const OPEN_MINUTES = 9 * 60
const CLOSE_MINUTES = 18 * 60
const DAY = 86_400_000

/**
 * Office hours over a range of dates.
 *
 * @since 0.1.0
 * @category models
 */
export interface OfficeHours {
  /** Whether a date (`YYYY-MM-DD`) is a working day. */
  readonly isWorkingDay: (date: string) => boolean
  /** The working days from `from` to `to`, both included. */
  readonly workingDays: (from: string, to: string) => ReadonlyArray<string>
  /** The `n`-th working day after `date` (n ≥ 1). */
  readonly addWorkingDays: (date: string, n: number) => string
  /** The first instant at or after `t` within office hours. */
  readonly open: (t: number) => number
  /** `t` plus `minutes` of office time. */
  readonly addMinutes: (t: number, minutes: number) => number
  /** Office minutes between two instants (0 when `to` ≤ `from`). */
  readonly minutesBetween: (from: number, to: number) => number
}

/**
 * Office hours for the dates from `from` to `to` (working days from the official calendar; outside that range,
 * Monday to Friday).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (from: string, to: string) =>
  Effect.gen(function* () {
    const calendar = yield* Calendar.WorkingCalendar
    const known = new Map<string, boolean>()
    for (const date of datesBetween(from, to)) known.set(date, yield* calendar.isWorkingDay(date))
    const isWorkingDay = (date: string): boolean => {
      const status = known.get(date)
      if (status !== undefined) return status
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
      return weekday !== 0 && weekday !== 6
    }
    const nextDate = (date: string): string =>
      new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10)
    const minutesOfDay = (t: number): number => Math.floor((t - at(localDate(t))) / 60_000)
    const open = (t: number): number => {
      let date = localDate(t)
      if (isWorkingDay(date)) {
        const minutes = minutesOfDay(t)
        if (minutes < OPEN_MINUTES) return at(date, 9)
        if (minutes < CLOSE_MINUTES) return t
      }
      do date = nextDate(date)
      while (!isWorkingDay(date))
      return at(date, 9)
    }
    const addMinutes = (t: number, minutes: number): number => {
      let current = open(t)
      let left = minutes
      for (;;) {
        const close = at(localDate(current), 18)
        const available = (close - current) / 60_000
        if (left < available) return current + left * 60_000
        left -= available
        current = open(close)
      }
    }
    const minutesBetween = (from: number, to: number): number => {
      let current = open(from)
      let total = 0
      while (current < to) {
        const close = Math.min(at(localDate(current), 18), to)
        total += (close - current) / 60_000
        current = open(at(localDate(current), 18))
      }
      return Math.round(total)
    }
    return {
      isWorkingDay,
      workingDays: (a, b) => datesBetween(a, b).filter(isWorkingDay),
      addWorkingDays: (date, n) => {
        let current = date
        for (let i = 0; i < n; ) {
          current = nextDate(current)
          if (isWorkingDay(current)) i++
        }
        return current
      },
      open,
      addMinutes,
      minutesBetween
    } satisfies OfficeHours
  })
