import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Layer, TestClock } from "effect"
import * as VolunteerMigrations from "../src/VolunteerMigrations.js"
import * as Volunteers from "../src/Volunteers.js"
import {
  COMMUNITY_1,
  enrol,
  hq,
  pingshan,
  registration,
  setUp,
  TENANT,
  verifierOptions,
  volunteerActor
} from "./fixtures.js"

const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const migrations = [CoreMigrations.migrations, VolunteerMigrations.migrations]

const stores = [
  ["sqlite", () => SqliteTesting.layerTest({ migrations }), { skip: false }],
  ["postgres", () => PgTesting.layerTest({ migrations, maxConnections: 8 }), pg],
  ["mysql", () => MysqlTesting.layerTest({ migrations, maxConnections: 8 }), mysql]
] as const

const service = (store: () => Layer.Layer<SqlClient.SqlClient | any, unknown>) =>
  Volunteers.layerSql({ regions: pingshan, conflictRetries: 20 }).pipe(
    Layer.provideMerge(store()),
    Layer.provide(Layer.mergeAll(FieldCipher.layerTest(), IdentityVerifier.layerTest(verifierOptions))),
    Layer.orDie
  )

for (const [name, store, availability] of stores) {
  describe.skipIf(availability.skip)(`Volunteers on ${name}`, () => {
    it.effect(
      "runs the whole flow in SQL transactions; no table holds a plaintext ID or mobile number",
      () =>
        Effect.gen(function* () {
          const volunteers = yield* setUp
          const input = registration(601)
          const a = yield* enrol(601)
          const b = yield* enrol(602)
          const activity = yield* volunteers.createActivity(hq, {
            tenantId: TENANT,
            kind: "visit",
            title: "民情走访",
            teamId: "T440310001",
            communityCode: COMMUNITY_1
          })
          const shift = yield* volunteers.addShift(hq, {
            tenantId: TENANT,
            activityId: activity.id,
            startsAt: "2026-03-03T01:00:00Z",
            endsAt: "2026-03-03T03:00:00Z",
            capacity: 1
          })
          yield* volunteers.signUp(volunteerActor(a), { tenantId: TENANT, shiftId: shift.id })
          yield* volunteers.signUp(volunteerActor(b), { tenantId: TENANT, shiftId: shift.id })
          const cancelled = yield* volunteers.cancelSignUp(volunteerActor(a), { tenantId: TENANT, shiftId: shift.id })
          assert.strictEqual(cancelled.promoted, b)
          yield* TestClock.setTime(Date.parse("2026-03-03T01:00:00Z"))
          yield* volunteers.checkIn(hq, { tenantId: TENANT, shiftId: shift.id, volunteerId: b })
          yield* TestClock.setTime(Date.parse("2026-03-03T02:30:00Z"))
          const record = yield* volunteers.checkOut(hq, { tenantId: TENANT, shiftId: shift.id, volunteerId: b })
          yield* volunteers.decideRecord(hq, { tenantId: TENANT, recordId: record.id, decision: "approve" })
          const hours = yield* volunteers.hoursOf(volunteerActor(b), { tenantId: TENANT, volunteerId: b })
          assert.strictEqual(hours.approvedMinutes, 90)
          const certificate = yield* volunteers.applyCertificate(volunteerActor(b), {
            tenantId: TENANT,
            teamId: "T440310001"
          })
          yield* volunteers.acceptCertificate(hq, {
            tenantId: TENANT,
            certificateId: certificate.id,
            decision: "accept"
          })
          const issued = yield* volunteers.issueCertificate(hq, {
            tenantId: TENANT,
            certificateId: certificate.id,
            handler: "李经办"
          })
          assert.strictEqual(issued.number, "440310-ZM-2026-000001")
          const sql = (yield* SqlClient.SqlClient).withoutTransforms()
          const outbox = yield* sql.unsafe<{ type: string }>(
            "SELECT type FROM gongzhi_outbox WHERE tenant_id = '440310' ORDER BY occurred_at, id"
          )
          assert.deepStrictEqual(
            outbox.map((row) => row.type),
            [
              "volunteers.ApplicationApproved",
              "volunteers.ApplicationApproved",
              "volunteers.SignUpPromoted",
              "volunteers.CertificateIssued"
            ]
          )
          const tables = ["vol_volunteers", "vol_service_records", "vol_certificates", "vol_shifts", "gongzhi_outbox"]
          for (const table of tables) {
            const rows = yield* sql.unsafe<Record<string, unknown>>(`SELECT * FROM ${table}`)
            const text = JSON.stringify(rows)
            assert.isAbove(rows.length, 0, table)
            assert.notInclude(text, input.residentId, table)
            assert.notInclude(text, input.mobile, table)
          }
          const audit = yield* sql.unsafe<Record<string, unknown>>("SELECT * FROM gongzhi_audit_log")
          assert.isAbove(audit.length, 10)
          assert.notInclude(JSON.stringify(audit), input.residentId)
        }).pipe(Effect.provide(service(store)), Effect.orDie),
      120_000
    )

    it.effect(
      "concurrent sign-ups for the last places: never over capacity, every accepted sign-up on the roster",
      () =>
        Effect.gen(function* () {
          const volunteers = yield* setUp
          const ids: Array<string> = []
          for (let i = 0; i < 6; i++) ids.push(yield* enrol(700 + i))
          const activity = yield* volunteers.createActivity(hq, {
            tenantId: TENANT,
            kind: "event",
            title: "社区活动",
            teamId: "T440310001",
            communityCode: COMMUNITY_1
          })
          const shift = yield* volunteers.addShift(hq, {
            tenantId: TENANT,
            activityId: activity.id,
            startsAt: "2026-03-05T01:00:00Z",
            endsAt: "2026-03-05T03:00:00Z",
            capacity: 2
          })
          const results = yield* Effect.all(
            ids.map((id) =>
              Effect.either(volunteers.signUp(volunteerActor(id), { tenantId: TENANT, shiftId: shift.id }))
            ),
            { concurrency: "unbounded" }
          )
          const accepted = results.flatMap((r, i) => (r._tag === "Right" ? [[ids[i], r.right.outcome] as const] : []))
          const view = yield* volunteers.getShift(hq, { tenantId: TENANT, shiftId: shift.id })
          assert.strictEqual(view.confirmed, 2)
          assert.strictEqual(accepted.filter(([, outcome]) => outcome === "confirmed").length, 2)
          const roster = new Map((view.roster ?? []).map((p) => [p.volunteerId as string, p.state]))
          for (const [id, outcome] of accepted) assert.strictEqual(roster.get(id), outcome)
          assert.strictEqual(roster.size, accepted.length)
        }).pipe(Effect.provide(service(store)), Effect.orDie),
      120_000
    )
  })
}
