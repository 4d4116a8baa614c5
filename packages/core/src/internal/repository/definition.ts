import { Either, ParseResult, Schema } from "effect"
import type { Column, ColumnType, ColumnValue, Condition, Definition } from "../../Repository.js"
import { StorageError } from "../../StorageError.js"

// ---------------------------------------------------------------------------------------------
// definition
// ---------------------------------------------------------------------------------------------

export const IDENTIFIER = /^[a-z][a-z0-9_]{0,55}$/
const RESERVED = new Set(["tenant_id", "id", "version", "doc"])

export const define = <A, I>(definition: Definition<A, I>): Definition<A, I> => {
  const problems: Array<string> = []
  if (!IDENTIFIER.test(definition.table)) problems.push(`table name "${definition.table}" must match ${IDENTIFIER}`)
  const columns = definition.columns ?? {}
  for (const name of Object.keys(columns)) {
    if (!IDENTIFIER.test(name)) problems.push(`column name "${name}" must match ${IDENTIFIER}`)
    if (RESERVED.has(name)) problems.push(`column name "${name}" is reserved`)
  }
  const known = (name: string) => name === "id" || Object.hasOwn(columns, name)
  for (const index of definition.indexes ?? []) {
    if (index.length === 0) problems.push("an index needs at least one column")
    for (const name of index) if (!known(name)) problems.push(`index column "${name}" is not a defined column`)
  }
  for (const [name, index] of Object.entries(definition.unique ?? {})) {
    if (!IDENTIFIER.test(name)) problems.push(`unique rule name "${name}" must match ${IDENTIFIER}`)
    if (index.length === 0) problems.push(`unique rule "${name}" needs at least one column`)
    for (const column of index) if (!known(column)) problems.push(`unique column "${column}" is not a defined column`)
  }
  if (problems.length > 0) {
    throw new Error(`Invalid repository definition for ${definition.entity}: ${problems.join("; ")}`)
  }
  return definition
}

// ---------------------------------------------------------------------------------------------
// values
// ---------------------------------------------------------------------------------------------

export const toStored = (type: ColumnType, value: unknown): ColumnValue => {
  if (value === null || value === undefined) return null
  switch (type) {
    case "text":
      return String(value)
    case "integer":
      return typeof value === "number" ? value : Number(value)
    case "timestamp":
      return value instanceof Date ? value.getTime() : typeof value === "number" ? value : Number(value)
    case "boolean":
      return value === true || value === 1 || value === "1" || value === "true" ? 1 : 0
  }
}

export const fromStored = (type: ColumnType, value: unknown): ColumnValue => {
  if (value === null || value === undefined) return null
  switch (type) {
    case "text":
      return String(value)
    case "integer":
    case "timestamp":
      return Number(value)
    case "boolean":
      return value === true || value === 1 || value === "1"
  }
}

export interface Codec<A> {
  readonly encode: (value: A) => Either.Either<string, StorageError>
  readonly decode: (doc: unknown) => Either.Either<A, StorageError>
}

export const makeCodec = <A, I>(definition: Definition<A, I>): Codec<A> => {
  const encode = Schema.encodeEither(definition.schema)
  const decode = Schema.decodeUnknownEither(definition.schema)
  return {
    encode: (value) =>
      Either.match(encode(value), {
        onLeft: (error) =>
          Either.left(
            new StorageError({
              operation: `${definition.entity}.encode`,
              reason: ParseResult.TreeFormatter.formatErrorSync(error),
              retryable: false
            })
          ),
        onRight: (encoded) => Either.right(JSON.stringify(encoded))
      }),
    decode: (doc) => {
      let parsed: unknown = doc
      if (typeof doc === "string") {
        try {
          parsed = JSON.parse(doc)
        } catch {
          return Either.left(
            new StorageError({
              operation: `${definition.entity}.decode`,
              reason: "stored document is not valid JSON",
              retryable: false
            })
          )
        }
      }
      return Either.mapLeft(
        decode(parsed),
        (error) =>
          new StorageError({
            operation: `${definition.entity}.decode`,
            reason: `stored document does not match the schema: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
            retryable: false
          })
      )
    }
  }
}

export const columnEntries = <A>(definition: Definition<A, any>): ReadonlyArray<readonly [string, Column<A>]> =>
  Object.entries(definition.columns ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

export const columnType = (definition: Definition<any, any>, name: string): ColumnType =>
  name === "id" ? "text" : (definition.columns?.[name]?.type ?? "text")

export const checkColumn = (definition: Definition<any, any>, name: string): void => {
  if (name !== "id" && !Object.hasOwn(definition.columns ?? {}, name)) {
    throw new Error(`${definition.entity}: "${name}" is not an indexed column`)
  }
}

export const encodeCursor = (key: ColumnValue, id: string): string =>
  Buffer.from(JSON.stringify([key, id]), "utf8").toString("base64url")

export const decodeCursor = (cursor: string): readonly [ColumnValue, string] | undefined => {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === "string") {
      return [parsed[0] as ColumnValue, parsed[1]]
    }
  } catch {
    // fall through
  }
  return undefined
}

export const badCursor = (entity: string) =>
  new StorageError({ operation: `${entity}.page`, reason: "分页游标无效 / invalid cursor", retryable: false })

export const isRange = (
  condition: Condition
): condition is { readonly gte?: number | string; readonly lt?: number | string } =>
  typeof condition === "object" && condition !== null && !("in" in condition)

/** Orders stored values: NULL first, then ascending (numbers numerically, text by code unit). */
export const compare = (a: ColumnValue, b: ColumnValue): number => {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  return a < b ? -1 : 1
}
