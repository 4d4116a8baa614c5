import { describe, expect, it } from "@effect/vitest"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import { Effect, FastCheck as fc, Layer, Option, TestClock, TestContext } from "effect"
import type { CreditRecord } from "../src/CreditRecord.js"
import { inUse } from "../src/CreditRecord.js"
import * as CreditStore from "../src/CreditStore.js"
import * as Credits from "../src/Credits.js"
import type { Outcome } from "../src/Objection.js"
import {
  admin,
  admin2,
  batch,
  claim,
  clerk,
  codeA,
  decision,
  options,
  penalty,
  resident,
  reviewer,
  TENANT
} from "./repairFixtures.js"

type Op =
  | { readonly op: "object"; readonly record: number; readonly steps: number; readonly outcome: Outcome }
  | { readonly op: "progress"; readonly record: number; readonly outcome: Outcome }
  | { readonly op: "repair"; readonly record: number; readonly withList: boolean }
  | { readonly op: "advance"; readonly days: number }
  | { readonly op: "endDisplay" }

const record = fc.integer({ min: 0, max: 3 })
const outcome: fc.Arbitrary<Outcome> = fc.constantFrom(
  { _tag: "Keep" },
  { _tag: "Revoke" },
  { _tag: "Correct", fields: { fine: 10 } }
)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("object" as const), record, steps: fc.integer({ min: 0, max: 4 }), outcome }),
  fc.record({ op: fc.constant("progress" as const), record, outcome }),
  fc.record({ op: fc.constant("repair" as const), record, withList: fc.boolean() }),
  fc.record({ op: fc.constant("advance" as const), days: fc.integer({ min: 1, max: 400 }) }),
  fc.constant({ op: "endDisplay" as const })
)

const layer = Credits.layerMemory(options).pipe(Layer.provide(FieldCipher.layerTest()), Layer.orDie)

/** 527 (display ended), Order 36 一般 and 严重, Order 58 一般. */
const findings = [
  penalty("P0", "2023-01-10"),
  penalty("P1", "2026-06-01"),
  penalty("P2", "2026-11-20", "严重"),
  penalty("P3", "2026-03-01")
]

const program = (ops: ReadonlyArray<Op>) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(Date.parse("2026-12-01T02:00:00Z"))
    const credits = yield* Credits.Credits
    const store = yield* CreditStore.CreditStore
    yield* credits.ingest(clerk, batch(findings))
    const subject = (yield* store.subjects.find(TENANT, { identifier_key: codeA }, 1))[0]!.value.id
    const listed = yield* credits.recordListDecision(admin, decision(subject))
    yield* credits.approveListDecision(admin2, { tenantId: TENANT, decisionId: listed.id })
    const ids = (yield* store.records.find(TENANT, { subject_id: subject }, 10)).map((r) => r.value)
    const idOf = (i: number) => ids.find((r) => r.sourceRecordId === `P${i}`)!.id
    let clock = Date.parse("2026-12-01T02:00:00Z")

    /** Moves the open objection on a record one step on (the provider answers with `outcome`). */
    const progress = (recordId: string, outcome: Outcome) =>
      Effect.gen(function* () {
        const open = (yield* store.objections.find(TENANT, { record_id: recordId }, 100)).find((o) =>
          ["submitted", "accepted", "forwarded"].includes(o.value.state)
        )
        if (open === undefined) return
        const at = { tenantId: TENANT, objectionId: open.value.id }
        if (open.value.state === "submitted") yield* credits.acceptObjection(reviewer, at)
        else if (open.value.state === "accepted") yield* credits.forwardObjection(reviewer, at)
        else yield* credits.answerObjection(clerk, { ...at, outcome, reason: "已核实" })
      })

    /** The invariant: what is shown or used today holds no repaired, expired or revoked record. */
    const invariant = Effect.gen(function* () {
      const states = new Map(
        (yield* store.records.find(TENANT, { subject_id: subject }, 10)).map((r) => [r.value.id, r.value] as const)
      )
      const live = (id: string) => inUse((states.get(id) as CreditRecord).state)
      const shown = yield* credits.listRecords(resident, { tenantId: TENANT, subjectId: subject })
      for (const r of shown) {
        expect(inUse(r.state)).toBe(true)
        expect(r.state).toBe(states.get(r.id)?.state)
      }
      for (const purpose of ["财政资金项目申报", "政府采购", "日常监管"]) {
        const checked = yield* credits.check(reviewer, { tenantId: TENANT, subjectId: subject, purpose })
        for (const entry of checked.entries) for (const id of entry.recordIds) expect(live(id)).toBe(true)
      }
      const grade = Option.getOrUndefined(yield* store.evaluations.get(TENANT, subject))
      for (const line of grade?.value.lines ?? []) expect(live(line.recordId)).toBe(true)
      // a granted repair removed the entries it named: no list by decision is in force on a repaired record's account
      const repairs = (yield* store.repairs.find(TENANT, { subject_id: subject }, 100)).map((r) => r.value)
      for (const r of repairs.filter((a) => a.state === "granted"))
        for (const id of r.recordIds) expect(states.get(id)?.state).toBe("repaired")
    })

    for (const op of ops) {
      const step = Effect.gen(function* () {
        switch (op.op) {
          case "object": {
            yield* credits.fileObjection(reviewer, {
              tenantId: TENANT,
              recordId: idOf(op.record),
              filer: { _tag: "Subject" },
              reason: "记录有误"
            })
            for (let i = 0; i < op.steps; i++) yield* progress(idOf(op.record), op.outcome)
            return
          }
          case "progress":
            return yield* progress(idOf(op.record), op.outcome)
          case "repair": {
            const application = yield* credits.applyForRepair(reviewer, {
              tenantId: TENANT,
              subjectId: subject,
              recordIds: [idOf(op.record)],
              listDecisionIds: op.withList ? [listed.id] : [],
              ...claim
            })
            yield* credits.decideRepair(clerk, {
              tenantId: TENANT,
              applicationId: application.id,
              decision: "grant",
              reasons: ["已履行"]
            })
            return
          }
          case "advance":
            clock += op.days * 86_400_000
            return yield* TestClock.setTime(clock)
          case "endDisplay":
            yield* credits.endDisplayAtMaximum(admin, { tenantId: TENANT })
            return
        }
      })
      // refusals are part of the game (not eligible yet, an objection already open …) but only typed ones
      const failed = yield* Effect.flip(step).pipe(Effect.option)
      if (Option.isSome(failed))
        expect(["NotEligibleForRepair", "ObjectionNotAllowed", "InvalidInput", "InvalidTransition"]).toContain(
          failed.value._tag
        )
      yield* invariant
    }
  })

describe("Objections and repairs (property)", () => {
  it("after any sequence of objections, repairs and display ends, nothing repaired, expired or revoked is shown or used", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 10 }), (ops) =>
        Effect.runPromise(program(ops).pipe(Effect.provide(layer), Effect.provide(TestContext.TestContext)))
      ),
      { numRuns: 30 }
    )
  }, 120_000)
})
