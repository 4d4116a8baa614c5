/**
 * The national public credit information catalogue (全国公共信用信息基础目录) as seed data, from the
 * partial record of the 2024 edition (`credit-catalogue-2024.json`). Each record type says how far it
 * is confirmed in `status`: the 2024 categories 登记注册基本信息, 司法裁判及执行信息, 行政管理信息 and
 * 经营(活动)异常名录(状态)信息 are confirmed, the social-insurance arrears entry is confirmed as added in
 * 2024 (its Chinese wording is not), and the items within each category (which kinds of administrative
 * act, which fields) are UNVERIFIED against the 2024 table, which could not be read. Check the edition
 * in force before relying on it; a district replaces or supplements it as data.
 *
 * @since 0.1.0
 */
import type { Catalogue, FieldSpec, RecordType } from "./Catalogue.js"

const authority: FieldSpec = { name: "authority", label: "决定机关", kind: "text", required: true, maxLength: 200 }
const basis: FieldSpec = { name: "basis", label: "依据", kind: "text", required: false, maxLength: 1000 }
const content: FieldSpec = { name: "content", label: "内容", kind: "text", required: false, maxLength: 2000 }

const CATEGORY_ADMIN = "行政管理信息"
const ITEMS_2021 = "UNVERIFIED (kind named in the 2021 edition summary; 2024 table not read)"
const SOURCE_2021 = "http://www.cfgw.net.cn/2022-01/05/content_24996625.html"
const SOURCE_2024 = "https://hg4075.com/z020240506/da54c1ce-7046-4019-bec6-a3c21c2e1dc7.html"

const types: ReadonlyArray<RecordType> = [
  {
    code: "REGISTRATION",
    name: "登记注册基本信息",
    category: "登记注册基本信息",
    polarity: "neutral",
    disclosure: "public",
    doublePublicity: false,
    fields: [
      { name: "registrationAuthority", label: "登记机关", kind: "text", required: true, maxLength: 200 },
      { name: "registeredOn", label: "成立日期", kind: "date", required: false },
      { name: "registeredCapital", label: "注册资本（万元）", kind: "amount", required: false },
      { name: "address", label: "住所", kind: "text", required: false, maxLength: 300 }
    ],
    status: "category confirmed-2024; fields UNVERIFIED",
    source: SOURCE_2024
  },
  {
    code: "ADMIN_LICENCE",
    name: "行政许可信息",
    category: CATEGORY_ADMIN,
    polarity: "neutral",
    disclosure: "public",
    doublePublicity: true,
    fields: [
      { name: "licenceName", label: "许可证书名称", kind: "text", required: true, maxLength: 200 },
      { name: "licenceNumber", label: "许可编号", kind: "text", required: false, maxLength: 100 },
      authority,
      { name: "validFrom", label: "有效期自", kind: "date", required: false },
      { name: "validTo", label: "有效期至", kind: "date", required: false },
      content
    ],
    status: ITEMS_2021,
    source: SOURCE_2021
  },
  {
    code: "ADMIN_PENALTY",
    name: "行政处罚信息",
    category: CATEGORY_ADMIN,
    polarity: "negative",
    failingClass: "penalty",
    disclosure: "public",
    doublePublicity: true,
    fields: [
      {
        name: "penaltyKind",
        label: "处罚类别",
        kind: "choice",
        required: true,
        options: [
          "警告",
          "通报批评",
          "罚款",
          "没收违法所得",
          "没收非法财物",
          "暂扣许可证件",
          "降低资质等级",
          "吊销许可证件",
          "限制开展生产经营活动",
          "责令停产停业",
          "责令关闭",
          "限制从业",
          "其他"
        ]
      },
      { name: "fine", label: "罚款金额（元）", kind: "amount", required: false },
      { name: "violation", label: "违法行为类型", kind: "text", required: true, maxLength: 500 },
      authority,
      basis
    ],
    status: ITEMS_2021,
    source: SOURCE_2021
  },
  {
    code: "ADMIN_COERCION",
    name: "行政强制信息",
    category: CATEGORY_ADMIN,
    polarity: "negative",
    failingClass: "other",
    disclosure: "public",
    doublePublicity: false,
    fields: [authority, basis, content],
    status: ITEMS_2021,
    source: SOURCE_2021
  },
  {
    code: "ADMIN_CONFIRMATION",
    name: "行政确认信息",
    category: CATEGORY_ADMIN,
    polarity: "neutral",
    disclosure: "public",
    doublePublicity: false,
    fields: [authority, content],
    status: ITEMS_2021,
    source: SOURCE_2021
  },
  {
    code: "ADMIN_REWARD",
    name: "行政奖励信息",
    category: CATEGORY_ADMIN,
    polarity: "positive",
    disclosure: "public",
    doublePublicity: false,
    fields: [
      { name: "honour", label: "奖励或表彰名称", kind: "text", required: true, maxLength: 200 },
      authority,
      { name: "level", label: "级别", kind: "choice", required: false, options: ["国家级", "省级", "市级", "区级"] }
    ],
    status: ITEMS_2021,
    source: SOURCE_2021
  },
  {
    code: "JUDICIAL",
    name: "司法裁判及执行信息",
    category: "司法裁判及执行信息",
    polarity: "negative",
    failingClass: "other",
    disclosure: "public",
    doublePublicity: false,
    fields: [
      { name: "court", label: "法院", kind: "text", required: true, maxLength: 200 },
      { name: "caseNumber", label: "案号", kind: "text", required: true, maxLength: 100 },
      { name: "amount", label: "执行标的（元）", kind: "amount", required: false }
    ],
    status: "category confirmed-2024; items UNVERIFIED",
    source: SOURCE_2024
  },
  {
    code: "ABNORMAL_OPERATION",
    name: "经营(活动)异常名录(状态)信息",
    category: "经营(活动)异常名录(状态)信息",
    polarity: "negative",
    failingClass: "abnormalList",
    disclosure: "public",
    doublePublicity: false,
    fields: [{ name: "reason", label: "列入原因", kind: "text", required: true, maxLength: 500 }, authority],
    status: "category confirmed-2024; items UNVERIFIED",
    source: SOURCE_2024
  },
  {
    code: "SERIOUS_DISHONESTY",
    name: "严重失信主体名单信息",
    category: "严重失信主体名单信息",
    polarity: "negative",
    failingClass: "seriousList",
    disclosure: "public",
    doublePublicity: false,
    fields: [{ name: "listName", label: "名单名称", kind: "text", required: true, maxLength: 200 }, authority, basis],
    status: "UNVERIFIED (2021 category name)",
    source: SOURCE_2021
  },
  {
    code: "TAX_ARREARS",
    name: "欠税信息",
    category: CATEGORY_ADMIN,
    polarity: "negative",
    failingClass: "other",
    disclosure: "shared",
    doublePublicity: false,
    fields: [
      { name: "taxKind", label: "欠缴税种", kind: "text", required: true, maxLength: 100 },
      { name: "amount", label: "欠税金额（元）", kind: "amount", required: true },
      authority
    ],
    status: "UNVERIFIED (not found in the stored sources)"
  },
  {
    code: "SOCIAL_INSURANCE_ARREARS",
    name: "社会保险缴费状态和欠费信息",
    category: "未归类",
    polarity: "negative",
    failingClass: "other",
    disclosure: "shared",
    doublePublicity: false,
    fields: [
      { name: "amount", label: "欠缴金额（元）", kind: "amount", required: true },
      { name: "months", label: "欠缴月数", kind: "integer", required: false },
      authority
    ],
    status: "confirmed-2024 as an added entry (English name); Chinese wording and category UNVERIFIED",
    source: "http://china.org.cn/china/2024-04/28/content_117155731_6.htm"
  },
  {
    code: "CREDIT_COMMITMENT",
    name: "信用承诺及其履行情况信息",
    category: "信用承诺及其履行情况信息",
    polarity: "neutral",
    disclosure: "public",
    doublePublicity: false,
    fields: [
      { name: "matter", label: "承诺事项", kind: "text", required: true, maxLength: 300 },
      {
        name: "fulfilment",
        label: "履行情况",
        kind: "choice",
        required: true,
        options: ["履行中", "已履行", "未履行"]
      },
      authority
    ],
    status: "UNVERIFIED (2021 category name)",
    source: SOURCE_2021
  },
  {
    code: "HONOUR",
    name: "诚实守信相关荣誉信息",
    category: "诚实守信相关荣誉信息",
    polarity: "positive",
    disclosure: "public",
    doublePublicity: false,
    fields: [{ name: "honour", label: "荣誉名称", kind: "text", required: true, maxLength: 200 }, authority],
    status: "UNVERIFIED (2021 category name)",
    source: SOURCE_2021
  }
]

/**
 * The national catalogue, 2024 edition (partial; see the module comment for what is confirmed).
 *
 * @since 0.1.0
 * @category catalogues
 */
export const national2024: Catalogue = {
  id: "national",
  name: "全国公共信用信息基础目录",
  edition: "2024",
  recordTypes: types
}
