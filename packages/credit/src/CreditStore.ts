/**
 * The repository port of public credit (信用信息库): subjects (unique per identifier among active
 * subjects), records (unique per source unit and source record id), stored evaluations, received
 * batches, list entries by decision and the feedback of measures taken. `layerMemory` is the reference implementation; `layerSql` serves SQLite, PostgreSQL and
 * MySQL/MariaDB (tables from `CreditMigrations`).
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import * as Repository from "@gongzhi/core/Repository"
import { Context, Effect, Layer } from "effect"
import type { CreditRecord } from "./CreditRecord.js"
import type { Authorisation, InquiryLog } from "./Inquiry.js"
import * as ShareReads from "./internal/shareReads.js"
import * as Tables from "./internal/tables.js"
import type { ListDecision } from "./ListDecision.js"
import type { MeasureFeedback } from "./MeasureFeedback.js"
import type { Objection } from "./Objection.js"
import type { RepairApplication } from "./Repair.js"
import type { ApiKey, ServiceAccount, ShareLogEntry } from "./ServiceAccount.js"
import type { Subject } from "./Subject.js"

/**
 * A subject's stored evaluation.
 *
 * @since 0.1.0
 * @category models
 */
export const StoredEvaluation = Tables.StoredEvaluation

/**
 * @since 0.1.0
 * @category models
 */
export type StoredEvaluation = Tables.StoredEvaluation

/**
 * A received batch with its per-row report.
 *
 * @since 0.1.0
 * @category models
 */
export const StoredBatch = Tables.StoredBatch

/**
 * @since 0.1.0
 * @category models
 */
export type StoredBatch = Tables.StoredBatch

/**
 * The repositories of public credit.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreditStoreShape {
  readonly subjects: Repository.Repository<Subject>
  readonly records: Repository.Repository<CreditRecord>
  readonly evaluations: Repository.Repository<StoredEvaluation>
  readonly batches: Repository.Repository<StoredBatch>
  /** List entries by decision. */
  readonly listDecisions: Repository.Repository<ListDecision>
  /** Measures taken, as reported by the units that took them. */
  readonly measureFeedback: Repository.Repository<MeasureFeedback>
  /** Objections (异议) and their handling. */
  readonly objections: Repository.Repository<Objection>
  /** Credit repair applications (信用修复申请) and their decisions. */
  readonly repairs: Repository.Repository<RepairApplication>
  /** Inquiries (信用查询记录, with the number and hash of a report issued) and authorisations (查询授权). */
  readonly inquiries: Repository.Repository<InquiryLog>
  readonly authorisations: Repository.Repository<Authorisation>
  /** Service accounts of the sharing interface, their API keys (hashes) and the share log. */
  readonly serviceAccounts: Repository.Repository<ServiceAccount>
  readonly apiKeys: Repository.Repository<ApiKey>
  readonly shareLog: Repository.Repository<ShareLogEntry>
  /**
   * The batch check's reads (sharing interface): active subjects by identifier key and the records a
   * list rule reads, as projections. `make` answers them from the repositories; `layerSql` with one
   * indexed statement each, no document decoded.
   */
  readonly shareReads: ShareReadsShape
}

/**
 * The batch check's reads (see {@link CreditStoreShape.shareReads}).
 *
 * @since 0.2.0
 * @category models
 */
export type ShareReadsShape = ShareReads.ShareReads

/**
 * The repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class CreditStore extends Context.Tag("@gongzhi/credit/CreditStore")<CreditStore, CreditStoreShape>() {}

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<CreditStoreShape, never, R> =>
  Effect.map(
    Effect.all({
      subjects: build(Tables.subjects),
      records: build(Tables.records),
      evaluations: build(Tables.evaluations),
      batches: build(Tables.batches),
      listDecisions: build(Tables.listDecisions),
      measureFeedback: build(Tables.measureFeedback),
      serviceAccounts: build(Tables.serviceAccounts),
      apiKeys: build(Tables.apiKeys),
      shareLog: build(Tables.shareLog),
      objections: build(Tables.objections),
      repairs: build(Tables.repairs),
      inquiries: build(Tables.inquiries),
      authorisations: build(Tables.authorisations)
    }),
    (repositories) => ({ ...repositories, shareReads: ShareReads.fromRepositories(repositories) })
  )

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CreditStore> = Layer.effect(CreditStore, make(Repository.makeMemory))

/**
 * The SQL implementation over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<CreditStore, never, SqlClient.SqlClient> = Layer.effect(
  CreditStore,
  Effect.zipWith(make(Repository.makeSql), ShareReads.makeSql, (store, shareReads) => ({ ...store, shareReads }))
)
