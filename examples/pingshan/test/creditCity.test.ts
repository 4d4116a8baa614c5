import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as LocalDate from "@gongzhi/core/LocalDate"
import type { TenantId } from "@gongzhi/core/Tenant"
import { CreditMigrations, CreditRecord, CreditStore } from "@gongzhi/credit"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import { Effect, Layer, Logger, LogLevel, Schema } from "effect"
import * as CreditCity from "../src/creditCity.js"

const TENANT = "440310" as TenantId

const record = (id: string) =>
  new CreditRecord.CreditRecord({
    id,
    tenantId: TENANT,
    subjectId: "S1",
    recordType: "ADMIN_PENALTY",
    polarity: "negative",
    failingClass: "penalty",
    sourceRecordId: id,
    findingDate: Schema.decodeSync(LocalDate.LocalDate)("2026-03-01"),
    displayed: true,
    details: {},
    state: "active",
    provenance: new CreditRecord.Provenance({
      sourceUnitId: "SCJG",
      batchId: "B",
      receivedAt: new Date(0),
      receivedBy: "test"
    }),
    contentHash: id
  })

describe("creditCity", () => {
  it.live("syncs the credit database with the fake city and prints the rounds", () =>
    Effect.gen(function* () {
      const outDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "pingshan-city-"))
      yield* Effect.gen(function* () {
        const store = yield* CreditStore.CreditStore
        yield* store.records.insertMany(TENANT, [record("PS-1"), record("PS-2")])
      }).pipe(
        Effect.provide(
          CreditStore.layerSql.pipe(
            Layer.provide(
              SqliteStore.layer({
                filename: Path.join(outDir, "credit.db"),
                migrations: [CoreMigrations.migrations, CreditMigrations.migrations]
              })
            )
          )
        )
      )
      const lines: Array<string> = []
      yield* CreditCity.run((line) => lines.push(line), { outDir })
      Fs.rmSync(outDir, { recursive: true, force: true })
      assert.strictEqual(lines.length, 3)
      assert.include(lines[1], "推送区级记录和名单认定 2 条，接收市级记录 3 条")
      assert.include(lines[2], "解决冲突 1 条、重新推送 1 条；第三轮推送 0 条、接收 0 条")
    }).pipe(Logger.withMinimumLogLevel(LogLevel.Warning))
  )
})
