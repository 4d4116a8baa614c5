/**
 * The GeoReport v2 XML shapes, written by hand (a few fixed element names, no attributes): an array becomes a
 * list of `item` elements, an object its fields as elements in order, `null`/`undefined` an empty element.
 */

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" }

// Characters XML 1.0 cannot carry even escaped: control characters but tab, LF and CR (C1 ones too, which it
// only discourages), lone surrogates (in `u` mode a pair is one code point and does not match), U+FFFE/U+FFFF.
const FORBIDDEN = /[\uD800-\uDFFF\uFFFE\uFFFF]|[^\P{Cc}\t\n\r]/gu

/** Text content: escaped, with the characters XML cannot carry replaced by U+FFFD. */
export const text = (value: string): string =>
  value.replace(FORBIDDEN, "\uFFFD").replace(/[&<>"']/g, (c) => escapes[c] as string)

/** Where an array's items go: `{ services: "service" }` writes `<services><service>…</service>…</services>`. */
export type ItemNames = Readonly<Record<string, string>>

const element = (name: string, value: unknown, items: ItemNames): string => {
  if (value === null || value === undefined) return `<${name}/>`
  if (Array.isArray(value)) {
    const item = items[name] ?? "item"
    return `<${name}>${value.map((v) => element(item, v, items)).join("")}</${name}>`
  }
  if (typeof value === "object") {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([key, v]) => element(key, v, items))
      .join("")
    return `<${name}>${inner}</${name}>`
  }
  return `<${name}>${text(String(value))}</${name}>`
}

/** A document: the declaration and one root element. */
export const document = (root: string, value: unknown, items: ItemNames): string =>
  `<?xml version="1.0" encoding="utf-8"?>${element(root, value, items)}`
