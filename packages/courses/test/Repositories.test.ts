import { describe } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Transactor from "@gongzhi/core/Transactor"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Layer } from "effect"
import * as CourseMigrations from "../src/CourseMigrations.js"
import * as CourseRepo from "../src/CourseRepo.js"
import { courseRepoSuite, type StoreBackend } from "../src/testing.js"

// PostgreSQL and MySQL run when a server answers; skipped otherwise — unless GONGZHI_REQUIRE_DATABASES=1.
const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()

const migrations = [CoreMigrations.migrations, CourseMigrations.migrations]

const backends: ReadonlyArray<readonly [StoreBackend, { readonly skip: boolean }]> = [
  [{ name: "memory", layer: Layer.merge(CourseRepo.layerMemory, Transactor.layerMemory) }, { skip: false }],
  [
    {
      name: "sqlite",
      sql: true,
      layer: CourseRepo.layerSql.pipe(Layer.provideMerge(SqliteTesting.layerTest({ migrations })))
    },
    { skip: false }
  ],
  [
    {
      name: "postgres",
      sql: true,
      layer: CourseRepo.layerSql.pipe(Layer.provideMerge(PgTesting.layerTest({ migrations })))
    },
    pg
  ],
  [
    {
      name: "mysql",
      sql: true,
      layer: CourseRepo.layerSql.pipe(Layer.provideMerge(MysqlTesting.layerTest({ migrations })))
    },
    mysql
  ]
]

for (const [backend, availability] of backends) {
  describe.skipIf(availability.skip)(`courses store: ${backend.name}`, () => courseRepoSuite(backend))
}
