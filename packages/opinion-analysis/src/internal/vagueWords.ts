/**
 * Vague words (泛化词): words that are frequent in residents' reports but name no topic — times of day,
 * the formulas of intake and reply, generic nouns and verbs, and the generic parts of estate names that a
 * segmenter without the district's dictionary cuts off. Hot and rising topics leave them out, whatever the
 * segmenter's stop words. A district extends the list (`Topics.defaultVagueWords`) with its own.
 *
 * @internal
 */

/** Times of day and dates: 晚上 is when, not what. */
const times = [
  "晚上",
  "夜里",
  "夜间",
  "半夜",
  "深夜",
  "凌晨",
  "早上",
  "早晨",
  "上午",
  "中午",
  "下午",
  "傍晚",
  "白天",
  "每天",
  "每晚",
  "天天",
  "今天",
  "昨天",
  "明天",
  "前天",
  "前几天",
  "这几天",
  "最近",
  "近期",
  "近来",
  "目前",
  "现在",
  "当时",
  "时候",
  "时间",
  "小时",
  "分钟",
  "星期",
  "周末",
  "平时",
  "以前",
  "之前",
  "以后",
  "之后",
  "一直",
  "经常",
  "多次",
  "好几次",
  "长期",
  "很久"
]

/** The formulas of intake and reply, and words about reporting rather than about the matter. */
const reporting = [
  "意见",
  "建议",
  "申请",
  "问题",
  "反映",
  "情况",
  "投诉",
  "举报",
  "咨询",
  "诉求",
  "希望",
  "要求",
  "请求",
  "请问",
  "处理",
  "解决",
  "回复",
  "答复",
  "盼复",
  "反馈",
  "提交",
  "办理",
  "审核",
  "显示",
  "通知",
  "联系",
  "协调",
  "帮忙",
  "麻烦",
  "谢谢",
  "感谢",
  "尽快",
  "及时",
  "相关",
  "有关",
  "部门",
  "单位",
  "工作人员",
  "来电",
  "来电称",
  "您好",
  "你好",
  "我想",
  "我是",
  "我们",
  "大家",
  "担心",
  "影响",
  "严重",
  "很大",
  "很多",
  "非常",
  "存在",
  "出现",
  "发现",
  "没有",
  "需要",
  "进行",
  "导致",
  "造成",
  "网上"
]

/** Generic nouns: where and who, with no matter attached. */
const generic = [
  "地方",
  "东西",
  "事情",
  "附近",
  "周边",
  "周围",
  "门口",
  "旁边",
  "这边",
  "那边",
  "里面",
  "外面",
  "居民",
  "市民",
  "群众",
  "住户",
  "女士",
  "先生",
  "服务",
  "中心",
  "公司",
  "社区",
  "街道",
  "小区"
]

/** The generic parts of estate names (和悦花园 → 和悦 / 花园 without the dictionary). */
const estateParts = ["花园", "家园", "新村", "公馆", "华府", "名庭", "雅居", "名苑", "雅苑", "花苑", "小镇"]

export const vagueWords: ReadonlyArray<string> = [...new Set([...times, ...reporting, ...generic, ...estateParts])]

/**
 * Numbers and counts written in Chinese, with or without a measure word: 九点, 十多个, 两三天, 几次, 一个月.
 * (Tokens of digits are dropped by the segmenter already.)
 */
const NUMERAL =
  /^[零〇一二两三四五六七八九十百千万几多余半每第]+[个点天次年月日号周岁分秒层栋楼遍回位名户辆条只块米元]*[多余来]?[个点天次年月日号周岁分秒钟头]*$/u

/** Whether a term is vague: in `words`, or a number written in Chinese. */
export const isVague = (term: string, words: ReadonlySet<string>): boolean => words.has(term) || NUMERAL.test(term)
