import type { VolunteerId } from "@gongzhi/core/Actor"
import type * as Authorization from "@gongzhi/core/Authorization"
import type * as Command from "@gongzhi/core/Command"
import type * as Repository from "@gongzhi/core/Repository"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, type Either } from "effect"
import * as Activity from "../../Activity.js"
import { ShiftRefused } from "../../VolunteerErrors.js"
import { type Deps, load, loadVolunteer } from "./context.js"

/** What a shift looks like to a reader: the roster only for those who manage attendance. */
export interface ShiftView {
  readonly id: string
  readonly activityId: string
  readonly activityKind: Activity.ActivityKind
  readonly title: string
  readonly teamId: string
  readonly communityCode: string
  readonly startsAt: Date
  readonly endsAt: Date
  readonly capacity: number
  readonly status: Activity.Shift["status"]
  readonly confirmed: number
  readonly waitlisted: number
  readonly roster: ReadonlyArray<Activity.Participant> | undefined
}

export const viewOf = (shift: Activity.Shift, withRoster: boolean): ShiftView => ({
  id: shift.id,
  activityId: shift.activityId,
  activityKind: shift.activityKind,
  title: shift.title,
  teamId: shift.teamId,
  communityCode: shift.communityCode,
  startsAt: shift.startsAt,
  endsAt: shift.endsAt,
  capacity: shift.capacity,
  status: shift.status,
  confirmed: Activity.occupied(shift),
  waitlisted: Activity.waitlist(shift).length,
  roster: withRoster ? shift.participants : undefined
})

export const shiftTarget = (shift: Activity.Shift): Authorization.Target => ({
  tenantId: shift.tenantId,
  regionCode: shift.communityCode
})

export const fromEither = <A, E>(either: Either.Either<A, E>): Effect.Effect<A, E> => either

/** Loading and saving shifts, shared by the activity and attendance commands. */
export const make = (deps: Deps) => {
  const loadShift = (tenantId: TenantId, shiftId: string) =>
    load("Shift", shiftId, deps.activities.getShift(tenantId, shiftId))

  /** Saves a changed shift and the participation rows of the volunteers whose entry changed. */
  const saveShift = (
    before: Repository.Versioned<Activity.Shift>,
    after: Activity.Shift,
    volunteerIds: ReadonlyArray<string> | "all"
  ) =>
    Effect.gen(function* () {
      const saved = yield* deps.activities.updateShift(after, before.version)
      const rows = Activity.participationsOf(after).filter(
        (row) => volunteerIds === "all" || volunteerIds.includes(row.volunteerId)
      )
      yield* deps.activities.saveParticipations(after.tenantId, rows)
      return saved
    })

  const requireActiveVolunteer = (tenantId: TenantId, shiftId: string, volunteerId: string) =>
    Effect.flatMap(loadVolunteer(deps, tenantId, volunteerId), (volunteer) =>
      volunteer.value.status === "active"
        ? Effect.succeed(volunteer)
        : Effect.fail(new ShiftRefused({ shiftId, volunteerId, reason: "VolunteerNotActive" }))
    )

  /** The volunteer a shift command is about: given, or the acting volunteer. */
  const subject = (ctx: Command.QueryContext, volunteerId: VolunteerId | undefined) =>
    volunteerId !== undefined
      ? Effect.succeed(volunteerId)
      : ctx.actor._tag === "Volunteer"
        ? Effect.succeed(ctx.actor.volunteerId)
        : Effect.fail(ctx.invalid("请指定志愿者编号（volunteerId）", "volunteerId"))

  return { loadShift, saveShift, requireActiveVolunteer, subject }
}
