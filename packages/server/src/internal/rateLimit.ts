/**
 * Token buckets keyed by caller (an IP address, an API key's hash): each holds up to `burst` tokens and gains
 * `perSecond` a second; a request takes one. The map is bounded: past `maxKeys` the least recently seen caller is
 * forgotten (it starts again with a full bucket, which only ever errs on the side of letting a request through).
 */

/** A bucket's size and refill rate. */
export interface Rate {
  readonly burst: number
  readonly perSecond: number
}

interface Bucket {
  tokens: number
  at: number
}

/** Takes a token for `key` at `now` (ms): `undefined` when allowed, else the seconds to wait for the next one. */
export type Take = (key: string, now: number) => number | undefined

export const make = (rate: Rate, maxKeys = 10_000): Take => {
  const buckets = new Map<string, Bucket>()
  return (key, now) => {
    const found = buckets.get(key)
    const bucket: Bucket = found ?? { tokens: rate.burst, at: now }
    if (found !== undefined) buckets.delete(key)
    else if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string)
    bucket.tokens = Math.min(rate.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * rate.perSecond)
    bucket.at = now
    buckets.set(key, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return undefined
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate.perSecond))
  }
}
