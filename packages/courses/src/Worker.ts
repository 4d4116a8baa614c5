/**
 * Workers (学员) of 坪工学堂: registered from their phone with a mobile number verified by a one-time
 * SMS code, or at the desk by staff; a name, an optional employer (with its unified social credit
 * code), a community, and the consent they gave. The mobile number is stored encrypted (core
 * `FieldCipher`, bound to the column, the tenant and the worker) with a blind index for lookups and
 * uniqueness, and shown masked only. No-shows lower the worker's waitlist priority (a penalty, never
 * a ban: only a person decides that).
 *
 * @since 0.1.0
 */
import { Ciphertext } from "@gongzhi/core/FieldCipher"
import * as MobileNumber from "@gongzhi/core/MobileNumber"
import { RegionCode } from "@gongzhi/core/Region"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import { TenantId } from "@gongzhi/core/Tenant"
import { PlainName } from "@gongzhi/core/Text"
import { Schema } from "effect"

/**
 * A sealed mobile number: ciphertext, blind index, masked form.
 *
 * @since 0.1.0
 * @category models
 */
export class SealedMobile extends Schema.Class<SealedMobile>("@gongzhi/courses/SealedMobile")({
  ciphertext: Ciphertext,
  blindIndex: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)),
  masked: Schema.String
}) {}

/**
 * An employer: its name and, optionally, its unified social credit code (统一社会信用代码).
 *
 * @since 0.1.0
 * @category models
 */
export const Employer = Schema.Struct({
  name: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(64)),
  creditCode: Schema.optional(Schema.String)
})

/**
 * The consent a worker gave (purpose and time).
 *
 * @since 0.1.0
 * @category models
 */
export const Consent = Schema.Struct({ purpose: Schema.String.pipe(Schema.maxLength(200)), at: Schema.Date })

/**
 * A worker.
 *
 * @since 0.1.0
 * @category models
 */
export class Worker extends Schema.Class<Worker>("@gongzhi/courses/Worker")({
  id: Schema.String,
  tenantId: TenantId,
  name: Schema.String,
  mobile: SealedMobile,
  employer: Schema.optional(Employer),
  communityCode: RegionCode,
  consent: Consent,
  registeredBy: Schema.Literal("sms", "desk"),
  status: Schema.Literal("active", "suspended"),
  noShows: Schema.NonNegativeInt,
  priority: Schema.Int,
  createdAt: Schema.Date
}) {}

const employerWithCode = Schema.Struct({
  name: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(64)),
  creditCode: Schema.optional(SocialCreditCode.SocialCreditCode)
})

const registration = {
  tenantId: TenantId,
  name: PlainName,
  mobile: MobileNumber.MobileNumber,
  employer: Schema.optional(employerWithCode),
  communityCode: RegionCode,
  consent: Schema.Struct({ purpose: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(200)) })
}

/**
 * The input of `Courses.registerWorker`: the worker's own registration, with the SMS code they
 * received.
 *
 * @since 0.1.0
 * @category inputs
 * @example
 * import { Worker } from "@gongzhi/courses"
 *
 * const input: typeof Worker.RegisterWorker.Encoded = {
 *   tenantId: "440310",
 *   name: "李四",
 *   mobile: "13800138000",
 *   code: "123456",
 *   communityCode: "440310003001",
 *   consent: { purpose: "坪工学堂报名与结业证书" }
 * }
 */
export const RegisterWorker = Schema.Struct({
  ...registration,
  code: Schema.String.pipe(Schema.pattern(/^\d{4,8}$/, { message: () => "验证码应为 4–8 位数字" }))
})

/**
 * The input of `Courses.registerAtDesk` (staff register a worker who came in person).
 *
 * @since 0.1.0
 * @category inputs
 */
export const RegisterAtDesk = Schema.Struct(registration)

/**
 * A worker as shown to staff: the mobile masked.
 *
 * @since 0.1.0
 * @category models
 */
export interface WorkerView {
  readonly id: string
  readonly name: string
  readonly maskedMobile: string
  readonly employer: string | undefined
  readonly communityCode: string
  readonly noShows: number
  readonly priority: number
}

/**
 * The view of a worker.
 *
 * @since 0.1.0
 * @category accessors
 */
export const view = (worker: Worker): WorkerView => ({
  id: worker.id,
  name: worker.name,
  maskedMobile: worker.mobile.masked,
  employer: worker.employer?.name,
  communityCode: worker.communityCode,
  noShows: worker.noShows,
  priority: worker.priority
})

/**
 * The no-show penalty: after `threshold` no-shows, each further `threshold` lowers the waitlist
 * priority by one (`priority = -floor(noShows / threshold)`); `threshold` 0 disables it.
 *
 * @since 0.1.0
 * @category accessors
 */
export const penalty = (noShows: number, threshold: number): number =>
  threshold <= 0 ? 0 : -Math.floor(noShows / threshold)
