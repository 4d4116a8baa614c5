/**
 * Notification benchmarks: the dispatcher delivering webhooks from the outbox to a real receiver.
 *
 * The receiver is a `node:http` server on 127.0.0.1 in a CHILD process (so that it neither steals
 * the bench's event loop nor shares its CPU time with the sender): it checks every request's HMAC
 * signature and counts each idempotency key. After each entry, every expected key must have arrived
 * exactly once (no duplicate, none missing, no bad signature), or the entry throws.
 *
 * - `notify.webhook.dispatch`: 2,000 events, each producing one webhook notification, drained by
 *   ONE dispatcher (`Dispatcher.make(…).drain()`, defaults: batches of 100, 8 sends in flight) on
 *   SQLite (`@gongzhi/store-sqlite/testing` `layerTest`: a temporary file, WAL, synchronous NORMAL,
 *   like production). Ours = outbox → expand (subscription, template, delivery records) → send
 *   (claim, sign, POST, record the outcome); baseline = a bare loop of the same 2,000 signed POSTs
 *   through the SAME notifier instance (same `HttpClient` layer, undici; same signing) with the
 *   same concurrency (8 in flight, a sliding window: no waves, no storage). The backlogs are appended
 *   in setup (not measured): one tenant per `ours` call (warm-up included), so that each call drains
 *   a fresh backlog; the baseline's notifications are rendered in setup too.
 * - `notify.webhook.two-workers`: a backlog of 20,000 events (one webhook each) on PostgreSQL,
 *   delivered by two dispatchers in two child processes, each with its own pool (4 connections),
 *   against ONE such worker on an identical backlog: the ratio is the speed-up of the second worker
 *   (throughput with two / throughput with one). The workers start in setup (not measured); each run
 *   drains its own tenant. Runs only when PostgreSQL answers (GONGZHI_BENCH_PG_URL, default the local
 *   test server); each run of the bench uses a fresh schema, dropped afterwards.
 *
 * This file is also the child processes' program (`GONGZHI_BENCH_NOTIFY_ROLE=receiver|worker`).
 */
import * as ChildProcess from "node:child_process"
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { NodeHttpClient } from "@effect/platform-node"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Delivery from "@gongzhi/core/Delivery"
import * as Dispatcher from "@gongzhi/core/Dispatcher"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as NotificationMigrations from "@gongzhi/core/NotificationMigrations"
import * as Notifier from "@gongzhi/core/Notifier"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Preference from "@gongzhi/core/Preference"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Webhook from "@gongzhi/notify-webhook/Webhook"
import * as PgStore from "@gongzhi/store-postgres/PgStore"
import { provisionSchema } from "@gongzhi/store-postgres/testing"
import { layerTest as sqliteLayerTest } from "@gongzhi/store-sqlite/testing"
import { Duration, Effect, Exit, Layer, ManagedRuntime, Redacted, Schema, Scope } from "effect"
import type { BenchEntry } from "./harness.js"

const ROLE_ENV = "GONGZHI_BENCH_NOTIFY_ROLE"
const role = process.env[ROLE_ENV]
const SELF = fileURLToPath(import.meta.url)

const secret = Redacted.make("bench-webhook-secret-坪山-0123456789")
const EVENT = "bench.ReportAccepted"
const HUB = "pingshan-hub"
const BATCH_SIZE = 100 // the dispatcher's default
const CONCURRENCY = 8 // the dispatcher's default

const migrations = [CoreMigrations.migrations, NotificationMigrations.migrations]
// One set of field-cipher keys for the run (delivery addresses are encrypted at rest): the worker
// processes decrypt what the others recorded, so they inherit the keys through the environment.
if (process.env.GONGZHI_PII_KEYS === undefined) {
  const cipher = FieldCipher.generateOptions({ keyIds: ["bench"] })
  process.env.GONGZHI_PII_KEYS = `bench:${Redacted.value(cipher.keys.bench)}`
  process.env.GONGZHI_PII_CURRENT_KEY_ID = "bench"
  process.env.GONGZHI_PII_INDEX_KEY = Redacted.value(cipher.indexKey)
}
const sqlPorts = Layer.mergeAll(Outbox.layerSql, Delivery.layerSql, Preference.layerSql).pipe(
  Layer.provide(FieldCipher.layerConfig)
)

// ---------------------------------------------------------------------------------------------
// the workload: "a report was accepted" → one webhook to the district's hub
// ---------------------------------------------------------------------------------------------

const ReportData = Schema.Struct({ reportId: Schema.String, community: Schema.String, title: Schema.String })

const accepted = Template.make({
  id: "bench.reportAccepted",
  data: ReportData,
  zh: {
    subject: "民情诉求已受理：{{reportId}}",
    text: "{{community}}居民反映的「{{title}}」已受理，请于 3 个工作日内处理。",
    markdown: "**{{community}}**：「{{title}}」已受理"
  }
})

const notifyHub = (url: string) =>
  Subscription.make({
    id: "bench.notifyHub",
    event: EVENT,
    payload: ReportData,
    recipients: () => Effect.succeed([{ id: HUB, name: "坪山区民情中心", addresses: { webhook: url } }]),
    template: accepted,
    data: { reportId: "payload.reportId", community: "payload.community", title: "payload.title" },
    channels: ["webhook"]
  })

const reportData = (i: number) => ({
  reportId: `MQ-${String(i).padStart(6, "0")}`,
  community: "沙坣社区",
  title: `第${i}处路灯不亮，居民夜间出行不便`
})

const reports = (tenantId: TenantId, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    tenantId,
    type: EVENT,
    aggregateType: "OpinionReport",
    aggregateId: reportData(i).reportId,
    payload: reportData(i)
  }))

/** Appends `count` events for the tenant (in appends of 1,000); returns their deliveries' keys. */
const appendBacklog = (tenantId: TenantId, count: number) =>
  Effect.flatMap(Outbox.Outbox, (outbox) =>
    Effect.forEach(chunks(reports(tenantId, count), 1_000), (chunk) => outbox.append(chunk)).pipe(
      Effect.map((appended) =>
        appended.flat().map((event) => Delivery.idempotencyKey(tenantId, event.id, HUB, "webhook"))
      )
    )
  )

const chunks = <A>(items: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

/** The webhook notifier on undici, as `Notifier` (for the baseline) and as the dispatcher's registry. */
const webhookLayer = Layer.effect(
  Notifier.Notifiers,
  Effect.map(Notifier.Notifier, (webhook) => Notifier.makeNotifiers([webhook]))
).pipe(Layer.provideMerge(Webhook.layer({ secret })), Layer.provide(NodeHttpClient.layerUndici))

const pipelineLayer = (url: string) => Subscription.layer([notifyHub(url)]).pipe(Layer.provideMerge(webhookLayer))

// ---------------------------------------------------------------------------------------------
// child processes
// ---------------------------------------------------------------------------------------------

type ToChild =
  | { readonly type: "take" }
  | { readonly type: "drain"; readonly tenantId: string; readonly total: number }
  | { readonly type: "stop" }

type FromChild =
  | { readonly type: "ready"; readonly url?: string }
  | {
      readonly type: "taken"
      readonly keys: ReadonlyArray<string>
      readonly duplicates: number
      readonly rejected: number
    }
  | { readonly type: "drained"; readonly delivered: number; readonly expanded: number }
  | { readonly type: "failed"; readonly message: string }

interface Child {
  readonly request: <T extends FromChild["type"]>(
    message: ToChild,
    reply: T
  ) => Promise<Extract<FromChild, { readonly type: T }>>
  readonly stop: () => Promise<void>
}

/** Starts this file as a child process in `role`; resolves once it said "ready" (with its URL). */
const spawnChild = (
  childRole: "receiver" | "worker",
  env: Readonly<Record<string, string>> = {}
): Promise<{ readonly child: Child; readonly url: string | undefined }> =>
  new Promise((resolve, reject) => {
    const process_ = ChildProcess.spawn(process.execPath, ["--import", "tsx", SELF], {
      env: { ...process.env, ...env, [ROLE_ENV]: childRole },
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    const waiters: Array<{ readonly resolve: (message: FromChild) => void; readonly reject: (e: Error) => void }> = []
    let exited: Error | undefined
    process_.on("message", (message: FromChild) => {
      if (message.type === "ready") {
        const child: Child = {
          request: (out, reply) =>
            new Promise((resolveReply, rejectReply) => {
              if (exited !== undefined) return rejectReply(exited)
              waiters.push({
                resolve: (answer) =>
                  answer.type === reply
                    ? resolveReply(answer as Extract<FromChild, { readonly type: typeof reply }>)
                    : rejectReply(
                        new Error(`${childRole}: ${answer.type === "failed" ? answer.message : `got ${answer.type}`}`)
                      ),
                reject: rejectReply
              })
              process_.send(out)
            }),
          stop: () =>
            new Promise((resolveStop) => {
              if (exited !== undefined) return resolveStop()
              process_.once("exit", () => resolveStop())
              process_.send({ type: "stop" } satisfies ToChild)
            })
        }
        resolve({ child, url: message.url })
      } else if (message.type === "failed" && waiters.length === 0) {
        reject(new Error(`${childRole}: ${message.message}`))
      } else {
        waiters.shift()?.resolve(message)
      }
    })
    process_.on("exit", (code, signal) => {
      exited = new Error(`${childRole} exited (${code ?? signal})`)
      reject(exited)
      for (const waiter of waiters.splice(0)) waiter.reject(exited)
    })
  })

const reply = (message: FromChild) => process.send?.(message)

/** The receiver: checks signatures, counts idempotency keys; `take` hands over the new keys. */
const runReceiver = () => {
  const seen = new Set<string>()
  let fresh: Array<string> = []
  let duplicates = 0
  let rejected = 0
  const header = (request: Http.IncomingMessage, name: string) => {
    const value = request.headers[name.toLowerCase()]
    return typeof value === "string" ? value : undefined
  }
  const server = Http.createServer({ keepAliveTimeout: 30_000 }, (request, response) => {
    const parts: Array<Buffer> = []
    request.on("data", (part: Buffer) => parts.push(part))
    request.on("end", () => {
      const body = Buffer.concat(parts).toString("utf8")
      const timestamp = header(request, Webhook.TIMESTAMP_HEADER)
      const signature = header(request, Webhook.SIGNATURE_HEADER)
      const key = header(request, Webhook.IDEMPOTENCY_KEY_HEADER)
      const expected = timestamp === undefined ? "" : Webhook.signature(secret, timestamp, body)
      if (
        key === undefined ||
        signature === undefined ||
        signature.length !== expected.length ||
        !Crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
      ) {
        rejected++
        response.writeHead(401).end()
        return
      }
      if (seen.has(key)) duplicates++
      else {
        seen.add(key)
        fresh.push(key)
      }
      response.writeHead(200).end()
    })
  })
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo
    reply({ type: "ready", url: `http://127.0.0.1:${port}/gongzhi/notifications` })
  })
  process.on("message", (message: ToChild) => {
    if (message.type === "take") {
      reply({ type: "taken", keys: fresh, duplicates, rejected })
      fresh = []
    } else if (message.type === "stop") {
      server.closeAllConnections()
      server.close(() => process.exit(0))
    }
  })
  process.on("disconnect", () => process.exit(0))
}

/**
 * A dispatcher process on PostgreSQL (its own pool). `drain` runs passes until the tenant's backlog
 * is delivered — by this worker or another one: when a pass finds nothing while deliveries are still
 * missing (another worker holds them), it polls again after 5 ms, as the dispatcher's loop would.
 */
const runWorker = async () => {
  const env = (name: string) => {
    const value = process.env[name]
    if (value === undefined) throw new Error(`worker: ${name} is not set`)
    return value
  }
  const workerId = env("GONGZHI_BENCH_WORKER_ID")
  const store = PgStore.layer({
    url: Redacted.make(env("GONGZHI_BENCH_PG_URL_RESOLVED")),
    schema: env("GONGZHI_BENCH_PG_SCHEMA"),
    maxConnections: 4,
    migrations
  })
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(sqlPorts, pipelineLayer(env("GONGZHI_BENCH_RECEIVER_URL"))).pipe(Layer.provideMerge(store))
  )
  const drain = (tenantId: TenantId, total: number) =>
    Effect.gen(function* () {
      const dispatcher = yield* Dispatcher.make({
        tenants: [tenantId],
        workerId,
        batchSize: BATCH_SIZE,
        concurrency: CONCURRENCY
      })
      const deliveries = yield* Delivery.Deliveries
      let delivered = 0
      let expanded = 0
      for (;;) {
        const counts = yield* dispatcher
          .drain()
          .pipe(
            Effect.catchTag("StorageError", (error) =>
              error.retryable ? Effect.as(Effect.logWarning(error.message), Dispatcher.emptyCounts) : Effect.fail(error)
            )
          )
        delivered += counts.delivered
        expanded += counts.expanded
        if (counts.dead + counts.retried > 0) return yield* Effect.dieMessage(`${workerId}: sends failed`)
        const byStatus = yield* deliveries.countByStatus(tenantId)
        if (byStatus.delivered >= total) return { delivered, expanded }
        yield* Effect.sleep(Duration.millis(5))
      }
    })
  try {
    await runtime.runPromise(Effect.void) // connects and runs the (locked) migrations
  } catch (error) {
    reply({ type: "failed", message: String(error) })
    process.exit(1)
  }
  reply({ type: "ready" })
  process.on("message", (message: ToChild) => {
    if (message.type === "drain") {
      runtime.runPromise(drain(TenantId.make(message.tenantId), message.total)).then(
        (counts) => reply({ type: "drained", ...counts }),
        (error) => reply({ type: "failed", message: String(error) })
      )
    } else if (message.type === "stop") {
      runtime.dispose().finally(() => process.exit(0))
    }
  })
  process.on("disconnect", () => process.exit(0))
}

// ---------------------------------------------------------------------------------------------
// checks at the receiver
// ---------------------------------------------------------------------------------------------

/** Takes the keys the receiver got since the last take; throws unless they are exactly `expected`, once each. */
const checkReceived = async (receiver: Child, expected: ReadonlyArray<string>, what: string) => {
  const taken = await receiver.request({ type: "take" }, "taken")
  const wanted = new Set(expected)
  const unexpected = taken.keys.filter((key) => !wanted.has(key)).length
  const got = new Set(taken.keys)
  const missing = expected.filter((key) => !got.has(key)).length
  if (taken.duplicates > 0 || taken.rejected > 0 || missing > 0 || unexpected > 0 || wanted.size !== expected.length) {
    throw new Error(
      `${what}: ${taken.duplicates} duplicate(s), ${missing} missing, ${unexpected} unexpected, ${taken.rejected} bad signature(s)`
    )
  }
}

// ---------------------------------------------------------------------------------------------
// notify.webhook.dispatch (SQLite)
// ---------------------------------------------------------------------------------------------

const DISPATCH_EVENTS = 2_000
const DISPATCH_RUNS = 5

const dispatchEntry = (): BenchEntry => {
  const calls = DISPATCH_RUNS + 1 // the harness's warm-up call, then the measured runs
  let receiver: Child | undefined
  let runtime:
    | ManagedRuntime.ManagedRuntime<Notifier.Notifier | Outbox.Outbox | Delivery.Deliveries, unknown>
    | undefined
  const dispatchers: Array<Dispatcher.DispatcherShape> = []
  const batches: Array<ReadonlyArray<Notifier.Notification>> = []
  const expected: Array<string> = []
  let oursCall = 0
  let baselineCall = 0
  return {
    id: "notify.webhook.dispatch",
    unit: `${DISPATCH_EVENTS.toLocaleString("en")} events → webhooks (SQLite, ${CONCURRENCY} in flight)`,
    target: 0.7,
    runs: DISPATCH_RUNS,
    setup: async () => {
      const started = await spawnChild("receiver")
      receiver = started.child
      const url = started.url!
      const live = ManagedRuntime.make(
        Layer.mergeAll(sqlPorts, pipelineLayer(url)).pipe(Layer.provideMerge(sqliteLayerTest({ migrations })))
      )
      runtime = live
      for (let k = 0; k < calls; k++) {
        // ours: one tenant (and one dispatcher) per call, its backlog appended now
        const tenantId = TenantId.make(String(710_001 + k))
        expected.push(...(await live.runPromise(appendBacklog(tenantId, DISPATCH_EVENTS))))
        dispatchers.push(
          await live.runPromise(
            Dispatcher.make({
              tenants: [tenantId],
              workerId: `bench-dispatch-${k}`,
              batchSize: BATCH_SIZE,
              concurrency: CONCURRENCY
            })
          )
        )
        // baseline: the same notifications, rendered now, under keys of their own
        const baselineTenant = TenantId.make(String(720_001 + k))
        const batch = await live.runPromise(
          Effect.forEach(
            Array.from({ length: DISPATCH_EVENTS }, (_, i) => reportData(i)),
            (data, i) =>
              Effect.map(
                Template.render(accepted, data, { locale: "zh-CN" }),
                (rendered) =>
                  new Notifier.Notification({
                    tenantId: baselineTenant,
                    channel: Notifier.Channel.make("webhook"),
                    recipient: url,
                    subject: rendered.subject,
                    body: rendered.body,
                    templateId: rendered.templateId,
                    data,
                    priority: "normal",
                    idempotencyKey: Delivery.idempotencyKey(baselineTenant, `event-${k}-${i}`, HUB, "webhook")
                  })
              )
          )
        )
        batches.push(batch)
        expected.push(...batch.map((notification) => notification.idempotencyKey))
      }
    },
    ours: async () => {
      const dispatcher = dispatchers[oursCall++]
      const counts = await runtime!.runPromise(dispatcher.drain())
      if (counts.expanded !== DISPATCH_EVENTS || counts.delivered !== DISPATCH_EVENTS) {
        throw new Error(`notify.webhook.dispatch: expanded ${counts.expanded}, delivered ${counts.delivered}`)
      }
    },
    baseline: () => {
      const batch = batches[baselineCall++]
      return runtime!.runPromise(
        Effect.flatMap(Notifier.Notifier, (webhook) =>
          Effect.forEach(batch, webhook.send, { concurrency: CONCURRENCY, discard: true })
        )
      )
    },
    teardown: async () => {
      try {
        if (receiver !== undefined && oursCall === calls && baselineCall === calls) {
          await checkReceived(receiver, expected, "notify.webhook.dispatch")
        }
      } finally {
        await runtime?.dispose()
        await receiver?.stop()
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// notify.webhook.two-workers (PostgreSQL)
// ---------------------------------------------------------------------------------------------

const BACKLOG = 20_000
/** The harness's warm-up calls drain a smaller backlog (their times are not reported). */
const WARM_UP_BACKLOG = 2_000
const pgUrl = process.env.GONGZHI_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const pgAvailable = async (): Promise<boolean> =>
  Effect.runPromise(
    Effect.scoped(
      PgStore.make({ url: Redacted.make(pgUrl), maxConnections: 1, connectTimeout: Duration.seconds(3) })
    ).pipe(
      Effect.as(true),
      Effect.catchAll(() => Effect.succeed(false))
    )
  )

const twoWorkersEntry = (): BenchEntry => {
  const scope = Effect.runSync(Scope.make())
  let receiver: Child | undefined
  let runtime: ManagedRuntime.ManagedRuntime<Outbox.Outbox, unknown> | undefined
  const workers: Array<Child> = []
  // per call: [warm-up, measured]; ours and the baseline each drain their own identical backlogs
  const oursBacklogs: Array<{ readonly tenantId: string; readonly total: number }> = []
  const baselineBacklogs: Array<{ readonly tenantId: string; readonly total: number }> = []
  const expected: Array<string> = []
  const splits: Array<string> = []
  let oursCall = 0
  let baselineCall = 0
  const drainWith = async (
    chosen: ReadonlyArray<Child>,
    backlog: { readonly tenantId: string; readonly total: number }
  ) => {
    const results = await Promise.all(
      chosen.map((worker) =>
        worker.request({ type: "drain", tenantId: backlog.tenantId, total: backlog.total }, "drained")
      )
    )
    const delivered = results.reduce((sum, result) => sum + result.delivered, 0)
    const expanded = results.reduce((sum, result) => sum + result.expanded, 0)
    if (delivered !== backlog.total || expanded !== backlog.total) {
      throw new Error(`notify.webhook.two-workers: expanded ${expanded}, delivered ${delivered} of ${backlog.total}`)
    }
    return results.map((result) => result.delivered)
  }
  return {
    id: "notify.webhook.two-workers",
    unit: `backlog of ${BACKLOG.toLocaleString("en")} webhooks on PostgreSQL (ours: 2 worker processes, baseline: 1)`,
    runs: 1,
    setup: async () => {
      const started = await spawnChild("receiver")
      receiver = started.child
      const url = started.url!
      const schema = await Effect.runPromise(Scope.extend(provisionSchema(Redacted.make(pgUrl)), scope))
      const live = ManagedRuntime.make(
        Outbox.layerSql.pipe(
          Layer.provideMerge(PgStore.layer({ url: Redacted.make(pgUrl), schema, maxConnections: 4, migrations }))
        )
      )
      runtime = live
      let tenant = 730_001
      for (const [list, sizes] of [
        [oursBacklogs, [WARM_UP_BACKLOG, BACKLOG]],
        [baselineBacklogs, [WARM_UP_BACKLOG, BACKLOG]]
      ] as const) {
        for (const total of sizes) {
          const tenantId = TenantId.make(String(tenant++))
          expected.push(...(await live.runPromise(appendBacklog(tenantId, total))))
          list.push({ tenantId, total })
        }
      }
      for (const name of ["a", "b"]) {
        const worker = await spawnChild("worker", {
          GONGZHI_BENCH_WORKER_ID: `bench-worker-${name}`,
          GONGZHI_BENCH_PG_URL_RESOLVED: pgUrl,
          GONGZHI_BENCH_PG_SCHEMA: schema,
          GONGZHI_BENCH_RECEIVER_URL: url
        })
        workers.push(worker.child)
      }
    },
    ours: async () => {
      const split = await drainWith(workers, oursBacklogs[oursCall++])
      splits.push(split.join(" + "))
    },
    baseline: () => drainWith([workers[0]], baselineBacklogs[baselineCall++]),
    teardown: async () => {
      try {
        if (receiver !== undefined && oursCall === 2 && baselineCall === 2) {
          await checkReceived(receiver, expected, "notify.webhook.two-workers")
          console.log(`notify.webhook.two-workers: deliveries per worker (warm-up, measured): ${splits.join("; ")}`)
        }
      } finally {
        await Promise.all(workers.map((worker) => worker.stop()))
        await runtime?.dispose()
        await receiver?.stop()
        await Effect.runPromise(Scope.close(scope, Exit.void))
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

const makeEntries = async (): Promise<Array<BenchEntry>> => {
  if (role !== undefined) return []
  if (!(await pgAvailable())) {
    console.log("notify.webhook.two-workers: skipped, no PostgreSQL at GONGZHI_BENCH_PG_URL")
    return [dispatchEntry()]
  }
  return [dispatchEntry(), twoWorkersEntry()]
}

if (role === "receiver") runReceiver()
else if (role === "worker") await runWorker()

export const entries: Array<BenchEntry> = await makeEntries()
