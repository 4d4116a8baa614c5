/**
 * The typed errors of the projects domain (社会治理创新项目、课题研究、攻坚作战图、联席会议、实绩考核). Every
 * message is written for a clerk (Chinese first, English after " / ").
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The kinds of things the projects domain stores, as named in errors.
 *
 * @since 0.1.0
 * @category models
 */
export const EntityKind = Schema.Literal(
  "Call",
  "Application",
  "DefenceSession",
  "ScoreSheet",
  "Project",
  "ProgressReport",
  "Inspection",
  "Rectification",
  "WorkPlan",
  "Task",
  "JointMeeting",
  "ActionItem",
  "Assessment",
  "Criterion",
  "Judge",
  "Supervisor",
  "Milestone"
)

/**
 * @since 0.1.0
 * @category models
 */
export type EntityKind = typeof EntityKind.Type

const entityLabels: Record<EntityKind, string> = {
  Call: "征集活动",
  Application: "申报书",
  DefenceSession: "答辩会",
  ScoreSheet: "评分表",
  Project: "项目",
  ProgressReport: "进度报告",
  Inspection: "督导检查",
  Rectification: "整改",
  WorkPlan: "作战图",
  Task: "任务",
  JointMeeting: "联席会议",
  ActionItem: "督办事项",
  Assessment: "实绩考核",
  Criterion: "评分指标",
  Judge: "评审专家",
  Supervisor: "第三方督导机构",
  Milestone: "里程碑"
}

/**
 * The Chinese name of an entity kind, e.g. `ScoreSheet` → 评分表.
 *
 * @since 0.1.0
 * @category accessors
 */
export const entityLabel = (kind: EntityKind): string => entityLabels[kind]

/**
 * The input of a command or rule did not decode; `problems` name the fields and the rules they break.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>("@gongzhi/projects/InvalidInput")("InvalidInput", {
  command: Schema.String,
  problems: Schema.Array(Schema.String)
}) {
  override get message(): string {
    const list = this.problems.map((problem, i) => `${i + 1}. ${problem}`).join("；")
    return `「${this.command}」的输入有误：${list} / invalid input for ${this.command}`
  }
}

/**
 * Something a command refers to does not exist in this district.
 *
 * @since 0.1.0
 * @category errors
 */
export class EntityNotFound extends Schema.TaggedError<EntityNotFound>("@gongzhi/projects/EntityNotFound")(
  "EntityNotFound",
  { entity: EntityKind, id: Schema.String }
) {
  override get message(): string {
    return `未找到${entityLabels[this.entity]}「${this.id}」，请核对编号 / ${this.entity} ${this.id} not found`
  }
}

/**
 * A command is not allowed in the current state of its target (submitting an application twice,
 * scoring after the panel closed, accepting a terminated project …).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>("@gongzhi/projects/InvalidTransition")(
  "InvalidTransition",
  {
    entity: EntityKind,
    id: Schema.String,
    /** The current state, in Chinese (e.g. 已提交). */
    state: Schema.String,
    /** What was attempted, in Chinese (e.g. 提交). */
    action: Schema.String
  }
) {
  override get message(): string {
    return `${entityLabels[this.entity]}「${this.id}」当前状态为「${this.state}」，不能${this.action} / cannot ${this.action} ${this.entity} ${this.id} in state ${this.state}`
  }
}

/**
 * A score lies outside its criterion's range, or a sheet leaves a criterion unscored.
 *
 * @since 0.1.0
 * @category errors
 */
export class ScoreOutOfRange extends Schema.TaggedError<ScoreOutOfRange>("@gongzhi/projects/ScoreOutOfRange")(
  "ScoreOutOfRange",
  {
    criterionId: Schema.String,
    criterionName: Schema.String,
    score: Schema.NullOr(Schema.Number),
    min: Schema.Number,
    max: Schema.Number
  }
) {
  override get message(): string {
    return this.score === null
      ? `评分指标「${this.criterionName}」未打分（应为 ${this.min}–${this.max} 分） / criterion ${this.criterionId} has no score`
      : `评分指标「${this.criterionName}」的分数 ${this.score} 超出范围 ${this.min}–${this.max} 分 / score ${this.score} of ${this.criterionId} outside ${this.min}–${this.max}`
  }
}

/**
 * A judge who declared a conflict of interest (利益冲突) with an application tried to score it.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConflictedJudge extends Schema.TaggedError<ConflictedJudge>("@gongzhi/projects/ConflictedJudge")(
  "ConflictedJudge",
  { judgeId: Schema.String, applicationId: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `评审专家 ${this.judgeId} 已申报与申报书「${this.applicationId}」存在利益冲突（${this.reason}），应当回避，不能评分 / judge ${this.judgeId} declared a conflict of interest with ${this.applicationId}`
  }
}

/**
 * A judge acted on a session they are not on the panel of, or read an application not assigned to them.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotAssigned extends Schema.TaggedError<NotAssigned>("@gongzhi/projects/NotAssigned")("NotAssigned", {
  judgeId: Schema.String,
  sessionId: Schema.String
}) {
  override get message(): string {
    return `评审专家 ${this.judgeId} 不在答辩会「${this.sessionId}」的评审组中 / judge ${this.judgeId} is not on the panel of ${this.sessionId}`
  }
}

/**
 * Scores were asked for before the panel closed (评分结果在评审组关闭前不公开).
 *
 * @since 0.1.0
 * @category errors
 */
export class ScoresHidden extends Schema.TaggedError<ScoresHidden>("@gongzhi/projects/ScoresHidden")("ScoresHidden", {
  sessionId: Schema.String
}) {
  override get message(): string {
    return `答辩会「${this.sessionId}」的评审尚未结束，评分结果暂不公开 / scores of ${this.sessionId} are hidden until the panel closes`
  }
}

/**
 * A work plan's dependencies form a cycle; `cycle` names it, first task repeated at the end.
 *
 * @since 0.1.0
 * @category errors
 */
export class DependencyCycle extends Schema.TaggedError<DependencyCycle>("@gongzhi/projects/DependencyCycle")(
  "DependencyCycle",
  { cycle: Schema.Array(Schema.String) }
) {
  override get message(): string {
    return `作战图任务之间存在循环依赖：${this.cycle.join(" → ")}，无法排期 / dependency cycle: ${this.cycle.join(" -> ")}`
  }
}

/**
 * A task depends on a task the plan does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownDependency extends Schema.TaggedError<UnknownDependency>("@gongzhi/projects/UnknownDependency")(
  "UnknownDependency",
  { taskId: Schema.String, dependsOn: Schema.String }
) {
  override get message(): string {
    return `任务「${this.taskId}」依赖的任务「${this.dependsOn}」不在作战图中 / task ${this.taskId} depends on unknown ${this.dependsOn}`
  }
}

/**
 * The applicant check (e.g. the credit package's serious-dishonesty list) refused an applicant.
 *
 * @since 0.1.0
 * @category errors
 */
export class ApplicantRefused extends Schema.TaggedError<ApplicantRefused>("@gongzhi/projects/ApplicantRefused")(
  "ApplicantRefused",
  { creditCode: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `申报单位（统一社会信用代码 ${this.creditCode}）不符合申报条件：${this.reason} / applicant refused: ${this.reason}`
  }
}

/**
 * A command was given outside the phase of the call that allows it (e.g. an application after the
 * application phase closed).
 *
 * @since 0.1.0
 * @category errors
 */
export class OutsidePhase extends Schema.TaggedError<OutsidePhase>("@gongzhi/projects/OutsidePhase")("OutsidePhase", {
  callId: Schema.String,
  phase: Schema.String,
  date: Schema.String
}) {
  override get message(): string {
    return `征集活动「${this.callId}」在 ${this.date} 不处于「${this.phase}」阶段 / call ${this.callId} is not in phase ${this.phase} on ${this.date}`
  }
}

/**
 * An applicant's account acted on an application of another organisation's account.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotOwner extends Schema.TaggedError<NotOwner>("@gongzhi/projects/NotOwner")("NotOwner", {
  actorId: Schema.String,
  applicationId: Schema.String
}) {
  override get message(): string {
    return `账号 ${this.actorId} 只能办理本单位的申报书，不能操作申报书「${this.applicationId}」 / not the owner of ${this.applicationId}`
  }
}

/**
 * A supervisor's staff member acted on a project their organisation does not supervise, or a responsible
 * unit's account on another unit's project (督导与责任单位只能办理本机构负责的项目).
 *
 * @since 0.2.0
 * @category errors
 */
export class NotResponsible extends Schema.TaggedError<NotResponsible>("@gongzhi/projects/NotResponsible")(
  "NotResponsible",
  { actorId: Schema.String, projectId: Schema.String, role: Schema.Literal("supervisor", "responsible-unit", "owner") }
) {
  override get message(): string {
    const who =
      this.role === "supervisor" ? "督导机构人员" : this.role === "responsible-unit" ? "责任单位账号" : "督办事项责任人"
    return `${who} ${this.actorId} 不负责「${this.projectId}」，不能办理 / ${this.actorId} is not responsible for ${this.projectId}`
  }
}
