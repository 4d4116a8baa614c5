import { describe } from "@effect/vitest"
import * as Transactor from "@gongzhi/core/Transactor"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Layer } from "effect"
import * as OpinionMigrations from "../src/OpinionMigrations.js"
import * as ReportRepo from "../src/ReportRepo.js"
import { type ReportRepoBackend, reportRepoSuite } from "../src/testing.js"

// The same suite on every backend: the in-memory reference, and the SQL implementation on SQLite, PostgreSQL and
// MySQL through each store's own test provisioning (a fresh, migrated database per suite). PostgreSQL and MySQL
// are skipped with a one-line hint when no server answers, unless GONGZHI_REQUIRE_DATABASES=1.
const [pg, mysql] = await Promise.all([PgTesting.availability(), MysqlTesting.availability()])

const migrations = [OpinionMigrations.migrations]
const sqlBackend = (name: string, store: Layer.Layer<any, unknown>): ReportRepoBackend => ({
  name,
  sql: true,
  // a fresh layer value per backend: a module-level layer shared by several `it.layer` blocks of one file is
  // memoized across them, and the second backend would silently reuse the first one's repository
  layer: Layer.effect(ReportRepo.ReportRepo, ReportRepo.makeSql).pipe(Layer.provideMerge(store))
})

const backends: ReadonlyArray<readonly [string, boolean, () => ReportRepoBackend]> = [
  [
    "memory",
    false,
    () => ({
      name: "memory",
      // no SqlClient: the suite's raw read-back runs only for SQL backends
      layer: Layer.mergeAll(ReportRepo.layerMemory, Transactor.layerMemory) as ReportRepoBackend["layer"]
    })
  ],
  ["sqlite", false, () => sqlBackend("sqlite", SqliteTesting.layerTest({ migrations }))],
  ["postgres", pg.skip, () => sqlBackend("postgres", PgTesting.layerTest({ migrations }))],
  ["mysql", mysql.skip, () => sqlBackend("mysql", MysqlTesting.layerTest({ migrations }))]
]

for (const [name, skip, backend] of backends) {
  describe.skipIf(skip)(name, () => {
    reportRepoSuite(backend())
  })
}
