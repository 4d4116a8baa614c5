/**
 * Decoding at the public boundary of the analysis modules with messages that never repeat the
 * input's values (report text may carry phone numbers): only the path and the kind of problem.
 *
 * @internal
 */
import { Effect, ParseResult, Schema } from "effect"

/** Dates of reports: a valid `Date` or an ISO string, between 1900 and 2999. */
const MIN_DATE = new Date("1900-01-01T00:00:00Z")
const MAX_DATE = new Date("2999-12-31T23:59:59Z")
export const Instant = Schema.Union(
  Schema.ValidDateFromSelf.pipe(Schema.betweenDate(MIN_DATE, MAX_DATE)),
  Schema.Date.pipe(Schema.betweenDate(MIN_DATE, MAX_DATE))
)

export interface Issue {
  readonly path: string
  readonly message: string
}

const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`),
    ""
  )

const describe = (issue: ParseResult.ArrayFormatterIssue): string => {
  switch (issue._tag) {
    case "Missing":
      return "缺少此字段 / missing"
    case "Unexpected":
      return "多余的字段 / unexpected"
    case "Type": {
      const expected = /^Expected (.+?), actual/s.exec(issue.message)
      return expected === null ? "类型不符 / wrong type" : `类型不符，应为 ${expected[1]} / expected ${expected[1]}`
    }
    case "Refinement":
    case "Transformation": {
      // messages of our own filters are written without the value; built-in ones quote it
      return /actual|got/i.test(issue.message) ? "取值不合法 / invalid value" : issue.message
    }
    default:
      return "取值不合法 / invalid value"
  }
}

/** Turns a parse error into value-free issues (at most 20, the rest counted). */
export const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<Issue> => {
  // a union reports one issue per member: keep the first issue of each path
  const seen = new Set<string>()
  const all: Array<Issue> = []
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const path = pathText(issue.path) || "(输入)"
    if (seen.has(path)) continue
    seen.add(path)
    all.push({ path, message: describe(issue) })
  }
  const issues = all.slice(0, 20)
  if (all.length > 20) issues.push({ path: "…", message: `另有 ${all.length - 20} 处问题 / ${all.length - 20} more` })
  return issues
}

/** A human summary: "<where>输入不合法：path 问题；…". */
export const summary = (where: string, issues: ReadonlyArray<Issue>): string =>
  `${where}输入不合法：${issues
    .slice(0, 5)
    .map((issue) => `${issue.path} ${issue.message}`)
    .join("；")}${issues.length > 5 ? "；…" : ""} / invalid input`

/** A decoder that fails with `makeError(where, issues)`. */
export const decoder = <A, I, E>(
  schema: Schema.Schema<A, I, never>,
  where: string,
  makeError: (where: string, issues: ReadonlyArray<Issue>) => E
) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })
  return (input: unknown): Effect.Effect<A, E> => {
    const result = decode(input)
    return result._tag === "Right" ? Effect.succeed(result.right) : Effect.fail(makeError(where, issuesOf(result.left)))
  }
}
