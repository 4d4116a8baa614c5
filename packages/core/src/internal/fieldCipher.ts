/**
 * Implementation of the field cipher: key parsing, the `gz1` envelope, AES-256-GCM and the HMAC
 * blind index. Nothing here ever puts key material or plaintext into a message.
 *
 * @internal
 */
import * as Crypto from "node:crypto"
import { Either } from "effect"

/** @internal */
export const VERSION = "gz1"

/** @internal */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/

/** @internal */
export const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16

const HEX_KEY = /^[0-9a-fA-F]{64}$/
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/
const BASE64URL = /^[A-Za-z0-9_-]*$/
/**
 * A configuration problem in both languages. Never contains key material.
 *
 * @internal
 */
export interface Problem {
  readonly zh: string
  readonly en: string
}

/** @internal */
export const describe = (setting: string, keyId: string | undefined, problem: Problem): string =>
  keyId === undefined
    ? `字段加密配置 ${setting} 无效：${problem.zh} / invalid ${setting}: ${problem.en}`
    : `字段加密配置 ${setting} 中的密钥 ${keyId} 无效：${problem.zh} / invalid ${setting}, key ${keyId}: ${problem.en}`

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Decodes a 32-byte key written as hex (64 characters) or base64 / base64url (43 or 44
 * characters). The failure is a bilingual phrase that never contains the input.
 *
 * @internal
 */
export const decodeKey = (raw: string): Either.Either<Buffer, Problem> => {
  const text = raw.trim()
  let bytes: Buffer | undefined
  if (HEX_KEY.test(text)) {
    bytes = Buffer.from(text, "hex")
  } else if (BASE64_KEY.test(text)) {
    bytes = Buffer.from(text, "base64")
  }
  if (bytes === undefined || bytes.length !== KEY_BYTES) {
    return Either.left({
      zh: "密钥应为 32 字节（256 位）的 base64 或 hex 编码",
      en: "a key must be 32 bytes (256 bits) encoded as base64 or hex"
    })
  }
  if (bytes.every((byte) => byte === bytes[0])) {
    return Either.left({
      zh: "密钥疑似占位值（所有字节相同）",
      en: "the key looks like a placeholder (all bytes are equal)"
    })
  }
  return Either.right(bytes)
}

/** @internal */
export const keyIdProblem = (keyId: string): Problem | undefined =>
  KEY_ID_PATTERN.test(keyId)
    ? undefined
    : { zh: "密钥编号只能由 1–32 个字母、数字、下划线或连字符组成", en: "a key id is 1–32 letters, digits, '_' or '-'" }

/**
 * Parses `keyId:key,keyId2:key2`. Messages name entries by position and, once validated, by key id;
 * they never echo an entry (which may be a key pasted in the wrong place).
 *
 * @internal
 */
export const parseKeyList = (raw: string): Either.Either<ReadonlyArray<readonly [string, string]>, Problem> => {
  const entries = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
  if (entries.length === 0) {
    return Either.left({
      zh: "至少需要一个密钥，格式为 “密钥编号:密钥,…”",
      en: "at least one key is required, as 'keyId:key,…'"
    })
  }
  const seen = new Set<string>()
  const result: Array<readonly [string, string]> = []
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]
    const colon = entry.indexOf(":")
    const position = index + 1
    if (colon < 0) {
      return Either.left({
        zh: `第 ${position} 项缺少 “密钥编号:” 前缀，格式为 “密钥编号:密钥,…”`,
        en: `entry ${position} has no 'keyId:' prefix (format 'keyId:key,…')`
      })
    }
    const keyId = entry.slice(0, colon).trim()
    const problem = keyIdProblem(keyId)
    if (problem !== undefined) {
      return Either.left({ zh: `第 ${position} 项：${problem.zh}`, en: `entry ${position}: ${problem.en}` })
    }
    if (seen.has(keyId)) {
      return Either.left({ zh: `密钥编号 ${keyId} 重复`, en: `key id ${keyId} appears twice` })
    }
    seen.add(keyId)
    result.push([keyId, entry.slice(colon + 1).trim()])
  }
  return Either.right(result)
}

/** @internal */
export type Context = string | ReadonlyArray<string> | undefined

const contextParts = (context: Context): ReadonlyArray<string> =>
  context === undefined ? [] : typeof context === "string" ? [context] : context

/** Associated data: the envelope header and the caller's context, encoded without ambiguity. */
const associatedData = (keyId: string, context: Context): Buffer =>
  Buffer.from(JSON.stringify([VERSION, keyId, ...contextParts(context)]), "utf8")

/** @internal */
export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text)

/** @internal */
export const encrypt = (keyId: string, key: Crypto.KeyObject, plaintext: string, context: Context): string => {
  const iv = Crypto.randomBytes(IV_BYTES)
  const cipher = Crypto.createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(associatedData(keyId, context))
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
  const tag = cipher.getAuthTag()
  return [VERSION, keyId, iv.toString("base64url"), body.toString("base64url"), tag.toString("base64url")].join(".")
}

/** @internal */
export interface Envelope {
  readonly keyId: string
  readonly iv: Buffer
  readonly body: Buffer
  readonly tag: Buffer
}

/** Strict base64url: only canonical encodings are accepted, so one envelope has one spelling. */
const decodeBase64Url = (text: string): Buffer | undefined => {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined
  const bytes = Buffer.from(text, "base64url")
  return bytes.toString("base64url") === text ? bytes : undefined
}

/** @internal */
export const parseEnvelope = (ciphertext: string): Envelope | undefined => {
  const parts = ciphertext.split(".")
  if (parts.length !== 5 || parts[0] !== VERSION || !KEY_ID_PATTERN.test(parts[1])) return undefined
  const iv = decodeBase64Url(parts[2])
  const body = decodeBase64Url(parts[3])
  const tag = decodeBase64Url(parts[4])
  if (iv === undefined || body === undefined || tag === undefined) return undefined
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined
  return { keyId: parts[1], iv, body, tag }
}

/**
 * Opens an envelope. Returns `undefined` when authentication fails (wrong key, wrong context,
 * tampered bytes); GCM releases no plaintext in that case.
 *
 * @internal
 */
export const decrypt = (envelope: Envelope, key: Crypto.KeyObject, context: Context): string | undefined => {
  try {
    const decipher = Crypto.createDecipheriv("aes-256-gcm", key, envelope.iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(associatedData(envelope.keyId, context))
    decipher.setAuthTag(envelope.tag)
    const plaintext = Buffer.concat([decipher.update(envelope.body), decipher.final()])
    return plaintext.toString("utf8")
  } catch {
    return undefined
  }
}

/** @internal */
export type BlindIndexKind = "exact" | "text" | "residentId" | "creditCode" | "phone" | "email"

const compact = (value: string): string => value.normalize("NFKC").replace(/[\s\-‐‑–—]/g, "")

/** @internal */
export const normalizers: Readonly<Record<BlindIndexKind, (value: string) => string>> = {
  exact: (value) => value,
  text: (value) => value.normalize("NFKC").trim().replace(/\s+/g, " "),
  residentId: (value) => compact(value).toUpperCase(),
  creditCode: (value) => compact(value).toUpperCase(),
  phone: (value) => {
    const digits = compact(value).replace(/[().]/g, "")
    const national = /^(?:\+86|0086|86)(1\d{10})$/.exec(digits)
    return national === null ? digits : national[1]
  },
  email: (value) => value.normalize("NFKC").trim().toLowerCase()
}

/** @internal */
export const blindIndex = (
  key: Crypto.KeyObject,
  normalized: string,
  context: Context,
  encoding: "hex" | "base64url"
): string =>
  Crypto.createHmac("sha256", key)
    .update(JSON.stringify(["gz.bi1", contextParts(context), normalized]), "utf8")
    .digest(encoding)

/** @internal */
export const generateKey = (): string => Crypto.randomBytes(KEY_BYTES).toString("base64")

/** @internal */
export const secretKey = (bytes: Buffer): Crypto.KeyObject => {
  const key = Crypto.createSecretKey(bytes)
  bytes.fill(0)
  return key
}

/** @internal */
export const sameKey = (left: Crypto.KeyObject, right: Crypto.KeyObject): boolean => left.equals(right)
