/**
 * The ScoreSheet repository port (评分表库), on core's `Repository`: memory and SQL (SQLite, PostgreSQL,
 * MySQL/MariaDB) implementations from one definition.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import { Context, Effect, Layer } from "effect"
import { type Port, port } from "./internal/port.js"
import * as Tables from "./internal/tables.js"
import type { ScoreSheet } from "./ScoreSheet.js"

/**
 * The operations of the port (filters are on the indexed columns of `sheets`).
 *
 * @since 0.1.0
 * @category models
 */
export type ScoreSheetRepoShape = Port<ScoreSheet>

/**
 * The ScoreSheet repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class ScoreSheetRepo extends Context.Tag("@gongzhi/projects/ScoreSheetRepo")<
  ScoreSheetRepo,
  ScoreSheetRepoShape
>() {}

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<ScoreSheetRepoShape, never, R> => Effect.map(build(Tables.sheets), port)

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<ScoreSheetRepo> = Layer.effect(ScoreSheetRepo, make(Repository.makeMemory))

/**
 * The SQL implementation over the `SqlClient` in context (run `ProjectMigrations` first).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<ScoreSheetRepo, never, SqlClient.SqlClient> = Layer.effect(
  ScoreSheetRepo,
  make(Repository.makeSql)
)
