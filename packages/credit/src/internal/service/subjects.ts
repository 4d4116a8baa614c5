import type * as Actor from "@gongzhi/core/Actor"
import type { Forbidden } from "@gongzhi/core/Authorization"
import type { InvalidInput } from "@gongzhi/core/Command"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, Schema } from "effect"
import { InvalidTransition } from "../../CreditErrors.js"
import type * as CreditEvents from "../../CreditEvents.js"
import { CreditRecord } from "../../CreditRecord.js"
import type { CreditStoreShape } from "../../CreditStore.js"
import { ListDecision } from "../../ListDecision.js"
import { MeasureFeedback } from "../../MeasureFeedback.js"
import { Permission } from "../../Permissions.js"
import * as Subject from "../../Subject.js"
import { type Deps, emit, load, today } from "./context.js"
import { MAX_RECORDS_PER_SUBJECT, reevaluate } from "./evaluation.js"

/** How many merges a chain of `mergedInto` links may have (a longer chain is a data error). */
const MAX_CHAIN = 16

/**
 * The subject that holds an identifier now: the active one, or — when the subject of this identifier
 * was merged — the subject it was merged into (following the chain).
 */
export const findByIdentifier = (store: CreditStoreShape, tenantId: TenantId, key: string) =>
  Effect.gen(function* () {
    const found = yield* store.subjects.find(tenantId, { identifier_key: key }, 20)
    const active = found.find((s) => s.value.status === "active")
    if (active !== undefined) return Option.some(active.value)
    let current: Subject.Subject | undefined = found[0]?.value
    for (let i = 0; i < MAX_CHAIN && current !== undefined && current.status === "merged"; i++) {
      if (current.mergedInto === undefined) break
      current = Option.getOrUndefined(yield* store.subjects.get(tenantId, current.mergedInto))?.value
    }
    return current !== undefined && current.status === "active" ? Option.some(current) : Option.none()
  })

const MergeInput = Schema.Struct({
  tenantId: TenantId,
  /** The subject kept (e.g. the one under the unified social credit code). */
  keptId: Schema.NonEmptyTrimmedString,
  /** The subject entered twice (e.g. under the old registration number); it is merged into the kept one. */
  duplicateId: Schema.NonEmptyTrimmedString,
  reason: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(500))
})

/** What a merge did. */
export interface MergeResult {
  readonly keptId: string
  readonly mergedId: string
  readonly movedRecords: number
  readonly movedDecisions: number
  readonly movedFeedback: number
  /** True when the duplicate had already been merged into the kept subject: nothing was changed. */
  readonly alreadyMerged: boolean
}

export const make = (deps: Deps) => {
  const { store } = deps

  /**
   * Merges a subject entered twice into the other: its records, list decisions and measure feedback
   * move to the kept subject, its names become former names, it is marked merged (so its identifier
   * resolves to the kept subject from now on), the kept subject is re-graded — all in one transaction,
   * audited. Merging the same pair again changes nothing.
   */
  const mergeSubjects = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "mergeSubjects",
      title: "合并信用主体",
      input: MergeInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        input.keptId === input.duplicateId
          ? Effect.fail<InvalidInput | Forbidden>(ctx.invalid("保留主体与重复主体不能是同一主体", "duplicateId"))
          : Effect.zipRight(ctx.authorize(Permission.merge, { tenantId: input.tenantId }), today),
      body: (input, ctx, day) =>
        Effect.gen(function* () {
          const { tenantId } = input
          const keptRow = yield* load("Subject", input.keptId, store.subjects.get(tenantId, input.keptId))
          const duplicateRow = yield* load(
            "Subject",
            input.duplicateId,
            store.subjects.get(tenantId, input.duplicateId)
          )
          const kept = keptRow.value
          const duplicate = duplicateRow.value
          const none = { movedRecords: 0, movedDecisions: 0, movedFeedback: 0 }
          if (duplicate.status === "merged" && duplicate.mergedInto === kept.id) {
            return { keptId: kept.id, mergedId: duplicate.id, ...none, alreadyMerged: true } satisfies MergeResult
          }
          if (duplicate.status !== "active") {
            return yield* Effect.fail(
              new InvalidTransition({
                entity: "Subject",
                id: duplicate.id,
                state: `已并入「${duplicate.mergedInto ?? ""}」`,
                action: "再次合并"
              })
            )
          }
          if (kept.status !== "active") {
            return yield* Effect.fail(
              new InvalidTransition({ entity: "Subject", id: kept.id, state: "已合并", action: "作为保留主体" })
            )
          }
          if (kept.kind !== duplicate.kind) {
            return yield* Effect.fail(
              ctx.invalid(
                `只能合并同类主体：「${Subject.kindLabel(kept.kind)}」与「${Subject.kindLabel(duplicate.kind)}」不同`,
                "duplicateId"
              )
            )
          }
          const merged = Subject.merge(kept, duplicate, ctx.now)
          // the duplicate first: it releases its identifier before the kept subject is written
          yield* store.subjects.update(tenantId, merged.merged, duplicateRow.version)
          yield* store.subjects.update(tenantId, merged.kept, keptRow.version)
          const records = yield* store.records.find(tenantId, { subject_id: duplicate.id }, MAX_RECORDS_PER_SUBJECT)
          for (const { value, version } of records) {
            yield* store.records.update(tenantId, new CreditRecord({ ...value, subjectId: kept.id }), version)
          }
          const decisions = yield* store.listDecisions.find(tenantId, { subject_id: duplicate.id }, 10_000)
          for (const { value, version } of decisions) {
            yield* store.listDecisions.update(tenantId, new ListDecision({ ...value, subjectId: kept.id }), version)
          }
          const feedback = yield* store.measureFeedback.find(tenantId, { subject_id: duplicate.id }, 10_000)
          for (const { value, version } of feedback) {
            yield* store.measureFeedback.update(
              tenantId,
              new MeasureFeedback({ ...value, subjectId: kept.id }),
              version
            )
          }
          const stale = yield* store.evaluations.get(tenantId, duplicate.id)
          if (Option.isSome(stale)) yield* store.evaluations.remove(tenantId, duplicate.id, stale.value.version)
          const graded = yield* reevaluate(deps, tenantId, kept.id, day)
          const events: Array<CreditEvents.CreditEvent> = [
            { _tag: "SubjectsMerged", subjectId: kept.id, mergedId: duplicate.id, movedRecords: records.length },
            ...graded
          ]
          yield* emit(deps, tenantId, events)
          const result: MergeResult = {
            keptId: kept.id,
            mergedId: duplicate.id,
            movedRecords: records.length,
            movedDecisions: decisions.length,
            movedFeedback: feedback.length,
            alreadyMerged: false
          }
          yield* ctx.audit({
            tenantId,
            action: "subject.merge",
            targetType: "Subject",
            targetId: kept.id,
            details: {
              mergedId: duplicate.id,
              reason: input.reason,
              movedRecords: records.map((r) => r.value.id),
              movedDecisions: decisions.map((d) => d.value.id),
              movedFeedback: feedback.map((f) => f.value.id)
            }
          })
          return result
        })
    })

  return { mergeSubjects }
}
