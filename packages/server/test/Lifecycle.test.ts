import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import { HttpServer } from "@effect/platform"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import type * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
import { Effect, Exit, Layer, Logger, LogLevel, Scope } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import * as Server from "../src/Server.js"

const divisions = Path.resolve(import.meta.dirname, "../../../examples/pingshan/data/pingshan-divisions.json")
let dir: string
beforeEach(() => {
  dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-server-stop-"))
})
afterEach(() => {
  Fs.rmSync(dir, { recursive: true, force: true })
})

const config = (): GongzhiConfig.GongzhiConfigInput => ({
  district: { code: "440310", name: "坪山区" },
  regions: { file: divisions, asOf: "2023" },
  storage: `sqlite:${Path.join(dir, "gz.db")}`,
  modules: {
    opinion: {
      routing: { departments: [{ code: "ps-center", name: "坪山区民情中心" }], rules: [], fallback: "ps-center" }
    }
  }
})

describe("graceful shutdown", () => {
  it("lets a request in flight finish when the scope closes, then refuses new connections", async () => {
    const scope = Effect.runSync(Scope.make())
    const context = await Effect.runPromise(
      Layer.buildWithScope(
        Server.layer({
          config: config(),
          gongzhi: { cipher: FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["k1"] })) },
          port: 0,
          anonymousIntake: true
        }).pipe(Layer.provide(Logger.minimumLogLevel(LogLevel.None))),
        scope
      )
    )
    const address = Effect.runSync(Effect.provide(HttpServer.HttpServer, context)).address
    const port = address._tag === "TcpAddress" ? address.port : 0
    const body = JSON.stringify({
      location: { communityCode: "440310001001" },
      category: "GF02",
      kind: "help",
      channel: "mini-program",
      content: "路灯不亮"
    })
    // a request whose body is still arriving when the shutdown starts
    let finish = () => {}
    const answer = new Promise<number>((resolve, reject) => {
      const request = Http.request(
        {
          host: "127.0.0.1",
          port,
          path: "/api/v1/opinion/reports",
          method: "POST",
          headers: { "content-type": "application/json" }
        },
        (response) => {
          response.resume()
          response.on("end", () => resolve(response.statusCode ?? 0))
        }
      )
      request.on("error", reject)
      request.write(body.slice(0, 20))
      finish = () => request.end(body.slice(20))
    })
    await new Promise((r) => setTimeout(r, 100))
    const closing = Effect.runPromise(Scope.close(scope, Exit.void))
    await new Promise((r) => setTimeout(r, 100))
    finish()
    expect(await answer).toBe(201)
    await closing
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow()
  })
})

describe("request logs", () => {
  it("carry the request id on every line of the request, never the bearer token", async () => {
    const lines: Array<{ message: string; annotations: Record<string, unknown> }> = []
    const capture = Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ message, annotations }) => {
        lines.push({
          message: JSON.stringify(message),
          annotations: Object.fromEntries([...annotations].map(([k, v]) => [k, v]))
        })
      })
    )
    const scope = Effect.runSync(Scope.make())
    const context = await Effect.runPromise(
      Layer.buildWithScope(
        Server.layer({
          config: config(),
          gongzhi: { cipher: FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["k1"] })) },
          port: 0
        }).pipe(Layer.provide(capture)),
        scope
      )
    )
    try {
      const address = Effect.runSync(Effect.provide(HttpServer.HttpServer, context)).address
      const port = address._tag === "TcpAddress" ? address.port : 0
      const secret = "S".repeat(43)
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/opinion/reports?limit=1`, {
        headers: { "x-request-id": "trace-42", authorization: `Bearer ${secret}` }
      })
      expect(response.status).toBe(401)
      await new Promise((r) => setTimeout(r, 50))
      const mine = lines.filter((line) => line.annotations.requestId === "trace-42")
      expect(mine.length).toBeGreaterThan(0)
      expect(JSON.stringify(lines)).not.toContain(secret)
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })
})
