import * as Fs from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Schema, TestClock } from "effect"
import * as Open311 from "../src/Open311.js"
import * as Taxonomy from "../src/Taxonomy.js"
import {
  admin,
  dispatcher,
  otherResident,
  pingshan,
  resident,
  service,
  submission,
  withService
} from "./fixtures/workflow.js"

const fixture = (name: string): any =>
  JSON.parse(Fs.readFileSync(new URL(`./fixtures/open311/${name}.json`, import.meta.url), "utf8"))

const HOUR = 3_600_000

describe("Open311", () => {
  it("GET /services lists the leaf categories as realtime services grouped by area", () => {
    const services = Open311.services(Taxonomy.defaultTaxonomy)
    assert.strictEqual(services.length, 17)
    assert.deepStrictEqual(
      services.find((s) => s.service_code === "GF02"),
      fixture("service-gf02")
    )
    assert.deepStrictEqual([...new Set(services.map((s) => s.group))], ["社会民生", "社会管理", "社会创新", "公共服务"])
    assert.isTrue(services.every((s) => s.type === "realtime" && s.metadata))
    for (const service of services) Schema.decodeUnknownSync(Open311.Service)(service)
  })

  it.effect("GET /services/{code} defines the kind, community and urgency attributes", () =>
    Effect.gen(function* () {
      const regions = yield* pingshan
      const definition = Open311.serviceDefinition(Taxonomy.defaultTaxonomy, regions, "GF02")!
      Schema.decodeUnknownSync(Open311.ServiceDefinition)(definition)
      assert.deepStrictEqual(
        definition.attributes.map((a) => [a.code, a.datatype, a.required, a.order]),
        [
          ["kind", "singlevaluelist", true, 1],
          ["community_code", "singlevaluelist", true, 2],
          ["urgency", "singlevaluelist", false, 3]
        ]
      )
      assert.deepStrictEqual(definition.attributes[0].values, [
        { key: "enquiry", name: "咨询" },
        { key: "complaint", name: "投诉" },
        { key: "suggestion", name: "建议" },
        { key: "help", name: "求助" }
      ])
      const communities = definition.attributes[1].values!
      assert.strictEqual(communities.length, 24)
      assert.deepInclude(communities, { key: "440310001005", name: "新和社区居委会" })
      assert.isUndefined(Open311.serviceDefinition(Taxonomy.defaultTaxonomy, regions, "GF"))
      assert.isUndefined(Open311.serviceDefinition(Taxonomy.defaultTaxonomy, regions, "ZZ01"))
    }).pipe(Effect.orDie)
  )

  it.effect("a POST /requests body, form-encoded or JSON, becomes the same submission", () =>
    Effect.gen(function* () {
      const regions = yield* pingshan
      const options = { taxonomy: Taxonomy.defaultTaxonomy, regions }
      const expected = fixture("post-request-expected-input")
      const fromForm = Open311.fromPostRequest(fixture("post-request-form"), options)
      const fromJson = Open311.fromPostRequest(fixture("post-request-json"), options)
      assert.deepStrictEqual(fromForm, Either.right(expected))
      assert.deepStrictEqual(fromJson, Either.right(expected))
      // name and e-mail are not taken over
      assert.notInclude(JSON.stringify(fromForm), "resident@example.com")
      assert.notInclude(JSON.stringify(fromForm), "小明")
      const keyed = Open311.fromPostRequest(fixture("post-request-json"), { ...options, idempotencyKey: "idem-1" })
      assert.isTrue(Either.isRight(keyed) && keyed.right.idempotencyKey === "idem-1")
    }).pipe(Effect.orDie)
  )

  it.effect("an invalid POST /requests body gives every problem as [{ code, description }]", () =>
    Effect.gen(function* () {
      const regions = yield* pingshan
      const result = Open311.fromPostRequest(fixture("post-request-invalid"), {
        taxonomy: Taxonomy.defaultTaxonomy,
        regions
      })
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        const errors = result.left
        for (const error of errors) Schema.decodeUnknownSync(Open311.Open311Error)(error)
        assert.deepStrictEqual(
          errors.map((e) => e.code),
          [404, 400, 400, 400, 400]
        )
        const text = errors.map((e) => e.description).join("\n")
        assert.include(text, "服务 GF 不存在")
        assert.include(text, "诉求类型 praise 不存在")
        assert.include(text, "社区 440310009001 不在本区")
        assert.include(text, "缺少 description")
        assert.include(text, "lat 与 long 须同时提供")
        assert.notInclude(text, "12345098765")
      }
      const shapeless = Open311.fromPostRequest({ lat: "north" }, { taxonomy: Taxonomy.defaultTaxonomy, regions })
      assert.isTrue(Either.isLeft(shapeless) && shapeless.left[0].code === 400)
    }).pipe(Effect.orDie)
  )

  it.effect("a submitted report reads back as a GeoReport service request; replies close it, notes stay inside", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const { regions, routing, taxonomy, workflow } = opinion.settings
        const input = Open311.fromPostRequest(fixture("post-request-json"), { taxonomy, regions })
        assert.isTrue(Either.isRight(input))
        if (Either.isLeft(input)) return
        const report = yield* opinion.submit(resident, { ...input.right, urgency: "normal" })
        assert.deepStrictEqual(Open311.toPostResponse(report), [
          { service_request_id: report.id, service_notice: "已受理，办理时限 2026-03-05", account_id: null }
        ])
        yield* TestClock.adjust(HOUR)
        yield* opinion.dispatch(dispatcher, { reportId: report.id })
        yield* opinion.accept(admin, { reportId: report.id })
        const handling = yield* opinion.startHandling(admin, { reportId: report.id })
        yield* opinion.addInternalNote(admin, { reportId: report.id, text: "内部：供电局负责" })
        const context = { taxonomy, workflow, routing, regions }
        const open = Open311.toServiceRequest(handling, context)
        assert.deepStrictEqual(open, { ...fixture("service-request-open"), service_request_id: report.id })
        Schema.decodeUnknownSync(Open311.ServiceRequest)(open)

        const replied = yield* opinion.reply(admin, { reportId: report.id, text: "路灯已修复" })
        yield* opinion.followUp(dispatcher, { reportId: report.id, satisfaction: "satisfied" })
        const closed = yield* opinion.close(dispatcher, { reportId: report.id })
        const done = Open311.toServiceRequest(closed, context)
        assert.strictEqual(Open311.toServiceRequest(replied, context).status, "open")
        assert.strictEqual(done.status, "closed")
        assert.strictEqual(done.status_notes, "路灯已修复")
        assert.notInclude(JSON.stringify(done), "内部")
        assert.notInclude(JSON.stringify(done), "5678")

        // an anonymous report without place details, merged into another
        const other = yield* opinion.submit(resident, submission())
        yield* opinion.merge(dispatcher, { primaryId: report.id, duplicateIds: [other.id] })
        const merged = yield* opinion.get(dispatcher, { reportId: other.id })
        assert.strictEqual(merged._tag, "Full")
        if (merged._tag !== "Full") return
        const mergedRequest = Open311.toServiceRequest(merged.report, context)
        assert.strictEqual(mergedRequest.status, "closed")
        assert.strictEqual(mergedRequest.status_notes, `已合并：与 ${report.id} 合并办理。路灯已修复`)
        assert.isNull(mergedRequest.lat)
        assert.isNull(mergedRequest.agency_responsible)
        assert.isNull(mergedRequest.media_url)
      })
    )
  )

  it.effect("command failures map to GeoReport error codes", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const invalid = yield* Effect.flip(opinion.submit(resident, submission({ contactPhone: "123" })))
        assert.deepStrictEqual(Open311.errorsOf(invalid), [{ code: 400, description: "联系电话不是有效的手机号码" }])
        const missing = yield* Effect.flip(opinion.get(dispatcher, { reportId: "R404" }))
        assert.strictEqual(Open311.errorsOf(missing)[0].code, 404)
        const report = yield* opinion.submit(resident, submission())
        const forbidden = yield* Effect.flip(opinion.get(otherResident, { reportId: report.id }))
        assert.strictEqual(Open311.errorsOf(forbidden)[0].code, 403)
        const notYet = yield* Effect.flip(opinion.accept(admin, { reportId: report.id }))
        assert.strictEqual(notYet._tag, "TransitionNotAllowed")
        assert.strictEqual(Open311.errorsOf(notYet)[0].code, 409)
      })
    )
  )

  it("times are written with the district's offset", () => {
    assert.strictEqual(Open311.formatDateTime(new Date(Date.UTC(2026, 2, 2, 1, 0, 0))), "2026-03-02T09:00:00+08:00")
    assert.strictEqual(Open311.formatDateTime(new Date(Date.UTC(2026, 11, 31, 16, 30, 5))), "2027-01-01T00:30:05+08:00")
    assert.strictEqual(
      Open311.formatDateTime(new Date(Date.UTC(2010, 3, 14, 14, 37, 38)), -480),
      "2010-04-14T06:37:38-08:00"
    )
    assert.strictEqual(Open311.statusOf("closed-unresolved"), "closed")
  })
})
