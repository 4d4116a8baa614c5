import { randomBytes } from "node:crypto"
import * as Reactivity from "@effect/experimental/Reactivity"
import { PgClient } from "@effect/sql-pg"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Transactor from "@gongzhi/core/Transactor"
import { kernelSuites } from "@gongzhi/core/testing"
import { Effect, Layer, Redacted } from "effect"

const server = "postgres://postgres@127.0.0.1:5432/test"

/** Each build of the layer gets its own schema `gz_t_<random>`, dropped when the layer's scope closes. */
const isolated = Layer.unwrapScoped(
  Effect.gen(function* () {
    const admin = yield* PgClient.make({ url: Redacted.make(server) })
    const schema = `gz_t_${randomBytes(6).toString("hex")}`
    yield* Effect.acquireRelease(admin.unsafe(`CREATE SCHEMA ${schema}`), () =>
      Effect.orDie(admin.unsafe(`DROP SCHEMA ${schema} CASCADE`))
    )
    return PgClient.layer({ url: Redacted.make(`${server}?options=-c%20search_path%3D${schema}`), maxConnections: 8 })
  })
).pipe(Layer.provide(Reactivity.layer))

const migrated = Layer.effectDiscard(
  Effect.forEach(CoreMigrations.migrations.migrations, (migration) => migration.up)
).pipe(Layer.provideMerge(isolated))

kernelSuites({
  name: "postgres",
  sql: true,
  concurrentWriters: true,
  layer: Layer.mergeAll(Transactor.layerSql, Outbox.layerSql, AuditLog.layerSql).pipe(Layer.provideMerge(migrated))
})
