/**
 * Time limits of residents' concerns (办理时限), computed on the working-day calendar (工作日历) of
 * `@gongzhi/core`.
 *
 * The policy is data with the source's municipal example as default: emergencies the same day; enquiries and
 * help requests within 3 working days; complaints and suggestions within 13 working days counted from the day
 * after receipt; the follow-up the day after the reply. Rules are tried in order, the first that matches the
 * report's kind, urgency and category applies. An approved extension moves the due date by working days.
 *
 * A due date is a local date; the report is overdue once that day has ended in the district's time zone
 * (UTC+8 by default: China has no daylight saving time). Years the calendar does not cover yet are computed with
 * the calendar's `"uncertain"` policy (weekends and fixed statutory holidays off) and marked uncertain, so intake
 * never stops at the end of December; the clerk sees that the date is an estimate.
 *
 * @since 0.1.0
 */
import type * as Calendar from "@gongzhi/core/Calendar"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Effect, ParseResult, Schema } from "effect"
import { KindCode, Urgency } from "./Taxonomy.js"

// ---------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------

/**
 * A time limit: the same day (`SameDay`), N working days (`WorkingDays`; the start day excluded unless
 * `countStartDay`), or N calendar days (`CalendarDays`).
 *
 * @since 0.1.0
 * @category models
 */
export const Limit = Schema.Union(
  Schema.TaggedStruct("SameDay", {}),
  Schema.TaggedStruct("WorkingDays", {
    days: Schema.Int.pipe(Schema.between(1, 100, { message: () => "工作日数应在 1 到 100 之间" })),
    countStartDay: Schema.optionalWith(Schema.Boolean, { default: () => false })
  }),
  Schema.TaggedStruct("CalendarDays", {
    days: Schema.Int.pipe(Schema.between(1, 100, { message: () => "自然日数应在 1 到 100 之间" }))
  })
).annotations({ identifier: "DeadlineLimit", title: "时限" })

/**
 * @since 0.1.0
 * @category models
 */
export type Limit = typeof Limit.Type

/**
 * A rule of the policy: which reports it applies to (every listed condition must hold; an absent condition
 * matches everything; `categories` are code prefixes) and their time limit.
 *
 * @since 0.1.0
 * @category models
 */
export class Rule extends Schema.Class<Rule>("@gongzhi/opinion/DeadlineRule")({
  name: Schema.String.pipe(Schema.minLength(1)),
  kinds: Schema.optionalWith(Schema.Array(KindCode), { exact: true }),
  urgencies: Schema.optionalWith(Schema.Array(Urgency), { exact: true }),
  categories: Schema.optionalWith(Schema.Array(Schema.String.pipe(Schema.pattern(/^[A-Z]{2}(?:\d{2})*$/))), {
    exact: true
  }),
  limit: Limit
}) {}

/**
 * The deadline policy (办理时限规则): its source and the date from which it applies, the rules in order, the limit
 * when no rule matches, the follow-up limit after the reply, how many working days before a due date the
 * "deadline approaching" notice goes out (0: none), and the district's offset from UTC in minutes.
 *
 * @since 0.1.0
 * @category models
 */
export class Policy extends Schema.Class<Policy>("@gongzhi/opinion/DeadlinePolicy")({
  source: Schema.String.pipe(Schema.minLength(1)),
  effectiveFrom: LocalDate.LocalDate,
  rules: Schema.Array(Rule),
  fallback: Limit,
  followUp: Limit,
  reminderWorkingDays: Schema.Int.pipe(Schema.between(0, 10)),
  utcOffsetMinutes: Schema.Int.pipe(Schema.between(-720, 840))
}) {}

/**
 * The default policy (one municipal 12345 example; policy, not law): emergencies the same day; enquiries and help
 * within 3 working days; complaints and suggestions within 13 working days from the day after receipt; follow-up
 * the day after the reply; reminder 1 working day before the due date; UTC+8.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultPolicy: Policy = new Policy({
  source: "12345 热线诉求办理时限（市级示例，政策可配置）",
  effectiveFrom: "2025-01-01" as LocalDate.LocalDate,
  rules: [
    new Rule({ name: "紧急诉求当日办结", urgencies: ["emergency"], limit: { _tag: "SameDay" } }),
    new Rule({
      name: "咨询、求助 3 个工作日",
      kinds: ["enquiry" as KindCode, "help" as KindCode],
      limit: { _tag: "WorkingDays", days: 3, countStartDay: false }
    }),
    new Rule({
      name: "投诉、建议 13 个工作日（自受理次日起算）",
      kinds: ["complaint" as KindCode, "suggestion" as KindCode],
      limit: { _tag: "WorkingDays", days: 13, countStartDay: false }
    })
  ],
  fallback: { _tag: "WorkingDays", days: 13, countStartDay: false },
  followUp: { _tag: "CalendarDays", days: 1 },
  reminderWorkingDays: 1,
  utcOffsetMinutes: 480
})

/**
 * A computed due date: the date, whether every year it relied on is covered by the calendar, the rule that
 * produced it and the day the "deadline approaching" notice is due (absent when none).
 *
 * @since 0.1.0
 * @category models
 */
export class Deadline extends Schema.Class<Deadline>("@gongzhi/opinion/Deadline")({
  dueDate: LocalDate.LocalDate,
  certain: Schema.Boolean,
  rule: Schema.String,
  remindOn: Schema.optionalWith(LocalDate.LocalDate, { exact: true })
}) {}

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * A deadline policy that cannot be used; lists every problem.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidDeadlinePolicy extends Schema.TaggedError<InvalidDeadlinePolicy>(
  "@gongzhi/opinion/InvalidDeadlinePolicy"
)("InvalidDeadlinePolicy", { problems: Schema.Array(Schema.String) }) {
  override get message(): string {
    return `办理时限规则有 ${this.problems.length} 处问题：\n${this.problems.map((p, i) => `${i + 1}. ${p}`).join("\n")}\n / invalid deadline policy`
  }
}

/**
 * A due date could not be computed (the calendar refused the input, e.g. a date beyond year 9999).
 *
 * @since 0.1.0
 * @category errors
 */
export class DeadlineUnavailable extends Schema.TaggedError<DeadlineUnavailable>(
  "@gongzhi/opinion/DeadlineUnavailable"
)("DeadlineUnavailable", { reason: Schema.String }) {
  override get message(): string {
    return `无法计算办理时限：${this.reason} / cannot compute the deadline`
  }
}

/**
 * Decodes a deadline policy from configuration (JSON).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodePolicy = (input: unknown): Effect.Effect<Policy, InvalidDeadlinePolicy> =>
  Schema.decodeUnknown(Policy, { errors: "all" })(input).pipe(
    Effect.mapError(
      (error) =>
        new InvalidDeadlinePolicy({
          problems: ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
            issue.path.length === 0 ? issue.message : `${issue.path.join(".")}：${issue.message}`
          )
        })
    )
  )

// ---------------------------------------------------------------------------------------------
// local time
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000

/**
 * The local date of an instant at a UTC offset in minutes (default +480, China Standard Time).
 *
 * @since 0.1.0
 * @category accessors
 */
export const localDateOf = (instant: Date, utcOffsetMinutes = 480): LocalDate.LocalDate =>
  LocalDate.unsafeFromEpochDay(Math.floor((instant.getTime() + utcOffsetMinutes * 60_000) / DAY))

/**
 * The instant a local day begins (00:00 at the offset).
 *
 * @since 0.1.0
 * @category accessors
 */
export const startOfDay = (date: LocalDate.LocalDate, utcOffsetMinutes = 480): Date =>
  new Date(LocalDate.toEpochDay(date) * DAY - utcOffsetMinutes * 60_000)

/**
 * The instant a local day ends (exclusive: 00:00 of the next day at the offset). A report due on a date is
 * overdue from this instant on.
 *
 * @since 0.1.0
 * @category accessors
 */
export const endOfDay = (date: LocalDate.LocalDate, utcOffsetMinutes = 480): Date =>
  new Date((LocalDate.toEpochDay(date) + 1) * DAY - utcOffsetMinutes * 60_000)

// ---------------------------------------------------------------------------------------------
// computing
// ---------------------------------------------------------------------------------------------

/**
 * What a rule looks at.
 *
 * @since 0.1.0
 * @category models
 */
export interface Subject {
  readonly kind: string
  readonly urgency: Urgency
  readonly category: string
}

/**
 * The first rule of the policy matching the subject, or a rule named after the fallback.
 *
 * @since 0.1.0
 * @category accessors
 */
export const ruleFor = (policy: Policy, subject: Subject): { readonly name: string; readonly limit: Limit } =>
  policy.rules.find(
    (rule) =>
      (rule.kinds === undefined || rule.kinds.includes(subject.kind as KindCode)) &&
      (rule.urgencies === undefined || rule.urgencies.includes(subject.urgency)) &&
      (rule.categories === undefined || rule.categories.some((prefix) => subject.category.startsWith(prefix)))
  ) ?? { name: "默认时限", limit: policy.fallback }

const unavailable = (error: { readonly message: string }) => new DeadlineUnavailable({ reason: error.message })

/**
 * The date a limit ends when it starts on `start` (the local date of receipt, or of the reply for the follow-up),
 * with whether the calendar covered every year needed.
 *
 * @since 0.1.0
 * @category accessors
 */
export const applyLimit = (
  calendar: Calendar.Calendar,
  start: LocalDate.LocalDate,
  limit: Limit
): Effect.Effect<{ readonly date: LocalDate.LocalDate; readonly certain: boolean }, DeadlineUnavailable> => {
  switch (limit._tag) {
    case "SameDay":
      return Effect.succeed({ date: start, certain: true })
    case "CalendarDays":
      return Effect.succeed({
        date: LocalDate.unsafeFromEpochDay(LocalDate.toEpochDay(start) + limit.days),
        certain: true
      })
    case "WorkingDays":
      return calendar
        .addWorkingDays(start, limit.days, { policy: "uncertain", countStartDay: limit.countStartDay })
        .pipe(
          Effect.map((estimate) => ({ date: estimate.value, certain: estimate._tag === "Certain" })),
          Effect.mapError(unavailable)
        )
  }
}

/**
 * The day the "deadline approaching" notice is due: `reminderWorkingDays` working days before the due date, or
 * none when that is not after the day of receipt (nothing to warn about) or the policy sends none.
 *
 * @since 0.1.0
 * @category accessors
 */
export const reminderDate = (
  policy: Policy,
  calendar: Calendar.Calendar,
  dueDate: LocalDate.LocalDate,
  startDate: LocalDate.LocalDate
): Effect.Effect<LocalDate.LocalDate | undefined, DeadlineUnavailable> =>
  policy.reminderWorkingDays === 0
    ? Effect.succeed(undefined)
    : calendar.latestStart(dueDate, policy.reminderWorkingDays + 1, { policy: "uncertain" }).pipe(
        Effect.map((estimate) => (estimate.value > startDate ? estimate.value : undefined)),
        Effect.mapError(unavailable)
      )

/**
 * The handling deadline of a report received at `receivedAt` (or reopened then).
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import * as Calendar from "@gongzhi/core/Calendar"
 * import * as Deadline from "@gongzhi/opinion/Deadline"
 *
 * const due = Effect.gen(function* () {
 *   const calendar = yield* Calendar.WorkingCalendar
 *   // a complaint received on Friday 2026-09-25 (a day off of the Mid-Autumn holiday) …
 *   return yield* Deadline.handlingDeadline(Deadline.defaultPolicy, calendar, {
 *     kind: "complaint",
 *     urgency: "normal",
 *     category: "GL02",
 *     receivedAt: new Date("2026-09-25T02:00:00Z")
 *   })
 * }).pipe(Effect.provide(Calendar.layerChina))
 */
export const handlingDeadline = (
  policy: Policy,
  calendar: Calendar.Calendar,
  subject: Subject & { readonly receivedAt: Date }
): Effect.Effect<Deadline, DeadlineUnavailable> =>
  Effect.gen(function* () {
    const rule = ruleFor(policy, subject)
    const start = localDateOf(subject.receivedAt, policy.utcOffsetMinutes)
    const { certain, date } = yield* applyLimit(calendar, start, rule.limit)
    const remindOn = yield* reminderDate(policy, calendar, date, start)
    return new Deadline({
      dueDate: date,
      certain,
      rule: rule.name,
      ...(remindOn === undefined ? {} : { remindOn })
    })
  })

/**
 * A deadline moved by an approved extension of `workingDays` working days (counted after the current due date).
 *
 * @since 0.1.0
 * @category combinators
 */
export const extend = (
  policy: Policy,
  calendar: Calendar.Calendar,
  deadline: Deadline,
  workingDays: number,
  decidedAt: Date
): Effect.Effect<Deadline, DeadlineUnavailable> =>
  Effect.gen(function* () {
    const { certain, date } = yield* applyLimit(calendar, deadline.dueDate, {
      _tag: "WorkingDays",
      days: workingDays,
      countStartDay: false
    })
    const remindOn = yield* reminderDate(policy, calendar, date, localDateOf(decidedAt, policy.utcOffsetMinutes))
    return new Deadline({
      dueDate: date,
      certain: certain && deadline.certain,
      rule: `${deadline.rule}；延期 ${workingDays} 个工作日`,
      ...(remindOn === undefined ? {} : { remindOn })
    })
  })

/**
 * The follow-up due date after a reply at `repliedAt`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const followUpDue = (
  policy: Policy,
  calendar: Calendar.Calendar,
  repliedAt: Date
): Effect.Effect<LocalDate.LocalDate, DeadlineUnavailable> =>
  Effect.map(
    applyLimit(calendar, localDateOf(repliedAt, policy.utcOffsetMinutes), policy.followUp),
    (result) => result.date
  )

/**
 * Whether a deadline ending at `dueAt` has passed at `asOf`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const isOverdue = (dueAt: Date | undefined, asOf: Date): boolean =>
  dueAt !== undefined && asOf.getTime() >= dueAt.getTime()
