import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import * as Capacity from "../src/Capacity.js"

type Op =
  | { readonly _tag: "join"; readonly holder: string; readonly priority: number }
  | { readonly _tag: "leave"; readonly holder: string }
  | { readonly _tag: "walkIn"; readonly holder: string }
  | { readonly _tag: "checkIn"; readonly holder: string }
  | { readonly _tag: "checkOut"; readonly holder: string }

const holder = fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h")
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ _tag: fc.constant("join" as const), holder, priority: fc.constantFrom(0, 0, -1, 1) })
  },
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant("leave" as const), holder }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("walkIn" as const), holder }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("checkIn" as const), holder }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("checkOut" as const), holder }) }
)

interface Step {
  readonly roster: Capacity.Roster
  readonly changes: ReadonlyArray<Capacity.Change>
  readonly promoted: string | undefined
}

const step = (roster: Capacity.Roster, o: Op, seq: number): Step => {
  const none = { roster, changes: [], promoted: undefined }
  switch (o._tag) {
    case "join":
      return Either.match(Capacity.join(roster, o.holder, o.priority), {
        onLeft: () => none,
        onRight: (r) => ({
          roster: Capacity.apply(roster, [r.change], { seq, priority: o.priority }),
          changes: [r.change],
          promoted: undefined
        })
      })
    case "leave":
      return Either.match(Capacity.leave(roster, o.holder), {
        onLeft: () => none,
        onRight: (r) => ({
          roster: Capacity.apply(roster, r.changes, { seq }),
          changes: r.changes,
          promoted: r.promoted
        })
      })
    default: {
      const decide = o._tag === "walkIn" ? Capacity.walkIn : o._tag === "checkIn" ? Capacity.checkIn : Capacity.checkOut
      return Either.match(decide(roster, o.holder), {
        onLeft: () => none,
        onRight: (c) => ({ roster: Capacity.apply(roster, [c], { seq }), changes: [c], promoted: undefined })
      })
    }
  }
}

const run = (capacity: number, ops: ReadonlyArray<Op>) => {
  const steps: Array<Step & { readonly before: Capacity.Roster; readonly op: Op }> = []
  let roster: Capacity.Roster = { capacity, seats: [] }
  ops.forEach((o, seq) => {
    const s = step(roster, o, seq)
    steps.push({ ...s, before: roster, op: o })
    roster = s.roster
  })
  return steps
}

const scenario = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.array(op, { maxLength: 60 }))

describe("Capacity", () => {
  it("confirms while places are free, then waitlists by priority and arrival", () => {
    let roster: Capacity.Roster = { capacity: 1, seats: [] }
    const a = Either.getOrThrow(Capacity.join(roster, "a"))
    assert.strictEqual(a.state, "confirmed")
    roster = Capacity.apply(roster, [a.change], { seq: 0 })
    const b = Either.getOrThrow(Capacity.join(roster, "b"))
    assert.deepStrictEqual([b.state, b.position], ["waitlisted", 1])
    roster = Capacity.apply(roster, [b.change], { seq: 1 })
    const c = Either.getOrThrow(Capacity.join(roster, "c", -1))
    roster = Capacity.apply(roster, [c.change], { seq: 2, priority: -1 })
    const d = Either.getOrThrow(Capacity.join(roster, "d"))
    assert.strictEqual(d.position, 2) // ahead of the penalised c
    roster = Capacity.apply(roster, [d.change], { seq: 3 })
    assert.deepStrictEqual(
      Capacity.waitlist(roster.seats).map((s) => s.holder),
      ["b", "d", "c"]
    )
    assert.deepStrictEqual(Capacity.join(roster, "a"), Either.left("AlreadyJoined"))
    const left = Either.getOrThrow(Capacity.leave(roster, "a"))
    assert.strictEqual(left.promoted, "b")
    roster = Capacity.apply(roster, left.changes, { seq: 4 })
    // a waitlisted person leaving promotes nobody
    assert.strictEqual(Either.getOrThrow(Capacity.leave(roster, "d")).promoted, undefined)
    assert.deepStrictEqual(Capacity.leave(roster, "a"), Either.left("NotJoined"))
    assert.deepStrictEqual(Capacity.walkIn(roster, "z"), Either.left("Full"))
    assert.deepStrictEqual(Capacity.checkOut(roster, "b"), Either.left("NotCheckedIn"))
    const inB = Either.getOrThrow(Capacity.checkIn(roster, "b"))
    roster = Capacity.apply(roster, [inB], { seq: 5 })
    assert.deepStrictEqual(Capacity.checkIn(roster, "b"), Either.left("AlreadyCheckedIn"))
    assert.deepStrictEqual(Capacity.close(roster), [{ holder: "b", from: "checked-in", to: "no-checkout" }])
  })

  it("property: never more occupied places than the capacity", () => {
    fc.assert(
      fc.property(scenario, ([capacity, ops]) =>
        run(capacity, ops).every((s) => Capacity.occupied(s.roster.seats) <= capacity)
      )
    )
  })

  it("property: someone waits only when every place is taken", () => {
    fc.assert(
      fc.property(scenario, ([capacity, ops]) =>
        run(capacity, ops).every(
          (s) => Capacity.waitlist(s.roster.seats).length === 0 || Capacity.occupied(s.roster.seats) === capacity
        )
      )
    )
  })

  it("property: the waitlist keeps its order (those still waiting never swap)", () => {
    fc.assert(
      fc.property(scenario, ([capacity, ops]) =>
        run(capacity, ops).every((s) => {
          const after = Capacity.waitlist(s.roster.seats).map((x) => x.holder)
          const before = Capacity.waitlist(s.before.seats)
            .map((x) => x.holder)
            .filter((h) => after.includes(h))
          const kept = after.filter((h) => before.includes(h))
          return JSON.stringify(before) === JSON.stringify(kept)
        })
      )
    )
  })

  it("property: each cancellation promotes at most one, the first waiting; nothing else promotes", () => {
    fc.assert(
      fc.property(scenario, ([capacity, ops]) =>
        run(capacity, ops).every((s) => {
          const promotions = s.changes.filter((c) => c.from === "waitlisted" && c.to === "confirmed")
          if (s.op._tag !== "leave") return promotions.length === 0
          if (promotions.length > 1) return false
          const first = Capacity.waitlist(s.before.seats)[0]
          return promotions.length === 0 || (promotions[0]?.holder === first?.holder && s.promoted === first?.holder)
        })
      )
    )
  })
})

describe("Capacity on a partial view (a store that counts places)", () => {
  it("property: deciding on the holder's seat, the waitlist head and a counter gives the same answers", () => {
    fc.assert(
      fc.property(scenario, ([capacity, ops]) =>
        run(capacity, ops).every((s) => {
          const full = s.before
          const count = Capacity.occupied(full.seats)
          const head = Capacity.waitlist(full.seats)[0]
          const mine = Capacity.seatOf(full, s.op.holder)
          const seats = [mine, head].filter((x): x is Capacity.Seat => x !== undefined)
          const partial: Capacity.Roster = { capacity, seats, occupied: count }
          const same = <A>(a: Either.Either<A, unknown>, b: Either.Either<A, unknown>) =>
            JSON.stringify(Either.map(a, (x) => ({ ...(x as object), position: undefined }))) ===
            JSON.stringify(Either.map(b, (x) => ({ ...(x as object), position: undefined })))
          const o = s.op
          const agree =
            o._tag === "join"
              ? same(Capacity.join(full, o.holder, o.priority), Capacity.join(partial, o.holder, o.priority))
              : o._tag === "leave"
                ? same(Capacity.leave(full, o.holder), Capacity.leave(partial, o.holder))
                : o._tag === "walkIn"
                  ? same(Capacity.walkIn(full, o.holder), Capacity.walkIn(partial, o.holder))
                  : true
          return agree && count + Capacity.occupiedDelta(s.changes) === Capacity.occupied(s.roster.seats)
        })
      )
    )
  })
})
