import { assert, describe, it } from "@effect/vitest"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { Effect, Either, Layer, Option, Schema, TestClock } from "effect"
import type * as Inputs from "../src/OpinionInputs.js"
import * as OpinionNotifications from "../src/OpinionNotifications.js"
import * as Opinions from "../src/Opinions.js"
import * as Report from "../src/Report.js"
import * as ReportRepo from "../src/ReportRepo.js"
import * as Routing from "../src/Routing.js"
import {
  admin,
  auditEntries,
  cityHandler,
  clerk,
  dispatcher,
  events,
  MONDAY_9AM,
  otherResident,
  otherStreetDispatcher,
  pingshan,
  ports,
  resident,
  routingTable,
  scheduler,
  service,
  streetDispatcher,
  submission,
  supervisor,
  tenantId,
  waterHandler,
  withService
} from "./fixtures/workflow.js"

/** Deep equality without the static types (branded strings compare as plain strings). */
const same = (actual: unknown, expected: unknown, message?: string) => assert.deepStrictEqual(actual, expected, message)

const HOUR = 3_600_000
const DAY = 24 * HOUR

const waterLeak = (overrides: Partial<Inputs.SubmitInput> = {}) =>
  submission({
    category: "GF01",
    kind: "complaint",
    content: "小区停水三天，水务没有通知",
    contactPhone: "13812345678",
    ...overrides
  })

/** Submit, dispatch (to the routed department), accept, start handling. */
const inHandling = (input: Inputs.SubmitInput = waterLeak()) =>
  Effect.gen(function* () {
    const opinion = yield* service
    const report = yield* opinion.submit(resident, input)
    yield* opinion.dispatch(dispatcher, { reportId: report.id })
    yield* opinion.accept(waterHandler, { reportId: report.id })
    return yield* opinion.startHandling(waterHandler, { reportId: report.id })
  })

describe("Opinions", () => {
  it.effect("a report goes around the closed loop with events, audit entries and history", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const submitted = yield* opinion.submit(resident, waterLeak())
        assert.match(submitted.id, /^R20260302[0-9A-Z]{8}$/)
        assert.strictEqual(submitted.status, "received")
        assert.strictEqual(submitted.bucket, "open")
        assert.strictEqual(submitted.location.streetCode, "440310001")
        assert.strictEqual(submitted.suggestedDepartment, "ps-water")
        same(submitted.reporter, { _tag: "Resident", userId: "U1001" })
        // a complaint: 13 working days after Monday 2026-03-02
        assert.strictEqual(submitted.deadline.dueDate, "2026-03-19")
        assert.isTrue(submitted.deadline.certain)

        const dispatched = yield* opinion.dispatch(dispatcher, { reportId: submitted.id, note: "请尽快核实" })
        assert.strictEqual(dispatched.department, "ps-water")
        yield* opinion.accept(waterHandler, { reportId: submitted.id })
        yield* opinion.startHandling(waterHandler, { reportId: submitted.id })
        yield* opinion.addInternalNote(waterHandler, { reportId: submitted.id, text: "管网抢修中，预计周四恢复" })
        yield* TestClock.adjust(DAY)
        const replied = yield* opinion.reply(waterHandler, { reportId: submitted.id, text: "已恢复供水，感谢反映" })
        assert.strictEqual(replied.status, "replied")
        assert.strictEqual(replied.followUpDue, "2026-03-04")
        const followed = yield* opinion.followUp(dispatcher, { reportId: submitted.id, satisfaction: "satisfied" })
        assert.strictEqual(followed.satisfaction, "satisfied")
        const closed = yield* opinion.close(dispatcher, { reportId: submitted.id })
        assert.strictEqual(closed.status, "closed")
        assert.strictEqual(closed.bucket, "closed-resolved")
        assert.deepStrictEqual(closed.closedAt, new Date(MONDAY_9AM + DAY))
        assert.isUndefined(closed.dueAt)
        assert.isUndefined(closed.nextEscalationAt)

        assert.deepStrictEqual(
          closed.history.map((h) => [h.command, h.from ?? null, h.to]),
          [
            ["submit", null, "received"],
            ["dispatch", "received", "dispatched"],
            ["accept", "dispatched", "accepted"],
            ["startHandling", "accepted", "in-progress"],
            ["reply", "in-progress", "replied"],
            ["followUp", "replied", "followed-up"],
            ["close", "followed-up", "closed"]
          ]
        )
        assert.deepStrictEqual(closed.history[1].by, { kind: "Staff", id: "S100" })
        assert.strictEqual(closed.history[1].note, "请尽快核实")

        const types = (yield* events).map((e) => e.event._tag)
        assert.deepStrictEqual(types, [
          "ReportReceived",
          "ReportDispatched",
          "ReportAccepted",
          "HandlingStarted",
          "ReplyPublished",
          "FollowUpRequested",
          "SatisfactionRecorded",
          "ReportClosed"
        ])
        const all = yield* events
        const dispatchedEvent = all[1].event
        assert.strictEqual(all[1].type, "opinion.ReportDispatched")
        assert.strictEqual(all[1].raw.aggregateId, submitted.id)
        if (dispatchedEvent._tag === "ReportDispatched") {
          assert.strictEqual(dispatchedEvent.departmentName, "坪山区水务局")
          assert.strictEqual(dispatchedEvent.dueDate, "2026-03-19")
        }
        const audit = yield* auditEntries
        assert.deepStrictEqual(
          audit.map((entry) => entry.action),
          [
            "opinion.reports.submit",
            "opinion.reports.dispatch",
            "opinion.reports.accept",
            "opinion.reports.startHandling",
            "opinion.reports.note",
            "opinion.reports.reply",
            "opinion.reports.followUp",
            "opinion.reports.close"
          ]
        )
        assert.deepStrictEqual(
          audit.map((entry) => entry.actorId),
          ["U1001", "S100", "S200", "S200", "S200", "S200", "S100", "S100"]
        )
        const verified = yield* Effect.flatMap(AuditLog.AuditLog, (log) => log.verify(tenantId))
        assert.strictEqual(verified._tag, "Intact")
      })
    )
  )

  it.effect("a command the workflow does not allow fails with the state and command in Chinese", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const report = yield* opinion.submit(resident, waterLeak())
        const tooEarly = yield* Effect.flip(opinion.accept(waterHandler, { reportId: report.id }))
        assert.strictEqual(tooEarly._tag, "TransitionNotAllowed")
        assert.include(tooEarly.message, `诉求 ${report.id} 当前状态为「已受理」，不能执行「签收」`)
        const closed = yield* opinion.close(admin, { reportId: report.id, unresolved: true }).pipe(Effect.flip)
        assert.strictEqual(closed._tag, "TransitionNotAllowed")
        const missing = yield* Effect.flip(opinion.dispatch(dispatcher, { reportId: "R404" }))
        assert.strictEqual(missing._tag, "ReportNotFound")
        assert.include(missing.message, "未找到诉求 R404")
        const invalid = yield* Effect.flip(opinion.dispatch(dispatcher, { reportId: report.id, department: "nope" }))
        assert.strictEqual(invalid._tag, "InvalidInput")
        assert.include(invalid.message, "承办单位 nope 不在本区承办单位中")
        // nothing happened to the report
        const stored = yield* Effect.flatMap(ReportRepo.ReportRepo, (repo) => repo.get(tenantId, report.id))
        assert.strictEqual(Option.getOrThrow(stored).version, 1)
        assert.strictEqual((yield* events).length, 1)
      })
    )
  )

  it.effect("only the department a report is assigned to works on it; a returned report goes back to dispatch", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const report = yield* opinion.submit(resident, waterLeak())
        yield* opinion.dispatch(dispatcher, { reportId: report.id })
        const wrong = yield* Effect.flip(opinion.accept(cityHandler, { reportId: report.id }))
        assert.strictEqual(wrong._tag, "NotAssigned")
        assert.include(wrong.message, "派给「坪山区水务局」")
        assert.include(wrong.message, "坪山区城市管理和综合执法局")
        const forbidden = yield* Effect.flip(opinion.accept(resident, { reportId: report.id }))
        assert.strictEqual(forbidden._tag, "Forbidden")
        const returned = yield* opinion.returnReport(waterHandler, { reportId: report.id, reason: "不属于本单位职责" })
        assert.strictEqual(returned.status, "returned")
        assert.isUndefined(returned.department)
        const noReason = yield* Effect.flip(opinion.returnReport(waterHandler, { reportId: report.id, reason: "" }))
        assert.strictEqual(noReason._tag, "InvalidInput")
        const redispatched = yield* opinion.dispatch(dispatcher, { reportId: report.id, department: "ps-cg" })
        assert.strictEqual(redispatched.department, "ps-cg")
        yield* opinion.accept(cityHandler, { reportId: report.id })
        // a role granting any department stands in
        const started = yield* opinion.startHandling(admin, { reportId: report.id })
        assert.strictEqual(started.status, "in-progress")
      })
    )
  )

  it.effect("residents see their own reports without internal notes; departments and streets see what is theirs", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const report = yield* inHandling()
        yield* opinion.addInternalNote(waterHandler, { reportId: report.id, text: "内部：涉及施工单位责任" })
        yield* opinion.reply(waterHandler, { reportId: report.id, text: "已修复" })

        const own = yield* opinion.get(resident, { reportId: report.id })
        assert.strictEqual(own._tag, "Public")
        assert.notInclude(JSON.stringify(own.report), "内部")
        assert.notInclude(JSON.stringify(own.report), "S200")
        assert.notInclude(JSON.stringify(own.report), "gz1.")
        if (own._tag === "Public") {
          assert.deepStrictEqual(
            own.report.replies.map((r) => r.text),
            ["已修复"]
          )
          assert.strictEqual(own.report.statusName, "已答复")
        }
        const stranger = yield* Effect.flip(opinion.get(otherResident, { reportId: report.id }))
        assert.strictEqual(stranger._tag, "Forbidden")
        const department = yield* opinion.get(waterHandler, { reportId: report.id })
        assert.strictEqual(department._tag, "Full")
        if (department._tag === "Full")
          assert.strictEqual(department.report.internalNotes[0].text, "内部：涉及施工单位责任")
        assert.strictEqual((yield* Effect.flip(opinion.get(cityHandler, { reportId: report.id })))._tag, "Forbidden")
        assert.strictEqual((yield* opinion.get(streetDispatcher, { reportId: report.id }))._tag, "Full")
        assert.strictEqual(
          (yield* Effect.flip(opinion.get(otherStreetDispatcher, { reportId: report.id })))._tag,
          "Forbidden"
        )
        const noted = yield* Effect.flip(opinion.addInternalNote(cityHandler, { reportId: report.id, text: "越权" }))
        assert.strictEqual(noted._tag, "Forbidden")
      })
    )
  )

  it.effect("lists are limited to one's own reports, street or department", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const mine = yield* opinion.submit(resident, waterLeak())
        yield* opinion.submit(otherResident, waterLeak())
        const inMaluan = yield* opinion.submit(
          otherResident,
          waterLeak({ location: { communityCode: "440310002001" } })
        )
        yield* opinion.dispatch(dispatcher, { reportId: inMaluan.id })
        yield* opinion.submit(resident, submission({ category: "SM02", location: { communityCode: "440310003001" } }))

        const ownPage = yield* opinion.list(resident, { limit: 10 })
        assert.deepStrictEqual(
          ownPage.items.map((v) => v._tag),
          ["Public", "Public"]
        )
        assert.include(
          ownPage.items.map((v) => v.report.id),
          mine.id
        )
        const street = yield* opinion.list(streetDispatcher, { limit: 10 })
        assert.strictEqual(street.items.length, 2)
        assert.isTrue(street.items.every((v) => v._tag === "Full" && v.report.location.streetCode === "440310001"))
        const refused = yield* Effect.flip(opinion.list(streetDispatcher, { limit: 10, streetCode: "440310002" }))
        assert.strictEqual(refused._tag, "Forbidden")
        const department = yield* opinion.list(waterHandler, { limit: 10 })
        assert.deepStrictEqual(
          department.items.map((v) => v.report.id),
          [inMaluan.id]
        )
        const district = yield* opinion.list(dispatcher, { limit: 2, direction: "asc" })
        assert.strictEqual(district.items.length, 2)
        const next = yield* opinion.list(dispatcher, { limit: 2, direction: "asc", cursor: district.nextCursor! })
        assert.strictEqual(next.items.length, 2)
        assert.isUndefined(next.nextCursor)
        const open = yield* opinion.list(dispatcher, { limit: 10, status: "dispatched" })
        assert.deepStrictEqual(
          open.items.map((v) => v.report.id),
          [inMaluan.id]
        )
      })
    )
  )

  it.effect("an approved extension moves the due date by working days; a denied one does not", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const report = yield* inHandling()
        assert.strictEqual(report.deadline.dueDate, "2026-03-19")
        yield* opinion.requestExtension(waterHandler, { reportId: report.id, workingDays: 5, reason: "需更换主管道" })
        const blocked = yield* Effect.flip(opinion.reply(waterHandler, { reportId: report.id, text: "好" }))
        assert.strictEqual(blocked._tag, "TransitionNotAllowed")
        const approved = yield* opinion.decideExtension(supervisor, { reportId: report.id, approve: true })
        assert.strictEqual(approved.status, "in-progress")
        assert.strictEqual(approved.deadline.dueDate, "2026-03-26")
        assert.deepInclude(approved.extensions[0] as unknown as Record<string, unknown>, {
          status: "approved",
          previousDueDate: "2026-03-19",
          newDueDate: "2026-03-26"
        })
        yield* opinion.requestExtension(waterHandler, { reportId: report.id, workingDays: 3, reason: "再延" })
        const denied = yield* opinion.decideExtension(supervisor, {
          reportId: report.id,
          approve: false,
          note: "不予延期"
        })
        assert.strictEqual(denied.deadline.dueDate, "2026-03-26")
        assert.strictEqual(denied.extensions[1].status, "denied")
        const decided = (yield* events).filter((e) => e.event._tag === "ExtensionDecided").map((e) => e.event)
        assert.deepStrictEqual(
          decided.map((e) => (e._tag === "ExtensionDecided" ? [e.approved, e.dueDate] : [])),
          [
            [true, "2026-03-26"],
            [false, "2026-03-26"]
          ]
        )
      })
    )
  )

  it.effect("the deadline sweep reminds once before the due date and escalates once per missed deadline", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        // an enquiry: due 3 working days after Monday = Thursday 2026-03-05, reminder on Wednesday
        const report = yield* opinion.submit(resident, waterLeak({ kind: "enquiry" }))
        assert.strictEqual(report.deadline.dueDate, "2026-03-05")
        assert.strictEqual(report.deadline.remindOn, "2026-03-04")
        assert.deepStrictEqual((yield* opinion.remindApproaching(scheduler)).reportIds, [])
        yield* TestClock.setTime(Date.UTC(2026, 2, 3, 16, 0)) // Wednesday 00:00 in Shenzhen
        assert.deepStrictEqual((yield* opinion.remindApproaching(scheduler)).reportIds, [report.id])
        assert.deepStrictEqual((yield* opinion.remindApproaching(scheduler)).reportIds, [])
        // Thursday 23:59 Shenzhen: not yet overdue; Friday 00:00: overdue
        yield* TestClock.setTime(Date.UTC(2026, 2, 5, 15, 59))
        assert.deepStrictEqual((yield* opinion.escalateOverdue(scheduler)).reportIds, [])
        yield* TestClock.setTime(Date.UTC(2026, 2, 5, 16, 0))
        const repo = yield* ReportRepo.ReportRepo
        assert.deepStrictEqual(
          (yield* repo.findOverdue(tenantId, new Date(Date.UTC(2026, 2, 5, 16, 0)))).map((r) => r.value.id),
          [report.id]
        )
        assert.deepStrictEqual((yield* opinion.escalateOverdue(scheduler)).reportIds, [report.id])
        assert.deepStrictEqual((yield* opinion.escalateOverdue(supervisor)).reportIds, [])
        // escalation does not change the state; the report can still be handled
        yield* opinion.dispatch(dispatcher, { reportId: report.id })
        yield* opinion.accept(waterHandler, { reportId: report.id })
        yield* opinion.requestExtension(waterHandler, { reportId: report.id, workingDays: 2, reason: "等待配件" })
        const extended = yield* opinion.decideExtension(supervisor, { reportId: report.id, approve: true })
        assert.strictEqual(extended.deadline.dueDate, "2026-03-09")
        yield* TestClock.setTime(Date.UTC(2026, 2, 9, 16, 0))
        assert.deepStrictEqual((yield* opinion.escalateOverdue(scheduler)).reportIds, [report.id])
        const stored = Option.getOrThrow(yield* repo.get(tenantId, report.id)).value
        same(
          stored.escalations.map((e) => [e.dueDate, e.level]),
          [
            ["2026-03-05", 1],
            ["2026-03-09", 2]
          ]
        )
        const overdue = (yield* events).filter((e) => e.event._tag === "ReportOverdue").map((e) => e.event)
        same(
          overdue.map((e) => (e._tag === "ReportOverdue" ? [e.level, e.department ?? null] : [])),
          [
            [1, null],
            [2, "ps-water"]
          ]
        )
        assert.isTrue(Report.wasOverdue(stored))
        // the sweep is a permission of its own, and a street only sweeps its street
        assert.strictEqual((yield* Effect.flip(opinion.escalateOverdue(waterHandler)))._tag, "Forbidden")
      })
    )
  )

  it.effect("merging duplicates closes them onto the primary, whose reply reaches every reporter", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const primary = yield* opinion.submit(resident, waterLeak())
        const duplicate = yield* opinion.submit(
          otherResident,
          submission({ category: "GF01", kind: "complaint", content: "又停水了" })
        )
        const third = yield* opinion.submit(clerk, waterLeak({ channel: "hotline", contactPhone: "13912345678" }))
        const merged = yield* opinion.merge(dispatcher, { primaryId: primary.id, duplicateIds: [duplicate.id] })
        assert.deepStrictEqual(merged.mergedIds, [duplicate.id])
        const repo = yield* ReportRepo.ReportRepo
        const dup = Option.getOrThrow(yield* repo.get(tenantId, duplicate.id)).value
        assert.strictEqual(dup.status, "merged")
        assert.strictEqual(dup.bucket, "closed-resolved")
        assert.strictEqual(dup.mergedInto, primary.id)
        assert.isUndefined(dup.nextEscalationAt)
        assert.strictEqual(
          (yield* Effect.flip(opinion.merge(dispatcher, { primaryId: duplicate.id, duplicateIds: [third.id] })))._tag,
          "MergeRejected"
        )
        assert.strictEqual(
          (yield* Effect.flip(opinion.merge(dispatcher, { primaryId: primary.id, duplicateIds: [primary.id] })))._tag,
          "MergeRejected"
        )

        yield* opinion.dispatch(dispatcher, { reportId: primary.id })
        yield* opinion.accept(waterHandler, { reportId: primary.id })
        yield* opinion.reply(waterHandler, { reportId: primary.id, text: "已恢复供水" })
        // merging after the reply hands the reply on at once
        yield* opinion.merge(dispatcher, { primaryId: primary.id, duplicateIds: [third.id] })
        const replies = (yield* events).filter((e) => e.event._tag === "ReplyPublished").map((e) => e.event)
        assert.deepStrictEqual(
          replies.map((e) =>
            e._tag === "ReplyPublished" ? [e.reportId, e.recipientReportId, e.text, e.hasContact] : []
          ),
          [
            [primary.id, duplicate.id, "已恢复供水", false],
            [primary.id, primary.id, "已恢复供水", true],
            [primary.id, third.id, "已恢复供水", true]
          ]
        )
        const dupView = yield* opinion.get(otherResident, { reportId: duplicate.id })
        assert.strictEqual(dupView._tag, "Public")
        if (dupView._tag === "Public") {
          assert.deepStrictEqual(
            dupView.report.replies.map((r) => r.text),
            ["已恢复供水"]
          )
          assert.strictEqual(dupView.report.mergedInto, primary.id)
        }
      })
    )
  )

  it.effect("an unsatisfied follow-up cannot be closed as resolved; reopening starts a new deadline", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const report = yield* inHandling()
        yield* opinion.reply(waterHandler, { reportId: report.id, text: "已处理" })
        const early = yield* Effect.flip(opinion.close(dispatcher, { reportId: report.id }))
        assert.include(early.message, "答复后须先回访")
        yield* opinion.followUp(dispatcher, { reportId: report.id, satisfaction: "unsatisfied", comment: "还是没水" })
        const refused = yield* Effect.flip(opinion.close(dispatcher, { reportId: report.id }))
        assert.strictEqual(refused._tag, "TransitionNotAllowed")
        assert.include(refused.message, "回访结果为「不满意」，应重办或按未解决办结")
        yield* TestClock.adjust(2 * DAY)
        const reopened = yield* opinion.reopen(supervisor, { reportId: report.id, reason: "群众不满意" })
        assert.strictEqual(reopened.status, "reopened")
        assert.strictEqual(reopened.reopenCount, 1)
        assert.isUndefined(reopened.satisfaction)
        assert.strictEqual(reopened.deadline.dueDate, "2026-03-23")
        assert.strictEqual(reopened.department, "ps-water")
        yield* opinion.dispatch(dispatcher, { reportId: report.id })
        yield* opinion.accept(waterHandler, { reportId: report.id })
        yield* opinion.reply(waterHandler, { reportId: report.id, text: "已更换管道" })
        yield* opinion.followUp(dispatcher, { reportId: report.id, satisfaction: "basically-satisfied" })
        const closed = yield* opinion.close(dispatcher, { reportId: report.id })
        assert.strictEqual(closed.bucket, "closed-resolved")
        assert.strictEqual(closed.replies.length, 2)
        // closing as unresolved is always possible after a follow-up
        const second = yield* inHandling()
        yield* opinion.reply(waterHandler, { reportId: second.id, text: "无法满足" })
        yield* opinion.followUp(dispatcher, { reportId: second.id, satisfaction: "unsatisfied" })
        const unresolved = yield* opinion.close(dispatcher, {
          reportId: second.id,
          unresolved: true,
          note: "诉求超出政策"
        })
        assert.strictEqual(unresolved.status, "closed-unresolved")
        assert.strictEqual(unresolved.bucket, "closed-unresolved")
        const closedEvents = (yield* events).filter((e) => e.event._tag === "ReportClosed").map((e) => e.event)
        assert.deepStrictEqual(
          closedEvents.map((e) => (e._tag === "ReportClosed" ? e.resolved : null)),
          [true, false]
        )
      })
    )
  )

  it.effect("an anonymous report without contact may be closed after the reply without a follow-up", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const report = yield* opinion.submit(clerk, submission({ category: "GF01", channel: "hotline" }))
        yield* opinion.dispatch(dispatcher, { reportId: report.id })
        yield* opinion.accept(waterHandler, { reportId: report.id })
        yield* opinion.reply(waterHandler, { reportId: report.id, text: "已处理" })
        const closed = yield* opinion.close(dispatcher, { reportId: report.id })
        assert.strictEqual(closed.status, "closed")
      })
    )
  )

  it.effect("a refused command writes nothing: no state change, no event, no audit entry", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const report = yield* opinion.submit(resident, waterLeak())
        const before = { events: (yield* events).length, audit: (yield* auditEntries).length }
        assert.strictEqual(
          (yield* Effect.flip(opinion.dispatch(waterHandler, { reportId: report.id })))._tag,
          "Forbidden"
        )
        assert.strictEqual(
          (yield* Effect.flip(opinion.dispatch(otherStreetDispatcher, { reportId: report.id })))._tag,
          "Forbidden"
        )
        assert.deepStrictEqual({ events: (yield* events).length, audit: (yield* auditEntries).length }, before)
        const repo = yield* ReportRepo.ReportRepo
        assert.strictEqual(Option.getOrThrow(yield* repo.get(tenantId, report.id)).value.status, "received")
      })
    )
  )

  it.effect("a configuration that does not fit the district is refused at start", () =>
    Effect.gen(function* () {
      const regions = yield* pingshan
      const broken = new Routing.RoutingTable({
        ...routingTable,
        rules: [
          ...routingTable.rules,
          new Routing.Rule({ category: "ZZ", department: "nobody" as Routing.DepartmentCode })
        ]
      })
      const result = yield* Effect.either(
        Layer.build(Opinions.layer({ regions, routing: broken }).pipe(Layer.provide(ports()))).pipe(Effect.scoped)
      )
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "InvalidConfiguration")
        assert.include(result.left.message, "承办单位 nobody 不在承办单位列表中")
        assert.include(result.left.message, "分类 ZZ 不在诉求分类中")
      }
    }).pipe(Effect.orDie)
  )

  it.effect("default subscriptions check out against the channels and render the module's events in Chinese", () =>
    withService(
      Effect.gen(function* () {
        const subscriptions = OpinionNotifications.defaultSubscriptions({
          channels: { staff: ["wecom"], reporters: ["sms"] },
          recipients: {
            department: (code) => Effect.succeed([{ id: `dept-${code}`, addresses: { wecom: code } }]),
            supervisors: (street) => Effect.succeed([{ id: `sup-${street}`, addresses: { wecom: street } }]),
            followUpTeam: () => Effect.succeed([{ id: "callcenter", addresses: { wecom: "cc" } }]),
            reporter: (reportId) => Effect.succeed([{ id: `reporter-${reportId}`, addresses: { sms: "on-file" } }])
          }
        })
        const configured = yield* Subscription.configure(subscriptions, { channels: ["wecom", "sms"] })
        const unknownChannel = yield* Effect.flip(Subscription.configure(subscriptions, { channels: ["wecom"] }))
        assert.strictEqual(unknownChannel.reason, "UnknownChannel")

        const opinion = yield* service
        const report = yield* opinion.submit(resident, waterLeak({ urgency: "urgent", kind: "enquiry" }))
        yield* opinion.dispatch(dispatcher, { reportId: report.id })
        yield* TestClock.setTime(Date.UTC(2026, 2, 3, 16, 0))
        yield* opinion.remindApproaching(scheduler)
        yield* TestClock.setTime(Date.UTC(2026, 2, 5, 16, 0))
        yield* opinion.escalateOverdue(scheduler)
        yield* opinion.accept(waterHandler, { reportId: report.id })
        yield* opinion.reply(waterHandler, { reportId: report.id, text: "已恢复供水" })

        const rendered: Array<[string, ReadonlyArray<string>, string]> = []
        for (const { raw } of yield* events) {
          for (const subscription of configured.forEvent(raw.type)) {
            const typed =
              subscription.payload === undefined
                ? raw.payload
                : yield* Effect.orDie(Schema.decodeUnknown(subscription.payload)(raw.payload))
            const recipients = yield* Effect.orDie(subscription.recipients({ event: raw, payload: typed }))
            const data = Subscription.mapData(
              subscription.data,
              { event: raw, payload: typed },
              {
                id: "r",
                addresses: {}
              }
            )
            const message = yield* Template.render(subscription.template, data)
            rendered.push([
              subscription.id,
              recipients.map((r) => (r as { id: string }).id),
              `${message.subject}｜${message.body.text}`
            ])
          }
        }
        assert.deepStrictEqual(
          rendered.map(([id, to]) => [id, to]),
          [
            ["opinion.notifyDepartment", ["dept-ps-water"]],
            ["opinion.remindDeadline", ["dept-ps-water"]],
            ["opinion.escalateOverdue", ["sup-440310001", "dept-ps-water"]],
            ["opinion.notifyReporter", [`reporter-${report.id}`]],
            ["opinion.requestFollowUp", ["callcenter"]]
          ]
        )
        const texts = rendered.map(([, , text]) => text)
        assert.strictEqual(
          texts[0],
          `【新派单】紧急诉求 ${report.id}（公共服务 / 水电燃气）｜坪山区水务局：诉求 ${report.id}（公共服务 / 水电燃气，紧急）已派至贵单位，请及时签收，并于 2026-03-05 前答复。`
        )
        assert.include(texts[1], `【临期提醒】诉求 ${report.id} 将于 2026-03-05 到期`)
        assert.include(texts[2], "现第 1 次督办")
        assert.include(texts[3], "已有答复：已恢复供水")
        assert.include(texts[4], "电话已登记")
        assert.notInclude(texts.join(""), "5678")
      })
    )
  )
})
