// The implementation of `Region.RegionTree`: the regions with their lookup maps, built once.
import { NodeInspectSymbol } from "effect/Inspectable"
import { pipeArguments } from "effect/Pipeable"
import type { RegionTree } from "../Region.js"
import * as internal from "./region.js"
import type { Region } from "./regionSchema.js"

/** The `Region.TypeId` of every region tree. */
export const TypeId: unique symbol = Symbol.for("@gongzhi/core/RegionTree")

/** The type of {@link TypeId}. */
export type TypeId = typeof TypeId

/** @internal */
export class RegionTreeImpl implements RegionTree {
  readonly [TypeId]: TypeId = TypeId
  readonly root: Region
  readonly byCode: ReadonlyMap<string, Region>
  readonly childrenOf: ReadonlyMap<string, ReadonlyArray<Region>>
  readonly byName: ReadonlyMap<string, ReadonlyArray<Region>>
  readonly byNameVariant: ReadonlyMap<string, ReadonlyArray<Region>>
  constructor(
    readonly asOf: string,
    readonly source: string | undefined,
    readonly regions: ReadonlyArray<Region>
  ) {
    const byCode = new Map<string, Region>()
    const childrenOf = new Map<string, Array<Region>>()
    const byName = new Map<string, Array<Region>>()
    const byNameVariant = new Map<string, Array<Region>>()
    const push = (map: Map<string, Array<Region>>, key: string, region: Region) => {
      const list = map.get(key)
      if (list === undefined) map.set(key, [region])
      else list.push(region)
    }
    for (const region of regions) {
      byCode.set(region.code, region)
      if (region.parentCode !== undefined) push(childrenOf, region.parentCode, region)
      push(byName, region.name, region)
      for (const variant of internal.nameVariants(region.name)) {
        if (variant !== region.name) push(byNameVariant, variant, region)
      }
    }
    this.root = regions.find((region) => region.level === "district")!
    this.byCode = byCode
    this.childrenOf = childrenOf
    this.byName = byName
    this.byNameVariant = byNameVariant
  }
  pipe() {
    // biome-ignore lint/complexity/noArguments: the Pipeable protocol
    return pipeArguments(this, arguments)
  }
  toJSON() {
    return { _id: "RegionTree", asOf: this.asOf, source: this.source, root: this.root.code, size: this.regions.length }
  }
  toString() {
    return `RegionTree(${this.root.code} ${this.root.name}, ${this.asOf}, ${this.regions.length} regions)`
  }
  [NodeInspectSymbol]() {
    return this.toJSON()
  }
}
