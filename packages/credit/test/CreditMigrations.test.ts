import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as CreditMigrations from "../src/CreditMigrations.js"
import * as Tables from "../src/internal/tables.js"

describe("CreditMigrations", () => {
  it("are append-only: the first release's four tables, then one frozen migration per added table", () => {
    const names = CreditMigrations.migrations.migrations.map((m) => `${m.id} ${m.name}`)
    assert.deepStrictEqual(
      names.slice(0, 6),
      Tables.all.slice(0, 6).map((definition, i) => `${i + 1} create_${definition.table}`)
    )
    // 11: the sharing interface's three tables in one migration
    assert.include(names, "11 create_credit_sharing")
  })

  it("the frozen migrations build exactly the added tables their definitions expect", () => {
    assert.deepStrictEqual(Migrations.check(CreditMigrations.migrations, Tables.added.map(Repository.tableSpec)), [])
  })
})
