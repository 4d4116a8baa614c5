import { SqlClient } from "@effect/sql"
import { assert, describe, expect, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Outbox from "@gongzhi/core/Outbox"
import * as ResidentId from "@gongzhi/core/ResidentId"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Either, Layer, Option, Schema, TestClock } from "effect"
import * as Catalogue from "../src/Catalogue.js"
import * as CreditMigrations from "../src/CreditMigrations.js"
import * as CreditStore from "../src/CreditStore.js"
import * as Credits from "../src/Credits.js"
import * as NationalCatalogue from "../src/NationalCatalogue.js"
import { Role } from "../src/Permissions.js"
import { SourceUnit } from "../src/SourceUnit.js"
import { csvOf, supplementData } from "./fixtures.js"

const TENANT = "440310" as TenantId
const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const staff = (id: string, roles: Array<string>, tenantId: string = TENANT) =>
  decodeActor({ _tag: "Staff", staffId: id, name: "王经办", roles, scope: { tenantId, regionCode: tenantId } })
const admin = staff("A001", [Role.admin])
const clerk = staff("C001", [Role.unitClerk])
const otherClerk = staff("C002", [Role.unitClerk])
const reviewer = staff("R001", [Role.reviewer])
const outsider = staff("X001", [Role.admin], "440311")
const publicUser = decodeActor({
  _tag: "Resident",
  userId: "U0001",
  roles: ["resident"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})

const catalogue = Either.getOrThrow(
  Either.flatMap(Catalogue.fromData(supplementData), (s) => Catalogue.combine(NationalCatalogue.national2024, s))
)
const units = [
  new SourceUnit({
    id: "SCJG",
    tenantId: TENANT,
    name: "坪山区市场监督管理局",
    kind: "bureau",
    recordTypes: ["ADMIN_PENALTY", "ADMIN_LICENCE", "ADMIN_REWARD"],
    accounts: ["C001"],
    active: true
  }),
  new SourceUnit({
    id: "SWJ",
    tenantId: TENANT,
    name: "税务局坪山分局",
    kind: "bureau",
    recordTypes: ["TAX_ARREARS"],
    accounts: ["C002"],
    active: true
  })
]
const options: Credits.CreditsOptions = { catalogue, sourceUnits: units, conflictRetries: 20 }

let seed = 7
const random = () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}
const companyCode = (() => {
  for (;;) {
    const first17 = `91${SocialCreditCode.generate(random).slice(2, 17)}`
    const check = SocialCreditCode.computeCheckCharacter(first17)
    if (check._tag === "Some") return first17 + check.value
  }
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
  "处罚类别",
  "罚款金额（元）",
  "违法行为类型",
  "决定机关"
]
const penalty = (id: string, subject: string, date: string, tier: string, fine = "1000") => [
  "ADMIN_PENALTY",
  id,
  subject,
  subject === person ? "张三" : "坪山甲公司",
  `文书${id}`,
  date,
  tier,
  "罚款",
  fine,
  "无证经营",
  "坪山区市场监督管理局"
]
const batch = (rows: ReadonlyArray<ReadonlyArray<string>>) => ({
  tenantId: TENANT,
  sourceUnitId: "SCJG",
  format: "csv" as const,
  content: csvOf(header, rows)
})

const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const migrations = [CoreMigrations.migrations, CreditMigrations.migrations]

const backends = [
  [
    "memory",
    () => Credits.layerMemory(options).pipe(Layer.provide(FieldCipher.layerTest()), Layer.orDie),
    { skip: false },
    false
  ],
  [
    "sqlite",
    () =>
      Credits.layerSql(options).pipe(
        Layer.provideMerge(SqliteTesting.layerTest({ migrations })),
        Layer.provide(FieldCipher.layerTest()),
        Layer.orDie
      ),
    { skip: false },
    true
  ],
  [
    "postgres",
    () =>
      Credits.layerSql(options).pipe(
        Layer.provideMerge(PgTesting.layerTest({ migrations, maxConnections: 4 })),
        Layer.provide(FieldCipher.layerTest()),
        Layer.orDie
      ),
    pg,
    true
  ],
  [
    "mysql",
    () =>
      Credits.layerSql(options).pipe(
        Layer.provideMerge(MysqlTesting.layerTest({ migrations, maxConnections: 4 })),
        Layer.provide(FieldCipher.layerTest()),
        Layer.orDie
      ),
    mysql,
    true
  ]
] as const

const setUp = Effect.gen(function* () {
  yield* TestClock.setTime(Date.parse("2026-12-01T02:00:00Z"))
  return yield* Credits.Credits
})

for (const [name, layer, availability, sql] of backends) {
  describe.skipIf(availability.skip)(`Credits on ${name}`, () => {
    it.effect(
      "a batch commits its accepted rows, reports the rest, grades the subjects; an unchanged re-send changes nothing",
      () =>
        Effect.gen(function* () {
          const credits = yield* setUp
          const rows = [
            penalty("P1", companyCode, "2026-06-01", "一般"),
            penalty("P2", companyCode, "2026-07-01", "严重"),
            penalty("P3", person, "2026-08-01", "一般"),
            penalty("P4", "123", "2026-08-01", "一般"),
            penalty("P5", companyCode, "2026-13-01", "一般")
          ]
          const first = yield* credits.ingest(clerk, batch(rows))
          expect([first.total, first.accepted, first.created, first.rejected.length]).toEqual([5, 3, 3, 2])
          expect(first.rejected.map((r) => r.row)).toEqual([5, 6])
          expect(first.regraded).toBe(2)
          const outbox = yield* Outbox.Outbox
          const events = (yield* outbox.list(TENANT, { limit: 100 })).items
          expect(events.map((e) => e.event.type).sort()).toEqual([
            "credit.BatchAccepted",
            "credit.GradeChanged",
            "credit.GradeChanged",
            "credit.SubjectEnteredList"
          ])
          // the serious penalty put the company on the serious-dishonesty list by rule
          const entered = events.find((e) => e.event.type === "credit.SubjectEnteredList")?.event.payload
          expect(entered).toMatchObject({ list: "seriousDishonesty", basis: "rule", from: "2026-07-01" })

          const again = yield* credits.ingest(clerk, batch(rows))
          expect([again.unchanged, again.created, again.updated, again.regraded]).toEqual([3, 0, 0, 0])

          const changed = yield* credits.ingest(clerk, batch([penalty("P2", companyCode, "2026-07-01", "一般")]))
          expect([changed.updated, changed.regraded]).toEqual([1, 1])
          // no serious record any more: it left the list
          const left = (yield* outbox.list(TENANT, { limit: 100 })).items.filter(
            (e) => e.event.type === "credit.SubjectLeftList"
          )
          expect(left.map((e) => e.event.payload)).toMatchObject([
            { list: "seriousDishonesty", basis: "rule", reason: "ruleEnded" }
          ])

          const maybeClient = yield* Effect.serviceOption(SqlClient.SqlClient)
          assert.strictEqual(Option.isSome(maybeClient), sql)
          if (Option.isSome(maybeClient)) {
            const client = maybeClient.value.withoutTransforms()
            for (const table of [
              "credit_subjects",
              "credit_records",
              "credit_evaluations",
              "credit_batches",
              "gongzhi_outbox",
              "gongzhi_audit_log"
            ]) {
              const stored = JSON.stringify(yield* client.unsafe<Record<string, unknown>>(`SELECT * FROM ${table}`))
              assert.notInclude(stored, person, table)
            }
          }
        }).pipe(Effect.provide(layer())),
      120_000
    )

    it.effect(
      "grades explain themselves; repair re-grades in the same transaction; reads are filtered and audited",
      () =>
        Effect.gen(function* () {
          const credits = yield* setUp
          yield* credits.ingest(
            clerk,
            batch([penalty("P1", companyCode, "2026-06-01", "一般"), penalty("P3", person, "2026-08-01", "一般")])
          )
          const subjects = yield* credits
            .listRecords(reviewer, { tenantId: TENANT, subjectId: "missing" })
            .pipe(Effect.flip)
          expect(subjects._tag).toBe("EntityNotFound")
          // find the company's subject through a record
          const all = yield* credits.ingest(clerk, batch([penalty("P1", companyCode, "2026-06-01", "一般")]))
          expect(all.unchanged).toBe(1)
          const { subjectIds, recordIds } = yield* idsOf
          const companyId = subjectIds.find((s) => s.kind === "legalPerson")?.id as string
          const personId = subjectIds.find((s) => s.kind === "naturalPerson")?.id as string
          const evaluation = Option.getOrThrow(
            yield* credits.getEvaluation(reviewer, { tenantId: TENANT, subjectId: companyId })
          )
          expect([evaluation.score, evaluation.grade]).toEqual([92, "B"])
          expect(evaluation.lines.map((l) => l.reason)).toEqual(["ADMIN_PENALTY（一般）扣 8 分"])
          const person_ = yield* credits.getSubject(reviewer, { tenantId: TENANT, subjectId: personId })
          expect(person_.maskedResidentId).not.toBe(person)
          expect(person_.maskedResidentId?.length).toBe(18)
          const audit = yield* AuditLog.AuditLog
          const entries = yield* audit.list(TENANT, { limit: 100 })
          expect(entries.items.some((e) => e.action === "credit.read.subject" && e.targetId === personId)).toBe(true)

          const recordId = recordIds.find((r) => r.subjectId === companyId)?.id as string
          yield* credits.changeRecordState(reviewer, {
            tenantId: TENANT,
            recordId,
            state: "repaired",
            reason: "已履行"
          })
          const after = Option.getOrThrow(
            yield* credits.getEvaluation(reviewer, { tenantId: TENANT, subjectId: companyId })
          )
          expect([after.score, after.grade]).toEqual([100, "A"])
          const twice = yield* Effect.flip(
            credits.changeRecordState(reviewer, { tenantId: TENANT, recordId, state: "expired", reason: "x" })
          )
          expect(twice._tag).toBe("InvalidTransition")
          expect(yield* credits.listRecords(publicUser, { tenantId: TENANT, subjectId: companyId })).toEqual([])
          expect(yield* credits.listRecords(reviewer, { tenantId: TENANT, subjectId: companyId })).toHaveLength(1)
          const checked = yield* credits.check(reviewer, {
            tenantId: TENANT,
            subjectId: companyId,
            purpose: "行政审批"
          })
          expect([checked.grade, checked.measures.map((m) => m.measure.code)]).toEqual(["A", ["TOLERANT_ACCEPTANCE"]])
          const denied = yield* Effect.flip(
            credits.check(publicUser, { tenantId: TENANT, subjectId: companyId, purpose: "行政审批" })
          )
          expect(denied._tag).toBe("Forbidden")
          const full = yield* credits.reevaluateAll(admin, { tenantId: TENANT })
          expect(full).toEqual({ subjects: 2, changed: 0 })
        }).pipe(Effect.provide(layer()))
    )

    it.effect.each([
      ["another unit's clerk", otherClerk, "NotOwnUnit"],
      ["the public", publicUser, "Forbidden"],
      ["another district's admin", outsider, "Forbidden"],
      ["a reviewer", reviewer, "Forbidden"]
    ] as const)("%s may not send the unit's batch", ([, actor, tag]) =>
      Effect.gen(function* () {
        const credits = yield* setUp
        const error = yield* Effect.flip(
          credits.ingest(actor, batch([penalty("P1", companyCode, "2026-06-01", "一般")]))
        )
        expect(error._tag).toBe(tag)
      }).pipe(Effect.provide(layer()))
    )

    it.effect("双公示 timeliness per unit: published within 7 working days of the decision, or listed as late", () =>
      Effect.gen(function* () {
        const credits = yield* setUp
        yield* credits.ingest(
          clerk,
          batch([penalty("P1", companyCode, "2026-11-20", "一般"), penalty("P2", companyCode, "2026-11-23", "一般")])
        )
        const report = yield* credits.publicityTimeliness(admin, {
          tenantId: TENANT,
          from: "2026-11-01",
          to: "2026-11-30"
        })
        const market = report.find((u) => u.sourceUnitId === "SCJG")
        // 2026-11-20 (Fri) + 7 working days = 2026-12-01 → on time; so is 2026-11-23 (due 2026-12-02)
        expect([market?.total, market?.onTime, market?.rate]).toEqual([2, 2, 1])
        yield* TestClock.setTime(Date.parse("2026-12-02T17:00:00Z")) // 2026-12-03 in China
        yield* credits.ingest(clerk, batch([penalty("P3", companyCode, "2026-11-23", "一般")]))
        const later = yield* credits.publicityTimeliness(admin, {
          tenantId: TENANT,
          from: "2026-11-01",
          to: "2026-11-30"
        })
        const late = later.find((u) => u.sourceUnitId === "SCJG")
        expect([late?.total, late?.onTime]).toEqual([3, 2])
        expect(late?.late).toEqual([
          {
            sourceRecordId: "P3",
            findingDate: "2026-11-23",
            due: "2026-12-02",
            received: "2026-12-03",
            estimated: false
          }
        ])
        expect(later.find((u) => u.sourceUnitId === "SWJ")?.rate).toBe(1)
        const denied = yield* Effect.flip(
          credits.publicityTimeliness(clerk, { tenantId: TENANT, from: "2026-11-01", to: "2026-11-30" })
        )
        expect(denied._tag).toBe("Forbidden")
      }).pipe(Effect.provide(layer()))
    )

    it.effect("bad input is one InvalidInput in Chinese", () =>
      Effect.gen(function* () {
        const credits = yield* setUp
        const error = yield* Effect.flip(credits.ingest(admin, { tenantId: "x", sourceUnitId: "", format: "doc" }))
        expect(error._tag).toBe("InvalidInput")
        expect(error.message).toContain("「信用信息报送」的输入有误")
        expect(error.message).toContain("区县（租户）")
        if (error._tag === "InvalidInput") expect(error.problems.length).toBeGreaterThanOrEqual(3)
      }).pipe(Effect.provide(layer()))
    )
  })
}

const idsOf = Effect.gen(function* () {
  const store = yield* CreditStore.CreditStore
  const subjects = yield* store.subjects.find(TENANT, {}, 100)
  const records = yield* store.records.find(TENANT, {}, 100)
  return {
    subjectIds: subjects.map((s) => ({ id: s.value.id, kind: s.value.kind })),
    recordIds: records.map((r) => ({ id: r.value.id, subjectId: r.value.subjectId }))
  }
})
