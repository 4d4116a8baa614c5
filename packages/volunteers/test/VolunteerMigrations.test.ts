import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect } from "effect"
import * as Tables from "../src/internal/tables.js"
import * as VolunteerMigrations from "../src/VolunteerMigrations.js"

describe("VolunteerMigrations", () => {
  it("build exactly the tables the repository definitions expect (a changed definition needs a new migration)", () => {
    assert.deepStrictEqual(Migrations.check(VolunteerMigrations.migrations, Tables.all.map(Repository.tableSpec)), [])
  })

  it("are frozen: ids and names as first released, one table each", () => {
    assert.deepStrictEqual(
      VolunteerMigrations.migrations.migrations.map((m) => `${m.id} ${m.name}`),
      Tables.all.map((definition, i) => `${i + 1} create_${definition.table}`)
    )
  })

  it("puts tenant_id first in every primary key and index, on every dialect", () => {
    for (const dialect of ["sqlite", "pg", "mysql"] as const) {
      const statements = VolunteerMigrations.ddl(dialect)
      assert.strictEqual(statements.filter((s) => s.startsWith("CREATE TABLE IF NOT EXISTS")).length, 11)
      for (const statement of statements) {
        if (statement.startsWith("CREATE TABLE")) assert.include(statement, "PRIMARY KEY (tenant_id, id)")
        else assert.match(statement, /^CREATE (UNIQUE )?INDEX (IF NOT EXISTS )?\w+ ON \w+ \(tenant_id, /)
      }
    }
  })

  it("keeps the columns monthly statistics need on service records", () => {
    const table = VolunteerMigrations.ddl("pg").find((s) =>
      s.startsWith("CREATE TABLE IF NOT EXISTS vol_service_records")
    )!
    for (const column of [
      "tenant_id",
      "volunteer_id",
      "team_id",
      "street_code",
      "community_code",
      "started_at",
      "minutes",
      "status"
    ]) {
      assert.match(table, new RegExp(`\\b${column}\\b`), column)
    }
    const indexes = VolunteerMigrations.ddl("pg").filter((s) => s.includes("ON vol_service_records"))
    assert.isTrue(indexes.some((s) => s.includes("(tenant_id, team_id, started_at)")))
  })

  it.scoped("applies once on SQLite and is a no-op the second time", () =>
    Effect.gen(function* () {
      const file = yield* SqliteTesting.tempDatabaseFile
      const { layer } = yield* Effect.promise(() => import("@gongzhi/store-sqlite/SqliteStore"))
      const run = Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* Migrations.run([CoreMigrations.migrations, VolunteerMigrations.migrations]).pipe(
          Effect.provideService(SqlClient.SqlClient, sql)
        )
      }).pipe(Effect.provide(layer({ filename: file })))
      const first = yield* run
      assert.strictEqual(first.filter((m) => m.module === "volunteers").length, 11)
      const second = yield* run
      assert.strictEqual(second.length, 0)
    }).pipe(Effect.orDie)
  )
})
