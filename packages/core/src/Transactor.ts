/**
 * Transactions. A domain service wraps each command in `withTransaction` so that the state change,
 * its outbox events and its audit entry are committed together or not at all.
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import { Context, Effect, Exit, FiberRef, Layer, Option } from "effect"
import * as Journal from "./internal/memoryTransaction.js"
import { fromSqlError, isSqlError } from "./internal/sqlError.js"
import type { StorageError } from "./StorageError.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface TransactorShape {
  /**
   * Runs `self` in a transaction: commits when it succeeds, rolls back when it fails or is
   * interrupted. Nested calls join the outer transaction.
   */
  readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StorageError, R>
}

/**
 * The transaction port (事务).
 *
 * @since 0.1.0
 * @category tags
 */
export class Transactor extends Context.Tag("@gongzhi/core/Transactor")<Transactor, TransactorShape>() {}

/**
 * Runs an effect in a transaction of the `Transactor` in context.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Effect } from "effect"
 * import { Transactor } from "@gongzhi/core"
 *
 * const program = Transactor.withTransaction(Effect.succeed("committed"))
 */
export const withTransaction = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, E | StorageError, R | Transactor> =>
  Effect.flatMap(Transactor, (transactor) => transactor.withTransaction(self))

/**
 * Builds the in-memory transactor: one writer at a time (like SQLite), and on failure or
 * interruption every change that in-memory stores registered with {@link registerRollback} is undone.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<TransactorShape> = Effect.map(Effect.makeSemaphore(1), (semaphore) => ({
  withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) =>
    Effect.flatMap(FiberRef.get(Journal.currentJournal), (outer) => {
      if (Option.isSome(outer)) return self
      return semaphore.withPermits(1)(
        Effect.suspend(() => {
          const journal: Journal.Journal = { undo: [] }
          return Effect.locally(self, Journal.currentJournal, Option.some(journal)).pipe(
            Effect.onExit((exit) => (Exit.isFailure(exit) ? Effect.sync(() => Journal.rollback(journal)) : Effect.void))
          )
        })
      )
    })
}))

/**
 * The in-memory transactor (reference implementation, no dependencies).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<Transactor> = Layer.effect(Transactor, makeMemory)

/**
 * For in-memory stores: records how to undo a change just made, so that a failed memory
 * transaction leaves no trace of it. Outside a transaction it does nothing.
 *
 * @since 0.1.0
 * @category combinators
 */
export const registerRollback: (undo: () => void) => Effect.Effect<void> = Journal.registerRollback

/**
 * The transactor over `@effect/sql`'s `SqlClient` (SQLite, PostgreSQL, MySQL). Driver errors,
 * including a failed commit, arrive as {@link StorageError}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<Transactor, never, SqlClient.SqlClient> = Layer.effect(
  Transactor,
  Effect.map(SqlClient.SqlClient, (sql) => ({
    withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) =>
      sql
        .withTransaction(self)
        .pipe(
          Effect.mapError((error) =>
            isSqlError(error) ? fromSqlError("transaction", error) : (error as Exclude<typeof error, never>)
          )
        ) as Effect.Effect<A, E | StorageError, R>
  }))
)
