/**
 * The JointMeeting repository port (联席会议库), on core's `Repository`: memory and SQL (SQLite, PostgreSQL,
 * MySQL/MariaDB) implementations from one definition.
 *
 * @since 0.2.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import { Context, Effect, Layer } from "effect"
import { type Port, port } from "./internal/port.js"
import * as Tables from "./internal/tables.js"
import type { JointMeeting } from "./JointMeeting.js"

/**
 * The operations of the port (filters are on the indexed columns of `meetings`).
 *
 * @since 0.2.0
 * @category models
 */
export type JointMeetingRepoShape = Port<JointMeeting>

/**
 * The JointMeeting repository port.
 *
 * @since 0.2.0
 * @category tags
 */
export class JointMeetingRepo extends Context.Tag("@gongzhi/projects/JointMeetingRepo")<
  JointMeetingRepo,
  JointMeetingRepoShape
>() {}

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<JointMeetingRepoShape, never, R> => Effect.map(build(Tables.meetings), port)

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerMemory: Layer.Layer<JointMeetingRepo> = Layer.effect(JointMeetingRepo, make(Repository.makeMemory))

/**
 * The SQL implementation over the `SqlClient` in context (run `ProjectMigrations` first).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerSql: Layer.Layer<JointMeetingRepo, never, SqlClient.SqlClient> = Layer.effect(
  JointMeetingRepo,
  make(Repository.makeSql)
)
