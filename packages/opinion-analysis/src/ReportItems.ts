/**
 * The bridge from the workflow to the analysis: a report of `@gongzhi/opinion` as an
 * {@link Analysis.AnalysisItem}.
 *
 * @since 0.1.0
 */
import * as Deadline from "@gongzhi/opinion/Deadline"
import * as Report from "@gongzhi/opinion/Report"
import type * as Analysis from "./Analysis.js"

/**
 * How to map reports: `asOf` counts open reports past their deadline as overdue too; `utcOffsetMinutes` is the
 * district's offset for the end of a due date (default 480, China Standard Time).
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportItemOptions {
  readonly asOf?: Date | undefined
  readonly utcOffsetMinutes?: number
}

/**
 * A report as an analysis item: the text is the title and the content; `dueAt` is the end of the handling due
 * date; `overdue` follows `Report.wasOverdue`. A merged report keeps its own category and place, with the status
 * of its merge (closed); use {@link fromReports} to count each case once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromReport = (report: Report.Report, options: ReportItemOptions = {}): Analysis.AnalysisItem => ({
  id: report.id,
  text: report.title === undefined ? report.content : `${report.title}\n${report.content}`,
  category: report.category,
  kind: report.kind,
  streetCode: report.location.streetCode,
  communityCode: report.location.communityCode,
  channel: report.channel,
  receivedAt: report.receivedAt,
  dueAt: Deadline.endOfDay(report.deadline.dueDate, options.utcOffsetMinutes ?? 480),
  ...(report.closedAt === undefined ? {} : { closedAt: report.closedAt }),
  status: report.bucket,
  overdue: Report.wasOverdue(report, options),
  ...(report.satisfaction === undefined ? {} : { satisfaction: report.satisfaction })
})

/**
 * Reports as analysis items, leaving out the ones merged into another (their case is counted through the primary
 * report).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromReports = (
  reports: Iterable<Report.Report>,
  options: ReportItemOptions = {}
): Array<Analysis.AnalysisItem> => {
  const out: Array<Analysis.AnalysisItem> = []
  for (const report of reports) if (report.mergedInto === undefined) out.push(fromReport(report, options))
  return out
}
