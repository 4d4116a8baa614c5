/**
 * The database migrations of public credit, module `credit`: an append-only list. Migrations 1–4
 * (the first release) create `credit_subjects`, `credit_records`, `credit_evaluations` and
 * `credit_batches` from their repository definitions, which are frozen; every later table or column
 * arrives by a migration written out once with `Migrations.createTable` / `Migrations.addColumn`:
 * 5 `credit_list_decisions` (list entries by decision), 6 `credit_measure_feedback` (measures taken),
 * 7 `credit_inquiries` (inquiries, with the number and hash of a credit report issued),
 * 8 `credit_authorisations` (the authorisations third parties and enterprise accounts inquire under),
 * 9 `credit_objections` (异议), 10 `credit_repairs` (信用修复申请),
 * 11 the sharing interface (`credit_service_accounts`, `credit_api_keys`, `credit_share_log`), 12 an index
 * of `credit_records` for its batch check,
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
  Migrations.migration(7, "create_credit_inquiries", [
    Migrations.createTable({
      table: "credit_inquiries",
      columns: {
        subject_id: { type: "text", length: 64 },
        inquirer: { type: "text", length: 160 },
        inquired_at: { type: "timestamp" },
        report_number: { type: "text", length: 64 }
      },
      indexes: [["subject_id", "inquired_at"], ["inquirer"], ["report_number"]]
    })
  ]),
  Migrations.migration(8, "create_credit_authorisations", [
    Migrations.createTable({
      table: "credit_authorisations",
      columns: {
        subject_id: { type: "text", length: 64 },
        grantee_id: { type: "text", length: 96 },
        state: { type: "text", length: 16 }
      },
      indexes: [["subject_id"], ["grantee_id", "state"]]
    })
  ]),
  Migrations.migration(9, "create_credit_objections", [
    Migrations.createTable({
      table: "credit_objections",
      columns: {
        subject_id: { type: "text", length: 64 },
        record_id: { type: "text", length: 64 },
        state: { type: "text", length: 16 },
        due_day: { type: "text", length: 10 }
      },
      indexes: [["subject_id"], ["record_id"], ["state", "due_day"]]
    })
  ]),
  Migrations.migration(10, "create_credit_repairs", [
    Migrations.createTable({
      table: "credit_repairs",
      columns: {
        subject_id: { type: "text", length: 64 },
        source_unit_id: { type: "text", length: 48 },
        state: { type: "text", length: 16 }
      },
      indexes: [["subject_id"], ["source_unit_id", "state"]]
    })
  ]),
  Migrations.migration(11, "create_credit_sharing", [
    Migrations.createTable({
      table: "credit_service_accounts",
      columns: { status: { type: "text", length: 16 } },
      indexes: [["status"]]
    }),
    Migrations.createTable({
      table: "credit_api_keys",
      columns: { account_id: { type: "text", length: 64 } },
      indexes: [["account_id"]]
    }),
    Migrations.createTable({
      table: "credit_share_log",
      columns: { subject_id: { type: "text", length: 64 }, account_id: { type: "text", length: 64 } },
      indexes: [["subject_id"], ["account_id"]]
    })
  ]),
  // the sharing interface's batch check reads a subject's candidate records from the index alone
  Migrations.migration(12, "index_credit_records_share_check", [
    Migrations.addIndex("credit_records", ["subject_id", "record_type", "state", "finding_date"])
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
