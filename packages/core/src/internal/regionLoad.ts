// What the `Region` loaders report: decoding failures and checker problems told as `RegionProblem`s
// in Chinese, and the edition (`asOf`) given by the data and by the options.
import { Effect, ParseResult } from "effect"
import * as internal from "./region.js"
import { InvalidRegionTree, Region, type RegionCode, RegionProblem } from "./regionSchema.js"
import { RegionTreeImpl } from "./regionTree.js"

const zhExpected = (expected: string): string =>
  expected === "string"
    ? "字符串"
    : expected.startsWith("ReadonlyArray<")
      ? "数组"
      : expected.startsWith("{")
        ? "对象"
        : expected

const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`),
    ""
  )

export const parseErrorProblems = (error: ParseResult.ParseError, input: unknown): Array<RegionProblem> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
    const where = issue.path.length === 0 ? "数据" : `字段 ${pathText(issue.path)}`
    let code: string | undefined
    const [list, index] = issue.path
    if (typeof index === "number" && typeof list === "string") {
      const item = (input as Record<string, unknown> | undefined)?.[list]
      const entry = Array.isArray(item) ? (item[index] as { code?: unknown } | undefined) : undefined
      if (typeof entry?.code === "string") code = entry.code
    } else if (list === "district") {
      const district = (input as { district?: { code?: unknown } }).district
      if (typeof district?.code === "string") code = district.code
    }
    const expected = /^Expected (.+), actual (.+)$/s.exec(issue.message)
    const message =
      issue._tag === "Missing"
        ? `缺少${where}`
        : expected !== null
          ? `${where} 应为${zhExpected(expected[1])}，实际为 ${expected[2]}`
          : `${where}：${issue.message}`
    return new RegionProblem(code === undefined ? { message } : { code, message })
  })

export const fail = (source: string | undefined, problems: ReadonlyArray<RegionProblem>) =>
  Effect.fail(new InvalidRegionTree(source === undefined ? { problems } : { source, problems }))

export const toProblem = (problem: internal.Problem): RegionProblem =>
  new RegionProblem({
    message: problem.message,
    ...(problem.code === undefined ? {} : { code: problem.code }),
    ...(problem.line === undefined ? {} : { line: problem.line })
  })

export const resolveAsOf = (
  fromFile: string | undefined,
  fromOptions: string | undefined,
  problems: Array<RegionProblem>
): string | undefined => {
  if (fromFile !== undefined && fromOptions !== undefined && fromFile !== fromOptions) {
    problems.push(new RegionProblem({ message: `数据中的版本 asOf「${fromFile}」与选项中的「${fromOptions}」不一致` }))
  }
  if (fromFile !== undefined && (fromFile.length === 0 || fromFile.trim() !== fromFile)) {
    problems.push(new RegionProblem({ message: "数据中的版本 asOf 应为非空字符串，例如 2023" }))
  }
  return fromFile ?? fromOptions
}

/** Checks the raw regions and builds the tree, or fails with every problem (`earlier` ones first). */
export const build = (
  raw: ReadonlyArray<internal.RawRegion>,
  asOf: string | undefined,
  source: string | undefined,
  earlier: ReadonlyArray<RegionProblem> = []
): Effect.Effect<RegionTreeImpl, InvalidRegionTree> => {
  const problems = [...earlier]
  if (asOf === undefined) {
    problems.push(new RegionProblem({ message: '缺少区划版本 asOf（可在选项中给出，例如 { asOf: "2023" }）' }))
  }
  const checked = internal.checkRegions(raw)
  if (checked._tag === "Left") problems.push(...checked.problems.map(toProblem))
  if (problems.length > 0 || checked._tag === "Left" || asOf === undefined) return fail(source, problems)
  const regions = checked.regions.map(
    (region) =>
      new Region(
        {
          code: region.code as RegionCode,
          name: region.name,
          level: region.level,
          kind: region.kind,
          ...(region.parentCode === undefined ? {} : { parentCode: region.parentCode as RegionCode })
        },
        { disableValidation: true }
      )
  )
  return Effect.succeed(new RegionTreeImpl(asOf, source, regions))
}
