import { describe, expect, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import * as ResidentId from "@gongzhi/core/ResidentId"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import { layerTestVerifier, makeTestPartner } from "@gongzhi/identity-partner/testing"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Layer, Schema, TestClock } from "effect"
import * as CreditMigrations from "../src/CreditMigrations.js"
import { CreditRecord } from "../src/CreditRecord.js"
import * as CreditReport from "../src/CreditReport.js"
import * as CreditStore from "../src/CreditStore.js"
import * as Credits from "../src/Credits.js"
import { Role } from "../src/Permissions.js"
import { SourceUnit } from "../src/SourceUnit.js"
import { csvOf } from "./fixtures.js"

const TENANT = "440310" as TenantId
const NOW = Date.parse("2026-12-01T02:00:00Z")
const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const staff = (id: string, roles: Array<string>) =>
  decodeActor({ _tag: "Staff", staffId: id, name: "王经办", roles, scope: { tenantId: TENANT, regionCode: TENANT } })
const resident = (id: string) =>
  decodeActor({ _tag: "Resident", userId: id, roles: [Role.public], scope: { tenantId: TENANT, regionCode: TENANT } })
const service = (id: string, roles: Array<string>) =>
  decodeActor({ _tag: "ServiceAccount", clientId: id, roles, scope: { tenantId: TENANT, regionCode: TENANT } })
const clerk = staff("C001", [Role.unitClerk])
const admin = staff("A001", [Role.admin])
const reviewer = staff("R001", [Role.reviewer])
const me = resident("U0001")
const bank = service("bank-01", [Role.measureUnit])
const otherBank = service("bank-02", [Role.measureUnit])

const units = [
  new SourceUnit({
    id: "SCJG",
    tenantId: TENANT,
    name: "坪山区市场监督管理局",
    kind: "bureau",
    recordTypes: ["ADMIN_PENALTY", "ADMIN_LICENCE"],
    accounts: ["C001"],
    active: true
  })
]
const options: Credits.CreditsOptions = {
  sourceUnits: units,
  conflictRetries: 20,
  reportIssuer: "坪山区公共信用信息平台"
}

let seed = 11
const random = () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}
const company = (() => {
  for (;;) {
    const first17 = `91${SocialCreditCode.generate(random).slice(2, 17)}`
    const check = SocialCreditCode.computeCheckCharacter(first17)
    if (check._tag === "Some") return first17 + check.value
  }
})()
const person = ResidentId.generate(random, { addressCode: TENANT, minBirthYear: 1970, maxBirthYear: 1990 })
const stranger = ResidentId.generate(random, { addressCode: TENANT, minBirthYear: 1991, maxBirthYear: 2000 })
const PHONE = "13812345678"

const header = [
  "信息类型代码",
  "来源记录编号",
  "主体标识",
  "主体名称",
  "决定文书号",
  "决定日期",
  "失信程度",
  "处罚类别",
  "罚款金额（元）",
  "违法行为类型",
  "决定机关",
  "许可证书名称"
]
const penalty = (id: string, subject: string, date: string, tier: string, violation = "无证经营") => [
  "ADMIN_PENALTY",
  id,
  subject,
  subject === company ? "坪山<甲>公司" : "张三",
  `深坪市监罚〔2026〕${id}号`,
  date,
  tier,
  "罚款",
  "1000",
  violation,
  "坪山区市场监督管理局",
  ""
]
const licence = (id: string, subject: string, date: string) => [
  "ADMIN_LICENCE",
  id,
  subject,
  "坪山<甲>公司",
  `深坪市监许〔2026〕${id}号`,
  date,
  "",
  "",
  "",
  "",
  "坪山区市场监督管理局",
  "食品经营许可证"
]

const wallet = makeTestPartner({ partnerId: "unionpay-wallet", name: "银联钱包" })
const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const migrations = [CoreMigrations.migrations, CreditMigrations.migrations]

const backends = [
  ["memory", () => Credits.layerMemory(options), { skip: false }],
  [
    "sqlite",
    () => Credits.layerSql(options).pipe(Layer.provideMerge(SqliteTesting.layerTest({ migrations }))),
    { skip: false }
  ],
  [
    "postgres",
    () => Credits.layerSql(options).pipe(Layer.provideMerge(PgTesting.layerTest({ migrations, maxConnections: 4 }))),
    pg
  ],
  [
    "mysql",
    () => Credits.layerSql(options).pipe(Layer.provideMerge(MysqlTesting.layerTest({ migrations, maxConnections: 4 }))),
    mysql
  ]
] as const

const BATCH = [
  penalty("P1", person, "2026-06-01", "一般", `无证经营，联系电话${PHONE}，代办人身份证${stranger}`),
  penalty("P2", person, "2026-07-01", "一般"),
  penalty("P3", person, "2026-08-01", "一般"),
  penalty("P4", person, "2021-01-04", "一般"),
  penalty("P5", company, "2026-05-01", "严重"),
  licence("L1", company, "2026-03-01")
]

/** The service with data, and the verifiers (partner and real name) to provide to each call. */
const setUp = Effect.gen(function* () {
  yield* TestClock.setTime(NOW)
  const credits = yield* Credits.Credits
  const store = yield* CreditStore.CreditStore
  const auditLog = yield* AuditLog.AuditLog
  const verifiers = yield* Layer.build(
    Layer.merge(
      layerTestVerifier({ tenantId: TENANT, partners: [wallet] }),
      IdentityVerifier.layerTest({ persons: [{ name: "张三", residentId: person }] })
    ).pipe(Layer.provide(Layer.succeed(AuditLog.AuditLog, auditLog)))
  )
  const report = yield* credits.ingest(clerk, {
    tenantId: TENANT,
    sourceUnitId: "SCJG",
    format: "csv",
    content: csvOf(header, BATCH)
  })
  expect(report.rejected).toEqual([])
  const byRow = (id: string) =>
    Effect.map(store.records.find(TENANT, { source_record_id: id }, 1), (rows) => {
      const row = rows[0]
      if (row === undefined) throw new Error(`no record ${id}`)
      return row
    })
  // P2 is under objection, P3 repaired
  const p2 = yield* byRow("P2")
  yield* store.records.update(TENANT, new CreditRecord({ ...p2.value, state: "objectionPending" }), p2.version)
  const p3 = yield* byRow("P3")
  yield* credits.changeRecordState(reviewer, {
    tenantId: TENANT,
    recordId: p3.value.id,
    state: "repaired",
    reason: "已履行"
  })
  const v = <A, E>(self: Effect.Effect<A, E>) => Effect.provide(self, verifiers)
  const assertion = (subject: string = person, subjectType: "residentId" | "creditCode" = "residentId") => ({
    method: "partnerAssertion" as const,
    assertion: wallet.sign({ subjectType, subject, issuedAt: NOW - 10_000 })
  })
  const audited = Effect.map(auditLog.list(TENANT, { limit: 1000 }), (page) => page.items)
  return { credits, store, v, assertion, audited, byRow }
})

const leaks = (value: unknown) => {
  const text = JSON.stringify(value)
  return [person, stranger, PHONE].filter((secret) => text.includes(secret))
}

for (const [name, layer, availability] of backends) {
  describe.skipIf(availability.skip)(`credit inquiry on ${name}`, () => {
    const run = <A, E>(self: Effect.Effect<A, E, any>) =>
      self.pipe(Effect.scoped, Effect.provide(layer().pipe(Layer.provide(FieldCipher.layerTest()), Layer.orDie)))

    it.effect(
      "a person verified by the partner sees their records in use and on display, masked, and the inquiry is stored and audited",
      () =>
        run(
          Effect.gen(function* () {
            const { credits, store, v, assertion, audited } = yield* setUp
            const result = yield* v(
              credits.inquireSelf(me, { tenantId: TENANT, proof: assertion(), purpose: "个人自查", consent: true })
            )
            const shown = result.records.map((r) => r.documentNumber)
            // P3 repaired and P4 past its display window are not shown
            expect(shown.sort()).toEqual(["深坪市监罚〔2026〕P1号", "深坪市监罚〔2026〕P2号"])
            const objected = result.records.find((r) => r.documentNumber?.includes("P2"))
            expect(objected?.mark).toBe("异议处理中")
            expect(result.records.find((r) => r.documentNumber?.includes("P1"))?.mark).toBeUndefined()
            expect(result.subject?.name).toBe("张*")
            expect(result.subject?.maskedResidentId).toMatch(/^\d\*+\d[\dX]$/)
            expect(JSON.stringify(result)).toContain("138****5678")
            expect(leaks(result)).toEqual([])
            const logs = (yield* store.inquiries.find(TENANT, { inquirer: Actor.label(me) }, 10)).map((r) => r.value)
            expect(logs.map((l) => [l.channel, l.purpose, l.consent, l.verification.method, l.recordsShown])).toEqual([
              ["self", "个人自查", true, "partnerAssertion", 2]
            ])
            const entries = yield* audited
            expect(entries.map((e) => e.action)).toContain("credit.inquiry.self")
            expect(entries.map((e) => e.action)).toContain("identity.assertion.accepted")
            expect(leaks(entries)).toEqual([])
          })
        )
    )

    it.effect(
      "a replayed, forged or company assertion, a wrong real name and bad input are refused with typed errors and audited",
      () =>
        run(
          Effect.gen(function* () {
            const { credits, v, assertion, audited } = yield* setUp
            const proof = assertion()
            const input = { tenantId: TENANT, proof, purpose: "个人自查", consent: true }
            yield* v(credits.inquireSelf(me, input))
            const replay = yield* Effect.flip(v(credits.inquireSelf(me, input)))
            expect(replay._tag).toBe("IdentityAssertionRefused")
            expect(replay.message).toMatch(/^实名断言被拒绝：断言已使用过/)
            const forged = { method: "partnerAssertion" as const, assertion: `${proof.assertion.slice(0, -3)}AAA` }
            expect((yield* Effect.flip(v(credits.inquireSelf(me, { ...input, proof: forged }))))._tag).toBe(
              "IdentityAssertionRefused"
            )
            const wrongType = yield* Effect.flip(
              v(credits.inquireSelf(me, { ...input, proof: assertion(company, "creditCode") }))
            )
            expect(wrongType).toMatchObject({ _tag: "InquiryRefused", reason: "WrongSubjectType" })
            const wrongName = yield* Effect.flip(
              v(credits.inquireSelf(me, { ...input, proof: { method: "realName", name: "李四", residentId: person } }))
            )
            expect(wrongName).toMatchObject({ _tag: "InquiryRefused", reason: "NotVerified" })
            expect(wrongName.message).not.toContain(person)
            // without a verifier in context: refused, not a defect
            const none = yield* Effect.flip(credits.inquireSelf(me, { ...input, proof: assertion() }))
            expect(none).toMatchObject({ _tag: "InquiryRefused", reason: "NoVerifier" })
            for (const bad of [
              { ...input, consent: false },
              { ...input, purpose: "" },
              { ...input, proof: { method: "realName", name: "张三", residentId: "123" } },
              // a valid ID beside a bad name and consent: the message names fields, never the number
              { ...input, consent: "yes", proof: { method: "realName", name: "", residentId: person } }
            ]) {
              const error = yield* Effect.flip(v(credits.inquireSelf(me, bad)))
              expect(error._tag).toBe("InvalidInput")
              expect(error.message).not.toContain(person)
            }
            const noConsent = yield* Effect.flip(v(credits.inquireSelf(me, { ...input, consent: false })))
            expect(noConsent.message).toContain("本人同意")
            // the public role cannot look others up under an authorisation
            expect(
              (yield* Effect.flip(
                credits.inquireAuthorised(me, { tenantId: TENANT, authorisationId: "x", purpose: "贷款审批" })
              ))._tag
            ).toBe("Forbidden")
            const refused = (yield* audited).filter((e) => e.action === "credit.inquiry.refused")
            expect(refused.map((e) => (e.details as { reason: string }).reason)).toEqual([
              "assertion.Replayed",
              "assertion.BadSignature",
              "WrongSubjectType",
              "NotVerified",
              "NoVerifier"
            ])
            // the real name path works for the right name
            const ok = yield* v(
              credits.inquireSelf(me, { ...input, proof: { method: "realName", name: "张三", residentId: person } })
            )
            expect(ok.records).toHaveLength(2)
          })
        )
    )

    it.effect(
      "a third party looks a person up only under a granted, unexpired, in-scope authorisation; revocable by the person",
      () =>
        run(
          Effect.gen(function* () {
            const { credits, v, assertion } = yield* setUp
            const grant = yield* v(
              credits.grantAuthorisation(me, {
                tenantId: TENANT,
                proof: assertion(),
                grantee: { kind: "ServiceAccount", id: "bank-01" },
                purposes: ["贷款审批"],
                expiresOn: "2027-01-01"
              })
            )
            expect(grant.kind).toBe("thirdParty")
            const ask = (actor: Actor.Actor, purpose = "贷款审批") =>
              credits.inquireAuthorised(actor, { tenantId: TENANT, authorisationId: grant.id, purpose })
            const seen = yield* ask(bank)
            // public and shared records only, masked
            expect(seen.records.length).toBe(2)
            expect(leaks(seen)).toEqual([])
            expect(yield* Effect.flip(ask(bank, "招聘背景调查"))).toMatchObject({ reason: "NoAuthorisation" })
            expect(yield* Effect.flip(ask(otherBank))).toMatchObject({ reason: "NoAuthorisation" })
            // someone else cannot revoke it
            const notMine = yield* Effect.flip(
              v(
                credits.revokeAuthorisation(me, {
                  tenantId: TENANT,
                  authorisationId: grant.id,
                  proof: assertion(company, "creditCode")
                })
              )
            )
            expect(notMine).toMatchObject({ reason: "NotGrantor" })
            const revoked = yield* v(
              credits.revokeAuthorisation(me, { tenantId: TENANT, authorisationId: grant.id, proof: assertion() })
            )
            expect(revoked.state).toBe("revoked")
            expect(yield* Effect.flip(ask(bank))).toMatchObject({ reason: "NoAuthorisation" })
            // an expired authorisation no longer holds
            const short = yield* v(
              credits.grantAuthorisation(me, {
                tenantId: TENANT,
                proof: assertion(),
                grantee: { kind: "ServiceAccount", id: "bank-01" },
                purposes: ["*"],
                expiresOn: "2026-12-02"
              })
            )
            expect(
              (yield* credits.inquireAuthorised(bank, { tenantId: TENANT, authorisationId: short.id, purpose: "任意" }))
                .records
            ).toHaveLength(2)
            yield* TestClock.setTime(Date.parse("2026-12-02T01:00:00Z"))
            expect(
              yield* Effect.flip(
                credits.inquireAuthorised(bank, { tenantId: TENANT, authorisationId: short.id, purpose: "任意" })
              )
            ).toMatchObject({ reason: "NoAuthorisation" })
            // an expiry in the past is bad input
            const past = yield* Effect.flip(
              v(
                credits.grantAuthorisation(me, {
                  tenantId: TENANT,
                  proof: assertion(),
                  grantee: { kind: "ServiceAccount", id: "bank-01" },
                  purposes: ["贷款审批"],
                  expiresOn: "2026-11-01"
                })
              )
            )
            expect(past._tag).toBe("InvalidInput")
          })
        )
    )

    it.effect("an enterprise looks itself up with its USCC and an account it authorised", () =>
      run(
        Effect.gen(function* () {
          const { credits, v, assertion } = yield* setUp
          const account = resident("U0200")
          const ask = (actor: Actor.Actor) =>
            credits.inquireEnterprise(actor, {
              tenantId: TENANT,
              creditCode: company,
              purpose: "投标自查",
              consent: true
            })
          expect(yield* Effect.flip(ask(account))).toMatchObject({ reason: "NoAuthorisation" })
          const grant = yield* v(
            credits.grantAuthorisation(me, {
              tenantId: TENANT,
              proof: assertion(company, "creditCode"),
              grantee: { kind: "Resident", id: "U0200" },
              purposes: ["*"],
              expiresOn: "2027-12-01"
            })
          )
          expect(grant.kind).toBe("enterpriseAccount")
          const result = yield* ask(account)
          expect(result.subject?.creditCode).toBe(company)
          expect(result.records.map((r) => r.typeName).sort()).toEqual(["行政处罚信息", "行政许可信息"])
          expect(result.lists.map((l) => l.list)).toContain("seriousDishonesty")
          expect(yield* Effect.flip(ask(resident("U0201")))).toMatchObject({ reason: "NoAuthorisation" })
          const bad = yield* Effect.flip(
            credits.inquireEnterprise(account, {
              tenantId: TENANT,
              creditCode: "91350100M000100Y4X",
              purpose: "x",
              consent: true
            })
          )
          expect(bad._tag).toBe("InvalidInput")
        })
      )
    )

    it.effect("a credit report verifies by number and hash, detects tampering, and prints masked, escaped HTML", () =>
      run(
        Effect.gen(function* () {
          const { credits, v, assertion } = yield* setUp
          const report = yield* v(
            credits.reportSelf(me, { tenantId: TENANT, proof: assertion(), purpose: "个人自查", consent: true })
          )
          expect(report.number).toMatch(/^XYBG-440310-20261201-[0-9A-F]{10}$/)
          expect(report.issuer).toBe("坪山区公共信用信息平台")
          expect(report.classes.flatMap((c) => c.records)).toHaveLength(2)
          expect(report.repairs).toEqual([{ typeName: "行政处罚信息", findingDate: "2026-08-01" }])
          expect(report.grade?.explanation.length).toBeGreaterThan(0)
          expect(CreditReport.hashOf(report)).toBe(report.hash)
          expect(leaks(report)).toEqual([])
          const check = (number: string, hash: string) =>
            credits.verifyReport(resident("U0999"), { tenantId: TENANT, number, hash })
          expect((yield* check(report.number, report.hash)).genuine).toBe(true)
          expect(
            (yield* check(report.number, `${report.hash.slice(0, -1)}${report.hash.endsWith("0") ? "1" : "0"}`)).genuine
          ).toBe(false)
          expect((yield* check("XYBG-440310-20261201-0000000000", report.hash)).genuine).toBe(false)
          expect((yield* Effect.flip(check(report.number, "not-a-hash")))._tag).toBe("InvalidInput")
          // any change of content changes the hash
          const tampered = { ...report, purpose: "贷款审批" }
          expect(CreditReport.hashOf(tampered)).not.toBe(report.hash)
          const fewer = { ...report, classes: report.classes.map((c) => ({ ...c, records: c.records.slice(1) })) }
          expect(CreditReport.hashOf(fewer)).not.toBe(report.hash)
          const html = CreditReport.renderHtml(report)
          expect(html).toContain(report.number)
          expect(html).toContain(report.hash)
          expect(html).toContain("异议处理中")
          expect(html).toContain("@page { size: A4")
          for (const section of ["基本信息", "信用记录", "名单信息", "信用评价", "信用修复"])
            expect(html).toContain(section)
          expect(leaks(html)).toEqual([])
          // staff report of the company: names escaped
          const staffReport = yield* credits.issueReport(reviewer, {
            tenantId: TENANT,
            subjectId:
              (yield* credits.searchPublicity(me, { tenantId: TENANT, query: company })).items[0]?.subject.id ?? "",
            purpose: "评优评先"
          })
          const companyHtml = CreditReport.renderHtml(staffReport)
          expect(companyHtml).toContain("坪山&lt;甲&gt;公司")
          expect(companyHtml).not.toContain("坪山<甲>公司")
          expect(
            (yield* Effect.flip(credits.issueReport(me, { tenantId: TENANT, subjectId: "x", purpose: "x" })))._tag
          ).toBe("Forbidden")
        })
      )
    )

    it.effect("public disclosure: 双公示 by USCC or name, persons never by name, red and black lists paged", () =>
      run(
        Effect.gen(function* () {
          const { credits } = yield* setUp
          const byCode = yield* credits.searchPublicity(me, { tenantId: TENANT, query: company })
          expect(byCode.items).toHaveLength(1)
          expect(byCode.items[0]?.licences.map((r) => r.typeName)).toEqual(["行政许可信息"])
          expect(byCode.items[0]?.penalties.map((r) => r.documentNumber)).toEqual(["深坪市监罚〔2026〕P5号"])
          const byName = yield* credits.searchPublicity(me, { tenantId: TENANT, query: "<甲>" })
          expect(byName.items.map((h) => h.subject.creditCode)).toEqual([company])
          expect((yield* credits.searchPublicity(me, { tenantId: TENANT, query: "张三" })).items).toEqual([])
          expect((yield* credits.searchPublicity(me, { tenantId: TENANT, query: person })).items).toEqual([])
          expect((yield* Effect.flip(credits.searchPublicity(me, { tenantId: TENANT, query: "x" })))._tag).toBe(
            "InvalidInput"
          )
          // black list: a decision recorded and approved; the person's entry shows masked
          const subjects = [byCode.items[0]?.subject.id ?? ""]
          for (const [i, subjectId] of subjects.entries()) {
            const decision = yield* credits.recordListDecision(reviewer, {
              tenantId: TENANT,
              subjectId,
              list: "seriousDishonesty",
              decidingUnit: "坪山区市场监督管理局",
              documentNumber: `深坪市监认〔2026〕${i + 1}号`,
              decisionDate: "2026-11-01",
              legalBasis: "《市场监督管理严重违法失信名单管理办法》第二条",
              reasons: ["严重违法失信"],
              from: "2026-11-01",
              until: "2029-11-01",
              exit: "期满或经信用修复后移出"
            })
            yield* credits.approveListDecision(admin, { tenantId: TENANT, decisionId: decision.id })
          }
          const black = yield* credits.publicLists(me, { tenantId: TENANT, list: "seriousDishonesty", pageSize: 10 })
          expect(black.items.map((e) => [e.subject.creditCode, e.listLabel])).toEqual([[company, "严重失信主体名单"]])
          expect((yield* credits.publicLists(me, { tenantId: TENANT, list: "red" })).items).toEqual([])
          expect(leaks(black)).toEqual([])
        })
      )
    )
  })
}
