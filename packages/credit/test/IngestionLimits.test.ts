import { PassThrough } from "node:stream"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import ExcelJS from "exceljs"
import * as Ingestion from "../src/Ingestion.js"
import * as BatchFile from "../src/internal/batchFile.js"

// Issue 10 item 5: imports read the whole file before checking limits. A batch's size is now checked
// before it is parsed, CSV and XLSX are read as a stream and reading stops at the first data row over
// the limit. "Stopped" is asserted by counting the lines the reader gave, never by timing.

const HEADER = ["信息类型代码", "来源记录编号", "主体标识", "主体名称", "决定日期"]
const ROWS = 60_000
const LIMIT = Ingestion.defaultLimits.maxRows

const line = (i: number) => ["ADMIN_PENALTY", `P-${i}`, "91440300MA5FXXXXX0", "坪山甲公司", "2026-06-01"]

/** A 60 000-row workbook, written with exceljs's streaming writer. */
const bigXlsx = Effect.promise(async () => {
  const chunks: Array<Buffer> = []
  const out = new PassThrough()
  out.on("data", (chunk: Buffer) => chunks.push(chunk))
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: false })
  const sheet = book.addWorksheet("records")
  sheet.addRow(HEADER).commit()
  for (let i = 0; i < ROWS; i++) sheet.addRow(line(i)).commit()
  sheet.commit()
  await book.commit()
  return new Uint8Array(Buffer.concat(chunks))
})

const bigCsv = (tail = "") =>
  new TextEncoder().encode(
    `${[HEADER, ...Array.from({ length: ROWS }, (_, i) => line(i))].map((r) => r.join(",")).join("\r\n")}\r\n${tail}`
  )

const counting = <A>(source: Iterable<A> | AsyncIterable<A>) => {
  const counter = { pulled: 0 }
  const lines = async function* () {
    for await (const item of source) {
      counter.pulled++
      yield item
    }
  }
  return { counter, lines: lines() }
}

describe("Ingestion limits", () => {
  it.effect(
    "an XLSX batch over the row limit is refused after reading just past the limit",
    () =>
      Effect.gen(function* () {
        const file = yield* bigXlsx
        const { counter, lines } = counting(BatchFile.xlsxLines(file))
        const error = yield* Effect.flip(BatchFile.collectRows("XLSX", lines, LIMIT))
        expect(error._tag).toBe("UnreadableBatch")
        expect(error.message).toContain(`数据行数超过上限：一次最多 ${LIMIT} 行`)
        expect(counter.pulled).toBe(LIMIT + 2) // the header, LIMIT rows and the one over
        // through the public reader, with the default limits and with smaller ones
        const refused = yield* Effect.flip(Ingestion.read("xlsx", file))
        expect(refused.reason).toContain(`一次最多 ${LIMIT} 行`)
        const small = yield* Effect.flip(Ingestion.read("xlsx", file, { maxRows: 10 }))
        expect(small.reason).toContain("一次最多 10 行")
        // within the limit every row is read
        const all = yield* Ingestion.read("xlsx", file, { maxRows: ROWS })
        expect(all).toHaveLength(ROWS)
        expect(all[ROWS - 1]).toEqual({
          row: ROWS + 1,
          values: Object.fromEntries(HEADER.map((h, i) => [h, line(ROWS - 1)[i]]))
        })
      }),
    60_000
  )

  it.effect("a CSV batch over the row limit is refused without reading the rest of the file", () =>
    Effect.gen(function* () {
      const { counter, lines } = counting(BatchFile.csvLines(bigCsv()))
      const error = yield* Effect.flip(BatchFile.collectRows("CSV", lines, LIMIT))
      expect(error.reason).toContain("数据行数超过上限")
      expect(counter.pulled).toBe(LIMIT + 2)
      // what comes after the limit is never read: an unterminated quote there goes unnoticed
      const broken = yield* Effect.flip(Ingestion.read("csv", bigCsv('ADMIN_PENALTY,"open')))
      expect(broken.reason).toContain("数据行数超过上限")
      const inside = yield* Effect.flip(Ingestion.read("csv", bigCsv('ADMIN_PENALTY,"open'), { maxRows: ROWS + 10 }))
      expect(inside.reason).toContain("引号未闭合")
      // JSON is parsed whole (its size is limited first), then its length is checked
      const json = new TextEncoder().encode(JSON.stringify(Array.from({ length: 11 }, () => ({}))))
      const objects = yield* Effect.flip(Ingestion.read("json", json, { maxRows: 10 }))
      expect(objects.reason).toContain("一次最多 10 行")
    })
  )

  it.effect.each(["csv", "xlsx", "json"] as const)(
    "a %s batch over maxBytes is refused before it is parsed",
    (format) =>
      Effect.gen(function* () {
        // not text, not a workbook: parsing it would fail for another reason
        const garbage = new Uint8Array(3000).fill(0xff)
        const error = yield* Effect.flip(Ingestion.read(format, garbage, { maxBytes: 2048 }))
        expect(error._tag).toBe("UnreadableBatch")
        expect(error.reason).toBe("文件过大：本文件 2.9 KB，一次最多 2 KB，请拆分后分批报送")
        const parsed = yield* Effect.flip(Ingestion.read(format, garbage, { maxBytes: 4096 }))
        expect(parsed.reason).not.toContain("文件过大")
        // the default: 20 MB
        const big = yield* Effect.flip(Ingestion.read(format, new Uint8Array(Ingestion.defaultLimits.maxBytes + 1)))
        expect(big.reason).toContain("一次最多 20 MB")
      })
  )
})
