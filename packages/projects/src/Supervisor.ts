/**
 * The third-party supervisor organisation (第三方督导机构) and its staff: the district registers it, assigns it
 * to cultivated projects, and its staff — actors with the `projects-supervisor` role — inspect and request
 * rectifications only on the projects their organisation supervises.
 *
 * @since 0.2.0
 */
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"

/**
 * A staff member: the id is the actor id they act with.
 *
 * @since 0.2.0
 * @category models
 */
export const SupervisorStaff = Schema.Struct({ staffId: Schema.String, name: Schema.String })

/**
 * A supervisor organisation.
 *
 * @since 0.2.0
 * @category models
 */
export class Supervisor extends Schema.Class<Supervisor>("@gongzhi/projects/Supervisor")({
  id: Schema.String,
  tenantId: TenantId,
  name: Schema.String,
  creditCode: Schema.String,
  staff: Schema.Array(SupervisorStaff),
  createdAt: Schema.Date
}) {}

/**
 * Registers a supervisor organisation.
 *
 * @since 0.2.0
 * @category commands
 */
export const RegisterSupervisor = Schema.Struct({
  tenantId: TenantId,
  name: Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "机构名称不能为空" })),
  creditCode: SocialCreditCode.SocialCreditCode,
  staff: Schema.Array(SupervisorStaff).pipe(Schema.minItems(1, { message: () => "至少应有一名督导人员" }))
})

/**
 * Whether an actor id is on the organisation's staff.
 *
 * @since 0.2.0
 * @category accessors
 */
export const isStaff = (supervisor: Supervisor, actorId: string): boolean =>
  supervisor.staff.some((s) => s.staffId === actorId)
