import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Either, Layer, Option, Schema } from "effect"
import * as Repository from "../../Repository.js"
import type { TenantId } from "../../Tenant.js"
import * as Transactor from "../../Transactor.js"
import { freshTenant } from "./kit.js"

/** The aggregate the repository suite stores: every column type, Chinese text and a date. */
export class Resident extends Schema.Class<Resident>("@gongzhi/core/testing/Resident")({
  id: Schema.String,
  code: Schema.String,
  name: Schema.String,
  street: Schema.String,
  status: Schema.Literal("active", "suspended", "left"),
  score: Schema.Int,
  joinedAt: Schema.Date,
  verified: Schema.Boolean,
  grid: Schema.NullOr(Schema.String)
}) {}

export const residentDefinition = Repository.define({
  entity: "Resident",
  table: "gz_conformance_residents",
  schema: Resident,
  id: (resident) => resident.id,
  columns: {
    code: { type: "text", get: (r) => r.code, length: 32 },
    street: { type: "text", get: (r) => r.street, length: 16 },
    status: { type: "text", get: (r) => r.status, length: 16 },
    score: { type: "integer", get: (r) => r.score },
    joined_at: { type: "timestamp", get: (r) => r.joinedAt },
    verified: { type: "boolean", get: (r) => r.verified },
    grid: { type: "text", get: (r) => r.grid, length: 32 }
  },
  indexes: [["street", "status", "joined_at"], ["joined_at"]],
  unique: { code: ["code"] }
})

/**
 * A backend for the repository suite: `layer` gives a fresh store with its `Transactor` (and
 * `SqlClient` when `sql` is set); `make` builds a repository for a definition on it, creating what
 * it needs (for SQL, run `Repository.migration` then `Repository.makeSql`).
 */
export interface RepositoryBackend<R> {
  readonly name: string
  readonly layer: Layer.Layer<R | Transactor.Transactor, unknown>
  readonly make: <A, I>(definition: Repository.Definition<A, I>) => Effect.Effect<Repository.Repository<A>, unknown, R>
  readonly sql?: boolean
}

class Residents extends Context.Tag("@gongzhi/core/testing/Residents")<Residents, Repository.Repository<Resident>>() {}

const streets = ["440310001", "440310002", "440310003"] as const

export const makeResident = (i: number, overrides: Partial<ConstructorParameters<typeof Resident>[0]> = {}) =>
  new Resident({
    id: `r-${String(i).padStart(5, "0")}`,
    code: `V440310${String(i).padStart(6, "0")}`,
    name: i % 2 === 0 ? `沙坣居民${i}` : `居民${i}`,
    street: streets[i % streets.length],
    status: i % 5 === 0 ? "suspended" : "active",
    score: i * 10,
    joinedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
    verified: i % 3 === 0,
    grid: i % 4 === 0 ? null : `G${i % 4}`,
    ...overrides
  })

/** Runs the repository conformance suite on a backend. */
export const repositorySuite = <R>(backend: RepositoryBackend<R>) =>
  describe(`Repository conformance (${backend.name})`, () => {
    const layer = Layer.effect(Residents, backend.make(residentDefinition)).pipe(Layer.provideMerge(backend.layer))

    it.layer(layer, { timeout: 120_000 })((it) => {
      const seed = (tenantId: TenantId, count: number) =>
        Effect.flatMap(Residents, (repo) =>
          repo.insertMany(
            tenantId,
            Array.from({ length: count }, (_, i) => makeResident(i))
          )
        )

      it.effect("insert and get round-trip the aggregate (Chinese text, dates, nulls) at version 1", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          const resident = makeResident(2)
          const stored = yield* repo.insert(tenant, resident)
          assert.strictEqual(stored.version, 1)
          const read = yield* repo.getOrFail(tenant, resident.id)
          assert.strictEqual(read.version, 1)
          assert.deepStrictEqual(read.value, resident)
          assert.strictEqual(read.value.name, "沙坣居民2")
          assert.instanceOf(read.value.joinedAt, Date)
          assert.isTrue(Option.isNone(yield* repo.get(tenant, "missing")))
          const missing = yield* Effect.flip(repo.getOrFail(tenant, "missing"))
          assert.strictEqual(missing._tag, "NotFound")
        })
      )

      if (backend.sql) {
        it.effect(
          "what is stored can be read back with raw SQL: tenant first, typed columns, JSON document",
          () =>
            Effect.gen(function* () {
              const repo = yield* Residents
              const sql = yield* SqlClient.SqlClient
              const tenant = freshTenant()
              const resident = makeResident(3)
              yield* repo.insert(tenant, resident)
              const rows = yield* sql.unsafe<Record<string, unknown>>(
                `SELECT tenant_id, id, version, doc, code, street, status, score, joined_at, verified, grid FROM ${residentDefinition.table} WHERE tenant_id = ${sql.onDialectOrElse({ pg: () => "$1", orElse: () => "?" })}`,
                [tenant]
              )
              assert.strictEqual(rows.length, 1)
              const row = rows[0]
              assert.strictEqual(row.tenant_id, tenant)
              assert.strictEqual(row.id, resident.id)
              assert.strictEqual(Number(row.version), 1)
              assert.strictEqual(row.street, resident.street)
              assert.strictEqual(Number(row.score), 30)
              assert.strictEqual(Number(row.joined_at), resident.joinedAt.getTime())
              assert.strictEqual(Number(row.verified), 1)
              assert.strictEqual(row.grid, "G3")
              const doc = typeof row.doc === "string" ? JSON.parse(row.doc) : row.doc
              assert.deepStrictEqual(doc, Schema.encodeSync(Resident)(resident))
            }) as Effect.Effect<void, unknown, Residents>
        )
      }

      it.effect("update bumps the version; a stale or missing version fails with VersionConflict", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          const resident = makeResident(4)
          yield* repo.insert(tenant, resident)
          const updated = yield* repo.update(tenant, new Resident({ ...resident, score: 999 }), 1)
          assert.strictEqual(updated.version, 2)
          assert.strictEqual((yield* repo.getOrFail(tenant, resident.id)).value.score, 999)
          const stale = yield* Effect.flip(repo.update(tenant, new Resident({ ...resident, score: 1 }), 1))
          assert.strictEqual(stale._tag, "VersionConflict")
          if (stale._tag === "VersionConflict") {
            assert.strictEqual(stale.expectedVersion, 1)
            assert.strictEqual(stale.actualVersion, 2)
          }
          assert.strictEqual((yield* repo.getOrFail(tenant, resident.id)).value.score, 999)
          const missing = yield* Effect.flip(repo.update(tenant, makeResident(5), 1))
          assert.strictEqual(missing._tag, "VersionConflict")
          if (missing._tag === "VersionConflict") assert.isUndefined(missing.actualVersion)
        })
      )

      it.effect("uniqueness: same id or same unique column in a tenant fails with DuplicateKey naming the rule", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          yield* repo.insert(tenant, makeResident(6))
          const sameId = yield* Effect.flip(repo.insert(tenant, makeResident(6, { code: "OTHER" })))
          assert.deepInclude(sameId, { _tag: "DuplicateKey", key: "id" })
          const sameCode = yield* Effect.flip(repo.insert(tenant, makeResident(7, { code: makeResident(6).code })))
          assert.deepInclude(sameCode, { _tag: "DuplicateKey", key: "code" })
          yield* repo.insert(tenant, makeResident(8))
          const collide = yield* Effect.flip(repo.update(tenant, makeResident(8, { code: makeResident(6).code }), 1))
          assert.deepInclude(collide, { _tag: "DuplicateKey", key: "code" })
          // another tenant may use the same id and code
          yield* repo.insert(freshTenant(), makeResident(6))
        })
      )

      it.effect("insertMany in a transaction is all or nothing", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          yield* repo.insert(tenant, makeResident(9))
          const batch = [makeResident(10), makeResident(11), makeResident(12, { code: makeResident(9).code })]
          const failed = yield* Effect.flip(Transactor.withTransaction(repo.insertMany(tenant, batch)))
          assert.strictEqual(failed._tag, "DuplicateKey")
          assert.strictEqual(yield* repo.count(tenant), 1)
          assert.strictEqual(yield* repo.insertMany(tenant, [makeResident(10), makeResident(11)]), 2)
          assert.strictEqual(yield* repo.count(tenant), 3)
        })
      )

      it.effect("a failed transaction leaves no trace (insert, update and remove rolled back)", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          yield* repo.insert(tenant, makeResident(13))
          yield* repo.insert(tenant, makeResident(14))
          const result = yield* Effect.either(
            Transactor.withTransaction(
              Effect.gen(function* () {
                yield* repo.insert(tenant, makeResident(15))
                yield* repo.update(tenant, makeResident(13, { score: -1 }), 1)
                yield* repo.remove(tenant, makeResident(14).id, 1)
                return yield* Effect.fail("boom" as const)
              })
            )
          )
          assert.isTrue(Either.isLeft(result))
          assert.isTrue(Option.isNone(yield* repo.get(tenant, makeResident(15).id)))
          const kept = yield* repo.getOrFail(tenant, makeResident(13).id)
          assert.strictEqual(kept.version, 1)
          assert.strictEqual(kept.value.score, 130)
          assert.isTrue(Option.isSome(yield* repo.get(tenant, makeResident(14).id)))
        })
      )

      it.effect("remove needs the current version", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          yield* repo.insert(tenant, makeResident(16))
          const stale = yield* Effect.flip(repo.remove(tenant, makeResident(16).id, 7))
          assert.deepInclude(stale, { _tag: "VersionConflict", actualVersion: 1 })
          yield* repo.remove(tenant, makeResident(16).id, 1)
          assert.isTrue(Option.isNone(yield* repo.get(tenant, makeResident(16).id)))
        })
      )

      it.effect("find filters by equality, lists, ranges and null", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          yield* seed(tenant, 30)
          const all = Array.from({ length: 30 }, (_, i) => makeResident(i))
          const ids = (xs: ReadonlyArray<{ readonly value: Resident }>) => xs.map((x) => x.value.id)
          const expect = (predicate: (r: Resident) => boolean) =>
            all
              .filter(predicate)
              .map((r) => r.id)
              .sort()
          assert.deepStrictEqual(
            ids(yield* repo.find(tenant, { street: "440310002", status: "active" })),
            expect((r) => r.street === "440310002" && r.status === "active")
          )
          assert.deepStrictEqual(
            ids(yield* repo.find(tenant, { status: { in: ["suspended", "left"] } })),
            expect((r) => r.status !== "active")
          )
          assert.deepStrictEqual(
            ids(yield* repo.find(tenant, { score: { gte: 50, lt: 120 } })),
            expect((r) => r.score >= 50 && r.score < 120)
          )
          assert.deepStrictEqual(
            ids(yield* repo.find(tenant, { grid: null })),
            expect((r) => r.grid === null)
          )
          assert.deepStrictEqual(
            ids(yield* repo.find(tenant, { verified: true })),
            expect((r) => r.verified)
          )
          assert.deepStrictEqual(ids(yield* repo.find(tenant, { status: { in: [] } })), [])
          assert.strictEqual((yield* repo.find(tenant, {}, 7)).length, 7)
        })
      )

      it.effect("page walks every match exactly once in order, by a column or by id, both directions", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          yield* seed(tenant, 23)
          const walk = (query: Omit<Repository.PageQuery, "cursor" | "limit">) =>
            Effect.gen(function* () {
              const seen: Array<Resident> = []
              let cursor: string | undefined
              let pages = 0
              do {
                const page = yield* repo.page(tenant, { ...query, limit: 5, cursor })
                assert.isAtMost(page.items.length, 5)
                seen.push(...page.items.map((item) => item.value))
                cursor = page.nextCursor
                pages++
              } while (cursor !== undefined && pages < 100)
              return seen
            })
          const byTimeDesc = yield* walk({ orderBy: "joined_at", direction: "desc", where: { status: "active" } })
          const expected = Array.from({ length: 23 }, (_, i) => makeResident(i))
            .filter((r) => r.status === "active")
            .sort((a, b) => b.joinedAt.getTime() - a.joinedAt.getTime())
          assert.deepStrictEqual(
            byTimeDesc.map((r) => r.id),
            expected.map((r) => r.id)
          )
          const byId = yield* walk({})
          assert.strictEqual(byId.length, 23)
          assert.deepStrictEqual(
            byId.map((r) => r.id),
            [...byId.map((r) => r.id)].sort()
          )
          // ties on the ordering column are broken by id, so nothing is skipped or repeated
          const byStreet = yield* walk({ orderBy: "street" })
          assert.strictEqual(new Set(byStreet.map((r) => r.id)).size, 23)
          const bad = yield* Effect.flip(repo.page(tenant, { limit: 5, cursor: "not-a-cursor" }))
          assert.strictEqual(bad._tag, "StorageError")
        })
      )

      it.effect("count and countBy", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          yield* seed(tenant, 20)
          assert.strictEqual(yield* repo.count(tenant), 20)
          assert.strictEqual(yield* repo.count(tenant, { status: "suspended" }), 4)
          const byStreet = yield* repo.countBy(tenant, "street")
          assert.deepStrictEqual(byStreet, [
            { key: "440310001", count: 7 },
            { key: "440310002", count: 7 },
            { key: "440310003", count: 6 }
          ])
          const byGrid = yield* repo.countBy(tenant, "grid", { status: "active" })
          assert.strictEqual(byGrid[0].key, null)
          assert.strictEqual(
            byGrid.reduce((n, g) => n + g.count, 0),
            16
          )
          const byVerified = yield* repo.countBy(tenant, "verified")
          assert.deepStrictEqual(byVerified, [
            { key: false, count: 13 },
            { key: true, count: 7 }
          ])
        })
      )

      it.effect("aggregate: count, sum, min and max per group (NULL first), and one row without groups", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          yield* seed(tenant, 20)
          const all = Array.from({ length: 20 }, (_, i) => makeResident(i))
          const measures = {
            residents: "count",
            score: { sum: "score" },
            lowest: { min: "score" },
            latest: { max: "joined_at" },
            verified: { sum: "verified" }
          } as const
          const figures = (rs: ReadonlyArray<Resident>) => ({
            residents: rs.length,
            score: rs.reduce((n, r) => n + r.score, 0),
            lowest: rs.length === 0 ? null : Math.min(...rs.map((r) => r.score)),
            latest: rs.length === 0 ? null : Math.max(...rs.map((r) => r.joinedAt.getTime())),
            verified: rs.filter((r) => r.verified).length
          })
          const rows = yield* repo.aggregate(tenant, { groupBy: ["street", "status"], measures })
          const expected = [...new Set(all.map((r) => `${r.street}|${r.status}`))].sort().map((key) => {
            const [street, status] = key.split("|")
            return {
              group: { street, status },
              values: figures(all.filter((r) => r.street === street && r.status === status))
            }
          })
          assert.deepStrictEqual(rows, expected)
          const byGrid = yield* repo.aggregate(tenant, {
            where: { status: "active" },
            groupBy: ["grid"],
            measures: { residents: "count" }
          })
          assert.deepStrictEqual(
            byGrid.map((row) => row.group.grid),
            [null, "G1", "G2", "G3"]
          )
          assert.strictEqual(
            byGrid.reduce((n, row) => n + row.values.residents, 0),
            all.filter((r) => r.status === "active").length
          )
          const total = yield* repo.aggregate(tenant, { where: { score: { gte: 50 } }, measures })
          assert.deepStrictEqual(total, [{ group: {}, values: figures(all.filter((r) => r.score >= 50)) }])
          const none = yield* repo.aggregate(freshTenant(), { measures })
          assert.deepStrictEqual(none, [{ group: {}, values: figures([]) }])
          assert.deepStrictEqual(yield* repo.aggregate(freshTenant(), { groupBy: ["street"], measures }), [])
        })
      )

      it.effect("aggregate: day, week (from Monday) and month buckets in China time by default, and across DST", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          const at = (i: number, iso: string) => makeResident(i, { joinedAt: new Date(iso), score: i })
          yield* repo.insertMany(tenant, [
            at(1, "2026-03-01T15:59:59.999Z"), // 2026-03-01 23:59:59.999 in Shanghai, a Sunday
            at(2, "2026-03-01T16:00:00.000Z"), // 2026-03-02 00:00, a Monday
            at(3, "2026-03-31T16:00:00.000Z"), // 2026-04-01 00:00, a Wednesday
            at(4, "2025-12-31T15:59:59.999Z"), // 2025-12-31 23:59, a Wednesday
            at(5, "2026-01-04T16:00:00.000Z"), // 2026-01-05 00:00, a Monday
            at(6, "2026-03-08T04:30:00.000Z"), // New York: 2026-03-07 23:30 EST
            at(7, "2026-03-09T04:30:00.000Z"), // New York: 2026-03-09 00:30 EDT (DST began on the 8th)
            at(8, "2026-11-01T04:30:00.000Z") // New York: 2026-11-01 00:30 EDT (DST ends later that night)
          ])
          const buckets = (unit: "day" | "week" | "month", timeZone?: string, where?: Repository.Filter) =>
            Effect.map(
              repo.aggregate(tenant, {
                where,
                groupBy: ["score"],
                bucket: { column: "joined_at", unit, ...(timeZone === undefined ? {} : { timeZone }) },
                measures: { n: "count" }
              }),
              (rows) => rows.map((row) => `${row.group.score}:${row.bucket}`)
            )
          assert.deepStrictEqual(yield* buckets("day"), [
            "1:2026-03-01",
            "2:2026-03-02",
            "3:2026-04-01",
            "4:2025-12-31",
            "5:2026-01-05",
            "6:2026-03-08",
            "7:2026-03-09",
            "8:2026-11-01"
          ])
          assert.deepStrictEqual(yield* buckets("week", "Asia/Shanghai"), [
            "1:2026-02-23",
            "2:2026-03-02",
            "3:2026-03-30",
            "4:2025-12-29",
            "5:2026-01-05",
            "6:2026-03-02",
            "7:2026-03-09",
            "8:2026-10-26"
          ])
          assert.deepStrictEqual(yield* buckets("month"), [
            "1:2026-03",
            "2:2026-03",
            "3:2026-04",
            "4:2025-12",
            "5:2026-01",
            "6:2026-03",
            "7:2026-03",
            "8:2026-11"
          ])
          const march = { joined_at: { gte: Date.UTC(2026, 2, 5), lt: Date.UTC(2026, 2, 12) } }
          assert.deepStrictEqual(yield* buckets("day", "America/New_York", march), ["6:2026-03-07", "7:2026-03-09"])
          assert.deepStrictEqual(
            (yield* buckets("month", "America/New_York")).filter((label) => label.startsWith("8:")),
            ["8:2026-11"]
          )
          // buckets merge rows of one period; explicit periods leave out rows outside them
          const months = yield* repo.aggregate(tenant, {
            bucket: { column: "joined_at", unit: "month" },
            measures: { n: "count", score: { sum: "score" } }
          })
          assert.deepStrictEqual(
            months.map((row) => [row.bucket, row.values.n, row.values.score]),
            [
              ["2025-12", 1, 4],
              ["2026-01", 1, 5],
              ["2026-03", 4, 16],
              ["2026-04", 1, 3],
              ["2026-11", 1, 8]
            ]
          )
          const periods = yield* repo.aggregate(tenant, {
            bucket: {
              column: "joined_at",
              boundaries: [new Date("2026-01-01T00:00:00Z"), new Date("2026-03-02T00:00:00Z"), Date.UTC(2026, 3, 1)]
            },
            measures: { n: "count" }
          })
          assert.deepStrictEqual(
            periods.map((row) => [row.period, row.values.n]),
            [
              [0, 3],
              [1, 3]
            ]
          )
        })
      )

      it.effect("aggregate agrees with a China-time (UTC+8) model on scattered rows", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          let state = 20260307
          const next = () => {
            state = (state * 1103515245 + 12345) % 2147483648
            return state
          }
          const start = Date.UTC(2025, 0, 1)
          const all = Array.from({ length: 80 }, (_, i) =>
            makeResident(i, { joinedAt: new Date(start + (next() % 730) * 86_400_000 + (next() % 86_400_000)) })
          )
          yield* repo.insertMany(tenant, all)
          const china = (r: Resident) => new Date(r.joinedAt.getTime() + 8 * 3_600_000)
          const label = {
            day: (r: Resident) => china(r).toISOString().slice(0, 10),
            month: (r: Resident) => china(r).toISOString().slice(0, 7),
            week: (r: Resident) => {
              const d = china(r)
              const monday = new Date(
                Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7))
              )
              return monday.toISOString().slice(0, 10)
            }
          }
          for (const unit of ["day", "week", "month"] as const) {
            const rows = yield* repo.aggregate(tenant, {
              where: { status: "active" },
              groupBy: ["street"],
              bucket: { column: "joined_at", unit },
              measures: { n: "count", score: { sum: "score" }, first: { min: "joined_at" } }
            })
            const cells = new Map<string, Array<Resident>>()
            for (const r of all.filter((r) => r.status === "active")) {
              const key = `${r.street} ${label[unit](r)}`
              cells.set(key, [...(cells.get(key) ?? []), r])
            }
            const expected = [...cells.keys()].sort().map((key) => {
              const rs = cells.get(key)!
              return `${key} ${rs.length} ${rs.reduce((n, r) => n + r.score, 0)} ${Math.min(...rs.map((r) => r.joinedAt.getTime()))}`
            })
            assert.deepStrictEqual(
              rows.map(
                (row) => `${row.group.street} ${row.bucket} ${row.values.n} ${row.values.score} ${row.values.first}`
              ),
              expected,
              unit
            )
          }
        })
      )

      it.effect("tenant isolation: nothing of one tenant is visible to another", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const a = freshTenant()
          const b = freshTenant()
          yield* seed(a, 5)
          assert.strictEqual(yield* repo.count(b), 0)
          assert.isTrue(Option.isNone(yield* repo.get(b, makeResident(1).id)))
          assert.deepStrictEqual((yield* repo.page(b, { limit: 10 })).items, [])
          assert.deepStrictEqual(yield* repo.countBy(b, "street"), [])
          assert.deepStrictEqual(yield* repo.aggregate(b, { groupBy: ["street"], measures: { n: "count" } }), [])
          const conflict = yield* Effect.flip(repo.update(b, makeResident(1), 1))
          assert.strictEqual(conflict._tag, "VersionConflict")
          assert.strictEqual(yield* repo.count(a), 5)
        })
      )

      it.effect("concurrent read-modify-write with retry on conflict loses no update", () =>
        Effect.gen(function* () {
          const repo = yield* Residents
          const tenant = freshTenant()
          const resident = makeResident(21, { score: 0 })
          yield* repo.insert(tenant, resident)
          const increment = Effect.gen(function* () {
            const current = yield* repo.getOrFail(tenant, resident.id)
            yield* repo.update(
              tenant,
              new Resident({ ...current.value, score: current.value.score + 1 }),
              current.version
            )
          }).pipe(Effect.retry({ while: (error) => error._tag === "VersionConflict", times: 200 }))
          yield* Effect.all(
            Array.from({ length: 20 }, () => increment),
            { concurrency: 8, discard: true }
          )
          const final = yield* repo.getOrFail(tenant, resident.id)
          assert.strictEqual(final.value.score, 20)
          assert.strictEqual(final.version, 21)
        })
      )
    })
  })
