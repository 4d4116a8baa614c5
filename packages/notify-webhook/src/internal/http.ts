import { createHmac, timingSafeEqual } from "node:crypto"

/** HMAC-SHA256 of `message` under `key`, as lower-case hex. */
export const hmacSha256Hex = (key: string, message: string): string =>
  createHmac("sha256", key).update(message, "utf8").digest("hex")

/** Compares two strings in time independent of where they differ (lengths are not secret). */
export const constantTimeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a, "utf8")
  const right = Buffer.from(b, "utf8")
  if (left.length !== right.length) {
    // still spend the comparison, so a length mismatch is not faster to find than a wrong byte
    timingSafeEqual(left, left)
    return false
  }
  return timingSafeEqual(left, right)
}
