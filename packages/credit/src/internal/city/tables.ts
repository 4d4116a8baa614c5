import * as Repository from "@gongzhi/core/Repository"
import { Schema } from "effect"
import { FindingLevel } from "../../CitySync.js"

/**
 * One message of the city link as the district keeps it: outbound (`out`, the queue of what the
 * district pushes: `pending` until the city acknowledged this version, then `acked`) or inbound (`in`,
 * the latest version the city sent of a record the district did not find: `received`).
 */
export class CityEntry extends Schema.Class<CityEntry>("@gongzhi/credit/CityEntry")({
  /** `out:<key>` or `in:<key>`. */
  id: Schema.String,
  direction: Schema.Literal("out", "in"),
  key: Schema.String,
  kind: Schema.Literal("record", "decision"),
  level: FindingLevel,
  findingUnit: Schema.String,
  version: Schema.Int,
  hash: Schema.String,
  body: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  state: Schema.Literal("pending", "acked", "received"),
  changedAt: Schema.Date,
  ackedAt: Schema.optional(Schema.Date)
}) {}

/** The district's position in the exchange (one row per district, id `city`). */
export class CityLinkState extends Schema.Class<CityLinkState>("@gongzhi/credit/CityLinkState")({
  id: Schema.String,
  /** The cursor after the last page pulled and ingested. */
  cursor: Schema.optional(Schema.String),
  lastSyncAt: Schema.optional(Schema.Date),
  rounds: Schema.Int
}) {}

export const entries = Repository.define({
  entity: "CityEntry",
  table: "credit_city_messages",
  schema: CityEntry,
  id: (e) => e.id,
  columns: {
    direction: { type: "text", get: (e) => e.direction, length: 3 },
    state: { type: "text", get: (e) => e.state, length: 8 },
    kind: { type: "text", get: (e) => e.kind, length: 8 }
  },
  indexes: [["direction", "state"], ["kind"]]
})

export const states = Repository.define({
  entity: "CityLinkState",
  table: "credit_city_state",
  schema: CityLinkState,
  id: (s) => s.id
})

/** The tables of the city link, created by credit migrations 13 and 14. */
export const all: ReadonlyArray<Repository.Definition<any, any>> = [entries, states]
