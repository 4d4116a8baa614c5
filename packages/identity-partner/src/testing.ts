/**
 * A test partner (测试合作渠道) for tests and demos, never for production: it holds Ed25519 key pairs,
 * signs assertions, and rotates keys.
 *
 * @since 0.3.0
 */
import * as Crypto from "node:crypto"
import type { AuditLog } from "@gongzhi/core/AuditLog"
import type { AssuranceLevel, IdentityAssertionVerifier } from "@gongzhi/core/IdentityAssertion"
import { Layer } from "effect"
import * as NonceStore from "./NonceStore.js"
import * as PartnerAssertion from "./PartnerAssertion.js"
import type { Partner, PartnerKey, PartnerVerifierOptions } from "./PartnerVerifier.js"
import * as PartnerVerifier from "./PartnerVerifier.js"

/**
 * What a test assertion says (defaults: level `L2`, issued now, a random nonce, the newest key).
 *
 * @since 0.3.0
 * @category testing
 */
export interface TestClaims {
  readonly subjectType: "residentId" | "creditCode"
  readonly subject: string
  readonly level?: AssuranceLevel | undefined
  readonly issuedAt?: Date | number | undefined
  readonly nonce?: string | undefined
  readonly keyId?: string | undefined
}

/**
 * @since 0.3.0
 * @category testing
 */
export interface TestPartner {
  readonly partnerId: string
  /** The partner as the district configures it (public keys only). */
  readonly partner: () => Partner
  /** Signs an assertion. */
  readonly sign: (claims: TestClaims) => string
  /** Adds a key valid from `validFrom`; the previous newest key stays valid until then. */
  readonly rotate: (keyId: string, validFrom: Date) => void
  /** Marks a key retired. */
  readonly retire: (keyId: string) => void
}

/**
 * Builds a test partner with one key `k1` valid from `validFrom` (default 2000-01-01).
 *
 * @since 0.3.0
 * @category testing
 * @example
 * import { makeTestPartner } from "@gongzhi/identity-partner/testing"
 *
 * const wallet = makeTestPartner({ partnerId: "unionpay-wallet", name: "银联钱包" })
 * const token = wallet.sign({ subjectType: "residentId", subject: "11010519491231002X" })
 */
export const makeTestPartner = (options: {
  readonly partnerId: string
  readonly name?: string | undefined
  readonly validFrom?: Date | undefined
}): TestPartner => {
  const keys: Array<{ meta: PartnerKey; privateKey: Crypto.KeyObject }> = []
  const add = (keyId: string, validFrom: Date) => {
    const pair = Crypto.generateKeyPairSync("ed25519")
    const last = keys[keys.length - 1]
    if (last !== undefined) last.meta = { ...last.meta, validUntil: validFrom }
    keys.push({
      meta: { keyId, publicKey: PartnerAssertion.exportPublicKey(pair.publicKey), validFrom },
      privateKey: pair.privateKey
    })
  }
  add("k1", options.validFrom ?? new Date("2000-01-01T00:00:00Z"))
  return {
    partnerId: options.partnerId,
    partner: () => ({
      partnerId: options.partnerId,
      name: options.name ?? options.partnerId,
      keys: keys.map((k) => k.meta)
    }),
    sign: (claims) => {
      const entry = claims.keyId === undefined ? keys[keys.length - 1] : keys.find((k) => k.meta.keyId === claims.keyId)
      if (entry === undefined) throw new Error(`no key ${claims.keyId}`)
      const issuedAt = claims.issuedAt ?? Date.now()
      return PartnerAssertion.sign(
        {
          v: 1,
          partnerId: options.partnerId,
          keyId: entry.meta.keyId,
          level: claims.level ?? "L2",
          issuedAt: typeof issuedAt === "number" ? issuedAt : issuedAt.getTime(),
          nonce: claims.nonce ?? Crypto.randomBytes(16).toString("base64url"),
          subjectType: claims.subjectType,
          subject: claims.subject
        } as Parameters<typeof PartnerAssertion.sign>[0],
        entry.privateKey
      )
    },
    rotate: add,
    retire: (keyId) => {
      for (const k of keys) if (k.meta.keyId === keyId) k.meta = { ...k.meta, retired: true }
    }
  }
}

/**
 * The verifier over test partners with an in-memory nonce store (needs core's `AuditLog`): for tests and
 * demos of services that take a partner assertion.
 *
 * @since 0.3.0
 * @category testing
 */
export const layerTestVerifier = (
  options: Omit<PartnerVerifierOptions, "partners"> & { readonly partners: ReadonlyArray<TestPartner> }
): Layer.Layer<IdentityAssertionVerifier, never, AuditLog> =>
  PartnerVerifier.layer({ ...options, partners: options.partners.map((p) => p.partner()) }).pipe(
    Layer.provide(NonceStore.layerMemory),
    Layer.orDie
  )
