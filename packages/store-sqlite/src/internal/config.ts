/** Decodes the percent-escapes of a path, leaving it as is when they are malformed. */
const decodePath = (path: string): string => {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/**
 * The file named by a database URL: `sqlite:///abs/file.db`, `sqlite://relative.db`,
 * `sqlite:relative.db`, `file:/abs/file.db`, `file:///abs/file.db`, `sqlite::memory:` (and `:memory:`).
 * A query string is ignored. Returns the scheme found when it is not a SQLite one.
 */
export const filenameFromUrl = (
  url: string
):
  | { readonly _tag: "File"; readonly filename: string }
  | { readonly _tag: "OtherScheme"; readonly scheme: string }
  | { readonly _tag: "Invalid" } => {
  const trimmed = url.trim()
  if (trimmed === ":memory:") return { _tag: "File", filename: ":memory:" }
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(trimmed)
  if (match === null) return { _tag: "Invalid" }
  const scheme = match[1].toLowerCase()
  if (scheme !== "sqlite" && scheme !== "sqlite3" && scheme !== "file") return { _tag: "OtherScheme", scheme }
  let rest = match[2]
  const query = rest.indexOf("?")
  if (query >= 0) rest = rest.slice(0, query)
  if (rest.startsWith("//")) rest = rest.slice(2)
  const filename = decodePath(rest)
  if (filename === "" || filename === "/") return { _tag: "Invalid" }
  return { _tag: "File", filename }
}
