import { Effect } from "effect"
import ExcelJS from "exceljs"
import type { RawCell, RawRow } from "./rosterModel.js"
import { RosterFileError } from "./rosterModel.js"
import type { Table, TableColumn } from "./rosterTable.js"

const numberFormats: Record<NonNullable<TableColumn["kind"]>, string> = {
  text: "@",
  integer: "0",
  decimal: "0.00",
  percent: "0.00%"
}

/** Display width of a text: CJK and other wide characters count twice. */
const displayWidth = (text: string): number => {
  let width = 0
  for (const ch of text)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(
        ch
      )
        ? 2
        : 1
  return width
}

/** A sheet name Excel accepts: at most 31 characters, without `\ / ? * [ ] :`, unique in the workbook. */
const sheetName = (name: string, taken: Set<string>): string => {
  const base = Array.from(name.replace(/[\\/?*[\]:]/g, "_").trim() || "Sheet")
    .slice(0, 31)
    .join("")
  let candidate = base
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) {
    const suffix = `(${i})`
    candidate =
      Array.from(base)
        .slice(0, 31 - suffix.length)
        .join("") + suffix
  }
  taken.add(candidate.toLowerCase())
  return candidate
}

/** Tables as an XLSX workbook, one sheet each: a bold, frozen header row with a filter, typed columns. */
export const encodeXlsx = (tables: ReadonlyArray<Table>): Effect.Effect<Uint8Array, RosterFileError> =>
  Effect.tryPromise({
    try: async () => {
      const workbook = new ExcelJS.Workbook()
      workbook.creator = "Gongzhi"
      const taken = new Set<string>()
      for (const table of tables) {
        const sheet = workbook.addWorksheet(sheetName(table.name, taken), {
          views: [{ state: "frozen", ySplit: 1 }]
        })
        sheet.columns = table.columns.map((column, i) => {
          const widest = table.rows.reduce((w, row) => {
            const cell = row[i]
            return Math.max(w, cell === null || cell === undefined ? 0 : displayWidth(String(cell)))
          }, displayWidth(column.header))
          return {
            header: column.header,
            width: column.width ?? Math.min(40, Math.max(8, widest + 2)),
            style: { numFmt: numberFormats[column.kind ?? "text"] }
          }
        })
        for (const row of table.rows) sheet.addRow(table.columns.map((_, i) => row[i] ?? null))
        const header = sheet.getRow(1)
        header.font = { bold: true }
        header.alignment = { vertical: "middle" }
        if (table.columns.length > 0) {
          sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } }
        }
      }
      return new Uint8Array(await workbook.xlsx.writeBuffer())
    },
    catch: () => new RosterFileError({ reason: "WriteFailed", detail: "生成 XLSX 工作簿失败" })
  })

/** The value of a cell as read by exceljs: rich text, hyperlinks and formulas reduced to what they show. */
const cellValue = (value: unknown): RawCell => {
  if (value === null || value === undefined) return null
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value
  if (value instanceof Date) return value
  if (typeof value === "object") {
    const v = value as {
      readonly richText?: ReadonlyArray<{ readonly text: string }>
      readonly text?: unknown
      readonly result?: unknown
      readonly formula?: unknown
      readonly sharedFormula?: unknown
      readonly error?: unknown
    }
    if (Array.isArray(v.richText)) return v.richText.map((part) => part.text).join("")
    if ("formula" in v || "sharedFormula" in v) return cellValue(v.result)
    if (v.text !== undefined) return cellValue(v.text)
    if (v.error !== undefined) return null
  }
  return null
}

/** The non-empty rows of a worksheet (the first, or the one named), with their row numbers. */
export const readXlsx = (
  bytes: Uint8Array,
  sheet: string | undefined
): Effect.Effect<ReadonlyArray<RawRow>, RosterFileError> =>
  Effect.flatMap(
    Effect.tryPromise({
      try: async () => {
        const workbook = new ExcelJS.Workbook()
        // exceljs's typings want a Node Buffer
        await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never)
        return workbook
      },
      catch: () =>
        new RosterFileError({ reason: "Unreadable", detail: "不是有效的 XLSX 工作簿（.xls 旧格式请另存为 .xlsx）" })
    }),
    (workbook) => {
      const worksheet = sheet === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheet)
      if (worksheet === undefined) {
        return Effect.fail(
          new RosterFileError(
            sheet === undefined ? { reason: "Empty" } : { reason: "SheetNotFound", detail: `工作表「${sheet}」` }
          )
        )
      }
      const rows: Array<RawRow> = []
      worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
        const values = row.values as ReadonlyArray<unknown>
        const cells: Array<RawCell> = []
        for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]))
        if (cells.some((c) => c !== null && String(c).trim() !== "")) rows.push({ row: rowNumber, cells })
      })
      return Effect.succeed(rows)
    }
  )
