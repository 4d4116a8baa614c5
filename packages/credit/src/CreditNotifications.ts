/**
 * Default notifications of public credit (公共信用通知): Chinese templates (with English) and subscriptions for
 * the notification dispatcher of `@gongzhi/core` — 双公示 publications overdue to the source unit, a batch with
 * rejected rows back to the unit that sent it, a subject entering or leaving a list to the credit office, and
 * a grade dropping to a watched level to the credit office; the outcome of an objection (异议) and the decision
 * on a credit repair (信用修复) to the subject, an overdue objection step to the credit office.
 *
 * Who receives them is the district's business: pass a {@link RecipientDirectory} that finds a source unit's
 * contacts and the credit office (信用办). Events never carry personal data: a natural person's subject is
 * named by its id only.
 *
 * @since 0.1.0
 */
import type { Recipient } from "@gongzhi/core/Subscription"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { Effect, Schema } from "effect"
import * as CreditEvents from "./CreditEvents.js"
import { listLabel } from "./CreditList.js"
import { stepLabel } from "./Objection.js"

const text = Schema.String

/**
 * The templates (zh-CN first, English second).
 *
 * @since 0.1.0
 * @category constructors
 */
export const templates = {
  publicationOverdue: Template.make({
    id: "credit.publicationOverdue",
    data: Schema.Struct({ unitName: text, count: Schema.Number, examples: text }),
    zh: {
      subject: "【双公示超期】{{unitName}}有 {{count}} 条信息未在 7 个工作日内公示",
      text: "{{unitName}}：以下行政许可、行政处罚信息未在决定之日起 7 个工作日内报送公示（共 {{count}} 条）：{{examples}}。请核查原因并按时报送。"
    },
    en: {
      subject: "{{unitName}}: {{count}} decisions published late",
      text: "{{unitName}}: {{count}} licences or penalties were not published within 7 working days: {{examples}}."
    }
  }),
  batchRejected: Template.make({
    id: "credit.batchRejected",
    data: Schema.Struct({ batchId: text, accepted: Schema.Number, rejected: Schema.Number }),
    zh: {
      subject: "【报送退回】批次 {{batchId}} 有 {{rejected}} 行未通过校验",
      text: "批次 {{batchId}} 已入库 {{accepted}} 行，{{rejected}} 行未通过校验，请在系统中查看逐行原因，修正后重新报送。"
    },
    en: {
      subject: "Batch {{batchId}}: {{rejected}} rows rejected",
      text: "Batch {{batchId}}: {{accepted}} rows accepted, {{rejected}} rejected; see the per-row report."
    }
  }),
  listChanged: Template.make({
    id: "credit.listChanged",
    data: Schema.Struct({ subjectId: text, list: text, change: text, date: text }),
    zh: {
      subject: "【名单变动】主体 {{subjectId}} {{change}}{{list}}",
      text: "信用主体 {{subjectId}} 于 {{date}} {{change}}{{list}}，相关联合奖惩措施随之调整。"
    },
    en: {
      subject: "Subject {{subjectId}}: list change",
      text: "Subject {{subjectId}}: {{change}} {{list}} on {{date}}."
    }
  }),
  gradeDropped: Template.make({
    id: "credit.gradeDropped",
    data: Schema.Struct({ subjectId: text, from: text, to: text, score: Schema.Number }),
    zh: {
      subject: "【信用等级下降】主体 {{subjectId}} 降为 {{to}} 级",
      text: "信用主体 {{subjectId}} 的信用等级由 {{from}} 降为 {{to}}（{{score}} 分），请关注。"
    },
    en: {
      subject: "Subject {{subjectId}} dropped to grade {{to}}",
      text: "Subject {{subjectId}} went from {{from}} to {{to}} ({{score}} points)."
    }
  }),
  objectionDecided: Template.make({
    id: "credit.objectionDecided",
    data: Schema.Struct({ objectionId: text, recordId: text, result: text, note: text }),
    zh: {
      subject: "【异议处理结果】您对信用记录 {{recordId}} 的异议已办结：{{result}}",
      text: "您对信用记录 {{recordId}} 提出的异议（编号 {{objectionId}}）已办结，结果：{{result}}。{{note}}"
    },
    en: {
      subject: "Your objection to record {{recordId}}: {{result}}",
      text: "Your objection {{objectionId}} to record {{recordId}} was decided: {{result}}. {{note}}"
    }
  }),
  objectionOverdue: Template.make({
    id: "credit.objectionOverdue",
    data: Schema.Struct({ objectionId: text, step: text, due: text }),
    zh: {
      subject: "【异议超期督办】异议 {{objectionId}} 的{{step}}环节已超时",
      text: "异议 {{objectionId}} 的{{step}}环节应于 {{due}} 前完成，现已超时，请督促办理。"
    },
    en: {
      subject: "Objection {{objectionId}}: a step is overdue",
      text: "Objection {{objectionId}}: the step was due on {{due}}."
    }
  }),
  repairDecided: Template.make({
    id: "credit.repairDecided",
    data: Schema.Struct({ applicationId: text, result: text, details: text }),
    zh: {
      subject: "【信用修复】您的信用修复申请 {{applicationId}} {{result}}",
      text: "您的信用修复申请（编号 {{applicationId}}）{{result}}。{{details}}"
    },
    en: {
      subject: "Credit repair {{applicationId}}: {{result}}",
      text: "Your credit repair application {{applicationId}}: {{result}}. {{details}}"
    }
  }),
  sharedRepaired: Template.make({
    id: "credit.sharedRepaired",
    data: Schema.Struct({ subjectId: text, count: Schema.Number, on: text, recordIds: text }),
    zh: {
      subject: "【信用修复告知】主体 {{subjectId}} 的 {{count}} 条信用信息已修复，请停止使用",
      text: "经认定单位准予信用修复，主体 {{subjectId}} 的信用记录 {{recordIds}} 自 {{on}} 起停止公示、共享和使用。贵单位曾经共享接口获取上述信息，请即停止使用并更新本单位系统。"
    },
    en: {
      subject: "Subject {{subjectId}}: {{count}} shared records repaired, stop using them",
      text: "Records {{recordIds}} of subject {{subjectId}} were repaired on {{on}}; your unit received them through the sharing interface: stop using them."
    }
  })
} as const

type Recipients<R> = Effect.Effect<ReadonlyArray<Recipient | typeof Recipient.Encoded>, unknown, R>

/**
 * Finds the recipients of the module's notifications (district configuration).
 *
 * @since 0.1.0
 * @category models
 */
export interface RecipientDirectory<R> {
  /** The contacts of a source unit (数据报送联络人). */
  readonly sourceUnit: (sourceUnitId: string) => Recipients<R>
  /** The credit office (信用办) of the district. */
  readonly creditOffice: () => Recipients<R>
  /**
   * The contact of a subject (for objection outcomes and repair decisions); without it the subject is
   * not notified by these defaults.
   */
  readonly subject?: ((subjectId: string) => Recipients<R>) | undefined
  /**
   * The units that received a subject's records through the sharing interface (find them with
   * `Credits.recipientsOf`, which reads the share log), told when those records are repaired; without it they
   * are not notified by these defaults.
   */
  readonly receivingUnits?: ((subjectId: string, recordIds: ReadonlyArray<string>) => Recipients<R>) | undefined
}

/**
 * Options of {@link defaultSubscriptions}: the directory, the staff channels and the grades watched, from
 * better to worse (a subject falling into one of them, or to a worse one of them, is announced; default
 * `["C", "D"]`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<R> {
  readonly recipients: RecipientDirectory<R>
  readonly channels: ReadonlyArray<string>
  readonly watchedGrades?: ReadonlyArray<string> | undefined
}

/**
 * The default subscriptions:
 * - `credit.publicationOverdue` — `PublicationOverdue` to the source unit, high priority;
 * - `credit.batchRejected` — `BatchAccepted` with rejected rows to the unit that sent it (none when all rows
 *   passed);
 * - `credit.listEntered` / `credit.listLeft` — `SubjectEnteredList` / `SubjectLeftList` to the credit office;
 * - `credit.gradeDropped` — `GradeChanged` to a watched grade, to the credit office;
 * - `credit.objectionDecided` — `ObjectionDecided` to the subject (when the directory knows subjects);
 * - `credit.objectionOverdue` — `ObjectionOverdue` to the credit office, high priority;
 * - `credit.repairGranted` / `credit.repairRefused` — the decision on a repair to the subject;
 * - `credit.repairShared` — a granted repair to the units that received the records through the sharing
 *   interface (when the directory has `receivingUnits`), high priority: they must stop using them.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import * as CreditNotifications from "@gongzhi/credit/CreditNotifications"
 *
 * const subscriptions = CreditNotifications.defaultSubscriptions({
 *   channels: ["wecom"],
 *   recipients: {
 *     sourceUnit: (unit) => Effect.succeed([{ id: `unit-${unit}`, addresses: { wecom: `contact-${unit}` } }]),
 *     creditOffice: () => Effect.succeed([{ id: "xyb", addresses: { wecom: "credit-office" } }])
 *   }
 * })
 */
export const defaultSubscriptions = <R>(options: Options<R>): ReadonlyArray<Subscription.Subscription<R>> => {
  const { recipients, channels } = options
  const watched = options.watchedGrades ?? ["C", "D"]
  const none: Recipients<never> = Effect.succeed([])
  const toSubject = (subjectId: string) => (recipients.subject === undefined ? none : recipients.subject(subjectId))
  return [
    Subscription.make({
      id: "credit.publicationOverdue",
      event: CreditEvents.eventType("PublicationOverdue"),
      payload: CreditEvents.PublicationOverdue,
      recipients: ({ payload }) => recipients.sourceUnit(payload.sourceUnitId),
      template: templates.publicationOverdue,
      data: ({ payload }) => ({
        unitName: payload.sourceUnitName,
        count: payload.count,
        examples:
          payload.records
            .slice(0, 5)
            .map((r) => `${r.sourceRecordId}（决定 ${r.findingDate}，应于 ${r.due} 前公示）`)
            .join("、") + (payload.count > 5 ? " 等" : "")
      }),
      channels,
      priority: "high"
    }),
    Subscription.make({
      id: "credit.batchRejected",
      event: CreditEvents.eventType("BatchAccepted"),
      payload: CreditEvents.BatchAccepted,
      recipients: ({ payload }) => (payload.rejected > 0 ? recipients.sourceUnit(payload.sourceUnitId) : none),
      template: templates.batchRejected,
      data: ({ payload }) => ({ batchId: payload.batchId, accepted: payload.accepted, rejected: payload.rejected }),
      channels
    }),
    Subscription.make({
      id: "credit.listEntered",
      event: CreditEvents.eventType("SubjectEnteredList"),
      payload: CreditEvents.SubjectEnteredList,
      recipients: () => recipients.creditOffice(),
      template: templates.listChanged,
      data: ({ payload }) => ({
        subjectId: payload.subjectId,
        list: listLabel(payload.list),
        change: "列入",
        date: payload.from
      }),
      channels
    }),
    Subscription.make({
      id: "credit.listLeft",
      event: CreditEvents.eventType("SubjectLeftList"),
      payload: CreditEvents.SubjectLeftList,
      recipients: () => recipients.creditOffice(),
      template: templates.listChanged,
      data: ({ payload }) => ({
        subjectId: payload.subjectId,
        list: listLabel(payload.list),
        change: payload.reason === "expired" ? "期满移出" : "移出",
        date: payload.on
      }),
      channels
    }),
    Subscription.make({
      id: "credit.gradeDropped",
      event: CreditEvents.eventType("GradeChanged"),
      payload: CreditEvents.GradeChanged,
      recipients: ({ payload }) =>
        payload.from !== undefined &&
        watched.includes(payload.to) &&
        watched.indexOf(payload.to) > watched.indexOf(payload.from)
          ? recipients.creditOffice()
          : none,
      template: templates.gradeDropped,
      data: ({ payload }) => ({
        subjectId: payload.subjectId,
        from: payload.from ?? "",
        to: payload.to,
        score: payload.score
      }),
      channels
    }),
    Subscription.make({
      id: "credit.objectionDecided",
      event: CreditEvents.eventType("ObjectionDecided"),
      payload: CreditEvents.ObjectionDecided,
      recipients: ({ payload }) => toSubject(payload.subjectId),
      template: templates.objectionDecided,
      data: ({ payload }) => ({
        objectionId: payload.objectionId,
        recordId: payload.recordId,
        result: objectionResults[payload.outcome],
        note: payload.note === undefined ? "" : `说明：${payload.note}`
      }),
      channels
    }),
    Subscription.make({
      id: "credit.objectionOverdue",
      event: CreditEvents.eventType("ObjectionOverdue"),
      payload: CreditEvents.ObjectionOverdue,
      recipients: () => recipients.creditOffice(),
      template: templates.objectionOverdue,
      data: ({ payload }) => ({ objectionId: payload.objectionId, step: stepLabel(payload.step), due: payload.due }),
      channels,
      priority: "high"
    }),
    Subscription.make({
      id: "credit.repairGranted",
      event: CreditEvents.eventType("RepairGranted"),
      payload: CreditEvents.RepairGranted,
      recipients: ({ payload }) => toSubject(payload.subjectId),
      template: templates.repairDecided,
      data: ({ payload }) => ({
        applicationId: payload.applicationId,
        result: "已准予修复",
        details: `自 ${payload.on} 起，${payload.recordIds.length} 条信用记录停止公示、共享和使用${payload.removedDecisionIds.length > 0 ? "，相关名单已移出" : ""}。`
      }),
      channels
    }),
    Subscription.make({
      id: "credit.repairShared",
      event: CreditEvents.eventType("RepairGranted"),
      payload: CreditEvents.RepairGranted,
      recipients: ({ payload }) =>
        recipients.receivingUnits === undefined
          ? none
          : recipients.receivingUnits(payload.subjectId, payload.recordIds),
      template: templates.sharedRepaired,
      data: ({ payload }) => ({
        subjectId: payload.subjectId,
        count: payload.recordIds.length,
        on: payload.on,
        recordIds: payload.recordIds.join("、")
      }),
      channels,
      priority: "high"
    }),
    Subscription.make({
      id: "credit.repairRefused",
      event: CreditEvents.eventType("RepairRefused"),
      payload: CreditEvents.RepairRefused,
      recipients: ({ payload }) => toSubject(payload.subjectId),
      template: templates.repairDecided,
      data: ({ payload }) => ({
        applicationId: payload.applicationId,
        result: "不予修复",
        details: `理由：${payload.reasons.join("；")}`
      }),
      channels
    })
  ]
}

const objectionResults = {
  refused: "不予受理",
  corrected: "已更正",
  revoked: "已撤销该记录",
  kept: "维持原记录"
} as const
