/**
 * The typed errors of the volunteer corps (志愿服务). Every message is written for a clerk (Chinese
 * first, English after " / ") and never carries a resident ID number or a mobile number.
 *
 * @since 0.1.0
 */
import * as Command from "@gongzhi/core/Command"
import { Schema } from "effect"

/**
 * The kinds of things the volunteer corps stores, as named in errors.
 *
 * @since 0.1.0
 * @category models
 */
export const EntityKind = Schema.Literal(
  "Corps",
  "Team",
  "Membership",
  "Volunteer",
  "Activity",
  "Shift",
  "ServiceRecord",
  "RecordEntry",
  "Certificate"
)

/**
 * @since 0.1.0
 * @category models
 */
export type EntityKind = typeof EntityKind.Type

const entityLabels: Record<EntityKind, string> = {
  Corps: "志愿服务总队",
  Team: "队伍",
  Membership: "队伍职务",
  Volunteer: "志愿者",
  Activity: "活动",
  Shift: "班次",
  ServiceRecord: "服务记录",
  RecordEntry: "档案条目",
  Certificate: "志愿服务记录证明"
}

/**
 * The Chinese name of an entity kind, e.g. `Shift` → 班次.
 *
 * @since 0.1.0
 * @category accessors
 */
export const entityLabel = (kind: EntityKind): string => entityLabels[kind]

/**
 * The input of a command did not decode: core's `Command.InvalidInput`, the one input error of every
 * domain. `problems` name the fields (`path`) and the rules they break (`message`), never the values
 * given (so an ID number typed into the wrong field is not repeated).
 *
 * @since 0.1.0
 * @category errors
 */
export const InvalidInput: typeof Command.InvalidInput = Command.InvalidInput

/**
 * @since 0.1.0
 * @category errors
 */
export type InvalidInput = Command.InvalidInput

/**
 * Something a command refers to does not exist in this district.
 *
 * @since 0.1.0
 * @category errors
 */
export class EntityNotFound extends Schema.TaggedError<EntityNotFound>("@gongzhi/volunteers/EntityNotFound")(
  "EntityNotFound",
  { entity: EntityKind, id: Schema.String }
) {
  override get message(): string {
    return `未找到${entityLabels[this.entity]}「${this.id}」，请核对编号 / ${this.entity} ${this.id} not found`
  }
}

/**
 * A command is not allowed in the current state of its target (approving an application twice,
 * checking out someone who never checked in, issuing a certificate that was not accepted …).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>("@gongzhi/volunteers/InvalidTransition")(
  "InvalidTransition",
  {
    entity: EntityKind,
    id: Schema.String,
    /** The current state, in Chinese (e.g. 待审核). */
    state: Schema.String,
    /** What was attempted, in Chinese (e.g. 审核通过). */
    action: Schema.String
  }
) {
  override get message(): string {
    return `${entityLabels[this.entity]}「${this.id}」当前状态为「${this.state}」，不能${this.action} / cannot ${this.action} ${this.entity} ${this.id} in state ${this.state}`
  }
}

/**
 * A volunteer tried to read or change someone else's record or sign-up.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotOwnRecord extends Schema.TaggedError<NotOwnRecord>("@gongzhi/volunteers/NotOwnRecord")("NotOwnRecord", {
  actorId: Schema.String,
  volunteerId: Schema.String
}) {
  override get message(): string {
    return `志愿者 ${this.actorId} 只能查看和办理本人的记录，不能操作志愿者 ${this.volunteerId} 的记录 / a volunteer may only act on their own record`
  }
}

/**
 * The real-name check (实名核验) did not confirm the applicant: the name does not belong to the ID
 * number (`Mismatch`), or the provider knows no such number (`NotFound`).
 *
 * @since 0.1.0
 * @category errors
 */
export class IdentityCheckFailed extends Schema.TaggedError<IdentityCheckFailed>(
  "@gongzhi/volunteers/IdentityCheckFailed"
)("IdentityCheckFailed", {
  outcome: Schema.Literal("Mismatch", "NotFound"),
  provider: Schema.String,
  reference: Schema.String
}) {
  override get message(): string {
    return this.outcome === "Mismatch"
      ? `实名核验未通过：姓名与公民身份号码不一致，请核对后重新提交（核验流水号 ${this.reference}）/ identity check failed: the name does not match the ID number`
      : `实名核验未通过：核验服务查无此公民身份号码，请核对后重新提交（核验流水号 ${this.reference}）/ identity check failed: no such ID number`
  }
}

/**
 * The person is already registered in this district (found through the blind index of the resident
 * ID number; the number itself is never compared or shown).
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyRegistered extends Schema.TaggedError<AlreadyRegistered>("@gongzhi/volunteers/AlreadyRegistered")(
  "AlreadyRegistered",
  { volunteerId: Schema.optional(Schema.String) }
) {
  override get message(): string {
    const which = this.volunteerId === undefined ? "" : `（志愿者编号 ${this.volunteerId}）`
    return `该公民身份号码已在本区登记为志愿者${which}，请勿重复登记；如已离队，请办理重新加入 / already registered in this district`
  }
}

/**
 * A region code is not in the district's region tree, or not of the level required.
 *
 * @since 0.1.0
 * @category errors
 */
export class RegionNotFound extends Schema.TaggedError<RegionNotFound>("@gongzhi/volunteers/RegionNotFound")(
  "RegionNotFound",
  {
    regionCode: Schema.String,
    expected: Schema.Literal("district", "street", "community"),
    asOf: Schema.String
  }
) {
  override get message(): string {
    const level = this.expected === "district" ? "区县" : this.expected === "street" ? "街道" : "社区"
    return `区划代码 ${this.regionCode} 不是本区区划数据（${this.asOf} 版）中的${level} / region ${this.regionCode} is not a ${this.expected} of the region tree (${this.asOf})`
  }
}

/**
 * Why a shift refused a sign-up, a cancellation or an attendance change.
 *
 * @since 0.1.0
 * @category errors
 */
export const ShiftRefusalReason = Schema.Literal(
  "ShiftNotOpen",
  "ShiftStarted",
  "ShiftEnded",
  "AlreadySignedUp",
  "NotSignedUp",
  "Full",
  "CheckInNotOpen",
  "AlreadyCheckedIn",
  "NotCheckedIn",
  "AlreadyCheckedOut",
  "VolunteerNotActive"
)

/**
 * @since 0.1.0
 * @category errors
 */
export type ShiftRefusalReason = typeof ShiftRefusalReason.Type

const refusalText: Record<ShiftRefusalReason, string> = {
  ShiftNotOpen: "班次已取消或已结束，不再接受报名和签到",
  ShiftStarted: "班次已开始，不能再报名或取消报名",
  ShiftEnded: "班次已结束",
  AlreadySignedUp: "该志愿者已报名此班次（或在候补名单中）",
  NotSignedUp: "该志愿者未报名此班次",
  Full: "班次名额已满",
  CheckInNotOpen: "尚未到签到时间",
  AlreadyCheckedIn: "该志愿者已签到",
  NotCheckedIn: "该志愿者尚未签到，不能签退",
  AlreadyCheckedOut: "该志愿者已签退",
  VolunteerNotActive: "该志愿者不在服务状态（待审核、暂停或已离队），不能报名或签到"
}

/**
 * A shift refused a sign-up, cancellation, check-in, check-out or walk-in.
 *
 * @since 0.1.0
 * @category errors
 */
export class ShiftRefused extends Schema.TaggedError<ShiftRefused>("@gongzhi/volunteers/ShiftRefused")("ShiftRefused", {
  shiftId: Schema.String,
  volunteerId: Schema.String,
  reason: ShiftRefusalReason
}) {
  override get message(): string {
    return `班次「${this.shiftId}」不能为志愿者 ${this.volunteerId} 办理：${refusalText[this.reason]} / shift refused (${this.reason})`
  }
}

/**
 * A one-time check-in or check-out code was wrong, already used, expired, or issued to someone else.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCheckCode extends Schema.TaggedError<InvalidCheckCode>("@gongzhi/volunteers/InvalidCheckCode")(
  "InvalidCheckCode",
  { shiftId: Schema.String }
) {
  override get message(): string {
    return `班次「${this.shiftId}」的签到码无效、已使用或已过期，请向现场工作人员重新获取 / invalid, used or expired check code`
  }
}

/**
 * Check codes are locked after too many wrong attempts: for one volunteer on a shift, or for the whole
 * shift. Staff check the volunteer in by hand.
 *
 * @since 0.1.0
 * @category errors
 */
export class CheckCodeLocked extends Schema.TaggedError<CheckCodeLocked>("@gongzhi/volunteers/CheckCodeLocked")(
  "CheckCodeLocked",
  { shiftId: Schema.String, scope: Schema.Literal("volunteer", "shift"), attempts: Schema.Int }
) {
  override get message(): string {
    return this.scope === "volunteer"
      ? `签到码输错 ${this.attempts} 次，本班次已锁定签到码签到，请向现场工作人员签到 / too many wrong check codes: locked for this volunteer`
      : `班次「${this.shiftId}」签到码错误尝试过多（${this.attempts} 次），已停用签到码，请由工作人员签到 / too many wrong check codes: locked for this shift`
  }
}

/**
 * An hours adjustment would make a service record's hours negative.
 *
 * @since 0.1.0
 * @category errors
 */
export class AdjustmentRefused extends Schema.TaggedError<AdjustmentRefused>("@gongzhi/volunteers/AdjustmentRefused")(
  "AdjustmentRefused",
  {
    recordId: Schema.String,
    currentMinutes: Schema.Int,
    deltaMinutes: Schema.Int,
    /** Set when the adjustment would exceed the most one record may count. */
    limitMinutes: Schema.optional(Schema.Int)
  }
) {
  override get message(): string {
    if (this.limitMinutes !== undefined) {
      return `服务记录「${this.recordId}」现有时长 ${this.currentMinutes} 分钟，调整 ${this.deltaMinutes} 分钟后将超过单条记录上限 ${this.limitMinutes} 分钟，不能调整 / the adjustment would exceed the per-record limit`
    }
    return `服务记录「${this.recordId}」现有时长 ${this.currentMinutes} 分钟，调整 ${this.deltaMinutes} 分钟后将小于零，不能调整 / the adjustment would make the hours negative`
  }
}

/**
 * A certificate was asked for hours that the issuing team never recorded and approved
 * ("whoever records, certifies": 谁记录、谁证明).
 *
 * @since 0.1.0
 * @category errors
 */
export class NothingToCertify extends Schema.TaggedError<NothingToCertify>("@gongzhi/volunteers/NothingToCertify")(
  "NothingToCertify",
  { volunteerId: Schema.String, teamId: Schema.String }
) {
  override get message(): string {
    return `队伍「${this.teamId}」没有为志愿者 ${this.volunteerId} 记录并审核通过的服务时长，不能出具志愿服务记录证明（谁记录、谁证明）/ no approved hours recorded by this team`
  }
}
