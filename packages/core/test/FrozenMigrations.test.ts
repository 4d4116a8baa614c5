import { assert, describe, it } from "@effect/vitest"
import { FastCheck } from "effect"
import * as CoreMigrations from "../src/CoreMigrations.js"
import * as HolidayNoticeStore from "../src/HolidayNoticeStore.js"
import * as Migrations from "../src/Migrations.js"
import * as NotificationMigrations from "../src/NotificationMigrations.js"
import * as Preference from "../src/Preference.js"
import * as Repository from "../src/Repository.js"

const notes: Migrations.TableSpec = {
  table: "notes",
  columns: { street: { type: "text", length: 16 }, priority: { type: "integer" }, due_at: { type: "timestamp" } },
  indexes: [["street", "due_at"]],
  unique: { street_priority: ["street", "priority"] }
}

describe("Migrations helpers", () => {
  it("write idempotent statements per dialect", () => {
    const module = Migrations.make("notes", [
      Migrations.migration(1, "create_notes", [Migrations.createTable(notes)]),
      Migrations.migration(2, "add_notes_done", [
        Migrations.addColumn("notes", "done", { type: "boolean" }),
        Migrations.addIndex("notes", ["done"])
      ])
    ])
    const pg = Migrations.sqlOf(module, "pg")
    assert.match(pg[0], /^CREATE TABLE IF NOT EXISTS notes \(\n {2}tenant_id VARCHAR\(12\) COLLATE "C" NOT NULL,/)
    assert.include(pg[0], "doc JSONB NOT NULL")
    assert.include(pg[0], 'street VARCHAR(16) COLLATE "C"')
    assert.deepStrictEqual(pg.slice(1), [
      "CREATE INDEX IF NOT EXISTS notes_ix_street_due_at ON notes (tenant_id, street, due_at)",
      "CREATE UNIQUE INDEX IF NOT EXISTS notes_ux_street_priority ON notes (tenant_id, street, priority)",
      "ALTER TABLE notes ADD COLUMN IF NOT EXISTS done SMALLINT",
      "CREATE INDEX IF NOT EXISTS notes_ix_done ON notes (tenant_id, done)"
    ])
    // MySQL has neither ADD COLUMN IF NOT EXISTS nor CREATE INDEX IF NOT EXISTS: the runner looks first
    const mysql = Migrations.sqlOf(module, "mysql")
    assert.match(
      mysql[0],
      /^CREATE TABLE IF NOT EXISTS notes .* ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin$/s
    )
    assert.deepStrictEqual(mysql.slice(3), [
      "ALTER TABLE notes ADD COLUMN done SMALLINT",
      "CREATE INDEX notes_ix_done ON notes (tenant_id, done)"
    ])
    const sqlite = Migrations.sqlOf(module, "sqlite")
    assert.deepStrictEqual(sqlite.slice(3), [
      "ALTER TABLE notes ADD COLUMN done INTEGER",
      "CREATE INDEX IF NOT EXISTS notes_ix_done ON notes (tenant_id, done)"
    ])
  })

  it("reject bad identifiers when the migration is written", () => {
    assert.throws(() => Migrations.createTable({ table: "Notes" }), /table "Notes"/)
    assert.throws(() => Migrations.createTable({ ...notes, indexes: [["nope"]] }), /no column "nope"/)
    assert.throws(() => Migrations.addColumn("notes", "version", { type: "integer" }), /reserved|must match/)
  })
})

describe("Migrations.check", () => {
  const module = Migrations.make("notes", [Migrations.migration(1, "create_notes", [Migrations.createTable(notes)])])

  it("names the migration a changed definition needs", () => {
    assert.deepStrictEqual(Migrations.check(module, [notes]), [])
    const grown: Migrations.TableSpec = {
      ...notes,
      columns: { ...notes.columns, done: { type: "boolean" }, street: { type: "text", length: 32 } },
      indexes: [...(notes.indexes ?? []), ["done"]]
    }
    assert.deepStrictEqual(Migrations.check(module, [grown, { table: "tasks" }]), [
      'notes: column street is { type: "text", length: 32 } in the definition but { type: "text", length: 16 } in the migrations — a migration must change it',
      'notes: the definition has column done but no migration adds it — append a migration with Migrations.addColumn("notes", "done", { type: "boolean" }) (and Migrations.backfill to fill existing rows)',
      'notes: the definition has index (done) but no migration creates it — append Migrations.addIndex("notes", ["done"])',
      'tasks: no migration creates this table — append one with Migrations.createTable({ table: "tasks", … })'
    ])
    const fixed = Migrations.make("notes", [
      ...module.migrations,
      Migrations.migration(2, "add_notes_done", [
        Migrations.addColumn("notes", "done", { type: "boolean" }),
        Migrations.addIndex("notes", ["done"])
      ])
    ])
    assert.deepStrictEqual(
      Migrations.check(fixed, [{ ...grown, columns: { ...grown.columns, street: notes.columns!.street } }]),
      []
    )
  })

  it("agrees with Repository.tableSpec for any definition, and misses any column left out (property)", () => {
    const name = FastCheck.stringMatching(/^[a-z][a-z0-9]{0,8}$/).filter((n) => !["id", "doc", "version"].includes(n))
    const column = FastCheck.record({
      type: FastCheck.constantFrom<Repository.ColumnType>("text", "integer", "timestamp", "boolean"),
      length: FastCheck.option(FastCheck.integer({ min: 1, max: 191 }), { nil: undefined })
    })
    FastCheck.assert(
      FastCheck.property(FastCheck.dictionary(name, column, { minKeys: 1, maxKeys: 6 }), (columns) => {
        const definition = Repository.define({
          entity: "X",
          table: "xs",
          schema: Preference.definition.schema,
          id: () => "",
          columns: Object.fromEntries(
            Object.entries(columns).map(([n, c]): [string, Repository.Column<unknown>] => [
              n,
              c.length === undefined
                ? { type: c.type, get: () => null }
                : { type: c.type, get: () => null, length: c.length }
            ])
          ),
          indexes: [Object.keys(columns)]
        })
        const spec = Repository.tableSpec(definition)
        const migrations = Migrations.make("xs", [Migrations.migration(1, "create_xs", [Migrations.createTable(spec)])])
        assert.deepStrictEqual(Migrations.check(migrations, [spec]), [])
        const [dropped] = Object.keys(columns)
        const { [dropped]: _, ...rest } = spec.columns ?? {}
        const short = Migrations.make("xs", [
          Migrations.migration(1, "create_xs", [
            Migrations.createTable({ table: "xs", columns: rest, indexes: [], unique: {} })
          ])
        ])
        const problems = Migrations.check(short, [spec])
        assert.isTrue(problems[0].startsWith(`xs: the definition has column ${dropped} but no migration adds it`))
      })
    )
  })
})

describe("the kernel's migrations", () => {
  it("are frozen: ids and names as first released", () => {
    assert.deepStrictEqual(
      [CoreMigrations.migrations, NotificationMigrations.migrations].flatMap((module) =>
        module.migrations.map((m) => `${module.module} ${m.id} ${m.name}`)
      ),
      [
        "core 1 create_outbox",
        "core 2 create_audit_log",
        "core 3 audit_log_key_id",
        "core 4 create_holiday_notices",
        "core 5 create_job_runs",
        "notifications 1 create_deliveries",
        "notifications 2 create_notification_preferences",
        "notifications 3 protect_delivery_addresses"
      ]
    )
  })

  it("build the table HolidayNoticeStore.definition expects", () => {
    assert.deepStrictEqual(
      Migrations.check(CoreMigrations.migrations, [Repository.tableSpec(HolidayNoticeStore.definition)]),
      []
    )
  })

  it("build the table Preference.definition expects", () => {
    assert.deepStrictEqual(
      Migrations.check(NotificationMigrations.migrations, [Repository.tableSpec(Preference.definition)]),
      []
    )
  })
})
