/**
 * The season's statistics of 坪工学堂 (统计): courses offered, seats, enrolled, fill rate,
 * attendance rate and distinct workers, by month (China time), category, venue and community, with
 * CSV and XLSX export. Computed from courses and enrolments only: no personal data (worker numbers
 * are counted, never listed).
 *
 * @since 0.1.0
 */

import type * as Capacity from "@gongzhi/core/Capacity"
import { Schema } from "effect"
import ExcelJS from "exceljs"
import { type Course, categoryLabel, heldSessions, startsAt } from "./Course.js"
import type { Enrolment } from "./Enrolment.js"

/**
 * The dimensions a report groups by.
 *
 * @since 0.1.0
 * @category models
 */
export const Dimension = Schema.Literal("month", "category", "venue", "community")

/**
 * @since 0.1.0
 * @category models
 */
export type Dimension = typeof Dimension.Type

/**
 * One row of a report.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly key: string
  readonly courses: number
  readonly seats: number
  readonly enrolled: number
  /** enrolled / seats, 0–1 */
  readonly fillRate: number
  /** sessions attended / (enrolled × sessions held), 0–1 */
  readonly attendanceRate: number
  readonly workers: number
  readonly completed: number
}

const HOLDING: ReadonlySet<Capacity.SeatState> = new Set([
  "confirmed",
  "checked-in",
  "checked-out",
  "no-show",
  "no-checkout"
])

const monthOf = (date: Date): string => new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 7)

const keyOf = (course: Course, by: Dimension): string =>
  by === "month"
    ? monthOf(startsAt(course))
    : by === "category"
      ? categoryLabel(course.category)
      : by === "venue"
        ? course.venueId
        : course.communityCode

const round = (x: number) => Math.round(x * 1000) / 1000

/**
 * The report by one dimension (rows in key order) and its total (key `合计`). Cancelled courses are left out.
 *
 * @since 0.1.0
 * @category constructors
 */
export const compute = (
  courses: ReadonlyArray<Course>,
  enrolments: ReadonlyArray<Enrolment>,
  by: Dimension
): { readonly rows: ReadonlyArray<Row>; readonly total: Row } => {
  const byCourse = new Map<string, Array<Enrolment>>()
  for (const e of enrolments) {
    if (!HOLDING.has(e.state)) continue
    const list = byCourse.get(e.courseId) ?? []
    list.push(e)
    byCourse.set(e.courseId, list)
  }
  const groups = new Map<string, Array<Course>>()
  const live = courses.filter((c) => c.status !== "cancelled")
  for (const c of live) {
    const k = keyOf(c, by)
    groups.set(k, [...(groups.get(k) ?? []), c])
  }
  const row = (key: string, list: ReadonlyArray<Course>): Row => {
    let seats = 0
    let enrolled = 0
    let attended = 0
    let expected = 0
    let completed = 0
    const workers = new Set<string>()
    for (const c of list) {
      const es = byCourse.get(c.id) ?? []
      const held = heldSessions(c).length
      seats += c.capacity
      enrolled += es.length
      expected += es.length * held
      for (const e of es) {
        workers.add(e.workerId)
        attended += e.attended.length
        if (e.completed) completed++
      }
    }
    return {
      key,
      courses: list.length,
      seats,
      enrolled,
      fillRate: seats === 0 ? 0 : round(enrolled / seats),
      attendanceRate: expected === 0 ? 0 : round(attended / expected),
      workers: workers.size,
      completed
    }
  }
  const rows = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, list]) => row(k, list))
  return { rows, total: row("合计", live) }
}

const headers = ["分组", "课程数", "名额", "报名人数", "满班率", "出勤率", "服务学员数", "结业人数"] as const
const cells = (r: Row) => [r.key, r.courses, r.seats, r.enrolled, r.fillRate, r.attendanceRate, r.workers, r.completed]

const csvCell = (v: string | number): string => {
  const s = String(v)
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * The report as CSV (UTF-8 with a BOM so that Excel opens Chinese correctly; formula-like cells defused).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toCsv = (report: { readonly rows: ReadonlyArray<Row>; readonly total: Row }): string =>
  `\uFEFF${[headers, ...report.rows.map(cells), cells(report.total)].map((line) => line.map(csvCell).join(",")).join("\r\n")}\r\n`

/**
 * The report as an XLSX workbook (one sheet).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toXlsx = async (report: {
  readonly rows: ReadonlyArray<Row>
  readonly total: Row
}): Promise<Uint8Array> => {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet("坪工学堂统计")
  sheet.addRow([...headers])
  for (const r of report.rows) sheet.addRow(cells(r))
  sheet.addRow(cells(report.total))
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}
