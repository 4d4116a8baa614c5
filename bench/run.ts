/**
 * Runs the benchmarks: every `bench/*.bench.ts` exports `entries: Array<BenchEntry>`; each entry is run
 * with `runEntry` (ours and the baseline alternating in this process), printed as one line, and the
 * results of each file are written to `bench/results/<name>.json` (`<name>` = file name without
 * `.bench.ts`).
 *
 *   npm run bench                      every entry
 *   npm run bench -- core.uscc core.id only entries whose id starts with one of these prefixes
 */
import { spawnSync } from "node:child_process"
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

const prefixes = (() => {
  const args = process.argv.slice(2)
  const fileIndex = args.indexOf("--file")
  return args.filter((arg, i) => !arg.startsWith("-") && !(fileIndex >= 0 && i === fileIndex + 1))
})()
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

/**
 * A file's entries have ids that begin with its name (`core.uscc.bench.ts` → `core.uscc.…`), so a file is
 * loaded only when a prefix could select one of its entries.
 */
const mayMatch = (file: string): boolean => {
  const name = basename(file, ".bench.ts")
  return prefixes.length === 0 || prefixes.some((prefix) => prefix.startsWith(name) || name.startsWith(prefix))
}

/** Runs the selected entries of one file in this process and writes its results. */
const runFile = async (file: string): Promise<number> => {
  const all = await loadEntries(file)
  const name = basename(file, ".bench.ts")
  const stray = all.find((entry) => !entry.id.startsWith(`${name}.`) && entry.id !== name)
  if (stray !== undefined) throw new Error(`bench: entry ${stray.id} of bench/${file} must begin with "${name}."`)
  const ids = all.map((entry) => entry.id)
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i)
  if (duplicate !== undefined) throw new Error(`bench: entry id ${duplicate} is used twice`)
  const entries = all.filter((entry) => selected(entry.id))
  if (entries.length === 0) return 0
  const width = Math.max(28, ...entries.map((entry) => entry.id.length))
  mkdirSync(resultsDir, { recursive: true })
  const rows: Array<ResultRow> = []
  for (const entry of entries) {
    const result = await runEntry(entry)
    console.log(line(result, width))
    rows.push({ id: result.id, ours: result.ours, baseline: result.baseline, unit: result.unit, ratio: result.ratio })
  }
  const out = join(resultsDir, `${name}.json`)
  writeFileSync(out, `${JSON.stringify(mergeRows(out, ids, rows), null, 2)}\n`)
  return entries.length
}

/**
 * Each bench file runs in a process of its own: code loaded for one file (other packages' Schemas, drivers)
 * would otherwise change how the engine optimises another file's hot paths, and a ratio would depend on which
 * other files happened to be loaded (measured: `core.uscc.validate` 0.26 alone, 0.16 with every file loaded).
 */
const main = async (): Promise<number> => {
  const fileIndex = process.argv.indexOf("--file")
  if (fileIndex > 0) return (await runFile(process.argv[fileIndex + 1]!)) >= 0 ? 0 : 1
  const files = readdirSync(benchDir)
    .filter((name) => name.endsWith(".bench.ts"))
    .sort()
    .filter(mayMatch)
  let failed = 0
  for (const file of files) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), "--file", file, ...prefixes],
      {
        stdio: "inherit",
        env: process.env
      }
    )
    if (child.status !== 0) failed++
  }
  if (files.length === 0) {
    console.error(`bench: no bench file matches ${prefixes.join(" or ")}`)
    return 1
  }
  return failed === 0 ? 0 : 1
}

process.exitCode = await main()
