/**
 * The typed errors every storage port and adapter fails with. Driver exceptions never escape
 * untyped: adapters wrap them into one of these.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A storage operation failed for a reason the caller cannot fix by changing its input
 * (connection lost, disk full, driver error). `retryable` says whether trying again may help.
 *
 * @since 0.1.0
 * @category errors
 */
export class StorageError extends Schema.TaggedError<StorageError>("@gongzhi/core/StorageError")("StorageError", {
  operation: Schema.String,
  reason: Schema.String,
  retryable: Schema.Boolean,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `存储操作失败（${this.operation}）：${this.reason} / storage operation failed`
  }
}

/**
 * An optimistic-concurrency conflict: the aggregate was changed by someone else since it was read
 * (its `version` is no longer the expected one). Reload and retry, or report the conflict.
 *
 * @since 0.1.0
 * @category errors
 */
export class VersionConflict extends Schema.TaggedError<VersionConflict>("@gongzhi/core/VersionConflict")(
  "VersionConflict",
  {
    entity: Schema.String,
    id: Schema.String,
    expectedVersion: Schema.Number,
    actualVersion: Schema.optional(Schema.Number)
  }
) {
  override get message(): string {
    const actual = this.actualVersion === undefined ? "记录不存在" : `当前版本 ${this.actualVersion}`
    return `数据已被他人修改：${this.entity} ${this.id} 期望版本 ${this.expectedVersion}，${actual}。请刷新后重试 / version conflict`
  }
}

/**
 * A uniqueness rule was violated (for instance the same resident ID registered twice in a district).
 *
 * @since 0.1.0
 * @category errors
 */
export class DuplicateKey extends Schema.TaggedError<DuplicateKey>("@gongzhi/core/DuplicateKey")("DuplicateKey", {
  entity: Schema.String,
  key: Schema.String
}) {
  override get message(): string {
    return `记录重复：${this.entity} 的 ${this.key} 已存在 / duplicate key`
  }
}

/**
 * A record that was asked for does not exist (in this tenant).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>("@gongzhi/core/NotFound")("NotFound", {
  entity: Schema.String,
  id: Schema.String
}) {
  override get message(): string {
    return `未找到记录：${this.entity} ${this.id} / not found`
  }
}
