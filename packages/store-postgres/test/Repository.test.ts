import { PgClient } from "@effect/sql-pg"
import { Repository, Transactor } from "@gongzhi/core"
import { Effect, Layer, Redacted } from "effect"
import { repositorySuite } from "@gongzhi/core/testing"

const schema = `gz_t_${Math.random().toString(36).slice(2, 10)}`
const admin = PgClient.layer({ url: Redacted.make("postgres://postgres@127.0.0.1:5432/test") })
const isolated = Layer.unwrapScoped(
  Effect.gen(function* () {
    const sql = yield* PgClient.PgClient
    yield* sql.unsafe(`CREATE SCHEMA ${schema}`)
    yield* Effect.addFinalizer(() => Effect.orDie(sql.unsafe(`DROP SCHEMA ${schema} CASCADE`)))
    return PgClient.layer({
      url: Redacted.make(`postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3D${schema}`)
    })
  })
).pipe(Layer.provide(admin))

repositorySuite({
  name: "postgres",
  sql: true,
  layer: Layer.provideMerge(Transactor.layerSql, isolated),
  make: (definition) => Effect.zipRight(Repository.migration(definition), Repository.makeSql(definition))
})
