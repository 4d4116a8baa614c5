/**
 * Open311 GeoReport v2 for 民情 under `/open311/v2`, as plain routes on the HttpApi's router (beside the API, so
 * the same middleware — request ids, rate limits, body and JSON limits, timeouts, security headers — applies; not
 * in the HttpApi itself because GeoReport chooses the format by the path's extension, answers XML as well as
 * JSON, takes a form-encoded body and has its own error list). The mapping is `@gongzhi/opinion/Open311`.
 *
 * Reading is public (GeoReport has no key for it) and goes through the domain as the read-only service account
 * `open311-public`; `POST requests` needs an `api_key` and files the report as the key's `ServiceAccount`, whose
 * only permission is to submit. Only the public fields of `Open311.toServiceRequest` ever leave.
 */
import { HttpApiBuilder, HttpRouter, HttpServerRequest, HttpServerResponse, UrlParams } from "@effect/platform"
import * as Actor from "@gongzhi/core/Actor"
import * as Open311 from "@gongzhi/opinion/Open311"
import { Opinions } from "@gongzhi/opinion/Opinions"
import * as OpinionPermissions from "@gongzhi/opinion/Permissions"
import type * as Report from "@gongzhi/opinion/Report"
import { Cause, Clock, Effect, Either, Schema } from "effect"
import type * as ApiKeys from "../ApiKeys.js"
import * as TokenStore from "../TokenStore.js"
import type * as RateLimit from "./rateLimit.js"
import * as Xml from "./xml.js"

/** The prefix of every route. */
export const PREFIX = "/open311/v2"

/** The roles the server adds to the district's role table for Open311. */
export const roles = {
  "open311-public": [OpinionPermissions.permissions.read],
  "open311-client": [OpinionPermissions.permissions.submit]
} as const

/** What the routes need besides the opinion service. */
export interface Open311Settings {
  readonly district: string
  readonly apiKeys: ReadonlyArray<ApiKeys.ApiKey>
  readonly perKey?: RateLimit.Take | undefined
  /** Most requests `GET requests` lists (default 1000, as GeoReport suggests). */
  readonly maxRequests?: number | undefined
}

type Format = "json" | "xml"
type Errors = ReadonlyArray<Open311.Open311Error>

const items: Xml.ItemNames = {
  services: "service",
  service_requests: "request",
  errors: "error",
  attributes: "attribute",
  values: "value"
}

const respond = (format: Format, root: string, body: unknown, status = 200) =>
  format === "json"
    ? HttpServerResponse.unsafeJson(body, { status })
    : HttpServerResponse.text(Xml.document(root, body, items), { status, contentType: "text/xml; charset=utf-8" })

/** An error list; the status is the first error's code (a 4xx or 5xx). */
const failure = (format: Format, errors: Errors, headers: Record<string, string> = {}) => {
  const code = errors[0]?.code ?? 400
  return HttpServerResponse.setHeaders(
    respond(format, "errors", errors, code >= 400 && code < 600 ? code : 400),
    headers
  )
}

const error = (code: number, description: string): Errors => [{ code, description }]

/** `name.json` / `name.xml`: the name and the format, or undefined. */
const split = (segment: string | undefined): { readonly name: string; readonly format: Format } | undefined => {
  const match = /^(.+)\.(json|xml)$/.exec(segment ?? "")
  return match === null ? undefined : { name: match[1] as string, format: match[2] as Format }
}

/** The format a path asks for (JSON when it names none). */
const formatOf = (path: string): Format => (/\.xml$/i.test(path.split("?")[0] ?? "") ? "xml" : "json")

const notFound = (format: Format) =>
  failure(format, error(404, "没有这个 Open311 地址（格式须为 .json 或 .xml） / no such Open311 resource"))

const queryOf = (request: HttpServerRequest.HttpServerRequest) =>
  new URLSearchParams(request.url.includes("?") ? request.url.slice(request.url.indexOf("?") + 1) : "")

const scopeOf = (district: string) => ({ tenantId: district, regionCode: district })

/** A GeoReport date (`2026-03-02T09:00:00+08:00`; a date alone is midnight at +08:00). */
const parseDate = (value: string): Date | undefined => {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+08:00` : value
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? undefined : date
}

const NINETY_DAYS = 90 * 24 * 3600 * 1000

/** The routes, as a layer adding them to the HttpApi's router. */
export const routes = (settings: Open311Settings) =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function* () {
      // anything else under the prefix: a GeoReport 404
      const rest = Effect.map(HttpServerRequest.HttpServerRequest, (request) => notFound(formatOf(request.url)))
      yield* router.all(`${PREFIX}/*`, rest)
      yield* router.all(PREFIX, rest)
      const configured = yield* Effect.serviceOption(Opinions)
      if (configured._tag === "None") return // the district runs no 民情 module: every Open311 path is a 404
      const opinions = configured.value
      const { taxonomy, regions, routing, workflow } = opinions.settings
      const context: Open311.RequestContext = { taxonomy, workflow, routing, regions }
      const scope = scopeOf(settings.district)
      const reader = Schema.decodeUnknownSync(Actor.Actor)({
        _tag: "ServiceAccount",
        clientId: "open311-public",
        roles: ["open311-public"],
        scope
      })
      const clients = new Map(
        settings.apiKeys.map((key) => [
          key.hash as string,
          Schema.decodeUnknownSync(Actor.Actor)({
            _tag: "ServiceAccount",
            clientId: key.clientId,
            roles: ["open311-client"],
            scope
          })
        ])
      )
      const maxRequests = settings.maxRequests ?? 1000

      /** A failed domain call as GeoReport errors (a defect: a 500 without details, logged). */
      const domainErrors = <A, R>(
        effect: Effect.Effect<A, unknown, R>
      ): Effect.Effect<Either.Either<A, Errors>, never, R> =>
        Effect.catchAllCause(Effect.map(effect, Either.right), (cause) => {
          const failed = Cause.failureOption(cause)
          const errors =
            failed._tag === "Some"
              ? Open311.errorsOf(failed.value as never)
              : error(500, "服务暂时不可用，请稍后重试 / internal error")
          const logged = errors[0]?.code !== undefined && errors[0].code >= 500
          return Effect.as(
            logged ? Effect.logError("open311 request failed", Cause.pretty(cause)) : Effect.void,
            Either.left(errors)
          )
        })

      /** The full report of an id (read as `open311-public`), or its errors. */
      const report = (id: string) =>
        domainErrors(
          Effect.flatMap(opinions.get(reader, { tenantId: settings.district, reportId: id } as never), (view) =>
            view._tag === "Full" ? Effect.succeed(view.report) : Effect.die("open311-public reads the full report")
          )
        )

      /** `jurisdiction_id`, when given, must be this district. */
      const jurisdictionErrors = (value: string | null | undefined): Errors =>
        value === null || value === undefined || value === "" || value === settings.district
          ? []
          : error(404, `辖区 ${value.slice(0, 32)} 不在本服务 / unknown jurisdiction_id`)

      const services = (format: Format, request: HttpServerRequest.HttpServerRequest) => {
        const wrong = jurisdictionErrors(queryOf(request).get("jurisdiction_id"))
        return wrong.length > 0 ? failure(format, wrong) : respond(format, "services", Open311.services(taxonomy))
      }

      yield* router.get(
        `${PREFIX}/services.json`,
        Effect.map(HttpServerRequest.HttpServerRequest, (r) => services("json", r))
      )
      yield* router.get(
        `${PREFIX}/services.xml`,
        Effect.map(HttpServerRequest.HttpServerRequest, (r) => services("xml", r))
      )

      yield* router.get(
        `${PREFIX}/services/:code`,
        Effect.map(HttpRouter.params, (params) => {
          const target = split(params.code)
          if (target === undefined) return notFound("json")
          const definition = Open311.serviceDefinition(taxonomy, regions, target.name)
          return definition === undefined
            ? failure(target.format, error(404, `服务 ${target.name.slice(0, 32)} 不存在 / unknown service_code`))
            : respond(target.format, "service_definition", definition)
        })
      )

      const post = (format: Format) =>
        Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          const type = request.headers["content-type"] ?? ""
          const read = type.includes("json") ? request.json : Effect.map(request.urlParamsBody, UrlParams.toRecord) // a repeated key becomes a list
          const parsed = yield* Effect.either(read)
          if (
            Either.isLeft(parsed) ||
            typeof parsed.right !== "object" ||
            parsed.right === null ||
            Array.isArray(parsed.right)
          )
            return failure(format, error(400, "请求体无法解析：应为表单编码（或 JSON 对象） / malformed body"))
          const body = parsed.right as Record<string, unknown>
          // a key in the query was counted by the middleware already; one in the body is counted here
          const inBody = typeof body.api_key === "string" && body.api_key !== ""
          const given = inBody ? body.api_key : (queryOf(request).get("api_key") ?? undefined)
          if (typeof given !== "string" || given === "")
            return failure(format, error(400, "缺少 api_key / api_key is required"))
          const keyHash = TokenStore.hash(given)
          const wait = inBody ? settings.perKey?.(`key:${keyHash}`, yield* Clock.currentTimeMillis) : undefined
          if (wait !== undefined)
            return failure(format, error(429, `本密钥请求过于频繁，请 ${wait} 秒后再试 / too many requests`), {
              "retry-after": String(wait)
            })
          const client = clients.get(keyHash)
          if (client === undefined) return failure(format, error(403, "api_key 无效 / invalid api_key"))
          const wrong = jurisdictionErrors(typeof body.jurisdiction_id === "string" ? body.jurisdiction_id : undefined)
          if (wrong.length > 0) return failure(format, wrong)
          const { api_key: _key, ...fields } = body
          const idempotencyKey = request.headers["idempotency-key"]
          const input = Open311.fromPostRequest(fields, { taxonomy, regions, idempotencyKey })
          if (Either.isLeft(input)) return failure(format, input.left)
          const submitted = yield* domainErrors(opinions.submit(client, input.right))
          if (Either.isLeft(submitted)) return failure(format, submitted.left)
          const view = submitted.right
          // the response needs the id and the due date, which the submitter's view (public or full) has
          const dueDate = view._tag === "Full" ? view.report.deadline.dueDate : view.report.dueDate
          yield* Effect.logInfo("open311 request filed").pipe(
            Effect.annotateLogs({ reportId: view.report.id, clientId: Actor.id(client) })
          )
          const filed = { id: view.report.id, deadline: { dueDate } } as Pick<Report.Report, "id" | "deadline">
          return respond(format, "service_requests", Open311.toPostResponse(filed as Report.Report))
        })

      yield* router.post(`${PREFIX}/requests.json`, post("json"))
      yield* router.post(`${PREFIX}/requests.xml`, post("xml"))

      const list = (format: Format) =>
        Effect.gen(function* () {
          const query = queryOf(yield* HttpServerRequest.HttpServerRequest)
          const problems: Array<Open311.Open311Error> = [...jurisdictionErrors(query.get("jurisdiction_id"))]
          const ids = query.get("service_request_id")
          if (ids !== null && ids !== "") {
            const wanted = [...new Set(ids.split(",").map((id) => id.trim()))].filter((id) => id !== "")
            if (wanted.length > 100)
              problems.push(...error(400, "service_request_id 一次最多 100 个 / at most 100 ids"))
            if (problems.length > 0) return failure(format, problems)
            const found: Array<Open311.ServiceRequest> = []
            for (const id of wanted) {
              const one = yield* report(id)
              // an id that does not exist (or is not an id) is left out, as GeoReport lists do
              if (Either.isRight(one)) found.push(Open311.toServiceRequest(one.right, context))
              else if ((one.left[0]?.code ?? 500) >= 500) return failure(format, one.left)
            }
            return respond(format, "service_requests", found)
          }
          const date = (name: string) => {
            const value = query.get(name)
            if (value === null || value === "") return undefined
            const parsed = parseDate(value)
            if (parsed === undefined) problems.push(...error(400, `${name} 不是有效的 ISO 8601 时间 / invalid ${name}`))
            return parsed
          }
          const end = date("end_date")
          const start = date("start_date")
          const statuses = (query.get("status") ?? "").split(",").filter((s) => s !== "")
          if (statuses.some((s) => s !== "open" && s !== "closed"))
            problems.push(...error(400, "status 只能是 open 或 closed / status is open or closed"))
          const code = query.get("service_code")
          if (code !== null && code !== "" && !Open311.services(taxonomy).some((s) => s.service_code === code))
            problems.push(...error(404, `服务 ${code.slice(0, 32)} 不存在 / unknown service_code`))
          if (problems.length > 0) return failure(format, problems)
          const now = yield* Clock.currentTimeMillis
          const until = end ?? new Date(now + 1000)
          const from = start ?? new Date(until.getTime() - NINETY_DAYS)
          const only = statuses.length === 1 ? statuses[0] : undefined
          const page = yield* domainErrors(
            opinions.list(reader, {
              tenantId: settings.district,
              limit: maxRequests,
              receivedFrom: from,
              receivedBefore: until,
              ...(only === "open" ? { bucket: "open" } : {}),
              ...(code === null || code === "" ? {} : { category: code })
            } as never)
          )
          if (Either.isLeft(page)) return failure(format, page.left)
          const requests = page.right.items
            .flatMap((view) => (view._tag === "Full" ? [Open311.toServiceRequest(view.report, context)] : []))
            .filter((item) => only === undefined || item.status === only)
          return respond(format, "service_requests", requests)
        })

      yield* router.get(`${PREFIX}/requests.json`, list("json"))
      yield* router.get(`${PREFIX}/requests.xml`, list("xml"))

      /** `GET requests/{id}` and `GET tokens/{token}` (a token is the report's id: requests are filed at once). */
      const one = (shape: "request" | "token") =>
        Effect.gen(function* () {
          const params = yield* HttpRouter.params
          const target = split(shape === "request" ? params.id : params.token)
          if (target === undefined) return notFound("json")
          const found = yield* report(target.name)
          if (Either.isLeft(found)) return failure(target.format, found.left)
          const body =
            shape === "request"
              ? [Open311.toServiceRequest(found.right, context)]
              : [{ service_request_id: found.right.id, token: target.name }]
          return respond(target.format, "service_requests", body)
        })

      yield* router.get(`${PREFIX}/requests/:id`, one("request"))
      yield* router.get(`${PREFIX}/tokens/:token`, one("token"))
    })
  )
