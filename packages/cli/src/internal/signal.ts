import { Effect } from "effect"

/** Waits for Ctrl-C or a termination signal (`gongzhi serve`, `gongzhi worker`). */
export const signal = Effect.async<void>((resume) => {
  const done = () => resume(Effect.void)
  process.once("SIGINT", done)
  process.once("SIGTERM", done)
  return Effect.sync(() => {
    process.off("SIGINT", done)
    process.off("SIGTERM", done)
  })
})
