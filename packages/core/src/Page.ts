/**
 * Keyset pagination shared by every repository: ask for `limit` items after an opaque `cursor`,
 * get the items and the cursor of the next page (absent on the last page).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * @since 0.1.0
 * @category models
 */
export const PageRequest = Schema.Struct({
  limit: Schema.Int.pipe(
    Schema.between(1, 1000, { message: () => "每页条数应在 1 到 1000 之间 / limit must be between 1 and 1000" })
  ),
  cursor: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type PageRequest = typeof PageRequest.Type

/**
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  /** Pass this back as `cursor` to read the next page; undefined on the last page. */
  readonly nextCursor: string | undefined
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = <A>(items: ReadonlyArray<A>, nextCursor: string | undefined): Page<A> => ({ items, nextCursor })
