/**
 * The server part of the Pingshan run: `@gongzhi/server` started on 127.0.0.1 (a free port) for the Pingshan
 * district on a fresh SQLite file, a city platform's Open311 GeoReport v2 client posting a 民情 request with its
 * API key (form-encoded, as the spec says) and reading it back as JSON and XML, then the server stopped. The
 * answers go to `out/server-open311.txt`.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Routing from "@gongzhi/opinion/Routing"
import * as ApiKeys from "@gongzhi/server/ApiKeys"
import * as Server from "@gongzhi/server/Server"
import { Effect, Redacted, Schema } from "effect"
import { failed, type RunFailed } from "./errors.js"
import { routingTable } from "./organisation.js"
import { loadPingshan, PINGSHAN_AS_OF } from "./regions.js"

const divisions = fileURLToPath(new URL("../data/pingshan-divisions.json", import.meta.url))

interface Answer {
  readonly status: number
  readonly text: string
}

const call = (url: string, init?: RequestInit): Effect.Effect<Answer, RunFailed> =>
  Effect.tryPromise({
    try: async () => {
      const response = await fetch(url, init)
      return { status: response.status, text: await response.text() }
    },
    catch: failed("服务端")
  })

/**
 * Starts the server, posts an Open311 request, reads it back (JSON and XML), stops; prints a short summary.
 *
 * @since 0.1.0
 * @category runners
 */
export const run = (
  write: (line: string) => void,
  options: { readonly outDir: string }
): Effect.Effect<{ readonly serviceRequestId: string }, RunFailed> =>
  Effect.scoped(
    Effect.gen(function* () {
      const tree = yield* Effect.mapError(loadPingshan(), failed("服务端"))
      const database = Path.join(options.outDir, "server.db")
      Fs.mkdirSync(options.outDir, { recursive: true })
      Fs.rmSync(database, { force: true })
      const { key, stored } = yield* Effect.mapError(
        ApiKeys.generate({ clientId: "sz-12345", label: "深圳市 12345 平台（演示）" }),
        failed("服务端")
      )
      const { url } = yield* Effect.mapError(
        Server.start({
          config: {
            district: { code: tree.root.code, name: tree.root.name },
            regions: { file: divisions, asOf: PINGSHAN_AS_OF },
            storage: `sqlite:${database}`,
            modules: { opinion: { routing: Schema.encodeSync(Routing.RoutingTable)(routingTable(tree)) } }
          },
          gongzhi: { cipher: FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["server-run"] })) },
          port: 0,
          open311: { apiKeys: [stored] }
        }),
        failed("服务端")
      )
      const base = `${url}/open311/v2`
      write(`\n== 服务端：Open311 GeoReport v2（${url}）==`)
      const services = yield* call(`${base}/services.json`)
      write(`GET services.json → ${services.status}，${(JSON.parse(services.text) as Array<unknown>).length} 项服务`)
      const posted = yield* call(`${base}/requests.json`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          api_key: Redacted.value(key),
          service_code: "GF02",
          description: "坪山街道六联社区某路口路灯不亮，晚上出行不便",
          lat: "22.6879",
          long: "114.3561",
          "attribute[kind]": "help",
          "attribute[community_code]": "440310001001"
        }).toString()
      })
      const [created] = JSON.parse(posted.text) as Array<{ service_request_id: string; service_notice: string }>
      if (posted.status !== 200 || created === undefined)
        return yield* Effect.fail(failed("服务端")(new Error(`POST requests.json → ${posted.status} ${posted.text}`)))
      write(`POST requests.json → ${posted.status}，${created.service_request_id}（${created.service_notice}）`)
      const json = yield* call(`${base}/requests/${created.service_request_id}.json`)
      const [request] = JSON.parse(json.text) as Array<{
        status: string
        status_notes: string
        agency_responsible: string
      }>
      write(
        `GET requests/{id}.json → ${json.status}，${request?.status}（${request?.status_notes}），承办：${request?.agency_responsible ?? "待派单"}`
      )
      const xml = yield* call(`${base}/requests/${created.service_request_id}.xml`)
      write(`GET requests/{id}.xml → ${xml.status}，${xml.text.length} 字节 XML`)
      Fs.writeFileSync(
        Path.join(options.outDir, "server-open311.txt"),
        [posted.text, json.text, xml.text].join("\n\n"),
        "utf8"
      )
      return { serviceRequestId: created.service_request_id }
    })
  ).pipe(Effect.tap(() => Effect.sync(() => write("服务已停止（在途请求完成后关闭）"))))
