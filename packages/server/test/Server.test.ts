import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import { HttpServer } from "@effect/platform"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import { Effect, Exit, FastCheck as fc, Layer, Logger, LogLevel, Redacted, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Server from "../src/Server.js"
import * as TokenStore from "../src/TokenStore.js"

const divisions = Path.resolve(import.meta.dirname, "../../../examples/pingshan/data/pingshan-divisions.json")
const routing = {
  departments: [
    { code: "ps-center", name: "坪山区民情中心" },
    { code: "ps-001", name: "坪山街道办事处" }
  ],
  rules: [],
  fallback: "ps-center"
} as const

const clerk = {
  _tag: "Staff",
  staffId: "S100",
  name: "王受理",
  roles: ["opinion-intake"],
  scope: { tenantId: "440310", regionCode: "440310001" }
}
const otherStreetClerk = {
  ...clerk,
  staffId: "S200",
  name: "孙受理",
  scope: { tenantId: "440310", regionCode: "440310002" }
}

const report = {
  location: { communityCode: "440310001001", address: "六联社区某小区 3 栋" },
  category: "GF02",
  kind: "help",
  channel: "mini-program",
  content: "3 栋电梯停运两天，老人上下楼困难"
}

let dir: string
let scope: Scope.CloseableScope
let base: string
let clerkToken: string
let otherToken: string
let revokedToken: string

const start = (options: Partial<Server.ServerOptions> = {}) =>
  Effect.gen(function* () {
    const s = yield* Scope.make()
    const context = yield* Layer.buildWithScope(
      Server.layer({
        config: {
          district: { code: "440310", name: "坪山区" },
          regions: { file: divisions, asOf: "2023" },
          storage: `sqlite:${Path.join(dir, "gz.db")}`,
          modules: { opinion: { routing } }
        },
        gongzhi: { cipher: FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["k1"] })) },
        port: 0,
        // the rate limits have their own tests (Limits.test.ts); here they would only make the fuzz flaky
        limits: { perIp: false, perKey: false },
        ...options
      }).pipe(Layer.provide(Logger.minimumLogLevel(LogLevel.None))),
      s
    )
    const server = yield* Effect.provide(HttpServer.HttpServer, context)
    const address = server.address
    if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
    const tokens = yield* Effect.provide(TokenStore.TokenStore, context)
    return { scope: s, base: `http://127.0.0.1:${address.port}`, tokens }
  })

beforeAll(async () => {
  dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-server-"))
  const started = await Effect.runPromise(start())
  scope = started.scope
  base = started.base
  const issue = (actor: unknown) =>
    Effect.runPromise(started.tokens.issue(actor)).then((issued) => Redacted.value(issued.token))
  clerkToken = await issue(clerk)
  otherToken = await issue(otherStreetClerk)
  revokedToken = await issue({ ...clerk, staffId: "S300" })
  await Effect.runPromise(started.tokens.revoke(TokenStore.hash(revokedToken)))
})

afterAll(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
  Fs.rmSync(dir, { recursive: true, force: true })
})

const post = (body: unknown, token?: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1/opinion/reports`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...headers
    },
    body: typeof body === "string" ? body : JSON.stringify(body)
  })

/** POSTs a report in chunks without a Content-Length (chunked transfer encoding). */
const postStreamed = (parts: ReadonlyArray<string>, token: string) => {
  const url = new URL(`${base}/api/v1/opinion/reports`)
  return new Promise<{ status: number; body: string } | "reset">((resolve, reject) => {
    const request = Http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` }
      },
      (response) => {
        let text = ""
        response.setEncoding("utf8")
        response.on("data", (d: string) => {
          text += d
        })
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }))
      }
    )
    request.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" || error.code === "EPIPE" ? resolve("reset") : reject(error)
    )
    let sent = 0
    const pump = () => {
      while (sent < parts.length) {
        const part = parts[sent++] as string
        if (!request.write(part)) return void request.once("drain", pump)
      }
      request.end()
    }
    pump()
  })
}

/** A 4xx carries a problem document (and the body is drained). */
const expectProblemIfRefused = async (response: Response) => {
  const text = await response.text()
  if (response.status < 400) return
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/)
  expect(JSON.parse(text)).toMatchObject({ status: response.status, _tag: expect.any(String) })
}

describe("health", () => {
  it("answers /health and /ready (the database is reachable)", async () => {
    const health = await fetch(`${base}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: "ok" })
    const ready = await fetch(`${base}/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: "ready" })
  })
})

describe("docs", () => {
  it("serves a generated OpenAPI 3.1 document with the opinion paths", async () => {
    const response = await fetch(`${base}/openapi.json`)
    expect(response.status).toBe(200)
    const spec = (await response.json()) as { openapi: string; paths: Record<string, unknown>; components: any }
    expect(spec.openapi).toMatch(/^3\.1\./)
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(["/health", "/ready", "/api/v1/opinion/reports", "/api/v1/opinion/reports/{id}"])
    )
    // the reused domain input is documented, its references resolve
    expect(spec.components.schemas.CategoryCode).toBeDefined()
    expect(Object.keys(spec.components.schemas.SubmitReport.properties)).toEqual(
      expect.arrayContaining(["location", "category", "kind", "channel", "content"])
    )
    const refs = [...JSON.stringify(spec).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1])
    expect(refs.length).toBeGreaterThan(10)
    for (const ref of refs) expect(spec.components.schemas, ref).toHaveProperty([ref as string])
    expect(spec.components.securitySchemes.bearer).toBeDefined()
  })

  it("serves Swagger UI at /docs", async () => {
    const response = await fetch(`${base}/docs`)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toMatch(/text\/html/)
    expect(await response.text()).toMatch(/swagger/i)
  })
})

describe("opinion", () => {
  it("submits with a staff token (201) and reads the report back (200)", async () => {
    const created = await post(report, clerkToken)
    expect(created.status).toBe(201)
    const view = (await created.json()) as { report: { id: string; content: string } }
    expect(view.report.content).toBe(report.content)
    const got = await fetch(`${base}/api/v1/opinion/reports/${view.report.id}`, {
      headers: { authorization: `Bearer ${clerkToken}` }
    })
    expect(got.status).toBe(200)
    expect(((await got.json()) as { report: { id: string } }).report.id).toBe(view.report.id)
    const list = await fetch(`${base}/api/v1/opinion/reports?limit=10`, {
      headers: { authorization: `Bearer ${clerkToken}` }
    })
    expect(list.status).toBe(200)
    const page = (await list.json()) as { items: Array<{ report: { id: string } }> }
    expect(page.items.map((item) => item.report.id)).toContain(view.report.id)
  })

  it("refuses a request without a token: 401 problem+json", async () => {
    const response = await post(report)
    expect(response.status).toBe(401)
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/)
    const problem = (await response.json()) as Record<string, unknown>
    expect(problem).toMatchObject({ status: 401, _tag: "Unauthenticated" })
    expect(String(problem.detail)).toMatch(/令牌/)
  })

  it("refuses a revoked token and an unknown one: 401", async () => {
    expect((await post(report, revokedToken)).status).toBe(401)
    const revoked = (await (await post(report, revokedToken)).json()) as { detail: string }
    expect(revoked.detail).toMatch(/吊销/)
    expect((await post(report, "A".repeat(43))).status).toBe(401)
  })

  it("lets the domain refuse a clerk of another street: 403 with the Chinese message and _tag Forbidden", async () => {
    const response = await post(report, otherToken)
    expect(response.status).toBe(403)
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/)
    const problem = (await response.json()) as { _tag: string; detail: string; status: number }
    expect(problem._tag).toBe("Forbidden")
    expect(problem.status).toBe(403)
    expect(problem.detail).toMatch(/[\u4e00-\u9fa5]/)
  })

  it("answers a bad body with 400 and the problems, not the values", async () => {
    const response = await post({ ...report, content: "", category: "nope" }, clerkToken)
    expect(response.status).toBe(400)
    const problem = (await response.json()) as { _tag: string; problems: Array<{ path: string; message: string }> }
    expect(problem._tag).toBe("InvalidInput")
    expect(problem.problems.length).toBeGreaterThan(0)
    expect(JSON.stringify(problem)).not.toContain("nope")
  })

  it("answers a body over the limit with 413", async () => {
    const response = await post({ ...report, content: "长".repeat(600_000) }, clerkToken)
    expect(response.status).toBe(413)
    expect(((await response.json()) as { _tag: string })._tag).toBe("PayloadTooLarge")
  })

  it("cuts a streamed body (no Content-Length) at the limit: the connection is closed, never a 5xx or a hang", async () => {
    const big = JSON.stringify({ ...report, content: "x".repeat(20 * 64 * 1024) })
    const answer = await postStreamed(big.match(/[\s\S]{1,65536}/g) ?? [], clerkToken)
    // the body is never read past the limit: Node closes the connection (or a 413 arrives first)
    if (answer !== "reset") expect(answer.status).toBe(413)
    // and the server goes on serving; a streamed body under the limit is read whole
    expect((await fetch(`${base}/health`)).status).toBe(200)
    const small = JSON.stringify(report)
    const ok = await postStreamed([small.slice(0, 40), small.slice(40)], clerkToken)
    expect(ok !== "reset" && ok.status).toBe(201)
  })

  it("answers a report that does not exist with 404", async () => {
    const response = await fetch(`${base}/api/v1/opinion/reports/R000000000000`, {
      headers: { authorization: `Bearer ${clerkToken}` }
    })
    expect(response.status).toBe(404)
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/)
    expect(((await response.json()) as { _tag: string })._tag).toBe("ReportNotFound")
  })

  it("answers a body that is not JSON, a bad query and an unknown route with a problem document", async () => {
    const malformed = await post("{not json", clerkToken)
    expect(malformed.status).toBe(400)
    expect(malformed.headers.get("content-type")).toMatch(/^application\/problem\+json/)
    expect(((await malformed.json()) as { detail: string }).detail).toMatch(/JSON/)
    const list = await fetch(`${base}/api/v1/opinion/reports?limit=abc&mine=maybe`, {
      headers: { authorization: `Bearer ${clerkToken}` }
    })
    expect(list.status).toBe(400)
    const problem = (await list.json()) as { problems: Array<{ path: string }> }
    expect(problem.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["limit", "mine"]))
    const missing = await fetch(`${base}/nowhere`)
    expect(missing.status).toBe(404)
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/)
  })

  it("answers a cursor it did not issue with 400 (not the 500 of a storage failure)", async () => {
    for (const cursor of ["", "abc", "eyJ4IjoxfQ"]) {
      const response = await fetch(`${base}/api/v1/opinion/reports?cursor=${cursor}`, {
        headers: { authorization: `Bearer ${clerkToken}` }
      })
      expect(response.status).toBe(400)
      const problem = (await response.json()) as { _tag: string; problems: Array<{ path: string }> }
      expect(problem._tag).toBe("InvalidInput")
      expect(problem.problems.map((p) => p.path)).toEqual(["cursor"])
    }
  })

  it("echoes the caller's request id, or makes one; sets security headers", async () => {
    const response = await fetch(`${base}/health`, { headers: { "x-request-id": "req-123" } })
    expect(response.headers.get("x-request-id")).toBe("req-123")
    const generated = await fetch(`${base}/health`)
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
    expect(response.headers.get("x-content-type-options")).toBe("nosniff")
    expect(response.headers.get("referrer-policy")).toBe("no-referrer")
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'/)
    expect(response.headers.get("access-control-allow-origin")).toBeNull()
    const preflight = await fetch(`${base}/api/v1/opinion/reports`, {
      method: "OPTIONS",
      headers: { origin: "https://portal.example", "access-control-request-method": "POST" }
    })
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull()
  })

  it("never answers random JSON bodies with a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            location: fc.oneof(fc.constant(report.location), fc.jsonValue()),
            category: fc.oneof(fc.constant(report.category), fc.string()),
            kind: fc.constant(report.kind),
            channel: fc.oneof(fc.constant(report.channel), fc.string()),
            content: fc.string()
          })
        ),
        async (body) => {
          const response = await post(body, clerkToken)
          expect(response.status).toBeLessThan(500)
          await expectProblemIfRefused(response)
        }
      ),
      { numRuns: 60 }
    )
  })

  it("never answers random queries, ids, raw or deeply nested bodies with a 5xx; every refusal is a problem", async () => {
    const query = fc.dictionary(
      fc.constantFrom(
        "limit",
        "cursor",
        "mine",
        "status",
        "bucket",
        "streetCode",
        "communityCode",
        "category",
        "orderBy",
        "direction"
      ),
      fc.string()
    )
    const nested = fc.integer({ min: 1, max: 200 }).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`)
    await fc.assert(
      fc.asyncProperty(query, fc.string(), fc.oneof(fc.string(), nested), async (params, id, body) => {
        const headers = { authorization: `Bearer ${clerkToken}` }
        const list = await fetch(`${base}/api/v1/opinion/reports?${new URLSearchParams(params)}`, { headers })
        expect(list.status).toBeLessThan(500)
        await expectProblemIfRefused(list)
        const one = await fetch(`${base}/api/v1/opinion/reports/${encodeURIComponent(id)}`, { headers })
        expect(one.status).toBeLessThan(500)
        await expectProblemIfRefused(one)
        const raw = await post(body, clerkToken)
        expect(raw.status).toBeGreaterThanOrEqual(400)
        expect(raw.status).toBeLessThan(500)
        await expectProblemIfRefused(raw)
      }),
      { numRuns: 60 }
    )
  })
})
