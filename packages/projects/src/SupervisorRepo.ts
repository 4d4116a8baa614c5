/**
 * The Supervisor repository port (第三方督导机构库), on core's `Repository`: memory and SQL (SQLite, PostgreSQL,
 * MySQL/MariaDB) implementations from one definition.
 *
 * @since 0.2.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import { Context, Effect, Layer } from "effect"
import { type Port, port } from "./internal/port.js"
import * as Tables from "./internal/tables.js"
import type { Supervisor } from "./Supervisor.js"

/**
 * The operations of the port (filters are on the indexed columns of `supervisors`).
 *
 * @since 0.2.0
 * @category models
 */
export type SupervisorRepoShape = Port<Supervisor>

/**
 * The Supervisor repository port.
 *
 * @since 0.2.0
 * @category tags
 */
export class SupervisorRepo extends Context.Tag("@gongzhi/projects/SupervisorRepo")<
  SupervisorRepo,
  SupervisorRepoShape
>() {}

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<SupervisorRepoShape, never, R> => Effect.map(build(Tables.supervisors), port)

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerMemory: Layer.Layer<SupervisorRepo> = Layer.effect(SupervisorRepo, make(Repository.makeMemory))

/**
 * The SQL implementation over the `SqlClient` in context (run `ProjectMigrations` first).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerSql: Layer.Layer<SupervisorRepo, never, SqlClient.SqlClient> = Layer.effect(
  SupervisorRepo,
  make(Repository.makeSql)
)
