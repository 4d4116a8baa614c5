import * as Actor from "@gongzhi/core/Actor"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Uuid from "@gongzhi/core/Uuid"
import { Effect, Either, Schema } from "effect"
import type { InvalidTransition } from "../../CreditErrors.js"
import type * as CreditEvents from "../../CreditEvents.js"
import { ListKind } from "../../CreditList.js"
import * as ListDecision from "../../ListDecision.js"
import { Permission } from "../../Permissions.js"
import { bySubject } from "./bySubject.js"
import { type Deps, emit, load, today } from "./context.js"

const Text = (max: number) => Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(max))

const RecordInput = Schema.Struct({
  tenantId: TenantId,
  subjectId: Schema.NonEmptyTrimmedString,
  list: ListKind,
  decidingUnit: Text(200),
  documentNumber: Text(100),
  decisionDate: LocalDate.LocalDate,
  legalBasis: Text(500),
  reasons: Schema.NonEmptyArray(Text(500)).pipe(Schema.maxItems(20)),
  from: LocalDate.LocalDate,
  until: LocalDate.LocalDate,
  exit: Text(500)
}).pipe(
  Schema.filter((i) =>
    i.from < i.until
      ? i.decisionDate <= i.from || { path: ["from"], message: "列入日期不能早于认定日期" }
      : { path: ["until"], message: "移出日期须晚于列入日期" }
  )
)

const DecisionInput = Schema.Struct({ tenantId: TenantId, decisionId: Schema.NonEmptyTrimmedString })
const ApproveInput = Schema.Struct({ ...DecisionInput.fields, note: Schema.optional(Text(500)) })
const ReasonInput = Schema.Struct({ ...DecisionInput.fields, reason: Text(500) })
const RemoveInput = Schema.Struct({ ...ReasonInput.fields, on: Schema.optional(LocalDate.LocalDate) })
const JobInput = Schema.Struct({ tenantId: TenantId })

export const make = (deps: Deps) => {
  const { store } = deps

  const loadDecision = (tenantId: TenantId, id: string) => load("ListEntry", id, store.listDecisions.get(tenantId, id))

  /** Records a decision to put a subject on a list; it takes effect once approved. */
  const recordListDecision = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "recordListDecision",
      title: "录入名单认定",
      input: RecordInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.zipRight(ctx.authorize(Permission.decide, { tenantId: input.tenantId }), Uuid.make),
      body: (input, ctx, id) =>
        Effect.gen(function* () {
          const subject = yield* load("Subject", input.subjectId, store.subjects.get(input.tenantId, input.subjectId))
          if (subject.value.status !== "active") {
            return yield* Effect.fail(ctx.invalid("该主体已合并，请对保留主体录入", "subjectId"))
          }
          const decision = new ListDecision.ListDecision({
            id: `LD-${id}`,
            tenantId: input.tenantId,
            subjectId: input.subjectId,
            list: input.list,
            decidingUnit: input.decidingUnit,
            documentNumber: input.documentNumber,
            decisionDate: input.decisionDate,
            legalBasis: input.legalBasis,
            reasons: input.reasons,
            from: input.from,
            until: input.until,
            exit: input.exit,
            state: "pending",
            recorded: { by: Actor.id(actor), at: ctx.now }
          })
          yield* store.listDecisions.insert(input.tenantId, decision)
          yield* ctx.audit({
            tenantId: input.tenantId,
            action: "list.record",
            targetType: "ListDecision",
            targetId: decision.id,
            details: { subjectId: decision.subjectId, list: decision.list, documentNumber: decision.documentNumber }
          })
          return decision
        })
    })

  /** One transition of a decision, in a command: load, apply the pure transition, store, events, audit. */
  const transition =
    <I extends { readonly tenantId: TenantId; readonly decisionId: string }>(spec: {
      readonly name: string
      readonly title: string
      readonly input: Schema.Schema<I, any>
      readonly action: string
      readonly apply: (
        decision: ListDecision.ListDecision,
        input: I,
        by: string,
        at: Date,
        day: LocalDate.LocalDate
      ) => Either.Either<ListDecision.ListDecision, InvalidTransition>
      readonly events: (next: ListDecision.ListDecision, day: LocalDate.LocalDate) => Array<CreditEvents.CreditEvent>
    }) =>
    (actor: Actor.Actor, raw: unknown) =>
      deps.runner.run({
        name: spec.name,
        title: spec.title,
        input: spec.input,
        raw,
        actor,
        prepare: (input, ctx) =>
          Effect.zipRight(ctx.authorize(Permission.approve, { tenantId: input.tenantId }), today),
        body: (input, ctx, day) =>
          Effect.gen(function* () {
            const stored = yield* loadDecision(input.tenantId, input.decisionId)
            const next = yield* spec.apply(stored.value, input, Actor.id(actor), ctx.now, day)
            yield* store.listDecisions.update(input.tenantId, next, stored.version)
            yield* emit(deps, input.tenantId, spec.events(next, day))
            yield* ctx.audit({
              tenantId: input.tenantId,
              action: spec.action,
              targetType: "ListDecision",
              targetId: next.id,
              details: { subjectId: next.subjectId, list: next.list, from: stored.value.state, to: next.state }
            })
            return next
          })
      })

  const approveListDecision = transition({
    name: "approveListDecision",
    title: "批准名单认定",
    input: ApproveInput,
    action: "list.approve",
    apply: (d, input, by, at) => ListDecision.approve(d, by, at, input.note),
    events: (d) => [
      {
        _tag: "SubjectEnteredList",
        subjectId: d.subjectId,
        basis: "decision",
        decisionId: d.id,
        list: d.list,
        decidingUnit: d.decidingUnit,
        from: d.from,
        until: d.until
      }
    ]
  })

  const rejectListDecision = transition({
    name: "rejectListDecision",
    title: "退回名单认定",
    input: ReasonInput,
    action: "list.reject",
    apply: (d, input, by, at) => ListDecision.reject(d, by, at, input.reason),
    events: () => []
  })

  const removeListDecision = transition({
    name: "removeListDecision",
    title: "移出名单",
    input: RemoveInput,
    action: "list.remove",
    apply: (d, input, by, at, day) => ListDecision.remove(d, by, at, input.on ?? day, input.reason),
    events: (d, day) => [
      {
        _tag: "SubjectLeftList",
        subjectId: d.subjectId,
        basis: "decision",
        decisionId: d.id,
        list: d.list,
        reason: "removed",
        on: d.removal?.on ?? day
      }
    ]
  })

  /** The list decisions of a subject (every state). */
  const listDecisions = bySubject(deps, {
    name: "listDecisions",
    title: "查询名单认定",
    what: "listDecisions",
    repository: store.listDecisions
  })

  /** The job: approved decisions whose `until` has come are marked expired, each with `SubjectLeftList`. */
  const expireListDecisions = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "expireListDecisions",
      title: "名单期满移出",
      input: JobInput,
      raw,
      actor,
      prepare: (input, ctx) => Effect.zipRight(ctx.authorize(Permission.evaluate, { tenantId: input.tenantId }), today),
      body: (input, ctx, day) =>
        Effect.gen(function* () {
          const due = yield* store.listDecisions.find(
            input.tenantId,
            { state: "approved", until_day: { lt: LocalDate.unsafeFromEpochDay(LocalDate.toEpochDay(day) + 1) } },
            10_000
          )
          const events: Array<CreditEvents.CreditEvent> = []
          for (const { value, version } of due) {
            const next = ListDecision.expire(value, day)
            if (Either.isLeft(next)) continue
            yield* store.listDecisions.update(input.tenantId, next.right, version)
            events.push({
              _tag: "SubjectLeftList",
              subjectId: value.subjectId,
              basis: "decision",
              decisionId: value.id,
              list: value.list,
              reason: "expired",
              on: value.until
            })
          }
          yield* emit(deps, input.tenantId, events)
          if (events.length > 0) {
            yield* ctx.audit({
              tenantId: input.tenantId,
              action: "list.expire",
              targetType: "ListDecision",
              targetId: "*",
              details: { expired: due.map((d) => d.value.id) }
            })
          }
          return { expired: events.length }
        })
    })

  return {
    recordListDecision,
    approveListDecision,
    rejectListDecision,
    removeListDecision,
    listDecisions,
    expireListDecisions
  }
}
