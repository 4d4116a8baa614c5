/**
 * The database of a district: which migrations of the modules in use are applied, and applying the pending
 * ones — without starting the services (no keys needed), for `gongzhi migrate` and deployment scripts.
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import * as Migrations from "@gongzhi/core/Migrations"
import { Cause, Effect, Either, Exit, type Layer } from "effect"
import * as GongzhiConfig from "./GongzhiConfig.js"
import * as Layers from "./internal/layers.js"

/**
 * One migration of a module in use, and whether the database has it.
 *
 * @since 0.1.0
 * @category models
 */
export interface MigrationState {
  readonly module: string
  readonly id: number
  readonly name: string
  readonly applied: boolean
}

/**
 * @since 0.1.0
 * @category models
 */
export interface MigrateOptions {
  /** The folder relative paths of the config resolve against (default the working directory). */
  readonly baseDir?: string | undefined
}

const journal = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql
    .unsafe<{ readonly module: string; readonly id: number | string }>(
      `SELECT module, id FROM ${Migrations.journalTable}`
    )
    .pipe(Effect.orElseSucceed(() => []))
})

const run = async <A>(
  config: unknown,
  options: MigrateOptions,
  apply: boolean,
  body: (done: ReadonlySet<string>, settings: GongzhiConfig.GongzhiConfig) => A
): Promise<A> => {
  const decoded = GongzhiConfig.decode(config)
  if (Either.isLeft(decoded)) throw decoded.left
  const settings = decoded.right
  const baseDir = options.baseDir ?? process.cwd()
  const store = Layers.storeLayer(settings.storage, apply ? Layers.migrationsFor(settings.modules) : [], baseDir)
  const exit = await Effect.runPromiseExit(
    Effect.map(journal, (rows) => body(new Set(rows.map((r) => `${r.module}#${Number(r.id)}`)), settings)).pipe(
      Effect.provide(store as Layer.Layer<SqlClient.SqlClient, unknown>)
    )
  )
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

const states = (done: ReadonlySet<string>, settings: GongzhiConfig.GongzhiConfig): ReadonlyArray<MigrationState> =>
  Layers.migrationsFor(settings.modules).flatMap((module) =>
    module.migrations.map((m) => ({
      module: module.module,
      id: m.id,
      name: m.name,
      applied: done.has(`${module.module}#${m.id}`)
    }))
  )

/**
 * Every migration of the modules in use, in order, with whether it is applied. Opens the store without
 * migrating; a database that was never migrated has none applied.
 *
 * @since 0.1.0
 * @category queries
 */
export const status = (config: unknown, options: MigrateOptions = {}): Promise<ReadonlyArray<MigrationState>> =>
  run(config, options, false, states)

/**
 * Applies the pending migrations of the modules in use (each once, idempotent, under the store's lock) and
 * returns every migration with its state afterwards, plus those applied by this call.
 *
 * @since 0.1.0
 * @category commands
 */
export const apply = async (
  config: unknown,
  options: MigrateOptions = {}
): Promise<{
  readonly migrations: ReadonlyArray<MigrationState>
  readonly appliedNow: ReadonlyArray<MigrationState>
}> => {
  const before = await status(config, options)
  const after = await run(config, options, true, states)
  const was = new Set(before.filter((m) => m.applied).map((m) => `${m.module}#${m.id}`))
  return { migrations: after, appliedNow: after.filter((m) => m.applied && !was.has(`${m.module}#${m.id}`)) }
}
