/**
 * Pingshan's region tree (坪山区, 440310): six 街道, the comprehensive bonded zone (not a 街道) and
 * their communities, from the national statistical division codes, 2023 edition.
 *
 * @since 0.1.0
 */
import * as Region from "@gongzhi/core/Region"
import type { Effect } from "effect"
import divisions from "../data/pingshan-divisions.json" with { type: "json" }

/**
 * The edition of `data/pingshan-divisions.json` (NBS 统计用区划代码 2023, cut-off 2023-06-30).
 *
 * @since 0.1.0
 * @category models
 */
export const PINGSHAN_AS_OF = "2023"

/**
 * Loads `data/pingshan-divisions.json` into a validated region tree (edition "2023").
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { formatStreets, loadPingshan } from "./regions.js"
 *
 * Effect.runSync(loadPingshan().pipe(Effect.map(formatStreets)))
 */
export const loadPingshan = (): Effect.Effect<Region.RegionTree, Region.InvalidRegionTree> =>
  Region.fromJson(divisions, { asOf: PINGSHAN_AS_OF })

const list = (communities: ReadonlyArray<Region.Region>): string =>
  communities.map((community) => Region.displayName(community)).join(", ")

/**
 * One line per 街道 with its communities, then the township-level units that are not 街道 (such as
 * the bonded zone), then the totals, which count only communities in 街道:
 *
 * ```text
 * 坪山街道 (440310001) — 5 个社区: 六联社区, 六和社区, 坪山社区, 和平社区, 新和社区
 * …
 * 深圳坪山综合保税区 (440310401) — 类似乡级单位，不是街道 — 1 个虚拟社区: 深圳坪山综合保税区虚拟社区
 * 6 个街道，24 个社区
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const formatStreets = (tree: Region.RegionTree): string => {
  const lines: Array<string> = []
  let total = 0
  const streets = Region.streets(tree)
  for (const street of streets) {
    const communities = Region.communities(tree, street.code)
    total += communities.length
    lines.push(`${street.name} (${street.code}) — ${communities.length} 个社区: ${list(communities)}`)
  }
  for (const unit of Region.streets(tree, { all: true })) {
    if (unit.kind === "subdistrict") continue
    const communities = Region.communities(tree, unit.code)
    const noun = communities.every((c) => c.kind === "virtual-community") ? "虚拟社区" : "社区"
    lines.push(
      `${unit.name} (${unit.code}) — ${Region.kindLabel(unit.kind)}，不是街道 — ${communities.length} 个${noun}: ${list(communities)}`
    )
  }
  lines.push(`${streets.length} 个街道，${total} 个社区`)
  return lines.join("\n")
}
