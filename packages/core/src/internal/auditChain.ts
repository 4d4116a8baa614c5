/**
 * The keyed audit chain: the keyring (HMAC-SHA256 keys by key id), the message authentication code
 * of an entry and of a checkpoint, and the walk that verifies a chain page by page against both.
 * Nothing here puts key material into a message.
 *
 * @internal
 */
import * as Crypto from "node:crypto"
import { Either, Redacted } from "effect"
import { canonicalJson } from "./canonicalJson.js"
import * as Keys from "./fieldCipher.js"

/** @internal */
export interface Keyring {
  readonly currentKeyId: string
  readonly keyIds: ReadonlyArray<string>
  /** HMAC-SHA256 (hex) of `data` under the key `keyId`, or `undefined` when that key is not configured. */
  readonly mac: (keyId: string, data: string) => string | undefined
  /** Whether entries written before the chain was keyed (key id "") are still accepted. */
  readonly allowUnkeyed: boolean
}

/** @internal */
export interface KeyringOptions {
  readonly keys: Readonly<Record<string, Redacted.Redacted<string>>>
  readonly currentKeyId: string
  readonly allowUnkeyed?: boolean | undefined
  readonly allowTestKeys?: boolean | undefined
}

/**
 * Validates the keys as the field cipher does (32 random bytes, no placeholder, no published test
 * key outside tests) and builds the keyring. The failure names the setting and key id, never a key.
 *
 * @internal
 */
export const makeKeyring = (options: KeyringOptions, setting = "keys"): Either.Either<Keyring, string> => {
  const keys = new Map<string, Crypto.KeyObject>()
  const allowTestKeys = options.allowTestKeys ?? Keys.isTestProcess()
  for (const [keyId, redacted] of Object.entries(options.keys ?? {})) {
    const idProblem = Keys.keyIdProblem(keyId)
    if (idProblem !== undefined) return Either.left(Keys.describe(setting, undefined, idProblem))
    if (!Redacted.isRedacted(redacted) || typeof Redacted.value(redacted) !== "string") {
      return Either.left(
        Keys.describe(setting, keyId, { zh: "密钥应以 Redacted<string> 传入", en: "pass keys as Redacted<string>" })
      )
    }
    const bytes = Keys.decodeKey(Redacted.value(redacted))
    if (Either.isLeft(bytes)) return Either.left(Keys.describe(setting, keyId, bytes.left))
    if (!allowTestKeys && Keys.isKnownTestKey(bytes.right)) {
      return Either.left(Keys.describe(setting, keyId, Keys.knownTestKeyProblem))
    }
    keys.set(keyId, Keys.secretKey(bytes.right))
  }
  if (keys.size === 0) {
    return Either.left(
      Keys.describe(setting, undefined, { zh: "至少需要一个密钥", en: "at least one key is required" })
    )
  }
  if (!keys.has(options.currentKeyId)) {
    return Either.left(
      Keys.describe(setting, undefined, {
        zh: "当前密钥编号不在密钥中",
        en: "the current key id is not one of the keys"
      })
    )
  }
  const keyring: Keyring = {
    currentKeyId: options.currentKeyId,
    keyIds: Array.from(keys.keys()),
    allowUnkeyed: options.allowUnkeyed ?? false,
    mac: (keyId, data) => {
      const key = keys.get(keyId)
      return key === undefined ? undefined : Crypto.createHmac("sha256", key).update(data, "utf8").digest("hex")
    }
  }
  const description = `AuditKeyring(currentKeyId=${keyring.currentKeyId}, keyIds=[${keyring.keyIds.join(", ")}])`
  Object.defineProperties(keyring, {
    toString: { value: () => description, enumerable: false },
    toJSON: { value: () => ({ _id: "AuditKeyring", currentKeyId: keyring.currentKeyId }), enumerable: false },
    [Symbol.for("nodejs.util.inspect.custom")]: { value: () => description, enumerable: false }
  })
  return Either.right(keyring)
}

/** The content of an entry that its hash or MAC covers. @internal */
export interface ChainedContent {
  readonly tenantId: string
  readonly sequence: number
  readonly recordedAt: Date
  readonly actorKind: string
  readonly actorId: string
  readonly action: string
  readonly targetType: string
  readonly targetId: string
  readonly details: unknown
  readonly prevHash: string
}

/** The public, unkeyed SHA-256 of an entry (chains written before keys, and chains without a keyring). @internal */
export const sha256Entry = (entry: ChainedContent): string =>
  Crypto.createHash("sha256")
    .update(
      canonicalJson([
        entry.tenantId,
        entry.sequence,
        entry.recordedAt.toISOString(),
        entry.actorKind,
        entry.actorId,
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.details,
        entry.prevHash
      ])
    )
    .digest("hex")

/** What the MAC of an entry covers: a domain tag, the key id and the content. @internal */
export const entryMessage = (entry: ChainedContent, keyId: string): string =>
  canonicalJson([
    "gz.audit1",
    keyId,
    entry.tenantId,
    entry.sequence,
    entry.recordedAt.toISOString(),
    entry.actorKind,
    entry.actorId,
    entry.action,
    entry.targetType,
    entry.targetId,
    entry.details,
    entry.prevHash
  ])

/** @internal */
export interface CheckpointContent {
  readonly tenantId: string
  readonly sequence: number
  readonly headHash: string
  readonly recordedAt: Date
  readonly keyId: string
}

/** What the MAC of a checkpoint covers. @internal */
export const checkpointMessage = (checkpoint: CheckpointContent): string =>
  canonicalJson([
    "gz.checkpoint1",
    checkpoint.keyId,
    checkpoint.tenantId,
    checkpoint.sequence,
    checkpoint.headHash,
    checkpoint.recordedAt.toISOString()
  ])

/** Constant-time comparison of two hex strings. @internal */
export const sameHex = (left: string, right: string): boolean =>
  left.length === right.length && Crypto.timingSafeEqual(Buffer.from(left, "utf8"), Buffer.from(right, "utf8"))
