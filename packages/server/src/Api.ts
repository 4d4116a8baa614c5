/**
 * The HTTP API of a district as an `HttpApi`: one group per module, the domains' input Schemas reused, every
 * error a problem document (`Problem`). The OpenAPI 3.1 document (`/openapi.json`) and Swagger UI (`/docs`)
 * are generated from it. Groups so far: `health` (`GET /health`, `GET /ready`) and `opinion` (民情 under
 * `/api/v1/opinion`: submit, get, list in the caller's scope). The `opinion` group needs a bearer token
 * (`Authenticated`); only `POST /reports` may go without one, when the server allows anonymous intake.
 *
 * @since 0.1.0
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSecurity, OpenApi } from "@effect/platform"
import type * as Actor from "@gongzhi/core/Actor"
import * as OpinionInputs from "@gongzhi/opinion/OpinionInputs"
import { Context, JSONSchema, Schema } from "effect"
import * as Problem from "./Problem.js"

/**
 * The actor of the current request, as the {@link Authenticated} middleware found it.
 *
 * @since 0.1.0
 * @category tags
 */
export class CurrentActor extends Context.Tag("@gongzhi/server/CurrentActor")<CurrentActor, Actor.Actor>() {}

/**
 * Bearer-token authentication of a group; a request it refuses is a 401 problem.
 *
 * @since 0.1.0
 * @category middleware
 */
export class Authenticated extends HttpApiMiddleware.Tag<Authenticated>()("@gongzhi/server/Authenticated", {
  failure: Problem.Unauthorized,
  provides: CurrentActor,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

// The JSON schemas of the reused domain inputs, as they travel (dates as strings), under components/schemas.
const definitions: Record<string, unknown> = {}
const wireDate = Schema.String.annotations({ format: "date-time", description: "ISO 8601" })
const documented = <A, I>(schema: Schema.Schema<A, I, never>, identifier: string, description: string) =>
  Schema.Unknown.annotations({
    identifier,
    description,
    jsonSchema: JSONSchema.fromAST(schema.ast, {
      definitions: definitions as never,
      definitionPath: "#/components/schemas/",
      target: "openApi3.1"
    })
  })

const SubmitBody = documented(
  Schema.Struct({
    ...OpinionInputs.SubmitInput.fields,
    tenantId: Schema.optional(OpinionInputs.SubmitInput.fields.tenantId),
    receivedAt: Schema.optional(wireDate)
  }),
  "SubmitReport",
  "民情诉求（OpinionInputs.SubmitInput）；tenantId 省略时为本区"
)

/**
 * A report as the caller may see it (`Opinions.ReportView`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReportView = Schema.Unknown.annotations({
  identifier: "ReportView",
  description: "诉求及调用者可见的内容（Opinions.ReportView）"
})

/**
 * A page of reports: `items` and the `nextCursor` of the next page.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReportPage = Schema.Struct({
  items: Schema.Array(ReportView),
  nextCursor: Schema.optional(Schema.String)
}).annotations({ identifier: "ReportPage" })

/**
 * The query of `GET /reports`, as strings (decoded by the domain with `OpinionInputs.ListInput`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListQuery = Schema.Struct({
  limit: Schema.optional(Schema.String.annotations({ description: "每页条数 1–1000（默认 50）" })),
  cursor: Schema.optional(Schema.String),
  mine: Schema.optional(Schema.String.annotations({ description: "true：只列调用者本人的诉求" })),
  status: Schema.optional(Schema.String.annotations({ description: "状态码，逗号分隔" })),
  bucket: Schema.optional(Schema.String),
  streetCode: Schema.optional(Schema.String),
  communityCode: Schema.optional(Schema.String),
  category: Schema.optional(Schema.String),
  orderBy: Schema.optional(Schema.String),
  direction: Schema.optional(Schema.String)
})

const Health = Schema.Struct({ status: Schema.Literal("ok") }).annotations({ identifier: "Health" })
const Ready = Schema.Struct({ status: Schema.Literal("ready") }).annotations({ identifier: "Ready" })

/**
 * Liveness and readiness.
 *
 * @since 0.1.0
 * @category groups
 */
export class HealthGroup extends HttpApiGroup.make("health")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(Health))
  .add(HttpApiEndpoint.get("ready", "/ready").addSuccess(Ready).addError(Problem.Unavailable))
  .annotate(OpenApi.Description, "存活与就绪检查 / liveness and readiness") {}

/**
 * 民情诉求: submit, get, list.
 *
 * @since 0.1.0
 * @category groups
 */
export class OpinionGroup extends HttpApiGroup.make("opinion")
  .add(
    HttpApiEndpoint.post("submit", "/reports")
      .setPayload(SubmitBody)
      .addSuccess(ReportView, { status: 201 })
      .annotate(OpenApi.Summary, "受理一件民情诉求 / submit a report")
  )
  .add(
    HttpApiEndpoint.get("get", "/reports/:id")
      .setPath(Schema.Struct({ id: Schema.String }))
      .addSuccess(ReportView)
      .annotate(OpenApi.Summary, "查看一件诉求 / get a report")
  )
  .add(
    HttpApiEndpoint.get("list", "/reports")
      .setUrlParams(ListQuery)
      .addSuccess(ReportPage)
      .annotate(OpenApi.Summary, "调用者权限范围内的诉求，分页 / list reports in scope")
  )
  .addError(Problem.BadRequest)
  .addError(Problem.Forbidden)
  .addError(Problem.NotFound)
  .addError(Problem.Conflict)
  .addError(Problem.PayloadTooLarge)
  .addError(Problem.TooManyRequests)
  .addError(Problem.Internal)
  .addError(Problem.Unavailable)
  .middleware(Authenticated)
  .prefix("/api/v1/opinion")
  .annotate(OpenApi.Description, "民情诉求 / public opinion reports") {}

/**
 * The whole API.
 *
 * @since 0.1.0
 * @category api
 */
export class Api extends HttpApi.make("gongzhi")
  .add(HealthGroup)
  .add(OpinionGroup)
  .annotate(OpenApi.Title, "Gongzhi 共治 API")
  .annotate(OpenApi.Version, "0.1.0")
  .annotate(OpenApi.Transform, (spec) => ({
    ...spec,
    components: { ...spec.components, schemas: { ...definitions, ...spec.components?.schemas } }
  })) {}
