import { isUtf8 } from "node:buffer"
import { Readable } from "node:stream"
import { Effect, Either } from "effect"
import ExcelJS from "exceljs"
import { UnreadableBatch } from "../CreditErrors.js"

/** One data row of a batch file: its number as the sender sees it (header = row 1) and its cells by column. */
export interface RawRow {
  readonly row: number
  readonly values: Readonly<Record<string, unknown>>
}

const unreadable = (format: string, reason: string) => new UnreadableBatch({ format, reason })

/** How much is decoded, and handed to the zip reader, at a time. */
const CHUNK = 64 * 1024

/** The limits of a batch file: its size, checked before it is parsed, and its data rows. */
export interface Limits {
  readonly maxBytes: number
  readonly maxRows: number
}

/** The default limits: 20 MB, 50 000 data rows. */
export const DEFAULT_LIMITS: Limits = { maxBytes: 20 * 1024 * 1024, maxRows: 50_000 }

const sizeText = (bytes: number): string =>
  bytes < 1024
    ? `${bytes} 字节`
    : bytes < 1024 * 1024
      ? `${Math.round((bytes / 1024) * 10) / 10} KB`
      : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`

/** Refuses a file over the size limit before a byte of it is parsed. */
export const checkSize = (format: string, bytes: Uint8Array, maxBytes: number): Either.Either<void, UnreadableBatch> =>
  bytes.byteLength > maxBytes
    ? Either.left(
        unreadable(
          format,
          `文件过大：本文件 ${sizeText(bytes.byteLength)}，一次最多 ${sizeText(maxBytes)}，请拆分后分批报送`
        )
      )
    : Either.void

const tooManyRows = (format: string, maxRows: number) =>
  unreadable(format, `数据行数超过上限：一次最多 ${maxRows} 行，请拆分后分批报送`)

/**
 * UTF-8 (with or without BOM) or GB 18030 text, piece by piece: the encoding is decided first (`isUtf8`
 * looks at the bytes without copying them), the pieces are decoded as they are asked for. Throws
 * {@link UnreadableBatch} when the bytes are not valid GB 18030 either.
 */
function* decodeChunks(bytes: Uint8Array, format: string): Generator<string, void, undefined> {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
  const body = bom ? bytes.subarray(3) : bytes
  const decoder = new TextDecoder(bom || isUtf8(body) ? "utf-8" : "gb18030", { fatal: true })
  try {
    for (let at = 0; at < body.length; at += CHUNK) {
      yield decoder.decode(body.subarray(at, at + CHUNK), { stream: at + CHUNK < body.length })
    }
  } catch (error) {
    if (error instanceof TypeError) throw unreadable(format, "文本编码既不是 UTF-8 也不是 GB18030/GBK")
    throw error
  }
}

/** UTF-8 (with or without BOM) or GB 18030 text, whole (JSON). */
export const decodeText = (bytes: Uint8Array, format: string): Either.Either<string, UnreadableBatch> => {
  try {
    return Either.right([...decodeChunks(bytes, format)].join(""))
  } catch (error) {
    if (error instanceof UnreadableBatch) return Either.left(error)
    throw error
  }
}

/** A line of a file: its number as the sender sees it and its cells. */
interface Line {
  readonly row: number
  readonly cells: ReadonlyArray<unknown>
}

/**
 * The non-empty lines of an RFC 4180 CSV file (quoted fields, doubled quotes, CRLF/LF), one by one as
 * they are parsed: a consumer that stops early stops the decoding and the parsing.
 */
export function* csvLines(bytes: Uint8Array): Generator<Line, void, undefined> {
  let cells: Array<string> = []
  let field = ""
  let quoted = false
  let quoteInQuoted = false
  let afterCr = false
  let row = 1
  const endRow = (): Line | undefined => {
    cells.push(field)
    const line = cells
    cells = []
    field = ""
    const number = row++
    return line.some((c) => c.trim() !== "") ? { row: number, cells: line } : undefined
  }
  for (const text of decodeChunks(bytes, "CSV")) {
    let from = 0 // start of the plain characters not yet added to the field
    for (let i = 0; i < text.length; i++) {
      const c = text[i]
      if (afterCr) {
        afterCr = false
        if (c === "\n") {
          from = i + 1
          continue
        }
      }
      if (quoteInQuoted) {
        quoteInQuoted = false
        if (c === '"') {
          field += '"'
          from = i + 1
          continue
        }
        quoted = false
        from = i
      }
      if (quoted) {
        if (c === '"') {
          field += text.slice(from, i)
          quoteInQuoted = true
          from = i + 1
        }
      } else if (c === '"' && field === "" && from === i) {
        quoted = true
        from = i + 1
      } else if (c === ",") {
        cells.push(field + text.slice(from, i))
        field = ""
        from = i + 1
      } else if (c === "\r" || c === "\n") {
        field += text.slice(from, i)
        from = i + 1
        afterCr = c === "\r"
        const line = endRow()
        if (line !== undefined) yield line
      }
    }
    field += text.slice(from)
  }
  if (quoteInQuoted) quoted = false
  if (quoted) throw unreadable("CSV", "引号未闭合")
  if (field !== "" || cells.length > 0) {
    const line = endRow()
    if (line !== undefined) yield line
  }
}

/**
 * The rows of a file with a header line, read as they come: the first non-empty line is the header, each
 * later line becomes a row keyed by it. Reading stops at once — the rest of the file is never read — at
 * the first data row over `maxRows`.
 */
export const collectRows = (
  format: string,
  lines: Iterable<Line> | AsyncIterable<Line>,
  maxRows: number
): Effect.Effect<ReadonlyArray<RawRow>, UnreadableBatch> =>
  Effect.flatten(
    Effect.promise(async (): Promise<Either.Either<ReadonlyArray<RawRow>, UnreadableBatch>> => {
      try {
        let names: ReadonlyArray<string> | undefined
        const rows: Array<RawRow> = []
        for await (const { row, cells } of lines) {
          if (names === undefined) {
            names = cells.map((cell) => String(cell ?? "").trim())
            if (names.every((name) => name === "")) return Either.left(unreadable(format, "第 1 行应为表头"))
            continue
          }
          if (rows.length === maxRows) return Either.left(tooManyRows(format, maxRows))
          const values: Record<string, unknown> = {}
          names.forEach((name, i) => {
            if (name !== "") values[name] = cells[i] ?? null
          })
          rows.push({ row, values })
        }
        if (names === undefined) return Either.left(unreadable(format, "文件为空，没有表头"))
        return Either.right(rows)
      } catch (error) {
        if (error instanceof UnreadableBatch) return Either.left(error)
        throw error
      }
    })
  )

/** A CSV file with a header row, within the limits. */
export const readCsv = (
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS
): Effect.Effect<ReadonlyArray<RawRow>, UnreadableBatch> =>
  Effect.flatMap(checkSize("CSV", bytes, limits.maxBytes), () => collectRows("CSV", csvLines(bytes), limits.maxRows))

/** A JSON array of objects (row numbers count from 1 for the first object, plus the header's 1), within the limits. */
export const readJson = (
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS
): Either.Either<ReadonlyArray<RawRow>, UnreadableBatch> =>
  Either.flatMap(checkSize("JSON", bytes, limits.maxBytes), () =>
    Either.flatMap(decodeText(bytes, "JSON"), (text) => {
      let data: unknown
      try {
        data = JSON.parse(text)
      } catch {
        return Either.left(unreadable("JSON", "不是有效的 JSON"))
      }
      if (!Array.isArray(data)) return Either.left(unreadable("JSON", "应为对象数组（每个对象一条记录）"))
      if (data.length > limits.maxRows) return Either.left(tooManyRows("JSON", limits.maxRows))
      return Either.right(
        data.map((item, i) => ({
          row: i + 2,
          values: typeof item === "object" && item !== null && !Array.isArray(item) ? item : {}
        }))
      )
    })
  )

/** Whether a number format shows a date (exceljs's own test: y m d h s b outside quotes and brackets). */
const isDateFormat = (format: string | undefined): boolean =>
  format !== undefined && /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""))

/** A date serial as exceljs turns it into a date (day 25569 is 1970-01-01; 1462 days more in 1904 workbooks). */
const excelDate = (serial: number, date1904: boolean): Date =>
  new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000))

const cellValue = (value: unknown, dateFormatted: () => boolean, date1904: boolean): unknown => {
  if (value === null || value === undefined) return null
  if (typeof value === "number" && Number.isNaN(value)) return null
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === "object") {
    const v = value as {
      result?: unknown
      richText?: ReadonlyArray<{ text: string }>
      text?: unknown
      formula?: unknown
    }
    if (v.richText !== undefined) return v.richText.map((part) => part.text).join("")
    if (typeof v.result === "number" && Number.isFinite(v.result) && dateFormatted())
      return cellValue(excelDate(v.result, date1904), dateFormatted, date1904)
    if (v.result !== undefined) return cellValue(v.result, dateFormatted, date1904)
    if (v.text !== undefined) return cellValue(v.text, dateFormatted, date1904)
    return null
  }
  return value
}

/** What exceljs's streaming reader has that its typings leave out. */
interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  /** The sheet's XML: a temporary file's stream when the sheet came before the shared strings. */
  readonly iterator: unknown
}

interface BookReader extends AsyncIterable<SheetReader> {
  readonly model?: unknown
  readonly properties?: { readonly model?: { readonly date1904?: boolean } } | undefined
}

/** Closes a sheet that is not read (a temporary file's stream), so that exceljs can delete the file. */
const discard = (sheet: SheetReader): void => {
  const stream = sheet.iterator as { readonly destroy?: () => void } | undefined
  if (typeof stream?.destroy === "function") stream.destroy()
}

const notAWorkbook = () => unreadable("XLSX", "不是有效的 XLSX 工作簿（.xls 旧格式请另存为 .xlsx）")

/** The bytes as a stream of 64 KB pieces (no copy). */
function* pieces(bytes: Uint8Array): Generator<Buffer, void, undefined> {
  for (let at = 0; at < bytes.byteLength; at += CHUNK)
    yield Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(CHUNK, bytes.byteLength - at))
}

/**
 * The non-empty lines of the first worksheet, one by one as exceljs's streaming reader parses them: a
 * consumer that stops early stops the parsing. exceljs parses a sheet that comes before the shared
 * strings in the file (as Excel writes it) from a temporary file; when the consumer stops early, the
 * other sheets are skipped without being parsed so that exceljs deletes those files.
 */
export async function* xlsxLines(bytes: Uint8Array): AsyncGenerator<Line, void, undefined> {
  const input = Readable.from(pieces(bytes))
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore"
  }) as unknown as BookReader
  const sheets = reader[Symbol.asyncIterator]()
  let found = false
  let complete = false
  let current: SheetReader | undefined
  try {
    for (;;) {
      const next = await sheets.next().catch(() => Promise.reject(notAWorkbook()))
      if (next.done === true) break
      if (found) {
        discard(next.value)
        continue
      }
      found = true
      current = next.value
      const date1904 = reader.properties?.model?.date1904 === true
      try {
        for await (const row of current) {
          const values = row.values as ReadonlyArray<unknown>
          const cells: Array<unknown> = []
          for (let i = 1; i < values.length; i++)
            cells.push(cellValue(values[i], () => isDateFormat(row.getCell(i).numFmt), date1904))
          if (cells.some((c) => c !== null && String(c).trim() !== "")) yield { row: row.number, cells }
        }
      } catch {
        throw notAWorkbook()
      }
      current = undefined
    }
    complete = true
  } finally {
    if (!complete) {
      if (current !== undefined && typeof (current.iterator as { destroy?: unknown })?.destroy === "function") {
        // from a temporary file: the zip has been read through, go on past the other sheets unparsed
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
  if (reader.model === undefined) throw notAWorkbook()
  if (!found) throw unreadable("XLSX", "工作簿中没有工作表")
}

/** The first worksheet of an XLSX workbook, with a header row, within the limits (read as a stream). */
export const readXlsx = (
  bytes: Uint8Array,
  limits: Limits = DEFAULT_LIMITS
): Effect.Effect<ReadonlyArray<RawRow>, UnreadableBatch> =>
  Effect.flatMap(checkSize("XLSX", bytes, limits.maxBytes), () => collectRows("XLSX", xlsxLines(bytes), limits.maxRows))

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
