import * as Actor from "@gongzhi/core/Actor"
import type { InvalidInput } from "@gongzhi/core/Command"
import type { LocalDate } from "@gongzhi/core/LocalDate"
import type { StorageError } from "@gongzhi/core/StorageError"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Uuid from "@gongzhi/core/Uuid"
import { Effect, type Either, Option, Schema } from "effect"
import * as Catalogue from "../../Catalogue.js"
import { type EntityNotFound, type InvalidTransition, ObjectionNotAllowed } from "../../CreditErrors.js"
import type * as CreditEvents from "../../CreditEvents.js"
import { CreditRecord, stateLabel } from "../../CreditRecord.js"
import * as Objection from "../../Objection.js"
import { Permission } from "../../Permissions.js"
import { bySubject } from "./bySubject.js"
import { type Deps, emit, load, today } from "./context.js"
import { reevaluate } from "./evaluation.js"
import { requireUnitAccount } from "./units.js"

const Text = (max: number) => Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(max))

const FileInput = Schema.Struct({
  tenantId: TenantId,
  recordId: Schema.NonEmptyTrimmedString,
  filer: Objection.Filer,
  reason: Text(1000)
})
const StepInput = Schema.Struct({
  tenantId: TenantId,
  objectionId: Schema.NonEmptyTrimmedString,
  note: Schema.optional(Text(500))
})
const RefuseInput = Schema.Struct({ tenantId: TenantId, objectionId: Schema.NonEmptyTrimmedString, reason: Text(500) })
const AnswerInput = Schema.Struct({
  tenantId: TenantId,
  objectionId: Schema.NonEmptyTrimmedString,
  outcome: Objection.Outcome,
  reason: Text(500)
})
const JobInput = Schema.Struct({ tenantId: TenantId })

const outcomeOf = (o: Objection.Objection): CreditEvents.CreditEvent & { _tag: "ObjectionDecided" } => ({
  _tag: "ObjectionDecided",
  objectionId: o.id,
  subjectId: o.subjectId,
  recordId: o.recordId,
  outcome:
    o.state === "refused"
      ? "refused"
      : o.outcome?._tag === "Correct"
        ? "corrected"
        : o.outcome?._tag === "Revoke"
          ? "revoked"
          : "kept",
  ...((o.refused?.note ?? o.decided?.note) === undefined ? {} : { note: o.refused?.note ?? o.decided?.note })
})

export const make = (deps: Deps) => {
  const { store, settings, calendar } = deps

  const dueAfter = (day: LocalDate, workingDays: number) =>
    Effect.map(Effect.orDie(calendar.addWorkingDays(day, workingDays, { policy: "uncertain" })), (e) => e.value)

  const loadObjection = (tenantId: TenantId, id: string) => load("Objection", id, store.objections.get(tenantId, id))
  const loadRecord = (tenantId: TenantId, id: string) => load("CreditRecord", id, store.records.get(tenantId, id))

  /** Sets the record's state to what the objection implies; re-grades when it leaves or changes use. */
  const syncRecord = (
    tenantId: TenantId,
    objection: Objection.Objection,
    day: LocalDate,
    details?: Record<string, unknown>
  ) =>
    Effect.gen(function* () {
      const stored = yield* loadRecord(tenantId, objection.recordId)
      const next = new CreditRecord({
        ...stored.value,
        state: Objection.recordState(objection),
        ...(details === undefined ? {} : { details })
      })
      yield* store.records.update(tenantId, next, stored.version)
      return Objection.isOpen(objection.state) ? [] : yield* reevaluate(deps, tenantId, objection.subjectId, day)
    })

  const fileObjection = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "fileObjection",
      title: "提出异议",
      input: FileInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.zipRight(
          ctx.authorize(Permission.objectionFile, { tenantId: input.tenantId }),
          Effect.all({ id: Uuid.make, day: today })
        ),
      body: (input, ctx, { id, day }) =>
        Effect.gen(function* () {
          const stored = yield* loadRecord(input.tenantId, input.recordId)
          const record = stored.value
          const refuse = (reason: string) => Effect.fail(new ObjectionNotAllowed({ recordId: record.id, reason }))
          if (record.state === "objectionPending") return yield* refuse("该记录已有异议正在处理")
          if (record.state !== "active" && record.state !== "corrected")
            return yield* refuse(`该记录状态为「${stateLabel(record.state)}」，已不在有效期内`)
          if (record.displayEnds !== undefined && record.displayed && day >= record.displayEnds)
            return yield* refuse(`该记录公示期已于 ${record.displayEnds} 届满，不在有效期内`)
          const due = yield* dueAfter(day, settings.objectionSlas.accept)
          const objection = new Objection.Objection({
            id: `OB-${id}`,
            tenantId: input.tenantId,
            recordId: record.id,
            subjectId: record.subjectId,
            sourceUnitId: record.provenance.sourceUnitId,
            filer: input.filer,
            reason: input.reason,
            state: "submitted",
            previousState: record.state,
            filed: { by: Actor.id(actor), at: ctx.now },
            filedOn: day,
            due,
            escalated: []
          })
          yield* store.objections.insert(input.tenantId, objection)
          yield* store.records.update(
            input.tenantId,
            new CreditRecord({ ...record, state: "objectionPending" }),
            stored.version
          )
          yield* emit(deps, input.tenantId, [
            {
              _tag: "ObjectionFiled",
              objectionId: objection.id,
              subjectId: objection.subjectId,
              recordId: record.id,
              sourceUnitId: objection.sourceUnitId,
              due
            }
          ])
          yield* ctx.audit({
            tenantId: input.tenantId,
            action: "objection.file",
            targetType: "Objection",
            targetId: objection.id,
            details: { recordId: record.id, filer: input.filer._tag }
          })
          return objection
        })
    })

  /** One step of an objection, in a command: load, apply the pure transition, sync the record, events, audit. */
  const step =
    <I extends { readonly tenantId: TenantId; readonly objectionId: string }>(spec: {
      readonly name: string
      readonly title: string
      readonly input: Schema.Schema<I, any>
      readonly permission: string
      readonly action: string
      readonly apply: (
        objection: Objection.Objection,
        input: I,
        handling: Objection.Handling,
        day: LocalDate
      ) => Effect.Effect<Either.Either<Objection.Objection, InvalidTransition>>
      /** The record's corrected details (for a correction). */
      readonly details?: (
        objection: Objection.Objection,
        input: I,
        invalid: (message: string, path?: string) => InvalidInput
      ) => Effect.Effect<Record<string, unknown>, InvalidInput | StorageError | EntityNotFound>
    }) =>
    (actor: Actor.Actor, raw: unknown) =>
      deps.runner.run({
        name: spec.name,
        title: spec.title,
        input: spec.input,
        raw,
        actor,
        prepare: (input, ctx) => Effect.zipRight(ctx.authorize(spec.permission, { tenantId: input.tenantId }), today),
        body: (input, ctx, day) =>
          Effect.gen(function* () {
            const stored = yield* loadObjection(input.tenantId, input.objectionId)
            if (spec.permission === Permission.objectionVerify)
              yield* requireUnitAccount(deps, actor, stored.value.sourceUnitId, "核实本单位信息的异议")
            const note =
              "reason" in input ? (input.reason as string) : "note" in input ? (input.note as string) : undefined
            const handling = { by: Actor.id(actor), at: ctx.now, ...(note === undefined ? {} : { note }) }
            const next = yield* Effect.flatten(spec.apply(stored.value, input, handling, day))
            yield* store.objections.update(input.tenantId, next, stored.version)
            const details = spec.details === undefined ? undefined : yield* spec.details(next, input, ctx.invalid)
            const events = Objection.isOpen(next.state) ? [] : yield* syncRecord(input.tenantId, next, day, details)
            yield* emit(deps, input.tenantId, Objection.isOpen(next.state) ? events : [outcomeOf(next), ...events])
            yield* ctx.audit({
              tenantId: input.tenantId,
              action: spec.action,
              targetType: "Objection",
              targetId: next.id,
              details: { recordId: next.recordId, from: stored.value.state, to: next.state }
            })
            return next
          })
      })

  const acceptObjection = step({
    name: "acceptObjection",
    title: "受理异议",
    input: StepInput,
    permission: Permission.objectionHandle,
    action: "objection.accept",
    apply: (o, _input, h, day) =>
      Effect.map(dueAfter(day, settings.objectionSlas.platformCheck), (due) => Objection.accept(o, h, due))
  })

  const refuseObjection = step({
    name: "refuseObjection",
    title: "异议不予受理",
    input: RefuseInput,
    permission: Permission.objectionHandle,
    action: "objection.refuse",
    apply: (o, _input, h) => Effect.succeed(Objection.reject(o, h))
  })

  const forwardObjection = step({
    name: "forwardObjection",
    title: "异议转提供单位核实",
    input: StepInput,
    permission: Permission.objectionHandle,
    action: "objection.forward",
    apply: (o, _input, h, day) =>
      Effect.map(dueAfter(day, settings.objectionSlas.provider), (due) => Objection.forward(o, h, due))
  })

  const answerObjection = step({
    name: "answerObjection",
    title: "异议核实结论",
    input: AnswerInput,
    permission: Permission.objectionVerify,
    action: "objection.answer",
    apply: (o, input, h) => Effect.succeed(Objection.decide(o, h, input.outcome)),
    details: (o, input, invalid) =>
      Effect.gen(function* () {
        const record = (yield* loadRecord(input.tenantId, o.recordId)).value
        if (input.outcome._tag !== "Correct") return record.details
        const type = Catalogue.recordType(settings.catalogue, record.recordType)
        const known = new Set(type?.fields.map((f) => f.name) ?? [])
        const unknown = Object.keys(input.outcome.fields).filter((k) => !known.has(k))
        if (type === undefined || unknown.length > 0)
          return yield* Effect.fail(invalid(`更正的字段不属于该信息类型：${unknown.join("、")}`, "outcome"))
        return yield* Schema.decodeUnknown(Catalogue.fieldsSchema(type))({
          ...record.details,
          ...input.outcome.fields
        }).pipe(Effect.mapError(() => invalid("更正后的字段不符合目录要求", "outcome")))
      })
  })

  const listObjections = bySubject(deps, {
    name: "listObjections",
    title: "查询异议",
    what: "objections",
    repository: store.objections
  })

  /** The job: every open objection whose current step is past due gets one `ObjectionOverdue` (idempotent). */
  const escalateOverdueObjections = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "escalateOverdueObjections",
      title: "异议超期督办",
      input: JobInput,
      raw,
      actor,
      prepare: (input, ctx) => Effect.zipRight(ctx.authorize(Permission.evaluate, { tenantId: input.tenantId }), today),
      body: (input, ctx, day) =>
        Effect.gen(function* () {
          const open = yield* store.objections.find(
            input.tenantId,
            { state: { in: ["submitted", "accepted", "forwarded"] }, due_day: { lt: day } },
            10_000
          )
          const events: Array<CreditEvents.CreditEvent> = []
          for (const { value, version } of open) {
            const next = Objection.escalate(value, day)
            if (Option.isNone(next)) continue
            yield* store.objections.update(input.tenantId, next.value, version)
            events.push({
              _tag: "ObjectionOverdue",
              objectionId: value.id,
              subjectId: value.subjectId,
              sourceUnitId: value.sourceUnitId,
              step: Objection.stepOf(value.state) ?? "accept",
              due: value.due ?? day
            })
          }
          yield* emit(deps, input.tenantId, events)
          if (events.length > 0)
            yield* ctx.audit({
              tenantId: input.tenantId,
              action: "objection.escalate",
              targetType: "Objection",
              targetId: "*",
              details: { escalated: events.length }
            })
          return { escalated: events.length }
        })
    })

  return {
    fileObjection,
    acceptObjection,
    refuseObjection,
    forwardObjection,
    answerObjection,
    listObjections,
    escalateOverdueObjections
  }
}
