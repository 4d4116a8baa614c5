import { randomBytes } from "node:crypto"
import * as Reactivity from "@effect/experimental/Reactivity"
import { MysqlClient } from "@effect/sql-mysql2"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Transactor from "@gongzhi/core/Transactor"
import { kernelSuites } from "@gongzhi/core/testing"
import { Effect, Layer, Redacted } from "effect"

const server = "mysql://root@127.0.0.1:3306"

/** Each build of the layer gets its own database `gz_t_<random>`, dropped when the layer's scope closes. */
const isolated = Layer.unwrapScoped(
  Effect.gen(function* () {
    const admin = yield* MysqlClient.make({ url: Redacted.make(server) })
    const database = `gz_t_${randomBytes(6).toString("hex")}`
    yield* Effect.acquireRelease(
      admin.unsafe(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`),
      () => Effect.orDie(admin.unsafe(`DROP DATABASE ${database}`))
    )
    return MysqlClient.layer({ url: Redacted.make(`${server}/${database}`), maxConnections: 8 })
  })
).pipe(Layer.provide(Reactivity.layer))

const migrated = Layer.effectDiscard(
  Effect.forEach(CoreMigrations.migrations.migrations, (migration) => migration.up)
).pipe(Layer.provideMerge(isolated))

kernelSuites({
  name: "mysql",
  sql: true,
  concurrentWriters: true,
  layer: Layer.mergeAll(Transactor.layerSql, Outbox.layerSql, AuditLog.layerSql).pipe(Layer.provideMerge(migrated))
})
