/**
 * The assertion format (断言格式) a partner app signs: canonical JSON claims, base64url, and an Ed25519
 * signature, as `<claims>.<signature>`.
 *
 * - claims: `{"issuedAt":…,"keyId":…,"level":…,"nonce":…,"partnerId":…,"subject":…,"subjectType":…,"v":1}`
 *   — canonical JSON (keys sorted by code unit, no whitespace, UTF-8), then base64url without padding;
 * - signature: Ed25519 (RFC 8032, pure) over the ASCII bytes of `gongzhi.identity-assertion.v1.` followed
 *   by the claims segment, base64url without padding (86 characters).
 *
 * Both segments must be in canonical form (re-encoding the decoded bytes gives the same text; the claims
 * are the canonical JSON of themselves), so that any changed byte of a token is refused.
 *
 * @since 0.3.0
 */
import * as Crypto from "node:crypto"
import { AssuranceLevel } from "@gongzhi/core/IdentityAssertion"
import { ResidentId } from "@gongzhi/core/ResidentId"
import { SocialCreditCode } from "@gongzhi/core/SocialCreditCode"
import { Either, Schema } from "effect"
import { canonicalJson } from "./internal/canonical.js"

/**
 * The prefix of the signed bytes (domain separation: a partner key signs nothing else that verifies).
 *
 * @since 0.3.0
 * @category constants
 */
export const SIGNING_PREFIX = "gongzhi.identity-assertion.v1."

/**
 * The longest token accepted (characters).
 *
 * @since 0.3.0
 * @category constants
 */
export const MAX_TOKEN_LENGTH = 2048

/**
 * A partner id: lower-case letters, digits and hyphens, 2–32 characters, e.g. `unionpay-wallet`.
 *
 * @since 0.3.0
 * @category models
 */
export const PartnerId = Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9-]{1,31}$/))

/**
 * A key id: letters, digits, `.`, `_`, `-`, 1–64 characters, e.g. `2026-12`.
 *
 * @since 0.3.0
 * @category models
 */
export const KeyId = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9._-]{1,64}$/))

/**
 * A nonce: 16–64 base64url characters, unique per partner.
 *
 * @since 0.3.0
 * @category models
 */
export const Nonce = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{16,64}$/))

const Common = {
  v: Schema.Literal(1),
  partnerId: PartnerId,
  keyId: KeyId,
  level: AssuranceLevel,
  /** Epoch milliseconds. */
  issuedAt: Schema.Int.pipe(Schema.nonNegative()),
  nonce: Nonce
}

/**
 * The claims of an assertion.
 *
 * @since 0.3.0
 * @category models
 */
export const Claims = Schema.Union(
  Schema.Struct({ ...Common, subjectType: Schema.Literal("residentId"), subject: ResidentId }),
  Schema.Struct({ ...Common, subjectType: Schema.Literal("creditCode"), subject: SocialCreditCode })
)

/**
 * @since 0.3.0
 * @category models
 */
export type Claims = typeof Claims.Type

/**
 * A token split into its parts (see {@link parse}).
 *
 * @since 0.3.0
 * @category models
 */
export interface ParsedToken {
  readonly claims: Claims
  /** The bytes the signature covers. */
  readonly signed: Uint8Array
  readonly signature: Uint8Array
}

const B64URL = /^[A-Za-z0-9_-]+$/

const fromBase64Url = (segment: string): Uint8Array | undefined => {
  if (!B64URL.test(segment)) return undefined
  const bytes = Buffer.from(segment, "base64url")
  // canonical only: the padding bits of the last character are zero
  return bytes.toString("base64url") === segment ? bytes : undefined
}

const decodeClaims = Schema.decodeUnknownEither(Claims)
const fatal = new TextDecoder("utf-8", { fatal: true })

/**
 * Splits and decodes a token; `undefined` when it is not a well-formed assertion (the reason is not told:
 * a malformed token is refused as `Malformed`). The signature is not checked here.
 *
 * @since 0.3.0
 * @category parsing
 */
export const parse = (token: string): ParsedToken | undefined => {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return undefined
  const parts = token.split(".")
  if (parts.length !== 2) return undefined
  const [claimsSegment = "", signatureSegment = ""] = parts
  const claimBytes = fromBase64Url(claimsSegment)
  const signature = fromBase64Url(signatureSegment)
  if (claimBytes === undefined || signature === undefined || signature.length !== 64) return undefined
  let json: unknown
  let text: string
  try {
    text = fatal.decode(claimBytes)
    json = JSON.parse(text)
  } catch {
    return undefined
  }
  if (canonicalJson(json) !== text) return undefined
  const decoded = decodeClaims(json)
  if (Either.isLeft(decoded)) return undefined
  return {
    claims: decoded.right,
    signed: Buffer.from(SIGNING_PREFIX + claimsSegment, "ascii"),
    signature
  }
}

/**
 * Encodes and signs claims with an Ed25519 private key (a partner does this; see the `testing` entry for
 * a test partner).
 *
 * @since 0.3.0
 * @category signing
 * @example
 * import * as Crypto from "node:crypto"
 * import { PartnerAssertion } from "@gongzhi/identity-partner"
 *
 * const { privateKey } = Crypto.generateKeyPairSync("ed25519")
 * const token = PartnerAssertion.sign(
 *   {
 *     v: 1, partnerId: "unionpay-wallet", keyId: "2026-12", level: "L2", issuedAt: Date.now(),
 *     nonce: Crypto.randomBytes(16).toString("base64url"), subjectType: "residentId", subject: "11010519491231002X"
 *   },
 *   privateKey
 * )
 */
export const sign = (claims: Schema.Schema.Encoded<typeof Claims>, privateKey: Crypto.KeyObject): string => {
  const segment = Buffer.from(canonicalJson(claims), "utf8").toString("base64url")
  const signature = Crypto.sign(null, Buffer.from(SIGNING_PREFIX + segment, "ascii"), privateKey)
  return `${segment}.${signature.toString("base64url")}`
}

/**
 * The public key of an Ed25519 key pair as the district records it: the raw 32 bytes, base64url (the `x`
 * of its JWK).
 *
 * @since 0.3.0
 * @category signing
 */
export const exportPublicKey = (publicKey: Crypto.KeyObject): string => {
  const jwk = publicKey.export({ format: "jwk" })
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string")
    throw new TypeError("not an Ed25519 public key")
  return jwk.x
}

/**
 * Reads a recorded public key (raw 32 bytes, base64url); `undefined` when it is not one.
 *
 * @since 0.3.0
 * @category signing
 */
export const importPublicKey = (raw: string): Crypto.KeyObject | undefined => {
  const bytes = fromBase64Url(raw)
  if (bytes === undefined || bytes.length !== 32) return undefined
  try {
    return Crypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw }, format: "jwk" })
  } catch {
    return undefined
  }
}

/**
 * Whether `signature` is a valid Ed25519 signature of `signed` under `publicKey`.
 *
 * @since 0.3.0
 * @category signing
 */
export const verifySignature = (parsed: ParsedToken, publicKey: Crypto.KeyObject): boolean => {
  try {
    return Crypto.verify(null, parsed.signed, publicKey, parsed.signature)
  } catch {
    return false
  }
}
