/**
 * The partner-channel verifier (合作渠道实名核验): core's `IdentityAssertionVerifier` port over Ed25519
 * assertions signed by partner apps with keys the district issued. It checks, in order: the format, the
 * partner, the key id, the signature, the key's validity (rotation: several keys per partner, each with a
 * window; a retired key is refused), freshness (issued within `freshnessSeconds` before now, at most
 * `maxSkewSeconds` ahead; the clock is effect's `Clock`), the assurance level, and the nonce (accepted
 * once, `NonceStore`). Every acceptance and every refusal is written to core's `AuditLog` (partner, key,
 * reason — never the subject).
 *
 * @since 0.3.0
 */
import type * as Crypto from "node:crypto"
import { AuditLog } from "@gongzhi/core/AuditLog"
import {
  type AssertedIdentity,
  type AssertionRefusal,
  type AssuranceLevel,
  atLeast,
  IdentityAssertionRefused,
  IdentityAssertionVerifier,
  type IdentityAssertionVerifierShape
} from "@gongzhi/core/IdentityAssertion"
import { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Clock, Effect, Layer, Redacted, Schema } from "effect"
import { NonceStore } from "./NonceStore.js"
import * as PartnerAssertion from "./PartnerAssertion.js"

/**
 * A key the district issued to a partner: its id, the public key (raw 32 bytes, base64url) and its
 * validity. Rotation: add the new key with its `validFrom`, give the old one a `validUntil` (or mark it
 * `retired` at once when it leaked).
 *
 * @since 0.3.0
 * @category models
 */
export interface PartnerKey {
  readonly keyId: string
  readonly publicKey: string
  readonly validFrom: Date
  readonly validUntil?: Date | undefined
  readonly retired?: boolean | undefined
}

/**
 * A partner app (合作渠道) and its keys.
 *
 * @since 0.3.0
 * @category models
 */
export interface Partner {
  readonly partnerId: string
  readonly name: string
  readonly keys: ReadonlyArray<PartnerKey>
}

/**
 * @since 0.3.0
 * @category models
 */
export interface PartnerVerifierOptions {
  /** The district whose audit log records the checks. */
  readonly tenantId: TenantId
  readonly partners: ReadonlyArray<Partner>
  /** How long an assertion stays fresh after it was issued (default 300 s). */
  readonly freshnessSeconds?: number | undefined
  /** How far ahead of our clock an assertion may be issued (partner clock skew, default 30 s). */
  readonly maxSkewSeconds?: number | undefined
  /** The lowest assurance level accepted (default `L2`). */
  readonly minimumLevel?: AssuranceLevel | undefined
}

/**
 * The partner configuration does not hold together (a key that is not an Ed25519 public key, a key id
 * used twice, a partner id that is not valid).
 *
 * @since 0.3.0
 * @category errors
 */
export class PartnerConfigError extends Schema.TaggedError<PartnerConfigError>(
  "@gongzhi/identity-partner/PartnerConfigError"
)("PartnerConfigError", { partnerId: Schema.String, problem: Schema.String }) {
  override get message(): string {
    return `合作渠道「${this.partnerId}」配置有误：${this.problem} / partner ${this.partnerId} is misconfigured`
  }
}

interface ResolvedKey extends PartnerKey {
  readonly key: Crypto.KeyObject
}

const resolve = (
  partners: ReadonlyArray<Partner>
): Effect.Effect<ReadonlyMap<string, ReadonlyMap<string, ResolvedKey>>, PartnerConfigError> =>
  Effect.suspend(() => {
    const out = new Map<string, Map<string, ResolvedKey>>()
    for (const partner of partners) {
      const fail = (problem: string) => Effect.fail(new PartnerConfigError({ partnerId: partner.partnerId, problem }))
      if (!Schema.is(PartnerAssertion.PartnerId)(partner.partnerId)) return fail("渠道编号格式无效")
      if (out.has(partner.partnerId)) return fail("渠道编号重复")
      const keys = new Map<string, ResolvedKey>()
      for (const k of partner.keys) {
        if (!Schema.is(PartnerAssertion.KeyId)(k.keyId)) return fail("密钥编号格式无效")
        if (keys.has(k.keyId)) return fail(`密钥编号「${k.keyId}」重复`)
        const key = PartnerAssertion.importPublicKey(k.publicKey)
        if (key === undefined) return fail(`密钥「${k.keyId}」不是 Ed25519 公钥（32 字节，base64url）`)
        keys.set(k.keyId, { ...k, key })
      }
      out.set(partner.partnerId, keys)
    }
    return Effect.succeed(out)
  })

/**
 * Builds the verifier. Needs a `NonceStore` and core's `AuditLog`.
 *
 * @since 0.3.0
 * @category constructors
 * @example
 * import { Effect, Layer } from "effect"
 * import { AuditLog, IdentityAssertion, TenantId } from "@gongzhi/core"
 * import { NonceStore, PartnerVerifier } from "@gongzhi/identity-partner"
 *
 * const layer = PartnerVerifier.layer({
 *   tenantId: TenantId.make("440310"),
 *   partners: [{ partnerId: "unionpay-wallet", name: "银联钱包", keys: [
 *     { keyId: "2026-12", publicKey: "<32 bytes base64url>", validFrom: new Date("2026-12-01T00:00:00Z") }
 *   ] }]
 * }).pipe(Layer.provide(Layer.merge(NonceStore.layerMemory, AuditLog.layerMemory)))
 * const who = (token: string) => IdentityAssertion.verify(token).pipe(Effect.provide(layer))
 */
export const make = (
  options: PartnerVerifierOptions
): Effect.Effect<IdentityAssertionVerifierShape, PartnerConfigError, NonceStore | AuditLog> =>
  Effect.gen(function* () {
    const partners = yield* resolve(options.partners)
    const nonces = yield* NonceStore
    const auditLog = yield* AuditLog
    const freshnessMs = (options.freshnessSeconds ?? 300) * 1000
    const skewMs = (options.maxSkewSeconds ?? 30) * 1000
    const minimumLevel = options.minimumLevel ?? "L2"

    const audit = (
      partnerId: string,
      keyId: string,
      action: "accepted" | "refused",
      details: Record<string, unknown>
    ): Effect.Effect<void, StorageError> =>
      auditLog
        .append({
          tenantId: options.tenantId,
          actorKind: "Partner",
          actorId: partnerId,
          action: `identity.assertion.${action}`,
          targetType: "PartnerKey",
          targetId: `${partnerId}:${keyId}`,
          details
        })
        .pipe(
          Effect.asVoid,
          Effect.catchTag("AuditInputError", (error) =>
            Effect.fail(new StorageError({ operation: "auditLog.append", reason: error.message, retryable: false }))
          )
        )

    const check = (
      token: string,
      now: number
    ): Effect.Effect<
      | { readonly _tag: "ok"; readonly parsed: PartnerAssertion.ParsedToken }
      | {
          readonly _tag: "refused"
          readonly reason: AssertionRefusal
          readonly partnerId: string
          readonly keyId: string
        },
      StorageError
    > =>
      Effect.gen(function* () {
        const refuse = (reason: AssertionRefusal, partnerId = "unknown", keyId = "unknown") =>
          ({ _tag: "refused", reason, partnerId, keyId }) as const
        const parsed = PartnerAssertion.parse(token)
        if (parsed === undefined) return refuse("Malformed")
        const { claims } = parsed
        const keys = partners.get(claims.partnerId)
        if (keys === undefined) return refuse("UnknownPartner")
        const key = keys.get(claims.keyId)
        if (key === undefined) return refuse("UnknownKey", claims.partnerId)
        if (!PartnerAssertion.verifySignature(parsed, key.key))
          return refuse("BadSignature", claims.partnerId, key.keyId)
        const inWindow = (t: number) =>
          t >= key.validFrom.getTime() && (key.validUntil === undefined || t < key.validUntil.getTime())
        if (key.retired === true || !inWindow(now) || !inWindow(claims.issuedAt))
          return refuse("KeyRetired", claims.partnerId, key.keyId)
        if (claims.issuedAt > now + skewMs) return refuse("NotYetValid", claims.partnerId, key.keyId)
        if (now - claims.issuedAt > freshnessMs) return refuse("Expired", claims.partnerId, key.keyId)
        if (!atLeast(claims.level, minimumLevel)) return refuse("LevelTooLow", claims.partnerId, key.keyId)
        const first = yield* nonces.remember(claims.partnerId, claims.nonce, claims.issuedAt + freshnessMs + 1, now)
        if (!first) return refuse("Replayed", claims.partnerId, key.keyId)
        return { _tag: "ok", parsed } as const
      })

    const verify = (token: string): Effect.Effect<AssertedIdentity, IdentityAssertionRefused | StorageError> =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const outcome = yield* check(token, now)
        if (outcome._tag === "refused") {
          yield* audit(outcome.partnerId, outcome.keyId, "refused", { reason: outcome.reason })
          yield* Effect.annotateCurrentSpan("gongzhi.identity.refused", outcome.reason)
          return yield* Effect.fail(new IdentityAssertionRefused({ reason: outcome.reason }))
        }
        const { claims } = outcome.parsed
        const reference = `${claims.partnerId}:${claims.keyId}:${claims.nonce}`
        yield* audit(claims.partnerId, claims.keyId, "accepted", {
          level: claims.level,
          subjectType: claims.subjectType,
          nonce: claims.nonce
        })
        return {
          partnerId: claims.partnerId,
          keyId: claims.keyId,
          subjectType: claims.subjectType,
          subject: Redacted.make(claims.subject as string),
          level: claims.level,
          issuedAt: new Date(claims.issuedAt),
          reference
        }
      }).pipe(Effect.withSpan("PartnerVerifier.verify"))

    return { verify }
  })

/**
 * The verifier as core's `IdentityAssertionVerifier`.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = (
  options: PartnerVerifierOptions
): Layer.Layer<IdentityAssertionVerifier, PartnerConfigError, NonceStore | AuditLog> =>
  Layer.effect(IdentityAssertionVerifier, make(options))
