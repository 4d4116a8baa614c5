import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, ParseResult, Schema } from "effect"
import type * as AuditLog from "../../AuditLog.js"
import type {
  AuditEntry,
  AuditKeyringShape,
  AuditLogShape,
  AuditVerification,
  NewAuditEntry,
  VerifyOptions
} from "../../AuditLog.js"
import * as Page from "../../Page.js"
import { StorageError } from "../../StorageError.js"
import type { TenantId } from "../../Tenant.js"
import { canonicalJson } from "../canonicalJson.js"
import { fromSqlError, isSqlError, isUniqueViolation } from "../sqlError.js"
import { jsonText, limitLiteral, toMillis } from "./common.js"

interface AuditRow {
  readonly tenant_id: string
  readonly sequence: number | string | bigint
  readonly recorded_at: number | string | bigint
  readonly actor_kind: string
  readonly actor_id: string
  readonly action: string
  readonly target_type: string
  readonly target_id: string
  readonly details: string
  readonly prev_hash: string
  readonly hash: string
  readonly key_id: string | null
}

interface HeadRow {
  readonly sequence: number | string | bigint
  readonly hash: string
}

interface Head {
  readonly sequence: number
  readonly hash: string
}

/** How many times an append re-reads the head after losing a race on the primary key. */
const MAX_ATTEMPTS = 5
const VERIFY_PAGE = 500

/**
 * What this implementation takes from the public `AuditLog` module. It is passed in rather than
 * imported, so that `AuditLog.ts` can build `layerSql` from this file without an import cycle.
 */
export interface AuditLogModule {
  readonly AuditEntry: typeof AuditLog.AuditEntry
  readonly AuditInputError: typeof AuditLog.AuditInputError
  readonly GENESIS_HASH: string
  readonly NewAuditEntry: typeof AuditLog.NewAuditEntry
  readonly link: typeof AuditLog.link
  readonly verifyPages: typeof AuditLog.verifyPages
}

const toHead = (row: HeadRow | undefined): Head | undefined => {
  if (row === undefined) return undefined
  const sequence = Number(row.sequence)
  return sequence > 0 ? { sequence, hash: row.hash } : undefined
}

const toEntry = ({ AuditEntry }: AuditLogModule, row: AuditRow): AuditEntry =>
  new AuditEntry({
    tenantId: row.tenant_id as TenantId,
    sequence: Number(row.sequence),
    recordedAt: new Date(toMillis(row.recorded_at)),
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: JSON.parse(row.details) as unknown,
    prevHash: row.prev_hash,
    hash: row.hash,
    keyId: row.key_id ?? ""
  })

const toEntries = (module: AuditLogModule, rows: ReadonlyArray<AuditRow>) =>
  Effect.try({
    try: () => rows.map((row) => toEntry(module, row)),
    catch: (cause) =>
      new StorageError({
        operation: "auditLog.list",
        reason: "数据库中的审计记录无法解读 / stored audit row cannot be decoded",
        retryable: false,
        cause
      })
  })

const invalidPage = (reason: string) => new StorageError({ operation: "auditLog.list", reason, retryable: false })

/**
 * The audit log over `@effect/sql`: one implementation for SQLite, PostgreSQL and MySQL/MariaDB.
 *
 * An append runs in a transaction (a savepoint inside the caller's): it makes sure the tenant's row
 * in `gongzhi_audit_head` exists, locks it (`FOR UPDATE` on PostgreSQL and MySQL; SQLite has a
 * single writer), links the entry after the head it holds, inserts it and moves the head. Appends
 * of one tenant therefore queue on one row instead of racing. The primary key (tenant_id, sequence)
 * is the last line of defence: should the insert still collide (a head row behind the log), the
 * savepoint is rolled back and the append retried, reading the head from the log itself.
 */
export const make = (
  module: AuditLogModule,
  keyring?: AuditKeyringShape | undefined,
  verifyOptions: (tenantId: TenantId) => Effect.Effect<VerifyOptions, StorageError> = () => Effect.succeed({})
): Effect.Effect<AuditLogShape, never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const { AuditInputError, GENESIS_HASH, link, verifyPages } = module
    const decodeNew = Schema.decodeUnknown(module.NewAuditEntry)
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const details = jsonText(sql, "details")
    const columns = sql`tenant_id, sequence, recorded_at, actor_kind, actor_id, action, target_type, target_id, ${details} AS details, prev_hash, hash, key_id`
    const forUpdate = sql.onDialectOrElse({
      pg: () => sql.literal("FOR UPDATE"),
      mysql: () => sql.literal("FOR UPDATE"),
      orElse: () => sql.literal("")
    })
    const ensureHead = sql.onDialectOrElse({
      // on a duplicate key MySQL then takes an exclusive record lock (never a gap lock) on the head row
      mysql: () => (tenantId: string) =>
        sql`INSERT INTO gongzhi_audit_head (tenant_id, sequence, hash) VALUES (${tenantId}, 0, ${GENESIS_HASH})
        ON DUPLICATE KEY UPDATE sequence = sequence`,
      orElse: () => (tenantId: string) =>
        sql`INSERT INTO gongzhi_audit_head (tenant_id, sequence, hash) VALUES (${tenantId}, 0, ${GENESIS_HASH})
        ON CONFLICT (tenant_id) DO NOTHING`
    })

    const appendOnce = (input: typeof NewAuditEntry.Type, resync: boolean) =>
      sql.withTransaction(
        Effect.gen(function* () {
          const tenantId = input.tenantId
          yield* ensureHead(tenantId)
          const headRows = yield* sql<HeadRow>`SELECT sequence, hash FROM gongzhi_audit_head
          WHERE tenant_id = ${tenantId} ${forUpdate}`
          let head = toHead(headRows[0])
          if (resync) {
            const last = toHead(
              (yield* sql<HeadRow>`SELECT sequence, hash FROM gongzhi_audit_log WHERE tenant_id = ${tenantId}
              ORDER BY sequence DESC LIMIT 1 ${forUpdate}`)[0]
            )
            if (last !== undefined && last.sequence > (head?.sequence ?? 0)) head = last
          }
          const entry = yield* link(input, head, keyring)
          yield* sql`INSERT INTO gongzhi_audit_log ${sql.insert({
            tenant_id: entry.tenantId,
            sequence: entry.sequence,
            recorded_at: entry.recordedAt.getTime(),
            actor_kind: entry.actorKind,
            actor_id: entry.actorId,
            action: entry.action,
            target_type: entry.targetType,
            target_id: entry.targetId,
            details: canonicalJson(entry.details),
            prev_hash: entry.prevHash,
            hash: entry.hash,
            key_id: entry.keyId
          })}`
          yield* sql`UPDATE gongzhi_audit_head SET sequence = ${entry.sequence}, hash = ${entry.hash}
          WHERE tenant_id = ${tenantId}`
          return entry
        })
      )

    const appendWithRetry = (
      input: typeof NewAuditEntry.Type,
      attempt: number
    ): Effect.Effect<AuditEntry, SqlError | AuditLog.AuditInputError | StorageError> =>
      appendOnce(input, attempt > 1).pipe(
        Effect.catchIf(
          (error): error is SqlError => isSqlError(error) && isUniqueViolation(error),
          (error) =>
            attempt < MAX_ATTEMPTS
              ? appendWithRetry(input, attempt + 1)
              : new StorageError({
                  operation: "auditLog.append",
                  reason: "审计链头部竞争，重试次数已用尽 / audit chain head contention, retries exhausted",
                  retryable: true,
                  cause: error
                })
        )
      )

    const append: AuditLogShape["append"] = (raw) =>
      Effect.gen(function* () {
        const input = yield* Effect.mapError(
          decodeNew(raw),
          (error) => new AuditInputError({ detail: ParseResult.TreeFormatter.formatErrorSync(error) })
        )
        return yield* appendWithRetry(input, 1).pipe(
          Effect.mapError((error) => (isSqlError(error) ? fromSqlError("auditLog.append", error) : error))
        )
      })

    const list: AuditLogShape["list"] = (tenantId, options) =>
      Effect.gen(function* () {
        const limit = options.limit
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
          return yield* invalidPage("每页条数应在 1 到 10000 之间 / limit must be between 1 and 10000")
        }
        if (options.cursor !== undefined && !/^\d{1,15}$/.test(options.cursor)) {
          return yield* invalidPage("分页游标无效 / invalid cursor")
        }
        const after = options.cursor === undefined ? 0 : Number(options.cursor)
        const rows = yield* sql<AuditRow>`SELECT ${columns} FROM gongzhi_audit_log
        WHERE tenant_id = ${tenantId} AND sequence > ${after}
        ORDER BY sequence LIMIT ${limitLiteral(sql, limit + 1)}`.pipe(
          Effect.mapError((error) => fromSqlError("auditLog.list", error))
        )
        const items = yield* toEntries(module, rows.slice(0, limit))
        const next = rows.length > limit ? String(items[items.length - 1].sequence) : undefined
        return Page.make(items, next)
      })

    const verify: AuditLogShape["verify"] = (tenantId) =>
      Effect.gen(function* () {
        // the head first: whatever commits after it only adds entries beyond it
        const head = toHead(
          (yield* sql<HeadRow>`SELECT sequence, hash FROM gongzhi_audit_head WHERE tenant_id = ${tenantId}`.pipe(
            Effect.mapError((error) => fromSqlError("auditLog.verify", error))
          ))[0]
        )
        const options = yield* verifyOptions(tenantId)
        let hashAtHead: string | undefined
        const result = yield* verifyPages(
          (cursor) =>
            Effect.tap(list(tenantId, { limit: VERIFY_PAGE, cursor }), (page) => {
              for (const entry of page.items) if (entry.sequence === head?.sequence) hashAtHead = entry.hash
            }),
          options
        )
        if (result._tag === "Tampered" || head === undefined) return result
        if (result.count < head.sequence) {
          return tampered(
            result.count + 1,
            "gap",
            `审计链第 ${result.count + 1} 条至第 ${head.sequence} 条缺失（链尾被截断）`
          )
        }
        if (hashAtHead !== head.hash) {
          return tampered(head.sequence, "hash", `审计链第 ${head.sequence} 条与记录的链头哈希不符（被改动）`)
        }
        return result
      })

    return { append, list, verify }
  })

const tampered = (sequence: number, reason: "hash" | "gap", message: string): AuditVerification => ({
  _tag: "Tampered",
  sequence,
  reason,
  message
})
