/**
 * API keys of Open311 clients (a city's 12345 platform, a partner app): a key is 32 random bytes (base64url)
 * shown once when generated; the server keeps only its SHA-256 hash with the client's id (the `ServiceAccount`
 * the reports are filed as). Give the stored keys to the server (`ServerOptions.open311.apiKeys`), e.g. read from
 * a file written when the keys were generated.
 *
 * @since 0.1.0
 */
import * as Actor from "@gongzhi/core/Actor"
import * as Command from "@gongzhi/core/Command"
import { Effect, Redacted, Schema } from "effect"
import * as TokenStore from "./TokenStore.js"

/**
 * A stored key: its hash, the client it stands for and a label for people.
 *
 * @since 0.1.0
 * @category models
 */
export const ApiKey = Schema.Struct({
  hash: TokenStore.TokenHash,
  clientId: Actor.ClientId,
  label: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(200)), { exact: true })
}).annotations({ identifier: "ApiKey", title: "Open311 接入密钥" })

/**
 * @since 0.1.0
 * @category models
 */
export type ApiKey = typeof ApiKey.Type

/**
 * The stored form of every key given (decoded: `InvalidInput` names each bad field).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decode: (input: unknown) => Effect.Effect<ReadonlyArray<ApiKey>, Command.InvalidInput> = Command.decode(
  "载入 Open311 密钥",
  Schema.Array(ApiKey)
)

const decodeClient = Command.decode(
  "生成 Open311 密钥",
  Schema.Struct({ clientId: Actor.ClientId, label: ApiKey.fields.label })
)

/**
 * The SHA-256 of a key, lowercase hex (as stored).
 *
 * @since 0.1.0
 * @category constructors
 */
export const hash: (key: string) => TokenStore.TokenHash = TokenStore.hash

/**
 * A new key for a client: `key` (give it to the client, never store it) and `stored` (give it to the server);
 * a bad client id or label fails with `InvalidInput`.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import * as ApiKeys from "@gongzhi/server/ApiKeys"
 *
 * import { Effect } from "effect"
 *
 * const program = Effect.map(ApiKeys.generate({ clientId: "city-12345", label: "市 12345 热线平台" }), ({ key, stored }) => {
 *   // Server.layer({ ..., open311: { apiKeys: [stored] } }); the client posts with api_key = Redacted.value(key)
 * })
 */
export const generate = (client: {
  readonly clientId: string
  readonly label?: string | undefined
}): Effect.Effect<{ readonly key: Redacted.Redacted<string>; readonly stored: ApiKey }, Command.InvalidInput> =>
  Effect.map(decodeClient(client), (decoded) => {
    const key = TokenStore.generate()
    return { key, stored: { ...decoded, hash: TokenStore.hash(Redacted.value(key)) } }
  })
