/**
 * The Call repository port (征集活动库), on core's `Repository`: memory and SQL (SQLite, PostgreSQL,
 * MySQL/MariaDB) implementations from one definition.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import { Context, Effect, Layer } from "effect"
import type { Call } from "./Call.js"
import { type Port, port } from "./internal/port.js"
import * as Tables from "./internal/tables.js"

/**
 * The operations of the port (filters are on the indexed columns of `calls`).
 *
 * @since 0.1.0
 * @category models
 */
export type CallRepoShape = Port<Call>

/**
 * The Call repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class CallRepo extends Context.Tag("@gongzhi/projects/CallRepo")<CallRepo, CallRepoShape>() {}

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<CallRepoShape, never, R> => Effect.map(build(Tables.calls), port)

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CallRepo> = Layer.effect(CallRepo, make(Repository.makeMemory))

/**
 * The SQL implementation over the `SqlClient` in context (run `ProjectMigrations` first).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<CallRepo, never, SqlClient.SqlClient> = Layer.effect(
  CallRepo,
  make(Repository.makeSql)
)
