/**
 * Benchmark harness: every entry measures our code and a baseline doing the same work in the same
 * process, alternating, and reports `ratio = baseline time / our time` (higher is better for us;
 * 1.0 = as fast as the baseline).
 */
export interface BenchEntry {
  /** Stable id, e.g. `core.uscc.validate`. */
  readonly id: string
  /** What one run of `ours`/`baseline` processes, e.g. "1M codes". */
  readonly unit: string
  /** Target ratio from the issue, printed next to the measured one. */
  readonly target?: number
  /** Prepares inputs once (not measured). */
  readonly setup?: () => void | Promise<void>
  readonly ours: () => unknown | Promise<unknown>
  readonly baseline: () => unknown | Promise<unknown>
  readonly teardown?: () => void | Promise<void>
  /** Measured runs of each side (after one warm-up run each); default 5. */
  readonly runs?: number
}

export interface BenchResult {
  readonly id: string
  readonly ours: number
  readonly baseline: number
  readonly unit: string
  readonly ratio: number
  readonly target?: number
}

const time = async (f: () => unknown | Promise<unknown>): Promise<number> => {
  const start = process.hrtime.bigint()
  await f()
  return Number(process.hrtime.bigint() - start) / 1e6
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 0 ? (s[mid - 1] + s[mid]) / 2 : s[mid]
}

/** Runs one entry: warm-up, then alternating measured runs; reports median milliseconds per run. */
export const runEntry = async (entry: BenchEntry): Promise<BenchResult> => {
  await entry.setup?.()
  try {
    await entry.ours()
    await entry.baseline()
    const ours: Array<number> = []
    const baseline: Array<number> = []
    const runs = entry.runs ?? 5
    for (let i = 0; i < runs; i++) {
      // alternate the order so that neither side always runs on a warmer machine
      if (i % 2 === 0) {
        ours.push(await time(entry.ours))
        baseline.push(await time(entry.baseline))
      } else {
        baseline.push(await time(entry.baseline))
        ours.push(await time(entry.ours))
      }
    }
    const o = median(ours)
    const b = median(baseline)
    return {
      id: entry.id,
      ours: round(o),
      baseline: round(b),
      unit: `ms per ${entry.unit}`,
      ratio: round(b / o),
      ...(entry.target !== undefined ? { target: entry.target } : {})
    }
  } finally {
    await entry.teardown?.()
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000
