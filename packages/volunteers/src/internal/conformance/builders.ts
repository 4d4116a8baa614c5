import type { VolunteerId } from "@gongzhi/core/Actor"
import type { LocalDate } from "@gongzhi/core/LocalDate"
import type { RegionCode } from "@gongzhi/core/Region"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Activity, Participant, Participation, Shift } from "../../Activity.js"
import { ActorRef } from "../../ActorRef.js"
import { Certificate } from "../../Certificate.js"
import { Corps, defaultMemberRoles, type MemberRoleId, Membership, Team, TeamId } from "../../Corps.js"
import { Adjustment, RecordEntry, ServiceRecord } from "../../ServiceRecord.js"
import {
  Affiliation,
  Consent,
  formatNumber,
  HoursAccount,
  IdentityCheck,
  RegistrationRecord,
  SealedField,
  Volunteer,
  type VolunteerStatus
} from "../../Volunteer.js"

export const T0 = Date.UTC(2026, 2, 2, 1, 0, 0)
const hour = 3_600_000

const hex64 = (seed: string): string => {
  let out = ""
  let h = 2166136261
  for (let i = 0; out.length < 64; i++) {
    h ^= seed.charCodeAt(i % seed.length) + i
    h = Math.imul(h, 16777619) >>> 0
    out += h.toString(16).padStart(8, "0")
  }
  return out.slice(0, 64)
}

/** A sealed field that looks like the cipher's output (the suites never decrypt it). */
export const sealed = (seed: string, masked: string): SealedField =>
  new SealedField({
    ciphertext: `gz1.test.${Buffer.from(seed).toString("base64url").padEnd(16, "A").slice(0, 16)}.${Buffer.from(
      `sealed:${seed}`
    ).toString("base64url")}.${"A".repeat(22)}`,
    blindIndex: hex64(seed),
    masked
  })

export const streets = ["440310001", "440310002", "440310003"] as const
export const communityOf = (i: number): RegionCode => `${streets[i % streets.length]}00${(i % 5) + 1}` as RegionCode
export const streetOf = (i: number): RegionCode => streets[i % streets.length] as RegionCode
export const teamOf = (i: number) => TeamId.make(`T${streetOf(i)}`)

const system = new ActorRef({ kind: "Staff", id: "S0001" })

export const volunteer = (
  tenantId: TenantId,
  i: number,
  overrides: Partial<ConstructorParameters<typeof Volunteer>[0]> = {}
): Volunteer =>
  new Volunteer({
    id: formatNumber(tenantId, i + 1),
    tenantId,
    name: `志愿者${i}`,
    idType: "resident-id-card",
    residentId: sealed(`rid-${i}`, "9****************X"),
    mobile: sealed(`mob-${i}`, "138****0000"),
    affiliation: new Affiliation({ kind: "individual" }),
    skills: ["民情走访"],
    homeCommunity: communityOf(i),
    streetCode: streetOf(i),
    teamId: teamOf(i),
    status: (["active", "active", "applied", "suspended"] as const)[i % 4] as VolunteerStatus,
    consent: new Consent({ purpose: "登记与服务记录", consentedAt: new Date(T0) }),
    registration: new RegistrationRecord({
      channel: "team",
      submittedBy: system,
      submittedAt: new Date(T0),
      identityCheck: new IdentityCheck({ provider: "test", reference: `test-${i}`, checkedAt: new Date(T0) })
    }),
    hours: new HoursAccount({ approvedMinutes: i * 60, trainingMinutes: 0, starLevel: i % 3 }),
    createdAt: new Date(T0 + i * hour),
    updatedAt: new Date(T0 + i * hour),
    ...overrides
  })

export const corps = (tenantId: TenantId): Corps =>
  new Corps({
    tenantId,
    name: "坪山区民情志愿服务总队",
    headquartersId: TeamId.make(`T${tenantId}`),
    memberRoles: [defaultMemberRoles[0], ...defaultMemberRoles.slice(1)],
    createdAt: new Date(T0)
  })

export const team = (tenantId: TenantId, i: number, overrides: Partial<ConstructorParameters<typeof Team>[0]> = {}) =>
  new Team({
    id: TeamId.make(`T${streets[i % streets.length]}-${i}`),
    tenantId,
    kind: "street",
    name: `第${i}分队`,
    regionCode: streetOf(i),
    parentId: TeamId.make(`T${tenantId}`),
    status: "active",
    createdAt: new Date(T0),
    ...overrides
  })

export const membership = (
  tenantId: TenantId,
  id: string,
  teamId: string,
  memberId: string,
  roleId: string,
  status: "active" | "ended" = "active"
) =>
  new Membership({
    id,
    tenantId,
    teamId: TeamId.make(teamId),
    member: { _tag: "Volunteer", id: memberId as VolunteerId },
    roleId: roleId as MemberRoleId,
    status,
    since: new Date(T0)
  })

export const activity = (tenantId: TenantId, i: number) =>
  new Activity({
    id: `act-${String(i).padStart(4, "0")}`,
    tenantId,
    kind: (["visit", "training", "event"] as const)[i % 3],
    title: `第${i}次民情走访`,
    teamId: teamOf(i),
    streetCode: streetOf(i),
    communityCode: communityOf(i),
    status: "open",
    createdBy: system,
    createdAt: new Date(T0 + i * hour)
  })

export const shift = (tenantId: TenantId, i: number, overrides: Partial<ConstructorParameters<typeof Shift>[0]> = {}) =>
  new Shift({
    id: `shift-${String(i).padStart(4, "0")}`,
    tenantId,
    activityId: `act-${String(i % 3).padStart(4, "0")}`,
    activityKind: "visit",
    title: `班次${i}`,
    teamId: teamOf(i),
    streetCode: streetOf(i),
    communityCode: communityOf(i),
    startsAt: new Date(T0 + (24 + i) * hour),
    endsAt: new Date(T0 + (26 + i) * hour),
    capacity: 3,
    status: "open",
    nextSeq: 0,
    participants: [],
    codes: [],
    createdAt: new Date(T0),
    ...overrides
  })

export const participant = (volunteerId: string, seq: number, state: Participant["state"]) =>
  new Participant({
    volunteerId: volunteerId as VolunteerId,
    state,
    seq,
    signedUpAt: new Date(T0 + seq * 60_000),
    walkIn: false
  })

export const participation = (tenantId: TenantId, s: Shift, volunteerId: string, state: Participant["state"]) =>
  new Participation({
    id: `${s.id}:${volunteerId}`,
    tenantId,
    shiftId: s.id,
    activityId: s.activityId,
    activityKind: s.activityKind,
    title: s.title,
    volunteerId: volunteerId as VolunteerId,
    state,
    walkIn: false,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    teamId: s.teamId,
    streetCode: s.streetCode,
    communityCode: s.communityCode
  })

export const record = (
  tenantId: TenantId,
  i: number,
  overrides: Partial<ConstructorParameters<typeof ServiceRecord>[0]> = {}
) =>
  new ServiceRecord({
    id: `rec-${String(i).padStart(5, "0")}`,
    tenantId,
    volunteerId: formatNumber(tenantId, (i % 4) + 1),
    teamId: teamOf(i),
    streetCode: streetOf(i),
    communityCode: communityOf(i),
    kind: "service",
    source: "manual",
    content: `民情走访 ${i}`,
    startedAt: new Date(T0 + i * hour),
    endedAt: new Date(T0 + i * hour + 90 * 60_000),
    measuredMinutes: 90,
    adjustments:
      i % 5 === 0 ? [new Adjustment({ minutes: -30, reason: "扣除路途时间", by: system, at: new Date(T0) })] : [],
    status: i % 3 === 0 ? "pending" : "approved",
    recordedBy: system,
    recordedAt: new Date(T0 + i * hour),
    ...overrides
  })

export const entry = (tenantId: TenantId, i: number) =>
  new RecordEntry({
    id: `entry-${String(i).padStart(4, "0")}`,
    tenantId,
    volunteerId: formatNumber(tenantId, (i % 2) + 1),
    teamId: teamOf(i),
    streetCode: streetOf(i),
    kind: (["commendation", "evaluation", "complaint"] as const)[i % 3],
    title: `条目${i}`,
    content: "内容",
    occurredOn: "2026-03-01" as LocalDate,
    ...(i % 3 === 1 ? { rating: "优秀" as const } : {}),
    ...(i % 3 === 2 ? { complaintStatus: "open" as const } : {}),
    recordedBy: system,
    recordedAt: new Date(T0)
  })

export const certificate = (
  tenantId: TenantId,
  i: number,
  overrides: Partial<ConstructorParameters<typeof Certificate>[0]> = {}
) =>
  new Certificate({
    id: `cert-${String(i).padStart(4, "0")}`,
    tenantId,
    volunteerId: formatNumber(tenantId, (i % 3) + 1),
    teamId: teamOf(i),
    regionCode: streetOf(i),
    status: "applied",
    appliedBy: system,
    appliedAt: new Date(T0 + i * hour),
    updatedAt: new Date(T0 + i * hour),
    ...overrides
  })
