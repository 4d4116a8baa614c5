/**
 * A fake city platform (市级平台) for tests and demos: a real HTTP server on 127.0.0.1 (port 0) that
 * speaks the protocol of `CitySyncHttp` and misbehaves on demand. Each request takes the next fault
 * from `plan` (or from `schedule`): `drop` (the connection is cut before anything happens), `dropReply`
 * (the request is applied, the answer is lost), `repeat` (a push is applied twice; a page repeats its
 * messages and re-sends earlier ones), `reorder` (a page's messages are shuffled; a push is applied in
 * reverse order), `down` (503), `slow` (the answer comes after `slowMillis`, after the client's timeout).
 *
 * The city keeps, per district, the district's records it received (the latest version of each key:
 * the district found them, so its version prevails) and a feed of what the city publishes: records
 * its own units found (`publish`) and its edits of district records (`edit`), numbered; the cursor is
 * the position in the feed. It loads no test framework.
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, type Scope } from "effect"
import { type CityMessage, checkMessage, hashBody } from "../CitySync.js"

/**
 * What the fake city does with one request.
 *
 * @since 0.1.0
 * @category models
 */
export type Fault = "none" | "drop" | "dropReply" | "repeat" | "reorder" | "down" | "slow"

/**
 * The faults, in the order tests pick them from.
 *
 * @since 0.1.0
 * @category models
 */
export const faults: ReadonlyArray<Fault> = ["none", "drop", "dropReply", "repeat", "reorder", "down", "slow"]

/**
 * The fake city.
 *
 * @since 0.1.0
 * @category models
 */
export interface FakeCity {
  /** The base URL for `CitySyncHttp` (`http://127.0.0.1:<port>/`). */
  readonly url: string
  /** Faults for the next requests, consumed one per request (before `schedule`). */
  readonly plan: Array<Fault>
  /** The fault of a request when `plan` is empty (default: none). */
  schedule: (request: number, kind: "push" | "pull") => Fault
  /** Requests received so far. */
  readonly requests: () => number
  /** A record found by a city unit (or a new version of it); returns the message published. */
  readonly publish: (
    tenantId: string,
    input: { readonly key: string; readonly findingUnit: string; readonly body: Record<string, unknown> }
  ) => CityMessage
  /** A city clerk changes a district record it holds: a new version in the feed (a conflict). */
  readonly edit: (tenantId: string, key: string, body: Record<string, unknown>) => CityMessage | undefined
  /** The district records the city holds: key → hash. */
  readonly districtRecords: (tenantId: string) => ReadonlyMap<string, string>
  /** What the city published, latest version per key: key → `version:hash`. */
  readonly published: (tenantId: string) => ReadonlyMap<string, string>
  /** How many district messages the city applied (a repeated one is not applied twice). */
  readonly applied: () => number
}

interface District {
  readonly held: Map<string, CityMessage>
  readonly feed: Array<CityMessage>
  readonly receipts: Map<string, string>
}

/**
 * Starts the fake city; it stops when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly token: string
  readonly slowMillis?: number | undefined
  readonly seed?: number | undefined
}): Effect.Effect<FakeCity, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly city: FakeCity; readonly server: Http.Server }>((resume) => {
      const districts = new Map<string, District>()
      const district = (tenantId: string): District => {
        let found = districts.get(tenantId)
        if (found === undefined) {
          found = { held: new Map(), feed: [], receipts: new Map() }
          districts.set(tenantId, found)
        }
        return found
      }
      let seed = options.seed ?? 7
      const random = () => {
        seed = (seed * 48271) % 2147483647
        return seed / 2147483647
      }
      const shuffle = <A>(items: Array<A>): Array<A> => {
        for (let i = items.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1))
          const t = items[i] as A
          items[i] = items[j] as A
          items[j] = t
        }
        return items
      }
      let requests = 0
      let applied = 0
      const plan: Array<Fault> = []

      const applyPush = (d: District, key: string, messages: ReadonlyArray<CityMessage>, fault: Fault) => {
        const cached = d.receipts.get(key)
        if (cached !== undefined) return cached
        let done = 0
        let duplicates = 0
        const order = fault === "reorder" ? [...messages].reverse() : messages
        for (const message of order) {
          const held = d.held.get(message.key)
          if (held !== undefined && (held.hash === message.hash || held.version > message.version)) {
            duplicates++
          } else {
            d.held.set(message.key, message)
            done++
          }
        }
        applied += done
        const receipt = JSON.stringify({ applied: done, duplicates })
        d.receipts.set(key, receipt)
        return receipt
      }

      const pullPage = (d: District, after: string | null, limit: number, fault: Fault) => {
        const start = after === null ? 0 : Number(after)
        const from = Number.isInteger(start) && start >= 0 ? Math.min(start, d.feed.length) : 0
        let messages = d.feed.slice(from, from + limit)
        const next = from + messages.length
        if (fault === "repeat") messages = [...messages, ...d.feed.slice(Math.max(0, from - 3), from), ...messages]
        if (fault === "reorder") messages = shuffle([...messages])
        return JSON.stringify({ messages, next: String(next), more: next < d.feed.length })
      }

      const handle = (request: Http.IncomingMessage, body: string, fault: Fault): { status: number; text: string } => {
        if (request.headers.authorization !== `Bearer ${options.token}`) return { status: 401, text: "{}" }
        const url = new URL(request.url ?? "/", "http://127.0.0.1")
        const match = /^\/v1\/districts\/(\d{6})\/(batches|records)$/.exec(url.pathname)
        if (match === null) return { status: 404, text: "{}" }
        const d = district(match[1] as string)
        if (match[2] === "records" && request.method === "GET") {
          return {
            status: 200,
            text: pullPage(d, url.searchParams.get("after"), Number(url.searchParams.get("limit") ?? 100), fault)
          }
        }
        const key = request.headers["idempotency-key"]
        if (match[2] !== "batches" || request.method !== "POST" || typeof key !== "string")
          return { status: 400, text: "{}" }
        let parsed: unknown
        try {
          parsed = JSON.parse(body)
        } catch {
          return { status: 400, text: "{}" }
        }
        const raw = (parsed as { messages?: unknown }).messages
        if (!Array.isArray(raw)) return { status: 400, text: "{}" }
        const messages = raw.map(checkMessage)
        if (messages.some((m) => m === undefined)) return { status: 422, text: "{}" }
        const receipt = applyPush(d, key, messages as Array<CityMessage>, fault)
        if (fault === "repeat") applyPush(d, key, messages as Array<CityMessage>, fault)
        return { status: 200, text: receipt }
      }

      let url = ""
      const city: FakeCity = {
        get url() {
          return url
        },
        plan,
        schedule: () => "none",
        requests: () => requests,
        publish: (tenantId, input) => {
          const d = district(tenantId)
          const previous = d.feed.findLast((m) => m.key === input.key)
          const message: CityMessage = {
            key: input.key,
            kind: "record",
            level: "city",
            findingUnit: input.findingUnit,
            version: (previous?.version ?? 0) + 1,
            hash: hashBody(input.body),
            body: input.body
          }
          d.feed.push(message)
          return message
        },
        edit: (tenantId, key, body) => {
          const d = district(tenantId)
          const held = d.held.get(key)
          if (held === undefined) return undefined
          const message: CityMessage = { ...held, version: held.version + 1, hash: hashBody(body), body }
          d.held.set(key, message)
          d.feed.push(message)
          return message
        },
        districtRecords: (tenantId) => new Map([...district(tenantId).held].map(([k, m]) => [k, m.hash])),
        published: (tenantId) => {
          const latest = new Map<string, string>()
          for (const m of district(tenantId).feed) if (m.level === "city") latest.set(m.key, `${m.version}:${m.hash}`)
          return latest
        },
        applied: () => applied
      }

      const server = Http.createServer((request, response) => {
        const index = requests++
        const kind = request.method === "GET" ? "pull" : "push"
        const fault = plan.shift() ?? city.schedule(index, kind)
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => {
          if (fault === "drop") return void request.socket.destroy()
          if (fault === "down") {
            response.writeHead(503, { "content-type": "application/json" }).end("{}")
            return
          }
          const answer = handle(request, Buffer.concat(chunks).toString("utf8"), fault)
          if (fault === "dropReply") return void request.socket.destroy()
          const send = () => response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.text)
          if (fault === "slow") setTimeout(send, options.slowMillis ?? 300)
          else send()
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        url = `http://127.0.0.1:${port}/`
        resume(Effect.succeed({ city, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ city }) => city))
