/**
 * Applications (申报书) by organisations to a call: the applicant with its unified social credit code
 * (统一社会信用代码), the responsible unit (项目责任单位), region, budget lines, attachments as references
 * (no binaries in the database), the call's custom form, and the application's life: draft → submitted →
 * withdrawn, then eligibility review (资格审查) with reasons, and the selection's outcome.
 *
 * @since 0.1.0
 */
import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { ApplicantKind } from "./Call.js"

/**
 * The state of an application.
 *
 * @since 0.1.0
 * @category models
 */
export const ApplicationStatus = Schema.Literal(
  "draft",
  "submitted",
  "withdrawn",
  "eligible",
  "ineligible",
  "selected",
  "not-selected"
)

/**
 * @since 0.1.0
 * @category models
 */
export type ApplicationStatus = typeof ApplicationStatus.Type

/**
 * Chinese labels of the application states.
 *
 * @since 0.1.0
 * @category accessors
 */
export const statusLabel: Record<ApplicationStatus, string> = {
  draft: "草稿",
  submitted: "已提交",
  withdrawn: "已撤回",
  eligible: "资格审查通过",
  ineligible: "资格审查未通过",
  selected: "入选",
  "not-selected": "未入选"
}

/**
 * The applying organisation.
 *
 * @since 0.1.0
 * @category models
 */
export const Applicant = Schema.Struct({
  name: Schema.String,
  /** Normalised, validated unified social credit code. */
  creditCode: Schema.String,
  kind: ApplicantKind
})

/**
 * @since 0.1.0
 * @category models
 */
export type Applicant = typeof Applicant.Type

/**
 * A budget line (预算明细), in yuan.
 *
 * @since 0.1.0
 * @category models
 */
export const BudgetLine = Schema.Struct({ item: Schema.String, amountYuan: Schema.Number })

/**
 * An attachment by reference (a key of a file store; the binary never enters the database).
 *
 * @since 0.1.0
 * @category models
 */
export const Attachment = Schema.Struct({
  name: Schema.String,
  ref: Schema.String,
  sha256: Schema.optional(Schema.String)
})

/**
 * An application.
 *
 * @since 0.1.0
 * @category models
 */
export class Application extends Schema.Class<Application>("@gongzhi/projects/Application")({
  id: Schema.String,
  tenantId: TenantId,
  callId: Schema.String,
  title: Schema.String,
  summary: Schema.String,
  applicant: Applicant,
  responsibleUnit: Schema.String,
  regionCode: RegionCode,
  budget: Schema.Array(BudgetLine),
  attachments: Schema.Array(Attachment),
  form: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  status: ApplicationStatus,
  /** The actor who drafted it (the applicant's account). */
  ownerId: Schema.String,
  submittedAt: Schema.NullOr(Schema.Date),
  eligibility: Schema.NullOr(
    Schema.Struct({ eligible: Schema.Boolean, reasons: Schema.Array(Schema.String), reviewedBy: Schema.String })
  ),
  createdAt: Schema.Date
}) {}

/**
 * The total of the budget lines, in yuan.
 *
 * @since 0.1.0
 * @category accessors
 */
export const budgetTotal = (application: Pick<Application, "budget">): number =>
  application.budget.reduce((sum, line) => sum + line.amountYuan, 0)

const Text = (max: number) => Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(max))

/**
 * The input of `Projects.draftApplication`.
 *
 * @since 0.1.0
 * @category models
 */
export const DraftApplication = Schema.Struct({
  tenantId: TenantId,
  callId: Schema.String,
  title: Text(200),
  summary: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(5000)), { default: () => "" }),
  applicant: Schema.Struct({ name: Text(200), creditCode: Schema.String, kind: ApplicantKind }),
  responsibleUnit: Text(200),
  regionCode: RegionCode,
  budget: Schema.Array(
    Schema.Struct({ item: Text(200), amountYuan: Schema.Number.pipe(Schema.nonNegative(), Schema.finite()) })
  ),
  attachments: Schema.optionalWith(Schema.Array(Attachment), { default: () => [] }),
  form: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), { default: () => ({}) })
})

/**
 * The input of commands naming one application.
 *
 * @since 0.1.0
 * @category models
 */
export const ApplicationRef = Schema.Struct({ tenantId: TenantId, applicationId: Schema.String })

/**
 * The input of `Projects.reviewEligibility`: a refusal needs at least one reason.
 *
 * @since 0.1.0
 * @category models
 */
export const ReviewEligibility = Schema.Struct({
  ...ApplicationRef.fields,
  eligible: Schema.Boolean,
  reasons: Schema.optionalWith(Schema.Array(Text(500)), { default: () => [] })
})

/**
 * The input of `Projects.listApplications`.
 *
 * @since 0.1.0
 * @category models
 */
export const ListApplications = Schema.Struct({
  tenantId: TenantId,
  callId: Schema.String,
  status: Schema.optional(ApplicationStatus)
})
