/**
 * Routing (派单规则): which department handles a report, as data. A rule names a category (a code or a code
 * prefix such as `GL`) and/or a region (a code prefix: street or community), and a department; the most specific
 * matching rule wins — the longer category first, then the longer region — and when nothing matches, the
 * district's fallback department (usually the district's 民情 centre) receives the report.
 *
 * Category beats region on purpose: a water outage goes to the water company even where a street has a general
 * rule, while a street's own city-management team beats the district's for 市容城管 in that street.
 *
 * @since 0.1.0
 */
import type * as Region from "@gongzhi/core/Region"
import { Effect, Either, ParseResult, Schema } from "effect"
import * as Taxonomy from "./Taxonomy.js"

/**
 * A department code (承办单位编码), e.g. `ps-water` or `440310001-cg`. Staff of a department carry this code
 * in `Staff.department`.
 *
 * @since 0.1.0
 * @category models
 */
export const DepartmentCode = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, {
    message: () => "承办单位编码应为 1–64 位字母、数字或 _ . : -，以字母或数字开头"
  }),
  Schema.brand("@gongzhi/opinion/DepartmentCode"),
  Schema.annotations({ identifier: "DepartmentCode", title: "承办单位编码" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type DepartmentCode = typeof DepartmentCode.Type

/**
 * A department (承办单位).
 *
 * @since 0.1.0
 * @category models
 */
export class Department extends Schema.Class<Department>("@gongzhi/opinion/Department")({
  code: DepartmentCode,
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100))
}) {}

/**
 * A routing rule: a category code or prefix, a region code prefix, or both, and the department.
 *
 * @since 0.1.0
 * @category models
 */
export class Rule extends Schema.Class<Rule>("@gongzhi/opinion/RoutingRule")({
  category: Schema.optionalWith(
    Schema.String.pipe(
      Schema.pattern(/^[A-Z]{2}(?:\d{2})*$/, { message: () => "分类应为分类编码或其前缀，例如 GL 或 GL02" })
    ),
    { exact: true }
  ),
  region: Schema.optionalWith(
    Schema.String.pipe(Schema.pattern(/^\d{6,}$/, { message: () => "区划应为区划代码或其前缀，例如 440310001" })),
    { exact: true }
  ),
  department: DepartmentCode,
  note: Schema.optionalWith(Schema.String, { exact: true })
}) {}

/**
 * The routing table of a district: its departments, rules and fallback department.
 *
 * @since 0.1.0
 * @category models
 */
export class RoutingTable extends Schema.Class<RoutingTable>("@gongzhi/opinion/RoutingTable")({
  departments: Schema.NonEmptyArray(Department),
  rules: Schema.Array(Rule),
  fallback: DepartmentCode
}) {}

/**
 * A routing table that cannot be used; lists every problem.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRoutingTable extends Schema.TaggedError<InvalidRoutingTable>(
  "@gongzhi/opinion/InvalidRoutingTable"
)("InvalidRoutingTable", { problems: Schema.Array(Schema.String) }) {
  override get message(): string {
    return `派单规则有 ${this.problems.length} 处问题：\n${this.problems.map((p, i) => `${i + 1}. ${p}`).join("\n")}\n / invalid routing table`
  }
}

/**
 * The problems of a table (empty when usable): unknown departments, rules with neither category nor region, two
 * rules for the same category and region, and — when given — categories not in the taxonomy and regions not in
 * the region tree.
 *
 * @since 0.1.0
 * @category constructors
 */
export const problems = (
  table: RoutingTable,
  context: { readonly taxonomy?: Taxonomy.Taxonomy | undefined; readonly regions?: Region.RegionTree | undefined } = {}
): ReadonlyArray<string> => {
  const out: Array<string> = []
  const departments = new Set<string>()
  for (const d of table.departments) {
    if (departments.has(d.code)) out.push(`承办单位 ${d.code} 重复`)
    departments.add(d.code)
  }
  if (!departments.has(table.fallback)) out.push(`兜底承办单位 ${table.fallback} 不在承办单位列表中`)
  const seen = new Map<string, number>()
  table.rules.forEach((rule, i) => {
    const where = `第 ${i + 1} 条规则`
    if (rule.category === undefined && rule.region === undefined) out.push(`${where}既没有分类也没有区划`)
    if (!departments.has(rule.department)) out.push(`${where}的承办单位 ${rule.department} 不在承办单位列表中`)
    if (
      rule.category !== undefined &&
      context.taxonomy !== undefined &&
      Taxonomy.findCategory(context.taxonomy, rule.category) === undefined
    ) {
      out.push(`${where}的分类 ${rule.category} 不在诉求分类中`)
    }
    if (rule.region !== undefined && context.regions !== undefined) {
      const known = context.regions.regions.some((r) => r.code === rule.region)
      if (!known) out.push(`${where}的区划 ${rule.region} 不在区划数据中`)
    }
    const key = `${rule.category ?? ""}|${rule.region ?? ""}`
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      out.push(`${where}与第 ${earlier + 1} 条规则的分类和区划相同，无法判断派给哪个单位`)
    } else seen.set(key, i)
  })
  return out
}

/**
 * Checks a table (optionally against a taxonomy and a region tree).
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = (
  table: RoutingTable,
  context: { readonly taxonomy?: Taxonomy.Taxonomy | undefined; readonly regions?: Region.RegionTree | undefined } = {}
): Either.Either<RoutingTable, InvalidRoutingTable> => {
  const found = problems(table, context)
  return found.length === 0 ? Either.right(table) : Either.left(new InvalidRoutingTable({ problems: [...found] }))
}

/**
 * Decodes a routing table from configuration (JSON) and checks it.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import * as Routing from "@gongzhi/opinion/Routing"
 *
 * const table = Routing.decode({
 *   departments: [
 *     { code: "ps-center", name: "坪山区民情中心" },
 *     { code: "ps-water", name: "坪山区水务局" },
 *     { code: "ps-001-cg", name: "坪山街道城管办" }
 *   ],
 *   rules: [
 *     { category: "GF01", department: "ps-water" },
 *     { category: "GL02", region: "440310001", department: "ps-001-cg" }
 *   ],
 *   fallback: "ps-center"
 * })
 */
export const decode = (
  input: unknown,
  context: { readonly taxonomy?: Taxonomy.Taxonomy | undefined; readonly regions?: Region.RegionTree | undefined } = {}
): Effect.Effect<RoutingTable, InvalidRoutingTable> =>
  Schema.decodeUnknown(RoutingTable, { errors: "all" })(input).pipe(
    Effect.mapError(
      (error) =>
        new InvalidRoutingTable({
          problems: ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
            issue.path.length === 0 ? issue.message : `${issue.path.join(".")}：${issue.message}`
          )
        })
    ),
    Effect.flatMap((table) => validate(table, context))
  )

/**
 * The result of routing: the department and the rule that chose it (absent for the fallback).
 *
 * @since 0.1.0
 * @category models
 */
export interface Route {
  readonly department: DepartmentCode
  readonly rule: Rule | undefined
}

/**
 * Whether a rule applies to a category and a region code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const matches = (rule: Rule, subject: { readonly category: string; readonly regionCode: string }): boolean =>
  (rule.category === undefined || subject.category.startsWith(rule.category)) &&
  (rule.region === undefined || subject.regionCode.startsWith(rule.region))

/**
 * The department for a report: the most specific matching rule (longer category first, then longer region),
 * or the fallback. `regionCode` is the report's community (or grid) code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const route = (
  table: RoutingTable,
  subject: { readonly category: string; readonly regionCode: string }
): Route => {
  let best: Rule | undefined
  for (const rule of table.rules) {
    if (!matches(rule, subject)) continue
    if (best === undefined || compareSpecificity(rule, best) > 0) best = rule
  }
  return { department: best?.department ?? table.fallback, rule: best }
}

const compareSpecificity = (a: Rule, b: Rule): number =>
  (a.category?.length ?? 0) - (b.category?.length ?? 0) || (a.region?.length ?? 0) - (b.region?.length ?? 0)

/**
 * The name of a department (the code when unknown).
 *
 * @since 0.1.0
 * @category accessors
 */
export const departmentName = (table: RoutingTable, code: string): string =>
  table.departments.find((d) => d.code === code)?.name ?? code
