import { randomInt } from "node:crypto"
import * as Uuid from "@gongzhi/core/Uuid"
import { Effect } from "effect"

/** A new id, time-ordered (UUIDv7, core's one implementation) by the `Clock` in context. */
export const newId: Effect.Effect<string> = Uuid.make

/** A uniformly random one-time code of `digits` decimal digits (cryptographic randomness). */
export const oneTimeCode = (digits: number): Effect.Effect<string> =>
  Effect.sync(() => String(randomInt(0, 10 ** digits)).padStart(digits, "0"))
