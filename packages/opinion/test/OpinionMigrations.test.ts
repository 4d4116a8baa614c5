import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as OpinionMigrations from "../src/OpinionMigrations.js"
import * as ReportRepo from "../src/ReportRepo.js"

describe("OpinionMigrations", () => {
  it("build exactly the table ReportRepo.definition expects (a changed definition needs a new migration)", () => {
    assert.deepStrictEqual(
      Migrations.check(OpinionMigrations.migrations, [Repository.tableSpec(ReportRepo.definition)]),
      []
    )
  })

  it("are frozen: ids and names as first released", () => {
    assert.deepStrictEqual(
      OpinionMigrations.migrations.migrations.map((m) => `${m.id} ${m.name}`),
      ["1 create_opinion_reports", "2 add_opinion_report_statistics"]
    )
  })

  it("put tenant_id first in the primary key and every index, on every dialect", () => {
    for (const dialect of ["sqlite", "pg", "mysql"] as const) {
      const [table, ...rest] = OpinionMigrations.ddl(dialect)
      assert.match(table, /^CREATE TABLE IF NOT EXISTS opinion_reports .*PRIMARY KEY \(tenant_id, id\)/s)
      const indexes = rest.filter((statement) => /INDEX/.test(statement))
      assert.isAbove(indexes.length, 10)
      for (const index of indexes) assert.match(index, /ON opinion_reports \(tenant_id, /)
    }
  })
})
