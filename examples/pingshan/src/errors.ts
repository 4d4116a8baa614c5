/**
 * The one error the Pingshan run fails with: which phase failed and why, in words a clerk can read.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A phase of the run failed (`phase`: 准备, 志愿者, 民情 …; `reason`: the underlying error's message,
 * `tag`: its tag). Personal data never appears here: the domain errors it wraps are masked already.
 *
 * @since 0.1.0
 * @category errors
 */
export class RunFailed extends Schema.TaggedError<RunFailed>("@gongzhi-examples/pingshan/RunFailed")("RunFailed", {
  phase: Schema.String,
  tag: Schema.String,
  reason: Schema.String
}) {
  constructor(props: { readonly phase: string; readonly tag: string; readonly reason: string }) {
    super(props)
    // the reason says what went wrong; a stack trace of the run would only hide it
    this.stack = `RunFailed: ${this.message}`
  }

  override get message(): string {
    return `坪山示例运行失败（${this.phase}）：${this.reason} / the Pingshan run failed (${this.phase}, ${this.tag})`
  }
}

const describe = (error: unknown): { readonly tag: string; readonly reason: string } => {
  if (typeof error === "object" && error !== null) {
    const tagged = error as { readonly _tag?: unknown; readonly message?: unknown }
    return {
      tag: typeof tagged._tag === "string" ? tagged._tag : "Error",
      reason: typeof tagged.message === "string" && tagged.message !== "" ? tagged.message : String(error)
    }
  }
  return { tag: "Error", reason: String(error) }
}

/**
 * Wraps any failure of a phase into {@link RunFailed} (a `RunFailed` passes through unchanged).
 *
 * @since 0.1.0
 * @category constructors
 */
export const failed =
  (phase: string) =>
  (error: unknown): RunFailed =>
    error instanceof RunFailed ? error : new RunFailed({ phase, ...describe(error) })
