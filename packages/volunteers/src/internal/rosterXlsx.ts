import { Readable } from "node:stream"
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

/** Whether a number format shows a date (exceljs's own test: y m d h s b outside quotes and brackets). */
const isDateFormat = (format: string | undefined): boolean =>
  format !== undefined && /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""))

/** A date serial as exceljs turns it into a date (day 25569 is 1970-01-01; 1462 days more in 1904 workbooks). */
const excelDate = (serial: number, date1904: boolean): Date =>
  new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000))

/**
 * The value of a cell as read by exceljs: rich text, hyperlinks and formulas reduced to what they show
 * (a formula's numeric result in a date-formatted cell is a date, as the whole-workbook reader gives it).
 */
const cellValue = (value: unknown, dateFormatted: () => boolean, date1904: boolean): RawCell => {
  if (value === null || value === undefined) return null
  if (typeof value === "number") return Number.isNaN(value) ? null : value
  if (typeof value === "string" || typeof value === "boolean") return value
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
    if ("formula" in v || "sharedFormula" in v) {
      return typeof v.result === "number" && Number.isFinite(v.result) && dateFormatted()
        ? excelDate(v.result, date1904)
        : cellValue(v.result, dateFormatted, date1904)
    }
    if (v.text !== undefined) return cellValue(v.text, dateFormatted, date1904)
    if (v.error !== undefined) return null
  }
  return null
}

/** How the streaming reader is set up: shared strings kept, styles kept (dates), hyperlinks ignored. */
const READER_OPTIONS = {
  sharedStrings: "cache",
  styles: "cache",
  hyperlinks: "ignore",
  worksheets: "emit",
  entries: "ignore"
} as const

/** The bytes as a stream of 64 KB pieces (no copy). */
function* pieces(bytes: Uint8Array): Generator<Buffer, void, undefined> {
  for (let at = 0; at < bytes.byteLength; at += 64 * 1024) {
    yield Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(64 * 1024, bytes.byteLength - at))
  }
}

/** What exceljs's streaming worksheet reader has that its typings leave out. */
interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  readonly name: string
  /** The sheet's XML: a temporary file's stream when the sheet came before the shared strings. */
  readonly iterator: unknown
}

interface BookReader extends AsyncIterable<SheetReader> {
  readonly model?: { readonly sheets?: ReadonlyArray<{ readonly name: string }> } | undefined
  readonly properties?: { readonly model?: { readonly date1904?: boolean } } | undefined
}

/** Closes a sheet that is not read (a temporary file's stream), so that exceljs can delete the file. */
const discard = (sheet: SheetReader): void => {
  const stream = sheet.iterator as { readonly destroy?: () => void } | undefined
  if (typeof stream?.destroy === "function") stream.destroy()
}

const unreadableWorkbook = () =>
  new RosterFileError({ reason: "Unreadable", detail: "不是有效的 XLSX 工作簿（.xls 旧格式请另存为 .xlsx）" })

/**
 * The non-empty rows of a worksheet (the first, or the one named), with their row numbers, one by one
 * as exceljs's streaming reader parses them: a consumer that stops early stops the parsing (rows after
 * it are never parsed or kept). Throws {@link RosterFileError} (`Unreadable`, `Empty`, `SheetNotFound`).
 *
 * exceljs parses a sheet that comes before the shared strings in the file (as Excel writes it) from a
 * temporary file; when the consumer stops early, the other sheets are skipped without being parsed so
 * that exceljs deletes those files.
 */
export async function* xlsxRows(bytes: Uint8Array, sheet: string | undefined): AsyncGenerator<RawRow, void, undefined> {
  const input = Readable.from(pieces(bytes))
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, READER_OPTIONS) as unknown as BookReader
  const sheets = reader[Symbol.asyncIterator]()
  let found = false
  let seen = false
  let complete = false
  let current: SheetReader | undefined
  try {
    for (;;) {
      const next = await sheets.next().catch(() => Promise.reject(unreadableWorkbook()))
      if (next.done === true) break
      seen = true
      const worksheet = next.value
      const wanted = found
        ? false
        : sheet === undefined
          ? reader.model?.sheets?.[0] === undefined || worksheet.name === reader.model.sheets[0].name
          : worksheet.name === sheet
      if (!wanted) {
        discard(worksheet)
        continue
      }
      found = true
      current = worksheet
      const date1904 = reader.properties?.model?.date1904 === true
      try {
        for await (const row of worksheet) {
          const values = row.values as ReadonlyArray<unknown>
          const cells: Array<RawCell> = []
          for (let i = 1; i < values.length; i++)
            cells.push(cellValue(values[i], () => isDateFormat(row.getCell(i).numFmt), date1904))
          if (cells.some((c) => c !== null && String(c).trim() !== "")) yield { row: row.number, cells }
        }
      } catch (error) {
        throw error instanceof RosterFileError ? error : unreadableWorkbook()
      }
      current = undefined
    }
    complete = true
  } finally {
    if (!complete) {
      // stopped early (or failed): no more parsing
      if (current !== undefined && typeof (current.iterator as { destroy?: unknown })?.destroy === "function") {
        // the sheet came from a temporary file: every entry of the zip has been read already, so go on
        // through the other (temporary) sheets without parsing them, and exceljs deletes the files
        discard(current)
        try {
          for (let next = await sheets.next(); next.done !== true; next = await sheets.next()) discard(next.value)
        } catch {
          // nothing more to clean
        }
      } else {
        await sheets.return?.(undefined)?.catch(() => undefined)
        input.destroy()
      }
    }
  }
  if (!seen && reader.model === undefined) throw unreadableWorkbook()
  if (!found) {
    throw new RosterFileError(
      sheet === undefined ? { reason: "Empty" } : { reason: "SheetNotFound", detail: `工作表「${sheet}」` }
    )
  }
}
