/**
 * The notification templates (zh-CN first) and default subscriptions of the projects domain: the applicant's
 * account hears that its application was received, when its defence is, and that it was selected. A district
 * passes its own recipient resolver (e.g. to reach the organisation's contact on WeCom).
 *
 * @since 0.1.0
 */
import type { OutboxEvent } from "@gongzhi/core/Outbox"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import { Effect, Schema } from "effect"
import { ApplicationReceived, DefenceScheduled, eventType, ProjectSelected } from "./ProjectEvents.js"

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
  })
} as const

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
    })
  ]
}
