/**
 * The typed errors of residents' concerns (民情诉求). Every message is written for a clerk or a resident (Chinese
 * first, English after " / ") and never carries a phone number.
 *
 * Failures have one meaning each: `InvalidInput` (core `Command`'s: the input), `Forbidden` (core `Authorization`: the permission,
 * the tenant or the region), `ReportNotFound`, `NotAssigned`, `MergeRejected`, `Workflow.TransitionNotAllowed`,
 * `Deadline.DeadlineUnavailable`, `FieldCipherError` (the contact could not be sealed or opened) and `StorageError`
 * (the database, including the outbox and the audit log: an event or entry they refuse is a `StorageError` too). A
 * version conflict is retried (`conflictRetries`) and surfaces as `VersionConflict` only when it persists.
 *
 * @since 0.1.0
 */
import type * as Authorization from "@gongzhi/core/Authorization"
import * as Command from "@gongzhi/core/Command"
import type * as FieldCipher from "@gongzhi/core/FieldCipher"
import type { DuplicateKey, StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import { Schema } from "effect"
import type * as Deadline from "./Deadline.js"
import type * as Workflow from "./Workflow.js"

/**
 * The input of a command is not valid: core's `Command.InvalidInput`, one shape for every domain; each problem has
 * a `path` and a Chinese `message` (never echoing a phone number).
 *
 * @since 0.1.0
 * @category errors
 */
export const InvalidInput = Command.InvalidInput

/**
 * @since 0.1.0
 * @category errors
 */
export type InvalidInput = Command.InvalidInput

/**
 * No report with this id in the district.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReportNotFound extends Schema.TaggedError<ReportNotFound>("@gongzhi/opinion/ReportNotFound")(
  "ReportNotFound",
  { reportId: Schema.String }
) {
  override get message(): string {
    return `未找到诉求 ${this.reportId}，请核对编号 / report ${this.reportId} not found`
  }
}

/**
 * A command only the department a report is assigned to may perform, by someone of another department.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotAssigned extends Schema.TaggedError<NotAssigned>("@gongzhi/opinion/NotAssigned")("NotAssigned", {
  reportId: Schema.String,
  command: Schema.String,
  department: Schema.optional(Schema.String),
  actorDepartment: Schema.optional(Schema.String)
}) {
  override get message(): string {
    const assigned = this.department === undefined ? "尚未派给任何单位" : `派给「${this.department}」`
    const mine = this.actorDepartment === undefined ? "你未登记所属单位" : `你所在单位为「${this.actorDepartment}」`
    return `诉求 ${this.reportId} ${assigned}，${mine}，不能执行「${this.command}」 / not assigned to your department`
  }
}

/**
 * A merge that cannot be done (a report merged into itself, into a merged report, or one that others were
 * merged into).
 *
 * @since 0.1.0
 * @category errors
 */
export class MergeRejected extends Schema.TaggedError<MergeRejected>("@gongzhi/opinion/MergeRejected")(
  "MergeRejected",
  { primaryId: Schema.String, reportId: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `不能将诉求 ${this.reportId} 合并到 ${this.primaryId}：${this.reason} / merge rejected`
  }
}

/**
 * A configuration the service cannot start with; lists every problem.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidConfiguration extends Schema.TaggedError<InvalidConfiguration>(
  "@gongzhi/opinion/InvalidConfiguration"
)("InvalidConfiguration", { problems: Schema.Array(Schema.String) }) {
  override get message(): string {
    return `民情诉求服务配置有 ${this.problems.length} 处问题：\n${this.problems.map((p, i) => `${i + 1}. ${p}`).join("\n")}\n / invalid opinion configuration`
  }
}

/**
 * Every way a command can fail.
 *
 * @since 0.1.0
 * @category errors
 */
export type CommandError =
  | InvalidInput
  | ReportNotFound
  | NotAssigned
  | MergeRejected
  | Workflow.TransitionNotAllowed
  | Authorization.Forbidden
  | Deadline.DeadlineUnavailable
  | StorageError
  | VersionConflict
  | DuplicateKey
  | FieldCipher.FieldCipherError
