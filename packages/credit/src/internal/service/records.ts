import type * as Actor from "@gongzhi/core/Actor"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, Schema } from "effect"
import * as Catalogue from "../../Catalogue.js"
import { InvalidTransition } from "../../CreditErrors.js"
import * as CreditList from "../../CreditList.js"
import { CreditRecord, inUse, stateLabel } from "../../CreditRecord.js"
import * as ListDecision from "../../ListDecision.js"
import * as Measure from "../../Measure.js"
import { Permission } from "../../Permissions.js"
import type { Subject } from "../../Subject.js"
import { audit, authorize, type Deps, decode, emit, load, today, transact } from "./context.js"
import { reevaluate, reevaluateMany } from "./evaluation.js"

const SubjectInput = Schema.Struct({ tenantId: TenantId, subjectId: Schema.NonEmptyTrimmedString })

const ChangeStateInput = Schema.Struct({
  tenantId: TenantId,
  recordId: Schema.NonEmptyTrimmedString,
  state: Schema.Literal("repaired", "expired", "revoked"),
  reason: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(500))
})

const CheckInput = Schema.Struct({
  tenantId: TenantId,
  subjectId: Schema.NonEmptyTrimmedString,
  purpose: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(100))
})

const FullInput = Schema.Struct({
  tenantId: TenantId,
  pageSize: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000)))
})

/** What a caller sees of a subject: never the sealed identifier, only its masked form. */
export interface SubjectView {
  readonly id: string
  readonly kind: Subject["kind"]
  readonly creditCode: string | undefined
  readonly maskedResidentId: string | undefined
  readonly name: string
  readonly formerNames: ReadonlyArray<string>
  readonly status: Subject["status"]
}

const view = (subject: Subject): SubjectView => ({
  id: subject.id,
  kind: subject.kind,
  creditCode: subject.creditCode,
  maskedResidentId: subject.residentId?.masked,
  name: subject.name,
  formerNames: subject.formerNames,
  status: subject.status
})

export const make = (deps: Deps) => {
  const { store, settings } = deps

  /** Full readers see everything; the public sees only public records, displayed today and in use. */
  const readLevel = (actor: Actor.Actor, tenantId: TenantId) =>
    Effect.flatMap(Effect.either(authorize(deps, actor, Permission.read, tenantId)), (full) =>
      full._tag === "Right"
        ? Effect.succeed("full" as const)
        : Effect.as(authorize(deps, actor, Permission.publicRead, tenantId), "public" as const)
    )

  /** Every read of a natural person's data is audited. */
  const auditPersonRead = (actor: Actor.Actor, subject: Subject, what: string) =>
    subject.kind === "naturalPerson"
      ? audit(deps, actor, subject.tenantId, `read.${what}`, "Subject", subject.id)
      : Effect.void

  const loadSubject = (tenantId: TenantId, subjectId: string) =>
    Effect.map(load("Subject", subjectId, store.subjects.get(tenantId, subjectId)), (v) => v.value)

  const getSubject = (actor: Actor.Actor, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* decode(deps, "getSubject", SubjectInput)(raw)
      yield* readLevel(actor, input.tenantId)
      const subject = yield* loadSubject(input.tenantId, input.subjectId)
      yield* auditPersonRead(actor, subject, "subject")
      return view(subject)
    })

  const listRecords = (actor: Actor.Actor, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* decode(deps, "listRecords", SubjectInput)(raw)
      const level = yield* readLevel(actor, input.tenantId)
      const subject = yield* loadSubject(input.tenantId, input.subjectId)
      const day = yield* today
      const rows = yield* store.records.find(input.tenantId, { subject_id: subject.id }, 10_000)
      yield* auditPersonRead(actor, subject, "records")
      const records = rows.map((r) => r.value)
      if (level === "full") return records
      return records.filter((r) => {
        const type = Catalogue.recordType(settings.catalogue, r.recordType)
        if (type === undefined || type.disclosure !== "public" || !inUse(r.state) || !r.displayed) return false
        return r.displayEnds === undefined || (r.findingDate <= day && day < r.displayEnds)
      })
    })

  const getEvaluation = (actor: Actor.Actor, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* decode(deps, "getEvaluation", SubjectInput)(raw)
      yield* authorize(deps, actor, Permission.read, input.tenantId)
      const subject = yield* loadSubject(input.tenantId, input.subjectId)
      const stored = yield* store.evaluations.get(input.tenantId, subject.id)
      yield* auditPersonRead(actor, subject, "evaluation")
      return Option.map(stored, (s) => s.value)
    })

  const changeRecordState = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "changeRecordState",
      title: "变更信用记录状态",
      input: ChangeStateInput,
      raw,
      actor,
      prepare: (input, ctx) => Effect.zipRight(ctx.authorize(Permission.review, { tenantId: input.tenantId }), today),
      body: (input, _ctx, day) =>
        Effect.gen(function* () {
          const stored = yield* load("CreditRecord", input.recordId, store.records.get(input.tenantId, input.recordId))
          const record = stored.value
          if (!inUse(record.state)) {
            return yield* Effect.fail(
              new InvalidTransition({
                entity: "CreditRecord",
                id: record.id,
                state: stateLabel(record.state),
                action: `改为「${stateLabel(input.state)}」`
              })
            )
          }
          const next = new CreditRecord({ ...record, state: input.state })
          yield* store.records.update(input.tenantId, next, stored.version)
          yield* emit(deps, input.tenantId, yield* reevaluate(deps, input.tenantId, record.subjectId, day))
          yield* audit(deps, actor, input.tenantId, "record.state", "CreditRecord", record.id, {
            from: record.state,
            to: input.state
          })
          return next
        })
    })

  /** Re-evaluates every active subject of the district (for a model change), page by page. */
  const reevaluateAll = (actor: Actor.Actor, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* decode(deps, "reevaluateAll", FullInput)(raw)
      yield* authorize(deps, actor, Permission.evaluate, input.tenantId)
      const day = yield* today
      let cursor: string | undefined
      let subjects = 0
      let changed = 0
      do {
        const page = yield* store.subjects.page(input.tenantId, {
          where: { status: "active" },
          limit: input.pageSize ?? 200,
          cursor
        })
        const events = yield* transact(
          deps,
          "reevaluateAll",
          actor
        )(
          Effect.gen(function* () {
            const out = yield* reevaluateMany(
              deps,
              input.tenantId,
              page.items.map((s) => s.value.id),
              day
            )
            yield* emit(deps, input.tenantId, out)
            return out
          })
        )
        subjects += page.items.length
        changed += events.filter((e) => e._tag === "GradeChanged").length
        cursor = page.nextCursor
      } while (cursor !== undefined)
      yield* audit(deps, actor, input.tenantId, "reevaluateAll", "Scorecard", settings.scorecard.id, {
        subjects,
        changed
      })
      return { subjects, changed }
    })

  /** Which lists, grade and measures apply to a subject for a purpose (e.g. 财政资金项目申报). */
  const check = (actor: Actor.Actor, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* decode(deps, "check", CheckInput)(raw)
      yield* authorize(deps, actor, Permission.check, input.tenantId)
      const subject = yield* loadSubject(input.tenantId, input.subjectId)
      const day = yield* today
      const records = (yield* store.records.find(input.tenantId, { subject_id: subject.id }, 10_000)).map(
        (r) => r.value
      )
      const grade = Option.getOrUndefined(yield* store.evaluations.get(input.tenantId, subject.id))?.value
      const decided = (yield* store.listDecisions.find(
        input.tenantId,
        { subject_id: subject.id, state: "approved" },
        10_000
      )).map((d) => d.value)
      const entries = [
        ...CreditList.entriesByRule(settings.listRules, subject.id, records, day),
        ...decided.filter((d) => ListDecision.inForce(d, day)).map(ListDecision.toEntry)
      ].filter((e) => CreditList.inForce(e, day))
      const measures = Measure.applicable(
        settings.measures,
        settings.measureRules,
        { entries, grade: grade?.grade, records },
        input.purpose,
        day
      )
      yield* auditPersonRead(actor, subject, "check")
      return { subject: view(subject), grade: grade?.grade, score: grade?.score, entries, measures }
    })

  return { check, getSubject, listRecords, getEvaluation, changeRecordState, reevaluateAll }
}
