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

/** The envelope bound to a record id as well (associated data: version, key id, context, record id). @internal */
export const VERSION_RECORD = "gz2"

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
  const weak = weakness(bytes)
  if (weak !== undefined) return Either.left(weak)
  return Either.right(bytes)
}

/**
 * Why 32 bytes do not look like a random key, or `undefined`. Every test has a chance below 2⁻⁴⁰
 * of refusing a key from a cryptographic random generator: all bytes equal; a repeated block of
 * up to 16 bytes; a byte sequence with a constant step (00 01 02 …); fewer than 12 distinct bytes
 * (a random key has about 30); only printable ASCII (a passphrase, not random bytes).
 *
 * @internal
 */
export const weakness = (bytes: Uint8Array): Problem | undefined => {
  if (bytes.every((byte) => byte === bytes[0])) {
    return { zh: "密钥疑似占位值（所有字节相同）", en: "the key looks like a placeholder (all bytes are equal)" }
  }
  for (let period = 1; period <= bytes.length / 2; period++) {
    if (bytes.every((byte, i) => i < period || byte === bytes[i - period])) {
      return {
        zh: `密钥由 ${period} 字节的片段重复而成，不是随机密钥`,
        en: `the key repeats a ${period}-byte pattern: it is not random`
      }
    }
  }
  const step = (bytes[1] - bytes[0] + 256) % 256
  if (bytes.every((byte, i) => i === 0 || (byte - bytes[i - 1] + 256) % 256 === step)) {
    return { zh: "密钥是等差字节序列，不是随机密钥", en: "the key is a counting sequence of bytes: it is not random" }
  }
  if (new Set(bytes).size < 12) {
    return {
      zh: "密钥字节取值过少（熵不足），不是随机密钥",
      en: "the key has too few distinct bytes: it is not random"
    }
  }
  if (bytes.every((byte) => byte >= 0x20 && byte < 0x7f)) {
    return {
      zh: "密钥全部由可打印字符组成，疑似口令而非随机密钥（请用 openssl rand -base64 32 生成）",
      en: "the key is printable text, a passphrase rather than random bytes (generate one with openssl rand -base64 32)"
    }
  }
  return undefined
}

/**
 * Keys published in specifications, tutorials and this project's documentation, by SHA-256 of their
 * bytes: anyone may hold them, so they are refused outside tests.
 */
const KNOWN_TEST_KEYS: ReadonlySet<string> = new Set([
  // NIST SP 800-38A F.5.5 (AES-256 CTR/CBC example key)
  "b93c72b74bc8487d29827005f80d635918f91bc22b14d7ed05714d58f96702dd",
  // the example key of docs/security.md ("example only, refused")
  "f00a4bb3c8df2ed999c521d531d8f1dbce112d1dcfd8a249f742a40de5612059"
])

/**
 * Whether these key bytes are a publicly known test key (see {@link KNOWN_TEST_KEYS}).
 *
 * @internal
 */
export const isKnownTestKey = (bytes: Uint8Array): boolean =>
  KNOWN_TEST_KEYS.has(Crypto.createHash("sha256").update(bytes).digest("hex"))

/**
 * Whether this process runs under a test runner (`NODE_ENV=test` or vitest's `VITEST`), where
 * well-known test keys are tolerated.
 *
 * @internal
 */
export const isTestProcess = (): boolean => process.env.NODE_ENV === "test" || process.env.VITEST !== undefined

/** @internal */
export const knownTestKeyProblem: Problem = {
  zh: "这是公开的测试密钥，任何人都知道；只能在测试中使用（或显式设置 allowTestKeys）",
  en: "this is a published test key that anyone knows; it is accepted only in tests (or with allowTestKeys)"
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

/**
 * Associated data: the envelope header and the caller's context, encoded without ambiguity; `gz2`
 * adds the record id as a separate element, so no context can be confused with a record binding.
 */
const associatedData = (version: string, keyId: string, context: Context, recordId: string | undefined): Buffer =>
  Buffer.from(
    JSON.stringify(
      version === VERSION
        ? [VERSION, keyId, ...contextParts(context)]
        : [VERSION_RECORD, keyId, contextParts(context), recordId]
    ),
    "utf8"
  )

/** @internal */
export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text)

/** @internal */
export const encrypt = (
  keyId: string,
  key: Crypto.KeyObject,
  plaintext: string,
  context: Context,
  recordId?: string | undefined
): string => {
  const version = recordId === undefined ? VERSION : VERSION_RECORD
  const iv = Crypto.randomBytes(IV_BYTES)
  const cipher = Crypto.createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(associatedData(version, keyId, context, recordId))
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
  const tag = cipher.getAuthTag()
  return [version, keyId, iv.toString("base64url"), body.toString("base64url"), tag.toString("base64url")].join(".")
}

/** @internal */
export interface Envelope {
  readonly version: typeof VERSION | typeof VERSION_RECORD
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
  const version = parts[0]
  if (parts.length !== 5 || (version !== VERSION && version !== VERSION_RECORD) || !KEY_ID_PATTERN.test(parts[1])) {
    return undefined
  }
  const iv = decodeBase64Url(parts[2])
  const body = decodeBase64Url(parts[3])
  const tag = decodeBase64Url(parts[4])
  if (iv === undefined || body === undefined || tag === undefined) return undefined
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined
  return { version, keyId: parts[1], iv, body, tag }
}

/**
 * Opens an envelope. Returns `undefined` when authentication fails (wrong key, wrong context,
 * tampered bytes); GCM releases no plaintext in that case.
 *
 * @internal
 */
export const decrypt = (
  envelope: Envelope,
  key: Crypto.KeyObject,
  context: Context,
  recordId?: string | undefined
): string | undefined => {
  // a record-bound envelope opens only with its record id; a gz1 one ignores it (written before binding)
  if (envelope.version === VERSION_RECORD && recordId === undefined) return undefined
  try {
    const decipher = Crypto.createDecipheriv("aes-256-gcm", key, envelope.iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(associatedData(envelope.version, envelope.keyId, context, recordId))
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
