import type { ParseResult } from "effect"
import { SchemaAST as AST, Option, ParseResult as PR } from "effect"

/** A dotted path of property names, e.g. `volunteer.name`. */
export const PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g

/** One piece of a compiled string template: literal text, or the value at a path. */
export type Segment = { readonly literal: string } | { readonly path: ReadonlyArray<string> }

/** A string template split into segments, or the reason it cannot be. */
export type Compiled =
  | { readonly _tag: "Ok"; readonly segments: ReadonlyArray<Segment>; readonly paths: ReadonlyArray<string> }
  | { readonly _tag: "Invalid"; readonly detail: string }

/** Splits `text` at its `{{path}}` placeholders (spaces inside the braces are allowed). */
export const compile = (text: string): Compiled => {
  const segments: Array<Segment> = []
  const paths: Array<string> = []
  let last = 0
  for (const match of text.matchAll(PLACEHOLDER)) {
    const index = match.index ?? 0
    const path = match[1].trim()
    if (!PATH.test(path)) return { _tag: "Invalid", detail: `占位符 {{${match[1]}}} 格式无效` }
    if (index > last) segments.push({ literal: text.slice(last, index) })
    segments.push({ path: path.split(".") })
    paths.push(path)
    last = index + match[0].length
  }
  if (last < text.length) segments.push({ literal: text.slice(last) })
  for (const segment of segments) {
    if ("literal" in segment && (segment.literal.includes("{{") || segment.literal.includes("}}"))) {
      return { _tag: "Invalid", detail: "花括号 {{ }} 未成对出现" }
    }
  }
  return { _tag: "Ok", segments, paths }
}

/** The value at `path` in `value` (undefined when a step is missing). */
export const get = (value: unknown, path: ReadonlyArray<string>): unknown => {
  let current: unknown = value
  for (const key of path) {
    if (current === null || current === undefined) return undefined
    if (typeof current !== "object" && typeof current !== "function") return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

/**
 * Whether `path` names a field of the values a schema AST describes (its decoded side, the side a
 * template renders from). Unknown / Any / object keywords accept every path below them.
 */
export const hasPath = (ast: AST.AST, path: ReadonlyArray<string>): boolean => {
  if (path.length === 0) return true
  const [head, ...rest] = path
  return fieldsNamed(ast, head).some((field) => hasPath(field, rest))
}

const OPEN = Symbol("open")

/** The ASTs of the field `name` (several for unions); `[]` when there is no such field. */
const fieldsNamed = (ast: AST.AST, name: string): ReadonlyArray<AST.AST> => {
  const found = fieldOf(ast, name, 0)
  return found === OPEN ? [AST.unknownKeyword] : found
}

const fieldOf = (ast: AST.AST, name: string, depth: number): ReadonlyArray<AST.AST> | typeof OPEN => {
  if (depth > 32) return []
  const surrogate = AST.getSurrogateAnnotation(ast)
  if (Option.isSome(surrogate)) return fieldOf(surrogate.value, name, depth + 1)
  switch (ast._tag) {
    case "Transformation":
      return fieldOf(ast.to, name, depth + 1)
    case "Refinement":
      return fieldOf(ast.from, name, depth + 1)
    case "Suspend":
      return fieldOf(ast.f(), name, depth + 1)
    case "UnknownKeyword":
    case "AnyKeyword":
    case "ObjectKeyword":
      return OPEN
    case "TypeLiteral": {
      const property = ast.propertySignatures.find((signature) => signature.name === name)
      if (property) return [property.type]
      const index = ast.indexSignatures.find((signature) => signature.parameter._tag !== "SymbolKeyword")
      return index ? [index.type] : []
    }
    case "Union": {
      const out: Array<AST.AST> = []
      for (const member of ast.types) {
        const found = fieldOf(member, name, depth + 1)
        if (found === OPEN) return OPEN
        out.push(...found)
      }
      return out
    }
    default:
      return []
  }
}

/**
 * The names of the fields a caller must provide, i.e. the required property signatures on the
 * encoded side of a schema (what a mapping produces before decoding). Empty when the schema is not
 * a struct (nothing can be checked then).
 */
export const requiredInputFields = (ast: AST.AST): ReadonlyArray<string> => {
  const encoded = AST.encodedAST(ast)
  let signatures: ReadonlyArray<AST.PropertySignature>
  try {
    signatures = AST.getPropertySignatures(encoded)
  } catch {
    return []
  }
  return signatures
    .filter((signature) => !signature.isOptional && typeof signature.name === "string")
    .filter((signature) => !acceptsUndefined(signature.type))
    .map((signature) => signature.name as string)
}

/** Every field name on the encoded side (required or not). */
export const inputFields = (ast: AST.AST): ReadonlyArray<string> | undefined => {
  const encoded = AST.encodedAST(ast)
  if (encoded._tag !== "TypeLiteral") return undefined
  if (encoded.indexSignatures.length > 0) return undefined
  return encoded.propertySignatures.filter((s) => typeof s.name === "string").map((s) => s.name as string)
}

const acceptsUndefined = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "UndefinedKeyword":
    case "UnknownKeyword":
    case "AnyKeyword":
      return true
    case "Union":
      return ast.types.some(acceptsUndefined)
    default:
      return false
  }
}

/**
 * Describes a parse error by the paths at fault only, never the values (which may be personal data):
 * "缺少字段 name；字段 deadline 格式不对".
 */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = PR.ArrayFormatter.formatErrorSync(error)
  const parts = new Set<string>()
  for (const issue of issues) {
    const path = issue.path.map(String).join(".")
    if (issue._tag === "Missing") parts.add(`缺少字段 ${path === "" ? "(根)" : path}`)
    else if (issue._tag === "Unexpected") parts.add(`多余字段 ${path}`)
    else parts.add(path === "" ? "数据格式不对" : `字段 ${path} 格式不对`)
  }
  return parts.size === 0 ? "数据格式不对" : [...parts].slice(0, 10).join("；")
}

/** Masks an address for logs: keeps the first two and last two characters. */
export const maskAddress = (address: string): string => {
  const chars = [...address]
  if (chars.length <= 4) return "*".repeat(chars.length)
  return `${chars.slice(0, 2).join("")}${"*".repeat(Math.min(chars.length - 4, 8))}${chars.slice(-2).join("")}`
}
