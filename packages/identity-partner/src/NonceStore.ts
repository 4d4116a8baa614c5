/**
 * The nonce store (防重放): every accepted assertion's nonce is remembered until the assertion could no
 * longer be fresh, so that the same assertion is accepted once. `layerMemory` serves one process;
 * `layerSql` serves several instances on one database (SQLite, PostgreSQL, MySQL/MariaDB; table
 * `gongzhi_partner_nonces` from {@link migrations}).
 *
 * @since 0.3.0
 */
import * as Crypto from "node:crypto"
import { SqlClient } from "@effect/sql"
import type { ModuleMigrations } from "@gongzhi/core/Migrations"
import { StorageError } from "@gongzhi/core/StorageError"
import { Context, Effect, Layer } from "effect"

/**
 * @since 0.3.0
 * @category models
 */
export interface NonceStoreShape {
  /**
   * Records the nonce of a partner until `expiresAt` (epoch ms): `true` the first time, `false` when it is
   * recorded and not expired at `now`. Atomic: of two concurrent calls, one returns `true`.
   */
  readonly remember: (
    partnerId: string,
    nonce: string,
    expiresAt: number,
    now: number
  ) => Effect.Effect<boolean, StorageError>
}

/**
 * @since 0.3.0
 * @category tags
 */
export class NonceStore extends Context.Tag("@gongzhi/identity-partner/NonceStore")<NonceStore, NonceStoreShape>() {}

/** The stored key: the partner and nonce hashed (fixed length, whatever the nonce). */
const keyOf = (partnerId: string, nonce: string): string =>
  Crypto.createHash("sha256").update(`${partnerId}\u0000${nonce}`).digest("hex")

const SWEEP_EVERY = 256

/**
 * An in-memory nonce store (one process).
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<NonceStoreShape> = Effect.sync(() => {
  const seen = new Map<string, number>()
  let calls = 0
  return {
    remember: (partnerId, nonce, expiresAt, now) =>
      Effect.sync(() => {
        if (++calls % SWEEP_EVERY === 0) for (const [key, until] of seen) if (until <= now) seen.delete(key)
        const key = keyOf(partnerId, nonce)
        const until = seen.get(key)
        if (until !== undefined && until > now) return false
        seen.set(key, expiresAt)
        return true
      })
  }
})

/**
 * @since 0.3.0
 * @category layers
 */
export const layerMemory: Layer.Layer<NonceStore> = Layer.effect(NonceStore, makeMemory)

const affected = (raw: unknown): number => {
  if (typeof raw !== "object" || raw === null) return 0
  const r = raw as { rowCount?: unknown; changes?: unknown; affectedRows?: unknown }
  return Number(r.rowCount ?? r.changes ?? r.affectedRows ?? 0)
}

/**
 * A nonce store over `@effect/sql`. Run {@link migrations} first.
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeSql: Effect.Effect<NonceStoreShape, never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = (yield* SqlClient.SqlClient).withoutTransforms()
  let calls = 0
  const insert = (key: string, expiresAt: number) =>
    sql.onDialectOrElse({
      mysql: () =>
        sql`INSERT IGNORE INTO gongzhi_partner_nonces (nonce_key, expires_at) VALUES (${key}, ${expiresAt})`.raw,
      orElse: () =>
        sql`INSERT INTO gongzhi_partner_nonces (nonce_key, expires_at) VALUES (${key}, ${expiresAt})
        ON CONFLICT DO NOTHING`.raw
    })
  return {
    remember: (partnerId, nonce, expiresAt, now) =>
      Effect.gen(function* () {
        if (++calls % SWEEP_EVERY === 1) yield* sql`DELETE FROM gongzhi_partner_nonces WHERE expires_at <= ${now}`
        const key = keyOf(partnerId, nonce)
        if (affected(yield* insert(key, expiresAt)) > 0) return true
        const taken = yield* sql`UPDATE gongzhi_partner_nonces SET expires_at = ${expiresAt}
          WHERE nonce_key = ${key} AND expires_at <= ${now}`.raw
        return affected(taken) > 0
      }).pipe(
        Effect.mapError(
          (cause) =>
            new StorageError({
              operation: "partner.nonce",
              reason: "无法记录断言的一次性随机数 / cannot record the assertion nonce",
              retryable: true,
              cause
            })
        )
      )
  }
})

/**
 * @since 0.3.0
 * @category layers
 */
export const layerSql: Layer.Layer<NonceStore, never, SqlClient.SqlClient> = Layer.effect(NonceStore, makeSql)

/**
 * The table of the nonce store, module `identity-partner` (run with `Migrations.run`).
 *
 * @since 0.3.0
 * @category migrations
 */
export const migrations: ModuleMigrations = {
  module: "identity-partner",
  migrations: [
    {
      id: 1,
      name: "create_partner_nonces",
      up: Effect.gen(function* () {
        const sql = (yield* SqlClient.SqlClient).withoutTransforms()
        const options = sql.onDialectOrElse({
          mysql: () => " ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin",
          orElse: () => ""
        })
        yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS gongzhi_partner_nonces (
  nonce_key CHAR(64) NOT NULL PRIMARY KEY,
  expires_at BIGINT NOT NULL
)${options}`)
      })
    }
  ]
}
