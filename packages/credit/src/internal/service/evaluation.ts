import type * as LocalDate from "@gongzhi/core/LocalDate"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Equal, Option } from "effect"
import type * as CreditEvents from "../../CreditEvents.js"
import * as Scorecard from "../../Scorecard.js"
import { StoredEvaluation } from "../tables.js"
import type { Deps } from "./context.js"

/** The most records one subject is evaluated over (a subject with more is a data error upstream). */
export const MAX_RECORDS_PER_SUBJECT = 10_000

const sameResult = (a: StoredEvaluation, b: Scorecard.Evaluation): boolean =>
  a.scorecardId === b.scorecardId &&
  a.score === b.score &&
  a.grade === b.grade &&
  Equal.equals(JSON.stringify(a.lines), JSON.stringify(b.lines))

/**
 * Re-evaluates one subject from its stored records, in the caller's transaction: stores the result
 * when it differs from the stored one and returns the `GradeChanged` event when the grade moved.
 */
export const reevaluate = (deps: Deps, tenantId: TenantId, subjectId: string, today: LocalDate.LocalDate) =>
  Effect.gen(function* () {
    const { store, settings } = deps
    const records = yield* store.records.find(tenantId, { subject_id: subjectId }, MAX_RECORDS_PER_SUBJECT)
    const result = Scorecard.evaluate(
      settings.scorecard,
      settings.scale,
      records.map((r) => r.value),
      today
    )
    const stored = new StoredEvaluation({
      subjectId,
      scorecardId: result.scorecardId,
      score: result.score,
      grade: result.grade,
      label: result.label,
      lines: result.lines,
      evaluatedOn: today
    })
    const existing = yield* store.evaluations.get(tenantId, subjectId)
    if (Option.isNone(existing)) {
      yield* store.evaluations.insert(tenantId, stored)
      const event: CreditEvents.CreditEvent = { _tag: "GradeChanged", subjectId, to: result.grade, score: result.score }
      return Option.some(event)
    }
    if (sameResult(existing.value.value, result)) return Option.none<CreditEvents.CreditEvent>()
    yield* store.evaluations.update(tenantId, stored, existing.value.version)
    const from = existing.value.value.grade
    if (from === result.grade) return Option.none<CreditEvents.CreditEvent>()
    const event: CreditEvents.CreditEvent = {
      _tag: "GradeChanged",
      subjectId,
      from,
      to: result.grade,
      score: result.score
    }
    return Option.some(event)
  })
