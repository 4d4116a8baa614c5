/**
 * The public credit part of the Pingshan run: a synthetic year from six source units (局委办) on
 * SQLite — a few hundred enterprises and individual businesses, some rows deliberately bad — then
 * the per-row report summary, the lists, the grade distribution, 双公示 timeliness per unit and the
 * measures for one applicant of the projects call. Details go to `out/credit-report.txt`.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Actor from "@gongzhi/core/Actor"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import { CreditList, CreditMigrations, CreditStore, Credits, Ingestion, SourceUnit } from "@gongzhi/credit"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import { Clock, Effect, Layer, Schema } from "effect"
import * as CreditShare from "./creditShare.js"

const TENANT = "440310" as TenantId

const units = [
  { id: "SCJG", name: "坪山区市场监督管理局", types: ["ADMIN_PENALTY", "ADMIN_LICENCE"], format: "csv" },
  { id: "YJGL", name: "坪山区应急管理局", types: ["ADMIN_PENALTY"], format: "xlsx" },
  { id: "ZJJ", name: "坪山区住房和建设局", types: ["ADMIN_PENALTY", "ADMIN_LICENCE"], format: "json" },
  { id: "SWJ", name: "国家税务总局深圳市坪山区税务局", types: ["TAX_ARREARS"], format: "csv" },
  { id: "RSJ", name: "坪山区人力资源局", types: ["SOCIAL_INSURANCE_ARREARS", "ADMIN_REWARD"], format: "csv" },
  { id: "WGB", name: "坪山区网格管理中心", types: ["HONOUR"], format: "csv" }
] as const

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
  "决定机关",
  "许可证书名称",
  "欠缴税种",
  "欠税金额（元）",
  "欠缴金额（元）",
  "奖励或表彰名称",
  "荣誉名称"
]

/** A deterministic generator (the run prints the same figures every time). */
const lcg = (seed: number) => {
  let s = seed
  return () => {
    s = (s * 48271) % 2147483647
    return s / 2147483647
  }
}

const codeWith = (random: () => number, prefix: "91" | "92"): string => {
  for (;;) {
    const first17 = prefix + SocialCreditCode.generate(random).slice(2, 17)
    const check = SocialCreditCode.computeCheckCharacter(first17)
    if (check._tag === "Some") return first17 + check.value
  }
}

const dateOf = (random: () => number): string =>
  new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 330) * 86_400_000).toISOString().slice(0, 10)

/** The synthetic year: rows per unit (about 1 in 40 deliberately bad). */
const synthesize = (enterprises: number, individuals: number, recordsPerUnit: number) => {
  const random = lcg(20260401)
  const subjects = [
    ...Array.from({ length: enterprises }, (_, i) => ({
      code: codeWith(random, "91"),
      name: `坪山企业${i + 1}有限公司`
    })),
    ...Array.from({ length: individuals }, (_, i) => ({ code: codeWith(random, "92"), name: `坪山个体${i + 1}号店` }))
  ]
  return units.map((unit, u) => {
    const rows: Array<Array<string>> = []
    for (let i = 0; i < recordsPerUnit; i++) {
      // a few subjects collect many records, most a few
      const subject = subjects[Math.floor(random() ** 2 * subjects.length)] as (typeof subjects)[number]
      const type = unit.types[Math.floor(random() * unit.types.length)] as string
      const tierDraw = random()
      const tier = tierDraw < 0.5 ? "轻微" : tierDraw < 0.93 ? "一般" : "严重"
      const failing = ["ADMIN_PENALTY", "TAX_ARREARS", "SOCIAL_INSURANCE_ARREARS"].includes(type)
      const row = [
        type,
        `${unit.id}-2026-${String(i + 1).padStart(5, "0")}`,
        subject.code,
        subject.name,
        `深坪${unit.id}〔2026〕${i + 1}号`,
        dateOf(random),
        failing ? tier : "",
        unit.id === "YJGL" ? "安全生产" : "",
        type === "ADMIN_PENALTY" ? (tier === "轻微" ? "警告" : "罚款") : "",
        type === "ADMIN_PENALTY" && tier !== "轻微" ? String(1000 * (1 + Math.floor(random() * 50))) : "",
        type === "ADMIN_PENALTY" ? "未按规定履行义务" : "",
        unit.name,
        type === "ADMIN_LICENCE" ? "经营许可证" : "",
        type === "TAX_ARREARS" ? "增值税" : "",
        type === "TAX_ARREARS" ? String(500 + Math.floor(random() * 90000)) : "",
        type === "SOCIAL_INSURANCE_ARREARS" ? String(300 + Math.floor(random() * 20000)) : "",
        type === "ADMIN_REWARD" ? "坪山区诚信用工示范单位" : "",
        type === "HONOUR" ? "网格治理诚信商户" : ""
      ]
      const bad = random()
      if (bad < 0.01)
        row[2] = `${subject.code.slice(0, 17)}?` // a broken code
      else if (bad < 0.02)
        row[5] = "2026-02-30" // no such date
      else if (bad < 0.025) row[0] = "UNLISTED_INFO" // outside the catalogue
      rows.push(row)
    }
    return { unit: units[u] as (typeof units)[number], rows }
  })
}

const encode = (format: string, rows: ReadonlyArray<ReadonlyArray<string>>): Effect.Effect<Uint8Array> => {
  if (format === "xlsx") return Ingestion.writeXlsx(header, rows)
  if (format === "json")
    return Effect.succeed(
      new TextEncoder().encode(JSON.stringify(rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])))))
    )
  const cell = (c: string) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)
  return Effect.succeed(new TextEncoder().encode([header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n")))
}

/** A staff member of the district (信用办 or a unit) with these roles. */
export const actor = (roles: Array<string>, staffId: string) =>
  Schema.decodeUnknownSync(Actor.Actor)({
    _tag: "Staff",
    staffId,
    name: "信用办",
    roles,
    scope: { tenantId: TENANT, regionCode: TENANT }
  })

/** A clock fixed at a time (each batch is received on its own day). */
export const fixedClock = (ms: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => ms,
  unsafeCurrentTimeNanos: () => BigInt(ms) * 1_000_000n,
  currentTimeMillis: Effect.succeed(ms),
  currentTimeNanos: Effect.succeed(BigInt(ms) * 1_000_000n),
  sleep: () => Effect.void
})

/** Options of the credit run. */
export interface CreditRunOptions {
  readonly outDir: string
  readonly enterprises?: number | undefined
  readonly individuals?: number | undefined
  readonly recordsPerUnit?: number | undefined
}

/** Runs the credit year and prints a short summary. */
export const run = (print: (line: string) => void, options: CreditRunOptions) =>
  Effect.gen(function* () {
    const year = synthesize(options.enterprises ?? 300, options.individuals ?? 100, options.recordsPerUnit ?? 90)
    const admin = actor(["credit-admin"], "XYB001")
    const details: Array<string> = []
    print("\n== 公共信用：六个数据提供单位报送一年的信用信息 ==")
    const credits = yield* Credits.Credits
    for (const [u, { unit, rows }] of year.entries()) {
      const clerk = actor(["credit-unit-clerk"], `${unit.id}01`)
      // each unit sends a batch every half month, some days after its end (a lag per unit)
      const totals = { total: 0, accepted: 0, rejected: 0 }
      for (let half = 0; half < 24; half++) {
        const month = Math.floor(half / 2)
        const [fromDay, toDay] = half % 2 === 0 ? [1, 15] : [16, 31]
        const inHalf = rows.filter((r) => {
          const d = r[5] as string
          const m = Number(d.slice(5, 7)) - 1
          const day = Number(d.slice(8, 10))
          return m === month && day >= fromDay && day <= toDay
        })
        if (inHalf.length === 0) continue
        const end = Date.UTC(2026, month, Math.min(toDay, 28)) + (2 + u * 3) * 86_400_000
        const content = yield* encode(unit.format, inHalf)
        const result = yield* credits
          .ingest(clerk, { tenantId: TENANT, sourceUnitId: unit.id, format: unit.format, content })
          .pipe(Effect.withClock(fixedClock(end)))
        totals.total += result.total
        totals.accepted += result.accepted
        totals.rejected += result.rejected.length
        details.push(`# ${unit.name} 批次 ${result.batchId}`)
        for (const r of result.rejected)
          details.push(`第 ${r.row} 行（${r.sourceRecordId ?? "-"}）：${r.reasons.join("；")}`)
      }
      print(
        `${unit.name}（${unit.format.toUpperCase()}）：${totals.total} 行，接收 ${totals.accepted}，退回 ${totals.rejected}`
      )
    }
    const store = yield* CreditStore.CreditStore
    const grades = yield* store.evaluations.countBy(TENANT, "grade")
    print(`信用等级分布：${grades.map((g) => `${g.key} ${g.count}`).join("，")}`)
    // lists by rule
    const subjects = yield* store.subjects.find(TENANT, { status: "active" }, 100_000)
    const onLists = new Map<string, number>()
    let applicant: string | undefined
    for (const { value: subject } of subjects) {
      const records = (yield* store.records.find(TENANT, { subject_id: subject.id }, 10_000)).map((r) => r.value)
      for (const entry of CreditList.entriesByRule(
        CreditList.sampleRules,
        subject.id,
        records,
        "2026-12-01" as never
      )) {
        onLists.set(entry.list, (onLists.get(entry.list) ?? 0) + 1)
        details.push(
          `${CreditList.listLabel(entry.list)}：${subject.name}，${entry.from} 起，${entry.until} 移出；${entry.reasons.join("、")}`
        )
        if (entry.list === "seriousDishonesty" && applicant === undefined) applicant = subject.id
      }
    }
    print(
      `名单：${[...onLists].map(([list, n]) => `${CreditList.listLabel(list as CreditList.ListKind)} ${n} 户`).join("，") || "无"}`
    )
    const timeliness = yield* credits.publicityTimeliness(admin, {
      tenantId: TENANT,
      from: "2026-01-01",
      to: "2026-12-31"
    })
    for (const unit of timeliness.filter((u) => u.total > 0))
      print(
        `双公示及时率 ${unit.name}：${(unit.rate * 100).toFixed(1)}%（${unit.onTime}/${unit.total}，逾期 ${unit.late.length}）`
      )
    if (applicant !== undefined) {
      const check = yield* credits.check(admin, { tenantId: TENANT, subjectId: applicant, purpose: "财政资金项目申报" })
      print(
        `项目申报主体「${check.subject.name}」（等级 ${check.grade ?? "-"}）适用措施：${check.measures.map((m) => m.measure.name).join("、") || "无"}`
      )
    }
    // a list entry by decision (recorded by one person, approved by another) and the check that follows
    const watched = subjects.find((s) => s.value.id !== applicant && s.value.kind === "legalPerson")?.value
    if (watched !== undefined) {
      const decided = yield* credits.recordListDecision(admin, {
        tenantId: TENANT,
        subjectId: watched.id,
        list: "abnormal",
        decidingUnit: "坪山区市场监督管理局",
        documentNumber: "深坪市监异〔2026〕12号",
        decisionDate: "2026-11-20",
        legalBasis: "《企业经营异常名录管理暂行办法》第四条",
        reasons: ["通过登记的住所无法联系"],
        from: "2026-11-20",
        until: "2029-11-20",
        exit: "依法办理住所变更登记后申请移出"
      })
      yield* credits.approveListDecision(actor(["credit-admin"], "XYB002"), {
        tenantId: TENANT,
        decisionId: decided.id
      })
      const supervision = yield* credits.check(admin, { tenantId: TENANT, subjectId: watched.id, purpose: "日常监管" })
      print(
        `认定列入：「${watched.name}」${CreditList.listLabel("abnormal")}（${decided.documentNumber}，已审核），日常监管适用：${supervision.measures.map((m) => m.measure.name).join("、") || "无"}`
      )
    }
    if (applicant !== undefined) {
      yield* credits.reportMeasureTaken(actor(["credit-measure-unit"], "FGJ01"), {
        tenantId: TENANT,
        subjectId: applicant,
        measure: "NO_FISCAL_FUNDS",
        purpose: "财政资金项目申报",
        unit: "坪山区发展和改革局",
        takenOn: "2026-12-01",
        reference: "PS-XM-2026-017"
      })
      const feedback = yield* credits.listMeasureFeedback(admin, { tenantId: TENANT, subjectId: applicant })
      print(
        `措施反馈：${feedback.map((f) => `${f.unit} ${f.takenOn} 实施 ${f.measure}（${f.reference ?? "-"}）`).join("；")}`
      )
    }
    const overdue = yield* credits.sweepOverduePublications(admin, {
      tenantId: TENANT,
      from: "2026-01-01",
      to: "2026-12-31"
    })
    print(
      `双公示超期提醒（事件 credit.PublicationOverdue）：${overdue.map((o) => `${o.sourceUnitId} ${o.late} 条`).join("，") || "无"}`
    )
    yield* CreditShare.run(print)
    Fs.writeFileSync(Path.join(options.outDir, "credit-report.txt"), `${details.join("\n")}\n`)
    print(`明细：${Path.join(options.outDir, "credit-report.txt")}`)
  }).pipe(
    Effect.provide(
      Layer.suspend(() => {
        Fs.mkdirSync(options.outDir, { recursive: true })
        const filename = Path.join(options.outDir, "credit.db")
        for (const f of [filename, `${filename}-wal`, `${filename}-shm`]) Fs.rmSync(f, { force: true })
        return Credits.layerSql({
          sourceUnits: units.map(
            (u) =>
              new SourceUnit.SourceUnit({
                id: u.id,
                tenantId: TENANT,
                name: u.name,
                kind: u.id === "WGB" ? "grid" : "bureau",
                recordTypes: [...u.types],
                accounts: [`${u.id}01`],
                active: true
              })
          )
        }).pipe(
          Layer.provideMerge(
            SqliteStore.layer({ filename, migrations: [CoreMigrations.migrations, CreditMigrations.migrations] })
          ),
          Layer.provide(FieldCipher.layerTest())
        )
      })
    )
  )
