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
    const stored = toStored(subjectId, result, today)
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

const toStored = (subjectId: string, result: Scorecard.Evaluation, today: LocalDate.LocalDate) =>
  new StoredEvaluation({
    subjectId,
    scorecardId: result.scorecardId,
    score: result.score,
    grade: result.grade,
    label: result.label,
    lines: result.lines,
    evaluatedOn: today
  })

/**
 * Re-evaluates a page of subjects in the caller's transaction with one read of their records and one of
 * their stored grades; new grades are inserted together, changed ones updated one by one. Returns the
 * `GradeChanged` events (same rules as {@link reevaluate}).
 */
export const reevaluateMany = (
  deps: Deps,
  tenantId: TenantId,
  subjectIds: ReadonlyArray<string>,
  today: LocalDate.LocalDate
) =>
  Effect.gen(function* () {
    const { store, settings } = deps
    const events: Array<CreditEvents.CreditEvent> = []
    if (subjectIds.length === 0) return events
    const rows = yield* store.records.find(
      tenantId,
      { subject_id: { in: subjectIds } },
      subjectIds.length * MAX_RECORDS_PER_SUBJECT
    )
    const bySubject = new Map<string, Array<(typeof rows)[number]["value"]>>()
    for (const { value } of rows) {
      const list = bySubject.get(value.subjectId)
      if (list === undefined) bySubject.set(value.subjectId, [value])
      else list.push(value)
    }
    const existing = new Map(
      (yield* store.evaluations.find(tenantId, { id: { in: subjectIds } }, subjectIds.length)).map(
        (e) => [e.value.subjectId, e] as const
      )
    )
    const inserts: Array<StoredEvaluation> = []
    for (const subjectId of subjectIds) {
      const result = Scorecard.evaluate(settings.scorecard, settings.scale, bySubject.get(subjectId) ?? [], today)
      const before = existing.get(subjectId)
      if (before === undefined) {
        inserts.push(toStored(subjectId, result, today))
        events.push({ _tag: "GradeChanged", subjectId, to: result.grade, score: result.score })
        continue
      }
      if (sameResult(before.value, result)) continue
      yield* store.evaluations.update(tenantId, toStored(subjectId, result, today), before.version)
      if (before.value.grade !== result.grade) {
        events.push({
          _tag: "GradeChanged",
          subjectId,
          from: before.value.grade,
          to: result.grade,
          score: result.score
        })
      }
    }
    if (inserts.length > 0) yield* store.evaluations.insertMany(tenantId, inserts)
    return events
  })
