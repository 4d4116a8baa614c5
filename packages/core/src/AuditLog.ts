/**
 * The audit log (审计日志): append-only, one chain per tenant. Each entry carries the hash of the
 * previous one, so that changing, removing or inserting an entry anywhere breaks the chain from
 * that point on; `verify` finds the first entry where it breaks.
 *
 * With an {@link AuditKeyring} in context (keys held outside the database, as `Redacted` config)
 * each entry's hash is an HMAC-SHA256 under the current key, and its key id is stored with it: an
 * entry edited in the database and "re-hashed" with the public {@link hashEntry} no longer verifies.
 * With a `CheckpointSink` (`AuditCheckpoint`) as well, {@link checkpoint} exports signed
 * checkpoints outside the database and `verify` notices a chain cut back behind the latest one.
 * See docs/security.md for what this proves and what it does not.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import { Clock, Context, type Duration, Effect, Layer, Option, ParseResult, Schedule, Schema } from "effect"
import { Checkpoint, CheckpointSink } from "./AuditCheckpoint.js"
import * as Chain from "./internal/auditChain.js"
import { AuditKeyring, type AuditKeyringShape } from "./internal/auditKeyring.js"
import {
  AuditCheckpointError,
  AuditEntry,
  AuditInputError,
  type AuditTamperReason,
  type AuditVerification,
  GENESIS_HASH,
  NewAuditEntry
} from "./internal/auditLogSchema.js"
import { canonicalJson } from "./internal/canonicalJson.js"
import * as SqlAuditLog from "./internal/sql/auditLog.js"
import * as Page from "./Page.js"
import type { StorageError } from "./StorageError.js"
import type { TenantId } from "./Tenant.js"
import { registerRollback } from "./Transactor.js"

export {
  AuditKeyring,
  type AuditKeyringOptions,
  type AuditKeyringShape,
  layerKeyring,
  layerKeyringConfig,
  layerKeyringTest,
  makeKeyring
} from "./internal/auditKeyring.js"
export {
  AuditCheckpointError,
  AuditEntry,
  AuditInputError,
  AuditKeyError,
  type AuditTamperReason,
  type AuditVerification,
  GENESIS_HASH,
  NewAuditEntry
} from "./internal/auditLogSchema.js"

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
 * The public hash of an unkeyed entry: SHA-256 over the canonical JSON of its content and the
 * previous hash. Anyone can compute it, so on its own it proves nothing against someone who can
 * write to the database; a keyed chain uses {@link macEntry}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const hashEntry = (entry: Omit<AuditEntry, "hash" | "keyId">): string => Chain.sha256Entry(entry)

/**
 * The HMAC-SHA256 of an entry under the keyring's key `keyId` (`undefined` if it is not configured).
 *
 * @since 0.1.0
 * @category constructors
 */
export const macEntry = (
  entry: Omit<AuditEntry, "hash" | "keyId">,
  keyId: string,
  keyring: AuditKeyringShape
): string | undefined => keyring.mac(keyId, Chain.entryMessage(entry, keyId))

const decodeNew = Schema.decodeUnknown(NewAuditEntry)

/**
 * Decodes an entry and links it after `head` (undefined for the first): shared by every implementation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const link = (
  input: NewAuditEntry,
  head: { readonly sequence: number; readonly hash: string } | undefined,
  keyring?: AuditKeyringShape | undefined
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
    if (keyring === undefined) return new AuditEntry({ ...unhashed, hash: hashEntry(unhashed), keyId: "" })
    const keyId = keyring.currentKeyId
    return new AuditEntry({ ...unhashed, keyId, hash: macEntry(unhashed, keyId, keyring)! })
  })

/**
 * What a chain is verified against, besides itself: the keyring (keyed entries) and the latest
 * checkpoint exported outside the database.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerifyOptions {
  readonly keyring?: AuditKeyringShape | undefined
  readonly checkpoint?: Checkpoint | undefined
}

/**
 * Verifies a checkpoint's own signature.
 *
 * @since 0.1.0
 * @category constructors
 */
export const checkpointIsAuthentic = (checkpoint: Checkpoint, keyring: AuditKeyringShape): boolean => {
  const mac = keyring.mac(checkpoint.keyId, Chain.checkpointMessage(checkpoint))
  return mac !== undefined && Chain.sameHex(mac, checkpoint.mac)
}

/** Why one entry does not verify, or undefined. */
const entryProblem = (
  entry: AuditEntry,
  keyring: AuditKeyringShape | undefined,
  keyedBefore: boolean
): { readonly reason: AuditTamperReason; readonly message: string } | undefined => {
  const n = entry.sequence
  if (entry.keyId === "") {
    if (keyedBefore) return { reason: "key", message: `审计链第 ${n} 条未签名，而之前的条目已签名（被替换）` }
    if (keyring !== undefined && !keyring.allowUnkeyed) {
      return { reason: "key", message: `审计链第 ${n} 条未用审计密钥签名（已启用密钥的审计链不接受未签名条目）` }
    }
    return hashEntry(entry) === entry.hash
      ? undefined
      : { reason: "hash", message: `审计链第 ${n} 条内容与其哈希不符（被改动）` }
  }
  if (keyring === undefined) {
    return { reason: "key", message: `审计链第 ${n} 条由审计密钥 ${entry.keyId} 签名，但未配置审计密钥，无法验证` }
  }
  const mac = macEntry(entry, entry.keyId, keyring)
  if (mac === undefined) {
    return { reason: "key", message: `审计链第 ${n} 条所用审计密钥 ${entry.keyId} 未配置，无法验证` }
  }
  return Chain.sameHex(mac, entry.hash)
    ? undefined
    : { reason: "hash", message: `审计链第 ${n} 条内容与其签名不符（被改动）` }
}

/**
 * Verifies a chain read in order, page by page, and then against the checkpoint if one is given:
 * shared by every implementation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const verifyPages = <E>(
  readPage: (cursor: string | undefined) => Effect.Effect<Page.Page<AuditEntry>, E>,
  options: VerifyOptions = {}
): Effect.Effect<AuditVerification, E> =>
  Effect.gen(function* () {
    const { checkpoint, keyring } = options
    if (checkpoint !== undefined && (keyring === undefined || !checkpointIsAuthentic(checkpoint, keyring))) {
      return tampered(
        checkpoint.sequence,
        "checkpoint",
        `审计检查点（第 ${checkpoint.sequence} 条）的签名无效，或其审计密钥 ${checkpoint.keyId} 未配置`
      )
    }
    let expectedSequence = 1
    let prevHash = GENESIS_HASH
    let keyedBefore = false
    let hashAtCheckpoint: string | undefined = checkpoint?.sequence === 0 ? GENESIS_HASH : undefined
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
        const problem = entryProblem(entry, keyring, keyedBefore)
        if (problem !== undefined) return tampered(entry.sequence, problem.reason, problem.message)
        keyedBefore = keyedBefore || entry.keyId !== ""
        if (entry.sequence === checkpoint?.sequence) hashAtCheckpoint = entry.hash
        prevHash = entry.hash
        expectedSequence++
      }
      cursor = page.nextCursor
    } while (cursor !== undefined)
    const count = expectedSequence - 1
    if (checkpoint !== undefined) {
      if (count < checkpoint.sequence) {
        return tampered(
          count + 1,
          "checkpoint",
          `审计链只有 ${count} 条，而 ${checkpoint.recordedAt.toISOString()} 的检查点记录了 ${checkpoint.sequence} 条（链尾被截断）`
        )
      }
      if (hashAtCheckpoint === undefined || !Chain.sameHex(hashAtCheckpoint, checkpoint.headHash)) {
        return tampered(
          checkpoint.sequence,
          "checkpoint",
          `审计链第 ${checkpoint.sequence} 条与检查点记录的哈希不符（此前的条目被改写）`
        )
      }
    }
    return checkpoint === undefined
      ? ({ _tag: "Intact", count, headHash: prevHash } as const)
      : ({ _tag: "Intact", count, headHash: prevHash, checkpoint: checkpoint.sequence } as const)
  })

const tampered = (sequence: number, reason: AuditTamperReason, message: string): AuditVerification => ({
  _tag: "Tampered",
  sequence,
  reason,
  message
})

/** The keyring and the latest checkpoint, from what the layer was built with. */
const chainContext = Effect.gen(function* () {
  const keyring = Option.getOrUndefined(yield* Effect.serviceOption(AuditKeyring))
  const sink = Option.getOrUndefined(yield* Effect.serviceOption(CheckpointSink))
  return {
    keyring,
    verifyOptions: (tenantId: TenantId) =>
      sink === undefined
        ? Effect.succeed<VerifyOptions>({ keyring })
        : Effect.map(sink.latest(tenantId), (latest) => ({ keyring, checkpoint: Option.getOrUndefined(latest) }))
  }
})

/**
 * The in-memory audit log over a given storage (several logs, e.g. with different keyrings, may
 * share one), so tests can tamper with it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemoryOn = (
  store: Map<string, Array<AuditEntry>>
): Effect.Effect<{
  readonly service: AuditLogShape
  readonly store: Map<string, Array<AuditEntry>>
}> =>
  Effect.gen(function* () {
    const lock = yield* Effect.makeSemaphore(1)
    const { keyring, verifyOptions } = yield* chainContext
    return memoryOn(store, lock, keyring, verifyOptions)
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
}> = Effect.suspend(() => makeMemoryOn(new Map()))

const memoryOn = (
  store: Map<string, Array<AuditEntry>>,
  lock: Effect.Semaphore,
  keyring: AuditKeyringShape | undefined,
  verifyOptions: (tenantId: TenantId) => Effect.Effect<VerifyOptions, StorageError>
) => {
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
          const entry = yield* link(input, entries[entries.length - 1], keyring)
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
    verify: (tenantId) =>
      Effect.flatMap(verifyOptions(tenantId), (options) =>
        verifyPages((cursor) => service.list(tenantId, { limit: 500, cursor }), options)
      )
  }
  return { service, store }
}

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
  Effect.flatMap(chainContext, ({ keyring, verifyOptions }) =>
    SqlAuditLog.make(
      { AuditEntry, AuditInputError, GENESIS_HASH, NewAuditEntry, link, verifyPages },
      keyring,
      verifyOptions
    )
  )
)

/**
 * Appends an entry through the `AuditLog` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const append = (entry: NewAuditEntry) => Effect.flatMap(AuditLog, (log) => log.append(entry))

/**
 * Verifies the tenant's chain and, when it is intact, signs a checkpoint of its head with the
 * current audit key and writes it to the `CheckpointSink`. A chain that does not verify is never
 * signed: the error says where it breaks.
 *
 * @since 0.1.0
 * @category accessors
 */
export const checkpoint = (
  tenantId: TenantId
): Effect.Effect<Checkpoint, AuditCheckpointError | StorageError, AuditLog | AuditKeyring | CheckpointSink> =>
  Effect.gen(function* () {
    const log = yield* AuditLog
    const keyring = yield* AuditKeyring
    const sink = yield* CheckpointSink
    const verification = yield* log.verify(tenantId)
    if (verification._tag === "Tampered") return yield* new AuditCheckpointError({ detail: verification.message })
    const content = {
      tenantId,
      sequence: verification.count,
      headHash: verification.headHash,
      recordedAt: new Date(yield* Clock.currentTimeMillis),
      keyId: keyring.currentKeyId
    }
    const signed = new Checkpoint({ ...content, mac: keyring.mac(content.keyId, Chain.checkpointMessage(content))! })
    yield* sink.write(signed)
    return signed
  }).pipe(Effect.withSpan("AuditLog.checkpoint"))

/**
 * Writes a checkpoint for each tenant every `interval`, for ever (fork it, or run it as a scheduled
 * job). A failing tenant is logged and does not stop the others.
 *
 * @since 0.1.0
 * @category accessors
 */
export const checkpointEvery = (
  tenantIds: ReadonlyArray<TenantId>,
  interval: Duration.DurationInput
): Effect.Effect<never, never, AuditLog | AuditKeyring | CheckpointSink> =>
  Effect.forEach(tenantIds, (tenantId) =>
    checkpoint(tenantId).pipe(
      Effect.catchAll((error) => Effect.logError(`审计检查点失败（${tenantId}）：${error.message}`))
    )
  ).pipe(Effect.schedule(Schedule.spaced(interval)), Effect.forever)
