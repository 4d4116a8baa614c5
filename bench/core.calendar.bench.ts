/**
 * `core.calendar.add`: 100,000 "N working days after" computations over the vendored 2024–2026 notices.
 *
 * ours: the public path a user calls, `calendar.addWorkingDays(start, n)` (it decodes both arguments with Schema
 * and returns an Effect), run as one batch with `Effect.runSync(Effect.forEach(...))`. Underneath, each call is
 * O(1) per year crossed thanks to the per-year prefix sums of working days.
 * baseline: the loop a competent developer writes: step one day at a time with `Date`, looking each day up in a
 * `Set` of holiday dates and a `Set` of make-up working days.
 */

import * as Calendar from "@gongzhi/core/Calendar"
import * as HolidayNotice from "@gongzhi/core/HolidayNotice"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Effect } from "effect"
import type { BenchEntry } from "./harness.js"

const COUNT = 100_000

let calendar: Calendar.Calendar
let starts: Array<string> = []
let counts: Array<number> = []

// the naive baseline's data: every day off and every make-up day as a "YYYY-MM-DD" string
const holidays = new Set<string>()
const makeupDays = new Set<string>()

const isWorkingNaive = (d: Date): boolean => {
  const s = d.toISOString().slice(0, 10)
  if (makeupDays.has(s)) return true
  if (holidays.has(s)) return false
  const weekday = d.getUTCDay()
  return weekday !== 0 && weekday !== 6
}

const addWorkingDaysNaive = (start: string, n: number): string => {
  const d = new Date(`${start}T00:00:00Z`)
  let left = n
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1)
    if (isWorkingNaive(d)) left--
  }
  return d.toISOString().slice(0, 10)
}

const ours = (): ReadonlyArray<LocalDate.LocalDate> =>
  Effect.runSync(Effect.forEach(starts, (start, i) => calendar.addWorkingDays(start, counts[i])))

const baseline = (): Array<string> => {
  const out = new Array<string>(COUNT)
  for (let i = 0; i < COUNT; i++) out[i] = addWorkingDaysNaive(starts[i], counts[i])
  return out
}

const setup = (): void => {
  calendar = Effect.runSync(Calendar.make(HolidayNotice.china))
  for (const notice of HolidayNotice.china) {
    for (const { date } of HolidayNotice.daysOff(notice)) holidays.add(date)
    for (const { date } of notice.makeupWorkdays) makeupDays.add(date)
  }
  // deterministic inputs: starts from 2024-01-01 to 2026-09-15 and n in 1..60, so every result stays in 2026
  const first = LocalDate.toEpochDay("2024-01-01" as LocalDate.LocalDate)
  const span = LocalDate.toEpochDay("2026-09-15" as LocalDate.LocalDate) - first + 1
  let seed = 20261013
  const next = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    return seed
  }
  starts = []
  counts = []
  for (let i = 0; i < COUNT; i++) {
    starts.push(LocalDate.unsafeFromEpochDay(first + (next() % span)))
    counts.push(1 + (next() % 60))
  }
  const a = ours()
  const b = baseline()
  for (let i = 0; i < COUNT; i++) {
    if (a[i] !== b[i]) {
      throw new Error(`core.calendar.add: results differ for ${starts[i]} + ${counts[i]}: ${a[i]} vs ${b[i]}`)
    }
  }
}

export const entries: Array<BenchEntry> = [
  {
    id: "core.calendar.add",
    unit: "100k additions",
    setup,
    ours,
    baseline
  }
]
