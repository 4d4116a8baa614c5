/**
 * Work plans (攻坚作战图, 工期倒排): tasks with durations in working days (以工作日为单元), owners and
 * dependencies, scheduled on the kernel's working-day calendar with the critical path method (CPM).
 *
 * - From a start (forwards): every task's earliest start and finish; the plan's finish is the latest
 *   earliest finish; latest dates are computed back from that finish.
 * - From a deadline (backwards, 倒排): every task's latest start and finish so the plan ends on the last
 *   working day on or before the deadline; the earliest dates are those of a plan started on the latest
 *   day it can start.
 * - From both: earliest from the start, latest from the deadline; negative slack says by how many working
 *   days the plan is late (`lateByDays`).
 *
 * A task of n working days occupies n consecutive working days, its start counted as day 1; a task
 * starts on the working day after the last of its dependencies finishes. Slack (浮动时间) is latest
 * start − earliest start in working days; the critical path (关键路径) is a chain of tasks with the least
 * slack from a task without dependencies to the plan's finish. A plan whose dependencies form a cycle fails
 * with {@link DependencyCycle}, naming the cycle.
 *
 * @since 0.1.0
 */
import type { Calendar, CalendarOutOfCoverage, InvalidCalendarInput } from "@gongzhi/core/Calendar"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Effect, Either, ParseResult, Schema } from "effect"
import { DependencyCycle, InvalidInput, UnknownDependency } from "./ProjectErrors.js"

/**
 * A task of a work plan (作战图任务).
 *
 * @since 0.1.0
 * @category models
 */
export class Task extends Schema.Class<Task>("@gongzhi/projects/WorkPlan/Task")({
  id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  name: Schema.String.pipe(Schema.minLength(1)),
  /** Working days, at least 1. */
  durationDays: Schema.Int.pipe(
    Schema.between(1, 10_000, { message: () => "工期应为 1–10000 个工作日 / duration must be 1–10000 working days" })
  ),
  /** The responsible unit or person (责任单位/责任人). */
  owner: Schema.optionalWith(Schema.String, { default: () => "" }),
  dependsOn: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
}) {}

/**
 * What a plan is scheduled from: a start, a deadline, or both.
 *
 * @since 0.1.0
 * @category models
 */
export type Anchor =
  | { readonly start: string; readonly deadline?: undefined }
  | { readonly deadline: string; readonly start?: undefined }
  | { readonly start: string; readonly deadline: string }

/**
 * A scheduled task: dates are working days (`YYYY-MM-DD`), slack in working days.
 *
 * @since 0.1.0
 * @category models
 */
export interface ScheduledTask {
  readonly id: string
  readonly name: string
  readonly owner: string
  readonly durationDays: number
  readonly dependsOn: ReadonlyArray<string>
  readonly earliestStart: LocalDate.LocalDate
  readonly earliestFinish: LocalDate.LocalDate
  readonly latestStart: LocalDate.LocalDate
  readonly latestFinish: LocalDate.LocalDate
  readonly slackDays: number
  readonly critical: boolean
}

/**
 * A scheduled plan.
 *
 * @since 0.1.0
 * @category models
 */
export interface Schedule {
  /** The plan's earliest start (from a deadline alone: the latest day it can start). */
  readonly start: LocalDate.LocalDate
  /** The plan's earliest finish. */
  readonly finish: LocalDate.LocalDate
  readonly deadline: LocalDate.LocalDate | undefined
  /** Working days from start to finish, both counted. */
  readonly spanDays: number
  /** Working days the earliest finish lies after the deadline (0 when on time). */
  readonly lateByDays: number
  /** In topological order (dependencies first; otherwise in plan order). */
  readonly tasks: ReadonlyArray<ScheduledTask>
  /** Task ids of the critical path, first to last. */
  readonly criticalPath: ReadonlyArray<string>
}

/**
 * The schedule in working-day indexes, before dates: what {@link analyse} returns.
 *
 * @since 0.1.0
 * @category models
 */
export interface Analysis {
  readonly ids: ReadonlyArray<string>
  /** Task indexes in topological order. */
  readonly order: Int32Array
  readonly earliestStart: Int32Array
  readonly earliestFinish: Int32Array
  readonly latestStart: Int32Array
  readonly latestFinish: Int32Array
  /** The latest earliest finish (the plan's finish index; the first day is index 0). */
  readonly finish: number
  readonly criticalPath: ReadonlyArray<number>
}

/**
 * The arrays {@link analyse} works on: durations and dependency edges by task index.
 *
 * @since 0.1.0
 * @category models
 */
export interface Graph {
  readonly ids: ReadonlyArray<string>
  readonly durations: ArrayLike<number>
  /** Edge k: task `from[k]` must finish before task `to[k]` starts. */
  readonly from: ArrayLike<number>
  readonly to: ArrayLike<number>
}

const findCycle = (n: number, predStart: Int32Array, preds: Int32Array, remaining: Uint8Array): Array<number> => {
  // every remaining node has a remaining predecessor: walk predecessors until a node repeats
  let node = remaining.indexOf(1)
  const seenAt = new Map<number, number>()
  const walk: Array<number> = []
  while (!seenAt.has(node)) {
    seenAt.set(node, walk.length)
    walk.push(node)
    let next = -1
    for (let k = predStart[node]!; k < predStart[node + 1]!; k++) {
      if (remaining[preds[k]!] === 1) {
        next = preds[k]!
        break
      }
    }
    if (next < 0 || walk.length > n) break
    node = next
  }
  const cycle = walk.slice(seenAt.get(node) ?? 0).reverse()
  cycle.push(cycle[0]!)
  return cycle
}

/**
 * The critical path method on index arrays: earliest dates forwards from index 0, latest dates
 * backwards from `end` (default: the plan's finish). Fails with the cycle's task indexes (first repeated
 * at the end) when the graph has one.
 *
 * @since 0.1.0
 * @category combinators
 */
export const analyse = (graph: Graph, end?: number): Either.Either<Analysis, ReadonlyArray<number>> => {
  const n = graph.ids.length
  const m = graph.from.length
  const indegree = new Int32Array(n)
  const outdegree = new Int32Array(n)
  for (let k = 0; k < m; k++) {
    indegree[graph.to[k]!]!++
    outdegree[graph.from[k]!]!++
  }
  const succStart = new Int32Array(n + 1)
  const predStart = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) {
    succStart[i + 1] = succStart[i]! + outdegree[i]!
    predStart[i + 1] = predStart[i]! + indegree[i]!
  }
  const succs = new Int32Array(m)
  const preds = new Int32Array(m)
  const succFill = succStart.slice(0, n)
  const predFill = predStart.slice(0, n)
  for (let k = 0; k < m; k++) {
    const a = graph.from[k]!
    const b = graph.to[k]!
    succs[succFill[a]!++] = b
    preds[predFill[b]!++] = a
  }
  // Kahn's algorithm; ties by index so the order is deterministic
  const order = new Int32Array(n)
  const pending = indegree.slice()
  let head = 0
  let tail = 0
  for (let i = 0; i < n; i++) if (pending[i] === 0) order[tail++] = i
  while (head < tail) {
    const node = order[head++]!
    for (let k = succStart[node]!; k < succStart[node + 1]!; k++) {
      const next = succs[k]!
      if (--pending[next]! === 0) order[tail++] = next
    }
  }
  if (tail < n) {
    const remaining = new Uint8Array(n)
    for (let i = 0; i < n; i++) if (pending[i]! > 0) remaining[i] = 1
    return Either.left(findCycle(n, predStart, preds, remaining))
  }
  const es = new Int32Array(n)
  const ef = new Int32Array(n)
  let finish = -1
  for (let j = 0; j < n; j++) {
    const node = order[j]!
    let start = 0
    for (let k = predStart[node]!; k < predStart[node + 1]!; k++) {
      const after = ef[preds[k]!]! + 1
      if (after > start) start = after
    }
    es[node] = start
    ef[node] = start + graph.durations[node]! - 1
    if (ef[node]! > finish) finish = ef[node]!
  }
  const last = end ?? finish
  const ls = new Int32Array(n)
  const lf = new Int32Array(n)
  for (let j = n - 1; j >= 0; j--) {
    const node = order[j]!
    let latest = last
    for (let k = succStart[node]!; k < succStart[node + 1]!; k++) {
      const before = ls[succs[k]!]! - 1
      if (before < latest) latest = before
    }
    lf[node] = latest
    ls[node] = latest - graph.durations[node]! + 1
  }
  // the critical path: from a source with the least slack, follow tight successors with the least slack
  const criticalPath: Array<number> = []
  if (n > 0) {
    let minSlack = Number.POSITIVE_INFINITY
    for (let i = 0; i < n; i++) if (ls[i]! - es[i]! < minSlack) minSlack = ls[i]! - es[i]!
    let current = -1
    for (let i = 0; i < n; i++) {
      if (predStart[i + 1] === predStart[i] && ls[i]! - es[i]! === minSlack && (current < 0 || i < current)) {
        current = i
      }
    }
    while (current >= 0) {
      criticalPath.push(current)
      let next = -1
      for (let k = succStart[current]!; k < succStart[current + 1]!; k++) {
        const s = succs[k]!
        if (es[s] === ef[current]! + 1 && ls[s]! - es[s]! === minSlack && (next < 0 || s < next)) next = s
      }
      current = next
    }
  }
  return Either.right({
    ids: graph.ids,
    order,
    earliestStart: es,
    earliestFinish: ef,
    latestStart: ls,
    latestFinish: lf,
    finish,
    criticalPath
  })
}

const problemsOf = (error: ParseResult.ParseError): Array<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
    issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`
  )

const TasksSchema = Schema.Array(Task)
const AnchorSchema = Schema.Union(
  Schema.Struct({ start: LocalDate.LocalDate, deadline: Schema.optional(LocalDate.LocalDate) }),
  Schema.Struct({ deadline: LocalDate.LocalDate })
)

/**
 * Decodes tasks and builds the index graph, failing on duplicate ids and unknown dependencies.
 *
 * @since 0.1.0
 * @category constructors
 */
export const graphOf = (
  input: ReadonlyArray<unknown>
): Effect.Effect<{ tasks: ReadonlyArray<Task>; graph: Graph }, InvalidInput | UnknownDependency> =>
  Effect.gen(function* () {
    const decoded = Schema.decodeUnknownEither(TasksSchema)(input, { errors: "all" })
    if (Either.isLeft(decoded)) {
      return yield* new InvalidInput({ command: "WorkPlan.schedule", problems: problemsOf(decoded.left) })
    }
    const tasks = decoded.right
    const index = new Map<string, number>()
    const duplicates: Array<string> = []
    tasks.forEach((task, i) => {
      if (index.has(task.id)) duplicates.push(`tasks: 任务编号「${task.id}」重复 / duplicate task id`)
      index.set(task.id, i)
    })
    if (duplicates.length > 0) return yield* new InvalidInput({ command: "WorkPlan.schedule", problems: duplicates })
    const from: Array<number> = []
    const to: Array<number> = []
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i]!
      for (const dependency of new Set(task.dependsOn)) {
        const j = index.get(dependency)
        if (j === undefined) return yield* new UnknownDependency({ taskId: task.id, dependsOn: dependency })
        from.push(j)
        to.push(i)
      }
    }
    return {
      tasks,
      graph: { ids: tasks.map((task) => task.id), durations: tasks.map((task) => task.durationDays), from, to }
    }
  })

type CalendarError = CalendarOutOfCoverage | InvalidCalendarInput

/** The working days from `anchor` (a working day) `count` steps in `direction`, anchor first. */
const walk = (
  calendar: Calendar,
  anchor: LocalDate.LocalDate,
  count: number,
  direction: 1 | -1
): Effect.Effect<Array<LocalDate.LocalDate>, CalendarError> =>
  Effect.gen(function* () {
    const out: Array<LocalDate.LocalDate> = [anchor]
    let day = LocalDate.toEpochDay(anchor)
    while (out.length <= count) {
      day += direction
      const date = LocalDate.unsafeFromEpochDay(day)
      if (yield* calendar.isWorkingDay(date)) out.push(date)
    }
    return out
  })

/**
 * Schedules a plan on the calendar from a start, a deadline or both (see the module documentation).
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Effect } from "effect"
 * import * as Calendar from "@gongzhi/core/Calendar"
 * import { WorkPlan } from "@gongzhi/projects"
 *
 * const program = Effect.gen(function* () {
 *   const calendar = yield* Calendar.WorkingCalendar
 *   const schedule = yield* WorkPlan.schedule(calendar, [
 *     { id: "design", name: "方案设计", durationDays: 10 },
 *     { id: "build", name: "系统开发", durationDays: 30, dependsOn: ["design"] }
 *   ], { deadline: "2026-12-31" })
 *   return schedule.criticalPath // ["design", "build"]
 * }).pipe(Effect.provide(Calendar.layerChina))
 */
export const schedule = (
  calendar: Calendar,
  tasks: ReadonlyArray<unknown>,
  anchor: Anchor
): Effect.Effect<Schedule, InvalidInput | UnknownDependency | DependencyCycle | CalendarError> =>
  Effect.gen(function* () {
    const decodedAnchor = Schema.decodeUnknownEither(AnchorSchema)(anchor)
    if (Either.isLeft(decodedAnchor)) {
      return yield* new InvalidInput({ command: "WorkPlan.schedule", problems: problemsOf(decodedAnchor.left) })
    }
    const { start, deadline } = decodedAnchor.right as { start?: LocalDate.LocalDate; deadline?: LocalDate.LocalDate }
    const built = yield* graphOf(tasks)
    if (built.tasks.length === 0) {
      return yield* new InvalidInput({ command: "WorkPlan.schedule", problems: ["tasks: 作战图至少应有一项任务"] })
    }
    let anchorDay: LocalDate.LocalDate
    let end: number | undefined
    if (start !== undefined) {
      anchorDay = yield* calendar.addWorkingDays(start, 1, { countStartDay: true })
      if (deadline !== undefined) {
        const last = yield* calendar.latestStart(deadline, 1)
        end = yield* calendar.workingDaysBetween(anchorDay, last)
      }
    } else {
      anchorDay = yield* calendar.latestStart(deadline!, 1)
    }
    const analysis = analyse(built.graph, end)
    if (Either.isLeft(analysis)) {
      return yield* new DependencyCycle({ cycle: analysis.left.map((i) => built.graph.ids[i]!) })
    }
    const a = analysis.right
    // index shift: from a deadline alone, the plan's finish lands on the anchor (the last working day)
    const shift = start === undefined ? -a.finish : 0
    let lo = 0
    let hi = 0
    for (let i = 0; i < built.tasks.length; i++) {
      lo = Math.min(lo, a.earliestStart[i]! + shift, a.latestStart[i]! + shift)
      hi = Math.max(hi, a.earliestFinish[i]! + shift, a.latestFinish[i]! + shift)
    }
    const forwards = yield* walk(calendar, anchorDay, hi, 1)
    const backwards = yield* walk(calendar, anchorDay, -lo, -1)
    const dateOf = (index: number): LocalDate.LocalDate =>
      index + shift >= 0 ? forwards[index + shift]! : backwards[-(index + shift)]!
    let minSlack = Number.POSITIVE_INFINITY
    for (let i = 0; i < built.tasks.length; i++) minSlack = Math.min(minSlack, a.latestStart[i]! - a.earliestStart[i]!)
    const scheduled = Array.from(a.order, (i): ScheduledTask => {
      const task = built.tasks[i]!
      const slackDays = a.latestStart[i]! - a.earliestStart[i]!
      return {
        id: task.id,
        name: task.name,
        owner: task.owner,
        durationDays: task.durationDays,
        dependsOn: task.dependsOn,
        earliestStart: dateOf(a.earliestStart[i]!),
        earliestFinish: dateOf(a.earliestFinish[i]!),
        latestStart: dateOf(a.latestStart[i]!),
        latestFinish: dateOf(a.latestFinish[i]!),
        slackDays,
        critical: slackDays === minSlack
      }
    })
    const lateByDays = end === undefined ? 0 : Math.max(0, a.finish - end)
    return {
      start: dateOf(0),
      finish: dateOf(a.finish),
      deadline,
      spanDays: a.finish + 1,
      lateByDays,
      tasks: scheduled,
      criticalPath: a.criticalPath.map((i) => built.graph.ids[i]!)
    }
  })
