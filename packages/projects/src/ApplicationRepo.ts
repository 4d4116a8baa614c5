/**
 * The Application repository port (申报书库), on core's `Repository`: memory and SQL (SQLite, PostgreSQL,
 * MySQL/MariaDB) implementations from one definition.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import { Context, Effect, Layer } from "effect"
import type { Application } from "./Application.js"
import { type Port, port } from "./internal/port.js"
import * as Tables from "./internal/tables.js"

/**
 * The operations of the port (filters are on the indexed columns of `applications`).
 *
 * @since 0.1.0
 * @category models
 */
export type ApplicationRepoShape = Port<Application>

/**
 * The Application repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class ApplicationRepo extends Context.Tag("@gongzhi/projects/ApplicationRepo")<
  ApplicationRepo,
  ApplicationRepoShape
>() {}

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<ApplicationRepoShape, never, R> => Effect.map(build(Tables.applications), port)

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<ApplicationRepo> = Layer.effect(ApplicationRepo, make(Repository.makeMemory))

/**
 * The SQL implementation over the `SqlClient` in context (run `ProjectMigrations` first).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<ApplicationRepo, never, SqlClient.SqlClient> = Layer.effect(
  ApplicationRepo,
  make(Repository.makeSql)
)
