import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import type * as LocalDate from "@gongzhi/core/LocalDate"
import type { RegionCode } from "@gongzhi/core/Region"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { freshTenant } from "@gongzhi/core/testing"
import { Effect, Either, type Layer, Option, Schema } from "effect"
import { Deadline } from "../Deadline.js"
import { Contact, Location, Report, type ReportId } from "../Report.js"
import * as ReportRepo from "../ReportRepo.js"
import type { DepartmentCode } from "../Routing.js"
import type { CategoryCode, ChannelCode, KindCode } from "../Taxonomy.js"
import type { Bucket, StateCode } from "../Workflow.js"
import { statisticsCases } from "./statisticsConformance.js"

/**
 * A backend for the report repository suite: `layer` builds a FRESH store (migrated with the opinion migrations)
 * with its `Transactor`, and — when `sql` is set — the raw `SqlClient` of the same database for read-back.
 */
export interface ReportRepoBackend {
  readonly name: string
  readonly layer: Layer.Layer<ReportRepo.ReportRepo | Transactor.Transactor | SqlClient.SqlClient, unknown>
  readonly sql?: boolean
}

const streets = ["440310001", "440310002", "440310003"] as const
const categories = ["SM01", "GL02", "GF01", "GF03"] as const
const statuses: ReadonlyArray<readonly [string, Bucket]> = [
  ["received", "open"],
  ["dispatched", "open"],
  ["replied", "open"],
  ["closed", "closed-resolved"],
  ["closed-unresolved", "closed-unresolved"]
]

const BASE = Date.UTC(2026, 2, 2, 1, 0, 0)
const HOUR = 3_600_000

/** A report for the suite: every column filled or left empty in a pattern (Chinese text, 沙坣 included). */
export const sampleReport = (i: number, overrides: Partial<ConstructorParameters<typeof Report>[0]> = {}): Report => {
  const street = streets[i % streets.length]
  const [status, bucket] = statuses[i % statuses.length]
  const receivedAt = new Date(BASE + i * HOUR)
  const open = bucket === "open"
  return new Report({
    id: `R20260302T${String(i).padStart(6, "0")}` as ReportId,
    tenantId: "440310" as TenantId,
    status: status as StateCode,
    bucket,
    reporter: i % 3 === 0 ? { _tag: "Resident", userId: `U${i % 4}` as never } : { _tag: "Anonymous" },
    ...(i % 2 === 0
      ? {
          contact: new Contact({
            phone: `gz1.test.AAAAAAAAAAAAAAAA.cipher${i}.AAAAAAAAAAAAAAAAAAAAAA`,
            phoneIndex: `idx${i % 5}`,
            phoneMasked: "138****5678"
          })
        }
      : {}),
    location: new Location({
      streetCode: street as RegionCode,
      communityCode: `${street}00${(i % 4) + 1}` as RegionCode,
      ...(i % 4 === 0 ? {} : { address: `沙坣社区${i}号` })
    }),
    category: categories[i % categories.length] as CategoryCode,
    kind: (i % 2 === 0 ? "complaint" : "enquiry") as KindCode,
    urgency: i % 7 === 0 ? "emergency" : "normal",
    channel: "hotline" as ChannelCode,
    content: `第${i}件：路灯不亮，沙坣村口`,
    attachments: i % 5 === 0 ? [{ uri: `https://files.example/${i}.jpg`, mediaType: "image/jpeg" }] : [],
    ...(i % 3 === 0 ? { idempotencyKey: `key-${i}` } : {}),
    suggestedDepartment: "ps-center" as DepartmentCode,
    ...(i % 2 === 0 ? { department: (i % 4 === 0 ? "ps-water" : "ps-city") as DepartmentCode } : {}),
    receivedAt,
    updatedAt: receivedAt,
    deadline: new Deadline({ dueDate: "2026-03-10" as LocalDate.LocalDate, certain: true, rule: "测试" }),
    ...(open
      ? {
          dueAt: new Date(BASE + 24 * HOUR + i * HOUR),
          nextEscalationAt: new Date(BASE + 24 * HOUR + i * HOUR),
          nextReminderAt: new Date(BASE + i * HOUR + HOUR)
        }
      : { closedAt: new Date(BASE + 48 * HOUR) }),
    reminders: [],
    escalations: [],
    extensions: [],
    internalNotes: [],
    replies: [],
    followUps: [],
    mergedIds: [],
    reopenCount: 0,
    history: [{ at: receivedAt, by: { kind: "Staff", id: "S001" }, command: "submit", to: "received" as StateCode }],
    ...overrides
  })
}

/** Runs the report repository suite on a backend. */
export const reportRepoSuite = (backend: ReportRepoBackend) =>
  describe(`ReportRepo conformance (${backend.name})`, () => {
    it.layer(backend.layer, { timeout: 120_000 })((it) => {
      const seed = (tenantId: TenantId, count: number) =>
        Effect.flatMap(ReportRepo.ReportRepo, (repo) =>
          Effect.forEach(
            Array.from({ length: count }, (_, i) => sampleReport(i, { tenantId })),
            (report) => repo.insert(tenantId, report),
            { discard: true }
          )
        )
      const all = (tenantId: TenantId, count: number) =>
        Array.from({ length: count }, (_, i) => sampleReport(i, { tenantId }))
      const ids = (rows: ReadonlyArray<{ readonly value: Report }>) => rows.map((row) => row.value.id)

      it.effect("insert and get round-trip the report (Chinese text, dates, optional parts) at version 1", () =>
        Effect.gen(function* () {
          const repo = yield* ReportRepo.ReportRepo
          const tenant = freshTenant()
          for (const i of [0, 1, 3, 5]) {
            const report = sampleReport(i, { tenantId: tenant })
            const stored = yield* repo.insert(tenant, report)
            assert.strictEqual(stored.version, 1)
            const read = yield* repo.get(tenant, report.id)
            assert.isTrue(Option.isSome(read))
            if (Option.isSome(read)) {
              assert.deepStrictEqual(read.value.value, report)
              assert.instanceOf(read.value.value.receivedAt, Date)
            }
          }
          assert.isTrue(Option.isNone(yield* repo.get(tenant, "R-missing")))
        })
      )

      if (backend.sql) {
        it.effect("what is stored reads back with raw SQL: tenant first, typed columns, the JSON document", () =>
          Effect.gen(function* () {
            const repo = yield* ReportRepo.ReportRepo
            const sql = (yield* SqlClient.SqlClient).withoutTransforms()
            const tenant = freshTenant()
            const report = sampleReport(6, { tenantId: tenant })
            yield* repo.insert(tenant, report)
            const p = sql.onDialectOrElse({ pg: () => "$1", orElse: () => "?" })
            const rows = yield* sql.unsafe<Record<string, unknown>>(
              `SELECT tenant_id, id, version, doc, status, bucket, category, category_group, street_code, community_code, department, received_at, due_at, escalate_at, closed_at, idempotency_key, reporter_key, contact_index FROM ${ReportRepo.definition.table} WHERE tenant_id = ${p}`,
              [tenant]
            )
            assert.strictEqual(rows.length, 1)
            const row = rows[0]
            assert.strictEqual(row.tenant_id, tenant)
            assert.strictEqual(row.id, report.id)
            assert.strictEqual(Number(row.version), 1)
            assert.strictEqual(row.status, report.status)
            assert.strictEqual(row.bucket, report.bucket)
            assert.strictEqual(row.category, "GF01")
            assert.strictEqual(row.category_group, "GF")
            assert.strictEqual(row.street_code, report.location.streetCode)
            assert.strictEqual(row.community_code, report.location.communityCode)
            assert.strictEqual(row.department, "ps-city")
            assert.strictEqual(Number(row.received_at), report.receivedAt.getTime())
            assert.strictEqual(Number(row.due_at), report.dueAt!.getTime())
            assert.strictEqual(Number(row.escalate_at), report.nextEscalationAt!.getTime())
            assert.isNull(row.closed_at)
            assert.strictEqual(row.idempotency_key, "key-6")
            assert.strictEqual(row.reporter_key, "resident:U2")
            assert.strictEqual(row.contact_index, "idx1")
            const doc = typeof row.doc === "string" ? JSON.parse(row.doc) : row.doc
            assert.deepStrictEqual(doc, Schema.encodeSync(Report)(report))
            assert.strictEqual(doc.content, "第6件：路灯不亮，沙坣村口")
          })
        )
      }

      it.effect("update bumps the version; a stale version fails with VersionConflict and changes nothing", () =>
        Effect.gen(function* () {
          const repo = yield* ReportRepo.ReportRepo
          const tenant = freshTenant()
          const report = sampleReport(1, { tenantId: tenant })
          yield* repo.insert(tenant, report)
          const changed = new Report({ ...report, status: "dispatched" as StateCode })
          assert.strictEqual((yield* repo.update(tenant, changed, 1)).version, 2)
          const stale = yield* Effect.flip(repo.update(tenant, new Report({ ...report, content: "旧的" }), 1))
          assert.deepInclude(stale, { _tag: "VersionConflict", expectedVersion: 1, actualVersion: 2 })
          const read = yield* repo.get(tenant, report.id)
          assert.strictEqual(Option.getOrThrow(read).value.status, "dispatched")
          assert.strictEqual(Option.getOrThrow(read).version, 2)
        })
      )

      it.effect("the idempotency key is unique within a tenant only; reports without a key never collide", () =>
        Effect.gen(function* () {
          const repo = yield* ReportRepo.ReportRepo
          const tenant = freshTenant()
          yield* repo.insert(tenant, sampleReport(3, { tenantId: tenant }))
          const again = yield* Effect.flip(
            repo.insert(tenant, sampleReport(4, { tenantId: tenant, idempotencyKey: "key-3" }))
          )
          assert.deepInclude(again, { _tag: "DuplicateKey", key: "idempotency_key" })
          const sameId = yield* Effect.flip(repo.insert(tenant, sampleReport(3, { tenantId: tenant })))
          assert.strictEqual(sameId._tag, "DuplicateKey")
          // many reports without a key
          yield* repo.insert(tenant, sampleReport(1, { tenantId: tenant }))
          yield* repo.insert(tenant, sampleReport(2, { tenantId: tenant }))
          // the same key in another tenant
          const other = freshTenant()
          yield* repo.insert(other, sampleReport(3, { tenantId: other }))
          const found = yield* repo.findByIdempotencyKey(tenant, "key-3")
          assert.strictEqual(Option.getOrThrow(found).value.id, sampleReport(3).id)
          assert.isTrue(Option.isNone(yield* repo.findByIdempotencyKey(tenant, "key-404")))
          assert.strictEqual(yield* repo.count(tenant), 3)
        })
      )

      it.effect("a failed transaction leaves no trace", () =>
        Effect.gen(function* () {
          const repo = yield* ReportRepo.ReportRepo
          const tenant = freshTenant()
          const first = sampleReport(1, { tenantId: tenant })
          yield* repo.insert(tenant, first)
          const result = yield* Effect.either(
            Transactor.withTransaction(
              Effect.gen(function* () {
                yield* repo.insert(tenant, sampleReport(2, { tenantId: tenant }))
                yield* repo.update(tenant, new Report({ ...first, content: "改过" }), 1)
                return yield* Effect.fail("boom" as const)
              })
            )
          )
          assert.isTrue(Either.isLeft(result))
          assert.strictEqual(yield* repo.count(tenant), 1)
          const kept = Option.getOrThrow(yield* repo.get(tenant, first.id))
          assert.strictEqual(kept.version, 1)
          assert.strictEqual(kept.value.content, first.content)
        })
      )

      it.effect("page walks a filtered set exactly once in time order (either direction), by due time when asked", () =>
        Effect.gen(function* () {
          const repo = yield* ReportRepo.ReportRepo
          const tenant = freshTenant()
          yield* seed(tenant, 40)
          const expected = all(tenant, 40)
          const walk = (query: Omit<ReportRepo.ReportQuery, "limit" | "cursor">) =>
            Effect.gen(function* () {
              const seen: Array<Report> = []
              let cursor: string | undefined
              let pages = 0
              do {
                const page = yield* repo.page(tenant, { ...query, limit: 4, cursor })
                assert.isAtMost(page.items.length, 4)
                seen.push(...page.items.map((item) => item.value))
                cursor = page.nextCursor
                pages++
              } while (cursor !== undefined && pages < 100)
              return seen
            })
          const byStreet = yield* walk({ streetCode: "440310002", direction: "desc" })
          assert.deepStrictEqual(
            byStreet.map((r) => r.id),
            expected
              .filter((r) => r.location.streetCode === "440310002")
              .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime())
              .map((r) => r.id)
          )
          const open = yield* walk({ bucket: "open", department: "ps-water" })
          assert.deepStrictEqual(
            open.map((r) => r.id),
            expected
              .filter((r) => r.bucket === "open" && r.department === "ps-water")
              .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
              .map((r) => r.id)
          )
          const window = yield* walk({
            status: ["received", "replied"],
            receivedFrom: new Date(BASE + 5 * HOUR),
            receivedBefore: new Date(BASE + 30 * HOUR)
          })
          assert.deepStrictEqual(
            window.map((r) => r.id).sort(),
            expected
              .filter((r, i) => (r.status === "received" || r.status === "replied") && i >= 5 && i < 30)
              .map((r) => r.id)
              .sort()
          )
          const byDue = yield* walk({ orderBy: "dueAt", category: "GF" })
          assert.deepStrictEqual(
            byDue.map((r) => r.id),
            expected
              .filter((r) => r.dueAt !== undefined && r.category.startsWith("GF"))
              .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime())
              .map((r) => r.id)
          )
          const mine = yield* walk({ reporterKey: "resident:U1" })
          assert.deepStrictEqual(
            mine.map((r) => r.id).sort(),
            expected
              .filter((r) => r.reporter._tag === "Resident" && r.reporter.userId === "U1")
              .map((r) => r.id)
              .sort()
          )
          const byPhone = yield* walk({ contactIndex: "idx2" })
          assert.deepStrictEqual(
            byPhone.map((r) => r.id).sort(),
            expected
              .filter((r) => r.contact?.phoneIndex === "idx2")
              .map((r) => r.id)
              .sort()
          )
        })
      )

      it.effect("findOverdue, findEscalationsDue and findRemindersDue honour asOf (inclusive), filter and limit", () =>
        Effect.gen(function* () {
          const repo = yield* ReportRepo.ReportRepo
          const tenant = freshTenant()
          yield* seed(tenant, 30)
          const expected = all(tenant, 30)
          const asOf = new Date(BASE + 24 * HOUR + 10 * HOUR)
          const overdue = yield* repo.findOverdue(tenant, asOf)
          assert.deepStrictEqual(
            ids(overdue),
            expected
              .filter((r) => r.dueAt !== undefined && r.dueAt.getTime() <= asOf.getTime())
              .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime())
              .map((r) => r.id)
          )
          // the boundary: due exactly at asOf is overdue, one millisecond later is not
          assert.include(ids(overdue), sampleReport(10).id)
          assert.notInclude(ids(yield* repo.findOverdue(tenant, new Date(asOf.getTime() - 1))), sampleReport(10).id)
          const inStreet = yield* repo.findEscalationsDue(tenant, asOf, { filter: { streetCode: "440310001" } })
          assert.deepStrictEqual(
            ids(inStreet),
            expected
              .filter(
                (r) =>
                  r.nextEscalationAt !== undefined &&
                  r.nextEscalationAt.getTime() <= asOf.getTime() &&
                  r.location.streetCode === "440310001"
              )
              .map((r) => r.id)
          )
          assert.strictEqual((yield* repo.findRemindersDue(tenant, asOf, { limit: 2 })).length, 2)
          assert.deepStrictEqual(yield* repo.findOverdue(freshTenant(), asOf), [])
        })
      )

      it.effect("count and countBy for analysis", () =>
        Effect.gen(function* () {
          const repo = yield* ReportRepo.ReportRepo
          const tenant = freshTenant()
          yield* seed(tenant, 20)
          const expected = all(tenant, 20)
          assert.strictEqual(yield* repo.count(tenant), 20)
          assert.strictEqual(
            yield* repo.count(tenant, { bucket: "open" }),
            expected.filter((r) => r.bucket === "open").length
          )
          const tally = (key: (r: Report) => string) => {
            const counts = new Map<string, number>()
            for (const r of expected) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1)
            return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, count]) => ({ key: k, count }))
          }
          assert.deepStrictEqual(
            yield* repo.countBy(tenant, "category_group"),
            tally((r) => r.category.slice(0, 2))
          )
          assert.deepStrictEqual(
            yield* repo.countBy(tenant, "street_code", { bucket: "open" }),
            tally((r) => r.location.streetCode).map(({ key }) => ({
              key,
              count: expected.filter((r) => r.bucket === "open" && r.location.streetCode === key).length
            }))
          )
          assert.deepStrictEqual(
            yield* repo.countBy(tenant, "bucket"),
            tally((r) => r.bucket)
          )
        })
      )

      it.effect("tenant isolation", () =>
        Effect.gen(function* () {
          const repo = yield* ReportRepo.ReportRepo
          const a = freshTenant()
          const b = freshTenant()
          yield* seed(a, 5)
          assert.strictEqual(yield* repo.count(b), 0)
          assert.isTrue(Option.isNone(yield* repo.get(b, sampleReport(1).id)))
          assert.deepStrictEqual((yield* repo.page(b, { limit: 10 })).items, [])
          assert.deepStrictEqual(yield* repo.countBy(b, "status"), [])
          const conflict = yield* Effect.flip(repo.update(b, sampleReport(1, { tenantId: b }), 1))
          assert.strictEqual(conflict._tag, "VersionConflict")
          assert.strictEqual(yield* repo.count(a), 5)
        })
      )

      for (const [name, test] of statisticsCases(sampleReport)) it.effect(name, () => test)
    })
  })
