/**
 * The inputs of the opinion service's commands (`Opinions`), as `Schema`s: what a caller sends (`Encoded`) and
 * what a command works with once decoded. Every input names the district (`tenantId`), checked against the
 * actor's scope; texts are trimmed and bounded, times are valid dates (a `Date` or an ISO 8601 string).
 *
 * @since 0.1.0
 */
import * as Region from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Url from "@gongzhi/core/Url"
import { Schema } from "effect"
import * as OpinionStatistics from "./OpinionStatistics.js"
import * as Report from "./Report.js"
import * as Routing from "./Routing.js"
import * as Taxonomy from "./Taxonomy.js"
import * as Workflow from "./Workflow.js"

const Text = (title: string, max: number) =>
  Schema.Trim.pipe(
    Schema.minLength(1, { message: () => `${title}不能为空` }),
    Schema.maxLength(max, { message: () => `${title}不能超过 ${max} 个字符` })
  )

const optional = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { exact: true })

/** An attachment as submitted: its address must be a link that only fetches a file (no `javascript:`, `data:` …). */
const AttachmentInput = Schema.Struct({ ...Report.Attachment.fields, uri: Url.SafeAttachmentUri })

/**
 * A time given as a valid `Date` or an ISO 8601 string.
 *
 * @since 0.1.0
 * @category models
 */
export const DateInput = Schema.Union(Schema.ValidDateFromSelf, Schema.Date)

/**
 * A caller's idempotency key: 1–128 visible ASCII characters. It is scoped to the submitter (actor, channel and
 * district): the same key from someone else is a different submission.
 *
 * @since 0.1.0
 * @category models
 */
export const IdempotencyKey = Schema.String.pipe(
  Schema.pattern(/^[\x21-\x7e]{1,128}$/, { message: () => "幂等键应为 1–128 位可见 ASCII 字符" })
)

/**
 * The input of `Opinions.submit`. `contactPhone` is any usual spelling of a mainland mobile number; it is stored
 * encrypted and never echoed. `receivedAt` (an earlier time of receipt, e.g. a visit recorded in the evening)
 * needs the `opinion.reports.backdate` permission. The street is taken from the community. A resident reports
 * only in their own name; a volunteer files in their own name or anonymously (never naming someone else), and is
 * recorded as the filer either way.
 *
 * @since 0.1.0
 * @category models
 */
export const SubmitInput = Schema.Struct({
  tenantId: TenantId,
  idempotencyKey: optional(IdempotencyKey),
  reporter: optional(Report.Reporter),
  contactPhone: optional(Schema.String),
  location: Schema.Struct({
    communityCode: Region.RegionCode,
    gridCode: optional(Region.RegionCode),
    address: optional(Text("地址", 200)),
    coordinates: optional(Report.Coordinates)
  }),
  category: Taxonomy.CategoryCode,
  kind: Taxonomy.KindCode,
  urgency: Schema.optionalWith(Taxonomy.Urgency, { default: () => "normal" as const }),
  channel: Taxonomy.ChannelCode,
  title: optional(Text("标题", 100)),
  content: Text("诉求内容", 4000),
  attachments: Schema.optionalWith(
    Schema.Array(AttachmentInput).pipe(Schema.maxItems(20, { message: () => "附件不能超过 20 个" })),
    { default: () => [] }
  ),
  receivedAt: optional(DateInput)
})

/**
 * @since 0.1.0
 * @category models
 */
export type SubmitInput = typeof SubmitInput.Encoded

const reportId = Report.ReportId
const note = optional(Text("说明", 2000))

/**
 * Input of `Opinions.dispatch`: the department (default: the one routing suggested) and a note.
 *
 * @since 0.1.0
 * @category models
 */
export const DispatchInput = Schema.Struct({
  tenantId: TenantId,
  reportId,
  department: optional(Routing.DepartmentCode),
  note
})

/**
 * Input of commands that take only a report and an optional note (accept, startHandling).
 *
 * @since 0.1.0
 * @category models
 */
export const NoteInput = Schema.Struct({ tenantId: TenantId, reportId, note })

/**
 * Input of `Opinions.returnReport` (退单): the reason is required.
 *
 * @since 0.1.0
 * @category models
 */
export const ReturnInput = Schema.Struct({ tenantId: TenantId, reportId, reason: Text("退单理由", 2000) })

const WorkingDays = Schema.Int.pipe(Schema.between(1, 30, { message: () => "延期工作日数应在 1 到 30 之间" }))

/**
 * Input of `Opinions.requestExtension`: working days asked for (1–30) and the reason.
 *
 * @since 0.1.0
 * @category models
 */
export const ExtensionInput = Schema.Struct({
  tenantId: TenantId,
  reportId,
  workingDays: WorkingDays,
  reason: Text("延期理由", 2000)
})

/**
 * Input of `Opinions.decideExtension`: approve or deny; an approval may grant fewer (or more) days than asked.
 *
 * @since 0.1.0
 * @category models
 */
export const DecideExtensionInput = Schema.Struct({
  tenantId: TenantId,
  reportId,
  approve: Schema.Boolean,
  workingDays: optional(WorkingDays),
  note
})

/**
 * Input of `Opinions.reply` (public) and `Opinions.addInternalNote` (internal).
 *
 * @since 0.1.0
 * @category models
 */
export const TextInput = Schema.Struct({ tenantId: TenantId, reportId, text: Text("内容", 4000) })

/**
 * Input of `Opinions.followUp`.
 *
 * @since 0.1.0
 * @category models
 */
export const FollowUpInput = Schema.Struct({
  tenantId: TenantId,
  reportId,
  satisfaction: Report.Satisfaction,
  comment: optional(Text("回访意见", 2000))
})

/**
 * Input of `Opinions.close`: `unresolved` closes as not resolved (办结（未解决）).
 *
 * @since 0.1.0
 * @category models
 */
export const CloseInput = Schema.Struct({
  tenantId: TenantId,
  reportId,
  unresolved: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  note
})

/**
 * Input of `Opinions.reopen` (重办): the reason is required.
 *
 * @since 0.1.0
 * @category models
 */
export const ReopenInput = Schema.Struct({ tenantId: TenantId, reportId, reason: Text("重办理由", 2000) })

/**
 * Input of `Opinions.merge`: the primary report and the duplicates to merge into it.
 *
 * @since 0.1.0
 * @category models
 */
export const MergeInput = Schema.Struct({
  tenantId: TenantId,
  primaryId: reportId,
  duplicateIds: Schema.Array(reportId).pipe(
    Schema.minItems(1, { message: () => "至少需要一个重复诉求" }),
    Schema.maxItems(50, { message: () => "一次最多合并 50 个诉求" })
  ),
  note
})

/**
 * Input of the deadline sweep: the time to judge at (default: now) and how many reports at most (default 500).
 *
 * @since 0.1.0
 * @category models
 */
export const SweepInput = Schema.Struct({
  tenantId: TenantId,
  asOf: optional(DateInput),
  limit: optional(Schema.Int.pipe(Schema.between(1, 5000)))
})

/**
 * Input of `Opinions.get` and `Opinions.revealContact`.
 *
 * @since 0.1.0
 * @category models
 */
export const GetInput = Schema.Struct({ tenantId: TenantId, reportId })

/**
 * Input of `Opinions.list`: filters, order and page. `mine` lists the actor's own reports.
 *
 * @since 0.1.0
 * @category models
 */
export const ListInput = Schema.Struct({
  tenantId: TenantId,
  mine: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  status: optional(Schema.Union(Workflow.StateCode, Schema.Array(Workflow.StateCode))),
  bucket: optional(Workflow.Bucket),
  department: optional(Routing.DepartmentCode),
  streetCode: optional(Region.RegionCode),
  communityCode: optional(Region.RegionCode),
  category: optional(Schema.String.pipe(Schema.pattern(/^[A-Z]{2}(?:\d{2})*$/))),
  kind: optional(Taxonomy.KindCode),
  channel: optional(Taxonomy.ChannelCode),
  receivedFrom: optional(DateInput),
  receivedBefore: optional(DateInput),
  orderBy: optional(Schema.Literal("receivedAt", "dueAt")),
  direction: optional(Schema.Literal("asc", "desc")),
  limit: Schema.Int.pipe(Schema.between(1, 1000, { message: () => "每页条数应在 1 到 1000 之间" })),
  cursor: optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ListInput = typeof ListInput.Encoded

/**
 * Input of `Opinions.statistics`: the selection (received in `[receivedFrom, receivedBefore)`, a street or
 * community — default the actor's scope —, a department, a category or top-level category, a kind, channel or
 * urgency), the time the figures are judged at (`asOf`, default now), an optional dimension to group by and an
 * optional trend unit.
 *
 * @since 0.2.0
 * @category models
 */
export const StatisticsInput = Schema.Struct({
  tenantId: TenantId,
  streetCode: optional(Region.RegionCode),
  communityCode: optional(Region.RegionCode),
  department: optional(Routing.DepartmentCode),
  category: optional(Schema.String.pipe(Schema.pattern(/^[A-Z]{2}(?:\d{2})*$/))),
  kind: optional(Taxonomy.KindCode),
  channel: optional(Taxonomy.ChannelCode),
  urgency: optional(Taxonomy.Urgency),
  receivedFrom: optional(DateInput),
  receivedBefore: optional(DateInput),
  asOf: optional(DateInput),
  by: optional(OpinionStatistics.Dimension),
  trend: optional(OpinionStatistics.TrendUnit)
})

/**
 * @since 0.2.0
 * @category models
 */
export type StatisticsInput = typeof StatisticsInput.Encoded
