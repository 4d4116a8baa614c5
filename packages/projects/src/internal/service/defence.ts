import * as ActorModule from "@gongzhi/core/Actor"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect } from "effect"
import * as Application from "../../Application.js"
import * as Call from "../../Call.js"
import * as DefenceSession from "../../DefenceSession.js"
import { Permission } from "../../Permissions.js"
import {
  ConflictedJudge,
  InvalidTransition,
  NotAssigned,
  NotOwner,
  OutsidePhase,
  ScoresHidden
} from "../../ProjectErrors.js"
import * as Ranking from "../../Ranking.js"
import * as Rubric from "../../Rubric.js"
import * as ScoreSheet from "../../ScoreSheet.js"
import { type make as makeApplications, newId } from "./applications.js"
import { audit, authorize, chinaDate, command, type Deps, emit, holds, invalid, load } from "./context.js"

export const make = (deps: Deps, applications: ReturnType<typeof makeApplications>) => {
  const cmd = command(deps)
  const { loadApplication, loadCall } = applications

  const loadSession = (tenantId: TenantId, id: string) => load("DefenceSession", id, deps.sessions.get(tenantId, id))

  const sessionTransition = (session: DefenceSession.DefenceSession, action: string) =>
    new InvalidTransition({
      entity: "DefenceSession",
      id: session.id,
      state: DefenceSession.statusLabel[session.status],
      action
    })

  const scheduleSession = cmd("scheduleSession", DefenceSession.ScheduleSession, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.sessionsManage, i.tenantId)
      const call = (yield* loadCall(i.tenantId, i.callId)).value
      const eligible = (yield* deps.applications.find(i.tenantId, { call_id: call.id, status: "eligible" }))
        .map((row) => row.value)
        .sort(
          (a, b) =>
            (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0) ||
            (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
        )
      const byId = new Map(eligible.map((application) => [application.id, application]))
      const ids = i.applicationIds ?? eligible.map((application) => application.id)
      const strangers = ids.filter((id) => !byId.has(id))
      if (strangers.length > 0) {
        return yield* invalid(
          "scheduleSession",
          ...strangers.map((id) => `applicationIds: 申报书「${id}」不属于本次征集或未通过资格审查`)
        )
      }
      if (new Set(i.judgeIds).size !== i.judgeIds.length)
        return yield* invalid("scheduleSession", "judgeIds: 评审专家重复")
      const slots = yield* DefenceSession.slots({
        startsAt: i.startsAt.toISOString(),
        slotMinutes: call.settings.slotMinutes,
        breakMinutes: call.settings.breakMinutes,
        applicationIds: ids
      })
      const session = new DefenceSession.DefenceSession({
        id: yield* newId,
        tenantId: i.tenantId,
        callId: call.id,
        title: i.title,
        venue: i.venue,
        startsAt: i.startsAt,
        slotMinutes: call.settings.slotMinutes,
        breakMinutes: call.settings.breakMinutes,
        judgeIds: i.judgeIds,
        slots,
        declarations: [],
        status: "scheduled",
        closedAt: null
      })
      yield* deps.sessions.insert(session)
      yield* emit(
        deps,
        i.tenantId,
        slots.map((slot) => {
          const application = byId.get(slot.applicationId)!
          return {
            _tag: "DefenceScheduled" as const,
            sessionId: session.id,
            applicationId: slot.applicationId,
            title: application.title,
            ownerId: application.ownerId,
            venue: session.venue,
            startsAt: slot.startsAt
          }
        })
      )
      yield* audit(deps, actor, i.tenantId, "scheduleSession", "DefenceSession", session.id, {
        applications: ids.length,
        judges: i.judgeIds.length,
        at: at.toISOString()
      })
      return session
    })
  )

  const onPanel = (session: DefenceSession.DefenceSession, actor: ActorModule.Actor) =>
    Effect.zipRight(
      authorize(deps, actor, Permission.score, session.tenantId),
      session.judgeIds.includes(ActorModule.id(actor))
        ? Effect.void
        : Effect.fail(new NotAssigned({ judgeId: ActorModule.id(actor), sessionId: session.id }))
    )

  const inSession = (session: DefenceSession.DefenceSession, applicationId: string) =>
    session.slots.some((slot) => slot.applicationId === applicationId)
      ? Effect.void
      : Effect.fail(invalid("score", `applicationId: 申报书「${applicationId}」不在本场答辩中`))

  const declare = cmd("declare", DefenceSession.Declare, (i, at, actor) =>
    Effect.gen(function* () {
      const { value: session, version } = yield* loadSession(i.tenantId, i.sessionId)
      yield* onPanel(session, actor)
      yield* inSession(session, i.applicationId)
      if (session.status === "closed") return yield* sessionTransition(session, "申报利益冲突")
      if (i.conflict && i.reason.trim() === "") return yield* invalid("declare", "reason: 申报利益冲突时应说明原因")
      const judgeId = ActorModule.id(actor)
      const declarations = session.declarations.filter(
        (d) => !(d.judgeId === judgeId && d.applicationId === i.applicationId)
      )
      declarations.push(
        new DefenceSession.Declaration({
          judgeId,
          applicationId: i.applicationId,
          conflict: i.conflict,
          reason: i.reason,
          declaredAt: at
        })
      )
      const updated = new DefenceSession.DefenceSession({ ...session, declarations })
      yield* deps.sessions.update(updated, version)
      yield* audit(deps, actor, i.tenantId, "declare", "DefenceSession", session.id, {
        applicationId: i.applicationId,
        conflict: i.conflict
      })
      return updated
    })
  )

  const setStatus = (
    name: "openPanel" | "closePanel",
    from: DefenceSession.SessionStatus,
    to: DefenceSession.SessionStatus,
    action: string
  ) =>
    cmd(name, DefenceSession.SessionRef, (i, at, actor) =>
      Effect.gen(function* () {
        yield* authorize(deps, actor, Permission.sessionsManage, i.tenantId)
        const { value: session, version } = yield* loadSession(i.tenantId, i.sessionId)
        if (session.status !== from) return yield* sessionTransition(session, action)
        const updated = new DefenceSession.DefenceSession({
          ...session,
          status: to,
          closedAt: to === "closed" ? at : session.closedAt
        })
        yield* deps.sessions.update(updated, version)
        yield* audit(deps, actor, i.tenantId, name, "DefenceSession", session.id)
        return updated
      })
    )

  const openPanel = setStatus("openPanel", "scheduled", "open", "开始评审")
  const closePanel = setStatus("closePanel", "open", "closed", "结束评审")

  const score = cmd("score", DefenceSession.Score, (i, at, actor) =>
    Effect.gen(function* () {
      const session = (yield* loadSession(i.tenantId, i.sessionId)).value
      yield* onPanel(session, actor)
      yield* inSession(session, i.applicationId)
      if (session.status !== "open") return yield* sessionTransition(session, "评分")
      const judgeId = ActorModule.id(actor)
      const conflict = session.declarations.find(
        (d) => d.judgeId === judgeId && d.applicationId === i.applicationId && d.conflict
      )
      if (conflict !== undefined) {
        return yield* new ConflictedJudge({ judgeId, applicationId: i.applicationId, reason: conflict.reason })
      }
      const call = (yield* loadCall(i.tenantId, session.callId)).value
      yield* Rubric.checkScores(call.settings.rubric, i.scores)
      const id = ScoreSheet.sheetId(session.id, judgeId, i.applicationId)
      const existing = yield* deps.sheets.get(i.tenantId, id)
      const sheet = new ScoreSheet.ScoreSheet({
        id,
        tenantId: i.tenantId,
        sessionId: session.id,
        applicationId: i.applicationId,
        judgeId,
        scores: i.scores,
        comment: i.comment,
        status: i.submit ? "submitted" : "draft",
        submittedAt: i.submit ? at : null
      })
      if (existing._tag === "None") yield* deps.sheets.insert(sheet)
      else if (existing.value.value.status === "submitted") {
        return yield* new InvalidTransition({ entity: "ScoreSheet", id, state: "已提交（已锁定）", action: "修改评分" })
      } else yield* deps.sheets.update(sheet, existing.value.version)
      yield* audit(deps, actor, i.tenantId, "score", "ScoreSheet", id, { submitted: i.submit })
      return sheet
    })
  )

  /** The ranking of a closed session (the district office; scores hidden until the panel closes). */
  const rankingOf = (session: DefenceSession.DefenceSession, call: Call.Call) =>
    Effect.gen(function* () {
      const sheets = (yield* deps.sheets.find(session.tenantId, { session_id: session.id }, 100_000))
        .map((row) => row.value)
        .filter((sheet) => sheet.status === "submitted")
        .map((sheet) => ({ subjectId: sheet.applicationId, judgeId: sheet.judgeId, scores: sheet.scores }))
      const subjects = yield* Effect.forEach(session.slots, (slot) =>
        Effect.map(loadApplication(session.tenantId, slot.applicationId), ({ value }) => ({
          id: value.id,
          label: value.title,
          submittedAt: value.submittedAt?.toISOString()
        }))
      )
      return yield* Ranking.rank({
        rubric: call.settings.rubric,
        strategy: call.settings.strategy,
        subjects,
        sheets,
        conflicts: DefenceSession.conflicts(session)
      })
    })

  const sessionRanking = cmd(
    "sessionRanking",
    DefenceSession.SessionRef,
    (i, _at, actor) =>
      Effect.gen(function* () {
        yield* authorize(deps, actor, Permission.applicationsRead, i.tenantId)
        const session = (yield* loadSession(i.tenantId, i.sessionId)).value
        if (session.status !== "closed") return yield* new ScoresHidden({ sessionId: session.id })
        const call = (yield* loadCall(i.tenantId, session.callId)).value
        return yield* rankingOf(session, call)
      }),
    { transaction: false }
  )

  const select = cmd("select", DefenceSession.SessionRef, (i, _at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.callsManage, i.tenantId)
      const session = (yield* loadSession(i.tenantId, i.sessionId)).value
      if (session.status !== "closed") return yield* new ScoresHidden({ sessionId: session.id })
      const { value: call, version } = yield* loadCall(i.tenantId, session.callId)
      if (call.status !== "open") {
        return yield* new InvalidTransition({
          entity: "Call",
          id: call.id,
          state: Call.statusLabel[call.status],
          action: "遴选"
        })
      }
      const ranking = yield* rankingOf(session, call)
      const chosen = Ranking.top(ranking, call.settings.quota)
      const chosenIds = new Set(chosen.map((entry) => entry.subjectId))
      for (const entry of ranking.entries) {
        const { value: application, version: v } = yield* loadApplication(i.tenantId, entry.subjectId)
        yield* deps.applications.update(
          new Application.Application({
            ...application,
            status: chosenIds.has(application.id) ? "selected" : "not-selected"
          }),
          v
        )
        if (chosenIds.has(application.id)) {
          yield* emit(deps, i.tenantId, [
            {
              _tag: "ProjectSelected",
              callId: call.id,
              applicationId: application.id,
              title: application.title,
              ownerId: application.ownerId,
              rank: entry.rank,
              score: entry.score ?? 0
            }
          ])
        }
      }
      const updated = new Call.Call({ ...call, status: "selected", selected: chosen.map((entry) => entry.subjectId) })
      yield* deps.calls.update(updated, version)
      yield* audit(deps, actor, i.tenantId, "select", "Call", call.id, { selected: chosen.length })
      return { call: updated, ranking }
    })
  )

  const publicise = cmd("publicise", Call.Publicise, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.callsManage, i.tenantId)
      const { value: call, version } = yield* loadCall(i.tenantId, i.callId)
      if (call.status !== "selected") {
        return yield* new InvalidTransition({
          entity: "Call",
          id: call.id,
          state: Call.statusLabel[call.status],
          action: "公示"
        })
      }
      const from = i.from ?? chinaDate(at)
      const objectionsUntil = yield* deps.calendar.addWorkingDays(from, call.settings.publicityWorkingDays, {
        countStartDay: true
      })
      const updated = new Call.Call({ ...call, status: "publicised", publicity: { from, objectionsUntil } })
      yield* deps.calls.update(updated, version)
      yield* emit(deps, i.tenantId, [
        {
          _tag: "SelectionPublicised",
          callId: call.id,
          title: call.title,
          from,
          objectionsUntil,
          applicationIds: call.selected
        }
      ])
      yield* audit(deps, actor, i.tenantId, "publicise", "Call", call.id, { from, objectionsUntil })
      return updated
    })
  )

  const raiseObjection = cmd("raiseObjection", Call.RaiseObjection, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.publicRead, i.tenantId)
      const { value: call, version } = yield* loadCall(i.tenantId, i.callId)
      const today = chinaDate(at)
      if (call.publicity === null || today < call.publicity.from || today > call.publicity.objectionsUntil) {
        return yield* new OutsidePhase({ callId: call.id, phase: Call.phaseLabel.publicity, date: today })
      }
      if (!call.selected.includes(i.applicationId)) {
        return yield* invalid("raiseObjection", `applicationId: 「${i.applicationId}」不在公示名单中`)
      }
      const updated = new Call.Call({
        ...call,
        objections: [...call.objections, { applicationId: i.applicationId, reason: i.reason, receivedOn: today }]
      })
      yield* deps.calls.update(updated, version)
      yield* audit(deps, actor, i.tenantId, "raiseObjection", "Call", call.id, { applicationId: i.applicationId })
      return updated
    })
  )

  const recommendToCity = cmd("recommendToCity", Call.RecommendToCity, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.callsManage, i.tenantId)
      const { value: call, version } = yield* loadCall(i.tenantId, i.callId)
      const today = chinaDate(at)
      if (call.status !== "publicised" || call.publicity === null || today <= call.publicity.objectionsUntil) {
        return yield* new InvalidTransition({
          entity: "Call",
          id: call.id,
          state: call.publicity === null ? Call.statusLabel[call.status] : `公示期至 ${call.publicity.objectionsUntil}`,
          action: "推荐市级培育项目"
        })
      }
      if (!call.selected.includes(i.applicationId)) {
        return yield* invalid("recommendToCity", `applicationId: 「${i.applicationId}」不是本次入选项目`)
      }
      if (call.objections.some((objection) => objection.applicationId === i.applicationId)) {
        return yield* invalid("recommendToCity", `applicationId: 「${i.applicationId}」公示期内收到异议，暂不能推荐`)
      }
      const updated = new Call.Call({
        ...call,
        cityRecommendation: { applicationId: i.applicationId, recommendedOn: today, outcome: "pending" }
      })
      yield* deps.calls.update(updated, version)
      yield* emit(deps, i.tenantId, [
        { _tag: "CityRecommendation", callId: call.id, applicationId: i.applicationId, outcome: "pending" }
      ])
      yield* audit(deps, actor, i.tenantId, "recommendToCity", "Call", call.id, { applicationId: i.applicationId })
      return updated
    })
  )

  const recordCityOutcome = cmd("recordCityOutcome", Call.RecordCityOutcome, (i, _at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.callsManage, i.tenantId)
      const { value: call, version } = yield* loadCall(i.tenantId, i.callId)
      const recommendation = call.cityRecommendation
      if (recommendation === null || recommendation.outcome !== "pending") {
        return yield* new InvalidTransition({
          entity: "Call",
          id: call.id,
          state: "未推荐或已有结果",
          action: "登记市级结果"
        })
      }
      const updated = new Call.Call({ ...call, cityRecommendation: { ...recommendation, outcome: i.outcome } })
      yield* deps.calls.update(updated, version)
      yield* emit(deps, i.tenantId, [
        { _tag: "CityRecommendation", callId: call.id, applicationId: recommendation.applicationId, outcome: i.outcome }
      ])
      yield* audit(deps, actor, i.tenantId, "recordCityOutcome", "Call", call.id, { outcome: i.outcome })
      return updated
    })
  )

  /** What a reader may see of an application: the office all, the owner theirs, a judge those on their panels. */
  const getApplication = cmd(
    "getApplication",
    Application.ApplicationRef,
    (i, _at, actor) =>
      Effect.gen(function* () {
        const application = (yield* loadApplication(i.tenantId, i.applicationId)).value
        if (holds(deps, actor, Permission.applicationsRead, i.tenantId)) return application
        const actorId = ActorModule.id(actor)
        if (holds(deps, actor, Permission.score, i.tenantId)) {
          const sessions = yield* deps.sessions.find(i.tenantId, { call_id: application.callId })
          const assigned = sessions.some(
            ({ value }) =>
              value.judgeIds.includes(actorId) && value.slots.some((slot) => slot.applicationId === application.id)
          )
          if (assigned) return application
          return yield* new NotAssigned({ judgeId: actorId, sessionId: sessions[0]?.value.id ?? "-" })
        }
        yield* authorize(deps, actor, Permission.apply, i.tenantId)
        if (application.ownerId !== actorId) return yield* new NotOwner({ actorId, applicationId: application.id })
        return application
      }),
    { transaction: false }
  )

  return {
    scheduleSession,
    declare,
    openPanel,
    closePanel,
    score,
    sessionRanking,
    select,
    publicise,
    raiseObjection,
    recommendToCity,
    recordCityOutcome,
    getApplication
  }
}
