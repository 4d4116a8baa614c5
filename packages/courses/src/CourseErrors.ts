/**
 * The typed errors of 坪工学堂 (the workers' course platform). Every message is written for a clerk
 * or a worker (Chinese first, English after " / ") and never carries a mobile number or a code.
 *
 * @since 0.1.0
 */
import * as Command from "@gongzhi/core/Command"
import { Schema } from "effect"

/**
 * The kinds of things the course platform stores, as named in errors.
 *
 * @since 0.1.0
 * @category models
 */
export const EntityKind = Schema.Literal("Venue", "Course", "Session", "Worker", "Enrolment")

/**
 * @since 0.1.0
 * @category models
 */
export type EntityKind = typeof EntityKind.Type

const entityLabels: Record<EntityKind, string> = {
  Venue: "场地",
  Course: "课程",
  Session: "课次",
  Worker: "学员",
  Enrolment: "报名"
}

/**
 * The input of a command did not decode (core's `Command.InvalidInput`).
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
export class EntityNotFound extends Schema.TaggedError<EntityNotFound>("@gongzhi/courses/EntityNotFound")(
  "EntityNotFound",
  { entity: EntityKind, id: Schema.String }
) {
  override get message(): string {
    return `${entityLabels[this.entity]}不存在：${this.id} / ${this.entity} not found: ${this.id}`
  }
}

/**
 * Why an enrolment or an attendance was refused.
 *
 * @since 0.1.0
 * @category models
 */
export const EnrolmentRefusalReason = Schema.Literal(
  "CourseNotOpen",
  "CourseStarted",
  "AlreadyEnrolled",
  "NotEnrolled",
  "Full",
  "CancellationDeadlinePassed",
  "TooManyCourses",
  "SessionNotOpen",
  "AlreadyCheckedIn",
  "NotCheckedIn",
  "AlreadyCheckedOut",
  "WorkerNotActive"
)

/**
 * @since 0.1.0
 * @category models
 */
export type EnrolmentRefusalReason = typeof EnrolmentRefusalReason.Type

const refusalText: Record<EnrolmentRefusalReason, readonly [string, string]> = {
  CourseNotOpen: ["课程已取消或已结课，不再接受报名", "the course is cancelled or finished"],
  CourseStarted: ["课程已开课，不能再报名", "the course has started"],
  AlreadyEnrolled: ["该学员已报名本课程（或在候补名单中）", "already enrolled or waitlisted"],
  NotEnrolled: ["该学员未报名本课程", "not enrolled"],
  Full: ["本课程名额已满", "the course is full"],
  CancellationDeadlinePassed: ["已过取消报名截止时间", "the cancellation deadline has passed"],
  TooManyCourses: ["同时在读课程已达上限", "too many courses at once"],
  SessionNotOpen: ["该课次不在签到时间内或已取消", "the session is not open for check-in"],
  AlreadyCheckedIn: ["该学员本课次已签到", "already checked in"],
  NotCheckedIn: ["该学员尚未签到", "not checked in"],
  AlreadyCheckedOut: ["该学员已签退", "already checked out"],
  WorkerNotActive: ["该学员账号不可用", "the worker is not active"]
}

/**
 * An enrolment, cancellation or check-in was refused (a full course, a registration after the
 * deadline, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class EnrolmentRefused extends Schema.TaggedError<EnrolmentRefused>("@gongzhi/courses/EnrolmentRefused")(
  "EnrolmentRefused",
  { courseId: Schema.String, workerId: Schema.String, reason: EnrolmentRefusalReason }
) {
  override get message(): string {
    const [zh, en] = refusalText[this.reason]
    return `${zh}（课程 ${this.courseId}，学员 ${this.workerId}） / ${en} (course ${this.courseId}, worker ${this.workerId})`
  }
}

/**
 * Why a one-time SMS code was refused.
 *
 * @since 0.1.0
 * @category models
 */
export const CodeRefusalReason = Schema.Literal(
  "Wrong",
  "Expired",
  "NoCode",
  "TooManyAttempts",
  "TooSoon",
  "NumberLimit",
  "ClientLimit"
)

/**
 * @since 0.1.0
 * @category models
 */
export type CodeRefusalReason = typeof CodeRefusalReason.Type

const codeText: Record<CodeRefusalReason, readonly [string, string]> = {
  Wrong: ["验证码错误", "wrong code"],
  Expired: ["验证码已过期，请重新获取", "the code expired"],
  NoCode: ["请先获取验证码", "no code was requested"],
  TooManyAttempts: ["验证码错误次数过多，请重新获取", "too many wrong attempts"],
  TooSoon: ["获取验证码过于频繁，请稍后再试", "wait before asking again"],
  NumberLimit: ["该手机号今日获取验证码次数已达上限", "too many codes for this number"],
  ClientLimit: ["该终端获取验证码次数过多，请稍后再试", "too many codes from this client"]
}

/**
 * A one-time code (SMS or venue check-in) was wrong, expired, locked, or asked for too often. The
 * number and the code are never part of the error.
 *
 * @since 0.1.0
 * @category errors
 */
export class CodeRefused extends Schema.TaggedError<CodeRefused>("@gongzhi/courses/CodeRefused")("CodeRefused", {
  reason: CodeRefusalReason,
  retryAfterSeconds: Schema.optional(Schema.Number)
}) {
  override get message(): string {
    const [zh, en] = codeText[this.reason]
    return `${zh} / ${en}`
  }
}

/**
 * A course with a fee was refused: 坪工学堂 is free of charge unless the district allows fees.
 *
 * @since 0.1.0
 * @category errors
 */
export class FeeNotAllowed extends Schema.TaggedError<FeeNotAllowed>("@gongzhi/courses/FeeNotAllowed")(
  "FeeNotAllowed",
  { feeFen: Schema.Number }
) {
  override get message(): string {
    return `坪工学堂课程一律免费，本区未开放收费课程（收费 ${(this.feeFen / 100).toFixed(2)} 元） / courses are free of charge in this district`
  }
}

/**
 * A worker acted on someone else's data, or a teacher on a course that is not theirs.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotOwnRecord extends Schema.TaggedError<NotOwnRecord>("@gongzhi/courses/NotOwnRecord")("NotOwnRecord", {
  entity: EntityKind,
  id: Schema.String
}) {
  override get message(): string {
    return `只能查看或操作本人的${entityLabels[this.entity]}：${this.id} / only your own ${this.entity}`
  }
}

/**
 * A mobile number already belongs to a registered worker of the district.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyRegistered extends Schema.TaggedError<AlreadyRegistered>("@gongzhi/courses/AlreadyRegistered")(
  "AlreadyRegistered",
  { workerId: Schema.String }
) {
  override get message(): string {
    return `该手机号已注册，学员编号 ${this.workerId} / this number is already registered`
  }
}

/**
 * A state change that the current state does not allow (finishing a course twice, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>("@gongzhi/courses/InvalidTransition")(
  "InvalidTransition",
  { entity: EntityKind, id: Schema.String, state: Schema.String, action: Schema.String }
) {
  override get message(): string {
    return `${entityLabels[this.entity]} ${this.id} 当前状态为「${this.state}」，不能${this.action} / invalid transition`
  }
}
