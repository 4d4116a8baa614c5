import type * as LocalDate from "@gongzhi/core/LocalDate"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect } from "effect"
import type * as CreditEvents from "../../CreditEvents.js"
import * as CreditList from "../../CreditList.js"
import type { CreditRecord } from "../../CreditRecord.js"
import * as Scorecard from "../../Scorecard.js"
import { StoredEvaluation } from "../tables.js"
import type { Deps, Settings } from "./context.js"

/** The most records one subject is evaluated over (a subject with more is a data error upstream). */
export const MAX_RECORDS_PER_SUBJECT = 10_000

const sameStored = (a: StoredEvaluation, b: StoredEvaluation): boolean =>
  a.scorecardId === b.scorecardId &&
  a.score === b.score &&
  a.grade === b.grade &&
  JSON.stringify(a.lines) === JSON.stringify(b.lines) &&
  a.lists.join() === b.lists.join()

/** The grade and the lists by rule of one subject, as it would be stored. */
const assess = (
  settings: Settings,
  subjectId: string,
  records: ReadonlyArray<CreditRecord>,
  today: LocalDate.LocalDate
): { readonly stored: StoredEvaluation; readonly entries: ReadonlyArray<CreditList.ListEntry> } => {
  const result = Scorecard.evaluate(settings.scorecard, settings.scale, records, today)
  const entries = CreditList.entriesByRule(settings.listRules, subjectId, records, today).filter((e) =>
    CreditList.inForce(e, today)
  )
  const lists = [...new Set(entries.map((e) => e.list))].sort()
  return {
    stored: new StoredEvaluation({
      subjectId,
      scorecardId: result.scorecardId,
      score: result.score,
      grade: result.grade,
      label: result.label,
      lines: result.lines,
      evaluatedOn: today,
      lists
    }),
    entries
  }
}

/** The events between what was stored and what is now: grade changed, lists by rule entered or left. */
const changes = (
  before: StoredEvaluation | undefined,
  after: StoredEvaluation,
  entries: ReadonlyArray<CreditList.ListEntry>,
  today: LocalDate.LocalDate
): Array<CreditEvents.CreditEvent> => {
  const events: Array<CreditEvents.CreditEvent> = []
  const subjectId = after.subjectId
  if (before === undefined) events.push({ _tag: "GradeChanged", subjectId, to: after.grade, score: after.score })
  else if (before.grade !== after.grade)
    events.push({ _tag: "GradeChanged", subjectId, from: before.grade, to: after.grade, score: after.score })
  const old = before?.lists ?? []
  for (const list of after.lists) {
    if (old.includes(list)) continue
    const entry = entries.find((e) => e.list === list) as CreditList.ListEntry
    events.push({ _tag: "SubjectEnteredList", subjectId, list, basis: "rule", from: entry.from, until: entry.until })
  }
  for (const list of old) {
    if (!after.lists.includes(list))
      events.push({ _tag: "SubjectLeftList", subjectId, list, basis: "rule", reason: "ruleEnded", on: today })
  }
  return events
}

/**
 * Re-evaluates one subject from its stored records, in the caller's transaction: stores the result
 * (grade, explanation, lists by rule) when it differs from the stored one and returns the events:
 * `GradeChanged` when the grade moved (or the first grade), `SubjectEnteredList` / `SubjectLeftList`
 * when a list by rule was entered or left.
 */
export const reevaluate = (deps: Deps, tenantId: TenantId, subjectId: string, today: LocalDate.LocalDate) =>
  reevaluateMany(deps, tenantId, [subjectId], today)

/**
 * Re-evaluates subjects in the caller's transaction with one read of their records and one of their
 * stored grades; new grades are inserted together, changed ones updated one by one. Returns the events
 * (see {@link reevaluate}).
 */
export const reevaluateMany = (
  deps: Deps,
  tenantId: TenantId,
  subjectIds: ReadonlyArray<string>,
  today: LocalDate.LocalDate
) =>
  Effect.map(
    Effect.forEach(chunks(subjectIds, CHUNK), (chunk) => reevaluateChunk(deps, tenantId, chunk, today)),
    (lists) => lists.flat()
  )

/** How many subjects one read covers (bounded statement parameters on every backend). */
const CHUNK = 500

const chunks = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

const reevaluateChunk = (
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
      subjectIds.length === 1 ? { subject_id: subjectIds[0] as string } : { subject_id: { in: subjectIds } },
      subjectIds.length * MAX_RECORDS_PER_SUBJECT
    )
    const bySubject = new Map<string, Array<CreditRecord>>()
    for (const { value } of rows) {
      const list = bySubject.get(value.subjectId)
      if (list === undefined) bySubject.set(value.subjectId, [value])
      else list.push(value)
    }
    const existing = new Map(
      (subjectIds.length === 1
        ? (yield* store.evaluations.get(tenantId, subjectIds[0] as string)).pipe((o) =>
            o._tag === "Some" ? [o.value] : []
          )
        : yield* store.evaluations.find(tenantId, { id: { in: subjectIds } }, subjectIds.length)
      ).map((e) => [e.value.subjectId, e] as const)
    )
    const inserts: Array<StoredEvaluation> = []
    for (const subjectId of subjectIds) {
      const { entries, stored } = assess(settings, subjectId, bySubject.get(subjectId) ?? [], today)
      const before = existing.get(subjectId)
      if (before === undefined) inserts.push(stored)
      else if (sameStored(before.value, stored)) continue
      else yield* store.evaluations.update(tenantId, stored, before.version)
      events.push(...changes(before?.value, stored, entries, today))
    }
    if (inserts.length > 0) yield* store.evaluations.insertMany(tenantId, inserts)
    return events
  })
