import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { hashBody } from "../src/CitySync.js"
import * as CitySyncHttp from "../src/CitySyncHttp.js"
import { TENANT, TOKEN } from "./cityHelpers.js"

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
}

/** A server on 127.0.0.1 answering from a list (status and body text), recording what it got. */
const answering = (answers: Array<{ readonly status: number; readonly text: string }>) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly seen: Array<Seen>; readonly server: Http.Server }>((resume) => {
      const seen: Array<Seen> = []
      const server = Http.createServer((request, response) => {
        request.resume()
        request.on("end", () => {
          seen.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers })
          const answer = answers.shift() ?? { status: 200, text: '{"messages":[],"more":false}' }
          response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.text)
        })
      })
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/city`, seen, server }))
      )
    }),
    ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
  )

const adapter = (url: string, token: unknown = Redacted.make(TOKEN)) =>
  CitySyncHttp.make({
    baseUrl: url,
    token: token as Redacted.Redacted<string>,
    timeout: "1 second",
    retries: 2,
    backoff: "5 millis"
  })

const body = { recordType: "ADMIN_PENALTY" }
const message = {
  key: "record:440310:U:R1",
  kind: "record",
  level: "district",
  findingUnit: "U",
  version: 1,
  hash: hashBody(body),
  body
} as const

describe("CitySyncHttp", () => {
  it.live("pushes with the bearer token and the idempotency key, and pulls with the cursor", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const server = yield* answering([
          { status: 200, text: '{"applied":1,"duplicates":0}' },
          { status: 200, text: '{"messages":[],"next":"7","more":false}' }
        ])
        const city = yield* adapter(server.url)
        const receipt = yield* city.push({
          tenantId: TENANT,
          idempotencyKey: "d440310-0123456789",
          messages: [message]
        })
        assert.deepStrictEqual(receipt, { applied: 1, duplicates: 0 })
        const page = yield* city.pull({ tenantId: TENANT, after: "5", limit: 50 })
        assert.deepStrictEqual(page, { messages: [], next: "7", more: false })
        assert.deepStrictEqual(
          server.seen.map((s) => `${s.method} ${s.url}`),
          ["POST /city/v1/districts/440310/batches", "GET /city/v1/districts/440310/records?after=5&limit=50"]
        )
        assert.strictEqual(server.seen[0]?.headers.authorization, `Bearer ${TOKEN}`)
        assert.strictEqual(server.seen[0]?.headers["idempotency-key"], "d440310-0123456789")
      })
    ).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

  it.live("429 and 5xx are retried; an answer that is not the protocol's is refused without retry", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const server = yield* answering([
          { status: 429, text: "{}" },
          { status: 502, text: "{}" },
          { status: 200, text: '{"messages":[],"more":false}' },
          { status: 200, text: '{"unexpected":true}' }
        ])
        const city = yield* adapter(server.url)
        const page = yield* city.pull({ tenantId: TENANT, limit: 10 })
        assert.isFalse(page.more)
        assert.strictEqual(server.seen.length, 3)
        const refused = yield* Effect.flip(city.pull({ tenantId: TENANT, limit: 10 }))
        assert.strictEqual(refused.reason, "refused")
        assert.strictEqual(server.seen.length, 4)
      })
    ).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )

  it.live("a token that is not Redacted, or a base URL that is not http(s), is a configuration error", () =>
    Effect.gen(function* () {
      const plain = yield* Effect.flip(adapter("http://127.0.0.1:9/", TOKEN))
      assert.strictEqual(plain.reason, "config")
      assert.notInclude(plain.message, TOKEN)
      const ftp = yield* Effect.flip(adapter("ftp://city.example/"))
      assert.strictEqual(ftp.reason, "config")
      const bad = yield* Effect.flip(adapter("not a url"))
      assert.match(bad.message, /^市区联动配置有误/)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici))
  )
})
