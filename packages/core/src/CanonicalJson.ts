/**
 * Canonical JSON: object keys sorted at every level, `undefined` members dropped, dates as ISO
 * strings, so that equal values always serialise to the same text. Hash it to fingerprint a value
 * (audit entries, messages exchanged with other platforms).
 *
 * @since 0.2.0
 */
import { canonicalJson } from "./internal/canonicalJson.js"

/**
 * The canonical JSON text of a value.
 *
 * @since 0.2.0
 * @category utils
 * @example
 * import * as CanonicalJson from "@gongzhi/core/CanonicalJson"
 *
 * CanonicalJson.stringify({ b: 1, a: { d: [2], c: undefined } }) // '{"a":{"d":[2]},"b":1}'
 */
export const stringify: (value: unknown) => string = canonicalJson
