import * as Command from "@gongzhi/core/Command"
import { Schema } from "effect"
import type { ParseError } from "effect/ParseResult"

/** Field names in Chinese for input problems. */
export const fieldLabels: Command.FieldLabels = {
  name: "姓名",
  residentId: "公民身份号码",
  mobile: "手机号码",
  affiliation: "所属组织",
  creditCode: "统一社会信用代码",
  skills: "技能",
  homeCommunity: "居住社区",
  teamId: "队伍",
  consent: "个人信息处理同意",
  purpose: "目的",
  consentedAt: "同意时间",
  volunteerId: "志愿者编号",
  shiftId: "班次",
  activityId: "活动",
  startsAt: "开始时间",
  endsAt: "结束时间",
  capacity: "名额",
  reason: "原因",
  minutes: "分钟数",
  code: "签到码",
  roleId: "职务"
}

/** The problems of a parse error as clerk-readable sentences that never repeat the values given. */
export const problemsOf = (error: ParseError): Array<string> =>
  Command.problemsOf(error, { ...Command.defaultLabels, ...fieldLabels }).map((problem) => problem.message)

/** Decodes an input outside a command (reports, the roster), failing with core's `InvalidInput`. */
export const decode = <A, I>(command: string, schema: Schema.Schema<A, I, never>) =>
  Command.decode(command, schema, { labels: { ...Command.defaultLabels, ...fieldLabels } })

/** A time given as a `Date` or an ISO 8601 string. */
export const DateInput = Schema.Union(Schema.ValidDateFromSelf, Schema.Date).annotations({
  identifier: "DateInput",
  title: "时间"
})

/** A trimmed, non-empty text of at most `max` characters. */
export const Text = (title: string, max: number) =>
  Schema.Trim.pipe(
    Schema.minLength(1, { message: () => `${title}不能为空` }),
    Schema.maxLength(max, { message: () => `${title}不能超过 ${max} 个字符` }),
    Schema.annotations({ title })
  )

/** Page options of list queries. */
export const PageInput = {
  limit: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 500, { message: () => "每页条数应在 1 到 500 之间" })), {
    default: () => 50
  }),
  cursor: Schema.optional(Schema.String)
}
