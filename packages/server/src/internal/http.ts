import * as Crypto from "node:crypto"
import { HttpApp, HttpIncomingMessage, HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Cause, Clock, Effect, Either, Option } from "effect"
import * as Limits from "../Limits.js"
import * as Problem from "../Problem.js"
import * as TokenStore from "../TokenStore.js"
import type * as RateLimit from "./rateLimit.js"

/** The limits and headers of every response. */
export interface HttpSettings {
  readonly maxBodyBytes: number
  readonly requestTimeoutMs: number
  readonly maxJsonDepth: number
  /** The per-IP bucket (none: no limit). */
  readonly perIp?: RateLimit.Take | undefined
  /** The per-key bucket, shared with the Open311 routes (their `api_key` travels in the body). */
  readonly perKey?: RateLimit.Take | undefined
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

const apiHeaders = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "cache-control": "no-store"
}

// Swagger UI runs its own inline script and styles; nothing else is allowed.
const docsHeaders = {
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
}

const tooLarge = (max: number) =>
  Problem.toResponse(
    Problem.make(413, "PayloadTooLarge", `请求体超过 ${max} 字节的上限 / the request body exceeds ${max} bytes`)
  )

/** The 429 answer: a problem document and `Retry-After` in seconds. */
export const tooMany = (retryAfter: number, what: string) =>
  HttpServerResponse.setHeader(
    Problem.toResponse(
      Problem.make(
        429,
        "RateLimited",
        `${what}请求过于频繁，请 ${retryAfter} 秒后再试 / too many requests, retry after ${retryAfter} s`
      )
    ),
    "retry-after",
    String(retryAfter)
  )

const timedOut = (ms: number) =>
  Problem.toResponse(
    Problem.make(503, "RequestTimeout", `请求处理超过 ${ms} 毫秒，已中止 / the request took longer than ${ms} ms`)
  )

const tooDeep = (max: number) =>
  Problem.toResponse(
    Problem.make(400, "JsonTooDeep", `JSON 嵌套超过 ${max} 层 / the JSON body is nested deeper than ${max}`)
  )

const unreadable = (error: unknown) =>
  String((error as { cause?: unknown }).cause).includes("maxBytes")
    ? Problem.toResponse(Problem.make(413, "PayloadTooLarge", "请求体过大 / the request body is too large"))
    : Problem.toResponse(Problem.make(400, "MalformedBody", "请求体无法读取 / the request body could not be read"))

/** The caller's key for the per-key limit: the bearer token or an `api_key` in the query, hashed. */
const keyOf = (request: HttpServerRequest.HttpServerRequest): string | undefined => {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization?.trim() ?? "")?.[1]
  const query = request.url.includes("api_key=")
    ? (new URLSearchParams(request.url.split("?")[1] ?? "").get("api_key") ?? undefined)
    : undefined
  const key = bearer ?? query
  return key === undefined || key === "" ? undefined : TokenStore.hash(key)
}

/** The rate limits: the IP's bucket, then the key's; the 429 of the first one empty. */
const limited = (settings: HttpSettings, request: HttpServerRequest.HttpServerRequest) =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const ip = Option.getOrElse(request.remoteAddress, () => "unknown")
    const ipWait = settings.perIp?.(`ip:${ip}`, now)
    if (ipWait !== undefined) return tooMany(ipWait, "本地址")
    const key = settings.perKey === undefined ? undefined : keyOf(request)
    const keyWait = key === undefined ? undefined : settings.perKey?.(`key:${key}`, now)
    return keyWait === undefined ? undefined : tooMany(keyWait, "本密钥")
  })

/** A JSON body is read (and kept by the request) before the handler: too deep → 400 before anything parses it. */
const jsonChecked = (
  settings: HttpSettings,
  request: HttpServerRequest.HttpServerRequest,
  app: HttpApp.Default
): HttpApp.Default => {
  if (!(request.headers["content-type"] ?? "").includes("json")) return app
  return Effect.flatMap(Effect.either(request.text), (text) =>
    Either.isLeft(text)
      ? Effect.succeed(unreadable(text.left))
      : Limits.jsonDepth(text.right, settings.maxJsonDepth) > settings.maxJsonDepth
        ? Effect.as(Effect.logWarning("JSON body too deep"), tooDeep(settings.maxJsonDepth))
        : app
  )
}

const generic: Record<number, readonly [string, string, string]> = {
  400: ["MalformedBody", "输入有误 / Bad Request", "请求体不是有效的 JSON / the request body is not valid JSON"],
  404: ["RouteNotFound", "未找到 / Not Found", "没有这个地址 / no such route"],
  405: ["MethodNotAllowed", "方法不允许 / Method Not Allowed", "此地址不支持该方法 / method not allowed"],
  413: ["PayloadTooLarge", "请求体过大 / Payload Too Large", "请求体过大 / the request body is too large"],
  429: ["RateLimited", "请求过于频繁 / Too Many Requests", "请求过于频繁 / too many requests"]
}

/** An error response without a body (a route not found, a body that is not JSON) gets a problem document. */
const bodyless = (response: HttpServerResponse.HttpServerResponse): HttpServerResponse.HttpServerResponse => {
  if (response.status < 400 || response.body._tag !== "Empty") return response
  const [tag, title, detail] = generic[response.status] ?? [
    "HttpError",
    `HTTP ${response.status}`,
    response.status >= 500 ? "服务器内部错误，请稍后再试 / internal server error" : `HTTP ${response.status}`
  ]
  return HttpServerResponse.unsafeJson(
    { type: "about:blank", title, status: response.status, detail, _tag: tag },
    { status: response.status, contentType: Problem.contentType, headers: response.headers }
  )
}

/**
 * Around the whole app: the request id (the caller's `x-request-id` when it is a plain token, otherwise a new
 * UUID) in the logs and the response, the rate limits (429 + `Retry-After`), the body-size limit (413 before
 * the body is read when the length is declared; a streamed body is cut at the limit), the JSON depth limit, the
 * request timeout (the handler is interrupted, 503), security headers, a 500 problem for anything that escaped.
 */
export const middleware =
  (settings: HttpSettings) =>
  (app: HttpApp.Default): HttpApp.Default =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const given = request.headers["x-request-id"]
      const requestId = given !== undefined && REQUEST_ID.test(given) ? given : Crypto.randomUUID()
      const declared = request.headers["content-length"]
      const path = request.url.split("?")[0] ?? ""
      const headers = {
        ...(path === "/docs" || path.startsWith("/docs/") ? docsHeaders : apiHeaders),
        "x-request-id": requestId
      }
      const guarded: HttpApp.Default = Effect.flatMap(limited(settings, request), (refused) =>
        refused !== undefined
          ? Effect.as(Effect.logWarning("rate limited"), refused)
          : declared !== undefined && Number(declared) > settings.maxBodyBytes
            ? Effect.as(Effect.logWarning("request body too large"), tooLarge(settings.maxBodyBytes))
            : jsonChecked(settings, request, app).pipe(
                // the server runs every request uninterruptibly (routes opt back in): the timeout has to be able
                // to stop reading a stalled body, or a handler outside a route
                Effect.interruptible,
                Effect.timeoutTo({
                  duration: settings.requestTimeoutMs,
                  onSuccess: (response) => Effect.succeed(response),
                  onTimeout: () =>
                    Effect.as(Effect.logWarning("request timed out"), timedOut(settings.requestTimeoutMs))
                }),
                Effect.flatten
              )
      )
      const run: Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =
        guarded.pipe(
          HttpIncomingMessage.withMaxBodySize(Option.some(settings.maxBodyBytes)),
          Effect.catchAllCause((cause) =>
            Effect.as(Effect.logError("unhandled", Cause.pretty(cause)), Problem.toResponse(Problem.internal()))
          )
        )
      // `app` sends its response itself (through the pre-response handlers); a response made here is sent after.
      return HttpApp.appendPreResponseHandler((_request, response) =>
        Effect.succeed(HttpServerResponse.setHeaders(bodyless(response), headers))
      ).pipe(
        Effect.zipRight(HttpMiddleware.logger(run)),
        Effect.map((response) => HttpServerResponse.setHeaders(response, headers)),
        Effect.annotateLogs("requestId", requestId)
      )
    })
