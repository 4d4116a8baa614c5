/**
 * Test provisioning for `@gongzhi/store-postgres`, reusable by third parties. {@link layerTest} gives
 * each use a fresh schema `gz_t_<random>` in the test database (dropped with everything in it when
 * the layer's scope closes); {@link availability} tells a test file whether a server answers.
 *
 * The server is `GONGZHI_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`). When it does
 * not answer, test files skip their suite and print one line saying how to enable it — unless
 * `GONGZHI_REQUIRE_DATABASES=1` (CI), where a missing server fails the run.
 *
 * @since 0.1.0
 */

import * as Crypto from "node:crypto"
import type { SqlClient } from "@effect/sql"
import type * as PgClient from "@effect/sql-pg/PgClient"
import type * as Migrations from "@gongzhi/core/Migrations"
import type * as Transactor from "@gongzhi/core/Transactor"
import type { Scope } from "effect"
import { Duration, Effect, Layer, Redacted } from "effect"
import * as PgStore from "./PgStore.js"

/**
 * The default test server.
 *
 * @since 0.1.0
 * @category testing
 */
export const defaultTestUrl = "postgres://postgres@127.0.0.1:5432/test"

/**
 * The test server: `GONGZHI_TEST_PG_URL`, or {@link defaultTestUrl}.
 *
 * @since 0.1.0
 * @category testing
 */
export const testUrl = (): Redacted.Redacted => {
  const fromEnv = process.env.GONGZHI_TEST_PG_URL
  return Redacted.make(fromEnv === undefined || fromEnv.trim() === "" ? defaultTestUrl : fromEnv)
}

/**
 * Whether the tests that need the server should run.
 *
 * @since 0.1.0
 * @category testing
 */
export interface Availability {
  /** The server answered (and the credentials and database are right). */
  readonly available: boolean
  /** `GONGZHI_REQUIRE_DATABASES=1`: a missing server must fail the run. */
  readonly required: boolean
  /** Not available and not required: skip the suite. */
  readonly skip: boolean
  /** One line: why not, and how to enable the tests (empty when available). */
  readonly message: string
}

/**
 * Checks whether the test server answers (connects and runs `SELECT 1`, waiting at most 3 seconds).
 * When the suite is to be skipped it prints the one-line hint. Meant for top-level `await` in a test
 * file, with `describe.skipIf(db.skip)`.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * import { assert, describe, it } from "@effect/vitest"
 * import { availability } from "@gongzhi/store-postgres/testing"
 *
 * const db = await availability()
 *
 * describe.skipIf(db.skip)("my repository on PostgreSQL", () => {
 *   it("has a server", () => assert.isTrue(db.available, db.message))
 * })
 */
export const availability = (url: Redacted.Redacted = testUrl()): Promise<Availability> => {
  const required = process.env.GONGZHI_REQUIRE_DATABASES === "1"
  return Effect.runPromise(
    Effect.scoped(PgStore.make({ url, maxConnections: 1, connectTimeout: Duration.seconds(3) })).pipe(
      Effect.as<Availability>({ available: true, required, skip: false, message: "" }),
      Effect.catchAll((error) => {
        const message = `PostgreSQL 测试${required ? "无法运行" : "已跳过"}：${error.message}。启动 PostgreSQL，或设置 GONGZHI_TEST_PG_URL=postgres://用户@主机:端口/库 后重试${required ? "（GONGZHI_REQUIRE_DATABASES=1 要求必须有数据库）" : ""} / PostgreSQL tests ${required ? "cannot run" : "skipped"}: start PostgreSQL or set GONGZHI_TEST_PG_URL`
        return Effect.succeed<Availability>({ available: false, required, skip: !required, message })
      }),
      Effect.tap((result) => (result.skip ? Effect.sync(() => console.warn(result.message)) : Effect.void))
    )
  )
}

/**
 * A fresh schema name: `gz_t_` and 12 random hex digits.
 *
 * @since 0.1.0
 * @category testing
 */
export const freshSchemaName = (): string => `gz_t_${Crypto.randomBytes(6).toString("hex")}`

/**
 * A fresh, migrated PostgreSQL store in its own schema (`CREATE SCHEMA gz_t_<random>` in the test
 * database, `search_path` set to it on every pooled connection), dropped with `DROP SCHEMA … CASCADE`
 * when the layer's scope closes.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * import { layer } from "@effect/vitest"
 * import { layerTest } from "@gongzhi/store-postgres/testing"
 *
 * layer(layerTest({ migrations: [] }))("my repository on PostgreSQL", (it) => {
 *   // it.effect(...)
 * })
 */
export const layerTest = (
  options: {
    readonly migrations?: ReadonlyArray<Migrations.ModuleMigrations> | undefined
    readonly url?: Redacted.Redacted | undefined
    readonly maxConnections?: number | undefined
  } = {}
): Layer.Layer<
  SqlClient.SqlClient | PgClient.PgClient | Transactor.Transactor,
  PgStore.StoreConfigError | Migrations.MigrationError
> =>
  Layer.unwrapScoped(
    Effect.map(provisionSchema(options.url ?? testUrl()), (schema) =>
      PgStore.layer({
        url: options.url ?? testUrl(),
        schema,
        maxConnections: options.maxConnections ?? 5,
        migrations: options.migrations
      })
    )
  )

/**
 * Creates a fresh schema in the test database and drops it (`CASCADE`) when the scope closes;
 * returns its name. For tests that start several stores on one schema.
 *
 * @since 0.1.0
 * @category testing
 */
export const provisionSchema = (
  url: Redacted.Redacted = testUrl()
): Effect.Effect<string, PgStore.StoreConfigError | Migrations.MigrationError, Scope.Scope> =>
  Effect.gen(function* () {
    const admin = yield* PgStore.make({ url, maxConnections: 1 })
    const schema = freshSchemaName()
    yield* Effect.acquireRelease(
      admin.client.unsafe(`CREATE SCHEMA ${schema}`).pipe(
        Effect.mapError(
          (error) =>
            new PgStore.StoreConfigError({
              setting: "GONGZHI_TEST_PG_URL",
              message: `无法创建测试模式 ${schema}：${String((error.cause as { readonly message?: unknown } | undefined)?.message ?? error.message)} / cannot create the test schema`
            })
        )
      ),
      () => Effect.ignore(admin.client.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))
    )
    return schema
  })
