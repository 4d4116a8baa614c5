import { Effect, Either } from "effect"
import { csvRows } from "./rosterCsv.js"
import { findHeader, HEADER_SEARCH_ROWS, type HeaderMapping } from "./rosterImport.js"
import { DEFAULT_MAX_BYTES, type RawRow, RosterFileError } from "./rosterModel.js"
import { xlsxRows } from "./rosterXlsx.js"

/**
 * The rows of a file as its reader gives them, one by one (CSV: parsed as asked for; XLSX: exceljs's
 * streaming reader). Whoever stops asking stops the reading: nothing after is decoded, parsed or kept.
 */
export type RowSource = Iterable<RawRow> | AsyncIterable<RawRow>

/** The rows of a roster file (readers throw {@link RosterFileError}). */
export const rowsOf = (format: "csv" | "xlsx", file: Uint8Array, sheet?: string | undefined): RowSource =>
  format === "csv" ? csvRows(file) : xlsxRows(file, sheet)

/** Refuses a file over `maxBytes` before a byte of it is parsed. */
export const checkSize = (file: Uint8Array, maxBytes: number): Either.Either<void, RosterFileError> =>
  file.byteLength > maxBytes
    ? Either.left(new RosterFileError({ reason: "TooLarge", limit: maxBytes, found: file.byteLength }))
    : Either.void

/** Limits of the plain readers (`Roster.readCsv`, `Roster.readXlsx`). */
export interface ReadLimits {
  /** At most this many bytes (default 10 MB), checked before the file is parsed. */
  readonly maxBytes?: number | undefined
  /** At most this many non-empty rows, header and title rows included (default 100 000). */
  readonly maxRows?: number | undefined
}

/** The default row limit of the plain readers. */
export const DEFAULT_READ_ROWS = 100_000

const tooMany = (limit: number) => new RosterFileError({ reason: "TooManyRows", limit })

/** Runs a reader: its typed errors as `Left`, anything else (a defect) thrown on. */
const typed = <A>(read: () => A): Either.Either<A, RosterFileError> => {
  try {
    return Either.right(read())
  } catch (error) {
    if (error instanceof RosterFileError) return Either.left(error)
    throw error
  }
}

const typedAsync = <A>(read: () => Promise<A>): Effect.Effect<A, RosterFileError> =>
  Effect.flatten(
    Effect.promise(async () => {
      try {
        return Either.right(await read())
      } catch (error) {
        if (error instanceof RosterFileError) return Either.left(error)
        throw error
      }
    })
  )

/** Every row of a CSV file (within the limits). */
export const readCsvRows = (file: Uint8Array, limits: ReadLimits = {}): Either.Either<Array<RawRow>, RosterFileError> =>
  Either.flatMap(checkSize(file, limits.maxBytes ?? DEFAULT_MAX_BYTES), () =>
    typed(() => {
      const maxRows = limits.maxRows ?? DEFAULT_READ_ROWS
      const rows: Array<RawRow> = []
      for (const row of csvRows(file)) {
        if (rows.length === maxRows) throw tooMany(maxRows)
        rows.push(row)
      }
      return rows
    })
  )

/** Every row of a worksheet (within the limits). */
export const readXlsxRows = (
  file: Uint8Array,
  sheet: string | undefined,
  limits: ReadLimits = {}
): Effect.Effect<Array<RawRow>, RosterFileError> =>
  Effect.flatMap(checkSize(file, limits.maxBytes ?? DEFAULT_MAX_BYTES), () =>
    typedAsync(async () => {
      const maxRows = limits.maxRows ?? DEFAULT_READ_ROWS
      const rows: Array<RawRow> = []
      for await (const row of xlsxRows(file, sheet)) {
        if (rows.length === maxRows) throw tooMany(maxRows)
        rows.push(row)
      }
      return rows
    })
  )

/** What {@link readRoster} found: the header's mapping and the number of data rows. */
export interface RosterRows {
  readonly mapping: HeaderMapping
  readonly total: number
}

/**
 * Reads the rows of an import as they come: the header is looked for among the first
 * {@link HEADER_SEARCH_ROWS} rows (only those are held), then each data row goes to `onData` as soon as it
 * is read (and is not kept here). Reading stops at once — the rest of the file is never read — at the
 * first data row over `maxRows` (`TooManyRows`) or when no header is found. An empty file, or one with a
 * header and no data, is `Empty`.
 */
export const readRoster = (
  source: RowSource,
  maxRows: number,
  onData: (mapping: HeaderMapping, row: RawRow) => void
): Effect.Effect<RosterRows, RosterFileError> =>
  typedAsync(async () => {
    const head: Array<RawRow> = []
    let mapping: HeaderMapping | undefined
    let total = 0
    const data = (found: HeaderMapping, row: RawRow) => {
      if (++total > maxRows) throw tooMany(maxRows)
      onData(found, row)
    }
    const locate = (): HeaderMapping => {
      const located = Either.getOrThrowWith(findHeader(head), (error) => error)
      for (const row of head.slice(located.index + 1)) data(located.mapping, row)
      head.length = 0
      return located.mapping
    }
    for await (const row of source) {
      if (mapping !== undefined) data(mapping, row)
      else {
        head.push(row)
        if (head.length === HEADER_SEARCH_ROWS) mapping = locate()
      }
    }
    if (mapping === undefined) {
      if (head.length === 0) throw new RosterFileError({ reason: "Empty" })
      mapping = locate()
    }
    if (total === 0) throw new RosterFileError({ reason: "Empty" })
    return { mapping, total }
  })
