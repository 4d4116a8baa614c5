/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015 with Amendment No. 1): the 18-character
 * identifier of every legal person and other organisation in mainland China.
 *
 * Layout: position 1 registration authority (登记管理部门), 2 category (机构类别), 3–8 division code of
 * the registering authority (登记管理机关行政区划码), 9–17 organisation code (组织机构代码, GB 11714-1997,
 * with its own check character at 17), 18 mod-31 check character.
 *
 * @since 0.1.0
 */
import type { Brand, Effect, FastCheck } from "effect"
import { Either, Option, ParseResult, Schema } from "effect"
import * as internal from "./internal/identifiers.js"
import type { TenantId } from "./Tenant.js"

/**
 * The 31 characters a code may contain, in value order (no I, O, Z, S, V).
 *
 * @since 0.1.0
 * @category models
 */
export const alphabet: string = internal.USCC_ALPHABET

/**
 * Allowed categories (position 2) for each registration authority (position 1), e.g. `"9": "123"`.
 *
 * @since 0.1.0
 * @category models
 */
export const authorityCategories: Readonly<Record<string, string>> = internal.USCC_AUTHORITY_CATEGORIES

const allowedPairs: ReadonlyArray<string> = Object.entries(authorityCategories).flatMap(([authority, categories]) =>
  categories.split("").map((category) => authority + category)
)

/**
 * What went wrong, in the order the rules are checked: `InvalidLength` (not 18 characters),
 * `InvalidCharacter` (outside the alphabet), `InvalidDivisionCode` (positions 3–8 not digits),
 * `InvalidAuthorityCategory` (positions 1–2 not an allowed pair), `OrganizationCodeMismatch`
 * (GB 11714 check of positions 9–17), `ChecksumMismatch` (mod-31 check character at 18).
 *
 * @since 0.1.0
 * @category errors
 */
export const SocialCreditCodeErrorKind = Schema.Literal(
  "InvalidLength",
  "InvalidCharacter",
  "InvalidDivisionCode",
  "InvalidAuthorityCategory",
  "OrganizationCodeMismatch",
  "ChecksumMismatch"
)

/**
 * @since 0.1.0
 * @category errors
 */
export type SocialCreditCodeErrorKind = typeof SocialCreditCodeErrorKind.Type

/**
 * A code that breaks a rule of GB 32100-2015. `position` is 1-based in the normalised code;
 * `expected` is the correct check character (or the allowed values) where there is one.
 *
 * @since 0.1.0
 * @category errors
 */
export class SocialCreditCodeError extends Schema.TaggedError<SocialCreditCodeError>(
  "@gongzhi/core/SocialCreditCodeError"
)("SocialCreditCodeError", {
  kind: SocialCreditCodeErrorKind,
  position: Schema.optional(Schema.Number),
  expected: Schema.optional(Schema.String),
  message: Schema.String
}) {}

/**
 * Which codes to accept beyond the strict rules.
 *
 * - `lenient`: accept codes whose mod-31 check character is wrong (issued in early pilot regions);
 *   every other rule, including the organisation-code check, still applies.
 * - `allowList`: individual codes (any spelling; they are normalised) accepted even when either
 *   check character is wrong; shape, alphabet and authority/category rules still apply.
 *
 * @since 0.1.0
 * @category models
 */
export interface ValidateOptions {
  readonly lenient?: boolean | undefined
  readonly allowList?: Iterable<string> | undefined
}

const toPolicy = (options: ValidateOptions | undefined): internal.UsccPolicy => {
  if (options === undefined || (options.lenient !== true && options.allowList === undefined)) {
    return internal.strictPolicy
  }
  return {
    lenient: options.lenient === true,
    allowList:
      options.allowList === undefined ? undefined : new Set(Array.from(options.allowList, internal.normaliseCode))
  }
}

const BrandId = "@gongzhi/core/SocialCreditCode"

/**
 * A normalised, valid unified social credit code.
 *
 * @since 0.1.0
 * @category models
 */
export type SocialCreditCode = string & Brand.Brand<typeof BrandId>

const arbitrary =
  () =>
  (fc: typeof FastCheck): FastCheck.Arbitrary<SocialCreditCode> =>
    fc
      .tuple(
        fc.constantFrom(...allowedPairs),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: alphabet.length - 1 }), { minLength: 8, maxLength: 8 })
      )
      .map(([pair, division, organisation]) =>
        complete(pair + division.join("") + organisation.map((v) => alphabet[v]).join(""))
      )

/** Appends both check characters to 16 characters known to be of the alphabet. */
const complete = (first16: string): SocialCreditCode => {
  const first17 = first16 + internal.organisationCheckCharacter(first16.slice(8))!
  return (first17 + internal.usccCheckCharacter(first17)!) as SocialCreditCode
}

const makeTypeSchema = (policy: internal.UsccPolicy) =>
  Schema.String.pipe(
    Schema.filter((code) => internal.checkUscc(code, policy)?.message ?? true),
    Schema.brand(BrandId, {
      identifier: policy === internal.strictPolicy ? "SocialCreditCode" : "SocialCreditCodeLenient",
      title: "统一社会信用代码",
      description: "18-character unified social credit code (GB 32100-2015), normalised",
      arbitrary
    })
  )

/**
 * A normalised, valid unified social credit code (the type side: no normalisation when decoding).
 *
 * @since 0.1.0
 * @category models
 */
export const SocialCreditCodeFromSelf = makeTypeSchema(internal.strictPolicy)

/**
 * Trim, upper-case, and drop spaces and hyphens (idempotent; does not validate).
 *
 * @since 0.1.0
 * @category combinators
 */
export const normalize = (input: string): string => internal.normaliseCode(input)

const decodeNormalised = (input: string) => ParseResult.succeed(internal.normaliseCode(input))

const Encoded = Schema.String.annotations({
  description: "统一社会信用代码，18 位；可含空格、连字符或小写字母 / unified social credit code, 18 characters"
})

const makeTransformation = (typeSchema: ReturnType<typeof makeTypeSchema>) =>
  Schema.transformOrFail(Encoded, typeSchema, {
    strict: true,
    decode: decodeNormalised,
    encode: ParseResult.succeed
  })

/**
 * Builds a code schema under a policy (see {@link ValidateOptions}); decoding normalises first.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Schema } from "effect"
 * import { SocialCreditCode } from "@gongzhi/core"
 *
 * const PilotAware = SocialCreditCode.makeSchema({ allowList: ["91350100M000100Y40"] })
 * Schema.decodeUnknownSync(PilotAware)("91350100M000100Y40")
 */
export const makeSchema = (options?: ValidateOptions) => {
  const policy = toPolicy(options)
  return makeTransformation(policy === internal.strictPolicy ? SocialCreditCodeFromSelf : makeTypeSchema(policy))
}

/**
 * Strict schema from any spelling (`" 91350100-m000100y43 "`) to a normalised, valid code.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Schema } from "effect"
 * import { SocialCreditCode } from "@gongzhi/core"
 *
 * const code = Schema.decodeUnknownSync(SocialCreditCode.SocialCreditCode)("91350100M000100Y43")
 */
export const SocialCreditCode = makeTransformation(SocialCreditCodeFromSelf)

/**
 * Like {@link SocialCreditCode}, but accepts pilot-era codes whose mod-31 check character is wrong.
 *
 * @since 0.1.0
 * @category models
 */
export const SocialCreditCodeLenient = makeSchema({ lenient: true })

const check = (
  input: string,
  options: ValidateOptions | undefined
): Either.Either<SocialCreditCode, SocialCreditCodeError> => {
  const code = internal.normaliseCode(input)
  const failure = internal.checkUscc(code, toPolicy(options))
  return failure === undefined
    ? Either.right(code as SocialCreditCode)
    : Either.left(new SocialCreditCodeError(failure, true))
}

/**
 * Normalises and validates a code; fails with the first broken rule.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { SocialCreditCode } from "@gongzhi/core"
 *
 * const program = SocialCreditCode.validate("91350100m000100y43").pipe(
 *   Effect.catchTag("SocialCreditCodeError", (e) =>
 *     e.kind === "ChecksumMismatch" ? Effect.succeed(null) : Effect.fail(e)
 *   )
 * )
 */
export const validate = (
  input: string,
  options?: ValidateOptions
): Effect.Effect<SocialCreditCode, SocialCreditCodeError> => check(input, options)

/**
 * The parts of a code.
 *
 * @since 0.1.0
 * @category models
 */
export interface SocialCreditCodeParts {
  readonly code: SocialCreditCode
  /** Position 1: registration authority (登记管理部门代码). */
  readonly registrationAuthority: string
  /** Position 2: category of organisation (机构类别代码). */
  readonly category: string
  /** Positions 3–8: division code of the registering authority (not necessarily the organisation's location). */
  readonly divisionCode: string
  /** Positions 9–17: organisation code (组织机构代码, GB 11714) including its check character. */
  readonly organizationCode: string
  /** Position 18: the mod-31 check character. */
  readonly checkCharacter: string
}

/**
 * Splits a validated code into its parts.
 *
 * @since 0.1.0
 * @category accessors
 */
export const parts = (code: SocialCreditCode): SocialCreditCodeParts => ({
  code,
  registrationAuthority: code.slice(0, 1),
  category: code.slice(1, 2),
  divisionCode: code.slice(2, 8),
  organizationCode: code.slice(8, 17),
  checkCharacter: code.slice(17, 18)
})

/**
 * Validates (see {@link validate}) and splits the code into its parts.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { SocialCreditCode } from "@gongzhi/core"
 *
 * const divisionCode = SocialCreditCode.parse("91350100M000100Y43").pipe(Effect.map((p) => p.divisionCode))
 */
export const parse = (
  input: string,
  options?: ValidateOptions
): Effect.Effect<SocialCreditCodeParts, SocialCreditCodeError> => Either.map(check(input, options), parts)

/**
 * The mod-31 check character (position 18) for the first 17 characters; `None` unless they are
 * exactly 17 characters of {@link alphabet}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const computeCheckCharacter = (first17: string): Option.Option<string> =>
  Option.fromNullable(internal.usccCheckCharacter(first17))

/**
 * The GB 11714 check character (position 17) for the 8 organisation-code characters at positions
 * 9–16; `None` unless they are exactly 8 characters of {@link alphabet}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const computeOrganizationCheckCharacter = (first8: string): Option.Option<string> =>
  Option.fromNullable(internal.organisationCheckCharacter(first8))

/**
 * Options of {@link generate}.
 *
 * @since 0.1.0
 * @category testing
 */
export interface GenerateOptions {
  /** Positions 3–8; random (first digit 1–9) when absent. */
  readonly divisionCode?: TenantId | undefined
}

const pick = (random: () => number, n: number): number => Math.min(n - 1, Math.floor(random() * n))

/**
 * A valid synthetic code drawn with `random` (values in [0, 1)); deterministic for a seeded `random`.
 *
 * @since 0.1.0
 * @category testing
 */
export const generate = (random: () => number, options?: GenerateOptions): SocialCreditCode => {
  let code = allowedPairs[pick(random, allowedPairs.length)]
  if (options?.divisionCode !== undefined) {
    code += options.divisionCode
  } else {
    code += String(1 + pick(random, 9))
    for (let i = 0; i < 5; i++) code += String(pick(random, 10))
  }
  for (let i = 0; i < 8; i++) code += alphabet[pick(random, alphabet.length)]
  return complete(code)
}
