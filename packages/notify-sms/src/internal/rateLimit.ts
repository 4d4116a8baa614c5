/** A window of `windowMillis` in which at most `limit` messages go to one number. */
export interface Window {
  readonly limit: number
  readonly windowMillis: number
}

/** A slot taken, or the milliseconds until one frees up. */
export type Reservation =
  | { readonly ok: true; readonly release: () => void }
  | { readonly ok: false; readonly retryAfterMillis: number }

const SWEEP_EVERY = 1024

/**
 * Sliding-window limits per key (a mobile number), in memory. `reserve` is synchronous, so two
 * concurrent sends cannot both take the last slot; a send that fails releases its slot.
 */
export const makeLimiter = (windows: ReadonlyArray<Window>) => {
  const longest = windows.reduce((max, window) => Math.max(max, window.windowMillis), 0)
  const sent = new Map<string, Array<number>>()
  let calls = 0

  /** Every `SWEEP_EVERY` calls, numbers whose sends all left the longest window are forgotten. */
  const sweep = (now: number) => {
    for (const [key, times] of sent) {
      if (times.every((time) => time <= now - longest)) sent.delete(key)
    }
  }

  const reserve = (key: string, now: number): Reservation => {
    if (windows.length === 0) return { ok: true, release: () => {} }
    calls += 1
    if (calls % SWEEP_EVERY === 0) sweep(now)
    const times = (sent.get(key) ?? []).filter((time) => time > now - longest)
    let wait = 0
    for (const window of windows) {
      const inWindow = times.filter((time) => time > now - window.windowMillis)
      if (inWindow.length >= window.limit) {
        // the slot frees when the oldest message still counted leaves the window
        const oldest = inWindow[inWindow.length - window.limit]
        wait = Math.max(wait, oldest + window.windowMillis - now)
      }
    }
    if (wait > 0) {
      if (times.length === 0) sent.delete(key)
      else sent.set(key, times)
      return { ok: false, retryAfterMillis: wait }
    }
    times.push(now)
    sent.set(key, times)
    return {
      ok: true,
      release: () => {
        const current = sent.get(key)
        const index = current?.lastIndexOf(now) ?? -1
        if (current === undefined || index < 0) return
        current.splice(index, 1)
        if (current.length === 0) sent.delete(key)
      }
    }
  }

  return { reserve, size: () => sent.size }
}
