import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as CreditMigrations from "../src/CreditMigrations.js"
import * as Tables from "../src/internal/tables.js"

describe("CreditMigrations", () => {
  it("are append-only: the first release's four tables, then one frozen migration per added table", () => {
    // ids are reserved per feature, so they may leave gaps (7 and 8 belong to other tables)
    const ids = CreditMigrations.migrations.migrations.map((m) => m.id)
    assert.deepStrictEqual(ids.slice(0, 6), [1, 2, 3, 4, 5, 6])
    assert.deepStrictEqual(
      ids.filter((id, i) => i > 0 && id <= (ids[i - 1] ?? 0)),
      []
    )
    assert.deepStrictEqual(
      CreditMigrations.migrations.migrations.map((m) => m.name),
      Tables.all.map((definition) => `create_${definition.table}`)
    )
    assert.deepStrictEqual(
      CreditMigrations.migrations.migrations
        .filter((m) => m.name.includes("objections") || m.name.includes("repairs"))
        .map((m) => m.id),
      [9, 10]
    )
  })

  it("the frozen migrations build exactly the added tables their definitions expect", () => {
    assert.deepStrictEqual(Migrations.check(CreditMigrations.migrations, Tables.added.map(Repository.tableSpec)), [])
  })
})
