/**
 * The database migrations of public credit, module `credit`: an append-only list. Migrations 1–4
 * (the first release) create `credit_subjects`, `credit_records`, `credit_evaluations` and
 * `credit_batches` from their repository definitions, which are frozen; every later table or column
 * arrives by a migration written out once with `Migrations.createTable` / `Migrations.addColumn`:
 * 5 `credit_list_decisions` (list entries by decision), 6 `credit_measure_feedback` (measures taken),
 * 13 `credit_city_messages` and 14 `credit_city_state` (the city link: queue, mirror and cursor).
 *
 * @since 0.1.0
 */
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as CityTables from "./internal/city/tables.js"
import * as Tables from "./internal/tables.js"

/**
 * The migrations of module `credit`, in order. Append; never edit an entry once released.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrations: Migrations.ModuleMigrations = Migrations.make("credit", [
  ...Tables.initial.map((definition, i) => ({
    id: i + 1,
    name: `create_${definition.table}`,
    up: Repository.migration(definition)
  })),
  Migrations.migration(5, "create_credit_list_decisions", [
    Migrations.createTable({
      table: "credit_list_decisions",
      columns: {
        subject_id: { type: "text", length: 64 },
        list_kind: { type: "text", length: 24 },
        state: { type: "text", length: 16 },
        until_day: { type: "text", length: 10 }
      },
      indexes: [["subject_id"], ["state", "until_day"], ["list_kind", "state"]]
    })
  ]),
  Migrations.migration(6, "create_credit_measure_feedback", [
    Migrations.createTable({
      table: "credit_measure_feedback",
      columns: {
        subject_id: { type: "text", length: 64 },
        measure: { type: "text", length: 64 },
        taken_on: { type: "text", length: 10 }
      },
      indexes: [["subject_id"], ["measure", "taken_on"]]
    })
  ]),
  // the city link (市区联动): 13 the outbound queue and inbound mirror, 14 the exchange cursor
  Migrations.migration(13, "create_credit_city_messages", [
    Migrations.createTable({
      table: "credit_city_messages",
      columns: {
        direction: { type: "text", length: 3 },
        state: { type: "text", length: 8 },
        kind: { type: "text", length: 8 }
      },
      indexes: [["direction", "state"], ["kind"]]
    })
  ]),
  Migrations.migration(14, "create_credit_city_state", [Migrations.createTable({ table: "credit_city_state" })])
])

/**
 * The SQL of every table for a dialect.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ddl = (dialect: "sqlite" | "pg" | "mysql"): ReadonlyArray<string> =>
  [...Tables.all, ...CityTables.all].flatMap((definition) => Repository.ddl(definition, dialect))
