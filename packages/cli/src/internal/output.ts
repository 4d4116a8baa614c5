import { Context, Effect, Layer } from "effect"

/**
 * Where the CLI writes: lines for people on stdout, problems on stderr, and progress — on a terminal one line
 * rewritten in place (a bar), otherwise plain lines. Tests collect them instead.
 */
export class Output extends Context.Tag("@gongzhi/cli/Output")<
  Output,
  {
    readonly line: (text: string) => Effect.Effect<void>
    readonly error: (text: string) => Effect.Effect<void>
    readonly progress: (text: string, done: boolean) => Effect.Effect<void>
  }
>() {}

export const layerProcess: Layer.Layer<Output> = Layer.succeed(Output, {
  line: (text) => Effect.sync(() => void process.stdout.write(`${text}\n`)),
  error: (text) => Effect.sync(() => void process.stderr.write(`${text}\n`)),
  progress: (text, done) =>
    Effect.sync(() => {
      if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${text}${done ? "\n" : ""}`)
      else process.stdout.write(`${text}\n`)
    })
})

export const layerCollect = (lines: Array<string>, errors: Array<string>): Layer.Layer<Output> =>
  Layer.succeed(Output, {
    line: (text) => Effect.sync(() => void lines.push(text)),
    error: (text) => Effect.sync(() => void errors.push(text)),
    progress: (text) => Effect.sync(() => void lines.push(text))
  })

export const line = (text: string) => Effect.flatMap(Output, (out) => out.line(text))

/** A progress bar of `width` cells: `[██████░░░░] 60%`. */
export const bar = (done: number, total: number, width = 20): string => {
  const share = total === 0 ? 1 : Math.min(1, done / total)
  const cells = Math.round(share * width)
  return `[${"█".repeat(cells)}${"░".repeat(width - cells)}] ${Math.round(share * 100)}%`
}

/**
 * Reports progress at most every tenth of the way (and at the end), so a plain log gets about ten lines and a
 * terminal a bar that moves.
 */
export const progressReporter = (label: (phase: string) => string) => {
  let last = -1
  let lastPhase = ""
  return (phase: string, processed: number, total: number) =>
    Effect.flatMap(Output, (out) => {
      const step = total === 0 ? 10 : Math.floor((processed / total) * 10)
      if (phase === lastPhase && step === last && processed !== total) return Effect.void
      last = step
      lastPhase = phase
      return out.progress(`${label(phase)} ${bar(processed, total)} ${processed}/${total}`, processed === total)
    })
}
