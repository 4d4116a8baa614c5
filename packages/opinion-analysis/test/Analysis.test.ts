import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, FastCheck as fc, Schema } from "effect"
import * as Analysis from "../src/Analysis.js"
import * as Generator from "../src/Generator.js"

/** China time (UTC+8) as a Date. */
const cst = (text: string) => new Date(`${text}+08:00`)

const base: Analysis.AnalysisItem = {
  id: "R-0",
  text: "路灯坏了",
  category: "GF02",
  kind: "complaint",
  streetCode: "440310002",
  communityCode: "440310002004",
  channel: "hotline",
  receivedAt: cst("2025-03-03T09:00:00"),
  status: "open",
  overdue: false
}

const item = (patch: Partial<Analysis.AnalysisItem> & { readonly id: string }): Analysis.AnalysisItem => ({
  ...base,
  ...patch
})

/** Ten items with hand-computed figures. */
const items: ReadonlyArray<Analysis.AnalysisItem> = [
  // closed on time, satisfied
  item({
    id: "A1",
    dueAt: cst("2025-03-10T23:59:59"),
    closedAt: cst("2025-03-05T10:00:00"),
    status: "closed-resolved",
    satisfaction: "satisfied"
  }),
  // closed exactly at the due date: on time; basically satisfied
  item({
    id: "A2",
    category: "GF03",
    dueAt: cst("2025-03-10T23:59:59"),
    closedAt: cst("2025-03-10T23:59:59"),
    status: "closed-resolved",
    satisfaction: "basically-satisfied"
  }),
  // closed late, unsatisfied
  item({
    id: "A3",
    category: "GL02",
    streetCode: "440310001",
    communityCode: "440310001005",
    channel: "volunteer-visit",
    dueAt: cst("2025-03-10T23:59:59"),
    closedAt: cst("2025-03-12T10:00:00"),
    status: "closed-unresolved",
    overdue: true,
    satisfaction: "unsatisfied"
  }),
  // closed without a due date: left out of the on-time rate; follow-up not answered
  item({
    id: "A4",
    category: "SM03",
    kind: "enquiry",
    closedAt: cst("2025-03-04T10:00:00"),
    status: "closed-resolved"
  }),
  // open, flagged overdue
  item({
    id: "A5",
    category: "GL02",
    streetCode: "440310001",
    communityCode: "440310001005",
    dueAt: cst("2025-03-20T23:59:59"),
    overdue: true,
    receivedAt: cst("2025-03-17T08:00:00")
  }),
  // open, due date passed at asOf but not flagged
  item({ id: "A6", category: "GF02", dueAt: cst("2025-03-25T23:59:59"), receivedAt: cst("2025-03-24T08:00:00") }),
  // open, within time
  item({ id: "A7", category: "CX02", kind: "suggestion", dueAt: cst("2025-04-20T23:59:59"), channel: "web" }),
  // next month (China time): 2025-03-31T17:30Z is 2025-04-01 01:30 in Shenzhen
  item({
    id: "A8",
    receivedAt: new Date("2025-03-31T17:30:00Z"),
    dueAt: cst("2025-04-03T23:59:59"),
    closedAt: cst("2025-04-02T10:00:00"),
    status: "closed-resolved",
    satisfaction: "satisfied"
  }),
  // the last minute of March in China time
  item({ id: "A9", category: "SM03", receivedAt: new Date("2025-03-31T15:59:00Z"), channel: "web" }),
  item({ id: "A10", category: "GF02", receivedAt: cst("2025-03-01T00:00:00"), channel: "mini-program" })
]

const asOf = cst("2025-03-28T00:00:00")

describe("Analysis", () => {
  it("counts by every dimension, most frequent first, ties by key", () => {
    assert.deepStrictEqual(Analysis.countBy(items, "category"), [
      { key: "GF02", count: 4 },
      { key: "GL02", count: 2 },
      { key: "SM03", count: 2 },
      { key: "CX02", count: 1 },
      { key: "GF03", count: 1 }
    ])
    assert.deepStrictEqual(Analysis.countBy(items, "area"), [
      { key: "GF", count: 5 },
      { key: "GL", count: 2 },
      { key: "SM", count: 2 },
      { key: "CX", count: 1 }
    ])
    assert.deepStrictEqual(Analysis.countBy(items, "street"), [
      { key: "440310002", count: 8 },
      { key: "440310001", count: 2 }
    ])
    assert.deepStrictEqual(Analysis.countBy(items, "community"), [
      { key: "440310002004", count: 8 },
      { key: "440310001005", count: 2 }
    ])
    assert.deepStrictEqual(Analysis.countBy(items, "channel"), [
      { key: "hotline", count: 6 },
      { key: "web", count: 2 },
      { key: "mini-program", count: 1 },
      { key: "volunteer-visit", count: 1 }
    ])
    assert.deepStrictEqual(Analysis.countBy(items, "kind"), [
      { key: "complaint", count: 8 },
      { key: "enquiry", count: 1 },
      { key: "suggestion", count: 1 }
    ])
  })

  it("status buckets separate open items past due, by flag or by asOf", () => {
    assert.deepStrictEqual(Analysis.countBy(items, "status", asOf), [
      { key: "closed-resolved", count: 4 },
      { key: "open", count: 3 },
      { key: "open-overdue", count: 2 },
      { key: "closed-unresolved", count: 1 }
    ])
    // without asOf only the flag counts
    assert.deepStrictEqual(
      Analysis.countBy(items, "status").find((c) => c.key === "open-overdue"),
      { key: "open-overdue", count: 1 }
    )
    assert.strictEqual(Analysis.areaOf("GF02"), "GF")
    assert.strictEqual(Analysis.areaOf("XYZ"), "XYZ")
  })

  it("on-time rate: closed by the due date over closed with a due date plus open past due", () => {
    const onTime = Analysis.onTimeRate(items, asOf)
    // on time: A1, A2, A8; late: A3; open overdue: A5 (flag), A6 (asOf); A4 has no due date
    assert.strictEqual(onTime.onTime, 3)
    assert.strictEqual(onTime.late, 1)
    assert.strictEqual(onTime.openOverdue, 2)
    assert.strictEqual(onTime.denominator, 6)
    assert.strictEqual(onTime.rate, 0.5)
    assert.strictEqual(Analysis.onTimeRate([]).rate, undefined)
  })

  it("satisfaction rate: 满意 + 基本满意 over answered follow-ups", () => {
    const satisfaction = Analysis.satisfactionRate(items)
    assert.deepStrictEqual(
      [satisfaction.satisfied, satisfaction.basicallySatisfied, satisfaction.unsatisfied, satisfaction.denominator],
      [2, 1, 1, 4]
    )
    assert.strictEqual(satisfaction.rate, 0.75)
    assert.strictEqual(Analysis.satisfactionRate([items[3]]).rate, undefined)
  })

  it("periods are cut in China time, with every period of [from, to) present", () => {
    const months = Analysis.countByPeriod(items, "month")
    assert.deepStrictEqual(
      months.map((m) => [m.period, m.count]),
      [
        ["2025-03", 9],
        ["2025-04", 1]
      ]
    )
    assert.strictEqual(months[1].start.toISOString(), "2025-03-31T16:00:00.000Z")
    const days = Analysis.countByPeriod(items, "day", {
      from: cst("2025-03-01T00:00:00"),
      to: cst("2025-03-08T00:00:00")
    })
    assert.deepStrictEqual(
      days.map((d) => [d.period, d.count]),
      [
        ["2025-03-01", 1],
        ["2025-03-02", 0],
        ["2025-03-03", 5],
        ["2025-03-04", 0],
        ["2025-03-05", 0],
        ["2025-03-06", 0],
        ["2025-03-07", 0]
      ]
    )
    const weeks = Analysis.countByPeriod(items, "week", {
      from: cst("2025-03-01T00:00:00"),
      to: cst("2025-04-01T00:00:00")
    })
    assert.deepStrictEqual(
      weeks.map((w) => [w.period, w.count]),
      [
        ["2025-W09", 1],
        ["2025-W10", 5],
        ["2025-W11", 0],
        ["2025-W12", 1],
        ["2025-W13", 1],
        ["2025-W14", 1]
      ]
    )
    // ISO weeks at year ends: 2024-12-30 is in 2025-W01, 2027-01-01 in 2026-W53
    const week = (text: string) => Analysis.countByPeriod([item({ id: "W", receivedAt: cst(text) })], "week")[0].period
    assert.strictEqual(week("2024-12-30T12:00:00"), "2025-W01")
    assert.strictEqual(week("2027-01-01T12:00:00"), "2026-W53")
    assert.strictEqual(week("2025-01-05T23:59:00"), "2025-W01")
    assert.strictEqual(week("2025-01-06T00:00:00"), "2025-W02")
  })

  it("figures by street and the overdue cases, most days overdue first", () => {
    const streets = Analysis.byRegion(items, "street", asOf)
    assert.deepStrictEqual(
      streets.map((row) => [row.code, row.count, row.open, row.openOverdue, row.onTime.rate, row.satisfaction.rate]),
      [
        ["440310001", 2, 1, 1, 0, 0],
        ["440310002", 8, 4, 1, 0.75, 1]
      ]
    )
    const overdue = Analysis.overdueCases(items, asOf)
    assert.deepStrictEqual(
      overdue.map((o) => [o.id, o.daysOverdue]),
      [
        ["A5", 8],
        ["A6", 3]
      ]
    )
  })

  it.effect("summarize decodes JSON input (ISO dates) and filters the period", () =>
    Effect.gen(function* () {
      const json = JSON.parse(JSON.stringify(items))
      const summary = yield* Analysis.summarize(json, {
        from: "2025-03-01T00:00:00+08:00",
        to: "2025-04-01T00:00:00+08:00",
        asOf: asOf.toISOString(),
        unit: "week"
      })
      assert.strictEqual(summary.total, 9)
      assert.strictEqual(summary.onTime.onTime, 2)
      assert.strictEqual(summary.onTime.openOverdue, 2)
      assert.strictEqual(summary.trend.length, 6)
      assert.deepStrictEqual(
        summary.overdue.map((o) => o.id),
        ["A5", "A6"]
      )
    })
  )

  it.effect("invalid input fails with InvalidAnalysisInput naming the field, never the value", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Analysis.decodeItems([
          { ...base, id: "B1", text: "请回电 13812345678", receivedAt: "not a date" },
          { ...base, id: "B2", status: "done", text: "身份证 11010519491231002X" }
        ])
      )
      assert.strictEqual(error._tag, "InvalidAnalysisInput")
      assert.deepStrictEqual(
        error.issues.map((issue) => issue.path),
        ["[0].receivedAt", "[1].status"]
      )
      const late = yield* Effect.flip(Analysis.decodeItems([{ ...base, receivedAt: "3500-01-01T00:00:00Z" }]))
      assert.strictEqual(late.issues[0].path, "[0].receivedAt")
      assert.include(error.message, "输入不合法")
      assert.notInclude(error.message, "13812345678")
      assert.notInclude(error.message, "not a date")
      assert.notInclude(JSON.stringify(error.issues), "done")
      const options = yield* Effect.flip(Analysis.summarize([], { unit: "year" as "day" }))
      assert.strictEqual(options.issues[0].path, "unit")
    })
  )

  it.prop(
    "counts add up, rates stay within [0, 1]",
    [fc.array(Arbitrary.make(Analysis.AnalysisItem), { maxLength: 40 })],
    ([generated]) => {
      for (const dimension of ["category", "area", "street", "community", "status", "channel", "kind"] as const) {
        const total = Analysis.countBy(generated, dimension).reduce((sum, c) => sum + c.count, 0)
        assert.strictEqual(total, generated.length)
      }
      const onTime = Analysis.onTimeRate(generated)
      const satisfaction = Analysis.satisfactionRate(generated)
      for (const rate of [onTime, satisfaction]) {
        assert.isTrue(rate.numerator <= rate.denominator)
        assert.isTrue(rate.rate === undefined || (rate.rate >= 0 && rate.rate <= 1))
      }
      const valid = generated.filter((g) => Number.isFinite(g.receivedAt.getTime()))
      assert.strictEqual(
        Analysis.countByPeriod(valid, "month").reduce((sum, p) => sum + p.count, 0),
        valid.length
      )
    }
  )

  it.effect("summarises generated outcomes consistently", () =>
    Effect.gen(function* () {
      const from = cst("2025-03-01T00:00:00")
      const to = cst("2025-04-01T00:00:00")
      const reports = yield* Generator.generate({
        places: Generator.pingshanPlaces,
        seed: 9,
        count: 600,
        from,
        to,
        communities: Generator.pingshanCommunities
      })
      const generated = yield* Generator.outcomes(reports, { seed: 9, asOf: to })
      const summary = Analysis.summary(generated, { from, to, unit: "day" })
      assert.strictEqual(summary.total, 600)
      assert.strictEqual(summary.trend.length, 31)
      assert.strictEqual(
        summary.streets.reduce((sum, row) => sum + row.count, 0),
        600
      )
      assert.isTrue(summary.onTime.rate! > 0.6 && summary.onTime.rate! < 0.98)
      assert.isTrue(summary.satisfaction.rate! > 0.7)
      assert.isTrue(Schema.is(Schema.Array(Analysis.AnalysisItem))(generated))
    })
  )
})
