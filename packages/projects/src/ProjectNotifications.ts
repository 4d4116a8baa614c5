/**
 * The notification templates (zh-CN first) and default subscriptions of the projects domain: the applicant's
 * account hears that its application was received, when its defence is, and that it was selected; the
 * responsible unit's account hears that a monthly report is due or overdue, what an inspection found, that a
 * rectification is overdue and the acceptance decision; a joint meeting's member unit hears that its action
 * item is overdue. A district
 * passes its own recipient resolver (e.g. to reach the organisation's contact on WeCom).
 *
 * @since 0.1.0
 */
import type { OutboxEvent } from "@gongzhi/core/Outbox"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { Effect, Schema } from "effect"
import {
  ActionItemOverdue,
  ApplicationReceived,
  DefenceScheduled,
  eventType,
  InspectionFindings,
  ProjectAccepted,
  ProjectSelected,
  RectificationOverdue,
  ReportDue,
  ReportOverdue
} from "./ProjectEvents.js"

const Str = Schema.String

const chinaTime = (date: Date): string =>
  new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ")

/**
 * The templates.
 *
 * @since 0.1.0
 * @category constructors
 */
export const templates = {
  applicationReceived: Template.make({
    id: "projects.applicationReceived",
    data: Schema.Struct({ title: Str, applicantName: Str }),
    zh: {
      subject: "申报书已受理：{{title}}",
      text: "{{applicantName}}：您提交的「{{title}}」申报书已受理，请留意资格审查结果。"
    },
    en: {
      subject: "Application received: {{title}}",
      text: "{{applicantName}}: your application {{title}} was received."
    }
  }),
  defenceScheduled: Template.make({
    id: "projects.defenceScheduled",
    data: Schema.Struct({ title: Str, venue: Str, startsAt: Str }),
    zh: {
      subject: "答辩安排：{{title}}",
      text: "「{{title}}」的遴选答辩安排在 {{startsAt}}，地点：{{venue}}。请提前 15 分钟到场。"
    },
    en: { subject: "Defence scheduled: {{title}}", text: "{{title}} presents at {{startsAt}} in {{venue}}." }
  }),
  projectSelected: Template.make({
    id: "projects.projectSelected",
    data: Schema.Struct({ title: Str, rank: Str }),
    zh: {
      subject: "入选通知：{{title}}",
      text: "「{{title}}」在遴选中排名第 {{rank}}，拟入选社会治理创新项目，结果将进行公示。"
    },
    en: {
      subject: "Selected: {{title}}",
      text: "{{title}} ranked {{rank}} and is proposed for selection (subject to publicity)."
    }
  }),
  reportDue: Template.make({
    id: "projects.reportDue",
    data: Schema.Struct({ title: Str, month: Str, dueOn: Str }),
    zh: {
      subject: "进度报告即将到期：{{title}}",
      text: "「{{title}}」{{month}} 月度进度报告请于 {{dueOn}} 前报送。"
    },
    en: { subject: "Progress report due: {{title}}", text: "The {{month}} report of {{title}} is due by {{dueOn}}." }
  }),
  reportOverdue: Template.make({
    id: "projects.reportOverdue",
    data: Schema.Struct({ title: Str, month: Str, dueOn: Str }),
    zh: {
      subject: "进度报告逾期：{{title}}",
      text: "「{{title}}」{{month}} 月度进度报告应于 {{dueOn}} 前报送，至今未报送，请尽快补报。"
    },
    en: { subject: "Progress report overdue: {{title}}", text: "The {{month}} report of {{title}} was due {{dueOn}}." }
  }),
  inspectionFindings: Template.make({
    id: "projects.inspectionFindings",
    data: Schema.Struct({ title: Str, rating: Str, findings: Str, rectifications: Str }),
    zh: {
      subject: "督导检查意见：{{title}}",
      text: "「{{title}}」督导检查评级为「{{rating}}」。发现问题：{{findings}}。{{rectifications}}"
    },
    en: { subject: "Inspection findings: {{title}}", text: "{{title}} was rated {{rating}}: {{findings}}" }
  }),
  rectificationOverdue: Template.make({
    id: "projects.rectificationOverdue",
    data: Schema.Struct({ title: Str, finding: Str, deadline: Str }),
    zh: {
      subject: "整改逾期：{{title}}",
      text: "「{{title}}」的整改事项「{{finding}}」已超过整改期限 {{deadline}}，请尽快完成整改并报督导机构销号。"
    },
    en: { subject: "Rectification overdue: {{title}}", text: "{{finding}} was due {{deadline}}." }
  }),
  projectAccepted: Template.make({
    id: "projects.projectAccepted",
    data: Schema.Struct({ title: Str, outcome: Str, missed: Str }),
    zh: { subject: "验收结论：{{title}}", text: "「{{title}}」验收结论：{{outcome}}。{{missed}}" },
    en: { subject: "Acceptance: {{title}}", text: "{{title}}: {{outcome}}." }
  }),
  actionItemOverdue: Template.make({
    id: "projects.actionItemOverdue",
    data: Schema.Struct({ meetingTitle: Str, text: Str, ownerUnit: Str, deadline: Str }),
    zh: {
      subject: "督办事项逾期：{{text}}",
      text: "{{ownerUnit}}：{{meetingTitle}}交办的「{{text}}」已超过办结期限 {{deadline}}，请尽快办结并反馈。"
    },
    en: { subject: "Action item overdue: {{text}}", text: "{{text}} ({{ownerUnit}}) was due {{deadline}}." }
  })
} as const

const outcomeLabel = { pass: "通过", conditional: "有条件通过", fail: "不通过" } as const

/**
 * Finds how to reach an application's owner account, or `undefined` to skip it.
 *
 * @since 0.1.0
 * @category models
 */
export type RecipientResolver<R> = (
  ownerId: string,
  event: OutboxEvent
) => Effect.Effect<Subscription.Recipient | undefined, unknown, R>

/**
 * The default subscriptions, on the given channels.
 *
 * @since 0.1.0
 * @category constructors
 */
export const subscriptions = <R = never>(options: {
  readonly channels: ReadonlyArray<string>
  readonly recipients?: RecipientResolver<R> | undefined
}): ReadonlyArray<Subscription.Subscription<R>> => {
  const channels = options.channels
  const resolver: RecipientResolver<R> =
    options.recipients ??
    ((ownerId) =>
      Effect.succeed({
        id: ownerId,
        addresses: Object.fromEntries(channels.map((channel) => [channel, ownerId])),
        locale: "zh-CN"
      }))
  const to = (ownerId: string, event: OutboxEvent) =>
    Effect.map(resolver(ownerId, event), (recipient) => (recipient === undefined ? [] : [recipient]))
  return [
    Subscription.make({
      id: "projects.notifyApplicationReceived",
      event: eventType("ApplicationReceived"),
      payload: ApplicationReceived,
      recipients: ({ event, payload }) => to(payload.ownerId, event),
      template: templates.applicationReceived,
      data: ({ payload }) => ({ title: payload.title, applicantName: payload.applicantName }),
      channels
    }),
    Subscription.make({
      id: "projects.notifyDefenceScheduled",
      event: eventType("DefenceScheduled"),
      payload: DefenceScheduled,
      recipients: ({ event, payload }) => to(payload.ownerId, event),
      template: templates.defenceScheduled,
      data: ({ payload }) => ({ title: payload.title, venue: payload.venue, startsAt: chinaTime(payload.startsAt) }),
      channels,
      priority: "high"
    }),
    Subscription.make({
      id: "projects.notifyProjectSelected",
      event: eventType("ProjectSelected"),
      payload: ProjectSelected,
      recipients: ({ event, payload }) => to(payload.ownerId, event),
      template: templates.projectSelected,
      data: ({ payload }) => ({ title: payload.title, rank: String(payload.rank) }),
      channels
    }),
    Subscription.make({
      id: "projects.notifyReportDue",
      event: eventType("ReportDue"),
      payload: ReportDue,
      recipients: ({ event, payload }) => to(payload.ownerId, event),
      template: templates.reportDue,
      data: ({ payload }) => ({ title: payload.title, month: payload.month, dueOn: payload.dueOn }),
      channels
    }),
    Subscription.make({
      id: "projects.notifyReportOverdue",
      event: eventType("ReportOverdue"),
      payload: ReportOverdue,
      recipients: ({ event, payload }) => to(payload.ownerId, event),
      template: templates.reportOverdue,
      data: ({ payload }) => ({ title: payload.title, month: payload.month, dueOn: payload.dueOn }),
      channels,
      priority: "high"
    }),
    Subscription.make({
      id: "projects.notifyInspectionFindings",
      event: eventType("InspectionFindings"),
      payload: InspectionFindings,
      recipients: ({ event, payload }) => to(payload.ownerId, event),
      template: templates.inspectionFindings,
      data: ({ payload }) => ({
        title: payload.title,
        rating: payload.rating,
        findings: payload.findings.join("；"),
        rectifications:
          payload.rectifications.length === 0
            ? "无需整改。"
            : `请于期限前完成整改：${payload.rectifications.map((r) => `${r.finding}（${r.deadline} 前）`).join("；")}。`
      }),
      channels
    }),
    Subscription.make({
      id: "projects.notifyRectificationOverdue",
      event: eventType("RectificationOverdue"),
      payload: RectificationOverdue,
      recipients: ({ event, payload }) => to(payload.ownerId, event),
      template: templates.rectificationOverdue,
      data: ({ payload }) => ({ title: payload.title, finding: payload.finding, deadline: payload.deadline }),
      channels,
      priority: "high"
    }),
    Subscription.make({
      id: "projects.notifyProjectAccepted",
      event: eventType("ProjectAccepted"),
      payload: ProjectAccepted,
      recipients: ({ event, payload }) => to(payload.ownerId, event),
      template: templates.projectAccepted,
      data: ({ payload }) => ({
        title: payload.title,
        outcome: outcomeLabel[payload.outcome],
        missed: payload.missed.length === 0 ? "" : `未达标指标：${payload.missed.join("、")}。`
      }),
      channels
    }),
    Subscription.make({
      id: "projects.notifyActionItemOverdue",
      event: eventType("ActionItemOverdue"),
      payload: ActionItemOverdue,
      recipients: ({ event, payload }) => to(payload.ownerId, event),
      template: templates.actionItemOverdue,
      data: ({ payload }) => ({
        meetingTitle: payload.meetingTitle,
        text: payload.text,
        ownerUnit: payload.ownerUnit,
        deadline: payload.deadline
      }),
      channels,
      priority: "high"
    })
  ]
}
