import { isUtf8 } from "node:buffer"
import type { RawRow } from "./rosterModel.js"
import { RosterFileError } from "./rosterModel.js"
import type { Table, TableCell, TableColumn } from "./rosterTable.js"

const BOM = "\uFEFF"

/**
 * Text that a spreadsheet would run as a formula (CSV injection): `= + - @`, a tab or a carriage
 * return at the start. Such cells are written with a leading apostrophe.
 */
const FORMULA = /^[=+\-@\t\r]/

/** One cell as CSV text (RFC 4180: quoted when it holds a comma, a quote, CR or LF; quotes doubled). */
export const csvField = (cell: TableCell, column?: TableColumn): string => {
  let text: string
  if (cell === null) text = ""
  else if (typeof cell === "number") {
    text = column?.kind === "percent" ? `${Math.round(cell * 10000) / 100}%` : Number.isFinite(cell) ? String(cell) : ""
  } else text = FORMULA.test(cell) ? `'${cell}` : cell
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A table as CSV text: header line, then rows, CRLF line breaks (no byte-order mark). */
export const csvText = (table: Table): string => {
  const lines = [table.columns.map((c) => csvField(c.header)).join(",")]
  for (const row of table.rows) lines.push(table.columns.map((column, i) => csvField(row[i] ?? null, column)).join(","))
  return `${lines.join("\r\n")}\r\n`
}

/** A table as a CSV file: UTF-8 with a byte-order mark (so Excel reads Chinese correctly), CRLF. */
export const encodeCsv = (table: Table): Uint8Array => new TextEncoder().encode(BOM + csvText(table))

/** How much of a file is decoded at a time. */
const CHUNK = 64 * 1024

const unreadable = () =>
  new RosterFileError({ reason: "Unreadable", detail: "文本编码既不是 UTF-8 也不是 GB18030/GBK" })

/**
 * The text of an uploaded file, piece by piece: UTF-8 (with or without a byte-order mark), UTF-16 with a
 * byte-order mark, or — what Excel in a Chinese locale writes by default — GB 18030 (a superset of GBK).
 * The encoding is decided before anything is decoded (`isUtf8` checks the bytes without copying them);
 * the pieces are decoded as they are asked for, so a reader that stops early decodes no more.
 * Throws {@link RosterFileError} (`Unreadable`) when the bytes are not valid GB 18030 either.
 */
export function* decodeChunks(bytes: Uint8Array): Generator<string, void, undefined> {
  let decoder: InstanceType<typeof TextDecoder>
  let body = bytes
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    decoder = new TextDecoder("utf-8", { fatal: true })
    body = bytes.subarray(3)
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    decoder = new TextDecoder("utf-16le")
    body = bytes.subarray(2)
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    decoder = new TextDecoder("utf-16be")
    body = bytes.subarray(2)
  } else decoder = new TextDecoder(isUtf8(bytes) ? "utf-8" : "gb18030", { fatal: true })
  try {
    for (let at = 0; at < body.length; at += CHUNK) {
      yield decoder.decode(body.subarray(at, at + CHUNK), { stream: at + CHUNK < body.length })
    }
    if (body.length === 0) yield decoder.decode()
  } catch (error) {
    if (error instanceof TypeError) throw unreadable()
    throw error
  }
}

/**
 * The non-empty rows of a CSV file, one by one, as they are parsed (RFC 4180: quoted fields may hold
 * commas, quotes written twice and line breaks; lines end with CRLF, LF or CR). The text is decoded by
 * {@link decodeChunks}. The delimiter is a comma, or a tab when the first line has more tabs than commas
 * (Excel's "Unicode text"). Rows are numbered from 1 as a spreadsheet shows them (a quoted line break stays
 * inside its row); empty rows are left out. Throws {@link RosterFileError} (`Unreadable`,
 * `UnterminatedQuote`) — a consumer that stops early never sees what comes later.
 */
export function* csvRows(bytes: Uint8Array): Generator<RawRow, void, undefined> {
  const chunks = decodeChunks(bytes)
  // the first line decides the delimiter: decode until it is complete (leading line breaks skipped)
  let pending = ""
  let delimiter: string | undefined
  while (delimiter === undefined) {
    const next = chunks.next()
    if (next.done === true) break
    pending += next.value
    const body = pending.replace(/^[\r\n]+/, "")
    const end = body.search(/[\r\n]/)
    if (end >= 0) delimiter = delimiterOf(body.slice(0, end))
  }
  const parser = new CsvParser(delimiter ?? delimiterOf(pending.replace(/^[\r\n]+/, "")))
  yield* parser.feed(pending)
  // the rest, a piece at a time (the iterator goes on where the loop above stopped)
  for (let next = chunks.next(); next.done !== true; next = chunks.next()) yield* parser.feed(next.value)
  yield* parser.end()
}

const delimiterOf = (firstLine: string): string =>
  (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? "\t" : ","

/** An incremental RFC 4180 parser: text goes in piece by piece, non-empty rows come out. */
class CsvParser {
  private cells: Array<string> = []
  private field = ""
  private quoted = false
  /** A quote seen inside a quoted field: the next character says whether it was doubled. */
  private quoteInQuoted = false
  /** A CR ended the last row: an LF right after it belongs to the same line break. */
  private afterCr = false
  private row = 1
  private quoteStartRow = 1

  constructor(private readonly delimiter: string) {}

  private endRow(): RawRow | undefined {
    this.cells.push(this.field)
    const cells = this.cells
    this.cells = []
    this.field = ""
    const row = this.row++
    return cells.some((c) => c.trim() !== "") ? { row, cells } : undefined
  }

  *feed(text: string): Generator<RawRow, void, undefined> {
    const n = text.length
    let from = 0 // start of a run of plain characters not yet added to the field
    for (let i = 0; i < n; i++) {
      const c = text[i]
      if (this.afterCr) {
        this.afterCr = false
        if (c === "\n") {
          from = i + 1
          continue
        }
      }
      if (this.quoteInQuoted) {
        this.quoteInQuoted = false
        if (c === '"') {
          this.field += '"'
          from = i + 1
          continue
        }
        this.quoted = false
        from = i
      }
      if (this.quoted) {
        if (c === '"') {
          this.field += text.slice(from, i)
          this.quoteInQuoted = true
          from = i + 1
        }
        continue
      }
      if (c === '"' && this.field === "" && from === i) {
        this.quoted = true
        this.quoteStartRow = this.row
        from = i + 1
      } else if (c === this.delimiter) {
        this.cells.push(this.field + text.slice(from, i))
        this.field = ""
        from = i + 1
      } else if (c === "\r" || c === "\n") {
        this.field += text.slice(from, i)
        from = i + 1
        if (c === "\r") this.afterCr = true
        const row = this.endRow()
        if (row !== undefined) yield row
      }
    }
    this.field += text.slice(from)
  }

  *end(): Generator<RawRow, void, undefined> {
    if (this.quoteInQuoted) {
      this.quoteInQuoted = false
      this.quoted = false
    }
    if (this.quoted) throw new RosterFileError({ reason: "UnterminatedQuote", row: this.quoteStartRow })
    if (this.field !== "" || this.cells.length > 0) {
      const row = this.endRow()
      if (row !== undefined) yield row
    }
  }
}
