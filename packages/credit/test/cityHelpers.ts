import { randomBytes } from "node:crypto"
import { NodeHttpClient } from "@effect/platform-node"
import type { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Outbox from "@gongzhi/core/Outbox"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { Effect, Layer, Redacted, Schema } from "effect"
import * as CityLink from "../src/CityLink.js"
import * as CityLinkStore from "../src/CityLinkStore.js"
import type { CitySync } from "../src/CitySync.js"
import * as CitySyncHttp from "../src/CitySyncHttp.js"
import { CreditRecord } from "../src/CreditRecord.js"
import * as CreditStore from "../src/CreditStore.js"
import { ListDecision } from "../src/ListDecision.js"
import { Role } from "../src/Permissions.js"
import * as FakeCity from "../src/testing/city.js"
import { samples } from "../src/testing.js"
import { record } from "./fixtures.js"

/** A fresh token per run (never a literal secret in the repository). */
export const TOKEN = `city-${randomBytes(12).toString("hex")}`
export const TENANT = "440310" as TenantId

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
export const staff = (id: string, roles: Array<string>, tenantId: string = TENANT) =>
  decodeActor({ _tag: "Staff", staffId: id, name: "王同步", roles, scope: { tenantId, regionCode: tenantId } })
export const admin = staff("A001", [Role.admin])

/** The credit store and the kernel services, in memory. */
export const memoryBase = Layer.mergeAll(
  CreditStore.layerMemory,
  Transactor.layerMemory,
  Outbox.layerMemory,
  AuditLog.layerMemory
)

/** The same on SQL (a store layer that provides `SqlClient` and `Transactor`, migrated). */
export const sqlBase = <E>(db: Layer.Layer<SqlClient.SqlClient | Transactor.Transactor, E>) =>
  Layer.mergeAll(CreditStore.layerSql, Outbox.layerSql, AuditLog.layerSql).pipe(Layer.provideMerge(db))

/** The HTTP adapter to a fake city, with short timeouts and backoff for tests. */
export const httpTo = (city: FakeCity.FakeCity, token = TOKEN): Layer.Layer<CitySync, never> =>
  CitySyncHttp.layer({
    baseUrl: city.url,
    token: Redacted.make(token),
    timeout: "150 millis",
    retries: 2,
    backoff: "5 millis"
  }).pipe(Layer.provide(NodeHttpClient.layerUndici), Layer.orDie)

export type Base = CreditStore.CreditStore | Transactor.Transactor | Outbox.Outbox | AuditLog.AuditLog

/** Everything a test program of the link may use. */
export type LinkServices = CityLink.CityLink | CityLinkStore.CityLinkStore | Base

/** The city link over a base (memory or SQL) and an adapter. */
export const linkOn = <E>(base: Layer.Layer<Base, E>, port: Layer.Layer<CitySync>, kind: "memory" | "sql" = "memory") =>
  (kind === "memory" ? CityLink.layerMemory : (CityLink.layerSql as typeof CityLink.layerMemory)).pipe(
    Layer.provide(port),
    Layer.provideMerge(base)
  )

/** A fake city on 127.0.0.1, the district on `base`, and the link between them over HTTP. */
export const withCity = <A, E, E2>(
  body: (city: FakeCity.FakeCity) => Effect.Effect<A, E, LinkServices>,
  options: { readonly base?: Layer.Layer<Base, E2>; readonly kind?: "memory" | "sql"; readonly token?: string } = {}
) =>
  Effect.scoped(
    Effect.gen(function* () {
      const city = yield* FakeCity.make({ token: TOKEN, slowMillis: 300 })
      const layer = linkOn(options.base ?? memoryBase, httpTo(city, options.token), options.kind)
      return yield* body(city).pipe(Effect.provide(layer))
    })
  )

/** The district's records: three from unit U, and a decided list entry (a pending one stays home). */
export const seedDistrict = Effect.gen(function* () {
  const store = yield* CreditStore.CreditStore
  for (const id of ["R1", "R2", "R3"]) yield* store.records.insert(TENANT, record(id, "ADMIN_PENALTY", "2026-03-01"))
  yield* store.listDecisions.insert(TENANT, samples.decision(TENANT, "D1", "S1", "2029-06-01"))
  const { approval: _approval, ...approved } = samples.decision(TENANT, "D2", "S1", "2029-06-01")
  yield* store.listDecisions.insert(TENANT, new ListDecision({ ...approved, state: "pending" }))
})

/** A district record changes (repaired). */
export const repairRecord = (id: string) =>
  Effect.gen(function* () {
    const store = yield* CreditStore.CreditStore
    const current = yield* store.records.getOrFail(TENANT, id)
    yield* store.records.update(TENANT, new CreditRecord({ ...current.value, state: "repaired" }), current.version)
  })

/** What the district holds: outbound key → hash (and whether everything is acknowledged), inbound key → version:hash. */
export const districtSnapshot = Effect.gen(function* () {
  const store = yield* CityLinkStore.CityLinkStore
  const out = yield* store.entries.find(TENANT, { direction: "out" }, 1000)
  const inbound = yield* store.entries.find(TENANT, { direction: "in" }, 1000)
  return {
    out: new Map(out.map((e) => [e.value.key, e.value.hash])),
    allAcked: out.every((e) => e.value.state === "acked"),
    in: new Map(inbound.map((e) => [e.value.key, `${e.value.version}:${e.value.hash}`]))
  }
})

export const sortedEntries = (map: ReadonlyMap<string, string>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1))

export const publishCityRecords = (city: FakeCity.FakeCity) => {
  city.publish(TENANT, {
    key: "record:4403:SZSCJG:C1",
    findingUnit: "SZSCJG",
    body: { recordType: "ADMIN_PENALTY", n: 1 }
  })
  city.publish(TENANT, { key: "record:4403:SZSWJ:C2", findingUnit: "SZSWJ", body: { recordType: "TAX_ARREARS", n: 1 } })
}

/** Both sides hold the same: the city has the district's latest texts, the district the city's latest versions. */
export const assertConverged = (city: FakeCity.FakeCity) =>
  Effect.gen(function* () {
    const district = yield* districtSnapshot
    assert.deepStrictEqual(sortedEntries(city.districtRecords(TENANT)), sortedEntries(district.out))
    assert.isTrue(district.allAcked, "every queued version is acknowledged")
    assert.deepStrictEqual(sortedEntries(district.in), sortedEntries(city.published(TENANT)))
  })
