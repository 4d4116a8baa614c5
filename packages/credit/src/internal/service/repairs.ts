import * as Actor from "@gongzhi/core/Actor"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Uuid from "@gongzhi/core/Uuid"
import { Effect, Either, Option, Schema } from "effect"
import { NotEligibleForRepair } from "../../CreditErrors.js"
import type * as CreditEvents from "../../CreditEvents.js"
import * as CreditList from "../../CreditList.js"
import { CreditRecord } from "../../CreditRecord.js"
import * as CreditRules from "../../CreditRules.js"
import * as ListDecision from "../../ListDecision.js"
import * as Measure from "../../Measure.js"
import { Permission } from "../../Permissions.js"
import * as Repair from "../../Repair.js"
import { bySubject } from "./bySubject.js"
import { audit, type Deps, emit, load, today, transact } from "./context.js"
import { MAX_RECORDS_PER_SUBJECT, reevaluate, reevaluateMany } from "./evaluation.js"
import { requireUnitAccount } from "./units.js"

const Text = (max: number) => Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(max))
const Ids = Schema.NonEmptyArray(Schema.NonEmptyTrimmedString).pipe(Schema.maxItems(50))

const ClaimFields = {
  tenantId: TenantId,
  recordIds: Ids,
  evidence: Schema.Array(Repair.Evidence).pipe(Schema.maxItems(50)),
  commitmentText: Text(2000)
}
const EligibilityInput = Schema.Struct(ClaimFields)
const ApplyInput = Schema.Struct({
  ...ClaimFields,
  subjectId: Schema.NonEmptyTrimmedString,
  listDecisionIds: Schema.optionalWith(Schema.Array(Schema.NonEmptyTrimmedString).pipe(Schema.maxItems(20)), {
    default: () => []
  })
})
const DecideInput = Schema.Struct({
  tenantId: TenantId,
  applicationId: Schema.NonEmptyTrimmedString,
  decision: Schema.Literal("grant", "refuse"),
  reasons: Schema.NonEmptyArray(Text(500)).pipe(Schema.maxItems(20))
})
const JobInput = Schema.Struct({
  tenantId: TenantId,
  pageSize: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000)))
})

const addDays = (day: LocalDate.LocalDate, n: number) => LocalDate.unsafeFromEpochDay(LocalDate.toEpochDay(day) + n)

export const make = (deps: Deps) => {
  const { store, settings } = deps
  const rules = {
    ruleSets: settings.ruleSets,
    conditions: settings.repairConditions,
    commitmentText: settings.commitmentText
  }
  const purposes = [...new Set(settings.measureRules.flatMap((r) => r.purposes))]

  const loadRecords = (tenantId: TenantId, ids: ReadonlyArray<string>) =>
    Effect.forEach(ids, (id) => load("CreditRecord", id, store.records.get(tenantId, id)))

  /** Fails with the first record that is not eligible (with its reasons and the earliest day). */
  const requireEligible = (records: ReadonlyArray<CreditRecord>, day: LocalDate.LocalDate, claim: Repair.Claim) =>
    Effect.forEach(records, (record) => {
      const answer = Repair.eligibility(record, day, claim, rules)
      return answer.eligible
        ? Effect.succeed(answer.rule)
        : Effect.fail(
            new NotEligibleForRepair({
              recordId: record.id,
              reasons: answer.reasons,
              ...(answer.earliest === undefined ? {} : { earliest: answer.earliest })
            })
          )
    })

  /** The joint measures (code|purpose) that apply to a subject today, as `check` finds them. */
  const measuresOf = (tenantId: TenantId, subjectId: string, day: LocalDate.LocalDate) =>
    Effect.gen(function* () {
      const records = (yield* store.records.find(tenantId, { subject_id: subjectId }, MAX_RECORDS_PER_SUBJECT)).map(
        (r) => r.value
      )
      const decided = yield* store.listDecisions.find(tenantId, { subject_id: subjectId, state: "approved" }, 10_000)
      const grade = Option.getOrUndefined(yield* store.evaluations.get(tenantId, subjectId))?.value.grade
      const entries = [
        ...CreditList.entriesByRule(settings.listRules, subjectId, records, day),
        ...decided
          .map((d) => d.value)
          .filter((d) => ListDecision.inForce(d, day))
          .map(ListDecision.toEntry)
      ].filter((e) => CreditList.inForce(e, day))
      const found = new Set<string>()
      for (const purpose of purposes)
        for (const a of Measure.applicable(
          settings.measures,
          settings.measureRules,
          { entries, grade, records },
          purpose,
          day
        ))
          found.add(`${a.measure.code}|${purpose}`)
      return found
    })

  /** Whether records may be repaired today with this evidence and commitment (per record, with reasons). */
  const repairEligibility = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.query({
      name: "repairEligibility",
      title: "信用修复条件核查",
      input: EligibilityInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.repairApply, { tenantId: input.tenantId })
          const day = yield* today
          const records = yield* loadRecords(input.tenantId, input.recordIds)
          return records.map((r) => ({ recordId: r.value.id, ...Repair.eligibility(r.value, day, input, rules) }))
        })
    })

  const applyForRepair = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "applyForRepair",
      title: "申请信用修复",
      input: ApplyInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.zipRight(
          ctx.authorize(Permission.repairApply, { tenantId: input.tenantId }),
          Effect.all({ id: Uuid.make, day: today })
        ),
      body: (input, ctx, { id, day }) =>
        Effect.gen(function* () {
          const records = (yield* loadRecords(input.tenantId, input.recordIds)).map((r) => r.value)
          if (records.some((r) => r.subjectId !== input.subjectId))
            return yield* Effect.fail(ctx.invalid("所列信用记录须属于申请主体", "recordIds"))
          const units = new Set(records.map((r) => r.provenance.sourceUnitId))
          if (units.size > 1)
            return yield* Effect.fail(ctx.invalid("一份申请只能包含同一认定单位的记录（谁认定、谁修复）", "recordIds"))
          const ruleIds = yield* requireEligible(records, day, input)
          for (const decisionId of input.listDecisionIds) {
            const decision = yield* load("ListEntry", decisionId, store.listDecisions.get(input.tenantId, decisionId))
            if (decision.value.subjectId !== input.subjectId || decision.value.state !== "approved")
              return yield* Effect.fail(ctx.invalid(`名单认定「${decisionId}」不是该主体在列的名单`, "listDecisionIds"))
          }
          const application = new Repair.RepairApplication({
            id: `RA-${id}`,
            tenantId: input.tenantId,
            subjectId: input.subjectId,
            sourceUnitId: records[0]?.provenance.sourceUnitId ?? "",
            recordIds: input.recordIds,
            listDecisionIds: input.listDecisionIds,
            evidence: input.evidence,
            commitmentText: input.commitmentText,
            rules: ruleIds,
            state: "applied",
            applied: { by: Actor.id(actor), at: ctx.now }
          })
          yield* store.repairs.insert(input.tenantId, application)
          yield* ctx.audit({
            tenantId: input.tenantId,
            action: "repair.apply",
            targetType: "RepairApplication",
            targetId: application.id,
            details: { subjectId: input.subjectId, recordIds: input.recordIds }
          })
          return application
        })
    })

  /**
   * The finding unit decides. Granted, in this one transaction: the records become `repaired`, the
   * dependent list entries are removed, the subject is re-graded, and `RepairGranted` (with the lifted
   * measures) is appended with the other events.
   */
  const decideRepair = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "decideRepair",
      title: "信用修复决定",
      input: DecideInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.zipRight(ctx.authorize(Permission.repairDecide, { tenantId: input.tenantId }), today),
      body: (input, ctx, day) =>
        Effect.gen(function* () {
          const stored = yield* load(
            "RepairApplication",
            input.applicationId,
            store.repairs.get(input.tenantId, input.applicationId)
          )
          const application = stored.value
          yield* requireUnitAccount(deps, actor, application.sourceUnitId, "决定信用修复")
          const by = Actor.id(actor)
          const decision = { by, at: ctx.now, on: day, unit: application.sourceUnitId, reasons: input.reasons }
          if (input.decision === "refuse") {
            const refused = yield* Repair.deny(application, decision)
            yield* store.repairs.update(input.tenantId, refused, stored.version)
            yield* emit(deps, input.tenantId, [
              {
                _tag: "RepairRefused",
                applicationId: application.id,
                subjectId: application.subjectId,
                recordIds: application.recordIds,
                reasons: input.reasons
              }
            ])
            yield* ctx.audit({
              tenantId: input.tenantId,
              action: "repair.refuse",
              targetType: "RepairApplication",
              targetId: application.id,
              details: { subjectId: application.subjectId }
            })
            return refused
          }
          const granted = yield* Repair.grant(application, decision)
          const records = yield* loadRecords(input.tenantId, application.recordIds)
          yield* requireEligible(
            records.map((r) => r.value),
            day,
            application
          )
          const before = yield* measuresOf(input.tenantId, application.subjectId, day)
          for (const { value, version } of records)
            yield* store.records.update(input.tenantId, new CreditRecord({ ...value, state: "repaired" }), version)
          const events: Array<CreditEvents.CreditEvent> = []
          const removed: Array<string> = []
          for (const decisionId of application.listDecisionIds) {
            const entry = yield* load("ListEntry", decisionId, store.listDecisions.get(input.tenantId, decisionId))
            const next = ListDecision.remove(entry.value, by, ctx.now, day, `信用修复（${application.id}）`)
            if (Either.isLeft(next)) continue
            yield* store.listDecisions.update(input.tenantId, next.right, entry.version)
            removed.push(decisionId)
            events.push({
              _tag: "SubjectLeftList",
              subjectId: application.subjectId,
              basis: "decision",
              decisionId,
              list: next.right.list,
              reason: "removed",
              on: day
            })
          }
          events.push(...(yield* reevaluate(deps, input.tenantId, application.subjectId, day)))
          const after = yield* measuresOf(input.tenantId, application.subjectId, day)
          const lifted = [...before]
            .filter((m) => !after.has(m))
            .map((m) => {
              const [measure = "", purpose = ""] = m.split("|")
              return { measure, purpose }
            })
          yield* store.repairs.update(input.tenantId, granted, stored.version)
          yield* emit(deps, input.tenantId, [
            {
              _tag: "RepairGranted",
              applicationId: application.id,
              subjectId: application.subjectId,
              recordIds: application.recordIds,
              sourceUnitId: application.sourceUnitId,
              on: day,
              removedDecisionIds: removed,
              liftedMeasures: lifted
            },
            ...events
          ])
          yield* ctx.audit({
            tenantId: input.tenantId,
            action: "repair.grant",
            targetType: "RepairApplication",
            targetId: application.id,
            details: { subjectId: application.subjectId, recordIds: application.recordIds, removed, lifted }
          })
          return granted
        })
    })

  const listRepairs = bySubject(deps, {
    name: "listRepairs",
    title: "查询信用修复申请",
    what: "repairs",
    repository: store.repairs
  })

  /** The shortest maximum display period of any displayed tier (bounds the records the job reads). */
  const shortestMaximum = Math.min(
    ...settings.ruleSets.flatMap((r) =>
      Object.values(r.tiers)
        .filter((t) => t.display !== "never")
        .map((t) => t.maximumMonths)
    ),
    36
  )

  /**
   * The job: records in use whose maximum display period has passed (`displayEnds <= today`) become
   * `expired`, page by page (one transaction per page), their subjects re-graded; idempotent.
   */
  const endDisplayAtMaximum = (actor: Actor.Actor, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* deps.runner.decode("endDisplayAtMaximum", JobInput)(raw)
      yield* deps.authorization.authorize(actor, Permission.evaluate, { tenantId: input.tenantId })
      const day = yield* today
      // a record whose display ends by today was found at least `shortestMaximum` months ago (a few days' slack
      // for the clamping of month ends)
      const before = addDays(CreditRules.addMonths(day, -shortestMaximum), 4)
      let cursor: string | undefined
      let expired = 0
      do {
        const page = yield* store.records.page(input.tenantId, {
          where: { state: { in: ["active", "corrected"] }, finding_date: { lt: before } },
          limit: input.pageSize ?? 500,
          cursor
        })
        const ended = (r: CreditRecord) =>
          (r.state === "active" || r.state === "corrected") &&
          r.displayed &&
          r.displayEnds !== undefined &&
          r.displayEnds <= day
        const due = page.items.filter(({ value }) => ended(value))
        let done = 0
        if (due.length > 0)
          yield* transact(
            deps,
            "endDisplayAtMaximum",
            actor
          )(
            Effect.gen(function* () {
              const perSubject = new Map<string, Array<string>>()
              // read again inside the transaction: an objection or a repair may have come in between
              for (const { value: read } of due) {
                const fresh = yield* store.records.get(input.tenantId, read.id)
                if (Option.isNone(fresh) || !ended(fresh.value.value)) continue
                const { value, version } = fresh.value
                yield* store.records.update(input.tenantId, new CreditRecord({ ...value, state: "expired" }), version)
                perSubject.set(value.subjectId, [...(perSubject.get(value.subjectId) ?? []), value.id])
              }
              done = [...perSubject.values()].reduce((n, ids) => n + ids.length, 0)
              if (done === 0) return
              const graded = yield* reevaluateMany(deps, input.tenantId, [...perSubject.keys()], day)
              yield* emit(deps, input.tenantId, [
                ...[...perSubject].map(
                  ([subjectId, recordIds]): CreditEvents.CreditEvent => ({
                    _tag: "RecordDisplayEnded",
                    subjectId,
                    recordIds,
                    on: day
                  })
                ),
                ...graded
              ])
              yield* audit(deps, actor, input.tenantId, "record.displayEnded", "CreditRecord", "*", {
                recordIds: [...perSubject.values()].flat()
              })
            })
          )
        expired += done
        cursor = page.nextCursor
      } while (cursor !== undefined)
      return { expired }
    })

  return { repairEligibility, applyForRepair, decideRepair, listRepairs, endDisplayAtMaximum }
}
