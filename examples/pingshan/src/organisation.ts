/**
 * Who works in the Pingshan run: the departments that handle residents' reports (承办单位) and the routing table
 * that sends each category there, the staff who act (volunteer headquarters, street team leaders, the 民情 centre's
 * clerks and dispatchers, department handlers, supervisors, the scheduler), and how the notifications reach them.
 * All of it is data a district would keep in its configuration; the names of people are invented.
 *
 * @since 0.1.0
 */
import * as Actor from "@gongzhi/core/Actor"
import * as Region from "@gongzhi/core/Region"
import type { Recipient } from "@gongzhi/core/Subscription"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { RecipientDirectory } from "@gongzhi/opinion/OpinionNotifications"
import * as Routing from "@gongzhi/opinion/Routing"
import { Effect, Schema } from "effect"
import { CHANNEL } from "./notificationLog.js"

/**
 * The district code of Pingshan, the tenant of every record.
 *
 * @since 0.1.0
 * @category constructors
 */
export const TENANT = "440310" as TenantId

const district = [
  { code: "ps-center", name: "坪山区民情服务中心" },
  { code: "ps-hrss", name: "坪山区人力资源局" },
  { code: "ps-edu", name: "坪山区教育局" },
  { code: "ps-health", name: "坪山区卫生健康局" },
  { code: "ps-housing", name: "坪山区住房和建设局" },
  { code: "ps-civil", name: "坪山区民政局" },
  { code: "ps-police", name: "深圳市公安局坪山分局" },
  { code: "ps-cg", name: "坪山区城市管理和综合执法局" },
  { code: "ps-traffic", name: "坪山交通运输局" },
  { code: "ps-safety", name: "坪山区应急管理局" },
  { code: "ps-water", name: "坪山区水务局" },
  { code: "ps-gov", name: "坪山区政务服务和数据管理局" },
  { code: "ps-social", name: "坪山区委社会工作部" }
] as const

const byCategory: ReadonlyArray<readonly [string, string]> = [
  ["SM01", "ps-hrss"],
  ["SM02", "ps-edu"],
  ["SM03", "ps-health"],
  ["SM04", "ps-housing"],
  ["SM05", "ps-civil"],
  ["GL01", "ps-police"],
  ["GL02", "ps-cg"],
  ["GL03", "ps-traffic"],
  ["GL04", "ps-safety"],
  ["CX", "ps-social"],
  ["GF01", "ps-water"],
  ["GF02", "ps-housing"],
  ["GF03", "ps-cg"],
  ["GF04", "ps-gov"]
]

/**
 * The street office (街道办事处) of a street, as a department code: `ps-440310001`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const streetOffice = (streetCode: string): string => `ps-${streetCode}`

/**
 * The routing table: each category to its district department, disputes (矛盾纠纷, GL05) to the street office of the
 * place, and the 民情 centre as the fallback for categories a district adds later.
 *
 * @since 0.1.0
 * @category constructors
 */
export const routingTable = (tree: Region.RegionTree): Routing.RoutingTable => {
  const streets = Region.streets(tree)
  return Schema.decodeUnknownSync(Routing.RoutingTable)({
    departments: [...district, ...streets.map((s) => ({ code: streetOffice(s.code), name: `${s.name}办事处` }))],
    rules: [
      ...byCategory.map(([category, department]) => ({ category, department })),
      ...streets.map((s) => ({ category: "GL05", region: s.code, department: streetOffice(s.code) }))
    ],
    fallback: "ps-center"
  })
}

/**
 * Every department code of the table.
 *
 * @since 0.1.0
 * @category accessors
 */
export const departments = (table: Routing.RoutingTable): ReadonlyArray<string> => table.departments.map((d) => d.code)

/**
 * The role table of the district beyond the modules' own: none — the modules' default tables, merged, are enough.
 * (A district adds its own roles here, e.g. `"district-admin": ["*"]`.)
 *
 * @since 0.1.0
 * @category constructors
 */
export const districtRoles: Readonly<Record<string, ReadonlyArray<string>>> = {}

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const scope = (regionCode: string) => ({ tenantId: TENANT, regionCode })

const staff = (staffId: string, name: string, roles: ReadonlyArray<string>, regionCode: string, department?: string) =>
  decodeActor({
    _tag: "Staff",
    staffId,
    name,
    roles,
    scope: scope(regionCode),
    ...(department === undefined ? {} : { department })
  })

/**
 * The actors of the run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Actors {
  /** 专职人员 of the volunteer corps headquarters (district-wide). */
  readonly hq: Actor.Actor
  /** 兼职分队长: one per street, scoped to the street. */
  readonly teamLeader: (streetCode: string) => Actor.Actor
  /** The volunteers' scheduler (shift reminders, certificate publicity). */
  readonly volunteersScheduler: Actor.Actor
  /** A volunteer acting for themselves. */
  readonly volunteer: (volunteerId: string, streetCode: string) => Actor.Actor
  /** A resident with an account (mini-program, Open311). */
  readonly resident: (userId: string) => Actor.Actor
  /** The 民情 centre's intake clerk (hotline, web, meetings, deputies). */
  readonly clerk: Actor.Actor
  /** The 民情 centre's dispatcher (派单, 回访, 办结, 合并). */
  readonly dispatcher: Actor.Actor
  /** The handler on duty in a department. */
  readonly handler: (department: string) => Actor.Actor
  /** The supervisor (督办) deciding extensions and reopenings. */
  readonly supervisor: Actor.Actor
  /** The opinion scheduler (deadline reminders, escalation). */
  readonly opinionScheduler: Actor.Actor
}

/**
 * Builds the actors of a district.
 *
 * @since 0.1.0
 * @category constructors
 */
export const actors = (tree: Region.RegionTree, table: Routing.RoutingTable): Actors => {
  const root = tree.root.code
  const leaders = new Map<string, Actor.Actor>(
    Region.streets(tree).map((s, i) => [
      s.code as string,
      staff(`TL${String(i + 1).padStart(3, "0")}`, `${s.name.slice(0, 2)}分队长`, ["volunteers-team-leader"], s.code)
    ])
  )
  const handlers = new Map(
    table.departments.map((d, i) => [
      d.code as string,
      staff(`H${String(i + 1).padStart(3, "0")}`, `${d.name}承办人`, ["opinion-handler"], root, d.code)
    ])
  )
  return {
    hq: staff("HQ001", "王专职", ["volunteers-hq-staff"], root),
    teamLeader: (street) => leaders.get(street) ?? staff("TL999", "分队长", ["volunteers-team-leader"], street),
    volunteersScheduler: decodeActor({
      _tag: "ServiceAccount",
      clientId: "volunteers-scheduler",
      roles: ["volunteers-scheduler"],
      scope: scope(root)
    }),
    volunteer: (volunteerId, streetCode) =>
      decodeActor({ _tag: "Volunteer", volunteerId, roles: ["volunteer"], scope: scope(streetCode) }),
    resident: (userId) => decodeActor({ _tag: "Resident", userId, roles: ["resident"], scope: scope(root) }),
    clerk: staff("C001", "李受理", ["opinion-intake"], root),
    dispatcher: staff("D001", "陈派单", ["opinion-dispatcher"], root),
    handler: (department) => handlers.get(department) ?? staff("H999", "承办人", ["opinion-handler"], root, department),
    supervisor: staff("S001", "周督办", ["opinion-supervisor"], root),
    opinionScheduler: decodeActor({
      _tag: "ServiceAccount",
      clientId: "opinion-scheduler",
      roles: ["opinion-scheduler"],
      scope: scope(root)
    })
  }
}

const one = (id: string, name: string, address: string): ReadonlyArray<Recipient> => [
  { id, name, addresses: { [CHANNEL]: address }, locale: "zh-CN" }
]

/**
 * Where the opinion notifications go on the console channel: the department's duty desk, the street's supervisors,
 * the 民情 centre's follow-up desk, and reporters with an account (volunteers, residents); anonymous callers are
 * answered by phone, outside the run.
 *
 * @since 0.1.0
 * @category constructors
 */
export const opinionRecipients = (table: Routing.RoutingTable): RecipientDirectory<never> => ({
  department: (code) => Effect.succeed(one(`dept-${code}`, Routing.departmentName(table, code), `duty-${code}`)),
  supervisors: (streetCode) => Effect.succeed(one(`sup-${streetCode}`, "督办组", `supervisor-${streetCode}`)),
  followUpTeam: () => Effect.succeed(one("follow-up-desk", "回访组", "follow-up-desk")),
  reporter: (_reportId, reporter) =>
    Effect.succeed(
      reporter._tag === "Volunteer"
        ? one(reporter.volunteerId, reporter.volunteerId, reporter.volunteerId)
        : reporter._tag === "Resident"
          ? one(reporter.userId, reporter.userId, reporter.userId)
          : []
    )
})
