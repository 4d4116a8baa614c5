import * as Repository from "@gongzhi/core/Repository"
import { Schema } from "effect"
import { Activity, Participation, Shift } from "../Activity.js"
import { Certificate } from "../Certificate.js"
import { CORPS_ID, Corps, Membership, Team } from "../Corps.js"
import { effectiveMinutes, RecordEntry, ServiceRecord } from "../ServiceRecord.js"
import { Volunteer } from "../Volunteer.js"

/** A named sequence (volunteer numbers, certificate numbers per year). */
export class Counter extends Schema.Class<Counter>("@gongzhi/volunteers/Counter")({
  id: Schema.String,
  value: Schema.NonNegativeInt
}) {}

const ID = 64
const TEAM = 48
const REGION = 16
const STATE = 16

export const counters = Repository.define({
  entity: "Counter",
  table: "vol_counters",
  schema: Counter,
  id: (counter) => counter.id
})

export const corps = Repository.define({
  entity: "Corps",
  table: "vol_corps",
  schema: Corps,
  id: () => CORPS_ID
})

export const teams = Repository.define({
  entity: "Team",
  table: "vol_teams",
  schema: Team,
  id: (team) => team.id,
  columns: {
    kind: { type: "text", get: (team) => team.kind, length: STATE },
    region_code: { type: "text", get: (team) => team.regionCode, length: REGION },
    parent_id: { type: "text", get: (team) => team.parentId, length: TEAM },
    status: { type: "text", get: (team) => team.status, length: STATE }
  },
  indexes: [["kind", "status"], ["region_code"], ["parent_id"]]
})

export const memberships = Repository.define({
  entity: "Membership",
  table: "vol_memberships",
  schema: Membership,
  id: (membership) => membership.id,
  columns: {
    team_id: { type: "text", get: (m) => m.teamId, length: TEAM },
    member_kind: { type: "text", get: (m) => m.member._tag, length: STATE },
    member_id: { type: "text", get: (m) => m.member.id, length: ID },
    role_id: { type: "text", get: (m) => m.roleId, length: 32 },
    status: { type: "text", get: (m) => m.status, length: STATE },
    /** "1" while active, NULL once ended: an ended role never blocks a new one. */
    active_key: { type: "text", get: (m) => (m.status === "active" ? "1" : null), length: 1 }
  },
  indexes: [
    ["team_id", "role_id", "status"],
    ["member_kind", "member_id"],
    ["role_id", "status"]
  ],
  unique: { active_role: ["team_id", "member_kind", "member_id", "role_id", "active_key"] }
})

export const volunteers = Repository.define({
  entity: "Volunteer",
  table: "vol_volunteers",
  schema: Volunteer,
  id: (volunteer) => volunteer.id,
  columns: {
    /** Blind index of the resident ID number; NULL for rejected applications (they may apply again). */
    resident_index: {
      type: "text",
      get: (v) => (v.status === "rejected" ? null : v.residentId.blindIndex),
      length: 64
    },
    mobile_index: { type: "text", get: (v) => v.mobile.blindIndex, length: 64 },
    team_id: { type: "text", get: (v) => v.teamId, length: TEAM },
    street_code: { type: "text", get: (v) => v.streetCode, length: REGION },
    community_code: { type: "text", get: (v) => v.homeCommunity, length: REGION },
    status: { type: "text", get: (v) => v.status, length: STATE },
    star_level: { type: "integer", get: (v) => v.hours.starLevel },
    approved_minutes: { type: "integer", get: (v) => v.hours.approvedMinutes },
    created_at: { type: "timestamp", get: (v) => v.createdAt }
  },
  indexes: [
    ["team_id", "status"],
    ["street_code", "status"],
    ["community_code", "status"],
    ["status", "created_at"],
    ["mobile_index"],
    ["created_at"]
  ],
  unique: { resident_id: ["resident_index"] }
})

export const activities = Repository.define({
  entity: "Activity",
  table: "vol_activities",
  schema: Activity,
  id: (activity) => activity.id,
  columns: {
    team_id: { type: "text", get: (a) => a.teamId, length: TEAM },
    street_code: { type: "text", get: (a) => a.streetCode, length: REGION },
    community_code: { type: "text", get: (a) => a.communityCode, length: REGION },
    kind: { type: "text", get: (a) => a.kind, length: STATE },
    status: { type: "text", get: (a) => a.status, length: STATE },
    created_at: { type: "timestamp", get: (a) => a.createdAt }
  },
  indexes: [["team_id", "created_at"], ["street_code", "created_at"], ["community_code", "created_at"], ["created_at"]]
})

export const shifts = Repository.define({
  entity: "Shift",
  table: "vol_shifts",
  schema: Shift,
  id: (shift) => shift.id,
  columns: {
    activity_id: { type: "text", get: (s) => s.activityId, length: ID },
    team_id: { type: "text", get: (s) => s.teamId, length: TEAM },
    street_code: { type: "text", get: (s) => s.streetCode, length: REGION },
    community_code: { type: "text", get: (s) => s.communityCode, length: REGION },
    status: { type: "text", get: (s) => s.status, length: STATE },
    starts_at: { type: "timestamp", get: (s) => s.startsAt },
    ends_at: { type: "timestamp", get: (s) => s.endsAt },
    capacity: { type: "integer", get: (s) => s.capacity },
    reminded: { type: "boolean", get: (s) => s.remindedAt !== undefined }
  },
  indexes: [["activity_id"], ["status", "starts_at"], ["team_id", "starts_at"], ["street_code", "starts_at"]]
})

export const participations = Repository.define({
  entity: "Participation",
  table: "vol_participations",
  schema: Participation,
  id: (p) => p.id,
  columns: {
    shift_id: { type: "text", get: (p) => p.shiftId, length: ID },
    activity_id: { type: "text", get: (p) => p.activityId, length: ID },
    activity_kind: { type: "text", get: (p) => p.activityKind, length: STATE },
    volunteer_id: { type: "text", get: (p) => p.volunteerId, length: ID },
    state: { type: "text", get: (p) => p.state, length: STATE },
    walk_in: { type: "boolean", get: (p) => p.walkIn },
    starts_at: { type: "timestamp", get: (p) => p.startsAt },
    team_id: { type: "text", get: (p) => p.teamId, length: TEAM },
    street_code: { type: "text", get: (p) => p.streetCode, length: REGION },
    community_code: { type: "text", get: (p) => p.communityCode, length: REGION }
  },
  indexes: [
    ["volunteer_id", "starts_at"],
    ["shift_id"],
    ["team_id", "starts_at"],
    ["street_code", "starts_at"],
    ["state", "starts_at"]
  ]
})

export const serviceRecords = Repository.define({
  entity: "ServiceRecord",
  table: "vol_service_records",
  schema: ServiceRecord,
  id: (r) => r.id,
  columns: {
    volunteer_id: { type: "text", get: (r) => r.volunteerId, length: ID },
    team_id: { type: "text", get: (r) => r.teamId, length: TEAM },
    street_code: { type: "text", get: (r) => r.streetCode, length: REGION },
    community_code: { type: "text", get: (r) => r.communityCode, length: REGION },
    started_at: { type: "timestamp", get: (r) => r.startedAt },
    /** Effective minutes (measured + adjustments); hours = minutes / 60. */
    minutes: { type: "integer", get: (r) => effectiveMinutes(r) },
    status: { type: "text", get: (r) => r.status, length: STATE },
    kind: { type: "text", get: (r) => r.kind, length: STATE },
    source: { type: "text", get: (r) => r.source, length: STATE },
    shift_id: { type: "text", get: (r) => r.shiftId, length: ID },
    activity_id: { type: "text", get: (r) => r.activityId, length: ID }
  },
  indexes: [
    ["volunteer_id", "status"],
    ["team_id", "started_at"],
    ["street_code", "started_at"],
    ["community_code", "started_at"],
    ["status", "started_at"],
    ["volunteer_id", "started_at"]
  ],
  unique: { attendance: ["shift_id", "volunteer_id"] }
})

export const recordEntries = Repository.define({
  entity: "RecordEntry",
  table: "vol_record_entries",
  schema: RecordEntry,
  id: (e) => e.id,
  columns: {
    volunteer_id: { type: "text", get: (e) => e.volunteerId, length: ID },
    team_id: { type: "text", get: (e) => e.teamId, length: TEAM },
    street_code: { type: "text", get: (e) => e.streetCode, length: REGION },
    kind: { type: "text", get: (e) => e.kind, length: STATE },
    occurred_on: { type: "text", get: (e) => e.occurredOn, length: 10 },
    complaint_status: { type: "text", get: (e) => e.complaintStatus, length: STATE }
  },
  indexes: [
    ["volunteer_id", "occurred_on"],
    ["team_id", "kind"],
    ["kind", "occurred_on"]
  ]
})

export const certificates = Repository.define({
  entity: "Certificate",
  table: "vol_certificates",
  schema: Certificate,
  id: (c) => c.id,
  columns: {
    volunteer_id: { type: "text", get: (c) => c.volunteerId, length: ID },
    team_id: { type: "text", get: (c) => c.teamId, length: TEAM },
    region_code: { type: "text", get: (c) => c.regionCode, length: REGION },
    status: { type: "text", get: (c) => c.status, length: STATE },
    number: { type: "text", get: (c) => c.number, length: 40 },
    issued_on: { type: "text", get: (c) => c.issuedOn, length: 10 },
    publicity_ends_on: { type: "text", get: (c) => c.publicity?.endsOn, length: 10 },
    applied_at: { type: "timestamp", get: (c) => c.appliedAt }
  },
  indexes: [["volunteer_id", "applied_at"], ["team_id", "status"], ["status", "publicity_ends_on"], ["applied_at"]],
  unique: { number: ["number"] }
})

/** Every table of the module, in creation order. */
export const all: ReadonlyArray<Repository.Definition<any, any>> = [
  counters,
  corps,
  teams,
  memberships,
  volunteers,
  activities,
  shifts,
  participations,
  serviceRecords,
  recordEntries,
  certificates
]
