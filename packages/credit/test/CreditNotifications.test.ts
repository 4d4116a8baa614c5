import { describe, expect, it } from "@effect/vitest"
import { OutboxEvent } from "@gongzhi/core/Outbox"
import * as Subscription from "@gongzhi/core/Subscription"
import * as Template from "@gongzhi/core/Template"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Schema } from "effect"
import * as CreditEvents from "../src/CreditEvents.js"
import * as CreditNotifications from "../src/CreditNotifications.js"

const TENANT = "440310" as TenantId

const subscriptions = CreditNotifications.defaultSubscriptions({
  channels: ["wecom"],
  recipients: {
    sourceUnit: (unit) => Effect.succeed([{ id: `unit-${unit}`, addresses: { wecom: unit } }]),
    creditOffice: () => Effect.succeed([{ id: "xyb", addresses: { wecom: "xyb" } }]),
    subject: (subjectId) => Effect.succeed([{ id: `subject-${subjectId}`, addresses: { wecom: subjectId } }]),
    // the units that received the records through the sharing interface (from Credits.recipientsOf in a district)
    receivingUnits: (subjectId, recordIds) =>
      Effect.succeed(
        subjectId === "S-1" && recordIds.includes("R-1") ? [{ id: "unit-RSJ", addresses: { wecom: "RSJ" } }] : []
      )
  }
})

/** Who gets which subject line for one event. */
const deliver = (event: CreditEvents.CreditEvent) =>
  Effect.gen(function* () {
    const configured = yield* Subscription.configure(subscriptions, { channels: ["wecom"] })
    const entry = CreditEvents.toOutbox(TENANT, event)
    const raw = new OutboxEvent({
      ...entry,
      tenantId: TENANT,
      id: "01J0000000000000000000000" as never,
      occurredAt: new Date(0)
    })
    const out: Array<[string, string]> = []
    for (const subscription of configured.forEvent(raw.type)) {
      const payload = yield* Effect.orDie(Schema.decodeUnknown(subscription.payload!)(raw.payload))
      const recipients = (yield* Effect.orDie(subscription.recipients({ event: raw, payload }))) as ReadonlyArray<{
        readonly id: string
      }>
      const data = Subscription.mapData(subscription.data, { event: raw, payload }, { id: "r", addresses: {} })
      const message = yield* Template.render(subscription.template, data)
      for (const r of recipients) out.push([r.id, message.subject])
    }
    return out
  })

describe("CreditNotifications", () => {
  it.effect("a batch goes back to its unit only when rows were rejected", () =>
    Effect.gen(function* () {
      const base = { _tag: "BatchAccepted", batchId: "B-1", sourceUnitId: "SCJG", accepted: 8 } as const
      expect(yield* deliver({ ...base, rejected: 0 })).toEqual([])
      expect(yield* deliver({ ...base, rejected: 2 })).toEqual([
        ["unit-SCJG", "【报送退回】批次 B-1 有 2 行未通过校验"]
      ])
    })
  )

  it.effect("list changes go to the credit office", () =>
    Effect.gen(function* () {
      const list = { subjectId: "S-1", decisionId: "LD-1", list: "seriousDishonesty", basis: "decision" } as const
      expect(
        yield* deliver({
          _tag: "SubjectEnteredList",
          ...list,
          decidingUnit: "市场监管局",
          from: "2026-11-20",
          until: "2029-11-20"
        })
      ).toEqual([["xyb", "【名单变动】主体 S-1 列入严重失信主体名单"]])
      expect(yield* deliver({ _tag: "SubjectLeftList", ...list, reason: "expired", on: "2029-11-20" })).toEqual([
        ["xyb", "【名单变动】主体 S-1 期满移出严重失信主体名单"]
      ])
    })
  )

  it.effect("a grade falling into a watched grade is announced; a first grade or a rise is not", () =>
    Effect.gen(function* () {
      const grade = (from: string | undefined, to: string) =>
        deliver({ _tag: "GradeChanged", subjectId: "S-1", ...(from === undefined ? {} : { from }), to, score: 80 })
      expect(yield* grade("B", "C")).toEqual([["xyb", "【信用等级下降】主体 S-1 降为 C 级"]])
      expect(yield* grade("C", "D")).toHaveLength(1)
      expect(yield* grade("D", "C")).toEqual([])
      expect(yield* grade(undefined, "D")).toEqual([])
      expect(yield* grade("A", "B")).toEqual([])
    })
  )

  it.effect(
    "an objection's outcome and a repair decision go to the subject; an overdue step to the credit office",
    () =>
      Effect.gen(function* () {
        const objection = { objectionId: "OB-1", subjectId: "S-1", recordId: "R-1" } as const
        expect(
          yield* deliver({ _tag: "ObjectionDecided", ...objection, outcome: "corrected", note: "金额已更正" })
        ).toEqual([["subject-S-1", "【异议处理结果】您对信用记录 R-1 的异议已办结：已更正"]])
        expect(
          yield* deliver({
            _tag: "ObjectionOverdue",
            ...objection,
            sourceUnitId: "SCJG",
            step: "provider",
            due: "2026-12-18"
          })
        ).toEqual([["xyb", "【异议超期督办】异议 OB-1 的提供单位核实环节已超时"]])
        const repair = { applicationId: "RA-1", subjectId: "S-1", recordIds: ["R-1"] } as const
        expect(
          yield* deliver({
            _tag: "RepairGranted",
            ...repair,
            sourceUnitId: "SCJG",
            on: "2026-12-01",
            removedDecisionIds: ["LD-1"],
            liftedMeasures: []
          })
        ).toEqual([
          ["subject-S-1", "【信用修复】您的信用修复申请 RA-1 已准予修复"],
          ["unit-RSJ", "【信用修复告知】主体 S-1 的 1 条信用信息已修复，请停止使用"]
        ])
        expect(yield* deliver({ _tag: "RepairRefused", ...repair, reasons: ["未履行"] })).toEqual([
          ["subject-S-1", "【信用修复】您的信用修复申请 RA-1 不予修复"]
        ])
      })
  )
})
