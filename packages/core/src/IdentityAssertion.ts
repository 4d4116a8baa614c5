/**
 * Partner identity assertions (合作渠道实名断言): a partner app that has already verified a person or an
 * organisation (a bank wallet such as 银联钱包) signs a short assertion — who, how strongly verified, when,
 * a nonce — with a key the district issued to it; the platform checks it before answering.
 *
 * This is a port of its own rather than a shape of {@link IdentityVerifier}: that port asks a provider
 * "does this name belong to this resident ID number?" and gets an answer back, while an assertion is a
 * signed statement the caller brings along — there is no name to compare, the subject may be a unified
 * social credit code, and the checks (signature, key rotation, freshness, replay) happen locally. Bending
 * `IdentityVerifier` to carry a token would give every one of its adapters a mode they cannot serve.
 * `@gongzhi/identity-partner` implements this port with Ed25519 keys.
 *
 * @since 0.3.0
 */
import { Context, Effect, type Redacted, Schema } from "effect"
import type { StorageError } from "./StorageError.js"

/**
 * How strongly the partner verified the subject: `L1` account and mobile number, `L2` name and resident ID
 * checked against an authority (or the organisation's registration), `L3` L2 plus a biometric or a bank
 * card in the person's name.
 *
 * @since 0.3.0
 * @category models
 */
export const AssuranceLevel = Schema.Literal("L1", "L2", "L3")

/**
 * @since 0.3.0
 * @category models
 */
export type AssuranceLevel = typeof AssuranceLevel.Type

/**
 * Whether `level` is at least `minimum`.
 *
 * @since 0.3.0
 * @category predicates
 */
export const atLeast = (level: AssuranceLevel, minimum: AssuranceLevel): boolean => level >= minimum

/**
 * What a checked assertion establishes. The identifier stays `Redacted` (it is a resident ID number for a
 * person) so that logging the value by mistake shows `<redacted>`.
 *
 * @since 0.3.0
 * @category models
 */
export interface AssertedIdentity {
  readonly partnerId: string
  readonly keyId: string
  /** `residentId` 公民身份号码 (natural person) or `creditCode` 统一社会信用代码 (organisation). */
  readonly subjectType: "residentId" | "creditCode"
  readonly subject: Redacted.Redacted<string>
  readonly level: AssuranceLevel
  readonly issuedAt: Date
  /** A reference for the audit trail and disputes: `<partnerId>:<keyId>:<nonce>` (no personal data). */
  readonly reference: string
}

/**
 * Why an assertion was refused.
 *
 * @since 0.3.0
 * @category errors
 */
export const AssertionRefusal = Schema.Literal(
  "Malformed",
  "UnknownPartner",
  "UnknownKey",
  "KeyRetired",
  "BadSignature",
  "Expired",
  "NotYetValid",
  "Replayed",
  "LevelTooLow"
)

/**
 * @since 0.3.0
 * @category errors
 */
export type AssertionRefusal = typeof AssertionRefusal.Type

const refusalText: Record<AssertionRefusal, readonly [string, string]> = {
  Malformed: ["断言格式不正确", "the assertion is malformed"],
  UnknownPartner: ["签发机构未登记", "the partner is not registered"],
  UnknownKey: ["签名密钥未登记", "the signing key is not registered"],
  KeyRetired: ["签名密钥已停用或不在有效期内", "the signing key is retired or outside its validity"],
  BadSignature: ["签名无效", "the signature does not verify"],
  Expired: ["断言已过期，请在合作应用中重新核验", "the assertion has expired"],
  NotYetValid: ["断言签发时间晚于当前时间", "the assertion is issued in the future"],
  Replayed: ["断言已使用过（防重放）", "the assertion was already used (replay)"],
  LevelTooLow: ["实名核验等级不足", "the verification level is too low"]
}

/**
 * An assertion was refused. The message names the reason, never the subject.
 *
 * @since 0.3.0
 * @category errors
 */
export class IdentityAssertionRefused extends Schema.TaggedError<IdentityAssertionRefused>(
  "@gongzhi/core/IdentityAssertionRefused"
)("IdentityAssertionRefused", { reason: AssertionRefusal }) {
  override get message(): string {
    const [zh, en] = refusalText[this.reason]
    return `实名断言被拒绝：${zh} / identity assertion refused: ${en}`
  }
}

/**
 * @since 0.3.0
 * @category models
 */
export interface IdentityAssertionVerifierShape {
  /**
   * Checks an assertion token; accepts it at most once. Refusals fail with
   * {@link IdentityAssertionRefused}; a replay store that cannot be reached fails with `StorageError`.
   */
  readonly verify: (token: string) => Effect.Effect<AssertedIdentity, IdentityAssertionRefused | StorageError>
}

/**
 * The port.
 *
 * @since 0.3.0
 * @category tags
 * @example
 * import { Effect } from "effect"
 * import { IdentityAssertion } from "@gongzhi/core"
 *
 * const who = (token: string) =>
 *   Effect.flatMap(IdentityAssertion.IdentityAssertionVerifier, (verifier) => verifier.verify(token))
 */
export class IdentityAssertionVerifier extends Context.Tag("@gongzhi/core/IdentityAssertionVerifier")<
  IdentityAssertionVerifier,
  IdentityAssertionVerifierShape
>() {}

/**
 * Verifies with the verifier in context.
 *
 * @since 0.3.0
 * @category accessors
 */
export const verify = (
  token: string
): Effect.Effect<AssertedIdentity, IdentityAssertionRefused | StorageError, IdentityAssertionVerifier> =>
  Effect.flatMap(IdentityAssertionVerifier, (verifier) => verifier.verify(token))
