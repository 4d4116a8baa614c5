import { createHash, createHmac } from "node:crypto"

const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex")
const hmac = (key: string | Buffer, text: string) => createHmac("sha256", key).update(text, "utf8").digest()

/** The parts of a TC3-HMAC-SHA256 signature. */
export interface Tc3Input {
  readonly secretKey: string
  readonly service: string
  /** Unix seconds, as sent in `X-TC-Timestamp`. */
  readonly timestamp: number
  readonly method: string
  readonly path: string
  readonly query: string
  /** Signed headers by lower-case name, in the order given. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly payload: string
}

/** `yyyy-mm-dd` of a Unix-seconds timestamp, in UTC. */
export const utcDate = (timestamp: number): string => new Date(timestamp * 1000).toISOString().slice(0, 10)

/** The canonical request, string to sign and signature (hex) of TC3-HMAC-SHA256. */
export const tc3 = (input: Tc3Input) => {
  const headers = [...input.headers]
    .map(([name, value]) => [name.toLowerCase(), value.trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const signedHeaders = headers.map(([name]) => name).join(";")
  const canonicalRequest = [
    input.method,
    input.path,
    input.query,
    headers.map(([name, value]) => `${name}:${value}\n`).join(""),
    signedHeaders,
    sha256Hex(input.payload)
  ].join("\n")
  const date = utcDate(input.timestamp)
  const scope = `${date}/${input.service}/tc3_request`
  const stringToSign = ["TC3-HMAC-SHA256", String(input.timestamp), scope, sha256Hex(canonicalRequest)].join("\n")
  const secretDate = hmac(`TC3${input.secretKey}`, date)
  const secretService = hmac(secretDate, input.service)
  const secretSigning = hmac(secretService, "tc3_request")
  const signature = createHmac("sha256", secretSigning).update(stringToSign, "utf8").digest("hex")
  return { canonicalRequest, stringToSign, signature, signedHeaders, scope }
}
