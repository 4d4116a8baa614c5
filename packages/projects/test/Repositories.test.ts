import { describe } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Transactor from "@gongzhi/core/Transactor"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Layer } from "effect"
import * as ProjectMigrations from "../src/ProjectMigrations.js"
import * as Projects from "../src/Projects.js"
import { type StoreBackend, storeSuites } from "../src/testing.js"

const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const migrations = [CoreMigrations.migrations, ProjectMigrations.migrations]

const backends: ReadonlyArray<readonly [StoreBackend, { readonly skip: boolean }]> = [
  [{ name: "memory", layer: Layer.merge(Projects.layerStoreMemory, Transactor.layerMemory) }, { skip: false }],
  [
    { name: "sqlite", layer: Projects.layerStoreSql.pipe(Layer.provideMerge(SqliteTesting.layerTest({ migrations }))) },
    { skip: false }
  ],
  [
    { name: "postgres", layer: Projects.layerStoreSql.pipe(Layer.provideMerge(PgTesting.layerTest({ migrations }))) },
    pg
  ],
  [
    { name: "mysql", layer: Projects.layerStoreSql.pipe(Layer.provideMerge(MysqlTesting.layerTest({ migrations }))) },
    mysql
  ]
]

for (const [backend, availability] of backends) {
  describe.skipIf(availability.skip)(`projects store: ${backend.name}`, () => storeSuites(backend))
}
