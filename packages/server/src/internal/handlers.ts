import { HttpApiBuilder, HttpServerRequest } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import * as Actor from "@gongzhi/core/Actor"
import * as Command from "@gongzhi/core/Command"
import { Opinions } from "@gongzhi/opinion/Opinions"
import { Cause, Effect, Layer, Schema } from "effect"
import { Api, Authenticated, CurrentActor } from "../Api.js"
import * as Authentication from "../Authentication.js"
import * as Problem from "../Problem.js"

/** What the handlers need to know about the district and the server. */
export interface HandlerSettings {
  readonly district: string
  readonly anonymousIntake: boolean
}

/** Logs what a 500 hides (the tag and the cause, never the input), then gives the problem. */
const toProblem = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, Problem.DomainProblem, R> =>
  effect.pipe(
    Effect.catchAllCause((cause) => {
      const failure = Cause.failureOption(cause)
      const problem: Problem.DomainProblem =
        failure._tag === "Some" ? Problem.fromError(failure.value) : Problem.internal()
      return problem.status >= 500
        ? Effect.zipRight(Effect.logError("request failed", Cause.pretty(cause)), Effect.fail(problem))
        : Effect.fail(problem)
    })
  )

const anonymousResident = (district: string) =>
  Schema.decodeUnknownSync(Actor.Actor)({
    _tag: "Resident",
    userId: "anonymous",
    roles: ["resident"],
    scope: { tenantId: district, regionCode: district }
  })

/** The bearer middleware over the `Authentication` port; anonymous intake only for `POST …/reports`. */
export const authenticated = (settings: HandlerSettings) =>
  Layer.effect(
    Authenticated,
    Effect.gen(function* () {
      const authentication = yield* Authentication.Authentication
      const anonymous = anonymousResident(settings.district)
      return {
        bearer: (token) =>
          Effect.gen(function* () {
            const request = yield* HttpServerRequest.HttpServerRequest
            const header = request.headers.authorization
            if (header === undefined || header.trim() === "") {
              const path = request.url.split("?")[0]
              if (settings.anonymousIntake && request.method === "POST" && path === "/api/v1/opinion/reports")
                return anonymous
              return yield* new Authentication.Unauthenticated({ reason: "missing" })
            }
            if (!/^Bearer\s+\S+$/i.test(header.trim()))
              return yield* new Authentication.Unauthenticated({ reason: "malformed" })
            return yield* authentication.authenticate(token)
          }).pipe(Effect.mapError((error) => Problem.make(401, error._tag, error.message)))
      }
    })
  )

export const health = HttpApiBuilder.group(Api, "health", (handlers) =>
  handlers
    .handle("health", () => Effect.succeed({ status: "ok" as const }))
    .handle("ready", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`SELECT 1`
        return { status: "ready" as const }
      }).pipe(
        Effect.timeout("5 seconds"),
        Effect.catchAllCause((cause) =>
          Effect.zipRight(
            Effect.logWarning("readiness check failed", Cause.pretty(cause)),
            Effect.fail(Problem.make(503, "NotReady", "数据库不可用 / the database is not reachable"))
          )
        )
      )
    )
)

const withTenant = (body: unknown, district: string): unknown =>
  typeof body === "object" && body !== null && !Array.isArray(body) && !("tenantId" in body)
    ? { ...body, tenantId: district }
    : body

const definedOnly = (query: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined))

// The repositories refuse a cursor they did not issue with a non-retryable `StorageError` (core's
// `Repository`); it is the caller's mistake, so a 400 rather than the 500 of a storage failure.
const isBadCursor = (error: unknown): boolean =>
  typeof error === "object" &&
  error !== null &&
  (error as { _tag?: unknown })._tag === "StorageError" &&
  String((error as { reason?: unknown }).reason).includes("invalid cursor")

const badCursor = () =>
  Effect.fail(
    new Command.InvalidInput({
      command: "查询",
      problems: [{ path: "cursor", message: "分页游标无效：请使用上一页返回的 nextCursor" }]
    })
  )

export const opinion = (settings: HandlerSettings) =>
  HttpApiBuilder.group(Api, "opinion", (handlers) =>
    handlers
      .handle("submit", ({ payload }) =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const opinions = yield* Opinions
          return (yield* opinions.submit(actor, withTenant(payload, settings.district) as never)) as unknown
        }).pipe(toProblem)
      )
      .handle("get", ({ path }) =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const opinions = yield* Opinions
          return (yield* opinions.get(actor, { tenantId: settings.district, reportId: path.id } as never)) as unknown
        }).pipe(toProblem)
      )
      .handle("list", ({ urlParams }) =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const opinions = yield* Opinions
          const { limit, mine, status, ...rest } = urlParams
          const input = {
            ...definedOnly(rest),
            tenantId: settings.district,
            limit: limit === undefined ? 50 : /^\d{1,6}$/.test(limit) ? Number(limit) : limit,
            ...(mine === undefined ? {} : { mine: mine === "true" ? true : mine === "false" ? false : mine }),
            ...(status === undefined ? {} : { status: status.includes(",") ? status.split(",") : status })
          }
          const page = yield* opinions.list(actor, input as never).pipe(Effect.catchIf(isBadCursor, badCursor))
          return page as unknown as { items: ReadonlyArray<unknown>; nextCursor?: string }
        }).pipe(toProblem)
      )
  )
