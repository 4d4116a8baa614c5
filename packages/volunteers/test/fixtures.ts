import * as Fs from "node:fs"
import * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Region from "@gongzhi/core/Region"
import * as ResidentId from "@gongzhi/core/ResidentId"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Layer, Schema, TestClock } from "effect"
import * as Synthetic from "../src/Synthetic.js"
import * as Volunteers from "../src/Volunteers.js"

/** Pingshan's region tree (NBS 2023 edition), from the reference example's data. */
export const pingshan: Region.RegionTree = Effect.runSync(
  Region.fromJson(
    JSON.parse(
      Fs.readFileSync(new URL("../../../examples/pingshan/data/pingshan-divisions.json", import.meta.url), "utf8")
    ),
    { asOf: "2023" }
  )
)

export const TENANT = "440310" as TenantId
export const STREET_1 = "440310001"
export const STREET_2 = "440310002"
export const COMMUNITY_1 = "440310001001"
export const COMMUNITY_2 = "440310002001"

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)

export const hq = decodeActor({
  _tag: "Staff",
  staffId: "HQ001",
  name: "王专职",
  roles: ["volunteers-hq-staff"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})

export const leader = (street: string, id = `L${street.slice(-1)}`) =>
  decodeActor({
    _tag: "Staff",
    staffId: id,
    name: "李队长",
    roles: ["volunteers-team-leader"],
    scope: { tenantId: TENANT, regionCode: street }
  })

export const volunteerActor = (volunteerId: string, regionCode: string = TENANT) =>
  decodeActor({ _tag: "Volunteer", volunteerId, roles: ["volunteer"], scope: { tenantId: TENANT, regionCode } })

export const resident = decodeActor({
  _tag: "Resident",
  userId: "U0001",
  roles: ["resident"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})

export const scheduler = decodeActor({
  _tag: "ServiceAccount",
  clientId: "scheduler",
  roles: ["volunteers-scheduler"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})

/** A synthetic (impossible) resident ID number. */
export const syntheticId = (seed: number) =>
  ResidentId.generate(Synthetic.random(seed), {
    addressCode: Synthetic.SYNTHETIC_ADDRESS_CODE,
    minBirthYear: 1960,
    maxBirthYear: 2000
  })

/** The person the test verifier knows (so that another name for the number is a `Mismatch`). */
export const KNOWN = { name: "张三", residentId: syntheticId(1) }

export const verifierOptions = {
  persons: [KNOWN],
  acceptAllValidChecksums: true
} satisfies IdentityVerifier.TestOptions

/** The service in memory with test keys and a test verifier. */
export const layer = (
  options: Partial<Volunteers.VolunteersOptions> = {},
  verifier: IdentityVerifier.TestOptions = verifierOptions
) =>
  Volunteers.layerMemory({ regions: pingshan, ...options }).pipe(
    Layer.provide(Layer.mergeAll(FieldCipher.layerTest(), IdentityVerifier.layerTest(verifier))),
    Layer.orDie
  )

/** 2026-03-02 09:00 China time (a Monday). */
export const START = Date.UTC(2026, 2, 2, 1, 0, 0)

export const at = (iso: string) => new Date(iso)

/** A corps with its six street sub-teams (each with its certificate issuer). */
export const setUp = Effect.gen(function* () {
  yield* TestClock.setTime(START)
  const service = yield* Volunteers.Volunteers
  const plan = Synthetic.district({ regions: pingshan, seed: 7, volunteers: 0 })
  yield* service.establishCorps(hq, plan.corps)
  for (const team of plan.teams) yield* service.createTeam(hq, team)
  return service
})

export const registration = (seed: number, overrides: Record<string, unknown> = {}) => ({
  tenantId: TENANT,
  name: Synthetic.chineseName(Synthetic.random(seed)),
  residentId: syntheticId(seed),
  mobile: `1380013${String(seed).padStart(4, "0")}`,
  affiliation: { kind: "individual" as const },
  homeCommunity: COMMUNITY_1,
  consent: { purpose: "民情志愿者登记与服务记录" },
  ...overrides
})

/** Registers and approves a volunteer of street 1 (by default); returns their number. */
export const enrol = (seed: number, overrides: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const service = yield* Volunteers.Volunteers
    const registered = yield* service.register(hq, registration(seed, overrides))
    yield* service.decideApplication(hq, { tenantId: TENANT, volunteerId: registered.volunteerId, decision: "approve" })
    return registered.volunteerId
  })

/** Every outbox event of the tenant, in order. */
export const events = Effect.gen(function* () {
  const outbox = yield* Outbox.Outbox
  const page = yield* outbox.list(TENANT, { limit: 1000 })
  return page.items.map((entry) => entry.event)
})

/** Every audit entry of the tenant, in order. */
export const auditEntries = Effect.gen(function* () {
  const log = yield* AuditLog.AuditLog
  const page = yield* log.list(TENANT, { limit: 1000 })
  return page.items
})
