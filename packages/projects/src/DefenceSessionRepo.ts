/**
 * The DefenceSession repository port (答辩会库), on core's `Repository`: memory and SQL (SQLite, PostgreSQL,
 * MySQL/MariaDB) implementations from one definition.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import { Context, Effect, Layer } from "effect"
import type { DefenceSession } from "./DefenceSession.js"
import { type Port, port } from "./internal/port.js"
import * as Tables from "./internal/tables.js"

/**
 * The operations of the port (filters are on the indexed columns of `sessions`).
 *
 * @since 0.1.0
 * @category models
 */
export type DefenceSessionRepoShape = Port<DefenceSession>

/**
 * The DefenceSession repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class DefenceSessionRepo extends Context.Tag("@gongzhi/projects/DefenceSessionRepo")<
  DefenceSessionRepo,
  DefenceSessionRepoShape
>() {}

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<DefenceSessionRepoShape, never, R> => Effect.map(build(Tables.sessions), port)

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<DefenceSessionRepo> = Layer.effect(
  DefenceSessionRepo,
  make(Repository.makeMemory)
)

/**
 * The SQL implementation over the `SqlClient` in context (run `ProjectMigrations` first).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<DefenceSessionRepo, never, SqlClient.SqlClient> = Layer.effect(
  DefenceSessionRepo,
  make(Repository.makeSql)
)
