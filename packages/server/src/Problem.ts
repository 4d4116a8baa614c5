/**
 * Errors as RFC 9457 problem details (`application/problem+json`): `type`, `title`, `status`, `detail` (the
 * domain error's Chinese message), the domain error's `_tag`, and for invalid input the `problems` (where and
 * what, never the values given). `fromError` maps a domain error to its status: `InvalidInput` → 400,
 * `Forbidden` (and `NotAssigned`: not the department's report) → 403, not found → 404, conflicts → 409, anything else → 500 with a generic text (internals are
 * logged, never sent).
 *
 * @since 0.1.0
 */
import { HttpApiSchema, HttpServerResponse } from "@effect/platform"
import { Schema } from "effect"

/**
 * The media type of a problem document.
 *
 * @since 0.1.0
 * @category constants
 */
export const contentType = "application/problem+json"

const Item = Schema.Struct({ path: Schema.String, message: Schema.String })

const fields = {
  type: Schema.String,
  title: Schema.String,
  detail: Schema.String,
  _tag: Schema.String,
  problems: Schema.optionalWith(Schema.Array(Item), { exact: true }),
  requestId: Schema.optionalWith(Schema.String, { exact: true })
}

const schemaOf = <const S extends number>(status: S, identifier: string) =>
  Schema.Struct({ ...fields, status: Schema.Literal(status) }).pipe(
    HttpApiSchema.withEncoding({ kind: "Json", contentType }),
    Schema.annotations({ identifier, ...HttpApiSchema.annotations({ status }) })
  )

/**
 * @since 0.1.0
 * @category schemas
 */
export const BadRequest = schemaOf(400, "BadRequestProblem")
/**
 * @since 0.1.0
 * @category schemas
 */
export const Unauthorized = schemaOf(401, "UnauthorizedProblem")
/**
 * @since 0.1.0
 * @category schemas
 */
export const Forbidden = schemaOf(403, "ForbiddenProblem")
/**
 * @since 0.1.0
 * @category schemas
 */
export const NotFound = schemaOf(404, "NotFoundProblem")
/**
 * @since 0.1.0
 * @category schemas
 */
export const Conflict = schemaOf(409, "ConflictProblem")
/**
 * @since 0.1.0
 * @category schemas
 */
export const PayloadTooLarge = schemaOf(413, "PayloadTooLargeProblem")
/**
 * @since 0.1.0
 * @category schemas
 */
export const TooManyRequests = schemaOf(429, "TooManyRequestsProblem")
/**
 * @since 0.1.0
 * @category schemas
 */
export const Internal = schemaOf(500, "InternalProblem")
/**
 * @since 0.1.0
 * @category schemas
 */
export const Unavailable = schemaOf(503, "UnavailableProblem")

/**
 * A problem document.
 *
 * @since 0.1.0
 * @category models
 */
export type Problem =
  | typeof BadRequest.Type
  | typeof Unauthorized.Type
  | typeof Forbidden.Type
  | typeof NotFound.Type
  | typeof Conflict.Type
  | typeof PayloadTooLarge.Type
  | typeof TooManyRequests.Type
  | typeof Internal.Type
  | typeof Unavailable.Type

/**
 * The statuses a problem may carry.
 *
 * @since 0.1.0
 * @category models
 */
export type Status = Problem["status"]

/**
 * The problems a domain error maps to.
 *
 * @since 0.1.0
 * @category models
 */
export type DomainProblem = Extract<Problem, { status: 400 | 403 | 404 | 409 | 500 }>

const titles: Record<Status, string> = {
  400: "输入有误 / Bad Request",
  401: "未认证 / Unauthorized",
  403: "无权操作 / Forbidden",
  404: "未找到 / Not Found",
  409: "冲突 / Conflict",
  413: "请求体过大 / Payload Too Large",
  429: "请求过于频繁 / Too Many Requests",
  500: "服务器内部错误 / Internal Server Error",
  503: "服务不可用 / Service Unavailable"
}

/**
 * A problem document of a status; `type` is `about:blank` (the status says it all) unless given.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <S extends Status>(
  status: S,
  tag: string,
  detail: string,
  extra: { readonly problems?: ReadonlyArray<{ path: string; message: string }> | undefined } = {}
): Extract<Problem, { status: S }> =>
  ({
    type: "about:blank",
    title: titles[status],
    status,
    detail,
    _tag: tag,
    ...(extra.problems === undefined ? {} : { problems: extra.problems })
  }) as unknown as Extract<Problem, { status: S }>

const notFoundTags = new Set(["NotFound", "ReportNotFound"])
const conflictTags = new Set(["VersionConflict", "DuplicateKey", "MergeRejected", "TransitionNotAllowed", "Conflict"])

const tagOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && typeof (error as { _tag?: unknown })._tag === "string"
    ? (error as { _tag: string })._tag
    : undefined

const messageOf = (error: unknown): string =>
  error instanceof Error && typeof error.message === "string" ? error.message : String(error)

const problemsOf = (error: unknown): ReadonlyArray<{ path: string; message: string }> => {
  const list = (error as { problems?: unknown }).problems
  if (!Array.isArray(list)) return []
  return list.map((p: unknown) => {
    const item = p as { path?: unknown; message?: unknown }
    const path = Array.isArray(item.path) ? item.path.join(".") : typeof item.path === "string" ? item.path : ""
    return { path, message: typeof item.message === "string" ? item.message : String(item.message) }
  })
}

/**
 * The problem document of a domain error. Tags ending in `NotFound` are 404, conflicts (version conflicts,
 * duplicates, refused transitions or merges) 409; an error the map does not know is a 500 whose detail says
 * nothing about the cause.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromError = (error: unknown): DomainProblem => {
  const tag = tagOf(error)
  if (tag === "InvalidInput") return make(400, tag, messageOf(error), { problems: problemsOf(error) })
  if (tag === "Forbidden" || tag === "NotAssigned") return make(403, tag, messageOf(error))
  if (tag !== undefined && (notFoundTags.has(tag) || tag.endsWith("NotFound"))) return make(404, tag, messageOf(error))
  if (tag !== undefined && (conflictTags.has(tag) || tag.endsWith("Conflict"))) return make(409, tag, messageOf(error))
  return internal()
}

/**
 * The 500 problem: a generic text, nothing of the cause.
 *
 * @since 0.1.0
 * @category constructors
 */
export const internal = (): Extract<Problem, { status: 500 }> =>
  make(500, "InternalError", "服务器内部错误，请稍后再试 / internal server error")

/**
 * A problem as a response, outside the `HttpApi` (limits, defects).
 *
 * @since 0.1.0
 * @category conversions
 */
export const toResponse = (problem: Problem): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(problem, { status: problem.status, contentType })
