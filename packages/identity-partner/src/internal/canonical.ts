/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `JSON.stringify` escaping.
 * Only plain data (strings, finite numbers, booleans, null, arrays, objects) is expected.
 */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort()
    return `{${keys
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}
