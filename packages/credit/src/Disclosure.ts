/**
 * Public disclosure for the portal (信用信息公示): 双公示 search — administrative licences and penalties of
 * a subject found by unified social credit code or by name, only record types the catalogue marks public
 * and 双公示, within their display windows and in use (a record under objection marked 异议处理中) — and the
 * red and black lists (守信激励名单, 严重失信主体名单, 经营异常名录): approved list entries in force. Both are paged.
 * Natural persons appear with masked names and ID numbers only; a name search finds organisations and
 * individual businesses (persons are found by no name).
 *
 * @since 0.3.0
 */
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { ListKind } from "./CreditList.js"
import type { RecordView, SubjectSummary } from "./Inquiry.js"

/**
 * A 双公示 search: `query` is a USCC (exact) or a part of a name (at least 2 characters).
 *
 * @since 0.3.0
 * @category models
 * @example
 * import { Effect } from "effect"
 * import { Credits } from "@gongzhi/credit"
 *
 * declare const visitor: Parameters<Credits.Credits["searchPublicity"]>[0]
 * const page = Effect.flatMap(Credits.Credits, (credits) =>
 *   credits.searchPublicity(visitor, { tenantId: "440310", query: "坪山", pageSize: 20 })
 * )
 * // page.items[i].licences / .penalties; page.nextCursor for the next page
 */
export const PublicitySearchInput = Schema.Struct({
  tenantId: TenantId,
  query: Schema.Trim.pipe(Schema.minLength(2), Schema.maxLength(100)),
  cursor: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  pageSize: Schema.optional(Schema.Int.pipe(Schema.between(1, 50)))
})

/**
 * A page of the public lists, optionally one list.
 *
 * @since 0.3.0
 * @category models
 */
export const PublicListsInput = Schema.Struct({
  tenantId: TenantId,
  list: Schema.optional(ListKind),
  cursor: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  pageSize: Schema.optional(Schema.Int.pipe(Schema.between(1, 100)))
})

/**
 * One subject found by a 双公示 search with its public licences and penalties.
 *
 * @since 0.3.0
 * @category models
 */
export interface PublicityHit {
  readonly subject: SubjectSummary
  readonly licences: ReadonlyArray<RecordView>
  readonly penalties: ReadonlyArray<RecordView>
}

/**
 * One public list entry.
 *
 * @since 0.3.0
 * @category models
 */
export interface PublicListEntry {
  readonly decisionId: string
  readonly list: typeof ListKind.Type
  readonly listLabel: string
  readonly subject: SubjectSummary
  readonly decidingUnit: string
  readonly documentNumber: string
  readonly from: string
  readonly until: string
  readonly reasons: ReadonlyArray<string>
}

/**
 * A page: items and the cursor of the next page (absent on the last).
 *
 * @since 0.3.0
 * @category models
 */
export interface DisclosurePage<A> {
  readonly items: ReadonlyArray<A>
  readonly nextCursor: string | undefined
}
