/**
 * API keys of Open311 clients (a city's 12345 platform, a partner app): a key is 32 random bytes (base64url)
 * shown once when generated; the server keeps only its SHA-256 hash with the client's id (the `ServiceAccount`
 * the reports are filed as). Give the stored keys to the server (`ServerOptions.open311.apiKeys`), e.g. read from
 * a file written when the keys were generated.
 *
 * @since 0.1.0
 */
import * as Crypto from "node:crypto"
import * as Actor from "@gongzhi/core/Actor"
import { Redacted, Schema } from "effect"
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
 * The stored form of every key given (decoded: a bad entry names its field).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decode = Schema.decodeUnknown(Schema.Array(ApiKey))

/**
 * The SHA-256 of a key, lowercase hex (as stored).
 *
 * @since 0.1.0
 * @category constructors
 */
export const hash: (key: string) => TokenStore.TokenHash = TokenStore.hash

/**
 * A new key for a client: `key` (give it to the client, never store it) and `stored` (give it to the server).
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import * as ApiKeys from "@gongzhi/server/ApiKeys"
 *
 * const { key, stored } = ApiKeys.generate({ clientId: "city-12345", label: "市 12345 热线平台" })
 * // Server.layer({ ..., open311: { apiKeys: [stored] } }); the client posts with api_key = Redacted.value(key)
 */
export const generate = (client: {
  readonly clientId: string
  readonly label?: string | undefined
}): { readonly key: Redacted.Redacted<string>; readonly stored: ApiKey } => {
  const key = Crypto.randomBytes(32).toString("base64url")
  const stored = Schema.decodeUnknownSync(ApiKey)({
    hash: hash(key),
    clientId: client.clientId,
    ...(client.label === undefined ? {} : { label: client.label })
  })
  return { key: Redacted.make(key), stored }
}
