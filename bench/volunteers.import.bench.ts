/**
 * An over-limit roster workbook (issue 10 item 5: a 150,000-row XLSX took 6 s and +511 MB before
 * `TooManyRows`).
 *
 * Entry `volunteers.import.overLimit.xlsx`. Setup (not measured) writes a 150,000-row workbook with
 * exceljs's streaming writer (shared strings, as Excel writes them).
 * ours: `Roster.readXlsx(file, undefined, { maxRows: 10_001 })` — the streaming reader the import uses,
 * which stops at the first row over the limit (`TooManyRows`).
 * baseline: what the import did before — exceljs's whole-workbook `load`, then every row collected, then
 * the row count compared with the limit.
 * Setup also prints the peak memory (RSS above the start, sampled every 2 ms) of one run of each side and
 * their ratio.
 */
import { PassThrough } from "node:stream"
import * as Roster from "@gongzhi/volunteers/Roster"
import { Effect, Either } from "effect"
import ExcelJS from "exceljs"
import type { BenchEntry } from "./harness.js"

const ROWS = 150_000
const LIMIT = 10_000
const HEADERS = ["姓名", "身份证号", "手机号", "社区", "同意日期"]

let file: Uint8Array = new Uint8Array()

const write = async (): Promise<Uint8Array> => {
  const chunks: Array<Buffer> = []
  const out = new PassThrough()
  out.on("data", (chunk: Buffer) => chunks.push(chunk))
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: false })
  const sheet = book.addWorksheet("名单")
  sheet.addRow(HEADERS).commit()
  for (let i = 0; i < ROWS; i++) {
    sheet
      .addRow([
        `张${"三四五六"[i % 4]}`,
        `11010119900307${String(i % 10_000).padStart(4, "0")}`,
        "13800138000",
        "六联社区",
        "2026-03-01"
      ])
      .commit()
  }
  sheet.commit()
  await book.commit()
  return new Uint8Array(Buffer.concat(chunks))
}

const ours = async (): Promise<void> => {
  const result = await Effect.runPromise(Effect.either(Roster.readXlsx(file, undefined, { maxRows: LIMIT + 1 })))
  if (Either.isRight(result) || result.left.reason !== "TooManyRows") throw new Error("expected TooManyRows")
}

const baseline = async (): Promise<void> => {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.from(file.buffer, file.byteOffset, file.byteLength) as never)
  const rows: Array<ReadonlyArray<unknown>> = []
  workbook.worksheets[0]?.eachRow({ includeEmpty: false }, (row) => rows.push(row.values as ReadonlyArray<unknown>))
  if (rows.length - 1 <= LIMIT) throw new Error("expected more rows than the limit")
}

/** The peak RSS above the start of one run (sampled; a lower bound of the true peak). */
const peak = async (run: () => Promise<void>): Promise<number> => {
  globalThis.gc?.()
  const start = process.memoryUsage().rss
  let max = start
  const timer = setInterval(() => {
    max = Math.max(max, process.memoryUsage().rss)
  }, 2)
  try {
    await run()
  } finally {
    clearInterval(timer)
  }
  return Math.max(max, process.memoryUsage().rss) - start
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

export const entries: Array<BenchEntry> = [
  {
    id: "volunteers.import.overLimit.xlsx",
    unit: `a ${ROWS}-row XLSX, limit ${LIMIT}`,
    runs: 3,
    setup: async () => {
      file = await write()
      const baselinePeak = await peak(baseline)
      const oursPeak = await peak(ours)
      console.log(
        `volunteers.import.overLimit.xlsx  file ${mb(file.byteLength)}  peak memory: ours +${mb(oursPeak)}, baseline +${mb(baselinePeak)}, ratio ${(baselinePeak / Math.max(oursPeak, 1)).toFixed(1)}`
      )
    },
    ours,
    baseline
  }
]
