// Shared fixtures of the SDK tests: the Pingshan region file, a routing table, actors and a 民情 report input.
import * as Path from "node:path"
import * as Actor from "@gongzhi/core/Actor"
import { Schema } from "effect"

export const divisions = Path.resolve(import.meta.dirname, "../../../examples/pingshan/data/pingshan-divisions.json")

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)

export const resident = decodeActor({
  _tag: "Resident",
  userId: "U1001",
  roles: ["resident"],
  scope: { tenantId: "440310", regionCode: "440310" }
})

export const otherStreetDispatcher = decodeActor({
  _tag: "Staff",
  staffId: "S301",
  name: "孙街道",
  roles: ["opinion-dispatcher"],
  scope: { tenantId: "440310", regionCode: "440310002" }
})

export const routing = {
  departments: [
    { code: "ps-center", name: "坪山区民情中心" },
    { code: "ps-001", name: "坪山街道办事处" }
  ],
  rules: [],
  fallback: "ps-center"
} as const

/** A request for help in 六联社区 with the given text. */
export const help = (content: string) => ({
  tenantId: "440310",
  location: { communityCode: "440310001001", address: "六联社区某小区 3 栋" },
  category: "GF02",
  kind: "help" as const,
  channel: "mini-program" as const,
  content
})
