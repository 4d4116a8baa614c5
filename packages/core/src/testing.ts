/**
 * Conformance suites (一致性测试) for the kernel's storage ports: every implementation of
 * `Transactor`, `Outbox` and `AuditLog` — memory, SQLite, PostgreSQL, MySQL/MariaDB, or your own
 * adapter — runs the same suites. They need `vitest` and `@effect/vitest` (optional peer
 * dependencies of `@gongzhi/core`) and register `describe` / `it` blocks when called.
 *
 * A backend describes one store: a `layer` that builds a FRESH, migrated store each time it is
 * provided and outputs the three ports, plus capability flags. SQL backends (`sql: true`) also
 * output `SqlClient`: the suites then read what was stored back through raw SQL, and tamper with the
 * audit tables the way someone with database access could. Tests use {@link freshTenant}, so suites
 * may share one database.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import * as AuditLog from "./AuditLog.js"
import * as auditLogConformance from "./internal/conformance/auditLog.js"
import * as deliveryPrivacy from "./internal/conformance/deliveryPrivacy.js"
import * as jobLedgerConformance from "./internal/conformance/jobLedger.js"
import * as kit from "./internal/conformance/kit.js"
import * as migrationConformance from "./internal/conformance/migrations.js"
import * as notifierConformance from "./internal/conformance/notifier.js"
import * as outboxConformance from "./internal/conformance/outbox.js"
import * as repositoryConformance from "./internal/conformance/repository.js"
import * as transactorConformance from "./internal/conformance/transactor.js"
import * as pipeline from "./internal/dispatcherSuite.js"
import * as Outbox from "./Outbox.js"
import type { TenantId } from "./Tenant.js"
import * as Transactor from "./Transactor.js"

/**
 * One backend the suites run against (see the module description).
 *
 * @since 0.1.0
 * @category testing
 */
export type Backend<ROut> = kit.Backend<ROut>

/**
 * The services a backend's layer must output for the kernel suites.
 *
 * @since 0.1.0
 * @category testing
 */
export type KernelPorts = transactorConformance.KernelPorts

/**
 * Direct access to an audit log's storage, for backends that are not SQL (`tamper: true`).
 *
 * @since 0.1.0
 * @category testing
 */
export type AuditTamperShape = kit.AuditTamperShape

/**
 * The tag under which a non-SQL backend offers {@link AuditTamperShape}.
 *
 * @since 0.1.0
 * @category testing
 */
export const AuditTamper: typeof kit.AuditTamper = kit.AuditTamper

/**
 * @since 0.1.0
 * @category testing
 */
export type AuditTamper = kit.AuditTamper

/**
 * A tenant id no other test of the run uses.
 *
 * @since 0.1.0
 * @category testing
 */
export const freshTenant: () => TenantId = kit.freshTenant

/**
 * Runs the Transactor suite: the state change (a test table on SQL backends), outbox events and
 * audit entry commit together and roll back together on failure, defect and interruption; nested
 * transactions join; concurrent transactions stay independent.
 *
 * @since 0.1.0
 * @category testing
 */
export const transactorSuite: (backend: Backend<KernelPorts>) => void = transactorConformance.transactorSuite

/**
 * Runs the Outbox suite: round trip and raw read-back, validation, claim limits, leases and their
 * expiry, complete/release by the leasing worker only, dead events, concurrent claimers (in parallel
 * when `concurrentWriters`), keyset pagination and tenant isolation.
 *
 * @since 0.1.0
 * @category testing
 */
export const outboxSuite: (backend: Backend<KernelPorts>) => void = outboxConformance.outboxSuite

/**
 * Runs the AuditLog suite: the hash chain, read-back, validation, pagination, tamper detection at the
 * right sequence (`hash`, `gap`), concurrent appends without gaps, and tenant isolation.
 *
 * @since 0.1.0
 * @category testing
 */
export const auditLogSuite: (backend: Backend<KernelPorts>) => void = auditLogConformance.auditLogSuite

/**
 * Runs the Transactor, Outbox and AuditLog suites on one backend.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * // packages/store-sqlite/test/kernelPorts.test.ts
 * import { AuditLog, Outbox, Transactor } from "@gongzhi/core"
 * import { kernelSuites } from "@gongzhi/core/testing"
 * import { Layer } from "effect"
 * import { mySqliteLayer } from "./helpers.js" // SqlClient on a fresh, migrated database
 *
 * kernelSuites({
 *   name: "sqlite",
 *   sql: true,
 *   concurrentWriters: false,
 *   layer: Layer.mergeAll(Transactor.layerSql, Outbox.layerSql, AuditLog.layerSql).pipe(
 *     Layer.provideMerge(mySqliteLayer)
 *   )
 * })
 */
export const kernelSuites = (backend: Backend<KernelPorts>): void => {
  transactorSuite(backend)
  outboxSuite(backend)
  auditLogSuite(backend)
}

/**
 * A backend for the Repository suite: a fresh store with its `Transactor`, and how to build a
 * repository for a definition on it.
 *
 * @since 0.1.0
 * @category testing
 */
export type RepositoryBackend<R> = repositoryConformance.RepositoryBackend<R>

/**
 * Runs the generic Repository suite (round trip, optimistic concurrency, uniqueness, rollback,
 * pagination, aggregations with day/week/month buckets in a time zone, tenant isolation) on a backend.
 *
 * @since 0.1.0
 * @category testing
 */
export const repositorySuite: <R>(backend: RepositoryBackend<R>) => void = repositoryConformance.repositorySuite

/**
 * A SQL backend for the migration suite: a layer giving a fresh, empty database with its `SqlClient`
 * and `Transactor` each time it is provided.
 *
 * @since 0.2.0
 * @category testing
 */
export type MigrationBackend = migrationConformance.MigrationBackend

/**
 * Runs the migration upgrade suite: a database created by a module's previous migrations and holding
 * data is upgraded by an appended migration (a column, its backfill from the documents, an index);
 * the column is filled, running the migrations again is a no-op, each change is idempotent on its
 * own, and the Repository suite passes on the upgraded table.
 *
 * @since 0.2.0
 * @category testing
 * @example
 * import { migrationSuite } from "@gongzhi/core/testing"
 * import { layerTest } from "@gongzhi/store-sqlite/testing"
 *
 * migrationSuite({ name: "SqliteStore", layer: layerTest({ migrations: [] }) })
 */
export const migrationSuite: (backend: MigrationBackend) => void = migrationConformance.migrationSuite

/**
 * The in-memory kernel ports (Transactor, Outbox, AuditLog) with the audit log's tampering access.
 *
 * @since 0.1.0
 * @category testing
 */
export const layerMemoryKernel: Layer.Layer<KernelPorts | AuditTamper> = Layer.mergeAll(
  Transactor.layerMemory,
  Outbox.layerMemory,
  Layer.effectContext(
    Effect.map(AuditLog.makeMemoryWithStore, ({ service, store }) => {
      const tamper: AuditTamperShape = {
        rewriteDetails: (tenantId, sequence, details) =>
          Effect.sync(() => {
            const entries = store.get(tenantId) ?? []
            const index = entries.findIndex((entry) => entry.sequence === sequence)
            if (index >= 0) entries[index] = new AuditLog.AuditEntry({ ...entries[index], details })
          }),
        remove: (tenantId, sequence) =>
          Effect.sync(() => {
            const entries = store.get(tenantId) ?? []
            const index = entries.findIndex((entry) => entry.sequence === sequence)
            if (index >= 0) entries.splice(index, 1)
          })
      }
      return Context.make(AuditLog.AuditLog, service).pipe(Context.add(kit.AuditTamper, tamper))
    })
  )
)

/**
 * The reference backend: the in-memory ports, fresh for every suite.
 *
 * @since 0.1.0
 * @category testing
 */
export const memoryBackend: Backend<KernelPorts | AuditTamper> = {
  name: "memory",
  layer: layerMemoryKernel,
  concurrentWriters: false,
  tamper: true
}

/**
 * A sample outbox event for a tenant (for adapters' own tests).
 *
 * @since 0.1.0
 * @category testing
 */
export const sampleEvent: (tenantId: TenantId, i: number, payload?: unknown) => Outbox.NewOutboxEvent = kit.sampleEvent

/**
 * A sample audit entry for a tenant (for adapters' own tests).
 *
 * @since 0.1.0
 * @category testing
 */
export const sampleAuditEntry: (tenantId: TenantId, i: number, details?: unknown) => AuditLog.NewAuditEntry =
  kit.sampleAuditEntry

/**
 * A notifier under test: its layer, and a probe reading what the receiving side really got.
 *
 * @since 0.1.0
 * @category testing
 */
export type NotifierBackend<R = never> = notifierConformance.NotifierBackend<R>

/**
 * @since 0.1.0
 * @category testing
 */
export type NotifierProbe = notifierConformance.NotifierProbe

/**
 * @since 0.1.0
 * @category testing
 */
export type ReceivedNotification = notifierConformance.ReceivedNotification

/**
 * Runs the Notifier suite: Chinese text arrives intact, receipts name the channel, the idempotency
 * key reaches the receiver, invalid input and failures are typed `NotifyError`s with the right
 * `retryable` (see docs/custom-notifier.md).
 *
 * @since 0.1.0
 * @category testing
 */
export const notifierSuite: <R>(backend: NotifierBackend<R>) => void = notifierConformance.notifierSuite

/**
 * The services a backend's layer must output for the notification pipeline suites.
 *
 * @since 0.1.0
 * @category testing
 */
export type PipelinePorts = pipeline.PipelinePorts

/**
 * A notifier that records what it was asked to send and can be told to fail.
 *
 * @since 0.1.0
 * @category testing
 */
export type Recorder = pipeline.Recorder

/**
 * @since 0.1.0
 * @category testing
 */
export const makeRecorder: (channel: string) => Recorder = pipeline.makeRecorder

/**
 * Runs the delivery-records suite (uniqueness by idempotency key, leased claims, retries, dead-letter).
 *
 * @since 0.1.0
 * @category testing
 */
export const deliveriesSuite = (backend: pipeline.PipelineBackend): void => {
  pipeline.deliveriesSuite(backend)
  deliveryPrivacy.deliveryPrivacySuite(backend)
}

/**
 * Runs the dispatcher suite (expand, send, retry with back-off, dead-letter, never twice, digest).
 *
 * @since 0.1.0
 * @category testing
 */
export const dispatcherSuite: typeof pipeline.dispatcherSuite = pipeline.dispatcherSuite

/**
 * A backend of the job-ledger suite: a fresh, migrated `JobLedger` each time it is provided.
 *
 * @since 0.1.0
 * @category testing
 */
export type JobLedgerBackend = jobLedgerConformance.JobLedgerBackend

/**
 * Runs the job-ledger suite: one claim wins a slot, `done` is final, `failed` and a run-out lease free it, a
 * stale worker's finish is ignored, and concurrent claims of one slot let exactly one worker through.
 *
 * @since 0.1.0
 * @category testing
 */
export const jobLedgerSuite: (backend: JobLedgerBackend) => void = jobLedgerConformance.jobLedgerSuite
