import * as ActorModule from "@gongzhi/core/Actor"
import type { LocalDate } from "@gongzhi/core/LocalDate"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, type Either } from "effect"
import * as JointMeeting from "../../JointMeeting.js"
import { Permission } from "../../Permissions.js"
import { NotResponsible } from "../../ProjectErrors.js"
import type * as ProjectEvents from "../../ProjectEvents.js"
import { newId } from "./applications.js"
import { audit, authorize, chinaDate, command, type Deps, holds, load } from "./context.js"

/** An action item as reported: its meeting and whether it is done, open or overdue (working days late). */
export interface ActionItemStatus {
  readonly meetingId: string
  readonly heldOn: string
  readonly item: JointMeeting.ActionItem
  readonly state: "done" | "done-late" | "open" | "overdue"
  readonly workingDaysLate: number
}

export const make = (deps: Deps) => {
  const cmd = command(deps)

  const loadMeeting = (tenantId: TenantId, id: string) => load("JointMeeting", id, deps.meetings.get(tenantId, id))
  const save = <E>(result: Either.Either<JointMeeting.JointMeeting, E>, version: number) =>
    Effect.flatMap(result, (meeting) => Effect.as(deps.meetings.update(meeting, version), meeting))

  const scheduleMeetings = cmd("scheduleMeetings", JointMeeting.ScheduleMeetings, (i, _at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.meetingsManage, i.tenantId)
      const seriesId = yield* newId
      const dates = yield* JointMeeting.occurrences(deps.calendar, i.firstOn, i.everyWeeks, i.count)
      const meetings = dates.map(
        (heldOn, k) =>
          new JointMeeting.JointMeeting({
            id: `${seriesId}-${String(k + 1).padStart(2, "0")}`,
            tenantId: i.tenantId,
            seriesId,
            title: i.title,
            sequence: k + 1,
            heldOn,
            memberUnits: i.memberUnits,
            status: "scheduled",
            attendees: [],
            minutes: "",
            decisions: [],
            actionItems: []
          })
      )
      yield* Effect.forEach(meetings, (meeting) => deps.meetings.insert(meeting), { discard: true })
      yield* audit(deps, actor, i.tenantId, "scheduleMeetings", "JointMeeting", seriesId, {
        count: meetings.length,
        first: dates[0],
        last: dates.at(-1)
      })
      return meetings
    })
  )

  const recordMinutes = cmd("recordMinutes", JointMeeting.RecordMinutes, (i, _at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.meetingsManage, i.tenantId)
      const { value, version } = yield* loadMeeting(i.tenantId, i.meetingId)
      const actionItems = yield* Effect.forEach(i.actionItems, (a, k) =>
        Effect.map(deps.calendar.addWorkingDays(value.heldOn, a.workingDays), (deadline) => ({
          id: `a${k + 1}`,
          text: a.text,
          ownerId: a.ownerId,
          ownerUnit: a.ownerUnit,
          workingDays: a.workingDays,
          deadline,
          doneOn: null,
          doneNote: "",
          overdueOn: null
        }))
      )
      const meeting = yield* save(
        JointMeeting.hold(value, {
          attendees: i.attendees,
          minutes: i.minutes,
          decisions: i.decisions,
          actionItems
        }),
        version
      )
      yield* audit(deps, actor, i.tenantId, "recordMinutes", "JointMeeting", meeting.id, {
        decisions: i.decisions.length,
        actionItems: actionItems.length
      })
      return meeting
    })
  )

  const completeActionItem = cmd("completeActionItem", JointMeeting.CompleteActionItem, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.meetingsAct, i.tenantId)
      const { value, version } = yield* loadMeeting(i.tenantId, i.meetingId)
      const actorId = ActorModule.id(actor)
      const item = value.actionItems.find((a) => a.id === i.itemId)
      if (
        item !== undefined &&
        item.ownerId !== actorId &&
        !holds(deps, actor, Permission.meetingsManage, i.tenantId)
      ) {
        return yield* new NotResponsible({ actorId, projectId: `${value.id}/${item.id}`, role: "owner" })
      }
      const meeting = yield* save(JointMeeting.complete(value, i.itemId, chinaDate(at), i.note), version)
      yield* audit(deps, actor, i.tenantId, "completeActionItem", "JointMeeting", meeting.id, { itemId: i.itemId })
      return meeting
    })
  )

  /** Every action item of a series with its state on the command's date. */
  const actionItemReport = cmd(
    "actionItemReport",
    JointMeeting.SeriesRef,
    (i, at, actor) =>
      Effect.gen(function* () {
        yield* authorize(deps, actor, Permission.meetingsAct, i.tenantId)
        const today = chinaDate(at)
        const meetings = (yield* deps.meetings.find(i.tenantId, { series_id: i.seriesId }, 10_000))
          .map((row) => row.value)
          .sort((a, b) => a.sequence - b.sequence)
        const out: Array<ActionItemStatus> = []
        for (const meeting of meetings) {
          for (const item of meeting.actionItems) {
            const end = item.doneOn ?? today
            const late = end > item.deadline ? yield* deps.calendar.workingDaysBetween(item.deadline, end) : 0
            const state =
              item.doneOn !== null ? (late > 0 ? "done-late" : "done") : late > 0 ? "overdue" : ("open" as const)
            out.push({ meetingId: meeting.id, heldOn: meeting.heldOn, item, state, workingDaysLate: late })
          }
        }
        return out
      }),
    { transaction: false }
  )

  /** The sweep over held meetings: open action items past their deadline, each flagged once. */
  const sweepMeetings = (tenantId: TenantId, asOf: LocalDate) =>
    Effect.gen(function* () {
      const rows = yield* deps.meetings.find(tenantId, { status: "held" }, 100_000)
      const events: Array<ProjectEvents.ProjectEvent> = []
      for (const { value, version } of rows) {
        const swept = JointMeeting.sweep(value, asOf)
        if (swept.overdue.length === 0) continue
        yield* deps.meetings.update(swept.meeting, version)
        for (const item of swept.overdue) {
          events.push({
            _tag: "ActionItemOverdue",
            meetingId: value.id,
            itemId: item.id,
            meetingTitle: `${value.title}（第 ${value.sequence} 次，${value.heldOn}）`,
            text: item.text,
            ownerId: item.ownerId,
            ownerUnit: item.ownerUnit,
            deadline: item.deadline
          })
        }
      }
      return events
    })

  return { scheduleMeetings, recordMinutes, completeActionItem, actionItemReport, sweepMeetings }
}
