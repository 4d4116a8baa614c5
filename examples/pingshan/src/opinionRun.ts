/**
 * The 民情 quarter of the Pingshan run: synthetic reports from the volunteers' visits and every other channel
 * (`Generator`), each submitted by the right actor — the volunteer who met the resident, a resident with an account,
 * the 民情 centre's clerk for calls, meetings and deputies — then dispatched, signed for (or returned and
 * re-dispatched), handled (some with an extension), answered, followed up and closed (or reopened after an
 * unsatisfied follow-up), at plausible office times on the official calendar; a few are never answered and become
 * overdue and escalated (督办); near-duplicates that `Dedupe` suggests are merged each evening. Then the quarter is
 * analysed (`opinionAnalysis.ts`: the figures from `Opinions.statistics`, the topics and the situation report).
 *
 * @since 0.1.0
 */
import type * as Actor from "@gongzhi/core/Actor"
import * as MobileNumber from "@gongzhi/core/MobileNumber"
import * as Region from "@gongzhi/core/Region"
import * as Opinions from "@gongzhi/opinion/Opinions"
import * as Routing from "@gongzhi/opinion/Routing"
import * as Taxonomy from "@gongzhi/opinion/Taxonomy"
import * as Dedupe from "@gongzhi/opinion-analysis/Dedupe"
import * as Generator from "@gongzhi/opinion-analysis/Generator"
import * as Synthetic from "@gongzhi/volunteers/Synthetic"
import { Effect } from "effect"
import { failed, type RunFailed } from "./errors.js"
import type { OfficeHours } from "./officeHours.js"
import * as OpinionAnalysis from "./opinionAnalysis.js"
import type { Quarter } from "./opinionQuarter.js"
import { type Actors, streetOffice } from "./organisation.js"
import { at, datesBetween, localDate, type SimulatedClock } from "./simClock.js"
import * as Timeline from "./timeline.js"
import type { Visit } from "./volunteersRun.js"

export type { OpinionResult } from "./opinionAnalysis.js"
export { topicStopWords } from "./opinionAnalysis.js"
export { type Quarter, quarter } from "./opinionQuarter.js"

/**
 * Options of the quarter.
 *
 * @since 0.1.0
 * @category models
 */
export interface OpinionRunOptions {
  readonly regions: Region.RegionTree
  readonly routing: Routing.RoutingTable
  readonly actors: Actors
  readonly hours: OfficeHours
  readonly clock: SimulatedClock
  readonly outDir: string
  readonly seed: number
  readonly quarter: Quarter
  /** How many reports the generator makes (default 800). */
  readonly reports?: number | undefined
  /** The volunteers and their home communities (the visits' reporters). */
  readonly volunteers: ReadonlyArray<{ readonly volunteerId: string; readonly communityCode: string }>
  /** The visits the volunteers made (a visit report is filed by a volunteer who was there that week). */
  readonly visits: ReadonlyArray<Visit>
  readonly progress: (line: string) => Effect.Effect<void>
  /** Runs the dispatcher and prints what it delivered (after each month). */
  readonly dispatch: (label: string) => Effect.Effect<void, RunFailed>
}

const MINUTE = 60_000
const MERGEABLE = new Set([
  "received",
  "dispatched",
  "returned",
  "accepted",
  "in-progress",
  "extension-requested",
  "reopened"
])

interface Case {
  readonly key: string
  readonly id: string
  readonly text: string
  readonly category: string
  /** Urgent and emergency reports are handled around the clock. */
  readonly pressing: boolean
  readonly streetCode: string
  readonly communityCode: string
  readonly receivedAt: number
  readonly reachable: boolean
  status: string
  department: string | undefined
  dueDate: string
  returned: boolean
  late: boolean
  merged: boolean
  hasMerged: boolean
  reopenCount: number
}

const replyText = (taxonomy: Taxonomy.Taxonomy, routing: Routing.RoutingTable, c: Case): string => {
  const label = Taxonomy.categoryLabel(taxonomy, c.category).split(" / ").at(-1) ?? c.category
  const department = Routing.departmentName(routing, c.department ?? "")
  return `您反映的${label}问题，${department}已安排人员现场核查并处理，处理结果已登记备查。如仍有问题，欢迎再次反映。`
}

/**
 * Runs the quarter, analyses it and writes the situation report.
 *
 * @since 0.1.0
 * @category constructors
 */
export const run = (options: OpinionRunOptions) =>
  Effect.gen(function* () {
    const { actors, clock, hours, regions, routing } = options
    const opinion = yield* Opinions.Opinions
    const tenantId = opinion.settings.tenantId
    const taxonomy = opinion.settings.taxonomy
    const next = Synthetic.random(options.seed)
    const chance = (p: number) => next() < p
    const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
    const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(next() * items.length)]
    const from = at(options.quarter.from)
    const to = at(options.quarter.to)

    // ---- the reports --------------------------------------------------------------------------------------
    const streets = Region.streets(regions)
    const communities = streets.flatMap((street) =>
      Region.communities(regions, street.code).map((community) => ({
        code: community.code as string,
        name: Region.displayName(community),
        streetCode: street.code as string,
        streetName: street.name
      }))
    )
    const lastMonth = new Date(to - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 7)
    const generated = yield* Generator.generate({
      places: Generator.pingshanPlaces,
      seed: options.seed,
      count: options.reports ?? 800,
      from: new Date(from),
      to: new Date(to),
      communities,
      keyPrefix: `${options.quarter.label}-`,
      // spring comes early in Shenzhen: mosquito complaints rise in the quarter's last month
      surges: [{ template: "mosquito", from: new Date(at(`${lastMonth}-01`)), to: new Date(to), factor: 4 }]
    })
    const homes = new Map<string, Array<string>>()
    for (const v of options.volunteers)
      homes.set(v.communityCode, [...(homes.get(v.communityCode) ?? []), v.volunteerId])
    const streetOf = new Map(communities.map((c) => [c.code, c.streetCode]))
    const reporterFor = (communityCode: string, receivedAt: number): string | undefined => {
      const week = 7 * 86_400_000
      const near = options.visits.filter(
        (v) => v.communityCode === communityCode && Math.abs(v.endedAt - receivedAt) <= week
      )
      if (near.length > 0) return pick(near).volunteerId
      const local = homes.get(communityCode) ?? []
      if (local.length > 0) return pick(local)
      const street = streetOf.get(communityCode)
      const same = options.volunteers.filter((v) => streetOf.get(v.communityCode) === street)
      return same.length > 0 ? pick(same).volunteerId : undefined
    }

    const timeline = Timeline.make<RunFailed, never>(clock, failed("民情"))
    const cases = new Map<string, Case>()
    const counts = { submitted: 0, merged: 0, returned: 0, extensions: 0, reopened: 0 }
    const total = generated.length
    const step = Math.max(1, Math.round(total / 6 / 50) * 50)

    const submit = (r: Generator.SyntheticReport) =>
      Effect.gen(function* () {
        let actor: Actor.Actor = actors.clerk
        let contactPhone: string | undefined
        const volunteerId = r.channel === "volunteer-visit" ? reporterFor(r.communityCode, clock.now()) : undefined
        if (volunteerId !== undefined) actor = actors.volunteer(volunteerId, r.streetCode)
        else if (r.channel === "mini-program" || r.channel === "open311" || r.channel === "web") {
          actor = actors.resident(`U${String(Math.floor(next() * 90_000) + 10_000)}`)
          if (chance(0.5)) contactPhone = MobileNumber.generate(next)
        } else if (r.channel === "hotline" && chance(0.9)) contactPhone = MobileNumber.generate(next)
        const submitted = yield* opinion.submit(actor, {
          tenantId,
          idempotencyKey: r.key,
          ...(contactPhone === undefined ? {} : { contactPhone }),
          location: { communityCode: r.communityCode, address: r.address },
          category: r.category,
          kind: r.kind,
          urgency: r.urgency as Taxonomy.Urgency,
          channel: r.channel,
          content: r.content
        })
        // the 民情 centre reads the new report in full (the submitter only sees their own view of it)
        const read = yield* opinion.get(actors.dispatcher, { tenantId, reportId: submitted.report.id })
        if (read._tag !== "Full") return yield* Effect.dieMessage("the dispatcher reads reports in full")
        const report = read.report
        const c: Case = {
          key: r.key,
          id: report.id,
          text: report.content,
          category: report.category,
          pressing: report.urgency !== "normal",
          streetCode: report.location.streetCode,
          communityCode: report.location.communityCode,
          receivedAt: report.receivedAt.getTime(),
          reachable: report.reporter._tag !== "Anonymous" || report.contact !== undefined,
          status: report.status,
          department: undefined,
          dueDate: report.deadline.dueDate,
          returned: false,
          late: false,
          merged: false,
          hasMerged: false,
          reopenCount: 0
        }
        cases.set(c.id, c)
        counts.submitted++
        if (counts.submitted % step === 0 || counts.submitted === total) {
          yield* options.progress(`提交民情 ${counts.submitted}/${total}（${localDate(clock.now())}）…`)
        }
        // the 民情 centre dispatches around the clock: within two hours, pressing ones within twenty minutes
        timeline.schedule(clock.now() + (c.pressing ? between(5, 20) : between(15, 120)) * MINUTE, () => dispatch(c))
      })

    /** The next step of a case: pressing ones at once, any hour; the others within office hours. */
    const later = (c: Case, min: number, max: number) =>
      c.pressing ? clock.now() + between(5, 30) * MINUTE : hours.addMinutes(clock.now(), between(min, max))

    /** The follow-up desk calls from 09:00 to 21:00, the same day or the next, as the policy asks. */
    const callBack = () => {
      const now = clock.now()
      const minutes = Math.floor((now - at(localDate(now))) / MINUTE)
      if (minutes >= 9 * 60 && minutes < 17 * 60) return now + between(60, 240) * MINUTE
      const day = minutes < 9 * 60 ? localDate(now) : localDate(now + 86_400_000)
      return at(day, 9) + between(0, 600) * MINUTE
    }

    /** Runs a step of a case unless it was merged meanwhile. */
    const live = (c: Case, body: Effect.Effect<void, unknown>) => (c.merged ? Effect.void : body)

    const dispatch = (c: Case, department?: string): Effect.Effect<void, unknown> =>
      live(
        c,
        Effect.gen(function* () {
          const report = yield* opinion.dispatch(actors.dispatcher, {
            tenantId,
            reportId: c.id,
            ...(department === undefined ? {} : { department })
          })
          c.status = report.status
          c.department = report.department
          if (!c.returned && c.reopenCount === 0 && chance(0.03)) {
            timeline.schedule(hours.addMinutes(clock.now(), between(30, 240)), () => returnReport(c))
          } else timeline.schedule(later(c, 10, 240), () => accept(c))
        })
      )

    const returnReport = (c: Case) =>
      live(
        c,
        Effect.gen(function* () {
          const report = yield* opinion.returnReport(actors.handler(c.department ?? ""), {
            tenantId,
            reportId: c.id,
            reason: "经核实，该事项不属于本单位职责范围，请重新派单"
          })
          c.status = report.status
          c.returned = true
          counts.returned++
          const office = streetOffice(c.streetCode)
          const other = c.department === office ? "ps-center" : office
          timeline.schedule(clock.now() + between(30, 120) * MINUTE, () => dispatch(c, other))
        })
      )

    const accept = (c: Case) =>
      live(
        c,
        Effect.gen(function* () {
          const report = yield* opinion.accept(actors.handler(c.department ?? ""), { tenantId, reportId: c.id })
          c.status = report.status
          timeline.schedule(later(c, 10, 480), () => startHandling(c))
        })
      )

    const startHandling = (c: Case) =>
      live(
        c,
        Effect.gen(function* () {
          const handler = actors.handler(c.department ?? "")
          const report = yield* opinion.startHandling(handler, { tenantId, reportId: c.id })
          c.status = report.status
          c.dueDate = report.deadline.dueDate
          const now = clock.now()
          const dueEnd = at(c.dueDate, 17, 30)
          const roll = next()
          if (c.reopenCount === 0 && roll < 0.025) return // never answered: it becomes overdue and is escalated
          if (c.reopenCount === 0 && roll < 0.065 && dueEnd - now > 86_400_000) {
            counts.extensions++
            timeline.schedule(Math.max(now + 30 * MINUTE, hours.open(at(c.dueDate, 10))), () => extend(c))
            return
          }
          if (c.reopenCount === 0 && roll < 0.135) {
            c.late = true
            const day = hours.addWorkingDays(c.dueDate, between(1, 4))
            timeline.schedule(hours.addMinutes(at(day, 9), between(0, 480)), () => reply(c))
            return
          }
          timeline.schedule(onTimeReply(c, now, dueEnd), () => reply(c))
        })
      )

    /** A reply in good time: pressing ones within hours, others within the first two thirds of the time left. */
    const onTimeReply = (c: Case, now: number, dueEnd: number) => {
      if (c.pressing) return now + between(30, 180) * MINUTE
      const window = hours.minutesBetween(now, dueEnd)
      return window <= 60
        ? now + between(20, 60) * MINUTE
        : hours.addMinutes(now, between(15, Math.floor(window * 0.66)))
    }

    const extend = (c: Case) =>
      live(
        c,
        Effect.gen(function* () {
          if (c.status !== "in-progress" && c.status !== "accepted") return
          const handler = actors.handler(c.department ?? "")
          const requested = yield* opinion.requestExtension(handler, {
            tenantId,
            reportId: c.id,
            workingDays: 5,
            reason: "需协调多个部门现场会商，申请延期办理"
          })
          c.status = requested.status
          timeline.schedule(hours.addMinutes(clock.now(), between(30, 240)), () =>
            live(
              c,
              Effect.gen(function* () {
                const decided = yield* opinion.decideExtension(actors.supervisor, {
                  tenantId,
                  reportId: c.id,
                  approve: true,
                  note: "同意延期，请按期办结"
                })
                c.status = decided.status
                c.dueDate = decided.deadline.dueDate
                timeline.schedule(onTimeReply(c, clock.now(), at(c.dueDate, 17, 30)), () => reply(c))
              })
            )
          )
        })
      )

    const reply = (c: Case) =>
      live(
        c,
        Effect.gen(function* () {
          const report = yield* opinion.reply(actors.handler(c.department ?? ""), {
            tenantId,
            reportId: c.id,
            text: replyText(taxonomy, routing, c)
          })
          c.status = report.status
          // reachable reporters are called back; the others' reports are closed on the reply
          if (c.reachable) timeline.schedule(callBack(), () => followUp(c))
          else timeline.schedule(callBack(), () => close(c, false))
        })
      )

    const followUp = (c: Case) =>
      live(
        c,
        Effect.gen(function* () {
          const roll = next()
          const unsatisfied = c.reopenCount > 0 ? 0.03 : c.late ? 0.25 : 0.06
          const satisfaction =
            roll < unsatisfied ? "unsatisfied" : roll < unsatisfied + 0.16 ? "basically-satisfied" : "satisfied"
          const report = yield* opinion.followUp(actors.dispatcher, {
            tenantId,
            reportId: c.id,
            satisfaction,
            ...(satisfaction === "unsatisfied" ? { comment: "问题仍未解决" } : {})
          })
          c.status = report.status
          const when = clock.now() + between(5, 60) * MINUTE
          if (satisfaction !== "unsatisfied") timeline.schedule(when, () => close(c, false))
          else if (c.reopenCount === 0 && chance(0.6)) timeline.schedule(when, () => reopen(c))
          else timeline.schedule(when, () => close(c, true))
        })
      )

    const reopen = (c: Case) =>
      live(
        c,
        Effect.gen(function* () {
          const report = yield* opinion.reopen(actors.supervisor, {
            tenantId,
            reportId: c.id,
            reason: "回访不满意，重新办理"
          })
          c.status = report.status
          c.reopenCount++
          counts.reopened++
          timeline.schedule(hours.addMinutes(clock.now(), between(30, 180)), () => dispatch(c, c.department))
        })
      )

    const close = (c: Case, unresolved: boolean) =>
      live(
        c,
        Effect.gen(function* () {
          const report = yield* opinion.close(actors.dispatcher, {
            tenantId,
            reportId: c.id,
            ...(unresolved ? { unresolved: true, note: "经重办仍未解决，按未解决办结" } : {})
          })
          c.status = report.status
        })
      )

    // each evening the dispatcher reviews the duplicates Dedupe suggests among the last week's reports
    const mergeDuplicates = Effect.gen(function* () {
      const now = clock.now()
      const recent = [...cases.values()].filter((c) => !c.merged && now - c.receivedAt <= 14 * 86_400_000)
      if (recent.length < 2) return
      // the reports are named by their intake keys (in receipt order), not by their ids (random), so that the
      // same seed merges the same reports
      const byKey = new Map(recent.map((c) => [c.key, c]))
      const found = yield* Dedupe.find(
        recent.map((c) => ({ id: c.key, text: c.text, receivedAt: new Date(c.receivedAt), scope: c.communityCode })),
        { windowDays: 7 }
      )
      const groups = found.groups
        .map((group) =>
          group.members
            .map((key) => byKey.get(key)!)
            .sort((a, b) => a.receivedAt - b.receivedAt || (a.key < b.key ? -1 : 1))
        )
        .sort((a, b) => (a[0].key < b[0].key ? -1 : 1))
      for (const members of groups) {
        const [primary, ...rest] = members
        const duplicates = rest.filter((c) => !c.merged && !c.hasMerged && MERGEABLE.has(c.status))
        if (duplicates.length === 0) continue
        yield* opinion.merge(actors.dispatcher, {
          tenantId,
          primaryId: primary.id,
          duplicateIds: duplicates.map((c) => c.id),
          note: "重复反映，合并办理"
        })
        primary.hasMerged = true
        for (const c of duplicates) {
          c.merged = true
          c.status = "merged"
        }
        counts.merged += duplicates.length
      }
    })

    // ---- the quarter, in time order -----------------------------------------------------------------------
    for (const r of generated) timeline.schedule(r.receivedAt.getTime(), () => submit(r))
    for (const date of datesBetween(options.quarter.from, localDate(to - 1))) {
      timeline.schedule(at(date, 8, 30), () =>
        Effect.gen(function* () {
          yield* opinion.remindApproaching(actors.opinionScheduler, { tenantId })
          yield* opinion.escalateOverdue(actors.opinionScheduler, { tenantId })
        })
      )
      timeline.schedule(at(date, 17, 30), () => mergeDuplicates)
    }
    yield* clock.set(from)
    const months = datesBetween(options.quarter.from, localDate(to - 1)).filter((date) => date.endsWith("-01"))
    for (const [i, month] of months.entries()) {
      const end = i + 1 < months.length ? at(months[i + 1]) : to
      yield* timeline.runUntil(end)
      yield* options.dispatch(`${Number(month.slice(5, 7))}月`)
    }
    yield* clock.set(to)

    // ---- the analysis ----------------------------------------------------------------------------------------
    return yield* OpinionAnalysis.analyse(opinion, {
      regions,
      quarter: options.quarter,
      outDir: options.outDir,
      reader: actors.dispatcher,
      counts: { returned: counts.returned, extensions: counts.extensions, reopened: counts.reopened }
    })
  }).pipe(Effect.mapError(failed("民情")))
