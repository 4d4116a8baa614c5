/**
 * Field encryption (字段加密) for personal data such as resident ID numbers and mobile numbers.
 *
 * - Values are sealed with AES-256-GCM into a compact, self-describing string
 *   `gz1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts, random 96-bit IV, 128-bit tag).
 * - An optional context (for instance `["volunteers.resident_id", tenantId]`) is bound as associated
 *   data, so a ciphertext copied into another column or another tenant no longer decrypts.
 * - An optional `recordId` binds the value to its row as well (`gz2.…` envelope), so a ciphertext
 *   copied from one record to another no longer decrypts. Values written before (`gz1.…`, bound to
 *   column and tenant only) still decrypt; `rotate` with the record id re-encrypts them as `gz2`.
 * - Several keys may be configured: `currentKeyId` encrypts, every known key decrypts, and
 *   `rotate` re-encrypts an old value under the current key.
 * - A blind index (HMAC-SHA256 under a separate index key, over a normalised value) gives a
 *   deterministic token for lookups and unique constraints without storing the plaintext.
 *
 * Keys are 32 random bytes written as base64 or hex and always travel as `Redacted`; neither the
 * service, its options, nor any error ever prints them.
 *
 * @since 0.1.0
 */
import type * as Crypto from "node:crypto"
import { Config, ConfigError, Context, Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import * as Internal from "./internal/fieldCipher.js"

// ---------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------

/**
 * Where a value lives, bound into the ciphertext (or the blind index) so that it cannot be moved
 * elsewhere: a string such as `"volunteers.resident_id"` or several parts such as
 * `["volunteers.resident_id", "440310"]` (column and tenant). Parts are encoded without ambiguity.
 *
 * @since 0.1.0
 * @category models
 */
export type FieldContext = string | ReadonlyArray<string>

/**
 * @since 0.1.0
 * @category models
 */
export interface FieldOptions {
  /** The context the value was (or is to be) encrypted under; decrypt with the same one. */
  readonly context?: FieldContext | undefined
  /**
   * The id of the record (row) the value belongs to. Given to `encrypt`, the ciphertext is bound to
   * it (`gz2`) and opens only with the same id; a `gz1` ciphertext (written without one) still opens.
   */
  readonly recordId?: string | undefined
}

/**
 * Built-in normalisers for the blind index:
 *
 * - `exact`: the value as given.
 * - `text` (default): NFKC, trimmed, inner whitespace collapsed to one space.
 * - `residentId` / `creditCode`: NFKC (full-width digits become ASCII), spaces and hyphens
 *   dropped, upper-cased (`x` → `X`).
 * - `phone`: NFKC, spaces, hyphens, dots and parentheses dropped, a `+86` / `0086` / `86`
 *   prefix before an 11-digit mobile number removed.
 * - `email`: NFKC, trimmed, lower-cased.
 *
 * @since 0.1.0
 * @category models
 */
export type BlindIndexKind = Internal.BlindIndexKind

/**
 * @since 0.1.0
 * @category models
 */
export interface BlindIndexOptions {
  /** A built-in normaliser; ignored when `normalize` is given. Defaults to `"text"`. */
  readonly kind?: BlindIndexKind | undefined
  /** A normaliser of your own (e.g. the resident ID module's). It must not throw. */
  readonly normalize?: ((value: string) => string) | undefined
  /** Separates indexes of different columns or tenants: equal values give different tokens. */
  readonly context?: FieldContext | undefined
  /** `hex` (64 characters, the default) or `base64url` (43 characters). */
  readonly encoding?: "hex" | "base64url" | undefined
}

/**
 * The keys of a field cipher. Keys are 32 random bytes written as base64 or hex (see
 * {@link generateKey}), wrapped in `Redacted` so that printing or serialising the options shows
 * `<redacted>`.
 *
 * @since 0.1.0
 * @category models
 */
export interface FieldCipherOptions {
  /** Encryption keys by key id (1–32 of `A-Z a-z 0-9 _ -`); keep old ones until rotation is done. */
  readonly keys: Readonly<Record<string, Redacted.Redacted<string>>>
  /** The key id new values are encrypted under. */
  readonly currentKeyId: string
  /** The HMAC key of the blind index; must differ from every encryption key. */
  readonly indexKey: Redacted.Redacted<string>
  /**
   * Accept publicly known test keys. Defaults to true only under a test runner (`NODE_ENV=test`
   * or `VITEST` set); elsewhere such a key is refused as `InvalidKey`.
   */
  readonly allowTestKeys?: boolean | undefined
}

/**
 * A ciphertext produced by the field cipher: `gz1.<keyId>.<iv>.<ciphertext>.<tag>`, or `gz2.…`
 * when bound to a record id. Useful to
 * validate a stored column. Its length is about `4/3 × UTF-8 bytes of the plaintext + 45 + key id`.
 *
 * @since 0.1.0
 * @category models
 */
export const Ciphertext = Schema.String.pipe(
  Schema.pattern(/^gz[12]\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/, {
    message: () => "密文格式无效（应为 gz1.密钥编号.IV.密文.标签）/ not a gz1 field ciphertext"
  }),
  Schema.annotations({ identifier: "Ciphertext", title: "字段密文" })
)

/**
 * The operations of the field cipher.
 *
 * `decrypt` returns `Redacted<string>`: decrypted personal data is the thing that must never end up
 * in a log line, a span attribute or an error, and a `Redacted` value prints as `<redacted>`
 * wherever it travels. Call `Redacted.value` at the one place that needs the text (masking for
 * display, a real-name check), or use `decryptToString` when the caller is such a place.
 *
 * Every operation returns an `Effect` with a typed {@link FieldCipherError}, so that an
 * implementation backed by a key-management service can fail the same way.
 *
 * @since 0.1.0
 * @category models
 */
export interface FieldCipherShape {
  /** The key id new values are encrypted under. */
  readonly currentKeyId: string
  /** Every key id that can decrypt. */
  readonly keyIds: ReadonlyArray<string>
  /** Encrypts under the current key with a fresh random IV. */
  readonly encrypt: (
    plaintext: string | Redacted.Redacted<string>,
    options?: FieldOptions
  ) => Effect.Effect<string, FieldCipherError>
  /** Decrypts with whichever configured key the ciphertext names; the context must match. */
  readonly decrypt: (
    ciphertext: string,
    options?: FieldOptions
  ) => Effect.Effect<Redacted.Redacted<string>, FieldCipherError>
  /** Like `decrypt`, but returns the plain text. Prefer `decrypt`. */
  readonly decryptToString: (ciphertext: string, options?: FieldOptions) => Effect.Effect<string, FieldCipherError>
  /**
   * Re-encrypts under the current key. A value already under the current key (and, when
   * `options.recordId` is given, already bound to it) is authenticated and returned unchanged;
   * a `gz1` value with a `recordId` is re-encrypted as `gz2`, bound to that record.
   */
  readonly rotate: (ciphertext: string, options?: FieldOptions) => Effect.Effect<string, FieldCipherError>
  /**
   * Whether `rotate` would change the ciphertext: it is under another key than the current one, or
   * `options.recordId` is given and it is not yet bound to a record (fails only if malformed).
   */
  readonly needsRotation: (
    ciphertext: string,
    options?: Pick<FieldOptions, "recordId">
  ) => Effect.Effect<boolean, FieldCipherError>
  /** Deterministic HMAC-SHA256 token of the normalised value, for lookups and unique indexes. */
  readonly blindIndex: (
    value: string | Redacted.Redacted<string>,
    options?: BlindIndexOptions
  ) => Effect.Effect<string, FieldCipherError>
}

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * Why a field-cipher operation failed:
 *
 * - `InvalidKey`: a configured key is missing, of the wrong length, or otherwise unusable.
 * - `UnknownKey`: the ciphertext names a key id that is not configured.
 * - `AuthenticationFailed`: the ciphertext was altered, or belongs to another context (column,
 *   tenant) or key.
 * - `Malformed`: the ciphertext is not a `gz1` envelope, or the plaintext is not valid Unicode.
 *
 * @since 0.1.0
 * @category errors
 */
export const FieldCipherErrorReason = Schema.Literal("InvalidKey", "UnknownKey", "AuthenticationFailed", "Malformed")

/**
 * @since 0.1.0
 * @category errors
 */
export type FieldCipherErrorReason = typeof FieldCipherErrorReason.Type

/**
 * A field-cipher operation failed. The message never contains a key, a plaintext or a ciphertext.
 *
 * @since 0.1.0
 * @category errors
 */
export class FieldCipherError extends Schema.TaggedError<FieldCipherError>("@gongzhi/core/FieldCipherError")(
  "FieldCipherError",
  {
    reason: FieldCipherErrorReason,
    message: Schema.String,
    keyId: Schema.optional(Schema.String),
    setting: Schema.optional(Schema.String)
  }
) {}

const invalidKey = (setting: string, keyId: string | undefined, problem: Internal.Problem) =>
  new FieldCipherError({
    reason: "InvalidKey",
    setting,
    ...(keyId === undefined ? {} : { keyId }),
    message: Internal.describe(setting, keyId, problem)
  })

const unknownKey = (keyId: string) =>
  new FieldCipherError({
    reason: "UnknownKey",
    keyId,
    message: `密文所用密钥 ${keyId} 未配置，无法解密 / unknown key id ${keyId}: this key is not configured`
  })

const authenticationFailed = (keyId: string) =>
  new FieldCipherError({
    reason: "AuthenticationFailed",
    keyId,
    message:
      "密文校验失败：数据可能被篡改，或不属于此字段或租户 / authentication failed: the ciphertext was altered or belongs to another field, tenant or key"
  })

const malformedCiphertext = () =>
  new FieldCipherError({
    reason: "Malformed",
    message:
      "密文格式无效（应为 gz1.密钥编号.IV.密文.标签）/ malformed ciphertext (expected gz1.<keyId>.<iv>.<data>.<tag>)"
  })

const malformedPlaintext = () =>
  new FieldCipherError({
    reason: "Malformed",
    message: "明文不是有效的 Unicode 字符串（含孤立代理项）/ the plaintext is not well-formed Unicode (lone surrogate)"
  })

// ---------------------------------------------------------------------------------------------
// tags
// ---------------------------------------------------------------------------------------------

/**
 * The field cipher (字段加密) service.
 *
 * @since 0.1.0
 * @category tags
 * @example
 * import { Effect, Redacted } from "effect"
 * import { FieldCipher } from "@gongzhi/core"
 *
 * const program = Effect.gen(function* () {
 *   const cipher = yield* FieldCipher.FieldCipher
 *   const context = ["volunteers.resident_id", "440310"]
 *   const stored = yield* cipher.encrypt("11010519491231002X", { context })
 *   const lookup = yield* cipher.blindIndex("11010519491231002x", { kind: "residentId" })
 *   const residentId = yield* cipher.decrypt(stored, { context }) // Redacted<string>
 *   return { stored, lookup, same: Redacted.value(residentId) === "11010519491231002X" }
 * })
 *
 * // in tests and examples: random keys, never a literal key
 * Effect.runPromise(Effect.provide(program, FieldCipher.layerTest()))
 */
export class FieldCipher extends Context.Tag("@gongzhi/core/FieldCipher")<FieldCipher, FieldCipherShape>() {}

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

interface Validated {
  readonly keys: ReadonlyMap<string, Crypto.KeyObject>
  readonly currentKeyId: string
  readonly indexKey: Crypto.KeyObject
}

interface Settings {
  readonly keys: string
  readonly currentKeyId: string
  readonly indexKey: string
}

const optionSettings: Settings = { keys: "keys", currentKeyId: "currentKeyId", indexKey: "indexKey" }

type Invalid = readonly [setting: string, keyId: string | undefined, problem: Internal.Problem]

const redactedProblem: Internal.Problem = {
  zh: "密钥应以 Redacted<string> 传入",
  en: "a key must be passed as a Redacted<string>"
}

const isRedactedString = (value: unknown): value is Redacted.Redacted<string> =>
  Redacted.isRedacted(value) && typeof Redacted.value(value) === "string"

/** Validates options; the failure names a setting and a key id, never key material. */
const validate = (options: FieldCipherOptions, settings: Settings): Either.Either<Validated, Invalid> => {
  const allowTestKeys = options.allowTestKeys ?? Internal.isTestProcess()
  const keys = new Map<string, Crypto.KeyObject>()
  for (const [keyId, redacted] of Object.entries(options.keys ?? {})) {
    const problem = Internal.keyIdProblem(keyId)
    if (problem !== undefined) return Either.left([settings.keys, undefined, problem])
    if (!isRedactedString(redacted)) return Either.left([settings.keys, keyId, redactedProblem])
    const bytes = Internal.decodeKey(Redacted.value(redacted))
    if (Either.isLeft(bytes)) return Either.left([settings.keys, keyId, bytes.left])
    if (!allowTestKeys && Internal.isKnownTestKey(bytes.right)) {
      return Either.left([settings.keys, keyId, Internal.knownTestKeyProblem])
    }
    keys.set(keyId, Internal.secretKey(bytes.right))
  }
  if (keys.size === 0) {
    return Either.left([settings.keys, undefined, { zh: "至少需要一个密钥", en: "at least one key is required" }])
  }
  if (typeof options.currentKeyId !== "string" || !keys.has(options.currentKeyId)) {
    return Either.left([
      settings.currentKeyId,
      undefined,
      { zh: `当前密钥编号不在 ${settings.keys} 中`, en: `the current key id is not one of ${settings.keys}` }
    ])
  }
  if (!isRedactedString(options.indexKey)) return Either.left([settings.indexKey, undefined, redactedProblem])
  const indexBytes = Internal.decodeKey(Redacted.value(options.indexKey))
  if (Either.isLeft(indexBytes)) return Either.left([settings.indexKey, undefined, indexBytes.left])
  if (!allowTestKeys && Internal.isKnownTestKey(indexBytes.right)) {
    return Either.left([settings.indexKey, undefined, Internal.knownTestKeyProblem])
  }
  const indexKey = Internal.secretKey(indexBytes.right)
  for (const [keyId, key] of keys) {
    if (Internal.sameKey(key, indexKey)) {
      return Either.left([
        settings.indexKey,
        undefined,
        { zh: `盲索引密钥不得与加密密钥 ${keyId} 相同`, en: `the index key must differ from encryption key ${keyId}` }
      ])
    }
  }
  return Either.right({ keys, currentKeyId: options.currentKeyId, indexKey })
}

const reveal = (value: string | Redacted.Redacted<string>): string =>
  Redacted.isRedacted(value) ? Redacted.value(value) : value

const fromValidated = (validated: Validated): FieldCipherShape => {
  const { currentKeyId, indexKey, keys } = validated
  const currentKey = keys.get(currentKeyId)!
  const keyIds = Array.from(keys.keys())

  const encrypt = (plaintext: string | Redacted.Redacted<string>, options?: FieldOptions) =>
    Effect.suspend(() => {
      const text = reveal(plaintext)
      if (typeof text !== "string" || !Internal.isWellFormed(text)) return Effect.fail(malformedPlaintext())
      return Effect.succeed(Internal.encrypt(currentKeyId, currentKey, text, options?.context, options?.recordId))
    })

  const open = (ciphertext: string, options?: FieldOptions) =>
    Effect.suspend(() => {
      const envelope = typeof ciphertext === "string" ? Internal.parseEnvelope(ciphertext) : undefined
      if (envelope === undefined) return Effect.fail(malformedCiphertext())
      const key = keys.get(envelope.keyId)
      if (key === undefined) return Effect.fail(unknownKey(envelope.keyId))
      const plaintext = Internal.decrypt(envelope, key, options?.context, options?.recordId)
      return plaintext === undefined
        ? Effect.fail(authenticationFailed(envelope.keyId))
        : Effect.succeed({ keyId: envelope.keyId, version: envelope.version, plaintext })
    })

  const service: FieldCipherShape = {
    currentKeyId,
    keyIds,
    encrypt,
    decrypt: (ciphertext, options) =>
      Effect.map(open(ciphertext, options), ({ plaintext }) => Redacted.make(plaintext)),
    decryptToString: (ciphertext, options) => Effect.map(open(ciphertext, options), ({ plaintext }) => plaintext),
    rotate: (ciphertext, options) =>
      Effect.flatMap(open(ciphertext, options), ({ keyId, plaintext, version }) =>
        keyId === currentKeyId && (options?.recordId === undefined || version === Internal.VERSION_RECORD)
          ? Effect.succeed(ciphertext)
          : encrypt(plaintext, options)
      ),
    needsRotation: (ciphertext, options) =>
      Effect.suspend(() => {
        const envelope = typeof ciphertext === "string" ? Internal.parseEnvelope(ciphertext) : undefined
        return envelope === undefined
          ? Effect.fail(malformedCiphertext())
          : Effect.succeed(
              envelope.keyId !== currentKeyId ||
                (options?.recordId !== undefined && envelope.version !== Internal.VERSION_RECORD)
            )
      }),
    blindIndex: (value, options) =>
      Effect.suspend(() => {
        const text = reveal(value)
        const normalize = options?.normalize ?? Internal.normalizers[options?.kind ?? "text"]
        let normalized: unknown
        try {
          normalized = typeof text === "string" && normalize !== undefined ? normalize(text) : undefined
        } catch {
          normalized = undefined
        }
        if (typeof normalized !== "string" || !Internal.isWellFormed(normalized)) {
          return Effect.fail(
            new FieldCipherError({
              reason: "Malformed",
              message: "待索引的值无法规范化 / the value could not be normalised for the blind index"
            })
          )
        }
        return Effect.succeed(Internal.blindIndex(indexKey, normalized, options?.context, options?.encoding ?? "hex"))
      })
  }
  const description = `FieldCipher(currentKeyId=${currentKeyId}, keyIds=[${keyIds.join(", ")}])`
  Object.defineProperties(service, {
    toString: { value: () => description, enumerable: false },
    toJSON: { value: () => ({ _id: "FieldCipher", currentKeyId, keyIds }), enumerable: false },
    [Symbol.for("nodejs.util.inspect.custom")]: { value: () => description, enumerable: false }
  })
  return service
}

/**
 * Builds a field cipher from options. Fails with `InvalidKey` (naming the option, never the key)
 * when a key is not 32 bytes of base64 or hex, the current key id is not configured, or the index
 * key equals an encryption key.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: FieldCipherOptions): Effect.Effect<FieldCipherShape, FieldCipherError> =>
  Effect.suspend(() =>
    Either.match(validate(options, optionSettings), {
      onLeft: ([setting, keyId, problem]) => Effect.fail(invalidKey(setting, keyId, problem)),
      onRight: (validated) => Effect.succeed(fromValidated(validated))
    })
  )

// ---------------------------------------------------------------------------------------------
// layers
// ---------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: FieldCipherOptions): Layer.Layer<FieldCipher, FieldCipherError> =>
  Layer.effect(FieldCipher, make(options))

const KEYS = "GONGZHI_PII_KEYS"
const CURRENT_KEY_ID = "GONGZHI_PII_CURRENT_KEY_ID"
const INDEX_KEY = "GONGZHI_PII_INDEX_KEY"

const keysConfig = Config.redacted(KEYS).pipe(
  Config.mapOrFail((raw) =>
    Either.match(Internal.parseKeyList(Redacted.value(raw)), {
      onLeft: (problem) => Either.left(ConfigError.InvalidData([KEYS], Internal.describe(KEYS, undefined, problem))),
      onRight: (entries) =>
        Either.right(Object.fromEntries(entries.map(([keyId, key]) => [keyId, Redacted.make(key)] as const)))
    })
  )
)

/**
 * The field-cipher settings:
 *
 * - `GONGZHI_PII_KEYS`: `keyId:key,keyId2:key2`, each key 32 bytes as base64 or hex.
 * - `GONGZHI_PII_CURRENT_KEY_ID`: the key id that encrypts, one of the above.
 * - `GONGZHI_PII_INDEX_KEY`: the blind-index key, 32 bytes as base64 or hex, not one of the above.
 * - `GONGZHI_ALLOW_TEST_KEYS` (optional): `true` accepts publicly known test keys outside a test runner.
 *
 * Every key must be 32 random bytes: keys that repeat a pattern, count up, use few distinct bytes
 * or are printable text are refused, and so are published test keys outside tests.
 *
 * Errors name the setting (and the key id) but never a key. Use `Config.nested` to put the
 * settings under a prefix.
 *
 * @since 0.1.0
 * @category layers
 */
export const config: Config.Config<FieldCipherOptions> = Config.all({
  keys: keysConfig,
  currentKeyId: Config.map(Config.string(CURRENT_KEY_ID), (keyId) => keyId.trim()),
  indexKey: Config.redacted(INDEX_KEY),
  allowTestKeys: Config.map(Config.option(Config.boolean("GONGZHI_ALLOW_TEST_KEYS")), Option.getOrUndefined)
}).pipe(
  Config.mapOrFail((options) =>
    validate(options, { keys: KEYS, currentKeyId: CURRENT_KEY_ID, indexKey: INDEX_KEY }).pipe(
      Either.mapBoth({
        onLeft: ([setting, keyId, problem]) =>
          ConfigError.InvalidData([setting], Internal.describe(setting, keyId, problem)),
        onRight: () => options
      })
    )
  )
)

/**
 * The field cipher configured from `GONGZHI_PII_KEYS`, `GONGZHI_PII_CURRENT_KEY_ID` and
 * `GONGZHI_PII_INDEX_KEY` (see {@link config}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<FieldCipher, ConfigError.ConfigError | FieldCipherError> = Layer.effect(
  FieldCipher,
  Effect.flatMap(config, make)
)

// ---------------------------------------------------------------------------------------------
// testing
// ---------------------------------------------------------------------------------------------

/**
 * A fresh random 256-bit key as base64, for tests, examples and key generation
 * (`node -e` or a CLI). Never commit a key.
 *
 * @since 0.1.0
 * @category testing
 */
export const generateKey = (): Redacted.Redacted<string> => Redacted.make(Internal.generateKey())

/**
 * Options with fresh random keys: by default one key `"test"`; with `keyIds`, one key each and the
 * last one current (or `currentKeyId`).
 *
 * @since 0.1.0
 * @category testing
 */
export const generateOptions = (
  options: { readonly keyIds?: ReadonlyArray<string> | undefined; readonly currentKeyId?: string | undefined } = {}
): FieldCipherOptions => {
  const keyIds = options.keyIds === undefined || options.keyIds.length === 0 ? ["test"] : options.keyIds
  const keys: Record<string, Redacted.Redacted<string>> = {}
  for (const keyId of keyIds) keys[keyId] = generateKey()
  return { keys, currentKeyId: options.currentKeyId ?? keyIds[keyIds.length - 1], indexKey: generateKey() }
}

/**
 * A field cipher with fresh random keys each time the layer is built.
 *
 * @since 0.1.0
 * @category testing
 */
export const layerTest = (
  options: { readonly keyIds?: ReadonlyArray<string> | undefined; readonly currentKeyId?: string | undefined } = {}
): Layer.Layer<FieldCipher, FieldCipherError> =>
  Layer.effect(
    FieldCipher,
    Effect.suspend(() => make(generateOptions(options)))
  )
