import { describe } from "@effect/vitest"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as JobLedger from "@gongzhi/core/JobLedger"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Repository from "@gongzhi/core/Repository"
import { jobLedgerSuite, kernelSuites, repositorySuite } from "@gongzhi/core/testing"
import { Effect, Layer } from "effect"
import { availability, layerTest } from "../src/testing.js"

const server = await availability()

// The kernel's conformance suites on the store as an application starts it: a fresh schema per
// suite, migrated by the store's migration runner, with the store's Transactor.
describe.skipIf(server.skip)("PgStore conformance", () => {
  kernelSuites({
    name: "PgStore",
    sql: true,
    concurrentWriters: true,
    layer: Layer.mergeAll(Outbox.layerSql, AuditLog.layerSql).pipe(
      Layer.provideMerge(layerTest({ migrations: [CoreMigrations.migrations], maxConnections: 8 }))
    )
  })
  repositorySuite({
    name: "PgStore",
    sql: true,
    layer: layerTest({ migrations: [], maxConnections: 8 }),
    make: (definition) => Effect.zipRight(Repository.migration(definition), Repository.makeSql(definition))
  })
  jobLedgerSuite({
    name: "PgStore",
    concurrentWriters: true,
    layer: JobLedger.layerSql.pipe(Layer.provideMerge(layerTest({ migrations: [CoreMigrations.migrations] })))
  })
})
