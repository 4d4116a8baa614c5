import { assert, describe, it } from "@effect/vitest"
import type { VolunteerId } from "@gongzhi/core/Actor"
import { Effect, Either, FastCheck, Option, TestClock } from "effect"
import * as Activity from "../src/Activity.js"
import { samples } from "../src/testing.js"
import {
  auditEntries,
  COMMUNITY_1,
  enrol,
  events,
  hq,
  layer,
  leader,
  START,
  scheduler,
  setUp,
  TENANT,
  volunteerActor
} from "./fixtures.js"

const v = (i: number) => `440310-V-${String(i).padStart(6, "0")}` as VolunteerId
const before = new Date(START)
const emptyShift = (capacity: number) =>
  samples.shift(TENANT, 0, {
    capacity,
    startsAt: new Date(START + 86_400_000),
    endsAt: new Date(START + 86_400_000 + 2 * 3_600_000)
  })

describe("Activity: the roster state machine", () => {
  it("confirms until full, then waitlists; cancelling a place promotes the first in line", () => {
    let shift = emptyShift(2)
    const sign = (i: number) => {
      const result = Either.getOrThrow(Activity.signUp(shift, v(i), before))
      shift = result.shift
      return [result.outcome, result.position] as const
    }
    assert.deepStrictEqual(sign(1), ["confirmed", 0])
    assert.deepStrictEqual(sign(2), ["confirmed", 0])
    assert.deepStrictEqual(sign(3), ["waitlisted", 1])
    assert.deepStrictEqual(sign(4), ["waitlisted", 2])
    const twice = Activity.signUp(shift, v(3), before)
    assert.strictEqual(Either.flip(twice).pipe(Either.getOrThrow).reason, "AlreadySignedUp")
    const cancelled = Either.getOrThrow(Activity.cancelSignUp(shift, v(1), before))
    assert.strictEqual(cancelled.promoted, v(3))
    shift = cancelled.shift
    assert.strictEqual(Activity.participant(shift, v(3))?.state, "confirmed")
    // cancelling from the waitlist promotes nobody
    const fromWaitlist = Either.getOrThrow(Activity.cancelSignUp(shift, v(4), before))
    assert.isUndefined(fromWaitlist.promoted)
    // signing up again after a cancellation goes to the end of the line
    shift = fromWaitlist.shift
    assert.deepStrictEqual(sign(1), ["waitlisted", 1])
    const late = Activity.signUp(shift, v(9), new Date(shift.startsAt.getTime()))
    assert.strictEqual(Either.flip(late).pipe(Either.getOrThrow).reason, "ShiftStarted")
  })

  it("checks in within the window, checks out after, and closes with no-shows", () => {
    let shift = emptyShift(3)
    for (const i of [1, 2, 3]) shift = Either.getOrThrow(Activity.signUp(shift, v(i), before)).shift
    const early = new Date(shift.startsAt.getTime() - 61 * 60_000)
    const options = { method: "staff" as const, opensMinutesBefore: 60 }
    assert.strictEqual(
      Either.flip(Activity.checkIn(shift, v(1), early, options)).pipe(Either.getOrThrow).reason,
      "CheckInNotOpen"
    )
    const t1 = new Date(shift.startsAt.getTime() - 10 * 60_000)
    shift = Either.getOrThrow(Activity.checkIn(shift, v(1), t1, options))
    shift = Either.getOrThrow(Activity.checkIn(shift, v(2), shift.startsAt, options))
    assert.strictEqual(
      Either.flip(Activity.checkIn(shift, v(1), t1, options)).pipe(Either.getOrThrow).reason,
      "AlreadyCheckedIn"
    )
    // full: a walk-in is refused; a confirmed volunteer "walking in" is simply checked in
    assert.strictEqual(
      Either.flip(Activity.walkIn(shift, v(7), t1, { opensMinutesBefore: 60 })).pipe(Either.getOrThrow).reason,
      "Full"
    )
    const out = Either.getOrThrow(Activity.checkOut(shift, v(1), new Date(shift.endsAt.getTime() + 30 * 60_000)))
    shift = out.shift
    // clamped to the shift: 2 hours, not the 10 minutes before nor the 30 after
    assert.strictEqual(Activity.serviceMinutes(shift, out.participant, true), 120)
    assert.strictEqual(Activity.serviceMinutes(shift, out.participant, false), 160)
    assert.strictEqual(
      Either.flip(Activity.checkOut(shift, v(3), shift.endsAt)).pipe(Either.getOrThrow).reason,
      "NotCheckedIn"
    )
    const early_close = Activity.close(shift, shift.startsAt)
    assert.isTrue(Either.isLeft(early_close))
    const closed = Either.getOrThrow(Activity.close(shift, shift.endsAt))
    assert.deepStrictEqual(closed.noShows, [v(3)])
    assert.deepStrictEqual(closed.noCheckout, [v(2)])
    assert.strictEqual(closed.shift.status, "closed")
  })

  it("walk-ins take a free place; one-time codes are single use, short-lived and may be reserved", () => {
    let shift = emptyShift(2)
    shift = Either.getOrThrow(Activity.walkIn(shift, v(5), shift.startsAt, { opensMinutesBefore: 60 }))
    assert.isTrue(Activity.participant(shift, v(5))?.walkIn)
    const issued = shift.startsAt
    const code = (hash: string, volunteerId?: VolunteerId) =>
      new Activity.CheckCode({
        hash,
        purpose: "check-in",
        ...(volunteerId === undefined ? {} : { volunteerId }),
        issuedAt: issued,
        expiresAt: new Date(issued.getTime() + 10 * 60_000)
      })
    shift = Activity.addCode(shift, code("h1"), issued)
    shift = Activity.addCode(shift, code("h2", v(8)), issued)
    const soon = new Date(issued.getTime() + 60_000)
    const used = Either.getOrThrow(Activity.redeemCode(shift, "h1", "check-in", v(6), soon))
    assert.isTrue(Either.isLeft(Activity.redeemCode(used, "h1", "check-in", v(7), soon)), "single use")
    assert.isTrue(Either.isLeft(Activity.redeemCode(shift, "h1", "check-out", v(6), soon)), "purpose")
    assert.isTrue(Either.isLeft(Activity.redeemCode(shift, "h2", "check-in", v(6), soon)), "reserved")
    assert.isTrue(Either.isRight(Activity.redeemCode(shift, "h2", "check-in", v(8), soon)))
    const late = new Date(issued.getTime() + 10 * 60_000)
    assert.isTrue(Either.isLeft(Activity.redeemCode(shift, "h1", "check-in", v(6), late)), "expired")
  })

  const operations = FastCheck.array(
    FastCheck.record({
      kind: FastCheck.constantFrom("signUp", "cancel"),
      volunteer: FastCheck.integer({ min: 1, max: 8 })
    }),
    { maxLength: 60 }
  )

  it.prop(
    "never over capacity, never an idle place while someone waits, FIFO promotion, no lost sign-up",
    [FastCheck.integer({ min: 1, max: 5 }), operations],
    ([capacity, ops]) => {
      let shift = emptyShift(capacity)
      // the reference model: who holds a place, and the queue in order
      const confirmed = new Set<string>()
      const queue: Array<string> = []
      for (const op of ops) {
        const id = v(op.volunteer)
        if (op.kind === "signUp") {
          const result = Activity.signUp(shift, id, before)
          const expectedRefusal = confirmed.has(id) || queue.includes(id)
          assert.strictEqual(Either.isLeft(result), expectedRefusal)
          if (Either.isRight(result)) {
            shift = result.right.shift
            if (confirmed.size < capacity) confirmed.add(id)
            else queue.push(id)
            assert.strictEqual(result.right.outcome, confirmed.has(id) ? "confirmed" : "waitlisted")
          }
        } else {
          const result = Activity.cancelSignUp(shift, id, before)
          const expectedRefusal = !confirmed.has(id) && !queue.includes(id)
          assert.strictEqual(Either.isLeft(result), expectedRefusal)
          if (Either.isRight(result)) {
            shift = result.right.shift
            if (confirmed.delete(id)) {
              const head = queue.shift()
              if (head !== undefined) confirmed.add(head)
              assert.strictEqual(result.right.promoted, head)
            } else {
              queue.splice(queue.indexOf(id), 1)
              assert.isUndefined(result.right.promoted)
            }
          }
        }
        assert.isAtMost(Activity.occupied(shift), capacity)
        if (Activity.waitlist(shift).length > 0) assert.strictEqual(Activity.occupied(shift), capacity)
        assert.deepStrictEqual(
          new Set(shift.participants.filter((p) => p.state === "confirmed").map((p) => p.volunteerId)),
          confirmed
        )
        assert.deepStrictEqual(
          Activity.waitlist(shift).map((p) => p.volunteerId),
          queue
        )
      }
    }
  )
})

describe("Activity: the service", () => {
  const plan = Effect.gen(function* () {
    const service = yield* setUp
    const activity = yield* service.createActivity(leader("440310001"), {
      tenantId: TENANT,
      kind: "visit",
      title: "六联社区民情走访",
      teamId: "T440310001",
      communityCode: COMMUNITY_1
    })
    // Thursday 2026-10-08, the first working day after the National Day holiday
    const shift = yield* service.addShift(leader("440310001"), {
      tenantId: TENANT,
      activityId: activity.id,
      startsAt: "2026-10-08T01:00:00Z",
      endsAt: "2026-10-08T03:00:00Z",
      capacity: 2
    })
    const volunteers = [yield* enrol(101), yield* enrol(102), yield* enrol(103)]
    return { service, activity, shift, volunteers }
  })

  it.effect("sign-ups by volunteers and staff, waitlist promotion with an event, my sign-ups", () =>
    Effect.gen(function* () {
      const { service, shift, volunteers } = yield* plan
      const [a, b, c] = volunteers
      assert.deepStrictEqual(yield* service.signUp(volunteerActor(a), { tenantId: TENANT, shiftId: shift.id }), {
        outcome: "confirmed",
        position: 0
      })
      yield* service.signUp(leader("440310001"), { tenantId: TENANT, shiftId: shift.id, volunteerId: b })
      const waiting = yield* service.signUp(volunteerActor(c), { tenantId: TENANT, shiftId: shift.id })
      assert.deepStrictEqual(waiting, { outcome: "waitlisted", position: 1 })
      const forOther = yield* Effect.flip(
        service.signUp(volunteerActor(c), { tenantId: TENANT, shiftId: shift.id, volunteerId: a })
      )
      assert.strictEqual(forOther._tag, "NotOwnRecord")
      const cancelled = yield* service.cancelSignUp(volunteerActor(a), { tenantId: TENANT, shiftId: shift.id })
      assert.strictEqual(cancelled.promoted, c)
      const promoted = (yield* events).filter((e) => e.type === "volunteers.SignUpPromoted")
      assert.strictEqual(promoted.length, 1)
      assert.strictEqual((promoted[0].payload as { volunteerId: string }).volunteerId, c)
      const mine = yield* service.listSignUps(volunteerActor(c), { tenantId: TENANT })
      assert.deepStrictEqual(
        mine.items.map((p) => [p.shiftId, p.state]),
        [[shift.id, "confirmed"]]
      )
      const view = yield* service.getShift(volunteerActor(a), { tenantId: TENANT, shiftId: shift.id })
      assert.isUndefined(view.roster, "volunteers see counts, not the roster")
      assert.strictEqual(view.confirmed, 2)
      const staffView = yield* service.getShift(leader("440310001"), { tenantId: TENANT, shiftId: shift.id })
      assert.strictEqual(staffView.roster?.length, 3)
    }).pipe(Effect.provide(layer()))
  )

  it.effect("reminds on the working day before (across the National Day holiday), once", () =>
    Effect.gen(function* () {
      const { service, shift, volunteers } = yield* plan
      for (const id of volunteers.slice(0, 2)) {
        yield* service.signUp(volunteerActor(id), { tenantId: TENANT, shiftId: shift.id })
      }
      yield* service.signUp(volunteerActor(volunteers[2]), { tenantId: TENANT, shiftId: shift.id })
      assert.deepStrictEqual(yield* service.remindShifts(scheduler, { tenantId: TENANT, asOf: "2026-09-29" }), {
        shifts: 0,
        reminders: 0
      })
      // 10-01..07 are holidays: the working day before 10-08 is Wednesday 09-30
      assert.deepStrictEqual(yield* service.remindShifts(scheduler, { tenantId: TENANT, asOf: "2026-09-30" }), {
        shifts: 1,
        reminders: 2
      })
      assert.deepStrictEqual(yield* service.remindShifts(scheduler, { tenantId: TENANT, asOf: "2026-10-02" }), {
        shifts: 0,
        reminders: 0
      })
      const reminders = (yield* events).filter((e) => e.type === "volunteers.ShiftReminder")
      assert.deepStrictEqual(
        reminders.map((e) => (e.payload as { volunteerId: string; remindOn: string }).remindOn),
        ["2026-09-30", "2026-09-30"]
      )
      const refused = yield* Effect.flip(
        service.remindShifts(leader("440310001"), { tenantId: TENANT, asOf: "2026-09-30" })
      )
      assert.strictEqual(refused._tag, "Forbidden")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("wrong check codes are counted per volunteer and shift, audited, and lock codes on abuse", () =>
    Effect.gen(function* () {
      const { service, shift, volunteers } = yield* plan
      const [a, b] = volunteers
      for (const id of [a, b]) yield* service.signUp(volunteerActor(id), { tenantId: TENANT, shiftId: shift.id })
      yield* TestClock.setTime(Date.parse("2026-10-08T00:55:00Z"))
      const issued = yield* service.issueCheckCode(leader("440310001"), {
        tenantId: TENANT,
        shiftId: shift.id,
        purpose: "check-in"
      })
      const wrong = String((Number(issued.code) + 1) % 1_000_000).padStart(6, "0")
      const tries: Array<string> = []
      for (let n = 0; n < Activity.CHECK_CODE_ATTEMPTS.perVolunteer + 2; n++) {
        const error = yield* Effect.flip(
          service.checkInWithCode(volunteerActor(a), { tenantId: TENANT, shiftId: shift.id, code: wrong })
        )
        tries.push(error._tag)
      }
      assert.deepStrictEqual(tries, [
        ...Array(Activity.CHECK_CODE_ATTEMPTS.perVolunteer).fill("InvalidCheckCode"),
        "CheckCodeLocked",
        "CheckCodeLocked"
      ])
      // locked: even the right code no longer works for that volunteer, with a Chinese message
      const locked = yield* Effect.flip(
        service.checkInWithCode(volunteerActor(a), { tenantId: TENANT, shiftId: shift.id, code: issued.code })
      )
      assert.strictEqual(locked._tag, "CheckCodeLocked")
      assert.match(locked.message, /签到码输错 5 次/)
      // another volunteer is not locked out by a's guesses
      const checked = yield* service.checkInWithCode(volunteerActor(b), {
        tenantId: TENANT,
        shiftId: shift.id,
        code: issued.code
      })
      assert.strictEqual(checked.shift.confirmed, 2)
      const failures = (yield* auditEntries).filter((e) => e.action === "volunteers.shift.codeFailure")
      assert.strictEqual(failures.length, Activity.CHECK_CODE_ATTEMPTS.perVolunteer)
      assert.notInclude(JSON.stringify(failures), wrong)
      // the whole shift locks after enough failures from anyone
      let crowded = emptyShift(5)
      for (let n = 0; n < Activity.CHECK_CODE_ATTEMPTS.perShift; n++) {
        crowded = Activity.recordCodeFailure(crowded, v(1000 + n), before)
      }
      const shiftLock = Activity.codeLock(crowded, v(1))
      assert.strictEqual(shiftLock?.scope, "shift")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("check-in by one-time code, check-out by staff creates a pending service record", () =>
    Effect.gen(function* () {
      const { service, shift, volunteers } = yield* plan
      const [a, b] = volunteers
      for (const id of [a, b]) yield* service.signUp(volunteerActor(id), { tenantId: TENANT, shiftId: shift.id })
      yield* TestClock.setTime(Date.parse("2026-10-08T00:55:00Z"))
      const issued = yield* service.issueCheckCode(leader("440310001"), {
        tenantId: TENANT,
        shiftId: shift.id,
        purpose: "check-in"
      })
      assert.match(issued.code, /^\d{6}$/)
      assert.strictEqual(issued.expiresAt.toISOString(), "2026-10-08T01:05:00.000Z")
      assert.notInclude(JSON.stringify(yield* auditEntries), issued.code)
      const checked = yield* service.checkInWithCode(volunteerActor(a), {
        tenantId: TENANT,
        shiftId: shift.id,
        code: issued.code
      })
      assert.strictEqual(checked.shift.confirmed, 2)
      const reused = yield* Effect.flip(
        service.checkInWithCode(volunteerActor(b), { tenantId: TENANT, shiftId: shift.id, code: issued.code })
      )
      assert.strictEqual(reused._tag, "InvalidCheckCode")
      const second = yield* service.issueCheckCode(leader("440310001"), {
        tenantId: TENANT,
        shiftId: shift.id,
        purpose: "check-in",
        volunteerId: b
      })
      yield* TestClock.setTime(Date.parse("2026-10-08T01:06:00Z"))
      const expired = yield* Effect.flip(
        service.checkInWithCode(volunteerActor(b), { tenantId: TENANT, shiftId: shift.id, code: second.code })
      )
      assert.strictEqual(expired._tag, "InvalidCheckCode")
      yield* TestClock.setTime(Date.parse("2026-10-08T02:40:00Z"))
      const record = yield* service.checkOut(leader("440310001"), {
        tenantId: TENANT,
        shiftId: shift.id,
        volunteerId: a
      })
      assert.strictEqual(record.status, "pending")
      assert.strictEqual(record.source, "attendance")
      assert.strictEqual(record.kind, "service")
      assert.strictEqual(record.measuredMinutes, 100, "from the shift's start (clamped), not the 5 minutes before")
      assert.strictEqual(record.teamId, "T440310001")
      yield* TestClock.setTime(Date.parse("2026-10-08T03:00:00Z"))
      const closed = yield* service.closeShift(hq, { tenantId: TENANT, shiftId: shift.id })
      assert.deepStrictEqual(closed, { noShows: [b], noCheckout: [] })
      const mine = yield* service.listSignUps(volunteerActor(b), { tenantId: TENANT })
      assert.strictEqual(mine.items[0].state, "no-show")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("cancelling a shift tells everyone with a place or waiting", () =>
    Effect.gen(function* () {
      const { service, shift, volunteers } = yield* plan
      for (const id of volunteers) yield* service.signUp(volunteerActor(id), { tenantId: TENANT, shiftId: shift.id })
      const other = yield* Effect.flip(
        service.cancelShift(leader("440310002"), { tenantId: TENANT, shiftId: shift.id, reason: "台风" })
      )
      assert.strictEqual(other._tag, "Forbidden")
      const cancelled = yield* service.cancelShift(leader("440310001"), {
        tenantId: TENANT,
        shiftId: shift.id,
        reason: "台风预警"
      })
      assert.strictEqual(cancelled.status, "cancelled")
      const event = (yield* events).find((e) => e.type === "volunteers.ShiftCancelled")
      const notified = (event?.payload as { volunteerIds?: Array<string> } | undefined)?.volunteerIds ?? []
      assert.deepStrictEqual([...notified].sort(), [...volunteers])
      const late = yield* Effect.flip(
        service.signUp(volunteerActor(volunteers[0]), { tenantId: TENANT, shiftId: shift.id })
      )
      assert.strictEqual(late._tag, "ShiftRefused")
      assert.include(late.message, "班次已取消或已结束")
      const rows = yield* service.listSignUps(hq, { tenantId: TENANT, volunteerId: volunteers[2] })
      assert.strictEqual(
        Option.fromNullable(rows.items[0]).pipe(
          Option.map((p) => p.state),
          Option.getOrNull
        ),
        "cancelled"
      )
    }).pipe(Effect.provide(layer()))
  )

  it.effect("volunteers browse activities and open shifts (counts only); leaders of another street see no roster", () =>
    Effect.gen(function* () {
      const { service, activity, shift, volunteers } = yield* plan
      yield* service.signUp(volunteerActor(volunteers[0]), { tenantId: TENANT, shiftId: shift.id })
      const activities = yield* service.listActivities(volunteerActor(volunteers[1]), { tenantId: TENANT })
      assert.deepStrictEqual(
        activities.items.map((a) => a.id),
        [activity.id]
      )
      const open = yield* service.listShifts(volunteerActor(volunteers[1]), {
        tenantId: TENANT,
        from: "2026-10-01T00:00:00Z",
        to: "2026-10-31T00:00:00Z"
      })
      assert.deepStrictEqual(
        open.map((s) => [s.id, s.confirmed, s.roster]),
        [[shift.id, 1, undefined]]
      )
      const staff = yield* service.listShifts(leader("440310001"), { tenantId: TENANT, teamId: "T440310001" })
      assert.strictEqual(staff[0].roster?.length, 1)
      const other = yield* service.listShifts(leader("440310002"), { tenantId: TENANT, activityId: activity.id })
      assert.isUndefined(other[0].roster)
      assert.deepStrictEqual(yield* service.listShifts(hq, { tenantId: TENANT, status: "closed" }), [])
    }).pipe(Effect.provide(layer()))
  )

  it.effect("a suspended volunteer cannot sign up", () =>
    Effect.gen(function* () {
      const { service, shift, volunteers } = yield* plan
      yield* service.changeStatus(hq, {
        tenantId: TENANT,
        volunteerId: volunteers[0],
        status: "suspended",
        reason: "测试"
      })
      const refused = yield* Effect.flip(
        service.signUp(volunteerActor(volunteers[0]), { tenantId: TENANT, shiftId: shift.id })
      )
      assert.strictEqual(refused._tag, "ShiftRefused")
      assert.strictEqual((refused as { reason?: string }).reason, "VolunteerNotActive")
    }).pipe(Effect.provide(layer()))
  )
})
