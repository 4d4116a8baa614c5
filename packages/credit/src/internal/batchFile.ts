import { Effect, Either } from "effect"
import ExcelJS from "exceljs"
import { UnreadableBatch } from "../CreditErrors.js"

/** One data row of a batch file: its number as the sender sees it (header = row 1) and its cells by column. */
export interface RawRow {
  readonly row: number
  readonly values: Readonly<Record<string, unknown>>
}

const unreadable = (format: string, reason: string) => new UnreadableBatch({ format, reason })

/** UTF-8 (with or without BOM) or GB 18030 text. */
export const decodeText = (bytes: Uint8Array, format: string): Either.Either<string, UnreadableBatch> => {
  try {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
      return Either.right(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(3)))
    try {
      return Either.right(new TextDecoder("utf-8", { fatal: true }).decode(bytes))
    } catch {
      return Either.right(new TextDecoder("gb18030", { fatal: true }).decode(bytes))
    }
  } catch {
    return Either.left(unreadable(format, "文本编码既不是 UTF-8 也不是 GB18030/GBK"))
  }
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF/LF) into arrays of cells with their row numbers. */
const parseCsvCells = (text: string): Either.Either<Array<{ row: number; cells: Array<string> }>, UnreadableBatch> => {
  const rows: Array<{ row: number; cells: Array<string> }> = []
  let cells: Array<string> = []
  let field = ""
  let quoted = false
  let row = 1
  const endRow = () => {
    cells.push(field)
    if (cells.some((c) => c.trim() !== "")) rows.push({ row, cells })
    cells = []
    field = ""
    row++
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"' && field === "") quoted = true
    else if (c === ",") {
      cells.push(field)
      field = ""
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++
      endRow()
    } else field += c
  }
  if (quoted) return Either.left(unreadable("CSV", "引号未闭合"))
  if (field !== "" || cells.length > 0) endRow()
  return Either.right(rows)
}

const withHeader = (
  format: string,
  table: ReadonlyArray<{ readonly row: number; readonly cells: ReadonlyArray<unknown> }>
): Either.Either<ReadonlyArray<RawRow>, UnreadableBatch> => {
  const [header, ...body] = table
  if (header === undefined) return Either.left(unreadable(format, "文件为空，没有表头"))
  const names = header.cells.map((cell) => String(cell ?? "").trim())
  if (names.every((name) => name === "")) return Either.left(unreadable(format, "第 1 行应为表头"))
  return Either.right(
    body.map(({ row, cells }) => {
      const values: Record<string, unknown> = {}
      names.forEach((name, i) => {
        if (name !== "") values[name] = cells[i] ?? null
      })
      return { row, values }
    })
  )
}

/** A CSV file with a header row. */
export const readCsv = (bytes: Uint8Array): Either.Either<ReadonlyArray<RawRow>, UnreadableBatch> =>
  Either.flatMap(Either.flatMap(decodeText(bytes, "CSV"), parseCsvCells), (table) => withHeader("CSV", table))

/** A JSON array of objects (row numbers count from 1 for the first object, plus the header's 1). */
export const readJson = (bytes: Uint8Array): Either.Either<ReadonlyArray<RawRow>, UnreadableBatch> =>
  Either.flatMap(decodeText(bytes, "JSON"), (text) => {
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch {
      return Either.left(unreadable("JSON", "不是有效的 JSON"))
    }
    if (!Array.isArray(data)) return Either.left(unreadable("JSON", "应为对象数组（每个对象一条记录）"))
    return Either.right(
      data.map((item, i) => ({
        row: i + 2,
        values: typeof item === "object" && item !== null && !Array.isArray(item) ? item : {}
      }))
    )
  })

const cellValue = (value: unknown): unknown => {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === "object") {
    const v = value as { result?: unknown; richText?: ReadonlyArray<{ text: string }>; text?: unknown }
    if (v.richText !== undefined) return v.richText.map((part) => part.text).join("")
    if (v.result !== undefined) return cellValue(v.result)
    if (v.text !== undefined) return cellValue(v.text)
    return null
  }
  return value
}

/** The first worksheet of an XLSX workbook, with a header row. */
export const readXlsx = (bytes: Uint8Array): Effect.Effect<ReadonlyArray<RawRow>, UnreadableBatch> =>
  Effect.flatMap(
    Effect.tryPromise({
      try: async () => {
        const workbook = new ExcelJS.Workbook()
        await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never)
        return workbook
      },
      catch: () => unreadable("XLSX", "不是有效的 XLSX 工作簿（.xls 旧格式请另存为 .xlsx）")
    }),
    (workbook) => {
      const worksheet = workbook.worksheets[0]
      if (worksheet === undefined) return Effect.fail(unreadable("XLSX", "工作簿中没有工作表"))
      const table: Array<{ row: number; cells: Array<unknown> }> = []
      worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
        const values = row.values as ReadonlyArray<unknown>
        const cells: Array<unknown> = []
        for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]))
        if (cells.some((c) => c !== null && String(c).trim() !== "")) table.push({ row: rowNumber, cells })
      })
      return withHeader("XLSX", table)
    }
  )

/** Rows as an XLSX workbook (for tests and the example's synthetic files). */
export const writeXlsx = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<unknown>>
): Effect.Effect<Uint8Array> =>
  Effect.promise(async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet("records")
    sheet.addRow([...header])
    for (const row of rows) sheet.addRow([...row])
    return new Uint8Array(await workbook.xlsx.writeBuffer())
  })
