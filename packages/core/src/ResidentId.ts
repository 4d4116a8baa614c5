/**
 * Resident ID number (公民身份号码, GB 11643-1999): six-digit address code (地址码), eight-digit birth
 * date (出生日期码), three-digit sequence (顺序码, odd for men, even for women) and a mod-11 check
 * character (`0`–`9` or `X`).
 *
 * This is sensitive personal information: never log it, never put it in an error message, and
 * show it only masked (`Mask.residentId`). Error messages of this module mention at most one
 * character of the number, or its birth date.
 *
 * @since 0.1.0
 */
import type { Brand, Effect, FastCheck } from "effect"
import { Either, Option, ParseResult, Schema } from "effect"
import * as internal from "./internal/identifiers.js"
import type { TenantId } from "./Tenant.js"

/**
 * What went wrong, in the order the rules are checked: `InvalidLength` (not 18 characters, or not
 * 15 for a legacy number), `InvalidCharacter` (a non-digit, or a check character other than
 * `0`–`9`/`X`), `InvalidBirthDate` (positions 7–14 are not a real date), `BirthDateInFuture`,
 * `ChecksumMismatch` (the check character at position 18).
 *
 * @since 0.1.0
 * @category errors
 */
export const ResidentIdErrorKind = Schema.Literal(
  "InvalidLength",
  "InvalidCharacter",
  "InvalidBirthDate",
  "BirthDateInFuture",
  "ChecksumMismatch"
)

/**
 * @since 0.1.0
 * @category errors
 */
export type ResidentIdErrorKind = typeof ResidentIdErrorKind.Type

/**
 * A resident ID number that breaks a rule of GB 11643-1999. The message never contains the number.
 *
 * @since 0.1.0
 * @category errors
 */
export class ResidentIdError extends Schema.TaggedError<ResidentIdError>("@gongzhi/core/ResidentIdError")(
  "ResidentIdError",
  {
    kind: ResidentIdErrorKind,
    position: Schema.optional(Schema.Number),
    expected: Schema.optional(Schema.String),
    message: Schema.String
  }
) {}

/**
 * Validation options. `today` is the day against which a birth date counts as "in the future"
 * (its calendar day in China, UTC+8, is used); by default the system clock. Pass it in tests.
 *
 * @since 0.1.0
 * @category models
 */
export interface ValidateOptions {
  readonly today?: Date | undefined
}

const BrandId = "@gongzhi/core/ResidentId"

/**
 * A normalised, valid resident ID number (18 characters, upper-case `X`).
 *
 * @since 0.1.0
 * @category models
 */
export type ResidentId = string & Brand.Brand<typeof BrandId>

/** The yyyymmdd "today" of the options, or of the system clock when none is given. */
const todayOf = (options: ValidateOptions | undefined): number =>
  options?.today === undefined ? internal.chinaToday() : internal.chinaDay(options.today.getTime())

const DAY_MS = 24 * 60 * 60 * 1000
const epochDay = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / DAY_MS

/** Builds a number from its parts (address code and sequence given as digits). */
const assemble = (addressCode: string, epochDayOfBirth: number, sequence: number): ResidentId => {
  const birth = new Date(epochDayOfBirth * DAY_MS)
  const ymd = birth.getUTCFullYear() * 10000 + (birth.getUTCMonth() + 1) * 100 + birth.getUTCDate()
  const first17 = addressCode + String(ymd).padStart(8, "0") + String(sequence).padStart(3, "0")
  return (first17 + internal.residentIdCheckCharacter(first17)!) as ResidentId
}

const arbitrary =
  () =>
  (fc: typeof FastCheck): FastCheck.Arbitrary<ResidentId> =>
    fc
      .tuple(
        fc.integer({ min: 100000, max: 999999 }),
        fc.integer({ min: epochDay(1900, 1, 1), max: epochDay(2010, 12, 31) }),
        fc.integer({ min: 0, max: 999 })
      )
      .map(([address, day, sequence]) => assemble(String(address), day, sequence))

const makeTypeSchema = (options: ValidateOptions | undefined) =>
  Schema.String.pipe(
    Schema.filter((id) => {
      const today = todayOf(options)
      return internal.isResidentIdValid(id, today) || (internal.diagnoseResidentId(id, today)?.message ?? true)
    }),
    Schema.brand(BrandId, {
      identifier: "ResidentId",
      title: "公民身份号码",
      description: "18-character resident ID number (GB 11643-1999), normalised",
      arbitrary
    })
  )

/**
 * A normalised, valid resident ID number (the type side: no normalisation when decoding).
 *
 * @since 0.1.0
 * @category models
 */
export const ResidentIdFromSelf = makeTypeSchema(undefined)

/**
 * Removes whitespace and upper-cases a trailing `x` (idempotent; does not validate).
 *
 * @since 0.1.0
 * @category combinators
 */
export const normalize = (input: string): string => internal.normaliseResidentId(input)

const Encoded = Schema.String.annotations({
  description: "公民身份号码，18 位；末位 X 可小写 / resident ID number, 18 characters"
})

const makeTransformation = (typeSchema: typeof ResidentIdFromSelf) =>
  Schema.transformOrFail(Encoded, typeSchema, {
    strict: true,
    decode: (input) => ParseResult.succeed(internal.normaliseResidentId(input)),
    encode: ParseResult.succeed
  })

/**
 * Schema from any spelling (`"11010519491231002x"`, inner spaces) to a normalised, valid number.
 * Birth dates are checked against the system clock; use {@link makeSchema} to fix "today".
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Schema } from "effect"
 * import { ResidentId } from "@gongzhi/core"
 *
 * const id = Schema.decodeUnknownSync(ResidentId.ResidentId)("11010519491231002x") // "11010519491231002X"
 */
export const ResidentId = makeTransformation(ResidentIdFromSelf)

/**
 * A {@link ResidentId} schema that judges birth dates against a fixed `today`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeSchema = (options?: ValidateOptions) =>
  makeTransformation(options?.today === undefined ? ResidentIdFromSelf : makeTypeSchema(options))

const fail = (failure: internal.Failure<ResidentIdErrorKind>) => Either.left(new ResidentIdError(failure, true))

const check = (input: string, options: ValidateOptions | undefined): Either.Either<ResidentId, ResidentIdError> => {
  const id = internal.normaliseResidentId(input)
  const today = todayOf(options)
  if (internal.isResidentIdValid(id, today)) return Either.right(id as ResidentId)
  const failure = internal.diagnoseResidentId(id, today)
  return failure === undefined ? Either.right(id as ResidentId) : fail(failure)
}

/**
 * Normalises and validates a number; fails with the first broken rule.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { ResidentId } from "@gongzhi/core"
 *
 * const sex = ResidentId.validate("11010519491231002X").pipe(Effect.map(ResidentId.sex)) // "female"
 */
export const validate = (input: string, options?: ValidateOptions): Effect.Effect<ResidentId, ResidentIdError> =>
  check(input, options)

/**
 * Converts a legacy 15-digit number (issued before 1999) to 18 digits: "19" is inserted before the
 * six-digit birth date and the check character is computed; the result is then validated.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromLegacy15 = (input: string, options?: ValidateOptions): Effect.Effect<ResidentId, ResidentIdError> => {
  const legacy = input.replace(/\s+/g, "")
  const failure = internal.diagnoseLegacy15(legacy)
  if (failure !== undefined) return fail(failure)
  const first17 = `${legacy.slice(0, 6)}19${legacy.slice(6)}`
  return check(first17 + internal.residentIdCheckCharacter(first17)!, options)
}

/**
 * The birth date (positions 7–14) as `YYYY-MM-DD`. Never show it in list views.
 *
 * @since 0.1.0
 * @category accessors
 */
export const birthDate = (id: ResidentId): string => `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`

/**
 * Sex from the parity of position 17: odd is male, even is female.
 *
 * @since 0.1.0
 * @category accessors
 */
export const sex = (id: ResidentId): "male" | "female" => ((id.charCodeAt(16) - 48) % 2 === 1 ? "male" : "female")

/**
 * The address code (positions 1–6): the GB/T 2260 division where the number was first issued; it
 * may have been retired since.
 *
 * @since 0.1.0
 * @category accessors
 */
export const addressCode = (id: ResidentId): string => id.slice(0, 6)

/**
 * The mod-11 check character (`0`–`9` or `X`) for the first 17 digits; `None` unless the input is
 * exactly 17 ASCII digits.
 *
 * @since 0.1.0
 * @category constructors
 */
export const computeCheckCharacter = (first17: string): Option.Option<string> =>
  Option.fromNullable(internal.residentIdCheckCharacter(first17))

/**
 * Options of {@link generate}.
 *
 * @since 0.1.0
 * @category testing
 */
export interface GenerateOptions {
  /** Address code; random six digits not starting with 0 when absent. */
  readonly addressCode?: TenantId | undefined
  /** Birth years, inclusive; default 1900–2010 (at least 1000). Dates after today are never drawn. */
  readonly minBirthYear?: number | undefined
  readonly maxBirthYear?: number | undefined
  /** Fixes the sex (parity of position 17); random when absent. */
  readonly sex?: "male" | "female" | undefined
}

const pick = (random: () => number, n: number): number => Math.max(0, Math.min(n - 1, Math.floor(random() * n)))

/**
 * A valid synthetic number drawn with `random` (values in [0, 1)); deterministic for a seeded
 * `random` (as long as the birth-year range lies in the past). For test and demo data only.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * import { ResidentId } from "@gongzhi/core"
 *
 * let seed = 42
 * const random = () => {
 *   seed = (seed * 16807) % 2147483647
 *   return (seed - 1) / 2147483646
 * }
 * const ids = Array.from({ length: 150 }, () => ResidentId.generate(random))
 */
export const generate = (random: () => number, options?: GenerateOptions): ResidentId => {
  const address = options?.addressCode ?? String(100000 + pick(random, 900000))
  const minYear = Math.max(1000, Math.trunc(options?.minBirthYear ?? 1900))
  const maxYear = Math.max(minYear, Math.trunc(options?.maxBirthYear ?? 2010))
  const first = epochDay(minYear, 1, 1)
  const today = internal.chinaToday()
  const last = Math.max(
    first,
    Math.min(epochDay(maxYear, 12, 31), epochDay(Math.floor(today / 10000), Math.floor(today / 100) % 100, today % 100))
  )
  const day = first + pick(random, last - first + 1)
  let sequence = pick(random, 1000)
  if (options?.sex !== undefined && (sequence % 2 === 1) !== (options.sex === "male")) {
    sequence = sequence === 999 ? 998 : sequence + 1
  }
  return assemble(address, day, sequence)
}
