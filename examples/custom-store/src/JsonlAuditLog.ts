/**
 * A third-party `AuditLog` adapter (审计日志适配器示例): each tenant's chain is an append-only JSON Lines
 * file `<directory>/<tenantId>.jsonl`, one entry per line, synced to disk (`fsync`) before `append`
 * returns. The hash chain itself comes from `@gongzhi/core`: `link` numbers and hashes a new entry
 * after the chain head, `verifyPages` walks the chain and reports the first broken entry, so the
 * adapter only stores and reads lines.
 *
 * A file cannot take part in a database transaction. This adapter joins the in-memory transactor
 * (`Transactor.layerMemory`): it registers an undo with `Transactor.registerRollback`, so an entry
 * appended in a transaction that fails is cut off the file again. One process owns the directory.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Page from "@gongzhi/core/Page"
import { StorageError } from "@gongzhi/core/StorageError"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { Effect, Layer, Option, Schema } from "effect"

/**
 * @since 0.1.0
 * @category models
 */
export interface JsonlAuditLogOptions {
  /** The directory of the chain files (created if missing). */
  readonly directory: string
}

/**
 * One line of a chain file: the entry with its time as an ISO string (what `hashEntry` hashes).
 *
 * @since 0.1.0
 * @category models
 */
export const Line = Schema.parseJson(Schema.Struct({ ...AuditLog.AuditEntry.fields, recordedAt: Schema.Date }))

const encodeLine = Schema.encodeSync(Line)
const decodeLine = Schema.decodeUnknown(Line)
const isTenantId = Schema.is(TenantId)

/**
 * The chain file of a tenant.
 *
 * @since 0.1.0
 * @category constructors
 */
export const chainFile = (directory: string, tenantId: TenantId): string => Path.join(directory, `${tenantId}.jsonl`)

const storageError = (operation: string) => (cause: unknown) =>
  new StorageError({
    operation,
    reason: cause instanceof Error ? cause.message : String(cause),
    retryable: false,
    cause
  })

/** The lines of a chain file, decoded (a missing file is an empty chain). */
const readChain = (file: string): Effect.Effect<ReadonlyArray<AuditLog.AuditEntry>, StorageError> =>
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({
      try: () => Fs.promises.readFile(file, "utf8"),
      catch: (cause) => cause
    }).pipe(
      Effect.catchIf(
        (cause) => (cause as { readonly code?: unknown }).code === "ENOENT",
        () => Effect.succeed("")
      ),
      Effect.mapError(storageError("auditLog.read"))
    )
    const lines = text.split("\n").filter((line) => line.length > 0)
    return yield* Effect.forEach(lines, (line, index) =>
      decodeLine(line).pipe(
        Effect.map((fields) => new AuditLog.AuditEntry(fields)),
        Effect.mapError(
          (error) =>
            new StorageError({
              operation: "auditLog.read",
              reason: `${Path.basename(file)} 第 ${index + 1} 行无法解析 / line ${index + 1} is not an audit entry`,
              retryable: false,
              cause: error
            })
        )
      )
    )
  })

/** Appends one line and syncs the file (and, for a new file, its directory) to disk; returns the offset. */
const appendDurably = (file: string, line: string): Effect.Effect<number, StorageError> =>
  Effect.tryPromise({
    try: async () => {
      const handle = await Fs.promises.open(file, "a")
      try {
        const offset = (await handle.stat()).size
        await handle.appendFile(line, "utf8")
        await handle.sync()
        if (offset === 0) {
          const directory = await Fs.promises.open(Path.dirname(file), "r")
          await directory.sync().finally(() => directory.close())
        }
        return offset
      } finally {
        await handle.close()
      }
    },
    catch: storageError("auditLog.append")
  })

/**
 * Cuts an entry appended at `offset` off its file again (rollback of a failed transaction). When
 * later lines follow it, only its own line is removed, as the in-memory reference does.
 */
const cutOff = (file: string, offset: number, line: string) => {
  try {
    const size = Fs.statSync(file).size
    if (size === offset + Buffer.byteLength(line)) {
      Fs.truncateSync(file, offset)
    } else {
      const kept = Fs.readFileSync(file, "utf8").replace(line, "")
      Fs.writeFileSync(file, kept, "utf8")
    }
  } catch {
    // the file is gone or unreadable: there is nothing left to undo
  }
}

/**
 * Builds the adapter on a directory (created if missing).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: JsonlAuditLogOptions): Effect.Effect<AuditLog.AuditLogShape, StorageError> =>
  Effect.gen(function* () {
    const directory = Path.resolve(options.directory)
    yield* Effect.tryPromise({
      try: () => Fs.promises.mkdir(directory, { recursive: true }),
      catch: storageError("auditLog.open")
    })
    // appends queue up, so that two appends never link to the same head
    const lock = yield* Effect.makeSemaphore(1)
    const heads = new Map<TenantId, { readonly sequence: number; readonly hash: string }>()

    const headOf = (tenantId: TenantId) => {
      const cached = heads.get(tenantId)
      if (cached !== undefined) return Effect.succeed(Option.some(cached))
      return Effect.map(readChain(chainFile(directory, tenantId)), (entries) => Option.fromNullable(entries.at(-1)))
    }

    const append: AuditLog.AuditLogShape["append"] = (input) =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          // an invalid tenant id never becomes a file name: `link` rejects the input first
          const head = isTenantId(input.tenantId) ? Option.getOrUndefined(yield* headOf(input.tenantId)) : undefined
          const entry = yield* AuditLog.link(input, head)
          const file = chainFile(directory, entry.tenantId)
          const line = `${encodeLine(entry)}\n`
          return yield* Effect.uninterruptible(
            Effect.gen(function* () {
              const offset = yield* appendDurably(file, line)
              heads.set(entry.tenantId, { sequence: entry.sequence, hash: entry.hash })
              yield* Transactor.registerRollback(() => {
                cutOff(file, offset, line)
                heads.delete(entry.tenantId)
              })
              return entry
            })
          )
        })
      )

    const list: AuditLog.AuditLogShape["list"] = (tenantId, options) =>
      Effect.gen(function* () {
        if (!isTenantId(tenantId)) return Page.make([], undefined)
        const entries = yield* readChain(chainFile(directory, tenantId))
        const start = options.cursor === undefined ? 0 : Number(options.cursor)
        if (!Number.isSafeInteger(start) || start < 0) {
          return yield* new StorageError({
            operation: "auditLog.list",
            reason: "分页游标无效 / invalid cursor",
            retryable: false
          })
        }
        const items = entries.slice(start, start + options.limit)
        const end = start + items.length
        return Page.make(items, end < entries.length ? String(end) : undefined)
      })

    const verify: AuditLog.AuditLogShape["verify"] = (tenantId) =>
      AuditLog.verifyPages((cursor) => list(tenantId, { limit: 500, cursor }))

    return { append, list, verify }
  })

/**
 * The adapter as the `AuditLog` of an application.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { Outbox, Transactor } from "@gongzhi/core"
 * import { Layer } from "effect"
 * import * as JsonlAuditLog from "./JsonlAuditLog.js"
 *
 * const StoreLive = Layer.mergeAll(
 *   Transactor.layerMemory,
 *   Outbox.layerMemory,
 *   JsonlAuditLog.layer({ directory: "/var/lib/gongzhi/audit" })
 * )
 */
export const layer = (options: JsonlAuditLogOptions): Layer.Layer<AuditLog.AuditLog, StorageError> =>
  Layer.effect(AuditLog.AuditLog, make(options))
