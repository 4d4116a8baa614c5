import { assert, describe, layer } from "@effect/vitest"
import type { TenantId } from "@gongzhi/core/Tenant"
import { freshTenant } from "@gongzhi/core/testing"
import { Effect, Option } from "effect"
import { ActivityRepo } from "../../ActivityRepo.js"
import { Certificate } from "../../Certificate.js"
import { CertificateRepo } from "../../CertificateRepo.js"
import { effectiveMinutes, ServiceRecord } from "../../ServiceRecord.js"
import { ServiceRecordRepo } from "../../ServiceRecordRepo.js"
import * as B from "./builders.js"
import { encoded, query, rollback, type StoreBackend, TIMEOUT } from "./suiteKit.js"

export const activityRepoSuite = (backend: StoreBackend) =>
  describe(`ActivityRepo conformance (${backend.name})`, () => {
    // the standalone `layer` (not `it.layer`, which nests into the previous block and shares its memo map)
    layer(
      backend.layer,
      TIMEOUT
    )((it) => {
      it.effect("stores activities and pages them newest first", () =>
        Effect.gen(function* () {
          const repo = yield* ActivityRepo
          const tenantId = freshTenant()
          for (let i = 0; i < 5; i++) yield* repo.insertActivity(B.activity(tenantId, i))
          const first = yield* repo.pageActivities(tenantId, { limit: 2 })
          assert.deepStrictEqual(
            first.items.map((a) => a.value.id),
            ["act-0004", "act-0003"]
          )
          const rest = yield* repo.pageActivities(tenantId, { limit: 10, cursor: first.nextCursor })
          assert.strictEqual(rest.items.length, 3)
          const visits = yield* repo.pageActivities(tenantId, { filter: { kind: "visit" }, limit: 10 })
          assert.strictEqual(visits.items.length, 2)
        })
      )

      it.effect("updates a shift's roster optimistically: the loser of a race gets VersionConflict", () =>
        Effect.gen(function* () {
          const repo = yield* ActivityRepo
          const tenantId = freshTenant()
          const s = B.shift(tenantId, 0)
          yield* repo.insertShift(s)
          const read = Option.getOrThrow(yield* repo.getShift(tenantId, s.id))
          const a = B.shift(tenantId, 0, {
            participants: [B.participant("440310-V-000001", 0, "confirmed")],
            nextSeq: 1
          })
          const b = B.shift(tenantId, 0, {
            participants: [B.participant("440310-V-000002", 0, "confirmed")],
            nextSeq: 1
          })
          yield* repo.updateShift(a, read.version)
          const lost = yield* Effect.flip(repo.updateShift(b, read.version))
          assert.strictEqual(lost._tag, "VersionConflict")
          const after = Option.getOrThrow(yield* repo.getShift(tenantId, s.id))
          assert.deepStrictEqual(
            after.value.participants.map((p) => p.volunteerId),
            ["440310-V-000001"]
          )
        })
      )

      it.effect("finds shifts by start window, status and reminder flag, earliest first", () =>
        Effect.gen(function* () {
          const repo = yield* ActivityRepo
          const tenantId = freshTenant()
          for (let i = 0; i < 6; i++) {
            yield* repo.insertShift(
              B.shift(tenantId, i, {
                ...(i === 2 ? { status: "cancelled" as const } : {}),
                ...(i === 3 ? { remindedAt: new Date(B.T0) } : {})
              })
            )
          }
          const window = yield* repo.findShifts(tenantId, {
            status: "open",
            reminded: false,
            startsFrom: B.shift(tenantId, 1).startsAt,
            startsBefore: B.shift(tenantId, 5).startsAt
          })
          assert.deepStrictEqual(
            window.map((s) => s.value.id),
            ["shift-0001", "shift-0004"]
          )
          const ofActivity = yield* repo.findShifts(tenantId, { activityId: "act-0000" })
          assert.deepStrictEqual(
            ofActivity.map((s) => s.value.id),
            ["shift-0000", "shift-0003"]
          )
        })
      )

      it.effect("writes participation rows (insert or replace) and pages a volunteer's sign-ups", () =>
        Effect.gen(function* () {
          const repo = yield* ActivityRepo
          const tenantId = freshTenant()
          const me = "440310-V-000001"
          const shifts = [0, 1, 2].map((i) => B.shift(tenantId, i))
          yield* repo.saveParticipations(tenantId, [
            B.participation(tenantId, shifts[0], me, "confirmed"),
            B.participation(tenantId, shifts[0], "440310-V-000002", "waitlisted"),
            B.participation(tenantId, shifts[1], me, "confirmed"),
            B.participation(tenantId, shifts[2], me, "confirmed")
          ])
          yield* repo.saveParticipations(tenantId, [B.participation(tenantId, shifts[1], me, "cancelled")])
          const mine = yield* repo.pageParticipations(tenantId, { filter: { volunteerId: me }, limit: 2 })
          assert.deepStrictEqual(
            mine.items.map((p) => [p.shiftId, p.state]),
            [
              ["shift-0002", "confirmed"],
              ["shift-0001", "cancelled"]
            ]
          )
          const more = yield* repo.pageParticipations(tenantId, {
            filter: { volunteerId: me },
            limit: 2,
            cursor: mine.nextCursor
          })
          assert.deepStrictEqual(
            more.items.map((p) => p.shiftId),
            ["shift-0000"]
          )
          assert.isUndefined(more.nextCursor)
          const byState = yield* repo.countParticipationsBy(tenantId, "state")
          assert.deepStrictEqual(byState, [
            { key: "cancelled", count: 1 },
            { key: "confirmed", count: 2 },
            { key: "waitlisted", count: 1 }
          ])
          assert.strictEqual(yield* repo.countParticipations(freshTenant()), 0)
        })
      )

      it.effect("rolls back roster changes with the transaction", () =>
        Effect.gen(function* () {
          const repo = yield* ActivityRepo
          const tenantId = freshTenant()
          const s = B.shift(tenantId, 0)
          yield* repo.insertShift(s)
          yield* rollback(
            Effect.zipRight(
              repo.updateShift(B.shift(tenantId, 0, { capacity: 9 }), 1),
              repo.saveParticipations(tenantId, [B.participation(tenantId, s, "440310-V-000001", "confirmed")])
            )
          )
          const after = Option.getOrThrow(yield* repo.getShift(tenantId, s.id))
          assert.strictEqual(after.version, 1)
          assert.strictEqual(after.value.capacity, 3)
          assert.strictEqual(yield* repo.countParticipations(tenantId), 0)
        })
      )
    })
  })

export const serviceRecordRepoSuite = (backend: StoreBackend) =>
  describe(`ServiceRecordRepo conformance (${backend.name})`, () => {
    // the standalone `layer` (not `it.layer`, which nests into the previous block and shares its memo map)
    layer(
      backend.layer,
      TIMEOUT
    )((it) => {
      const seed = (tenantId: TenantId, n: number) =>
        Effect.flatMap(ServiceRecordRepo, (repo) =>
          Effect.forEach(
            Array.from({ length: n }, (_, i) => B.record(tenantId, i)),
            (r) => repo.insert(r)
          )
        )

      it.effect("stores a record with its adjustments and reads it back", () =>
        Effect.gen(function* () {
          const repo = yield* ServiceRecordRepo
          const tenantId = freshTenant()
          const r = B.record(tenantId, 0, { shiftId: "shift-1", activityId: "act-1", source: "attendance" })
          yield* repo.insert(r)
          const read = Option.getOrThrow(yield* repo.get(tenantId, r.id))
          assert.strictEqual(encoded(ServiceRecord, read.value), encoded(ServiceRecord, r))
          assert.strictEqual(effectiveMinutes(read.value), 60)
          if (backend.sql) {
            const rows = yield* query<{
              volunteer_id: string
              team_id: string
              street_code: string
              community_code: string
              started_at: unknown
              minutes: unknown
              status: string
            }>(
              (p) =>
                `SELECT volunteer_id, team_id, street_code, community_code, started_at, minutes, status FROM vol_service_records WHERE tenant_id = ${p(1)} AND id = ${p(2)}`,
              [tenantId, r.id]
            )
            assert.deepStrictEqual(
              {
                ...rows[0],
                started_at: Number(rows[0].started_at),
                minutes: Number(rows[0].minutes)
              },
              {
                volunteer_id: r.volunteerId,
                team_id: r.teamId,
                street_code: r.streetCode,
                community_code: r.communityCode,
                started_at: r.startedAt.getTime(),
                minutes: 60,
                status: r.status
              }
            )
          }
        })
      )

      it.effect("allows one attendance record per shift and volunteer; manual records never collide", () =>
        Effect.gen(function* () {
          const repo = yield* ServiceRecordRepo
          const tenantId = freshTenant()
          yield* repo.insert(B.record(tenantId, 1, { shiftId: "shift-1" }))
          const twin = yield* Effect.flip(
            repo.insert(B.record(tenantId, 5, { shiftId: "shift-1", volunteerId: B.record(tenantId, 1).volunteerId }))
          )
          assert.strictEqual(twin._tag, "DuplicateKey")
          assert.strictEqual((twin as { key?: string }).key, "attendance")
          yield* repo.insert(B.record(tenantId, 2))
          yield* repo.insert(B.record(tenantId, 6))
        })
      )

      it.effect("sums effective minutes (adjustments included) per filter and per team", () =>
        Effect.gen(function* () {
          const repo = yield* ServiceRecordRepo
          const tenantId = freshTenant()
          yield* seed(tenantId, 30)
          const all = Array.from({ length: 30 }, (_, i) => B.record(tenantId, i))
          const approved = all.filter((r) => r.status === "approved")
          const expected = approved.reduce((s, r) => s + effectiveMinutes(r), 0)
          assert.strictEqual(yield* repo.sumMinutes(tenantId, { status: "approved" }), expected)
          const byTeam = yield* repo.sumMinutesBy(tenantId, "team_id", { status: "approved" })
          const manual = new Map<string, number>()
          for (const r of approved) manual.set(r.teamId, (manual.get(r.teamId) ?? 0) + effectiveMinutes(r))
          assert.deepStrictEqual(
            byTeam,
            [...manual.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, minutes]) => ({ key, minutes }))
          )
          const from = new Date(B.T0 + 10 * 3_600_000)
          const before = new Date(B.T0 + 20 * 3_600_000)
          const windowed = approved.filter((r) => r.startedAt >= from && r.startedAt < before)
          assert.strictEqual(
            yield* repo.sumMinutes(tenantId, { status: "approved", startedFrom: from, startedBefore: before }),
            windowed.reduce((s, r) => s + effectiveMinutes(r), 0)
          )
          assert.strictEqual(yield* repo.sumMinutes(freshTenant(), {}), 0)
          const found = yield* repo.findAll(tenantId, { volunteerId: all[0].volunteerId, status: "approved" })
          assert.deepStrictEqual(
            found.map((r) => r.id),
            approved.filter((r) => r.volunteerId === all[0].volunteerId).map((r) => r.id)
          )
          if (backend.sql) {
            const rows = yield* query<{ s: unknown }>(
              (p) => `SELECT SUM(minutes) AS s FROM vol_service_records WHERE tenant_id = ${p(1)} AND status = ${p(2)}`,
              [tenantId, "approved"]
            )
            assert.strictEqual(Number(rows[0].s), expected)
          }
        })
      )

      it.effect("pages records latest first and counts them by status", () =>
        Effect.gen(function* () {
          const repo = yield* ServiceRecordRepo
          const tenantId = freshTenant()
          yield* seed(tenantId, 9)
          const page = yield* repo.page(tenantId, { limit: 4 })
          assert.deepStrictEqual(
            page.items.map((r) => r.value.id),
            ["rec-00008", "rec-00007", "rec-00006", "rec-00005"]
          )
          const byStatus = yield* repo.countBy(tenantId, "status")
          assert.deepStrictEqual(byStatus, [
            { key: "approved", count: 6 },
            { key: "pending", count: 3 }
          ])
          const stale = yield* Effect.flip(repo.update(B.record(tenantId, 0, { status: "approved" }), 5))
          assert.strictEqual(stale._tag, "VersionConflict")
        })
      )

      it.effect("stores commendations, evaluations and complaints", () =>
        Effect.gen(function* () {
          const repo = yield* ServiceRecordRepo
          const tenantId = freshTenant()
          for (let i = 0; i < 6; i++) yield* repo.insertEntry(B.entry(tenantId, i))
          const page = yield* repo.pageEntries(tenantId, { filter: { kind: "complaint" }, limit: 10 })
          assert.deepStrictEqual(
            page.items.map((e) => e.value.id),
            ["entry-0002", "entry-0005"]
          )
          const byKind = yield* repo.countEntriesBy(tenantId, "kind")
          assert.deepStrictEqual(byKind, [
            { key: "commendation", count: 2 },
            { key: "complaint", count: 2 },
            { key: "evaluation", count: 2 }
          ])
          const open = yield* repo.countEntriesBy(tenantId, "complaint_status", { kind: "complaint" })
          assert.deepStrictEqual(open, [{ key: "open", count: 2 }])
        })
      )
    })
  })

export const certificateRepoSuite = (backend: StoreBackend) =>
  describe(`CertificateRepo conformance (${backend.name})`, () => {
    // the standalone `layer` (not `it.layer`, which nests into the previous block and shares its memo map)
    layer(
      backend.layer,
      TIMEOUT
    )((it) => {
      it.effect("stores certificates, finds them by number, refuses a number twice", () =>
        Effect.gen(function* () {
          const repo = yield* CertificateRepo
          const tenantId = freshTenant()
          const c = B.certificate(tenantId, 0)
          yield* repo.insert(c)
          const issued = new Certificate({
            ...c,
            status: "issued",
            number: `${tenantId}-ZM-2026-000001`,
            issuedOn: "2026-03-02" as never,
            publicity: { days: 7, startsOn: "2026-03-02" as never, endsOn: "2026-03-08" as never }
          })
          yield* repo.update(issued, 1)
          const found = Option.getOrThrow(yield* repo.findByNumber(tenantId, issued.number!))
          assert.strictEqual(encoded(Certificate, found.value), encoded(Certificate, issued))
          const twin = yield* Effect.flip(
            repo.insert(B.certificate(tenantId, 1, { status: "issued", number: issued.number! }))
          )
          assert.strictEqual(twin._tag, "DuplicateKey")
          assert.strictEqual((twin as { key?: string }).key, "number")
          const stale = yield* Effect.flip(repo.update(c, 1))
          assert.strictEqual(stale._tag, "VersionConflict")
        })
      )

      it.effect("finds certificates whose publicity is over, and numbers per district and year", () =>
        Effect.gen(function* () {
          const repo = yield* CertificateRepo
          const tenantId = freshTenant()
          const publicity = (endsOn: string) => ({
            status: "issued" as const,
            publicity: { days: 7, startsOn: "2026-03-01" as never, endsOn: endsOn as never }
          })
          yield* repo.insert(B.certificate(tenantId, 0, { ...publicity("2026-03-07"), number: "N1" }))
          yield* repo.insert(B.certificate(tenantId, 1, { ...publicity("2026-03-08"), number: "N2" }))
          yield* repo.insert(B.certificate(tenantId, 2))
          const due = yield* repo.find(tenantId, { status: "issued", publicityEndsBefore: "2026-03-08" })
          assert.deepStrictEqual(
            due.map((c) => c.value.id),
            ["cert-0000"]
          )
          assert.deepStrictEqual(yield* repo.countBy(tenantId, "status"), [
            { key: "applied", count: 1 },
            { key: "issued", count: 2 }
          ])
          assert.strictEqual(yield* repo.nextSequence(tenantId, 2026), 1)
          assert.strictEqual(yield* repo.nextSequence(tenantId, 2026), 2)
          assert.strictEqual(yield* repo.nextSequence(tenantId, 2027), 1)
          assert.strictEqual(yield* repo.nextSequence(freshTenant(), 2026), 1)
          const page = yield* repo.page(tenantId, {
            filter: { volunteerId: B.certificate(tenantId, 0).volunteerId },
            limit: 5
          })
          assert.strictEqual(page.items.length, 1)
        })
      )
    })
  })
