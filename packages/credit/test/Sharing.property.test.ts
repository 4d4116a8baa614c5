import { describe, expect, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, FastCheck as fc, Schema } from "effect"
import { CreditRecord, inUse, type RecordState } from "../src/CreditRecord.js"
import * as CreditStore from "../src/CreditStore.js"
import * as Credits from "../src/Credits.js"
import { Role } from "../src/Permissions.js"
import { Subject } from "../src/Subject.js"
import { companyCodes, runOnMemory, sqliteService } from "./backends.js"
import { day, record } from "./fixtures.js"

const TENANT = "440310" as TenantId
const admin = Schema.decodeUnknownSync(Actor.Actor)({
  _tag: "Staff",
  staffId: "A001",
  name: "王管理",
  roles: [Role.admin],
  scope: { tenantId: TENANT, regionCode: TENANT }
})
const TODAY = "2026-12-01"
const PURPOSE = "行政审批"

const nextCode = companyCodes(7)
const codes = Array.from({ length: 3 }, nextCode)
const subjects = codes.map(
  (code, i) =>
    new Subject({
      id: `S${i}`,
      tenantId: TENANT,
      kind: "legalPerson",
      creditCode: code,
      identifierKey: code,
      name: `主体${i}`,
      formerNames: [],
      status: "active",
      createdAt: new Date(0),
      updatedAt: new Date(0)
    })
)

const STATES: ReadonlyArray<RecordState> = ["active", "objectionPending", "corrected", "repaired", "expired", "revoked"]
const arbitraryRecord = fc.record({
  type: fc.constantFrom("ADMIN_PENALTY", "SERIOUS_DISHONESTY", "ABNORMAL_OPERATION", "ADMIN_REWARD", "HONOUR"),
  subject: fc.integer({ min: 0, max: 2 }),
  daysAgo: fc.integer({ min: -30, max: 1500 }),
  tier: fc.constantFrom("minor" as const, "general" as const, "serious" as const),
  state: fc.constantFrom(...STATES),
  displayed: fc.boolean(),
  displayDays: fc.option(fc.integer({ min: 1, max: 1500 }), { nil: undefined })
})

const dateOf = (daysAgo: number) =>
  new Date(Date.parse(`${TODAY}T00:00:00Z`) - daysAgo * 86_400_000).toISOString().slice(0, 10)

const runs = [
  ["memory", runOnMemory({ sourceUnits: [] }, `${TODAY}T02:00:00Z`), 60],
  // the SQL read path (CreditStore.shareReads on SQL) under the same property
  ["sqlite", runOnMemory({ sourceUnits: [] }, `${TODAY}T02:00:00Z`, sqliteService({ sourceUnits: [] })), 20]
] as const

describe("sharing properties (service)", () => {
  for (const [name, run, numRuns] of runs)
    it(`${name}: nothing repaired, expired or revoked ever leaves through a sharing operation; records under objection always leave marked`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(arbitraryRecord, { minLength: 1, maxLength: 12 }), (generated) =>
          run(
            Effect.gen(function* () {
              const credits = yield* Credits.Credits
              const store = yield* CreditStore.CreditStore
              for (const subject of subjects) yield* store.subjects.insert(TENANT, subject)
              const records = generated.map((g, i) => {
                const base = record(`R${i}`, g.type, dateOf(g.daysAgo), {
                  tier: g.tier,
                  state: g.state,
                  subjectId: `S${g.subject}`
                })
                return new CreditRecord({
                  ...base,
                  displayed: g.displayed,
                  ...(g.displayDays === undefined ? {} : { displayEnds: day(dateOf(g.daysAgo - g.displayDays)) })
                })
              })
              yield* store.records.insertMany(TENANT, records)
              const gone = new Set(records.filter((r) => !inUse(r.state)).map((r) => r.id))
              const pending = new Set(records.filter((r) => r.state === "objectionPending").map((r) => r.id))

              const { apiKey } = yield* credits.createServiceAccount(admin, {
                tenantId: TENANT,
                name: "核查",
                unit: "坪山区某局",
                scope: { lists: ["red", "seriousDishonesty", "abnormal"], purposes: [PURPOSE] },
                rateLimit: { limit: 1000, windowSeconds: 60 }
              })
              const shared: Array<string> = []
              for (const list of ["red", "seriousDishonesty", "abnormal"] as const) {
                const answer = yield* credits.shareCheckBatch(apiKey, {
                  tenantId: TENANT,
                  purpose: PURPOSE,
                  list,
                  identifiers: codes
                })
                for (const result of answer.results)
                  for (const entry of result.entries) {
                    shared.push(...entry.recordIds)
                    expect(entry.objectionPending).toBe(entry.recordIds.some((id) => pending.has(id)))
                  }
              }
              for (const code of codes) {
                const answer = yield* credits.shareRecords(apiKey, {
                  tenantId: TENANT,
                  purpose: PURPOSE,
                  identifier: code
                })
                for (const r of answer.records) {
                  shared.push(r.recordId)
                  expect(r.mark === "异议处理中").toBe(pending.has(r.recordId))
                }
              }
              const log = yield* store.shareLog.find(TENANT, {}, 10_000)
              shared.push(...log.flatMap((e) => e.value.recordIds))
              for (const subject of subjects) {
                const recipients = yield* credits.recipientsOf(admin, { tenantId: TENANT, subjectId: subject.id })
                shared.push(...recipients.flatMap((r) => r.recordIds))
              }
              expect(shared.filter((id) => gone.has(id))).toEqual([])
            })
          )
        ),
        { numRuns }
      )
    }, 120_000)
})
