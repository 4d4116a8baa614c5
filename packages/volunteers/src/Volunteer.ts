/**
 * The volunteer profile (志愿者档案·基本信息). Personal data is sealed: the resident ID number and the
 * mobile number are stored encrypted (core `FieldCipher`, bound to the column and the tenant), with a
 * blind index for duplicate detection and lookups, and a masked form for display. A volunteer is
 * known everywhere by a public volunteer number (志愿者编号, e.g. `440310-V-000123`), never by the ID
 * number; list views never show the ID number or the birth date.
 *
 * @since 0.1.0
 */
import { VolunteerId } from "@gongzhi/core/Actor"
import { Ciphertext } from "@gongzhi/core/FieldCipher"
import * as MobileNumber from "@gongzhi/core/MobileNumber"
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { PlainText } from "@gongzhi/core/Text"
import { Schema } from "effect"
import { ActorRef } from "./ActorRef.js"
import { TeamId } from "./Corps.js"
import { PageInput, Text } from "./internal/input.js"
import { minutesToHours } from "./StarLevel.js"

/**
 * The public volunteer number (志愿者编号): the district code, `V`, and a sequence number of at least
 * six digits, e.g. `440310-V-000123`. It is a core `Actor.VolunteerId`, so a volunteer's actor
 * carries it. It is assigned in order per district and never derived from the ID number.
 *
 * @since 0.1.0
 * @category models
 */
export const VolunteerNumber = VolunteerId.pipe(
  Schema.filter((value) => /^[1-9]\d{5}-V-\d{6,}$/.test(value) || "志愿者编号应形如 440310-V-000123"),
  Schema.annotations({ identifier: "VolunteerNumber", title: "志愿者编号" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type VolunteerNumber = typeof VolunteerNumber.Type

/**
 * Formats the n-th volunteer number of a district.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Volunteer } from "@gongzhi/volunteers"
 *
 * Volunteer.formatNumber("440310", 123) // "440310-V-000123"
 */
export const formatNumber = (tenantId: string, sequence: number): VolunteerNumber =>
  `${tenantId}-V-${String(sequence).padStart(6, "0")}` as VolunteerNumber

/**
 * The kind of organisation a volunteer comes from: an enterprise of the new economic organisations
 * (两新组织·非公企业), a social organisation (社会组织), a volunteer group (义工团体), or none
 * (个人).
 *
 * @since 0.1.0
 * @category models
 */
export const AffiliationKind = Schema.Literal("enterprise", "social-organisation", "volunteer-group", "individual")

/**
 * @since 0.1.0
 * @category models
 */
export type AffiliationKind = typeof AffiliationKind.Type

const affiliationLabels: Record<AffiliationKind, string> = {
  enterprise: "两新组织（企业）",
  "social-organisation": "社会组织",
  "volunteer-group": "义工团体",
  individual: "个人"
}

/**
 * The Chinese name of an affiliation kind.
 *
 * @since 0.1.0
 * @category accessors
 */
export const affiliationLabel = (kind: AffiliationKind): string => affiliationLabels[kind]

/**
 * Where a volunteer comes from: the kind, the organisation's name and, when it has one, its unified
 * social credit code (validated with core `SocialCreditCode` when registering).
 *
 * @since 0.1.0
 * @category models
 */
export class Affiliation extends Schema.Class<Affiliation>("@gongzhi/volunteers/Affiliation")({
  kind: AffiliationKind,
  organisation: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100))),
  creditCode: Schema.optional(Schema.String.pipe(Schema.pattern(/^[0-9A-Z]{18}$/)))
}) {}

/**
 * Consent to the processing of personal information (个人信息处理同意, PIPL Art. 13–14): when it was
 * given, for what purpose, and which version of the notice was shown. Required to register.
 *
 * @since 0.1.0
 * @category models
 */
export class Consent extends Schema.Class<Consent>("@gongzhi/volunteers/Consent")({
  purpose: Schema.Trim.pipe(Schema.minLength(1, { message: () => "应写明个人信息的处理目的" }), Schema.maxLength(500)),
  consentedAt: Schema.Date,
  noticeVersion: Schema.optional(Schema.String.pipe(Schema.maxLength(64)))
}) {}

/**
 * A sealed personal field: the ciphertext, the blind index and the masked form for display.
 *
 * @since 0.1.0
 * @category models
 */
export class SealedField extends Schema.Class<SealedField>("@gongzhi/volunteers/SealedField")({
  ciphertext: Ciphertext,
  blindIndex: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)),
  masked: Schema.String
}) {}

/**
 * The status of a volunteer: `applied` (申请待审核), `active` (在册服务), `suspended` (暂停),
 * `left` (已离队) or `rejected` (申请未通过; the person may apply again).
 *
 * @since 0.1.0
 * @category models
 */
export const VolunteerStatus = Schema.Literal("applied", "active", "suspended", "left", "rejected")

/**
 * @since 0.1.0
 * @category models
 */
export type VolunteerStatus = typeof VolunteerStatus.Type

const statusLabels: Record<VolunteerStatus, string> = {
  applied: "待审核",
  active: "在册",
  suspended: "暂停",
  left: "已离队",
  rejected: "未通过"
}

/**
 * The Chinese name of a status.
 *
 * @since 0.1.0
 * @category accessors
 */
export const statusLabel = (status: VolunteerStatus): string => statusLabels[status]

/**
 * The status changes a clerk may make after approval: suspend, reinstate, record leaving, rejoin.
 *
 * @since 0.1.0
 * @category accessors
 */
export const canChangeStatus = (from: VolunteerStatus, to: VolunteerStatus): boolean =>
  (from === "active" && (to === "suspended" || to === "left")) ||
  (from === "suspended" && (to === "active" || to === "left")) ||
  (from === "left" && to === "active")

/**
 * The hours account of a volunteer: approved service minutes (training excluded), approved
 * training minutes, and the star level they earn.
 *
 * @since 0.1.0
 * @category models
 */
export class HoursAccount extends Schema.Class<HoursAccount>("@gongzhi/volunteers/HoursAccount")({
  approvedMinutes: Schema.NonNegativeInt,
  trainingMinutes: Schema.NonNegativeInt,
  starLevel: Schema.Int.pipe(Schema.between(0, 9)),
  levelReachedAt: Schema.optional(Schema.Date)
}) {
  /** An empty account. */
  static readonly empty: HoursAccount = new HoursAccount({ approvedMinutes: 0, trainingMinutes: 0, starLevel: 0 })
}

/**
 * How the registration arrived: the volunteer applied (`self`) or a team registered them (`team`).
 *
 * @since 0.1.0
 * @category models
 */
export const RegistrationChannel = Schema.Literal("self", "team")

/**
 * @since 0.1.0
 * @category models
 */
export type RegistrationChannel = typeof RegistrationChannel.Type

/**
 * The real-name check that admitted the registration: provider, its reference and time (never the
 * name or number checked).
 *
 * @since 0.1.0
 * @category models
 */
export class IdentityCheck extends Schema.Class<IdentityCheck>("@gongzhi/volunteers/IdentityCheck")({
  provider: Schema.String,
  reference: Schema.String,
  checkedAt: Schema.Date
}) {}

/**
 * The decision on an application.
 *
 * @since 0.1.0
 * @category models
 */
export class RegistrationDecision extends Schema.Class<RegistrationDecision>(
  "@gongzhi/volunteers/RegistrationDecision"
)({
  outcome: Schema.Literal("approved", "rejected"),
  by: ActorRef,
  at: Schema.Date,
  reason: Schema.optional(Schema.String)
}) {}

/**
 * How a volunteer was registered and admitted.
 *
 * @since 0.1.0
 * @category models
 */
export class RegistrationRecord extends Schema.Class<RegistrationRecord>("@gongzhi/volunteers/RegistrationRecord")({
  channel: RegistrationChannel,
  submittedBy: ActorRef,
  submittedAt: Schema.Date,
  identityCheck: IdentityCheck,
  decision: Schema.optional(RegistrationDecision)
}) {}

/**
 * A volunteer's profile.
 *
 * @since 0.1.0
 * @category models
 */
export class Volunteer extends Schema.Class<Volunteer>("@gongzhi/volunteers/Volunteer")({
  id: VolunteerNumber,
  tenantId: TenantId,
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  /** ID type and sealed number: only 居民身份证 for now. */
  idType: Schema.Literal("resident-id-card"),
  residentId: SealedField,
  mobile: SealedField,
  affiliation: Affiliation,
  skills: Schema.Array(Schema.String),
  homeCommunity: RegionCode,
  streetCode: RegionCode,
  teamId: TeamId,
  status: VolunteerStatus,
  statusReason: Schema.optional(Schema.String),
  consent: Consent,
  registration: RegistrationRecord,
  hours: HoursAccount,
  createdAt: Schema.Date,
  updatedAt: Schema.Date
}) {}

/**
 * The Chinese name of the ID type.
 *
 * @since 0.1.0
 * @category accessors
 */
export const idTypeLabel = (_idType: Volunteer["idType"]): string => "居民身份证"

/**
 * A row of a volunteer list: no ID number, no birth date, the mobile masked.
 *
 * @since 0.1.0
 * @category models
 */
export interface VolunteerListItem {
  readonly volunteerId: VolunteerNumber
  readonly name: string
  readonly maskedMobile: string
  readonly affiliation: string
  readonly teamId: TeamId
  readonly homeCommunity: RegionCode
  readonly status: VolunteerStatus
  readonly starLevel: number
  readonly approvedHours: number
}

/**
 * The list view of a volunteer.
 *
 * @since 0.1.0
 * @category accessors
 */
export const toListItem = (volunteer: Volunteer): VolunteerListItem => ({
  volunteerId: volunteer.id,
  name: volunteer.name,
  maskedMobile: volunteer.mobile.masked,
  affiliation:
    volunteer.affiliation.organisation === undefined
      ? affiliationLabel(volunteer.affiliation.kind)
      : `${affiliationLabel(volunteer.affiliation.kind)}·${volunteer.affiliation.organisation}`,
  teamId: volunteer.teamId,
  homeCommunity: volunteer.homeCommunity,
  status: volunteer.status,
  starLevel: volunteer.hours.starLevel,
  approvedHours: minutesToHours(volunteer.hours.approvedMinutes)
})

/**
 * The detail view of a volunteer: masked ID number and mobile, never the birth date.
 *
 * @since 0.1.0
 * @category models
 */
export interface VolunteerProfileView extends VolunteerListItem {
  readonly idType: string
  readonly maskedResidentId: string
  readonly affiliationKind: AffiliationKind
  readonly organisation: string | undefined
  readonly creditCode: string | undefined
  readonly skills: ReadonlyArray<string>
  readonly streetCode: RegionCode
  readonly statusReason: string | undefined
  readonly trainingHours: number
  readonly consent: { readonly purpose: string; readonly consentedAt: Date; readonly noticeVersion: string | undefined }
  readonly registeredAt: Date
  readonly channel: RegistrationRecord["channel"]
}

/**
 * The detail view of a volunteer.
 *
 * @since 0.1.0
 * @category accessors
 */
export const toProfileView = (volunteer: Volunteer): VolunteerProfileView => ({
  ...toListItem(volunteer),
  idType: idTypeLabel(volunteer.idType),
  maskedResidentId: volunteer.residentId.masked,
  affiliationKind: volunteer.affiliation.kind,
  organisation: volunteer.affiliation.organisation,
  creditCode: volunteer.affiliation.creditCode,
  skills: volunteer.skills,
  streetCode: volunteer.streetCode,
  statusReason: volunteer.statusReason,
  trainingHours: minutesToHours(volunteer.hours.trainingMinutes),
  consent: {
    purpose: volunteer.consent.purpose,
    consentedAt: volunteer.consent.consentedAt,
    noticeVersion: volunteer.consent.noticeVersion
  },
  registeredAt: volunteer.registration.submittedAt,
  channel: volunteer.registration.channel
})

// ---------------------------------------------------------------------------------------------
// command inputs
// ---------------------------------------------------------------------------------------------

/**
 * The affiliation as entered: an organisation name is required unless `individual`; the unified
 * social credit code is optional and validated (GB 32100-2015) when given.
 *
 * @since 0.1.0
 * @category models
 */
export const AffiliationInput = Schema.Struct({
  kind: AffiliationKind,
  organisation: Schema.optional(Text("组织名称", 100)),
  creditCode: Schema.optional(Schema.String)
}).pipe(
  Schema.filter(
    (a) =>
      a.kind === "individual" ||
      a.organisation !== undefined || { path: ["organisation"], message: "来自组织的志愿者应填写组织名称" }
  )
)

/**
 * Names a volunteer.
 *
 * @since 0.1.0
 * @category models
 */
export const VolunteerRef = Schema.Struct({ tenantId: TenantId, volunteerId: VolunteerId })

/**
 * Changes a volunteer's status after approval: suspend (暂停), reinstate (恢复), record leaving
 * (离队) or rejoining (重新加入), with the reason.
 *
 * @since 0.1.0
 * @category models
 */
export const ChangeStatus = Schema.Struct({
  tenantId: TenantId,
  volunteerId: VolunteerId,
  status: Schema.Literal("active", "suspended", "left"),
  reason: Text("原因", 500)
})

/**
 * Updates what a volunteer may change about themselves (or staff for them): mobile, skills,
 * affiliation.
 *
 * @since 0.1.0
 * @category models
 */
export const UpdateProfile = Schema.Struct({
  tenantId: TenantId,
  volunteerId: VolunteerId,
  mobile: Schema.optional(MobileNumber.MobileNumber),
  skills: Schema.optional(Schema.Array(PlainText({ title: "技能", max: 32 })).pipe(Schema.maxItems(20))),
  affiliation: Schema.optional(AffiliationInput)
})

/**
 * Lists volunteers of a team, a street or a community (by default within the actor's own scope).
 *
 * @since 0.1.0
 * @category models
 */
export const ListVolunteers = Schema.Struct({
  tenantId: TenantId,
  teamId: Schema.optional(TeamId),
  streetCode: Schema.optional(RegionCode),
  communityCode: Schema.optional(RegionCode),
  status: Schema.optional(VolunteerStatus),
  ...PageInput
})
