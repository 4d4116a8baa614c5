/**
 * Replay protection for webhook receivers (防重放). A signed webhook stays valid for the tolerance
 * window of `Webhook.verify` (default five minutes): someone who captured a request could send it
 * again within that window. Give `verify` a replay store and every signature is accepted once; the
 * same request sent again is refused with `WebhookVerificationError` reason `Replayed`.
 *
 * A sender's retry is a new request (a new timestamp, so a new signature) and is still accepted:
 * de-duplicate retries by the payload's `idempotencyKey`.
 *
 * - {@link layerMemory}: one process (a single receiver instance).
 * - {@link layerSql}: several receiver instances sharing a database (SQLite, PostgreSQL,
 *   MySQL/MariaDB; table `gongzhi_webhook_replays` from {@link migrations}).
 *
 * @since 0.1.0
 */

import { SqlClient } from "@effect/sql"
import type { ModuleMigrations } from "@gongzhi/core/Migrations"
import { StorageError } from "@gongzhi/core/StorageError"
import { Context, Effect, Layer } from "effect"

/**
 * Remembers signatures until they expire.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReplayStoreShape {
  /**
   * Records `signature` until `expiresAt` (epoch milliseconds); returns `true` the first time,
   * `false` when it is already recorded and not expired at `now` (a replay). Atomic: of two
   * concurrent calls with one signature, one returns `true`.
   */
  readonly remember: (signature: string, expiresAt: number, now: number) => Effect.Effect<boolean, StorageError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ReplayStore extends Context.Tag("@gongzhi/notify-webhook/ReplayStore")<ReplayStore, ReplayStoreShape>() {}

/** Expired entries are swept every this many calls. */
const SWEEP_EVERY = 256

/**
 * An in-memory replay store (one process).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<ReplayStoreShape> = Effect.sync(() => {
  const seen = new Map<string, number>()
  let calls = 0
  return {
    remember: (signature, expiresAt, now) =>
      Effect.sync(() => {
        if (++calls % SWEEP_EVERY === 0) {
          for (const [key, until] of seen) if (until <= now) seen.delete(key)
        }
        const until = seen.get(signature)
        if (until !== undefined && until > now) return false
        seen.set(signature, expiresAt)
        return true
      })
  }
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<ReplayStore> = Layer.effect(ReplayStore, makeMemory)

const affectedRows = (raw: unknown): number => {
  if (typeof raw !== "object" || raw === null) return 0
  const result = raw as { rowCount?: unknown; changes?: unknown; affectedRows?: unknown }
  return Number(result.rowCount ?? result.changes ?? result.affectedRows ?? 0)
}

/**
 * A replay store over `@effect/sql` (SQLite, PostgreSQL, MySQL/MariaDB), shared by every receiver
 * instance on the database. Run {@link migrations} first.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeSql: Effect.Effect<ReplayStoreShape, never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = (yield* SqlClient.SqlClient).withoutTransforms()
  let calls = 0
  const storageError = (cause: unknown) =>
    new StorageError({
      operation: "webhook.replay",
      reason: "无法记录已收到的签名 / cannot record the received signature",
      retryable: true,
      cause
    })
  const insert = (signature: string, expiresAt: number) =>
    sql.onDialectOrElse({
      mysql: () =>
        sql`INSERT IGNORE INTO gongzhi_webhook_replays (signature, expires_at) VALUES (${signature}, ${expiresAt})`.raw,
      orElse: () =>
        sql`INSERT INTO gongzhi_webhook_replays (signature, expires_at) VALUES (${signature}, ${expiresAt})
        ON CONFLICT DO NOTHING`.raw
    })
  return {
    remember: (signature, expiresAt, now) =>
      Effect.gen(function* () {
        if (++calls % SWEEP_EVERY === 1) yield* sql`DELETE FROM gongzhi_webhook_replays WHERE expires_at <= ${now}`
        if (affectedRows(yield* insert(signature, expiresAt)) > 0) return true
        // recorded before: a replay, unless that record has expired (then it is taken over)
        const taken = yield* sql`UPDATE gongzhi_webhook_replays SET expires_at = ${expiresAt}
          WHERE signature = ${signature} AND expires_at <= ${now}`.raw
        return affectedRows(taken) > 0
      }).pipe(Effect.mapError(storageError))
  }
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<ReplayStore, never, SqlClient.SqlClient> = Layer.effect(ReplayStore, makeSql)

/**
 * The replay store's table, module `notify-webhook`. Run with `Migrations.run` beside the other
 * modules' migrations. The statement is idempotent.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: ModuleMigrations = {
  module: "notify-webhook",
  migrations: [
    {
      id: 1,
      name: "create_webhook_replays",
      up: Effect.gen(function* () {
        const sql = (yield* SqlClient.SqlClient).withoutTransforms()
        const options = sql.onDialectOrElse({
          mysql: () => " ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin",
          orElse: () => ""
        })
        yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS gongzhi_webhook_replays (
  signature CHAR(64) NOT NULL PRIMARY KEY,
  expires_at BIGINT NOT NULL
)${options}`)
      })
    }
  ]
}
