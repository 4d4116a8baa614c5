import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Migrations from "../../Migrations.js"
import * as Repository from "../../Repository.js"
import type * as Transactor from "../../Transactor.js"
import { freshTenant } from "./kit.js"
import { makeResident, type Resident, repositorySuite, residentDefinition } from "./repository.js"

/**
 * A SQL backend for the migration suite: `layer` gives a FRESH, EMPTY database (no migrations run)
 * each time it is provided, with its `SqlClient` and `Transactor`.
 */
export interface MigrationBackend {
  readonly name: string
  readonly layer: Layer.Layer<SqlClient.SqlClient | Transactor.Transactor, unknown>
}

const table = residentDefinition.table

/** Release 1 of a module: the residents table without the `grid` column and the `joined_at` index. */
const release1: ReadonlyArray<Migrations.Migration> = [
  Migrations.migration(1, "create_residents", [
    Migrations.createTable({
      table,
      columns: {
        code: { type: "text", length: 32 },
        street: { type: "text", length: 16 },
        status: { type: "text", length: 16 },
        score: { type: "integer" },
        joined_at: { type: "timestamp" },
        verified: { type: "boolean" }
      },
      indexes: [["street", "status", "joined_at"]],
      unique: { code: ["code"] }
    })
  ])
]

/** Release 2 appends one migration: the new column, filled from the stored documents, and an index. */
const upgrade = Migrations.migration(2, "add_residents_grid", [
  Migrations.addColumn(table, "grid", { type: "text", length: 32 }),
  Migrations.backfill(table, "grid", { type: "text", length: 32 }, (doc) => (doc as { grid?: string | null }).grid),
  Migrations.addIndex(table, ["joined_at"])
])
const release2 = [...release1, upgrade]

const v1 = Migrations.make("gz_conformance_upgrade", release1)
const v2 = Migrations.make("gz_conformance_upgrade", release2)

/** The definition as release 1 knew it. */
const definition1 = Repository.define({
  ...residentDefinition,
  columns: Object.fromEntries(Object.entries(residentDefinition.columns ?? {}).filter(([name]) => name !== "grid")),
  indexes: [["street", "status", "joined_at"]]
})

const upgradeTenant = freshTenant()
const SEEDED = 40

/** Creates the database with release 1, stores data through it, then upgrades to release 2. */
const createThenUpgrade = Effect.gen(function* () {
  const applied1 = yield* Migrations.run([v1])
  assert.deepStrictEqual(
    applied1.map((m) => m.id),
    [1]
  )
  const old = yield* Repository.makeSql(definition1)
  yield* old.insertMany(
    upgradeTenant,
    Array.from({ length: SEEDED }, (_, i) => makeResident(i))
  )
  const applied2 = yield* Migrations.run([v2])
  assert.deepStrictEqual(
    applied2.map((m) => m.name),
    ["add_residents_grid"]
  )
})

/**
 * The upgrade suite: a database created by a module's release 1 migrations, holding data, is
 * upgraded by the migration release 2 appends (a column, its backfill from the documents, an index);
 * the column is filled, running again changes nothing, every change is idempotent on its own, and
 * the repository suite passes on the upgraded table.
 */
export const migrationSuite = (backend: MigrationBackend) =>
  describe(`Migrations upgrade (${backend.name})`, () => {
    it("the check names what a definition has and the migrations lack", () => {
      assert.deepStrictEqual(Migrations.check(v2, [Repository.tableSpec(residentDefinition)]), [])
      const problems = Migrations.check(v1, [Repository.tableSpec(residentDefinition)])
      assert.strictEqual(problems.length, 2)
      assert.match(problems[0], /column grid .*Migrations\.addColumn\("gz_conformance_residents", "grid"/)
      assert.match(problems[1], /index \(joined_at\) .*Migrations\.addIndex/)
    })

    // fresh: a database of its own (layers are memoized by reference, and the suite below needs another)
    it.layer(Layer.fresh(backend.layer), { timeout: 120_000 })((it) => {
      it.effect("upgrades a database created by the previous migrations; running again is a no-op", () =>
        Effect.gen(function* () {
          yield* createThenUpgrade
          const sql = yield* SqlClient.SqlClient
          const p = (i: number) => sql.onDialectOrElse({ pg: () => `$${i}`, orElse: () => "?" })
          const rows = yield* sql.unsafe<{ id: string; grid: string | null }>(
            `SELECT id, grid FROM ${table} WHERE tenant_id = ${p(1)} ORDER BY id`,
            [upgradeTenant]
          )
          assert.deepStrictEqual(
            rows.map((row) => [row.id, row.grid]),
            Array.from({ length: SEEDED }, (_, i) => makeResident(i)).map((r: Resident) => [r.id, r.grid])
          )
          assert.deepStrictEqual(yield* Migrations.run([v2]), [])
          // each change is idempotent on its own, as MySQL's implicit DDL commits require
          for (const migration of release2) yield* migration.up
          const again = yield* sql.unsafe<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`)
          assert.strictEqual(Number(again[0].n), SEEDED)
          // the upgraded table serves the current definition, new column included
          const repo = yield* Repository.makeSql(residentDefinition)
          const grids = yield* repo.countBy(upgradeTenant, "grid")
          assert.deepStrictEqual(grids[0], { key: null, count: SEEDED / 4 })
          const found = yield* repo.find(upgradeTenant, { grid: "G1", joined_at: { gte: 0 } })
          assert.strictEqual(found.length, SEEDED / 4)
        })
      )
    })

    repositorySuite({
      name: `${backend.name}, upgraded from release 1`,
      sql: true,
      layer: Layer.effectDiscard(createThenUpgrade).pipe(Layer.provideMerge(backend.layer)),
      make: Repository.makeSql
    })
  })
