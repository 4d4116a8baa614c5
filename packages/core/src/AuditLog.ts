/**
 * The audit log (审计日志): append-only, one chain per tenant. Each entry carries the hash of the
 * previous one, so that changing, removing or inserting an entry anywhere breaks the chain from
 * that point on; `verify` finds the first entry where it breaks.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import type { SqlClient } from "@effect/sql"
import { Clock, Context, Effect, Layer, ParseResult, Schema } from "effect"
import { canonicalJson } from "./internal/canonicalJson.js"
import * as SqlAuditLog from "./internal/sql/auditLog.js"
import * as Page from "./Page.js"
import type { StorageError } from "./StorageError.js"
import { TenantId } from "./Tenant.js"
import { registerRollback } from "./Transactor.js"

/**
 * The hash that the first entry of a chain links to.
 *
 * @since 0.1.0
 * @category constructors
 */
export const GENESIS_HASH = "0".repeat(64)

/**
 * What is being recorded. `details` is JSON and must never hold plaintext personal data
 * (use masked values or blind indexes).
 *
 * @since 0.1.0
 * @category models
 */
export const NewAuditEntry = Schema.Struct({
  tenantId: TenantId,
  actorKind: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(32)),
  actorId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  action: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  targetType: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  targetId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  details: Schema.optionalWith(Schema.Unknown, { default: () => ({}) })
})

/**
 * @since 0.1.0
 * @category models
 */
export type NewAuditEntry = typeof NewAuditEntry.Encoded

/**
 * A stored audit entry with its place in the chain.
 *
 * @since 0.1.0
 * @category models
 */
export class AuditEntry extends Schema.Class<AuditEntry>("@gongzhi/core/AuditEntry")({
  tenantId: TenantId,
  sequence: Schema.Int,
  recordedAt: Schema.DateFromSelf,
  actorKind: Schema.String,
  actorId: Schema.String,
  action: Schema.String,
  targetType: Schema.String,
  targetId: Schema.String,
  details: Schema.Unknown,
  prevHash: Schema.String,
  hash: Schema.String
}) {}

/**
 * The result of {@link AuditLogShape.verify}: the chain is intact, or the first entry where it breaks
 * (`hash`: the entry's content does not match its hash; `link`: it does not point at the previous
 * entry's hash; `gap`: a sequence number is missing).
 *
 * @since 0.1.0
 * @category models
 */
export type AuditVerification =
  | { readonly _tag: "Intact"; readonly count: number; readonly headHash: string }
  | {
      readonly _tag: "Tampered"
      readonly sequence: number
      readonly reason: "hash" | "link" | "gap"
      readonly message: string
    }

/**
 * @since 0.1.0
 * @category errors
 */
export class AuditInputError extends Schema.TaggedError<AuditInputError>("@gongzhi/core/AuditInputError")(
  "AuditInputError",
  { detail: Schema.String }
) {
  override get message(): string {
    return `审计记录参数无效：${this.detail}`
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface AuditLogShape {
  /** Appends an entry at the head of the tenant's chain (in the caller's transaction). */
  readonly append: (entry: NewAuditEntry) => Effect.Effect<AuditEntry, StorageError | AuditInputError>
  /** Reads entries in chain order, from the first, `limit` at a time. */
  readonly list: (
    tenantId: TenantId,
    options: { readonly limit: number; readonly cursor?: string | undefined }
  ) => Effect.Effect<Page.Page<AuditEntry>, StorageError>
  /** Walks the whole chain and reports the first broken entry. */
  readonly verify: (tenantId: TenantId) => Effect.Effect<AuditVerification, StorageError>
}

/**
 * The audit-log port.
 *
 * @since 0.1.0
 * @category tags
 */
export class AuditLog extends Context.Tag("@gongzhi/core/AuditLog")<AuditLog, AuditLogShape>() {}

/**
 * The hash of an entry: SHA-256 over the canonical JSON of its content and the previous hash.
 *
 * @since 0.1.0
 * @category constructors
 */
export const hashEntry = (entry: Omit<AuditEntry, "hash">): string =>
  createHash("sha256")
    .update(
      canonicalJson([
        entry.tenantId,
        entry.sequence,
        entry.recordedAt.toISOString(),
        entry.actorKind,
        entry.actorId,
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.details,
        entry.prevHash
      ])
    )
    .digest("hex")

const decodeNew = Schema.decodeUnknown(NewAuditEntry)

/**
 * Decodes an entry and links it after `head` (undefined for the first): shared by every implementation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const link = (
  input: NewAuditEntry,
  head: { readonly sequence: number; readonly hash: string } | undefined
): Effect.Effect<AuditEntry, AuditInputError> =>
  Effect.gen(function* () {
    const entry = yield* Effect.mapError(
      decodeNew(input),
      (error) => new AuditInputError({ detail: ParseResult.TreeFormatter.formatErrorSync(error) })
    )
    const now = yield* Clock.currentTimeMillis
    // normalise details through JSON so that what is hashed is exactly what a store keeps
    const details = yield* Effect.try({
      try: () => JSON.parse(canonicalJson(entry.details)) as unknown,
      catch: () => new AuditInputError({ detail: "details 无法编码为 JSON / details are not JSON-serialisable" })
    })
    const unhashed = {
      ...entry,
      details,
      sequence: head === undefined ? 1 : head.sequence + 1,
      recordedAt: new Date(now),
      prevHash: head?.hash ?? GENESIS_HASH
    }
    return new AuditEntry({ ...unhashed, hash: hashEntry(unhashed) })
  })

/**
 * Verifies a chain read in order, page by page: shared by every implementation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const verifyPages = <E>(
  readPage: (cursor: string | undefined) => Effect.Effect<Page.Page<AuditEntry>, E>
): Effect.Effect<AuditVerification, E> =>
  Effect.gen(function* () {
    let expectedSequence = 1
    let prevHash = GENESIS_HASH
    let cursor: string | undefined
    do {
      const page = yield* readPage(cursor)
      for (const entry of page.items) {
        if (entry.sequence !== expectedSequence) {
          return tampered(
            expectedSequence,
            "gap",
            `审计链第 ${expectedSequence} 条缺失（下一条为第 ${entry.sequence} 条）`
          )
        }
        if (entry.prevHash !== prevHash) {
          return tampered(entry.sequence, "link", `审计链第 ${entry.sequence} 条未指向上一条的哈希`)
        }
        if (hashEntry(entry) !== entry.hash) {
          return tampered(entry.sequence, "hash", `审计链第 ${entry.sequence} 条内容与其哈希不符（被改动）`)
        }
        prevHash = entry.hash
        expectedSequence++
      }
      cursor = page.nextCursor
    } while (cursor !== undefined)
    return { _tag: "Intact", count: expectedSequence - 1, headHash: prevHash } as const
  })

const tampered = (sequence: number, reason: "hash" | "link" | "gap", message: string): AuditVerification => ({
  _tag: "Tampered",
  sequence,
  reason,
  message
})

/**
 * The in-memory audit log together with its raw storage, so tests can tamper with it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemoryWithStore: Effect.Effect<{
  readonly service: AuditLogShape
  readonly store: Map<string, Array<AuditEntry>>
}> = Effect.map(Effect.makeSemaphore(1), (lock) => {
  const store = new Map<string, Array<AuditEntry>>()
  const chain = (tenantId: string) => {
    let entries = store.get(tenantId)
    if (!entries) {
      entries = []
      store.set(tenantId, entries)
    }
    return entries
  }
  const service: AuditLogShape = {
    append: (input) =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          const entries = chain(String((input as { tenantId?: unknown }).tenantId))
          const entry = yield* link(input, entries[entries.length - 1])
          entries.push(entry)
          yield* registerRollback(() => {
            const index = entries.lastIndexOf(entry)
            if (index >= 0) entries.splice(index, 1)
          })
          return entry
        })
      ),
    list: (tenantId, options) =>
      Effect.sync(() => {
        const start = options.cursor === undefined ? 0 : Number(options.cursor)
        const entries = chain(tenantId)
        const items = entries.slice(start, start + options.limit)
        const end = start + items.length
        return Page.make(items, end < entries.length ? String(end) : undefined)
      }),
    verify: (tenantId) => verifyPages((cursor) => service.list(tenantId, { limit: 500, cursor }))
  }
  return { service, store }
})

/**
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<AuditLogShape> = Effect.map(makeMemoryWithStore, ({ service }) => service)

/**
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<AuditLog> = Layer.effect(AuditLog, makeMemory)

/**
 * The audit log over `@effect/sql`'s `SqlClient` (SQLite, PostgreSQL, MySQL/MariaDB; tables
 * `gongzhi_audit_log` and `gongzhi_audit_head` from `CoreMigrations`). Appends join the caller's
 * transaction and queue per tenant on the chain head, so concurrent appends never fork the chain;
 * `verify` also notices entries cut off the end of the chain.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<AuditLog, never, SqlClient.SqlClient> = Layer.effect(
  AuditLog,
  SqlAuditLog.make({ AuditEntry, AuditInputError, GENESIS_HASH, NewAuditEntry, link, verifyPages })
)

/**
 * Appends an entry through the `AuditLog` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const append = (entry: NewAuditEntry) => Effect.flatMap(AuditLog, (log) => log.append(entry))
