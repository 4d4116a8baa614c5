/**
 * Work plans (攻坚作战图) of @gongzhi/projects.
 *
 * - `projects.plan.schedule`: schedule a plan of 10,000 tasks with 30,000 dependencies forwards from a start on
 *   the official working-day calendar — `WorkPlan.schedule` ("ours": decodes the tasks, builds the graph,
 *   checks for cycles, earliest/latest dates, slack, the critical path, dates on the calendar) against a
 *   straightforward hand-written pass over the same arrays ("baseline": Kahn's topological order, a forward
 *   and a backward pass over integer day indexes, slack and dates from a list of working days built with the
 *   same calendar). Same run, same data. ratio = baseline / ours; target ≥ 0.5 (issue 13).
 *
 * Not here yet: `projects.ranking` (1,000 applications × 15 judges × 10 criteria from SQLite against one SQL
 * aggregate).
 */
import * as Calendar from "@gongzhi/core/Calendar"
import * as HolidayNotice from "@gongzhi/core/HolidayNotice"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Effect } from "effect"
import * as WorkPlan from "../packages/projects/src/WorkPlan.js"
import type { BenchEntry } from "./harness.js"

const TASKS = 10_000
const EDGES_PER_TASK = 3
const START = "2024-01-02"

/** A deterministic pseudo-random sequence (mulberry32). */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}

interface Data {
  readonly calendar: Calendar.Calendar
  /** The plan as `WorkPlan.schedule` takes it. */
  readonly tasks: ReadonlyArray<{ id: string; name: string; durationDays: number; dependsOn: Array<string> }>
  /** The same plan as arrays, for the baseline. */
  readonly durations: Int32Array
  readonly from: Int32Array
  readonly to: Int32Array
}

let cached: Data | undefined

const data = (): Data => {
  if (cached !== undefined) return cached
  const next = random(20170324)
  const tasks: Array<{ id: string; name: string; durationDays: number; dependsOn: Array<string> }> = []
  const from: Array<number> = []
  const to: Array<number> = []
  for (let i = 0; i < TASKS; i++) {
    const dependsOn = new Set<number>()
    // each task after the first few waits for three distinct earlier tasks: 29,991 dependencies in all
    if (i >= EDGES_PER_TASK) while (dependsOn.size < EDGES_PER_TASK) dependsOn.add(Math.floor(next() * i))
    for (const j of dependsOn) {
      from.push(j)
      to.push(i)
    }
    tasks.push({
      id: `T${i}`,
      name: `任务${i}`,
      durationDays: 1 + Math.floor(next() * 3),
      dependsOn: [...dependsOn].map((j) => `T${j}`)
    })
  }
  cached = {
    calendar: Effect.runSync(Calendar.make(HolidayNotice.china)),
    tasks,
    durations: Int32Array.from(tasks, (t) => t.durationDays),
    from: Int32Array.from(from),
    to: Int32Array.from(to)
  }
  return cached
}

/** Kahn's order, earliest and latest day indexes, slack, dates from the list of working days. */
const baseline = (d: Data) => {
  const n = d.durations.length
  const indegree = new Int32Array(n)
  const succStart = new Int32Array(n + 1)
  for (let k = 0; k < d.from.length; k++) {
    indegree[d.to[k]!]!++
    succStart[d.from[k]! + 1]!++
  }
  for (let i = 0; i < n; i++) succStart[i + 1]! += succStart[i]!
  const succ = new Int32Array(d.from.length)
  const fill = succStart.slice(0, n)
  for (let k = 0; k < d.from.length; k++) succ[fill[d.from[k]!]!++] = d.to[k]!
  const order = new Int32Array(n)
  let head = 0
  let tail = 0
  for (let i = 0; i < n; i++) if (indegree[i] === 0) order[tail++] = i
  const es = new Int32Array(n)
  while (head < tail) {
    const i = order[head++]!
    const finish = es[i]! + d.durations[i]!
    for (let k = succStart[i]!; k < succStart[i + 1]!; k++) {
      const j = succ[k]!
      if (finish > es[j]!) es[j] = finish
      if (--indegree[j] === 0) order[tail++] = j
    }
  }
  if (tail !== n) throw new Error("cycle")
  let end = 0
  for (let i = 0; i < n; i++) end = Math.max(end, es[i]! + d.durations[i]!)
  const lf = new Int32Array(n).fill(end)
  for (let p = n - 1; p >= 0; p--) {
    const i = order[p]!
    for (let k = succStart[i]!; k < succStart[i + 1]!; k++) {
      const ls = lf[succ[k]!]! - d.durations[succ[k]!]!
      if (ls < lf[i]!) lf[i] = ls
    }
  }
  // the working days from the start, with the same calendar
  const days: Array<LocalDate.LocalDate> = []
  let day = LocalDate.toEpochDay(START as LocalDate.LocalDate)
  while (days.length <= end) {
    const date = LocalDate.unsafeFromEpochDay(day++)
    if (Effect.runSync(d.calendar.isWorkingDay(date))) days.push(date)
  }
  const out = new Array(n)
  for (let i = 0; i < n; i++) {
    const slack = lf[i]! - d.durations[i]! - es[i]!
    out[i] = {
      earliestStart: days[es[i]!],
      earliestFinish: days[es[i]! + d.durations[i]! - 1],
      latestStart: days[lf[i]! - d.durations[i]!],
      latestFinish: days[lf[i]! - 1],
      slack,
      critical: slack === 0
    }
  }
  return out
}

export const entries: ReadonlyArray<BenchEntry> = [
  {
    id: "projects.plan.schedule",
    unit: `${TASKS} tasks, ${TASKS * EDGES_PER_TASK - 6} dependencies`,
    target: 0.5,
    setup: () => {
      data()
    },
    ours: () => {
      const d = data()
      return Effect.runSync(WorkPlan.schedule(d.calendar, d.tasks, { start: START }))
    },
    baseline: () => baseline(data())
  }
]
