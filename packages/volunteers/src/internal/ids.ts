import { randomBytes, randomInt } from "node:crypto"
import { Clock, Effect } from "effect"

let lastMillis = 0
let counter = 0

/**
 * A time-ordered identifier in the UUIDv7 layout (RFC 9562): 48-bit milliseconds, a counter that
 * keeps ids of the same millisecond in order, then random bits.
 */
export const uuidV7 = (now: number): string => {
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

/** A new id, time-ordered by the `Clock` in context. */
export const newId: Effect.Effect<string> = Effect.map(Clock.currentTimeMillis, uuidV7)

/** A uniformly random one-time code of `digits` decimal digits (cryptographic randomness). */
export const oneTimeCode = (digits: number): Effect.Effect<string> =>
  Effect.sync(() => String(randomInt(0, 10 ** digits)).padStart(digits, "0"))
