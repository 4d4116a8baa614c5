/**
 * Real-name verification (实名核验): does this name belong to this resident ID number?
 *
 * `IdentityVerifier` is a port. Production implementations call a real service — a government
 * app's identity interface, a bank or e-wallet real-name check, or a licensed verification
 * provider — over `HttpClient`, with their credentials as `Redacted` config. They build the
 * service with {@link make}, which decodes the request, stamps the time from `Clock` and keeps
 * personal data out of spans and errors. {@link layerTest} is a deterministic implementation for
 * tests and demos with synthetic data.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Either, Layer, ParseResult, Redacted, Ref, Schema } from "effect"
import * as Internal from "./internal/identityVerifier.js"

// ---------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------

/**
 * A person's name as given on the ID card: trimmed, 1–64 characters of letters of any script,
 * with the separators real names use (middle dot `·` as in 阿依古丽·买买提, space, hyphen,
 * apostrophe, period).
 *
 * @since 0.1.0
 * @category models
 */
export const PersonName = Schema.Trim.pipe(
  Schema.minLength(1),
  Schema.maxLength(64),
  Schema.pattern(/^\p{L}[\p{L}\p{M}·・•‧.．'’\- ]*$/u),
  Schema.annotations({ identifier: "PersonName", title: "姓名" })
)

/**
 * A resident ID number as typed (trimmed, `x` upper-cased): 17 digits then a digit or `X`.
 * Only the shape is checked here; the provider decides whether the number exists.
 *
 * @since 0.1.0
 * @category models
 */
export const ResidentIdInput = Schema.compose(Schema.Trim, Schema.Uppercase).pipe(
  Schema.pattern(/^\d{17}[\dX]$/),
  Schema.annotations({ identifier: "ResidentIdInput", title: "公民身份号码" })
)

/**
 * What is checked: a name and a resident ID number.
 *
 * @since 0.1.0
 * @category models
 */
export const IdentityVerificationRequest = Schema.Struct({
  name: PersonName,
  residentId: ResidentIdInput
}).annotations({ identifier: "IdentityVerificationRequest", title: "实名核验请求" })

/**
 * @since 0.1.0
 * @category models
 */
export type IdentityVerificationRequest = typeof IdentityVerificationRequest.Type

/**
 * The answer of the provider:
 *
 * - `Verified` (一致): the name and the ID number belong together.
 * - `Mismatch` (不一致): the ID number exists but under another name.
 * - `NotFound` (无此号码): the provider knows no such ID number.
 *
 * @since 0.1.0
 * @category models
 */
export const IdentityVerificationOutcome = Schema.Literal("Verified", "Mismatch", "NotFound")

/**
 * @since 0.1.0
 * @category models
 */
export type IdentityVerificationOutcome = typeof IdentityVerificationOutcome.Type

/**
 * The result of a real-name check, with the provider's reference (for the audit trail and for
 * disputes) and when it was checked. It carries neither the name nor the ID number.
 *
 * @since 0.1.0
 * @category models
 */
export class IdentityVerification extends Schema.Class<IdentityVerification>("@gongzhi/core/IdentityVerification")({
  outcome: IdentityVerificationOutcome,
  provider: Schema.String,
  reference: Schema.String,
  checkedAt: Schema.DateTimeUtc
}) {
  /** Whether the name and the ID number belong together. */
  get verified(): boolean {
    return this.outcome === "Verified"
  }
}

/**
 * What a provider answers, before {@link make} adds the provider name and the time.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProviderAnswer {
  readonly outcome: IdentityVerificationOutcome
  readonly reference: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface IdentityVerifierShape {
  /** The provider's name, e.g. `"test"` or `"bank-wallet"`. */
  readonly provider: string
  /**
   * Checks a name against a resident ID number. The input is decoded first: a malformed one fails
   * with {@link IdentityRequestError} and never reaches the provider; an outage fails with
   * {@link IdentityVerifierError} (see `retryable`). `Mismatch` and `NotFound` are answers, not
   * errors.
   */
  readonly verify: (request: {
    readonly name: string
    readonly residentId: string | Redacted.Redacted<string>
  }) => Effect.Effect<IdentityVerification, IdentityVerifierError | IdentityRequestError>
}

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * Why the provider could not answer.
 *
 * @since 0.1.0
 * @category errors
 */
export const IdentityVerifierErrorReason = Schema.Literal("Unavailable", "Timeout", "RateLimited", "Misconfigured")

/**
 * @since 0.1.0
 * @category errors
 */
export type IdentityVerifierErrorReason = typeof IdentityVerifierErrorReason.Type

const reasonText: Record<IdentityVerifierErrorReason, readonly [string, string]> = {
  Unavailable: ["暂不可用", "is unavailable"],
  Timeout: ["响应超时", "timed out"],
  RateLimited: ["调用过于频繁", "is rate limiting requests"],
  Misconfigured: ["配置有误（地址或凭据）", "is misconfigured (address or credentials)"]
}

/**
 * The verification provider could not answer (outage, time-out, rate limit, wrong credentials).
 * `retryable` says whether trying again later may help. Adapters must not put the name or the ID
 * number into `cause`.
 *
 * @since 0.1.0
 * @category errors
 */
export class IdentityVerifierError extends Schema.TaggedError<IdentityVerifierError>(
  "@gongzhi/core/IdentityVerifierError"
)("IdentityVerifierError", {
  provider: Schema.String,
  reason: IdentityVerifierErrorReason,
  retryable: Schema.Boolean,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    const [zh, en] = reasonText[this.reason]
    const advice = this.retryable ? "，请稍后重试" : "，请联系系统管理员"
    return `实名核验服务（${this.provider}）${zh}${advice} / identity verification provider ${this.provider} ${en}${this.retryable ? " (retryable)" : ""}`
  }
}

/**
 * A field of a real-name check request.
 *
 * @since 0.1.0
 * @category errors
 */
export const IdentityRequestField = Schema.Literal("name", "residentId", "request")

/**
 * The request to verify is malformed. The message says which field is wrong and how it should
 * look, but never repeats the value given.
 *
 * @since 0.1.0
 * @category errors
 */
export class IdentityRequestError extends Schema.TaggedError<IdentityRequestError>(
  "@gongzhi/core/IdentityRequestError"
)("IdentityRequestError", {
  fields: Schema.NonEmptyArray(IdentityRequestField)
}) {
  override get message(): string {
    return this.fields.map((field) => fieldText[field]).join("；")
  }
}

const fieldText: Record<typeof IdentityRequestField.Type, string> = {
  name: "姓名无效：应为 1–64 个字的姓名（可含间隔号“·”）/ invalid name: 1–64 letters, a middle dot '·' allowed",
  residentId:
    "公民身份号码格式无效：应为 18 位，前 17 位为数字，末位为数字或 X / invalid resident ID number: 17 digits then a digit or X",
  request: "核验请求应包含姓名和公民身份号码 / the request needs a name and a resident ID number"
}

// ---------------------------------------------------------------------------------------------
// tags
// ---------------------------------------------------------------------------------------------

/**
 * The real-name verification port (实名核验).
 *
 * @since 0.1.0
 * @category tags
 * @example
 * import { Effect } from "effect"
 * import { IdentityVerifier } from "@gongzhi/core"
 *
 * const program = IdentityVerifier.verify({ name: "张三", residentId: "11010519491231002X" }).pipe(
 *   Effect.retry({ times: 2, while: (error) => error._tag === "IdentityVerifierError" && error.retryable })
 * )
 *
 * const layer = IdentityVerifier.layerTest({ persons: [{ name: "张三", residentId: "11010519491231002X" }] })
 * Effect.runPromise(Effect.provide(program, layer)) // outcome "Verified"
 */
export class IdentityVerifier extends Context.Tag("@gongzhi/core/IdentityVerifier")<
  IdentityVerifier,
  IdentityVerifierShape
>() {}

// ---------------------------------------------------------------------------------------------
// accessors
// ---------------------------------------------------------------------------------------------

/**
 * Verifies with the `IdentityVerifier` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const verify = (
  request: Parameters<IdentityVerifierShape["verify"]>[0]
): Effect.Effect<IdentityVerification, IdentityVerifierError | IdentityRequestError, IdentityVerifier> =>
  Effect.flatMap(IdentityVerifier, (verifier) => verifier.verify(request))

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

const decodeRequest = Schema.decodeUnknownEither(IdentityVerificationRequest, { errors: "all" })

const requestError = (error: ParseResult.ParseError): IdentityRequestError => {
  const fields = new Set<typeof IdentityRequestField.Type>()
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const head = issue.path[0]
    fields.add(head === "name" || head === "residentId" ? head : "request")
  }
  const [first = "request", ...rest] = Array.from(fields)
  return new IdentityRequestError({ fields: [first, ...rest] })
}

/**
 * Builds an identity verifier from a provider's check. The check receives a decoded request and
 * answers `Verified`, `Mismatch` or `NotFound` with its reference, or fails with
 * {@link IdentityVerifierError}; `make` decodes the input, takes the time from `Clock` and traces
 * the call (with the provider and the outcome only).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  provider: string,
  check: (request: IdentityVerificationRequest) => Effect.Effect<ProviderAnswer, IdentityVerifierError>
): IdentityVerifierShape => ({
  provider,
  verify: (request) =>
    Effect.suspend((): Effect.Effect<IdentityVerification, IdentityVerifierError | IdentityRequestError> => {
      const input =
        typeof request === "object" && request !== null && Redacted.isRedacted(request.residentId)
          ? { name: request.name, residentId: Redacted.value(request.residentId) }
          : request
      return Either.match(decodeRequest(input), {
        onLeft: (error) => Effect.fail(requestError(error)),
        onRight: (decoded) =>
          Effect.flatMap(check(decoded), (answer) =>
            Effect.map(
              DateTime.now,
              (checkedAt) =>
                new IdentityVerification({ outcome: answer.outcome, provider, reference: answer.reference, checkedAt })
            )
          ).pipe(
            Effect.tap((result) => Effect.annotateCurrentSpan("gongzhi.identity.outcome", result.outcome)),
            Effect.withSpan("IdentityVerifier.verify", { attributes: { "gongzhi.identity.provider": provider } })
          )
      })
    })
})

// ---------------------------------------------------------------------------------------------
// testing
// ---------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category testing
 */
export interface TestOptions {
  /** The provider name in results and errors (default `"test"`). */
  readonly provider?: string | undefined
  /** Known persons: `Verified` on an exact match, `Mismatch` when the number is known under another name. */
  readonly persons?: ReadonlyArray<{ readonly name: string; readonly residentId: string }> | undefined
  /** Verify any unknown number whose GB 11643 check digit is right (for synthetic data). */
  readonly acceptAllValidChecksums?: boolean | undefined
  /** Simulate an outage for these numbers, e.g. to test retries. */
  readonly outage?:
    | {
        readonly residentIds: ReadonlyArray<string>
        /** Fail this many calls per number, then answer normally (default: always fail). */
        readonly failures?: number | undefined
        readonly reason?: IdentityVerifierErrorReason | undefined
        readonly retryable?: boolean | undefined
      }
    | undefined
}

/**
 * Builds the deterministic test verifier (see {@link layerTest}).
 *
 * @since 0.1.0
 * @category testing
 */
export const makeTest = (options: TestOptions = {}): Effect.Effect<IdentityVerifierShape> =>
  Effect.gen(function* () {
    const provider = options.provider ?? "test"
    const persons = new Map<string, string>()
    for (const person of options.persons ?? []) {
      persons.set(Internal.normalizeResidentId(person.residentId), Internal.normalizeName(person.name))
    }
    const outage = options.outage
    const outageIds = new Set((outage?.residentIds ?? []).map(Internal.normalizeResidentId))
    const attempts = yield* Ref.make(new Map<string, number>())
    const counter = yield* Ref.make(0)
    const nextReference = Ref.updateAndGet(counter, (n) => n + 1).pipe(
      Effect.map((n) => `${provider}-${String(n).padStart(6, "0")}`)
    )

    const simulateOutage = (residentId: string): Effect.Effect<void, IdentityVerifierError> => {
      if (outage === undefined || !outageIds.has(residentId)) return Effect.void
      return Ref.modify(attempts, (map) => {
        const count = map.get(residentId) ?? 0
        return [count, new Map(map).set(residentId, count + 1)] as const
      }).pipe(
        Effect.flatMap((count) =>
          outage.failures === undefined || count < outage.failures
            ? Effect.fail(
                new IdentityVerifierError({
                  provider,
                  reason: outage.reason ?? "Unavailable",
                  retryable: outage.retryable ?? true
                })
              )
            : Effect.void
        )
      )
    }

    const answer = (request: IdentityVerificationRequest): IdentityVerificationOutcome => {
      const known = persons.get(request.residentId)
      if (known !== undefined) return known === request.name ? "Verified" : "Mismatch"
      if (options.acceptAllValidChecksums === true && Internal.hasValidCheckDigit(request.residentId)) {
        return "Verified"
      }
      return "NotFound"
    }

    return make(provider, (request) =>
      Effect.zipRight(
        simulateOutage(request.residentId),
        Effect.map(nextReference, (reference) => ({ outcome: answer(request), reference }))
      )
    )
  })

/**
 * A deterministic identity verifier for tests and demos, never for production:
 *
 * - a registry of known persons: `Verified` on an exact name match, `Mismatch` when the number is
 *   known under another name, `NotFound` otherwise;
 * - `acceptAllValidChecksums`: any other number with a correct GB 11643 check digit is `Verified`;
 * - `outage`: fail for given numbers (always, or the first `failures` calls) to test retries.
 *
 * References are `test-000001`, `test-000002`, … in call order.
 *
 * @since 0.1.0
 * @category testing
 */
export const layerTest = (options: TestOptions = {}): Layer.Layer<IdentityVerifier> =>
  Layer.effect(IdentityVerifier, makeTest(options))
