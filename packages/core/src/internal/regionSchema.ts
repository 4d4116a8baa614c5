// The schemas of `Region`: levels, kinds, codes, names, the region itself, the two document formats
// and the errors. Re-exported by `Region.ts`, which documents them as its own.
import type { FastCheck } from "effect"
import { Schema } from "effect"
import * as internal from "./region.js"

// ---------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------

/**
 * Level of a region in the tree: district (区县) → street (街道/乡镇) → community (社区/村) → grid (网格).
 *
 * @since 0.1.0
 * @category models
 */
export const RegionLevel = Schema.Literal("district", "street", "community", "grid").annotations({
  identifier: "RegionLevel",
  title: "区划层级"
})

/**
 * @since 0.1.0
 * @category models
 */
export type RegionLevel = typeof RegionLevel.Type

/**
 * Kind of a region, read from its code: `district` 区县; township level `subdistrict` 街道, `town` 镇,
 * `township` 乡, `township-like` 类似乡级单位 (开发区、保税区…); village level `residents-committee`
 * 居委会 (社区), `villagers-committee` 村委会, `virtual-community` 虚拟社区等; and `grid` 网格.
 *
 * @since 0.1.0
 * @category models
 */
export const RegionKind = Schema.Literal(
  "district",
  "subdistrict",
  "town",
  "township",
  "township-like",
  "residents-committee",
  "villagers-committee",
  "virtual-community",
  "grid"
).annotations({ identifier: "RegionKind", title: "区划类别" })

/**
 * @since 0.1.0
 * @category models
 */
export type RegionKind = typeof RegionKind.Type

type FastCheckModule = typeof FastCheck

const codeArbitrary = (fc: FastCheckModule) => {
  const digits = (from: number, to: number, width: number) =>
    fc.integer({ min: from, max: to }).map((n) => String(n).padStart(width, "0"))
  return fc
    .tuple(
      digits(100000, 999999, 6),
      fc.option(digits(1, 599, 3), { nil: "" }),
      fc.option(digits(1, 499, 3), { nil: "" }),
      fc.option(fc.stringMatching(/^\d{1,6}$/), { nil: "" })
    )
    .map(([district, street, community, grid]) =>
      street === "" ? district : community === "" ? district + street : district + street + community + grid
    )
}

const nameArbitrary = (fc: FastCheckModule) =>
  fc
    .oneof(
      fc.constantFrom("坪山街道", "沙坣社区居委会", "新和社区居委会", "深圳坪山综合保税区"),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 })
    )
    .filter((name) => internal.nameProblems(name).length === 0)

/**
 * A region code: 6 digits (district), 9 (street), 12 (community) or 13–24 (grid). Digits 7–9 and
 * 10–12 are never `000`.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Schema } from "effect"
 * import { RegionCode } from "@gongzhi/core/Region"
 *
 * const xinhe = Schema.decodeUnknownSync(RegionCode)("440310001005")
 */
export const RegionCode = Schema.String.pipe(
  Schema.filter((code) => internal.codeProblems(code)[0], {
    arbitrary: () => codeArbitrary
  }),
  Schema.brand("@gongzhi/core/RegionCode"),
  Schema.annotations({ identifier: "RegionCode", title: "区划代码" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type RegionCode = typeof RegionCode.Type

/**
 * A region name, kept exactly as given (never trimmed or normalised, so 沙坣 U+5763 round-trips):
 * not empty, no surrounding whitespace, no line breaks, at most 100 characters.
 *
 * @since 0.1.0
 * @category models
 */
export const RegionName = Schema.String.pipe(
  Schema.filter((name) => internal.nameProblems(name)[0], {
    arbitrary: () => nameArbitrary
  }),
  Schema.annotations({ identifier: "RegionName", title: "区划名称" })
)

const regionFieldProblems = (region: {
  readonly code: string
  readonly level: RegionLevel
  readonly kind: RegionKind
  readonly parentCode?: string | undefined
}): Array<Schema.FilterIssue> => {
  const issues: Array<Schema.FilterIssue> = []
  const level = internal.levelOfLength(region.code.length)
  const kind = internal.kindOfCode(region.code)
  if (level !== region.level) issues.push({ path: ["level"], message: `${region.code} 的层级应为 ${level}` })
  if (kind !== region.kind) issues.push({ path: ["kind"], message: `${region.code} 的类别应为 ${kind}` })
  if (region.level === "district") {
    if (region.parentCode !== undefined) issues.push({ path: ["parentCode"], message: "区县不应有上级代码" })
  } else {
    const parent = region.parentCode
    const minimum = region.level === "street" ? 6 : region.level === "community" ? 9 : 12
    const fits =
      parent !== undefined &&
      region.code.startsWith(parent) &&
      (region.level === "grid"
        ? parent.length >= minimum && parent.length < region.code.length
        : parent.length === minimum)
    if (!fits) issues.push({ path: ["parentCode"], message: `上级代码应为 ${region.code} 的上一级代码` })
  }
  return issues
}

const parentOfGeneratedCode = (code: string): string | undefined =>
  code.length === 6
    ? undefined
    : code.length === 9
      ? code.slice(0, 6)
      : code.length === 12
        ? code.slice(0, 9)
        : code.slice(0, 12)

/**
 * A region: its code, exact name, level, kind (read from the code) and parent code (absent only for
 * the district).
 *
 * @since 0.1.0
 * @category models
 */
export class Region extends Schema.Class<Region>("@gongzhi/core/Region")(
  Schema.Struct({
    code: RegionCode,
    name: RegionName,
    level: RegionLevel,
    kind: RegionKind,
    parentCode: Schema.optional(RegionCode)
  }).pipe(
    Schema.filter(regionFieldProblems, {
      arbitrary: () => (fc) =>
        fc.tuple(codeArbitrary(fc), nameArbitrary(fc)).map(([code, name]) => {
          const parentCode = parentOfGeneratedCode(code)
          return {
            code: code as RegionCode,
            name,
            level: internal.levelOfLength(code.length)!,
            kind: internal.kindOfCode(code)!,
            ...(parentCode === undefined ? {} : { parentCode: parentCode as RegionCode })
          }
        })
    })
  ),
  { identifier: "Region", title: "行政区划" }
) {}

// ---------------------------------------------------------------------------------------------
// documents
// ---------------------------------------------------------------------------------------------

const Text = Schema.String
const OptionalText = Schema.optionalWith(Text, { nullable: true })

/**
 * The generic file format of a region tree: `{ asOf, source?, regions: [{ code, name, parentCode?, level? }] }`.
 * A region without `parentCode` is a root; there must be exactly one, the district. `level`, when given,
 * must match the code length. This is also what {@link toJson} writes.
 *
 * @since 0.1.0
 * @category models
 */
export const RegionTreeDocument = Schema.Struct({
  asOf: OptionalText,
  source: OptionalText,
  regions: Schema.Array(
    Schema.Struct({
      code: Text,
      name: Text,
      parentCode: OptionalText,
      level: Schema.optionalWith(RegionLevel, { nullable: true })
    })
  )
}).annotations({ identifier: "RegionTreeDocument", title: "区划数据（通用格式）" })

/**
 * @since 0.1.0
 * @category models
 */
export type RegionTreeDocument = typeof RegionTreeDocument.Type

/**
 * The divisions file format used by `examples/pingshan/data/pingshan-divisions.json`:
 * `{ asOf?, source, district: { code, name }, streets: [{ code, name }],
 * communities: [{ code, name, streetCode }], grids?: [{ code, name, communityCode }] }`.
 * Extra fields (e.g. `cityCode`) are ignored.
 *
 * @since 0.1.0
 * @category models
 */
export const DivisionsDocument = Schema.Struct({
  asOf: OptionalText,
  source: OptionalText,
  district: Schema.Struct({ code: Text, name: Text }),
  streets: Schema.Array(Schema.Struct({ code: Text, name: Text })),
  communities: Schema.Array(Schema.Struct({ code: Text, name: Text, streetCode: Text })),
  grids: Schema.optionalWith(Schema.Array(Schema.Struct({ code: Text, name: Text, communityCode: Text })), {
    nullable: true
  })
}).annotations({ identifier: "DivisionsDocument", title: "区划数据（区县—街道—社区格式）" })

/**
 * @since 0.1.0
 * @category models
 */
export type DivisionsDocument = typeof DivisionsDocument.Type

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * One problem found in region data, with the offending code (and CSV line) where there is one.
 *
 * @since 0.1.0
 * @category errors
 */
export class RegionProblem extends Schema.Class<RegionProblem>("@gongzhi/core/RegionProblem")({
  code: Schema.optional(Schema.String),
  line: Schema.optional(Schema.Int),
  message: Schema.String
}) {
  /**
   * The problem as one Chinese line, e.g. `第 3 行 440310009：上级 440310 不存在`.
   *
   * @since 0.1.0
   */
  get text(): string {
    const where = [this.line === undefined ? undefined : `第 ${this.line} 行`, this.code].filter(
      (part) => part !== undefined
    )
    return where.length === 0 ? this.message : `${where.join(" ")}：${this.message}`
  }
}

/**
 * Region data that could not be loaded. Lists every problem found, not only the first.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRegionTree extends Schema.TaggedError<InvalidRegionTree>("@gongzhi/core/InvalidRegionTree")(
  "InvalidRegionTree",
  {
    source: Schema.optional(Schema.String),
    problems: Schema.Array(RegionProblem)
  }
) {
  /**
   * @since 0.1.0
   */
  get message(): string {
    const from = this.source === undefined ? "" : `（${this.source}）`
    const lines = this.problems.map((problem, i) => `${i + 1}. ${problem.text}`)
    return `区划数据${from}有 ${this.problems.length} 处问题：\n${lines.join("\n")}\n / invalid region data: ${this.problems.length} problem(s)`
  }
}
