import type { AggregateQuery, AggregateRow, ColumnValue, Definition, Measure } from "../../Repository.js"
import { checkColumn, columnType, compare } from "./definition.js"

/** The default zone of time buckets: the districts Gongzhi is built for keep China time. */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai"

/** More buckets than this in one query is a mistake (27 years of days). */
export const MAX_BUCKETS = 10_000

const DAY = 86_400_000

type Unit = "day" | "week" | "month"

export interface PlannedMeasure {
  readonly name: string
  readonly kind: "count" | "sum" | "min" | "max"
  readonly column: string | undefined
}

/** A checked aggregate query. */
export interface Plan {
  readonly groupBy: ReadonlyArray<string>
  readonly measures: ReadonlyArray<PlannedMeasure>
  readonly bucket:
    | { readonly column: string; readonly unit: Unit; readonly timeZone: string }
    | { readonly column: string; readonly boundaries: ReadonlyArray<number> }
    | undefined
}

const measureOf = (name: string, measure: Measure): PlannedMeasure => {
  if (measure === "count") return { name, kind: "count", column: undefined }
  if (typeof measure === "object" && measure !== null) {
    if ("sum" in measure) return { name, kind: "sum", column: measure.sum }
    if ("min" in measure) return { name, kind: "min", column: measure.min }
    if ("max" in measure) return { name, kind: "max", column: measure.max }
  }
  throw new Error(`measure "${name}" must be "count", { sum }, { min } or { max }`)
}

/** Checks a query against the definition (programming errors throw, as for unknown filter columns). */
export const plan = (definition: Definition<any, any>, query: AggregateQuery<any>): Plan => {
  const groupBy = query.groupBy ?? []
  for (const column of groupBy) checkColumn(definition, column)
  if (new Set(groupBy).size !== groupBy.length) throw new Error(`${definition.entity}: groupBy repeats a column`)
  const measures = Object.entries(query.measures as Readonly<Record<string, Measure>>).map(([name, measure]) =>
    measureOf(name, measure)
  )
  if (measures.length === 0) throw new Error(`${definition.entity}: an aggregation needs at least one measure`)
  for (const measure of measures) {
    if (measure.column === undefined) continue
    if (measure.column === "id" || !Object.hasOwn(definition.columns ?? {}, measure.column)) {
      throw new Error(`${definition.entity}: "${measure.column}" is not an indexed column`)
    }
    if (columnType(definition, measure.column) === "text") {
      throw new Error(`${definition.entity}: ${measure.kind} needs an integer, timestamp or boolean column`)
    }
  }
  const bucket = query.bucket
  if (bucket === undefined) return { groupBy, measures, bucket: undefined }
  if (
    !Object.hasOwn(definition.columns ?? {}, bucket.column) ||
    columnType(definition, bucket.column) !== "timestamp"
  ) {
    throw new Error(`${definition.entity}: bucket column "${bucket.column}" must be a timestamp column`)
  }
  if ("boundaries" in bucket) {
    const boundaries = bucket.boundaries.map((b) => (b instanceof Date ? b.getTime() : b))
    if (
      boundaries.length < 2 ||
      boundaries.length > MAX_BUCKETS + 1 ||
      boundaries.some((b, i) => !Number.isSafeInteger(b) || (i > 0 && b <= boundaries[i - 1]))
    ) {
      throw new Error(
        `${definition.entity}: bucket boundaries must be 2 to ${MAX_BUCKETS + 1} ascending integer instants (epoch milliseconds)`
      )
    }
    return { groupBy, measures, bucket: { column: bucket.column, boundaries } }
  }
  if (bucket.unit !== "day" && bucket.unit !== "week" && bucket.unit !== "month") {
    throw new Error(`${definition.entity}: bucket unit must be "day", "week" or "month"`)
  }
  const timeZone = bucket.timeZone ?? DEFAULT_TIME_ZONE
  formatter(timeZone)
  return { groupBy, measures, bucket: { column: bucket.column, unit: bucket.unit, timeZone } }
}

// ---------------------------------------------------------------------------------------------
// calendar in a time zone
// ---------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatter = (timeZone: string): Intl.DateTimeFormat => {
  let format = formatters.get(timeZone)
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        era: "short"
      })
    } catch {
      throw new Error(`unknown time zone "${timeZone}" (expected an IANA name such as "Asia/Shanghai")`)
    }
    formatters.set(timeZone, format)
  }
  return format
}

/** The local day number (days since 1970-01-01 in the zone) of an instant. */
export const localDay = (timeZone: string, t: number): number => {
  const parts = formatter(timeZone).formatToParts(new Date(t))
  let year = 0
  let month = 0
  let day = 0
  let bc = false
  for (const part of parts) {
    if (part.type === "year") year = Number(part.value)
    else if (part.type === "month") month = Number(part.value)
    else if (part.type === "day") day = Number(part.value)
    else if (part.type === "era") bc = part.value.startsWith("B")
  }
  const date = new Date(0)
  date.setUTCFullYear(bc ? 1 - year : year, month - 1, day)
  return Math.floor(date.getTime() / DAY)
}

const floorMod = (a: number, b: number) => ((a % b) + b) % b

/** The first day (day number) of the bucket holding a day. */
const bucketStart = (unit: Unit, day: number): number => {
  switch (unit) {
    case "day":
      return day
    case "week":
      // 1970-01-01 was a Thursday: Monday is 3 days before a day number divisible by 7
      return day - floorMod(day + 3, 7)
    case "month": {
      const date = new Date(day * DAY)
      return Math.floor(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY)
    }
  }
}

/** The first day of the next bucket. */
const nextBucket = (unit: Unit, start: number): number => {
  switch (unit) {
    case "day":
      return start + 1
    case "week":
      return start + 7
    case "month": {
      const date = new Date(start * DAY)
      return Math.floor(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY)
    }
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, "0")

/** The label of a bucket starting on a day: `2026-03-05`, `2026-03-02` (a Monday) or `2026-03`. */
export const bucketLabel = (unit: Unit, start: number): string => {
  const date = new Date(start * DAY)
  const month = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}`
  return unit === "month" ? month : `${month}-${pad(date.getUTCDate(), 2)}`
}

/** The label of the bucket holding an instant (the reference the SQL boundaries are checked against). */
export const labelOf = (unit: Unit, timeZone: string, t: number): string =>
  bucketLabel(unit, bucketStart(unit, localDay(timeZone, t)))

/** The first instant whose local day is `day` or later. */
const dayStartInstant = (timeZone: string, day: number): number => {
  const midnightUtc = day * DAY
  // usually exact in two steps: local midnight minus the zone's offset around it
  const refine = (t: number) => t + (midnightUtc - localMillis(timeZone, t))
  const guess = refine(refine(midnightUtc))
  if (localDay(timeZone, guess) >= day && localDay(timeZone, guess - 1) < day) return guess
  // a gap or an overlap at midnight: search the day's first instant (offsets lie within ±18 h)
  let lo = midnightUtc - 18 * 3_600_000
  let hi = midnightUtc + 18 * 3_600_000
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (localDay(timeZone, mid) >= day) hi = mid
    else lo = mid
  }
  return hi
}

/** The local wall-clock time of an instant, as epoch milliseconds of the same wall clock in UTC. */
const localMillis = (timeZone: string, t: number): number => {
  const parts = formatter(timeZone).formatToParts(new Date(t))
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0)
  const bc = parts.find((part) => part.type === "era")?.value.startsWith("B") ?? false
  const date = new Date(0)
  date.setUTCFullYear(bc ? 1 - get("year") : get("year"), get("month") - 1, get("day"))
  date.setUTCHours(get("hour"), get("minute"), get("second"), floorMod(t, 1000))
  return date.getTime()
}

/**
 * The boundaries (instants) and labels of the buckets covering `[min, max]`: `boundaries[i]` is the
 * first instant of bucket `labels[i]`, the last boundary the end of the last bucket.
 */
export const bucketsCovering = (
  unit: Unit,
  timeZone: string,
  min: number,
  max: number
): { readonly boundaries: Array<number>; readonly labels: Array<string> } => {
  const boundaries: Array<number> = []
  const labels: Array<string> = []
  let start = bucketStart(unit, localDay(timeZone, min))
  const last = bucketStart(unit, localDay(timeZone, max))
  for (;;) {
    if (labels.length > MAX_BUCKETS) {
      throw new Error(`an aggregation covers more than ${MAX_BUCKETS} ${unit} buckets: narrow the filter`)
    }
    boundaries.push(dayStartInstant(timeZone, start))
    labels.push(bucketLabel(unit, start))
    if (start >= last) break
    start = nextBucket(unit, start)
  }
  boundaries.push(dayStartInstant(timeZone, nextBucket(unit, last)))
  return { boundaries, labels }
}

/** The index of the period holding `t` (boundaries ascending), or -1 outside them. */
export const periodOf = (boundaries: ReadonlyArray<number>, t: number): number => {
  if (!(t >= boundaries[0] && t < boundaries[boundaries.length - 1])) return -1
  let lo = 0
  let hi = boundaries.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1
    if (t < boundaries[mid]) hi = mid
    else lo = mid
  }
  return lo
}

// ---------------------------------------------------------------------------------------------
// results
// ---------------------------------------------------------------------------------------------

/** A result row before it is typed. */
export interface Cell {
  readonly keys: ReadonlyArray<ColumnValue>
  readonly bucket: string | undefined
  readonly period: number | undefined
  readonly values: ReadonlyArray<number | null>
}

/** Orders cells (group values NULL first, then bucket) and shapes them as rows. */
export const toRows = (p: Plan, cells: Array<Cell>): ReadonlyArray<AggregateRow<any>> => {
  cells.sort((a, b) => {
    for (let i = 0; i < a.keys.length; i++) {
      const c = compare(a.keys[i], b.keys[i])
      if (c !== 0) return c
    }
    if (a.period !== undefined && b.period !== undefined) return a.period - b.period
    if (a.bucket !== undefined && b.bucket !== undefined) return a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0
    return 0
  })
  return cells.map((cell) => {
    const group: Record<string, ColumnValue> = {}
    p.groupBy.forEach((column, i) => {
      group[column] = cell.keys[i]
    })
    const values: Record<string, number | null> = {}
    p.measures.forEach((measure, i) => {
      values[measure.name] = cell.values[i]
    })
    return {
      group,
      ...(cell.bucket === undefined ? {} : { bucket: cell.bucket }),
      ...(cell.period === undefined ? {} : { period: cell.period }),
      values
    } as AggregateRow<any>
  })
}

/** The figures of an empty selection: counts and sums 0, minimums and maximums null. */
export const emptyValues = (p: Plan): Array<number | null> =>
  p.measures.map((measure) => (measure.kind === "count" || measure.kind === "sum" ? 0 : null))
