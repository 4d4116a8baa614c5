/**
 * Regions (行政区划). A tenant is a district (区县, 6-digit GB/T 2260 code); below it are township-level
 * units (街道/镇/乡, 9 digits), village-level units (社区居委会/村委会, 12 digits) and, as a district's own
 * data, grids (网格: a community code followed by more digits).
 *
 * Kinds follow the national statistical division code rules (统计用区划代码编制规则):
 * township digits 7–9: 001–099 街道, 100–199 镇, 200–399 乡, 400–599 类似乡级单位 (development or bonded
 * zones — e.g. 440310401 深圳坪山综合保税区 is not a 街道); village digits 10–12: 001–199 居委会,
 * 200–399 村委会, 400 and above 虚拟社区 and similar units (e.g. 440310401498).
 *
 * A region tree is data with an edition (`asOf`) and a `source`, never hard-coded: load it with
 * {@link fromJson} or {@link fromCsv}, which check every rule and report every problem at once.
 *
 * @since 0.1.0
 */
import { Effect, Option, Schema } from "effect"
import { dual } from "effect/Function"
import type { Inspectable } from "effect/Inspectable"
import type { Pipeable } from "effect/Pipeable"
import * as internal from "./internal/region.js"
import { build, fail, parseErrorProblems, resolveAsOf, toProblem } from "./internal/regionLoad.js"
import {
  DivisionsDocument,
  type InvalidRegionTree,
  type Region,
  RegionKind,
  RegionLevel,
  RegionProblem,
  RegionTreeDocument
} from "./internal/regionSchema.js"
import { type RegionTreeImpl, TypeId } from "./internal/regionTree.js"

export * from "./internal/regionSchema.js"

// ---------------------------------------------------------------------------------------------
// the tree
// ---------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category models
 */
export type { TypeId } from "./internal/regionTree.js"

/**
 * A validated region tree of one district with its edition (`asOf`, e.g. "2023" for the NBS 2023
 * edition) and `source`. Lookups use prebuilt maps. `regions` is sorted by code, which is a
 * pre-order walk (a parent before its children).
 *
 * @since 0.1.0
 * @category models
 */
export interface RegionTree extends Pipeable, Inspectable {
  readonly [TypeId]: TypeId
  readonly asOf: string
  readonly source: string | undefined
  readonly root: Region
  readonly regions: ReadonlyArray<Region>
}

/**
 * @since 0.1.0
 * @category models
 */
export const isRegionTree = (u: unknown): u is RegionTree => typeof u === "object" && u !== null && TypeId in u

const impl = (tree: RegionTree): RegionTreeImpl => tree as RegionTreeImpl

// ---------------------------------------------------------------------------------------------
// loaders
// ---------------------------------------------------------------------------------------------

/**
 * Options of the loaders: the edition (`asOf`) when the data carries none, and a `source` label.
 *
 * @since 0.1.0
 * @category models
 */
export const LoadOptions = Schema.Struct({
  asOf: Schema.optional(
    Schema.String.pipe(
      Schema.filter((s) => (s.length > 0 && s.trim() === s && s.length <= 40) || "版本 asOf 应为非空字符串，例如 2023")
    )
  ),
  source: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type LoadOptions = typeof LoadOptions.Type

const decodeLoadOptions = Schema.decodeUnknownEither(LoadOptions, { errors: "all" })
const decodeRegionTreeDocument = Schema.decodeUnknownEither(RegionTreeDocument, { errors: "all" })
const decodeDivisionsDocument = Schema.decodeUnknownEither(DivisionsDocument, { errors: "all" })

const decodeOptions = (options: unknown) => decodeLoadOptions(options ?? {})

/**
 * Loads a region tree from parsed JSON in either format: {@link RegionTreeDocument}
 * (`{ asOf, source?, regions }`) or {@link DivisionsDocument} (`{ source, district, streets,
 * communities, grids? }`). `options.asOf` supplies the edition when the data has none (if both are
 * present they must agree). Fails with {@link InvalidRegionTree} listing every problem: a code that
 * does not extend its parent's code, a code whose length does not match its level, duplicate codes,
 * a missing parent, not exactly one district root, malformed codes or names.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import * as Region from "@gongzhi/core/Region"
 *
 * const program = Region.fromJson(
 *   {
 *     source: "NBS 2023",
 *     district: { code: "440310", name: "坪山区" },
 *     streets: [{ code: "440310002", name: "马峦街道" }],
 *     communities: [{ code: "440310002004", name: "沙坣社区居委会", streetCode: "440310002" }]
 *   },
 *   { asOf: "2023" }
 * ).pipe(Effect.map((tree) => Region.findByName(tree, "沙坣").map(Region.displayName))) // ["沙坣社区"]
 */
export const fromJson = (input: unknown, options?: LoadOptions): Effect.Effect<RegionTree, InvalidRegionTree> =>
  Effect.suspend(() => {
    const problems: Array<RegionProblem> = []
    const decodedOptions = decodeOptions(options)
    if (decodedOptions._tag === "Left") problems.push(...parseErrorProblems(decodedOptions.left, options))
    const opts: LoadOptions = decodedOptions._tag === "Right" ? decodedOptions.right : {}
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return fail(opts.source, [...problems, new RegionProblem({ message: "区划数据应为 JSON 对象" })])
    }
    if ("regions" in input) {
      const decoded = decodeRegionTreeDocument(input)
      if (decoded._tag === "Left") return fail(opts.source, [...problems, ...parseErrorProblems(decoded.left, input)])
      const document = decoded.right
      const source = document.source ?? opts.source
      const asOf = resolveAsOf(document.asOf, opts.asOf, problems)
      return build(document.regions, asOf, source, problems)
    }
    if ("district" in input) {
      const decoded = decodeDivisionsDocument(input)
      if (decoded._tag === "Left") return fail(opts.source, [...problems, ...parseErrorProblems(decoded.left, input)])
      const document = decoded.right
      const source = document.source ?? opts.source
      const asOf = resolveAsOf(document.asOf, opts.asOf, problems)
      const raw: Array<internal.RawRegion> = [
        { code: document.district.code, name: document.district.name, level: "district" },
        ...document.streets.map((s) => ({ code: s.code, name: s.name, parentCode: document.district.code })),
        ...document.communities.map((c) => ({ code: c.code, name: c.name, parentCode: c.streetCode })),
        ...(document.grids ?? []).map((g) => ({ code: g.code, name: g.name, parentCode: g.communityCode }))
      ]
      return build(raw, asOf, source, problems)
    }
    return fail(opts.source, [
      ...problems,
      new RegionProblem({
        message: "无法识别的区划数据格式：应包含 regions 字段，或 district/streets/communities 字段"
      })
    ])
  })

/**
 * Loads a region tree from CSV text with the header `code,name,parentCode` (columns in any order,
 * names case-insensitive; an optional `level` column; other columns are ignored). An empty
 * `parentCode` marks the district root. Reads RFC 4180 CSV: quoted fields with commas, line breaks
 * and doubled quotes, a leading BOM, CRLF or LF line ends. Names are kept byte for byte.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import * as Region from "@gongzhi/core/Region"
 *
 * const tree = Region.fromCsv(
 *   "code,name,parentCode\r\n440310,坪山区,\r\n440310002,马峦街道,440310\r\n440310002004,沙坣社区居委会,440310002\r\n",
 *   { asOf: "2023" }
 * )
 */
export const fromCsv = (
  text: string,
  options: LoadOptions & { readonly asOf: string }
): Effect.Effect<RegionTree, InvalidRegionTree> =>
  Effect.suspend(() => {
    const problems: Array<RegionProblem> = []
    const decodedOptions = decodeOptions(options)
    if (decodedOptions._tag === "Left") problems.push(...parseErrorProblems(decodedOptions.left, options))
    const opts: LoadOptions = decodedOptions._tag === "Right" ? decodedOptions.right : {}
    if (typeof text !== "string")
      return fail(opts.source, [...problems, new RegionProblem({ message: "CSV 应为文本" })])
    const parsed = internal.parseCsv(text)
    problems.push(...parsed.problems.map(toProblem))
    const [header, ...rows] = parsed.records
    if (header === undefined)
      return fail(opts.source, [...problems, new RegionProblem({ message: "CSV 为空，缺少表头 code,name,parentCode" })])
    const column = (name: string) =>
      header.fields.findIndex((field) => field.trim().toLowerCase() === name.toLowerCase())
    const columns = {
      code: column("code"),
      name: column("name"),
      parentCode: column("parentCode"),
      level: column("level")
    }
    const missing = (["code", "name", "parentCode"] as const).filter((name) => columns[name] < 0)
    if (missing.length > 0) {
      problems.push(
        new RegionProblem({ line: header.line, message: `表头应为 code,name,parentCode，缺少 ${missing.join("、")}` })
      )
      return fail(opts.source, problems)
    }
    const raw: Array<internal.RawRegion> = []
    for (const row of rows) {
      const code = row.fields[columns.code] ?? ""
      const extra = row.fields.slice(header.fields.length).some((field) => field !== "")
      if (row.fields.length < header.fields.length || extra) {
        problems.push(
          new RegionProblem({
            line: row.line,
            ...(code === "" ? {} : { code }),
            message: `应有 ${header.fields.length} 列，实际 ${row.fields.length} 列`
          })
        )
        continue
      }
      const parentCode = row.fields[columns.parentCode]
      const level = columns.level < 0 ? "" : row.fields[columns.level]
      if (level !== "" && !Schema.is(RegionLevel)(level)) {
        problems.push(
          new RegionProblem({
            line: row.line,
            code,
            message: `层级「${level}」应为 district、street、community 或 grid`
          })
        )
        continue
      }
      raw.push({
        code,
        name: row.fields[columns.name],
        line: row.line,
        ...(parentCode === "" ? {} : { parentCode }),
        ...(level === "" ? {} : { level })
      })
    }
    return build(raw, opts.asOf, opts.source, problems)
  })

/**
 * Writes a tree in the generic {@link RegionTreeDocument} format (with levels); `fromJson` reads it back.
 *
 * @since 0.1.0
 * @category combinators
 */
export const toJson = (tree: RegionTree): typeof RegionTreeDocument.Encoded => ({
  asOf: tree.asOf,
  ...(tree.source === undefined ? {} : { source: tree.source }),
  regions: tree.regions.map((region) => ({
    code: region.code,
    name: region.name,
    level: region.level,
    ...(region.parentCode === undefined ? {} : { parentCode: region.parentCode })
  }))
})

/**
 * Writes a tree as CSV (`code,name,parentCode`, LF line ends, quoting only where needed);
 * `fromCsv` reads it back.
 *
 * @since 0.1.0
 * @category combinators
 */
export const toCsv = (tree: RegionTree): string =>
  internal.formatCsv([
    ["code", "name", "parentCode"],
    ...tree.regions.map((region) => [region.code, region.name, region.parentCode ?? ""])
  ])

// ---------------------------------------------------------------------------------------------
// classification
// ---------------------------------------------------------------------------------------------

/**
 * The level a well-formed code belongs to (by its length), or none for a malformed code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const levelOf = (code: string): Option.Option<RegionLevel> =>
  internal.codeProblems(code).length > 0 ? Option.none() : Option.fromNullable(internal.levelOfLength(code.length))

/**
 * The kind a well-formed code belongs to (e.g. `440310001` → `subdistrict`, `440310401` →
 * `township-like`, `440310401498` → `virtual-community`), or none for a malformed code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const kindOf = (code: string): Option.Option<RegionKind> =>
  internal.codeProblems(code).length > 0 ? Option.none() : Option.fromNullable(internal.kindOfCode(code))

const kindLabels: Record<RegionKind, string> = {
  district: "区县",
  subdistrict: "街道",
  town: "镇",
  township: "乡",
  "township-like": "类似乡级单位",
  "residents-committee": "居委会",
  "villagers-committee": "村委会",
  "virtual-community": "虚拟社区",
  grid: "网格"
}

/**
 * The Chinese label of a kind, e.g. `subdistrict` → "街道", `township-like` → "类似乡级单位".
 *
 * @since 0.1.0
 * @category accessors
 */
export const kindLabel = (kind: RegionKind): string => kindLabels[kind]

/**
 * How many regions of each kind a tree holds below its root (the root itself is not counted), kinds in
 * the order of {@link RegionKind}; kinds with none are left out.
 *
 * @since 0.1.0
 * @category accessors
 * @example
 * import * as Region from "@gongzhi/core/Region"
 *
 * // a district with two 街道, one 镇, five 社区 and three 村:
 * // Region.countsByKind(tree) → [["subdistrict", 2], ["town", 1], ["residents-committee", 5], ["villagers-committee", 3]]
 */
export const countsByKind = (tree: RegionTree): ReadonlyArray<readonly [RegionKind, number]> => {
  const counts = new Map<RegionKind, number>()
  for (const region of tree.regions) {
    if (region.code === tree.root.code) continue
    counts.set(region.kind, (counts.get(region.kind) ?? 0) + 1)
  }
  return RegionKind.literals.flatMap((kind) => {
    const n = counts.get(kind)
    return n === undefined ? [] : [[kind, n] as const]
  })
}

/**
 * A one-line Chinese summary of what a tree holds below its root, township level first, e.g.
 * "2 个街道、1 个镇；5 个居委会、3 个村委会" — towns, townships and villages are named like streets and
 * communities, so a district with villages sees them counted.
 *
 * @since 0.1.0
 * @category accessors
 */
export const describeCounts = (tree: RegionTree): string => {
  const levelOfKind = new Map<RegionKind, RegionLevel>()
  for (const region of tree.regions) levelOfKind.set(region.kind, region.level)
  return (["street", "community", "grid"] as const)
    .flatMap((level) => {
      const parts = countsByKind(tree)
        .filter(([kind]) => levelOfKind.get(kind) === level)
        .map(([kind, n]) => `${n} 个${kindLabels[kind]}`)
      return parts.length === 0 ? [] : [parts.join("、")]
    })
    .join("；")
}

/**
 * The everyday name of a region: drops 居委会 / 居民委员会 after 社区 ("沙坣社区居委会" → "沙坣社区"),
 * turns a bare "XX居委会" into "XX社区" and "XX村委会" / "XX村民委员会" into "XX村"; other names are
 * returned unchanged.
 *
 * @since 0.1.0
 * @category accessors
 */
export const displayName = (region: { readonly name: string }): string => internal.displayName(region.name)

// ---------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------

/**
 * The region with this code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const findByCode: {
  (code: string): (tree: RegionTree) => Option.Option<Region>
  (tree: RegionTree, code: string): Option.Option<Region>
} = dual(2, (tree: RegionTree, code: string) => Option.fromNullable(impl(tree).byCode.get(code)))

/**
 * Every region whose name is `name`, then every region whose name is `name` followed by one of the
 * suffixes 街道, 社区, 居委会, 社区居委会, 居民委员会, 社区居民委员会, 村委会, 村民委员会 (so "沙坣" and
 * "沙坣社区" both find 沙坣社区居委会, and "坪山" finds both 坪山街道 and 坪山社区居委会). The query
 * itself is matched as given: "坪山街道" finds 坪山街道 only. Each group is in code order.
 *
 * @since 0.1.0
 * @category accessors
 */
export const findByName: {
  (name: string): (tree: RegionTree) => ReadonlyArray<Region>
  (tree: RegionTree, name: string): ReadonlyArray<Region>
} = dual(
  2,
  (tree: RegionTree, name: string): ReadonlyArray<Region> => [
    ...(impl(tree).byName.get(name) ?? []),
    ...(impl(tree).byNameVariant.get(name) ?? [])
  ]
)

/**
 * The direct children of a region, in code order (empty for an unknown code or a leaf).
 *
 * @since 0.1.0
 * @category accessors
 */
export const children: {
  (code: string): (tree: RegionTree) => ReadonlyArray<Region>
  (tree: RegionTree, code: string): ReadonlyArray<Region>
} = dual(2, (tree: RegionTree, code: string): ReadonlyArray<Region> => impl(tree).childrenOf.get(code) ?? [])

/**
 * The parent of a region (none for the district or an unknown code).
 *
 * @since 0.1.0
 * @category accessors
 */
export const parent: {
  (code: string): (tree: RegionTree) => Option.Option<Region>
  (tree: RegionTree, code: string): Option.Option<Region>
} = dual(2, (tree: RegionTree, code: string) => {
  const parentCode = impl(tree).byCode.get(code)?.parentCode
  return parentCode === undefined ? Option.none() : Option.fromNullable(impl(tree).byCode.get(parentCode))
})

/**
 * The ancestors of a region, **nearest first**: parent, grandparent, …, the district last. The region
 * itself is not included; empty for the district or an unknown code. Reverse it for a root-first
 * breadcrumb.
 *
 * @since 0.1.0
 * @category accessors
 */
export const ancestors: {
  (code: string): (tree: RegionTree) => ReadonlyArray<Region>
  (tree: RegionTree, code: string): ReadonlyArray<Region>
} = dual(2, (tree: RegionTree, code: string): ReadonlyArray<Region> => {
  const { byCode } = impl(tree)
  const out: Array<Region> = []
  for (let p = byCode.get(code)?.parentCode; p !== undefined; ) {
    const region = byCode.get(p)
    if (region === undefined) break
    out.push(region)
    p = region.parentCode
  }
  return out
})

/**
 * Every region below `code` in pre-order (a parent before its children, siblings in code order),
 * optionally only those of one level. The region itself is not included.
 *
 * @since 0.1.0
 * @category accessors
 */
export const descendants: {
  (code: string, options?: { readonly level?: RegionLevel }): (tree: RegionTree) => ReadonlyArray<Region>
  (tree: RegionTree, code: string, options?: { readonly level?: RegionLevel }): ReadonlyArray<Region>
} = dual(
  (args) => isRegionTree(args[0]),
  (tree: RegionTree, code: string, options?: { readonly level?: RegionLevel }): ReadonlyArray<Region> => {
    const { childrenOf } = impl(tree)
    const out: Array<Region> = []
    const walk = (at: string) => {
      for (const child of childrenOf.get(at) ?? []) {
        if (options?.level === undefined || child.level === options.level) out.push(child)
        walk(child.code)
      }
    }
    walk(code)
    return out
  }
)

/**
 * The district's township-level units that govern residents — 街道 (`subdistrict`), 镇 (`town`) and 乡
 * (`township`) alike — in code order; with `{ all: true }` also the units similar to a township
 * (`township-like`: development and bonded zones such as 深圳坪山综合保税区).
 *
 * @since 0.1.0
 * @category accessors
 */
export const streets: {
  (options?: { readonly all?: boolean }): (tree: RegionTree) => ReadonlyArray<Region>
  (tree: RegionTree, options?: { readonly all?: boolean }): ReadonlyArray<Region>
} = dual(
  (args) => isRegionTree(args[0]),
  (tree: RegionTree, options?: { readonly all?: boolean }): ReadonlyArray<Region> =>
    children(tree, tree.root.code).filter((region) => options?.all === true || region.kind !== "township-like")
)

/**
 * The village-level units (社区/村, every kind) of one street, or of the whole district when no
 * street code is given, in code order.
 *
 * @since 0.1.0
 * @category accessors
 */
export const communities: {
  (streetCode?: string): (tree: RegionTree) => ReadonlyArray<Region>
  (tree: RegionTree, streetCode?: string): ReadonlyArray<Region>
} = dual(
  (args) => isRegionTree(args[0]),
  (tree: RegionTree, streetCode?: string): ReadonlyArray<Region> =>
    streetCode === undefined
      ? tree.regions.filter((region) => region.level === "community")
      : children(tree, streetCode).filter((region) => region.level === "community")
)

/**
 * Whether the region `code` lies within `ancestorCode` (inclusive: a region contains itself). Both
 * must be in the tree. Because every code in a tree begins with its ancestors' codes and a code that
 * begins with another region's code always descends from it, this equals code-prefix containment.
 *
 * @since 0.1.0
 * @category accessors
 */
export const contains: {
  (ancestorCode: string, code: string): (tree: RegionTree) => boolean
  (tree: RegionTree, ancestorCode: string, code: string): boolean
} = dual(3, (tree: RegionTree, ancestorCode: string, code: string): boolean => {
  const { byCode } = impl(tree)
  if (!byCode.has(ancestorCode)) return false
  for (
    let at = byCode.get(code);
    at !== undefined;
    at = at.parentCode === undefined ? undefined : byCode.get(at.parentCode)
  ) {
    if (at.code === ancestorCode) return true
  }
  return false
})
