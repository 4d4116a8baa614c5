/**
 * Objections (异议): a subject, or an agent it authorised, disputes one of its credit records while
 * the record is valid. The handling runs in steps with time limits (SLAs) in working days, as data:
 * the platform accepts or refuses (`accept`, default 2), the platform checks its own processing and
 * forwards to the data provider (`platformCheck`, default 2), the provider verifies and answers
 * (`provider`, default 10). The answer corrects the record's fields, revokes it, or keeps it. While
 * the objection is open the record is `objectionPending` (异议处理中) wherever it is shown.
 *
 * The lifecycle is a pure state machine: `submitted` 待受理 → `accepted` 平台核查中 → `forwarded`
 * 提供单位核实中 → `closed` 已办结 (with the outcome); a submitted objection may be `refused` 不予受理
 * with the reason. {@link escalate} marks a step past its due date escalated once (idempotent).
 * Every transition returns the objection or a typed {@link InvalidTransition} with a Chinese message.
 *
 * @since 0.2.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Either, Option, Schema } from "effect"
import { InvalidTransition } from "./CreditErrors.js"
import { type RecordState, RecordState as RecordStateSchema } from "./CreditRecord.js"

/**
 * The time limits in working days (default per Guangzhou practice: 2, 2, 10).
 *
 * @since 0.2.0
 * @category models
 */
export const Slas = Schema.Struct({
  accept: Schema.Int.pipe(Schema.between(1, 60)),
  platformCheck: Schema.Int.pipe(Schema.between(1, 60)),
  provider: Schema.Int.pipe(Schema.between(1, 120))
})

/**
 * @since 0.2.0
 * @category models
 */
export type Slas = typeof Slas.Type

/**
 * The default time limits: accept 2, platform check 2, provider 10 working days.
 *
 * @since 0.2.0
 * @category models
 */
export const defaultSlas: Slas = { accept: 2, platformCheck: 2, provider: 10 }

/**
 * The state of an objection.
 *
 * @since 0.2.0
 * @category models
 */
export const ObjectionState = Schema.Literal("submitted", "accepted", "forwarded", "closed", "refused")

/**
 * @since 0.2.0
 * @category models
 */
export type ObjectionState = typeof ObjectionState.Type

const stateLabels: Record<ObjectionState, string> = {
  submitted: "待受理",
  accepted: "平台核查中",
  forwarded: "提供单位核实中",
  closed: "已办结",
  refused: "不予受理"
}

/**
 * The Chinese label of a state.
 *
 * @since 0.2.0
 * @category accessors
 */
export const stateLabel = (state: ObjectionState): string => stateLabels[state]

/**
 * Whether the objection is still being handled (the record shows 异议处理中).
 *
 * @since 0.2.0
 * @category predicates
 */
export const isOpen = (state: ObjectionState): boolean =>
  state === "submitted" || state === "accepted" || state === "forwarded"

/**
 * The step an open objection waits on.
 *
 * @since 0.2.0
 * @category models
 */
export const ObjectionStep = Schema.Literal("accept", "platformCheck", "provider")

/**
 * @since 0.2.0
 * @category models
 */
export type ObjectionStep = typeof ObjectionStep.Type

const stepLabels: Record<ObjectionStep, string> = {
  accept: "受理",
  platformCheck: "平台核查",
  provider: "提供单位核实"
}

/**
 * The Chinese label of a step.
 *
 * @since 0.2.0
 * @category accessors
 */
export const stepLabel = (step: ObjectionStep): string => stepLabels[step]

/**
 * The step an objection in a state waits on (none once closed or refused).
 *
 * @since 0.2.0
 * @category accessors
 */
export const stepOf = (state: ObjectionState): ObjectionStep | undefined =>
  state === "submitted"
    ? "accept"
    : state === "accepted"
      ? "platformCheck"
      : state === "forwarded"
        ? "provider"
        : undefined

/**
 * The outcome: correct some fields of the record (更正), revoke it (撤销), or keep it (维持).
 *
 * @since 0.2.0
 * @category models
 */
export const Outcome = Schema.Union(
  Schema.TaggedStruct("Correct", {
    /** The corrected fields of the record's details (only catalogue fields the record already has). */
    fields: Schema.Record({ key: Schema.String, value: Schema.Unknown })
  }),
  Schema.TaggedStruct("Revoke", {}),
  Schema.TaggedStruct("Keep", {})
)

/**
 * @since 0.2.0
 * @category models
 */
export type Outcome = typeof Outcome.Type

/**
 * Who filed: the subject itself, or an agent with the subject's authorisation (授权委托书).
 *
 * @since 0.2.0
 * @category models
 */
export const Filer = Schema.Union(
  Schema.TaggedStruct("Subject", {}),
  Schema.TaggedStruct("Agent", {
    /** The agent's name (an organisation or a lawyer's office; never an ID number). */
    name: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(100)),
    /** The reference of the authorisation document. */
    authorisation: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(100))
  })
)

/**
 * @since 0.2.0
 * @category models
 */
export type Filer = typeof Filer.Type

/**
 * One handling step: who, when, a note.
 *
 * @since 0.2.0
 * @category models
 */
export const Handling = Schema.Struct({
  by: Schema.String,
  at: Schema.Date,
  note: Schema.optional(Schema.String)
})

/**
 * @since 0.2.0
 * @category models
 */
export type Handling = typeof Handling.Type

/**
 * An objection.
 *
 * @since 0.2.0
 * @category models
 */
export class Objection extends Schema.Class<Objection>("@gongzhi/credit/Objection")({
  id: Schema.String,
  tenantId: TenantId,
  recordId: Schema.String,
  subjectId: Schema.String,
  /** The unit that provided the record (it verifies). */
  sourceUnitId: Schema.String,
  filer: Filer,
  /** What the subject says is wrong. */
  reason: Schema.String,
  state: ObjectionState,
  /** The record's state before the objection (restored when it is refused or the record kept). */
  previousState: RecordStateSchema,
  filed: Handling,
  filedOn: LocalDate.LocalDate,
  /** The due date of the step the objection waits on. */
  due: Schema.optional(LocalDate.LocalDate),
  accepted: Schema.optional(Handling),
  refused: Schema.optional(Handling),
  forwarded: Schema.optional(Handling),
  decided: Schema.optional(Handling),
  outcome: Schema.optional(Outcome),
  /** The steps already escalated for being overdue (each once). */
  escalated: Schema.optionalWith(Schema.Array(ObjectionStep), { default: () => [] })
}) {}

const refuse = (objection: Objection, action: string) =>
  Either.left(
    new InvalidTransition({ entity: "Objection", id: objection.id, state: stateLabel(objection.state), action })
  )

/**
 * Accepts a submitted objection; the platform check is due on `due`.
 *
 * @since 0.2.0
 * @category transitions
 */
export const accept = (
  objection: Objection,
  step: Handling,
  due: LocalDate.LocalDate
): Either.Either<Objection, InvalidTransition> =>
  objection.state !== "submitted"
    ? refuse(objection, "受理")
    : Either.right(new Objection({ ...objection, state: "accepted", accepted: step, due }))

/**
 * Refuses a submitted objection (不予受理), with the reason in `step.note`.
 *
 * @since 0.2.0
 * @category transitions
 */
export const reject = (objection: Objection, step: Handling): Either.Either<Objection, InvalidTransition> =>
  objection.state !== "submitted"
    ? refuse(objection, "不予受理")
    : Either.right(new Objection({ ...objection, state: "refused", refused: step, due: undefined }))

/**
 * The platform has checked its own processing and forwards to the provider, due on `due`.
 *
 * @since 0.2.0
 * @category transitions
 */
export const forward = (
  objection: Objection,
  step: Handling,
  due: LocalDate.LocalDate
): Either.Either<Objection, InvalidTransition> =>
  objection.state !== "accepted"
    ? refuse(objection, "转提供单位核实")
    : Either.right(new Objection({ ...objection, state: "forwarded", forwarded: step, due }))

/**
 * The provider's answer closes the objection with its outcome.
 *
 * @since 0.2.0
 * @category transitions
 */
export const decide = (
  objection: Objection,
  step: Handling,
  outcome: Outcome
): Either.Either<Objection, InvalidTransition> =>
  objection.state !== "forwarded"
    ? refuse(objection, "作出核实结论")
    : Either.right(new Objection({ ...objection, state: "closed", decided: step, outcome, due: undefined }))

/**
 * Marks the current step escalated when it is past due on `today` and not escalated yet; `None`
 * otherwise (closed, refused, on time, or already escalated), so running the job twice changes nothing.
 *
 * @since 0.2.0
 * @category transitions
 */
export const escalate = (objection: Objection, today: LocalDate.LocalDate): Option.Option<Objection> => {
  const step = stepOf(objection.state)
  if (step === undefined || objection.due === undefined || today <= objection.due) return Option.none()
  if (objection.escalated.includes(step)) return Option.none()
  return Option.some(new Objection({ ...objection, escalated: [...objection.escalated, step] }))
}

/**
 * The record's state once the objection is in `objection.state`: `objectionPending` while open, the
 * previous state when refused or kept, `corrected` or `revoked` by the outcome.
 *
 * @since 0.2.0
 * @category rules
 */
export const recordState = (objection: Objection): RecordState => {
  if (isOpen(objection.state)) return "objectionPending"
  const outcome = objection.outcome
  if (objection.state === "refused" || outcome === undefined || outcome._tag === "Keep") return objection.previousState
  return outcome._tag === "Revoke" ? "revoked" : "corrected"
}
