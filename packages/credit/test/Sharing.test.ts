import { createHash } from "node:crypto"
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, Redacted, Schema, TestClock } from "effect"
import { CreditRecord } from "../src/CreditRecord.js"
import * as CreditStore from "../src/CreditStore.js"
import * as Credits from "../src/Credits.js"
import { Role } from "../src/Permissions.js"
import * as ServiceAccount from "../src/ServiceAccount.js"
import * as Sharing from "../src/Sharing.js"
import { SourceUnit } from "../src/SourceUnit.js"
import { backends as backendsOf, companyCodes } from "./backends.js"
import { csvOf } from "./fixtures.js"

// a tenant of its own: the SQL servers are shared with other test files
const TENANT = "440399" as TenantId
const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const staff = (id: string, roles: Array<string>) =>
  decodeActor({ _tag: "Staff", staffId: id, name: "王经办", roles, scope: { tenantId: TENANT, regionCode: TENANT } })
const admin = staff("A001", [Role.admin])
const reviewer = staff("R001", [Role.reviewer])
const clerk = staff("C001", [Role.unitClerk])

const options: Credits.CreditsOptions = {
  sourceUnits: [
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
}

const companyCode = companyCodes(23)
const [codeA, codeB, codeC, codeD] = [companyCode(), companyCode(), companyCode(), companyCode()] as const
const PERSON = "11010519491231002X"

const header = ["信息类型代码", "来源记录编号", "主体标识", "主体名称", "决定文书号", "决定日期", "失信程度"]
const extra = ["处罚类别", "罚款金额（元）", "违法行为类型", "决定机关"]
const penalty = (id: string, code: string, name: string, date: string, tier: string) => [
  "ADMIN_PENALTY",
  id,
  code,
  name,
  `深坪市监罚〔2026〕${id}号`,
  date,
  tier,
  "罚款",
  "1000",
  "无证经营",
  "坪山区市场监督管理局"
]
const batch = (rows: ReadonlyArray<ReadonlyArray<string>>) => ({
  tenantId: TENANT,
  sourceUnitId: "SCJG",
  format: "csv" as const,
  content: csvOf([...header, ...extra], rows)
})

const backends = backendsOf(options)

const PURPOSE = "政府采购资格审查"
const scope: ServiceAccount.ShareScope = {
  recordTypes: ["ADMIN_PENALTY"],
  lists: ["seriousDishonesty"],
  purposes: [PURPOSE]
}

/** The district's records: A serious (on the list), B general, C serious then repaired, a person. */
const setUp = Effect.gen(function* () {
  yield* TestClock.setTime(Date.parse("2026-12-01T02:00:00Z"))
  const credits = yield* Credits.Credits
  yield* credits.ingest(
    clerk,
    batch([
      penalty("P1", codeA, "坪山甲公司", "2026-06-01", "严重"),
      penalty("P2", codeB, "坪山乙公司", "2026-07-01", "一般"),
      penalty("P3", codeC, "坪山丙公司", "2026-05-01", "严重"),
      penalty("P4", PERSON, "张三", "2026-08-01", "严重")
    ])
  )
  const store = yield* CreditStore.CreditStore
  const recordOf = (sourceRecordId: string) =>
    Effect.map(
      store.records.find(TENANT, { source_record_id: sourceRecordId }, 1),
      (rows) => rows[0]?.value as CreditRecord
    )
  const repaired = yield* recordOf("P3")
  yield* credits.changeRecordState(admin, {
    tenantId: TENANT,
    recordId: repaired.id,
    state: "repaired",
    reason: "修复"
  })
  const issued = yield* credits.createServiceAccount(admin, {
    tenantId: TENANT,
    name: "住建局采购核查",
    unit: "坪山区住房和建设局",
    scope,
    rateLimit: { limit: 1000, windowSeconds: 60 }
  })
  return { credits, store, issued, recordOf }
})

const auditEntries = Effect.gen(function* () {
  const log = yield* AuditLog.AuditLog
  return (yield* log.list(TENANT, { limit: 500 })).items
})

for (const [name, layer, skip] of backends) {
  describe.skipIf(skip)(`sharing interface on ${name}`, () => {
    it.effect(
      "a key is shown once and stored only as its SHA-256; checks and records leave only what is in use, in scope and displayed; every call is audited with who, what and why",
      () =>
        Effect.gen(function* () {
          const { credits, store, issued, recordOf } = yield* setUp
          const key = Redacted.value(issued.apiKey)
          expect(ServiceAccount.parseKey(key)?.prefix).toBe(issued.prefix)

          // the stored key row: the hash, never the key or its secret part
          const stored = Option.getOrThrow(yield* store.apiKeys.get(TENANT, issued.prefix)).value
          expect(stored.hash).toBe(createHash("sha256").update(key).digest("hex"))
          const secret = key.slice(key.lastIndexOf("_") + 1)
          const client = yield* Effect.serviceOption(SqlClient.SqlClient)
          const raw = Option.isSome(client)
            ? JSON.stringify(yield* client.value.unsafe("SELECT * FROM credit_api_keys"))
            : JSON.stringify(Schema.encodeSync(ServiceAccount.ApiKey)(stored))
          expect(raw).toContain(stored.hash)
          expect(raw).not.toContain(secret)
          const views = yield* credits.listServiceAccounts(admin, { tenantId: TENANT })
          expect(JSON.stringify(views)).not.toContain(stored.hash)

          const answer = yield* credits.shareCheckBatch(issued.apiKey, {
            tenantId: TENANT,
            purpose: PURPOSE,
            list: "seriousDishonesty",
            identifiers: [codeA, codeB, codeC, codeD, "NOT-A-CODE", PERSON]
          })
          const [a, b, c, d, bad, person] = answer.results
          expect([a?.found, a?.onList, a?.entries[0]?.objectionPending]).toEqual([true, true, false])
          expect([b?.found, b?.onList]).toEqual([true, false])
          // C's only failing record was repaired: it never leaves, so C is not on the list
          expect([c?.found, c?.onList, c?.entries]).toEqual([true, false, []])
          expect([d?.found, d?.onList]).toEqual([false, false])
          expect(bad?.invalid).toContain("统一社会信用代码")
          // a natural person: found through the blind index, the ID number never echoed
          expect([person?.found, person?.onList, person?.identifier]).toEqual([true, true, "（已脱敏）"])
          expect(JSON.stringify(answer)).not.toContain(PERSON)

          const records = yield* credits.shareRecords(issued.apiKey, {
            tenantId: TENANT,
            purpose: PURPOSE,
            identifier: codeA
          })
          expect(records.records.map((r) => r.documentNumber)).toEqual(["深坪市监罚〔2026〕P1号"])
          const none = yield* credits.shareRecords(issued.apiKey, {
            tenantId: TENANT,
            purpose: PURPOSE,
            identifier: codeC
          })
          expect(none.records).toEqual([])

          // a record under objection leaves marked 异议处理中
          const p1 = yield* recordOf("P1")
          const row = Option.getOrThrow(yield* store.records.get(TENANT, p1.id))
          yield* store.records.update(TENANT, new CreditRecord({ ...p1, state: "objectionPending" }), row.version)
          const marked = yield* credits.shareCheck(issued.apiKey, {
            tenantId: TENANT,
            purpose: PURPOSE,
            list: "seriousDishonesty",
            identifier: codeA
          })
          expect([marked.onList, marked.entries[0]?.mark]).toEqual([true, Sharing.OBJECTION_MARK])
          const markedRecords = yield* credits.shareRecords(issued.apiKey, {
            tenantId: TENANT,
            purpose: PURPOSE,
            identifier: codeA
          })
          expect(markedRecords.records.map((r) => r.mark)).toEqual(["异议处理中"])

          const lookup = Option.getOrThrow(
            yield* credits.shareLookup(issued.apiKey, { tenantId: TENANT, purpose: PURPOSE, identifier: PERSON })
          )
          expect([lookup.kind, lookup.maskedResidentId?.startsWith("1")]).toEqual(["naturalPerson", true])
          expect(JSON.stringify(lookup)).not.toContain(PERSON)

          // the share log: who received A's record
          const recipients = yield* credits.recipientsOf(reviewer, { tenantId: TENANT, subjectId: p1.subjectId })
          expect(recipients.map((r) => [r.accountId, r.unit, r.recordIds])).toEqual([
            [issued.account.id, "坪山区住房和建设局", [p1.id]]
          ])
          const denied = yield* Effect.flip(credits.recipientsOf(clerk, { tenantId: TENANT, subjectId: p1.subjectId }))
          expect(denied._tag).toBe("Forbidden")
          // C's repaired record was never shared with anyone
          const c3 = yield* recordOf("P3")
          expect(yield* credits.recipientsOf(reviewer, { tenantId: TENANT, subjectId: c3.subjectId })).toEqual([])

          // audit: who (the account), what (operation and target), why (purpose)
          const entries = yield* auditEntries
          const batchEntry = entries.find((e) => e.action === "credit.share.checkBatch")
          expect(batchEntry).toMatchObject({
            actorKind: "ServiceAccount",
            actorId: issued.account.id,
            targetType: "List",
            targetId: "seriousDishonesty",
            details: { purpose: PURPOSE, unit: "坪山区住房和建设局", checked: 6, found: 4, onList: 2 }
          })
          const recordsEntry = entries.find((e) => e.action === "credit.share.records")
          expect(recordsEntry).toMatchObject({
            actorId: issued.account.id,
            targetType: "Subject",
            targetId: p1.subjectId,
            details: { purpose: PURPOSE }
          })
          expect(JSON.stringify(entries)).not.toContain(PERSON)
          expect(JSON.stringify(entries)).not.toContain(secret)
        }).pipe(Effect.provide(layer())),
      120_000
    )

    it.effect(
      "typed Chinese errors: unknown, rotated-out and revoked keys, missing or foreign purpose, out-of-scope type and list, batches over 1,000, rate limits",
      () =>
        Effect.gen(function* () {
          const { credits, issued } = yield* setUp
          const call = (apiKey: Redacted.Redacted<string>, extra: Record<string, unknown> = {}) =>
            Effect.flip(
              credits.shareCheck(apiKey, {
                tenantId: TENANT,
                purpose: PURPOSE,
                list: "seriousDishonesty",
                identifier: codeA,
                ...extra
              })
            )
          const chinese = (error: { readonly message: string }) => expect(error.message).toMatch(/^[「\u4e00-\u9fff]/)

          const garbage = yield* call(Redacted.make("not a key"))
          expect([garbage._tag, (garbage as Sharing.InvalidApiKey).reason]).toEqual(["InvalidApiKey", "unknown"])
          chinese(garbage)
          const forged = yield* call(Redacted.make(`gzk_${issued.prefix}_${"A".repeat(43)}`))
          expect([forged._tag, (forged as Sharing.InvalidApiKey).reason]).toEqual(["InvalidApiKey", "unknown"])

          const missing = yield* Effect.flip(
            credits.shareCheck(issued.apiKey, { tenantId: TENANT, list: "seriousDishonesty", identifier: codeA })
          )
          expect(missing._tag).toBe("InvalidInput")
          chinese(missing)
          const foreign = yield* call(issued.apiKey, { purpose: "商业营销" })
          expect([foreign._tag, (foreign as Sharing.OutOfScope).what]).toEqual(["OutOfScope", "purpose"])
          chinese(foreign)
          const list = yield* call(issued.apiKey, { list: "red" })
          expect([list._tag, (list as Sharing.OutOfScope).what]).toEqual(["OutOfScope", "list"])
          const type = yield* Effect.flip(
            credits.shareRecords(issued.apiKey, {
              tenantId: TENANT,
              purpose: PURPOSE,
              identifier: codeA,
              recordTypes: ["JUDICIAL"]
            })
          )
          expect([type._tag, (type as Sharing.OutOfScope).value]).toEqual(["OutOfScope", "JUDICIAL"])
          chinese(type)

          const big = yield* Effect.flip(
            credits.shareCheckBatch(issued.apiKey, {
              tenantId: TENANT,
              purpose: PURPOSE,
              list: "seriousDishonesty",
              identifiers: Array.from({ length: 1001 }, () => codeA)
            })
          )
          expect([big._tag, (big as Sharing.BatchTooLarge).size]).toEqual(["BatchTooLarge", 1001])
          chinese(big)
          const full = yield* credits.shareCheckBatch(issued.apiKey, {
            tenantId: TENANT,
            purpose: PURPOSE,
            list: "seriousDishonesty",
            identifiers: Array.from({ length: 1000 }, () => codeA)
          })
          expect(full.results.filter((r) => r.onList)).toHaveLength(1000)

          // rate limit: a bucket of 2 per minute
          const slow = yield* credits.createServiceAccount(admin, {
            tenantId: TENANT,
            name: "限流测试",
            unit: "坪山区测试单位",
            scope,
            rateLimit: { limit: 2, windowSeconds: 60 }
          })
          const check = () =>
            credits.shareCheck(slow.apiKey, {
              tenantId: TENANT,
              purpose: PURPOSE,
              list: "seriousDishonesty",
              identifier: codeA
            })
          yield* check()
          yield* check()
          const limited = yield* Effect.flip(check())
          expect(limited._tag).toBe("RateLimited")
          expect((limited as Sharing.RateLimited).retryAfterMs).toBeGreaterThan(0)
          expect((limited as Sharing.RateLimited).retryAfterMs).toBeLessThanOrEqual(30_000)
          chinese(limited)
          yield* TestClock.adjust("30 seconds")
          expect((yield* check()).onList).toBe(true)

          // rotation: the old key works during the grace period, then is refused as rotated out
          const rotated = yield* credits.rotateApiKey(admin, {
            tenantId: TENANT,
            accountId: issued.account.id,
            graceHours: 1
          })
          expect(rotated.prefix).not.toBe(issued.prefix)
          yield* credits.shareCheck(issued.apiKey, {
            tenantId: TENANT,
            purpose: PURPOSE,
            list: "seriousDishonesty",
            identifier: codeA
          })
          yield* TestClock.adjust("61 minutes")
          const expired = yield* call(issued.apiKey)
          expect([expired._tag, (expired as Sharing.InvalidApiKey).reason]).toEqual(["InvalidApiKey", "expired"])
          chinese(expired)
          expect(
            (yield* credits.shareCheck(rotated.apiKey, {
              tenantId: TENANT,
              purpose: PURPOSE,
              list: "seriousDishonesty",
              identifier: codeA
            })).onList
          ).toBe(true)

          // revocation: refused at once, with the account named in the audit trail
          const notAdmin = yield* Effect.flip(
            credits.revokeServiceAccount(reviewer, { tenantId: TENANT, accountId: issued.account.id, reason: "x" })
          )
          expect(notAdmin._tag).toBe("Forbidden")
          yield* credits.revokeServiceAccount(admin, {
            tenantId: TENANT,
            accountId: issued.account.id,
            reason: "合作到期"
          })
          const revoked = yield* call(rotated.apiKey)
          expect([revoked._tag, (revoked as Sharing.InvalidApiKey).reason]).toEqual(["InvalidApiKey", "revoked"])
          chinese(revoked)
          const refusals = (yield* auditEntries).filter((e) => e.action === "credit.share.refused")
          expect(refusals.map((e) => [e.actorId, (e.details as { reason?: string }).reason])).toEqual([
            [issued.account.id, "expired"],
            [issued.account.id, "revoked"]
          ])
        }).pipe(Effect.provide(layer())),
      120_000
    )

    it.effect("measure feedback through the sharing interface is reported in the account's unit's name", () =>
      Effect.gen(function* () {
        const { credits, issued, recordOf } = yield* setUp
        const feedback = yield* credits.shareMeasureFeedback(issued.apiKey, {
          tenantId: TENANT,
          purpose: PURPOSE,
          identifier: codeA,
          measure: "NO_PROCUREMENT",
          takenOn: "2026-11-30"
        })
        const p1 = yield* recordOf("P1")
        expect([feedback.unit, feedback.subjectId, feedback.reportedBy]).toEqual([
          "坪山区住房和建设局",
          p1.subjectId,
          issued.account.id
        ])
        const listed = yield* credits.listMeasureFeedback(reviewer, { tenantId: TENANT, subjectId: p1.subjectId })
        expect(listed.map((f) => f.id)).toEqual([feedback.id])
        const foreign = yield* Effect.flip(
          credits.shareMeasureFeedback(issued.apiKey, {
            tenantId: TENANT,
            purpose: "其他",
            identifier: codeA,
            measure: "NO_PROCUREMENT",
            takenOn: "2026-11-30"
          })
        )
        expect(foreign._tag).toBe("OutOfScope")
      }).pipe(Effect.provide(layer()))
    )
  })
}
