import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as CreditMigrations from "../src/CreditMigrations.js"
import * as CityTables from "../src/internal/city/tables.js"
import * as Tables from "../src/internal/tables.js"

describe("CreditMigrations", () => {
  it("are append-only and frozen: ids and names as released, ids increasing", () => {
    const ids = CreditMigrations.migrations.migrations.map((m) => m.id)
    assert.deepStrictEqual(ids.slice(0, 6), [1, 2, 3, 4, 5, 6])
    assert.deepStrictEqual(
      CreditMigrations.migrations.migrations.map((m) => `${m.id} ${m.name}`),
      [
        "1 create_credit_subjects",
        "2 create_credit_records",
        "3 create_credit_evaluations",
        "4 create_credit_batches",
        "5 create_credit_list_decisions",
        "6 create_credit_measure_feedback",
        "7 create_credit_inquiries",
        "8 create_credit_authorisations",
        "9 create_credit_objections",
        "10 create_credit_repairs",
        "11 create_credit_sharing",
        "12 index_credit_records_share_check",
        "13 create_credit_city_messages",
        "14 create_credit_city_state"
      ]
    )
    assert.deepStrictEqual(
      ids.filter((id, i) => i > 0 && id <= (ids[i - 1] ?? 0)),
      []
    )
  })

  it("the frozen migrations build exactly the added tables their definitions expect", () => {
    assert.deepStrictEqual(
      Migrations.check(CreditMigrations.migrations, [...Tables.added, ...CityTables.all].map(Repository.tableSpec)),
      []
    )
  })
})
