import * as ChildProcess from "node:child_process"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Path from "node:path"
import * as Readline from "node:readline"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Delivery from "@gongzhi/core/Delivery"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as NotificationMigrations from "@gongzhi/core/NotificationMigrations"
import * as Outbox from "@gongzhi/core/Outbox"
import { TenantId } from "@gongzhi/core/Tenant"
import type { Scope } from "effect"
import { Effect, Layer, Redacted } from "effect"
import * as SqliteStore from "../src/SqliteStore.js"
import { tempDatabaseFile } from "../src/testing.js"

const CIPHER = FieldCipher.generateOptions()
const CHILD = fileURLToPath(new URL("./fixtures/dispatcherChild.ts", import.meta.url))
const PACKAGE_DIR = Path.resolve(Path.dirname(CHILD), "../..")
const ROUNDS = 8
/** Children started ahead of their round (loading, waiting for "go"). */
const AHEAD = 2
const EVENTS = 150
const RECIPIENTS = ["r1", "r2"]
/** The child's `concurrency`: at most one wave of sends can be lost per kill. */
const WAVE = 4
const tenantId = TenantId.make("440310")

/** A seeded generator (mulberry32), so that a failing run can be replayed. */
const seededRandom = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * The receiver: records every accepted request by idempotency key, answers after a few
 * milliseconds, and refuses every 23rd request with 503 (so retries happen too).
 */
const receiver: Effect.Effect<
  { readonly url: string; readonly accepted: Map<string, number>; readonly refused: () => number },
  never,
  Scope.Scope
> = Effect.acquireRelease(
  Effect.async<{ server: Http.Server; accepted: Map<string, number>; refused: () => number }>((resume) => {
    const accepted = new Map<string, number>()
    let requests = 0
    let refused = 0
    const server = Http.createServer((request, response) => {
      request.resume()
      request.on("end", () => {
        requests++
        const key = String(request.headers["idempotency-key"] ?? "")
        setTimeout(
          () => {
            if (requests % 23 === 0) {
              refused++
              response.writeHead(503).end()
              return
            }
            accepted.set(key, (accepted.get(key) ?? 0) + 1)
            response.writeHead(200, { "content-type": "application/json" }).end("{}")
          },
          2 + (requests % 7)
        )
      })
    })
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, accepted, refused: () => refused })))
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
).pipe(
  Effect.map(({ server, accepted, refused }) => ({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
    accepted,
    refused
  }))
)

interface Child {
  readonly lines: Array<string>
  readonly stderr: () => string
  readonly waitFor: (line: string) => Effect.Effect<void>
  readonly send: (line: string) => Effect.Effect<void>
  readonly stop: (signal: NodeJS.Signals) => Effect.Effect<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts a child (killed at scope end if still running). */
const spawnChild = (filename: string): Effect.Effect<Child, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", CHILD], {
        cwd: PACKAGE_DIR,
        env: {
          ...process.env,
          GONGZHI_DISPATCH_SQLITE_FILE: filename,
          GONGZHI_DISPATCH_TENANT: tenantId,
          // every child decrypts what an earlier one recorded: one set of keys for the run
          GONGZHI_PII_KEYS: `test:${Redacted.value(CIPHER.keys.test)}`,
          GONGZHI_PII_CURRENT_KEY_ID: "test",
          GONGZHI_PII_INDEX_KEY: Redacted.value(CIPHER.indexKey)
        },
        stdio: ["pipe", "pipe", "pipe"]
      })
      const lines: Array<string> = []
      let stderr = ""
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
      const listeners = new Set<() => void>()
      const notify = () => {
        for (const listener of [...listeners]) listener()
      }
      Readline.createInterface({ input: child.stdout }).on("line", (line) => {
        lines.push(line)
        notify()
      })
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8")
      })
      child.stdin.on("error", () => {})
      child.on("close", (code, signal) => {
        exit = { code, signal }
        notify()
      })
      const until = <A>(check: () => A | undefined) =>
        Effect.async<A>((resume) => {
          const listener = () => {
            const value = check()
            if (value !== undefined) {
              listeners.delete(listener)
              resume(Effect.succeed(value))
            }
          }
          listeners.add(listener)
          listener()
          return Effect.sync(() => listeners.delete(listener))
        })
      const handle: Child & { readonly process: ChildProcess.ChildProcess } = {
        process: child,
        lines,
        stderr: () => stderr,
        waitFor: (expected) =>
          until(() => {
            if (lines.includes(expected)) return true
            if (exit !== undefined) throw new Error(`child ended before "${expected}":\n${stderr}`)
            return undefined
          }).pipe(
            Effect.timeoutFail({
              duration: "60 seconds",
              onTimeout: () => new Error(`no "${expected}" from the child within 60 s:\n${stderr}`)
            }),
            Effect.orDie,
            Effect.asVoid
          ),
        send: (line) => Effect.sync(() => child.stdin.write(`${line}\n`)),
        stop: (signal) =>
          Effect.suspend(() => {
            if (exit === undefined) child.kill(signal)
            return until(() => exit)
          })
      }
      return handle
    }),
    (child) => Effect.asVoid(child.stop("SIGKILL"))
  )

describe("Dispatcher crash safety on SQLite (SIGKILL)", () => {
  it.live(
    `${ROUNDS} kills at random points: every notification arrives, each idempotency key exactly once after de-duplication`,
    () =>
      Effect.gen(function* () {
        const seed = Number(process.env.GONGZHI_RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31))
        const random = seededRandom(seed)
        const replay = `seed ${seed} (GONGZHI_RELIABILITY_SEED=${seed} replays the kill times)`
        const http = yield* receiver
        const filename = yield* tempDatabaseFile
        const migrations = [CoreMigrations.migrations, NotificationMigrations.migrations]
        const context = yield* Layer.build(
          Layer.mergeAll(Outbox.layerSql, Delivery.layerSql).pipe(
            Layer.provideMerge(SqliteStore.layer({ filename, migrations })),
            Layer.provide(FieldCipher.layer(CIPHER))
          )
        )
        const outbox = Effect.provide(Outbox.Outbox, context)
        const appended = yield* Effect.flatMap(outbox, (o) =>
          o.append(
            Array.from({ length: EVENTS }, (_, n) => ({
              tenantId,
              type: "crash.Ping",
              aggregateType: "Ping",
              aggregateId: `ping-${n}`,
              payload: { n, url: http.url, recipients: RECIPIENTS }
            }))
          )
        )
        const expected = new Set(
          appended.flatMap((event) =>
            RECIPIENTS.map((recipient) => Delivery.idempotencyKey(tenantId, event.id, recipient, "webhook"))
          )
        )

        // the next children start while the current one runs: Node's start-up is the slow part
        const waiting: Array<Child> = []
        let spawned = 0
        const spawnAhead = Effect.gen(function* () {
          while (waiting.length < AHEAD && spawned < ROUNDS + 1) {
            waiting.push(yield* spawnChild(filename))
            spawned++
          }
        })
        yield* spawnAhead
        let killedWhileBusy = 0
        for (let round = 1; round <= ROUNDS; round++) {
          const child = waiting.shift()!
          yield* spawnAhead
          yield* child.waitFor("ready")
          yield* child.send("go")
          yield* child.waitFor("started")
          const before = http.accepted.size
          yield* Effect.sleep(60 + Math.floor(random() * 400))
          if (http.accepted.size > before && http.accepted.size < expected.size) killedWhileBusy++
          const exit = yield* child.stop("SIGKILL")
          assert.strictEqual(
            exit.signal,
            "SIGKILL",
            `round ${round}, ${replay}: the child stopped by itself\n${child.stderr()}`
          )
        }

        // the last child runs until everything is recorded as delivered, then stops gracefully
        const last = waiting.shift()!
        yield* last.waitFor("ready")
        yield* last.send("go")
        const deliveries = yield* Effect.provide(Delivery.Deliveries, context)
        const done = Effect.gen(function* () {
          const counts = yield* deliveries.countByStatus(tenantId)
          return counts.delivered === expected.size && http.accepted.size === expected.size
        }).pipe(Effect.orDie)
        const deadline = Date.now() + 45_000
        while (!(yield* done)) {
          assert.isBelow(Date.now(), deadline, `not everything was delivered in time, ${replay}\n${last.stderr()}`)
          yield* Effect.sleep(50)
        }
        const exit = yield* last.stop("SIGTERM")
        assert.strictEqual(exit.code, 0, `graceful stop failed:\n${last.stderr()}`)

        // at least once: every notification reached the receiver; deduplicated by key: exactly once each
        const received = new Set(http.accepted.keys())
        assert.strictEqual(received.size, expected.size, replay)
        for (const key of expected) assert.isTrue(received.has(key), `missing ${key}, ${replay}`)
        // a kill loses at most the wave of sends not yet recorded: the rest were never sent twice
        const total = [...http.accepted.values()].reduce((sum, n) => sum + n, 0)
        const duplicates = total - expected.size
        assert.isAtMost(duplicates, ROUNDS * WAVE, `${duplicates} duplicates, ${replay}`)
        assert.isAbove(http.refused(), 0, "the receiver refused some requests (retries happened)")
        assert.isAbove(killedWhileBusy, 0, `no kill landed while notifications were being sent, ${replay}`)

        // the database agrees: every delivery delivered once recorded, every event done
        const counts = yield* deliveries.countByStatus(tenantId)
        assert.deepStrictEqual(counts, { ...Delivery.emptyCounts(), delivered: expected.size })
        const entries = yield* Effect.flatMap(outbox, (o) => o.list(tenantId, { limit: 1000, status: "done" }))
        assert.strictEqual(entries.items.length, EVENTS)
      }).pipe(Effect.scoped),
    { timeout: 120_000 }
  )
})
