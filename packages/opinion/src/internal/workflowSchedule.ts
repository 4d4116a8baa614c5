import type * as Actor from "@gongzhi/core/Actor"
import type * as LocalDate from "@gongzhi/core/LocalDate"
import { Effect, Random } from "effect"
import * as Deadline from "../Deadline.js"
import { actorRef, Report, type ReportId } from "../Report.js"
import type { ReportFilter } from "../ReportRepo.js"
import * as Workflow from "../Workflow.js"

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

/** The fields of a report as a plain object, to build the next version from. */
export type ReportFields = Mutable<ConstructorParameters<typeof Report>[0]>

/** A report's fields, without the given optional keys. */
export const fieldsOf = (report: Report, ...omit: ReadonlyArray<keyof ReportFields>): ReportFields => {
  const fields = { ...report } as ReportFields
  for (const key of omit) delete fields[key]
  return fields
}

/**
 * Recomputes the derived deadline fields of a report from its state's clock: `dueAt` (end of the running due
 * date), `nextReminderAt` (start of the reminder day, unless reminded for this due date) and `nextEscalationAt`
 * (the due instant, unless escalated for this due date).
 */
export const schedule = (workflow: Workflow.Workflow, policy: Deadline.Policy, fields: ReportFields): Report => {
  delete fields.dueAt
  delete fields.nextReminderAt
  delete fields.nextEscalationAt
  const clock = Workflow.clockOf(workflow, fields.status)
  let due: LocalDate.LocalDate | undefined
  let remindOn: LocalDate.LocalDate | undefined
  if (clock === "handling") {
    due = fields.deadline.dueDate
    remindOn = fields.deadline.remindOn
  } else if (clock === "follow-up") {
    due = fields.followUpDue
  }
  if (due !== undefined) {
    const dueDate = due
    const dueAt = Deadline.endOfDay(dueDate, policy.utcOffsetMinutes)
    fields.dueAt = dueAt
    const same = (notice: { readonly clock: string; readonly dueDate: string }) =>
      notice.clock === clock && notice.dueDate === dueDate
    if (!fields.escalations.some(same)) fields.nextEscalationAt = dueAt
    if (remindOn !== undefined && !fields.reminders.some(same)) {
      fields.nextReminderAt = Deadline.startOfDay(remindOn, policy.utcOffsetMinutes)
    }
  }
  return new Report(fields)
}

/** Moves the fields to `to`, with the bucket of that state and a history entry. */
export const moveTo = (
  workflow: Workflow.Workflow,
  fields: ReportFields,
  actor: Actor.Actor,
  at: Date,
  command: string,
  to: Workflow.StateCode,
  note: string | undefined
): ReportFields => {
  const from = fields.status
  fields.status = to
  fields.bucket = Workflow.bucketOf(workflow, to)
  fields.updatedAt = at
  fields.history = [
    ...fields.history,
    { at, by: actorRef(actor), command, from, to, ...(note === undefined ? {} : { note }) }
  ]
  return fields
}

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** A new report id: `R`, the local date of receipt (YYYYMMDD) and 8 random Crockford base-32 characters. */
export const newReportId = (receivedAt: Date, utcOffsetMinutes: number): Effect.Effect<ReportId> =>
  Effect.gen(function* () {
    let suffix = ""
    for (let i = 0; i < 8; i++) suffix += ALPHABET[(yield* Random.nextIntBetween(0, 32)) % 32]
    return `R${Deadline.localDateOf(receivedAt, utcOffsetMinutes).replaceAll("-", "")}${suffix}` as ReportId
  })

/** The filter restricting reports to an actor's region scope. */
export const scopeFilter = (regionCode: string): ReportFilter =>
  regionCode.length <= 6
    ? {}
    : regionCode.length === 9
      ? { streetCode: regionCode }
      : regionCode.length === 12
        ? { communityCode: regionCode }
        : { gridCode: regionCode }

/** The reporter key of an actor submitting for themselves (residents and volunteers). */
export const ownKey = (actor: Actor.Actor): string | undefined =>
  actor._tag === "Resident"
    ? `resident:${actor.userId}`
    : actor._tag === "Volunteer"
      ? `volunteer:${actor.volunteerId}`
      : undefined
