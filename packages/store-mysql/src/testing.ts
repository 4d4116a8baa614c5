/**
 * Test provisioning for `@gongzhi/store-mysql`, reusable by third parties. {@link layerTest} gives each
 * use a fresh database `gz_t_<random>` (utf8mb4), dropped when the layer's scope closes;
 * {@link availability} tells a test file whether a server answers.
 *
 * The server is `GONGZHI_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/test`); the user needs
 * the right to create and drop databases. When it does not answer, test files skip their suite and
 * print one line saying how to enable it — unless `GONGZHI_REQUIRE_DATABASES=1` (CI), where a
 * missing server fails the run.
 *
 * @since 0.1.0
 */

import * as Crypto from "node:crypto"
import type { SqlClient } from "@effect/sql"
import type * as MysqlClient from "@effect/sql-mysql2/MysqlClient"
import type * as Migrations from "@gongzhi/core/Migrations"
import type * as Transactor from "@gongzhi/core/Transactor"
import type { Scope } from "effect"
import { Duration, Effect, Layer, Redacted } from "effect"
import * as MysqlStore from "./MysqlStore.js"

/**
 * The default test server.
 *
 * @since 0.1.0
 * @category testing
 */
export const defaultTestUrl = "mysql://root@127.0.0.1:3306/test"

/**
 * The test server: `GONGZHI_TEST_MYSQL_URL`, or {@link defaultTestUrl}.
 *
 * @since 0.1.0
 * @category testing
 */
export const testUrl = (): Redacted.Redacted => {
  const fromEnv = process.env.GONGZHI_TEST_MYSQL_URL
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
 * Checks whether the test server answers (connects and runs a query, waiting at most 3 seconds).
 * When the suite is to be skipped it prints the one-line hint. Meant for top-level `await` in a test
 * file, with `describe.skipIf(db.skip)`.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * import { assert, describe, it } from "@effect/vitest"
 * import { availability } from "@gongzhi/store-mysql/testing"
 *
 * const db = await availability()
 *
 * describe.skipIf(db.skip)("my repository on MySQL", () => {
 *   it("has a server", () => assert.isTrue(db.available, db.message))
 * })
 */
export const availability = (url: Redacted.Redacted = testUrl()): Promise<Availability> => {
  const required = process.env.GONGZHI_REQUIRE_DATABASES === "1"
  return Effect.runPromise(
    Effect.scoped(MysqlStore.make({ url, maxConnections: 1, connectTimeout: Duration.seconds(3) })).pipe(
      Effect.as<Availability>({ available: true, required, skip: false, message: "" }),
      Effect.catchAll((error) => {
        const message = `MySQL/MariaDB 测试${required ? "无法运行" : "已跳过"}：${error.message}。启动 MariaDB 或 MySQL，或设置 GONGZHI_TEST_MYSQL_URL=mysql://用户@主机:端口/库 后重试${required ? "（GONGZHI_REQUIRE_DATABASES=1 要求必须有数据库）" : ""} / MySQL tests ${required ? "cannot run" : "skipped"}: start MariaDB/MySQL or set GONGZHI_TEST_MYSQL_URL`
        return Effect.succeed<Availability>({ available: false, required, skip: !required, message })
      }),
      Effect.tap((result) => (result.skip ? Effect.sync(() => console.warn(result.message)) : Effect.void))
    )
  )
}

/**
 * A fresh database name: `gz_t_` and 12 random hex digits.
 *
 * @since 0.1.0
 * @category testing
 */
export const freshDatabaseName = (): string => `gz_t_${Crypto.randomBytes(6).toString("hex")}`

/**
 * Creates a fresh database (`utf8mb4`) on the test server and drops it when the scope closes; returns
 * its name. For tests that start several stores on one database.
 *
 * @since 0.1.0
 * @category testing
 */
export const provisionDatabase = (
  url: Redacted.Redacted = testUrl()
): Effect.Effect<string, MysqlStore.StoreConfigError | Migrations.MigrationError, Scope.Scope> =>
  Effect.gen(function* () {
    const admin = yield* MysqlStore.make({ url, maxConnections: 1 })
    const database = freshDatabaseName()
    yield* Effect.acquireRelease(
      admin.client.unsafe(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`).pipe(
        Effect.mapError(
          (error) =>
            new MysqlStore.StoreConfigError({
              setting: "GONGZHI_TEST_MYSQL_URL",
              message: `无法创建测试数据库 ${database}：${String((error.cause as { readonly message?: unknown } | undefined)?.message ?? error.message)} / cannot create the test database`
            })
        )
      ),
      () => Effect.ignore(admin.client.unsafe(`DROP DATABASE IF EXISTS \`${database}\``))
    )
    return database
  })

/**
 * A fresh, migrated MySQL/MariaDB store in its own database (`CREATE DATABASE gz_t_<random>`),
 * dropped when the layer's scope closes.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * import { layer } from "@effect/vitest"
 * import { layerTest } from "@gongzhi/store-mysql/testing"
 *
 * layer(layerTest({ migrations: [] }))("my repository on MySQL", (it) => {
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
  SqlClient.SqlClient | MysqlClient.MysqlClient | Transactor.Transactor,
  MysqlStore.StoreConfigError | Migrations.MigrationError
> =>
  Layer.unwrapScoped(
    Effect.map(provisionDatabase(options.url ?? testUrl()), (database) =>
      MysqlStore.layer({
        url: options.url ?? testUrl(),
        database,
        maxConnections: options.maxConnections ?? 5,
        migrations: options.migrations
      })
    )
  )
