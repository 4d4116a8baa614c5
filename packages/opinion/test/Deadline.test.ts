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
})
