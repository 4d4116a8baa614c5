/**
 * The personal credit inquiry of the Pingshan run (个人信用查询): a resident who has logged in to the
 * bank wallet app (银联钱包, the test partner here) with real-name verification looks up their own credit
 * record; the same assertion sent again is refused (replay); the resident obtains a credit report
 * (信用报告), written to `out/credit-report-<number>.html`, whose number and hash the platform verifies.
 * Synthetic data only; the district's credit service runs in memory for this step.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as ResidentId from "@gongzhi/core/ResidentId"
import type { TenantId } from "@gongzhi/core/Tenant"
import { CreditRecord, CreditReport, CreditStore, Credits, SourceUnit } from "@gongzhi/credit"
import { layerTestVerifier, makeTestPartner } from "@gongzhi/identity-partner/testing"
import { Clock, Effect, Layer, Schema } from "effect"

const TENANT = "440310" as TenantId
const NOW = Date.parse("2026-12-01T02:00:00Z")

const fixedClock = (ms: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => ms,
  unsafeCurrentTimeNanos: () => BigInt(ms) * 1_000_000n,
  currentTimeMillis: Effect.succeed(ms),
  currentTimeNanos: Effect.succeed(BigInt(ms) * 1_000_000n),
  sleep: () => Effect.void
})

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const scope = { tenantId: TENANT, regionCode: TENANT }

/** Runs the step and prints a few lines. */
export const run = (print: (line: string) => void, options: { readonly outDir: string }) =>
  Effect.gen(function* () {
    print("\n== 公共信用：居民经银联钱包实名核验后查询本人信用 ==")
    const credits = yield* Credits.Credits
    const store = yield* CreditStore.CreditStore
    const auditLog = yield* AuditLog.AuditLog
    let seed = 1208
    const person = ResidentId.generate(
      () => {
        seed = (seed * 48271) % 2147483647
        return seed / 2147483647
      },
      { addressCode: TENANT, minBirthYear: 1980, maxBirthYear: 1990 }
    )
    const row = (id: string, date: string, tier: string, violation: string) =>
      [
        "ADMIN_PENALTY",
        id,
        person,
        "陈小明",
        `深坪市监罚〔2026〕${id}号`,
        date,
        tier,
        "罚款",
        "2000",
        violation,
        "坪山区市场监督管理局"
      ].join(",")
    const csv = [
      "信息类型代码,来源记录编号,主体标识,主体名称,决定文书号,决定日期,失信程度,处罚类别,罚款金额（元）,违法行为类型,决定机关",
      row("GR-101", "2026-06-10", "一般", "占道经营"),
      row("GR-102", "2026-09-03", "一般", "未取得许可从事食品摊贩经营")
    ].join("\r\n")
    const clerk = decodeActor({ _tag: "Staff", staffId: "SCJG01", name: "信用办", roles: ["credit-unit-clerk"], scope })
    yield* credits.ingest(clerk, {
      tenantId: TENANT,
      sourceUnitId: "SCJG",
      format: "csv",
      content: new TextEncoder().encode(csv)
    })
    // the resident has objected to the second penalty: it is shown with the mark 异议处理中
    const [objected] = yield* store.records.find(TENANT, { source_record_id: "GR-102" }, 1)
    if (objected !== undefined)
      yield* store.records.update(
        TENANT,
        new CreditRecord.CreditRecord({ ...objected.value, state: "objectionPending" }),
        objected.version
      )

    const wallet = makeTestPartner({ partnerId: "unionpay-wallet", name: "银联钱包" })
    const resident = decodeActor({ _tag: "Resident", userId: "WALLET-8861", roles: ["resident"], scope })
    const proof = {
      method: "partnerAssertion" as const,
      assertion: wallet.sign({ subjectType: "residentId", subject: person, level: "L2", issuedAt: NOW - 20_000 })
    }
    const input = { tenantId: TENANT, proof, purpose: "个人自查", consent: true as const }
    const verified = Effect.provide(
      Effect.gen(function* () {
        const result = yield* credits.inquireSelf(resident, input)
        const marked = result.records.filter((r) => r.mark !== undefined).length
        print(
          `居民 ${result.subject?.name}（${result.subject?.maskedResidentId}）经银联钱包核验（L2）查询本人信用：在用记录 ${result.records.length} 条（异议处理中 ${marked} 条），信用等级 ${result.grade?.grade ?? "-"}（${result.grade?.label ?? "未评价"}）`
        )
        const replay = yield* Effect.flip(credits.inquireSelf(resident, input))
        print(`同一断言再次提交：${replay.message.split(" / ")[0]}`)
        const fresh = {
          ...input,
          proof: { ...proof, assertion: wallet.sign({ subjectType: "residentId", subject: person, issuedAt: NOW }) }
        }
        return yield* credits.reportSelf(resident, fresh)
      }),
      layerTestVerifier({ tenantId: TENANT, partners: [wallet] }).pipe(
        Layer.provide(Layer.succeed(AuditLog.AuditLog, auditLog))
      )
    )
    const report = yield* verified
    Fs.mkdirSync(options.outDir, { recursive: true })
    // one report per run: the number is new each time, so the previous run's report is removed
    for (const old of Fs.readdirSync(options.outDir))
      if (/^credit-report-XYBG-.*\.html$/.test(old)) Fs.rmSync(Path.join(options.outDir, old))
    const file = Path.join(options.outDir, `credit-report-${report.number}.html`)
    Fs.writeFileSync(file, CreditReport.renderHtml(report))
    const check = yield* credits.verifyReport(resident, { tenantId: TENANT, number: report.number, hash: report.hash })
    print(`信用报告 ${report.number}：${file}`)
    print(`凭编号和验证码核验：${check.genuine ? "真实有效" : "无法核验"}（验证码 ${report.hash.slice(0, 16)}…）`)
  }).pipe(
    Effect.withClock(fixedClock(NOW)),
    Effect.provide(
      Credits.layerMemory({
        reportIssuer: "坪山区公共信用信息平台",
        sourceUnits: [
          new SourceUnit.SourceUnit({
            id: "SCJG",
            tenantId: TENANT,
            name: "坪山区市场监督管理局",
            kind: "bureau",
            recordTypes: ["ADMIN_PENALTY"],
            accounts: ["SCJG01"],
            active: true
          })
        ]
      }).pipe(Layer.provide(FieldCipher.layerTest()))
    )
  )
