import { assert, describe, layer } from "@effect/vitest"
import type { TenantId } from "@gongzhi/core/Tenant"
import { freshTenant } from "@gongzhi/core/testing"
import { Effect, Option } from "effect"
import { Team } from "../../Corps.js"
import { CorpsRepo } from "../../CorpsRepo.js"
import { Volunteer } from "../../Volunteer.js"
import { VolunteerRepo } from "../../VolunteerRepo.js"
import * as B from "./builders.js"
import { encoded, query, rollback, type StoreBackend, TIMEOUT } from "./suiteKit.js"

export const volunteerRepoSuite = (backend: StoreBackend) =>
  describe(`VolunteerRepo conformance (${backend.name})`, () => {
    // the standalone `layer` (not `it.layer`, which nests into the previous block and shares its memo map)
    layer(
      backend.layer,
      TIMEOUT
    )((it) => {
      const seed = (tenantId: TenantId, n: number) =>
        Effect.flatMap(VolunteerRepo, (repo) =>
          Effect.forEach(
            Array.from({ length: n }, (_, i) => B.volunteer(tenantId, i)),
            (v) => repo.insert(v)
          )
        )

      it.effect("stores a profile and reads it back unchanged (version 1)", () =>
        Effect.gen(function* () {
          const repo = yield* VolunteerRepo
          const tenantId = freshTenant()
          const v = B.volunteer(tenantId, 0, { name: "沙坣居民", skills: ["粤语", "手语"] })
          const inserted = yield* repo.insert(v)
          assert.strictEqual(inserted.version, 1)
          const read = yield* repo.get(tenantId, v.id)
          assert.isTrue(Option.isSome(read))
          assert.strictEqual(encoded(Volunteer, Option.getOrThrow(read).value), encoded(Volunteer, v))
          if (backend.sql) {
            const rows = yield* query<{ resident_index: string; team_id: string; status: string; star_level: unknown }>(
              (p) =>
                `SELECT resident_index, team_id, status, star_level FROM vol_volunteers WHERE tenant_id = ${p(1)} AND id = ${p(2)}`,
              [tenantId, v.id]
            )
            assert.strictEqual(rows.length, 1)
            assert.strictEqual(rows[0].resident_index, v.residentId.blindIndex)
            assert.strictEqual(rows[0].team_id, v.teamId)
            assert.strictEqual(rows[0].status, v.status)
            assert.strictEqual(Number(rows[0].star_level), v.hours.starLevel)
          }
        })
      )

      it.effect("refuses a second profile with the same resident-ID blind index, but not after a rejection", () =>
        Effect.gen(function* () {
          const repo = yield* VolunteerRepo
          const tenantId = freshTenant()
          const first = B.volunteer(tenantId, 0)
          yield* repo.insert(first)
          const twin = B.volunteer(tenantId, 1, { residentId: first.residentId })
          const error = yield* Effect.flip(repo.insert(twin))
          assert.strictEqual(error._tag, "DuplicateKey")
          assert.strictEqual((error as { key?: string }).key, "resident_id")
          // a rejected application does not hold the index: the person may apply again
          const rejected = B.volunteer(tenantId, 2, { residentId: B.sealed("again", "x"), status: "rejected" })
          yield* repo.insert(rejected)
          yield* repo.insert(B.volunteer(tenantId, 3, { residentId: rejected.residentId, status: "applied" }))
          const found = yield* repo.findByResidentIndex(tenantId, rejected.residentId.blindIndex)
          assert.strictEqual(Option.getOrThrow(found).value.id, B.volunteer(tenantId, 3).id)
          // the same person in another district is someone else's business
          yield* repo.insert(B.volunteer(freshTenant(), 0, { residentId: first.residentId }))
        })
      )

      it.effect("updates optimistically: a stale version fails with VersionConflict", () =>
        Effect.gen(function* () {
          const repo = yield* VolunteerRepo
          const tenantId = freshTenant()
          const v = B.volunteer(tenantId, 0)
          yield* repo.insert(v)
          const updated = yield* repo.update(new Volunteer({ ...v, status: "suspended" }), 1)
          assert.strictEqual(updated.version, 2)
          const stale = yield* Effect.flip(repo.update(new Volunteer({ ...v, status: "left" }), 1))
          assert.strictEqual(stale._tag, "VersionConflict")
          const read = yield* repo.get(tenantId, v.id)
          assert.strictEqual(Option.getOrThrow(read).value.status, "suspended")
        })
      )

      it.effect("pages by team with a cursor, newest first on demand, and counts by status", () =>
        Effect.gen(function* () {
          const repo = yield* VolunteerRepo
          const tenantId = freshTenant()
          yield* seed(tenantId, 12)
          const seen: Array<string> = []
          let cursor: string | undefined
          do {
            const page = yield* repo.page(tenantId, { filter: { teamId: B.teamOf(0) }, limit: 3, cursor })
            for (const row of page.items) seen.push(row.value.id)
            cursor = page.nextCursor
          } while (cursor !== undefined)
          assert.deepStrictEqual(
            seen,
            [0, 3, 6, 9].map((i) => B.volunteer(tenantId, i).id)
          )
          const newest = yield* repo.page(tenantId, { limit: 2, newestFirst: true })
          assert.deepStrictEqual(
            newest.items.map((row) => row.value.id),
            [11, 10].map((i) => B.volunteer(tenantId, i).id)
          )
          assert.strictEqual(yield* repo.count(tenantId, { status: "active" }), 6)
          assert.strictEqual(yield* repo.count(tenantId, { status: ["applied", "suspended"] }), 6)
          const byStatus = yield* repo.countBy(tenantId, "status")
          assert.deepStrictEqual(byStatus, [
            { key: "active", count: 6 },
            { key: "applied", count: 3 },
            { key: "suspended", count: 3 }
          ])
          const byStars = yield* repo.countBy(tenantId, "star_level", { teamId: B.teamOf(1) })
          const stars = new Map<number, number>()
          for (let i = 0; i < 12; i++) {
            const v = B.volunteer(tenantId, i)
            if (v.teamId === B.teamOf(1)) stars.set(v.hours.starLevel, (stars.get(v.hours.starLevel) ?? 0) + 1)
          }
          assert.deepStrictEqual(
            byStars,
            [...stars.entries()].sort(([a], [b]) => a - b).map(([key, count]) => ({ key, count }))
          )
        })
      )

      it.effect("numbers volunteers 1, 2, 3 … per district, and rolls back with the transaction", () =>
        Effect.gen(function* () {
          const repo = yield* VolunteerRepo
          const a = freshTenant()
          const b = freshTenant()
          assert.strictEqual(yield* repo.nextSequence(a), 1)
          assert.strictEqual(yield* repo.nextSequence(a), 2)
          assert.strictEqual(yield* repo.nextSequence(b), 1)
          yield* rollback(Effect.zipRight(repo.nextSequence(a), repo.insert(B.volunteer(a, 5))))
          assert.strictEqual(yield* repo.nextSequence(a), 3)
          assert.isTrue(Option.isNone(yield* repo.get(a, B.volunteer(a, 5).id)))
        })
      )

      it.effect("keeps districts apart", () =>
        Effect.gen(function* () {
          const repo = yield* VolunteerRepo
          const a = freshTenant()
          yield* seed(a, 3)
          const b = freshTenant()
          assert.isTrue(Option.isNone(yield* repo.get(b, B.volunteer(a, 0).id)))
          assert.strictEqual(yield* repo.count(b), 0)
          assert.isTrue(Option.isNone(yield* repo.findByResidentIndex(b, B.volunteer(a, 0).residentId.blindIndex)))
          assert.strictEqual((yield* repo.findByMobileIndex(a, B.volunteer(a, 1).mobile.blindIndex)).length, 1)
        })
      )
    })
  })

export const corpsRepoSuite = (backend: StoreBackend) =>
  describe(`CorpsRepo conformance (${backend.name})`, () => {
    // the standalone `layer` (not `it.layer`, which nests into the previous block and shares its memo map)
    layer(
      backend.layer,
      TIMEOUT
    )((it) => {
      it.effect("stores the corps once per district, and teams with their region", () =>
        Effect.gen(function* () {
          const repo = yield* CorpsRepo
          const tenantId = freshTenant()
          yield* repo.insertCorps(B.corps(tenantId))
          const again = yield* Effect.flip(repo.insertCorps(B.corps(tenantId)))
          assert.strictEqual(again._tag, "DuplicateKey")
          const corps = Option.getOrThrow(yield* repo.getCorps(tenantId))
          assert.strictEqual(corps.value.memberRoles.length, 3)
          assert.strictEqual(corps.value.role("team-leader")?.name, "兼职分队长")
          for (let i = 0; i < 4; i++) yield* repo.insertTeam(B.team(tenantId, i))
          yield* repo.insertTeam(
            B.team(tenantId, 9, { kind: "community", regionCode: B.communityOf(0), parentId: B.team(tenantId, 0).id })
          )
          const streets = yield* repo.listTeams(tenantId, { kind: "street" })
          assert.strictEqual(streets.length, 4)
          const byRegion = yield* repo.listTeams(tenantId, { regionCode: B.streetOf(1) })
          assert.deepStrictEqual(
            byRegion.map((t) => t.value.id),
            [B.team(tenantId, 1).id]
          )
          const children = yield* repo.listTeams(tenantId, { parentId: B.team(tenantId, 0).id })
          assert.strictEqual(children.length, 1)
          const stale = yield* Effect.flip(repo.updateTeam(new Team({ ...B.team(tenantId, 1), name: "改名" }), 7))
          assert.strictEqual(stale._tag, "VersionConflict")
        })
      )

      it.effect("allows one active holder record per team, member and role; ended roles do not block", () =>
        Effect.gen(function* () {
          const repo = yield* CorpsRepo
          const tenantId = freshTenant()
          const member = "440310-V-000001"
          yield* repo.insertMembership(B.membership(tenantId, "m1", "T1", member, "volunteer"))
          const twin = yield* Effect.flip(
            repo.insertMembership(B.membership(tenantId, "m2", "T1", member, "volunteer"))
          )
          assert.strictEqual(twin._tag, "DuplicateKey")
          assert.strictEqual((twin as { key?: string }).key, "active_role")
          // the same member may hold another role, and roles in other teams
          yield* repo.insertMembership(B.membership(tenantId, "m3", "T1", member, "team-leader"))
          yield* repo.insertMembership(B.membership(tenantId, "m4", "T2", member, "volunteer"))
          // ending a role frees it
          const m1 = Option.getOrThrow(yield* repo.getMembership(tenantId, "m1"))
          yield* repo.updateMembership(B.membership(tenantId, "m1", "T1", member, "volunteer", "ended"), m1.version)
          yield* repo.insertMembership(B.membership(tenantId, "m5", "T1", member, "volunteer"))
          assert.strictEqual(
            (yield* repo.membershipsOf(tenantId, { _tag: "Volunteer", id: member as never })).length,
            4
          )
          yield* repo.insertMembership(B.membership(tenantId, "m6", "T2", "440310-V-000002", "volunteer"))
          const byRole = yield* repo.countMembershipsBy(tenantId, "role_id", { status: "active" })
          assert.deepStrictEqual(byRole, [
            { key: "team-leader", count: 1 },
            { key: "volunteer", count: 3 }
          ])
          const byTeam = yield* repo.countMembershipsBy(tenantId, "team_id", { status: "active", roleId: "volunteer" })
          assert.deepStrictEqual(byTeam, [
            { key: "T1", count: 1 },
            { key: "T2", count: 2 }
          ])
          assert.strictEqual(yield* repo.countMemberships(freshTenant()), 0)
        })
      )
    })
  })
