import { createHmac } from "node:crypto"

/** base64(HMAC-SHA256(key, message)), both UTF-8. */
export const hmacSha256Base64 = (key: string, message: string): string =>
  createHmac("sha256", key).update(message, "utf8").digest("base64")

/**
 * Cuts `text` to at most `maxBytes` bytes of UTF-8 without splitting a character, ending with "…"
 * when something was cut.
 */
export const truncateUtf8 = (text: string, maxBytes: number): string => {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text
  const ellipsis = "…"
  const budget = maxBytes - Buffer.byteLength(ellipsis, "utf8")
  let used = 0
  let result = ""
  for (const char of text) {
    const size = Buffer.byteLength(char, "utf8")
    if (used + size > budget) break
    used += size
    result += char
  }
  return result + ellipsis
}
