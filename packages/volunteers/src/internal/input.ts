import { Effect, ParseResult, Schema } from "effect"
import { InvalidInput } from "../VolunteerErrors.js"

const fieldLabels: Record<string, string> = {
  tenantId: "区县代码",
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
  regionCode: "区划代码",
  roleId: "职务",
  limit: "每页条数"
}

const zhExpected = (expected: string): string =>
  expected.startsWith("a string matching the pattern")
    ? "符合格式要求的文本"
    : expected === "string"
      ? "文本"
      : expected === "number"
        ? "数字"
        : expected === "boolean"
          ? "是/否"
          : expected.startsWith("ReadonlyArray<")
            ? "列表"
            : expected.startsWith("{")
              ? "对象"
              : expected.includes(" | ")
                ? `以下之一：${expected}`
                : expected

/** Long digit runs (an ID or phone number that slipped into a message) are hidden. */
const scrub = (text: string): string => text.replace(/\d{11,}[\dXx]?/g, "***")

const where = (path: ReadonlyArray<PropertyKey>): string => {
  if (path.length === 0) return "输入"
  const last = [...path].reverse().find((key) => typeof key === "string") as string | undefined
  const label = last === undefined ? undefined : fieldLabels[last]
  const text = path.map((key) => (typeof key === "number" ? `[${key}]` : String(key))).join(".")
  return label === undefined ? `字段 ${text}` : `${label}（${text}）`
}

/** Turns a parse error into clerk-readable problems that never repeat the values given. */
export const problemsOf = (error: ParseResult.ParseError): Array<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
    const at = where(issue.path)
    if (issue._tag === "Missing") return `缺少${at}`
    if (issue._tag === "Unexpected") return `${at} 是多余的字段`
    const expected = /^Expected (.+?), actual /s.exec(issue.message)
    if (expected !== null) return `${at} 应为${zhExpected(expected[1])}`
    return scrub(`${at}：${issue.message}`)
  })

/** Decodes a command's input, failing with {@link InvalidInput}. */
export const decode =
  <A, I>(command: string, schema: Schema.Schema<A, I>) =>
  (input: unknown): Effect.Effect<A, InvalidInput> =>
    Effect.mapError(
      Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "ignore" })(input),
      (error) => new InvalidInput({ command, problems: problemsOf(error) })
    )

/** One problem, as an {@link InvalidInput}. */
export const invalid = (command: string, problem: string): InvalidInput =>
  new InvalidInput({ command, problems: [problem] })

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
