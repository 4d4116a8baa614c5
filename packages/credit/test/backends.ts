/** The service on every first-party store, and a runner on memory for property tests (shared by test files). */
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Layer, TestClock, TestContext } from "effect"
import * as CreditMigrations from "../src/CreditMigrations.js"
import type * as CreditStore from "../src/CreditStore.js"
import * as Credits from "../src/Credits.js"

const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const migrations = [CoreMigrations.migrations, CreditMigrations.migrations]

/** `[name, layer, skip]` for memory, SQLite, PostgreSQL and MySQL (skipped without a server, unless required). */
export const backends = (options: Credits.CreditsOptions) => {
  const sql = (store: Layer.Layer<any, any, never>) =>
    Credits.layerSql(options).pipe(Layer.provideMerge(store), Layer.provide(FieldCipher.layerTest()), Layer.orDie)
  return [
    ["memory", () => Credits.layerMemory(options).pipe(Layer.provide(FieldCipher.layerTest()), Layer.orDie), false],
    ["sqlite", () => sql(SqliteTesting.layerTest({ migrations })), false],
    ["postgres", () => sql(PgTesting.layerTest({ migrations, maxConnections: 4 })), pg.skip],
    ["mysql", () => sql(MysqlTesting.layerTest({ migrations, maxConnections: 4 })), mysql.skip]
  ] as const
}

/** Runs a body on a fresh service (memory unless a layer is given) with the test clock at `at` (for fast-check's async properties). */
export const runOnMemory =
  (options: Credits.CreditsOptions, at: string, layer?: Layer.Layer<Credits.Credits | CreditStore.CreditStore>) =>
  <A, E>(body: Effect.Effect<A, E, Credits.Credits | CreditStore.CreditStore>) =>
    Effect.runPromise(
      Effect.gen(function* () {
        yield* TestClock.setTime(Date.parse(at))
        return yield* body
      }).pipe(
        Effect.provide(layer ?? Credits.layerMemory(options).pipe(Layer.provide(FieldCipher.layerTest()), Layer.orDie)),
        Effect.provide(TestContext.TestContext)
      )
    )

/** A fresh SQLite service (a new in-memory database each time it is built). */
export const sqliteService = (options: Credits.CreditsOptions) =>
  Credits.layerSql(options).pipe(
    Layer.provideMerge(SqliteTesting.layerTest({ migrations })),
    Layer.provide(FieldCipher.layerTest()),
    Layer.orDie
  )

export { companyCodes } from "./fixtures.js"
