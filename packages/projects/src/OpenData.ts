/**
 * Open data (政务公开): the selected projects of a call as rows, CSV (UTF-8 with BOM, so spreadsheet programs
 * read the Chinese correctly) and JSON. Only what is public is in a row: the project, the organisation and its
 * unified social credit code (public for organisations), the responsible unit, region, budget, and the city
 * recommendation — never scores of individual judges or the accounts behind an application.
 *
 * @since 0.1.0
 */
import type { Application } from "./Application.js"
import { budgetTotal } from "./Application.js"
import type { Call } from "./Call.js"

/**
 * One selected project.
 *
 * @since 0.1.0
 * @category models
 */
export interface SelectedProject {
  readonly callTitle: string
  readonly year: number
  readonly order: number
  readonly projectTitle: string
  readonly organisation: string
  readonly creditCode: string
  readonly responsibleUnit: string
  readonly regionCode: string
  readonly budgetYuan: number
  readonly cityLevel: "" | "pending" | "selected" | "not-selected"
}

/**
 * The rows of the selected projects of a call, in selection order.
 *
 * @since 0.1.0
 * @category constructors
 */
export const selectedProjects = (call: Call, applications: ReadonlyArray<Application>): Array<SelectedProject> => {
  const byId = new Map(applications.map((application) => [application.id, application]))
  return call.selected.flatMap((id, index) => {
    const application = byId.get(id)
    if (application === undefined) return []
    return [
      {
        callTitle: call.title,
        year: call.year,
        order: index + 1,
        projectTitle: application.title,
        organisation: application.applicant.name,
        creditCode: application.applicant.creditCode,
        responsibleUnit: application.responsibleUnit,
        regionCode: application.regionCode,
        budgetYuan: budgetTotal(application),
        cityLevel: call.cityRecommendation?.applicationId === id ? call.cityRecommendation.outcome : ""
      }
    ]
  })
}

const headers: ReadonlyArray<readonly [keyof SelectedProject, string]> = [
  ["callTitle", "征集活动"],
  ["year", "年度"],
  ["order", "序号"],
  ["projectTitle", "项目名称"],
  ["organisation", "申报单位"],
  ["creditCode", "统一社会信用代码"],
  ["responsibleUnit", "项目责任单位"],
  ["regionCode", "区划代码"],
  ["budgetYuan", "预算（元）"],
  ["cityLevel", "市级培育"]
]

const cell = (value: string | number): string => {
  const text = String(value)
  // quote what CSV needs quoted; neutralise spreadsheet formulas
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * The rows as CSV (BOM, Chinese headers, CRLF line ends).
 *
 * @since 0.1.0
 * @category combinators
 */
export const toCsv = (rows: ReadonlyArray<SelectedProject>): string =>
  `\uFEFF${[headers.map(([, label]) => label), ...rows.map((row) => headers.map(([key]) => row[key]))]
    .map((line) => line.map(cell).join(","))
    .join("\r\n")}\r\n`

/**
 * The rows as JSON (an object with the schema version and the rows).
 *
 * @since 0.1.0
 * @category combinators
 */
export const toJson = (rows: ReadonlyArray<SelectedProject>): string =>
  `${JSON.stringify({ version: 1, projects: rows }, null, 2)}\n`
