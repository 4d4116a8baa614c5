/**
 * Default notifications of the opinion module (民情诉求通知): Chinese templates (with English) and subscriptions
 * for the notification dispatcher of `@gongzhi/core` — a new dispatch to the department, the "deadline
 * approaching" reminder, the overdue escalation (督办) to supervisors, the public reply to the reporter, and the
 * follow-up request.
 *
 * Who receives them is the district's business: pass a {@link RecipientDirectory} that finds a department's duty
 * officers, a street's supervisors, the follow-up team, and the reporter of a report. The reporter's phone number
 * never travels in an event: a directory that sends text messages looks it up itself (for instance with
 * `Opinions.revealContact` under a service account, which is audited).
 *
 * @since 0.1.0
 */
import type { Recipient } from "@gongzhi/core/Subscription"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { Effect, Schema } from "effect"
import * as Events from "./OpinionEvents.js"
import type { Reporter } from "./Report.js"
import * as Taxonomy from "./Taxonomy.js"

const text = Schema.String

/**
 * The templates (zh-CN first, English second).
 *
 * @since 0.1.0
 * @category constructors
 */
export const templates = {
  reportDispatched: Template.make({
    id: "opinion.reportDispatched",
    data: Schema.Struct({ reportId: text, departmentName: text, category: text, urgency: text, dueDate: text }),
    zh: {
      subject: "【新派单】{{urgency}}诉求 {{reportId}}（{{category}}）",
      text: "{{departmentName}}：诉求 {{reportId}}（{{category}}，{{urgency}}）已派至贵单位，请及时签收，并于 {{dueDate}} 前答复。"
    },
    en: {
      subject: "New case {{reportId}} ({{category}})",
      text: "{{departmentName}}: case {{reportId}} was dispatched to you; please reply by {{dueDate}}."
    }
  }),
  deadlineApproaching: Template.make({
    id: "opinion.deadlineApproaching",
    data: Schema.Struct({ reportId: text, dueDate: text, phase: text }),
    zh: {
      subject: "【临期提醒】诉求 {{reportId}} 将于 {{dueDate}} 到期",
      text: "诉求 {{reportId}} 的{{phase}}时限为 {{dueDate}}，请抓紧办理。"
    },
    en: {
      subject: "Case {{reportId}} is due on {{dueDate}}",
      text: "The {{phase}} deadline of case {{reportId}} is {{dueDate}}."
    }
  }),
  reportOverdue: Template.make({
    id: "opinion.reportOverdue",
    data: Schema.Struct({ reportId: text, dueDate: text, phase: text, level: Schema.Number }),
    zh: {
      subject: "【超期督办】诉求 {{reportId}} 已超过{{phase}}时限",
      text: "诉求 {{reportId}} 的{{phase}}时限 {{dueDate}} 已过，现第 {{level}} 次督办，请督促承办单位尽快办理。"
    },
    en: {
      subject: "Case {{reportId}} is overdue",
      text: "Case {{reportId}} passed its {{phase}} deadline of {{dueDate}} (escalation {{level}})."
    }
  }),
  replyPublished: Template.make({
    id: "opinion.replyPublished",
    data: Schema.Struct({ reportId: text, reply: text }),
    zh: {
      subject: "您反映的诉求 {{reportId}} 已有答复",
      text: "您好！您反映的诉求（编号 {{reportId}}）已有答复：{{reply}}。感谢您对社区治理的支持。"
    },
    en: {
      subject: "Your case {{reportId}} has a reply",
      text: "Your case {{reportId}} has been answered: {{reply}}"
    }
  }),
  followUpRequested: Template.make({
    id: "opinion.followUpRequested",
    data: Schema.Struct({ reportId: text, followUpDue: text, contact: text }),
    zh: {
      subject: "【回访】诉求 {{reportId}} 请于 {{followUpDue}} 前回访",
      text: "诉求 {{reportId}} 已答复，请于 {{followUpDue}} 前回访反映人（{{contact}}），记录满意度。"
    },
    en: {
      subject: "Follow up case {{reportId}} by {{followUpDue}}",
      text: "Case {{reportId}} was answered; follow up with the reporter ({{contact}}) by {{followUpDue}}."
    }
  })
} as const

/**
 * Finds the recipients of the module's notifications (district configuration).
 *
 * @since 0.1.0
 * @category models
 */
export interface RecipientDirectory<R> {
  /** The duty officers of a department (承办单位). */
  readonly department: (
    department: string
  ) => Effect.Effect<ReadonlyArray<Recipient | typeof Recipient.Encoded>, unknown, R>
  /** The supervisors (督办) of a street. */
  readonly supervisors: (
    streetCode: string
  ) => Effect.Effect<ReadonlyArray<Recipient | typeof Recipient.Encoded>, unknown, R>
  /** Whoever does the follow-up calls (回访) of a report. */
  readonly followUpTeam: (
    reportId: string
  ) => Effect.Effect<ReadonlyArray<Recipient | typeof Recipient.Encoded>, unknown, R>
  /** The reporter of a report (a resident's account, a volunteer, or a text message to the number on file). */
  readonly reporter: (
    reportId: string,
    reporter: Reporter
  ) => Effect.Effect<ReadonlyArray<Recipient | typeof Recipient.Encoded>, unknown, R>
}

/**
 * Options of {@link defaultSubscriptions}: the directory, the channels for staff and for reporters, and the
 * taxonomy used to name categories (default: the package's).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<R> {
  readonly recipients: RecipientDirectory<R>
  readonly channels: { readonly staff: ReadonlyArray<string>; readonly reporters: ReadonlyArray<string> }
  readonly taxonomy?: Taxonomy.Taxonomy | undefined
}

const phaseName = (clock: string) => (clock === "follow-up" ? "回访" : "办理")

const urgencyName = (urgency: Taxonomy.Urgency) => (urgency === "normal" ? "" : Taxonomy.urgencyLabel(urgency))

/**
 * The default subscriptions:
 * - `opinion.notifyDepartment` — `ReportDispatched` to the department (the subject says 紧急 / 特急 for urgent
 *   reports);
 * - `opinion.remindDeadline` — `DeadlineApproaching` to the department, or the street's supervisors when none;
 * - `opinion.escalateOverdue` — `ReportOverdue` to the street's supervisors and the department, high priority;
 * - `opinion.notifyReporter` — `ReplyPublished` to the reporter of every report concerned;
 * - `opinion.requestFollowUp` — `FollowUpRequested` to the follow-up team.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import * as OpinionNotifications from "@gongzhi/opinion/OpinionNotifications"
 *
 * const subscriptions = OpinionNotifications.defaultSubscriptions({
 *   channels: { staff: ["wecom"], reporters: ["sms"] },
 *   recipients: {
 *     department: (code) => Effect.succeed([{ id: `dept-${code}`, addresses: { wecom: `duty-${code}` } }]),
 *     supervisors: (street) => Effect.succeed([{ id: `sup-${street}`, addresses: { wecom: `sup-${street}` } }]),
 *     followUpTeam: () => Effect.succeed([{ id: "callcenter", addresses: { wecom: "callcenter" } }]),
 *     reporter: () => Effect.succeed([])
 *   }
 * })
 */
export const defaultSubscriptions = <R>(options: Options<R>): ReadonlyArray<Subscription.Subscription<R>> => {
  const taxonomy = options.taxonomy ?? Taxonomy.defaultTaxonomy
  const { recipients } = options
  const staff = options.channels.staff
  return [
    Subscription.make({
      id: "opinion.notifyDepartment",
      event: Events.eventType("ReportDispatched"),
      payload: Events.ReportDispatched,
      recipients: ({ payload }) => recipients.department(payload.department),
      template: templates.reportDispatched,
      data: ({ payload }) => ({
        reportId: payload.reportId,
        departmentName: payload.departmentName,
        category: Taxonomy.categoryLabel(taxonomy, payload.category),
        urgency: urgencyName(payload.urgency),
        dueDate: payload.dueDate
      }),
      channels: staff
    }),
    Subscription.make({
      id: "opinion.remindDeadline",
      event: Events.eventType("DeadlineApproaching"),
      payload: Events.DeadlineApproaching,
      recipients: ({ payload }) =>
        payload.department === undefined
          ? recipients.supervisors(payload.streetCode)
          : recipients.department(payload.department),
      template: templates.deadlineApproaching,
      data: ({ payload }) => ({
        reportId: payload.reportId,
        dueDate: payload.dueDate,
        phase: phaseName(payload.clock)
      }),
      channels: staff
    }),
    Subscription.make({
      id: "opinion.escalateOverdue",
      event: Events.eventType("ReportOverdue"),
      payload: Events.ReportOverdue,
      recipients: ({ payload }) =>
        payload.department === undefined
          ? recipients.supervisors(payload.streetCode)
          : Effect.zipWith(
              recipients.supervisors(payload.streetCode),
              recipients.department(payload.department),
              (supervisors, department) => [...supervisors, ...department]
            ),
      template: templates.reportOverdue,
      data: ({ payload }) => ({
        reportId: payload.reportId,
        dueDate: payload.dueDate,
        phase: phaseName(payload.clock),
        level: payload.level
      }),
      channels: staff,
      priority: "high"
    }),
    Subscription.make({
      id: "opinion.notifyReporter",
      event: Events.eventType("ReplyPublished"),
      payload: Events.ReplyPublished,
      recipients: ({ payload }) => recipients.reporter(payload.recipientReportId, payload.reporter),
      template: templates.replyPublished,
      data: ({ payload }) => ({ reportId: payload.recipientReportId, reply: payload.text }),
      channels: options.channels.reporters
    }),
    Subscription.make({
      id: "opinion.requestFollowUp",
      event: Events.eventType("FollowUpRequested"),
      payload: Events.FollowUpRequested,
      recipients: ({ payload }) => recipients.followUpTeam(payload.reportId),
      template: templates.followUpRequested,
      data: ({ payload }) => ({
        reportId: payload.reportId,
        followUpDue: payload.followUpDue,
        contact: payload.hasContact
          ? "电话已登记，可在系统中查看"
          : payload.reporter._tag === "Anonymous"
            ? "匿名，无联系方式"
            : "通过用户账号联系"
      }),
      channels: staff
    })
  ]
}
