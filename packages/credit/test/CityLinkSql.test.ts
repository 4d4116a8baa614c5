import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Layer } from "effect"
import * as CityLink from "../src/CityLink.js"
import * as CreditMigrations from "../src/CreditMigrations.js"
import {
  admin,
  assertConverged,
  publishCityRecords,
  repairRecord,
  seedDistrict,
  sqlBase,
  TENANT,
  withCity
} from "./cityHelpers.js"

const migrations = [CoreMigrations.migrations, CreditMigrations.migrations]
const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()

const sync = Effect.flatMap(CityLink.CityLink, (link) => link.sync(admin, { tenantId: TENANT, batchSize: 3 }))

const backends = [
  { name: "sqlite", skip: false, db: () => SqliteTesting.layerTest({ migrations }) },
  { name: "postgres", skip: pg.skip, db: () => PgTesting.layerTest({ migrations, maxConnections: 4 }) },
  { name: "mysql", skip: mysql.skip, db: () => MysqlTesting.layerTest({ migrations, maxConnections: 4 }) }
] as const

for (const backend of backends) {
  describe.skipIf(backend.skip)(`CityLink on ${backend.name}`, () => {
    it.live(
      "queue, cursor and mirror survive in the tables: faults, a conflict, a change, then nothing twice",
      () =>
        withCity(
          (city) =>
            Effect.gen(function* () {
              yield* seedDistrict
              publishCityRecords(city)
              city.plan.push("dropReply", "repeat", "reorder")
              // two rounds at once: neither fails the other, nothing is applied twice
              const [a, b] = yield* Effect.all([sync, sync], { concurrency: 2 })
              assert.strictEqual(a.pushed + b.pushed, 4)
              assert.strictEqual(a.pulled + b.pulled, 2)
              assert.strictEqual(city.applied(), 4)
              yield* assertConverged(city)
              city.edit(TENANT, "record:440310:U:R1", { edited: "by the city" })
              city.publish(TENANT, { key: "record:4403:SZSCJG:C1", findingUnit: "SZSCJG", body: { n: 2 } })
              yield* repairRecord("R2")
              const second = yield* sync
              assert.include(second, { conflictsResolved: 1, pulled: 1, pushed: 2 })
              yield* assertConverged(city)
              const third = yield* sync
              assert.include(third, { pushed: 0, pulled: 0, enqueued: 0, conflictsResolved: 0 })
              const status = yield* Effect.flatMap(CityLink.CityLink, (link) =>
                link.status(admin, { tenantId: TENANT })
              )
              assert.include(status, { acknowledged: 4, pending: 0, received: 2, rounds: 4, cursor: "4" })
            }),
          { base: sqlBase(Layer.orDie(backend.db())), kind: "sql" }
        ),
      60_000
    )
  })
}
