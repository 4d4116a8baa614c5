import { SqlClient } from "@effect/sql"
import type * as Repository from "@gongzhi/core/Repository"
import { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect } from "effect"
import type { CreditRecord } from "../CreditRecord.js"
import type { ShareLogEntry } from "../ServiceAccount.js"
import type { Subject } from "../Subject.js"

/** An active subject by identifier key, without its document. */
export interface SubjectKey {
  readonly id: string
  readonly identifierKey: string
  readonly kind: Subject["kind"]
}

/** What a list rule reads of a record (`CreditList.entriesByRule`), without the rest of the document. */
export type ListCandidate = Pick<
  CreditRecord,
  | "id"
  | "subjectId"
  | "recordType"
  | "polarity"
  | "state"
  | "findingDate"
  | "tier"
  | "documentNumber"
  | "sourceRecordId"
>

/** The records of these subjects in these states, optionally of these types, tiers, found since a day. */
export interface CandidateQuery {
  readonly subjectIds: ReadonlyArray<string>
  readonly states: ReadonlyArray<CreditRecord["state"]>
  readonly recordTypes?: ReadonlyArray<string> | undefined
  readonly tiers?: ReadonlyArray<string> | undefined
  readonly since?: string | undefined
}

/** The reads of the sharing interface's batch check: projections read with one statement each. */
export interface ShareReads {
  readonly activeSubjects: (
    tenantId: TenantId,
    identifierKeys: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyArray<SubjectKey>, StorageError>
  readonly listCandidates: (
    tenantId: TenantId,
    query: CandidateQuery
  ) => Effect.Effect<ReadonlyArray<ListCandidate>, StorageError>
  /** Which of these share-log ids are already written. */
  readonly loggedIds: (
    tenantId: TenantId,
    ids: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlySet<string>, StorageError>
}

const MAX_ROWS = 10_000_000

/** The reads over the repositories (any store; the memory store's). */
export const fromRepositories = (repositories: {
  readonly subjects: Repository.Repository<Subject>
  readonly records: Repository.Repository<CreditRecord>
  readonly shareLog: Repository.Repository<ShareLogEntry>
}): ShareReads => ({
  loggedIds: (tenantId, ids) =>
    ids.length === 0
      ? Effect.succeed(new Set())
      : Effect.map(
          repositories.shareLog.find(tenantId, { id: { in: ids } }, ids.length),
          (rows) => new Set(rows.map((r) => r.value.id))
        ),
  activeSubjects: (tenantId, keys) =>
    keys.length === 0
      ? Effect.succeed([])
      : Effect.map(
          repositories.subjects.find(tenantId, { identifier_key: { in: keys }, active_key: "1" }, keys.length),
          (rows) => rows.map(({ value: s }) => ({ id: s.id, identifierKey: s.identifierKey, kind: s.kind }))
        ),
  listCandidates: (tenantId, query) =>
    query.subjectIds.length === 0
      ? Effect.succeed([])
      : Effect.map(
          repositories.records.find(
            tenantId,
            {
              subject_id: { in: query.subjectIds },
              state: { in: query.states },
              ...(query.recordTypes === undefined ? {} : { record_type: { in: query.recordTypes } }),
              ...(query.since === undefined ? {} : { finding_date: { gte: query.since } })
            },
            MAX_ROWS
          ),
          (rows) =>
            rows.flatMap(({ value: r }) =>
              query.tiers === undefined || (r.tier !== undefined && query.tiers.includes(r.tier)) ? [r] : []
            )
        )
})

const failed = (operation: string) => (error: unknown) =>
  new StorageError({
    operation: `CreditStore.${operation}`,
    reason: error instanceof Error ? error.message : String(error),
    retryable: true
  })

/**
 * The reads on SQL: columns and the few document fields a list rule needs (no document decoded), with
 * the indexes of migration 12. SQL written once, the JSON access per dialect.
 */
export const makeSql: Effect.Effect<ShareReads, never, SqlClient.SqlClient> = Effect.map(SqlClient.SqlClient, (sql) => {
  const field = (name: string) =>
    sql.onDialectOrElse({
      pg: () => `doc->>'${name}'`,
      mysql: () => `JSON_UNQUOTE(JSON_EXTRACT(doc, '$.${name}'))`,
      orElse: () => `json_extract(doc, '$.${name}')`
    })
  const pg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
  const placeholders = (params: Array<unknown>, values: ReadonlyArray<unknown>) =>
    values
      .map((value) => {
        params.push(value)
        return pg ? `$${params.length}` : "?"
      })
      .join(", ")
  const select = <R extends object>(operation: string, text: string, params: ReadonlyArray<unknown>) =>
    Effect.mapError(Effect.withTracerEnabled(sql.unsafe<R>(text, params), false), failed(operation))
  const tier = field("tier")
  return {
    loggedIds: (tenantId, ids) =>
      Effect.suspend(() => {
        if (ids.length === 0) return Effect.succeed(new Set<string>())
        const params: Array<unknown> = []
        const text = `SELECT id FROM credit_share_log WHERE tenant_id = ${placeholders(params, [tenantId])} AND id IN (${placeholders(params, ids)})`
        return Effect.map(
          select<{ id: string }>("loggedIds", text, params),
          (rows) => new Set(rows.map((row) => row.id))
        )
      }),
    activeSubjects: (tenantId, keys) =>
      Effect.suspend(() => {
        if (keys.length === 0) return Effect.succeed([])
        const params: Array<unknown> = []
        const text = `SELECT id, identifier_key, kind FROM credit_subjects WHERE tenant_id = ${placeholders(params, [tenantId])} AND identifier_key IN (${placeholders(params, keys)}) AND active_key = '1'`
        return Effect.map(
          select<{ id: string; identifier_key: string; kind: SubjectKey["kind"] }>("activeSubjects", text, params),
          (rows) => rows.map((row) => ({ id: row.id, identifierKey: row.identifier_key, kind: row.kind }))
        )
      }),
    listCandidates: (tenantId, query) =>
      Effect.suspend(() => {
        if (query.subjectIds.length === 0) return Effect.succeed([])
        const params: Array<unknown> = []
        const where = [
          `tenant_id = ${placeholders(params, [tenantId])}`,
          `subject_id IN (${placeholders(params, query.subjectIds)})`,
          `state IN (${placeholders(params, query.states)})`
        ]
        if (query.recordTypes !== undefined) where.push(`record_type IN (${placeholders(params, query.recordTypes)})`)
        if (query.since !== undefined) where.push(`finding_date >= ${placeholders(params, [query.since])}`)
        if (query.tiers !== undefined) where.push(`${tier} IN (${placeholders(params, query.tiers)})`)
        const text = `SELECT id, subject_id, record_type, state, finding_date, source_record_id, ${tier} AS tier, ${field("polarity")} AS polarity, ${field("documentNumber")} AS document_number FROM credit_records WHERE ${where.join(" AND ")}`
        return Effect.map(
          select<{
            id: string
            subject_id: string
            record_type: string
            state: CreditRecord["state"]
            finding_date: string
            source_record_id: string
            tier: CreditRecord["tier"] | null
            polarity: CreditRecord["polarity"]
            document_number: string | null
          }>("listCandidates", text, params),
          (rows) =>
            rows.map(
              (row): ListCandidate => ({
                id: row.id,
                subjectId: row.subject_id,
                recordType: row.record_type,
                polarity: row.polarity,
                state: row.state,
                findingDate: row.finding_date as CreditRecord["findingDate"],
                sourceRecordId: row.source_record_id,
                ...(row.tier === null ? {} : { tier: row.tier }),
                ...(row.document_number === null ? {} : { documentNumber: row.document_number })
              })
            )
        )
      })
  }
})
