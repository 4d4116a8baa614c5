import { Effect } from "effect"
import * as Project from "../../CultivatedProject.js"
import { Permission } from "../../Permissions.js"
import type * as ProjectEvents from "../../ProjectEvents.js"
import { audit, authorize, chinaDate, command, type Deps, emit } from "./context.js"
import type { make as makeCultivation } from "./cultivation.js"
import type { make as makeMeetings } from "./meetings.js"

/** What one sweep emitted, by kind (each item appears in one sweep only). */
export interface SweepSummary {
  readonly asOf: string
  readonly events: ReadonlyArray<ProjectEvents.ProjectEvent>
}

/**
 * The overdue sweep (逾期检查): idempotent — run it daily (or twice) and each report is reminded once and
 * flagged overdue once, each rectification and action item flagged once.
 */
export const make = (
  deps: Deps,
  cultivation: ReturnType<typeof makeCultivation>,
  meetings: ReturnType<typeof makeMeetings>
) =>
  command(deps)("sweepOverdue", Project.Sweep, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.cultivationManage, i.tenantId)
      const asOf = chinaDate(at)
      const remindUntil = yield* deps.calendar.addWorkingDays(asOf, i.remindWorkingDays, { countStartDay: true })
      const events = [
        ...(yield* cultivation.sweepProjects(i.tenantId, asOf, remindUntil)),
        ...(yield* meetings.sweepMeetings(i.tenantId, asOf))
      ]
      yield* emit(deps, i.tenantId, events)
      const count = (tag: ProjectEvents.ProjectEvent["_tag"]) => events.filter((e) => e._tag === tag).length
      yield* audit(deps, actor, i.tenantId, "sweepOverdue", "District", i.tenantId, {
        asOf,
        reportsDue: count("ReportDue"),
        reportsOverdue: count("ReportOverdue"),
        rectificationsOverdue: count("RectificationOverdue"),
        actionItemsOverdue: count("ActionItemOverdue")
      })
      return { asOf, events } satisfies SweepSummary
    })
  )
