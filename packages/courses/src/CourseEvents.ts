/**
 * The domain events of 坪工学堂 — registration confirmed, waitlist promoted, reminder the day before,
 * session cancelled, certificate issued — appended to the outbox in the command's transaction, and
 * the default subscriptions that turn them into messages to the worker (addressed by worker number;
 * a district resolves the address, e.g. to the SMS channel, with `recipients`). Payloads never carry
 * a mobile number.
 *
 * @since 0.1.0
 */
import type { NewOutboxEvent, OutboxEvent } from "@gongzhi/core/Outbox"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Schema } from "effect"

const Str = Schema.String

/**
 * @since 0.1.0
 * @category events
 */
export const EnrolmentConfirmed = Schema.TaggedStruct("EnrolmentConfirmed", {
  courseId: Str,
  workerId: Str,
  title: Str,
  startsAt: Schema.Date,
  state: Schema.Literal("confirmed", "waitlisted"),
  position: Schema.Number
})

/**
 * @since 0.1.0
 * @category events
 */
export const WaitlistPromoted = Schema.TaggedStruct("WaitlistPromoted", {
  courseId: Str,
  workerId: Str,
  title: Str,
  startsAt: Schema.Date
})

/**
 * @since 0.1.0
 * @category events
 */
export const SessionReminder = Schema.TaggedStruct("SessionReminder", {
  courseId: Str,
  sessionId: Str,
  workerIds: Schema.Array(Str),
  title: Str,
  startsAt: Schema.Date,
  venue: Str
})

/**
 * @since 0.1.0
 * @category events
 */
export const SessionCancelled = Schema.TaggedStruct("SessionCancelled", {
  courseId: Str,
  sessionId: Str,
  workerIds: Schema.Array(Str),
  title: Str,
  startsAt: Schema.Date,
  reason: Str
})

/**
 * @since 0.1.0
 * @category events
 */
export const CertificateIssued = Schema.TaggedStruct("CertificateIssued", {
  courseId: Str,
  workerId: Str,
  title: Str,
  number: Str
})

/**
 * Every event of the domain.
 *
 * @since 0.1.0
 * @category events
 */
export const CourseEvent = Schema.Union(
  EnrolmentConfirmed,
  WaitlistPromoted,
  SessionReminder,
  SessionCancelled,
  CertificateIssued
)

/**
 * @since 0.1.0
 * @category events
 */
export type CourseEvent = typeof CourseEvent.Type

/**
 * The outbox type of an event, e.g. `courses.WaitlistPromoted`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const eventType = (tag: CourseEvent["_tag"]): string => `courses.${tag}`

const encode = Schema.encodeSync(CourseEvent)

/**
 * The outbox row of an event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toOutbox = (tenantId: TenantId, event: CourseEvent): NewOutboxEvent => ({
  tenantId,
  type: eventType(event._tag),
  aggregateType: "Course",
  aggregateId: event.courseId,
  payload: encode(event)
})

/**
 * Decodes an outbox event's payload back into a course event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromOutbox = (event: OutboxEvent) => Schema.decodeUnknown(CourseEvent)(event.payload)

const CHINA_OFFSET_MS = 8 * 3_600_000
const pad = (n: number) => String(n).padStart(2, "0")

/**
 * A time as China local time, e.g. `2026-03-06 19:00`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const chinaTime = (date: Date): string => {
  const d = new Date(date.getTime() + CHINA_OFFSET_MS)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/**
 * The notification templates (zh-CN first, English too).
 *
 * @since 0.1.0
 * @category constructors
 */
export const templates = {
  enrolmentConfirmed: Template.make({
    id: "courses.enrolmentConfirmed",
    data: Schema.Struct({ title: Str, startsAt: Str, outcome: Str }),
    zh: {
      subject: "坪工学堂报名成功：{{title}}",
      text: "您已报名「{{title}}」（{{outcome}}），首次上课 {{startsAt}}。"
    },
    en: { subject: "Enrolled: {{title}}", text: "You enrolled in {{title}} ({{outcome}}), first session {{startsAt}}." }
  }),
  waitlistPromoted: Template.make({
    id: "courses.waitlistPromoted",
    data: Schema.Struct({ title: Str, startsAt: Str }),
    zh: {
      subject: "候补转正：{{title}}",
      text: "有学员取消报名，您已由候补转为正式学员「{{title}}」，首次上课 {{startsAt}}。"
    },
    en: {
      subject: "You have a place: {{title}}",
      text: "A place was freed: you are in {{title}}, first session {{startsAt}}."
    }
  }),
  sessionReminder: Template.make({
    id: "courses.sessionReminder",
    data: Schema.Struct({ title: Str, startsAt: Str, venue: Str }),
    zh: {
      subject: "上课提醒：{{title}}",
      text: "您报名的「{{title}}」将于 {{startsAt}} 在{{venue}}上课，如不能参加请提前取消。"
    },
    en: { subject: "Reminder: {{title}}", text: "{{title}} meets {{startsAt}} at {{venue}}." }
  }),
  sessionCancelled: Template.make({
    id: "courses.sessionCancelled",
    data: Schema.Struct({ title: Str, startsAt: Str, reason: Str }),
    zh: { subject: "课次取消：{{title}}", text: "原定 {{startsAt}} 的「{{title}}」课次已取消，原因：{{reason}}。" },
    en: { subject: "Session cancelled: {{title}}", text: "{{title}} at {{startsAt}} was cancelled ({{reason}})." }
  }),
  certificateIssued: Template.make({
    id: "courses.certificateIssued",
    data: Schema.Struct({ title: Str, number: Str }),
    zh: { subject: "结业证书已出具（{{number}}）", text: "恭喜您完成「{{title}}」，结业证书编号 {{number}}。" },
    en: { subject: "Certificate issued ({{number}})", text: "You completed {{title}}: certificate {{number}}." }
  })
} as const

/**
 * Options of {@link subscriptions}: the channels, and how to reach a worker (default: the worker
 * number as the address on every channel).
 *
 * @since 0.1.0
 * @category models
 */
export interface SubscriptionOptions<R> {
  readonly channels: ReadonlyArray<string>
  readonly recipients?:
    | ((workerId: string, event: OutboxEvent) => Effect.Effect<Subscription.Recipient | undefined, unknown, R>)
    | undefined
}

/**
 * The default subscriptions: one per event, to the workers concerned.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { CourseEvents } from "@gongzhi/courses"
 *
 * const subscriptions = CourseEvents.subscriptions({ channels: ["sms"] })
 */
export const subscriptions = <R = never>(
  options: SubscriptionOptions<R>
): ReadonlyArray<Subscription.Subscription<R>> => {
  const channels = options.channels
  const resolve =
    options.recipients ??
    ((workerId: string) =>
      Effect.succeed<Subscription.Recipient | undefined>({
        id: workerId,
        addresses: Object.fromEntries(channels.map((channel) => [channel, workerId])),
        locale: "zh-CN"
      }))
  const all = (ids: ReadonlyArray<string>, event: OutboxEvent) =>
    Effect.map(
      Effect.forEach(ids, (id) => resolve(id, event)),
      (list) => list.filter((r): r is Subscription.Recipient => r !== undefined)
    )
  return [
    Subscription.make({
      id: "courses.notifyEnrolmentConfirmed",
      event: eventType("EnrolmentConfirmed"),
      payload: EnrolmentConfirmed,
      recipients: ({ event, payload }) => all([payload.workerId], event),
      template: templates.enrolmentConfirmed,
      data: ({ payload }) => ({
        title: payload.title,
        startsAt: chinaTime(payload.startsAt),
        outcome: payload.state === "confirmed" ? "正式" : `候补第 ${payload.position} 位`
      }),
      channels
    }),
    Subscription.make({
      id: "courses.notifyWaitlistPromoted",
      event: eventType("WaitlistPromoted"),
      payload: WaitlistPromoted,
      recipients: ({ event, payload }) => all([payload.workerId], event),
      template: templates.waitlistPromoted,
      data: ({ payload }) => ({ title: payload.title, startsAt: chinaTime(payload.startsAt) }),
      channels
    }),
    Subscription.make({
      id: "courses.notifySessionReminder",
      event: eventType("SessionReminder"),
      payload: SessionReminder,
      recipients: ({ event, payload }) => all(payload.workerIds, event),
      template: templates.sessionReminder,
      data: ({ payload }) => ({ title: payload.title, startsAt: chinaTime(payload.startsAt), venue: payload.venue }),
      channels
    }),
    Subscription.make({
      id: "courses.notifySessionCancelled",
      event: eventType("SessionCancelled"),
      payload: SessionCancelled,
      recipients: ({ event, payload }) => all(payload.workerIds, event),
      template: templates.sessionCancelled,
      data: ({ payload }) => ({ title: payload.title, startsAt: chinaTime(payload.startsAt), reason: payload.reason }),
      channels
    }),
    Subscription.make({
      id: "courses.notifyCertificateIssued",
      event: eventType("CertificateIssued"),
      payload: CertificateIssued,
      recipients: ({ event, payload }) => all([payload.workerId], event),
      template: templates.certificateIssued,
      data: ({ payload }) => ({ title: payload.title, number: payload.number }),
      channels
    })
  ]
}
