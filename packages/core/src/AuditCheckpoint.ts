/**
 * Audit checkpoints (审计检查点): signed statements "the chain of tenant T had N entries and head
 * hash H at time t", written outside the database through the {@link CheckpointSink} port. Someone
 * who can rewrite the database can cut entries off the end of a keyed chain and move its head, which
 * no walk of the database alone can notice; the last checkpoint can. `AuditLog.checkpoint` writes
 * one, and `verify` compares the chain with the latest one when a sink is configured.
 *
 * The file sink appends one JSON line per checkpoint to a file created with mode 0600; keep that
 * file on another machine or on write-once storage (a log shipper, an object store with retention),
 * where the database's administrators cannot edit it.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { StorageError } from "./StorageError.js"
import { TenantId } from "./Tenant.js"

/**
 * A signed checkpoint: the chain's length and head hash at `recordedAt`, with the HMAC-SHA256 of
 * these fields under the audit key `keyId`.
 *
 * @since 0.1.0
 * @category models
 */
export class Checkpoint extends Schema.Class<Checkpoint>("@gongzhi/core/AuditCheckpoint")({
  tenantId: TenantId,
  sequence: Schema.Int.pipe(Schema.nonNegative()),
  headHash: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)),
  recordedAt: Schema.Date,
  keyId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(32)),
  mac: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/))
}) {}

/**
 * Where checkpoints go: somewhere the database's administrators cannot rewrite.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckpointSinkShape {
  /** Appends a checkpoint. */
  readonly write: (checkpoint: Checkpoint) => Effect.Effect<void, StorageError>
  /** The latest checkpoint of a tenant (highest sequence), if any. */
  readonly latest: (tenantId: TenantId) => Effect.Effect<Option.Option<Checkpoint>, StorageError>
}

/**
 * The checkpoint-sink port.
 *
 * @since 0.1.0
 * @category tags
 */
export class CheckpointSink extends Context.Tag("@gongzhi/core/CheckpointSink")<
  CheckpointSink,
  CheckpointSinkShape
>() {}

const encodeLine = Schema.encodeSync(Schema.parseJson(Checkpoint))
const decodeLine = Schema.decodeUnknownOption(Schema.parseJson(Checkpoint))

const latestOf = (checkpoints: Iterable<Checkpoint>, tenantId: TenantId): Option.Option<Checkpoint> => {
  let best: Checkpoint | undefined
  for (const checkpoint of checkpoints) {
    if (checkpoint.tenantId === tenantId && (best === undefined || checkpoint.sequence >= best.sequence)) {
      best = checkpoint
    }
  }
  return Option.fromNullable(best)
}

/**
 * A sink appending JSON lines (`{"tenantId":…,"sequence":…,"headHash":…,"recordedAt":…,"keyId":…,"mac":…}`)
 * to `path`, created with mode 0600. Lines that do not decode are skipped when reading.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeFile = (path: string): CheckpointSinkShape => ({
  write: (checkpoint) =>
    Effect.tryPromise({
      try: () => Fs.appendFile(path, `${encodeLine(checkpoint)}\n`, { mode: 0o600, flag: "a" }),
      catch: (cause) =>
        new StorageError({
          operation: "auditCheckpoint.write",
          reason: "无法写入审计检查点文件 / cannot append to the checkpoint file",
          retryable: true,
          cause
        })
    }),
  latest: (tenantId) =>
    Effect.tryPromise({
      try: () => Fs.readFile(path, "utf8"),
      catch: (cause) => cause as NodeJS.ErrnoException
    }).pipe(
      Effect.map((text) =>
        latestOf(
          text.split("\n").flatMap((line) => Option.toArray(decodeLine(line))),
          tenantId
        )
      ),
      Effect.catchAll((error) =>
        error?.code === "ENOENT"
          ? Effect.succeed(Option.none())
          : Effect.fail(
              new StorageError({
                operation: "auditCheckpoint.latest",
                reason: "无法读取审计检查点文件 / cannot read the checkpoint file",
                retryable: true,
                cause: error
              })
            )
      )
    )
})

/**
 * The file sink as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFile = (path: string): Layer.Layer<CheckpointSink> => Layer.succeed(CheckpointSink, makeFile(path))

/**
 * An in-memory sink with its list of checkpoints (for tests).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (): { readonly sink: CheckpointSinkShape; readonly checkpoints: Array<Checkpoint> } => {
  const checkpoints: Array<Checkpoint> = []
  return {
    checkpoints,
    sink: {
      write: (checkpoint) => Effect.sync(() => void checkpoints.push(checkpoint)),
      latest: (tenantId) => Effect.sync(() => latestOf(checkpoints, tenantId))
    }
  }
}

/**
 * The in-memory sink as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CheckpointSink> = Layer.sync(CheckpointSink, () => makeMemory().sink)
