/**
 * Capacity and waitlists (名额与候补): the seat-keeping rules shared by every domain that hands out a
 * limited number of places — volunteers' shifts, course sessions. A {@link Roster} is a capacity and
 * the seats taken or asked for; each decision here is a pure function that returns the
 * {@link Change}s to apply (or a {@link Refusal}), so a domain keeps its own richer entries
 * (timestamps, methods) and only asks this module *who* moves *where*.
 *
 * The rules, proved by property tests in `core/test/Capacity.test.ts`:
 * - never more occupied seats (`confirmed`, `checked-in`, `checked-out`) than the capacity;
 * - the waitlist (候补) is served by priority (higher first; a no-show penalty lowers it), then first
 *   come first served (`seq`), and joining or leaving never reorders the others;
 * - a cancellation promotes at most one person, and only when it freed an occupied seat.
 *
 * @since 0.1.0
 * @example
 * import { Capacity } from "@gongzhi/core"
 *
 * import { Either } from "effect"
 *
 * const empty: Capacity.Roster = { capacity: 1, seats: [] }
 * const a = Either.getOrThrow(Capacity.join(empty, "a")) // state "confirmed"
 * const one = Capacity.apply(empty, [a.change], { seq: 0 })
 * Capacity.join(one, "b") // Right: state "waitlisted", position 1
 */
import { Either, Schema } from "effect"

/**
 * Where a seat holder stands: `confirmed` (has a place), `waitlisted` (候补), `cancelled`,
 * `checked-in`, `checked-out`, `no-show` (had a place, never came) or `no-checkout` (came, never
 * checked out).
 *
 * @since 0.1.0
 * @category models
 */
export const SeatState = Schema.Literal(
  "confirmed",
  "waitlisted",
  "cancelled",
  "checked-in",
  "checked-out",
  "no-show",
  "no-checkout"
)

/**
 * @since 0.1.0
 * @category models
 */
export type SeatState = typeof SeatState.Type

/**
 * One holder on a roster. `seq` orders arrivals (unique per roster); `priority` (default 0) ranks
 * the waitlist before `seq`: a higher priority is served first, a penalty makes it negative.
 *
 * @since 0.1.0
 * @category models
 */
export interface Seat {
  readonly holder: string
  readonly state: SeatState
  readonly seq: number
  readonly priority?: number | undefined
}

/**
 * A capacity and its seats. A store that keeps one row per seat may hand over a partial view: the
 * seats a decision is about (the holder, and for {@link leave} the head of the waitlist) with
 * `occupied`, the number of occupied places it counts; positions are then counted among the seats
 * given.
 *
 * @since 0.1.0
 * @category models
 */
export interface Roster {
  readonly capacity: number
  readonly seats: ReadonlyArray<Seat>
  readonly occupied?: number | undefined
}

const taken = (roster: Roster): number => roster.occupied ?? occupied(roster.seats)

/**
 * One holder moving to a state (`walkIn` when a walk-in takes a free place without having joined).
 *
 * @since 0.1.0
 * @category models
 */
export interface Change {
  readonly holder: string
  readonly from: SeatState | undefined
  readonly to: SeatState
  readonly walkIn?: boolean | undefined
}

/**
 * Why a decision is refused. Domains translate it into their own typed error.
 *
 * @since 0.1.0
 * @category models
 */
export type Refusal = "AlreadyJoined" | "NotJoined" | "Full" | "AlreadyCheckedIn" | "NotCheckedIn" | "AlreadyCheckedOut"

const OCCUPYING: ReadonlySet<SeatState> = new Set(["confirmed", "checked-in", "checked-out"])

/**
 * Whether a state holds a place.
 *
 * @since 0.1.0
 * @category accessors
 */
export const isOccupying = (state: SeatState): boolean => OCCUPYING.has(state)

/**
 * How many places are taken.
 *
 * @since 0.1.0
 * @category accessors
 */
export const occupied = (seats: ReadonlyArray<Pick<Seat, "state">>): number =>
  seats.reduce((n, s) => (OCCUPYING.has(s.state) ? n + 1 : n), 0)

/**
 * The waitlist in serving order: higher priority first, then first come first served.
 *
 * @since 0.1.0
 * @category accessors
 */
export const waitlist = <S extends Pick<Seat, "state" | "seq" | "priority">>(seats: ReadonlyArray<S>): Array<S> =>
  seats.filter((s) => s.state === "waitlisted").sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || a.seq - b.seq)

/**
 * The seat of a holder, if any.
 *
 * @since 0.1.0
 * @category accessors
 */
export const seatOf = (roster: Roster, holder: string): Seat | undefined =>
  roster.seats.find((s) => s.holder === holder)

/**
 * Decides a join: a free place confirms, a full roster waitlists (`position`, 1-based, is the place
 * in the waitlist once joined). Someone cancelled may join again (with a new `seq`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const join = (
  roster: Roster,
  holder: string,
  priority = 0
): Either.Either<
  { readonly state: "confirmed" | "waitlisted"; readonly position: number; readonly change: Change },
  Refusal
> => {
  const existing = seatOf(roster, holder)
  if (existing !== undefined && existing.state !== "cancelled") return Either.left("AlreadyJoined")
  if (taken(roster) < roster.capacity) {
    return Either.right({ state: "confirmed", position: 0, change: { holder, from: existing?.state, to: "confirmed" } })
  }
  const ahead = roster.seats.filter(
    (s) => s.state === "waitlisted" && s.holder !== holder && (s.priority ?? 0) >= priority
  ).length
  return Either.right({
    state: "waitlisted",
    position: ahead + 1,
    change: { holder, from: existing?.state, to: "waitlisted" }
  })
}

/**
 * Decides a cancellation: the holder's seat is cancelled and, when it freed an occupied place and
 * someone waits, exactly the first of the waitlist is promoted (`promoted`). Never more than one.
 *
 * @since 0.1.0
 * @category combinators
 */
export const leave = (
  roster: Roster,
  holder: string
): Either.Either<{ readonly changes: ReadonlyArray<Change>; readonly promoted: string | undefined }, "NotJoined"> => {
  const existing = seatOf(roster, holder)
  if (existing === undefined || (existing.state !== "confirmed" && existing.state !== "waitlisted")) {
    return Either.left("NotJoined")
  }
  const cancel: Change = { holder, from: existing.state, to: "cancelled" }
  if (existing.state !== "confirmed") return Either.right({ changes: [cancel], promoted: undefined })
  const first = waitlist(roster.seats)[0]
  const freeAfter = roster.capacity - (taken(roster) - 1)
  if (first === undefined || freeAfter <= 0) return Either.right({ changes: [cancel], promoted: undefined })
  return Either.right({
    changes: [cancel, { holder: first.holder, from: "waitlisted", to: "confirmed" }],
    promoted: first.holder
  })
}

/**
 * Decides a check-in of a confirmed holder.
 *
 * @since 0.1.0
 * @category combinators
 */
export const checkIn = (roster: Roster, holder: string): Either.Either<Change, Refusal> => {
  const existing = seatOf(roster, holder)
  if (existing?.state === "checked-in" || existing?.state === "checked-out") return Either.left("AlreadyCheckedIn")
  if (existing?.state !== "confirmed") return Either.left("NotJoined")
  return Either.right({ holder, from: "confirmed", to: "checked-in" })
}

/**
 * Decides a walk-in: a confirmed holder is checked in; anyone else (never joined, cancelled,
 * waitlisted) takes a free place as a walk-in, refused with `Full` when none is left.
 *
 * @since 0.1.0
 * @category combinators
 */
export const walkIn = (roster: Roster, holder: string): Either.Either<Change, Refusal> => {
  const existing = seatOf(roster, holder)
  if (existing?.state === "confirmed") return checkIn(roster, holder)
  if (existing?.state === "checked-in" || existing?.state === "checked-out") return Either.left("AlreadyCheckedIn")
  if (taken(roster) >= roster.capacity) return Either.left("Full")
  return Either.right({ holder, from: existing?.state, to: "checked-in", walkIn: true })
}

/**
 * Decides a check-out of a checked-in holder.
 *
 * @since 0.1.0
 * @category combinators
 */
export const checkOut = (roster: Roster, holder: string): Either.Either<Change, Refusal> => {
  const existing = seatOf(roster, holder)
  if (existing?.state === "checked-out") return Either.left("AlreadyCheckedOut")
  if (existing?.state !== "checked-in") return Either.left("NotCheckedIn")
  return Either.right({ holder, from: "checked-in", to: "checked-out" })
}

/**
 * Closing after the end: confirmed holders who never came become `no-show`; those checked in and
 * never out become `no-checkout`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const close = (roster: Roster): ReadonlyArray<Change> =>
  roster.seats.flatMap(
    (s): Array<Change> =>
      s.state === "confirmed"
        ? [{ holder: s.holder, from: s.state, to: "no-show" }]
        : s.state === "checked-in"
          ? [{ holder: s.holder, from: s.state, to: "no-checkout" }]
          : []
  )

/**
 * Applies changes to a plain roster; a holder not yet on it is appended with `seq` and `priority`.
 * Domains with richer entries apply the changes to their own; this is for simple users and tests.
 *
 * @since 0.1.0
 * @category combinators
 */
export const apply = (
  roster: Roster,
  changes: ReadonlyArray<Change>,
  arrival: { readonly seq: number; readonly priority?: number | undefined }
): Roster => {
  let seats = roster.seats
  for (const change of changes) {
    const exists = seats.some((s) => s.holder === change.holder)
    const rejoin = change.from === "cancelled" || change.from === undefined
    seats = exists
      ? seats.map((s) =>
          s.holder !== change.holder
            ? s
            : rejoin
              ? { holder: s.holder, state: change.to, seq: arrival.seq, priority: arrival.priority ?? 0 }
              : { ...s, state: change.to }
        )
      : [...seats, { holder: change.holder, state: change.to, seq: arrival.seq, priority: arrival.priority ?? 0 }]
  }
  return roster.occupied === undefined
    ? { capacity: roster.capacity, seats }
    : { capacity: roster.capacity, seats, occupied: roster.occupied + occupiedDelta(changes) }
}

/**
 * How a list of changes moves the number of occupied places (+1 per change into an occupied state,
 * −1 per change out of one): what a store that counts places adds to its counter.
 *
 * @since 0.1.0
 * @category accessors
 */
export const occupiedDelta = (changes: ReadonlyArray<Change>): number =>
  changes.reduce(
    (n, c) => n + (OCCUPYING.has(c.to) ? 1 : 0) - (c.from !== undefined && OCCUPYING.has(c.from) ? 1 : 0),
    0
  )
