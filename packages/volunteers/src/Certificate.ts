/**
 * Certificates of volunteer service records (志愿服务记录证明). "Whoever records, certifies"
 * (谁记录、谁证明): a certificate is issued by the team that recorded and approved the hours. Its
 * contents follow the Ministry of Civil Affairs measures (Order 67): the volunteer's identity (name,
 * ID type, MASKED ID number, volunteer number), the service hours and content, the issuing
 * organisation (name, person in charge, handler, contact), the certificate number and date.
 *
 * Process: application (申请) → acceptance (受理) → issue (出具) → internal publicity (内部公示, policy:
 * at least 7 days) → effective (生效); a certificate may be revoked (撤销) after an objection.
 * The transitions here are pure; {@link toDocument} gives the data a renderer prints.
 *
 * @since 0.1.0
 */
import { VolunteerId } from "@gongzhi/core/Actor"
import { LocalDate } from "@gongzhi/core/LocalDate"
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Either, Schema } from "effect"
import { ActorRef } from "./ActorRef.js"
import { TeamId } from "./Corps.js"
import { PageInput, Text } from "./internal/input.js"
import { addDays } from "./internal/time.js"
import { minutesToHours } from "./StarLevel.js"
import { InvalidTransition } from "./VolunteerErrors.js"

/**
 * The state of a certificate.
 *
 * @since 0.1.0
 * @category models
 */
export const CertificateStatus = Schema.Literal("applied", "accepted", "rejected", "issued", "effective", "revoked")

/**
 * @since 0.1.0
 * @category models
 */
export type CertificateStatus = typeof CertificateStatus.Type

const statusLabels: Record<CertificateStatus, string> = {
  applied: "已申请",
  accepted: "已受理",
  rejected: "不予受理",
  issued: "已出具（公示中）",
  effective: "已生效",
  revoked: "已撤销"
}

/**
 * The Chinese name of a status.
 *
 * @since 0.1.0
 * @category accessors
 */
export const statusLabel = (status: CertificateStatus): string => statusLabels[status]

/**
 * The publicity policy: how many days an issued certificate is publicised internally before it takes
 * effect, with its source and the date from which it applies.
 *
 * @since 0.1.0
 * @category models
 */
export class PublicityPolicy extends Schema.Class<PublicityPolicy>("@gongzhi/volunteers/PublicityPolicy")({
  days: Schema.Int.pipe(Schema.between(1, 90)),
  source: Schema.String.pipe(Schema.minLength(1)),
  effectiveFrom: LocalDate
}) {}

/**
 * The default: 7 days of internal publicity.
 *
 * @since 0.1.0
 * @category models
 */
export const defaultPublicity: PublicityPolicy = new PublicityPolicy({
  days: 7,
  source: "志愿服务记录证明内部公示通行做法（不少于 7 日）",
  effectiveFrom: LocalDate.make("2021-02-01")
})

/**
 * One line of service on a certificate.
 *
 * @since 0.1.0
 * @category models
 */
export class CertificateItem extends Schema.Class<CertificateItem>("@gongzhi/volunteers/CertificateItem")({
  date: LocalDate,
  content: Schema.String,
  minutes: Schema.NonNegativeInt
}) {}

/**
 * The issuing organisation as printed: name, person in charge, the handler (经办人) and a contact.
 *
 * @since 0.1.0
 * @category models
 */
export class CertificateIssuer extends Schema.Class<CertificateIssuer>("@gongzhi/volunteers/CertificateIssuer")({
  name: Schema.String,
  personInCharge: Schema.String,
  handler: Schema.String,
  contact: Schema.String
}) {}

/**
 * What an issued certificate certifies, fixed at issue.
 *
 * @since 0.1.0
 * @category models
 */
export class CertificateContents extends Schema.Class<CertificateContents>("@gongzhi/volunteers/CertificateContents")({
  volunteerName: Schema.String,
  idType: Schema.String,
  maskedIdNumber: Schema.String,
  volunteerNumber: VolunteerId,
  totalMinutes: Schema.NonNegativeInt,
  periodFrom: Schema.optional(LocalDate),
  periodTo: Schema.optional(LocalDate),
  items: Schema.Array(CertificateItem),
  issuer: CertificateIssuer
}) {}

/**
 * A certificate and its process.
 *
 * @since 0.1.0
 * @category models
 */
export class Certificate extends Schema.Class<Certificate>("@gongzhi/volunteers/Certificate")({
  id: Schema.String,
  tenantId: TenantId,
  volunteerId: VolunteerId,
  /** The recording team that certifies. */
  teamId: TeamId,
  /** The team's region (for permissions). */
  regionCode: RegionCode,
  status: CertificateStatus,
  purpose: Schema.optional(Schema.String),
  periodFrom: Schema.optional(LocalDate),
  periodTo: Schema.optional(LocalDate),
  appliedBy: ActorRef,
  appliedAt: Schema.Date,
  acceptance: Schema.optional(
    Schema.Struct({ accepted: Schema.Boolean, by: ActorRef, at: Schema.Date, reason: Schema.optional(Schema.String) })
  ),
  number: Schema.optional(Schema.String),
  issuedOn: Schema.optional(LocalDate),
  issuedBy: Schema.optional(ActorRef),
  contents: Schema.optional(CertificateContents),
  publicity: Schema.optional(Schema.Struct({ days: Schema.Int, startsOn: LocalDate, endsOn: LocalDate })),
  effectiveAt: Schema.optional(Schema.Date),
  revocation: Schema.optional(Schema.Struct({ by: ActorRef, at: Schema.Date, reason: Schema.String })),
  updatedAt: Schema.Date
}) {}

/**
 * The certificate number: district, `ZM` (证明), year and a sequence of at least six digits, e.g.
 * `440310-ZM-2026-000001`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const formatNumber = (tenantId: string, year: number, sequence: number): string =>
  `${tenantId}-ZM-${year}-${String(sequence).padStart(6, "0")}`

const refuse = (certificate: Certificate, action: string) =>
  Either.left(
    new InvalidTransition({
      entity: "Certificate",
      id: certificate.id,
      state: statusLabels[certificate.status],
      action
    })
  )

/**
 * Accepts (受理) or refuses an application.
 *
 * @since 0.1.0
 * @category combinators
 */
export const accept = (
  certificate: Certificate,
  decision: {
    readonly accepted: boolean
    readonly by: ActorRef
    readonly at: Date
    readonly reason?: string | undefined
  }
): Either.Either<Certificate, InvalidTransition> => {
  if (certificate.status !== "applied") return refuse(certificate, decision.accepted ? "受理" : "不予受理")
  return Either.right(
    new Certificate({
      ...certificate,
      status: decision.accepted ? "accepted" : "rejected",
      acceptance: {
        accepted: decision.accepted,
        by: decision.by,
        at: decision.at,
        ...(decision.reason === undefined ? {} : { reason: decision.reason })
      },
      updatedAt: decision.at
    })
  )
}

/**
 * Issues an accepted certificate: fixes its number, date and contents and opens the publicity
 * period (the issue day and the following `days − 1` days).
 *
 * @since 0.1.0
 * @category combinators
 */
export const issue = (
  certificate: Certificate,
  input: {
    readonly number: string
    readonly issuedOn: LocalDate
    readonly by: ActorRef
    readonly at: Date
    readonly contents: CertificateContents
    readonly publicityDays: number
  }
): Either.Either<Certificate, InvalidTransition> => {
  if (certificate.status !== "accepted") return refuse(certificate, "出具证明")
  return Either.right(
    new Certificate({
      ...certificate,
      status: "issued",
      number: input.number,
      issuedOn: input.issuedOn,
      issuedBy: input.by,
      contents: input.contents,
      publicity: {
        days: input.publicityDays,
        startsOn: input.issuedOn,
        endsOn: addDays(input.issuedOn, input.publicityDays - 1)
      },
      updatedAt: input.at
    })
  )
}

/**
 * Whether the publicity period of an issued certificate is over on `asOf`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const publicityOver = (certificate: Certificate, asOf: string): boolean =>
  certificate.status === "issued" && certificate.publicity !== undefined && asOf > certificate.publicity.endsOn

/**
 * Makes an issued certificate effective once its publicity period is over.
 *
 * @since 0.1.0
 * @category combinators
 */
export const completePublicity = (
  certificate: Certificate,
  asOf: string,
  at: Date
): Either.Either<Certificate, InvalidTransition> => {
  if (!publicityOver(certificate, asOf)) {
    return certificate.status === "issued" ? refuse(certificate, "在公示期内生效") : refuse(certificate, "结束公示")
  }
  return Either.right(new Certificate({ ...certificate, status: "effective", effectiveAt: at, updatedAt: at }))
}

/**
 * Revokes an issued or effective certificate (an objection upheld, an error found).
 *
 * @since 0.1.0
 * @category combinators
 */
export const revoke = (
  certificate: Certificate,
  input: { readonly by: ActorRef; readonly at: Date; readonly reason: string }
): Either.Either<Certificate, InvalidTransition> => {
  if (certificate.status !== "issued" && certificate.status !== "effective") return refuse(certificate, "撤销")
  return Either.right(
    new Certificate({
      ...certificate,
      status: "revoked",
      revocation: { by: input.by, at: input.at, reason: input.reason },
      updatedAt: input.at
    })
  )
}

/**
 * The data a renderer prints (HTML, PDF, a printed form): everything the measures require, with
 * the ID number masked.
 *
 * @since 0.1.0
 * @category models
 */
export interface CertificateDocument {
  readonly title: "志愿服务记录证明"
  readonly number: string
  readonly issuedOn: LocalDate
  readonly status: "issued" | "effective" | "revoked"
  readonly statusLabel: string
  readonly volunteer: {
    readonly name: string
    readonly idType: string
    readonly maskedIdNumber: string
    readonly volunteerNumber: string
  }
  readonly service: {
    readonly totalHours: number
    readonly totalMinutes: number
    readonly periodFrom: LocalDate | undefined
    readonly periodTo: LocalDate | undefined
    readonly items: ReadonlyArray<{ readonly date: LocalDate; readonly content: string; readonly hours: number }>
  }
  readonly issuer: {
    readonly name: string
    readonly personInCharge: string
    readonly handler: string
    readonly contact: string
  }
  readonly publicity: { readonly days: number; readonly startsOn: LocalDate; readonly endsOn: LocalDate }
  /** The certifying sentence, e.g. 兹证明张三（志愿者编号 …）… 累计志愿服务 12.5 小时。 */
  readonly statement: string
}

/**
 * The data to render an issued (or effective, or revoked) certificate; fails for one not yet
 * issued.
 *
 * @since 0.1.0
 * @category accessors
 */
export const toDocument = (certificate: Certificate): Either.Either<CertificateDocument, InvalidTransition> => {
  const { contents, number, issuedOn, publicity } = certificate
  if (
    (certificate.status !== "issued" && certificate.status !== "effective" && certificate.status !== "revoked") ||
    contents === undefined ||
    number === undefined ||
    issuedOn === undefined ||
    publicity === undefined
  ) {
    return refuse(certificate, "生成证明文书")
  }
  const hours = minutesToHours(contents.totalMinutes)
  const period =
    contents.periodFrom !== undefined || contents.periodTo !== undefined
      ? `于 ${contents.periodFrom ?? "登记之日"} 至 ${contents.periodTo ?? issuedOn} 期间`
      : ""
  return Either.right({
    title: "志愿服务记录证明",
    number,
    issuedOn,
    status: certificate.status,
    statusLabel: statusLabels[certificate.status],
    volunteer: {
      name: contents.volunteerName,
      idType: contents.idType,
      maskedIdNumber: contents.maskedIdNumber,
      volunteerNumber: contents.volunteerNumber
    },
    service: {
      totalHours: hours,
      totalMinutes: contents.totalMinutes,
      periodFrom: contents.periodFrom,
      periodTo: contents.periodTo,
      items: contents.items.map((item) => ({
        date: item.date,
        content: item.content,
        hours: minutesToHours(item.minutes)
      }))
    },
    issuer: {
      name: contents.issuer.name,
      personInCharge: contents.issuer.personInCharge,
      handler: contents.issuer.handler,
      contact: contents.issuer.contact
    },
    publicity,
    statement: `兹证明${contents.volunteerName}（${contents.idType} ${contents.maskedIdNumber}，志愿者编号 ${contents.volunteerNumber}）${period}在${contents.issuer.name}参加志愿服务，累计志愿服务时长 ${hours} 小时。特此证明。`
  })
}

// ---------------------------------------------------------------------------------------------
// command inputs
// ---------------------------------------------------------------------------------------------

/**
 * Applies for a certificate of the hours recorded by a team (a volunteer for themselves may omit
 * `volunteerId`), optionally for a period.
 *
 * @since 0.1.0
 * @category models
 */
export const ApplyCertificate = Schema.Struct({
  tenantId: TenantId,
  volunteerId: Schema.optional(VolunteerId),
  teamId: TeamId,
  purpose: Schema.optional(Text("用途", 200)),
  periodFrom: Schema.optional(LocalDate),
  periodTo: Schema.optional(LocalDate)
}).pipe(
  Schema.filter(
    (a) =>
      a.periodFrom === undefined ||
      a.periodTo === undefined ||
      a.periodFrom <= a.periodTo || { path: ["periodTo"], message: "证明期间的结束日期不能早于开始日期" }
  )
)

/**
 * Accepts or refuses an application (refusing needs a reason).
 *
 * @since 0.1.0
 * @category models
 */
export const AcceptCertificate = Schema.Struct({
  tenantId: TenantId,
  certificateId: Schema.String,
  decision: Schema.Literal("accept", "reject"),
  reason: Schema.optional(Text("原因", 500))
}).pipe(
  Schema.filter(
    (d) => d.decision === "accept" || d.reason !== undefined || { path: ["reason"], message: "不予受理时应写明原因" }
  )
)

/**
 * Issues an accepted certificate: the handler's name (经办人) and optionally the date (default today).
 *
 * @since 0.1.0
 * @category models
 */
export const IssueCertificate = Schema.Struct({
  tenantId: TenantId,
  certificateId: Schema.String,
  handler: Text("经办人", 50),
  issuedOn: Schema.optional(LocalDate)
})

/**
 * Revokes a certificate, with the reason.
 *
 * @since 0.1.0
 * @category models
 */
export const RevokeCertificate = Schema.Struct({
  tenantId: TenantId,
  certificateId: Schema.String,
  reason: Text("撤销原因", 500)
})

/**
 * Makes effective every certificate whose publicity period is over on `asOf`.
 *
 * @since 0.1.0
 * @category models
 */
export const ClosePublicity = Schema.Struct({ tenantId: TenantId, asOf: LocalDate })

/**
 * Names a certificate.
 *
 * @since 0.1.0
 * @category models
 */
export const CertificateRef = Schema.Struct({ tenantId: TenantId, certificateId: Schema.String })

/**
 * Lists certificates (latest application first): a volunteer's own, or a team's.
 *
 * @since 0.1.0
 * @category models
 */
export const ListCertificates = Schema.Struct({
  tenantId: TenantId,
  volunteerId: Schema.optional(VolunteerId),
  teamId: Schema.optional(TeamId),
  status: Schema.optional(CertificateStatus),
  ...PageInput
})
