import { describe, expect, it } from "@effect/vitest"
import * as LocalDate from "@gongzhi/core/LocalDate"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Either, FastCheck as fc, Option } from "effect"
import * as Objection from "../src/Objection.js"
import { day } from "./fixtures.js"

const shift = (d: LocalDate.LocalDate, n: number) => LocalDate.unsafeFromEpochDay(LocalDate.toEpochDay(d) + n)
const FILED = day("2026-12-01")

const filed = (previousState: "active" | "corrected") =>
  new Objection.Objection({
    id: "OB-1",
    tenantId: "440310" as TenantId,
    recordId: "R1",
    subjectId: "S1",
    sourceUnitId: "SCJG",
    filer: { _tag: "Subject" },
    reason: "处罚金额登记有误",
    state: "submitted",
    previousState,
    filed: { by: "R001", at: new Date(0) },
    filedOn: FILED,
    due: shift(FILED, 2),
    escalated: []
  })

type Op =
  | { readonly op: "accept" | "forward"; readonly due: number }
  | { readonly op: "reject" }
  | { readonly op: "decide"; readonly outcome: Objection.Outcome }
  | { readonly op: "escalate"; readonly on: number }

const outcomeArb: fc.Arbitrary<Objection.Outcome> = fc.constantFrom(
  { _tag: "Keep" } as const,
  { _tag: "Revoke" } as const,
  { _tag: "Correct", fields: { amount: 500 } } as const
)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom("accept" as const, "forward" as const), due: fc.integer({ min: 1, max: 30 }) }),
  fc.constant({ op: "reject" as const }),
  fc.record({ op: fc.constant("decide" as const), outcome: outcomeArb }),
  fc.record({ op: fc.constant("escalate" as const), on: fc.integer({ min: 0, max: 40 }) })
)

const handling = { by: "P001", at: new Date(1), note: "已核查" }
const apply = (o: Objection.Objection, op: Op): Either.Either<Objection.Objection, unknown> | undefined => {
  switch (op.op) {
    case "accept":
      return Objection.accept(o, handling, shift(FILED, op.due))
    case "forward":
      return Objection.forward(o, handling, shift(FILED, op.due))
    case "reject":
      return Objection.reject(o, handling)
    case "decide":
      return Objection.decide(o, handling, op.outcome)
    case "escalate":
      return Option.match(Objection.escalate(o, shift(FILED, op.on)), {
        onNone: () => undefined,
        onSome: Either.right
      })
  }
}

const allowed: Record<Objection.ObjectionState, ReadonlyArray<Objection.ObjectionState>> = {
  submitted: ["submitted", "accepted", "refused"],
  accepted: ["accepted", "forwarded"],
  forwarded: ["forwarded", "closed"],
  closed: [],
  refused: []
}

describe("Objection lifecycle (property)", () => {
  it("any sequence follows accept → check → provider → outcome; the record shows 异议处理中 exactly while open", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("active" as const, "corrected" as const),
        fc.array(opArb, { maxLength: 14 }),
        (prev, ops) => {
          let current = filed(prev)
          for (const op of ops) {
            const next = apply(current, op)
            if (next === undefined) continue
            if (Either.isLeft(next)) {
              expect((next.left as { _tag: string })._tag).toBe("InvalidTransition")
              expect(String((next.left as Error).message)).toContain("不能")
              continue
            }
            const after = next.right
            expect(allowed[current.state]).toContain(after.state)
            expect([after.id, after.recordId, after.subjectId, after.previousState]).toEqual([
              current.id,
              current.recordId,
              current.subjectId,
              prev
            ])
            // an escalation is once per step, and only past the due date of the step the objection waits on
            expect(new Set(after.escalated).size).toBe(after.escalated.length)
            if (op.op === "escalate") {
              expect(after.escalated).toEqual([...current.escalated, Objection.stepOf(current.state)])
              expect(shift(FILED, op.on) > (current.due as string)).toBe(true)
              expect(Option.isNone(Objection.escalate(after, shift(FILED, op.on)))).toBe(true)
            }
            current = after
          }
          const state = Objection.recordState(current)
          if (Objection.isOpen(current.state)) expect(state).toBe("objectionPending")
          else if (current.state === "refused" || current.outcome?._tag === "Keep") expect(state).toBe(prev)
          else expect(state).toBe(current.outcome?._tag === "Revoke" ? "revoked" : "corrected")
          if (!Objection.isOpen(current.state)) {
            expect(current.due).toBeUndefined()
            expect(Option.isNone(Objection.escalate(current, shift(FILED, 1000)))).toBe(true)
          }
        }
      ),
      { numRuns: 500 }
    )
  })

  it("names the state in a refused transition", () => {
    const closed = Either.getOrThrow(
      Objection.decide(
        Either.getOrThrow(
          Objection.forward(Either.getOrThrow(Objection.accept(filed("active"), handling, FILED)), handling, FILED)
        ),
        handling,
        { _tag: "Keep" }
      )
    )
    const again = Objection.accept(closed, handling, FILED)
    expect(Either.isLeft(again) && again.left.message).toContain("当前状态为「已办结」，不能受理")
  })
})
