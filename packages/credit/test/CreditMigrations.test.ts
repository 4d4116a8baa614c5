import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as CreditMigrations from "../src/CreditMigrations.js"
import * as CityTables from "../src/internal/city/tables.js"
import * as Tables from "../src/internal/tables.js"

describe("CreditMigrations", () => {
  it("are append-only: the first release's four tables, then one frozen migration per added table", () => {
    assert.deepStrictEqual(
      CreditMigrations.migrations.migrations.map((m) => `${m.id} ${m.name}`),
      [
        ...Tables.all.map((definition, i) => `${i + 1} create_${definition.table}`),
        ...CityTables.all.map((definition, i) => `${13 + i} create_${definition.table}`)
      ]
    )
  })

  it("the frozen migrations build exactly the added tables their definitions expect", () => {
    assert.deepStrictEqual(
      Migrations.check(CreditMigrations.migrations, [...Tables.added, ...CityTables.all].map(Repository.tableSpec)),
      []
    )
  })
})
