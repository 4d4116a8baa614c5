import type * as Command from "@gongzhi/core/Command"

/** Field names of the opinion inputs in Chinese, for `InvalidInput` problems. */
export const labels: Command.FieldLabels = {
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
  receivedFrom: "受理时间起",
  receivedBefore: "受理时间止"
}
