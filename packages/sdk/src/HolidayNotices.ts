/**
 * The holiday notices a district loads itself (next year's State Council notice before a Gongzhi release ships
 * it): add one from its JSON (the schema of `@gongzhi/core/HolidayNotice`; the 2026 notice,
 * `HolidayNotice.china2026Data`, is the example), list them. Services started with `createGongzhi` use them in
 * their working-day calendar (a stored notice replaces the vendored one of its year). Needs the core migrations
 * (`gongzhi migrate`).
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as HolidayNotice from "@gongzhi/core/HolidayNotice"
import * as HolidayNoticeStore from "@gongzhi/core/HolidayNoticeStore"
import { TenantId } from "@gongzhi/core/Tenant"
import { Cause, Effect, Either, Exit, Layer } from "effect"
import * as GongzhiConfig from "./GongzhiConfig.js"
import * as Layers from "./internal/layers.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The folder relative paths of the config resolve against (default the working directory). */
  readonly baseDir?: string | undefined
}

const withStore = async <A>(
  config: unknown,
  options: Options,
  body: (store: HolidayNoticeStore.HolidayNoticeStoreShape, tenantId: TenantId) => Effect.Effect<A, unknown>
): Promise<A> => {
  const decoded = GongzhiConfig.decode(config)
  if (Either.isLeft(decoded)) throw decoded.left
  const settings = decoded.right
  const store = Layers.storeLayer(settings.storage, [], options.baseDir ?? process.cwd()) as Layer.Layer<
    SqlClient.SqlClient,
    unknown
  >
  const exit = await Effect.runPromiseExit(
    Effect.flatMap(HolidayNoticeStore.HolidayNoticeStore, (s) => body(s, TenantId.make(settings.district.code))).pipe(
      Effect.provide(HolidayNoticeStore.layerSql.pipe(Layer.provide(store)))
    )
  )
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

/**
 * Stores a notice for the district of the config: `added`, `unchanged` (the same notice again), or `replaced`
 * (with `replace`; without it a different notice of a stored year throws `NoticeExists`). An invalid notice
 * throws `HolidayNoticeInvalid` listing each problem with its path.
 *
 * @since 0.1.0
 * @category commands
 */
export const add = (
  config: unknown,
  notice: unknown,
  options: Options & { readonly replace?: boolean | undefined } = {}
): Promise<{ readonly year: number; readonly result: HolidayNoticeStore.AddResult }> =>
  withStore(config, options, (store, tenantId) => store.add(tenantId, notice, { replace: options.replace }))

/**
 * The years the district's calendar covers: the vendored notices and the stored ones.
 *
 * @since 0.1.0
 * @category queries
 */
export const coverage = (
  config: unknown,
  options: Options = {}
): Promise<{ readonly vendored: ReadonlyArray<number>; readonly stored: ReadonlyArray<number> }> =>
  withStore(config, options, (store, tenantId) =>
    Effect.map(store.list(tenantId), (stored) => ({
      vendored: HolidayNotice.china.map((n) => n.year),
      stored: stored.map((n) => n.year)
    }))
  )
