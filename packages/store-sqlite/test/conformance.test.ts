import * as AuditLog from "@gongzhi/core/AuditLog"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as JobLedger from "@gongzhi/core/JobLedger"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Repository from "@gongzhi/core/Repository"
import { jobLedgerSuite, kernelSuites, repositorySuite } from "@gongzhi/core/testing"
import { Effect, Layer } from "effect"
import { layerTest } from "../src/testing.js"

// The kernel's conformance suites on the store as an application starts it: a fresh WAL file per
// suite, migrated by the store's migration runner, with the store's Transactor.
kernelSuites({
  name: "SqliteStore",
  sql: true,
  concurrentWriters: false,
  layer: Layer.mergeAll(Outbox.layerSql, AuditLog.layerSql).pipe(
    Layer.provideMerge(layerTest({ migrations: [CoreMigrations.migrations] }))
  )
})

repositorySuite({
  name: "SqliteStore",
  sql: true,
  layer: layerTest({ migrations: [] }),
  make: (definition) => Effect.zipRight(Repository.migration(definition), Repository.makeSql(definition))
})

jobLedgerSuite({
  name: "SqliteStore",
  concurrentWriters: false,
  layer: JobLedger.layerSql.pipe(Layer.provideMerge(layerTest({ migrations: [CoreMigrations.migrations] })))
})
