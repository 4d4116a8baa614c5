/**
 * Time-ordered identifiers (UUIDv7, RFC 9562): 48-bit epoch milliseconds, then a counter that keeps
 * ids made in the same millisecond in order, then random bits. Sorting the strings sorts by creation
 * time within one process, so they make good primary keys (new rows land at the end of the index).
 *
 * The one implementation every Gongzhi package uses: take the time from Effect's `Clock` with
 * {@link make}, or pass it to {@link uuidV7}.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import { Clock, Effect } from "effect"

let lastMillis = 0
let counter = 0

/**
 * A UUIDv7 for the time `now` (epoch milliseconds; default: the system time). Ids made in one
 * process never repeat and sort in the order they were made, even within one millisecond or when
 * the clock steps back.
 *
 * @since 0.1.0
 * @category constructors
 */
export const uuidV7 = (now: number = Date.now()): string => {
  if (now <= lastMillis) {
    counter++
    if (counter > 0xfff) {
      lastMillis++
      counter = 0
    }
    now = lastMillis
  } else {
    lastMillis = now
    counter = 0
  }
  const bytes = randomBytes(16)
  const ms = BigInt(now)
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn)
  bytes[6] = 0x70 | ((counter >> 8) & 0x0f)
  bytes[7] = counter & 0xff
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = bytes.toString("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * A UUIDv7 stamped with the time of Effect's `Clock` (so `TestClock` controls it in tests).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<string> = Effect.map(Clock.currentTimeMillis, uuidV7)
