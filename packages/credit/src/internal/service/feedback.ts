import * as Actor from "@gongzhi/core/Actor"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Uuid from "@gongzhi/core/Uuid"
import { Effect, Schema } from "effect"
import { EntityNotFound } from "../../CreditErrors.js"
import { MeasureFeedback } from "../../MeasureFeedback.js"
import { Permission } from "../../Permissions.js"
import { audit, type Deps, emit, load, today } from "./context.js"

const Text = (max: number) => Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(max))

const ReportInput = Schema.Struct({
  tenantId: TenantId,
  subjectId: Schema.NonEmptyTrimmedString,
  measure: Schema.NonEmptyTrimmedString,
  purpose: Text(100),
  unit: Text(200),
  takenOn: LocalDate.LocalDate,
  reference: Schema.optional(Text(100)),
  note: Schema.optional(Text(500))
})

const ListInput = Schema.Struct({
  tenantId: TenantId,
  subjectId: Schema.optional(Schema.NonEmptyTrimmedString),
  measure: Schema.optional(Schema.NonEmptyTrimmedString)
}).pipe(
  Schema.filter(
    (i) =>
      i.subjectId !== undefined || i.measure !== undefined || { path: ["subjectId"], message: "请指定信用主体或措施" }
  )
)

export const make = (deps: Deps) => {
  const { store, settings } = deps

  /** A unit reports a joint measure it took against (or in favour of) a subject. */
  const reportMeasureTaken = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "reportMeasureTaken",
      title: "联合奖惩措施反馈",
      input: ReportInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.feedback, { tenantId: input.tenantId })
          if (!settings.measures.some((m) => m.code === input.measure)) {
            return yield* Effect.fail(new EntityNotFound({ entity: "Measure", id: input.measure }))
          }
          const day = yield* today
          if (input.takenOn > day) return yield* Effect.fail(ctx.invalid("实施日期不能晚于今天", "takenOn"))
          return yield* Uuid.make
        }),
      body: (input, ctx, id) =>
        Effect.gen(function* () {
          const subject = yield* load("Subject", input.subjectId, store.subjects.get(input.tenantId, input.subjectId))
          const feedback = new MeasureFeedback({
            id: `MF-${id}`,
            tenantId: input.tenantId,
            subjectId: subject.value.id,
            measure: input.measure,
            purpose: input.purpose,
            unit: input.unit,
            takenOn: input.takenOn,
            ...(input.reference === undefined ? {} : { reference: input.reference }),
            ...(input.note === undefined ? {} : { note: input.note }),
            reportedBy: Actor.id(actor),
            reportedAt: ctx.now
          })
          yield* store.measureFeedback.insert(input.tenantId, feedback)
          yield* emit(deps, input.tenantId, [
            {
              _tag: "MeasureTaken",
              feedbackId: feedback.id,
              subjectId: feedback.subjectId,
              measure: feedback.measure,
              unit: feedback.unit,
              takenOn: feedback.takenOn
            }
          ])
          yield* ctx.audit({
            tenantId: input.tenantId,
            action: "measure.feedback",
            targetType: "MeasureFeedback",
            targetId: feedback.id,
            details: { subjectId: feedback.subjectId, measure: feedback.measure, unit: feedback.unit }
          })
          return feedback
        })
    })

  /** The measures reported taken, for a subject and/or a measure, oldest first. */
  const listMeasureFeedback = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.query({
      name: "listMeasureFeedback",
      title: "查询联合奖惩反馈",
      input: ListInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          yield* Effect.orElse(ctx.authorize(Permission.read, { tenantId: input.tenantId }), () =>
            ctx.authorize(Permission.feedback, { tenantId: input.tenantId })
          )
          const rows = yield* store.measureFeedback.find(
            input.tenantId,
            {
              ...(input.subjectId === undefined ? {} : { subject_id: input.subjectId }),
              ...(input.measure === undefined ? {} : { measure: input.measure })
            },
            10_000
          )
          // every read of a natural person's data is audited
          const people = new Set<string>()
          for (const subjectId of new Set(rows.map((r) => r.value.subjectId))) {
            const subject = yield* store.subjects.get(input.tenantId, subjectId)
            if (subject._tag === "Some" && subject.value.value.kind === "naturalPerson") people.add(subjectId)
          }
          for (const subjectId of people)
            yield* audit(deps, actor, input.tenantId, "read.measureFeedback", "Subject", subjectId)
          return rows
            .map((r) => r.value)
            .sort((a, b) => (a.takenOn < b.takenOn ? -1 : a.takenOn > b.takenOn ? 1 : a.id < b.id ? -1 : 1))
        })
    })

  return { reportMeasureTaken, listMeasureFeedback }
}
