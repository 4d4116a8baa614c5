import type * as Actor from "@gongzhi/core/Actor"
import { Effect, Option } from "effect"
import * as CreditList from "../../CreditList.js"
import { type PublicityHit, PublicitySearchInput, type PublicListEntry, PublicListsInput } from "../../Disclosure.js"
import * as ListDecision from "../../ListDecision.js"
import { Permission } from "../../Permissions.js"
import { identify, type Subject } from "../../Subject.js"
import { authorize, type Deps, decode, today } from "./context.js"
import { findByIdentifier } from "./subjects.js"
import { maskText, recordView, subjectSummary, visible } from "./view.js"

/** At most this many pages of subjects are read for one page of a name search. */
const MAX_SCAN_PAGES = 20

export const make = (deps: Deps) => {
  const { store, settings } = deps
  const doublePublicity = new Set(settings.catalogue.recordTypes.filter((t) => t.doublePublicity).map((t) => t.code))

  const hit = (subject: Subject, day: Parameters<typeof visible>[2]) =>
    Effect.map(store.records.find(subject.tenantId, { subject_id: subject.id }, 10_000), (rows): PublicityHit => {
      const shown = rows
        .map((r) => r.value)
        .filter((r) => doublePublicity.has(r.recordType) && visible(deps, r, day, "public"))
        .map((r) => recordView(deps, r))
      return {
        subject: subjectSummary(subject),
        licences: shown.filter((r) => r.polarity !== "negative"),
        penalties: shown.filter((r) => r.polarity === "negative")
      }
    })

  /** 双公示 search by USCC (exact) or by a part of an organisation's name (current or former). */
  const searchPublicity = (actor: Actor.Actor, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* decode(deps, "searchPublicity", PublicitySearchInput)(raw)
      yield* authorize(deps, actor, Permission.publicRead, input.tenantId)
      const day = yield* today
      const code = identify(input.query, undefined, { lenientCreditCode: settings.lenientCreditCode })
      if (code._tag === "Right" && code.right.kind !== "naturalPerson") {
        const subject = Option.getOrUndefined(yield* findByIdentifier(store, input.tenantId, code.right.creditCode))
        return { items: subject === undefined ? [] : [yield* hit(subject, day)], nextCursor: undefined }
      }
      // never a search by a person's identifier or name
      if (code._tag === "Right") return { items: [], nextCursor: undefined }
      const size = input.pageSize ?? 20
      const items: Array<PublicityHit> = []
      let cursor = input.cursor
      for (let scanned = 0; scanned < MAX_SCAN_PAGES && items.length < size; scanned++) {
        const page = yield* store.subjects.page(input.tenantId, {
          where: { kind: { in: ["legalPerson", "individualBusiness"] }, status: "active" },
          limit: size,
          cursor
        })
        for (const { value } of page.items)
          if (value.name.includes(input.query) || value.formerNames.some((n) => n.includes(input.query)))
            items.push(yield* hit(value, day))
        cursor = page.nextCursor
        if (cursor === undefined) break
      }
      return { items, nextCursor: cursor }
    })

  /** The red and black lists: approved list entries in force today, one list or all. */
  const publicLists = (actor: Actor.Actor, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* decode(deps, "publicLists", PublicListsInput)(raw)
      yield* authorize(deps, actor, Permission.publicRead, input.tenantId)
      const day = yield* today
      const page = yield* store.listDecisions.page(input.tenantId, {
        where: input.list === undefined ? { state: "approved" } : { state: "approved", list_kind: input.list },
        limit: input.pageSize ?? 20,
        cursor: input.cursor
      })
      const items: Array<PublicListEntry> = []
      for (const { value: decision } of page.items) {
        if (!ListDecision.inForce(decision, day)) continue
        const subject = Option.getOrUndefined(yield* store.subjects.get(input.tenantId, decision.subjectId))?.value
        if (subject === undefined) continue
        items.push({
          decisionId: decision.id,
          list: decision.list,
          listLabel: CreditList.listLabel(decision.list),
          subject: subjectSummary(subject),
          decidingUnit: decision.decidingUnit,
          documentNumber: maskText(decision.documentNumber),
          from: decision.from,
          until: decision.until,
          reasons: decision.reasons.map(maskText)
        })
      }
      return { items, nextCursor: page.nextCursor }
    })

  return { searchPublicity, publicLists }
}
