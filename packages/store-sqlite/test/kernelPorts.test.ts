import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Transactor from "@gongzhi/core/Transactor"
import { kernelSuites } from "@gongzhi/core/testing"
import { Effect, Layer } from "effect"

/** A fresh SQLite file per build of the layer, migrated with the kernel's migrations, removed afterwards. */
const sqlite = Layer.unwrapScoped(
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "gz-kernel-"))),
      (directory) => Effect.sync(() => rmSync(directory, { recursive: true, force: true }))
    ),
    (directory) => SqliteClient.layer({ filename: join(directory, "kernel.db") })
  )
)

const migrated = Layer.effectDiscard(
  Effect.forEach(CoreMigrations.migrations.migrations, (migration) => migration.up)
).pipe(Layer.provideMerge(sqlite))

kernelSuites({
  name: "sqlite",
  sql: true,
  concurrentWriters: false,
  layer: Layer.mergeAll(Transactor.layerSql, Outbox.layerSql, AuditLog.layerSql).pipe(Layer.provideMerge(migrated))
})
