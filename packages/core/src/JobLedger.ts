/**
 * The job ledger (定时任务台账): which scheduled job ran for which slot, so that a job runs once per slot however
 * many workers are up. A slot is the period a run covers — a China date for a daily job, a month for a monthly
 * one, a quarter-hour for a frequent one. A worker {@link JobLedgerShape.claim claims} `(job, slot)` before it
 * runs the job and {@link JobLedgerShape.finish finishes} it after:
 *
 * - the first claim of a slot wins; a second worker (or a second run of the same worker) gets `false` and skips;
 * - a claim is a lease: a worker that died mid-run leaves a `running` row whose lease runs out, and the next
 *   claim after that takes the slot over (the jobs themselves are idempotent, so a re-run finishes the work);
 * - a `failed` slot may be claimed again at once (the next tick retries it); a `done` slot never is.
 *
 * The ledger is core's repository (`gongzhi_job_runs`, core migration 5), so it lives in the district's database
 * next to the data the jobs change: two workers on two machines agree through it.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"
import * as Repository from "./Repository.js"
import type { StorageError } from "./StorageError.js"
import type { TenantId } from "./Tenant.js"

/**
 * The state of a slot: `running` (claimed, lease until `leaseUntil`), `done`, or `failed` (may be claimed again).
 *
 * @since 0.1.0
 * @category models
 */
export const RunStatus = Schema.Literal("running", "done", "failed")

/**
 * @since 0.1.0
 * @category models
 */
export type RunStatus = typeof RunStatus.Type

/**
 * One run of a job for one slot.
 *
 * @since 0.1.0
 * @category models
 */
export class JobRun extends Schema.Class<JobRun>("@gongzhi/core/JobRun")({
  jobId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(96)),
  slot: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(32)),
  status: RunStatus,
  /** The worker holding (or that last held) the slot. */
  workerId: Schema.String.pipe(Schema.maxLength(96)),
  /** How many times the slot was claimed (1 on the first run). */
  attempts: Schema.Int,
  startedAt: Schema.Date,
  leaseUntil: Schema.Date,
  finishedAt: Schema.optional(Schema.Date),
  /** What the run did, in words (no personal data), or why it failed. */
  summary: Schema.optional(Schema.String.pipe(Schema.maxLength(2000)))
}) {}

/**
 * The ledger's table, a core repository.
 *
 * @since 0.1.0
 * @category constructors
 */
export const definition = Repository.define({
  entity: "JobRun",
  table: "gongzhi_job_runs",
  schema: JobRun,
  id: (run) => `${run.jobId}@${run.slot}`,
  columns: {
    job_id: { type: "text", length: 96, get: (run) => run.jobId },
    status: { type: "text", length: 16, get: (run) => run.status }
  },
  indexes: [["job_id"]]
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ClaimInput {
  readonly tenantId: TenantId
  readonly jobId: string
  readonly slot: string
  readonly workerId: string
  readonly now: Date
  /** How long the claim holds before another worker may take the slot over. */
  readonly leaseMillis: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface JobLedgerShape {
  /** Claims `(job, slot)`: `true` when this worker may run it now, `false` when it is done or held by another. */
  readonly claim: (input: ClaimInput) => Effect.Effect<boolean, StorageError>
  /** Records the end of a run this worker claimed (ignored when the slot was taken over meanwhile). */
  readonly finish: (input: {
    readonly tenantId: TenantId
    readonly jobId: string
    readonly slot: string
    readonly workerId: string
    readonly now: Date
    readonly status: "done" | "failed"
    readonly summary: string
  }) => Effect.Effect<void, StorageError>
  /** The latest runs, newest first, optionally of one job. */
  readonly recent: (
    tenantId: TenantId,
    options?: { readonly jobId?: string | undefined; readonly limit?: number | undefined }
  ) => Effect.Effect<ReadonlyArray<JobRun>, StorageError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class JobLedger extends Context.Tag("@gongzhi/core/JobLedger")<JobLedger, JobLedgerShape>() {}

/**
 * Builds the ledger over a repository constructor (`Repository.makeMemory` or `Repository.makeSql`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<JobLedgerShape, never, R> =>
  Effect.map(build(definition), (repo) => {
    const claim = (input: ClaimInput): Effect.Effect<boolean, StorageError> =>
      Effect.gen(function* () {
        const id = `${input.jobId}@${input.slot}`
        const leaseUntil = new Date(input.now.getTime() + input.leaseMillis)
        const stored = yield* repo.get(input.tenantId, id)
        if (Option.isNone(stored)) {
          const run = new JobRun({
            jobId: input.jobId,
            slot: input.slot,
            status: "running",
            workerId: input.workerId,
            attempts: 1,
            startedAt: input.now,
            leaseUntil
          })
          // two workers inserting the same slot at once: one insert wins, the other sees DuplicateKey
          return yield* repo.insert(input.tenantId, run).pipe(
            Effect.as(true),
            Effect.catchTag("DuplicateKey", () => Effect.succeed(false))
          )
        }
        const current = stored.value.value
        const free =
          current.status === "failed" ||
          (current.status === "running" && current.leaseUntil.getTime() <= input.now.getTime())
        if (!free) return false
        const next = new JobRun({
          ...current,
          status: "running",
          workerId: input.workerId,
          attempts: current.attempts + 1,
          startedAt: input.now,
          leaseUntil,
          finishedAt: undefined,
          summary: undefined
        })
        // the version check makes a take-over race safe: the loser sees VersionConflict
        return yield* repo.update(input.tenantId, next, stored.value.version).pipe(
          Effect.as(true),
          Effect.catchTags({
            VersionConflict: () => Effect.succeed(false),
            DuplicateKey: () => Effect.succeed(false)
          })
        )
      })

    return {
      claim,
      finish: (input) =>
        Effect.gen(function* () {
          const stored = yield* repo.get(input.tenantId, `${input.jobId}@${input.slot}`)
          if (Option.isNone(stored)) return
          const current = stored.value.value
          if (current.status !== "running" || current.workerId !== input.workerId) return
          const next = new JobRun({
            ...current,
            status: input.status,
            finishedAt: input.now,
            summary: input.summary.slice(0, 2000)
          })
          yield* repo
            .update(input.tenantId, next, stored.value.version)
            .pipe(Effect.catchTags({ VersionConflict: () => Effect.void, DuplicateKey: () => Effect.void }))
        }),
      recent: (tenantId, options) =>
        Effect.map(repo.find(tenantId, options?.jobId === undefined ? {} : { job_id: options.jobId }, 10_000), (rows) =>
          rows
            .map((row) => row.value)
            .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
            .slice(0, options?.limit ?? 50)
        )
    }
  })

/**
 * The ledger in memory (tests, one process).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<JobLedger> = Layer.effect(JobLedger, make(Repository.makeMemory))

/**
 * The ledger in the district's database (needs core migration 5).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<JobLedger, never, SqlClient.SqlClient> = Layer.effect(
  JobLedger,
  make(Repository.makeSql)
)
