import { MysqlClient } from "@effect/sql-mysql2"
import { Repository, Transactor } from "@gongzhi/core"
import { Effect, Layer, Redacted } from "effect"
import { repositorySuite } from "@gongzhi/core/testing"

const database = `gz_t_${Math.random().toString(36).slice(2, 10)}`
const admin = MysqlClient.layer({ url: Redacted.make("mysql://root@127.0.0.1:3306/test") })
const isolated = Layer.unwrapScoped(
  Effect.gen(function* () {
    const sql = yield* MysqlClient.MysqlClient
    yield* sql.unsafe(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
    yield* Effect.addFinalizer(() => Effect.orDie(sql.unsafe(`DROP DATABASE ${database}`)))
    return MysqlClient.layer({ url: Redacted.make(`mysql://root@127.0.0.1:3306/${database}`) })
  })
).pipe(Layer.provide(admin))

repositorySuite({
  name: "mysql",
  sql: true,
  layer: Layer.provideMerge(Transactor.layerSql, isolated),
  make: (definition) => Effect.zipRight(Repository.migration(definition), Repository.makeSql(definition))
})
