/**
 * Who did something (经办人): an actor's kind and id, as stored on records, adjustments, approvals
 * and certificates. It never carries personal data (core actor ids refuse ID and phone numbers).
 *
 * @since 0.1.0
 */
import type * as Actor from "@gongzhi/core/Actor"
import { Schema } from "effect"

/**
 * An actor's kind and id.
 *
 * @since 0.1.0
 * @category models
 */
export class ActorRef extends Schema.Class<ActorRef>("@gongzhi/volunteers/ActorRef")({
  kind: Schema.Literal("Staff", "Volunteer", "Resident", "ServiceAccount"),
  id: Schema.String
}) {}

/**
 * The reference of an actor.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromActor = (actor: Actor.Actor): ActorRef =>
  new ActorRef({
    kind: actor._tag,
    id:
      actor._tag === "Staff"
        ? actor.staffId
        : actor._tag === "Volunteer"
          ? actor.volunteerId
          : actor._tag === "Resident"
            ? actor.userId
            : actor.clientId
  })

/**
 * A short description for messages, e.g. `工作人员 S0001`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const label = (ref: ActorRef): string =>
  `${ref.kind === "Staff" ? "工作人员" : ref.kind === "Volunteer" ? "志愿者" : ref.kind === "Resident" ? "居民" : "服务账号"} ${ref.id}`
