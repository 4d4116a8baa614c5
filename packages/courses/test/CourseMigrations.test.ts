import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as CourseMigrations from "../src/CourseMigrations.js"
import * as Tables from "../src/internal/tables.js"

describe("CourseMigrations", () => {
  it("build exactly the tables the repository definitions expect", () => {
    assert.deepStrictEqual(Migrations.check(CourseMigrations.migrations, Tables.all.map(Repository.tableSpec)), [])
  })

  it("are frozen: module courses, ids from 1, one table each", () => {
    assert.strictEqual(CourseMigrations.migrations.module, "courses")
    assert.deepStrictEqual(
      CourseMigrations.migrations.migrations.map((m) => `${m.id} ${m.name}`),
      Tables.all.map((definition, i) => `${i + 1} create_${definition.table}`)
    )
  })

  it("puts tenant_id first in every primary key and index, on every dialect", () => {
    for (const dialect of ["sqlite", "pg", "mysql"] as const) {
      const statements = CourseMigrations.ddl(dialect)
      assert.strictEqual(statements.filter((s) => s.startsWith("CREATE TABLE IF NOT EXISTS")).length, 7)
      for (const statement of statements) {
        if (statement.startsWith("CREATE TABLE")) assert.include(statement, "PRIMARY KEY (tenant_id, id)")
        else assert.match(statement, /^CREATE (UNIQUE )?INDEX (IF NOT EXISTS )?\w+ ON \w+ \(tenant_id, /)
      }
    }
  })
})
