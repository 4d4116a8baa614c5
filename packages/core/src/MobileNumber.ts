/**
 * Mainland China mobile numbers (手机号码): 11 digits matching `1[3-9]\d{9}`. Input may carry a
 * `+86`, `0086` or `86` country prefix, spaces and hyphens; they are removed.
 *
 * Personal information: never log a number and show it masked (`Mask.mobile`). Error messages of
 * this module never contain the number.
 *
 * @since 0.1.0
 */
import type { Brand, Effect, FastCheck } from "effect"
import { Either, ParseResult, Schema } from "effect"
import * as internal from "./internal/identifiers.js"

/**
 * What went wrong: `InvalidCharacter` (a non-digit after normalisation), `InvalidLength` (not 11
 * digits), `InvalidPrefix` (does not start with 13–19).
 *
 * @since 0.1.0
 * @category errors
 */
export const MobileNumberErrorKind = Schema.Literal("InvalidCharacter", "InvalidLength", "InvalidPrefix")

/**
 * @since 0.1.0
 * @category errors
 */
export type MobileNumberErrorKind = typeof MobileNumberErrorKind.Type

/**
 * A string that is not a mainland mobile number. The message never contains the number.
 *
 * @since 0.1.0
 * @category errors
 */
export class MobileNumberError extends Schema.TaggedError<MobileNumberError>("@gongzhi/core/MobileNumberError")(
  "MobileNumberError",
  {
    kind: MobileNumberErrorKind,
    position: Schema.optional(Schema.Number),
    message: Schema.String
  }
) {}

const BrandId = "@gongzhi/core/MobileNumber"

/**
 * A normalised mainland mobile number: 11 digits, no prefix or separators.
 *
 * @since 0.1.0
 * @category models
 */
export type MobileNumber = string & Brand.Brand<typeof BrandId>

const arbitrary =
  () =>
  (fc: typeof FastCheck): FastCheck.Arbitrary<MobileNumber> =>
    fc
      .tuple(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 999_999_999 }))
      .map(([second, rest]) => `1${second}${String(rest).padStart(9, "0")}` as MobileNumber)

/**
 * A normalised, valid mobile number (the type side: no normalisation when decoding).
 *
 * @since 0.1.0
 * @category models
 */
export const MobileNumberFromSelf = Schema.String.pipe(
  Schema.filter((n) => internal.isMobileValid(n) || (internal.diagnoseMobile(n)?.message ?? true)),
  Schema.brand(BrandId, {
    identifier: "MobileNumber",
    title: "手机号码",
    description: "mainland China mobile number, 11 digits",
    arbitrary
  })
)

/**
 * Removes whitespace, hyphens and a `+86` / `0086` / `86` prefix (idempotent; does not validate).
 *
 * @since 0.1.0
 * @category combinators
 */
export const normalize = (input: string): string => internal.normaliseMobile(input)

/**
 * Schema from any usual spelling (`"+86 138-1234-5678"`) to a normalised, valid number.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Schema } from "effect"
 * import { MobileNumber } from "@gongzhi/core"
 *
 * const phone = Schema.decodeUnknownSync(MobileNumber.MobileNumber)("+86 138-1234-5678") // "13812345678"
 */
export const MobileNumber = Schema.transformOrFail(
  Schema.String.annotations({
    description: "手机号码，11 位；可带 +86 前缀、空格或连字符 / mainland mobile number, 11 digits"
  }),
  MobileNumberFromSelf,
  {
    strict: true,
    decode: (input) => ParseResult.succeed(internal.normaliseMobile(input)),
    encode: ParseResult.succeed
  }
)

/**
 * Normalises and validates a number.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = (input: string): Effect.Effect<MobileNumber, MobileNumberError> => {
  const number = internal.normaliseMobile(input)
  if (internal.isMobileValid(number)) return Either.right(number as MobileNumber)
  const failure = internal.diagnoseMobile(number)
  return failure === undefined
    ? Either.right(number as MobileNumber)
    : Either.left(new MobileNumberError(failure, true))
}

/**
 * A valid synthetic number drawn with `random` (values in [0, 1)); deterministic for a seeded
 * `random`. For test and demo data only.
 *
 * @since 0.1.0
 * @category testing
 */
export const generate = (random: () => number): MobileNumber => {
  const digit = (n: number) => Math.max(0, Math.min(n - 1, Math.floor(random() * n)))
  let number = `1${3 + digit(7)}`
  for (let i = 0; i < 9; i++) number += digit(10)
  return number as MobileNumber
}
