/**
 * The simulated clock of the run: district time that the run moves forward (or sets) explicitly, so that a month of
 * volunteer shifts and a quarter of residents' reports happen at their own times in a minute of real time, and the
 * same seed gives the same times. Every service reads time through Effect's `Clock`, so providing this clock is
 * enough; sleeping still waits in real time (nothing in the run sleeps long).
 *
 * @since 0.1.0
 */
import { Clock, type Duration, Effect } from "effect"

/**
 * A clock whose time the run sets.
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulatedClock {
  /** The clock to provide (`Effect.withClock`). */
  readonly clock: Clock.Clock
  /** The current simulated time, epoch milliseconds. */
  readonly now: () => number
  /** Sets the time (epoch milliseconds). */
  readonly set: (millis: number) => Effect.Effect<void>
}

/**
 * A simulated clock starting at `start` (epoch milliseconds).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (start: number): SimulatedClock => {
  let current = start
  const real = Clock.make()
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => current,
    currentTimeMillis: Effect.sync(() => current),
    unsafeCurrentTimeNanos: () => BigInt(current) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(current) * 1_000_000n),
    sleep: (duration: Duration.Duration) => real.sleep(duration)
  }
  return {
    clock,
    now: () => current,
    set: (millis) =>
      Effect.sync(() => {
        current = millis
      })
  }
}

/**
 * China Standard Time (UTC+8) in milliseconds.
 *
 * @since 0.1.0
 * @category constructors
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000

/**
 * The instant of a local time in Shenzhen: `at("2026-03-02", 9, 30)`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const at = (date: string, hours = 0, minutes = 0): number =>
  Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS + (hours * 60 + minutes) * 60_000

/**
 * The local date (`YYYY-MM-DD`, Shenzhen) of an instant.
 *
 * @since 0.1.0
 * @category accessors
 */
export const localDate = (millis: number): string => new Date(millis + CHINA_OFFSET_MS).toISOString().slice(0, 10)

/**
 * The dates from `from` to `to`, both included.
 *
 * @since 0.1.0
 * @category accessors
 */
export const datesBetween = (from: string, to: string): Array<string> => {
  const out: Array<string> = []
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10))
  }
  return out
}
