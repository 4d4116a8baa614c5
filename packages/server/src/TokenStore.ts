/**
 * Staff bearer tokens issued by the server: a token is 32 random bytes (base64url, 43 characters) shown once
 * when issued; the store keeps only its SHA-256 hash with the actor it stands for, so a leaked store gives no
 * usable token. `issue` and `revoke` manage them; `layerMemory` provides both the store and the
 * `Authentication.Authentication` port over it. Hashes may be loaded at start (`initial`), e.g. from a
 * file written when the tokens were issued.
 *
 * @since 0.1.0
 */
import * as Crypto from "node:crypto"
import * as Actor from "@gongzhi/core/Actor"
import * as Command from "@gongzhi/core/Command"
import { Context, Effect, Layer, Redacted, Ref, Schema } from "effect"
import * as Authentication from "./Authentication.js"

/**
 * The SHA-256 of a token, lowercase hex.
 *
 * @since 0.1.0
 * @category models
 */
export const TokenHash = Schema.String.pipe(
  Schema.pattern(/^[0-9a-f]{64}$/, { message: () => "令牌摘要应为 64 位小写十六进制 SHA-256" }),
  Schema.brand("@gongzhi/server/TokenHash")
)

/**
 * @since 0.1.0
 * @category models
 */
export type TokenHash = typeof TokenHash.Type

/**
 * A stored token: its hash, the actor, a label for people (e.g. the clerk's name and device), when issued and
 * when revoked.
 *
 * @since 0.1.0
 * @category models
 */
export const StoredToken = Schema.Struct({
  hash: TokenHash,
  actor: Actor.Actor,
  label: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(200)), { exact: true }),
  issuedAt: Schema.optionalWith(Schema.Date, { exact: true }),
  revokedAt: Schema.optionalWith(Schema.Date, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type StoredToken = typeof StoredToken.Type

/**
 * A newly issued token: `token` is shown once and never stored.
 *
 * @since 0.1.0
 * @category models
 */
export interface Issued {
  readonly token: Redacted.Redacted<string>
  readonly hash: TokenHash
}

/**
 * @since 0.1.0
 * @category models
 */
export interface TokenStoreService {
  /** Issues a token for an actor (decoded, `InvalidInput` naming each bad field). */
  readonly issue: (
    actor: unknown,
    options?: { readonly label?: string | undefined }
  ) => Effect.Effect<Issued, Command.InvalidInput>
  /** Revokes by hash; true when a live token was revoked. */
  readonly revoke: (hash: TokenHash) => Effect.Effect<boolean>
  /** The stored tokens (hashes only). */
  readonly list: Effect.Effect<ReadonlyArray<StoredToken>>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class TokenStore extends Context.Tag("@gongzhi/server/TokenStore")<TokenStore, TokenStoreService>() {}

/**
 * The SHA-256 of a token.
 *
 * @since 0.1.0
 * @category utils
 */
export const hash = (token: string): TokenHash =>
  Crypto.createHash("sha256").update(token, "utf8").digest("hex") as TokenHash

/**
 * A fresh token: 32 random bytes, base64url.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (): Redacted.Redacted<string> => Redacted.make(Crypto.randomBytes(32).toString("base64url"))

const TOKEN = /^[A-Za-z0-9_-]{43}$/
const decodeActor = Command.decode("签发令牌", Actor.Actor)
const decodeStored = Schema.decodeUnknown(Schema.Array(StoredToken))

/**
 * The store in memory, with the `Authentication` port over it. `initial` are stored tokens (hashes) loaded at
 * start; an invalid entry fails the layer with `InvalidInput`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  initial: ReadonlyArray<unknown> = []
): Layer.Layer<TokenStore | Authentication.Authentication, Command.InvalidInput> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const loaded = yield* decodeStored(initial).pipe(
        Effect.mapError(
          () =>
            new Command.InvalidInput({
              command: "载入令牌",
              problems: [{ path: "tokens", message: "令牌清单应为 { hash, actor } 的数组（hash 为 SHA-256 摘要）" }]
            })
        )
      )
      const tokens = yield* Ref.make(new Map<string, StoredToken>(loaded.map((t) => [t.hash, t])))
      const store: TokenStoreService = {
        issue: (actor, options = {}) =>
          Effect.gen(function* () {
            const decoded = yield* decodeActor(actor)
            const token = generate()
            const digest = hash(Redacted.value(token))
            yield* Ref.update(tokens, (map) =>
              new Map(map).set(digest, {
                hash: digest,
                actor: decoded,
                issuedAt: new Date(),
                ...(options.label === undefined ? {} : { label: options.label })
              })
            )
            return { token, hash: digest }
          }),
        revoke: (digest) =>
          Ref.modify(tokens, (map) => {
            const found = map.get(digest)
            if (found === undefined || found.revokedAt !== undefined) return [false, map] as const
            return [true, new Map(map).set(digest, { ...found, revokedAt: new Date() })] as const
          }),
        list: Effect.map(Ref.get(tokens), (map) => [...map.values()])
      }
      const authentication: Authentication.AuthenticationService = {
        authenticate: (token) =>
          Effect.gen(function* () {
            const value = Redacted.value(token)
            if (value === "") return yield* new Authentication.Unauthenticated({ reason: "missing" })
            if (!TOKEN.test(value)) return yield* new Authentication.Unauthenticated({ reason: "malformed" })
            const found = (yield* Ref.get(tokens)).get(hash(value))
            if (found === undefined) return yield* new Authentication.Unauthenticated({ reason: "unknown" })
            if (found.revokedAt !== undefined) return yield* new Authentication.Unauthenticated({ reason: "revoked" })
            return found.actor
          })
      }
      return Context.make(TokenStore, store).pipe(Context.add(Authentication.Authentication, authentication))
    })
  )
