/**
 * The run's timeline: actions scheduled at instants of district time and carried out in time order, the
 * simulated clock set to each action's instant first — so that every command happens "at" its own time, and an
 * action may schedule later ones (a reply two working days after a report was signed for).
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { SimulatedClock } from "./simClock.js"

interface Entry<R> {
  readonly at: number
  readonly seq: number
  readonly action: () => Effect.Effect<void, unknown, R>
}

const before = <R>(a: Entry<R>, b: Entry<R>): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq)

/**
 * A timeline.
 *
 * @since 0.1.0
 * @category models
 */
export interface Timeline<E, R> {
  /**
   * Schedules an action at `at` (epoch milliseconds); actions at the same instant run in scheduling order. Its
   * failure becomes the timeline's error `E` (see {@link make}).
   */
  readonly schedule: (at: number, action: () => Effect.Effect<void, unknown, R>) => void
  /** How many actions wait. */
  readonly pending: () => number
  /**
   * Carries out, in time order, every action scheduled before `until` (including those they schedule), setting the
   * clock to each one's instant; leaves later ones waiting. Returns how many ran.
   */
  readonly runUntil: (until: number) => Effect.Effect<number, E, R>
}

/**
 * An empty timeline on a simulated clock; `mapError` turns an action's failure into the timeline's error.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E, R>(clock: SimulatedClock, mapError: (error: unknown) => E): Timeline<E, R> => {
  const heap: Array<Entry<R>> = []
  let seq = 0
  const push = (entry: Entry<R>) => {
    heap.push(entry)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(heap[i], heap[parent])) break
      ;[heap[i], heap[parent]] = [heap[parent], heap[i]]
      i = parent
    }
  }
  const pop = (): Entry<R> => {
    const top = heap[0]
    const last = heap.pop()!
    if (heap.length > 0) {
      heap[0] = last
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        const right = left + 1
        let smallest = i
        if (left < heap.length && before(heap[left], heap[smallest])) smallest = left
        if (right < heap.length && before(heap[right], heap[smallest])) smallest = right
        if (smallest === i) break
        ;[heap[i], heap[smallest]] = [heap[smallest], heap[i]]
        i = smallest
      }
    }
    return top
  }
  return {
    schedule: (at, action) => push({ at, seq: seq++, action }),
    pending: () => heap.length,
    runUntil: (until) =>
      Effect.gen(function* () {
        let ran = 0
        while (heap.length > 0 && heap[0].at < until) {
          const entry = pop()
          if (entry.at > clock.now()) yield* clock.set(entry.at)
          yield* Effect.mapError(entry.action(), mapError)
          ran++
        }
        return ran
      })
  }
}
