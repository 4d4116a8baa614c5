import { describe, expect, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, FastCheck as fc, Schema } from "effect"
import * as CreditStore from "../src/CreditStore.js"
import * as Credits from "../src/Credits.js"
import { Role } from "../src/Permissions.js"
import * as Scorecard from "../src/Scorecard.js"
import { SourceUnit } from "../src/SourceUnit.js"
import { runOnMemory } from "./backends.js"
import { csvOf, day } from "./fixtures.js"

const TENANT = "440310" as TenantId
const admin = Schema.decodeUnknownSync(Actor.Actor)({
  _tag: "Staff",
  staffId: "A001",
  name: "王管理",
  roles: [Role.admin],
  scope: { tenantId: TENANT, regionCode: TENANT }
})
const unit = new SourceUnit({
  id: "U1",
  tenantId: TENANT,
  name: "坪山区某局",
  kind: "bureau",
  recordTypes: ["ADMIN_PENALTY", "ADMIN_REWARD", "JUDICIAL"],
  active: true
})
const TODAY = "2026-12-01"

let s = 99
const codes = Array.from({ length: 3 }, () =>
  SocialCreditCode.generate(() => {
    s = (s * 16807) % 2147483647
    return s / 2147483647
  })
)

const header = [
  "recordType",
  "sourceRecordId",
  "subjectId",
  "subjectName",
  "documentNumber",
  "findingDate",
  "tier",
  "penaltyKind",
  "violation",
  "authority",
  "honour",
  "court",
  "caseNumber"
]
interface Row {
  readonly id: number
  readonly type: "ADMIN_PENALTY" | "ADMIN_REWARD" | "JUDICIAL"
  readonly subject: number
  readonly daysAgo: number
  readonly tier: "轻微" | "一般" | "严重"
}
const toCsv = (rows: ReadonlyArray<Row>) =>
  csvOf(
    header,
    rows.map((r) => {
      const date = new Date(Date.parse(`${TODAY}T00:00:00Z`) - r.daysAgo * 86_400_000).toISOString().slice(0, 10)
      const failing = r.type !== "ADMIN_REWARD"
      return [
        r.type,
        `S${r.id}`,
        codes[r.subject] as string,
        `主体${r.subject}`,
        `文书${r.id}`,
        date,
        failing ? r.tier : "",
        r.type === "ADMIN_PENALTY" ? "罚款" : "",
        r.type === "ADMIN_PENALTY" ? "违法" : "",
        "坪山区某局",
        r.type === "ADMIN_REWARD" ? "表彰" : "",
        r.type === "JUDICIAL" ? "坪山法院" : "",
        r.type === "JUDICIAL" ? `案${r.id}` : ""
      ]
    })
  )

const row = fc.record({
  id: fc.integer({ min: 1, max: 12 }),
  type: fc.constantFrom<Array<Row["type"]>>("ADMIN_PENALTY", "ADMIN_REWARD", "JUDICIAL"),
  subject: fc.integer({ min: 0, max: 2 }),
  daysAgo: fc.integer({ min: 0, max: 2500 }),
  tier: fc.constantFrom<Array<Row["tier"]>>("轻微", "一般", "严重")
})
const op = fc.oneof(
  fc.record({ kind: fc.constant("send" as const), rows: fc.uniqueArray(row, { selector: (r) => r.id, maxLength: 4 }) }),
  fc.record({ kind: fc.constantFrom("repaired" as const, "expired" as const, "revoked" as const), pick: fc.nat() })
)

const run = runOnMemory({ sourceUnits: [unit] }, `${TODAY}T02:00:00Z`)

const storedGrades = Effect.gen(function* () {
  const store = yield* CreditStore.CreditStore
  const rows = yield* store.evaluations.find(TENANT, {}, 1000)
  return new Map(
    rows.map((r) => [r.value.subjectId, { score: r.value.score, grade: r.value.grade, lines: r.value.lines }])
  )
})

describe("evaluation properties (service, memory store)", () => {
  it("incremental re-evaluation after any sequence of add / repair / expire equals a full evaluation", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), (ops) =>
        run(
          Effect.gen(function* () {
            const credits = yield* Credits.Credits
            const store = yield* CreditStore.CreditStore
            for (const o of ops) {
              if (o.kind === "send") {
                if (o.rows.length > 0)
                  yield* credits.ingest(admin, {
                    tenantId: TENANT,
                    sourceUnitId: "U1",
                    format: "csv",
                    content: toCsv(o.rows)
                  })
              } else {
                const live = (yield* store.records.find(TENANT, {}, 1000)).filter((r) =>
                  ["active", "objectionPending", "corrected"].includes(r.value.state)
                )
                const target = live[o.pick % Math.max(1, live.length)]
                if (target !== undefined)
                  yield* credits.changeRecordState(admin, {
                    tenantId: TENANT,
                    recordId: target.value.id,
                    state: o.kind,
                    reason: "测试"
                  })
              }
            }
            const incremental = yield* storedGrades
            // from scratch: every subject's grade computed from its records alone
            const records = (yield* store.records.find(TENANT, {}, 1000)).map((r) => r.value)
            for (const [subjectId, stored] of incremental) {
              const fresh = Scorecard.evaluate(
                Scorecard.sampleScorecard,
                Scorecard.sampleScale,
                records.filter((r) => r.subjectId === subjectId),
                day(TODAY)
              )
              expect(stored).toEqual({ score: fresh.score, grade: fresh.grade, lines: fresh.lines })
            }
            const subjects = yield* store.subjects.count(TENANT)
            expect(incremental.size).toBe(subjects)
            const full = yield* credits.reevaluateAll(admin, { tenantId: TENANT })
            expect(full.changed).toBe(0)
            expect(yield* storedGrades).toEqual(incremental)
          })
        )
      ),
      { numRuns: 25 }
    )
  }, 120_000)

  it("a grade never changes when records are re-sent unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(row, { selector: (r) => r.id, minLength: 1, maxLength: 8 }),
        fc.nat(),
        (rows, k) =>
          run(
            Effect.gen(function* () {
              const credits = yield* Credits.Credits
              const send = (subset: ReadonlyArray<Row>) =>
                credits.ingest(admin, { tenantId: TENANT, sourceUnitId: "U1", format: "csv", content: toCsv(subset) })
              yield* send(rows)
              const before = yield* storedGrades
              const again = yield* send(rows.slice(k % rows.length))
              expect([again.created, again.updated, again.regraded]).toEqual([0, 0, 0])
              expect(yield* storedGrades).toEqual(before)
            })
          )
      ),
      { numRuns: 25 }
    )
  }, 120_000)
})
