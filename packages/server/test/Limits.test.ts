import * as Http from "node:http"
import { HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Exit, FastCheck as fc, Layer, Logger, LogLevel, Redacted, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ApiKeys from "../src/ApiKeys.js"
import * as HttpInternal from "../src/internal/http.js"
import * as Limits from "../src/Limits.js"
import { type Started, start } from "./support.js"

/** Sends the first part of a body and never the rest (nor its end): the answer, or "reset" when the server closes. */
const stalled = (url: string, path: string, contentType: string) =>
  new Promise<{ status: number; body: string } | "reset">((resolve, reject) => {
    const target = new URL(url)
    const request = Http.request(
      { host: target.hostname, port: target.port, path, method: "POST", headers: { "content-type": contentType } },
      (response) => {
        let body = ""
        response.setEncoding("utf8")
        response.on("data", (d: string) => {
          body += d
        })
        response.on("end", () => {
          resolve({ status: response.statusCode ?? 0, body })
          request.destroy()
        })
      }
    )
    request.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" || error.message === "socket hang up" ? resolve("reset") : reject(error)
    )
    request.write('{"location":')
  })

describe("rate limits", () => {
  const { key, stored } = Effect.runSync(ApiKeys.generate({ clientId: "city-12345" }))
  let server: Started
  beforeAll(async () => {
    server = await start({
      limits: { perIp: { burst: 3, perSecond: 0.01 }, perKey: { burst: 2, perSecond: 0.01 } },
      open311: { apiKeys: [stored] }
    })
  })
  afterAll(() => server.stop())

  it("per key: a bearer token's third request is refused with 429, Retry-After and a problem; another key goes on", async () => {
    const asKey = (token: string) =>
      fetch(`${server.url}/api/v1/opinion/reports?limit=1`, { headers: { authorization: `Bearer ${token}` } })
    const a = "A".repeat(43)
    expect((await asKey(a)).status).toBe(401) // unknown token: counted all the same
    expect((await asKey(a)).status).toBe(401)
    const refused = await asKey(a)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/)
    expect(await refused.json()).toMatchObject({ status: 429, _tag: "RateLimited" })
    // the IP's bucket (3) is now empty too: the next caller from this address is refused whatever its key
    const other = await asKey("B".repeat(43))
    expect(other.status).toBe(429)
    expect(((await other.json()) as { detail: string }).detail).toMatch(/本地址/)
  })

  it("per key: an Open311 api_key in the body has its own bucket (checked in the route), as an error list", async () => {
    const perKey = await start({
      limits: { perIp: false, perKey: { burst: 2, perSecond: 0.01 } },
      open311: { apiKeys: [stored] }
    })
    try {
      const post = () =>
        fetch(`${perKey.url}/open311/v2/requests.json`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ api_key: Redacted.value(key), service_code: "GF02" }).toString()
        })
      expect((await post()).status).toBe(400) // missing fields, but the key was counted
      expect((await post()).status).toBe(400)
      const refused = await post()
      expect(refused.status).toBe(429)
      expect(refused.headers.get("retry-after")).toMatch(/^\d+$/)
      expect(((await refused.json()) as Array<{ code: number }>)[0]?.code).toBe(429)
      // no per-IP limit on this server: other callers are served
      for (let i = 0; i < 5; i++) expect((await fetch(`${perKey.url}/health`)).status).toBe(200)
    } finally {
      await perKey.stop()
    }
  })
})

describe("request timeout", () => {
  it("cuts a request whose body never ends at the timeout (503, or the connection closed), never a hang", async () => {
    const server = await start({ limits: { perIp: false, requestTimeoutMs: 300 } })
    try {
      const began = Date.now()
      const answer = await stalled(server.url, "/api/v1/opinion/reports", "application/json")
      // reading the body is interrupted, which destroys the request stream (and so the socket) before a 503 can go
      if (answer !== "reset") {
        expect(answer.status).toBe(503)
        expect(JSON.parse(answer.body)).toMatchObject({ status: 503, _tag: "RequestTimeout" })
      }
      expect(Date.now() - began).toBeLessThan(10_000)
      expect((await fetch(`${server.url}/health`)).status).toBe(200)
    } finally {
      await server.stop()
    }
  })

  it("answers a handler that takes too long with a 503 problem, and interrupts the handler", async () => {
    let interrupted = false
    const app = Effect.never.pipe(
      Effect.onInterrupt(() =>
        Effect.sync(() => {
          interrupted = true
        })
      ),
      Effect.as(HttpServerResponse.empty())
    )
    const scope = Effect.runSync(Scope.make())
    const context = await Effect.runPromise(
      Layer.buildWithScope(
        HttpServer.serve(
          app,
          HttpInternal.middleware({ maxBodyBytes: 1024, requestTimeoutMs: 200, maxJsonDepth: 8 })
        ).pipe(
          Layer.provideMerge(NodeHttpServer.layer(() => Http.createServer(), { port: 0, host: "127.0.0.1" })),
          Layer.provide(Logger.minimumLogLevel(LogLevel.None))
        ),
        scope
      )
    )
    const address = Effect.runSync(Effect.provide(HttpServer.HttpServer, context)).address
    const port = address._tag === "TcpAddress" ? address.port : 0
    try {
      const response = await fetch(`http://127.0.0.1:${port}/slow`)
      expect(response.status).toBe(503)
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/)
      expect(await response.json()).toMatchObject({ status: 503, _tag: "RequestTimeout" })
      expect(interrupted).toBe(true)
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })
})

describe("JSON depth", () => {
  const nested = (depth: number) => `${"[".repeat(depth - 1)}{"a":"[[[[[[[[[[\\"]]"}${"]".repeat(depth - 1)}`

  it("measures nesting without parsing, strings (and escaped quotes) skipped", () => {
    expect(Limits.jsonDepth(nested(3), 32)).toBe(3)
    expect(Limits.jsonDepth('"[[[["', 32)).toBe(0)
    expect(Limits.jsonDepth("[".repeat(10_000), 32)).toBe(33)
    const reference = (value: unknown): number =>
      typeof value === "object" && value !== null
        ? 1 + Math.max(0, ...Object.values(value as Record<string, unknown>).map(reference))
        : 0
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), (value) => {
        const json = JSON.stringify(value)
        expect(Limits.jsonDepth(json, 1000)).toBe(reference(JSON.parse(json)))
      })
    )
  })

  it("refuses a body nested deeper than the limit with a 400 problem before any handler", async () => {
    const server = await start({ limits: { perIp: false, maxJsonDepth: 5 } })
    try {
      const post = (body: string) =>
        fetch(`${server.url}/api/v1/opinion/reports`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body
        })
      const deep = await post(nested(6))
      expect(deep.status).toBe(400)
      expect(deep.headers.get("content-type")).toMatch(/^application\/problem\+json/)
      expect(await deep.json()).toMatchObject({ status: 400, _tag: "JsonTooDeep" })
      // within the limit the request goes on (to authentication: no token → 401)
      expect((await post(nested(5))).status).toBe(401)
      // the Open311 routes are covered too
      const open311 = await fetch(`${server.url}/open311/v2/requests.json`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: nested(40)
      })
      expect(open311.status).toBe(400)
    } finally {
      await server.stop()
    }
  })
})
