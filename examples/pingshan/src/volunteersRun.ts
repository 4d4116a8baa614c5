/**
 * The volunteers' month of the Pingshan run: the corps (服务总队) with its headquarters and six street teams, 150
 * synthetic 民情志愿者 registered and approved, a month of 民情走访 — an activity per community with its shifts,
 * sign-ups (with waitlists and cancellations), check-ins by staff or by one-time code, walk-ins and no-shows,
 * check-outs, service records approved by the street team — then the month's figures per street from `Statistics`
 * and one certificate of service records (志愿服务记录证明) printed to HTML.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import type * as Actor from "@gongzhi/core/Actor"
import * as Region from "@gongzhi/core/Region"
import * as CertificateHtml from "@gongzhi/volunteers/CertificateHtml"
import { defaultTeamId } from "@gongzhi/volunteers/Corps"
import * as Statistics from "@gongzhi/volunteers/Statistics"
import * as Synthetic from "@gongzhi/volunteers/Synthetic"
import * as VolunteerRepo from "@gongzhi/volunteers/VolunteerRepo"
import * as Volunteers from "@gongzhi/volunteers/Volunteers"
import { Effect, Option } from "effect"
import { failed, RunFailed } from "./errors.js"
import type { OfficeHours } from "./officeHours.js"
import { type Actors, TENANT } from "./organisation.js"
import { at, datesBetween, localDate, type SimulatedClock } from "./simClock.js"
import * as Timeline from "./timeline.js"

/**
 * Options of the volunteers' month.
 *
 * @since 0.1.0
 * @category models
 */
export interface VolunteersRunOptions {
  readonly regions: Region.RegionTree
  readonly actors: Actors
  readonly hours: OfficeHours
  readonly clock: SimulatedClock
  readonly outDir: string
  readonly seed: number
  /** The month of visits, `YYYY-MM`. */
  readonly month: string
  /** How many volunteers (default 150). */
  readonly volunteers?: number | undefined
  /** Each community is visited every `visitEvery`-th working day (default 3). */
  readonly visitEvery?: number | undefined
  /** Places per shift (default 3). */
  readonly capacity?: number | undefined
  /** Prints a progress line. */
  readonly progress: (line: string) => Effect.Effect<void>
  /** Runs once the volunteers are registered (the run sends their notifications then). */
  readonly onRegistered?: Effect.Effect<void, RunFailed> | undefined
}

/**
 * One volunteer's visit (checked out): who, where, when — the visits the 民情 reports of the month come from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Visit {
  readonly volunteerId: string
  readonly streetCode: string
  readonly communityCode: string
  readonly endedAt: number
}

/**
 * One street's month.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreetSummary {
  readonly streetCode: string
  readonly streetName: string
  readonly teamId: string
  /** Active volunteers of the street's team. */
  readonly volunteers: number
  readonly hours: number
  readonly records: number
  /** Active volunteers by star level, index 0 (none) to 5. */
  readonly stars: ReadonlyArray<number>
  /** Communities of the street without an active volunteer (names). */
  readonly gaps: ReadonlyArray<string>
}

/**
 * What the month did and what it produced.
 *
 * @since 0.1.0
 * @category models
 */
export interface VolunteersResult {
  readonly month: string
  readonly teams: number
  readonly streetTeams: number
  readonly volunteers: number
  readonly activities: number
  readonly shifts: number
  readonly signUps: number
  readonly waitlisted: number
  readonly promoted: number
  readonly cancelled: number
  readonly checkIns: number
  readonly codeCheckIns: number
  readonly walkIns: number
  readonly noShows: number
  readonly noCheckouts: number
  readonly records: number
  readonly approved: number
  readonly streets: ReadonlyArray<StreetSummary>
  readonly totals: { readonly volunteers: number; readonly hours: number; readonly records: number }
  readonly activeRate: number
  readonly top: ReadonlyArray<Statistics.TopVolunteer>
  /** Every volunteer with their home community. */
  readonly roster: ReadonlyArray<{
    readonly volunteerId: string
    readonly streetCode: string
    readonly communityCode: string
  }>
  readonly visits: ReadonlyArray<Visit>
  readonly certificate: { readonly number: string; readonly hours: number; readonly path: string }
}

const SLOTS: ReadonlyArray<readonly [number, number, number, number]> = [
  [9, 0, 11, 30],
  [14, 30, 17, 0],
  [19, 0, 21, 0]
]

const MINUTE = 60_000

const lastDayOf = (month: string): string => {
  const [y, m] = month.split("-").map(Number)
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}

const shiftDate = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

interface Roster {
  readonly shiftId: string
  readonly streetCode: string
  readonly communityCode: string
  readonly startsAt: number
  readonly endsAt: number
  readonly confirmed: Array<string>
  readonly waitlist: Array<string>
}

/**
 * Runs the month and returns its figures (the caller prints them).
 *
 * @since 0.1.0
 * @category constructors
 */
export const run = (options: VolunteersRunOptions) =>
  Effect.gen(function* () {
    const { actors, clock, hours, regions } = options
    const service = yield* Volunteers.Volunteers
    const statistics = yield* Statistics.Statistics
    const volunteerRepo = yield* VolunteerRepo.VolunteerRepo
    const next = Synthetic.random(options.seed)
    const chance = (p: number) => next() < p
    const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
    const firstDay = `${options.month}-01`
    const lastDay = lastDayOf(options.month)
    const capacity = options.capacity ?? 3
    const visitEvery = Math.max(1, options.visitEvery ?? 3)
    const streets = Region.streets(regions)
    const communities = streets.flatMap((street) => Region.communities(regions, street.code))
    const tenantId = TENANT

    // ---- the corps, its teams and its members ----------------------------------------------------------
    yield* clock.set(at(shiftDate(firstDay, -5), 9))
    const plan = Synthetic.district({ regions, seed: options.seed, volunteers: options.volunteers ?? 150 })
    yield* service.establishCorps(actors.hq, plan.corps)
    for (const team of plan.teams) yield* service.createTeam(actors.hq, team)
    const hqTeam = defaultTeamId(tenantId)
    yield* service.assignRole(actors.hq, {
      tenantId,
      teamId: hqTeam,
      member: { _tag: "Staff", id: "HQ001" },
      roleId: "full-time-staff"
    })
    for (const street of streets) {
      const leader = actors.teamLeader(street.code)
      if (leader._tag !== "Staff") continue
      yield* service.assignRole(actors.hq, {
        tenantId,
        teamId: defaultTeamId(street.code),
        member: { _tag: "Staff", id: leader.staffId },
        roleId: "team-leader"
      })
    }
    const home = new Map<string, { readonly streetCode: string; readonly communityCode: string }>()
    for (const [i, registration] of plan.volunteers.entries()) {
      const community = Option.getOrUndefined(Region.findByCode(regions, registration.homeCommunity))
      const streetCode = community?.parentCode ?? tenantId
      const registered = yield* service.register(actors.hq, registration)
      yield* service.decideApplication(actors.teamLeader(streetCode), {
        tenantId,
        volunteerId: registered.volunteerId,
        decision: "approve"
      })
      home.set(registered.volunteerId, { streetCode, communityCode: registration.homeCommunity })
      if ((i + 1) % 50 === 0 || i + 1 === plan.volunteers.length) {
        yield* options.progress(`登记志愿者 ${i + 1}/${plan.volunteers.length} …`)
      }
    }
    if (options.onRegistered !== undefined) yield* options.onRegistered
    const volunteerIds = [...home.keys()]
    const byCommunity = new Map<string, Array<string>>()
    const byStreet = new Map<string, Array<string>>()
    for (const [id, place] of home) {
      byCommunity.set(place.communityCode, [...(byCommunity.get(place.communityCode) ?? []), id])
      byStreet.set(place.streetCode, [...(byStreet.get(place.streetCode) ?? []), id])
    }

    // ---- the month's plan: an activity per community, shifts on every n-th working day --------------------
    yield* clock.set(at(shiftDate(firstDay, -3), 10))
    const workingDays = hours.workingDays(firstDay, lastDay)
    const rosters: Array<Roster> = []
    let activities = 0
    for (const [ci, community] of communities.entries()) {
      const streetCode = community.parentCode ?? tenantId
      const leader = actors.teamLeader(streetCode)
      const name = Region.displayName(community)
      const activity = yield* service.createActivity(leader, {
        tenantId,
        kind: "visit",
        title: `${name}${Number(options.month.slice(5))}月民情走访`,
        description: `入户走访${name}居民，收集民情诉求并现场登记`,
        teamId: defaultTeamId(streetCode),
        communityCode: community.code
      })
      activities++
      const [h1, m1, h2, m2] = SLOTS[ci % SLOTS.length]
      for (const [di, date] of workingDays.entries()) {
        if ((di + ci) % visitEvery !== 0) continue
        const startsAt = at(date, h1, m1)
        const endsAt = at(date, h2, m2)
        const shift = yield* service.addShift(leader, {
          tenantId,
          activityId: activity.id,
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(endsAt).toISOString(),
          capacity
        })
        rosters.push({
          shiftId: shift.id,
          streetCode,
          communityCode: community.code,
          startsAt,
          endsAt,
          confirmed: [],
          waitlist: []
        })
      }
    }

    // ---- sign-ups: the volunteers of each community, in their own time before the month ------------------
    yield* clock.set(at(shiftDate(firstDay, -2), 20))
    let signUps = 0
    let waitlisted = 0
    for (const roster of rosters) {
      for (const volunteerId of byCommunity.get(roster.communityCode) ?? []) {
        if (!chance(0.55)) continue
        const result = yield* service.signUp(actors.volunteer(volunteerId, roster.streetCode), {
          tenantId,
          shiftId: roster.shiftId
        })
        signUps++
        if (result.outcome === "confirmed") roster.confirmed.push(volunteerId)
        else {
          roster.waitlist.push(volunteerId)
          waitlisted++
        }
      }
    }
    yield* options.progress(
      `走访计划：${communities.length} 个社区 ${activities} 项活动、${rosters.length} 个班次；报名 ${signUps} 人次（候补 ${waitlisted}）`
    )

    // ---- the month, in time order -------------------------------------------------------------------------
    const timeline = Timeline.make<RunFailed, never>(clock, failed("志愿者"))
    const counts = { promoted: 0, cancelled: 0, checkIns: 0, codeCheckIns: 0, walkIns: 0, noShows: 0 }
    const tally = { noCheckouts: 0, records: 0, approved: 0 }
    const visits: Array<Visit> = []
    const approve = (leader: Actor.Actor, recordId: string) =>
      Effect.asVoid(service.decideRecord(leader, { tenantId, recordId, decision: "approve" })).pipe(
        Effect.tap(() => Effect.sync(() => tally.approved++))
      )

    for (const date of datesBetween(shiftDate(firstDay, -1), lastDay)) {
      // reminders go out at 17:00 for the shifts of the next working day
      timeline.schedule(at(date, 17), () =>
        Effect.asVoid(service.remindShifts(actors.volunteersScheduler, { tenantId, asOf: date }))
      )
    }
    for (const roster of rosters) {
      const leader = actors.teamLeader(roster.streetCode)
      const shift = { tenantId, shiftId: roster.shiftId }
      const checkedIn: Array<string> = []
      // a few cancel the day before at noon; the first on the waitlist moves up
      for (const volunteerId of [...roster.confirmed]) {
        if (!chance(0.06)) continue
        timeline.schedule(at(shiftDate(localDate(roster.startsAt), -1), 12), () =>
          Effect.gen(function* () {
            const { promoted } = yield* service.cancelSignUp(actors.volunteer(volunteerId, roster.streetCode), shift)
            counts.cancelled++
            roster.confirmed.splice(roster.confirmed.indexOf(volunteerId), 1)
            if (promoted !== undefined) {
              counts.promoted++
              roster.waitlist.splice(roster.waitlist.indexOf(promoted), 1)
              roster.confirmed.push(promoted)
            }
          })
        )
      }
      // at the start: check-ins (staff or one-time code), some never come; a walk-in when there is room
      timeline.schedule(roster.startsAt - 15 * MINUTE, () =>
        Effect.gen(function* () {
          for (const volunteerId of roster.confirmed) {
            if (chance(0.07)) continue // a no-show: closing the shift records it
            const when = roster.startsAt - 15 * MINUTE + between(0, 20) * MINUTE
            const byCode = chance(0.3)
            timeline.schedule(when, () =>
              Effect.gen(function* () {
                if (byCode) {
                  const issued = yield* service.issueCheckCode(leader, { ...shift, purpose: "check-in", volunteerId })
                  yield* service.checkInWithCode(actors.volunteer(volunteerId, roster.streetCode), {
                    ...shift,
                    code: issued.code
                  })
                  counts.codeCheckIns++
                } else yield* service.checkIn(leader, { ...shift, volunteerId })
                counts.checkIns++
                checkedIn.push(volunteerId)
              })
            )
          }
        })
      )
      if (chance(0.2)) {
        timeline.schedule(roster.startsAt + 10 * MINUTE, () =>
          Effect.gen(function* () {
            if (roster.confirmed.length >= capacity) return
            const candidates = (byStreet.get(roster.streetCode) ?? []).filter(
              (id) => !roster.confirmed.includes(id) && !checkedIn.includes(id)
            )
            if (candidates.length === 0) return
            const volunteerId = candidates[Math.floor(next() * candidates.length)]
            yield* service.walkIn(leader, { ...shift, volunteerId })
            counts.walkIns++
            checkedIn.push(volunteerId)
          })
        )
      }
      // at the end: check-outs (now and then one is forgotten), then the shift is closed
      timeline.schedule(roster.endsAt - 10 * MINUTE, () =>
        Effect.gen(function* () {
          for (const volunteerId of checkedIn) {
            if (chance(0.02)) {
              tally.noCheckouts++
              continue
            }
            const when = roster.endsAt - 10 * MINUTE + between(0, 25) * MINUTE
            timeline.schedule(when, () =>
              Effect.gen(function* () {
                const record = yield* service.checkOut(leader, { ...shift, volunteerId })
                tally.records++
                visits.push({
                  volunteerId,
                  streetCode: roster.streetCode,
                  communityCode: roster.communityCode,
                  endedAt: record.endedAt.getTime()
                })
                timeline.schedule(hours.open(roster.endsAt + 60 * MINUTE), () => approve(leader, record.id))
              })
            )
          }
        })
      )
      timeline.schedule(roster.endsAt + 40 * MINUTE, () =>
        Effect.gen(function* () {
          const closed = yield* service.closeShift(leader, shift)
          counts.noShows += closed.noShows.length
          // a forgotten check-out: the team records the service by hand (补录) the next office hour
          for (const volunteerId of closed.noCheckout) {
            timeline.schedule(hours.open(roster.endsAt + 60 * MINUTE), () =>
              Effect.gen(function* () {
                const record = yield* service.recordService(leader, {
                  tenantId,
                  volunteerId,
                  teamId: defaultTeamId(roster.streetCode),
                  content: "民情走访（补录：未签退）",
                  communityCode: roster.communityCode,
                  startedAt: new Date(roster.startsAt).toISOString(),
                  endedAt: new Date(roster.endsAt).toISOString()
                })
                tally.records++
                yield* approve(leader, record.id)
              })
            )
          }
        })
      )
    }
    const weeks = datesBetween(firstDay, lastDay).filter((date) => new Date(`${date}T00:00:00Z`).getUTCDay() === 1)
    for (const monday of [...weeks, shiftDate(lastDay, 1)]) {
      yield* timeline.runUntil(at(monday))
      if (monday <= lastDay) yield* options.progress(`民情走访进行中：${monday} …`)
    }
    yield* timeline.runUntil(Number.POSITIVE_INFINITY)

    // ---- the month's figures -------------------------------------------------------------------------------
    yield* clock.set(Math.max(clock.now(), hours.open(at(shiftDate(lastDay, 1), 10))))
    const report = yield* statistics.report(actors.hq, {
      tenantId,
      from: options.month,
      to: options.month,
      limit: 5
    })
    const summaries: Array<StreetSummary> = []
    for (const street of streets) {
      const teamId = defaultTeamId(street.code)
      const team = report.monthlyHours.teams.find((t) => t.teamId === teamId)
      const headcount = report.headcount.teams.find((t) => t.teamId === teamId)
      const stars = yield* volunteerRepo.countBy(tenantId, "star_level", { streetCode: street.code, status: "active" })
      const starCounts = [0, 0, 0, 0, 0, 0]
      for (const row of stars) starCounts[Math.min(5, Number(row.key))] += row.count
      summaries.push({
        streetCode: street.code,
        streetName: street.name,
        teamId,
        volunteers: headcount?.volunteers.active ?? 0,
        hours: team?.totalHours ?? 0,
        records: team?.totalRecords ?? 0,
        stars: starCounts,
        gaps: report.coverage.gaps.filter((gap) => gap.streetCode === street.code).map((gap) => gap.communityName)
      })
    }

    // ---- a certificate for the volunteer with the most hours ----------------------------------------------
    const best = report.topVolunteers.volunteers[0]
    if (best === undefined) {
      return yield* new RunFailed({
        phase: "志愿者",
        tag: "NoService",
        reason: "本月没有已审核的服务记录，无法出具证明"
      })
    }
    const bestHome = home.get(best.volunteerNumber)
    const leader = actors.teamLeader(bestHome?.streetCode ?? tenantId)
    const applied = yield* service.applyCertificate(
      actors.volunteer(best.volunteerNumber, bestHome?.streetCode ?? tenantId),
      {
        tenantId,
        teamId: best.teamId,
        purpose: "评优评先",
        periodFrom: firstDay,
        periodTo: lastDay
      }
    )
    yield* service.acceptCertificate(leader, { tenantId, certificateId: applied.id, decision: "accept" })
    const issued = yield* service.issueCertificate(leader, {
      tenantId,
      certificateId: applied.id,
      handler: "赵经办"
    })
    const html = yield* CertificateHtml.fromCertificate(issued, {
      seal: "（盖章）",
      footnote: "本证明为坪山示例运行生成的样例，人员与号码均为合成数据。"
    })
    const certificatePath = Path.join(options.outDir, `certificate-${issued.number ?? applied.id}.html`)
    yield* Effect.try({
      try: () => Fs.writeFileSync(certificatePath, html),
      catch: (cause) =>
        new RunFailed({ phase: "志愿者", tag: "WriteFile", reason: `无法写入 ${certificatePath}：${String(cause)}` })
    })

    const totals = {
      volunteers: summaries.reduce((a, s) => a + s.volunteers, 0),
      hours: report.monthlyHours.totals.totalHours,
      records: report.monthlyHours.totals.totalRecords
    }
    return {
      month: options.month,
      teams: 1 + plan.teams.length,
      streetTeams: plan.teams.length,
      volunteers: volunteerIds.length,
      activities,
      shifts: rosters.length,
      signUps,
      waitlisted,
      ...counts,
      ...tally,
      streets: summaries,
      totals,
      activeRate: report.activeRate.rate,
      top: report.topVolunteers.volunteers,
      roster: [...home].map(([volunteerId, place]) => ({ volunteerId, ...place })),
      visits,
      certificate: {
        number: issued.number ?? applied.id,
        hours: (issued.contents?.totalMinutes ?? 0) / 60,
        path: certificatePath
      }
    } satisfies VolunteersResult
  }).pipe(Effect.mapError(failed("志愿者")))
