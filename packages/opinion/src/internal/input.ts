import { Effect, ParseResult, Schema } from "effect"
import { InvalidInput } from "../OpinionErrors.js"

const fieldLabels: Record<string, string> = {
  tenantId: "区县代码",
  reportId: "诉求编号",
  primaryId: "主诉求编号",
  duplicateIds: "重复诉求",
  idempotencyKey: "幂等键",
  reporter: "反映人",
  contactPhone: "联系电话",
  communityCode: "社区",
  gridCode: "网格",
  address: "地址",
  category: "分类",
  kind: "诉求类型",
  urgency: "紧急程度",
  channel: "受理渠道",
  title: "标题",
  content: "诉求内容",
  attachments: "附件",
  receivedAt: "受理时间",
  department: "承办单位",
  note: "说明",
  reason: "理由",
  workingDays: "延期工作日数",
  text: "内容",
  satisfaction: "满意度",
  comment: "回访意见",
  asOf: "检查时间",
  limit: "每页条数",
  cursor: "翻页位置"
}

const where = (path: ReadonlyArray<PropertyKey>): string => {
  if (path.length === 0) return "输入"
  const text = path.map((key) => (typeof key === "number" ? `[${key}]` : String(key))).join(".")
  const last = [...path].reverse().find((key) => typeof key === "string") as string | undefined
  const label = last === undefined || !Object.hasOwn(fieldLabels, last) ? undefined : fieldLabels[last]
  return label === undefined ? text : `${text}（${label}）`
}

/** Long digit runs (a phone or ID number that slipped into a message) are hidden. */
const scrub = (text: string): string => text.replace(/\d{11,}[\dXx]?/g, "***")

/** Turns a parse error into readable problems that never repeat a phone number. */
export const problemsOf = (error: ParseResult.ParseError): Array<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
    const at = where(issue.path)
    if (issue._tag === "Missing") return `${at}：缺少此项`
    if (issue._tag === "Unexpected") return `${at}：多余的字段`
    const text = scrub(issue.message)
    return `${at}：${text.length > 300 ? `${text.slice(0, 300)}…` : text}`
  })

/** Decodes a command's input (every problem at once), failing with {@link InvalidInput}. */
export const decode =
  <A, I>(command: string, schema: Schema.Schema<A, I>) =>
  (input: unknown): Effect.Effect<A, InvalidInput> =>
    Effect.mapError(
      Schema.decodeUnknown(schema, { errors: "all" })(input),
      (error) => new InvalidInput({ command, problems: problemsOf(error) })
    )

/** Problems found after decoding, as an {@link InvalidInput}. */
export const invalid = (command: string, ...problems: ReadonlyArray<string>): InvalidInput =>
  new InvalidInput({ command, problems })
