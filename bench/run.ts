/**
 * Runs the benchmarks: every `bench/*.bench.ts` exports `entries: Array<BenchEntry>`; each entry is run
 * with `runEntry` (ours and the baseline alternating in this process), printed as one line, and the
 * results of each file are written to `bench/results/<name>.json` (`<name>` = file name without
 * `.bench.ts`).
 *
 *   npm run bench                      every entry
 *   npm run bench -- core.uscc core.id only entries whose id starts with one of these prefixes
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import type { BenchEntry, BenchResult } from "./harness.js"
import { runEntry } from "./harness.js"

/** What `bench/results/<name>.json` holds, one row per entry. */
interface ResultRow {
  readonly id: string
  readonly ours: number
  readonly baseline: number
  readonly unit: string
  readonly ratio: number
}

const benchDir = dirname(fileURLToPath(import.meta.url))
const resultsDir = join(benchDir, "results")

const prefixes = process.argv.slice(2).filter((arg) => !arg.startsWith("-"))
const selected = (id: string): boolean => prefixes.length === 0 || prefixes.some((prefix) => id.startsWith(prefix))

const formatMs = (ms: number): string => `${ms.toFixed(1)} ms`

const line = (result: BenchResult, width: number): string => {
  const target = result.target === undefined ? "" : `  (target ≥ ${result.target})`
  const below = result.target !== undefined && result.ratio < result.target ? "  BELOW TARGET" : ""
  return [
    result.id.padEnd(width),
    `ratio ${result.ratio.toFixed(2)}`,
    `ours ${formatMs(result.ours)}`,
    `baseline ${formatMs(result.baseline)}${target}${below}`
  ].join("  ")
}

const isEntry = (value: unknown): value is BenchEntry =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as BenchEntry).id === "string" &&
  typeof (value as BenchEntry).ours === "function" &&
  typeof (value as BenchEntry).baseline === "function"

const loadEntries = async (file: string): Promise<ReadonlyArray<BenchEntry>> => {
  const module: { readonly entries?: unknown } = await import(pathToFileURL(join(benchDir, file)).href)
  if (!Array.isArray(module.entries) || !module.entries.every(isEntry)) {
    throw new Error(`bench/${file} must export \`entries: Array<BenchEntry>\``)
  }
  return module.entries
}

/** Keeps the rows of entries that were not run this time (a filtered run updates only its own ids). */
const mergeRows = (
  file: string,
  order: ReadonlyArray<string>,
  fresh: ReadonlyArray<ResultRow>
): ReadonlyArray<ResultRow> => {
  const byId = new Map<string, ResultRow>()
  if (existsSync(file)) {
    const previous: unknown = JSON.parse(readFileSync(file, "utf8"))
    if (Array.isArray(previous)) for (const row of previous as Array<ResultRow>) byId.set(row.id, row)
  }
  for (const row of fresh) byId.set(row.id, row)
  return order.flatMap((id) => {
    const row = byId.get(id)
    return row === undefined ? [] : [row]
  })
}

const main = async (): Promise<number> => {
  const files = readdirSync(benchDir)
    .filter((name) => name.endsWith(".bench.ts"))
    .sort()
  if (files.length === 0) {
    console.log("bench: no bench/*.bench.ts files")
    return 0
  }
  const plan: Array<{ readonly file: string; readonly all: ReadonlyArray<BenchEntry> }> = []
  for (const file of files) plan.push({ file, all: await loadEntries(file) })
  const ids = plan.flatMap(({ all }) => all.map((entry) => entry.id))
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i)
  if (duplicate !== undefined) throw new Error(`bench: entry id ${duplicate} is used twice`)
  const chosen = ids.filter(selected)
  if (chosen.length === 0) {
    console.error(`bench: no entry id starts with ${prefixes.join(" or ")}; ids: ${ids.join(", ")}`)
    return 1
  }
  const width = Math.max(...chosen.map((id) => id.length))
  mkdirSync(resultsDir, { recursive: true })
  for (const { file, all } of plan) {
    const entries = all.filter((entry) => selected(entry.id))
    if (entries.length === 0) continue
    const rows: Array<ResultRow> = []
    for (const entry of entries) {
      const result = await runEntry(entry)
      console.log(line(result, width))
      rows.push({
        id: result.id,
        ours: result.ours,
        baseline: result.baseline,
        unit: result.unit,
        ratio: result.ratio
      })
    }
    const out = join(resultsDir, `${basename(file, ".bench.ts")}.json`)
    const merged = mergeRows(
      out,
      all.map((entry) => entry.id),
      rows
    )
    writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`)
  }
  return 0
}

process.exitCode = await main()
