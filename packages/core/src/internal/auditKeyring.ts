// The audit keyring of `AuditLog`: the HMAC keys by key id, from options, the environment or fresh
// random keys for tests. Re-exported by `AuditLog.ts`, which documents it as its own.
import type { ConfigError } from "effect"
import { Config, Context, Effect, Either, Layer, Redacted } from "effect"
import * as Chain from "./auditChain.js"
import { AuditKeyError } from "./auditLogSchema.js"
import * as Keys from "./fieldCipher.js"

/**
 * The audit keys (审计密钥): HMAC-SHA256 keys by key id, held outside the database. The current key
 * signs new entries and checkpoints; older keys stay to verify what they signed (rotation).
 *
 * @since 0.1.0
 * @category models
 */
export interface AuditKeyringShape {
  readonly currentKeyId: string
  readonly keyIds: ReadonlyArray<string>
  /** HMAC-SHA256 (hex) under `keyId`, or `undefined` when that key is not configured. */
  readonly mac: (keyId: string, data: string) => string | undefined
  /** Whether unkeyed entries (written before keys were configured) still verify. */
  readonly allowUnkeyed: boolean
}

/**
 * The audit keyring in context: `AuditLog` layers built with it write a keyed chain.
 *
 * @since 0.1.0
 * @category tags
 */
export class AuditKeyring extends Context.Tag("@gongzhi/core/AuditKeyring")<AuditKeyring, AuditKeyringShape>() {}

/**
 * @since 0.1.0
 * @category models
 */
export interface AuditKeyringOptions {
  /** HMAC keys by key id (32 random bytes, base64 or hex); keep old ones as long as their entries exist. */
  readonly keys: Readonly<Record<string, Redacted.Redacted<string>>>
  /** The key id that signs new entries and checkpoints. */
  readonly currentKeyId: string
  /**
   * Accept entries written before the chain was keyed (default false). The first keyed entry seals
   * the unkeyed ones before it (its HMAC covers their hash); an unkeyed entry after a keyed one is
   * always refused.
   */
  readonly allowUnkeyed?: boolean | undefined
  /** Accept published test keys outside tests (default: only under a test runner). */
  readonly allowTestKeys?: boolean | undefined
}

/**
 * Validates the keys (32 random bytes each, as for `FieldCipher`) and builds the keyring.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeKeyring = (options: AuditKeyringOptions): Effect.Effect<AuditKeyringShape, AuditKeyError> =>
  Effect.suspend(() =>
    Either.match(Chain.makeKeyring(options), {
      onLeft: (detail) => Effect.fail(new AuditKeyError({ detail })),
      onRight: Effect.succeed
    })
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const layerKeyring = (options: AuditKeyringOptions): Layer.Layer<AuditKeyring, AuditKeyError> =>
  Layer.effect(AuditKeyring, makeKeyring(options))

/**
 * The keyring from `GONGZHI_AUDIT_KEYS` (`keyId:key,…`), `GONGZHI_AUDIT_CURRENT_KEY_ID` and the
 * optional `GONGZHI_AUDIT_ALLOW_UNKEYED` (boolean).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerKeyringConfig: Layer.Layer<AuditKeyring, ConfigError.ConfigError | AuditKeyError> = Layer.effect(
  AuditKeyring,
  Effect.gen(function* () {
    const raw = yield* Config.redacted("GONGZHI_AUDIT_KEYS")
    const currentKeyId = (yield* Config.string("GONGZHI_AUDIT_CURRENT_KEY_ID")).trim()
    const allowUnkeyed = yield* Config.boolean("GONGZHI_AUDIT_ALLOW_UNKEYED").pipe(Config.withDefault(false))
    const entries = Keys.parseKeyList(Redacted.value(raw))
    if (Either.isLeft(entries)) {
      return yield* new AuditKeyError({ detail: Keys.describe("GONGZHI_AUDIT_KEYS", undefined, entries.left) })
    }
    const keys = Object.fromEntries(entries.right.map(([keyId, key]) => [keyId, Redacted.make(key)] as const))
    return yield* Either.match(Chain.makeKeyring({ keys, currentKeyId, allowUnkeyed }, "GONGZHI_AUDIT_KEYS"), {
      onLeft: (detail) => Effect.fail(new AuditKeyError({ detail })),
      onRight: Effect.succeed
    })
  })
)

/**
 * A keyring with fresh random keys (for tests and demos).
 *
 * @since 0.1.0
 * @category testing
 */
export const layerKeyringTest = (
  options: { readonly keyIds?: ReadonlyArray<string>; readonly allowUnkeyed?: boolean } = {}
): Layer.Layer<AuditKeyring> =>
  Layer.effect(
    AuditKeyring,
    Effect.suspend(() => {
      const keyIds = options.keyIds ?? ["audit-test"]
      const keys = Object.fromEntries(keyIds.map((keyId) => [keyId, Redacted.make(Keys.generateKey())] as const))
      return Effect.orDie(
        makeKeyring({ keys, currentKeyId: keyIds[keyIds.length - 1], allowUnkeyed: options.allowUnkeyed })
      )
    })
  )
