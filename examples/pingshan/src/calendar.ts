/**
 * The working-day facts the Pingshan run prints: the 2026 count and a due date across the National Day holiday.
 *
 * @since 0.1.0
 */
import * as Calendar from "@gongzhi/core/Calendar"
import { Effect } from "effect"

/**
 * Lines describing the 2026 calendar, computed from the vendored State Council notice.
 *
 * @since 0.1.0
 * @category constructors
 */
export const calendarFacts = Effect.gen(function* () {
  const calendar = yield* Calendar.WorkingCalendar
  const notice = calendar.notices.find((n) => n.year === 2026)
  const workingDays = yield* calendar.workingDaysInYear(2026)
  const due = yield* calendar.addWorkingDays("2026-09-30", 5)
  const source = notice ? `（依据${notice.source.documentNumber ?? notice.source.title}）` : ""
  return [
    `2026 年工作日：${workingDays} 天${source}`,
    `2026-09-30 受理、5 个工作日办结的期限：${due}（不含受理当日；国庆中秋假期顺延，10-10 调休上班）`,
    `日历覆盖年份：${calendar.coverage.join("、")}`
  ]
})
