/**
 * The domain events of the volunteer corps, appended to the outbox in the same transaction as the
 * state change: an application approved, a waitlisted sign-up promoted, a shift reminder (the working
 * day before the shift), a shift cancelled, a star level reached, a certificate issued. Payloads
 * carry volunteer numbers and names, never ID or phone numbers.
 *
 * Default notification subscriptions with Simplified Chinese (and English) templates turn them into
 * messages to the volunteers concerned ({@link subscriptions}).
 *
 * @since 0.1.0
 */
import { VolunteerId } from "@gongzhi/core/Actor"
import { LocalDate } from "@gongzhi/core/LocalDate"
import type { NewOutboxEvent, OutboxEvent } from "@gongzhi/core/Outbox"
import { RegionCode } from "@gongzhi/core/Region"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Schema } from "effect"
import { TeamId } from "./Corps.js"
import { CHINA_OFFSET_MS } from "./internal/time.js"

/**
 * An application was approved: the applicant is now an active volunteer of a team.
 *
 * @since 0.1.0
 * @category models
 */
export const ApplicationApproved = Schema.TaggedStruct("ApplicationApproved", {
  volunteerId: VolunteerId,
  name: Schema.String,
  teamId: TeamId,
  teamName: Schema.String,
  approvedAt: Schema.Date
})

/**
 * A cancellation freed a place and the first volunteer on the waitlist was promoted.
 *
 * @since 0.1.0
 * @category models
 */
export const SignUpPromoted = Schema.TaggedStruct("SignUpPromoted", {
  volunteerId: VolunteerId,
  shiftId: Schema.String,
  activityId: Schema.String,
  title: Schema.String,
  communityCode: RegionCode,
  startsAt: Schema.Date,
  endsAt: Schema.Date
})

/**
 * A reminder, on the working day before a shift, to a volunteer with a place on it.
 *
 * @since 0.1.0
 * @category models
 */
export const ShiftReminder = Schema.TaggedStruct("ShiftReminder", {
  volunteerId: VolunteerId,
  shiftId: Schema.String,
  activityId: Schema.String,
  title: Schema.String,
  communityCode: RegionCode,
  startsAt: Schema.Date,
  endsAt: Schema.Date,
  remindOn: LocalDate
})

/**
 * A shift was cancelled; everyone with a place or on the waitlist is told.
 *
 * @since 0.1.0
 * @category models
 */
export const ShiftCancelled = Schema.TaggedStruct("ShiftCancelled", {
  shiftId: Schema.String,
  activityId: Schema.String,
  title: Schema.String,
  startsAt: Schema.Date,
  reason: Schema.String,
  volunteerIds: Schema.Array(VolunteerId)
})

/**
 * A volunteer's approved hours reached a star level.
 *
 * @since 0.1.0
 * @category models
 */
export const StarLevelReached = Schema.TaggedStruct("StarLevelReached", {
  volunteerId: VolunteerId,
  name: Schema.String,
  level: Schema.Int,
  previousLevel: Schema.Int,
  approvedHours: Schema.Number,
  policySource: Schema.String,
  policyEffectiveFrom: LocalDate
})

/**
 * A certificate of service records was issued; its publicity period has begun.
 *
 * @since 0.1.0
 * @category models
 */
export const CertificateIssued = Schema.TaggedStruct("CertificateIssued", {
  certificateId: Schema.String,
  number: Schema.String,
  volunteerId: VolunteerId,
  teamId: TeamId,
  issuedOn: LocalDate,
  publicityEndsOn: LocalDate,
  totalHours: Schema.Number
})

/**
 * Every event of the volunteer corps.
 *
 * @since 0.1.0
 * @category models
 */
export const VolunteerEvent = Schema.Union(
  ApplicationApproved,
  SignUpPromoted,
  ShiftReminder,
  ShiftCancelled,
  StarLevelReached,
  CertificateIssued
)

/**
 * @since 0.1.0
 * @category models
 */
export type VolunteerEvent = typeof VolunteerEvent.Type

/**
 * The outbox type of an event: `volunteers.` and its tag, e.g. `volunteers.ShiftReminder`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const eventType = (tag: VolunteerEvent["_tag"]): string => `volunteers.${tag}`

const aggregateOf = (event: VolunteerEvent): readonly [string, string] => {
  switch (event._tag) {
    case "ApplicationApproved":
    case "StarLevelReached":
      return ["Volunteer", event.volunteerId]
    case "SignUpPromoted":
    case "ShiftReminder":
    case "ShiftCancelled":
      return ["Shift", event.shiftId]
    case "CertificateIssued":
      return ["Certificate", event.certificateId]
  }
}

const encodeEvent = Schema.encodeSync(VolunteerEvent)

/**
 * The outbox entry of an event (payload encoded with {@link VolunteerEvent}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toOutbox = (tenantId: TenantId, event: VolunteerEvent): NewOutboxEvent => {
  const [aggregateType, aggregateId] = aggregateOf(event)
  return { tenantId, type: eventType(event._tag), aggregateType, aggregateId, payload: encodeEvent(event) }
}

/**
 * Decodes an outbox event's payload back into a volunteer event (for consumers and tests).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromOutbox = (event: OutboxEvent) => Schema.decodeUnknown(VolunteerEvent)(event.payload)

// ---------------------------------------------------------------------------------------------
// templates and default subscriptions
// ---------------------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, "0")

/** A time as China local time, e.g. `2026-03-06 09:00`. */
const chinaTime = (date: Date): string => {
  const d = new Date(date.getTime() + CHINA_OFFSET_MS)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

const Str = Schema.String

/**
 * The notification templates (zh-CN first, English too).
 *
 * @since 0.1.0
 * @category constructors
 */
export const templates = {
  applicationApproved: Template.make({
    id: "volunteers.applicationApproved",
    data: Schema.Struct({ name: Str, volunteerId: Str, teamName: Str }),
    zh: {
      subject: "民情志愿者登记已审核通过",
      text: "{{name}}，您的民情志愿者登记已审核通过。志愿者编号：{{volunteerId}}，所属队伍：{{teamName}}。欢迎加入！"
    },
    en: {
      subject: "Volunteer registration approved",
      text: "{{name}}, your registration was approved. Volunteer number: {{volunteerId}}, team: {{teamName}}."
    }
  }),
  signUpPromoted: Template.make({
    id: "volunteers.signUpPromoted",
    data: Schema.Struct({ volunteerId: Str, title: Str, startsAt: Str }),
    zh: {
      subject: "候补转正：{{title}}",
      text: "志愿者 {{volunteerId}}：有人取消报名，您已由候补转为正式参加「{{title}}」，开始时间 {{startsAt}}，请准时签到。"
    },
    en: {
      subject: "You have a place: {{title}}",
      text: "Volunteer {{volunteerId}}: a place was freed and you now have one on {{title}}, starting {{startsAt}}."
    }
  }),
  shiftReminder: Template.make({
    id: "volunteers.shiftReminder",
    data: Schema.Struct({ volunteerId: Str, title: Str, startsAt: Str, endsAt: Str }),
    zh: {
      subject: "服务提醒：{{title}}",
      text: "志愿者 {{volunteerId}}：您报名的「{{title}}」将于 {{startsAt}} 开始，{{endsAt}} 结束，请准时到场签到。如不能参加，请提前取消报名，以便候补志愿者参加。"
    },
    en: {
      subject: "Reminder: {{title}}",
      text: "Volunteer {{volunteerId}}: {{title}} starts {{startsAt}} and ends {{endsAt}}. Please cancel in time if you cannot come."
    }
  }),
  shiftCancelled: Template.make({
    id: "volunteers.shiftCancelled",
    data: Schema.Struct({ volunteerId: Str, title: Str, startsAt: Str, reason: Str }),
    zh: {
      subject: "班次取消：{{title}}",
      text: "志愿者 {{volunteerId}}：原定 {{startsAt}} 开始的「{{title}}」已取消，原因：{{reason}}。给您带来不便，敬请谅解。"
    },
    en: {
      subject: "Shift cancelled: {{title}}",
      text: "Volunteer {{volunteerId}}: {{title}} at {{startsAt}} was cancelled ({{reason}})."
    }
  }),
  starLevelReached: Template.make({
    id: "volunteers.starLevelReached",
    data: Schema.Struct({ name: Str, level: Str, hours: Str }),
    zh: {
      subject: "恭喜您成为{{level}}星级志愿者",
      text: "{{name}}，您累计志愿服务时长已达 {{hours}} 小时，成为{{level}}星级志愿者。感谢您的奉献！"
    },
    en: {
      subject: "You are now a {{level}}-star volunteer",
      text: "{{name}}, your approved service hours reached {{hours}}: you are now a {{level}}-star volunteer."
    }
  }),
  certificateIssued: Template.make({
    id: "volunteers.certificateIssued",
    data: Schema.Struct({ number: Str, hours: Str, publicityEndsOn: Str }),
    zh: {
      subject: "志愿服务记录证明已出具（{{number}}）",
      text: "您申请的志愿服务记录证明已出具，编号 {{number}}，证明时长 {{hours}} 小时。公示期至 {{publicityEndsOn}}，期满无异议后生效。"
    },
    en: {
      subject: "Certificate issued ({{number}})",
      text: "Your certificate {{number}} ({{hours}} hours) was issued; it takes effect after publicity ends on {{publicityEndsOn}}."
    }
  })
} as const

/**
 * Finds how to reach a volunteer: a recipient with addresses on the channels, or `undefined` to skip
 * them. A district provides its own (e.g. looking up a WeCom user id); the default addresses the
 * volunteer by their volunteer number on every channel.
 *
 * @since 0.1.0
 * @category models
 */
export type RecipientResolver<R> = (
  volunteerId: string,
  event: OutboxEvent
) => Effect.Effect<Subscription.Recipient | undefined, unknown, R>

/**
 * Options of {@link subscriptions}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SubscriptionOptions<R> {
  /** The channels to notify on (each must be configured in `Notifiers`). */
  readonly channels: ReadonlyArray<string>
  readonly recipients?: RecipientResolver<R> | undefined
}

const resolveAll = <R>(
  resolver: RecipientResolver<R>,
  volunteerIds: ReadonlyArray<string>,
  event: OutboxEvent
): Effect.Effect<ReadonlyArray<Subscription.Recipient>, unknown, R> =>
  Effect.map(
    Effect.forEach(volunteerIds, (id) => resolver(id, event)),
    (list) => list.filter((r): r is Subscription.Recipient => r !== undefined)
  )

/**
 * The default subscriptions: one per event, to the volunteers concerned, with the zh-CN templates.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Subscription } from "@gongzhi/core"
 * import { VolunteerEvents } from "@gongzhi/volunteers"
 *
 * const checked = Subscription.configure(VolunteerEvents.subscriptions({ channels: ["console"] }), {
 *   channels: ["console"]
 * })
 */
export const subscriptions = <R = never>(
  options: SubscriptionOptions<R>
): ReadonlyArray<Subscription.Subscription<R>> => {
  const channels = options.channels
  const resolver: RecipientResolver<R> =
    options.recipients ??
    ((volunteerId) =>
      Effect.succeed({
        id: volunteerId,
        addresses: Object.fromEntries(channels.map((channel) => [channel, volunteerId])),
        locale: "zh-CN"
      }))
  return [
    Subscription.make({
      id: "volunteers.notifyApplicationApproved",
      event: eventType("ApplicationApproved"),
      payload: ApplicationApproved,
      recipients: ({ event, payload }) => resolveAll(resolver, [payload.volunteerId], event),
      template: templates.applicationApproved,
      data: ({ payload }) => ({ name: payload.name, volunteerId: payload.volunteerId, teamName: payload.teamName }),
      channels
    }),
    Subscription.make({
      id: "volunteers.notifySignUpPromoted",
      event: eventType("SignUpPromoted"),
      payload: SignUpPromoted,
      recipients: ({ event, payload }) => resolveAll(resolver, [payload.volunteerId], event),
      template: templates.signUpPromoted,
      data: ({ payload }) => ({
        volunteerId: payload.volunteerId,
        title: payload.title,
        startsAt: chinaTime(payload.startsAt)
      }),
      channels,
      priority: "high"
    }),
    Subscription.make({
      id: "volunteers.notifyShiftReminder",
      event: eventType("ShiftReminder"),
      payload: ShiftReminder,
      recipients: ({ event, payload }) => resolveAll(resolver, [payload.volunteerId], event),
      template: templates.shiftReminder,
      data: ({ payload }) => ({
        volunteerId: payload.volunteerId,
        title: payload.title,
        startsAt: chinaTime(payload.startsAt),
        endsAt: chinaTime(payload.endsAt)
      }),
      channels
    }),
    Subscription.make({
      id: "volunteers.notifyShiftCancelled",
      event: eventType("ShiftCancelled"),
      payload: ShiftCancelled,
      recipients: ({ event, payload }) => resolveAll(resolver, payload.volunteerIds, event),
      template: templates.shiftCancelled,
      data: ({ payload }, recipient) => ({
        volunteerId: recipient.id,
        title: payload.title,
        startsAt: chinaTime(payload.startsAt),
        reason: payload.reason
      }),
      channels,
      priority: "high"
    }),
    Subscription.make({
      id: "volunteers.notifyStarLevelReached",
      event: eventType("StarLevelReached"),
      payload: StarLevelReached,
      recipients: ({ event, payload }) => resolveAll(resolver, [payload.volunteerId], event),
      template: templates.starLevelReached,
      data: ({ payload }) => ({
        name: payload.name,
        level: String(payload.level),
        hours: String(payload.approvedHours)
      }),
      channels,
      priority: "low"
    }),
    Subscription.make({
      id: "volunteers.notifyCertificateIssued",
      event: eventType("CertificateIssued"),
      payload: CertificateIssued,
      recipients: ({ event, payload }) => resolveAll(resolver, [payload.volunteerId], event),
      template: templates.certificateIssued,
      data: ({ payload }) => ({
        number: payload.number,
        hours: String(payload.totalHours),
        publicityEndsOn: payload.publicityEndsOn
      }),
      channels
    })
  ]
}
