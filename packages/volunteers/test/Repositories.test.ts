import { describe } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Transactor from "@gongzhi/core/Transactor"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Layer } from "effect"
import { type StoreBackend, storeSuites } from "../src/testing.js"
import * as VolunteerMigrations from "../src/VolunteerMigrations.js"
import * as Volunteers from "../src/Volunteers.js"

// PostgreSQL and MySQL run when a server answers (GONGZHI_TEST_PG_URL, GONGZHI_TEST_MYSQL_URL); they are
// skipped with a one-line hint otherwise — unless GONGZHI_REQUIRE_DATABASES=1, where a missing server fails.
const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()

const migrations = [CoreMigrations.migrations, VolunteerMigrations.migrations]

const backends: ReadonlyArray<readonly [StoreBackend, { readonly skip: boolean }]> = [
  [{ name: "memory", layer: Layer.merge(Volunteers.layerStoreMemory, Transactor.layerMemory) }, { skip: false }],
  [
    {
      name: "sqlite",
      sql: true,
      layer: Volunteers.layerStoreSql.pipe(Layer.provideMerge(SqliteTesting.layerTest({ migrations })))
    },
    { skip: false }
  ],
  [
    {
      name: "postgres",
      sql: true,
      layer: Volunteers.layerStoreSql.pipe(Layer.provideMerge(PgTesting.layerTest({ migrations })))
    },
    pg
  ],
  [
    {
      name: "mysql",
      sql: true,
      layer: Volunteers.layerStoreSql.pipe(Layer.provideMerge(MysqlTesting.layerTest({ migrations })))
    },
    mysql
  ]
]

for (const [backend, availability] of backends) {
  describe.skipIf(availability.skip)(`volunteers store: ${backend.name}`, () => storeSuites(backend))
}
