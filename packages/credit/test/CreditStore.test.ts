import { describe } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Transactor from "@gongzhi/core/Transactor"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Layer } from "effect"
import * as CreditMigrations from "../src/CreditMigrations.js"
import * as CreditStore from "../src/CreditStore.js"
import { creditStoreSuite } from "../src/testing.js"

const migrations = [CoreMigrations.migrations, CreditMigrations.migrations]
const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()

creditStoreSuite({ name: "memory", layer: Layer.merge(CreditStore.layerMemory, Transactor.layerMemory) })
creditStoreSuite({
  name: "sqlite",
  layer: CreditStore.layerSql.pipe(Layer.provideMerge(SqliteTesting.layerTest({ migrations })))
})
describe.skipIf(pg.skip)("postgres", () =>
  creditStoreSuite({
    name: "postgres",
    layer: CreditStore.layerSql.pipe(Layer.provideMerge(PgTesting.layerTest({ migrations, maxConnections: 4 })))
  })
)
describe.skipIf(mysql.skip)("mysql", () =>
  creditStoreSuite({
    name: "mysql",
    layer: CreditStore.layerSql.pipe(Layer.provideMerge(MysqlTesting.layerTest({ migrations, maxConnections: 4 })))
  })
)
