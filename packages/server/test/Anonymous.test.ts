import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { HttpServer } from "@effect/platform"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import type * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
import { Effect, Exit, Layer, Logger, LogLevel, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Server from "../src/Server.js"

const divisions = Path.resolve(import.meta.dirname, "../../../examples/pingshan/data/pingshan-divisions.json")
const config = (dir: string): GongzhiConfig.GongzhiConfigInput => ({
  district: { code: "440310", name: "坪山区" },
  regions: { file: divisions, asOf: "2023" },
  storage: `sqlite:${Path.join(dir, "gz.db")}`,
  modules: {
    opinion: {
      routing: { departments: [{ code: "ps-center", name: "坪山区民情中心" }], rules: [], fallback: "ps-center" }
    }
  }
})
const quiet = Logger.minimumLogLevel(LogLevel.None)

let dir: string
let scope: Scope.CloseableScope
let base: string

beforeAll(async () => {
  dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-server-anon-"))
  scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(
    Layer.buildWithScope(
      Server.layer({
        config: config(dir),
        gongzhi: { cipher: FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["k1"] })) },
        port: 0,
        anonymousIntake: true,
        maxBodyBytes: 2048,
        corsOrigins: ["https://portal.example"]
      }).pipe(Layer.provide(quiet)),
      scope
    )
  )
  const address = Effect.runSync(Effect.provide(HttpServer.HttpServer, context)).address
  base = address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}` : ""
})

afterAll(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
  Fs.rmSync(dir, { recursive: true, force: true })
})

describe("anonymous intake", () => {
  it("accepts a resident's report without a token, and only that: reading still needs one", async () => {
    const created = await fetch(`${base}/api/v1/opinion/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        location: { communityCode: "440310001001" },
        category: "GF02",
        kind: "help",
        channel: "mini-program",
        content: "路灯不亮"
      })
    })
    expect(created.status).toBe(201)
    const id = ((await created.json()) as { report: { id: string } }).report.id
    const read = await fetch(`${base}/api/v1/opinion/reports/${id}`)
    expect(read.status).toBe(401)
    const list = await fetch(`${base}/api/v1/opinion/reports?limit=5`)
    expect(list.status).toBe(401)
  })

  it("applies the configured body limit", async () => {
    const response = await fetch(`${base}/api/v1/opinion/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: "x".repeat(3000) })
    })
    expect(response.status).toBe(413)
  })
})

describe("CORS", () => {
  it("answers a preflight from a listed origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/api/v1/opinion/reports`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" }
      })
    expect((await preflight("https://portal.example")).headers.get("access-control-allow-origin")).toBe(
      "https://portal.example"
    )
    // another origin is never echoed (a browser then refuses the response)
    expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).not.toBe(
      "https://evil.example"
    )
  })
})

describe("start-up", () => {
  it("fails the layer with the SDK's InvalidConfig on a bad config, before listening", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.scoped(
        Layer.build(Server.layer({ config: { ...config(dir), district: { code: "x", name: "" } }, port: 0 })).pipe(
          Effect.provide(quiet)
        )
      )
    )
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) expect(JSON.stringify(exit.cause)).toContain("InvalidConfig")
  })
})
