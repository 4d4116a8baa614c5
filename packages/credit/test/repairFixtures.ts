import * as Actor from "@gongzhi/core/Actor"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import type * as Credits from "../src/Credits.js"
import { Role } from "../src/Permissions.js"
import * as Repair from "../src/Repair.js"
import { SourceUnit } from "../src/SourceUnit.js"
import { companyCodes, csvOf } from "./fixtures.js"

/** Shared by the objection and repair tests: one district, two units, one company with penalties. */
export const TENANT = "440310" as TenantId
const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
export const staff = (id: string, roles: Array<string>) =>
  decodeActor({ _tag: "Staff", staffId: id, name: "李经办", roles, scope: { tenantId: TENANT, regionCode: TENANT } })
export const admin = staff("A001", [Role.admin])
export const admin2 = staff("A002", [Role.admin])
export const clerk = staff("C001", [Role.unitClerk])
export const otherClerk = staff("C002", [Role.unitClerk])
export const reviewer = staff("R001", [Role.reviewer])
export const resident = staff("Z001", [Role.public])

const units = [
  new SourceUnit({
    id: "SCJG",
    tenantId: TENANT,
    name: "坪山区市场监督管理局",
    kind: "bureau",
    recordTypes: ["ADMIN_PENALTY"],
    accounts: ["C001"],
    active: true
  }),
  new SourceUnit({
    id: "YJGL",
    tenantId: TENANT,
    name: "坪山区应急管理局",
    kind: "bureau",
    recordTypes: ["ADMIN_PENALTY"],
    accounts: ["C002"],
    active: true
  })
]
export const options: Credits.CreditsOptions = { sourceUnits: units, conflictRetries: 20 }

const companyCode = companyCodes(29)
export const codeA = companyCode()

const header = ["信息类型代码", "来源记录编号", "主体标识", "主体名称", "决定文书号", "决定日期", "失信程度"]
const extra = ["处罚类别", "罚款金额（元）", "违法行为类型", "决定机关"]
export const penalty = (id: string, date: string, tier = "一般") => [
  "ADMIN_PENALTY",
  id,
  codeA,
  "坪山乙公司",
  `深坪罚〔2026〕${id}号`,
  date,
  tier
]
export const batch = (rows: ReadonlyArray<ReadonlyArray<string>>, unit = "SCJG") => ({
  tenantId: TENANT,
  sourceUnitId: unit,
  format: "csv" as const,
  content: csvOf(
    [...header, ...extra],
    rows.map((r) => [...r, "罚款", "1000", "无证经营", "坪山区市场监督管理局"])
  )
})

export const claim = {
  evidence: [{ kind: "obligation" as const, reference: "罚款缴纳凭证 PS-2026-0088" }],
  commitmentText: Repair.defaultCommitmentText
}

export const decision = (subject: string) => ({
  tenantId: TENANT,
  subjectId: subject,
  list: "seriousDishonesty",
  decidingUnit: "坪山区市场监督管理局",
  documentNumber: "深坪市监认〔2026〕9号",
  decisionDate: "2026-06-10",
  legalBasis: "《市场监督管理严重违法失信名单管理办法》第九条",
  reasons: ["无证经营，拒不改正"],
  from: "2026-06-10",
  until: "2029-06-10",
  exit: "期满或信用修复后移出"
})
