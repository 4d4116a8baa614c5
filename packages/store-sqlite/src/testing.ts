/**
 * Test provisioning for `@gongzhi/store-sqlite`, reusable by third parties: each use of
 * {@link layerTest} gets a fresh database file in a temporary directory, deleted when the layer's
 * scope closes.
 *
 * @since 0.1.0
 */

import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import type { SqlClient } from "@effect/sql"
import type * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import type * as Migrations from "@gongzhi/core/Migrations"
import type * as Transactor from "@gongzhi/core/Transactor"
import type { Scope } from "effect"
import { Effect, Layer } from "effect"
import * as SqliteStore from "./SqliteStore.js"

/**
 * A temporary directory, removed (with the database, its `-wal` and `-shm` files) at scope end.
 *
 * @since 0.1.0
 * @category testing
 */
export const tempDirectory: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-sqlite-"))),
  (directory) => Effect.sync(() => Fs.rmSync(directory, { recursive: true, force: true }))
)

/**
 * A fresh, migrated SQLite store in a temporary file (WAL mode, like production), deleted when the
 * layer's scope closes. Every build of the layer gets its own file.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * import { layer } from "@effect/vitest"
 * import { layerTest } from "@gongzhi/store-sqlite/testing"
 *
 * layer(layerTest({ migrations: [] }))("my repository", (it) => {
 *   // it.effect(...)
 * })
 */
export const layerTest = (
  options: {
    readonly migrations?: ReadonlyArray<Migrations.ModuleMigrations> | undefined
    readonly synchronous?: SqliteStore.Synchronous | undefined
  } = {}
): Layer.Layer<
  SqlClient.SqlClient | SqliteClient.SqliteClient | Transactor.Transactor,
  SqliteStore.StoreConfigError | Migrations.MigrationError
> =>
  Layer.unwrapScoped(
    Effect.map(tempDirectory, (directory) =>
      SqliteStore.layer({
        filename: Path.join(directory, "gongzhi-test.db"),
        migrations: options.migrations,
        synchronous: options.synchronous
      })
    )
  )

/**
 * The file of a fresh temporary database, for tests that open several stores on one file (two
 * concurrent migration runners, a reader and a writer).
 *
 * @since 0.1.0
 * @category testing
 */
export const tempDatabaseFile: Effect.Effect<string, never, Scope.Scope> = Effect.map(tempDirectory, (directory) =>
  Path.join(directory, "gongzhi-test.db")
)
