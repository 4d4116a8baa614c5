/**
 * The holiday notices a district has loaded itself (e.g. next year's State Council notice, published each
 * November, before a Gongzhi release ships it), stored per district beside its data, and the working-day
 * calendar built from the vendored notices plus the stored ones (a stored notice replaces the vendored one of
 * its year). `gongzhi calendar add-notice <file.json>` uses it.
 *
 * @since 0.2.0
 */
import type { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"
import * as Calendar from "./Calendar.js"
import * as HolidayNotice from "./HolidayNotice.js"
import * as Repository from "./Repository.js"
import type { DuplicateKey, StorageError, VersionConflict } from "./StorageError.js"
import type { TenantId } from "./Tenant.js"

/**
 * The table of stored notices (created by core migration 4).
 *
 * @since 0.2.0
 * @category models
 */
export const definition = Repository.define({
  entity: "HolidayNotice",
  table: "gongzhi_holiday_notices",
  schema: HolidayNotice.HolidayNotice,
  id: (notice) => String(notice.year),
  columns: { year: { type: "integer", get: (notice) => notice.year } }
})

/**
 * A notice of that year is stored already with other content; pass `replace` to replace it.
 *
 * @since 0.2.0
 * @category errors
 */
export class NoticeExists extends Schema.TaggedError<NoticeExists>("@gongzhi/core/NoticeExists")("NoticeExists", {
  year: Schema.Int
}) {
  override get message(): string {
    return `${this.year} 年的放假安排已载入且内容不同（如需替换请指定 replace） / a different ${this.year} notice is stored`
  }
}

/**
 * What {@link HolidayNoticeStoreShape.add} did.
 *
 * @since 0.2.0
 * @category models
 */
export type AddResult = "added" | "replaced" | "unchanged"

/**
 * @since 0.2.0
 * @category models
 */
export interface HolidayNoticeStoreShape {
  /** Stores a notice (decoded and checked); the same notice again is `unchanged`. */
  readonly add: (
    tenantId: TenantId,
    notice: unknown,
    options?: { readonly replace?: boolean | undefined }
  ) => Effect.Effect<
    { readonly year: number; readonly result: AddResult },
    HolidayNotice.HolidayNoticeInvalid | NoticeExists | StorageError | DuplicateKey | VersionConflict
  >
  /** The stored notices, by year. */
  readonly list: (tenantId: TenantId) => Effect.Effect<ReadonlyArray<HolidayNotice.HolidayNotice>, StorageError>
}

/**
 * The stored holiday notices of each district.
 *
 * @since 0.2.0
 * @category tags
 */
export class HolidayNoticeStore extends Context.Tag("@gongzhi/core/HolidayNoticeStore")<
  HolidayNoticeStore,
  HolidayNoticeStoreShape
>() {}

const sameNotice = (a: HolidayNotice.HolidayNotice, b: HolidayNotice.HolidayNotice): boolean =>
  JSON.stringify(HolidayNotice.encode(a)) === JSON.stringify(HolidayNotice.encode(b))

/**
 * Builds the store over a repository constructor (memory or SQL).
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<HolidayNoticeStoreShape, never, R> =>
  Effect.map(build(definition), (repo) => ({
    add: (tenantId, input, options) =>
      Effect.gen(function* () {
        const notice = yield* HolidayNotice.decodeUnknown(input)
        const stored = yield* repo.get(tenantId, String(notice.year))
        if (Option.isNone(stored)) {
          yield* repo.insert(tenantId, notice)
          return { year: notice.year, result: "added" as const }
        }
        if (sameNotice(stored.value.value, notice)) return { year: notice.year, result: "unchanged" as const }
        if (options?.replace !== true) return yield* new NoticeExists({ year: notice.year })
        yield* repo.update(tenantId, notice, stored.value.version)
        return { year: notice.year, result: "replaced" as const }
      }),
    list: (tenantId) =>
      Effect.map(repo.find(tenantId, {}), (rows) => rows.map((row) => row.value).sort((a, b) => a.year - b.year))
  }))

/**
 * The store in memory.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerMemory: Layer.Layer<HolidayNoticeStore> = Layer.effect(
  HolidayNoticeStore,
  make(Repository.makeMemory)
)

/**
 * The store on the `SqlClient` in context (run `CoreMigrations` first).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerSql: Layer.Layer<HolidayNoticeStore, never, SqlClient.SqlClient> = Layer.effect(
  HolidayNoticeStore,
  make(Repository.makeSql)
)

/**
 * The working-day calendar of a district: the vendored official notices ({@link HolidayNotice.china}) plus the
 * district's stored ones, a stored notice replacing the vendored one of its year.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerCalendar = (
  tenantId: TenantId,
  options?: Calendar.MakeOptions
): Layer.Layer<Calendar.WorkingCalendar, StorageError | HolidayNotice.HolidayNoticeInvalid, HolidayNoticeStore> =>
  Layer.effect(
    Calendar.WorkingCalendar,
    Effect.gen(function* () {
      const stored = yield* Effect.flatMap(HolidayNoticeStore, (store) => store.list(tenantId))
      const years = new Set(stored.map((n) => n.year))
      return yield* Calendar.make([...HolidayNotice.china.filter((n) => !years.has(n.year)), ...stored], options)
    })
  )
