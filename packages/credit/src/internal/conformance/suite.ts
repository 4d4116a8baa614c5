import { assert, describe, layer } from "@effect/vitest"
import type * as LocalDate from "@gongzhi/core/LocalDate"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { freshTenant } from "@gongzhi/core/testing"
import { Effect, type Layer, Option } from "effect"
import { CreditRecord, Provenance } from "../../CreditRecord.js"
import { CreditStore } from "../../CreditStore.js"
import { ListDecision } from "../../ListDecision.js"
import { MeasureFeedback } from "../../MeasureFeedback.js"
import { Subject } from "../../Subject.js"
import { StoredBatch, StoredEvaluation } from "../tables.js"

/** A backend: `layer` builds a FRESH store (migrated, for SQL) offering the port and the `Transactor`. */
export interface StoreBackend {
  readonly name: string
  readonly layer: Layer.Layer<CreditStore | Transactor.Transactor, unknown>
}

const TIMEOUT = { timeout: 180_000 }
const at = new Date(Date.UTC(2026, 10, 1, 2))
const day = (s: string) => s as LocalDate.LocalDate

export const subject = (tenantId: TenantId, id: string, code: string, status: "active" | "merged" = "active") =>
  new Subject({
    id,
    tenantId,
    kind: "legalPerson",
    creditCode: code,
    identifierKey: code,
    name: `企业${id}`,
    formerNames: [],
    status,
    ...(status === "merged" ? { mergedInto: "S-KEPT" } : {}),
    createdAt: at,
    updatedAt: at
  })

export const record = (tenantId: TenantId, id: string, subjectId: string, sourceRecordId = id) =>
  new CreditRecord({
    id,
    tenantId,
    subjectId,
    recordType: "ADMIN_PENALTY",
    polarity: "negative",
    failingClass: "penalty",
    sourceRecordId,
    documentNumber: `文书${id}`,
    findingDate: day("2026-06-01"),
    tier: "general",
    displayed: true,
    details: { fine: 1000 },
    state: "active",
    provenance: new Provenance({ sourceUnitId: "SCJG", batchId: "B1", receivedAt: at, receivedBy: "Staff:C001" }),
    contentHash: id
  })

export const decision = (tenantId: TenantId, id: string, subjectId: string, until: string) =>
  new ListDecision({
    id,
    tenantId,
    subjectId,
    list: "seriousDishonesty",
    decidingUnit: "坪山区市场监督管理局",
    documentNumber: `认定${id}`,
    decisionDate: day("2026-06-01"),
    legalBasis: "示例依据",
    reasons: ["示例"],
    from: day("2026-06-01"),
    until: day(until),
    exit: "期满移出",
    state: "approved",
    recorded: { by: "R001", at },
    approval: { by: "A001", at }
  })

const rollback = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flip(Transactor.withTransaction(Effect.zipRight(self, Effect.fail("rollback" as const))))

export const creditStoreSuite = (backend: StoreBackend) =>
  describe(`CreditStore conformance (${backend.name})`, () => {
    layer(
      backend.layer,
      TIMEOUT
    )((it) => {
      it.effect("every aggregate round-trips unchanged", () =>
        Effect.gen(function* () {
          const store = yield* CreditStore
          const t = freshTenant()
          const s = subject(t, "S1", "CODE-1")
          const r = record(t, "R1", "S1")
          const e = new StoredEvaluation({
            subjectId: "S1",
            scorecardId: "sample",
            score: 92,
            grade: "B",
            label: "良好",
            lines: [{ recordId: "R1", recordType: "ADMIN_PENALTY", points: -8, reason: "扣 8 分" }],
            evaluatedOn: "2026-11-01"
          })
          const b = new StoredBatch({
            id: "B1",
            sourceUnitId: "SCJG",
            format: "csv",
            receivedAt: at,
            receivedBy: "Staff:C001",
            total: 2,
            accepted: 1,
            created: 1,
            updated: 0,
            unchanged: 0,
            rejected: [{ row: 3, sourceRecordId: "X", reasons: ["缺少「决定日期」"] }]
          })
          const d = decision(t, "LD1", "S1", "2029-06-01")
          const f = new MeasureFeedback({
            id: "MF1",
            tenantId: t,
            subjectId: "S1",
            measure: "NO_FISCAL_FUNDS",
            purpose: "财政资金项目申报",
            unit: "坪山区发展和改革局",
            takenOn: day("2026-11-20"),
            reportedBy: "P001",
            reportedAt: at
          })
          yield* store.subjects.insert(t, s)
          yield* store.records.insert(t, r)
          yield* store.evaluations.insert(t, e)
          yield* store.batches.insert(t, b)
          yield* store.listDecisions.insert(t, d)
          yield* store.measureFeedback.insert(t, f)
          assert.deepStrictEqual(
            Option.map(yield* store.subjects.get(t, "S1"), (v) => v.value),
            Option.some(s)
          )
          assert.deepStrictEqual(
            Option.map(yield* store.records.get(t, "R1"), (v) => v.value),
            Option.some(r)
          )
          assert.deepStrictEqual(
            Option.map(yield* store.evaluations.get(t, "S1"), (v) => v.value),
            Option.some(e)
          )
          assert.deepStrictEqual(
            Option.map(yield* store.batches.get(t, "B1"), (v) => v.value),
            Option.some(b)
          )
          assert.deepStrictEqual(
            Option.map(yield* store.listDecisions.get(t, "LD1"), (v) => v.value),
            Option.some(d)
          )
          assert.deepStrictEqual(
            Option.map(yield* store.measureFeedback.get(t, "MF1"), (v) => v.value),
            Option.some(f)
          )
        })
      )

      it.effect("one active subject per identifier; a merged subject frees its identifier", () =>
        Effect.gen(function* () {
          const store = yield* CreditStore
          const t = freshTenant()
          const first = yield* store.subjects.insert(t, subject(t, "S1", "CODE-1"))
          const twice = yield* Effect.flip(store.subjects.insert(t, subject(t, "S2", "CODE-1")))
          assert.strictEqual(twice._tag, "DuplicateKey")
          yield* store.subjects.update(t, subject(t, "S1", "CODE-1", "merged"), first.version)
          yield* store.subjects.insert(t, subject(t, "S2", "CODE-1"))
          const found = yield* store.subjects.find(t, { identifier_key: "CODE-1" }, 10)
          assert.deepStrictEqual(found.map((s) => [s.value.id, s.value.status]).sort(), [
            ["S1", "merged"],
            ["S2", "active"]
          ])
          // the identifier is per district
          yield* store.subjects.insert(freshTenant(), subject(t, "S1", "CODE-1"))
        })
      )

      it.effect("one record per source unit and source record id", () =>
        Effect.gen(function* () {
          const store = yield* CreditStore
          const t = freshTenant()
          yield* store.records.insert(t, record(t, "R1", "S1", "P-1"))
          const again = yield* Effect.flip(store.records.insert(t, record(t, "R2", "S1", "P-1")))
          assert.strictEqual(again._tag, "DuplicateKey")
          yield* store.records.insert(t, record(t, "R3", "S1", "P-2"))
        })
      )

      it.effect("a stale version conflicts; a rolled-back transaction leaves nothing", () =>
        Effect.gen(function* () {
          const store = yield* CreditStore
          const t = freshTenant()
          const stored = yield* store.records.insert(t, record(t, "R1", "S1"))
          const moved = new CreditRecord({ ...stored.value, subjectId: "S2" })
          yield* store.records.update(t, moved, stored.version)
          const stale = yield* Effect.flip(store.records.update(t, moved, stored.version))
          assert.strictEqual(stale._tag, "VersionConflict")
          yield* rollback(
            Effect.all([
              store.records.insert(t, record(t, "R9", "S9")),
              store.listDecisions.insert(t, decision(t, "LD9", "S9", "2027-01-01"))
            ])
          )
          assert.deepStrictEqual(yield* store.records.get(t, "R9"), Option.none())
          assert.deepStrictEqual(yield* store.listDecisions.get(t, "LD9"), Option.none())
        })
      )

      it.effect("the queries the service relies on: subjects in a page, decisions due, feedback per subject", () =>
        Effect.gen(function* () {
          const store = yield* CreditStore
          const t = freshTenant()
          for (const [id, subjectId] of [
            ["R1", "S1"],
            ["R2", "S1"],
            ["R3", "S2"],
            ["R4", "S3"]
          ] as const)
            yield* store.records.insert(t, record(t, id, subjectId))
          const page = yield* store.records.find(t, { subject_id: { in: ["S1", "S2"] } }, 100)
          assert.deepStrictEqual(
            page.map((r) => r.value.id),
            ["R1", "R2", "R3"]
          )
          yield* store.listDecisions.insert(t, decision(t, "LD1", "S1", "2026-12-01"))
          yield* store.listDecisions.insert(t, decision(t, "LD2", "S1", "2026-12-02"))
          const due = yield* store.listDecisions.find(t, { state: "approved", until_day: { lt: "2026-12-02" } }, 100)
          assert.deepStrictEqual(
            due.map((d) => d.value.id),
            ["LD1"]
          )
          // another district sees none of it
          const other = freshTenant()
          assert.strictEqual((yield* store.records.find(other, { subject_id: { in: ["S1", "S2"] } }, 100)).length, 0)
          assert.strictEqual(yield* store.listDecisions.count(other), 0)
        })
      )
    })
  })
