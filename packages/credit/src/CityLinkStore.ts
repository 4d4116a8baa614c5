/**
 * The repository port of the city link (市区联动): the messages the district exchanges with the city
 * (`credit_city_messages`: the outbound queue, each key `pending` until the city acknowledged its
 * version, and the inbound mirror of what the city sent) and the district's position in the exchange
 * (`credit_city_state`: the pull cursor). `layerMemory` is the reference; `layerSql` serves SQLite,
 * PostgreSQL and MySQL/MariaDB (tables from `CreditMigrations` 13 and 14).
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import { Context, Effect, Layer } from "effect"
import * as Tables from "./internal/city/tables.js"

/**
 * One message as the district keeps it (outbound or inbound).
 *
 * @since 0.1.0
 * @category models
 */
export const CityEntry = Tables.CityEntry

/**
 * @since 0.1.0
 * @category models
 */
export type CityEntry = Tables.CityEntry

/**
 * The district's position in the exchange.
 *
 * @since 0.1.0
 * @category models
 */
export const CityLinkState = Tables.CityLinkState

/**
 * @since 0.1.0
 * @category models
 */
export type CityLinkState = Tables.CityLinkState

/**
 * The repositories.
 *
 * @since 0.1.0
 * @category models
 */
export interface CityLinkStoreShape {
  readonly entries: Repository.Repository<CityEntry>
  readonly states: Repository.Repository<CityLinkState>
}

/**
 * The port's tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class CityLinkStore extends Context.Tag("@gongzhi/credit/CityLinkStore")<CityLinkStore, CityLinkStoreShape>() {}

const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<CityLinkStoreShape, never, R> =>
  Effect.all({ entries: build(Tables.entries), states: build(Tables.states) })

/**
 * The in-memory implementation (joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CityLinkStore> = Layer.effect(CityLinkStore, make(Repository.makeMemory))

/**
 * The SQL implementation over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<CityLinkStore, never, SqlClient.SqlClient> = Layer.effect(
  CityLinkStore,
  make(Repository.makeSql)
)
