import * as Actor from "@gongzhi/core/Actor"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Layer, Schema, TestClock } from "effect"
import * as Courses from "../src/Courses.js"
import * as Otp from "../src/Otp.js"

export const TENANT = "440310" as TenantId
export const COMMUNITY_1 = "440310001001"
export const COMMUNITY_2 = "440310002001"

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)

export const admin = decodeActor({
  _tag: "Staff",
  staffId: "UNION01",
  name: "区总工会管理员",
  roles: ["courses-union-admin"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})

export const venueStaff = (community: string, id = `VS${community.slice(-4)}`) =>
  decodeActor({
    _tag: "Staff",
    staffId: id,
    name: "场地工作人员",
    roles: ["courses-venue-staff"],
    scope: { tenantId: TENANT, regionCode: community }
  })

export const teacher = (staffId: string) =>
  decodeActor({
    _tag: "Staff",
    staffId,
    name: "王老师",
    roles: ["courses-teacher"],
    scope: { tenantId: TENANT, regionCode: TENANT }
  })

export const portal = decodeActor({
  _tag: "ServiceAccount",
  clientId: "pinggong-portal",
  roles: ["courses-portal"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})

export const workerActor = (workerId: string) =>
  decodeActor({
    _tag: "Resident",
    userId: workerId,
    roles: ["courses-worker"],
    scope: { tenantId: TENANT, regionCode: TENANT }
  })

/** 2026-03-01 00:00 China time. */
export const T0 = Date.parse("2026-02-28T16:00:00Z")
export const HOUR = 3_600_000
export const DAY = 24 * HOUR

export const at = (ms: number) => TestClock.setTime(ms)

/** The service in memory, with a capturing code sender. */
export const memory = (options: Courses.CoursesOptions = {}) => {
  const capture = Otp.makeCapture()
  const layer = Courses.layerMemory(options).pipe(
    Layer.provide(Layer.mergeAll(FieldCipher.layerTest(), capture.layer)),
    Layer.orDie
  )
  return { capture, layer }
}

/** A venue and a course of `capacity` seats with `sessions` weekly sessions from T0 + 7 days. */
export const setup = (capacity: number, sessions = 2, teacherId = "T001", community = COMMUNITY_1) =>
  Effect.gen(function* () {
    const courses = yield* Courses.Courses
    const venue = yield* courses.addVenue(admin, {
      tenantId: TENANT,
      name: "坑梓党群服务中心",
      address: "坑梓街道人民西路 1 号",
      communityCode: community,
      capacity: 200,
      accessible: true
    })
    const course = yield* courses.offerCourse(admin, {
      tenantId: TENANT,
      title: "电工基础",
      category: "skills",
      provider: { kind: "union", name: "坪山区总工会" },
      teacherId,
      teacherName: "王老师",
      venueId: venue.id,
      capacity,
      sessions: Array.from({ length: sessions }, (_, k) => ({
        startsAt: new Date(T0 + (7 + 7 * k) * DAY + 11 * HOUR).toISOString(),
        endsAt: new Date(T0 + (7 + 7 * k) * DAY + 13 * HOUR).toISOString()
      }))
    })
    return { venue, course }
  })

/** Registers `n` workers at the desk; returns their ids. */
export const deskWorkers = (n: number, from = 0) =>
  Effect.gen(function* () {
    const courses = yield* Courses.Courses
    const ids: Array<string> = []
    for (let k = from; k < from + n; k++) {
      const w = yield* courses.registerAtDesk(venueStaff(COMMUNITY_1), {
        tenantId: TENANT,
        name: "张三",
        mobile: `139${String(10_000_000 + k).slice(-8)}`,
        communityCode: COMMUNITY_1,
        consent: { purpose: "坪工学堂报名" }
      })
      ids.push(w.id)
    }
    return ids
  })
