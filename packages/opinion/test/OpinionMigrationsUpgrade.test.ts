// A database created by release 1 of the opinion migrations, holding reports, is upgraded by release 2: the
// statistics columns are filled from the stored documents exactly as the live definition computes them, and the
// statistics on the upgraded table equal the in-memory reference — on SQLite, PostgreSQL and MySQL.
import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import { freshTenant } from "@gongzhi/core/testing"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, type Layer } from "effect"
import { sampleReport } from "../src/internal/repoConformance.js"
import { AS_OF, referenceStatistics, statisticsSample } from "../src/internal/statisticsConformance.js"
import * as OpinionMigrations from "../src/OpinionMigrations.js"
import type * as Report from "../src/Report.js"
import * as ReportRepo from "../src/ReportRepo.js"

const [pg, mysql] = await Promise.all([PgTesting.availability(), MysqlTesting.availability()])

const added = ["satisfaction", "closed_on_time", "overdue_at", "past_due_at", "escalations"] as const
const release1 = { module: "opinion", migrations: OpinionMigrations.migrations.migrations.slice(0, 1) }
/** The definition as release 1 had it (without the statistics columns). */
const definition1 = Repository.define({
  ...ReportRepo.definition,
  columns: Object.fromEntries(
    Object.entries(ReportRepo.definition.columns ?? {}).filter(
      ([name]) => !(added as ReadonlyArray<string>).includes(name)
    )
  )
})

/** A column's value as the live definition computes it, in the shape the raw read gives back. */
const expectedValue = (report: Report.Report, column: (typeof added)[number]) => {
  const value = ReportRepo.definition.columns![column].get(report)
  return value === undefined || value === null ? null : value instanceof Date ? value.getTime() : value
}
const fromRow = (column: (typeof added)[number], value: unknown) =>
  value === null || value === undefined
    ? null
    : column === "satisfaction"
      ? String(value)
      : column === "closed_on_time"
        ? Number(value) !== 0
        : Number(value)

const stores: ReadonlyArray<readonly [string, boolean, () => Layer.Layer<SqlClient.SqlClient, unknown>]> = [
  ["sqlite", false, () => SqliteTesting.layerTest({ migrations: [release1] })],
  ["postgres", pg.skip, () => PgTesting.layerTest({ migrations: [release1] })],
  ["mysql", mysql.skip, () => MysqlTesting.layerTest({ migrations: [release1] })]
]

for (const [name, skip, layer] of stores) {
  describe.skipIf(skip)(`OpinionMigrations upgrade (${name})`, () => {
    it.layer(layer(), { timeout: 120_000 })((it) => {
      it.effect("release 2 fills the statistics columns of existing reports as the definition computes them", () =>
        Effect.gen(function* () {
          const tenant = freshTenant()
          const old = yield* Repository.makeSql(definition1)
          const reports = Array.from({ length: 60 }, (_, i) => statisticsSample(sampleReport, i, tenant))
          yield* old.insertMany(tenant, reports)
          const applied = yield* Migrations.run([OpinionMigrations.migrations])
          assert.deepStrictEqual(
            applied.map((m) => m.id),
            [2]
          )
          assert.deepStrictEqual(yield* Migrations.run([OpinionMigrations.migrations]), [])

          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<Record<string, unknown>>`SELECT * FROM opinion_reports WHERE tenant_id = ${tenant}`
          assert.strictEqual(rows.length, reports.length)
          const byId = new Map(rows.map((row) => [String(row.id), row]))
          for (const report of reports) {
            const row = byId.get(report.id)!
            for (const column of added) {
              assert.deepStrictEqual(
                fromRow(column, row[column]),
                expectedValue(report, column),
                `${report.id} ${column}`
              )
            }
          }

          const repo = yield* ReportRepo.makeSql
          for (const by of [undefined, "street", "department"] as const) {
            assert.deepStrictEqual(
              yield* repo.statistics(tenant, { asOf: new Date(AS_OF), by }),
              referenceStatistics(reports, { asOf: new Date(AS_OF), by })
            )
          }
        })
      )
    })
  })
}
