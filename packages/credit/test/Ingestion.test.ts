import { describe, expect, it } from "@effect/vitest"
import * as LocalDate from "@gongzhi/core/LocalDate"
import * as ResidentId from "@gongzhi/core/ResidentId"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either, Schema, Stream } from "effect"
import * as Catalogue from "../src/Catalogue.js"
import * as Ingestion from "../src/Ingestion.js"
import * as NationalCatalogue from "../src/NationalCatalogue.js"
import { SourceUnit } from "../src/SourceUnit.js"
import { csvOf, supplementData } from "./fixtures.js"

const TENANT = "440310" as TenantId
const catalogue = Either.getOrThrow(
  Either.flatMap(Catalogue.fromData(supplementData), (s) => Catalogue.combine(NationalCatalogue.national2024, s))
)
const market = new SourceUnit({
  id: "SCJG",
  tenantId: TENANT,
  name: "坪山区市场监督管理局",
  kind: "bureau",
  recordTypes: ["ADMIN_PENALTY", "ADMIN_LICENCE"],
  active: true
})
const context: Ingestion.CheckContext = {
  catalogue,
  unit: market,
  today: Schema.decodeSync(LocalDate.LocalDate)("2026-12-01")
}

let seed = 1
const random = () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}
const legal = SocialCreditCode.generate(random)
/** A company code (91…) built from a generated one. */
const companyCode = (() => {
  const first17 = `91${legal.slice(2, 17)}`
  const check = SocialCreditCode.computeCheckCharacter(first17)
  return check._tag === "Some" ? first17 + check.value : legal
})()
const person = ResidentId.generate(random, { addressCode: TENANT, minBirthYear: 1970, maxBirthYear: 1990 })

const header = [
  "信息类型代码",
  "来源记录编号",
  "主体标识",
  "主体名称",
  "决定文书号",
  "决定日期",
  "失信程度",
  "领域",
  "处罚类别",
  "罚款金额（元）",
  "违法行为类型",
  "决定机关"
]
const good = [
  "ADMIN_PENALTY",
  "P-001",
  companyCode,
  "坪山甲公司",
  "深坪市监罚〔2026〕1号",
  "2026-06-01",
  "一般",
  "食品",
  "罚款",
  "5000",
  "无证经营",
  "坪山区市场监督管理局"
]
const rows: ReadonlyArray<ReadonlyArray<string>> = [
  good,
  [
    "ADMIN_PENALTY",
    "P-002",
    person,
    "张三",
    "深坪市监罚〔2026〕2号",
    "2026-06-02",
    "轻微",
    "",
    "警告",
    "",
    "未亮照经营",
    "坪山区市场监督管理局"
  ],
  [
    "ADMIN_PENALTY",
    "P-003",
    "91440300MA5FXXXXX0",
    "坪山乙公司",
    "深坪市监罚〔2026〕3号",
    "2026-02-30",
    "",
    "",
    "打板子",
    "-5",
    "x",
    ""
  ],
  ["UNKNOWN_TYPE", "P-004", companyCode, "坪山甲公司", "x", "2026-06-01", "", "", "", "", "", ""],
  ["TAX_ARREARS", "P-005", companyCode, "坪山甲公司", "x", "2026-06-01", "一般", "", "", "", "", ""],
  ["ADMIN_PENALTY", "P-001", companyCode, "坪山甲公司", "y", "2026-06-01", "一般", "", "罚款", "1", "x", "a"],
  ["ADMIN_PENALTY", "P-007", companyCode, "坪山甲公司", "z", "2027-01-01", "严重", "", "罚款", "1", "x", "a"]
]

const expectReport = (result: Ingestion.BatchCheck) => {
  expect(result.total).toBe(7)
  expect(result.accepted.map((r) => r.sourceRecordId)).toEqual(["P-001", "P-002"])
  expect(result.accepted[0]?.details).toEqual({
    penaltyKind: "罚款",
    fine: 5000,
    violation: "无证经营",
    authority: "坪山区市场监督管理局"
  })
  expect(result.accepted[0]?.subject.kind).toBe("legalPerson")
  expect(result.accepted[0]?.sector).toBe("food")
  expect(result.accepted[1]?.subject.kind).toBe("naturalPerson")
  expect(result.accepted[1]?.tier).toBe("minor")
  const byId = new Map(result.rejected.map((r) => [r.sourceRecordId, r.reasons.join("；")]))
  expect(result.rejected.map((r) => r.row)).toEqual([4, 5, 6, 7, 8])
  const bad = byId.get("P-003") ?? ""
  for (const part of [
    "统一社会信用代码",
    "不是 YYYY-MM-DD 格式的真实日期",
    "须注明「失信程度」",
    "「处罚类别」应为以下之一",
    "应为不小于 0",
    "缺少必填项「决定机关」"
  ])
    expect(bad).toContain(part)
  expect(byId.get("P-004")).toContain("不在现行目录中")
  expect(byId.get("P-005")).toContain("未获准报送「欠税信息」")
  expect(result.rejected[3]?.reasons.join()).toContain("在本批次中重复")
  expect(byId.get("P-007")).toContain("晚于今天")
  const text = Ingestion.reportText(result)
  expect(text).toContain("共 7 行，接收 2 行，退回 5 行")
  expect(text).not.toContain(person)
}

describe("Ingestion", () => {
  it.effect("CSV, XLSX and JSON go through one path to the same per-row report", () =>
    Effect.gen(function* () {
      const csv = yield* Ingestion.read("csv", csvOf(header, rows))
      expectReport(Ingestion.check(context, csv))
      const xlsx = yield* Ingestion.read("xlsx", yield* Ingestion.writeXlsx(header, rows))
      expectReport(Ingestion.check(context, xlsx))
      const objects = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])))
      const json = yield* Ingestion.read("json", new TextEncoder().encode(JSON.stringify(objects)))
      expectReport(Ingestion.check(context, json))
    })
  )

  it.effect("columns may be headed by field names too", () =>
    Effect.gen(function* () {
      const names = [
        "recordType",
        "sourceRecordId",
        "subjectId",
        "subjectName",
        "documentNumber",
        "findingDate",
        "tier",
        "sector",
        "penaltyKind",
        "fine",
        "violation",
        "authority"
      ]
      const result = Ingestion.check(context, yield* Ingestion.read("csv", csvOf(names, [good])))
      expect(result.accepted).toHaveLength(1)
    })
  )

  it.effect.each([
    ["csv", new TextEncoder().encode(""), "没有表头"],
    ["csv", new TextEncoder().encode('a,b\n"x,1'), "引号未闭合"],
    ["json", new TextEncoder().encode("{"), "不是有效的 JSON"],
    ["json", new TextEncoder().encode('{"a":1}'), "对象数组"],
    ["xlsx", new TextEncoder().encode("not a workbook"), "不是有效的 XLSX"]
  ] as const)("an unreadable %s file fails as a whole: %#", ([format, bytes, reason]) =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Ingestion.read(format, bytes))
      expect(error._tag).toBe("UnreadableBatch")
      expect(error.message).toContain(reason)
    })
  )

  it.effect("reports progress chunk by chunk and ends with the same outcome", () =>
    Effect.gen(function* () {
      const many = Array.from({ length: 25 }, (_, i) => [...good.slice(0, 1), `P-${i}`, ...good.slice(2)])
      const raw = yield* Ingestion.read("csv", csvOf(header, many))
      const events = yield* Stream.runCollect(Ingestion.checkStream(context, raw, 10))
      const list = Array.from(events)
      expect(list.map((e) => (e._tag === "Progress" ? e.checked : "done"))).toEqual([10, 20, 25, "done"])
      const seen: Array<number> = []
      const result = yield* Ingestion.checkReporting(context, raw, (e) => Effect.sync(() => seen.push(e.checked)), 10)
      expect(seen).toEqual([10, 20, 25])
      expect(result).toEqual(Ingestion.check(context, raw))
      expect(result.accepted).toHaveLength(25)
    })
  )
})
