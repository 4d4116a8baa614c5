/**
 * Open311 GeoReport v2 mapping (interoperability): pure functions between this package's taxonomy and reports and
 * the GeoReport v2 JSON shapes — services and service definitions (`GET /services`, `GET /services/{code}`),
 * service requests (`GET /requests`, `GET /requests/{id}`), the body of `POST /requests` and its response, and
 * errors as `[{ code, description }]`. The HTTP endpoint itself lives in `@gongzhi/server`.
 *
 * - A service is a leaf category (`service_code` = the category code, `group` = the top-level category).
 * - Every service has metadata: the required attributes `kind` (咨询/投诉/建议/求助) and `community_code` (the
 *   community, from the district's region tree — GeoReport's lat/long alone cannot tell the community), and the
 *   optional `urgency`.
 * - A request's `status` is `open` while its bucket is open and `closed` otherwise; `status_notes` carry the
 *   public reply (never an internal note); `agency_responsible` is the department; `expected_datetime` the end of
 *   the handling due date. Times are ISO 8601 with the district's offset (`+08:00`).
 * - Of the personal fields of `POST /requests`, only `phone` is kept (encrypted by the service); `email`,
 *   `first_name`, `last_name` and `account_id` are not stored.
 *
 * @since 0.1.0
 */
import type * as Region from "@gongzhi/core/Region"
import { Either, Schema } from "effect"
import * as Deadline from "./Deadline.js"
import type { CommandError } from "./OpinionErrors.js"
import type { SubmitInput } from "./OpinionInputs.js"
import * as Report from "./Report.js"
import type * as Routing from "./Routing.js"
import * as Taxonomy from "./Taxonomy.js"
import * as Workflow from "./Workflow.js"

// ---------------------------------------------------------------------------------------------
// shapes
// ---------------------------------------------------------------------------------------------

/**
 * An error of the GeoReport API: an HTTP-like code and a description.
 *
 * @since 0.1.0
 * @category models
 */
export const Open311Error = Schema.Struct({ code: Schema.Int, description: Schema.String })

/**
 * @since 0.1.0
 * @category models
 */
export type Open311Error = typeof Open311Error.Type

/**
 * An item of `GET /services`.
 *
 * @since 0.1.0
 * @category models
 */
export const Service = Schema.Struct({
  service_code: Schema.String,
  service_name: Schema.String,
  description: Schema.String,
  metadata: Schema.Boolean,
  type: Schema.Literal("realtime", "batch", "blackbox"),
  keywords: Schema.String,
  group: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Service = typeof Service.Type

/**
 * An attribute of a service definition.
 *
 * @since 0.1.0
 * @category models
 */
export const Attribute = Schema.Struct({
  variable: Schema.Boolean,
  code: Schema.String,
  datatype: Schema.Literal("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"),
  required: Schema.Boolean,
  datatype_description: Schema.NullOr(Schema.String),
  order: Schema.Int,
  description: Schema.String,
  values: Schema.optional(Schema.Array(Schema.Struct({ key: Schema.String, name: Schema.String })))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Attribute = typeof Attribute.Type

/**
 * The body of `GET /services/{service_code}`.
 *
 * @since 0.1.0
 * @category models
 */
export const ServiceDefinition = Schema.Struct({ service_code: Schema.String, attributes: Schema.Array(Attribute) })

/**
 * @since 0.1.0
 * @category models
 */
export type ServiceDefinition = typeof ServiceDefinition.Type

/**
 * An item of `GET /requests` and `GET /requests/{id}`.
 *
 * @since 0.1.0
 * @category models
 */
export const ServiceRequest = Schema.Struct({
  service_request_id: Schema.String,
  status: Schema.Literal("open", "closed"),
  status_notes: Schema.NullOr(Schema.String),
  service_name: Schema.String,
  service_code: Schema.String,
  description: Schema.NullOr(Schema.String),
  agency_responsible: Schema.NullOr(Schema.String),
  service_notice: Schema.NullOr(Schema.String),
  requested_datetime: Schema.String,
  updated_datetime: Schema.String,
  expected_datetime: Schema.NullOr(Schema.String),
  address: Schema.NullOr(Schema.String),
  address_id: Schema.NullOr(Schema.String),
  zipcode: Schema.NullOr(Schema.String),
  lat: Schema.NullOr(Schema.Number),
  long: Schema.NullOr(Schema.Number),
  media_url: Schema.NullOr(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ServiceRequest = typeof ServiceRequest.Type

/**
 * An item of the response to `POST /requests`.
 *
 * @since 0.1.0
 * @category models
 */
export const PostResponse = Schema.Struct({
  service_request_id: Schema.String,
  service_notice: Schema.NullOr(Schema.String),
  account_id: Schema.NullOr(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type PostResponse = typeof PostResponse.Type

// ---------------------------------------------------------------------------------------------
// time
// ---------------------------------------------------------------------------------------------

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/**
 * An instant as ISO 8601 at a UTC offset in minutes (default +08:00), as GeoReport writes times:
 * `2026-03-02T09:00:00+08:00`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const formatDateTime = (instant: Date, utcOffsetMinutes = 480): string => {
  const local = new Date(instant.getTime() + utcOffsetMinutes * 60_000)
  const sign = utcOffsetMinutes < 0 ? "-" : "+"
  const offset = Math.abs(utcOffsetMinutes)
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
  )
}

// ---------------------------------------------------------------------------------------------
// services
// ---------------------------------------------------------------------------------------------

/**
 * `GET /services`: the leaf categories of the taxonomy.
 *
 * @since 0.1.0
 * @category constructors
 */
export const services = (taxonomy: Taxonomy.Taxonomy): ReadonlyArray<Service> =>
  Taxonomy.leafCategories(taxonomy).map((category) => ({
    service_code: category.code,
    service_name: category.name,
    description: category.description ?? Taxonomy.categoryLabel(taxonomy, category.code),
    metadata: true,
    type: "realtime",
    keywords: (category.keywords ?? []).join(", "),
    group: Taxonomy.findCategory(taxonomy, Taxonomy.topLevelCode(category.code))?.name ?? ""
  }))

/**
 * The attribute codes of every service.
 *
 * @since 0.1.0
 * @category models
 */
export const attributeCodes = { kind: "kind", community: "community_code", urgency: "urgency" } as const

/**
 * `GET /services/{service_code}`: the attributes of a service (undefined for an unknown or non-leaf code).
 *
 * @since 0.1.0
 * @category constructors
 */
export const serviceDefinition = (
  taxonomy: Taxonomy.Taxonomy,
  regions: Region.RegionTree,
  serviceCode: string
): ServiceDefinition | undefined => {
  if (!Taxonomy.isLeaf(taxonomy, serviceCode)) return undefined
  // residents' communities: virtual ones (a bonded zone's statistical unit) are not offered
  const communities = regions.regions.filter((r) => r.level === "community" && r.kind !== "virtual-community")
  return {
    service_code: serviceCode,
    attributes: [
      {
        variable: true,
        code: attributeCodes.kind,
        datatype: "singlevaluelist",
        required: true,
        datatype_description: null,
        order: 1,
        description: "诉求类型 / kind of request",
        values: taxonomy.kinds.map((kind) => ({ key: kind.code, name: kind.name }))
      },
      {
        variable: true,
        code: attributeCodes.community,
        datatype: "singlevaluelist",
        required: true,
        datatype_description: null,
        order: 2,
        description: "所在社区 / community",
        values: communities.map((c) => ({ key: c.code, name: c.name }))
      },
      {
        variable: true,
        code: attributeCodes.urgency,
        datatype: "singlevaluelist",
        required: false,
        datatype_description: null,
        order: 3,
        description: "紧急程度 / urgency",
        values: Taxonomy.Urgency.literals.map((u) => ({ key: u, name: Taxonomy.urgencyLabel(u) }))
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------
// requests
// ---------------------------------------------------------------------------------------------

/**
 * The GeoReport status of a bucket: `open`, or `closed` for both closed buckets.
 *
 * @since 0.1.0
 * @category accessors
 */
export const statusOf = (bucket: Workflow.Bucket): "open" | "closed" => (bucket === "open" ? "open" : "closed")

/**
 * What {@link toServiceRequest} needs besides the report.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestContext {
  readonly taxonomy: Taxonomy.Taxonomy
  readonly workflow: Workflow.Workflow
  readonly routing: Routing.RoutingTable
  readonly regions?: Region.RegionTree | undefined
  readonly utcOffsetMinutes?: number | undefined
}

const isImage = (attachment: Report.Attachment) =>
  attachment.mediaType === undefined
    ? /\.(?:jpe?g|png|gif|webp)$/i.test(attachment.uri)
    : attachment.mediaType.startsWith("image/")

/**
 * A report as a GeoReport service request. `status_notes` is the latest public reply (or, without one, the name
 * of the state, or where a merged report went); internal notes never appear.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toServiceRequest = (report: Report.Report, context: RequestContext): ServiceRequest => {
  const offset = context.utcOffsetMinutes ?? 480
  const reply = Report.latestReply(report)
  const stateName = Workflow.stateName(context.workflow, report.status)
  const notes =
    report.mergedInto !== undefined
      ? `${stateName}：与 ${report.mergedInto} 合并办理${reply === undefined ? "" : `。${reply.text}`}`
      : (reply?.text ?? stateName)
  const department = report.department === undefined ? undefined : report.department
  const community = context.regions?.regions.find((r) => r.code === report.location.communityCode)
  const media = report.attachments.find(isImage)
  const expected = Deadline.endOfDay(report.deadline.dueDate, offset)
  return {
    service_request_id: report.id,
    status: statusOf(report.bucket),
    status_notes: notes,
    service_name: Taxonomy.findCategory(context.taxonomy, report.category)?.name ?? report.category,
    service_code: report.category,
    description: report.content,
    agency_responsible:
      department === undefined
        ? null
        : (context.routing.departments.find((d) => d.code === department)?.name ?? department),
    service_notice: `办理时限：${report.deadline.dueDate}${report.deadline.certain ? "" : "（预计）"}`,
    requested_datetime: formatDateTime(report.receivedAt, offset),
    updated_datetime: formatDateTime(report.updatedAt, offset),
    expected_datetime: formatDateTime(new Date(expected.getTime() - 1000), offset),
    address: report.location.address ?? community?.name ?? null,
    address_id: null,
    zipcode: null,
    lat: report.location.coordinates?.latitude ?? null,
    long: report.location.coordinates?.longitude ?? null,
    media_url: media?.uri ?? null
  }
}

/**
 * The response to `POST /requests` for a created (or, on a retry, found) report.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toPostResponse = (report: Report.Report): ReadonlyArray<PostResponse> => [
  {
    service_request_id: report.id,
    service_notice: `已受理，办理时限 ${report.deadline.dueDate}`,
    account_id: null
  }
]

// ---------------------------------------------------------------------------------------------
// POST /requests
// ---------------------------------------------------------------------------------------------

const Text = Schema.String
const optionalText = Schema.optional(Text)
const Coordinate = Schema.Union(Schema.Number, Schema.NumberFromString)

/**
 * The body of `POST /requests` (form-encoded or JSON; `attribute[code]=value` keys are accepted as well as an
 * `attribute` object).
 *
 * @since 0.1.0
 * @category models
 */
export const PostRequestBody = Schema.Struct({
  jurisdiction_id: optionalText,
  service_code: Text,
  lat: Schema.optional(Coordinate),
  long: Schema.optional(Coordinate),
  address_string: optionalText,
  address_id: optionalText,
  email: optionalText,
  device_id: optionalText,
  account_id: optionalText,
  first_name: optionalText,
  last_name: optionalText,
  phone: optionalText,
  description: optionalText,
  media_url: optionalText,
  attribute: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Union(Text, Schema.Array(Text)) }))
})

/**
 * @since 0.1.0
 * @category models
 */
export type PostRequestBody = typeof PostRequestBody.Encoded

/**
 * Options of {@link fromPostRequest}.
 *
 * @since 0.1.0
 * @category models
 */
export interface PostOptions {
  readonly taxonomy: Taxonomy.Taxonomy
  readonly regions: Region.RegionTree
  /** An idempotency key for the submission (e.g. from the client's `Idempotency-Key` header). */
  readonly idempotencyKey?: string | undefined
}

const bad = (description: string): Open311Error => ({ code: 400, description })

/** Folds `attribute[code]` keys into an `attribute` object (form-encoded bodies). */
const normaliseBody = (body: unknown): unknown => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body
  const out: Record<string, unknown> = {}
  const attribute: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body)) {
    const match = /^attribute\[([^\]]+)\](?:\[\])?$/.exec(key)
    if (match !== null) attribute[match[1]] = value
    else if (key === "attribute" && typeof value === "object" && value !== null) Object.assign(attribute, value)
    else out[key] = value
  }
  if (Object.keys(attribute).length > 0) out.attribute = attribute
  return out
}

const single = (value: string | ReadonlyArray<string> | undefined): string | undefined =>
  typeof value === "string" ? value : value?.[0]

/**
 * A `POST /requests` body as the input of `Opinions.submit` (channel `open311`, for the district of the region tree), or the GeoReport errors:
 * an unknown service, a missing or unknown `kind` or `community_code`, a missing description, a half coordinate
 * pair. The phone number is passed on to be validated and encrypted by the service, never echoed in an error.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import * as Open311 from "@gongzhi/opinion/Open311"
 * import type * as Region from "@gongzhi/core/Region"
 * import * as Taxonomy from "@gongzhi/opinion/Taxonomy"
 *
 * declare const regions: Region.RegionTree
 * const input = Open311.fromPostRequest(
 *   {
 *     service_code: "GF02",
 *     description: "路灯不亮",
 *     lat: "22.708",
 *     long: "114.346",
 *     "attribute[kind]": "help",
 *     "attribute[community_code]": "440310001001"
 *   },
 *   { taxonomy: Taxonomy.defaultTaxonomy, regions }
 * )
 */
export const fromPostRequest = (
  body: unknown,
  options: PostOptions
): Either.Either<SubmitInput, ReadonlyArray<Open311Error>> => {
  const decoded = Schema.decodeUnknownEither(PostRequestBody)(normaliseBody(body))
  if (Either.isLeft(decoded)) {
    return Either.left([bad("请求格式不正确：需要 service_code，lat/long 应为数字 / malformed request")])
  }
  const request = decoded.right
  const errors: Array<Open311Error> = []
  if (!Taxonomy.isLeaf(options.taxonomy, request.service_code)) {
    errors.push({ code: 404, description: `服务 ${request.service_code} 不存在 / unknown service_code` })
  }
  const attributes = request.attribute ?? {}
  const kind = single(attributes[attributeCodes.kind])
  if (kind === undefined) errors.push(bad("缺少属性 attribute[kind]（诉求类型） / attribute[kind] is required"))
  else if (Taxonomy.findKind(options.taxonomy, kind) === undefined) {
    errors.push(bad(`诉求类型 ${kind} 不存在 / unknown kind`))
  }
  const community = single(attributes[attributeCodes.community])
  if (community === undefined) {
    errors.push(bad("缺少属性 attribute[community_code]（所在社区） / attribute[community_code] is required"))
  } else if (!options.regions.regions.some((r) => r.code === community && r.level === "community")) {
    errors.push(bad(`社区 ${community} 不在本区 / unknown community_code`))
  }
  const urgency = single(attributes[attributeCodes.urgency])
  if (urgency !== undefined && !(Taxonomy.Urgency.literals as ReadonlyArray<string>).includes(urgency)) {
    errors.push(bad(`紧急程度 ${urgency} 无效 / unknown urgency`))
  }
  const description = request.description?.trim()
  if (description === undefined || description === "") {
    errors.push(bad("缺少 description（诉求内容） / description is required"))
  }
  if ((request.lat === undefined) !== (request.long === undefined)) {
    errors.push(bad("lat 与 long 须同时提供 / lat and long go together"))
  } else if (
    request.lat !== undefined &&
    request.long !== undefined &&
    (Math.abs(request.lat) > 90 || Math.abs(request.long) > 180)
  ) {
    errors.push(bad("坐标超出范围 / lat or long out of range"))
  }
  if (errors.length > 0) return Either.left(errors)
  const coordinates =
    request.lat === undefined || request.long === undefined
      ? undefined
      : { latitude: request.lat, longitude: request.long }
  const address = request.address_string?.trim()
  return Either.right({
    tenantId: options.regions.root.code,
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
    ...(request.phone === undefined || request.phone.trim() === "" ? {} : { contactPhone: request.phone }),
    location: {
      communityCode: community!,
      ...(address === undefined || address === "" ? {} : { address }),
      ...(coordinates === undefined ? {} : { coordinates })
    },
    category: request.service_code,
    kind: kind!,
    ...(urgency === undefined ? {} : { urgency: urgency as Taxonomy.Urgency }),
    channel: "open311",
    content: description!,
    ...(request.media_url === undefined || request.media_url === ""
      ? {}
      : { attachments: [{ uri: request.media_url }] })
  })
}

/**
 * A failed command as GeoReport errors: invalid input → 400 (one per problem), not allowed → 403, not found →
 * 404, a conflict → 409, anything else → 500 (with a generic description: storage details stay in the logs).
 *
 * @since 0.1.0
 * @category constructors
 */
export const errorsOf = (error: CommandError): ReadonlyArray<Open311Error> => {
  switch (error._tag) {
    case "InvalidInput":
      return error.problems.map((problem) => bad(problem.message))
    case "Forbidden":
    case "NotAssigned":
      return [{ code: 403, description: error.message }]
    case "ReportNotFound":
      return [{ code: 404, description: error.message }]
    case "TransitionNotAllowed":
    case "MergeRejected":
    case "VersionConflict":
    case "DuplicateKey":
      return [{ code: 409, description: error.message }]
    default:
      return [{ code: 500, description: "服务暂时不可用，请稍后重试 / internal error" }]
  }
}
