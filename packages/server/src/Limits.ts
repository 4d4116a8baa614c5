/**
 * The server's limits besides the body size: per-IP and per-key rate limits (token buckets: `burst` requests at
 * once, refilled at `perSecond`; past them `429` with `Retry-After` and a problem document), the request timeout
 * (past it the handler is interrupted and the answer is a `503` problem) and the nesting depth of a JSON body
 * (deeper → `400` problem, before any handler parses it). A key is the caller's bearer token or Open311
 * `api_key` (kept as its SHA-256 only); the IP is the socket's peer address (a proxy in front should limit per
 * client itself). `false` turns a rate limit off.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A token bucket: `burst` requests at once, `perSecond` more every second.
 *
 * @since 0.1.0
 * @category models
 */
export const Rate = Schema.Struct({
  burst: Schema.Int.pipe(
    Schema.between(1, 1_000_000, { message: () => "burst：突发请求数应为 1 到 1000000 之间的整数" })
  ),
  perSecond: Schema.Number.pipe(
    Schema.greaterThan(0, { message: () => "perSecond：每秒补充数应大于 0" }),
    Schema.lessThanOrEqualTo(1_000_000, { message: () => "perSecond：每秒补充数不能超过 1000000" })
  )
}).annotations({ identifier: "Rate", title: "令牌桶限流" })

/**
 * @since 0.1.0
 * @category models
 */
export type Rate = typeof Rate.Type

const RateOrOff = Schema.Union(Rate, Schema.Literal(false))

/**
 * The limits (each optional in the input; defaults: 120 requests at once then 20 a second per IP, 60 then 10 a
 * second per key, 30 seconds a request, JSON nested 32 deep).
 *
 * @since 0.1.0
 * @category models
 */
export const Limits = Schema.Struct({
  perIp: Schema.optionalWith(RateOrOff, { default: () => ({ burst: 120, perSecond: 20 }) }),
  perKey: Schema.optionalWith(RateOrOff, { default: () => ({ burst: 60, perSecond: 10 }) }),
  requestTimeoutMs: Schema.optionalWith(
    Schema.Int.pipe(Schema.between(1, 600_000, { message: () => "requestTimeoutMs：请求超时应为 1 到 600000 毫秒" })),
    { default: () => 30_000 }
  ),
  maxJsonDepth: Schema.optionalWith(
    Schema.Int.pipe(Schema.between(1, 1000, { message: () => "maxJsonDepth：JSON 嵌套层数应为 1 到 1000" })),
    { default: () => 32 }
  )
}).annotations({ identifier: "Limits", title: "服务限额" })

/**
 * The limits as configured (defaults filled in).
 *
 * @since 0.1.0
 * @category models
 */
export type Limits = typeof Limits.Type

/**
 * The limits as given in the server options.
 *
 * @since 0.1.0
 * @category models
 */
export type LimitsInput = typeof Limits.Encoded

/**
 * The nesting depth of a JSON text (objects and arrays; strings skipped), counted in one pass without parsing;
 * stops counting past `max` (returns `max + 1`).
 *
 * @since 0.1.0
 * @category accessors
 * @example
 * import * as Limits from "@gongzhi/server/Limits"
 *
 * Limits.jsonDepth('{"a":[{"b":"[[["}]}', 32) // 3
 */
export const jsonDepth = (json: string, max: number): number => {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i)
    if (inString) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > max) return max + 1
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--
  }
  return deepest
}
