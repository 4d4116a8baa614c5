import { createHmac } from "node:crypto"

/**
 * Alibaba Cloud's percent-encoding (RFC 3986): everything but `A–Z a–z 0–9 - _ . ~` is encoded as
 * UTF-8 `%XX` with upper-case hex; a space is `%20`, never `+`.
 */
export const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)

/** The sorted, encoded `k=v&…` of every parameter but `Signature`. */
export const canonicalQuery = (params: Readonly<Record<string, string>>): string =>
  Object.keys(params)
    .filter((key) => key !== "Signature")
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key])}`)
    .join("&")

/** `METHOD&%2F&percentEncode(canonical query)`. */
export const stringToSign = (method: string, params: Readonly<Record<string, string>>): string =>
  `${method}&${percentEncode("/")}&${percentEncode(canonicalQuery(params))}`

/** base64(HMAC-SHA1(key = secret + "&", stringToSign)). */
export const signature = (secret: string, method: string, params: Readonly<Record<string, string>>): string =>
  createHmac("sha1", `${secret}&`).update(stringToSign(method, params), "utf8").digest("base64")

/** `2026-12-08T01:02:03Z`: ISO 8601 in UTC without milliseconds. */
export const timestamp = (millis: number): string => `${new Date(millis).toISOString().slice(0, 19)}Z`
