/**
 * The CultivatedProject repository port (培育项目库), on core's `Repository`: memory and SQL (SQLite, PostgreSQL,
 * MySQL/MariaDB) implementations from one definition.
 *
 * @since 0.2.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import { Context, Effect, Layer } from "effect"
import type { CultivatedProject } from "./CultivatedProject.js"
import { type Port, port } from "./internal/port.js"
import * as Tables from "./internal/tables.js"

/**
 * The operations of the port (filters are on the indexed columns of `cultivations`).
 *
 * @since 0.2.0
 * @category models
 */
export type CultivationRepoShape = Port<CultivatedProject>

/**
 * The CultivatedProject repository port.
 *
 * @since 0.2.0
 * @category tags
 */
export class CultivationRepo extends Context.Tag("@gongzhi/projects/CultivationRepo")<
  CultivationRepo,
  CultivationRepoShape
>() {}

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<CultivationRepoShape, never, R> => Effect.map(build(Tables.cultivations), port)

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CultivationRepo> = Layer.effect(CultivationRepo, make(Repository.makeMemory))

/**
 * The SQL implementation over the `SqlClient` in context (run `ProjectMigrations` first).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerSql: Layer.Layer<CultivationRepo, never, SqlClient.SqlClient> = Layer.effect(
  CultivationRepo,
  make(Repository.makeSql)
)
