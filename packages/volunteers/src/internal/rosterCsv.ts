import { Either } from "effect"
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

/**
 * The text of an uploaded file: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order
 * mark, or — what Excel in a Chinese locale writes by default — GB 18030 (a superset of GBK).
 */
export const decodeText = (bytes: Uint8Array): Either.Either<string, RosterFileError> => {
  try {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      return Either.right(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(3)))
    }
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      return Either.right(new TextDecoder("utf-16le").decode(bytes.subarray(2)))
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return Either.right(new TextDecoder("utf-16be").decode(bytes.subarray(2)))
    try {
      return Either.right(new TextDecoder("utf-8", { fatal: true }).decode(bytes))
    } catch {
      return Either.right(new TextDecoder("gb18030", { fatal: true }).decode(bytes))
    }
  } catch {
    return Either.left(new RosterFileError({ reason: "Unreadable", detail: "文本编码既不是 UTF-8 也不是 GB18030/GBK" }))
  }
}

/**
 * Parses CSV text (RFC 4180: quoted fields may hold commas, quotes written twice and line breaks;
 * lines end with CRLF, LF or CR). The delimiter is a comma, or a tab when the first line has more
 * tabs than commas (Excel's "Unicode text"). Rows are numbered from 1 as a spreadsheet shows them (a
 * quoted line break stays inside its row); empty rows are left out.
 */
export const parseCsv = (text: string): Either.Either<ReadonlyArray<RawRow>, RosterFileError> => {
  const firstLine = text.slice(0, Math.max(0, text.search(/[\r\n]/)) || text.length)
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? "\t" : ","
  const rows: Array<RawRow> = []
  let cells: Array<string> = []
  let field = ""
  let quoted = false
  let row = 1
  let quoteStartRow = 1
  const endRow = () => {
    cells.push(field)
    if (cells.some((c) => c.trim() !== "")) rows.push({ row, cells })
    cells = []
    field = ""
    row++
  }
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"' && field === "") {
      quoted = true
      quoteStartRow = row
    } else if (c === delimiter) {
      cells.push(field)
      field = ""
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++
      endRow()
    } else field += c
  }
  if (quoted) return Either.left(new RosterFileError({ reason: "UnterminatedQuote", row: quoteStartRow }))
  if (field !== "" || cells.length > 0) endRow()
  return Either.right(rows)
}
