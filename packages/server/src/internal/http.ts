import * as Crypto from "node:crypto"
import { HttpApp, HttpIncomingMessage, HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Cause, Effect, Option } from "effect"
import * as Problem from "../Problem.js"

/** The limits and headers of every response. */
export interface HttpSettings {
  readonly maxBodyBytes: number
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

const generic: Record<number, readonly [string, string, string]> = {
  400: ["MalformedBody", "输入有误 / Bad Request", "请求体不是有效的 JSON / the request body is not valid JSON"],
  404: ["RouteNotFound", "未找到 / Not Found", "没有这个地址 / no such route"],
  405: ["MethodNotAllowed", "方法不允许 / Method Not Allowed", "此地址不支持该方法 / method not allowed"],
  413: ["PayloadTooLarge", "请求体过大 / Payload Too Large", "请求体过大 / the request body is too large"]
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
 * UUID) in the logs and the response, the body-size limit (413 before the body is read when the length is
 * declared; a streamed body is cut at the limit), security headers, a 500 problem for anything that escaped.
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
      const run: Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =
        declared !== undefined && Number(declared) > settings.maxBodyBytes
          ? Effect.as(Effect.logWarning("request body too large"), tooLarge(settings.maxBodyBytes))
          : app.pipe(
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
