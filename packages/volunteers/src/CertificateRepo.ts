/**
 * The certificate repository port (证明库): certificates of service records with their process
 * state; certificate numbers are unique per district and drawn from a per-year sequence.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import type * as Page from "@gongzhi/core/Page"
import * as Repository from "@gongzhi/core/Repository"
import type { DuplicateKey, StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Context, Effect, Layer, Option } from "effect"
import type { Certificate, CertificateStatus } from "./Certificate.js"
import * as Counter from "./internal/counter.js"
import { type Condition, where } from "./internal/filters.js"
import * as Tables from "./internal/tables.js"

/**
 * Conditions on certificates; `publicityEndsBefore` (a `YYYY-MM-DD` date, exclusive) finds those
 * whose publicity is over.
 *
 * @since 0.1.0
 * @category models
 */
export interface CertificateFilter {
  readonly volunteerId?: Condition<string>
  readonly teamId?: Condition<string>
  readonly regionCode?: Condition<string>
  readonly status?: Condition<CertificateStatus>
  readonly publicityEndsBefore?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface CertificateRepoShape {
  /** `DuplicateKey` with key `number` when the number is taken. */
  readonly insert: (
    certificate: Certificate
  ) => Effect.Effect<Repository.Versioned<Certificate>, DuplicateKey | StorageError>
  readonly get: (
    tenantId: TenantId,
    certificateId: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<Certificate>>, StorageError>
  readonly update: (
    certificate: Certificate,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<Certificate>, VersionConflict | DuplicateKey | StorageError>
  readonly findByNumber: (
    tenantId: TenantId,
    number: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<Certificate>>, StorageError>
  /** Certificates, latest application first. */
  readonly page: (
    tenantId: TenantId,
    options: {
      readonly filter?: CertificateFilter | undefined
      readonly limit: number
      readonly cursor?: string | undefined
    }
  ) => Effect.Effect<Page.Page<Repository.Versioned<Certificate>>, StorageError>
  /** Certificates matching the filter, in id order (at most `limit`, default 1000). */
  readonly find: (
    tenantId: TenantId,
    filter: CertificateFilter,
    limit?: number
  ) => Effect.Effect<ReadonlyArray<Repository.Versioned<Certificate>>, StorageError>
  readonly count: (tenantId: TenantId, filter?: CertificateFilter) => Effect.Effect<number, StorageError>
  readonly countBy: (
    tenantId: TenantId,
    column: "status" | "team_id" | "region_code",
    filter?: CertificateFilter
  ) => Effect.Effect<ReadonlyArray<Repository.GroupCount>, StorageError>
  /** The next certificate sequence number of a district in a year (1, 2, 3, …). */
  readonly nextSequence: (tenantId: TenantId, year: number) => Effect.Effect<number, VersionConflict | StorageError>
}

/**
 * The certificate repository port.
 *
 * @since 0.1.0
 * @category tags
 */
export class CertificateRepo extends Context.Tag("@gongzhi/volunteers/CertificateRepo")<
  CertificateRepo,
  CertificateRepoShape
>() {}

const toFilter = (filter: CertificateFilter | undefined) =>
  where({
    volunteer_id: filter?.volunteerId,
    team_id: filter?.teamId,
    region_code: filter?.regionCode,
    status: filter?.status,
    publicity_ends_on: filter?.publicityEndsBefore === undefined ? undefined : { lt: filter.publicityEndsBefore }
  })

/**
 * Builds the port from a repository constructor (memory or SQL).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R>(
  build: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, never, R>
): Effect.Effect<CertificateRepoShape, never, R> =>
  Effect.gen(function* () {
    const certificates = yield* build(Tables.certificates)
    const counters = yield* build(Tables.counters)
    return {
      insert: (certificate) => certificates.insert(certificate.tenantId, certificate),
      get: (tenantId, id) => certificates.get(tenantId, id),
      update: (certificate, version) => certificates.update(certificate.tenantId, certificate, version),
      findByNumber: (tenantId, number) =>
        Effect.map(certificates.find(tenantId, { number }, 1), (rows) => Option.fromNullable(rows[0])),
      page: (tenantId, options) =>
        certificates.page(tenantId, {
          where: toFilter(options.filter),
          orderBy: "applied_at",
          direction: "desc",
          limit: options.limit,
          cursor: options.cursor
        }),
      find: (tenantId, filter, limit) => certificates.find(tenantId, toFilter(filter), limit ?? 1000),
      count: (tenantId, filter) => certificates.count(tenantId, toFilter(filter)),
      countBy: (tenantId, column, filter) => certificates.countBy(tenantId, column, toFilter(filter)),
      nextSequence: (tenantId, year) => Counter.next(counters, tenantId, `certificate-number:${year}`)
    }
  })

/**
 * The in-memory implementation (reference; joins memory transactions).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CertificateRepo> = Layer.effect(CertificateRepo, make(Repository.makeMemory))

/**
 * The SQL implementation (SQLite, PostgreSQL, MySQL/MariaDB) over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<CertificateRepo, never, SqlClient.SqlClient> = Layer.effect(
  CertificateRepo,
  make(Repository.makeSql)
)
