import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Calendar from "@gongzhi/core/Calendar"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Region from "@gongzhi/core/Region"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as Opinions from "@gongzhi/opinion/Opinions"
import * as Permissions from "@gongzhi/opinion/Permissions"
import * as Report from "@gongzhi/opinion/Report"
import * as ReportRepo from "@gongzhi/opinion/ReportRepo"
import * as Routing from "@gongzhi/opinion/Routing"
import { Effect, Layer, Option, Schema, TestClock } from "effect"
import * as Analysis from "../src/Analysis.js"
import * as Generator from "../src/Generator.js"
import * as ReportItems from "../src/ReportItems.js"

const tenantId = "440310" as TenantId
const MONDAY_9AM = Date.UTC(2026, 2, 2, 1, 0, 0)

const divisions: unknown = JSON.parse(
  readFileSync(new URL("../../../examples/pingshan/data/pingshan-divisions.json", import.meta.url), "utf8")
)

const routing = Schema.decodeUnknownSync(Routing.RoutingTable)({
  departments: [
    { code: "ps-center", name: "坪山区民情中心" },
    { code: "ps-water", name: "坪山区水务局" }
  ],
  rules: [{ category: "GF01", department: "ps-water" }],
  fallback: "ps-center"
})

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)
const clerk = decodeActor({
  _tag: "Staff",
  staffId: "S101",
  name: "李受理",
  roles: ["opinion-dispatcher", "opinion-intake"],
  scope: { tenantId, regionCode: "440310" }
})

const layer = Layer.unwrapEffect(
  Effect.map(Region.fromJson(divisions, { asOf: "2023" }), (regions) => Opinions.layerMemory({ regions, routing }))
).pipe(
  Layer.provide(
    Layer.mergeAll(Authorization.layer(Permissions.defaultRoles), Calendar.layerChina, FieldCipher.layerTest())
  ),
  Layer.orDie
)

const withService = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.zipRight(TestClock.setTime(MONDAY_9AM), self).pipe(Effect.provide(layer))

/** Submits as the clerk and returns the stored report. */
const submit = (input: Omit<Parameters<Opinions.Opinions["submit"]>[1], "tenantId">) =>
  Effect.gen(function* () {
    const opinions = yield* Opinions.Opinions
    const repo = yield* ReportRepo.ReportRepo
    const view = yield* opinions.submit(clerk, { tenantId, ...input })
    return Option.getOrThrow(yield* repo.get(tenantId, view.report.id)).value
  })

describe("ReportItems", () => {
  it.effect("maps a report for the analysis side", () =>
    withService(
      Effect.gen(function* () {
        const report = yield* submit({
          title: "停水",
          location: { communityCode: "440310001001" },
          category: "GF01",
          kind: "complaint",
          channel: "mini-program",
          content: "小区停水三天，水务没有通知"
        })
        const item = ReportItems.fromReport(report)
        assert.deepInclude(item, {
          id: report.id,
          text: "停水\n小区停水三天，水务没有通知",
          category: "GF01",
          kind: "complaint",
          streetCode: "440310001",
          communityCode: "440310001001",
          channel: "mini-program",
          status: "open",
          overdue: false
        })
        // due at the end of 2026-03-19 in Shenzhen
        assert.deepStrictEqual(item.dueAt, new Date(Date.UTC(2026, 2, 19, 16, 0)))
        assert.isTrue(ReportItems.fromReport(report, { asOf: new Date(Date.UTC(2026, 2, 20)) }).overdue)
        assert.isFalse(Report.wasOverdue(report))
      })
    )
  )

  it.effect(
    "synthetic reports from the generator go through intake, routing and merging, and map to analysis items once per case",
    () =>
      withService(
        Effect.gen(function* () {
          const opinions = yield* Opinions.Opinions
          const synthetic = yield* Generator.generate({
            places: Generator.pingshanPlaces,
            seed: 7,
            count: 60,
            from: new Date("2026-02-02T00:00:00+08:00"),
            to: new Date("2026-03-01T00:00:00+08:00"),
            duplicateRate: 0.2,
            communities: Generator.pingshanCommunities
          })
          const submitAll = Effect.forEach(synthetic, (s) =>
            opinions.submit(clerk, {
              tenantId,
              idempotencyKey: s.key,
              location: { communityCode: s.communityCode, address: s.address },
              category: s.category,
              kind: s.kind,
              urgency: s.urgency as "normal",
              channel: s.channel,
              content: s.content,
              receivedAt: s.receivedAt
            })
          )
          const reports = (yield* submitAll).map((view) => view.report)
          const idOf = new Map(synthetic.map((s, i) => [s.key, reports[i].id]))
          for (const [i, s] of synthetic.entries()) {
            assert.strictEqual(reports[i].location.streetCode, s.streetCode)
            assert.deepStrictEqual(reports[i].receivedAt, s.receivedAt)
          }
          const duplicates = synthetic.filter((s) => s.duplicateOf !== undefined)
          assert.isAbove(duplicates.length, 0)
          for (const s of duplicates) {
            yield* opinions.merge(clerk, {
              tenantId,
              primaryId: idOf.get(s.duplicateOf!)!,
              duplicateIds: [idOf.get(s.key)!]
            })
          }
          // a second delivery of the whole batch changes nothing
          const again = yield* submitAll
          assert.deepStrictEqual(
            again.map((view) => view.report.id),
            reports.map((r) => r.id)
          )
          const repo = yield* ReportRepo.ReportRepo
          assert.strictEqual(yield* repo.count(tenantId), 60)
          assert.strictEqual(yield* repo.count(tenantId, { status: "merged" }), duplicates.length)
          const stored = (yield* repo.page(tenantId, { limit: 1000 })).items.map((item) => item.value)
          const items = ReportItems.fromReports(stored, { asOf: new Date(MONDAY_9AM) })
          // merged reports are counted through their primary
          assert.strictEqual(items.length, 60 - duplicates.length)
          const mergedIds = new Set<string>(stored.filter((r) => r.mergedInto !== undefined).map((r) => r.id))
          assert.isTrue(items.every((item) => !mergedIds.has(item.id)))
          for (const item of items) Schema.decodeUnknownSync(Analysis.AnalysisItem)(item)
          // some of the February reports are past their deadline by 2026-03-02
          assert.isTrue(items.some((item) => item.overdue))
          assert.isTrue(items.every((item) => item.status === "open"))
        })
      )
  )
})
