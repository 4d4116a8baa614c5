import { assert, describe, it } from "@effect/vitest"
import * as Calendar from "@gongzhi/core/Calendar"
import type * as LocalDate from "@gongzhi/core/LocalDate"
import { Effect, FastCheck as fc, Schema } from "effect"
import * as Deadline from "../src/Deadline.js"

const P = Deadline.defaultPolicy
/** An instant given as Shenzhen local time. */
const shenzhen = (iso: string) => new Date(`${iso}+08:00`)

const due = (
  kind: string,
  receivedAt: Date,
  urgency: "normal" | "urgent" | "emergency" = "normal",
  category = "GF02"
) =>
  Effect.flatMap(Calendar.WorkingCalendar, (calendar) =>
    Deadline.handlingDeadline(P, calendar, { kind, urgency, category, receivedAt })
  )

describe("Deadline", () => {
  it.effect("default limits: same day, 3 working days, 13 working days from the day after receipt", () =>
    Effect.gen(function* () {
      // an emergency on a Sunday is due that Sunday, with no reminder
      const emergency = yield* due("complaint", shenzhen("2026-03-01T10:00:00"), "emergency")
      assert.strictEqual(emergency.dueDate, "2026-03-01")
      assert.isUndefined(emergency.remindOn)
      assert.strictEqual(emergency.rule, "紧急诉求当日办结")
      const enquiry = yield* due("enquiry", shenzhen("2026-03-02T09:00:00"))
      assert.strictEqual(enquiry.dueDate, "2026-03-05")
      assert.strictEqual(enquiry.remindOn, "2026-03-04")
      // a help request before the Mid-Autumn days off (09-25..27)
      assert.strictEqual((yield* due("help", shenzhen("2026-09-24T15:00:00"))).dueDate, "2026-09-30")
      // a complaint across the National Day holiday, with the make-up working day 10-10
      const complaint = yield* due("complaint", shenzhen("2026-09-30T11:00:00"))
      assert.strictEqual(complaint.dueDate, "2026-10-23")
      assert.strictEqual(complaint.remindOn, "2026-10-22")
      assert.isTrue(complaint.certain)
      assert.strictEqual((yield* due("suggestion", shenzhen("2026-03-02T09:00:00"))).dueDate, "2026-03-19")
      // a kind no rule names falls back to 13 working days
      const other = yield* due("praise", shenzhen("2026-03-02T09:00:00"))
      assert.strictEqual(other.dueDate, "2026-03-19")
      assert.strictEqual(other.rule, "默认时限")
    }).pipe(Effect.provide(Calendar.layerChina))
  )

  it.effect("the day of receipt is the local day in Shenzhen", () =>
    Effect.gen(function* () {
      assert.strictEqual(Deadline.localDateOf(new Date(Date.UTC(2026, 2, 2, 15, 59))), "2026-03-02")
      assert.strictEqual(Deadline.localDateOf(new Date(Date.UTC(2026, 2, 2, 16, 0))), "2026-03-03")
      assert.deepStrictEqual(
        Deadline.endOfDay("2026-03-05" as LocalDate.LocalDate),
        new Date(Date.UTC(2026, 2, 5, 16, 0))
      )
      assert.deepStrictEqual(
        Deadline.startOfDay("2026-03-05" as LocalDate.LocalDate),
        new Date(Date.UTC(2026, 2, 4, 16, 0))
      )
      // received at 00:30 on Tuesday local time: counted from Tuesday
      assert.strictEqual((yield* due("enquiry", new Date(Date.UTC(2026, 2, 2, 16, 30)))).dueDate, "2026-03-06")
      assert.isFalse(
        Deadline.isOverdue(new Date(Date.UTC(2026, 2, 5, 16, 0)), new Date(Date.UTC(2026, 2, 5, 15, 59, 59)))
      )
      assert.isTrue(Deadline.isOverdue(new Date(Date.UTC(2026, 2, 5, 16, 0)), new Date(Date.UTC(2026, 2, 5, 16, 0))))
      assert.isFalse(Deadline.isOverdue(undefined, new Date()))
    }).pipe(Effect.provide(Calendar.layerChina))
  )

  it.effect("a year the calendar does not cover gives an estimate marked uncertain instead of stopping intake", () =>
    Effect.gen(function* () {
      const lateDecember = yield* due("complaint", shenzhen("2026-12-28T10:00:00"))
      assert.isFalse(lateDecember.certain)
      // 2027-01-01 is a fixed statutory holiday even without the 2027 notice
      assert.strictEqual(lateDecember.dueDate, "2027-01-15")
    }).pipe(Effect.provide(Calendar.layerChina))
  )

  it.effect("an extension adds working days to the due date; the follow-up is due the next day", () =>
    Effect.gen(function* () {
      const calendar = yield* Calendar.WorkingCalendar
      const base = yield* due("complaint", shenzhen("2026-03-02T09:00:00"))
      const extended = yield* Deadline.extend(P, calendar, base, 5, shenzhen("2026-03-18T10:00:00"))
      assert.strictEqual(extended.dueDate, "2026-03-26")
      assert.strictEqual(extended.remindOn, "2026-03-25")
      assert.include(extended.rule, "延期 5 个工作日")
      assert.strictEqual(yield* Deadline.followUpDue(P, calendar, shenzhen("2026-03-06T17:00:00")), "2026-03-07")
    }).pipe(Effect.provide(Calendar.layerChina))
  )

  it.effect("the policy is data: rules in order, category prefixes, counting the start day, no reminders", () =>
    Effect.gen(function* () {
      const calendar = yield* Calendar.WorkingCalendar
      const policy = yield* Deadline.decodePolicy({
        source: "某区诉求办理时限（2026 年版）",
        effectiveFrom: "2026-01-01",
        rules: [
          {
            name: "安全生产 1 个工作日",
            categories: ["GL04"],
            limit: { _tag: "WorkingDays", days: 1, countStartDay: true }
          },
          { name: "投诉 10 个自然日", kinds: ["complaint"], limit: { _tag: "CalendarDays", days: 10 } }
        ],
        fallback: { _tag: "WorkingDays", days: 5 },
        followUp: { _tag: "WorkingDays", days: 1 },
        reminderWorkingDays: 0,
        utcOffsetMinutes: 480
      })
      const at = shenzhen("2026-03-02T09:00:00")
      const safety = yield* Deadline.handlingDeadline(policy, calendar, {
        kind: "complaint",
        urgency: "normal",
        category: "GL04",
        receivedAt: at
      })
      assert.strictEqual(safety.dueDate, "2026-03-02")
      assert.isUndefined(safety.remindOn)
      const complaint = yield* Deadline.handlingDeadline(policy, calendar, {
        kind: "complaint",
        urgency: "emergency",
        category: "GL02",
        receivedAt: at
      })
      assert.strictEqual(complaint.dueDate, "2026-03-12")
      assert.strictEqual(yield* Deadline.followUpDue(policy, calendar, shenzhen("2026-03-06T17:00:00")), "2026-03-09")
      const invalid = yield* Effect.flip(
        Deadline.decodePolicy({ ...Schema.encodeSync(Deadline.Policy)(P), source: "", effectiveFrom: "2026-02-30" })
      )
      assert.strictEqual(invalid._tag, "InvalidDeadlinePolicy")
      assert.include(invalid.message, "2026-02-30")
    }).pipe(Effect.provide(Calendar.layerChina))
  )

  it.effect.prop(
    "a working-day limit ends exactly that many working days after the day of receipt; the reminder comes before",
    [
      fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 10, 30) }),
      fc.constantFrom("enquiry", "help", "complaint", "suggestion")
    ],
    ([ms, kind]) =>
      Effect.gen(function* () {
        const calendar = yield* Calendar.WorkingCalendar
        const receivedAt = new Date(ms)
        const deadline = yield* due(kind, receivedAt)
        const start = Deadline.localDateOf(receivedAt)
        const days = kind === "enquiry" || kind === "help" ? 3 : 13
        assert.strictEqual(yield* calendar.workingDaysBetween(start, deadline.dueDate), days)
        assert.isTrue(yield* calendar.isWorkingDay(deadline.dueDate))
        assert.isTrue(deadline.certain)
        if (deadline.remindOn !== undefined) {
          assert.isTrue(deadline.remindOn < deadline.dueDate && deadline.remindOn > start)
          assert.strictEqual(yield* calendar.workingDaysBetween(deadline.remindOn, deadline.dueDate), 1)
        }
      }).pipe(Effect.provide(Calendar.layerChina)),
    { fastCheck: { numRuns: 60 } }
  )
  it.effect("an invalid policy lists every problem, numbered, with the path of each and the bound in Chinese", () =>
    Effect.gen(function* () {
      const invalid = yield* Effect.flip(
        Deadline.decodePolicy({
          ...Schema.encodeSync(Deadline.Policy)(P),
          fallback: { _tag: "WorkingDays", days: 0 },
          followUp: { _tag: "CalendarDays", days: 101 }
        })
      )
      assert.deepStrictEqual(invalid.problems, [
        "fallback.days：工作日数应在 1 到 100 之间",
        "followUp.days：自然日数应在 1 到 100 之间"
      ])
      assert.include(invalid.message, "办理时限规则有 2 处问题")
      assert.include(invalid.message, "\n1. fallback.days：")
      assert.include(invalid.message, "\n2. followUp.days：")
      // a problem with the whole input has no path in front of it
      const notAnObject = yield* Effect.flip(Deadline.decodePolicy("13 个工作日"))
      assert.strictEqual(notAnObject.problems.length, 1)
      assert.match(notAnObject.problems[0]!, /^Expected /)
    })
  )

  it.effect("a due date beyond the calendar's years fails with the calendar's reason instead of a defect", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(due("complaint", new Date(Date.UTC(9999, 11, 30, 2))))
      assert.strictEqual(error._tag, "DeadlineUnavailable")
      assert.include(error.reason, "9999")
      assert.include(error.message, "无法计算办理时限")
      assert.include(error.message, error.reason)
    }).pipe(Effect.provide(Calendar.layerChina))
  )

  it.effect("same-day and calendar-day limits are certain even in a year the calendar does not cover", () =>
    Effect.gen(function* () {
      const calendar = yield* Calendar.WorkingCalendar
      const emergency = yield* due("complaint", shenzhen("2027-03-01T10:00:00"), "emergency")
      assert.strictEqual(emergency.dueDate, "2027-03-01")
      assert.isTrue(emergency.certain)
      const policy = new Deadline.Policy({
        ...P,
        rules: [new Deadline.Rule({ name: "10 个自然日", limit: { _tag: "CalendarDays", days: 10 } })]
      })
      const calendarDays = yield* Deadline.handlingDeadline(policy, calendar, {
        kind: "complaint",
        urgency: "normal",
        category: "GL02",
        receivedAt: shenzhen("2027-03-01T10:00:00")
      })
      assert.strictEqual(calendarDays.dueDate, "2027-03-11")
      assert.isTrue(calendarDays.certain)
    }).pipe(Effect.provide(Calendar.layerChina))
  )

  it.effect("a category rule matches any of its prefixes, and the subcategories under them", () =>
    Effect.gen(function* () {
      const calendar = yield* Calendar.WorkingCalendar
      const policy = new Deadline.Policy({
        ...P,
        rules: [
          new Deadline.Rule({
            name: "安全类 1 个工作日",
            categories: ["GL04", "CS01"],
            limit: { _tag: "WorkingDays", days: 1, countStartDay: false }
          })
        ]
      })
      const ruleOf = (category: string) => Deadline.ruleFor(policy, { kind: "complaint", urgency: "normal", category })
      assert.strictEqual(ruleOf("GL04").name, "安全类 1 个工作日")
      assert.strictEqual(ruleOf("CS01").name, "安全类 1 个工作日")
      assert.strictEqual(ruleOf("GL0402").name, "安全类 1 个工作日")
      assert.strictEqual(ruleOf("GL02").name, "默认时限")
      assert.strictEqual(ruleOf("CS0204").name, "默认时限")
      const deadline = yield* Deadline.handlingDeadline(policy, calendar, {
        kind: "complaint",
        urgency: "normal",
        category: "GL0402",
        receivedAt: shenzhen("2026-03-02T09:00:00")
      })
      assert.strictEqual(deadline.dueDate, "2026-03-03")
      // the reminder would fall on the day of receipt itself: nothing to warn about
      assert.isUndefined(deadline.remindOn)
    }).pipe(Effect.provide(Calendar.layerChina))
  )

  it.effect("a policy without reminders sends none, however long the limit", () =>
    Effect.gen(function* () {
      const calendar = yield* Calendar.WorkingCalendar
      const policy = new Deadline.Policy({ ...P, reminderWorkingDays: 0 })
      const complaint = yield* Deadline.handlingDeadline(policy, calendar, {
        kind: "complaint",
        urgency: "normal",
        category: "GL02",
        receivedAt: shenzhen("2026-03-02T09:00:00")
      })
      assert.strictEqual(complaint.dueDate, "2026-03-19")
      assert.isUndefined(complaint.remindOn)
      const extended = yield* Deadline.extend(policy, calendar, complaint, 5, shenzhen("2026-03-10T10:00:00"))
      assert.isUndefined(extended.remindOn)
    }).pipe(Effect.provide(Calendar.layerChina))
  )

  it.effect("an extension is certain only when the deadline and the added days both are; no reminder once past", () =>
    Effect.gen(function* () {
      const calendar = yield* Calendar.WorkingCalendar
      const base = yield* due("complaint", shenzhen("2026-03-02T09:00:00"))
      const extended = yield* Deadline.extend(P, calendar, base, 5, shenzhen("2026-03-18T10:00:00"))
      assert.isTrue(extended.certain)
      // an estimated deadline stays an estimate, even when the added days are in a covered year
      const estimated = new Deadline.Deadline({ dueDate: base.dueDate, certain: false, rule: base.rule })
      const stillEstimated = yield* Deadline.extend(P, calendar, estimated, 5, shenzhen("2026-03-18T10:00:00"))
      assert.strictEqual(stillEstimated.dueDate, "2026-03-26")
      assert.isFalse(stillEstimated.certain)
      // added days running into an uncovered year make a certain deadline an estimate
      const december = yield* due("enquiry", shenzhen("2026-12-21T10:00:00"))
      assert.isTrue(december.certain)
      const intoNextYear = yield* Deadline.extend(P, calendar, december, 10, shenzhen("2026-12-23T10:00:00"))
      assert.isFalse(intoNextYear.certain)
      // decided on the last day: the reminder day (the day of the decision) is not after it, so there is none
      const lastMinute = yield* Deadline.extend(P, calendar, base, 1, shenzhen("2026-03-19T16:00:00"))
      assert.strictEqual(lastMinute.dueDate, "2026-03-20")
      assert.isUndefined(lastMinute.remindOn)
      assert.isFalse("remindOn" in lastMinute)
    }).pipe(Effect.provide(Calendar.layerChina))
  )
})
