import { Context, Effect, Layer } from "effect"

/** Where the CLI writes: lines for people on stdout, problems on stderr. Tests collect them instead. */
export class Output extends Context.Tag("@gongzhi/cli/Output")<
  Output,
  { readonly line: (text: string) => Effect.Effect<void>; readonly error: (text: string) => Effect.Effect<void> }
>() {}

export const layerProcess: Layer.Layer<Output> = Layer.succeed(Output, {
  line: (text) => Effect.sync(() => void process.stdout.write(`${text}\n`)),
  error: (text) => Effect.sync(() => void process.stderr.write(`${text}\n`))
})

export const layerCollect = (lines: Array<string>, errors: Array<string>): Layer.Layer<Output> =>
  Layer.succeed(Output, {
    line: (text) => Effect.sync(() => void lines.push(text)),
    error: (text) => Effect.sync(() => void errors.push(text))
  })

export const line = (text: string) => Effect.flatMap(Output, (out) => out.line(text))
