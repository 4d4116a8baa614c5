import { describe, expect, it } from "@effect/vitest"
import * as LocalDate from "@gongzhi/core/LocalDate"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Either, FastCheck as fc } from "effect"
import * as ListDecision from "../src/ListDecision.js"
import { day } from "./fixtures.js"

const base = (from: string, until: string) =>
  new ListDecision.ListDecision({
    id: "LD-1",
    tenantId: "440310" as TenantId,
    subjectId: "S1",
    list: "seriousDishonesty",
    decidingUnit: "坪山区市场监督管理局",
    documentNumber: "深坪市监认〔2026〕1号",
    decisionDate: day(from),
    legalBasis: "《市场监督管理严重违法失信名单管理办法》第二条",
    reasons: ["提供虚假材料骗取许可"],
    from: day(from),
    until: day(until),
    exit: "期满或信用修复后移出",
    state: "pending",
    recorded: { by: "R001", at: new Date(0) }
  })

const shift = (d: LocalDate.LocalDate, n: number) => LocalDate.unsafeFromEpochDay(LocalDate.toEpochDay(d) + n)

type Op =
  | { readonly op: "approve"; readonly by: string }
  | { readonly op: "reject"; readonly by: string }
  | { readonly op: "remove"; readonly by: string; readonly offset: number }
  | { readonly op: "expire"; readonly offset: number }

const people = fc.constantFrom("R001", "A001", "A002")
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("approve" as const), by: people }),
  fc.record({ op: fc.constant("reject" as const), by: people }),
  fc.record({ op: fc.constant("remove" as const), by: people, offset: fc.integer({ min: 0, max: 800 }) }),
  fc.record({ op: fc.constant("expire" as const), offset: fc.integer({ min: 0, max: 800 }) })
)

const apply = (d: ListDecision.ListDecision, op: Op) => {
  const at = new Date(1)
  switch (op.op) {
    case "approve":
      return ListDecision.approve(d, op.by, at)
    case "reject":
      return ListDecision.reject(d, op.by, at, "材料不全")
    case "remove":
      return ListDecision.remove(d, op.by, at, shift(d.from, op.offset), "已履行义务")
    case "expire":
      return ListDecision.expire(d, shift(d.from, op.offset))
  }
}

const terminal = new Set<ListDecision.DecisionState>(["rejected", "removed", "expired"])
const allowed: Record<ListDecision.DecisionState, ReadonlyArray<ListDecision.DecisionState>> = {
  pending: ["approved", "rejected"],
  approved: ["removed", "expired"],
  rejected: [],
  removed: [],
  expired: []
}

describe("ListDecision lifecycle (property)", () => {
  it("any sequence of commands only follows the allowed transitions; terminal states never change", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 12 }), fc.integer({ min: 1, max: 1100 }), (ops, length) => {
        let current = base("2026-06-01", shift(day("2026-06-01"), length))
        for (const op of ops) {
          const next = apply(current, op)
          if (Either.isLeft(next)) {
            expect(next.left._tag).toBe("InvalidTransition")
            expect(next.left.message).toContain("不能")
            continue
          }
          const after = next.right
          expect(terminal.has(current.state)).toBe(false)
          expect(allowed[current.state]).toContain(after.state)
          // the facts of the decision never change
          expect([after.id, after.subjectId, after.list, after.from, after.until, after.legalBasis]).toEqual([
            current.id,
            current.subjectId,
            current.list,
            current.from,
            current.until,
            current.legalBasis
          ])
          if (after.state === "approved") expect(after.approval?.by).not.toBe(after.recorded.by)
          if (after.state === "expired" && op.op === "expire") {
            expect(shift(after.from, op.offset) >= after.until).toBe(true)
          }
          current = after
        }
      }),
      { numRuns: 500 }
    )
  })

  it("in force exactly while approved and from <= day < until (a removal ends the entry on its day)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1100 }),
        fc.integer({ min: -30, max: 1200 }),
        fc.option(fc.integer({ min: 0, max: 1200 }), { nil: undefined }),
        (length, probe, removeAt) => {
          const pending = base("2026-06-01", shift(day("2026-06-01"), length))
          const probeDay = shift(pending.from, probe)
          expect(ListDecision.inForce(pending, probeDay)).toBe(false)
          const approved = Either.getOrThrow(ListDecision.approve(pending, "A001", new Date(1)))
          expect(ListDecision.inForce(approved, probeDay)).toBe(probe >= 0 && probe < length)
          const entry = ListDecision.toEntry(approved)
          expect([entry.basis, entry.from, entry.until, entry.decidedBy]).toEqual([
            "decision",
            approved.from,
            approved.until,
            "坪山区市场监督管理局"
          ])
          if (removeAt !== undefined) {
            const removed = Either.getOrThrow(
              ListDecision.remove(approved, "A001", new Date(2), shift(pending.from, removeAt), "已履行")
            )
            expect(ListDecision.inForce(removed, probeDay)).toBe(false)
            expect(ListDecision.toEntry(removed).until <= approved.until).toBe(true)
          }
        }
      )
    )
  })

  it("the recorder may not approve their own decision", () => {
    const refused = ListDecision.approve(base("2026-06-01", "2027-06-01"), "R001", new Date(1))
    expect(Either.isLeft(refused) && refused.left.message).toContain("须由他人审核")
  })
})
