/**
 * Credit inquiry (信用查询): a person looks up their own credit information after real-name verification
 * (a partner app's signed assertion — core `IdentityAssertionVerifier` — or core `IdentityVerifier`), with
 * the purpose and consent recorded; a third party looks up a natural person only with that person's
 * recorded authorisation (授权: grantee, purposes, expiry, revocable); an enterprise looks itself up with its
 * unified social credit code and an account it authorised. Every inquiry is audited and stored
 * (`InquiryLog`). Results are masked (resident ID as `1***************2X`, names as `张*`, ID and mobile
 * numbers inside texts) and hold only records in use and within their display window; a record under
 * objection carries the mark 异议处理中.
 *
 * @since 0.3.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import type { FailingClass, Polarity } from "./Catalogue.js"
import type { ListKind } from "./CreditList.js"
import type { RecordState } from "./CreditRecord.js"
import type { SubjectKind } from "./Subject.js"

// ---------------------------------------------------------------------------------------------
// proofs and inputs
// ---------------------------------------------------------------------------------------------

/**
 * How the person proves who they are: a partner app's signed assertion (see `@gongzhi/identity-partner`),
 * or a name and resident ID number checked with core's `IdentityVerifier`.
 *
 * @since 0.3.0
 * @category models
 */
export const Proof = Schema.Union(
  Schema.Struct({
    method: Schema.Literal("partnerAssertion"),
    assertion: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(2048))
  }),
  Schema.Struct({
    method: Schema.Literal("realName"),
    name: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(64)),
    residentId: Schema.Trim.pipe(Schema.pattern(/^\d{17}[\dXx]$/))
  })
)

/**
 * @since 0.3.0
 * @category models
 */
export type Proof = typeof Proof.Type

/**
 * The purpose of an inquiry (查询目的), e.g. 个人自查, 贷款审批: 1–100 characters.
 *
 * @since 0.3.0
 * @category models
 */
export const Purpose = Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(100))

/**
 * A person looks up their own record: proof, purpose, and consent (must be `true`).
 *
 * @since 0.3.0
 * @category models
 * @example
 * import { Effect } from "effect"
 * import { Credits } from "@gongzhi/credit"
 *
 * declare const resident: Parameters<Credits.Credits["inquireSelf"]>[0]
 * declare const token: string // signed by the bank wallet
 * const mine = Effect.flatMap(Credits.Credits, (credits) =>
 *   credits.inquireSelf(resident, {
 *     tenantId: "440310",
 *     proof: { method: "partnerAssertion", assertion: token },
 *     purpose: "个人自查",
 *     consent: true
 *   })
 * )
 */
export const InquireSelfInput = Schema.Struct({
  tenantId: TenantId,
  proof: Proof,
  purpose: Purpose,
  consent: Schema.Literal(true)
})

/**
 * Who an authorisation is for: an actor kind and id (e.g. a bank's service account).
 *
 * @since 0.3.0
 * @category models
 */
export const Grantee = Schema.Struct({
  kind: Schema.Literal("ServiceAccount", "Staff", "Resident"),
  id: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(64))
})

/**
 * @since 0.3.0
 * @category models
 */
export type Grantee = typeof Grantee.Type

/**
 * A subject authorises a grantee (授权): a person (proof by assertion or real name) lets a third party
 * look them up; an organisation (proof: a partner assertion about its USCC) lets an account look it up.
 * `purposes` is the scope (`*` for any purpose); `expiresOn` is the first day it no longer holds.
 *
 * @since 0.3.0
 * @category models
 */
export const GrantAuthorisationInput = Schema.Struct({
  tenantId: TenantId,
  proof: Proof,
  grantee: Grantee,
  purposes: Schema.NonEmptyArray(Purpose).pipe(Schema.maxItems(20)),
  expiresOn: LocalDate.LocalDate
})

/**
 * The subject withdraws an authorisation (proof again).
 *
 * @since 0.3.0
 * @category models
 */
export const RevokeAuthorisationInput = Schema.Struct({
  tenantId: TenantId,
  authorisationId: Schema.NonEmptyTrimmedString,
  proof: Proof
})

/**
 * A third party looks a person up under an authorisation.
 *
 * @since 0.3.0
 * @category models
 */
export const InquireAuthorisedInput = Schema.Struct({
  tenantId: TenantId,
  authorisationId: Schema.NonEmptyTrimmedString,
  purpose: Purpose
})

/**
 * An enterprise looks itself up: its USCC, the purpose and consent; the actor must hold the enterprise's
 * authorisation.
 *
 * @since 0.3.0
 * @category models
 */
export const InquireEnterpriseInput = Schema.Struct({
  tenantId: TenantId,
  creditCode: Schema.Trim.pipe(Schema.minLength(18), Schema.maxLength(18)),
  purpose: Purpose,
  consent: Schema.Literal(true)
})

// ---------------------------------------------------------------------------------------------
// stored
// ---------------------------------------------------------------------------------------------

/**
 * How an inquirer was checked: `partnerAssertion`, `identityVerifier`, `authorisation` (the subject's
 * recorded authorisation, for third parties and enterprise accounts), or `permission` (staff allowed to
 * issue reports).
 *
 * @since 0.3.0
 * @category models
 */
export const VerificationMethod = Schema.Literal("partnerAssertion", "identityVerifier", "authorisation", "permission")

/**
 * An authorisation (授权) a subject gave.
 *
 * @since 0.3.0
 * @category models
 */
export class Authorisation extends Schema.Class<Authorisation>("@gongzhi/credit/Authorisation")({
  id: Schema.String,
  tenantId: TenantId,
  subjectId: Schema.String,
  /** `thirdParty` (a person lets someone look them up) or `enterpriseAccount` (an organisation's account). */
  kind: Schema.Literal("thirdParty", "enterpriseAccount"),
  grantee: Grantee,
  purposes: Schema.Array(Schema.String),
  expiresOn: LocalDate.LocalDate,
  state: Schema.Literal("granted", "revoked"),
  grantedAt: Schema.Date,
  /** How the subject proved who they were (method and reference, no personal data). */
  evidence: Schema.Struct({ method: VerificationMethod, reference: Schema.String }),
  revokedAt: Schema.optional(Schema.Date)
}) {}

/**
 * Whether an authorisation lets `grantee` look its subject up for `purpose` on `day`.
 *
 * @since 0.3.0
 * @category predicates
 */
export const authorises = (
  authorisation: Authorisation,
  grantee: Grantee,
  purpose: string,
  day: LocalDate.LocalDate
): boolean =>
  authorisation.state === "granted" &&
  day < authorisation.expiresOn &&
  authorisation.grantee.kind === grantee.kind &&
  authorisation.grantee.id === grantee.id &&
  (authorisation.purposes.includes("*") || authorisation.purposes.includes(purpose))

/**
 * One inquiry, as stored (查询记录): who asked, about whom, why, how they were checked, what they saw.
 *
 * @since 0.3.0
 * @category models
 */
export class InquiryLog extends Schema.Class<InquiryLog>("@gongzhi/credit/InquiryLog")({
  id: Schema.String,
  tenantId: TenantId,
  /** Absent when no subject holds the identifier. */
  subjectId: Schema.optional(Schema.String),
  channel: Schema.Literal("self", "authorised", "enterprise", "staff"),
  /** The actor (label, e.g. 居民 U0001). */
  inquirer: Schema.String,
  purpose: Schema.String,
  consent: Schema.Boolean,
  verification: Schema.Struct({ method: VerificationMethod, reference: Schema.String }),
  authorisationId: Schema.optional(Schema.String),
  recordsShown: Schema.Int,
  /** The credit report issued by this inquiry: its number and verification hash. */
  report: Schema.optional(Schema.Struct({ number: Schema.String, hash: Schema.String })),
  at: Schema.Date
}) {}

// ---------------------------------------------------------------------------------------------
// results
// ---------------------------------------------------------------------------------------------

/**
 * A record as an inquirer sees it: masked details, its state, and the mark 异议处理中 while under objection.
 *
 * @since 0.3.0
 * @category models
 */
export interface RecordView {
  readonly id: string
  readonly recordType: string
  readonly typeName: string
  readonly category: string
  readonly polarity: typeof Polarity.Type
  readonly failingClass: typeof FailingClass.Type | undefined
  readonly documentNumber: string | undefined
  readonly findingDate: string
  readonly displayEnds: string | undefined
  readonly sourceUnit: string
  readonly state: typeof RecordState.Type
  readonly stateLabel: string
  /** `异议处理中` while the record is under objection. */
  readonly mark: string | undefined
  /** The details sent by the source, labelled from the catalogue, every text masked (ID and mobile numbers). */
  readonly details: ReadonlyArray<{ readonly name: string; readonly label: string; readonly value: string }>
}

/**
 * A subject as an inquirer sees it (masked).
 *
 * @since 0.3.0
 * @category models
 */
export interface SubjectSummary {
  readonly id: string
  readonly kind: typeof SubjectKind.Type
  readonly kindLabel: string
  /** Natural persons: masked (张*). */
  readonly name: string
  readonly creditCode: string | undefined
  readonly maskedResidentId: string | undefined
  readonly maskedLegalRepresentative: string | undefined
}

/**
 * A list entry as an inquirer sees it.
 *
 * @since 0.3.0
 * @category models
 */
export interface ListView {
  readonly list: typeof ListKind.Type
  readonly listLabel: string
  readonly basis: "rule" | "decision"
  readonly from: string
  readonly until: string
  readonly reasons: ReadonlyArray<string>
}

/**
 * What an inquiry answers.
 *
 * @since 0.3.0
 * @category models
 */
export interface InquiryResult {
  readonly inquiryId: string
  readonly asOf: string
  /** Absent when no subject holds the identifier (nothing recorded). */
  readonly subject: SubjectSummary | undefined
  readonly records: ReadonlyArray<RecordView>
  readonly lists: ReadonlyArray<ListView>
  readonly grade: { readonly grade: string; readonly label: string; readonly score: number } | undefined
}

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * Why an inquiry or an authorisation was refused.
 *
 * @since 0.3.0
 * @category errors
 */
export const InquiryRefusal = Schema.Literal(
  "NotVerified",
  "NoVerifier",
  "WrongSubjectType",
  "NoAuthorisation",
  "NotGrantor"
)

const refusalText: Record<typeof InquiryRefusal.Type, readonly [string, string]> = {
  NotVerified: ["实名核验未通过（姓名与身份号码不一致或无此号码）", "real-name verification failed"],
  NoVerifier: ["平台未配置该实名核验方式", "this verification method is not configured"],
  WrongSubjectType: ["核验的主体类型不符（个人查询需身份号码，企业授权需统一社会信用代码）", "wrong kind of subject"],
  NoAuthorisation: [
    "没有有效授权（未授权、已撤销、已过期或不在授权用途内）",
    "no valid authorisation (none, revoked, expired or out of scope)"
  ],
  NotGrantor: ["只有授权人本人可以撤销授权", "only the subject who granted it may revoke an authorisation"]
}

/**
 * An inquiry or an authorisation was refused. The message never names the subject.
 *
 * @since 0.3.0
 * @category errors
 */
export class InquiryRefused extends Schema.TaggedError<InquiryRefused>("@gongzhi/credit/InquiryRefused")(
  "InquiryRefused",
  { reason: InquiryRefusal }
) {
  override get message(): string {
    const [zh, en] = refusalText[this.reason]
    return `信用查询被拒绝：${zh} / credit inquiry refused: ${en}`
  }
}
