/**
 * 坪工学堂 (the district trade union's free workers' courses) for one spring season on SQLite: 30
 * courses at community party-and-people service centres, about 1,000 synthetic workers registering
 * with an SMS code (sent through the Alibaba Cloud SMS notifier to a local stand-in of its API), enrolments with
 * waitlists and cancellations, attendance by staff and by the venue code, no-shows, completion and
 * certificates, feedback themes (through opinion-analysis's segmenter) and the season's statistics.
 * Prints a few lines; details go to `out/courses-*`.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { NodeHttpClient } from "@effect/platform-node"
import * as Actor from "@gongzhi/core/Actor"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import type { TenantId } from "@gongzhi/core/Tenant"
import { CourseMigrations, Courses, Otp, Statistics } from "@gongzhi/courses"
import type { Course } from "@gongzhi/courses/Course"
import * as Aliyun from "@gongzhi/notify-sms/Aliyun"
import * as SmsTesting from "@gongzhi/notify-sms/testing"
import { Segmenter } from "@gongzhi/opinion-analysis"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import { Effect, Layer, Redacted, Schema } from "effect"
import * as SimClock from "./simClock.js"

const TENANT = "440310" as TenantId
const HOUR = 3_600_000
const DAY = 24 * HOUR
/** 2026-03-02 00:00 China time, a Monday. */
const SEASON = Date.parse("2026-03-01T16:00:00Z")

const decode = Schema.decodeUnknownSync(Actor.Actor)
const scope = (regionCode: string) => ({ tenantId: TENANT, regionCode })
const admin = decode({
  _tag: "Staff",
  staffId: "ZGH001",
  name: "区总工会",
  roles: ["courses-union-admin"],
  scope: scope(TENANT)
})
const portal = decode({
  _tag: "ServiceAccount",
  clientId: "pinggong-h5",
  roles: ["courses-portal"],
  scope: scope(TENANT)
})
const staffAt = (community: string) =>
  decode({
    _tag: "Staff",
    staffId: `DQ${community.slice(-6)}`,
    name: "党群中心",
    roles: ["courses-venue-staff"],
    scope: scope(community)
  })
const workerActor = (id: string) =>
  decode({ _tag: "Resident", userId: id, roles: ["courses-worker"], scope: scope(TENANT) })

/** A deterministic generator (the run prints the same figures every time). */
const lcg = (seed: number) => {
  let s = seed
  return () => {
    s = (s * 48271) % 2147483647
    return s / 2147483647
  }
}

const catalogue: ReadonlyArray<readonly [Course["category"], string]> = [
  ["skills", "电工基础与安全"],
  ["skills", "叉车操作入门"],
  ["skills", "中式面点"],
  ["skills", "美容美发基础"],
  ["skills", "家政服务与收纳"],
  ["digital", "手机摄影与短视频"],
  ["digital", "办公软件速成"],
  ["digital", "电商直播入门"],
  ["health", "职业病预防"],
  ["health", "急救与心肺复苏"],
  ["health", "八段锦"],
  ["law", "劳动合同与工伤维权"],
  ["law", "工资支付与讨薪"],
  ["culture", "书法入门"],
  ["culture", "粤语日常会话"],
  ["parenting", "亲子阅读"],
  ["parenting", "青春期沟通"]
]

const wishes = [
  "希望 开设 电工证 考试 辅导",
  "电工证 考试 时间 能 安排 在 晚上",
  "叉车证 培训 名额 太少",
  "希望 增加 周末 班",
  "老师 讲得 好 希望 增加 实操",
  "希望 开设 育婴师 课程",
  "下班 太晚 希望 晚上 上课",
  "想学 短视频 剪辑",
  "劳动 仲裁 案例 讲解 很 实用"
]

/** Options of the run. */
export interface CoursesRunOptions {
  readonly outDir: string
  readonly workers?: number | undefined
}

/** Runs the season and prints at most six lines. */
export const run = (print: (line: string) => void, options: CoursesRunOptions) => {
  const sim = SimClock.make(SEASON - 14 * DAY)
  const filename = Path.join(options.outDir, "courses.db")
  Fs.mkdirSync(options.outDir, { recursive: true })
  Fs.rmSync(filename, { force: true })
  // the codes go out as real Alibaba Cloud SMS API calls (signed, per-number limits) to a local stand-in of the API
  const credentials = { accessKeyId: "pingshan-demo", accessKeySecret: "demo-secret-not-real" }
  const season = (fake: SmsTesting.FakeSmsServer) => {
    const sms = Otp.layerNotifier.pipe(
      Layer.provide(
        Aliyun.layer({
          accessKeyId: Redacted.make(credentials.accessKeyId),
          accessKeySecret: Redacted.make(credentials.accessKeySecret),
          signName: "坪工学堂",
          endpoint: fake.endpoint,
          templates: { [Otp.TEMPLATE_ID]: { id: "SMS_80010001", params: ["code", "ttlMinutes"] } }
        })
      ),
      Layer.provide(NodeHttpClient.layerUndici)
    )
    const layer = Courses.layerSql().pipe(
      Layer.provideMerge(
        SqliteStore.layer({ filename, migrations: [CoreMigrations.migrations, CourseMigrations.migrations] })
      ),
      Layer.provide(Layer.mergeAll(FieldCipher.layerTest(), sms)),
      Layer.orDie
    )
    /** The code the worker's phone received: the last message the SMS API accepted for the number. */
    const capture = {
      lastCode: (mobile: string) => fake.accepted().findLast((m) => m.phoneNumber === mobile)?.params.code,
      sent: () => fake.accepted().length
    }
    return { layer, capture }
  }
  const program = (capture: ReturnType<typeof season>["capture"]) =>
    Effect.gen(function* () {
      const random = lcg(20260302)
      const courses = yield* Courses.Courses
      const divisions = JSON.parse(
        Fs.readFileSync(new URL("../data/pingshan-divisions.json", import.meta.url), "utf8")
      ) as { readonly communities: ReadonlyArray<{ readonly code: string; readonly name: string }> }
      const centres = divisions.communities.filter((_, k) => k % 2 === 0).slice(0, 10)
      print("\n== 坪工学堂：区总工会全公益职工课堂，2026 春季 ==")
      // venues and the catalogue: 30 courses, 3 per centre, 2–4 weekly evening sessions
      const venues = yield* Effect.forEach(centres, (c) =>
        courses.addVenue(admin, {
          tenantId: TENANT,
          name: `${c.name}党群服务中心`,
          address: `${c.name}党群服务中心二楼课室`,
          communityCode: c.code,
          capacity: 40,
          accessible: random() < 0.7
        })
      )
      const offered: Array<Course> = []
      for (let k = 0; k < 30; k++) {
        const venue = venues[k % venues.length]!
        const [category, title] = catalogue[k % catalogue.length]!
        const week = Math.floor(k / 10)
        const sessions = 2 + (k % 3)
        offered.push(
          yield* courses.offerCourse(admin, {
            tenantId: TENANT,
            title,
            category,
            provider: {
              kind: k % 4 === 0 ? "partner" : "union",
              name: k % 4 === 0 ? "坪山职业技能培训协会" : "坪山区总工会"
            },
            teacherId: `JS${String(k + 1).padStart(3, "0")}`,
            teacherName: `第${k + 1}位老师`,
            venueId: venue.id,
            capacity: 20 + (k % 3) * 5,
            sessions: Array.from({ length: sessions }, (_, s) => {
              const start = SEASON + (week * 14 + s * 7 + (k % 5)) * DAY + 11.5 * HOUR // 19:30 China time
              return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * HOUR).toISOString() }
            })
          })
        )
      }
      // ~1,000 workers register from their phones with an SMS code (a few mistype it first)
      const n = options.workers ?? 1000
      const workerIds: Array<string> = []
      let wrongCodes = 0
      for (let k = 0; k < n; k++) {
        yield* sim.set(SEASON - 14 * DAY + k * 60_000)
        const mobile = `13${String(500_000_000 + k * 7919).slice(-9)}`
        yield* courses.requestCode(portal, { tenantId: TENANT, mobile, clientKey: `h5-${k % 200}` })
        const code = capture.lastCode(mobile)!
        const community = divisions.communities[Math.floor(random() * divisions.communities.length)]!.code
        const register = (c: string) =>
          courses.registerWorker(portal, {
            tenantId: TENANT,
            name: "职工",
            mobile,
            code: c,
            employer: random() < 0.6 ? { name: `坪山企业${1 + Math.floor(random() * 80)}` } : undefined,
            communityCode: community,
            consent: { purpose: "坪工学堂报名、上课提醒与结业证书" }
          })
        if (random() < 0.05) {
          wrongCodes += yield* register(code === "000000" ? "111111" : "000000").pipe(
            Effect.match({ onFailure: (e) => (e._tag === "CodeRefused" ? 1 : 0), onSuccess: () => 0 })
          )
        }
        workerIds.push((yield* register(code)).id)
      }
      // enrolment: popular courses fill up, the rest wait; some cancel before the deadline
      yield* sim.set(SEASON - 7 * DAY)
      let confirmed = 0
      let waitlisted = 0
      const tally = (r: { readonly state: string }) => (r.state === "confirmed" ? confirmed++ : waitlisted++)
      for (const id of workerIds) {
        const wanted = 1 + Math.floor(random() * 1.5)
        for (let w = 0; w < wanted; w++) {
          const course = offered[Math.floor(random() ** 2.5 * offered.length)]!
          yield* courses.enrol(workerActor(id), { tenantId: TENANT, courseId: course.id }).pipe(
            Effect.tap(tally),
            Effect.catchTag("EnrolmentRefused", () => Effect.void)
          )
        }
      }
      yield* sim.set(SEASON - 3 * DAY)
      let cancelled = 0
      let promoted = 0
      for (const course of offered) {
        const roster = yield* courses.roster(admin, { tenantId: TENANT, courseId: course.id })
        for (const r of roster.filter((x) => x.state === "confirmed" && random() < 0.08)) {
          const out = yield* courses.cancelEnrolment(workerActor(r.workerId), { tenantId: TENANT, courseId: course.id })
          cancelled++
          if (out.promoted !== undefined) promoted++
        }
      }
      // the sessions: reminders the day before, check-in by staff or by the venue code, then close
      const sessions = offered
        .flatMap((c) => c.sessions.map((s) => ({ course: c, session: s })))
        .sort((a, b) => a.session.startsAt.getTime() - b.session.startsAt.getTime())
      let reminders = 0
      let present = 0
      let absent = 0
      for (const { course, session } of sessions) {
        yield* sim.set(session.startsAt.getTime() - 14 * HOUR)
        reminders += (yield* courses.remindSessions(admin, { tenantId: TENANT })).sessions
        yield* sim.set(session.startsAt.getTime() + 5 * 60_000)
        const staff = staffAt(course.communityCode)
        const { code } = yield* courses.issueVenueCode(staff, {
          tenantId: TENANT,
          courseId: course.id,
          sessionId: session.id
        })
        const roster = yield* courses.roster(staff, { tenantId: TENANT, courseId: course.id })
        for (const r of roster.filter((x) => x.state === "confirmed")) {
          if (random() < 0.12) continue
          yield* random() < 0.5
            ? courses.checkIn(workerActor(r.workerId), {
                tenantId: TENANT,
                courseId: course.id,
                sessionId: session.id,
                code
              })
            : courses.checkIn(staff, {
                tenantId: TENANT,
                courseId: course.id,
                sessionId: session.id,
                workerId: r.workerId
              })
        }
        yield* sim.set(session.endsAt.getTime() + 60_000)
        const closed = yield* courses.closeSession(staff, {
          tenantId: TENANT,
          courseId: course.id,
          sessionId: session.id
        })
        present += closed.present
        absent += closed.absent
      }
      // completion, certificates and feedback
      const certificates: Array<{ readonly courseId: string; readonly workerId: string; readonly number: string }> = []
      let overbooked = 0
      for (const course of offered) {
        const done = yield* courses.finishCourse(admin, { tenantId: TENANT, courseId: course.id })
        certificates.push(...done.certificates.map((c) => ({ ...c, courseId: course.id })))
        const roster = yield* courses.roster(admin, { tenantId: TENANT, courseId: course.id })
        if (roster.filter((x) => x.state === "checked-out" || x.state === "no-show").length > course.capacity)
          overbooked++
        for (const r of roster.filter((x) => x.attended > 0 && random() < 0.3)) {
          yield* courses.giveFeedback(workerActor(r.workerId), {
            tenantId: TENANT,
            courseId: course.id,
            rating: random() < 0.7 ? 5 : random() < 0.8 ? 4 : 3,
            text: random() < 0.6 ? wishes[Math.floor(random() * wishes.length)]! : ""
          })
        }
      }
      const segmenter = yield* Segmenter.make()
      const themes = yield* courses.feedbackThemes(admin, { tenantId: TENANT, top: 5 }, segmenter.segment)
      const byCategory = yield* courses.statistics(admin, { tenantId: TENANT, by: "category" })
      const byMonth = yield* courses.statistics(admin, { tenantId: TENANT, by: "month" })
      const first = certificates[0]
      const html = first === undefined ? "" : yield* courses.certificate(admin, { tenantId: TENANT, ...first })
      const total = byCategory.total
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`
      print(
        `开课 ${offered.length} 门（${venues.length} 个社区党群服务中心，名额 ${total.seats}，全部免费）；职工 ${workerIds.length} 人短信验证码注册（发送 ${capture.sent()} 条，错码被拒 ${wrongCodes} 次）`
      )
      print(
        `报名 ${confirmed + waitlisted} 人次：正式 ${confirmed}、候补 ${waitlisted}；开课前取消 ${cancelled}，候补转正 ${promoted}；超员课程 ${overbooked}（满班率 ${pct(total.fillRate)}）`
      )
      print(
        `${sessions.length} 个课次（提醒 ${reminders} 次）：到课 ${present} 人次、缺席 ${absent} 人次（出勤率 ${pct(total.attendanceRate)}）；结业证书 ${certificates.length} 张（${first?.number ?? "—"} 起）`
      )
      print(
        `按类别满班率：${byCategory.rows.map((r) => `${r.key} ${pct(r.fillRate)}`).join("、")}；服务职工 ${total.workers} 人`
      )
      Fs.writeFileSync(Path.join(options.outDir, "courses-statistics.csv"), Statistics.toCsv(byCategory))
      Fs.writeFileSync(Path.join(options.outDir, "courses-statistics-month.csv"), Statistics.toCsv(byMonth))
      Fs.writeFileSync(
        Path.join(options.outDir, "courses-statistics.xlsx"),
        yield* Effect.promise(() => Statistics.toXlsx(byCategory))
      )
      Fs.writeFileSync(Path.join(options.outDir, "courses-certificate.html"), html)
      print(
        `反馈 ${themes.count} 条，平均 ${themes.averageRating} 分；职工最想要：${themes.themes.map((t) => `${t.word}(${t.count})`).join("、")}（明细：out/courses-*.csv、.xlsx、.html）`
      )
    })
  return Effect.scoped(
    Effect.gen(function* () {
      const fake = yield* SmsTesting.makeFakeAliyun({
        ...credentials,
        signNames: ["坪工学堂"],
        // the template as approved at the vendor: Alibaba's placeholders are ${name}
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the vendor's placeholder syntax, not a JS template
        templates: { SMS_80010001: "您的验证码是${code}，${ttlMinutes}分钟内有效，请勿告诉他人。" },
        now: sim.now
      })
      const { layer, capture } = season(fake)
      yield* program(capture).pipe(Effect.withClock(sim.clock), Effect.provide(layer))
    })
  )
}
