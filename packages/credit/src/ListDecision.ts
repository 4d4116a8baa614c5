/**
 * List entries by decision (认定名单): a subject put on the red list, the serious-dishonesty list or the
 * abnormal list by a recorded decision of a deciding unit, with its legal basis, document number and
 * date, the reasons, the period (from, until) and the exit conditions. The lifecycle is a pure state
 * machine: recorded (`pending` 待审核) → `approved` 已批准 (in force from `from` to the day before
 * `until`) or `rejected` 未批准; an approved entry is `removed` 已移出 early (with a reason: exit
 * conditions met, the decision revoked) or `expired` 期满移出 on its `until` date. The person who
 * approves is never the one who recorded the decision. Every transition returns the entry or a typed
 * {@link InvalidTransition} with a Chinese message.
 *
 * @since 0.1.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Either, Schema } from "effect"
import { InvalidTransition } from "./CreditErrors.js"
import { type ListEntry, ListKind } from "./CreditList.js"

/**
 * The state of a decided entry.
 *
 * @since 0.1.0
 * @category models
 */
export const DecisionState = Schema.Literal("pending", "approved", "rejected", "removed", "expired")

/**
 * @since 0.1.0
 * @category models
 */
export type DecisionState = typeof DecisionState.Type

const stateLabels: Record<DecisionState, string> = {
  pending: "待审核",
  approved: "已批准",
  rejected: "未批准",
  removed: "已移出",
  expired: "期满移出"
}

/**
 * The Chinese label of a state.
 *
 * @since 0.1.0
 * @category accessors
 */
export const stateLabel = (state: DecisionState): string => stateLabels[state]

/**
 * Who did something and when.
 *
 * @since 0.1.0
 * @category models
 */
export const Step = Schema.Struct({
  by: Schema.String,
  at: Schema.Date,
  note: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Step = typeof Step.Type

/**
 * A list entry by decision.
 *
 * @since 0.1.0
 * @category models
 */
export class ListDecision extends Schema.Class<ListDecision>("@gongzhi/credit/ListDecision")({
  id: Schema.String,
  tenantId: TenantId,
  subjectId: Schema.String,
  list: ListKind,
  /** The unit that made the decision (认定单位). */
  decidingUnit: Schema.String,
  /** The decision document (认定文书号) and its date. */
  documentNumber: Schema.String,
  decisionDate: LocalDate.LocalDate,
  /** The legal basis (认定依据), e.g. the article of a law or regulation. */
  legalBasis: Schema.String,
  reasons: Schema.NonEmptyArray(Schema.String),
  from: LocalDate.LocalDate,
  /** The first day the subject is no longer on the list. */
  until: LocalDate.LocalDate,
  /** The exit conditions (移出条件), shown with the entry. */
  exit: Schema.String,
  state: DecisionState,
  recorded: Step,
  approval: Schema.optional(Step),
  rejection: Schema.optional(Step),
  removal: Schema.optional(Step.pipe(Schema.extend(Schema.Struct({ on: LocalDate.LocalDate })))),
  expiredOn: Schema.optional(LocalDate.LocalDate)
}) {}

const refuse = (decision: ListDecision, action: string) =>
  Either.left(
    new InvalidTransition({ entity: "ListEntry", id: decision.id, state: stateLabel(decision.state), action })
  )

/**
 * Approves a pending decision. The approver must not be the clerk who recorded it (四眼原则).
 *
 * @since 0.1.0
 * @category transitions
 */
export const approve = (
  decision: ListDecision,
  by: string,
  at: Date,
  note?: string
): Either.Either<ListDecision, InvalidTransition> => {
  if (decision.state !== "pending") return refuse(decision, "批准")
  if (by === decision.recorded.by) return refuse(decision, "由录入人本人批准（须由他人审核）")
  return Either.right(
    new ListDecision({ ...decision, state: "approved", approval: { by, at, ...(note === undefined ? {} : { note }) } })
  )
}

/**
 * Rejects a pending decision, with the reason.
 *
 * @since 0.1.0
 * @category transitions
 */
export const reject = (
  decision: ListDecision,
  by: string,
  at: Date,
  reason: string
): Either.Either<ListDecision, InvalidTransition> =>
  decision.state !== "pending"
    ? refuse(decision, "退回")
    : Either.right(new ListDecision({ ...decision, state: "rejected", rejection: { by, at, note: reason } }))

/**
 * Removes an approved entry before its end (exit conditions met, decision revoked, repaired), from `on`.
 *
 * @since 0.1.0
 * @category transitions
 */
export const remove = (
  decision: ListDecision,
  by: string,
  at: Date,
  on: LocalDate.LocalDate,
  reason: string
): Either.Either<ListDecision, InvalidTransition> =>
  decision.state !== "approved"
    ? refuse(decision, "移出名单")
    : Either.right(new ListDecision({ ...decision, state: "removed", removal: { by, at, on, note: reason } }))

/**
 * Marks an approved entry expired once its `until` date has come (`today >= until`).
 *
 * @since 0.1.0
 * @category transitions
 */
export const expire = (
  decision: ListDecision,
  today: LocalDate.LocalDate
): Either.Either<ListDecision, InvalidTransition> =>
  decision.state !== "approved" || today < decision.until
    ? refuse(decision, "期满移出")
    : Either.right(new ListDecision({ ...decision, state: "expired", expiredOn: decision.until }))

/**
 * Whether the subject is on the list by this decision on a day: approved, and `from <= day < until`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const inForce = (decision: ListDecision, day: LocalDate.LocalDate): boolean =>
  decision.state === "approved" && decision.from <= day && day < decision.until

/**
 * The decision as a list entry (as `CreditList.entriesByRule` gives entries by rule); a removed entry
 * ends on its removal day.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toEntry = (decision: ListDecision): ListEntry => ({
  list: decision.list,
  subjectId: decision.subjectId,
  basis: "decision",
  reasons: [...decision.reasons, `认定依据：${decision.legalBasis}`, `认定文书：${decision.documentNumber}`],
  recordIds: [],
  decidedBy: decision.decidingUnit,
  from: decision.from,
  until: decision.removal !== undefined && decision.removal.on < decision.until ? decision.removal.on : decision.until,
  exit: decision.exit
})
